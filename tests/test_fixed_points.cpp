// The fixed-point / slow-point finder against answers known in closed form
// (docs/ground-truths.md): one tanh unit, decoupled units (3^N points, 2^N
// stable), a linear network, a line attractor, a ghost past a saddle-node
// bifurcation, and the fold of x = w tanh(x) + u under continuation.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <set>

#include "analysis/fixed_points.hpp"
#include "util/error.hpp"

namespace rnnlab {
namespace {

// A network with N units, I inputs and no readout.
Network make_net(int n, int inputs, double alpha, Activation activation) {
  Network net;
  static_cast<Weights<double>&>(net) = Weights<double>::zeros(n, inputs, 1);
  net.alpha = alpha;
  net.activation = activation;
  return net;
}

Network tanh_unit(double w, double alpha, double b = 0.0) {
  Network net = make_net(1, 1, alpha, Activation::tanh);
  net.w_rec(0, 0) = w;
  net.w_in(0, 0) = 1.0;
  net.b(0) = b;
  return net;
}

Eigen::MatrixXd linspace_starts(double lo, double hi, int count) {
  return Eigen::RowVectorXd::LinSpaced(count, lo, hi);
}

Eigen::MatrixXd random_matrix(int rows, int cols, Rng& rng, double sd = 1.0) {
  Eigen::MatrixXd m(rows, cols);
  for (int j = 0; j < cols; ++j)
    for (int i = 0; i < rows; ++i) m(i, j) = sd * rng.normal();
  return m;
}

double spectral_radius(const Eigen::MatrixXd& m) {
  return Eigen::EigenSolver<Eigen::MatrixXd>(m, false).eigenvalues().cwiseAbs().maxCoeff();
}

// The positive root of x = w tanh(x), w > 1, by Newton.
double tanh_root(double w) {
  double x = w;
  for (int i = 0; i < 100; ++i) x -= (w * std::tanh(x) - x) / (w * (1 - std::pow(std::tanh(x), 2)) - 1);
  return x;
}

// ---------------------------------------------------------------------------

TEST(FixedPointTanhUnit, KnownPointsEigenvaluesAndAlphaIndependence) {
  const double ws[] = {1.5, 2.0, 3.0};
  const double stable_x[] = {1.287839, 1.915008, 2.984705};
  const double stable_mu[] = {-0.605687, -0.833628, -0.969487};
  for (int k = 0; k < 3; ++k) {
    std::complex<double> mu_at_alpha_1;
    for (double alpha : {1.0, 0.1}) {
      SCOPED_TRACE("w = " + std::to_string(ws[k]) + ", alpha = " + std::to_string(alpha));
      const Network net = tanh_unit(ws[k], alpha);
      const FixedPointResult r = find_fixed_points(net, Eigen::VectorXd(), linspace_starts(-4, 4, 40));
      ASSERT_EQ(r.points.size(), 3u);
      EXPECT_EQ(r.summary.fixed_points, 3);
      EXPECT_EQ(r.summary.stable, 2);
      EXPECT_EQ(r.summary.unstable, 1);
      EXPECT_EQ(r.summary.not_converged, 0);
      // Lexicographic order: -x*, 0, +x*.
      EXPECT_NEAR(r.points[0].x(0), -stable_x[k], 1e-6);
      EXPECT_NEAR(r.points[1].x(0), 0.0, 1e-12);
      EXPECT_NEAR(r.points[2].x(0), stable_x[k], 1e-6);
      for (int p : {0, 2}) {
        EXPECT_EQ(r.points[p].stability, Stability::stable);
        EXPECT_EQ(r.points[p].unstable_directions, 0);
        EXPECT_NEAR(r.points[p].continuous_eigenvalues(0).real(), stable_mu[k], 1e-6);
        EXPECT_NEAR(r.points[p].continuous_eigenvalues(0).imag(), 0.0, 1e-15);
        // Discrete eigenvalue 1 + alpha mu.
        EXPECT_NEAR(r.points[p].eigenvalues(0).real(), 1 + alpha * stable_mu[k], 1e-6);
        EXPECT_LT(r.points[p].q, 1e-20);  // polished to machine precision
      }
      EXPECT_EQ(r.points[1].stability, Stability::unstable);
      EXPECT_EQ(r.points[1].unstable_directions, 1);
      EXPECT_NEAR(r.points[1].continuous_eigenvalues(0).real(), ws[k] - 1, 1e-6);
      EXPECT_EQ(r.points[0].count + r.points[1].count + r.points[2].count, 40);
      EXPECT_NEAR(r.points[2].jacobian_input(0, 0), alpha, 1e-15);
      // (l - 1) / alpha = -1 + w phi'(x*) does not depend on alpha.
      if (alpha == 1.0)
        mu_at_alpha_1 = r.points[2].continuous_eigenvalues(0);
      else
        EXPECT_NEAR(std::abs(r.points[2].continuous_eigenvalues(0) - mu_at_alpha_1), 0.0, 1e-10);
    }
  }
}

TEST(FixedPointTanhUnit, PlainLevenbergMarquardtFindsTheSamePoints) {
  FixedPointOptions o;
  o.second_order = false;  // Gauss-Newton curvature only
  const FixedPointResult r = find_fixed_points(tanh_unit(2.0, 0.5), Eigen::VectorXd(), linspace_starts(-4, 4, 40), o);
  ASSERT_EQ(r.points.size(), 3u);
  EXPECT_NEAR(r.points[0].x(0), -tanh_root(2.0), 1e-9);
  EXPECT_NEAR(r.points[1].x(0), 0.0, 1e-9);
  EXPECT_NEAR(r.points[2].x(0), tanh_root(2.0), 1e-9);
  EXPECT_EQ(r.summary.not_converged, 0);
}

TEST(FixedPointTanhUnit, AnalysePointAwayFromAFixedPoint) {
  const Network net = tanh_unit(2.0, 0.5);
  Eigen::VectorXd x(1);
  x << 0.3;
  const FixedPoint p = analyse_point(net, Eigen::VectorXd(), x);
  const double t = std::tanh(0.3);
  EXPECT_NEAR(p.eigenvalues(0).real(), 0.5 + 0.5 * 2.0 * (1 - t * t), 1e-14);
  EXPECT_NEAR(p.q, 0.5 * std::pow(0.5 * (2.0 * t - 0.3), 2), 1e-15);
  EXPECT_EQ(p.kind, PointKind::not_converged);
  EXPECT_EQ(p.eigenvectors.cols(), 1);  // k = min(3, N)
}

TEST(FixedPointTanhUnit, SpeedQIsHalfSquaredStep) {
  const Network net = tanh_unit(2.0, 0.3, 0.1);
  Eigen::VectorXd x(1), u(1);
  x << 0.7;
  u << -0.4;
  const double g = net.step(x, u)(0) - x(0);
  EXPECT_NEAR(speed_q(net, x, u), 0.5 * g * g, 1e-15);
}

// N decoupled units, W = w I: every coordinate is one of {-x*, 0, x*}, so 3^N
// fixed points; 2^N have no zero coordinate (stable); a point with z zeros
// has z unstable directions (eigenvalue 1 - a + a w > 1).
void check_decoupled(int n, double w, int starts_count, int expected_points, int expected_stable) {
  Network net = make_net(n, 1, 1.0, Activation::tanh);
  net.w_rec = w * Eigen::MatrixXd::Identity(n, n);
  Rng rng = Rng::stream(7, Purpose::user, n);
  const FixedPointResult r =
      find_fixed_points(net, Eigen::VectorXd(), box_starts(n, starts_count, -3, 3, rng));
  EXPECT_EQ(r.summary.fixed_points, expected_points);
  EXPECT_EQ(r.summary.stable, expected_stable);
  EXPECT_EQ(r.summary.unstable, 1);
  EXPECT_EQ(r.summary.saddles, expected_points - expected_stable - 1);
  EXPECT_EQ(r.summary.slow_points, 0);
  EXPECT_EQ(r.summary.not_converged, 0);
  ASSERT_EQ(static_cast<int>(r.points.size()), expected_points);
  const double root = tanh_root(w);
  std::set<std::vector<int>> patterns;
  for (const FixedPoint& p : r.points) {
    std::vector<int> pattern(n);
    int zeros = 0;
    for (int i = 0; i < n; ++i) {
      const double v = p.x(i);
      if (std::abs(v) < 1e-9) {
        pattern[i] = 0;
        ++zeros;
      } else {
        EXPECT_NEAR(std::abs(v), root, 1e-9);
        pattern[i] = v > 0 ? 1 : -1;
      }
    }
    patterns.insert(pattern);
    EXPECT_EQ(p.unstable_directions, zeros);
    EXPECT_EQ(p.stability, zeros == 0   ? Stability::stable
                           : zeros == n ? Stability::unstable
                                        : Stability::saddle);
    if (zeros == n) {
      for (int i = 0; i < n; ++i) EXPECT_NEAR(p.continuous_eigenvalues(i).real(), w - 1, 1e-12);
    }
  }
  EXPECT_EQ(static_cast<int>(patterns.size()), expected_points);  // all distinct sign patterns
}

TEST(FixedPointDecoupled, ThreeUnitsHave27PointsAnd8Stable) { check_decoupled(3, 2.0, 1500, 27, 8); }
TEST(FixedPointDecoupled, ThreeUnitsWeakGain) { check_decoupled(3, 1.5, 1500, 27, 8); }
TEST(FixedPointDecoupled, FourUnitsHave81PointsAnd16Stable) { check_decoupled(4, 2.0, 3000, 81, 16); }

TEST(FixedPointLinear, UniquePointIsTheLinearSolve) {
  for (double alpha : {1.0, 0.3}) {
    SCOPED_TRACE("alpha = " + std::to_string(alpha));
    const int n = 6, inputs = 2;
    Rng rng = Rng::stream(11, Purpose::user);
    Network net = make_net(n, inputs, alpha, Activation::linear);
    net.w_rec = random_matrix(n, n, rng);
    net.w_rec *= 0.8 / spectral_radius(net.w_rec);
    net.w_in = random_matrix(n, inputs, rng);
    net.b = random_matrix(n, 1, rng);
    const Eigen::VectorXd u = random_matrix(inputs, 1, rng);
    const Eigen::VectorXd expected =
        (Eigen::MatrixXd::Identity(n, n) - net.w_rec).partialPivLu().solve(net.w_in * u + net.b);

    const FixedPointResult r = find_fixed_points(net, u, box_starts(n, 25, -5, 5, rng));
    ASSERT_EQ(r.points.size(), 1u);
    EXPECT_EQ(r.points[0].count, 25);
    EXPECT_LT((r.points[0].x - expected).lpNorm<Eigen::Infinity>(), 1e-9);
    EXPECT_EQ(r.points[0].stability, Stability::stable);
    EXPECT_EQ(r.summary.stable, 1);
    for (const StartResult& s : r.starts) {
      EXPECT_EQ(s.kind, PointKind::fixed);
      EXPECT_LT((s.x - expected).lpNorm<Eigen::Infinity>(), 1e-9);
      EXPECT_LE(s.iterations, 20);  // a linear problem: Newton is exact up to the damping
    }
    // The eigenvalues of dF/dx = (1 - a) I + a W.
    const Eigen::VectorXcd l = Eigen::EigenSolver<Eigen::MatrixXd>(net.w_rec, false).eigenvalues();
    EXPECT_NEAR(r.points[0].eigenvalues.cwiseAbs().maxCoeff(),
                (Eigen::VectorXcd::Constant(n, 1.0 - alpha) + alpha * l).cwiseAbs().maxCoeff(), 1e-12);
  }
}

TEST(FixedPointLineAttractor, PointsLieOnTheLineWithEigenvalueOne) {
  for (double alpha : {1.0, 0.5}) {
    SCOPED_TRACE("alpha = " + std::to_string(alpha));
    const int n = 3;
    Eigen::VectorXd v(n);
    v << 1.0, 2.0, -2.0;
    v /= 3.0;
    Network net = make_net(n, 1, alpha, Activation::linear);
    net.w_rec = v * v.transpose();
    Rng rng = Rng::stream(3, Purpose::user);
    const Eigen::MatrixXd starts = box_starts(n, 15, -2, 2, rng);
    const FixedPointResult r = find_fixed_points(net, Eigen::VectorXd(), starts);
    EXPECT_EQ(r.summary.not_converged, 0);
    // Every start projects onto a different point of the line; none are merged.
    EXPECT_EQ(r.points.size(), 15u);
    for (const FixedPoint& p : r.points) {
      EXPECT_EQ(p.kind, PointKind::fixed);
      EXPECT_LT((p.x - v.dot(p.x) * v).norm(), 1e-8);
      EXPECT_NEAR(p.eigenvalues(0).real(), 1.0, 1e-9);
      EXPECT_NEAR(p.eigenvalues(0).imag(), 0.0, 1e-12);
      EXPECT_LT(std::abs(p.eigenvalues(1)), 1.0 - 1e-3);
      const Eigen::VectorXcd e = p.eigenvectors.col(0);
      EXPECT_NEAR(std::abs(e.dot(v.cast<std::complex<double>>())), 1.0, 1e-9);  // +-v
      EXPECT_EQ(p.stability, Stability::marginal);
      EXPECT_EQ(p.marginal_directions, 1);
    }
    // q is flat along v and the damped step has no component along v, so
    // each start lands on its own projection onto the line.
    for (int k = 0; k < 15; ++k)
      EXPECT_LT((r.starts[k].x - v.dot(starts.col(k)) * v).lpNorm<Eigen::Infinity>(), 1e-8);
    EXPECT_EQ(r.summary.marginal, 15);
  }
}

// x = w tanh(x) + b with w = 2 and b just past the fold value
// b_f = w tanh(x_f) - x_f, cosh^2(x_f) = w: the two negative roots have merged
// and vanished; g' = w sech^2 - 1 vanishes at x = -x_f whatever b is, so the
// ghost is a local minimum of q at exactly x = -x_f with q = (b - b_f)^2 / 2 (times alpha^2).
TEST(FixedPointSlowPoint, GhostPastSaddleNodeIsSlowNotFixed) {
  const double w = 2.0;
  const double x_f = std::acosh(std::sqrt(w));
  const double b_f = w * std::tanh(x_f) - x_f;
  for (double alpha : {1.0, 0.1}) {
    SCOPED_TRACE("alpha = " + std::to_string(alpha));
    const double b = b_f + 0.01;
    const Network net = tanh_unit(w, alpha, b);
    const FixedPointResult r = find_fixed_points(net, Eigen::VectorXd(), linspace_starts(-3, 3, 31));
    EXPECT_EQ(r.summary.fixed_points, 1);
    EXPECT_EQ(r.summary.slow_points, 1);
    EXPECT_EQ(r.summary.stable, 1);
    ASSERT_EQ(r.points.size(), 2u);
    EXPECT_EQ(r.points[0].kind, PointKind::fixed);
    EXPECT_GT(r.points[0].x(0), 1.9);
    const FixedPoint& ghost = r.points[1];
    EXPECT_EQ(ghost.kind, PointKind::slow);
    // The second-order term of the Hessian gives Newton's convergence to the
    // minimum of q (Gauss-Newton alone stalls near 1e-9 here).
    EXPECT_NEAR(ghost.x(0), -x_f, 1e-12);
    EXPECT_NEAR(ghost.q, alpha * alpha * 0.5 * 0.01 * 0.01, 1e-12);
    EXPECT_GT(ghost.count, 0);
    // dF/dx at the ghost is exactly 1: the slow direction.
    EXPECT_NEAR(ghost.eigenvalues(0).real(), 1.0, 1e-8);

    // With a slow-point threshold below the ghost's speed (0.01 per tau), it
    // is a local minimum of q: the starts that reached it converged.
    EXPECT_NEAR(ghost.speed, 0.01, 1e-12);
    FixedPointOptions strict;
    strict.slow_speed = 0.5 * ghost.speed;
    const FixedPointResult r2 = find_fixed_points(net, Eigen::VectorXd(), linspace_starts(-3, 3, 31), strict);
    EXPECT_EQ(r2.summary.slow_points, 0);
    EXPECT_EQ(r2.summary.local_minima, 1);
    EXPECT_EQ(r2.summary.fixed_points, 1);
    EXPECT_EQ(r2.summary.not_converged, 0);
    EXPECT_EQ(r2.summary.local_minimum_starts, ghost.count);
    ASSERT_EQ(r2.points.size(), 2u);
    EXPECT_EQ(r2.points[1].kind, PointKind::local_minimum);
    EXPECT_NEAR(r2.points[1].x(0), -x_f, 1e-12);
    for (const StartResult& s : r2.starts)
      if (s.kind == PointKind::local_minimum) {
        EXPECT_TRUE(s.converged);
        EXPECT_EQ(s.point, 1);
        EXPECT_NEAR(s.x(0), -x_f, 1e-12);
      }
  }
}

TEST(FixedPointDedup, KeepsLowestQAndCountsMembers) {
  Eigen::VectorXd a(2), b(2);
  a << 1.0, -2.0;
  b << 0.5, 0.5;
  const std::vector<Eigen::VectorXd> points = {a + Eigen::Vector2d(3e-7, 0), b, a,
                                               a - Eigen::Vector2d(0, 5e-7), b + Eigen::Vector2d(1e-3, 0)};
  const std::vector<double> q = {1e-14, 1e-20, 1e-18, 1e-26, 1e-22};
  const Dedup d = deduplicate(points, q, 1e-6);
  // Groups in order of their best q: {3 (1e-26), 0, 2}, {4}, {1}.
  ASSERT_EQ(d.representative.size(), 3u);
  EXPECT_EQ(d.representative[0], 3);
  EXPECT_EQ(d.representative[1], 4);
  EXPECT_EQ(d.representative[2], 1);
  EXPECT_EQ(d.count, (std::vector<int>{3, 1, 1}));
  EXPECT_EQ(d.group, (std::vector<int>{0, 2, 0, 0, 1}));
  // The tolerance is relative for large points: |x|_inf = 1e4 -> 1e-2 absolute.
  const Dedup big = deduplicate({Eigen::Vector2d(1e4, 0), Eigen::Vector2d(1e4 + 5e-3, 0)}, {1.0, 0.5}, 1e-6);
  EXPECT_EQ(big.representative, (std::vector<int>{1}));
  // A tighter tolerance separates them all.
  EXPECT_EQ(deduplicate(points, q, 1e-9).representative.size(), 5u);
}

TEST(FixedPointDedup, EndToEndCountsAddUpAndBestQIsKept) {
  const Network net = tanh_unit(2.0, 1.0);
  FixedPointOptions o;
  o.fixed_tolerance = 1e-20;  // positions within ~1e-10 of the root: merged
  o.polish_iterations = 0;    // stop as soon as q < tol: members differ in q
  const FixedPointResult r = find_fixed_points(net, Eigen::VectorXd(), linspace_starts(-3, 3, 61), o);
  ASSERT_EQ(r.points.size(), 3u);
  int total = 0;
  for (std::size_t p = 0; p < r.points.size(); ++p) {
    total += r.points[p].count;
    double best = INFINITY;
    int members = 0;
    for (const StartResult& s : r.starts)
      if (s.point == static_cast<int>(p)) {
        best = std::min(best, s.q);
        ++members;
      }
    EXPECT_EQ(members, r.points[p].count);
    EXPECT_EQ(r.points[p].q, best);
  }
  EXPECT_EQ(total, 61);
}

TEST(FixedPointOutlier, FlagsPointsFarFromTheStarts) {
  const Network net = tanh_unit(3.0, 1.0);
  // Starts in a narrow cloud around 1.55 (spread ~0.03, beyond the maximum of q
  // at acosh(sqrt(3)) = 1.146) all run to x* = 2.98: flagged.
  const FixedPointResult far = find_fixed_points(net, Eigen::VectorXd(), linspace_starts(1.5, 1.6, 11));
  ASSERT_EQ(far.points.size(), 1u);
  EXPECT_NEAR(far.points[0].x(0), 2.984705, 1e-6);
  EXPECT_TRUE(far.points[0].outlier);
  EXPECT_NEAR(far.points[0].distance_to_starts, far.points[0].x(0) - 1.6, 1e-12);
  EXPECT_EQ(far.summary.outliers, 1);
  // Starts that cover the points: nothing flagged.
  const FixedPointResult near = find_fixed_points(net, Eigen::VectorXd(), linspace_starts(-3.5, 3.5, 15));
  EXPECT_EQ(near.points.size(), 3u);
  EXPECT_EQ(near.summary.outliers, 0);
  for (const FixedPoint& p : near.points) EXPECT_FALSE(p.outlier);
}

// x = w tanh(x) + u, w = 2: three fixed points for |u| < u_f, one beyond,
// u_f = w tanh(x_f) - x_f with cosh^2(x_f) = w (0.532840).
TEST(FixedPointContinuation, FoldOfTanhUnitAtAnalyticValue) {
  const double w = 2.0;
  const double u_f = w * std::tanh(std::acosh(std::sqrt(w))) - std::acosh(std::sqrt(w));
  const Network net = tanh_unit(w, 1.0);
  std::vector<double> s;
  for (int k = -50; k <= 50; ++k) s.push_back(0.02 * k);  // u from -1 to 1
  const Continuation c = continue_fixed_points(net, Eigen::VectorXd::Zero(1), Eigen::VectorXd::Ones(1), s,
                                               linspace_starts(-3, 3, 13));
  ASSERT_EQ(c.steps.size(), s.size());
  int changes = 0;
  for (std::size_t k = 0; k < s.size(); ++k) {
    const double u = c.steps[k].u(0);
    EXPECT_DOUBLE_EQ(u, s[k]);
    const int expected = std::abs(u) < u_f ? 3 : 1;
    EXPECT_EQ(c.steps[k].result.summary.fixed_points, expected) << "u = " << u;
    EXPECT_EQ(c.steps[k].result.summary.stable, expected == 3 ? 2 : 1) << "u = " << u;
    if (k > 0 && c.steps[k].result.summary.fixed_points != c.steps[k - 1].result.summary.fixed_points) {
      ++changes;
      // The count changes between the two grid points around +-u_f.
      EXPECT_LT(std::min(std::abs(std::abs(u) - u_f), std::abs(std::abs(s[k - 1]) - u_f)), 0.02);
    }
  }
  EXPECT_EQ(changes, 2);
}

TEST(FixedPointContinuation, BranchesEndAtTheFold) {
  const double w = 2.0;
  const double u_f = w * std::tanh(std::acosh(std::sqrt(w))) - std::acosh(std::sqrt(w));
  const Network net = tanh_unit(w, 1.0);
  std::vector<double> s;
  for (int k = 0; k <= 50; ++k) s.push_back(0.02 * k);
  ContinuationOptions co;
  co.fresh_starts = false;  // only warm starts after s = 0: the branches alone
  const Continuation c = continue_fixed_points(net, Eigen::VectorXd::Zero(1), Eigen::VectorXd::Ones(1), s,
                                               linspace_starts(-3, 3, 13), {}, co);
  ASSERT_EQ(c.steps[0].branch.size(), 3u);
  EXPECT_EQ(c.branches, 3);  // no new branch appears
  const int upper = c.steps[0].branch[2];  // the positive stable point
  for (const ContinuationStep& step : c.steps) {
    const bool before = step.s < u_f;
    ASSERT_EQ(step.result.summary.fixed_points, before ? 3 : 1) << "u = " << step.s;
    // The upper stable branch survives throughout and is the largest point.
    EXPECT_EQ(step.branch[before ? 2 : 0], upper);
    if (before) {
      EXPECT_EQ(step.result.points[0].stability, Stability::stable);
      EXPECT_EQ(step.result.points[1].stability, Stability::unstable);
      EXPECT_EQ(step.branch[0], c.steps[0].branch[0]);
      EXPECT_EQ(step.branch[1], c.steps[0].branch[1]);
    }
    // The lower stable point and the saddle end together at the first s past the fold.
    const bool first_after = step.s > u_f && step.s - 0.02 < u_f;
    if (first_after) {
      std::vector<int> ended = step.ended;
      std::sort(ended.begin(), ended.end());
      std::vector<int> expected = {c.steps[0].branch[0], c.steps[0].branch[1]};
      std::sort(expected.begin(), expected.end());
      EXPECT_EQ(ended, expected);
    } else {
      EXPECT_TRUE(step.ended.empty()) << "u = " << step.s;
    }
  }
}

// A random tanh network with a few fixed points: every start's result is the
// same with 1 and 2 threads, bit for bit, and the points satisfy F(x) = x.
TEST(FixedPointThreads, ResultsIndependentOfThreadCount) {
  const int n = 8;
  Rng rng = Rng::stream(5, Purpose::user);
  Network net = make_net(n, 2, 0.5, Activation::tanh);
  net.w_rec = random_matrix(n, n, rng, 1.6 / std::sqrt(n));
  net.w_in = random_matrix(n, 2, rng);
  net.b = random_matrix(n, 1, rng, 0.1);
  const Eigen::VectorXd u = random_matrix(2, 1, rng, 0.2);
  const Eigen::MatrixXd starts = box_starts(n, 300, -2, 2, rng);

  FixedPointOptions one, two;
  one.threads = 1;
  two.threads = 2;
  std::atomic<int> calls{0};
  two.progress = [&](std::size_t done, std::size_t total) {
    ++calls;
    EXPECT_LE(done, total);
  };
  const FixedPointResult a = find_fixed_points(net, u, starts, one);
  const FixedPointResult b = find_fixed_points(net, u, starts, two);
  EXPECT_EQ(calls.load(), 300);
  ASSERT_EQ(a.starts.size(), b.starts.size());
  for (std::size_t i = 0; i < a.starts.size(); ++i) {
    EXPECT_TRUE(a.starts[i].x == b.starts[i].x) << i;
    EXPECT_EQ(a.starts[i].q, b.starts[i].q);
    EXPECT_EQ(a.starts[i].iterations, b.starts[i].iterations);
    EXPECT_EQ(a.starts[i].kind, b.starts[i].kind);
    EXPECT_EQ(a.starts[i].point, b.starts[i].point);
  }
  ASSERT_EQ(a.points.size(), b.points.size());
  ASSERT_GE(a.summary.fixed_points, 1);
  for (std::size_t p = 0; p < a.points.size(); ++p) {
    EXPECT_TRUE(a.points[p].x == b.points[p].x);
    EXPECT_TRUE(a.points[p].eigenvalues == b.points[p].eigenvalues);
    EXPECT_TRUE(a.points[p].eigenvectors == b.points[p].eigenvectors);
    EXPECT_EQ(a.points[p].count, b.points[p].count);
    if (a.points[p].kind == PointKind::fixed) {
      EXPECT_LT((net.step(a.points[p].x, u) - a.points[p].x).lpNorm<Eigen::Infinity>(), 1e-10);
    }
  }
  // Newton near the roots: few solves per start on average.
  double iterations = 0;
  for (const StartResult& s : a.starts) iterations += s.iterations;
  EXPECT_LT(iterations / a.starts.size(), 40.0);
}

TEST(FixedPointLinearisation, EigenpairsAreTheJacobiansSortedAndNormalised) {
  // A random tanh network with several fixed points: at each, the eigenvalues
  // are those of dF/dx (Eigen's EigenSolver as the reference; rnnlab uses
  // LAPACK's dgeev where the build has it), sorted by modulus, and each kept
  // eigenvector satisfies J v = l v with unit norm and a real, positive
  // largest entry (analysis/dense_decompositions.hpp).
  const int n = 30;
  Rng rng = Rng::stream(8, Purpose::user);
  Network net = make_net(n, 1, 0.2, Activation::tanh);
  net.w_rec = random_matrix(n, n, rng, 2.0 / std::sqrt(n));
  FixedPointOptions o;
  o.eigenvectors = 4;
  const FixedPointResult r = find_fixed_points(net, Eigen::VectorXd(), box_starts(n, 200, -2, 2, rng), o);
  ASSERT_GE(r.summary.fixed_points, 3);
  for (const FixedPoint& p : r.points) {
    const Eigen::EigenSolver<Eigen::MatrixXd> reference(p.jacobian_state);
    Eigen::VectorXcd expected = reference.eigenvalues();
    std::vector<bool> used(n, false);
    for (int i = 0; i < n; ++i) {
      if (i > 0) {
        EXPECT_GE(std::abs(p.eigenvalues[i - 1]), std::abs(p.eigenvalues[i]));
      }
      int best = -1;
      for (int j = 0; j < n; ++j)
        if (!used[j] && (best < 0 || std::abs(expected[j] - p.eigenvalues[i]) < std::abs(expected[best] - p.eigenvalues[i])))
          best = j;
      used[best] = true;
      EXPECT_LT(std::abs(expected[best] - p.eigenvalues[i]), 1e-12) << i;
    }
    ASSERT_EQ(p.eigenvectors.cols(), 4);
    for (int i = 0; i < 4; ++i) {
      const Eigen::VectorXcd v = p.eigenvectors.col(i);
      Eigen::Index largest = 0;
      v.cwiseAbs().maxCoeff(&largest);
      EXPECT_NEAR(v.norm(), 1.0, 1e-12);
      EXPECT_EQ(v[largest].imag(), 0.0);
      EXPECT_GT(v[largest].real(), 0.0);
      EXPECT_LT((p.jacobian_state.cast<std::complex<double>>() * v - p.eigenvalues[i] * v).norm(), 1e-12);
    }
  }
}

TEST(FixedPointStarts, SampleFromTrajectoryStates) {
  Rng data = Rng::stream(9, Purpose::user);
  const Eigen::MatrixXd states = random_matrix(4, 30, data);
  Rng r1 = Rng::stream(1, Purpose::analysis), r2 = Rng::stream(1, Purpose::analysis);
  const Eigen::MatrixXd exact = sample_starts(states, 50, 0.0, r1);
  ASSERT_EQ(exact.rows(), 4);
  ASSERT_EQ(exact.cols(), 50);
  for (int k = 0; k < 50; ++k) {
    bool found = false;
    for (int m = 0; m < 30 && !found; ++m) found = exact.col(k) == states.col(m);
    EXPECT_TRUE(found) << k;
  }
  EXPECT_TRUE(sample_starts(states, 50, 0.0, r2) == exact);  // same stream, same starts

  Rng r3 = Rng::stream(2, Purpose::analysis);
  const double sd = 0.05;
  const Eigen::MatrixXd noisy = sample_starts(states, 2000, sd, r3);
  // Each noisy start is within a few sd of its nearest state; overall rms ~ sd.
  double sum2 = 0;
  for (int k = 0; k < noisy.cols(); ++k)
    sum2 += (states.colwise() - noisy.col(k)).colwise().squaredNorm().minCoeff();
  EXPECT_NEAR(std::sqrt(sum2 / (noisy.cols() * 4.0)), sd, 0.1 * sd);

  EXPECT_THROW(sample_starts(Eigen::MatrixXd(4, 0), 3, 0.0, r3), InputError);
}

TEST(FixedPointErrors, WrongShapesAreInputErrors) {
  const Network net = tanh_unit(2.0, 1.0);
  EXPECT_THROW(find_fixed_points(net, Eigen::VectorXd::Zero(3), linspace_starts(-1, 1, 3)), InputError);
  EXPECT_THROW(find_fixed_points(net, Eigen::VectorXd(), Eigen::MatrixXd::Zero(2, 3)), InputError);
  EXPECT_THROW(continue_fixed_points(net, Eigen::VectorXd::Zero(1), Eigen::VectorXd::Zero(2), {0.0},
                                     linspace_starts(-1, 1, 3)),
               InputError);
  // An empty set of starts is not an error: nothing found.
  const FixedPointResult r = find_fixed_points(net, Eigen::VectorXd(), Eigen::MatrixXd(1, 0));
  EXPECT_TRUE(r.points.empty());
  EXPECT_EQ(r.summary.starts, 0);
}

// The three ways of running the finder (Newton with the second pass that
// shares known roots, Newton with every start alone, and Levenberg-Marquardt
// alone) must find the same distinct fixed points, each polished to roundoff.
// Besides the 27 known points of three decoupled units, a random network
// whose points are not known in closed form.
void expect_same_points(const FixedPointResult& a, const FixedPointResult& b, const Network& net,
                        const Eigen::VectorXd& u, const std::string& what) {
  ASSERT_EQ(a.summary.fixed_points, b.summary.fixed_points) << what;
  // Matched by distance: the lists are in lexicographic order of x, which
  // roundoff in a leading coordinate can change.
  for (int p = 0; p < a.summary.fixed_points; ++p) {
    int match = 0;
    for (int k = 1; k < b.summary.fixed_points; ++k)
      if ((a.points[p].x - b.points[k].x).norm() < (a.points[p].x - b.points[match].x).norm()) match = k;
    EXPECT_LT((a.points[p].x - b.points[match].x).lpNorm<Eigen::Infinity>(), 1e-9) << what << ", point " << p;
    EXPECT_EQ(a.points[p].stability, b.points[match].stability) << what << ", point " << p;
    const Eigen::VectorXd input = u.size() ? u : Eigen::VectorXd::Zero(net.inputs());
    for (const FixedPoint* point : {&a.points[p], &b.points[match]})
      EXPECT_LT((net.step(point->x, input) - point->x).lpNorm<Eigen::Infinity>(), 1e-14) << what << ", point " << p;
  }
}

TEST(FixedPointMethods, SecondPassAndLevenbergMarquardtFindTheSamePoints) {
  std::vector<std::pair<Network, Eigen::VectorXd>> problems;
  Network decoupled = make_net(3, 1, 0.5, Activation::tanh);
  decoupled.w_rec = 2.0 * Eigen::MatrixXd::Identity(3, 3);
  problems.emplace_back(decoupled, Eigen::VectorXd());
  Rng rng = Rng::stream(11, Purpose::user);
  const int n = 4;  // decoupled units coupled by a random matrix: points not known in closed form
  Network coupled = make_net(n, 2, 0.2, Activation::tanh);
  coupled.w_rec = 2.0 * Eigen::MatrixXd::Identity(n, n) + random_matrix(n, n, rng, 0.25);
  coupled.w_in = random_matrix(n, 2, rng);
  problems.emplace_back(coupled, random_matrix(2, 1, rng, 0.1));

  for (const auto& [net, u] : problems) {
    const Eigen::MatrixXd starts = box_starts(net.units(), 1500, -2.5, 2.5, rng);
    FixedPointOptions two_pass, alone, lm;
    alone.first_pass_starts = 0;
    lm.newton_first = false;
    lm.first_pass_starts = 0;
    const FixedPointResult a = find_fixed_points(net, u, starts, two_pass);
    const FixedPointResult b = find_fixed_points(net, u, starts, alone);
    const FixedPointResult c = find_fixed_points(net, u, starts, lm);
    ASSERT_GE(a.summary.fixed_points, 9) << "N = " << net.units() << ": " << a.summary.slow_points << " slow, " << a.summary.not_converged << " not converged; alone: " << b.summary.fixed_points << ", LM: " << c.summary.fixed_points;
    if (net.units() == 3) EXPECT_EQ(a.summary.fixed_points, 27);
    expect_same_points(a, b, net, u, "two passes vs every start alone, N = " + std::to_string(net.units()));
    expect_same_points(a, c, net, u, "two passes vs LM, N = " + std::to_string(net.units()));

    // The second pass works: its starts (all but the 64 evenly spaced first
    // ones) that end at a fixed point need fewer factorisations than the same
    // starts alone. (Those that end elsewhere cost the same either way.)
    const std::size_t count = a.starts.size();
    std::set<std::size_t> first;
    for (std::size_t k = 0; k < 64; ++k) first.insert(k * count / 64);
    double shared = 0, own = 0;
    for (std::size_t i = 0; i < count; ++i) {
      if (first.count(i) || a.starts[i].kind != PointKind::fixed || b.starts[i].kind != PointKind::fixed) continue;
      shared += a.starts[i].iterations;
      own += b.starts[i].iterations;
    }
    EXPECT_LT(shared, 0.8 * own) << "N = " << net.units();
  }
}

}  // namespace
}  // namespace rnnlab
