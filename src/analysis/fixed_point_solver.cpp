// The per-start minimisation of q(x) = 1/2 |g(x)|^2, g(x) = F(x, u) - x.
//
// The cost is in the N x N factorisations, so the method spends as few as it can:
//
// 1. Newton on g: dx = -J^{-1} g, J = dg/dx = a (W diag(phi'(x)) - I), one LU
//    of J (2N^3/3 flops), with a backtracking line search on q (dx is a
//    descent direction of q: grad q . dx = -|g|^2). After each LU, chord
//    steps reuse it as long as they converge fast (Shamanskii's method).
// 2. Known roots (find_fixed_points' second pass): once x is near a fixed
//    point found already, chord steps with the LU of the Jacobian there
//    finish the start with no factorisation of its own.
// 3. Where Newton fails (J singular or no descent: slow points, line
//    attractors, saturation), damped Newton on q with Levenberg-Marquardt
//    damping:
//      gradient  grad q = J^T g
//      Hessian   H = J^T J + S,   S = sum_i g_i d^2 g_i/dx^2 = a diag((W^T g) .* phi''(x))
//    (g_i depends on x_j only through phi(x_j), so the second derivatives of
//    g are diagonal and S costs one matrix-vector product.) Each step solves
//    (H + lambda I) dx = -grad; lambda grows until H + lambda I is positive
//    definite and the step lowers q, and shrinks when the quadratic model
//    predicts the decrease well (Nielsen's rule). With lambda -> 0 and g -> 0
//    the step is Newton's again. At a slow point J is singular (J^T g = 0 with
//    g != 0), Gauss-Newton alone converges only linearly there; S supplies
//    the missing curvature.
//
// Near a nondegenerate root every variant converges quadratically.
//
// 4. Polish. q <= fixed_tolerance says little about where the root is: near a
//    weakly stable point (an eigenvalue of the step map within 1e-3 of 1) q is
//    flat, and q = 1e-12 leaves x ~1e-3 from the root. So every accepted point
//    is polished by Newton steps with a fresh Jacobian (least squares where J
//    is singular, e.g. on a line attractor, which moves x onto the nearest
//    root) until the step stops shrinking: at a nondegenerate root it reaches
//    roundoff in two or three steps. Slow points and local minima of q are
//    polished by Newton steps on grad q = 0 with the Hessian below. The last
//    step (scaled by how fast steps were shrinking) is the point's position
//    error, which the merge rule adds to the merge tolerance
//    (fixed_points.hpp), so a point whose polish failed merges with every
//    point it may be instead of standing as a copy.
#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <mutex>

#include "analysis/fixed_points.hpp"
#include "analysis/fixed_points_internal.hpp"
#include "analysis/linearise.hpp"
#include "util/error.hpp"

