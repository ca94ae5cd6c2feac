#include "train/bptt.hpp"

#include <functional>
#include <type_traits>

namespace rnnlab {

namespace {

// Runs job(0) .. job(count - 1), on the pool's threads if there is one.
void run_chunks(ThreadPool* pool, int count, const std::function<void(int)>& job) {
  if (pool)
    pool->run(count, job);
  else
    for (int c = 0; c < count; ++c) job(c);
}

// The leak a is either one scalar for every unit (A = S: the code of the
// fixed-tau network, kept as it was so that its bits do not move) or one
// a_i per unit (A = VectorX<S>, train.learn_tau): a times a matrix then
// scales row i by a_i. These helpers write each step once for both.
template <class S, class M>
auto leak_times(S a, const M& m) {
  return a * m;
}
template <class S, class M>
auto leak_times(const VectorX<S>& a, const M& m) {
  return a.asDiagonal() * m;
}
template <class S>
S one_minus(S a) {
  return S(1) - a;
}
template <class S>
VectorX<S> one_minus(const VectorX<S>& a) {
  return (S(1) - a.array()).matrix();
}
// (1 - a) / a: what the leak carries of the next step's drive gradient.
template <class S>
S carry_ratio(S a) {
  return (S(1) - a) / a;
}
template <class S>
VectorX<S> carry_ratio(const VectorX<S>& a) {
  return ((S(1) - a.array()) / a.array()).matrix();
}
template <class S, class M>
void scale_rows(S a, M&& m) {
  m *= a;
}
template <class S, class M>
void scale_rows(const VectorX<S>& a, M&& m) {
  m.array().colwise() *= a.array();
}

}  // namespace

template <class S, class A>
void forward_impl(const Weights<S>& w, const A& alpha, Activation activation, const MatrixX<S>& inputs,
                  const BatchChunks& chunks, const MatrixX<S>* rec_noise, Rollout<S>& out, ThreadPool* pool) {
  const int n = w.units();
  const Eigen::Index cols = static_cast<Eigen::Index>(chunks.steps) * chunks.trials;
  out.chunks = chunks;
  out.x.resize(n, cols);
  out.r.resize(n, cols);
  out.y.resize(w.outputs(), cols);

  // Step t = 0 starts from x0, the same for every trial.
  VectorX<S> r0(n);
  apply_phi(activation, w.x0, r0);
  const A keep = one_minus(alpha);
  const VectorX<S> drive0 = leak_times(keep, w.x0) + leak_times(alpha, w.w_rec * r0);

  run_chunks(pool, chunks.count(), [&](int c) {
    const Eigen::Index first = chunks.first_column(c), trials = chunks.trials_in(c);
    auto x = out.x.middleCols(first, chunks.columns(c));
    auto r = out.r.middleCols(first, chunks.columns(c));
    // The input drive of every step in one GEMM: x holds a (W_in u_t + b) for now
    // and is completed step by step below.
    x.noalias() = leak_times(alpha, w.w_in * inputs.middleCols(first, chunks.columns(c)));
    x.colwise() += VectorX<S>(leak_times(alpha, w.b));
    if (rec_noise) x += rec_noise->middleCols(first, chunks.columns(c));

    x.leftCols(trials).colwise() += drive0;
    apply_phi(activation, x.leftCols(trials), r.leftCols(trials));
    for (int t = 1; t < chunks.steps; ++t) {
      auto x_prev = x.middleCols((t - 1) * trials, trials);
      auto r_prev = r.middleCols((t - 1) * trials, trials);
      auto x_t = x.middleCols(t * trials, trials);
      x_t.noalias() += leak_times(alpha, w.w_rec * r_prev);
      x_t += leak_times(keep, x_prev);
      apply_phi(activation, x_t, r.middleCols(t * trials, trials));
    }
    auto y = out.y.middleCols(first, chunks.columns(c));
    y.noalias() = w.w_out * r;
    y.colwise() += w.b_out;
  });
}

template <class S>
void forward(const Weights<S>& w, S alpha, Activation activation, const MatrixX<S>& inputs, int steps,
             int trials, const MatrixX<S>* rec_noise, Rollout<S>& out) {
  forward(w, alpha, activation, inputs, BatchChunks(steps, trials, trials), rec_noise, out, nullptr);
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

namespace {

// The backward pass of chunk c, from its output error work.dy: its drive
// gradients into work.delta, its share of the weight gradient into `grad`,
// with grad.x0 holding the summed drive gradient of step 0 (the caller
// carries it to x0 once all chunks are summed). rate_scale: the factor of the
// rate penalty's gradient, 2 l2_rates / (N T B) of the whole batch.
template <class S, class A>
void backward_chunk(const Weights<S>& w, const A& alpha, Activation activation, const MatrixX<S>& inputs,
                    const VectorX<S>& r0, S rate_scale, int c, Rollout<S>& work, Weights<S>& grad) {
  const BatchChunks& chunks = work.chunks;
  const int n = w.units(), steps = chunks.steps;
  const Eigen::Index first = chunks.first_column(c), cols = chunks.columns(c), B = chunks.trials_in(c);
  const auto x = work.x.middleCols(first, cols);
  const auto r = work.r.middleCols(first, cols);
  const auto dy = work.dy.middleCols(first, cols);
  auto delta = work.delta.middleCols(first, cols);

  // The part of dL/dr_t that comes directly from step t (readout and rate penalty).
  delta.noalias() = w.w_out.transpose() * dy;  // becomes dL/dx_t below, in place
  if (rate_scale != 0) delta += rate_scale * r;

  // Backward in time. With dX_T = 0:
  //   dX_t   = phi'(x_t) * (direct_t + W_rec^T (a dX_{t+1})) + (1 - a) dX_{t+1}
  // delta's block t is overwritten by a dX_t: the gradient of the
  // pre-activation drive (W_rec r_{t-1} + W_in u_t + b) at step t.
  const A carry = carry_ratio(alpha);
  MatrixX<S> dphi(n, B), from_next(n, B);
  for (int t = steps - 1; t >= 0; --t) {
    auto block = delta.middleCols(t * B, B);
    apply_dphi(activation, x.middleCols(t * B, B), dphi);
    if (t + 1 < steps) {
      auto d_drive_next = delta.middleCols((t + 1) * B, B);  // a dX_{t+1}
      from_next.noalias() = w.w_rec.transpose() * d_drive_next;
      block += from_next;
      block = dphi.cwiseProduct(block);
      block += leak_times(carry, d_drive_next);  // (1-a) dX_{t+1}, as d_drive = a dX
    } else {
      block = dphi.cwiseProduct(block);
    }
    scale_rows(alpha, block);  // now a dX_t
  }

  // This chunk's parameter gradients from its drive gradients, as GEMMs.
  grad.x0 = delta.leftCols(B).rowwise().sum();
  grad.w_rec.noalias() = grad.x0 * r0.transpose();
  if (steps > 1) grad.w_rec.noalias() += delta.rightCols((steps - 1) * B) * r.leftCols((steps - 1) * B).transpose();
  grad.w_in.noalias() = delta * inputs.middleCols(first, cols).transpose();
  grad.b = delta.rowwise().sum();
  grad.w_out.noalias() = dy * r.transpose();
  grad.b_out = dy.rowwise().sum();
}

// A per-unit leak's share of chunk c's gradient, from its drive gradients
// delta_t = a dX_t. Step t changes x by
//   x_t - x_{t-1} = a (-x_{t-1} + drive_t) + noise_t,   noise_t = sqrt(2 a) sigma_rec N(0, 1),
// so dx_t/da_i holding x_{t-1} fixed is (-x_{t-1} + drive_t)_i + noise_{t,i} / (2 a_i)
// = (x_t - x_{t-1} - noise_t / 2)_i / a_i, and
//   dL/da_i = sum_t,b delta_{t,i} (x_t - x_{t-1} - noise_t / 2)_i / a_i^2,   x_{-1} = x0.
// Taking the step from the stored states costs one pass over them, no GEMM.
template <class S>
VectorX<S> leak_gradient_chunk(const Weights<S>& w, const VectorX<S>& alpha, const MatrixX<S>* rec_noise, int c,
                               const Rollout<S>& work) {
  const BatchChunks& chunks = work.chunks;
  const int steps = chunks.steps;
  const Eigen::Index first = chunks.first_column(c), cols = chunks.columns(c), B = chunks.trials_in(c);
  const auto x = work.x.middleCols(first, cols);
  const auto delta = work.delta.middleCols(first, cols);
  VectorX<S> g = delta.leftCols(B).cwiseProduct(x.leftCols(B).colwise() - w.x0).rowwise().sum();
  if (steps > 1)
    g += delta.rightCols((steps - 1) * B)
             .cwiseProduct(x.rightCols((steps - 1) * B) - x.leftCols((steps - 1) * B))
             .rowwise()
             .sum();
  if (rec_noise) g -= S(0.5) * delta.cwiseProduct(rec_noise->middleCols(first, cols)).rowwise().sum();
  return (g.array() / alpha.array().square()).matrix();
}

}  // namespace

namespace {

// grad_alpha: null for a scalar leak (not trained), dL/da per unit otherwise.
template <class S, class A>
LossTerms<S> loss_and_gradient_impl(const Weights<S>& w, const A& alpha, Activation activation,
                                    const MatrixX<S>& inputs, const MatrixX<S>& targets, const RowVectorX<S>& mask,
                                    const BatchChunks& chunks, const MatrixX<S>* rec_noise, const Regularisation& reg,
                                    Rollout<S>& work, Weights<S>& grad, VectorX<S>* grad_alpha, ThreadPool* pool,
                                    const OutputLoss<S>& how) {
  forward_impl(w, alpha, activation, inputs, chunks, rec_noise, work, pool);
  const LossTerms<S> terms = loss(w, work, targets, mask, reg, how);
  const int n = w.units();

  // dL/dy from the output loss (MSE or cross-entropy, train/loss.hpp), once for
  // the whole batch; recomputing its value there costs O(O T B), nothing beside the pass.
  output_loss(how, work.y, targets, mask, &work.dy);
  const S rate_scale = reg.l2_rates > 0 ? S(2) * S(reg.l2_rates) / static_cast<S>(work.r.size()) : S(0);

  VectorX<S> r0(n), dphi0(n);
  apply_phi(activation, w.x0, r0);
  apply_dphi(activation, w.x0, dphi0);
  work.delta.resize(n, work.x.cols());
  work.chunk_grads.resize(chunks.count());
  if (grad_alpha) work.chunk_grad_alpha.resize(chunks.count());
  run_chunks(pool, chunks.count(), [&](int c) {
    backward_chunk(w, alpha, activation, inputs, r0, rate_scale, c, work, work.chunk_grads[c]);
    if constexpr (!std::is_same_v<A, S>)
      if (grad_alpha) work.chunk_grad_alpha[c] = leak_gradient_chunk(w, alpha, rec_noise, c, work);
  });
  if (grad_alpha) {  // summed in chunk order, as the weights' shares below
    grad_alpha->setZero(n);
    for (int c = 0; c < chunks.count(); ++c) *grad_alpha += work.chunk_grad_alpha[c];
  }

  // The chunks' shares summed in chunk order: the same bits for any thread count.
  if (chunks.count() == 0)  // no trials: no gradient but the penalty's below
    grad = Weights<S>::zeros(n, w.inputs(), w.outputs());
  else
    grad = work.chunk_grads[0];
  for (int c = 1; c < chunks.count(); ++c)
    grad.for_each(work.chunk_grads[c], [](auto& total, const auto& share) { total += share; });
  // x0 feeds step 0 of every trial: through the leak and through phi.
  const VectorX<S> d_drive0 = grad.x0;
  grad.x0 = dphi0.cwiseProduct(w.w_rec.transpose() * d_drive0) + leak_times(carry_ratio(alpha), d_drive0);

  if (reg.l2_weights > 0) {
    const S scale = S(2) * S(reg.l2_weights) / weight_count(w);
    grad.w_in += scale * w.w_in;
    grad.w_rec += scale * w.w_rec;
    grad.w_out += scale * w.w_out;
  }
  return terms;
}

}  // namespace

template <class S>
void forward(const Weights<S>& w, S alpha, Activation activation, const MatrixX<S>& inputs,
             const BatchChunks& chunks, const MatrixX<S>* rec_noise, Rollout<S>& out, ThreadPool* pool) {
  forward_impl(w, alpha, activation, inputs, chunks, rec_noise, out, pool);
}

template <class S>
void forward(const Weights<S>& w, const VectorX<S>& alpha, Activation activation, const MatrixX<S>& inputs,
             const BatchChunks& chunks, const MatrixX<S>* rec_noise, Rollout<S>& out, ThreadPool* pool) {
  forward_impl(w, alpha, activation, inputs, chunks, rec_noise, out, pool);
}

template <class S>
void forward(const Weights<S>& w, const VectorX<S>& alpha, Activation activation, const MatrixX<S>& inputs,
             int steps, int trials, const MatrixX<S>* rec_noise, Rollout<S>& out) {
  forward_impl(w, alpha, activation, inputs, BatchChunks(steps, trials, trials), rec_noise, out, nullptr);
}

template <class S>
LossTerms<S> loss_and_gradient(const Weights<S>& w, S alpha, Activation activation, const MatrixX<S>& inputs,
                               const MatrixX<S>& targets, const RowVectorX<S>& mask, const BatchChunks& chunks,
                               const MatrixX<S>* rec_noise, const Regularisation& reg, Rollout<S>& work,
                               Weights<S>& grad, ThreadPool* pool, const OutputLoss<S>& how) {
  return loss_and_gradient_impl(w, alpha, activation, inputs, targets, mask, chunks, rec_noise, reg, work, grad,
                                static_cast<VectorX<S>*>(nullptr), pool, how);
}

template <class S>
LossTerms<S> loss_and_gradient(const Weights<S>& w, const VectorX<S>& alpha, Activation activation,
                               const MatrixX<S>& inputs, const MatrixX<S>& targets, const RowVectorX<S>& mask,
                               const BatchChunks& chunks, const MatrixX<S>* rec_noise, const Regularisation& reg,
                               Rollout<S>& work, Weights<S>& grad, VectorX<S>& grad_alpha, ThreadPool* pool,
                               const OutputLoss<S>& how) {
  return loss_and_gradient_impl(w, alpha, activation, inputs, targets, mask, chunks, rec_noise, reg, work, grad,
                                &grad_alpha, pool, how);
}

template <class S>
LossTerms<S> loss_and_gradient(const Weights<S>& w, const VectorX<S>& alpha, Activation activation,
                               const MatrixX<S>& inputs, const MatrixX<S>& targets, const RowVectorX<S>& mask,
                               int steps, int trials, const MatrixX<S>* rec_noise, const Regularisation& reg,
                               Rollout<S>& work, Weights<S>& grad, VectorX<S>& grad_alpha,
                               const OutputLoss<S>& how) {
  return loss_and_gradient_impl(w, alpha, activation, inputs, targets, mask, BatchChunks(steps, trials, trials),
                                rec_noise, reg, work, grad, &grad_alpha, nullptr, how);
}

template <class S>
LossTerms<S> loss_and_gradient(const Weights<S>& w, S alpha, Activation activation, const MatrixX<S>& inputs,
                               const MatrixX<S>& targets, const RowVectorX<S>& mask, int steps, int trials,
                               const MatrixX<S>* rec_noise, const Regularisation& reg, Rollout<S>& work,
                               Weights<S>& grad, const OutputLoss<S>& how) {
  return loss_and_gradient(w, alpha, activation, inputs, targets, mask, BatchChunks(steps, trials, trials),
                           rec_noise, reg, work, grad, nullptr, how);
}

void forward(const Network& net, const Eigen::MatrixXd& inputs, int steps, int trials,
             const Eigen::MatrixXd* rec_noise, Rollout<double>& out) {
  if (net.per_unit_tau())
    forward<double>(net, net.unit_alpha(), net.activation, inputs, steps, trials, rec_noise, out);
  else
    forward<double>(net, net.alpha, net.activation, inputs, steps, trials, rec_noise, out);
}

#define RNNLAB_INSTANTIATE_BPTT(S)                                                                        \
  template void forward<S>(const Weights<S>&, S, Activation, const MatrixX<S>&, const BatchChunks&,       \
                           const MatrixX<S>*, Rollout<S>&, ThreadPool*);                                  \
  template void forward<S>(const Weights<S>&, S, Activation, const MatrixX<S>&, int, int, const MatrixX<S>*, \
                           Rollout<S>&);                                                                  \
  template LossTerms<S> loss<S>(const Weights<S>&, const Rollout<S>&, const MatrixX<S>&, const RowVectorX<S>&, \
                                const Regularisation&, const OutputLoss<S>&);                             \
  template LossTerms<S> loss_and_gradient<S>(const Weights<S>&, S, Activation, const MatrixX<S>&,         \
                                             const MatrixX<S>&, const RowVectorX<S>&, const BatchChunks&, \
                                             const MatrixX<S>*, const Regularisation&, Rollout<S>&,      \
                                             Weights<S>&, ThreadPool*, const OutputLoss<S>&);             \
  template LossTerms<S> loss_and_gradient<S>(const Weights<S>&, S, Activation, const MatrixX<S>&,         \
                                             const MatrixX<S>&, const RowVectorX<S>&, int, int,          \
                                             const MatrixX<S>*, const Regularisation&, Rollout<S>&,      \
                                             Weights<S>&, const OutputLoss<S>&);          \
  template void forward<S>(const Weights<S>&, const VectorX<S>&, Activation, const MatrixX<S>&,             \
                           const BatchChunks&, const MatrixX<S>*, Rollout<S>&, ThreadPool*);              \
  template void forward<S>(const Weights<S>&, const VectorX<S>&, Activation, const MatrixX<S>&, int, int,  \
                           const MatrixX<S>*, Rollout<S>&);                                               \
  template LossTerms<S> loss_and_gradient<S>(const Weights<S>&, const VectorX<S>&, Activation,            \
                                             const MatrixX<S>&, const MatrixX<S>&, const RowVectorX<S>&,  \
                                             const BatchChunks&, const MatrixX<S>*, const Regularisation&, \
                                             Rollout<S>&, Weights<S>&, VectorX<S>&, ThreadPool*,          \
                                             const OutputLoss<S>&);                                       \
  template LossTerms<S> loss_and_gradient<S>(const Weights<S>&, const VectorX<S>&, Activation,            \
                                             const MatrixX<S>&, const MatrixX<S>&, const RowVectorX<S>&,  \
                                             int, int, const MatrixX<S>*, const Regularisation&,          \
                                             Rollout<S>&, Weights<S>&, VectorX<S>&, const OutputLoss<S>&);
RNNLAB_INSTANTIATE_BPTT(float)
RNNLAB_INSTANTIATE_BPTT(double)
#undef RNNLAB_INSTANTIATE_BPTT

}  // namespace rnnlab
