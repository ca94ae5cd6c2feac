#pragma once
// The training objective of one network on one task: noise draws, the
// constraints (Theta -> effective weights) and the BPTT loss (MSE or
// cross-entropy, train/loss.hpp) and gradient.
// Kept apart from the optimiser (train/adam.hpp), as in ensmallen.
// With several threads the chunks of each batch run in parallel (see
// BatchChunks in train/bptt.hpp): the same bits for any thread count.
#include <memory>

#include "model/constraints.hpp"
#include "model/spec.hpp"
#include "tasks/task.hpp"
#include "train/bptt.hpp"
#include "util/rng.hpp"

namespace rnnlab {

class Objective {
 public:
  Objective(const ModelSpec& spec, Constraints constraints, Regularisation reg, LossKind loss = LossKind::mse);

  // Threads for the chunks of a batch (1: all on the calling thread).
  void set_threads(int threads);
  int threads() const { return pool_ ? pool_->threads() : 1; }

  // Loss and dL/dTheta on `batch` (theta.log_tau, when there, is trained too). Input and recurrent noise (sigma_in,
  // sigma_rec of the spec) are drawn from `noise_rng`.
  LossTerms<float> loss_and_gradient(const Weights<float>& theta, const TrialBatch& batch, Rng& noise_rng,
                                     Weights<float>& grad);

  // Loss without gradient; the outputs (O x T*B) are left in outputs().
  // noise_rng == nullptr runs the network noiselessly.
  LossTerms<float> evaluate(const Weights<float>& theta, const TrialBatch& batch, Rng* noise_rng);
  // In the batch layout of TrialBatch.
  const Eigen::MatrixXf& outputs() const { return outputs_; }

 private:
  // The batch in the chunked layout of chunks_: noisy inputs in inputs_,
  // targets_, mask_, and recurrent noise in rec_noise_; returns the noise
  // pointer for forward().
  const Eigen::MatrixXf* prepare(const TrialBatch& batch, Rng* rng);
  // unit_alpha_ from theta's learned time constants (empty when tau is fixed).
  void set_leak(const Weights<float>& theta);
  // The loss and the batch's per-output mask (if any, in the chunked layout), for bptt.
  OutputLoss<float> output_loss() const;

  ModelSpec spec_;
  Constraints constraints_;
  Regularisation reg_;
  LossKind loss_;
  Rollout<float> work_;
  Weights<float> grad_effective_;
  BatchChunks chunks_;
  Eigen::MatrixXf noisy_inputs_, inputs_, targets_, output_mask_, rec_noise_, outputs_;
  Eigen::RowVectorXf mask_;
  Eigen::VectorXf unit_alpha_, grad_alpha_;  // a_i = dt / tau_i and dL/da_i (train.learn_tau only)
  std::shared_ptr<ThreadPool> pool_;  // null: one thread
};

}  // namespace rnnlab