namespace rnnlab {
namespace detail {

namespace {

bool finite(const Eigen::VectorXd& v) { return v.allFinite(); }

}  // namespace

QProblem::QProblem(const Network& network, const Eigen::VectorXd& u) : net(network) {
  const int n = net.units();
  if (n <= 0) throw InputError("fixed points: the network has no units");
  if (net.w_rec.cols() != n || net.b.size() != n || net.w_in.rows() != n)
    throw InputError("fixed points: the network's w_rec, w_in and b do not have N = " +
                     std::to_string(n) + " rows");
  if (!(net.alpha > 0.0)) throw InputError("fixed points: alpha must be > 0");
  if (u.size() != 0 && u.size() != net.inputs())
    throw InputError("fixed points: the input u has " + std::to_string(u.size()) +
                     " entries, the network has " + std::to_string(net.inputs()) + " inputs");
  c = net.b;
  if (u.size() != 0) c += net.w_in * u;
  jacobian_bound = largest_alpha(net) * (1.0 + net.w_rec.norm());
  residual_scale = largest_alpha(net) * (net.w_rec.cwiseAbs().rowwise().sum().maxCoeff() + c.lpNorm<Eigen::Infinity>());
}

// g = a (W phi(x) + c - x), written without forming F(x) - x: F(x) - x
// cancels the x terms and would put a roundoff floor of eps |x| on g, which
// matters for small alpha.
double QProblem::residual(const Eigen::VectorXd& x, Eigen::VectorXd& r, Eigen::VectorXd& g) const {
  r.resize(x.size());
  apply_phi(net.activation, x, r);
  g.noalias() = net.w_rec * r;
  g += c - x;
  scale_by_leak(net, g);
  return 0.5 * g.squaredNorm();
}

void QProblem::jacobian(const Eigen::VectorXd& x, Eigen::VectorXd& d, Eigen::MatrixXd& j) const {
  d.resize(x.size());
  apply_dphi(net.activation, x, d);
  residual_jacobian(net, d, j);
}

double QProblem::stationarity(const Eigen::MatrixXd& j, const Eigen::VectorXd& g) const {
  // Relative to a bound on |J| over all states, not to |J| here: at a slow
  // point J is singular and, in one dimension, zero.
  const double scale = jacobian_bound * g.norm();
  if (!(scale > 0.0)) return 0.0;
  return (j.transpose() * g).lpNorm<Eigen::Infinity>() / scale;
}

// Scratch of one minimisation, so that a step allocates nothing. Every
// member is written before it is read in solve(), so a set reused from an
// earlier start changes no result.
struct Work {
  Eigen::VectorXd x, r, g, d, dd, grad, dx, x_new, r_new, g_new, s;
  Eigen::MatrixXd j, h, a;
  DenseLU lu;
  Eigen::LLT<Eigen::MatrixXd> llt;
  explicit Work(Eigen::Index n) : j(n, n), h(n, n), a(n, n), lu(n), llt(n) {}
};

QProblem::~QProblem() = default;

StartResult QProblem::solve(const Eigen::VectorXd& start, const FixedPointOptions& o,
                            const KnownRoots* known) const {
  const Eigen::Index n = start.size();
  StartResult out;
  std::unique_ptr<Work> scratch;
  {
    std::lock_guard<std::mutex> lock(scratch_mutex_);
    if (!scratch_.empty()) scratch = std::move(scratch_.back()), scratch_.pop_back();
  }
  if (!scratch) scratch = std::make_unique<Work>(n);
  struct GiveBack {
    const QProblem& problem;
    std::unique_ptr<Work>& work;
    ~GiveBack() {
      std::lock_guard<std::mutex> lock(problem.scratch_mutex_);
      problem.scratch_.push_back(std::move(work));
    }
  } give_back{*this, scratch};
  Work& w = *scratch;
  Eigen::VectorXd& x = w.x;
  x = start;
  double q = residual(x, w.r, w.g);
  int iterations = 0;
  double last_step = std::numeric_limits<double>::infinity();  // inf-norm of the last accepted step
  int snapped = -1;  // the known root this start reached, if any
  int polished = 0;  // Newton (or LM) steps taken from a point with q <= fixed_tolerance

  // The level below which q is roundoff: g = a (W phi(x) + c - x) is computed
  // with an error of a few eps * a (|W|_inf + |c|_inf + |x|_inf) per entry.
  auto g_floor = [&] {
    return 64.0 * std::numeric_limits<double>::epsilon() * (residual_scale + largest_alpha(net) * x.lpNorm<Eigen::Infinity>());
  };
  auto roundoff = [&] {
    const double floor = g_floor();
    return 0.5 * static_cast<double>(n) * floor * floor;
  };
  // Far enough to hand over to the polish (4.): one Newton step from
  // q <= fixed_tolerance, or q at roundoff already.
  auto finished = [&] { return q <= o.fixed_tolerance && (polished >= 1 || q <= roundoff()); };

  // Makes x_new (with r_new, g_new) the iterate; returns false if the step
  // was too small to move x (nothing more to gain).
  auto accept = [&](double q_new, bool newton) {
    const double step = w.dx.lpNorm<Eigen::Infinity>();
    last_step = step;
    if (newton && q <= o.fixed_tolerance) ++polished;
    x.swap(w.x_new);
    w.r.swap(w.r_new);
    w.g.swap(w.g_new);
    q = q_new;
    return step > 1e-15 * (1.0 + x.lpNorm<Eigen::Infinity>());
  };

  // Chord steps with a factorisation of (nearly) the Jacobian here, kept
  // while each cuts q by at least `ratio` (fourfold, i.e. halves the distance
  // to the root, once q is below fixed_tolerance). Each costs 2N^2 flops against an
  // LU's 2N^3/3, so even a slow linear rate beats refactorising; near a root
  // they converge like Newton steps. Returns false if x cannot move.
  auto chord_steps = [&](const DenseLU& lu, double ratio) {
    while (q > 0.0) {
      w.dx = lu.solve(-w.g);
      w.x_new = x + w.dx;
      const double q_new = residual(w.x_new, w.r_new, w.g_new);
      if (!(std::isfinite(q_new) && q_new <= (q <= o.fixed_tolerance ? 0.25 : ratio) * q)) return true;
      if (!accept(q_new, false)) return false;
    }
    return true;
  };

  // Chord steps with the LU of the Jacobian at the nearest known root, kept
  // while each halves q. Near that root J(x) ~ J(root), so they converge like
  // Newton steps; farther out, slowly but still for no factorisation. They may
  // also converge to another root nearby, with a contraction too weak to
  // polish it: a start is the known root only once it lies within the merge
  // radius of it (the same rule that merges points, fixed_points.hpp); then x
  // becomes the (polished) root. Returns true when the search is done.
  auto finish_at_known_root = [&] {
    if (!known || known->x.empty()) return false;
    std::size_t k = 0;
    double nearest = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < known->x.size(); ++i) {
      const double distance = (known->x[i] - x).lpNorm<Eigen::Infinity>();
      if (distance < nearest) nearest = distance, k = i;
    }
    const double size = 1.0 + known->x[k].lpNorm<Eigen::Infinity>();
    if (!(nearest <= o.known_root_radius * size)) return false;
    const bool moved = chord_steps(known->lu[k], 0.5);
    if ((known->x[k] - x).lpNorm<Eigen::Infinity>() <= merge_radius(known->x[k], x, o.dedup_tolerance, known->error[k])) {
      snapped = static_cast<int>(k);
      return true;
    }
    return !moved;
  };

