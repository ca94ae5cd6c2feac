// simple_dm: the simple delayed decision exactly as the Keras networks in
// tests/fixtures/keras-jarne were trained (1 step = 1 ms there, so dt = 1
// reproduces it; other dt scale every time, and the input noise scales as
// 1 / sqrt(dt), taskkit::noise_per_step). A 20 ms pulse of sign +-1,
// shaped by a 10-point Hann window, starts at fixation + j, j uniform in
// 1..jitter steps; half the trials have no pulse. Noise of sd 0.05 (at dt = 1)
// is added to the input at every step. The target is 0 until response_delay after the
// pulse ends, then the pulse sign (0 without a pulse) to the end.
//
// long_short is the same task with a second pulse amplitude (the longshort
// fixture): a pulse of amplitude long_amplitude (drawn with long_probability)
// asks for the report long_response_delay after the pulse ends instead.
#include <string>
#include <vector>

#include "tasks/common.hpp"

namespace rnnlab {
namespace {

using namespace taskkit;

// The pulse's shape: a rectangle of `length` steps smoothed by the unit-sum
// Hann window of `hann` steps ("same" mode), so both ends taper and the plateau is 1.
std::vector<float> smoothed_pulse(int length, int hann) {
  const std::vector<double> shape = smooth_hann(std::vector<double>(length, 1.0), hann);
  return std::vector<float>(shape.begin(), shape.end());
}

class SimpleDm final : public Task {
 public:
  SimpleDm(const ParamValues& p, double dt, std::string name)
      : name_(std::move(name)),
        dt_(dt),
        steps_(steps_of(number(p, "duration"), dt)),
        fixation_(steps_of(number(p, "fixation"), dt)),
        jitter_(steps_at_least_one(number(p, "jitter"), dt)),
        pulse_(smoothed_pulse(steps_at_least_one(number(p, "pulse"), dt),
                              steps_of(number(p, "hann"), dt))),
        response_delay_(steps_of(number(p, "response_delay"), dt)),
        readout_(steps_at_least_one(number(p, "readout"), dt)),
        noise_step_(noise_per_step(number(p, "noise"), dt)),
        no_pulse_(number(p, "no_pulse_probability")),
        long_probability_(p.count("long_probability") ? number(p, "long_probability") : 0.0),
        long_amplitude_(p.count("long_amplitude") ? number(p, "long_amplitude") : 1.0),
        long_response_delay_(p.count("long_response_delay") ? steps_of(number(p, "long_response_delay"), dt)
                                                             : response_delay_) {
    const int latest_response = fixation_ + jitter_ + static_cast<int>(pulse_.size()) +
                                std::max(response_delay_, long_probability_ > 0 ? long_response_delay_ : 0);
    require(latest_response < steps_, p, "duration",
            "must exceed fixation + jitter + pulse + response_delay, or late trials never respond");
    require(readout_ <= steps_, p, "readout", "longer than " + shown(p, "duration"));
  }

  std::string name() const override { return name_; }
  int n_inputs() const override { return 1; }
  int n_outputs() const override { return 1; }
  int steps() const override { return steps_; }

