// oscillator: a pulse switches on a sine-wave output that then runs on its
// own; without a pulse the output stays at 0 (Jarne & Laje). The network must
// have a quiet stable state and a limit cycle of the requested period.
//
// Trained on quiet trials alone, the quiet state need not be stable: x stays
// where the noiseless trial leaves it, and a slowly growing mode (an e-fold
// time of seconds) never shows in a 1 s loss. With kick > 0 every no-pulse
// trial gets a weak pulse of random sign (amplitude kick, the start pulse's
// width and onset) that must NOT start the wave: the network is trained to
// return to quiet after a perturbation, which an unstable quiet state cannot.
#include <cmath>
#include <string>

#include "tasks/common.hpp"

namespace rnnlab {
namespace {

using namespace taskkit;

class Oscillator final : public TrackingTask {
 public:
  Oscillator(const ParamValues& p, double dt)
      : dt_(dt),
        steps_(steps_of(number(p, "duration"), dt)),
        width_(steps_at_least_one(number(p, "pulse"), dt)),
        onset_min_(steps_of(number(p, "onset_min"), dt)),
        onset_max_(steps_of(number(p, "onset_max"), dt)),
        grace_(steps_of(number(p, "grace"), dt)),
        period_(number(p, "period")),
        no_pulse_(number(p, "no_pulse_probability")),
        kick_(number(p, "kick")) {
    require(onset_min_ <= onset_max_, p, "onset_min", "must not exceed " + shown(p, "onset_max"));
    require(onset_max_ + width_ < steps_, p, "onset_max", "the pulse must end before " + shown(p, "duration"));
    require(period_ >= 2.0 * dt, p, "period", "must be at least two steps of dt to be a wave");
  }

  std::string name() const override { return "oscillator"; }
  int n_inputs() const override { return 1; }
  int n_outputs() const override { return 1; }
  int steps() const override { return steps_; }

  TrialBatch batch(int trials, Rng& rng) const override {
    TrialBatch batch = empty_batch(1, 1, steps_, trials, {"pulse", "onset_ms"});
    for (int b = 0; b < trials; ++b) {
      const bool pulse = !rng.bernoulli(no_pulse_);
      const int onset = static_cast<int>(rng.uniform_int(onset_min_, onset_max_));
      batch.conditions(b, 0) = pulse;
      batch.conditions(b, 1) = onset * dt_;
      if (!pulse) {
        // Drawn only with a kick, so kick = 0 keeps the trials of before.
        if (kick_ > 0) fill(batch.inputs, batch, 0, b, onset, onset + width_, float(rng.bernoulli(0.5) ? kick_ : -kick_));
        continue;
      }
      fill(batch.inputs, batch, 0, b, onset, onset + width_, 1.0f);
      // The wave starts at 0 at the pulse onset, so the target is continuous.
      for (int t = onset; t < steps_; ++t)
        batch.targets(0, batch.col(t, b)) = static_cast<float>(std::sin(2.0 * M_PI * (t - onset) * dt_ / period_));
      mask_out(batch, b, onset, onset + grace_);
    }
    return batch;
  }

 private:
  double dt_;
  int steps_, width_, onset_min_, onset_max_, grace_;
  double period_, no_pulse_, kick_;
};

}  // namespace

TaskInfo oscillator_task() {
  return TaskInfo{
      "oscillator",
      "a pulse starts a unit sine wave at the output, no pulse (or a weak kick) no output (Jarne & Laje); "
      "accuracy: fraction "
      "of trials whose output is within 0.5 of the target at every scored step",
      {
          ms_param("duration", 1000, "trial length", 1),
          ms_param("period", 200, "period of the sine wave", 0),
          ms_param("pulse", 50, "length of the start pulse"),
          ms_param("onset_min", 100, "earliest pulse onset"),
          ms_param("onset_max", 300, "latest pulse onset"),
          real_param("no_pulse_probability", 0.5, "fraction of trials without a pulse", 0, 1),
          real_param("kick", 0.0, "no-pulse trials get a pulse of amplitude +-kick that must not start the wave "
                     "(trains a stable quiet state); 0: no input", 0, 0.9),
          ms_param("grace", 50, "after the pulse onset the loss ignores this long"),
      },
      [](const ParamValues& p, double dt) -> std::unique_ptr<Task> { return std::make_unique<Oscillator>(p, dt); },
  };
}

}  // namespace rnnlab