  // Newton on g with a backtracking line search on q (1. and 2. at the top of
  // this file). One LU of J (2N^3/3 flops) is less than half of what an LM
  // step costs (J^T J, N^3, and its Cholesky). From starts on or near the
  // network's trajectories it reaches a root in a few steps. It hands over to
  // LM where J is near singular or the line search fails: near slow points
  // and line attractors, and where tanh saturates.
  bool done = !(std::isfinite(q) && q > 0.0);
  while (o.newton_first && !done && iterations < o.max_iterations) {
    if (finish_at_known_root()) {
      done = true;
      break;
    }
    jacobian(x, w.d, w.j);
    w.lu.compute(w.j);
    ++iterations;
    // A (numerically) singular J: Newton is undefined, LM is not.
    const auto u_diag = w.lu.matrixLU().diagonal().cwiseAbs();
    if (!(u_diag.minCoeff() > 1e-13 * u_diag.maxCoeff())) break;
    w.dx = w.lu.solve(-w.g);
    if (!finite(w.dx)) break;
    // Cap the step: a near-singular J sends it far into saturation, where
    // the line search would spend many halvings coming back.
    double t = std::min(1.0, 4.0 * (1.0 + x.lpNorm<Eigen::Infinity>()) / w.dx.lpNorm<Eigen::Infinity>());
    bool accepted = false;
    for (int k = 0; k < 12 && t >= 1e-3; ++k, t *= 0.5) {
      w.x_new = x + t * w.dx;
      const double q_new = residual(w.x_new, w.r_new, w.g_new);
      // Armijo on the slope -2q of q along dx.
      if (std::isfinite(q_new) && q_new <= (1.0 - 1e-4 * 2.0 * t) * q) {
        w.dx *= t;
        accepted = true;
        done = !accept(q_new, true);
        break;
      }
    }
    if (!accepted) {
      done = q <= o.fixed_tolerance;  // at a root already: roundoff, stop polishing
      break;
    }
    // Shamanskii: the LU just used, again, while it converges fast enough.
    done = done || !chord_steps(w.lu, 0.1) || finished() || q == 0.0;
  }

