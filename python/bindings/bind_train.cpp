// Training from Python.
//
// A config whose task is in the registry trains through train_ensemble, the
// very code `rnnlab train` runs (same bits, threads). A config with data from
// Python (arrays or a callable) trains through custom_training.cpp's loop,
// which is NetworkTrainer::run with the task supplied from outside.
//
// Progress goes to a Python callable progress(event, seed, iteration, loss,
// accuracy_or_reason), called with the GIL held from whichever thread reports.
// Ctrl-C (a pending KeyboardInterrupt) is noticed at the next report: every
// network then stops at its next report and the call raises KeyboardInterrupt.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <atomic>
#include <memory>

#include "custom_training.hpp"
#include "io/config.hpp"
#include "io/experiment_file.hpp"
#include "network_dict.hpp"
#include "python_tasks.hpp"
#include "train/ensemble.hpp"
#include "util/error.hpp"

namespace rnnlab::py_bind {

namespace py = pybind11;

namespace {

struct Interrupted : std::runtime_error {
  Interrupted() : std::runtime_error("interrupted from Python (KeyboardInterrupt)") {}
};

class PySink : public ProgressSink {
 public:
  explicit PySink(py::object callback) : callback_(std::move(callback)) {}
  ~PySink() override {
    py::gil_scoped_acquire gil;
    callback_ = py::object();
  }
  void update(std::uint64_t seed, long iteration, double loss, double val_accuracy) override {
    report([&] { callback_("update", seed, iteration, loss, val_accuracy); });
  }
  void finished(std::uint64_t seed, const std::string& status, const std::string& reason) override {
    if (interrupted) return;
    report([&] { callback_(py::str("finished"), seed, py::str(status), py::none(), py::str(reason)); }, false);
  }
  std::atomic<bool> interrupted{false};
  std::string callback_error;

 private:
  template <class F>
  void report(F&& call, bool may_stop = true) {
    if (interrupted && may_stop) throw Interrupted();
    py::gil_scoped_acquire gil;
    if (PyErr_CheckSignals() != 0) {
      PyErr_Clear();
      interrupted = true;
    } else if (!callback_.is_none()) {
      try {
        call();
      } catch (py::error_already_set& e) {
        // A broken progress display must not cost the training: report once, go on.
        if (e.matches(PyExc_KeyboardInterrupt)) interrupted = true;
        else if (callback_error.empty()) callback_error = e.what();
      }
    }
    if (interrupted && may_stop) throw Interrupted();
  }
  py::object callback_;
};

ExperimentConfig parse(const std::string& text, const std::string& source, const std::vector<std::string>& overrides) {
  return parse_config(text, source, overrides);
}

py::list to_list(const std::vector<NetworkRecord>& records) {
  py::list out;
  for (const auto& r : records) out.append(record_to_dict(r));
  return out;
}

// data: None (the config's task), a tuple (inputs, targets[, mask]) or a callable.
py::dict train(const std::string& toml_text, const std::string& source, const std::vector<std::string>& overrides,
               const py::object& data, const py::object& progress, int threads, const std::string& output) {
  ExperimentConfig config = parse(toml_text, source, overrides);
  if (!output.empty() && !data.is_none())
    throw InputError("output= is only for configs with a task from the registry (not data from Python)");
  auto sink = std::make_unique<PySink>(progress);
  std::vector<NetworkRecord> records;
  std::unique_ptr<Task> task;
  if (!data.is_none()) {
    if (py::isinstance<py::tuple>(data) || py::isinstance<py::list>(data)) {
      const py::sequence seq = data.cast<py::sequence>();
      if (seq.size() < 2 || seq.size() > 3)
        throw InputError("data must be (inputs, targets) or (inputs, targets, mask), or a callable");
      task = std::make_unique<ArrayTask>(
          batch_from_arrays(py::object(seq[0]), py::object(seq[1]), seq.size() == 3 ? py::object(seq[2]) : py::object(py::none()), "data"),
          config.train.loss);
    } else if (PyCallable_Check(data.ptr())) {
      task = std::make_unique<CallableTask>(data, config.train.loss);
    } else {
      throw InputError("data must be (inputs, targets[, mask]) arrays or a callable fn(size, seed), got " +
                       py::str(data.get_type()).cast<std::string>());
    }
    config.model.inputs = task->n_inputs();
    config.model.outputs = task->n_outputs();
  }
  {
    py::gil_scoped_release release;
    if (task) {
      try {
        records = train_on_task(config, *task, sink.get());
      } catch (const Interrupted&) {
      }
    } else {
      EnsembleOptions options;
      options.threads = threads;
      options.progress = sink.get();
      records = train_ensemble(config, options);
    }
  }
  if (sink->interrupted) {
    PyErr_SetNone(PyExc_KeyboardInterrupt);
    throw py::error_already_set();
  }
  if (!output.empty()) {
    write_experiment(output, Experiment{config.toml_text, RNNLAB_VERSION, records});
  }
  py::dict out;
  out["config"] = config.toml_text;
  out["networks"] = to_list(records);
  out["progress_error"] = sink->callback_error;
  out["iterations"] = config.train.iterations;
  return out;
}

}  // namespace

void bind_train(py::module_& m) {
  m.def("train", &train, py::arg("toml_text"), py::arg("source"), py::arg("overrides"), py::arg("data"),
        py::arg("progress"), py::arg("threads") = 0, py::arg("output") = "");
  m.def(
      "config_summary",
      [](const std::string& text, const std::string& source, const std::vector<std::string>& overrides) {
        const ExperimentConfig c = parse(text, source, overrides);
        py::dict d;
        d["toml"] = c.toml_text;
        d["task"] = c.task.name;
        d["units"] = c.model.units;
        d["dt"] = c.model.dt;
        d["tau"] = c.model.tau;
        d["init"] = to_string(c.model.init);
        d["gain"] = c.model.gain;
        d["spectral_radius"] = c.model.spectral_radius;
        d["sigma_rec"] = c.model.sigma_rec;
        d["sigma_in"] = c.model.sigma_in;
        d["iterations"] = c.train.iterations;
        d["seeds"] = c.seeds();
        return d;
      },
      py::arg("toml_text"), py::arg("source") = "<config>", py::arg("overrides") = std::vector<std::string>{});
}

}  // namespace rnnlab::py_bind
