#pragma once
// Training on a task that is not in the registry (data= or an rnnlab.Task from
// Python): it trains through train_ensemble like any config (threads,
// checkpoints, resume, output files), once the config names it. The config is
// parsed with a stand-in [task] (python/rnnlab/training.py), and
// use_python_task then makes the task the config's: the file records the
// task's name and parameters, never the stand-in.
#include <pybind11/pybind11.h>

#include "io/config.hpp"
#include "tasks/task.hpp"

namespace rnnlab::py_bind {

// Every point of `config` (parsed with a stand-in [task]) then trains on
// `task`: [task] in the config as run becomes name = task.name() ("python:..."),
// plus `params`; the model takes the task's inputs and outputs. A [sweep] of
// task.* keys is refused (the stand-in's keys mean nothing for this task).
void use_python_task(ExperimentConfig& config, const Task& task, const ParamValues& params);

}  // namespace rnnlab::py_bind
