// multi_amplitude: analogue working memory of an amplitude, one of the tasks
// of Jarne's suite (issue 17). A pulse of amplitude k / levels, k = 1..levels,
// at a random time; a fixed delay after the pulse ends the output must hold
// that amplitude to the end of the trial. Unlike the flip-flop's two states
// the network needs `levels` distinguishable states (a discretised line
// attractor). We found no published generator for this task, so its timings
// are ours.
#include <string>

#include "tasks/common.hpp"
#include "tasks/window_rule.hpp"

namespace rnnlab {
namespace {

using namespace taskkit;

class MultiAmplitude final : public Task {
 public:
  MultiAmplitude(const ParamValues& p, double dt)
      : dt_(dt),
        fixation_(steps_of(number(p, "fixation"), dt)),
        jitter_(steps_of(number(p, "jitter"), dt)),
        width_(steps_at_least_one(number(p, "pulse"), dt)),
        delay_(steps_of(number(p, "delay"), dt)),
        response_(steps_at_least_one(number(p, "response"), dt)),
        grace_(steps_of(number(p, "grace"), dt)),
        levels_(whole(p, "levels")),
        steps_(fixation_ + jitter_ + width_ + delay_ + response_) {
    require(grace_ < response_, p, "grace", "must be shorter than " + shown(p, "response"));
  }

  std::string name() const override { return "multi_amplitude"; }
  int n_inputs() const override { return 1; }
  int n_outputs() const override { return 1; }
  int steps() const override { return steps_; }

  TrialBatch batch(int trials, Rng& rng) const override {
    TrialBatch batch = empty_batch(1, 1, steps_, trials, {"amplitude", "level", "onset_ms"});
    for (int b = 0; b < trials; ++b) {
      const int k = static_cast<int>(rng.uniform_int(1, levels_));
      const int onset = fixation_ + static_cast<int>(rng.uniform_int(0, jitter_));
      const int answer = onset + width_ + delay_;
      const float amplitude = static_cast<float>(k) / static_cast<float>(levels_);
      fill(batch.inputs, batch, 0, b, onset, onset + width_, amplitude);
      fill(batch.targets, batch, 0, b, answer, steps_, amplitude);
      mask_out(batch, b, answer, answer + grace_);
      batch.conditions(b, 0) = amplitude;
      batch.conditions(b, 1) = k;
      batch.conditions(b, 2) = onset * dt_;
    }
    return batch;
  }

  // Right when the mean output over the last `response` steps (after the
  // grace period) is nearer the trial's amplitude than any other level:
  // within half a level spacing, 0.5 / levels.
  double accuracy(const TrialBatch& batch, const Eigen::MatrixXf& outputs) const override {
    check_outputs(batch, outputs, 1, name());
    const double half_spacing = 0.5 / levels_;
    return window_rule_accuracy(batch, outputs, steps_ - response_ + grace_, steps_, [&](int b, double mean) {
      return std::abs(mean - batch.conditions(b, 0)) < half_spacing;
    });
  }

 private:
  double dt_;
  int fixation_, jitter_, width_, delay_, response_, grace_, levels_, steps_;
};

}  // namespace

TaskInfo multi_amplitude_task() {
  return TaskInfo{
      "multi_amplitude",
      "multi-amplitude memory (Jarne's suite): a pulse of amplitude k/levels, then the output holds that "
      "amplitude after a delay; accuracy: mean output over the last response window (after the grace) "
      "within half a level spacing (0.5/levels) of the amplitude",
      {
          ms_param("fixation", 100, "earliest pulse onset"),
          ms_param("jitter", 200, "the onset is fixation plus up to this much (uniform)"),
          ms_param("pulse", 50, "length of the input pulse"),
          ms_param("delay", 200, "from the end of the pulse to the answer"),
          ms_param("response", 300, "length of the answer window of the latest trial", 1),
          ms_param("grace", 50, "at the start of the answer the loss ignores this long"),
          int_param("levels", 4, "number of amplitudes k/levels, k = 1..levels, equally likely", 1, 20),
      },
      [](const ParamValues& p, double dt) -> std::unique_ptr<Task> { return std::make_unique<MultiAmplitude>(p, dt); },
  };
}

}  // namespace rnnlab
