#pragma once
// The output loss and its gradient dL/dy, which starts the backward pass
// (train/bptt.cpp). y and the targets are O x (T*B), one column c per (step,
// trial) as in TrialBatch; `mask` (T*B) weighs each column and the optional
// `output_mask` (O x T*B) each output of it.
//
//   mse:  w_oc = mask_c * output_mask_oc (output_mask_oc = 1 without one)
//         L     = sum_oc w_oc (y_oc - target_oc)^2 / sum_oc w_oc
//         dL/dy = 2 w_oc (y_oc - target_oc) / sum_oc w_oc
//         With a (T*B) mask alone this is sum_c mask_c sum_o (y - target)^2 / (O sum_c mask_c).
//   cross_entropy:  p_c = softmax(y_c) over the O outputs, w_c = mask_c (* output_mask_0c,
//         which must be the same for every output: tasks/loss_kind.hpp)
//         L     = -sum_c w_c sum_o target_oc log p_oc / sum_c w_c
//         dL/dy = w_c (p_oc sum_o' target_o'c - target_oc) / sum_c w_c     (p - target for one-hot)
//         log p is computed as y - logsumexp(y), stable for any y.
// A mask that weighs nothing gives L = 0 and dL/dy = 0.
#include "model/weights.hpp"
#include "tasks/loss_kind.hpp"

namespace rnnlab {

template <class S>
using RowVectorX = Eigen::Matrix<S, 1, Eigen::Dynamic>;

// How outputs are scored beyond the (T*B) mask: the loss, and a per-output mask (or null).
template <class S>
struct OutputLoss {
  LossKind kind = LossKind::mse;
  const MatrixX<S>* output_mask = nullptr;
};

// The loss L; when `dy` is not null it receives dL/dy (O x T*B).
template <class S>
S output_loss(const OutputLoss<S>& how, const MatrixX<S>& y, const MatrixX<S>& targets, const RowVectorX<S>& mask,
              MatrixX<S>* dy);

}  // namespace rnnlab
