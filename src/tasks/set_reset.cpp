// set_reset: the 1-bit set/reset flip-flop of Jarne & Laje. Two inputs; a
// pulse on "set" turns the output to 1, a pulse on "reset" turns it to 0, and
// the output holds its level in between. Unlike flipflop the two states are
// not symmetric (1 and 0), so the network needs a bias-like asymmetry.
#include <string>

#include "tasks/common.hpp"

namespace rnnlab {
namespace {

using namespace taskkit;

class SetReset final : public TrackingTask {
 public:
  SetReset(const ParamValues& p, double dt)
      : steps_(steps_of(number(p, "duration"), dt)),
        width_(steps_at_least_one(number(p, "pulse_width"), dt)),
        grace_(steps_of(number(p, "grace"), dt)),
        rate_per_step_(number(p, "pulse_rate") * dt / 1000.0) {
    require(steps_ >= 2, p, "duration", "a trial needs at least 2 steps of dt");
    require(rate_per_step_ <= 1.0, p, "pulse_rate", "more than one pulse per step at this dt");
  }

  std::string name() const override { return "set_reset"; }
  int n_inputs() const override { return 2; }
  int n_outputs() const override { return 1; }
  int steps() const override { return steps_; }

  TrialBatch batch(int trials, Rng& rng) const override {
    TrialBatch batch = empty_batch(2, 1, steps_, trials, {"sets", "resets", "final_state"});
    const int refractory = std::max(width_, grace_) + 1;
    for (int b = 0; b < trials; ++b) {
      // One stream of events, each a set or a reset: the two inputs never pulse at once.
      const std::vector<int> onsets = random_onsets(steps_, 0, rate_per_step_, refractory, rng);
      float state = 0.0f;  // the network starts reset
      int sets = 0;
      for (std::size_t k = 0; k < onsets.size(); ++k) {
        const int t0 = onsets[k];
        const int t1 = k + 1 < onsets.size() ? onsets[k + 1] : steps_;
        const bool set = rng.bernoulli(0.5);
        sets += set;
        state = set ? 1.0f : 0.0f;
        fill(batch.inputs, batch, set ? 0 : 1, b, t0, t0 + width_, 1.0f);
        fill(batch.targets, batch, 0, b, t0, t1, state);
        mask_out(batch, b, t0, t0 + grace_);
      }
      batch.conditions(b, 0) = sets;
      batch.conditions(b, 1) = static_cast<double>(onsets.size()) - sets;
      batch.conditions(b, 2) = state;
    }
    return batch;
  }

 private:
  int steps_, width_, grace_;
  double rate_per_step_;
};

}  // namespace

TaskInfo set_reset_task() {
  return TaskInfo{
      "set_reset",
      "1-bit set/reset flip-flop (Jarne & Laje): a pulse on input 0 (set) turns the output to 1, on input 1 "
      "(reset) to 0; accuracy: fraction of trials whose output is within 0.5 of the target at every scored step",
      {
          ms_param("duration", 2000, "trial length", 1),
          real_param("pulse_rate", 2.0, "set or reset pulses per second (Hz)", 0, 1e4),
          ms_param("pulse_width", 20, "length of each input pulse", 0),
          ms_param("grace", 50, "after each pulse onset the loss ignores this long", 0),
      },
      [](const ParamValues& p, double dt) -> std::unique_ptr<Task> { return std::make_unique<SetReset>(p, dt); },
  };
}

}  // namespace rnnlab
