// parametric_wm: vibrotactile frequency comparison (Romo et al. 1999). A first
// frequency f1, a delay, a second frequency f2; report +1 if f1 > f2, else -1.
// f1 must be held as an analogue value through the delay, not a category.
// The delay is drawn per trial, uniformly between delay and delay_max (Romo's
// delays were up to ~3 s and varied), so the network cannot time f2; every
// trial then reports for at least `decision` ms, to the end of the trial.
// Frequencies are coded as in Song, Yang & Wang (2016): one input rises with
// f, the other falls, both within [0, 1].
#include <string>

#include "tasks/common.hpp"

namespace rnnlab {
namespace {

using namespace taskkit;

class ParametricWm final : public Task {
 public:
  ParametricWm(const ParamValues& p, double dt)
      : dt_(dt),
        f1_onset_(steps_of(number(p, "fixation"), dt)),
        f1_end_(f1_onset_ + steps_at_least_one(number(p, "stimulus"), dt)),
        delay_min_(steps_of(number(p, "delay"), dt)),
        delay_max_(number(p, "delay_max") > 0 ? steps_of(number(p, "delay_max"), dt) : delay_min_),
        stimulus_(steps_at_least_one(number(p, "stimulus"), dt)),
        decision_(steps_at_least_one(number(p, "decision"), dt)),
        steps_(f1_end_ + delay_max_ + stimulus_ + decision_),
        grace_(steps_of(number(p, "grace"), dt)),
        f_min_(number(p, "f_min")),
        f_max_(number(p, "f_max")),
        difference_(number(p, "difference")),
        noise_step_(noise_per_step(number(p, "noise"), dt)) {
    require(f_min_ < f_max_, p, "f_min", "must be below " + shown(p, "f_max"));
    require(difference_ <= f_max_ - f_min_, p, "difference",
            "must not exceed task.f_max - task.f_min (" + shown(p, "f_max") + ", " + shown(p, "f_min") + ")");
    require(grace_ < decision_, p, "grace", "must be shorter than " + shown(p, "decision"));
    require(number(p, "delay_max") == 0 || number(p, "delay_max") >= number(p, "delay"), p, "delay_max",
            "must be 0 (a fixed delay) or at least " + shown(p, "delay"));
  }

  std::string name() const override { return "parametric_wm"; }
  int n_inputs() const override { return 2; }
  int n_outputs() const override { return 1; }
  int steps() const override { return steps_; }

  TrialBatch batch(int trials, Rng& rng) const override {
    TrialBatch batch = empty_batch(2, 1, steps_, trials, {"f1", "f2", "choice", "delay_ms"});
    for (int b = 0; b < trials; ++b) {
      // The answer is drawn first and f1 uniformly where f2 = f1 -+ difference
      // stays in range: both answers equally likely at every f1 the range allows.
      const bool larger = rng.bernoulli(0.5);
      const double f1 = larger ? rng.uniform(f_min_ + difference_, f_max_) : rng.uniform(f_min_, f_max_ - difference_);
      const double f2 = larger ? f1 - difference_ : f1 + difference_;
      // A fixed delay draws nothing, so those trials stay those of before delay_max.
      const int delay = delay_max_ > delay_min_ ? static_cast<int>(rng.uniform_int(delay_min_, delay_max_)) : delay_min_;
      const int f2_onset = f1_end_ + delay, f2_end = f2_onset + stimulus_;
      present(batch, b, f1, f1_onset_, f1_end_, rng);
      present(batch, b, f2, f2_onset, f2_end, rng);
      const float choice = larger ? 1.0f : -1.0f;
      fill(batch.targets, batch, 0, b, f2_end, steps_, choice);
      mask_out(batch, b, f2_end, f2_end + grace_);
      batch.conditions(b, 0) = f1;
      batch.conditions(b, 1) = f2;
      batch.conditions(b, 2) = choice;
      batch.conditions(b, 3) = delay * dt_;
    }
    return batch;
  }

  double accuracy(const TrialBatch& batch, const Eigen::MatrixXf& outputs) const override {
    check_outputs(batch, outputs, 1, name());
    // The last decision - grace steps: scored on every trial, whatever its delay.
    return sign_accuracy(batch, outputs, steps_ - decision_ + grace_, steps_);
  }

 private:
  void present(TrialBatch& batch, int b, double f, int t0, int t1, Rng& rng) const {
    const double up = (f - f_min_) / (f_max_ - f_min_);
    for (int t = t0; t < t1; ++t) {
      batch.inputs(0, batch.col(t, b)) = static_cast<float>(up + noise_step_ * rng.normal());
      batch.inputs(1, batch.col(t, b)) = static_cast<float>(1.0 - up + noise_step_ * rng.normal());
    }
  }

  double dt_;
  int f1_onset_, f1_end_, delay_min_, delay_max_, stimulus_, decision_, steps_, grace_;
  double f_min_, f_max_, difference_, noise_step_;
};

}  // namespace

TaskInfo parametric_wm_task() {
  return TaskInfo{
      "parametric_wm",
      "parametric working memory (Romo et al. 1999): frequencies f1, a fixed or random delay, f2 on two inputs "
      "coding (f - f_min) / (f_max - f_min) and its complement, report +1 if f1 > f2 else -1 to the end of the "
      "trial; accuracy: sign of the mean output over the last decision - grace ms is right",
      {
          ms_param("fixation", 100, "before f1"),
          ms_param("stimulus", 200, "length of each of f1 and f2"),
          ms_param("delay", 500, "between f1 and f2; the shortest delay when delay_max is set"),
          ms_param("delay_max", 0, "longest delay, drawn uniformly from delay to delay_max per trial; 0: fixed delay"),
          ms_param("decision", 300, "response period after f2", 1),
          real_param("f_min", 10, "lowest frequency (Hz)", 0, 1e6),
          real_param("f_max", 34, "highest frequency (Hz)", 0, 1e6),
          real_param("difference", 8, "|f1 - f2| (Hz)", 1e-6, 1e6),
          noise_param(0.0, "on both inputs during the stimuli"),
          ms_param("grace", 50, "at the start of the decision the loss ignores this long"),
      },
      [](const ParamValues& p, double dt) -> std::unique_ptr<Task> { return std::make_unique<ParametricWm>(p, dt); },
  };
}

}  // namespace rnnlab
