#pragma once
// The forward pass and its hand-written backward pass (backpropagation through time).
//
// Forward, for t = 0 .. T-1, every trial b of the batch in one column:
//   x_t = (1 - a) x_{t-1} + a (W_rec r_{t-1} + W_in u_t + b) + noise_t,   r_t = phi(x_t)
//   y_t = W_out r_t + b_out,        x_{-1} = x0 (the same for every trial)
//
// Loss (what the trainer minimises):
//   L = output + l2_weights * mean(W^2 over W_in, W_rec, W_out) + l2_rates * mean(r^2)
//   output: the masked MSE or cross-entropy of train/loss.hpp, which also gives dL/dy.
//
// The gradient is with respect to the EFFECTIVE weights (constraints applied);
// Constraints::chain_to_theta carries it to the trained parameters.
// Templated on the scalar: float32 for training, float64 for the finite-
// difference checks in tests/test_gradient.cpp.
#include <Eigen/Dense>

#include <algorithm>
#include <vector>

#include "model/activation.hpp"
#include "model/network.hpp"
#include "model/weights.hpp"
#include "train/loss.hpp"
#include "util/thread_pool.hpp"

namespace rnnlab {

struct Regularisation {
  double l2_weights = 0.0;
  double l2_rates = 0.0;
};

// Trials are independent, so a batch can be cut into chunks of trials that
// run the whole forward and backward pass on their own, on different
// threads, and each chunk's share of the weight gradient summed afterwards.
// The chunks have a fixed size (kTrialsPerChunk, never the thread count) and
// the sum runs in chunk order, so the result has the same bits for any
// number of threads; one thread runs the same chunks one after the other.
//
// Chunked layout: chunk c holds trials first_trial(c) .. first_trial(c) +
// trials_in(c) - 1 as one block of columns starting at first_column(c), in
// the batch layout of its own trials (column t * trials_in(c) + b). One chunk
// (size >= trials) is the plain batch layout of TrialBatch (t * trials + b).
inline constexpr int kTrialsPerChunk = 16;

struct BatchChunks {
  int steps = 0, trials = 0, size = 1;  // size: trials per chunk (the last one may have fewer)

