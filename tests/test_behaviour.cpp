// Behaviour curves (analysis/behaviour.hpp) on observers whose curves are
// known in closed form: the ideal integrator of perceptual_dm (a cumulative
// Gaussian of known slope), an observer that knows the answer (a step), a
// shifted integrator (a known bias), and timing observers that reproduce the
// sample, regress halfway to the mean, or answer late by a fixed time.
#include <gtest/gtest.h>

#include <H5Cpp.h>
#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <regex>

#include "analysis/behaviour.hpp"
#include "io/experiment_file.hpp"
#include "io/h5.hpp"
#include "task_support.hpp"
#include "test_support.hpp"
#include "train/evaluate.hpp"
#include "util/error.hpp"
#include "util/rng.hpp"

using namespace rnnlab;

namespace {

// perceptual_dm at dt = 10 with weak coherences, so every level informs the
// fit: |c| = 0.1, 0.05, 0.025; 50 stimulus steps (from step 10) of noise sd 0.5.
std::unique_ptr<Task> weak_dm() { return make_task("perceptual_dm", {{"coherence", 0.1}}, 10.0); }
constexpr int kStimulusBegin = 10, kStimulusEnd = 60;
const double kIdealSlope = std::sqrt(50.0) / 0.5;  // sum ~ N(50 c, 0.25 * 50): P(+) = Phi(c sqrt(50) / 0.5)

TrialBatch eval_batch(const Task& task, int trials, std::uint64_t seed) {
  Rng rng = Rng::stream(seed, Purpose::eval);
  return task.batch(trials, rng);
}

using test::integrator;  // x <- x + a u: it integrates exactly

// Outputs that hold sum_t (u_t - shift) over the stimulus from its end on.
Eigen::MatrixXf integrator_outputs(const TrialBatch& b, double shift) {
  Eigen::MatrixXf out = Eigen::MatrixXf::Zero(1, b.inputs.cols());
  for (int trial = 0; trial < b.trials; ++trial) {
    double sum = 0.0;
    for (int t = kStimulusBegin; t < kStimulusEnd; ++t) sum += b.inputs(0, b.col(t, trial)) - shift;
    for (int t = kStimulusEnd; t < b.steps; ++t) out(0, b.col(t, trial)) = static_cast<float>(sum);
  }
  return out;
}

}  // namespace

TEST(Psychometric, TheIdealIntegratorHasSlopeSqrtTOverSigmaAndNoBias) {
  const auto task = weak_dm();
  const TrialBatch b = eval_batch(*task, 6000, 1);
  const PsychometricCurve c = psychometric_from_outputs(b, integrator_outputs(b, 0.0), "coherence");
  EXPECT_EQ(c.trials, 6000);
  EXPECT_EQ(c.no_choice, 0);
  EXPECT_FALSE(c.fit.step);
  // The slope's standard error here is 2.3% (Fisher information of the probit
  // at these levels, 1000 trials each): 10% is over 4 of them.
  EXPECT_NEAR(c.fit.slope, kIdealSlope, 0.1 * kIdealSlope);
  EXPECT_NEAR(c.fit.bias, 0.0, 0.004);
  // Six levels, symmetric, each with P(+) = Phi(c * slope) up to sampling.
  ASSERT_EQ(c.levels.size(), 6);
  for (Eigen::Index l = 0; l < 6; ++l) {
    const double expected = 0.5 * std::erfc(-c.levels(l) * kIdealSlope / std::sqrt(2.0));
    EXPECT_NEAR(c.p_positive(l), expected, 0.04) << c.levels(l);
  }
  EXPECT_EQ(c.counts.sum(), 6000);
}

TEST(Psychometric, AShiftedIntegratorHasThatBias) {
  const auto task = weak_dm();
  const TrialBatch b = eval_batch(*task, 6000, 2);
  const PsychometricCurve c = psychometric_from_outputs(b, integrator_outputs(b, 0.03), "coherence");
  EXPECT_NEAR(c.fit.bias, 0.03, 0.005);
  EXPECT_NEAR(c.fit.slope, kIdealSlope, 0.1 * kIdealSlope);
}

