#include "python_tasks.hpp"

#include <pybind11/eigen.h>
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <cmath>

#include "convert.hpp"
#include "task_params.hpp"
#include "tasks/common.hpp"
#include "util/error.hpp"

namespace rnnlab::py_bind {

namespace {

std::string shape_of(const Array& a) {
  std::string s = "(";
  for (py::ssize_t k = 0; k < a.ndim(); ++k) s += (k ? ", " : "") + std::to_string(a.shape(k));
  return s + (a.ndim() == 1 ? ",)" : ")");
}

}  // namespace

double sign_agreement_accuracy(const TrialBatch& batch, const Eigen::MatrixXf& outputs) {
  int right = 0;
  for (int b = 0; b < batch.trials; ++b) {
    Eigen::VectorXd y = Eigen::VectorXd::Zero(outputs.rows()), target = y;
    double weight = 0.0;
    for (int t = 0; t < batch.steps; ++t) {
      const Eigen::Index c = batch.col(t, b);
      const double m = batch.mask(c);
      if (m == 0.0) continue;
      y += m * outputs.col(c).cast<double>();
      target += m * batch.targets.col(c).cast<double>();
      weight += m;
    }
    bool ok = true;
    for (Eigen::Index o = 0; o < y.size() && weight > 0; ++o)
      if (target(o) != 0.0) ok = ok && (y(o) > 0.0) == (target(o) > 0.0) && y(o) != 0.0;
    right += ok;
  }
  return batch.trials > 0 ? static_cast<double>(right) / batch.trials : 0.0;
}

double data_accuracy(LossKind loss, const TrialBatch& batch, const Eigen::MatrixXf& outputs) {
  return loss == LossKind::cross_entropy ? taskkit::argmax_accuracy(batch, outputs)
                                         : sign_agreement_accuracy(batch, outputs);
}

TrialBatch batch_from_arrays(const py::handle& inputs_h, const py::handle& targets_h, const py::handle& mask_h,
                             const std::string& what) {
  const Array inputs = py::cast<Array>(inputs_h), targets = py::cast<Array>(targets_h);
  if (inputs.ndim() != 3) throw InputError(what + ": inputs must have shape (steps, trials, inputs), got " + shape_of(inputs));
  const long steps = inputs.shape(0), trials = inputs.shape(1);
  if (targets.ndim() != 3 || targets.shape(0) != steps || targets.shape(1) != trials)
    throw InputError(what + ": targets must have shape (steps, trials, outputs) = (" + std::to_string(steps) + ", " +
                     std::to_string(trials) + ", O), got " + shape_of(targets));
  TrialBatch batch;
  batch.steps = static_cast<int>(steps);
  batch.trials = static_cast<int>(trials);
  batch.inputs = batch_to_matrix<float>(inputs, what + ": inputs");
  batch.targets = batch_to_matrix<float>(targets, what + ": targets");
  if (mask_h.is_none()) {
    batch.mask = Eigen::RowVectorXf::Ones(steps * trials);
  } else {
    const Array mask = py::cast<Array>(mask_h);
    const long outputs = targets.shape(2);
    if (mask.ndim() == 3 && mask.shape(0) == steps && mask.shape(1) == trials && mask.shape(2) == outputs) {
      // Per output: the weights go to output_mask; mask marks the steps where any output counts.
      batch.output_mask = batch_to_matrix<float>(mask, what + ": mask");
      batch.mask = (batch.output_mask.array() != 0.0f).colwise().any().cast<float>();
    } else if (mask.ndim() == 2 && mask.shape(0) == steps && mask.shape(1) == trials) {
      batch.mask = mask_to_row<float>(mask, steps, trials);
    } else {
      throw InputError(what + ": mask must have shape (steps, trials) = (" + std::to_string(steps) + ", " +
                       std::to_string(trials) + ") or (steps, trials, outputs) = (" + std::to_string(steps) + ", " +
                       std::to_string(trials) + ", " + std::to_string(outputs) + "), got " + shape_of(mask));
    }
  }
  batch.conditions = Eigen::MatrixXd::Zero(trials, 0);
  if (!batch.inputs.allFinite() || !batch.targets.allFinite() || !batch.mask.allFinite() ||
      !batch.output_mask.allFinite())
    throw InputError(what + ": inputs, targets and mask must be finite (no NaN or inf)");
  return batch;
}

void ArrayTask::set_loss(LossKind loss) {
  check_targets(loss, pool_, "data");
  loss_ = loss;
}

TrialBatch ArrayTask::batch(int trials, Rng& rng) const {
  TrialBatch out;
  out.steps = pool_.steps;
  out.trials = trials;
  const Eigen::Index cols = static_cast<Eigen::Index>(out.steps) * trials;
  out.inputs.resize(pool_.inputs.rows(), cols);
  out.targets.resize(pool_.targets.rows(), cols);
  out.mask.resize(cols);
  if (pool_.output_mask.size() > 0) out.output_mask.resize(pool_.output_mask.rows(), cols);
  out.conditions = Eigen::MatrixXd::Zero(trials, 0);
  for (int b = 0; b < trials; ++b) {
    const int k = static_cast<int>(rng.uniform_int(0, pool_.trials - 1));
    for (int t = 0; t < out.steps; ++t) {
      out.inputs.col(out.col(t, b)) = pool_.inputs.col(pool_.col(t, k));
      out.targets.col(out.col(t, b)) = pool_.targets.col(pool_.col(t, k));
      out.mask(out.col(t, b)) = pool_.mask(pool_.col(t, k));
      if (pool_.output_mask.size() > 0) out.output_mask.col(out.col(t, b)) = pool_.output_mask.col(pool_.col(t, k));
    }
  }
  return out;
}

CallableTask::CallableTask(py::object fn) : fn_(std::move(fn)) {
  probe_ = call(2, 0);
  inputs_ = static_cast<int>(probe_.inputs.rows());
  outputs_ = static_cast<int>(probe_.targets.rows());
  steps_ = probe_.steps;
}

void CallableTask::set_loss(LossKind loss) {
  check_targets(loss, probe_, "the batch of size 2, seed 0 from Python");
  loss_ = loss;
}

CallableTask::~CallableTask() {
  // The function object must be released with the GIL held.
  py::gil_scoped_acquire gil;
  fn_ = py::object();
}

TrialBatch CallableTask::call(int trials, std::uint64_t seed) const {
  const py::object result = fn_(trials, seed);
  const std::string what = "data callable (returned for size " + std::to_string(trials) + ")";
  if (!py::isinstance<py::tuple>(result) && !py::isinstance<py::list>(result))
    throw InputError(what + ": expected a tuple (inputs, targets, mask), got " +
                     py::str(result.get_type()).cast<std::string>());
  const py::sequence seq = result.cast<py::sequence>();
  if (seq.size() < 2)
    throw InputError(what + ": expected a tuple (inputs, targets, mask), got " + std::to_string(seq.size()) +
                     " items");
  const py::object mask = seq.size() >= 3 ? py::object(seq[2]) : py::object(py::none());
  TrialBatch batch = batch_from_arrays(py::object(seq[0]), py::object(seq[1]), mask, what);
  if (batch.trials != trials)
    throw InputError(what + ": asked for " + std::to_string(trials) + " trials, got " + std::to_string(batch.trials));
  if (inputs_ && (batch.inputs.rows() != inputs_ || batch.targets.rows() != outputs_))
    throw InputError(what + ": every batch must have " + std::to_string(inputs_) + " inputs and " +
                     std::to_string(outputs_) + " outputs, as the first");
  if (seq.size() >= 5 && !py::object(seq[3]).is_none()) {  // per-trial labels (B, C) and their names
    batch.conditions = py::cast<Eigen::MatrixXd>(seq[3]);
    batch.condition_names = py::cast<std::vector<std::string>>(seq[4]);
    if (batch.conditions.rows() != trials ||
        batch.conditions.cols() != static_cast<Eigen::Index>(batch.condition_names.size()))
      throw InputError(what + ": conditions must have shape (trials, len(condition_names))");
  }
  return batch;
}

std::exception_ptr CallableTask::first_error() const {
  std::lock_guard lock(error_mutex_);
  return first_error_;
}

void CallableTask::note_error() const {
  std::lock_guard lock(error_mutex_);
  if (!first_error_) first_error_ = std::current_exception();
}

TrialBatch CallableTask::batch(int trials, Rng& rng) const {
  // 53 random bits of the trainer's stream for this batch.
  const auto seed = static_cast<std::uint64_t>(rng.uniform() * 0x1.0p53);
  py::gil_scoped_acquire gil;
  try {
    return call(trials, seed);
  } catch (...) {
    note_error();
    throw;
  }
}

PythonTask::PythonTask(py::object adapter) : CallableTask(adapter.attr("batch")), adapter_(std::move(adapter)) {
  name_ = kPythonTaskPrefix + adapter_.attr("name").cast<std::string>();
  params_ = params_from(adapter_.attr("params").cast<py::dict>());
  for (const py::handle item : adapter_.attr("operating_inputs")()) {
    const auto pair = item.cast<std::pair<std::string, Eigen::VectorXd>>();
    operating_.push_back({pair.first, pair.second});
  }
}

PythonTask::~PythonTask() {
  py::gil_scoped_acquire gil;
  adapter_ = py::object();
}

double PythonTask::accuracy(const TrialBatch& batch, const Eigen::MatrixXf& outputs) const {
  py::gil_scoped_acquire gil;
  try {
    py::dict b;
    b["inputs"] = matrix_to_batch(batch.inputs, batch.steps, batch.trials);
    b["targets"] = matrix_to_batch(batch.targets, batch.steps, batch.trials);
    if (batch.output_mask.size() > 0) {  // the (T, B, O) mask as given (mask marks where any output counts)
      b["mask"] = matrix_to_batch(batch.output_mask, batch.steps, batch.trials);
    } else {
      Array mask({static_cast<long>(batch.steps), static_cast<long>(batch.trials)});
      Eigen::Map<Eigen::RowVectorXd>(mask.mutable_data(), batch.mask.size()) = batch.mask.cast<double>();
      b["mask"] = mask;
    }
    b["conditions"] = batch.conditions;
    b["condition_names"] = batch.condition_names;
    return adapter_.attr("accuracy")(matrix_to_batch(outputs, batch.steps, batch.trials), b).cast<double>();
  } catch (...) {
    note_error();
    throw;
  }
}

}  // namespace rnnlab::py_bind
