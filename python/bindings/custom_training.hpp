#pragma once
// Training on a task that is not in the registry (data= or an rnnlab.Task from
// Python): it trains through train_ensemble like any config (threads,
// checkpoints, resume, output files), once the config names it. Its [task]
// table (tasks/python_task.hpp) says name = "python:<name>", its inputs and
// outputs and its parameters, so the file records the task it trained on.
#include <string>

#include "tasks/task.hpp"

namespace rnnlab::py_bind {

// `toml_text` (a config, from `source`) with its [task] table, if any,
// replaced by `task`'s: name = task.name(), inputs, outputs and `params`.
// InputError when a parameter is named name, inputs or outputs.
std::string with_python_task(const std::string& toml_text, const std::string& source, const Task& task,
                             const ParamValues& params);

}  // namespace rnnlab::py_bind
