// flipflop: the n-bit memory of Sussillo & Barak (2013). Channel i receives
// brief +-1 pulses at random times; output i must hold the sign of the last
// pulse on channel i until the next one. The network has to keep 2^n stable
// states, which is why it is the standard first task for fixed-point analysis.
#include <string>

#include "tasks/common.hpp"

namespace rnnlab {
namespace {

using namespace taskkit;

class FlipFlop final : public Task {
 public:
  FlipFlop(const ParamValues& p, double dt)
      : bits_(whole(p, "bits")),
        steps_(steps_of(number(p, "duration"), dt)),
        width_(steps_at_least_one(number(p, "pulse_width"), dt)),
        grace_(steps_of(number(p, "grace"), dt)),
        first_window_(steps_at_least_one(number(p, "first_pulse"), dt)),
        rate_per_step_(number(p, "pulse_rate") * dt / 1000.0) {
    require(steps_ >= 2, p, "duration", "a trial needs at least 2 steps of dt");
    require(rate_per_step_ <= 1.0, p, "pulse_rate", "more than one pulse per step at this dt");
    require(first_window_ <= steps_, p, "first_pulse", "longer than " + shown(p, "duration"));
  }

  std::string name() const override { return "flipflop"; }
  int n_inputs() const override { return bits_; }
  int n_outputs() const override { return bits_; }
  int steps() const override { return steps_; }

  TrialBatch batch(int trials, Rng& rng) const override {
    std::vector<std::string> names;
    for (int i = 0; i < bits_; ++i) names.push_back("pulses_" + std::to_string(i));
    for (int i = 0; i < bits_; ++i) names.push_back("final_" + std::to_string(i));
    TrialBatch batch = empty_batch(bits_, bits_, steps_, trials, names);
    // Pulses never overlap their own channel's previous pulse or its grace period.
    const int refractory = std::max(width_, grace_) + 1;
    for (int b = 0; b < trials; ++b) {
      for (int i = 0; i < bits_; ++i) {
        // Every channel gets a first pulse early, so that no output spends
        // most of a trial with nothing to remember.
        std::vector<int> onsets{static_cast<int>(rng.uniform_int(0, first_window_ - 1))};
        for (int t : random_onsets(steps_, onsets[0] + refractory, rate_per_step_, refractory, rng))
          onsets.push_back(t);
        float state = 0.0f;
        for (std::size_t k = 0; k < onsets.size(); ++k) {
          const int t0 = onsets[k];
          const int t1 = k + 1 < onsets.size() ? onsets[k + 1] : steps_;
          state = rng.bernoulli(0.5) ? 1.0f : -1.0f;
          fill(batch.inputs, batch, i, b, t0, t0 + width_, state);
          fill(batch.targets, batch, i, b, t0, t1, state);
          mask_out(batch, b, t0, t0 + grace_);
        }
        batch.conditions(b, i) = static_cast<double>(onsets.size());
        batch.conditions(b, bits_ + i) = state;
      }
    }
    return batch;
  }

  // A trial is right when, at every scored step where a bit has been set,
  // the output's sign equals that bit (all bits at once).
  double accuracy(const TrialBatch& batch, const Eigen::MatrixXf& outputs) const override {
    check_outputs(batch, outputs, bits_, name());
    int right = 0;
    for (int b = 0; b < batch.trials; ++b) {
      bool ok = true;
      for (int t = 0; t < batch.steps && ok; ++t) {
        const Eigen::Index c = batch.col(t, b);
        if (batch.mask(c) == 0.0f) continue;
        for (int i = 0; i < bits_ && ok; ++i) {
          const float target = batch.targets(i, c);
          if (target != 0.0f) ok = outputs(i, c) * target > 0.0f;
        }
      }
      right += ok;
    }
    return batch.trials > 0 ? static_cast<double>(right) / batch.trials : 0.0;
  }

 private:
  int bits_, steps_, width_, grace_, first_window_;
  double rate_per_step_;
};

}  // namespace

TaskInfo flipflop_task() {
  return TaskInfo{
      "flipflop",
      "n-bit flip-flop memory (Sussillo & Barak 2013): +-1 pulses at random times on each input, each "
      "output holds the sign of its channel's last pulse; accuracy: fraction of trials whose outputs have "
      "the target's sign on every bit at every scored step",
      {
          int_param("bits", 3, "number of independent memory bits (inputs = outputs)", 1, 64),
          ms_param("duration", 2000, "trial length", 1),
          real_param("pulse_rate", 1.0, "pulses per second on each channel after the first (Hz)", 0, 1e4),
          ms_param("pulse_width", 20, "length of each +-1 input pulse", 0),
          ms_param("first_pulse", 100, "each channel's first pulse falls uniformly within this time", 0),
          ms_param("grace", 50, "after each pulse onset the loss ignores this long", 0),
      },
      [](const ParamValues& p, double dt) -> std::unique_ptr<Task> { return std::make_unique<FlipFlop>(p, dt); },
  };
}

}  // namespace rnnlab
