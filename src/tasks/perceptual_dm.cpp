// perceptual_dm: random-dots style evidence integration. During the stimulus
// the input is a coherence c plus Gaussian noise at every step; in the
// decision period the output reports sign(c) as +-1. Weak coherences are only
// readable by summing over many steps, which is the point of the task.
#include <string>

#include "tasks/common.hpp"

namespace rnnlab {
namespace {

using namespace taskkit;

class PerceptualDm final : public Task {
 public:
  PerceptualDm(const ParamValues& p, double dt)
      : stimulus_onset_(steps_of(number(p, "fixation"), dt)),
        stimulus_end_(stimulus_onset_ + steps_at_least_one(number(p, "stimulus"), dt)),
        decision_onset_(stimulus_end_ + steps_of(number(p, "delay"), dt)),
        steps_(decision_onset_ + steps_at_least_one(number(p, "decision"), dt)),
        grace_(steps_of(number(p, "grace"), dt)),
        coherence_(number(p, "coherence")),
        levels_(whole(p, "levels")),
        noise_step_(noise_per_step(number(p, "noise"), dt)) {
    require(grace_ < steps_ - decision_onset_, p, "grace", "must be shorter than " + shown(p, "decision"));
  }

  std::string name() const override { return "perceptual_dm"; }
  int n_inputs() const override { return 1; }
  int n_outputs() const override { return 1; }
  int steps() const override { return steps_; }

  TrialBatch batch(int trials, Rng& rng) const override {
    TrialBatch batch = empty_batch(1, 1, steps_, trials, {"coherence", "choice"});
    for (int b = 0; b < trials; ++b) {
      const double c = draw_coherence(rng, coherence_, levels_);
      for (int t = stimulus_onset_; t < stimulus_end_; ++t)
        batch.inputs(0, batch.col(t, b)) = static_cast<float>(c + noise_step_ * rng.normal());
      const float choice = c > 0 ? 1.0f : -1.0f;
      report_decision(batch, b, decision_onset_, grace_, steps_, choice);
      batch.conditions(b, 0) = c;
      batch.conditions(b, 1) = choice;
    }
    return batch;
  }

  double accuracy(const TrialBatch& batch, const Eigen::MatrixXf& outputs) const override {
    return decision_accuracy(batch, outputs, decision_onset_, grace_, steps_, name());
  }

 private:
  int stimulus_onset_, stimulus_end_, decision_onset_, steps_, grace_;
  double coherence_;
  int levels_;
  double noise_step_;
};

}  // namespace

TaskInfo perceptual_dm_task() {
  return TaskInfo{
      "perceptual_dm",
      "perceptual decision: noisy evidence c + noise during the stimulus, report sign(c) as +-1 in the "
      "decision period; accuracy: sign of the mean output over the scored decision period equals sign(c)",
      {
          ms_param("fixation", 100, "before the stimulus"),
          ms_param("stimulus", 500, "evidence period"),
          ms_param("delay", 0, "between stimulus and decision"),
          ms_param("decision", 300, "response period", 1),
          real_param("coherence", 0.4, "largest |c|, the mean input during the stimulus", 1e-6, 100),
          int_param("levels", 3, "coherence magnitudes coherence * 2^-k, k = 0..levels-1, equally likely", 1, 20),
          noise_param(1.6, "during the stimulus"),
          ms_param("grace", 50, "at the start of the decision the loss ignores this long"),
      },
      [](const ParamValues& p, double dt) -> std::unique_ptr<Task> { return std::make_unique<PerceptualDm>(p, dt); },
  };
}

}  // namespace rnnlab
