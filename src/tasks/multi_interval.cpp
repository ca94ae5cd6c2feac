// multi_interval: multi-interval amplitude, one of the tasks of Jarne's suite
// (issue 17; Jarne & Laje, arXiv:1906.01094 and J. Comput. Neurosci. 51,
// 407-431, 2023, train her simpler timing tasks of this kind). One input pulse
// of amplitude k / levels, k = 1..levels; the output must rise to 1 exactly k
// intervals after the pulse ends and hold it to the end of the trial. The
// amplitude is a clock setting: the network has to turn an analogue value into
// a delay. We found no published generator for this task, so its timings are
// ours. (long_short is the two-level case with the keras-jarne fixture's shapes.)
#include <string>

#include "tasks/common.hpp"

namespace rnnlab {
namespace {

using namespace taskkit;

class MultiInterval final : public TrackingTask {
 public:
  MultiInterval(const ParamValues& p, double dt)
      : dt_(dt),
        fixation_(steps_of(number(p, "fixation"), dt)),
        jitter_(steps_of(number(p, "jitter"), dt)),
        width_(steps_at_least_one(number(p, "pulse"), dt)),
        interval_(steps_at_least_one(number(p, "interval"), dt)),
        levels_(whole(p, "levels")),
        grace_(steps_of(number(p, "grace"), dt)),
        steps_(fixation_ + jitter_ + width_ + levels_ * interval_ + steps_at_least_one(number(p, "tail"), dt)) {
    require(grace_ < interval_, p, "grace", "must be shorter than " + shown(p, "interval"));
  }

  std::string name() const override { return "multi_interval"; }
  int n_inputs() const override { return 1; }
  int n_outputs() const override { return 1; }
  int steps() const override { return steps_; }

  TrialBatch batch(int trials, Rng& rng) const override {
    TrialBatch batch = empty_batch(1, 1, steps_, trials, {"amplitude", "level", "response_ms"});
    for (int b = 0; b < trials; ++b) {
      const int k = static_cast<int>(rng.uniform_int(1, levels_));
      const int onset = fixation_ + static_cast<int>(rng.uniform_int(0, jitter_));
      const int response = onset + width_ + k * interval_;
      const float amplitude = static_cast<float>(k) / static_cast<float>(levels_);
      fill(batch.inputs, batch, 0, b, onset, onset + width_, amplitude);
      fill(batch.targets, batch, 0, b, response, steps_, 1.0f);
      mask_out(batch, b, response, response + grace_);
      batch.conditions(b, 0) = amplitude;
      batch.conditions(b, 1) = k;
      batch.conditions(b, 2) = (response - onset - width_) * dt_;
    }
    return batch;
  }

 private:
  double dt_;
  int fixation_, jitter_, width_, interval_, levels_, grace_, steps_;
};

}  // namespace

TaskInfo multi_interval_task() {
  return TaskInfo{
      "multi_interval",
      "multi-interval amplitude (Jarne & Laje): a pulse of amplitude k/levels asks the output to rise to 1 "
      "k intervals after the pulse ends and hold it; accuracy: every scored step within 0.5 of the target",
      {
          ms_param("fixation", 100, "earliest pulse onset"),
          ms_param("jitter", 100, "the onset is fixation plus up to this much (uniform)"),
          ms_param("pulse", 50, "length of the input pulse"),
          ms_param("interval", 200, "delay per amplitude level: level k responds k intervals after the pulse", 1),
          int_param("levels", 3, "number of amplitudes k/levels, k = 1..levels, equally likely", 1, 20),
          ms_param("tail", 200, "time after the latest possible rise", 1),
          ms_param("grace", 50, "after the rise the loss ignores this long"),
      },
      [](const ParamValues& p, double dt) -> std::unique_ptr<Task> { return std::make_unique<MultiInterval>(p, dt); },
  };
}

}  // namespace rnnlab
