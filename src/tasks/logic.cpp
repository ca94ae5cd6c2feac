// logic: a Boolean gate in time (Jarne & Laje). Both inputs carry a 0/1 pulse
// (a 1 is a pulse of height 1, a 0 is no pulse) at the same fixed moment; after
// a delay the output reports the truth value, 1 or 0, until the trial ends.
// The onset is fixed so that "0 op 0" (no input at all) still has a time to
// answer at, which "not 0" needs.
#include <string>

#include "tasks/common.hpp"

namespace rnnlab {
namespace {

using namespace taskkit;

enum class Op { and_, or_, xor_, not_ };

Op parse_op(const std::string& s) {
  if (s == "and") return Op::and_;
  if (s == "or") return Op::or_;
  if (s == "xor") return Op::xor_;
  return Op::not_;
}

class Logic final : public Task {
 public:
  Logic(const ParamValues& p, double dt)
      : op_(parse_op(text(p, "op"))),
        onset_(steps_of(number(p, "stimulus_onset"), dt)),
        width_(steps_at_least_one(number(p, "pulse"), dt)),
        response_onset_(onset_ + width_ + steps_of(number(p, "delay"), dt)),
        steps_(response_onset_ + steps_at_least_one(number(p, "response"), dt)),
        grace_(steps_of(number(p, "grace"), dt)) {
    require(grace_ < steps_ - response_onset_, p, "grace", "must be shorter than " + shown(p, "response"));
  }

  std::string name() const override { return "logic"; }
  int n_inputs() const override { return op_ == Op::not_ ? 1 : 2; }
  int n_outputs() const override { return 1; }
  int steps() const override { return steps_; }

  TrialBatch batch(int trials, Rng& rng) const override {
    const bool unary = op_ == Op::not_;
    TrialBatch batch = empty_batch(n_inputs(), 1, steps_, trials, {"a", "b", "truth"});
    for (int b = 0; b < trials; ++b) {
      const bool x = rng.bernoulli(0.5);
      const bool y = unary ? false : rng.bernoulli(0.5);
      const bool truth = evaluate(x, y);
      fill(batch.inputs, batch, 0, b, onset_, onset_ + width_, x ? 1.0f : 0.0f);
      if (!unary) fill(batch.inputs, batch, 1, b, onset_, onset_ + width_, y ? 1.0f : 0.0f);
      fill(batch.targets, batch, 0, b, response_onset_, steps_, truth ? 1.0f : 0.0f);
      mask_out(batch, b, response_onset_, response_onset_ + grace_);
      batch.conditions(b, 0) = x;
      batch.conditions(b, 1) = unary ? -1.0 : static_cast<double>(y);  // -1: no second operand
      batch.conditions(b, 2) = truth;
    }
    return batch;
  }

  // Right when the mean output over the scored response window is on the
  // truth value's side of 0.5.
  double accuracy(const TrialBatch& batch, const Eigen::MatrixXf& outputs) const override {
    check_outputs(batch, outputs, 1, name());
    int right = 0;
    for (int b = 0; b < batch.trials; ++b) {
      const double mean = window_mean(batch, outputs, 0, b, response_onset_ + grace_, steps_);
      right += (mean > 0.5) == (batch.conditions(b, 2) == 1.0);
    }
    return batch.trials > 0 ? static_cast<double>(right) / batch.trials : 0.0;
  }

 private:
  bool evaluate(bool x, bool y) const {
    switch (op_) {
      case Op::and_: return x && y;
      case Op::or_: return x || y;
      case Op::xor_: return x != y;
      case Op::not_: return !x;
    }
    return false;
  }

  Op op_;
  int onset_, width_, response_onset_, steps_, grace_;
};

}  // namespace

TaskInfo logic_task() {
  return TaskInfo{
      "logic",
      "Boolean gate in time (Jarne & Laje): 0/1 pulses on the inputs at a fixed time, the output reports the "
      "truth value (1 or 0) after a delay; accuracy: mean output over the response window on the right side "
      "of 0.5",
      {
          choice_param("op", "xor", "the gate; not takes one input, the others two",
                       {"and", "or", "xor", "not"}),
          ms_param("stimulus_onset", 100, "time of the input pulses from trial start"),
          ms_param("pulse", 100, "length of the input pulses"),
          ms_param("delay", 200, "from the end of the pulses to the response"),
          ms_param("response", 300, "length of the response window", 1),
          ms_param("grace", 50, "at the start of the response the loss ignores this long"),
      },
      [](const ParamValues& p, double dt) -> std::unique_ptr<Task> { return std::make_unique<Logic>(p, dt); },
  };
}

}  // namespace rnnlab
