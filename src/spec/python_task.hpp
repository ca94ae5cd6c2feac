#pragma once
// A task that lives in Python (an rnnlab.Task subclass, or data= arrays or a
// callable) is named "python:" + its name in the [task] table of the config
// it trained with, so that the experiment file says which task it was. Only
// Python can make its trials: io/config.cpp refuses such a config (exit 2)
// with python_task_message, which says how to use the file from Python.
#include <string>

namespace rnnlab {

inline constexpr const char* kPythonTaskPrefix = "python:";

inline bool is_python_task(const std::string& task_name) { return task_name.rfind(kPythonTaskPrefix, 0) == 0; }

inline std::string python_task_message(const std::string& task_name) {
  const std::string object = task_name.substr(std::string(kPythonTaskPrefix).size()) + "()";
  return "task.name = \"" + task_name +
         "\" is a task written in Python (an rnnlab.Task, or data= from Python): only Python can make its "
         "trials, so nothing here can train, evaluate or analyse on it. Use the file from Python with the task "
         "object, e.g. rnnlab.dynamics(record.trained, task=" + object + "), rnnlab.census(rnnlab.load(FILE), task=" +
         object + ") (docs/training.md \"Tasks written in Python\")";
}

}  // namespace rnnlab