TEST(Psychometric, AnObserverThatKnowsTheAnswerIsAStepBetweenTheWeakestLevels) {
  const auto task = weak_dm();
  const TrialBatch b = eval_batch(*task, 500, 3);
  const PsychometricCurve c = psychometric_from_outputs(b, b.targets, "coherence");
  EXPECT_TRUE(c.fit.step);
  EXPECT_TRUE(std::isinf(c.fit.slope) && c.fit.slope > 0);
  EXPECT_DOUBLE_EQ(c.fit.bias, 0.0);  // midway between -0.025 and +0.025
  for (Eigen::Index l = 0; l < c.levels.size(); ++l) EXPECT_EQ(c.p_positive(l), c.levels(l) > 0 ? 1.0 : 0.0);
  // Reversed answers: a falling step.
  EXPECT_TRUE(std::isinf(psychometric_from_outputs(b, -b.targets, "coherence").fit.slope));
  EXPECT_LT(psychometric_from_outputs(b, -b.targets, "coherence").fit.slope, 0);
}

// The integrator through the network path (eval's trials, simulate,
// choices): its curve is the ideal integrator's.
TEST(Psychometric, AnIntegratingNetworkMatchesTheIdealObserverOnEvalsTrials) {
  const Network net = integrator();
  const auto task = weak_dm();
  const PsychometricCurve from_net = psychometric(net, *task, 3000, 7);
  const TrialBatch b = eval_batch(*task, 3000, 7);
  const PsychometricCurve ideal = psychometric_from_outputs(b, integrator_outputs(b, 0.0), "coherence");
  EXPECT_EQ(from_net.condition, "coherence");
  EXPECT_NEAR(from_net.fit.slope, ideal.fit.slope, 1e-6 * ideal.fit.slope);
  EXPECT_NEAR(from_net.fit.bias, ideal.fit.bias, 1e-9);
  EXPECT_EQ(from_net.p_positive, ideal.p_positive);
}

TEST(Psychometric, BadInputIsRefusedWithTheKnownConditions) {
  const auto task = weak_dm();
  const TrialBatch b = eval_batch(*task, 50, 1);
  try {
    psychometric_from_outputs(b, b.targets, "coherance");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("known: coherence, choice"), std::string::npos) << e.what();
  }
  EXPECT_THROW(fit_psychometric(Eigen::VectorXd::Constant(5, 0.1), Eigen::VectorXd::Ones(5)), InputError);
  EXPECT_THROW(psychometric_from_outputs(b, Eigen::MatrixXf::Zero(1, 3), "coherence"), InputError);
}

// ---- timing -----------------------------------------------------------------------

namespace {

// ready_set_go at dt = 10: sample intervals 40..80 steps; outputs a go pulse
// (height 1, 10 steps) `produce(sample_steps)` steps after set.
template <class F>
Eigen::MatrixXf go_after(const TrialBatch& b, F produce) {
  Eigen::MatrixXf out = Eigen::MatrixXf::Zero(1, b.inputs.cols());
  for (int trial = 0; trial < b.trials; ++trial) {
    const int interval = static_cast<int>(std::lround(b.conditions(trial, 0) / 10.0));
    const int set = static_cast<int>(std::lround(b.conditions(trial, 1) / 10.0));
    const int go = set + produce(interval);
    for (int t = go; t < std::min(go + 10, b.steps); ++t) out(0, b.col(t, trial)) = 1.0f;
  }
  return out;
}

}  // namespace

