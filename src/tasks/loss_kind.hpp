#pragma once
// Which output loss training minimises (config key train.loss), and what each
// asks of a task's targets. The loss itself (value and dL/dy) is computed in
// src/train/loss.hpp; the names live here, with the targets they judge, so
// that the config (io) and the trainer (train) share one vocabulary.
//
//   mse            targets are any real numbers (docs/model.md "Training").
//   cross_entropy  softmax over the O >= 2 outputs; the targets of every scored
//                  step are class probabilities (>= 0, summing to 1; one-hot
//                  for an integer label).
#include <string>
#include <vector>

#include "tasks/task.hpp"

namespace rnnlab {

enum class LossKind { mse, cross_entropy };

std::string to_string(LossKind kind);
// What the loss is called in reports: "mean squared error", "cross-entropy loss".
std::string loss_description(LossKind kind);
// "mse", "cross_entropy": the allowed values of train.loss, in enum order.
const std::vector<std::string>& loss_names();
// The loss named `name`; InputError naming `key` and the allowed names otherwise.
LossKind parse_loss(const std::string& name, const std::string& key);

// Refuses (InputError naming train.loss and `what`, e.g. "task simple_dm") a
// batch whose outputs or targets the loss cannot take: cross_entropy needs at
// least two outputs, targets that are probabilities at every scored step, and
// a per-output mask that is the same for every output of a step (it weighs
// whole steps). mse takes anything.
void check_targets(LossKind kind, const TrialBatch& batch, const std::string& what);

}  // namespace rnnlab
