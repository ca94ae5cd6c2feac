#include "tasks/loss_kind.hpp"

#include <cmath>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "util/error.hpp"

namespace rnnlab {

const std::vector<std::string>& loss_names() {
  static const std::vector<std::string> names = {"mse", "cross_entropy"};
  return names;
}

std::string to_string(LossKind kind) { return loss_names().at(static_cast<std::size_t>(kind)); }

std::string loss_description(LossKind kind) {
  switch (kind) {
    case LossKind::cross_entropy: return "cross-entropy loss";
    case LossKind::mse: break;
  }
  return "mean squared error";
}

LossKind parse_loss(const std::string& name, const std::string& key) {
  const auto& names = loss_names();
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return static_cast<LossKind>(i);
  throw InputError(fmt::format("{} = '{}' is not allowed: must be one of {}", key, name, fmt::join(names, ", ")));
}

void check_targets(LossKind kind, const TrialBatch& batch, const std::string& what) {
  if (kind != LossKind::cross_entropy) return;
  const Eigen::Index outputs = batch.targets.rows();
  if (outputs < 2)
    throw InputError(fmt::format("train.loss = \"cross_entropy\": {} has {} output; a softmax needs at least two "
                                 "(one per class); use train.loss = \"mse\"",
                                 what, outputs));
  // Probabilities within float32 roundoff of a sum of 1.
  const float tolerance = 1e-4f * static_cast<float>(outputs);
  for (Eigen::Index c = 0; c < batch.targets.cols(); ++c) {
    if (batch.mask(c) == 0.0f) continue;
    const int t = static_cast<int>(c / batch.trials), b = static_cast<int>(c % batch.trials);
    if (batch.output_mask.size() > 0 &&
        (batch.output_mask.col(c).array() != batch.output_mask(0, c)).any())
      throw InputError(fmt::format("train.loss = \"cross_entropy\" weighs whole steps, but the per-output mask of {} "
                                   "differs between outputs at step {} of trial {}; give a (steps, trials) mask, or "
                                   "use train.loss = \"mse\"",
                                   what, t, b));
    if (batch.output_mask.size() > 0 && batch.output_mask(0, c) == 0.0f) continue;
    const auto target = batch.targets.col(c);
    if ((target.array() < 0.0f).any() || std::abs(target.sum() - 1.0f) > tolerance)
      throw InputError(fmt::format("train.loss = \"cross_entropy\" needs targets that are class probabilities "
                                   "(non-negative, summing to 1: one-hot for a label) at every scored step; {} has "
                                   "targets summing to {} at step {} of trial {}; use train.loss = \"mse\"",
                                   what, target.sum(), t, b));
  }
}

}  // namespace rnnlab
