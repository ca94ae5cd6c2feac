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

#include "model/activation.hpp"
#include "model/weights.hpp"
#include "train/loss.hpp"

namespace rnnlab {

struct Regularisation {
  double l2_weights = 0.0;
  double l2_rates = 0.0;
};

// What the forward pass keeps for the backward pass. Layout as TrialBatch:
// column t * trials + b.
template <class S>
struct Rollout {
  int steps = 0, trials = 0;
  MatrixX<S> x;  // N x (T*B) states
  MatrixX<S> r;  // N x (T*B) rates
  MatrixX<S> y;  // O x (T*B) outputs
};

template <class S>
struct LossTerms {
  S output = 0, l2_weights = 0, l2_rates = 0;  // output: the MSE or cross-entropy (train.loss)
  S total() const { return output + l2_weights + l2_rates; }
};

// Runs the network on `inputs` (I x T*B). `rec_noise` (N x T*B, already scaled
// by sqrt(2a) sigma_rec) may be null for a noiseless run.
template <class S>
void forward(const Weights<S>& w, S alpha, Activation activation, const MatrixX<S>& inputs, int steps,
             int trials, const MatrixX<S>* rec_noise, Rollout<S>& out);

template <class S>
LossTerms<S> loss(const Weights<S>& w, const Rollout<S>& rollout, const MatrixX<S>& targets,
                  const RowVectorX<S>& mask, const Regularisation& reg, const OutputLoss<S>& how = {});

// Forward + backward. `grad` receives dL/d(effective weights) in every array
// (x0 included; the caller decides what is trained). `work` is reused between calls.
template <class S>
LossTerms<S> loss_and_gradient(const Weights<S>& w, S alpha, Activation activation, const MatrixX<S>& inputs,
                               const MatrixX<S>& targets, const RowVectorX<S>& mask, int steps, int trials,
                               const MatrixX<S>* rec_noise, const Regularisation& reg, Rollout<S>& work,
                               Weights<S>& grad, const OutputLoss<S>& how = {});

}  // namespace rnnlab
