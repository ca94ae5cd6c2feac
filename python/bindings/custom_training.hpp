#pragma once
// Training on a task that is not in the registry (data from Python), with the
// trainer of the command line (NetworkTrainer given the task). No checkpoints.
// Seeds train one after another on the calling thread, because a Python
// callable task would serialise them on the GIL anyway.
#include <vector>

#include "io/config.hpp"
#include "io/experiment_file.hpp"
#include "tasks/task.hpp"
#include "train/trainer.hpp"

namespace rnnlab::py_bind {

std::vector<NetworkRecord> train_on_task(const ExperimentConfig& config, const Task& task, ProgressSink* progress);

}  // namespace rnnlab::py_bind
