#pragma once
// A network as analysis sees it: effective weights in float64 (constraints
// already applied), the leak alpha = dt / tau and the activation. This is what
// the file stores under trained/, what importers produce and what every
// analysis function takes.
#include <string>

#include "model/activation.hpp"
#include "model/weights.hpp"

namespace rnnlab {

struct Network : Weights<double> {
  double alpha = 1.0;                    // dt / tau; 1 is the discrete (Keras/PyTorch) network
  double dt = 1.0;                       // ms per step (for frequencies in Hz)
  Activation activation = Activation::tanh;
  Eigen::VectorXd sign;                  // Dale's law sign per unit (+1 E, -1 I); empty without Dale

  // One step of the noiseless map F(x, u) = (1-a) x + a (W_rec phi(x) + W_in u + b).
  Eigen::VectorXd step(const Eigen::VectorXd& x, const Eigen::VectorXd& u) const {
    Eigen::VectorXd r(x.size());
    apply_phi(activation, x, r);
    return (1.0 - alpha) * x + alpha * (w_rec * r + w_in * u + b);
  }
};

}  // namespace rnnlab
