#pragma once
// Tasks whose trials come from Python, so the C++ trainer can train on them:
//
//   ArrayTask:    a fixed pool of trials (inputs, targets, mask) given as arrays;
//                 each batch draws trials from the pool uniformly with replacement.
//   CallableTask: a Python function fn(size, seed) -> (inputs, targets, mask[,
//                 conditions (B, C), condition_names]) called for every batch,
//                 with the GIL held for the call only (the trainer runs with
//                 the GIL released). `seed` is drawn from the trainer's stream
//                 for that batch, so a run is reproducible when fn is a pure
//                 function of (size, seed).
//   PythonTask:   an rnnlab.Task (python/rnnlab/task.py) through its adapter:
//                 its batches as a CallableTask's, its own accuracy rule and
//                 its conditions() as the operating inputs of analyses.
//
// Their names start with "python:" (tasks/python_task.hpp), so a config or
// file naming one is known for a Python task everywhere.
//
// Accuracy for both (no task rule is known): a trial is right when, for every
// output channel whose mean target over the trial's masked steps is non-zero,
// the mean output over those steps has the same sign (channels with a zero
// mean target, and trials with no masked step, do not make a trial wrong).
// Trained with train.loss = "cross_entropy" the targets are classes, and the
// rule is taskkit::argmax_accuracy: the largest output is the class at every
// scored step.
#include <pybind11/pybind11.h>

#include <exception>
#include <mutex>

#include "tasks/python_task.hpp"

#include "tasks/loss_kind.hpp"
#include "tasks/task.hpp"

namespace rnnlab::py_bind {

// The accuracy rule for data from Python under `loss` (see above).
double data_accuracy(LossKind loss, const TrialBatch& batch, const Eigen::MatrixXf& outputs);

// Sign agreement of mean output and mean target over masked steps (see above).
double sign_agreement_accuracy(const TrialBatch& batch, const Eigen::MatrixXf& outputs);

// Checks (T, B, I), (T, B, O) and (T, B) or (T, B, O) mask shapes against
// each other and builds a batch (a (T, B, O) mask becomes output_mask, and
// mask marks the steps where any output counts).
TrialBatch batch_from_arrays(const pybind11::handle& inputs, const pybind11::handle& targets,
                             const pybind11::handle& mask, const std::string& what);

class ArrayTask : public Task {
 public:
  explicit ArrayTask(TrialBatch pool) : pool_(std::move(pool)) {}
  // The loss it trains with (it picks the accuracy rule); refuses (InputError)
  // a pool whose targets the loss cannot take (check_targets).
  void set_loss(LossKind loss);
  std::string name() const override { return std::string(kPythonTaskPrefix) + "arrays"; }
  int n_inputs() const override { return static_cast<int>(pool_.inputs.rows()); }
  int n_outputs() const override { return static_cast<int>(pool_.targets.rows()); }
  int steps() const override { return pool_.steps; }
  TrialBatch batch(int trials, Rng& rng) const override;
  double accuracy(const TrialBatch& batch, const Eigen::MatrixXf& outputs) const override {
    return data_accuracy(loss_, batch, outputs);
  }

 private:
  TrialBatch pool_;
  LossKind loss_ = LossKind::mse;
};

class CallableTask : public Task {
 public:
  // Calls fn once (size 2, seed 0) to learn the shapes. Needs the GIL.
  explicit CallableTask(pybind11::object fn);
  ~CallableTask() override;
  std::string name() const override { return std::string(kPythonTaskPrefix) + "callable"; }
  int n_inputs() const override { return inputs_; }
  int n_outputs() const override { return outputs_; }
  int steps() const override { return steps_; }
  TrialBatch batch(int trials, Rng& rng) const override;
  double accuracy(const TrialBatch& batch, const Eigen::MatrixXf& outputs) const override {
    return data_accuracy(loss_, batch, outputs);
  }
  // The first exception a Python call raised (null: none). The ensemble
  // records a network whose task raised as failed and goes on; the binding
  // then raises this one in Python, as the user's code raised it.
  std::exception_ptr first_error() const;
  // As ArrayTask::set_loss, checked on the first batch (size 2, seed 0).
  void set_loss(LossKind loss);

 protected:
  // Keeps the first error; call inside the catch block of a Python call.
  void note_error() const;

 private:
  TrialBatch call(int trials, std::uint64_t seed) const;
  pybind11::object fn_;
  LossKind loss_ = LossKind::mse;
  TrialBatch probe_;
  int inputs_ = 0, outputs_ = 0, steps_ = 0;
  mutable std::mutex error_mutex_;
  mutable std::exception_ptr first_error_;
};

class PythonTask : public CallableTask {
 public:
  // `adapter`: rnnlab.task._Adapter around the user's rnnlab.Task (name,
  // inputs, outputs, params, batch, accuracy, operating_inputs). Needs the GIL.
  explicit PythonTask(pybind11::object adapter);
  ~PythonTask() override;
  std::string name() const override { return name_; }
  // The task's own accuracy(outputs, batch), batch as it gave it (labels as labels).
  double accuracy(const TrialBatch& batch, const Eigen::MatrixXf& outputs) const override;
  std::vector<OperatingInput> operating_inputs() const override { return operating_; }
  // Its parameters (the [task] table's other keys in the config as run).
  const ParamValues& params() const { return params_; }

 private:
  pybind11::object adapter_;
  std::string name_;
  ParamValues params_;
  std::vector<OperatingInput> operating_;
};

}  // namespace rnnlab::py_bind
