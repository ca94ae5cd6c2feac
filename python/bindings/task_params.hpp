#pragma once
// Task parameters from a Python dict (bool before numbers: True is also an int
// in Python). Shared by the task binding and the dynamics analysis, which
// makes the network's task itself.
#include <pybind11/pybind11.h>

#include "tasks/task.hpp"

namespace rnnlab::py_bind {

ParamValues params_from(const pybind11::dict& d);

}  // namespace rnnlab::py_bind
