// interval_distance: report the length of an interval as an amplitude, one of
// the tasks of Jarne's suite (issue 17; the inverse of multi_interval). Two
// flashes on the input are d ms apart, d uniform in [interval_min,
// interval_max]; a fixed delay after the second flash the output holds
// d / interval_max to the end of the trial. The network must measure time
// with nothing on its input between the flashes and turn it into a level. We
// found no published generator for this task, so its timings are ours.
#include <string>

#include "tasks/common.hpp"
#include "tasks/window_rule.hpp"

namespace rnnlab {
namespace {

using namespace taskkit;

class IntervalDistance final : public Task {
 public:
  IntervalDistance(const ParamValues& p, double dt)
      : dt_(dt),
        first_(steps_of(number(p, "first_flash"), dt)),
        flash_(steps_at_least_one(number(p, "flash"), dt)),
        interval_min_(steps_of(number(p, "interval_min"), dt)),
        interval_max_(steps_of(number(p, "interval_max"), dt)),
        delay_(steps_of(number(p, "delay"), dt)),
        response_(steps_at_least_one(number(p, "response"), dt)),
        grace_(steps_of(number(p, "grace"), dt)),
        steps_(first_ + interval_max_ + flash_ + delay_ + response_),
        tolerance_(number(p, "tolerance")) {
    require(interval_min_ <= interval_max_, p, "interval_min", "must not exceed " + shown(p, "interval_max"));
    require(interval_min_ > flash_, p, "interval_min", "must be longer than " + shown(p, "flash") + ", or the flashes merge");
    require(grace_ < response_, p, "grace", "must be shorter than " + shown(p, "response"));
  }

  std::string name() const override { return "interval_distance"; }
  int n_inputs() const override { return 1; }
  int n_outputs() const override { return 1; }
  int steps() const override { return steps_; }

  TrialBatch batch(int trials, Rng& rng) const override {
    TrialBatch batch = empty_batch(1, 1, steps_, trials, {"interval_ms", "reported"});
    for (int b = 0; b < trials; ++b) {
      const int d = static_cast<int>(rng.uniform_int(interval_min_, interval_max_));
      const int second = first_ + d;
      const float level = static_cast<float>(d) / static_cast<float>(interval_max_);
      fill(batch.inputs, batch, 0, b, first_, first_ + flash_, 1.0f);
      fill(batch.inputs, batch, 0, b, second, second + flash_, 1.0f);
      // Until the answer is due the output stays at 0; the answer is due at
      // the same delay after the second flash on every trial.
      const int answer = second + flash_ + delay_;
      fill(batch.targets, batch, 0, b, answer, steps_, level);
      mask_out(batch, b, answer, answer + grace_);
      batch.conditions(b, 0) = d * dt_;
      batch.conditions(b, 1) = level;
    }
    return batch;
  }

  // Right when the mean output over the last `response` steps (after the
  // grace period) is within `tolerance` of d / interval_max.
  double accuracy(const TrialBatch& batch, const Eigen::MatrixXf& outputs) const override {
    check_outputs(batch, outputs, 1, name());
    return window_rule_accuracy(batch, outputs, steps_ - response_ + grace_, steps_, [&](int b, double mean) {
      return std::abs(mean - batch.conditions(b, 1)) < tolerance_;
    });
  }

 private:
  double dt_;
  int first_, flash_, interval_min_, interval_max_, delay_, response_, grace_, steps_;
  double tolerance_;
};

}  // namespace

TaskInfo interval_distance_task() {
  return TaskInfo{
      "interval_distance",
      "interval distance (Jarne's suite): two flashes d ms apart, the output then holds d / interval_max; "
      "accuracy: mean output over the last response window (after the grace) within tolerance of it",
      {
          ms_param("first_flash", 100, "onset of the first flash"),
          ms_param("flash", 50, "length of each flash"),
          ms_param("interval_min", 200, "shortest interval between flash onsets"),
          ms_param("interval_max", 600, "longest interval between flash onsets", 1),
          ms_param("delay", 100, "from the end of the second flash to the answer"),
          ms_param("response", 300, "length of the answer window of the latest trial", 1),
          ms_param("grace", 50, "at the start of the answer the loss ignores this long"),
          real_param("tolerance", 0.1, "largest error of the mean answer that counts as right", 1e-6, 10),
      },
      [](const ParamValues& p, double dt) -> std::unique_ptr<Task> {
        return std::make_unique<IntervalDistance>(p, dt);
      },
  };
}

}  // namespace rnnlab
