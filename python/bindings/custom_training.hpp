#pragma once
// Training on a task that is not in the registry (data from Python).
// NetworkTrainer makes its task from the config's name, so this is its loop
// with the task passed in: the same initialisation, random streams (seed,
// purpose, iteration), Adam, validation, divergence checks and record. No
// checkpoints. Seeds train one after another on the calling thread, because a
// Python callable task would serialise them on the GIL anyway.
#include <vector>

#include "io/config.hpp"
#include "io/experiment_file.hpp"
#include "tasks/task.hpp"
#include "train/trainer.hpp"

namespace rnnlab::py_bind {

std::vector<NetworkRecord> train_on_task(const ExperimentConfig& config, const Task& task, ProgressSink* progress);

}  // namespace rnnlab::py_bind
