#pragma once
// Everything the [train] section of a config says: how one network is
// trained (docs/config.md "[train]"). Parsed by io/config.hpp and taken by
// the trainer (train/trainer.hpp), which therefore needs nothing of the
// config file; this folder sits between model/tasks and io/train for that.
#include <cstdint>
#include <string>

#include "tasks/loss_kind.hpp"

namespace rnnlab {

struct TrainSpec {
  int iterations = 2000;
  int batch = 32;
  double learning_rate = 1e-3;
  LossKind loss = LossKind::mse;  // mse | cross_entropy (tasks/loss_kind.hpp)
  double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;  // Adam
  double clip = 1.0;            // gradient-norm clipping threshold; 0 = off
  double l2_weights = 0.0;      // times the mean squared weight of W_in, W_rec, W_out
  double l2_rates = 0.0;        // times the mean squared rate
  double target_loss = 0.0;     // stop when the validation loss falls below; 0 = off
  int validate_every = 100;     // iterations
  int validation_trials = 256;
  int checkpoint_every = 500;   // iterations; 0 = off
  std::uint64_t seed = 1;       // first seed of the ensemble
  bool learn_tau = false;       // one trained time constant per unit (docs/model.md "Time constants")
  std::string init_from;        // "FILE.h5:N": start from that trained network (train/warm_start.hpp); "" = off
};

}  // namespace rnnlab