  // Damped Newton on q with Levenberg-Marquardt damping (3. at the top of this file).
  double lambda = -1.0;  // set from the scale of H at the first iteration
  double nu = 2.0;
  bool need_jacobian = true;
  double pd_bound = 0.0;  // H + lambda I is positive definite for lambda > pd_bound
  while (!done && std::isfinite(q) && q > 0.0 && iterations < o.max_iterations) {
    if (need_jacobian) {
      jacobian(x, w.d, w.j);
      w.grad.noalias() = w.j.transpose() * w.g;
      // Only the lower triangle of H is formed and read (rankUpdate: half a GEMM).
      w.h.setZero();
      w.h.selfadjointView<Eigen::Lower>().rankUpdate(w.j.transpose());
      pd_bound = 0.0;
      if (o.second_order) {
        w.dd.resize(x.size());
        apply_ddphi(net.activation, x, w.dd);
        residual_curvature(net, w.g, w.dd, w.s);
        w.h.diagonal() += w.s;
        // J^T J is positive semidefinite, so H + lambda I = J^T J + diag(S + lambda)
        // is positive definite once lambda > max(-S_ii): one cheap bound
        // instead of a sequence of failed Cholesky factorisations.
        pd_bound = std::max(0.0, -w.s.minCoeff());
      }
      need_jacobian = false;
    }
    // Damping is measured against the Gauss-Newton curvature, which is
    // nonnegative. A floor keeps the step bounded in directions where J is
    // singular (e.g. along a line attractor, where q is flat and roundoff in
    // the gradient would otherwise be divided by ~0).
    const double scale = std::max(w.j.colwise().squaredNorm().maxCoeff(), 1e-300);
    if (lambda < 0.0) lambda = 1e-3 * scale;
    lambda = std::max(lambda, 1e-12 * scale);

    w.a = w.h;
    w.a.diagonal().array() += lambda;
    w.llt.compute(w.a);
    ++iterations;
    if (w.llt.info() != Eigen::Success) {  // H + lambda I indefinite: damp more
      lambda = std::max(lambda * nu, pd_bound * (1.0 + 1e-8) + 1e-12 * scale);
      nu *= 2.0;
      continue;
    }
    w.dx = w.llt.solve(-w.grad);
    w.x_new = x + w.dx;
    const double q_new = residual(w.x_new, w.r_new, w.g_new);
    // Decrease predicted by the quadratic model; > 0 since H + lambda I is PD.
    const double predicted =
        -(w.grad.dot(w.dx) + 0.5 * w.dx.dot(w.h.selfadjointView<Eigen::Lower>() * w.dx));
    const bool accepted = std::isfinite(q_new) && finite(w.x_new) && q_new < q;

    if (!accepted) {
      if (q <= o.fixed_tolerance) break;  // already a root: roundoff, stop polishing
      lambda *= nu;
      nu *= 2.0;
      if (lambda > 1e16 * scale) break;  // no descent direction left: a local minimum
      continue;
    }
    const double rho = predicted > 0.0 ? (q - q_new) / predicted : 0.0;
    need_jacobian = true;
    // Nielsen's update; the floor 0.1 (rather than 1/3) reaches the Newton
    // regime sooner, smaller floors cost more rejected steps far from roots.
    lambda *= std::max(0.1, 1.0 - std::pow(2.0 * rho - 1.0, 3));
    nu = 2.0;
    // LM steps are damped Newton steps: polishing goes on while they still
    // cut q a hundredfold, past polish_iterations if need be.
    const double before = q;
    if (!accept(q_new, true)) break;
    if (finished() && (q <= roundoff() || q > 1e-2 * before)) break;
  }

