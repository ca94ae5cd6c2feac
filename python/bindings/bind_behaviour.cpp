// Behaviour curves (src/analysis/behaviour.hpp) for rnnlab/behaviour.py:
// dicts of NumPy arrays, from a network (eval's trials) or from outputs
// already computed on a task's batch.
#include <pybind11/eigen.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <string>

#include "analysis/behaviour.hpp"
#include "network_dict.hpp"
#include "network_task.hpp"

namespace py = pybind11;

namespace rnnlab::py_bind {

namespace {

py::dict psychometric_dict(const PsychometricCurve& c) {
  py::dict d;
  d["condition"] = c.condition;
  d["levels"] = c.levels;
  d["p_positive"] = c.p_positive;
  d["counts"] = c.counts;
  d["bias"] = c.fit.bias;
  d["slope"] = c.fit.slope;
  d["step"] = c.fit.step;
  d["trials"] = c.trials;
  d["no_choice"] = c.no_choice;
  return d;
}

py::dict timing_dict(const TimingCurve& c) {
  py::dict d;
  d["sample_ms"] = c.sample_ms;
  d["produced_ms"] = c.produced_ms;
  d["levels_ms"] = c.levels_ms;
  d["mean_produced_ms"] = c.mean_produced_ms;
  d["sd_produced_ms"] = c.sd_produced_ms;
  d["counts"] = c.counts;
  d["slope"] = c.slope;
  d["intercept_ms"] = c.intercept_ms;
  d["regression"] = c.regression;
  d["indifference_ms"] = c.indifference_ms;
  d["mean_error_ms"] = c.mean_error_ms;
  d["sd_error_ms"] = c.sd_error_ms;
  d["missed"] = c.missed;
  d["untimed"] = c.untimed;
  return d;
}

}  // namespace

void bind_behaviour(py::module_& m) {
  m.def(
      "psychometric",
      [](const py::dict& net_dict, const std::string& task_name, const py::dict& params, const std::string& config,
         int trials, std::uint64_t seed, const std::string& condition) {
        const Network net = network_from_dict(net_dict);
        const std::unique_ptr<Task> task = task_for(net, task_name, params, config, "psychometric");
        PsychometricCurve c;
        {
          py::gil_scoped_release release;
          c = psychometric(net, *task, trials, seed, condition);
        }
        py::dict d = psychometric_dict(c);
        d["task"] = task->name();
        return d;
      },
      py::arg("net"), py::arg("task"), py::arg("params"), py::arg("config"), py::arg("trials"), py::arg("seed"),
      py::arg("condition"));
  m.def(
      "timing_curve",
      [](const py::dict& net_dict, const std::string& task_name, const py::dict& params, const std::string& config,
         int trials, std::uint64_t seed) {
        const Network net = network_from_dict(net_dict);
        const std::unique_ptr<Task> task = task_for(net, task_name, params, config, "timing_curve");
        TimingCurve c;
        {
          py::gil_scoped_release release;
          c = timing_curve(net, *task, trials, seed);
        }
        py::dict d = timing_dict(c);
        d["task"] = task->name();
        return d;
      },
      py::arg("net"), py::arg("task"), py::arg("params"), py::arg("config"), py::arg("trials"), py::arg("seed"));
  m.def("fit_psychometric", [](const Eigen::VectorXd& x, const Eigen::VectorXd& choice) {
    const PsychometricFit f = fit_psychometric(x, choice);
    return py::make_tuple(f.bias, f.slope, f.step);
  });
}

}  // namespace rnnlab::py_bind
