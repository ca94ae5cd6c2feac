#pragma once
// Tasks whose trials come from Python, so the C++ trainer can train on them:
//
//   ArrayTask:    a fixed pool of trials (inputs, targets, mask) given as arrays;
//                 each batch draws trials from the pool uniformly with replacement.
//   CallableTask: a Python function fn(size, seed) -> (inputs, targets, mask[, ...])
//                 called for every batch, with the GIL held for the call only
//                 (the trainer runs with the GIL released). `seed` is drawn from
//                 the trainer's stream for that batch, so a run is reproducible
//                 when fn is a pure function of (size, seed).
//
// Accuracy for both (no task rule is known): a trial is right when, for every
// output channel whose mean target over the trial's masked steps is non-zero,
// the mean output over those steps has the same sign (channels with a zero
// mean target, and trials with no masked step, do not make a trial wrong).
// Trained with train.loss = "cross_entropy" the targets are classes, and the
// rule is taskkit::argmax_accuracy: the largest output is the class at every
// scored step.
#include <pybind11/pybind11.h>

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
  ArrayTask(TrialBatch pool, LossKind loss) : pool_(std::move(pool)), loss_(loss) {}
  std::string name() const override { return "python_arrays"; }
  int n_inputs() const override { return static_cast<int>(pool_.inputs.rows()); }
  int n_outputs() const override { return static_cast<int>(pool_.targets.rows()); }
  int steps() const override { return pool_.steps; }
  TrialBatch batch(int trials, Rng& rng) const override;
  double accuracy(const TrialBatch& batch, const Eigen::MatrixXf& outputs) const override {
    return data_accuracy(loss_, batch, outputs);
  }

 private:
  TrialBatch pool_;
  LossKind loss_;
};

class CallableTask : public Task {
 public:
  // Calls fn once (size 2, seed 0) to learn the shapes. Needs the GIL.
  CallableTask(pybind11::object fn, LossKind loss);
  ~CallableTask() override;
  std::string name() const override { return "python_callable"; }
  int n_inputs() const override { return inputs_; }
  int n_outputs() const override { return outputs_; }
  int steps() const override { return steps_; }
  TrialBatch batch(int trials, Rng& rng) const override;
  double accuracy(const TrialBatch& batch, const Eigen::MatrixXf& outputs) const override {
    return data_accuracy(loss_, batch, outputs);
  }

 private:
  TrialBatch call(int trials, std::uint64_t seed) const;
  pybind11::object fn_;
  LossKind loss_;
  int inputs_ = 0, outputs_ = 0, steps_ = 0;
};

}  // namespace rnnlab::py_bind
