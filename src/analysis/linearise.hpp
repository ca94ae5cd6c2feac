#pragma once
// Linearisation of the noiseless map F(x, u) = (1-a) x + a (W_rec phi(x) + W_in u + b)
// and the conversions between discrete and continuous time (docs/ground-truths.md).
#include <Eigen/Dense>
#include <cmath>
#include <complex>

#include "model/network.hpp"

namespace rnnlab {

// dF/dx at x: (1 - a) I + a W_rec diag(phi'(x)); with one tau per unit
// (Network::unit_tau) I - diag(a) + diag(a) W_rec diag(phi'(x)).
inline Eigen::MatrixXd jacobian_state(const Network& net, const Eigen::VectorXd& x) {
  Eigen::VectorXd d(x.size());
  apply_dphi(net.activation, x, d);
  if (net.per_unit_tau()) {
    const Eigen::VectorXd a = net.unit_alpha();
    Eigen::MatrixXd j = a.asDiagonal() * net.w_rec * d.asDiagonal();
    j.diagonal().array() += 1.0 - a.array();
    return j;
  }
  Eigen::MatrixXd j = net.alpha * (net.w_rec * d.asDiagonal());
  j.diagonal().array() += 1.0 - net.alpha;
  return j;
}

// dF/du: diag(a) W_in (does not depend on x or u).
inline Eigen::MatrixXd jacobian_input(const Network& net) {
  if (net.per_unit_tau()) return net.unit_alpha().asDiagonal() * net.w_in;
  return net.alpha * net.w_in;
}

// The fixed-point solver's pieces of g(x) = F(x) - x = a (W_rec phi(x) + c - x),
// a the one alpha or diag(a) per unit: g *= a, and dg/dx = a W_rec diag(d) - a I.
// The one-alpha forms are the solver's own, kept so that its bits do not move.
inline void scale_by_leak(const Network& net, Eigen::VectorXd& g) {
  if (net.per_unit_tau())
    g.array() *= net.unit_alpha().array();
  else
    g *= net.alpha;
}
inline void residual_jacobian(const Network& net, const Eigen::VectorXd& d, Eigen::MatrixXd& j) {
  if (net.per_unit_tau()) {
    const Eigen::VectorXd a = net.unit_alpha();
    j.noalias() = a.asDiagonal() * net.w_rec * d.asDiagonal();
    j.diagonal() -= a;
    return;
  }
  j.noalias() = net.alpha * (net.w_rec * d.asDiagonal());
  j.diagonal().array() -= net.alpha;
}
// The second-order part of q's Hessian, sum_i g_i d2g_i/dx2 (diagonal):
// s_k = phi''(x_k) (W_rec^T (a g))_k, from dd = phi''(x).
inline void residual_curvature(const Network& net, const Eigen::VectorXd& g, const Eigen::VectorXd& dd,
                               Eigen::VectorXd& s) {
  if (net.per_unit_tau()) {
    s.noalias() = net.w_rec.transpose() * (net.unit_alpha().cwiseProduct(g));
    s.array() *= dd.array();
    return;
  }
  s.noalias() = net.w_rec.transpose() * g;
  s.array() *= net.alpha * dd.array();
}
// The largest a_i (alpha for a one-tau network): bounds on |J| and roundoff.
inline double largest_alpha(const Network& net) {
  return net.per_unit_tau() ? net.unit_alpha().maxCoeff() : net.alpha;
}

// A discrete-time eigenvalue l of the step map, as a continuous-time rate
// (l - 1) / a in units of 1/tau. With one tau per unit pass the network's
// alpha = dt / mean(tau): the rate is then in 1/mean(tau), exactly
// (l - 1) / dt times mean(tau).
inline std::complex<double> continuous_eigenvalue(std::complex<double> l, double alpha) {
  return (l - 1.0) / alpha;
}
// Time constant -tau / Re(mu) in ms for a continuous eigenvalue mu (1/tau units); inf if Re >= 0.
inline double time_constant_ms(std::complex<double> mu, double tau_ms) {
  return mu.real() < 0 ? -tau_ms / mu.real() : INFINITY;
}
// Oscillation frequency arg(l) / (2 pi dt) of a discrete eigenvalue, in Hz (dt in ms).
inline double frequency_hz(std::complex<double> l, double dt_ms) {
  return std::abs(std::arg(l)) / (2.0 * M_PI * dt_ms * 1e-3);
}

}  // namespace rnnlab