  BatchChunks() = default;
  BatchChunks(int steps_, int trials_, int size_) : steps(steps_), trials(trials_), size(std::max(1, size_)) {}
  int count() const { return (trials + size - 1) / size; }
  int first_trial(int c) const { return c * size; }
  int trials_in(int c) const { return std::min(size, trials - c * size); }
  Eigen::Index first_column(int c) const { return static_cast<Eigen::Index>(first_trial(c)) * steps; }
  Eigen::Index columns(int c) const { return static_cast<Eigen::Index>(trials_in(c)) * steps; }
  // Where column t * trials + b of the batch layout goes in the chunked layout.
  Eigen::Index chunked_column(Eigen::Index batch_column) const {
    const int t = static_cast<int>(batch_column / trials), b = static_cast<int>(batch_column % trials);
    const int c = b / size;
    return first_column(c) + static_cast<Eigen::Index>(t) * trials_in(c) + (b - first_trial(c));
  }
};

// Batch layout -> chunked layout (to_chunked) and back (from_chunked), for
// any matrix or row vector with steps * trials columns.
template <class M>
void to_chunked(const M& batch, const BatchChunks& chunks, M& chunked) {
  chunked.resize(batch.rows(), batch.cols());
  for (int c = 0; c < chunks.count(); ++c)
    for (int t = 0; t < chunks.steps; ++t)
      chunked.middleCols(chunks.first_column(c) + static_cast<Eigen::Index>(t) * chunks.trials_in(c),
                         chunks.trials_in(c)) =
          batch.middleCols(static_cast<Eigen::Index>(t) * chunks.trials + chunks.first_trial(c), chunks.trials_in(c));
}

template <class M>
void from_chunked(const M& chunked, const BatchChunks& chunks, M& batch) {
  batch.resize(chunked.rows(), chunked.cols());
  for (int c = 0; c < chunks.count(); ++c)
    for (int t = 0; t < chunks.steps; ++t)
      batch.middleCols(static_cast<Eigen::Index>(t) * chunks.trials + chunks.first_trial(c), chunks.trials_in(c)) =
          chunked.middleCols(chunks.first_column(c) + static_cast<Eigen::Index>(t) * chunks.trials_in(c),
                             chunks.trials_in(c));
}

// What the forward pass keeps for the backward pass, in the chunked layout
// of `chunks`, and the backward pass's work space (reused between calls).
template <class S>
struct Rollout {
  BatchChunks chunks;
  MatrixX<S> x;  // N x (T*B) states
  MatrixX<S> r;  // N x (T*B) rates
  MatrixX<S> y;  // O x (T*B) outputs
  MatrixX<S> dy, delta;                 // dL/dy, and the drive gradients a dX_t
  std::vector<Weights<S>> chunk_grads;  // each chunk's share of the gradient
  std::vector<VectorX<S>> chunk_grad_alpha;  // each chunk's share of dL/da (per-unit leak only)
};

template <class S>
struct LossTerms {
  S output = 0, l2_weights = 0, l2_rates = 0;  // output: the MSE or cross-entropy (train.loss)
  S total() const { return output + l2_weights + l2_rates; }
};

// Runs the network on `inputs` (I x T*B, in the chunked layout of `chunks`).
// `rec_noise` (N x T*B, same layout, already scaled by sqrt(2a) sigma_rec)
// may be null for a noiseless run. `pool` (may be null) runs the chunks.
template <class S>
void forward(const Weights<S>& w, S alpha, Activation activation, const MatrixX<S>& inputs,
             const BatchChunks& chunks, const MatrixX<S>* rec_noise, Rollout<S>& out, ThreadPool* pool);

// The same on one chunk: `inputs` in the batch layout of TrialBatch.
template <class S>
void forward(const Weights<S>& w, S alpha, Activation activation, const MatrixX<S>& inputs, int steps,
             int trials, const MatrixX<S>* rec_noise, Rollout<S>& out);

// Per-unit leak (docs/model.md "Time constants"): alpha (N) holds a_i = dt / tau_i,
//   x_t = (1 - a) . x_{t-1} + a . (W_rec r_{t-1} + W_in u_t + b) + noise_t   (. elementwise).
// With every a_i equal it computes what the scalar overloads compute; those
// stay the code of fixed-tau networks.
template <class S>
void forward(const Weights<S>& w, const VectorX<S>& alpha, Activation activation, const MatrixX<S>& inputs,
             const BatchChunks& chunks, const MatrixX<S>* rec_noise, Rollout<S>& out, ThreadPool* pool);
template <class S>
void forward(const Weights<S>& w, const VectorX<S>& alpha, Activation activation, const MatrixX<S>& inputs,
             int steps, int trials, const MatrixX<S>* rec_noise, Rollout<S>& out);

// A stored Network's forward pass (float64, one chunk): its one alpha, or
// diag(a) when it has one tau per unit. What simulation and evaluation run.
void forward(const Network& net, const Eigen::MatrixXd& inputs, int steps, int trials,
             const Eigen::MatrixXd* rec_noise, Rollout<double>& out);

template <class S>
LossTerms<S> loss(const Weights<S>& w, const Rollout<S>& rollout, const MatrixX<S>& targets,
                  const RowVectorX<S>& mask, const Regularisation& reg, const OutputLoss<S>& how = {});

// Forward + backward. `grad` receives dL/d(effective weights) in every array
// (x0 included; the caller decides what is trained). `work` is reused between
// calls. inputs, targets, mask, rec_noise and how.output_mask in the chunked
// layout of `chunks`.
template <class S>
LossTerms<S> loss_and_gradient(const Weights<S>& w, S alpha, Activation activation, const MatrixX<S>& inputs,
                               const MatrixX<S>& targets, const RowVectorX<S>& mask, const BatchChunks& chunks,
                               const MatrixX<S>* rec_noise, const Regularisation& reg, Rollout<S>& work,
                               Weights<S>& grad, ThreadPool* pool, const OutputLoss<S>& how = {});

// The same on one chunk, in the batch layout of TrialBatch.
template <class S>
LossTerms<S> loss_and_gradient(const Weights<S>& w, S alpha, Activation activation, const MatrixX<S>& inputs,
                               const MatrixX<S>& targets, const RowVectorX<S>& mask, int steps, int trials,
                               const MatrixX<S>* rec_noise, const Regularisation& reg, Rollout<S>& work,
                               Weights<S>& grad, const OutputLoss<S>& how = {});

// Per-unit leak alpha (N), with grad_alpha = dL/da_i (N) besides. rec_noise
// must be the model's noise, sqrt(2 a_i) sigma_rec N(0, 1) per unit and step:
// it scales with a, and dL/da includes that share (train/bptt.cpp).
template <class S>
LossTerms<S> loss_and_gradient(const Weights<S>& w, const VectorX<S>& alpha, Activation activation,
                               const MatrixX<S>& inputs, const MatrixX<S>& targets, const RowVectorX<S>& mask,
                               const BatchChunks& chunks, const MatrixX<S>* rec_noise, const Regularisation& reg,
                               Rollout<S>& work, Weights<S>& grad, VectorX<S>& grad_alpha, ThreadPool* pool,
                               const OutputLoss<S>& how = {});
template <class S>
LossTerms<S> loss_and_gradient(const Weights<S>& w, const VectorX<S>& alpha, Activation activation,
                               const MatrixX<S>& inputs, const MatrixX<S>& targets, const RowVectorX<S>& mask,
                               int steps, int trials, const MatrixX<S>* rec_noise, const Regularisation& reg,
                               Rollout<S>& work, Weights<S>& grad, VectorX<S>& grad_alpha,
                               const OutputLoss<S>& how = {});

}  // namespace rnnlab