  // 4. Classify, and polish what converged.
  out.iterations = iterations;
  const double machine = 4.0 * std::numeric_limits<double>::epsilon();
  // The polish goes on while each step is at most this fraction of the last:
  // not 1/2, since near a fold (a weakly stable point next to its saddle)
  // Newton approaches the root linearly with a ratio of about 1/2 before the
  // quadratic phase; roundoff steps do not shrink steadily.
  constexpr double kShrink = 0.9;
  // The distance from x to the point, from the Newton step there and the
  // ratio of the last two steps: the step itself when Newton converges
  // quadratically (ratio ~ 0), m times it at a root of multiplicity m (ratio
  // (m - 1) / m), and 100 times it where steps no longer shrink (roundoff
  // noise around an ill-conditioned point, whose position is that uncertain).
  auto distance_estimate = [](double step, double previous) {
    const double ratio = std::isfinite(previous) && previous > 0.0 ? std::min(step / previous, 0.99) : 0.0;
    return step / (1.0 - ratio);
  };
  // A polishing step is taken unless it raises q beyond its roundoff,
  // |g|_2 sqrt(N) g_floor + roundoff(): at a minimum of q with q > 0 the
  // change a step of 1e-11 makes is far below the rounding of q.
  auto not_worse = [&](double q_new) {
    return std::isfinite(q_new) &&
           q_new <= q + std::sqrt(2.0 * q * static_cast<double>(n)) * g_floor() + roundoff();
  };
  if (!std::isfinite(q) || !finite(x)) {
    out.kind = PointKind::not_converged;
  } else if (snapped >= 0) {
    x = known->x[snapped];
    q = known->q[snapped];
    out.kind = PointKind::fixed;
    out.position_error = known->error[snapped];
  } else if (q <= o.fixed_tolerance) {
    // Newton on g with a fresh Jacobian; least squares (minimum norm) where J
    // is singular. A step is taken only if it does not raise q beyond
    // roundoff; the loop ends when the step is at roundoff or stops shrinking.
    out.kind = PointKind::fixed;
    double error = std::numeric_limits<double>::infinity(), previous = error;
    for (int k = 0; k < o.polish_iterations; ++k) {
      jacobian(x, w.d, w.j);
      w.lu.compute(w.j);
      ++out.iterations;
      const auto u_diag = w.lu.matrixLU().diagonal().cwiseAbs();
      if (u_diag.minCoeff() > 1e-13 * u_diag.maxCoeff())
        w.dx = w.lu.solve(-w.g);
      else
        w.dx = Eigen::CompleteOrthogonalDecomposition<Eigen::MatrixXd>(w.j).solve(-w.g);
      if (!finite(w.dx)) break;
      const double step = w.dx.lpNorm<Eigen::Infinity>();
      error = distance_estimate(step, previous);
      const bool shrinking = step <= kShrink * previous;
      previous = step;
      if (!shrinking || step <= machine * (1.0 + x.lpNorm<Eigen::Infinity>())) break;
      w.x_new = x + w.dx;
      const double q_new = residual(w.x_new, w.r_new, w.g_new);
      if (!not_worse(q_new)) break;
      x.swap(w.x_new);
      w.r.swap(w.r_new);
      w.g.swap(w.g_new);
      q = q_new;
    }
    // No polishing step (polish_iterations = 0): the last step of the search bounds the error.
    out.position_error = std::isfinite(error) ? error : std::isfinite(last_step) ? last_step : 0.0;
  } else {
    jacobian(x, w.d, w.j);
    if (stationarity(w.j, w.g) <= o.stationary_tolerance) {
      // A local minimum of q: Newton on grad q = J^T g = 0 with the Hessian
      // H = J^T J + S (positive definite at a strict minimum).
      double error = std::isfinite(last_step) ? last_step : 0.0;
      double previous = std::numeric_limits<double>::infinity();
      for (int k = 0; k < o.polish_iterations; ++k) {
        jacobian(x, w.d, w.j);
        w.grad.noalias() = w.j.transpose() * w.g;
        w.h.noalias() = w.j.transpose() * w.j;
        if (o.second_order) {
          w.dd.resize(x.size());
          apply_ddphi(net.activation, x, w.dd);
          residual_curvature(net, w.g, w.dd, w.s);
          w.h.diagonal() += w.s;
        }
        w.llt.compute(w.h);
        ++out.iterations;
        if (w.llt.info() != Eigen::Success) break;
        w.dx = w.llt.solve(-w.grad);
        if (!finite(w.dx)) break;
        const double step = w.dx.lpNorm<Eigen::Infinity>();
        error = distance_estimate(step, previous);
        if (!(step <= kShrink * previous)) break;
        previous = step;
        if (step <= machine * (1.0 + x.lpNorm<Eigen::Infinity>())) break;
        w.x_new = x + w.dx;
        const double q_new = residual(w.x_new, w.r_new, w.g_new);
        if (!not_worse(q_new)) break;
        x.swap(w.x_new);
        w.r.swap(w.r_new);
        w.g.swap(w.g_new);
        q = q_new;
      }
      out.position_error = error;
      out.kind = speed_from_q(q, net.alpha) <= o.slow_speed ? PointKind::slow : PointKind::local_minimum;
    } else {
      out.kind = PointKind::not_converged;
    }
  }
  out.x = x;
  out.q = q;
  out.speed = speed_from_q(q, net.alpha);
  out.converged = out.kind != PointKind::not_converged;
  return out;
}

}  // namespace detail

double speed_q(const Network& net, const Eigen::VectorXd& x, const Eigen::VectorXd& u) {
  detail::QProblem p(net, u);
  if (x.size() != net.units()) throw InputError("fixed points: the state has the wrong size");
  Eigen::VectorXd r, g;
  return p.residual(x, r, g);
}

StartResult minimise_q(const Network& net, const Eigen::VectorXd& u, const Eigen::VectorXd& start,
                       const FixedPointOptions& options) {
  detail::QProblem p(net, u);
  if (start.size() != net.units()) throw InputError("fixed points: the start has the wrong size");
  return p.solve(start, options);
}

}  // namespace rnnlab
