#pragma once
// Constraints turn the trained parameters Theta into the effective weights:
//
//   W_rec = M * f(Theta_rec) * diag(s)     f = |.| under Dale's law, identity otherwise
//   W_in  = |Theta_in|                     if inputs are non-negative
//   W_out = Theta_out * diag(s > 0)        if the readout is from excitatory units only
//
// and carry gradients back the other way (chain rule through M, |.| and the masks).
// Frozen arrays get zero gradient. Masked weights are exactly 0 at all times.
#include <Eigen/Dense>

#include "model/spec.hpp"
#include "model/weights.hpp"
#include "util/rng.hpp"

namespace rnnlab {

struct Constraints {
  Eigen::VectorXd sign;      // +1 / -1 per unit under Dale; empty otherwise
  Eigen::MatrixXd mask_rec;  // N x N of 0/1 (all ones when dense with autapses)
  bool input_nonnegative = false;
  bool readout_excitatory = false;
  bool bias = true;
  bool learn_x0 = false;
  // Which arrays are trained, in the order of Weights: w_in, w_rec, w_out, b, b_out, x0.
  bool train_w_in = true, train_w_rec = true, train_w_out = true, train_b = true, train_b_out = true;

  bool dale() const { return sign.size() > 0; }

  // Draws the sign vector and the connectivity mask for `spec` from `rng`.
  static Constraints from_spec(const ModelSpec& spec, Rng& rng);

  template <class S>
  Weights<S> effective(const Weights<S>& theta) const;

  // d loss / d theta from d loss / d effective weights (same shapes).
  template <class S>
  Weights<S> chain_to_theta(const Weights<S>& theta, const Weights<S>& grad_effective) const;
};

}  // namespace rnnlab
