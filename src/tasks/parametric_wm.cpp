// parametric_wm: vibrotactile frequency comparison (Romo et al. 1999). A first
// frequency f1, a delay, a second frequency f2; report +1 if f1 > f2, else -1.
// f1 must be held as an analogue value through the delay, not a category.
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
      : f1_onset_(steps_of(number(p, "fixation"), dt)),
        f1_end_(f1_onset_ + steps_at_least_one(number(p, "stimulus"), dt)),
        f2_onset_(f1_end_ + steps_of(number(p, "delay"), dt)),
        f2_end_(f2_onset_ + steps_at_least_one(number(p, "stimulus"), dt)),
        steps_(f2_end_ + steps_at_least_one(number(p, "decision"), dt)),
        grace_(steps_of(number(p, "grace"), dt)),
        f_min_(number(p, "f_min")),
        f_max_(number(p, "f_max")),
        difference_(number(p, "difference")),
        noise_(number(p, "noise")) {
    require(f_min_ < f_max_, p, "f_min", "must be below " + shown(p, "f_max"));
    require(difference_ <= f_max_ - f_min_, p, "difference",
            "must not exceed task.f_max - task.f_min (" + shown(p, "f_max") + ", " + shown(p, "f_min") + ")");
    require(grace_ < steps_ - f2_end_, p, "grace", "must be shorter than " + shown(p, "decision"));
  }

  std::string name() const override { return "parametric_wm"; }
  int n_inputs() const override { return 2; }
  int n_outputs() const override { return 1; }
  int steps() const override { return steps_; }

  TrialBatch batch(int trials, Rng& rng) const override {
    TrialBatch batch = empty_batch(2, 1, steps_, trials, {"f1", "f2", "choice"});
    for (int b = 0; b < trials; ++b) {
      // The answer is drawn first and f1 uniformly where f2 = f1 -+ difference
      // stays in range: both answers equally likely at every f1 the range allows.
      const bool larger = rng.bernoulli(0.5);
      const double f1 = larger ? rng.uniform(f_min_ + difference_, f_max_) : rng.uniform(f_min_, f_max_ - difference_);
      const double f2 = larger ? f1 - difference_ : f1 + difference_;
      present(batch, b, f1, f1_onset_, f1_end_, rng);
      present(batch, b, f2, f2_onset_, f2_end_, rng);
      const float choice = larger ? 1.0f : -1.0f;
      fill(batch.targets, batch, 0, b, f2_end_, steps_, choice);
      mask_out(batch, b, f2_end_, f2_end_ + grace_);
      batch.conditions(b, 0) = f1;
      batch.conditions(b, 1) = f2;
      batch.conditions(b, 2) = choice;
    }
    return batch;
  }

  double accuracy(const TrialBatch& batch, const Eigen::MatrixXf& outputs) const override {
    check_outputs(batch, outputs, 1, name());
    return sign_accuracy(batch, outputs, f2_end_ + grace_, steps_);
  }

 private:
  void present(TrialBatch& batch, int b, double f, int t0, int t1, Rng& rng) const {
    const double up = (f - f_min_) / (f_max_ - f_min_);
    for (int t = t0; t < t1; ++t) {
      batch.inputs(0, batch.col(t, b)) = static_cast<float>(up + noise_ * rng.normal());
      batch.inputs(1, batch.col(t, b)) = static_cast<float>(1.0 - up + noise_ * rng.normal());
    }
  }

  int f1_onset_, f1_end_, f2_onset_, f2_end_, steps_, grace_;
  double f_min_, f_max_, difference_, noise_;
};

}  // namespace

TaskInfo parametric_wm_task() {
  return TaskInfo{
      "parametric_wm",
      "parametric working memory (Romo et al. 1999): frequencies f1, delay, f2 on two inputs coding (f - f_min) / "
      "(f_max - f_min) and its complement, report +1 if f1 > f2 else -1; accuracy: sign of the mean output over "
      "the scored decision period is right",
      {
          ms_param("fixation", 100, "before f1"),
          ms_param("stimulus", 200, "length of each of f1 and f2"),
          ms_param("delay", 500, "between f1 and f2"),
          ms_param("decision", 300, "response period after f2", 1),
          real_param("f_min", 10, "lowest frequency (Hz)", 0, 1e6),
          real_param("f_max", 34, "highest frequency (Hz)", 0, 1e6),
          real_param("difference", 8, "|f1 - f2| (Hz)", 1e-6, 1e6),
          real_param("noise", 0.0, "standard deviation of Gaussian noise on the inputs during the stimuli", 0, 100),
          ms_param("grace", 50, "at the start of the decision the loss ignores this long"),
      },
      [](const ParamValues& p, double dt) -> std::unique_ptr<Task> { return std::make_unique<ParametricWm>(p, dt); },
  };
}

}  // namespace rnnlab
