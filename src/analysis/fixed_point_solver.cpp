// The per-start minimisation of q(x) = 1/2 |g(x)|^2, g(x) = F(x, u) - x.
//
// Method: damped Newton on q with Levenberg-Marquardt damping.
//   gradient  grad q = J^T g,             J = dg/dx = a (W diag(phi'(x)) - I)
//   Hessian   H = J^T J + S,              S = sum_i g_i d^2 g_i/dx^2 = a diag((W^T g) .* phi''(x))
// (g_i depends on x_j only through phi(x_j), so the second derivatives of g
// are diagonal and S costs one matrix-vector product.) Each step solves
// (H + lambda I) dx = -grad; lambda grows until H + lambda I is positive
// definite and the step lowers q, and shrinks when the quadratic model
// predicts the decrease well (Nielsen's rule). With lambda -> 0 and g -> 0 the
// step is -J^{-1} g: Newton on g, quadratic convergence to a nondegenerate
// root. At a slow point J is singular (J^T g = 0 with g != 0), Gauss-Newton
// alone converges only linearly there; S supplies the missing curvature.
#include <algorithm>
#include <cmath>
#include <limits>

#include "analysis/fixed_points.hpp"
#include "analysis/fixed_points_internal.hpp"
#include "util/error.hpp"

namespace rnnlab {
namespace detail {

namespace {

// phi''(x), element-wise; activation.hpp provides phi and phi' only.
void apply_ddphi(Activation activation, const Eigen::VectorXd& x, Eigen::VectorXd& dd) {
  dd.resize(x.size());
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    const double v = x[i];
    switch (activation) {
      case Activation::tanh: {
        const double t = std::tanh(v);
        dd[i] = -2.0 * t * (1.0 - t * t);
        break;
      }
      case Activation::retanh: {
        const double t = std::tanh(v);
        dd[i] = v > 0 ? -2.0 * t * (1.0 - t * t) : 0.0;
        break;
      }
      case Activation::softplus: {  // phi' = sigmoid
        const double s = 1.0 / (1.0 + std::exp(-v));
        dd[i] = s * (1.0 - s);
        break;
      }
      case Activation::sigmoid: {
        const double s = 1.0 / (1.0 + std::exp(-v));
        dd[i] = s * (1.0 - s) * (1.0 - 2.0 * s);
        break;
      }
      case Activation::relu:
      case Activation::linear: dd[i] = 0.0; break;
    }
  }
}

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
  jacobian_bound = net.alpha * (1.0 + net.w_rec.norm());
}

// g = a (W phi(x) + c - x), written without forming F(x) - x: F(x) - x
// cancels the x terms and would put a roundoff floor of eps |x| on g, which
// matters for small alpha.
double QProblem::residual(const Eigen::VectorXd& x, Eigen::VectorXd& r, Eigen::VectorXd& g) const {
  r.resize(x.size());
  apply_phi(net.activation, x, r);
  g.noalias() = net.w_rec * r;
  g += c - x;
  g *= net.alpha;
  return 0.5 * g.squaredNorm();
}

void QProblem::jacobian(const Eigen::VectorXd& x, Eigen::VectorXd& d, Eigen::MatrixXd& j) const {
  d.resize(x.size());
  apply_dphi(net.activation, x, d);
  j.noalias() = net.alpha * (net.w_rec * d.asDiagonal());
  j.diagonal().array() -= net.alpha;
}

double QProblem::stationarity(const Eigen::MatrixXd& j, const Eigen::VectorXd& g) const {
  // Relative to a bound on |J| over all states, not to |J| here: at a slow
  // point J is singular and, in one dimension, zero.
  const double scale = jacobian_bound * g.norm();
  if (!(scale > 0.0)) return 0.0;
  return (j.transpose() * g).lpNorm<Eigen::Infinity>() / scale;
}

StartResult QProblem::solve(const Eigen::VectorXd& start, const FixedPointOptions& o) const {
  const Eigen::Index n = start.size();
  StartResult out;
  Eigen::VectorXd x = start, r, g, d, dd, grad, dx, x_new, r_new, g_new, s;
  Eigen::MatrixXd j(n, n), h(n, n), a(n, n);
  Eigen::LLT<Eigen::MatrixXd> llt(n);

  double q = residual(x, r, g);
  double lambda = -1.0;  // set from the scale of H at the first iteration
  double nu = 2.0;
  int iterations = 0;
  int polished = 0;
  bool need_jacobian = true;
  double pd_bound = 0.0;  // H + lambda I is positive definite for lambda > pd_bound

  while (std::isfinite(q) && q > 0.0 && iterations < o.max_iterations) {
    if (need_jacobian) {
      jacobian(x, d, j);
      grad.noalias() = j.transpose() * g;
      // Only the lower triangle of H is formed and read (rankUpdate: half a GEMM).
      h.setZero();
      h.selfadjointView<Eigen::Lower>().rankUpdate(j.transpose());
      pd_bound = 0.0;
      if (o.second_order) {
        apply_ddphi(net.activation, x, dd);
        s.noalias() = net.w_rec.transpose() * g;
        s.array() *= net.alpha * dd.array();
        h.diagonal() += s;
        // J^T J is positive semidefinite, so H + lambda I = J^T J + diag(S + lambda)
        // is positive definite once lambda > max(-S_ii): one cheap bound
        // instead of a sequence of failed Cholesky factorisations.
        pd_bound = std::max(0.0, -s.minCoeff());
      }
      need_jacobian = false;
    }
    // Damping is measured against the Gauss-Newton curvature, which is
    // nonnegative. A floor keeps the step bounded in directions where J is
    // singular (e.g. along a line attractor, where q is flat and roundoff in
    // the gradient would otherwise be divided by ~0).
    const double scale = std::max(j.colwise().squaredNorm().maxCoeff(), 1e-300);
    if (lambda < 0.0) lambda = 1e-3 * scale;
    lambda = std::max(lambda, 1e-12 * scale);

    a = h;
    a.diagonal().array() += lambda;
    llt.compute(a);
    ++iterations;
    if (llt.info() != Eigen::Success) {  // H + lambda I indefinite: damp more
      lambda = std::max(lambda * nu, pd_bound * (1.0 + 1e-8) + 1e-12 * scale);
      nu *= 2.0;
      continue;
    }
    dx = llt.solve(-grad);
    x_new = x + dx;
    const double q_new = residual(x_new, r_new, g_new);
    // Decrease predicted by the quadratic model; > 0 since H + lambda I is PD.
    const double predicted = -(grad.dot(dx) + 0.5 * dx.dot(h.selfadjointView<Eigen::Lower>() * dx));
    const bool accepted = std::isfinite(q_new) && finite(x_new) && q_new < q;

    if (!accepted) {
      if (q <= o.fixed_tolerance) break;  // already a root: roundoff, stop polishing
      lambda *= nu;
      nu *= 2.0;
      if (lambda > 1e16 * scale) break;  // no descent direction left: a local minimum
      continue;
    }
    const double rho = predicted > 0.0 ? (q - q_new) / predicted : 0.0;
    const double step = dx.lpNorm<Eigen::Infinity>();
    x.swap(x_new);
    r.swap(r_new);
    g.swap(g_new);
    q = q_new;
    need_jacobian = true;
    // Nielsen's update; the floor 0.1 (rather than 1/3) reaches the Newton
    // regime sooner, smaller floors cost more rejected steps far from roots.
    lambda *= std::max(0.1, 1.0 - std::pow(2.0 * rho - 1.0, 3));
    nu = 2.0;
    if (q <= o.fixed_tolerance && ++polished > o.polish_iterations) break;
    if (step <= 1e-15 * (1.0 + x.lpNorm<Eigen::Infinity>())) break;  // cannot move any more
  }

  out.x = x;
  out.q = q;
  out.iterations = iterations;
  if (!std::isfinite(q) || !finite(x)) {
    out.kind = PointKind::not_converged;
  } else if (q <= o.fixed_tolerance) {
    out.kind = PointKind::fixed;
  } else if (q <= o.slow_tolerance) {
    jacobian(x, d, j);
    out.kind = stationarity(j, g) <= o.stationary_tolerance ? PointKind::slow : PointKind::not_converged;
  } else {
    out.kind = PointKind::not_converged;
  }
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
