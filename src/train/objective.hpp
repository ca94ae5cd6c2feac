#pragma once
// The training objective of one network on one task: noise draws, the
// constraints (Theta -> effective weights) and the BPTT loss (MSE or
// cross-entropy, train/loss.hpp) and gradient.
// Kept apart from the optimiser (train/adam.hpp), as in ensmallen.
#include "model/constraints.hpp"
#include "model/spec.hpp"
#include "tasks/task.hpp"
#include "train/bptt.hpp"
#include "util/rng.hpp"

namespace rnnlab {

class Objective {
 public:
  Objective(const ModelSpec& spec, Constraints constraints, Regularisation reg, LossKind loss = LossKind::mse);

  // Loss and dL/dTheta on `batch`. Input and recurrent noise (sigma_in,
  // sigma_rec of the spec) are drawn from `noise_rng`.
  LossTerms<float> loss_and_gradient(const Weights<float>& theta, const TrialBatch& batch, Rng& noise_rng,
                                     Weights<float>& grad);

  // Loss without gradient; the outputs (O x T*B) are left in outputs().
  // noise_rng == nullptr runs the network noiselessly.
  LossTerms<float> evaluate(const Weights<float>& theta, const TrialBatch& batch, Rng* noise_rng);
  const Eigen::MatrixXf& outputs() const { return work_.y; }

 private:
  // Noisy inputs in inputs_, recurrent noise in rec_noise_; returns the noise pointer for forward().
  const Eigen::MatrixXf* draw_noise(const TrialBatch& batch, Rng* rng);
  // The loss and the batch's per-output mask (if any), for bptt.
  OutputLoss<float> output_loss(const TrialBatch& batch) const;

  ModelSpec spec_;
  Constraints constraints_;
  Regularisation reg_;
  LossKind loss_;
  Rollout<float> work_;
  Weights<float> grad_effective_;
  Eigen::MatrixXf inputs_, rec_noise_;
};

}  // namespace rnnlab
