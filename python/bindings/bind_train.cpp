// Training from Python, always through train_ensemble, the very code
// `rnnlab train` runs (same bits, threads, checkpoints, resume): on the
// config's registry task, or on a task from Python (data= arrays or a
// callable, or an rnnlab.Task), which the config then names
// (custom_training.hpp) and EnsembleOptions::task hands to every network.
//
// Progress goes to a Python callable progress(event, seed, iteration, loss,
// accuracy_or_reason), called with the GIL held from whichever thread reports.
// Ctrl-C (a pending KeyboardInterrupt) is noticed at the next report: every
// network then stops at its next report and the call raises KeyboardInterrupt.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <atomic>
#include <functional>
#include <memory>

#include "custom_training.hpp"
#include "io/config.hpp"
#include "io/experiment_file.hpp"
#include "network_dict.hpp"
#include "network_task.hpp"
#include "pipeline/train_to_file.hpp"
#include "python_tasks.hpp"
#include "train/ensemble.hpp"
#include "train/evaluate.hpp"
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

// The task from Python: an rnnlab.Task's adapter, or data as arrays
// (inputs, targets[, mask]) or a callable; null for the config's own task.
std::shared_ptr<Task> python_task(const py::object& data, const py::object& task) {
  if (!task.is_none()) return std::make_shared<PythonTask>(task);
  if (data.is_none()) return nullptr;
  if (py::isinstance<py::tuple>(data) || py::isinstance<py::list>(data)) {
    const py::sequence seq = data.cast<py::sequence>();
    if (seq.size() < 2 || seq.size() > 3)
      throw InputError("data must be (inputs, targets) or (inputs, targets, mask), or a callable");
    return std::make_shared<ArrayTask>(batch_from_arrays(py::object(seq[0]), py::object(seq[1]),
                                                         seq.size() == 3 ? py::object(seq[2]) : py::object(py::none()),
                                                         "data"));
  }
  if (PyCallable_Check(data.ptr())) return std::make_shared<CallableTask>(data);
  throw InputError("data must be (inputs, targets[, mask]) arrays or a callable fn(size, seed), got " +
                   py::str(data.get_type()).cast<std::string>());
}

// data: None, a tuple (inputs, targets[, mask]) or a callable; task: None or
// an rnnlab.Task's adapter (python/rnnlab/task.py). With neither, the config's task.
py::dict train(const std::string& toml_text, const std::string& source, const std::vector<std::string>& overrides,
               const py::object& data, const py::object& task, const py::object& progress, int threads,
               const std::string& output, bool resume) {
  // A task from Python is made first: the config as run names it (custom_training.hpp).
  const std::shared_ptr<Task> custom = python_task(data, task);
  auto* callable = dynamic_cast<CallableTask*>(custom.get());
  auto* arrays = dynamic_cast<ArrayTask*>(custom.get());
  const auto* named = dynamic_cast<const PythonTask*>(custom.get());
  const ExperimentConfig config =
      custom ? parse(with_python_task(toml_text, source, *custom, named ? named->params() : ParamValues{}), source,
                     overrides)
             : parse(toml_text, source, overrides);
  if (callable) callable->set_loss(config.train.loss);
  if (arrays) arrays->set_loss(config.train.loss);
  if (resume && output.empty()) throw InputError("resume=True needs output= (the file whose checkpoints to resume)");
  auto sink = std::make_unique<PySink>(progress);
  EnsembleOptions options;
  options.threads = threads;
  options.progress = sink.get();
  if (custom) options.task = [custom](const ExperimentConfig&, std::uint64_t) { return custom; };
  std::vector<NetworkRecord> records;
  {
    py::gil_scoped_release release;
    const auto stopped = [&] { return sink->interrupted || (callable && callable->first_error()); };
    if (output.empty()) {
      records = train_ensemble(config, options);
    } else {
      // As `rnnlab train -o output` (and --resume), through the same code: checkpoints
      // in output.partial/, the file assembled from them. An existing file is replaced.
      TrainToFile out;
      out.path = output;
      out.threads = threads;
      out.resume = resume;
      out.force = true;
      out.quiet = true;
      out.progress = sink.get();
      out.task = options.task;
      out.stopped = stopped;
      if (!train_to_file(config, out).stopped) records = read_experiment(output).networks;
    }
  }
  if (sink->interrupted) {
    PyErr_SetNone(PyExc_KeyboardInterrupt);
    throw py::error_already_set();
  }
  // The task's own exception (a bug in the user's batch or accuracy), as raised.
  if (callable)
    if (const std::exception_ptr error = callable->first_error()) std::rethrow_exception(error);
  py::dict out;
  out["config"] = config.toml_text;
  out["networks"] = to_list(records);
  out["progress_error"] = sink->callback_error;
  out["iterations"] = config.iteration_budget();
  return out;
}

}  // namespace

void bind_train(py::module_& m) {
  m.attr("PYTHON_TASK_PREFIX") = kPythonTaskPrefix;
  m.def("train", &train, py::arg("toml_text"), py::arg("source"), py::arg("overrides"), py::arg("data"),
        py::arg("task"), py::arg("progress"), py::arg("threads") = 0, py::arg("output") = "",
        py::arg("resume") = false);
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
        d["iterations"] = c.iteration_budget();  // with a [[curriculum]], its stages' sum
        d["seeds"] = c.seeds();
        return d;
      },
      py::arg("toml_text"), py::arg("source") = "<config>", py::arg("overrides") = std::vector<std::string>{});
  // `rnnlab eval` for one network: its training loss (train.loss of `config`;
  // MSE without one) and the task's accuracy on fresh trials (train/evaluate.hpp).
  m.def(
      "evaluate",
      [](const py::dict& net_dict, const py::object& task_arg, const py::dict& params, const std::string& config,
         int trials, std::uint64_t seed, double sigma_rec, double sigma_in) {
        const Network net = network_from_dict(net_dict);
        const std::unique_ptr<Task> task = task_for(net, task_arg, params, config, "evaluate");
        const LossKind loss_kind = trained_loss(config, "the network's config");
        Evaluation e;
        {
          py::gil_scoped_release release;
          e = evaluate(net, *task, trials, seed, EvalNoise{sigma_rec, sigma_in}, loss_kind);
        }
        py::dict d;
        d["task"] = task->name();
        d["loss"] = e.loss;
        d["loss_kind"] = to_string(e.loss_kind);
        d["loss_name"] = loss_description(e.loss_kind);
        d["accuracy"] = e.accuracy;
        d["trials"] = e.trials;
        return d;
      },
      py::arg("net"), py::arg("task"), py::arg("params"), py::arg("config"), py::arg("trials"), py::arg("seed"),
      py::arg("sigma_rec"), py::arg("sigma_in"));
}

}  // namespace rnnlab::py_bind
