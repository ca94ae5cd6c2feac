// interval_comparison: which of two intervals was longer, one of the tasks of
// Jarne's suite (issue 17); the temporal analogue of parametric_wm. Two
// flashes on input 0 mark the first interval d1; after a delay two flashes
// on input 1 mark the second, d2; the decision period, at the same time on
// every trial, reports +1 if d1 > d2 and -1 otherwise. d1 must be held
// through the delay as an analogue value and compared with an interval being
// measured. The two intervals differ by at least `difference` ms. We found no
// published generator for this task, so its timings are ours.
#include <string>

#include "tasks/common.hpp"

namespace rnnlab {
namespace {

using namespace taskkit;

class IntervalComparison final : public Task {
 public:
  IntervalComparison(const ParamValues& p, double dt)
      : dt_(dt),
        first_(steps_of(number(p, "first_flash"), dt)),
        flash_(steps_at_least_one(number(p, "flash"), dt)),
        interval_min_(steps_of(number(p, "interval_min"), dt)),
        interval_max_(steps_of(number(p, "interval_max"), dt)),
        difference_(steps_at_least_one(number(p, "difference"), dt)),
        second_(first_ + interval_max_ + flash_ + steps_of(number(p, "delay"), dt)),
        decision_onset_(second_ + interval_max_ + flash_),
        steps_(decision_onset_ + steps_at_least_one(number(p, "decision"), dt)),
        grace_(steps_of(number(p, "grace"), dt)) {
    require(interval_min_ > flash_, p, "interval_min", "must be longer than " + shown(p, "flash") + ", or the flashes merge");
    // Half the range: then every d1, even the middle one, has a d2 far enough.
    require(2 * difference_ <= interval_max_ - interval_min_, p, "difference",
            "must not exceed half of task.interval_max - task.interval_min (" + shown(p, "interval_max") + ", " +
                shown(p, "interval_min") + ")");
    require(grace_ < steps_ - decision_onset_, p, "grace", "must be shorter than " + shown(p, "decision"));
  }

  std::string name() const override { return "interval_comparison"; }
  // Inputs: 0 the flashes of the first interval, 1 those of the second.
  int n_inputs() const override { return 2; }
  int n_outputs() const override { return 1; }
  int steps() const override { return steps_; }

  TrialBatch batch(int trials, Rng& rng) const override {
    TrialBatch batch = empty_batch(2, 1, steps_, trials, {"interval_1_ms", "interval_2_ms", "choice"});
    for (int b = 0; b < trials; ++b) {
      const int d1 = static_cast<int>(rng.uniform_int(interval_min_, interval_max_));
      int d2 = d1;
      // Redrawn until far enough from d1: at most 2 * difference of the
      // range is excluded, so about two draws on average, and never none.
      while (std::abs(d2 - d1) < difference_) d2 = static_cast<int>(rng.uniform_int(interval_min_, interval_max_));
      fill(batch.inputs, batch, 0, b, first_, first_ + flash_, 1.0f);
      fill(batch.inputs, batch, 0, b, first_ + d1, first_ + d1 + flash_, 1.0f);
      fill(batch.inputs, batch, 1, b, second_, second_ + flash_, 1.0f);
      fill(batch.inputs, batch, 1, b, second_ + d2, second_ + d2 + flash_, 1.0f);
      const float choice = d1 > d2 ? 1.0f : -1.0f;
      report_decision(batch, b, decision_onset_, grace_, steps_, choice);
      batch.conditions(b, 0) = d1 * dt_;
      batch.conditions(b, 1) = d2 * dt_;
      batch.conditions(b, 2) = choice;
    }
    return batch;
  }

  double accuracy(const TrialBatch& batch, const Eigen::MatrixXf& outputs) const override {
    return decision_accuracy(batch, outputs, decision_onset_, grace_, steps_, name());
  }

 private:
  double dt_;
  int first_, flash_, interval_min_, interval_max_, difference_, second_, decision_onset_, steps_, grace_;
};

}  // namespace

TaskInfo interval_comparison_task() {
  return TaskInfo{
      "interval_comparison",
      "interval comparison (Jarne's suite): flashes on input 0 mark interval d1, later flashes on input 1 mark "
      "d2; report +1 if d1 > d2 else -1; accuracy: sign of the mean output over the scored decision period",
      {
          ms_param("first_flash", 100, "onset of the first flash"),
          ms_param("flash", 50, "length of each flash"),
          ms_param("interval_min", 100, "shortest interval between the flash onsets of a pair"),
          ms_param("interval_max", 400, "longest interval between the flash onsets of a pair", 1),
          ms_param("difference", 50, "smallest |d1 - d2|", 1),
          ms_param("delay", 200, "from the end of the latest first pair to the second pair"),
          ms_param("decision", 300, "response period, after the latest second pair", 1),
          ms_param("grace", 50, "at the start of the decision the loss ignores this long"),
      },
      [](const ParamValues& p, double dt) -> std::unique_ptr<Task> {
        return std::make_unique<IntervalComparison>(p, dt);
      },
  };
}

}  // namespace rnnlab
