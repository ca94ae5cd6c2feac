// delayed_pulse: time memorisation (Jarne). A pulse arrives at a random time
// (onset = "random") or, as in Jarne's version, always at onset_min
// (onset = "fixed"); the output must reproduce a pulse of the same length a
// fixed delay after the stimulus onset. The network has to measure an
// interval with nothing on its input to mark the passing of time.
#include <string>

#include "tasks/common.hpp"

namespace rnnlab {
namespace {

using namespace taskkit;

class DelayedPulse final : public TrackingTask {
 public:
  DelayedPulse(const ParamValues& p, double dt)
      : dt_(dt),
        width_(steps_at_least_one(number(p, "pulse"), dt)),
        delay_(steps_at_least_one(number(p, "delay"), dt)),
        onset_min_(steps_of(number(p, "onset_min"), dt)),
        onset_max_(text(p, "onset") == "fixed" ? onset_min_ : steps_of(number(p, "onset_max"), dt)),
        grace_(steps_of(number(p, "grace"), dt)),
        steps_(onset_max_ + delay_ + width_ + steps_of(number(p, "tail"), dt)) {
    require(onset_min_ <= onset_max_, p, "onset_min", "must not exceed " + shown(p, "onset_max"));
    require(grace_ < width_, p, "grace",
            "must be shorter than " + shown(p, "pulse") + ", or nothing of the response is scored");
  }

  std::string name() const override { return "delayed_pulse"; }
  int n_inputs() const override { return 1; }
  int n_outputs() const override { return 1; }
  int steps() const override { return steps_; }

  TrialBatch batch(int trials, Rng& rng) const override {
    TrialBatch batch = empty_batch(1, 1, steps_, trials, {"onset_ms"});
    for (int b = 0; b < trials; ++b) {
      const int onset = static_cast<int>(rng.uniform_int(onset_min_, onset_max_));  // onset_min when fixed
      const int response = onset + delay_;
      fill(batch.inputs, batch, 0, b, onset, onset + width_, 1.0f);
      fill(batch.targets, batch, 0, b, response, response + width_, 1.0f);
      // Both edges of the response are steps a leaky network can only approach.
      mask_out(batch, b, response, response + grace_);
      mask_out(batch, b, response + width_, response + width_ + grace_);
      batch.conditions(b, 0) = onset * dt_;
    }
    return batch;
  }

 private:
  double dt_;
  int width_, delay_, onset_min_, onset_max_, grace_, steps_;
};

}  // namespace

TaskInfo delayed_pulse_task() {
  return TaskInfo{
      "delayed_pulse",
      "reproduce the input pulse, at a random or fixed onset, a fixed delay after its onset (time memorisation, "
      "Jarne); accuracy: "
      "fraction of trials whose output is within 0.5 of the target at every scored step",
      {
          ms_param("pulse", 50, "length of the input pulse and of the response pulse"),
          ms_param("delay", 300, "from stimulus onset to response onset"),
          choice_param("onset", "random", "random: onset uniform in onset_min..onset_max; fixed: always onset_min (Jarne)",
                       {"random", "fixed"}),
          ms_param("onset_min", 100, "earliest stimulus onset (the onset when onset = fixed)"),
          ms_param("onset_max", 300, "latest stimulus onset (unused when onset = fixed)"),
          ms_param("tail", 200, "time after the latest possible response ends"),
          ms_param("grace", 20, "after each edge of the response pulse the loss ignores this long"),
      },
      [](const ParamValues& p, double dt) -> std::unique_ptr<Task> {
        return std::make_unique<DelayedPulse>(p, dt);
      },
  };
}

}  // namespace rnnlab
