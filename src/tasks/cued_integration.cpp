// cued_integration: integrate evidence only while a cue says so, one of the
// tasks of Jarne's suite (issue 17). Noisy evidence arrives on input 0 for
// the whole stimulus period; input 1 is 1 during a cued window of fixed length
// at a random place inside it. Inside the window the evidence has mean c
// (signed coherence), outside it an independent mean c_out from the same
// distribution, so a network that integrates everything is at chance on the
// trials where the two disagree. The decision period reports sign(c) as +-1.
// (context_dm selects one of two streams with a sustained cue; here the cue
// gates time instead.) We found no published generator for this task, so its
// timings are ours.
#include <string>

#include "tasks/common.hpp"

namespace rnnlab {
namespace {

using namespace taskkit;

class CuedIntegration final : public Task {
 public:
  CuedIntegration(const ParamValues& p, double dt)
      : dt_(dt),
        stimulus_onset_(steps_of(number(p, "fixation"), dt)),
        stimulus_(steps_at_least_one(number(p, "stimulus"), dt)),
        window_(steps_at_least_one(number(p, "window"), dt)),
        decision_onset_(stimulus_onset_ + stimulus_ + steps_of(number(p, "delay"), dt)),
        steps_(decision_onset_ + steps_at_least_one(number(p, "decision"), dt)),
        grace_(steps_of(number(p, "grace"), dt)),
        coherence_(number(p, "coherence")),
        levels_(whole(p, "levels")),
        noise_(number(p, "noise")) {
    require(window_ <= stimulus_, p, "window", "must not be longer than " + shown(p, "stimulus"));
    require(grace_ < steps_ - decision_onset_, p, "grace", "must be shorter than " + shown(p, "decision"));
  }

  std::string name() const override { return "cued_integration"; }
  // Inputs: 0 evidence, 1 the cue (1 inside the window to integrate).
  int n_inputs() const override { return 2; }
  int n_outputs() const override { return 1; }
  int steps() const override { return steps_; }

  TrialBatch batch(int trials, Rng& rng) const override {
    TrialBatch batch =
        empty_batch(2, 1, steps_, trials, {"coherence", "outside_coherence", "window_onset_ms", "choice"});
    for (int b = 0; b < trials; ++b) {
      const double c = draw_coherence(rng, coherence_, levels_);
      const double c_out = draw_coherence(rng, coherence_, levels_);
      const int window_onset = stimulus_onset_ + static_cast<int>(rng.uniform_int(0, stimulus_ - window_));
      for (int t = stimulus_onset_; t < stimulus_onset_ + stimulus_; ++t) {
        const bool cued = t >= window_onset && t < window_onset + window_;
        batch.inputs(0, batch.col(t, b)) = static_cast<float>((cued ? c : c_out) + noise_ * rng.normal());
      }
      fill(batch.inputs, batch, 1, b, window_onset, window_onset + window_, 1.0f);
      const float choice = c > 0 ? 1.0f : -1.0f;
      report_decision(batch, b, decision_onset_, grace_, steps_, choice);
      batch.conditions(b, 0) = c;
      batch.conditions(b, 1) = c_out;
      batch.conditions(b, 2) = window_onset * dt_;
      batch.conditions(b, 3) = choice;
    }
    return batch;
  }

  double accuracy(const TrialBatch& batch, const Eigen::MatrixXf& outputs) const override {
    return decision_accuracy(batch, outputs, decision_onset_, grace_, steps_, name());
  }

 private:
  double dt_;
  int stimulus_onset_, stimulus_, window_, decision_onset_, steps_, grace_;
  double coherence_;
  int levels_;
  double noise_;
};

}  // namespace

TaskInfo cued_integration_task() {
  return TaskInfo{
      "cued_integration",
      "cued integration (Jarne's suite): noisy evidence throughout the stimulus, a cue input marks the window "
      "whose mean c to report as sign(c) = +-1 (outside it the mean differs); accuracy: sign of the mean "
      "output over the scored decision period equals sign(c)",
      {
          ms_param("fixation", 100, "before the stimulus"),
          ms_param("stimulus", 600, "evidence period, which contains the cued window", 1),
          ms_param("window", 200, "length of the cued window", 1),
          ms_param("delay", 0, "between stimulus and decision"),
          ms_param("decision", 300, "response period", 1),
          real_param("coherence", 0.4, "largest |c|, the mean input inside (and, drawn apart, outside) the window",
                     1e-6, 100),
          int_param("levels", 3, "coherence magnitudes coherence * 2^-k, k = 0..levels-1, equally likely", 1, 20),
          real_param("noise", 0.5, "standard deviation of the Gaussian noise added at each stimulus step", 0, 100),
          ms_param("grace", 50, "at the start of the decision the loss ignores this long"),
      },
      [](const ParamValues& p, double dt) -> std::unique_ptr<Task> {
        return std::make_unique<CuedIntegration>(p, dt);
      },
  };
}

}  // namespace rnnlab
