// Task fidelity: input noise per sqrt(ms) (the same task at any dt, checked
// with an ideal observer against its closed form), Hann smoothing in O(n)
// (against the direct convolution) and small dt refused fast, parametric_wm's
// random delays, delayed_pulse's fixed onset and the oscillator's kicks.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <string>
#include <vector>

#include "tasks/common.hpp"
#include "tasks/task.hpp"
#include "util/error.hpp"
#include "util/rng.hpp"

namespace rnnlab {
namespace {

TrialBatch draw(const Task& task, int trials, std::uint64_t seed = 3) {
  Rng rng = Rng::stream(seed, Purpose::train, 0);
  return task.batch(trials, rng);
}

double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

// The ideal observer of perceptual_dm reports the sign of the summed stimulus
// input. With K = D / dt steps of mean c and per-step sd noise / sqrt(dt) the
// sum has mean c D / dt and sd noise sqrt(D) / dt: it is right with
// probability Phi(|c| sqrt(D) / noise), whatever dt. (With a per-step sd of
// `noise` at every dt, the old convention, it was Phi(|c| sqrt(D / dt) / noise):
// 0.84 at dt = 1 but 0.69 at dt = 5 for the values below.)
double ideal_observer_accuracy(double dt, int trials) {
  const ParamValues params = {{"fixation", 20.0}, {"stimulus", 100.0}, {"decision", 20.0}, {"grace", 0.0},
                              {"coherence", 0.4}, {"levels", 3.0},     {"noise", 2.0}};
  const auto task = make_task("perceptual_dm", params, dt);
  const TrialBatch batch = draw(*task, trials);
  const int onset = taskkit::steps_of(20, dt), end = onset + taskkit::steps_of(100, dt);
  int right = 0;
  for (int b = 0; b < trials; ++b) {
    double sum = 0.0;
    for (int t = onset; t < end; ++t) sum += batch.inputs(0, batch.col(t, b));
    right += (sum > 0) == (batch.conditions(b, 0) > 0);
  }
  return static_cast<double>(right) / trials;
}

TEST(TaskNoise, IdealObserverAccuracyIsTheSameAtEveryDtAndMatchesItsClosedForm) {
  // Levels 0.4, 0.2, 0.1 equally likely; D = 100 ms, noise 2 per sqrt(ms).
  const double expected =
      (normal_cdf(0.4 * 10 / 2) + normal_cdf(0.2 * 10 / 2) + normal_cdf(0.1 * 10 / 2)) / 3;  // 0.8367
  const int trials = 8000;
  const double se = std::sqrt(expected * (1 - expected) / trials);  // 0.0041
  const double at_1 = ideal_observer_accuracy(1.0, trials), at_5 = ideal_observer_accuracy(5.0, trials);
  EXPECT_NEAR(at_1, expected, 4 * se);
  EXPECT_NEAR(at_5, expected, 4 * se);
  EXPECT_NEAR(at_1, at_5, 4 * std::sqrt(2.0) * se);
}

TEST(TaskNoise, PerStepStandardDeviationIsNoiseOverSqrtDt) {
  // parametric_wm at dt = 4 with noise 0.2: per-step sd 0.1 on both inputs during the stimuli.
  const ParamValues params = {{"noise", 0.2}, {"fixation", 100.0}, {"stimulus", 200.0}};
  const auto task = make_task("parametric_wm", params, 4.0);
  const TrialBatch batch = draw(*task, 200);
  double sum_sq = 0.0;
  long count = 0;
  for (int b = 0; b < batch.trials; ++b) {
    const double up = (batch.conditions(b, 0) - 10.0) / 24.0;  // f1 coded on input 0 during steps [25, 75)
    for (int t = 25; t < 75; ++t) {
      const double e = batch.inputs(0, batch.col(t, b)) - up;
      sum_sq += e * e;
      ++count;
    }
  }
  // 10,000 draws: the sample sd is within 3% of 0.1 with overwhelming probability.
  EXPECT_NEAR(std::sqrt(sum_sq / count), 0.2 / std::sqrt(4.0), 0.003);
}

// The direct "same"-mode convolution with the unit-sum Hann window, O(len n): the reference.
std::vector<double> direct_hann(const std::vector<double>& x, int n) {
  if (n < 3) return x;
  std::vector<double> w(n);
  double sum = 0.0;
  for (int k = 0; k < n; ++k) sum += w[k] = 0.5 - 0.5 * std::cos(2.0 * M_PI * k / (n - 1));
  const int len = static_cast<int>(x.size()), shift = (n - 1) / 2;
  std::vector<double> out(len, 0.0);
  for (int i = 0; i < len; ++i)
    for (int k = 0; k < n; ++k) {
      const int j = i + shift - k;
      if (j >= 0 && j < len) out[i] += w[k] / sum * x[j];
    }
  return out;
}

TEST(HannSmoothing, EqualsTheDirectConvolution) {
  Rng rng(11);
  for (const auto& [len, n] : std::vector<std::pair<int, int>>{{20, 10}, {20, 3}, {7, 12}, {50, 11}, {1, 5}, {33, 2}}) {
    std::vector<double> x(len);
    for (double& v : x) v = rng.normal();
    const std::vector<double> fast = taskkit::smooth_hann(x, n), slow = direct_hann(x, n);
    ASSERT_EQ(fast.size(), slow.size());
    for (int i = 0; i < len; ++i) EXPECT_NEAR(fast[i], slow[i], 1e-12) << "len " << len << " n " << n << " i " << i;
  }
  // The simple_dm pulse: 20 steps smoothed by 10, its middle on the plateau 1.
  const std::vector<double> pulse = taskkit::smooth_hann(std::vector<double>(20, 1.0), 10);
  EXPECT_NEAR(pulse[10], 1.0, 1e-12);
  EXPECT_LT(pulse[0], 0.9);
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

TEST(SmallDt, SmoothedTasksAreMadeFastAndAbsurdStepCountsRefusedNamingModelDt) {
  for (const std::string name : {"simple_dm", "long_short", "perceptual_integration"}) {
    auto start = std::chrono::steady_clock::now();
    try {
      make_task(name, {}, 1e-6);
      FAIL() << name << ": dt = 1e-6 accepted";
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find("model.dt"), std::string::npos) << e.what();
    }
    EXPECT_LT(seconds_since(start), 1.0) << name;
    // dt = 0.002 ms: 185,000 steps, a Hann window of 5,000 steps over a pulse of 10,000 (was O(n^2): minutes).
    start = std::chrono::steady_clock::now();
    const auto task = make_task(name, {}, 0.002);
    EXPECT_GT(task->steps(), 100000);
    const TrialBatch batch = draw(*task, 1);
    EXPECT_LT(seconds_since(start), 2.0) << name;
    EXPECT_TRUE(batch.inputs.allFinite());
    EXPECT_GT(batch.inputs.cwiseAbs().maxCoeff(), 0.0f);
  }
}

TEST(ParametricWm, RandomDelaysPlaceF2AndTheReportPerTrial) {
  const double dt = 10;
  const auto task = make_task("parametric_wm", {{"delay", 500.0}, {"delay_max", 3000.0}}, dt);
  // fixation 100 + f1 200 + longest delay 3000 + f2 200 + decision 300 ms.
  ASSERT_EQ(task->steps(), 10 + 20 + 300 + 20 + 30);
  const TrialBatch batch = draw(*task, 200);
  double shortest = 1e9, longest = 0;
  for (int b = 0; b < batch.trials; ++b) {
    const double delay_ms = batch.conditions(b, 3);
    shortest = std::min(shortest, delay_ms);
    longest = std::max(longest, delay_ms);
    const int f2_onset = 30 + static_cast<int>(std::lround(delay_ms / dt)), f2_end = f2_onset + 20;
    const float choice = batch.conditions(b, 0) > batch.conditions(b, 1) ? 1.0f : -1.0f;
    EXPECT_EQ(batch.conditions(b, 2), choice);
    for (int t = 0; t < batch.steps; ++t) {
      const bool stimulus = (t >= 10 && t < 30) || (t >= f2_onset && t < f2_end);
      EXPECT_EQ(batch.inputs.col(batch.col(t, b)).cwiseAbs().sum() > 0, stimulus) << "trial " << b << " step " << t;
      EXPECT_EQ(batch.targets(0, batch.col(t, b)), t >= f2_end ? choice : 0.0f) << "trial " << b << " step " << t;
      EXPECT_EQ(batch.mask(batch.col(t, b)), t >= f2_end && t < f2_end + 5 ? 0.0f : 1.0f);
    }
  }
  EXPECT_GE(shortest, 500);
  EXPECT_LT(shortest, 800);  // the whole range is used
  EXPECT_GT(longest, 2700);
  EXPECT_LE(longest, 3000);
  EXPECT_EQ(task->accuracy(batch, batch.targets), 1.0);
  EXPECT_EQ(task->accuracy(batch, -batch.targets), 0.0);
  // delay_max below delay is refused, naming the key.
  EXPECT_THROW(make_task("parametric_wm", {{"delay", 500.0}, {"delay_max", 400.0}}, dt), InputError);
  // Without delay_max the delay is fixed: 100 + 200 + 500 + 200 + 300 ms.
  EXPECT_EQ(make_task("parametric_wm", {}, dt)->steps(), 130);
}

TEST(DelayedPulse, FixedOnsetIsOnsetMinOnEveryTrial) {
  const auto task = make_task("delayed_pulse", {{"onset", std::string("fixed")}}, 10.0);
  // onset_min 100 + delay 300 + pulse 50 + tail 200 ms: the trial ends after the only possible response.
  ASSERT_EQ(task->steps(), 10 + 30 + 5 + 20);
  const TrialBatch batch = draw(*task, 20);
  for (int b = 0; b < batch.trials; ++b) {
    EXPECT_EQ(batch.conditions(b, 0), 100.0);
    for (int t = 0; t < batch.steps; ++t) {
      EXPECT_EQ(batch.inputs(0, batch.col(t, b)), t >= 10 && t < 15 ? 1.0f : 0.0f);
      EXPECT_EQ(batch.targets(0, batch.col(t, b)), t >= 40 && t < 45 ? 1.0f : 0.0f);
    }
  }
  EXPECT_THROW(make_task("delayed_pulse", {{"onset", std::string("sometimes")}}, 10.0), InputError);
  // The default is random: onsets vary.
  const TrialBatch random = draw(*make_task("delayed_pulse", {}, 10.0), 50);
  EXPECT_GT(random.conditions.col(0).maxCoeff(), random.conditions.col(0).minCoeff());
}

TEST(Oscillator, KicksOnQuietTrialsAskForQuiet) {
  const auto task = make_task("oscillator", {{"kick", 0.3}}, 10.0);
  const TrialBatch batch = draw(*task, 100);
  int positive = 0, negative = 0;
  for (int b = 0; b < batch.trials; ++b) {
    const int onset = static_cast<int>(std::lround(batch.conditions(b, 1) / 10.0));
    const bool pulse = batch.conditions(b, 0) != 0;
    const float first = batch.inputs(0, batch.col(onset, b));
    if (pulse) {
      EXPECT_EQ(first, 1.0f);
      continue;
    }
    EXPECT_EQ(std::abs(first), 0.3f);
    (first > 0 ? positive : negative)++;
    for (int t = 0; t < batch.steps; ++t) {
      EXPECT_EQ(batch.targets(0, batch.col(t, b)), 0.0f);  // no wave
      EXPECT_EQ(batch.inputs(0, batch.col(t, b)), t >= onset && t < onset + 5 ? first : 0.0f);
    }
  }
  EXPECT_GT(positive, 5);
  EXPECT_GT(negative, 5);
  // Without a kick the quiet trials have no input at all.
  const TrialBatch quiet = draw(*make_task("oscillator", {}, 10.0), 100);
  for (int b = 0; b < quiet.trials; ++b)
    if (quiet.conditions(b, 0) == 0) {
      for (int t = 0; t < quiet.steps; ++t) EXPECT_EQ(quiet.inputs(0, quiet.col(t, b)), 0.0f);
    }
}

}  // namespace
}  // namespace rnnlab
