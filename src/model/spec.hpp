#pragma once
// Everything the [model] section of a config says: the model's shape, its
// constraints and how it is initialised. Defaults here are the documented defaults.
#include <string>
#include <vector>

#include "model/activation.hpp"

namespace rnnlab {

// keras: Keras's SimpleRNN + Dense defaults (orthogonal W_rec, glorot_uniform W_in and W_out).
enum class InitKind { normal, orthogonal, ei, keras };
enum class X0Mode { zero, fixed, learned };

struct ModelSpec {
  int units = 64;
  int inputs = 1;   // set from the task
  int outputs = 1;  // set from the task
  Activation activation = Activation::tanh;
  double dt = 10.0;   // ms per step
  double tau = 100.0; // ms; tau == dt is the discrete network
  double alpha() const { return dt / tau; }
  // The smallest time constant a learned tau may take (train.learn_tau,
  // model/time_constants.hpp); 0 means dt, so that every a_i = dt / tau_i stays in (0, 1].
  double tau_min = 0.0;
  double tau_floor() const { return tau_min > 0 ? tau_min : dt; }

  // Initialisation of W_rec (docs/model.md "Initialisation").
  InitKind init = InitKind::normal;
  double gain = 1.0;             // normal: W ~ N(0, g^2/N); orthogonal: all |l| = g
  double spectral_radius = 0.0;  // > 0: rescale W_rec to this spectral radius after init
  // E/I (Rajan & Abbott 2006): column means mu/sqrt(N), variances sigma^2/N.
  double mu_e = 1.0, mu_i = -4.0, sigma_e = 1.0, sigma_i = 1.0;
  bool balance = true;        // ei: choose mu_i so that f mu_e + (1-f) mu_i = 0
  bool zero_row_sums = false; // ei: subtract each row's mean (confines the bulk)
  double input_gain = 1.0;    // W_in ~ N(0, input_gain^2 / I)
  double x0_std = 0.1;        // x0 "fixed"/"learned": x0 ~ N(0, x0_std^2) at init

  bool bias = true;
  X0Mode x0 = X0Mode::zero;
  double sigma_rec = 0.0, sigma_in = 0.0;

  // Constraints (docs/model.md "Constraints").
  bool dale = false;
  double e_fraction = 0.8;
  bool input_nonnegative = false;
  bool readout_excitatory = false;
  double connectivity = 1.0;  // probability of a connection
  bool autapses = true;
  std::vector<std::string> freeze;  // names of frozen arrays: w_in, w_rec, w_out, b, b_out, x0
};

std::string to_string(InitKind kind);
std::string to_string(X0Mode mode);

}  // namespace rnnlab
