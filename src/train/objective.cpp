#include "train/objective.hpp"

#include <cmath>

namespace rnnlab {

Objective::Objective(const ModelSpec& spec, Constraints constraints, Regularisation reg, LossKind loss)
    : spec_(spec), constraints_(std::move(constraints)), reg_(reg), loss_(loss) {
  grad_effective_ = Weights<float>::zeros(spec.units, spec.inputs, spec.outputs);
}

void Objective::set_threads(int threads) { pool_ = threads > 1 ? std::make_shared<ThreadPool>(threads) : nullptr; }

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
  const float sd = static_cast<float>(std::sqrt(2.0 * spec_.alpha()) * spec_.sigma_rec);
  rec_noise_.resize(spec_.units, batch.inputs.cols());
  for (Eigen::Index col = 0; col < rec_noise_.cols(); ++col) {
    float* column = rec_noise_.col(chunks_.chunked_column(col)).data();
    for (Eigen::Index i = 0; i < rec_noise_.rows(); ++i) column[i] = sd * static_cast<float>(rng->normal());
  }
  return &rec_noise_;
}

OutputLoss<float> Objective::output_loss() const {
  return {loss_, output_mask_.size() > 0 ? &output_mask_ : nullptr};
}

LossTerms<float> Objective::loss_and_gradient(const Weights<float>& theta, const TrialBatch& batch, Rng& noise_rng,
                                              Weights<float>& grad) {
  const Eigen::MatrixXf* noise = prepare(batch, &noise_rng);
  const Weights<float> w = constraints_.effective(theta);
  const LossTerms<float> terms =
      rnnlab::loss_and_gradient(w, static_cast<float>(spec_.alpha()), spec_.activation, inputs_, targets_, mask_,
                                chunks_, noise, reg_, work_, grad_effective_, pool_.get(), output_loss());
  grad = constraints_.chain_to_theta(theta, grad_effective_);
  return terms;
}

LossTerms<float> Objective::evaluate(const Weights<float>& theta, const TrialBatch& batch, Rng* noise_rng) {
  const Eigen::MatrixXf* noise = prepare(batch, noise_rng);
  const Weights<float> w = constraints_.effective(theta);
  forward(w, static_cast<float>(spec_.alpha()), spec_.activation, inputs_, chunks_, noise, work_, pool_.get());
  from_chunked(work_.y, chunks_, outputs_);
  return loss(w, work_, targets_, mask_, reg_, output_loss());
}

}  // namespace rnnlab
