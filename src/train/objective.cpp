#include "train/objective.hpp"

#include <cmath>

namespace rnnlab {

Objective::Objective(const ModelSpec& spec, Constraints constraints, Regularisation reg, LossKind loss)
    : spec_(spec), constraints_(std::move(constraints)), reg_(reg), loss_(loss) {
  grad_effective_ = Weights<float>::zeros(spec.units, spec.inputs, spec.outputs);
}

const Eigen::MatrixXf* Objective::draw_noise(const TrialBatch& batch, Rng* rng) {
  inputs_ = batch.inputs;
  if (!rng) return nullptr;
  if (spec_.sigma_in > 0) {
    const float sd = static_cast<float>(spec_.sigma_in);
    for (Eigen::Index i = 0; i < inputs_.size(); ++i) inputs_.data()[i] += sd * static_cast<float>(rng->normal());
  }
  if (spec_.sigma_rec <= 0) return nullptr;
  // docs/model.md "Noise": sqrt(2 a) sigma_rec N(0, 1) per unit and step (the Euler step of
  // an Ornstein-Uhlenbeck drive with the same variance for any dt).
  const float sd = static_cast<float>(std::sqrt(2.0 * spec_.alpha()) * spec_.sigma_rec);
  rec_noise_.resize(spec_.units, batch.inputs.cols());
  for (Eigen::Index i = 0; i < rec_noise_.size(); ++i) rec_noise_.data()[i] = sd * static_cast<float>(rng->normal());
  return &rec_noise_;
}

OutputLoss<float> Objective::output_loss(const TrialBatch& batch) const {
  return {loss_, batch.output_mask.size() > 0 ? &batch.output_mask : nullptr};
}

LossTerms<float> Objective::loss_and_gradient(const Weights<float>& theta, const TrialBatch& batch, Rng& noise_rng,
                                              Weights<float>& grad) {
  const Eigen::MatrixXf* noise = draw_noise(batch, &noise_rng);
  const Weights<float> w = constraints_.effective(theta);
  const LossTerms<float> terms =
      rnnlab::loss_and_gradient(w, static_cast<float>(spec_.alpha()), spec_.activation, inputs_, batch.targets,
                                batch.mask, batch.steps, batch.trials, noise, reg_, work_, grad_effective_,
                                output_loss(batch));
  grad = constraints_.chain_to_theta(theta, grad_effective_);
  return terms;
}

LossTerms<float> Objective::evaluate(const Weights<float>& theta, const TrialBatch& batch, Rng* noise_rng) {
  const Eigen::MatrixXf* noise = draw_noise(batch, noise_rng);
  const Weights<float> w = constraints_.effective(theta);
  forward(w, static_cast<float>(spec_.alpha()), spec_.activation, inputs_, batch.steps, batch.trials, noise, work_);
  return loss(w, work_, batch.targets, batch.mask, reg_, output_loss(batch));
}

}  // namespace rnnlab
