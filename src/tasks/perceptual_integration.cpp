// perceptual_integration: the integration decision of the keras-jarne fixtures
// (perceptual_* files; 1 step = 1 ms there, so dt = 1 reproduces it). From
// stimulus_onset, `stimulus` ms of unit Gaussian noise smoothed by a unit-sum
// Hann window ("same" convolution); the target is 0 until response_onset, then
// the sign of the integral of that input to the end of the trial.
#include <string>
#include <vector>

#include "tasks/common.hpp"

namespace rnnlab {
namespace {

using namespace taskkit;

class PerceptualIntegration final : public Task {
 public:
  PerceptualIntegration(const ParamValues& p, double dt)
      : steps_(steps_of(number(p, "duration"), dt)),
        onset_(steps_of(number(p, "stimulus_onset"), dt)),
        stimulus_(steps_at_least_one(number(p, "stimulus"), dt)),
        hann_(steps_of(number(p, "hann"), dt)),
        response_(steps_of(number(p, "response_onset"), dt)),
        readout_(steps_at_least_one(number(p, "readout"), dt)) {
    require(onset_ + stimulus_ <= response_, p, "response_onset", "must not come before the stimulus ends");
    require(response_ < steps_, p, "duration", "must exceed response_onset");
    require(readout_ <= steps_ - response_, p, "readout", "longer than the response period");
  }

  std::string name() const override { return "perceptual_integration"; }
  int n_inputs() const override { return 1; }
  int n_outputs() const override { return 1; }
  int steps() const override { return steps_; }

  TrialBatch batch(int trials, Rng& rng) const override {
    TrialBatch batch = empty_batch(1, 1, steps_, trials, {"integral"});
    std::vector<double> noise(stimulus_);
    for (int b = 0; b < trials; ++b) {
      for (double& z : noise) z = rng.normal();
      const std::vector<double> evidence = smooth_hann(noise, hann_);
      double integral = 0.0;
      for (int i = 0; i < stimulus_; ++i) {
        batch.inputs(0, batch.col(onset_ + i, b)) = static_cast<float>(evidence[i]);
        integral += evidence[i];
      }
      fill(batch.targets, batch, 0, b, response_, steps_, integral > 0 ? 1.0f : -1.0f);
      batch.conditions(b, 0) = integral;
    }
    return batch;
  }

  double accuracy(const TrialBatch& batch, const Eigen::MatrixXf& outputs) const override {
    check_outputs(batch, outputs, 1, name());
    return sign_accuracy(batch, outputs, steps_ - readout_, steps_);
  }

 private:
  int steps_, onset_, stimulus_;
  int hann_;
  int response_, readout_;
};

}  // namespace

TaskInfo perceptual_integration_task() {
  return TaskInfo{
      "perceptual_integration",
      "integration decision of the keras-jarne perceptual fixtures (defaults in ms at dt = 1: T = 480): Hann-"
      "smoothed unit Gaussian noise as evidence, report the sign of its integral from response_onset; accuracy: "
      "sign of the mean output over the last readout ms matches",
      {
          ms_param("duration", 480, "trial length", 1),
          ms_param("stimulus_onset", 50, "start of the evidence"),
          ms_param("stimulus", 200, "length of the evidence"),
          ms_param("hann", 10, "length of the Hann window that smooths the noise (under 3 steps: none)"),
          ms_param("response_onset", 270, "the target is the sign of the integral from here to the end"),
          ms_param("readout", 100, "accuracy looks at the mean output over this last part of the trial"),
      },
      [](const ParamValues& p, double dt) -> std::unique_ptr<Task> {
        return std::make_unique<PerceptualIntegration>(p, dt);
      },
  };
}

}  // namespace rnnlab
