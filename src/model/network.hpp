#pragma once
// A network as analysis sees it: effective weights in float64 (constraints
// already applied), the leak alpha = dt / tau and the activation. This is what
// the file stores under trained/, what importers produce and what every
// analysis function takes.
//
// Time constants: a network has one tau for every unit (alpha, as always), or,
// trained with train.learn_tau, one tau_i per unit (unit_tau, ms). Then the
// leak is diag(a), a_i = dt / tau_i, and alpha is the reference leak
// dt / mean(tau_i): the one that turns "per tau" units (speeds, continuous
// eigenvalues) into "per mean tau" (docs/model.md "Time constants").
#include <string>

#include "model/activation.hpp"
#include "model/weights.hpp"

namespace rnnlab {

struct Network : Weights<double> {
  double alpha = 1.0;                    // dt / tau; 1 is the discrete (Keras/PyTorch) network
  double dt = 1.0;                       // ms per step (for frequencies in Hz)
  Activation activation = Activation::tanh;
  Eigen::VectorXd sign;                  // Dale's law sign per unit (+1 E, -1 I); empty without Dale
  Eigen::VectorXd unit_tau;              // ms per unit when they differ; empty: every unit has dt / alpha

  bool per_unit_tau() const { return unit_tau.size() > 0; }
  // a_i = dt / tau_i for every unit (alpha repeated when the network has one tau).
  Eigen::VectorXd unit_alpha() const {
    if (!per_unit_tau()) return Eigen::VectorXd::Constant(units(), alpha);
    return (dt / unit_tau.array()).matrix();
  }
  // Sets the time constants from one tau_i per unit (ms). All equal: the
  // one-tau network, stored and run exactly as before per-unit taus existed.
  void set_unit_tau(const Eigen::VectorXd& tau) {
    if (tau.size() == 0 || (tau.array() == tau(0)).all()) {
      unit_tau.resize(0);
      if (tau.size() > 0) alpha = dt / tau(0);
      return;
    }
    unit_tau = tau;
    alpha = dt / tau.mean();
  }

  // One step of the noiseless map F(x, u) = (1-a) x + a (W_rec phi(x) + W_in u + b), a per unit.
  Eigen::VectorXd step(const Eigen::VectorXd& x, const Eigen::VectorXd& u) const {
    Eigen::VectorXd r(x.size());
    apply_phi(activation, x, r);
    if (per_unit_tau()) {
      const Eigen::ArrayXd a = unit_alpha().array();
      return ((1.0 - a) * x.array() + a * (w_rec * r + w_in * u + b).array()).matrix();
    }
    return (1.0 - alpha) * x + alpha * (w_rec * r + w_in * u + b);
  }
};

}  // namespace rnnlab
