// The fixed-point finder reports each point once, polished, with one merge
// tolerance; slow points are defined by their speed per tau, so alpha does
// not move the threshold; local minima of q are results, not failures
// (docs/analysis.md, "Fixed points and slow points"). Networks with answers
// known in closed form: decoupled bistable units (3^N points, 2^N stable),
// a unit just before a saddle-node (a weakly stable point) and just past it
// (a ghost with speed |b - b_f| per tau), and a random network.
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "analysis/fixed_points.hpp"
#include "util/error.hpp"

namespace rnnlab {
namespace {

Network decoupled(int n, double alpha, const Eigen::VectorXd& w, const Eigen::VectorXd& b) {
  Network net;
  static_cast<Weights<double>&>(net) = Weights<double>::zeros(n, 1, 1);
  net.alpha = alpha;
  net.activation = Activation::tanh;
  net.w_rec = w.asDiagonal();
  net.b = b;
  return net;
}

// The roots of x = w tanh(x) + b on [-4, 4], by bisection on sign changes of
// a fine grid then Newton: the exact answer per unit.
std::vector<double> unit_roots(double w, double b) {
  auto g = [&](double x) { return w * std::tanh(x) + b - x; };
  std::vector<double> roots;
  const int cells = 80000;
  for (int i = 0; i < cells; ++i) {
    double lo = -4.0 + 8.0 * i / cells, hi = -4.0 + 8.0 * (i + 1) / cells;
    if (g(lo) == 0.0) {
      roots.push_back(lo);
      continue;
    }
    if ((g(lo) < 0) == (g(hi) < 0)) continue;
    for (int k = 0; k < 200; ++k) {
      const double mid = 0.5 * (lo + hi);
      ((g(mid) < 0) == (g(lo) < 0) ? lo : hi) = mid;
    }
    roots.push_back(0.5 * (lo + hi));
  }
  return roots;
}

// No two reported points within the merge radius of each other (the
// tolerance relative to 1 + |x|_inf, plus their position errors).
void expect_separated(const FixedPointResult& r, double tolerance) {
  for (std::size_t i = 0; i < r.points.size(); ++i)
    for (std::size_t j = i + 1; j < r.points.size(); ++j) {
      const FixedPoint& a = r.points[i];
      const FixedPoint& b = r.points[j];
      const double d = (a.x - b.x).lpNorm<Eigen::Infinity>();
      EXPECT_GT(d, merge_radius(a.x, b.x, tolerance, a.position_error, b.position_error))
          << "points " << i << " and " << j << " are " << d << " apart";
      EXPECT_GT(d, tolerance);
    }
}

// Starts around every point of a product of per-unit roots (so the second
// pass sees starts close to known roots) plus a box.
Eigen::MatrixXd starts_for(int n, int count, Rng& rng) {
  Eigen::MatrixXd s(n, count);
  for (int k = 0; k < count; ++k)
    for (int i = 0; i < n; ++i) s(i, k) = rng.uniform(-3.0, 3.0);
  return s;
}

// Three decoupled units with w = 2, b = 0: each unit has the roots
// {-x*, 0, x*}, so 27 points, 8 stable, at alpha = 0.1 and at alpha = 1.
TEST(FixedPointMerge, DecoupledBistableUnitsEachPointOnceAtBothAlphas) {
  const int n = 3;
  const double root = unit_roots(2.0, 0.0).back();
  for (double alpha : {0.1, 1.0}) {
    SCOPED_TRACE("alpha = " + std::to_string(alpha));
    const Network net = decoupled(n, alpha, Eigen::VectorXd::Constant(n, 2.0), Eigen::VectorXd::Zero(n));
    Rng rng = Rng::stream(11, Purpose::user);
    const FixedPointResult r = find_fixed_points(net, Eigen::VectorXd(), starts_for(n, 1500, rng));
    EXPECT_EQ(r.summary.fixed_points, 27);
    EXPECT_EQ(r.summary.stable, 8);
    EXPECT_EQ(r.summary.saddles, 18);
    EXPECT_EQ(r.summary.unstable, 1);
    EXPECT_EQ(r.summary.not_converged, 0);
    EXPECT_EQ(r.summary.slow_points + r.summary.local_minima, 0);
    int reached = 0;
    for (const FixedPoint& p : r.points) {
      reached += p.count;
      for (int i = 0; i < n; ++i) {
        const double v = std::abs(p.x(i));
        EXPECT_LT(std::min(v, std::abs(v - root)), 1e-12) << p.x.transpose();
      }
      EXPECT_LT(p.position_error, 1e-12);
    }
    EXPECT_EQ(reached, 1500);
    EXPECT_EQ(r.summary.unpolished, 0);
    expect_separated(r, FixedPointOptions{}.dedup_tolerance);
  }
}

// A weakly stable point: unit 0 has w = 2 and b just below the fold value
// b_f (by 4e-9), so 1.5e-4 from its saddle sits a stable root whose
// continuous eigenvalue is -1.06e-4 per tau: the step map's eigenvalue is
// 1 - 1.06e-5 at alpha = 0.1. q is so flat there that q <= 1e-12 holds far
// from the root, and a finder that accepts points by q (or near a known
// root by a looser radius than it merges with) reports the point many times
// (17 and 20 copies here without the polish). With two bistable units
// beside it: 3 x 3 x 3 = 27 points, 2 x 2 x 2 = 8 stable, each reported once
// from 2000 starts.
TEST(FixedPointMerge, WeaklyStablePointIsReportedOnce) {
  const int n = 3;
  const double w = 2.0;
  const double x_f = std::acosh(std::sqrt(w));
  const double b_f = w * std::tanh(x_f) - x_f;  // the fold of the negative roots
  const double b0 = b_f - 4e-9;
  const std::vector<double> roots0 = unit_roots(w, b0), roots = unit_roots(w, 0.0);
  ASSERT_EQ(roots0.size(), 3u);
  // The weakly stable root (most negative) and its continuous eigenvalue w sech^2 - 1.
  const double weak = roots0[0];
  const double mu = w * (1.0 - std::pow(std::tanh(weak), 2)) - 1.0;
  ASSERT_LT(mu, 0.0);
  ASSERT_GT(mu, -0.02);
  Eigen::VectorXd b = Eigen::VectorXd::Zero(n);
  b(0) = b0;
  for (double alpha : {0.1, 1.0}) {
    SCOPED_TRACE("alpha = " + std::to_string(alpha));
    const Network net = decoupled(n, alpha, Eigen::VectorXd::Constant(n, w), b);
    Rng rng = Rng::stream(5, Purpose::user);
    // Half of the starts near the weakly stable root, where q is flat.
    Eigen::MatrixXd starts = starts_for(n, 2000, rng);
    for (int k = 0; k < 1000; ++k) starts(0, k) = weak + rng.uniform(-0.05, 0.005);
    const FixedPointResult r = find_fixed_points(net, Eigen::VectorXd(), starts);
    EXPECT_EQ(r.summary.fixed_points, 27);
    EXPECT_EQ(r.summary.stable, 8);
    int at_weak = 0, weak_stable = 0;
    for (const FixedPoint& p : r.points) {
      EXPECT_LT(std::abs(p.x(1)) < 1e-6 ? std::abs(p.x(1)) : std::abs(std::abs(p.x(1)) - roots.back()), 1e-12);
      if (std::abs(p.x(0) - weak) < 5e-5) {  // the saddle is 1.5e-4 away
        ++at_weak;
        // Polished to the root's conditioning, eps * 3 / |mu| ~ 6e-12, not 1e-5 off.
        EXPECT_NEAR(p.x(0), weak, 1e-10);
        EXPECT_LT(p.position_error, 1e-10);
        if (p.stability == Stability::stable) {
          ++weak_stable;
          EXPECT_NEAR(p.continuous_eigenvalues(0).real(), mu, 1e-9);
        }
      }
    }
    EXPECT_EQ(at_weak, 9);      // x0 at the weak root, x1 and x2 each at one of 3 roots
    EXPECT_EQ(weak_stable, 4);  // of them, x1 and x2 at a stable root
    expect_separated(r, FixedPointOptions{}.dedup_tolerance);
  }
}

// Just past the fold (b = b_f + delta) the two negative roots are gone; at
// x = -x_f the ghost is a local minimum of q with g = a (b - b_f), i.e. a
// speed |F(x) - x| / alpha of exactly delta per tau whatever alpha is. One
// slow_speed threshold classifies it the same way at alpha = 0.1 and 1:
// slow below the threshold, local_minimum (converged, not a failure) above.
TEST(FixedPointMerge, GhostSpeedIsPerTauAndTheThresholdDoesNotMoveWithAlpha) {
  const double w = 2.0;
  const double x_f = std::acosh(std::sqrt(w));
  const double b_f = w * std::tanh(x_f) - x_f;
  const double delta = 0.03;
  for (double alpha : {0.1, 1.0}) {
    SCOPED_TRACE("alpha = " + std::to_string(alpha));
    const Network net = decoupled(1, alpha, Eigen::VectorXd::Constant(1, w), Eigen::VectorXd::Constant(1, -(b_f + delta)));
    const Eigen::MatrixXd starts = Eigen::RowVectorXd::LinSpaced(41, -3.0, 3.0);
    for (double threshold : {0.05, 0.02}) {
      SCOPED_TRACE("slow_speed = " + std::to_string(threshold));
      FixedPointOptions o;
      o.slow_speed = threshold;
      const FixedPointResult r = find_fixed_points(net, Eigen::VectorXd(), starts, o);
      ASSERT_EQ(r.points.size(), 2u);
      EXPECT_EQ(r.summary.fixed_points, 1);
      EXPECT_LT(r.points[0].x(0), -1.9);  // b < 0 mirrors the picture: the memory is negative
      const FixedPoint& ghost = r.points[1];
      const bool slow = delta <= threshold;
      EXPECT_EQ(ghost.kind, slow ? PointKind::slow : PointKind::local_minimum);
      EXPECT_EQ(r.summary.slow_points, slow ? 1 : 0);
      EXPECT_EQ(r.summary.local_minima, slow ? 0 : 1);
      EXPECT_NEAR(ghost.x(0), x_f, 1e-12);
      EXPECT_NEAR(ghost.speed, delta, 1e-12);
      EXPECT_NEAR(ghost.q, 0.5 * alpha * alpha * delta * delta, 1e-15);
      // Every start converged: to the memory or to the ghost.
      EXPECT_EQ(r.summary.not_converged, 0);
      EXPECT_EQ(r.summary.fixed_starts + (slow ? r.summary.slow_starts : r.summary.local_minimum_starts), 41);
      EXPECT_EQ(ghost.count, slow ? r.summary.slow_starts : r.summary.local_minimum_starts);
      for (const StartResult& s : r.starts)
        if (s.point == 1) EXPECT_NEAR(s.speed, delta, 1e-12);
    }
  }
}

// A random network (N = 30, gain 1.5, a rank-2 structure as training leaves)
// from 1024 starts: every reported point is a polished root or minimum, and
// no two are within the merge radius.
TEST(FixedPointMerge, RandomNetworkPointsArePairwiseSeparated) {
  const int n = 30;
  Rng rng = Rng::stream(21, Purpose::user);
  Network net;
  static_cast<Weights<double>&>(net) = Weights<double>::zeros(n, 1, 1);
  net.alpha = 0.1;
  net.activation = Activation::tanh;
  Eigen::MatrixXd m(n, 2), v(n, 2);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) net.w_rec(i, j) = 1.5 * rng.normal() / std::sqrt(n);
    for (int k = 0; k < 2; ++k) m(i, k) = rng.normal(), v(i, k) = rng.normal();
  }
  net.w_rec += 2.0 * m * v.transpose() / n;
  Eigen::MatrixXd starts(n, 1024);
  for (int k = 0; k < 1024; ++k)
    for (int i = 0; i < n; ++i) starts(i, k) = 1.5 * rng.normal();
  FixedPointOptions o;
  o.threads = 2;
  const FixedPointResult r = find_fixed_points(net, Eigen::VectorXd(), starts, o);
  ASSERT_GE(r.summary.fixed_points, 3);
  EXPECT_EQ(r.summary.unpolished, 0);
  expect_separated(r, o.dedup_tolerance);
  for (const FixedPoint& p : r.points) {
    if (p.kind != PointKind::fixed) continue;
    EXPECT_LT(p.speed, 1e-12);
    EXPECT_LT(p.position_error, 1e-10);
  }
  // Every converged start sits at its point (within the merge radius).
  for (const StartResult& s : r.starts) {
    if (s.point < 0) continue;
    const FixedPoint& p = r.points[s.point];
    EXPECT_LE((s.x - p.x).lpNorm<Eigen::Infinity>(),
              merge_radius(s.x, p.x, o.dedup_tolerance, s.position_error, p.position_error));
  }
}

