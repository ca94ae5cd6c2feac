#include "train/bptt.hpp"

namespace rnnlab {

template <class S>
void forward(const Weights<S>& w, S alpha, Activation activation, const MatrixX<S>& inputs, int steps,
             int trials, const MatrixX<S>* rec_noise, Rollout<S>& out) {
  const int n = w.units();
  const Eigen::Index cols = static_cast<Eigen::Index>(steps) * trials;
  out.steps = steps;
  out.trials = trials;
  out.x.resize(n, cols);
  out.r.resize(n, cols);

  // The input drive of every step in one GEMM: x holds a (W_in u_t + b) for now
  // and is completed step by step below.
  out.x.noalias() = alpha * (w.w_in * inputs);
  out.x.colwise() += alpha * w.b;
  if (rec_noise) out.x += *rec_noise;

  // Step t = 0 starts from x0, the same for every trial.
  VectorX<S> r0(n);
  apply_phi(activation, w.x0, r0);
  const VectorX<S> drive0 = (S(1) - alpha) * w.x0 + alpha * (w.w_rec * r0);
  out.x.leftCols(trials).colwise() += drive0;
  apply_phi(activation, out.x.leftCols(trials), out.r.leftCols(trials));

  for (int t = 1; t < steps; ++t) {
    auto x_prev = out.x.middleCols(static_cast<Eigen::Index>(t - 1) * trials, trials);
    auto r_prev = out.r.middleCols(static_cast<Eigen::Index>(t - 1) * trials, trials);
    auto x_t = out.x.middleCols(static_cast<Eigen::Index>(t) * trials, trials);
    x_t.noalias() += alpha * (w.w_rec * r_prev);
    x_t += (S(1) - alpha) * x_prev;
    apply_phi(activation, x_t, out.r.middleCols(static_cast<Eigen::Index>(t) * trials, trials));
  }
  out.y.noalias() = w.w_out * out.r;
  out.y.colwise() += w.b_out;
}

namespace {

template <class S>
S weight_count(const Weights<S>& w) {
  return static_cast<S>(w.w_in.size() + w.w_rec.size() + w.w_out.size());
}

}  // namespace

template <class S>
LossTerms<S> loss(const Weights<S>& w, const Rollout<S>& rollout, const MatrixX<S>& targets,
                  const RowVectorX<S>& mask, const Regularisation& reg, const OutputLoss<S>& how) {
  LossTerms<S> terms;
  terms.output = output_loss(how, rollout.y, targets, mask, static_cast<MatrixX<S>*>(nullptr));
  if (reg.l2_weights > 0)
    terms.l2_weights = S(reg.l2_weights) *
                       (w.w_in.squaredNorm() + w.w_rec.squaredNorm() + w.w_out.squaredNorm()) / weight_count(w);
  if (reg.l2_rates > 0) terms.l2_rates = S(reg.l2_rates) * rollout.r.squaredNorm() / static_cast<S>(rollout.r.size());
  return terms;
}

template <class S>
LossTerms<S> loss_and_gradient(const Weights<S>& w, S alpha, Activation activation, const MatrixX<S>& inputs,
                               const MatrixX<S>& targets, const RowVectorX<S>& mask, int steps, int trials,
                               const MatrixX<S>* rec_noise, const Regularisation& reg, Rollout<S>& work,
                               Weights<S>& grad, const OutputLoss<S>& how) {
  forward(w, alpha, activation, inputs, steps, trials, rec_noise, work);
  const LossTerms<S> terms = loss(w, work, targets, mask, reg, how);
  const int n = w.units();
  const Eigen::Index B = trials;

  // dL/dy from the output loss (MSE or cross-entropy, train/loss.hpp); recomputing its
  // value there costs O(O T B), nothing beside the pass itself.
  MatrixX<S> dy;
  output_loss(how, work.y, targets, mask, &dy);

  // The part of dL/dr_t that comes directly from step t (readout and rate penalty).
  MatrixX<S> delta = w.w_out.transpose() * dy;  // becomes dL/dx_t below, in place
  if (reg.l2_rates > 0) delta += (S(2) * S(reg.l2_rates) / static_cast<S>(work.r.size())) * work.r;

  // Backward in time. With dX_T = 0:
  //   dX_t   = phi'(x_t) * (direct_t + W_rec^T (a dX_{t+1})) + (1 - a) dX_{t+1}
  // delta's block t is overwritten by a dX_t: the gradient of the
  // pre-activation drive (W_rec r_{t-1} + W_in u_t + b) at step t.
  MatrixX<S> dphi(n, B), from_next(n, B);
  for (int t = steps - 1; t >= 0; --t) {
    auto block = delta.middleCols(t * B, B);
    apply_dphi(activation, work.x.middleCols(t * B, B), dphi);
    if (t + 1 < steps) {
      auto d_drive_next = delta.middleCols((t + 1) * B, B);  // a dX_{t+1}
      from_next.noalias() = w.w_rec.transpose() * d_drive_next;
      block += from_next;
      block = dphi.cwiseProduct(block);
      block += ((S(1) - alpha) / alpha) * d_drive_next;  // (1-a) dX_{t+1}, as d_drive = a dX
    } else {
      block = dphi.cwiseProduct(block);
    }
    block *= alpha;  // now a dX_t
  }

  // Parameter gradients from the drive gradients, as whole-batch GEMMs.
  VectorX<S> r0(n), dphi0(n);
  apply_phi(activation, w.x0, r0);
  apply_dphi(activation, w.x0, dphi0);
  const VectorX<S> d_drive0 = delta.leftCols(B).rowwise().sum();
  grad.w_rec.noalias() = d_drive0 * r0.transpose();
  if (steps > 1)
    grad.w_rec.noalias() += delta.rightCols((steps - 1) * B) * work.r.leftCols((steps - 1) * B).transpose();
  grad.w_in.noalias() = delta * inputs.transpose();
  grad.b = delta.rowwise().sum();
  grad.w_out.noalias() = dy * work.r.transpose();
  grad.b_out = dy.rowwise().sum();
  // x0 feeds step 0 of every trial: through the leak and through phi.
  grad.x0 = dphi0.cwiseProduct(w.w_rec.transpose() * d_drive0) + ((S(1) - alpha) / alpha) * d_drive0;

  if (reg.l2_weights > 0) {
    const S scale = S(2) * S(reg.l2_weights) / weight_count(w);
    grad.w_in += scale * w.w_in;
    grad.w_rec += scale * w.w_rec;
    grad.w_out += scale * w.w_out;
  }
  return terms;
}

#define RNNLAB_INSTANTIATE_BPTT(S)                                                                        \
  template void forward<S>(const Weights<S>&, S, Activation, const MatrixX<S>&, int, int, const MatrixX<S>*, \
                           Rollout<S>&);                                                                  \
  template LossTerms<S> loss<S>(const Weights<S>&, const Rollout<S>&, const MatrixX<S>&, const RowVectorX<S>&, \
                                const Regularisation&, const OutputLoss<S>&);                             \
  template LossTerms<S> loss_and_gradient<S>(const Weights<S>&, S, Activation, const MatrixX<S>&,         \
                                             const MatrixX<S>&, const RowVectorX<S>&, int, int,          \
                                             const MatrixX<S>*, const Regularisation&, Rollout<S>&,      \
                                             Weights<S>&, const OutputLoss<S>&);
RNNLAB_INSTANTIATE_BPTT(float)
RNNLAB_INSTANTIATE_BPTT(double)
#undef RNNLAB_INSTANTIATE_BPTT

}  // namespace rnnlab
