// context_logic: the contextual multitask of Jarne (2021), "Multitasking in
// RNN: an analysis exploring the combination of simple tasks", J. Phys.
// Complexity: one network performs AND, OR or XOR on two 0/1 pulses, the gate
// chosen on each trial by a context pulse that arrives first. The coding is
// hers: context +1 means AND, -1 means OR and 0 (no context pulse) XOR.
// Inputs: 0 and 1 the operands, 2 the context. The context and operand pulses
// share one random extra onset (jitter), as in her generator; after a delay
// the output reports the truth value, 1 or 0, until the trial ends. Her
// generator works at 1 ms per step with a Keras network without leak (20 ms
// pulses); the defaults here are longer so that a leaky network with
// tau = 100 ms can follow them.
#include <string>

#include "tasks/common.hpp"
#include "tasks/window_rule.hpp"

namespace rnnlab {
namespace {

using namespace taskkit;

// The gates in the order of their context value -1, 0, +1.
enum class Gate { or_ = 0, xor_ = 1, and_ = 2 };

bool truth(Gate gate, bool a, bool b) {
  switch (gate) {
    case Gate::and_: return a && b;
    case Gate::or_: return a || b;
    case Gate::xor_: return a != b;
  }
  return false;
}

class ContextLogic final : public Task {
 public:
  ContextLogic(const ParamValues& p, double dt)
      : dt_(dt),
        context_onset_(steps_of(number(p, "context_onset"), dt)),
        width_(steps_at_least_one(number(p, "pulse"), dt)),
        operand_onset_(steps_of(number(p, "operand_onset"), dt)),
        jitter_(steps_of(number(p, "jitter"), dt)),
        delay_(steps_of(number(p, "delay"), dt)),
        response_(steps_at_least_one(number(p, "response"), dt)),
        grace_(steps_of(number(p, "grace"), dt)),
        steps_(operand_onset_ + jitter_ + width_ + delay_ + response_) {
    require(context_onset_ + width_ <= operand_onset_, p, "operand_onset",
            "must come after the context pulse ends (" + shown(p, "context_onset") + ", " + shown(p, "pulse") + ")");
    require(grace_ < response_, p, "grace", "must be shorter than " + shown(p, "response"));
  }

  std::string name() const override { return "context_logic"; }
  int n_inputs() const override { return 3; }
  int n_outputs() const override { return 1; }
  int steps() const override { return steps_; }

  TrialBatch batch(int trials, Rng& rng) const override {
    TrialBatch batch = empty_batch(3, 1, steps_, trials, {"a", "b", "context", "truth", "response_ms"});
    for (int b = 0; b < trials; ++b) {
      const int gate = static_cast<int>(rng.uniform_int(0, 2));
      const float context = static_cast<float>(gate - 1);
      const bool x = rng.bernoulli(0.5), y = rng.bernoulli(0.5);
      const bool value = truth(static_cast<Gate>(gate), x, y);
      const int shift = static_cast<int>(rng.uniform_int(0, jitter_));
      const int onset = operand_onset_ + shift;
      const int answer = onset + width_ + delay_;
      fill(batch.inputs, batch, 2, b, context_onset_ + shift, context_onset_ + shift + width_, context);
      fill(batch.inputs, batch, 0, b, onset, onset + width_, x ? 1.0f : 0.0f);
      fill(batch.inputs, batch, 1, b, onset, onset + width_, y ? 1.0f : 0.0f);
      fill(batch.targets, batch, 0, b, answer, steps_, value ? 1.0f : 0.0f);
      mask_out(batch, b, answer, answer + grace_);
      batch.conditions(b, 0) = x;
      batch.conditions(b, 1) = y;
      batch.conditions(b, 2) = context;
      batch.conditions(b, 3) = value;
      batch.conditions(b, 4) = answer * dt_;
    }
    return batch;
  }

  // Right when the mean output over the last `response` steps (after the
  // grace period) is on the truth value's side of 0.5 (logic's rule).
  double accuracy(const TrialBatch& batch, const Eigen::MatrixXf& outputs) const override {
    check_outputs(batch, outputs, 1, name());
    return window_rule_accuracy(batch, outputs, steps_ - response_ + grace_, steps_, [&](int b, double mean) {
      return (mean > 0.5) == (batch.conditions(b, 3) == 1.0);
    });
  }

 private:
  double dt_;
  int context_onset_, width_, operand_onset_, jitter_, delay_, response_, grace_, steps_;
};

}  // namespace

TaskInfo context_logic_task() {
  return TaskInfo{
      "context_logic",
      "contextual multitask (Jarne 2021): a context pulse (+1 AND, -1 OR, none XOR) then 0/1 pulses on two "
      "inputs; the output reports the chosen gate's truth value (1 or 0) after a delay; accuracy: mean output "
      "over the last response window (after the grace) on the right side of 0.5",
      {
          ms_param("context_onset", 50, "onset of the context pulse (before the jitter)"),
          ms_param("pulse", 100, "length of the context and operand pulses"),
          ms_param("operand_onset", 250, "onset of the operand pulses (before the jitter)"),
          ms_param("jitter", 100, "both onsets are shifted by the same uniform 0..jitter"),
          ms_param("delay", 200, "from the end of the operand pulses to the answer"),
          ms_param("response", 300, "length of the answer window of the latest trial", 1),
          ms_param("grace", 50, "at the start of the answer the loss ignores this long"),
      },
      [](const ParamValues& p, double dt) -> std::unique_ptr<Task> { return std::make_unique<ContextLogic>(p, dt); },
  };
}

}  // namespace rnnlab
