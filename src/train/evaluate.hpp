#pragma once
// Loss and accuracy of a network on fresh trials of a task: noise off unless
// asked for. Noise off is what "held-out accuracy" means everywhere in rnnlab
// (tests, `rnnlab eval`); `rnnlab eval --sigma-rec/--sigma-in` adds noise.
#include <cstdint>

#include "model/network.hpp"
#include "tasks/task.hpp"
#include "train/bptt.hpp"

namespace rnnlab {

struct Evaluation {
  double loss = 0;      // the network's training loss (train/loss.hpp) of kind `loss_kind`, without L2 terms
  double accuracy = 0;  // the task's rule
  int trials = 0;
  LossKind loss_kind = LossKind::mse;
};

// Noise during evaluation, in the model's units (docs/model.md "Noise", as
// model.sigma_rec and model.sigma_in in training): recurrent noise
// sqrt(2 alpha) sigma_rec N(0, 1) per unit and step, input noise sigma_in N(0, 1)
// per input and step. Zero for both is the noiseless run.
struct EvalNoise {
  double sigma_rec = 0.0;
  double sigma_in = 0.0;
  bool off() const { return sigma_rec == 0.0 && sigma_in == 0.0; }
};

// Runs `net` (float64) on `trials` trials drawn from Rng::stream(seed, Purpose::eval),
// with noise (when on) from Rng::stream(seed, Purpose::eval, 1): the same seed gives the same numbers.
// The loss is `loss_kind` (the network's train.loss: a cross-entropy network is
// judged by its cross-entropy, not by an MSE it never minimised), weighted by
// the batch's mask and per-output mask exactly as in training.
Evaluation evaluate(const Network& net, const Task& task, int trials, std::uint64_t seed,
                    const EvalNoise& noise = {}, LossKind loss_kind = LossKind::mse);

// The loss (`loss_kind`, with the batch's mask and per-output mask, as in
// training) and the task's accuracy of a rollout of `net` on `batch`: what
// evaluate() reports, for callers that run the network themselves (a kick).
Evaluation score_rollout(const Network& net, const Task& task, const TrialBatch& batch, const Rollout<double>& rollout,
                         LossKind loss_kind);

// The noiseless rollout of `net` on a batch (states, rates, outputs; float64).
Rollout<double> simulate(const Network& net, const TrialBatch& batch);

}  // namespace rnnlab