TEST(Timing, ReproducingTheSampleIsSlopeOneWithNoRegression) {
  const auto task = make_task("ready_set_go", {}, 10.0);
  const TrialBatch b = eval_batch(*task, 400, 1);
  const TimingCurve c = timing_from_outputs(b, b.targets, 10.0);
  ASSERT_EQ(c.sample_ms.size(), 400);
  EXPECT_EQ(c.untimed, 0);
  EXPECT_EQ(c.missed, 0);
  for (int trial = 0; trial < 400; ++trial) EXPECT_DOUBLE_EQ(c.sample_ms(trial), b.conditions(trial, 0));
  EXPECT_EQ(c.sample_ms, c.produced_ms);
  EXPECT_NEAR(c.slope, 1.0, 1e-12);
  EXPECT_NEAR(c.intercept_ms, 0.0, 1e-9);
  EXPECT_NEAR(c.regression, 0.0, 1e-12);
  EXPECT_NEAR(c.mean_error_ms, 0.0, 1e-12);
  EXPECT_GT(c.levels_ms.size(), 30);  // 41 possible samples, 400 trials
}

TEST(Timing, RegressingHalfwayToTheMeanIsSlopeOneHalfWithTheMeanAsIndifferencePoint) {
  const auto task = make_task("ready_set_go", {}, 10.0);
  const TrialBatch b = eval_batch(*task, 400, 2);
  // Produced = 30 + sample / 2 steps: indifferent at 60 steps = 600 ms. The
  // integer halving loses half a step on odd samples, whatever their size, so
  // it shifts the line by a quarter step and leaves its slope.
  const TimingCurve c = timing_from_outputs(b, go_after(b, [](int s) { return 30 + s / 2; }), 10.0);
  EXPECT_NEAR(c.slope, 0.5, 0.01);
  EXPECT_NEAR(c.regression, 0.5, 0.01);
  EXPECT_NEAR(c.indifference_ms, 600.0, 10.0);
  // A constant answer: complete regression.
  const TimingCurve flat = timing_from_outputs(b, go_after(b, [](int) { return 60; }), 10.0);
  EXPECT_NEAR(flat.slope, 0.0, 1e-12);
  EXPECT_NEAR(flat.regression, 1.0, 1e-12);
  EXPECT_NEAR(flat.indifference_ms, 600.0, 1e-9);
}

TEST(Timing, AFixedDelayHasNoSlopeButAMeanError) {
  // delayed_pulse: one delay (300 ms) whatever the onset; answering 2 steps late.
  const auto task = make_task("delayed_pulse", {}, 10.0);
  const TrialBatch b = eval_batch(*task, 100, 3);
  Eigen::MatrixXf late = Eigen::MatrixXf::Zero(1, b.targets.cols());
  for (int trial = 0; trial < b.trials; ++trial)
    for (int t = 2; t < b.steps; ++t) late(0, b.col(t, trial)) = b.targets(0, b.col(t - 2, trial));
  const TimingCurve c = timing_from_outputs(b, late, 10.0);
  EXPECT_EQ(c.levels_ms.size(), 1);
  EXPECT_DOUBLE_EQ(c.levels_ms(0), 300.0);
  EXPECT_TRUE(std::isnan(c.slope));
  EXPECT_DOUBLE_EQ(c.mean_error_ms, 20.0);
  EXPECT_DOUBLE_EQ(c.sd_error_ms, 0.0);
  // Silence: every trial missed.
  const TimingCurve silent = timing_from_outputs(b, Eigen::MatrixXf::Zero(1, b.targets.cols()), 10.0);
  EXPECT_EQ(silent.missed, 100);
  EXPECT_TRUE(std::isnan(silent.mean_error_ms));
}

TEST(Timing, MultiIntervalSamplesAreTheLevelsDelays) {
  // Pulse 5 steps then k intervals of 20 steps: samples 250, 450, 650 ms from the pulse onset.
  const auto task = make_task("multi_interval", {}, 10.0);
  const TrialBatch b = eval_batch(*task, 300, 4);
  const TimingCurve c = timing_from_outputs(b, b.targets, 10.0);
  ASSERT_EQ(c.levels_ms.size(), 3);
  EXPECT_DOUBLE_EQ(c.levels_ms(0), 250.0);
  EXPECT_DOUBLE_EQ(c.levels_ms(1), 450.0);
  EXPECT_DOUBLE_EQ(c.levels_ms(2), 650.0);
  EXPECT_NEAR(c.slope, 1.0, 1e-12);
}

