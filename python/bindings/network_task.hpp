#pragma once
// The task a Python-side analysis runs a network on: `task_name` with
// `params` at the network's dt, or, when task_name is empty, the task of the
// network's training config `config`. Shared by the perturbation and
// behaviour bindings; `what` names the analysis in the error message.
#include <pybind11/pybind11.h>

#include <memory>
#include <string>

#include "model/network.hpp"
#include "tasks/task.hpp"

namespace rnnlab::py_bind {

std::unique_ptr<Task> task_for(const Network& net, const std::string& task_name, const pybind11::dict& params,
                               const std::string& config, const std::string& what);

}  // namespace rnnlab::py_bind
