#pragma once
// Linearisation of the noiseless map F(x, u) = (1-a) x + a (W_rec phi(x) + W_in u + b)
// and the conversions between discrete and continuous time (docs/ground-truths.md).
#include <Eigen/Dense>
#include <cmath>
#include <complex>

#include "model/network.hpp"

namespace rnnlab {

// dF/dx at x: (1 - a) I + a W_rec diag(phi'(x)).
inline Eigen::MatrixXd jacobian_state(const Network& net, const Eigen::VectorXd& x) {
  Eigen::VectorXd d(x.size());
  apply_dphi(net.activation, x, d);
  Eigen::MatrixXd j = net.alpha * (net.w_rec * d.asDiagonal());
  j.diagonal().array() += 1.0 - net.alpha;
  return j;
}

// dF/du: a W_in (does not depend on x or u).
inline Eigen::MatrixXd jacobian_input(const Network& net) { return net.alpha * net.w_in; }

// A discrete-time eigenvalue l of the step map, as a continuous-time rate
// (l - 1) / a in units of 1/tau.
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
