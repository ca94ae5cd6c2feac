// Behaviour curves (src/analysis/behaviour.hpp) for rnnlab/behaviour.py,
// through their declaration (behaviour_schema.hpp), from a network on eval's trials.
#include <pybind11/eigen.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <string>

#include "analysis/behaviour.hpp"
#include "analysis/behaviour_schema.hpp"
#include "network_dict.hpp"
#include "network_task.hpp"
#include "results_py.hpp"

namespace py = pybind11;

namespace rnnlab::py_bind {

void bind_behaviour(py::module_& m) {
  m.def(
      "psychometric",
      [](const py::dict& net_dict, const py::object& task_arg, const py::dict& params, const std::string& config,
         int trials, std::uint64_t seed, const std::string& condition) {
        const Network net = network_from_dict(net_dict);
        const std::unique_ptr<Task> task = task_for(net, task_arg, params, config, "psychometric");
        PsychometricCurve c;
        {
          py::gil_scoped_release release;
          c = psychometric(net, *task, trials, seed, condition);
        }
        return to_python(psychometric_schema(), StoredPsychometric{c, {task->name(), trials, static_cast<long>(seed)}});
      },
      py::arg("net"), py::arg("task"), py::arg("params"), py::arg("config"), py::arg("trials"), py::arg("seed"),
      py::arg("condition"));
  m.def(
      "timing_curve",
      [](const py::dict& net_dict, const py::object& task_arg, const py::dict& params, const std::string& config,
         int trials, std::uint64_t seed) {
        const Network net = network_from_dict(net_dict);
        const std::unique_ptr<Task> task = task_for(net, task_arg, params, config, "timing_curve");
        TimingCurve c;
        {
          py::gil_scoped_release release;
          c = timing_curve(net, *task, trials, seed);
        }
        return to_python(timing_schema(), StoredTiming{c, {task->name(), trials, static_cast<long>(seed)}});
      },
      py::arg("net"), py::arg("task"), py::arg("params"), py::arg("config"), py::arg("trials"), py::arg("seed"));
  m.def("fit_psychometric", [](const Eigen::VectorXd& x, const Eigen::VectorXd& choice) {
    const PsychometricFit f = fit_psychometric(x, choice);
    return py::make_tuple(f.bias, f.slope, f.step);
  });
}

}  // namespace rnnlab::py_bind
