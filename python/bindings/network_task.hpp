#pragma once
// The task a Python-side analysis runs a network on: `task`, either an
// rnnlab.Task's adapter (python/rnnlab/task.py: a task written in Python, run
// as PythonTask, python_tasks.hpp) or a name made with `params` at the
// network's dt, or, when the name is empty, the task of the network's training
// config `config` (a task written in Python there is refused: only the object
// can make its trials). Shared by the perturbation and behaviour bindings;
// `what` names the analysis in the error message. Needs the GIL.
#include <pybind11/pybind11.h>

#include <memory>
#include <string>

#include "model/network.hpp"
#include "tasks/task.hpp"

namespace rnnlab::py_bind {

std::unique_ptr<Task> task_for(const Network& net, const pybind11::object& task, const pybind11::dict& params,
                               const std::string& config, const std::string& what);

}  // namespace rnnlab::py_bind
