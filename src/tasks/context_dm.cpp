// context_dm: context-dependent integration (Mante, Sussillo, Shenoy &
// Newsome 2013). Two noisy evidence streams ("motion" and "colour") arrive
// together; a one-hot context cue says which one to report. The network must
// integrate the cued stream and ignore the other, which is equally strong.
#include <string>

#include "tasks/common.hpp"

namespace rnnlab {
namespace {

using namespace taskkit;

class ContextDm final : public Task {
 public:
  ContextDm(const ParamValues& p, double dt)
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

  std::string name() const override { return "context_dm"; }
  // Inputs: 0 stream 1 (motion), 1 stream 2 (colour), 2 cue "report stream 1", 3 cue "report stream 2".
  int n_inputs() const override { return 4; }
  int n_outputs() const override { return 1; }
  int steps() const override { return steps_; }

  TrialBatch batch(int trials, Rng& rng) const override {
    TrialBatch batch = empty_batch(4, 1, steps_, trials, {"context", "coherence_1", "coherence_2", "choice"});
    for (int b = 0; b < trials; ++b) {
      const int context = rng.bernoulli(0.5) ? 1 : 0;
      const double c[2] = {draw_coherence(rng, coherence_, levels_), draw_coherence(rng, coherence_, levels_)};
      // The cue stays on for the whole trial, so the context is never a memory demand.
      fill(batch.inputs, batch, 2 + context, b, 0, steps_, 1.0f);
      for (int t = stimulus_onset_; t < stimulus_end_; ++t)
        for (int s = 0; s < 2; ++s)
          batch.inputs(s, batch.col(t, b)) = static_cast<float>(c[s] + noise_step_ * rng.normal());
      const float choice = c[context] > 0 ? 1.0f : -1.0f;
      fill(batch.targets, batch, 0, b, decision_onset_, steps_, choice);
      mask_out(batch, b, decision_onset_, decision_onset_ + grace_);
      batch.conditions(b, 0) = context;
      batch.conditions(b, 1) = c[0];
      batch.conditions(b, 2) = c[1];
      batch.conditions(b, 3) = choice;
    }
    return batch;
  }

  double accuracy(const TrialBatch& batch, const Eigen::MatrixXf& outputs) const override {
    check_outputs(batch, outputs, 1, name());
    return sign_accuracy(batch, outputs, decision_onset_ + grace_, steps_);
  }

  // Each cue alone (streams at their mean, 0): the input the network sits in
  // during fixation and, evidence averaged out, through the whole trial.
  std::vector<OperatingInput> operating_inputs() const override {
    std::vector<OperatingInput> out;
    for (int context = 0; context < 2; ++context) {
      Eigen::VectorXd u = Eigen::VectorXd::Zero(4);
      u(2 + context) = 1.0;
      out.push_back({"context=" + std::to_string(context), u});
    }
    return out;
  }

 private:
  int stimulus_onset_, stimulus_end_, decision_onset_, steps_, grace_;
  double coherence_;
  int levels_;
  double noise_step_;
};

}  // namespace

TaskInfo context_dm_task() {
  return TaskInfo{
      "context_dm",
      "context-dependent decision (Mante et al. 2013): two noisy streams and a one-hot context cue, report "
      "the sign of the cued stream's coherence as +-1; accuracy: sign of the mean output over the scored "
      "decision period equals it",
      {
          ms_param("fixation", 100, "cue alone, before the streams"),
          ms_param("stimulus", 500, "evidence period"),
          ms_param("delay", 0, "between stimulus and decision"),
          ms_param("decision", 300, "response period", 1),
          real_param("coherence", 0.4, "largest |c| of each stream", 1e-6, 100),
          int_param("levels", 3, "coherence magnitudes coherence * 2^-k, k = 0..levels-1, equally likely", 1, 20),
          noise_param(1.6, "on each stream"),
          ms_param("grace", 50, "at the start of the decision the loss ignores this long"),
      },
      [](const ParamValues& p, double dt) -> std::unique_ptr<Task> { return std::make_unique<ContextDm>(p, dt); },
  };
}

}  // namespace rnnlab
