#pragma once
// A task that lives in Python (an rnnlab.Task subclass, or data= arrays or a
// callable) is named "python:" + its name in the [task] table of the config
// it trained with, beside its parameters and its channel counts (inputs,
// outputs), so that the experiment file says which task it was and the
// config parses. Only Python can make its trials: make_task refuses such a
// name (exit 2) with python_task_message, which says how to use it from Python.
#include <string>

#include "tasks/task.hpp"

namespace rnnlab {

inline constexpr const char* kPythonTaskPrefix = "python:";

inline bool is_python_task(const std::string& task_name) { return task_name.rfind(kPythonTaskPrefix, 0) == 0; }

inline std::string python_task_message(const std::string& task_name) {
  const std::string object = task_name.substr(std::string(kPythonTaskPrefix).size()) + "()";
  return "task.name = \"" + task_name +
         "\" is a task written in Python (an rnnlab.Task, or data= from Python): only Python can make its "
         "trials, so nothing here can train, evaluate or analyse on it. Use it from Python with the task "
         "object, e.g. rnnlab.dynamics(record.trained, task=" + object + "), rnnlab.census(rnnlab.load(FILE), task=" +
         object + ") (docs/training.md \"Tasks written in Python\")";
}

// Its number of input or output channels (`key`: "inputs" or "outputs"), as
// its [task] table records them; InputError naming task.<key> otherwise.
int python_task_channels(const std::string& task_name, const ParamValues& params, const std::string& key);

}  // namespace rnnlab