// ---- the command ---------------------------------------------------------------------

namespace {

namespace fs = std::filesystem;

// The number after `"key": ` in `text`.
double json_value(const std::string& text, const std::string& key) {
  std::smatch m;
  if (!std::regex_search(text, m, std::regex("\"" + key + "\": ([-0-9.e+]+)"))) return std::nan("");
  return std::stod(m[1].str());
}

}  // namespace

// An imported file with the integrator and a network whose training failed
// (no weights): the command skips the second with its reason, prints the
// curve computed in-process, and stores it.
TEST(BehaviourCli, PsychometricOfAnIntegratorIsComputedPrintedAndStored) {
  const fs::path dir = testing_support::fresh_test_dir("rnnlab-behaviour-test");
  const std::string file = (dir / "integrator.h5").string();
  Experiment exp;
  NetworkRecord good;
  good.seed = 0;
  good.status = "imported";
  good.origin = "test";
  good.trained = integrator();
  NetworkRecord failed;
  failed.seed = 1;
  failed.status = "diverged";
  failed.status_reason = "a test";
  failed.origin = "test";
  exp.networks = {good, failed};
  write_experiment(file, exp);

  const auto run = [&](const std::string& args) { return testing_support::run_rnnlab(args, dir / "log.txt"); };
  const auto r = run(fmt::format("behaviour {} --psychometric --task perceptual_dm --set task.coherence=0.1 "
                                 "--trials 1500 --seed 7 --json",
                                 file));
  ASSERT_EQ(r.code, 0) << r.output;
  const std::unique_ptr<Task> task = make_task("perceptual_dm", {{"coherence", 0.1}}, 10.0);
  const PsychometricCurve expected = psychometric(good.trained, *task, 1500, 7);
  EXPECT_EQ(json_value(r.output, "slope"), expected.fit.slope);
  EXPECT_EQ(json_value(r.output, "bias"), expected.fit.bias);
  EXPECT_NEAR(expected.fit.slope, kIdealSlope, 0.1 * kIdealSlope);
  EXPECT_NE(r.output.find("\"skipped\": \"no weights (status diverged: a test)\""), std::string::npos) << r.output;
  {
    std::lock_guard lock(h5_lock());
    H5::H5File f(file, H5F_ACC_RDONLY);
    H5::Group g = f.openGroup("networks/0/analysis/behaviour/psychometric");
    EXPECT_EQ(h5::read_double_attr(g, "slope"), expected.fit.slope);
    EXPECT_EQ(h5::read_string_attr(g, "condition"), "coherence");
    EXPECT_EQ(h5::read_string_attr(g, "task"), "perceptual_dm");
    EXPECT_EQ(h5::read_vector(g, "p_positive"), expected.p_positive);
    EXPECT_FALSE(h5::exists(f.openGroup("networks/1"), "analysis"));
  }

  // Bad input: exit 2, the option named, the file untouched.
  const auto before = fs::last_write_time(file);
  const struct {
    std::string args, expect;
  } cases[] = {
      {"--task perceptual_dm", "--psychometric"},
      {"--timing --condition coherence --task perceptual_dm", "--condition"},
      {"--psychometric --condition colour --task perceptual_dm", "known: coherence, choice"},
      {"--psychometric", "--task"},  // an import records no task
  };
  for (const auto& c : cases) {
    const auto bad = run(fmt::format("behaviour {} {}", file, c.args));
    EXPECT_EQ(bad.code, 2) << c.args << "\n" << bad.output;
    EXPECT_NE(bad.output.find(c.expect), std::string::npos) << c.args << "\n" << bad.output;
  }
  EXPECT_EQ(fs::last_write_time(file), before);
  fs::remove_all(dir);
}
