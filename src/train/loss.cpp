#include "train/loss.hpp"

#include <cmath>

namespace rnnlab {

namespace {

template <class S>
S mse(const MatrixX<S>& y, const MatrixX<S>& targets, const RowVectorX<S>& mask, const MatrixX<S>* output_mask,
      MatrixX<S>* dy) {
  const MatrixX<S> err = y - targets;
  if (!output_mask) {
    // One weight per column: sum_c mask_c sum_o err^2 / (O sum_c mask_c).
    const S weight_sum = static_cast<S>(y.rows()) * mask.sum();
    if (!(weight_sum > 0)) {
      if (dy) dy->setZero(y.rows(), y.cols());
      return S(0);
    }
    if (dy) *dy = err * (S(2) / weight_sum) * mask.asDiagonal();
    return (err.array().square().colwise().sum() * mask.array()).sum() / weight_sum;
  }
  const MatrixX<S> weight = mask.replicate(y.rows(), 1).cwiseProduct(*output_mask);
  const S weight_sum = weight.sum();
  if (!(weight_sum > 0)) {
    if (dy) dy->setZero(y.rows(), y.cols());
    return S(0);
  }
  if (dy) *dy = (S(2) / weight_sum) * weight.cwiseProduct(err);
  return (weight.array() * err.array().square()).sum() / weight_sum;
}

template <class S>
S cross_entropy(const MatrixX<S>& y, const MatrixX<S>& targets, const RowVectorX<S>& mask,
                const MatrixX<S>* output_mask, MatrixX<S>* dy) {
  RowVectorX<S> weight = mask;
  if (output_mask) weight.array() *= output_mask->row(0).array();
  const S weight_sum = weight.sum();
  if (dy) dy->setZero(y.rows(), y.cols());
  if (!(weight_sum > 0)) return S(0);
  S total = 0;
  for (Eigen::Index c = 0; c < y.cols(); ++c) {
    if (weight(c) == S(0)) continue;
    const auto yc = y.col(c);
    const auto tc = targets.col(c);
    const S top = yc.maxCoeff();
    const S log_sum = top + std::log((yc.array() - top).exp().sum());  // logsumexp(y_c)
    // -sum_o t_o (y_o - logsumexp) = logsumexp * sum_o t_o - t . y
    total += weight(c) * (log_sum * tc.sum() - tc.dot(yc));
    if (dy) dy->col(c) = (weight(c) / weight_sum) * ((yc.array() - log_sum).exp().matrix() * tc.sum() - tc);
  }
  return total / weight_sum;
}

}  // namespace

template <class S>
S output_loss(const OutputLoss<S>& how, const MatrixX<S>& y, const MatrixX<S>& targets, const RowVectorX<S>& mask,
              MatrixX<S>* dy) {
  switch (how.kind) {
    case LossKind::cross_entropy: return cross_entropy(y, targets, mask, how.output_mask, dy);
    case LossKind::mse: break;
  }
  return mse(y, targets, mask, how.output_mask, dy);
}

template float output_loss<float>(const OutputLoss<float>&, const MatrixX<float>&, const MatrixX<float>&,
                                  const RowVectorX<float>&, MatrixX<float>*);
template double output_loss<double>(const OutputLoss<double>&, const MatrixX<double>&, const MatrixX<double>&,
                                    const RowVectorX<double>&, MatrixX<double>*);

}  // namespace rnnlab