  TrialBatch batch(int trials, Rng& rng) const override {
    std::vector<std::string> conditions = {"pulse_sign", "onset_ms", "response_ms"};
    if (long_probability_ > 0) conditions.push_back("amplitude");
    TrialBatch batch = empty_batch(1, 1, steps_, trials, conditions);
    const int length = static_cast<int>(pulse_.size());
    for (int b = 0; b < trials; ++b) {
      const bool pulse = !rng.bernoulli(no_pulse_);
      const float sign = rng.bernoulli(0.5) ? 1.0f : -1.0f;
      const int onset = fixation_ + static_cast<int>(rng.uniform_int(1, jitter_));
      // simple_dm draws nothing here, so its trials stay those of the fixtures' generator.
      const bool is_long = long_probability_ > 0 && rng.bernoulli(long_probability_);
      const float amplitude = static_cast<float>(is_long ? long_amplitude_ : 1.0);
      const int response = onset + length + (is_long ? long_response_delay_ : response_delay_);
      const float reported = pulse ? sign : 0.0f;
      for (int t = 0; t < steps_; ++t) {
        const int i = t - onset;
        const float shape = pulse && i >= 0 && i < length ? amplitude * sign * pulse_[i] : 0.0f;
        batch.inputs(0, batch.col(t, b)) = shape + static_cast<float>(noise_step_ * rng.normal());
      }
      fill(batch.targets, batch, 0, b, response, steps_, reported);
      batch.conditions(b, 0) = reported;
      batch.conditions(b, 1) = onset * dt_;  // drawn on every trial; meaningful where pulse_sign != 0
      batch.conditions(b, 2) = response * dt_;
      if (long_probability_ > 0) batch.conditions(b, 3) = pulse ? amplitude : 0.0;
    }
    return batch;
  }

  double accuracy(const TrialBatch& batch, const Eigen::MatrixXf& outputs) const override {
    check_outputs(batch, outputs, 1, name());
    return sign_accuracy(batch, outputs, steps_ - readout_, steps_, 0.5);
  }

 private:
  std::string name_;
  double dt_;
  int steps_, fixation_, jitter_;
  std::vector<float> pulse_;
  int response_delay_, readout_;
  double noise_step_, no_pulse_;
  double long_probability_, long_amplitude_;
  int long_response_delay_;
};

std::vector<ParamSpec> simple_dm_params() {
  return {
      ms_param("duration", 370, "trial length", 1),
      ms_param("fixation", 50, "the pulse starts at fixation + j, j uniform in 1..jitter steps"),
      ms_param("jitter", 70, "largest extra delay j of the pulse onset"),
      ms_param("pulse", 20, "length of the pulse"),
      ms_param("hann", 10, "length of the Hann window that shapes the pulse (under 3 steps: no smoothing)"),
      ms_param("response_delay", 50, "from the end of the pulse to the start of the report"),
      noise_param(0.05, "at every step"),
      real_param("no_pulse_probability", 0.5, "fraction of trials without a pulse", 0, 1),
      ms_param("readout", 100, "accuracy looks at the mean output over this last part of the trial"),
  };
}

}  // namespace

TaskInfo simple_dm_task() {
  return TaskInfo{
      "simple_dm",
      "simple delayed decision of the keras-jarne fixtures (defaults in ms at dt = 1: T = 370): a Hann-smoothed "
      "+-1 pulse or none, report its sign (0 if none) from response_delay after it ends; accuracy: sign of the "
      "mean output over the last readout ms matches, |mean| < 0.5 on no-pulse trials",
      simple_dm_params(),
      [](const ParamValues& p, double dt) -> std::unique_ptr<Task> {
        return std::make_unique<SimpleDm>(p, dt, "simple_dm");
      },
  };
}

TaskInfo long_short_task() {
  std::vector<ParamSpec> params = simple_dm_params();
  params.push_back(real_param("long_probability", 0.5, "fraction of pulse trials with the long amplitude", 0, 1));
  params.push_back(real_param("long_amplitude", 2.0, "pulse amplitude that asks for the long delay", 0, 100));
  params.push_back(ms_param("long_response_delay", 100, "report delay after a long-amplitude pulse"));
  return TaskInfo{
      "long_short",
      "context (amplitude) cued long/short delay of the keras-jarne longshort fixture: simple_dm whose pulse has "
      "amplitude 1 (report response_delay after it) or long_amplitude (report long_response_delay after it); "
      "accuracy: as simple_dm",
      params,
      [](const ParamValues& p, double dt) -> std::unique_ptr<Task> {
        return std::make_unique<SimpleDm>(p, dt, "long_short");
      },
  };
}

}  // namespace rnnlab
