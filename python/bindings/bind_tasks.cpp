// The task registry: list tasks, make one, draw batches as NumPy, score outputs.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>

#include "convert.hpp"
#include "task_params.hpp"
#include "tasks/task.hpp"
#include "util/rng.hpp"

namespace rnnlab::py_bind {

ParamValues params_from(const py::dict& d) {
  ParamValues out;
  for (const auto& [key, value] : d) {
    const std::string name = key.cast<std::string>();
    if (py::isinstance<py::bool_>(value))
      out[name] = value.cast<bool>();
    else if (py::isinstance<py::int_>(value) || py::isinstance<py::float_>(value))
      out[name] = value.cast<double>();
    else if (py::isinstance<py::str>(value))
      out[name] = value.cast<std::string>();
    else
      throw InputError("task." + name + " = " + py::repr(value).cast<std::string>() +
                       " has the wrong type: expected a number, boolean or string");
  }
  return out;
}

namespace {

py::object param_to_py(const ParamValue& v) {
  if (const auto* x = std::get_if<double>(&v)) return py::float_(*x);
  if (const auto* b = std::get_if<bool>(&v)) return py::bool_(*b);
  return py::str(std::get<std::string>(v));
}

// A drawn batch; keeps the C++ TrialBatch so the task can score outputs on it.
struct PyBatch {
  TrialBatch batch;
};

struct PyTask {
  std::shared_ptr<Task> task;
  std::string name;
  double dt;
};

py::list registry() {
  py::list out;
  for (const auto& info : task_registry()) {
    py::list params;
    for (const auto& p : info.params) {
      py::dict d;
      d["name"] = p.name;
      d["default"] = param_to_py(p.default_value);
      d["description"] = p.description;
      if (!p.choices.empty()) d["choices"] = p.choices;
      params.append(d);
    }
    py::dict d;
    d["name"] = info.name;
    d["description"] = info.description;
    d["params"] = params;
    out.append(d);
  }
  return out;
}

}  // namespace

void bind_tasks(py::module_& m) {
  m.def("task_registry", &registry);

  py::class_<PyBatch>(m, "TrialBatch")
      .def_property_readonly("steps", [](const PyBatch& b) { return b.batch.steps; })
      .def_property_readonly("trials", [](const PyBatch& b) { return b.batch.trials; })
      .def_property_readonly("inputs",
                             [](const PyBatch& b) { return matrix_to_batch(b.batch.inputs, b.batch.steps, b.batch.trials); })
      .def_property_readonly("targets",
                             [](const PyBatch& b) { return matrix_to_batch(b.batch.targets, b.batch.steps, b.batch.trials); })
      .def_property_readonly("mask",
                             [](const PyBatch& b) {
                               Array out({static_cast<long>(b.batch.steps), static_cast<long>(b.batch.trials)});
                               Eigen::Map<Eigen::RowVectorXd>(out.mutable_data(), b.batch.mask.size()) =
                                   b.batch.mask.cast<double>();
                               return out;
                             })
      .def_property_readonly("conditions", [](const PyBatch& b) { return b.batch.conditions; })
      .def_property_readonly("condition_names", [](const PyBatch& b) { return b.batch.condition_names; });

  py::class_<PyTask>(m, "Task")
      .def(py::init([](const std::string& name, double dt, const py::dict& params) {
             return PyTask{std::shared_ptr<Task>(make_task(name, params_from(params), dt)), name, dt};
           }),
           py::arg("name"), py::arg("dt"), py::arg("params"))
      .def_property_readonly("name", [](const PyTask& t) { return t.name; })
      .def_property_readonly("dt", [](const PyTask& t) { return t.dt; })
      .def_property_readonly("n_inputs", [](const PyTask& t) { return t.task->n_inputs(); })
      .def_property_readonly("n_outputs", [](const PyTask& t) { return t.task->n_outputs(); })
      .def_property_readonly("steps", [](const PyTask& t) { return t.task->steps(); })
      // Batches come from Rng::stream(seed, Purpose::user): reproducible, and
      // independent of the trainer's own (train, validation, eval) streams.
      .def(
          "batch",
          [](const PyTask& t, int trials, std::uint64_t seed) {
            if (trials < 1) throw InputError("batch size must be at least 1, got " + std::to_string(trials));
            Rng rng = Rng::stream(seed, Purpose::user);
            return PyBatch{t.task->batch(trials, rng)};
          },
          py::arg("size"), py::arg("seed") = 0)
      .def(
          "accuracy",
          [](const PyTask& t, const PyBatch& b, const Array& outputs) {
            const Eigen::MatrixXf y = batch_to_matrix<float>(outputs, "outputs", t.task->n_outputs());
            if (y.cols() != static_cast<Eigen::Index>(b.batch.steps) * b.batch.trials)
              throw InputError("outputs must have shape (steps, trials, outputs) = (" +
                               std::to_string(b.batch.steps) + ", " + std::to_string(b.batch.trials) + ", " +
                               std::to_string(t.task->n_outputs()) + ")");
            return t.task->accuracy(b.batch, y);
          },
          py::arg("batch"), py::arg("outputs"));
}

}  // namespace rnnlab::py_bind
