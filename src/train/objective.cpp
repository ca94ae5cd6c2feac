#include "train/objective.hpp"

#include <cmath>

#include "model/time_constants.hpp"

namespace rnnlab {

Objective::Objective(const ModelSpec& spec, Constraints constraints, Regularisation reg, LossKind loss)
    : spec_(spec), constraints_(std::move(constraints)), reg_(reg), loss_(loss) {
  grad_effective_ = Weights<float>::zeros(spec.units, spec.inputs, spec.outputs);
}

void Objective::set_threads(int threads) { pool_ = threads > 1 ? std::make_shared<ThreadPool>(threads) : nullptr; }

void Objective::set_leak(const Weights<float>& theta) {
  if (theta.log_tau.size() == 0) {
    unit_alpha_.resize(0);
    return;
  }
  // In float64 and then rounded, as the scalar alpha: at theta = 0 every a_i is
  // the fixed-tau network's float(dt / tau).
  unit_alpha_ = (spec_.dt / unit_tau(spec_, theta.log_tau).array()).cast<float>().matrix();
}

const Eigen::MatrixXf* Objective::prepare(const TrialBatch& batch, Rng* rng) {
  chunks_ = BatchChunks(batch.steps, batch.trials, kTrialsPerChunk);
  noisy_inputs_ = batch.inputs;
  if (rng && spec_.sigma_in > 0) {
    const float sd = static_cast<float>(spec_.sigma_in);
    for (Eigen::Index i = 0; i < noisy_inputs_.size(); ++i)
      noisy_inputs_.data()[i] += sd * static_cast<float>(rng->normal());
  }
  to_chunked(noisy_inputs_, chunks_, inputs_);
  to_chunked(batch.targets, chunks_, targets_);
  to_chunked(batch.mask, chunks_, mask_);
  if (batch.output_mask.size() > 0)
    to_chunked(batch.output_mask, chunks_, output_mask_);
  else
    output_mask_.resize(0, 0);
  if (!rng || spec_.sigma_rec <= 0) return nullptr;
  // docs/model.md "Noise": sqrt(2 a) sigma_rec N(0, 1) per unit and step (the Euler step of
  // an Ornstein-Uhlenbeck drive with the same variance for any dt). Drawn in
  // the batch layout's order, each column put straight where its chunk keeps it.
  // With learned time constants each unit has its own sqrt(2 a_i) sigma_rec.
  Eigen::VectorXf sd = Eigen::VectorXf::Constant(spec_.units, static_cast<float>(std::sqrt(2.0 * spec_.alpha()) *
                                                                                  spec_.sigma_rec));
  for (Eigen::Index i = 0; i < unit_alpha_.size(); ++i)
    sd(i) = static_cast<float>(std::sqrt(2.0 * static_cast<double>(unit_alpha_(i))) * spec_.sigma_rec);
  rec_noise_.resize(spec_.units, batch.inputs.cols());
  for (Eigen::Index col = 0; col < rec_noise_.cols(); ++col) {
    float* column = rec_noise_.col(chunks_.chunked_column(col)).data();
    for (Eigen::Index i = 0; i < rec_noise_.rows(); ++i) column[i] = sd(i) * static_cast<float>(rng->normal());
  }
  return &rec_noise_;
}

OutputLoss<float> Objective::output_loss() const {
  return {loss_, output_mask_.size() > 0 ? &output_mask_ : nullptr};
}

LossTerms<float> Objective::loss_and_gradient(const Weights<float>& theta, const TrialBatch& batch, Rng& noise_rng,
                                              Weights<float>& grad) {
  set_leak(theta);
  const Eigen::MatrixXf* noise = prepare(batch, &noise_rng);
  const Weights<float> w = constraints_.effective(theta);
  LossTerms<float> terms;
  if (unit_alpha_.size() == 0) {
    terms = rnnlab::loss_and_gradient(w, static_cast<float>(spec_.alpha()), spec_.activation, inputs_, targets_,
                                      mask_, chunks_, noise, reg_, work_, grad_effective_, pool_.get(),
                                      output_loss());
  } else {
    terms = rnnlab::loss_and_gradient(w, unit_alpha_, spec_.activation, inputs_, targets_, mask_, chunks_, noise,
                                      reg_, work_, grad_effective_, grad_alpha_, pool_.get(), output_loss());
    grad_effective_.log_tau = log_tau_gradient(unit_alpha_, grad_alpha_);
  }
  grad = constraints_.chain_to_theta(theta, grad_effective_);
  return terms;
}

LossTerms<float> Objective::evaluate(const Weights<float>& theta, const TrialBatch& batch, Rng* noise_rng) {
  set_leak(theta);
  const Eigen::MatrixXf* noise = prepare(batch, noise_rng);
  const Weights<float> w = constraints_.effective(theta);
  if (unit_alpha_.size() == 0)
    forward(w, static_cast<float>(spec_.alpha()), spec_.activation, inputs_, chunks_, noise, work_, pool_.get());
  else
    forward(w, unit_alpha_, spec_.activation, inputs_, chunks_, noise, work_, pool_.get());
  from_chunked(work_.y, chunks_, outputs_);
  return loss(w, work_, targets_, mask_, reg_, output_loss());
}

}  // namespace rnnlab
