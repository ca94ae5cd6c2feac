#pragma once
// Learned time constants (train.learn_tau, docs/model.md "Time constants"):
// one tau_i per unit, trained through the parameter theta_i (Weights::log_tau):
//
//   tau_i = max(tau_min, tau exp(theta_i)),   a_i = dt / tau_i,   theta_i = 0 at the start.
//
// Why a log parametrisation: a time constant is a scale, and an Adam step on
// theta changes tau by the same relative amount whether it is 20 ms or 2 s;
// tau stays positive whatever the step; and theta = 0 gives exp(0) = 1, so
// every unit starts at exactly model.tau and the first forward pass is the
// fixed-tau network's. The floor tau_min (default dt) keeps a_i <= 1: the
// trainer clamps theta_i >= log(tau_min / tau) after each update
// (clamp_log_tau), and the max() keeps tau_i >= tau_min even where exp rounds
// below it. At the floor the gradient is the one from above (d tau/d theta =
// tau), so an update can lift tau off the bound again.
#include <Eigen/Dense>
#include <algorithm>
#include <cmath>

#include "model/spec.hpp"

namespace rnnlab {

// tau_i in ms from theta (float or double; computed in double).
template <class V>
Eigen::VectorXd unit_tau(const ModelSpec& spec, const V& log_tau) {
  Eigen::VectorXd tau(log_tau.size());
  for (Eigen::Index i = 0; i < tau.size(); ++i)
    tau(i) = std::max(spec.tau_floor(), spec.tau * std::exp(static_cast<double>(log_tau(i))));
  return tau;
}

// dL/dtheta_i from dL/da_i: a_i = dt / (tau exp(theta_i)) gives da_i/dtheta_i = -a_i.
template <class V>
V log_tau_gradient(const V& alpha, const V& grad_alpha) {
  return -alpha.cwiseProduct(grad_alpha);
}

// Keeps theta_i >= log(tau_min / tau), where tau_i reaches its floor.
template <class V>
void clamp_log_tau(const ModelSpec& spec, V& log_tau) {
  using S = typename V::Scalar;
  const S lowest = static_cast<S>(std::log(spec.tau_floor() / spec.tau));
  log_tau = log_tau.cwiseMax(lowest);
}

}  // namespace rnnlab