// x = tanh(x) (w = 1, the pitchfork itself) has a triple root at 0: g ~ -a x^3 / 3,
// Newton converges only linearly and roundoff leaves the root uncertain by
// ~(eps / a)^(1/3). Its polish fails; it is reported once, flagged as not
// polished, with a position error that covers its true distance from 0.
TEST(FixedPointMerge, DegenerateRootIsOnePointFlaggedAsNotPolished) {
  for (double alpha : {0.1, 1.0}) {
    SCOPED_TRACE("alpha = " + std::to_string(alpha));
    const Network net = decoupled(1, alpha, Eigen::VectorXd::Constant(1, 1.0), Eigen::VectorXd::Zero(1));
    const FixedPointResult r = find_fixed_points(net, Eigen::VectorXd(), Eigen::RowVectorXd::LinSpaced(40, -3.0, 3.0));
    ASSERT_EQ(r.points.size(), 1u);
    EXPECT_EQ(r.points[0].count, 40);
    EXPECT_EQ(r.summary.unpolished, 1);
    EXPECT_EQ(r.summary.not_converged, 0);
    EXPECT_GT(r.points[0].position_error, 1e-6);
    EXPECT_LE(std::abs(r.points[0].x(0)), r.points[0].position_error);
    EXPECT_EQ(r.points[0].stability, Stability::marginal);
  }
}

TEST(FixedPointMerge, KindNamesRoundTrip) {
  std::set<std::string> names;
  for (PointKind k : point_kinds()) {
    EXPECT_EQ(point_kind_from_string(to_string(k)), k);
    names.insert(to_string(k));
  }
  // Old files hold fixed, slow and not_converged: they still read.
  for (const char* old : {"fixed", "slow", "not_converged"}) EXPECT_TRUE(names.count(old)) << old;
  EXPECT_EQ(names.size(), 4u);
  EXPECT_THROW(point_kind_from_string("ghost"), InputError);
}

}  // namespace
}  // namespace rnnlab
