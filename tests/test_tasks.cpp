// The task generators: shapes, masks and determinism for every registered
// task, each task's target rule rebuilt independently from its own inputs on
// generated trials, the accuracy rules, and make_task's validation messages.
#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "task_support.hpp"
#include "tasks/task.hpp"
#include "util/error.hpp"
#include "util/rng.hpp"

using namespace rnnlab;

namespace {

using test::draw, test::in, test::out;

// Steps where a channel's input becomes nonzero (pulse onsets).
std::vector<int> onsets(const TrialBatch& b, int channel, int trial) {
  std::vector<int> result;
  for (int t = 0; t < b.steps; ++t)
    if (in(b, channel, t, trial) != 0.0f && (t == 0 || in(b, channel, t - 1, trial) == 0.0f)) result.push_back(t);
  return result;
}

// The message of the InputError that `f` throws ("" if it throws none).
template <class F>
std::string input_error(F f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

std::vector<std::string> registered_names() {
  std::vector<std::string> names;
  for (const auto& info : task_registry()) names.push_back(info.name);
  return names;
}

}  // namespace

// ---- the registry -------------------------------------------------------------

TEST(TaskRegistry, ListsTheTasksOfIssue2InOrder) {
  // Issue 2's ten, then the fixtures' integration and long/short tasks (issue 3).
  const std::vector<std::string> expected = {"flipflop",      "set_reset",  "logic",         "oscillator",
                                             "delayed_pulse", "perceptual_dm", "context_dm", "parametric_wm",
                                             "ready_set_go",  "simple_dm", "perceptual_integration", "long_short",
                                             // Jarne's suite (issue 17; tests/test_task_suite.cpp)
                                             "multi_interval", "interval_distance", "multi_amplitude",
                                             "cued_integration", "interval_comparison", "context_logic"};
  EXPECT_EQ(registered_names(), expected);
  for (const auto& name : expected) EXPECT_NE(find_task(name), nullptr) << name;
  EXPECT_EQ(find_task("flip_flop"), nullptr);
}

TEST(TaskRegistry, EveryTaskDocumentsItselfAndItsParameters) {
  for (const auto& info : task_registry()) {
    EXPECT_NE(info.description.find("accuracy"), std::string::npos) << info.name << ": no accuracy rule";
    EXPECT_EQ(info.description.find('\n'), std::string::npos) << info.name << ": description is not one line";
    std::set<std::string> seen;
    for (const auto& spec : info.params) {
      EXPECT_TRUE(seen.insert(spec.name).second) << info.name << "." << spec.name << " declared twice";
      EXPECT_FALSE(spec.description.empty()) << info.name << "." << spec.name;
      if (const auto* x = std::get_if<double>(&spec.default_value)) {
        EXPECT_GE(*x, spec.min) << info.name << "." << spec.name;
        EXPECT_LE(*x, spec.max) << info.name << "." << spec.name;
      }
    }
  }
}

TEST(TaskRegistry, DefaultsMakeEveryTaskAtFineAndCoarseSteps) {
  for (const auto& name : registered_names())
    for (double dt : {1.0, 10.0, 20.0}) {
      std::unique_ptr<Task> task;
      ASSERT_NO_THROW(task = make_task(name, {}, dt)) << name << " at dt " << dt;
      EXPECT_EQ(task->name(), name);
      EXPECT_GT(task->steps(), 1);
    }
}

TEST(TaskRegistry, DurationsScaleWithTheTimeStep) {
  EXPECT_EQ(make_task("simple_dm", {}, 1.0)->steps(), 370);
  EXPECT_EQ(make_task("simple_dm", {}, 10.0)->steps(), 37);
  EXPECT_EQ(make_task("flipflop", {{"duration", 1500.0}}, 10.0)->steps(), 150);
  EXPECT_EQ(make_task("flipflop", {{"duration", 1500.0}}, 5.0)->steps(), 300);
}

// ---- every task: shapes, mask, determinism, accuracy of the targets ---------

class TaskEvery : public ::testing::TestWithParam<std::string> {};

TEST_P(TaskEvery, BatchShapesAndMask) {
  const auto task = make_task(GetParam(), {}, 10.0);
  const int trials = 7;
  const TrialBatch b = draw(*task, trials, 1);
  const Eigen::Index columns = static_cast<Eigen::Index>(task->steps()) * trials;
  EXPECT_EQ(b.steps, task->steps());
  EXPECT_EQ(b.trials, trials);
  EXPECT_EQ(b.inputs.rows(), task->n_inputs());
  EXPECT_EQ(b.inputs.cols(), columns);
  EXPECT_EQ(b.targets.rows(), task->n_outputs());
  EXPECT_EQ(b.targets.cols(), columns);
  EXPECT_EQ(b.mask.size(), columns);
  EXPECT_EQ(b.conditions.rows(), trials);
  EXPECT_EQ(b.conditions.cols(), static_cast<Eigen::Index>(b.condition_names.size()));
  EXPECT_FALSE(b.condition_names.empty());
  EXPECT_TRUE(b.inputs.allFinite());
  EXPECT_TRUE(b.targets.allFinite());
  for (Eigen::Index c = 0; c < columns; ++c) ASSERT_TRUE(b.mask(c) == 0.0f || b.mask(c) == 1.0f) << c;
  // Every trial has scored steps, and the stimulus moves the input somewhere.
  for (int trial = 0; trial < trials; ++trial) {
    float scored = 0.0f;
    for (int t = 0; t < b.steps; ++t) scored += b.mask(b.col(t, trial));
    EXPECT_GT(scored, 0.0f) << "trial " << trial;
  }
  EXPECT_GT(b.inputs.cwiseAbs().sum(), 0.0f);
}

TEST_P(TaskEvery, SameSeedSameTrialsOtherSeedOthers) {
  const auto task = make_task(GetParam(), {}, 10.0);
  const TrialBatch a = draw(*task, 16, 42), again = draw(*task, 16, 42), other = draw(*task, 16, 43);
  EXPECT_EQ(a.inputs, again.inputs);
  EXPECT_EQ(a.targets, again.targets);
  EXPECT_EQ(a.mask, again.mask);
  EXPECT_EQ(a.conditions, again.conditions);
  EXPECT_NE(a.inputs, other.inputs);
}

TEST_P(TaskEvery, TargetsScorePerfectlyAndZeroOrNegatedOutputsDoNot) {
  const auto task = make_task(GetParam(), {}, 10.0);
  const TrialBatch b = draw(*task, 400, 5);
  EXPECT_DOUBLE_EQ(task->accuracy(b, b.targets), 1.0);
  const Eigen::MatrixXf zero = Eigen::MatrixXf::Zero(b.targets.rows(), b.targets.cols());
  // At most the trials where "nothing" is the answer (no pulse, false, ...), about half.
  EXPECT_LT(task->accuracy(b, zero), 0.7);
  EXPECT_LT(task->accuracy(b, -b.targets), 0.7);
}

TEST_P(TaskEvery, AccuracyRefusesOutputsOfTheWrongShape) {
  const auto task = make_task(GetParam(), {}, 10.0);
  const TrialBatch b = draw(*task, 3, 1);
  EXPECT_THROW(task->accuracy(b, Eigen::MatrixXf::Zero(b.targets.rows() + 1, b.targets.cols())), Error);
  EXPECT_THROW(task->accuracy(b, Eigen::MatrixXf::Zero(b.targets.rows(), b.targets.cols() - 1)), Error);
}

INSTANTIATE_TEST_SUITE_P(TaskAll, TaskEvery, ::testing::ValuesIn(registered_names()),
                         [](const auto& info) { return info.param; });

// ---- each task's rule, rebuilt from its inputs -------------------------------

TEST(TaskFlipflop, TargetHoldsTheSignOfEachChannelsLastPulse) {
  const auto task = make_task("flipflop", {{"bits", 3.0}}, 10.0);
  const TrialBatch b = draw(*task, 20, 7);
  const int grace = 5;  // 50 ms at dt 10
  int pulses = 0;
  for (int trial = 0; trial < b.trials; ++trial) {
    std::vector<float> expected_mask(b.steps, 1.0f);
    for (int i = 0; i < 3; ++i) {
      const auto starts = onsets(b, i, trial);
      ASSERT_FALSE(starts.empty());
      EXPECT_LT(starts[0], 10) << "first pulse within 100 ms";
      pulses += static_cast<int>(starts.size());
      float held = 0.0f;
      for (int t = 0; t < b.steps; ++t) {
        if (in(b, i, t, trial) != 0.0f) held = in(b, i, t, trial) > 0 ? 1.0f : -1.0f;
        ASSERT_EQ(out(b, i, t, trial), held) << "trial " << trial << " bit " << i << " step " << t;
      }
      EXPECT_EQ(b.conditions(trial, i), static_cast<double>(starts.size()));
      EXPECT_EQ(b.conditions(trial, 3 + i), held);
      for (int t0 : starts)
        for (int t = t0; t < std::min(t0 + grace, b.steps); ++t) expected_mask[t] = 0.0f;
    }
    for (int t = 0; t < b.steps; ++t) ASSERT_EQ(b.mask(b.col(t, trial)), expected_mask[t]) << t;
  }
  // About 1 + 2 s * 1 Hz pulses per channel.
  EXPECT_GT(pulses, 20 * 3 * 2);
  EXPECT_LT(pulses, 20 * 3 * 4);
}

TEST(TaskFlipflop, OneWrongBitAtOneScoredStepFailsTheTrial) {
  const auto task = make_task("flipflop", {}, 10.0);
  const TrialBatch b = draw(*task, 4, 3);
  Eigen::MatrixXf outputs = 0.3f * b.targets;  // right sign everywhere, small amplitude
  EXPECT_DOUBLE_EQ(task->accuracy(b, outputs), 1.0);
  int t = b.steps - 1;  // a late scored step: by then every bit has been set
  while (b.mask(b.col(t, 2)) == 0.0f) --t;
  ASSERT_NE(b.targets(1, b.col(t, 2)), 0.0f);
  outputs(1, b.col(t, 2)) = -outputs(1, b.col(t, 2));
  EXPECT_DOUBLE_EQ(task->accuracy(b, outputs), 0.75);
}

TEST(TaskSetReset, OutputIsOneAfterSetAndZeroAfterReset) {
  const auto task = make_task("set_reset", {}, 10.0);
  const TrialBatch b = draw(*task, 20, 11);
  int sets = 0, resets = 0;
  for (int trial = 0; trial < b.trials; ++trial) {
    float state = 0.0f;
    for (int t = 0; t < b.steps; ++t) {
      const bool set = in(b, 0, t, trial) != 0.0f, reset = in(b, 1, t, trial) != 0.0f;
      ASSERT_FALSE(set && reset);
      if (set) state = 1.0f;
      if (reset) state = 0.0f;
      ASSERT_EQ(out(b, 0, t, trial), state) << "trial " << trial << " step " << t;
    }
    sets += static_cast<int>(onsets(b, 0, trial).size());
    resets += static_cast<int>(onsets(b, 1, trial).size());
    EXPECT_EQ(b.conditions(trial, 2), state);
  }
  EXPECT_GT(sets, 20);
  EXPECT_GT(resets, 20);
}

TEST(TaskLogic, TruthTablesOfEveryGate) {
  struct Gate {
    std::string op;
    bool (*rule)(bool, bool);
  };
  const std::vector<Gate> gates = {{"and", [](bool x, bool y) { return x && y; }},
                                   {"or", [](bool x, bool y) { return x || y; }},
                                   {"xor", [](bool x, bool y) { return x != y; }},
                                   {"not", [](bool x, bool) { return !x; }}};
  for (const auto& gate : gates) {
    const auto task = make_task("logic", {{"op", gate.op}}, 10.0);
    const bool unary = gate.op == "not";
    EXPECT_EQ(task->n_inputs(), unary ? 1 : 2);
    const TrialBatch b = draw(*task, 64, 2);
    // Layout at dt 10: pulses on steps [10, 20), response from 20 + 20 = 40 to 70.
    std::set<std::pair<bool, bool>> seen;
    for (int trial = 0; trial < b.trials; ++trial) {
      const bool x = in(b, 0, 10, trial) == 1.0f;
      const bool y = unary ? false : in(b, 1, 10, trial) == 1.0f;
      seen.insert({x, y});
      const float truth = gate.rule(x, y) ? 1.0f : 0.0f;
      for (int t = 0; t < b.steps; ++t) {
        ASSERT_EQ(out(b, 0, t, trial), t < 40 ? 0.0f : truth) << gate.op << " step " << t;
        const bool pulse_time = t >= 10 && t < 20;
        ASSERT_EQ(in(b, 0, t, trial), pulse_time && x ? 1.0f : 0.0f);
      }
      EXPECT_EQ(b.conditions(trial, 2), truth);
    }
    EXPECT_EQ(seen.size(), unary ? 2u : 4u) << gate.op << ": not every input combination drawn";
  }
}

TEST(TaskLogic, AccuracyIsTheSideOfOneHalf) {
  const auto task = make_task("logic", {{"op", std::string("or")}}, 10.0);
  const TrialBatch b = draw(*task, 32, 4);
  // 0.4 + 0.2 * truth: every true trial sits at 0.6, every false trial at 0.4.
  Eigen::MatrixXf outputs = Eigen::MatrixXf::Constant(1, b.targets.cols(), 0.4f) + 0.2f * b.targets;
  EXPECT_DOUBLE_EQ(task->accuracy(b, outputs), 1.0);
  outputs = Eigen::MatrixXf::Constant(1, b.targets.cols(), 0.6f);
  double trues = 0;
  for (int trial = 0; trial < b.trials; ++trial) trues += b.conditions(trial, 2);
  EXPECT_DOUBLE_EQ(task->accuracy(b, outputs), trues / b.trials);
}

TEST(TaskOscillator, PulseStartsASineNoPulseNoOutput) {
  const double period = 200.0, dt = 10.0;
  const auto task = make_task("oscillator", {{"period", period}}, dt);
  const TrialBatch b = draw(*task, 40, 9);
  int with_pulse = 0;
  for (int trial = 0; trial < b.trials; ++trial) {
    const auto starts = onsets(b, 0, trial);
    EXPECT_EQ(b.conditions(trial, 0), starts.empty() ? 0.0 : 1.0);
    if (starts.empty()) {
      EXPECT_EQ(b.targets.col(b.col(0, trial)).sum(), 0.0f);
      for (int t = 0; t < b.steps; ++t) ASSERT_EQ(out(b, 0, t, trial), 0.0f);
      continue;
    }
    ++with_pulse;
    ASSERT_EQ(starts.size(), 1u);
    const int onset = starts[0];
    EXPECT_GE(onset, 10);
    EXPECT_LE(onset, 30);
    EXPECT_DOUBLE_EQ(b.conditions(trial, 1), onset * dt);
    for (int t = 0; t < b.steps; ++t) {
      const double expected = t < onset ? 0.0 : std::sin(2.0 * M_PI * (t - onset) * dt / period);
      ASSERT_NEAR(out(b, 0, t, trial), expected, 1e-6) << "step " << t;
    }
    // One period later the wave is back where it started.
    EXPECT_NEAR(out(b, 0, onset + 20, trial), 0.0f, 1e-5);
    EXPECT_NEAR(out(b, 0, onset + 5, trial), 1.0f, 1e-6);
  }
  EXPECT_GT(with_pulse, 10);
  EXPECT_LT(with_pulse, 30);
}

TEST(TaskDelayedPulse, ResponseIsTheStimulusShiftedByTheDelay) {
  const auto task = make_task("delayed_pulse", {{"delay", 300.0}, {"pulse", 50.0}}, 10.0);
  const TrialBatch b = draw(*task, 30, 13);
  std::set<int> seen;
  for (int trial = 0; trial < b.trials; ++trial) {
    const auto starts = onsets(b, 0, trial);
    ASSERT_EQ(starts.size(), 1u);
    seen.insert(starts[0]);
    for (int t = 0; t < b.steps; ++t) {
      ASSERT_EQ(in(b, 0, t, trial), t >= starts[0] && t < starts[0] + 5 ? 1.0f : 0.0f);
      const int response = starts[0] + 30;
      ASSERT_EQ(out(b, 0, t, trial), t >= response && t < response + 5 ? 1.0f : 0.0f) << t;
    }
  }
  EXPECT_GT(seen.size(), 5u) << "onsets must vary, or the delay can be timed from trial start";
}

TEST(TaskPerceptualDm, TargetIsTheSignOfTheCoherence) {
  const auto clean = make_task("perceptual_dm", {{"noise", 0.0}}, 10.0);
  const TrialBatch b = draw(*clean, 60, 21);
  std::set<double> magnitudes;
  for (int trial = 0; trial < b.trials; ++trial) {
    const double c = b.conditions(trial, 0);
    magnitudes.insert(std::abs(c));
    // Layout at dt 10: fixation 10 steps, stimulus [10, 60), decision [60, 90), grace 5.
    for (int t = 0; t < b.steps; ++t) {
      ASSERT_FLOAT_EQ(in(b, 0, t, trial), t >= 10 && t < 60 ? static_cast<float>(c) : 0.0f);
      ASSERT_EQ(out(b, 0, t, trial), t < 60 ? 0.0f : (c > 0 ? 1.0f : -1.0f));
      ASSERT_EQ(b.mask(b.col(t, trial)), t >= 60 && t < 65 ? 0.0f : 1.0f);
    }
  }
  EXPECT_EQ(magnitudes, (std::set<double>{0.1, 0.2, 0.4}));

  // With noise, the evidence still points the target's way on average.
  const auto noisy = make_task("perceptual_dm", {}, 10.0);
  const TrialBatch n = draw(*noisy, 200, 22);
  double agreement = 0.0;
  for (int trial = 0; trial < n.trials; ++trial) {
    double sum = 0.0;
    for (int t = 10; t < 60; ++t) sum += in(n, 0, t, trial);
    agreement += (sum > 0) == (out(n, 0, n.steps - 1, trial) > 0);
  }
  EXPECT_GT(agreement / n.trials, 0.85);
  EXPECT_LT(agreement / n.trials, 1.0) << "noise should make some trials misleading";
}

TEST(TaskPerceptualDm, AccuracyIsTheSignOfTheMeanInTheDecisionWindow) {
  const auto task = make_task("perceptual_dm", {}, 10.0);
  const TrialBatch b = draw(*task, 8, 3);
  Eigen::MatrixXf outputs = b.targets;
  // Wrong everywhere before the scored window: still right.
  for (int trial = 0; trial < b.trials; ++trial)
    for (int t = 0; t < 65; ++t) outputs(0, b.col(t, trial)) = -5.0f;
  EXPECT_DOUBLE_EQ(task->accuracy(b, outputs), 1.0);
  // A brief wrong excursion inside the window that leaves the mean right: still right.
  outputs(0, b.col(70, 0)) = -3.0f * out(b, 0, 70, 0);
  EXPECT_DOUBLE_EQ(task->accuracy(b, outputs), 1.0);
  // A mean of the wrong sign: wrong.
  for (int t = 65; t < b.steps; ++t) outputs(0, b.col(t, 1)) = -0.2f * out(b, 0, t, 1);
  EXPECT_DOUBLE_EQ(task->accuracy(b, outputs), 7.0 / 8.0);
}

TEST(TaskContextDm, TargetFollowsTheCuedStreamOnly) {
  const auto task = make_task("context_dm", {{"noise", 0.0}}, 10.0);
  const TrialBatch b = draw(*task, 100, 31);
  int conflicts = 0;
  for (int trial = 0; trial < b.trials; ++trial) {
    const int context = in(b, 2, 0, trial) == 1.0f ? 0 : 1;
    for (int t = 0; t < b.steps; ++t) {
      ASSERT_EQ(in(b, 2 + context, t, trial), 1.0f);
      ASSERT_EQ(in(b, 3 - context, t, trial), 0.0f);
    }
    const float stream1 = in(b, 0, 30, trial), stream2 = in(b, 1, 30, trial);
    const float cued = context == 0 ? stream1 : stream2;
    EXPECT_EQ(out(b, 0, b.steps - 1, trial), cued > 0 ? 1.0f : -1.0f);
    EXPECT_EQ(b.conditions(trial, 0), context);
    EXPECT_FLOAT_EQ(static_cast<float>(b.conditions(trial, 1)), stream1);
    conflicts += (stream1 > 0) != (stream2 > 0);
  }
  // Half the trials the streams disagree: those are the ones only the cue decides.
  EXPECT_GT(conflicts, 30);
}

TEST(TaskParametricWm, TargetIsWhetherF1ExceedsF2DecodedFromTheInputs) {
  const auto task = make_task("parametric_wm", {}, 10.0);
  const TrialBatch b = draw(*task, 100, 41);
  // Layout at dt 10: f1 on [10, 30), delay to 80, f2 on [80, 100), decision [100, 130).
  int larger = 0;
  for (int trial = 0; trial < b.trials; ++trial) {
    const double f1 = 10.0 + 24.0 * in(b, 0, 15, trial), f2 = 10.0 + 24.0 * in(b, 0, 85, trial);
    EXPECT_NEAR(in(b, 0, 15, trial) + in(b, 1, 15, trial), 1.0f, 1e-6);
    EXPECT_NEAR(f1, b.conditions(trial, 0), 1e-4);
    EXPECT_NEAR(f2, b.conditions(trial, 1), 1e-4);
    EXPECT_NEAR(std::abs(f1 - f2), 8.0, 1e-4);
    EXPECT_GE(std::min(f1, f2), 10.0 - 1e-4);
    EXPECT_LE(std::max(f1, f2), 34.0 + 1e-4);
    for (int t = 30; t < 80; ++t) ASSERT_EQ(b.inputs.col(b.col(t, trial)).sum(), 0.0f) << "delay is silent";
    for (int t = 0; t < b.steps; ++t) ASSERT_EQ(out(b, 0, t, trial), t < 100 ? 0.0f : (f1 > f2 ? 1.0f : -1.0f));
    larger += f1 > f2;
  }
  EXPECT_GT(larger, 35);
  EXPECT_LT(larger, 65);
}

TEST(TaskReadySetGo, GoComesOneIntervalAfterSet) {
  const auto task = make_task("ready_set_go", {}, 10.0);
  const TrialBatch b = draw(*task, 30, 51);
  std::set<int> intervals;
  for (int trial = 0; trial < b.trials; ++trial) {
    const auto ready = onsets(b, 0, trial), set = onsets(b, 1, trial);
    ASSERT_EQ(ready.size(), 1u);
    ASSERT_EQ(set.size(), 1u);
    EXPECT_EQ(ready[0], 10);
    const int interval = set[0] - ready[0];
    EXPECT_GE(interval, 40);
    EXPECT_LE(interval, 80);
    intervals.insert(interval);
    const int go = set[0] + interval;
    for (int t = 0; t < b.steps; ++t) ASSERT_EQ(out(b, 0, t, trial), t >= go && t < go + 10 ? 1.0f : 0.0f);
    EXPECT_DOUBLE_EQ(b.conditions(trial, 0), interval * 10.0);
  }
  EXPECT_GT(intervals.size(), 10u);
}

TEST(TaskReadySetGo, AccuracyAllowsATimingErrorProportionalToTheInterval) {
  const auto task = make_task("ready_set_go", {{"tolerance", 0.1}}, 10.0);
  const TrialBatch b = draw(*task, 1, 52);
  const int interval = static_cast<int>(std::lround(b.conditions(0, 0) / 10.0));
  const int go = static_cast<int>(std::lround(b.conditions(0, 2) / 10.0));
  const int slack = std::max(1, static_cast<int>(std::lround(0.1 * interval)));
  auto pulse_at = [&](int start) {
    Eigen::MatrixXf o = Eigen::MatrixXf::Zero(1, b.targets.cols());
    for (int t = start; t < std::min(start + 10, b.steps); ++t) o(0, b.col(t, 0)) = 1.0f;
    return o;
  };
  EXPECT_DOUBLE_EQ(task->accuracy(b, pulse_at(go + slack)), 1.0);
  EXPECT_DOUBLE_EQ(task->accuracy(b, pulse_at(go - slack)), 1.0);
  EXPECT_DOUBLE_EQ(task->accuracy(b, pulse_at(go + slack + 1)), 0.0);
  EXPECT_DOUBLE_EQ(task->accuracy(b, pulse_at(go - slack - 1)), 0.0);
}

TEST(TaskSimpleDm, ReproducesTheFixtureParametrisationAtOneMillisecond) {
  const auto task = make_task("simple_dm", {{"noise", 0.0}}, 1.0);
  ASSERT_EQ(task->steps(), 370);
  // The pulse shape, computed independently: a 20-step rectangle convolved in
  // full with the 10-point Hann window (unit sum), central 20 samples.
  std::vector<double> hann(10), full(29, 0.0);
  double sum = 0.0;
  for (int k = 0; k < 10; ++k) sum += hann[k] = 0.5 - 0.5 * std::cos(2.0 * M_PI * k / 9.0);
  for (int i = 0; i < 20; ++i)
    for (int k = 0; k < 10; ++k) full[i + k] += hann[k] / sum;
  const std::vector<double> shape(full.begin() + 4, full.begin() + 24);

  const TrialBatch b = draw(*task, 2000, 61);
  int no_pulse = 0, min_onset = 1000, max_onset = 0;
  for (int trial = 0; trial < b.trials; ++trial) {
    const auto starts = onsets(b, 0, trial);
    if (starts.empty()) {
      ++no_pulse;
      EXPECT_EQ(b.conditions(trial, 0), 0.0);
      for (int t = 0; t < b.steps; ++t) ASSERT_EQ(out(b, 0, t, trial), 0.0f);
      continue;
    }
    const int onset = starts[0];
    min_onset = std::min(min_onset, onset);
    max_onset = std::max(max_onset, onset);
    const float sign = in(b, 0, onset + 10, trial) > 0 ? 1.0f : -1.0f;
    EXPECT_EQ(b.conditions(trial, 0), sign);
    EXPECT_DOUBLE_EQ(b.conditions(trial, 1), onset);
    for (int t = 0; t < b.steps; ++t) {
      const int i = t - onset;
      const double expected = i >= 0 && i < 20 ? sign * shape[i] : 0.0;
      ASSERT_NEAR(in(b, 0, t, trial), expected, 1e-6) << "step " << t;
      // Target: 0 until 50 + 20 + j + 50 with onset = 50 + j, then the sign.
      ASSERT_EQ(out(b, 0, t, trial), t < onset + 70 ? 0.0f : sign) << "step " << t;
    }
  }
  EXPECT_EQ(min_onset, 51);
  EXPECT_EQ(max_onset, 120);
  EXPECT_GT(no_pulse, 900);
  EXPECT_LT(no_pulse, 1100);
  EXPECT_EQ(b.mask.sum(), static_cast<float>(b.mask.size())) << "the fixture networks were trained unmasked";
}

TEST(TaskSimpleDm, NoiseHasTheFixturesStandardDeviation) {
  const auto task = make_task("simple_dm", {}, 1.0);
  const TrialBatch b = draw(*task, 200, 62);
  double sum = 0.0, sum2 = 0.0;
  long n = 0;
  for (int trial = 0; trial < b.trials; ++trial)
    for (int t = 0; t < 50; ++t) {  // before any pulse: noise alone
      sum += in(b, 0, t, trial);
      sum2 += in(b, 0, t, trial) * in(b, 0, t, trial);
      ++n;
    }
  const double mean = sum / n, sd = std::sqrt(sum2 / n - mean * mean);
  EXPECT_NEAR(mean, 0.0, 0.002);
  EXPECT_NEAR(sd, 0.05, 0.002);
}

TEST(TaskSimpleDm, AccuracyIsTheSignOverTheLast100StepsAndSilenceWithoutAPulse) {
  const auto task = make_task("simple_dm", {}, 1.0);
  const TrialBatch b = draw(*task, 50, 63);
  Eigen::MatrixXf outputs = 0.2f * b.targets;
  EXPECT_DOUBLE_EQ(task->accuracy(b, outputs), 1.0);
  int silent = -1, pulsed = -1;
  for (int trial = 0; trial < b.trials; ++trial) (b.conditions(trial, 0) == 0 ? silent : pulsed) = trial;
  ASSERT_GE(silent, 0);
  ASSERT_GE(pulsed, 0);
  for (int t = 0; t < b.steps; ++t) outputs(0, b.col(t, silent)) = 0.4f;  // below the 0.5 band: right
  EXPECT_DOUBLE_EQ(task->accuracy(b, outputs), 1.0);
  for (int t = 270; t < b.steps; ++t) outputs(0, b.col(t, silent)) = -0.6f;  // mean over the last 100 beyond 0.5
  EXPECT_DOUBLE_EQ(task->accuracy(b, outputs), 49.0 / 50.0);
  for (int t = 0; t < 270; ++t) outputs(0, b.col(t, pulsed)) = -9.0f;  // before the readout window: ignored
  EXPECT_DOUBLE_EQ(task->accuracy(b, outputs), 49.0 / 50.0);
}

// ---- validation -----------------------------------------------------------------

TEST(TaskValidation, UnknownTaskListsTheKnownOnesAndSuggests) {
  const std::string message = input_error([] { make_task("flipflopp", {}, 10.0); });
  EXPECT_NE(message.find("task.name"), std::string::npos) << message;
  EXPECT_NE(message.find("'flipflopp'"), std::string::npos) << message;
  EXPECT_NE(message.find("ready_set_go"), std::string::npos) << message;
  EXPECT_NE(message.find("did you mean 'flipflop'"), std::string::npos) << message;
}

TEST(TaskValidation, UnknownParameterNamesTheKeyTheKnownOnesAndTheNearest) {
  const std::string message = input_error([] { make_task("flipflop", {{"bitz", 3.0}}, 10.0); });
  EXPECT_NE(message.find("task.bitz"), std::string::npos) << message;
  EXPECT_NE(message.find("unknown parameter for task 'flipflop'"), std::string::npos) << message;
  EXPECT_NE(message.find("known: bits, duration"), std::string::npos) << message;
  EXPECT_NE(message.find("did you mean 'bits'?"), std::string::npos) << message;
  // Nothing close: no suggestion, still the list.
  const std::string far = input_error([] { make_task("logic", {{"zzzzzzzzzz", 1.0}}, 10.0); });
  EXPECT_NE(far.find("task.zzzzzzzzzz"), std::string::npos) << far;
  EXPECT_EQ(far.find("did you mean"), std::string::npos) << far;
}

TEST(TaskValidation, WrongTypeNamesKeyValueAndExpectedType) {
  const std::string text = input_error([] { make_task("flipflop", {{"bits", std::string("three")}}, 10.0); });
  EXPECT_NE(text.find("task.bits"), std::string::npos) << text;
  EXPECT_NE(text.find("'three'"), std::string::npos) << text;
  EXPECT_NE(text.find("expected a number"), std::string::npos) << text;
  const std::string flag = input_error([] { make_task("oscillator", {{"period", true}}, 10.0); });
  EXPECT_NE(flag.find("task.period"), std::string::npos) << flag;
  EXPECT_NE(flag.find("true"), std::string::npos) << flag;
  EXPECT_NE(flag.find("a boolean"), std::string::npos) << flag;
  const std::string number = input_error([] { make_task("logic", {{"op", 1.0}}, 10.0); });
  EXPECT_NE(number.find("task.op"), std::string::npos) << number;
  EXPECT_NE(number.find("expected a string"), std::string::npos) << number;
}

TEST(TaskValidation, OutOfRangeAndNonIntegerNameTheRange) {
  const std::string low = input_error([] { make_task("flipflop", {{"bits", 0.0}}, 10.0); });
  EXPECT_NE(low.find("task.bits"), std::string::npos) << low;
  EXPECT_NE(low.find("an integer in [1, 64]"), std::string::npos) << low;
  const std::string fraction = input_error([] { make_task("flipflop", {{"bits", 2.5}}, 10.0); });
  EXPECT_NE(fraction.find("task.bits: 2.5"), std::string::npos) << fraction;
  const std::string prob = input_error([] { make_task("simple_dm", {{"no_pulse_probability", 1.5}}, 1.0); });
  EXPECT_NE(prob.find("task.no_pulse_probability: 1.5"), std::string::npos) << prob;
  EXPECT_NE(prob.find("[0, 1]"), std::string::npos) << prob;
  const std::string negative = input_error([] { make_task("perceptual_dm", {{"stimulus", -5.0}}, 10.0); });
  EXPECT_NE(negative.find("task.stimulus"), std::string::npos) << negative;
  const std::string nan = input_error([] { make_task("perceptual_dm", {{"noise", std::nan("")}}, 10.0); });
  EXPECT_NE(nan.find("task.noise"), std::string::npos) << nan;
}

TEST(TaskValidation, ChoicesAreListed) {
  const std::string message = input_error([] { make_task("logic", {{"op", std::string("nand")}}, 10.0); });
  EXPECT_NE(message.find("task.op"), std::string::npos) << message;
  EXPECT_NE(message.find("'nand'"), std::string::npos) << message;
  EXPECT_NE(message.find("and, or, xor, not"), std::string::npos) << message;
}

TEST(TaskValidation, InconsistentParametersAndBadTimeStep) {
  const std::string order =
      input_error([] { make_task("oscillator", {{"onset_min", 500.0}, {"onset_max", 100.0}}, 10.0); });
  EXPECT_NE(order.find("task.onset_min = 500"), std::string::npos) << order;
  EXPECT_NE(order.find("task.onset_max = 100"), std::string::npos) << order;
  const std::string freq = input_error([] { make_task("parametric_wm", {{"difference", 30.0}}, 10.0); });
  EXPECT_NE(freq.find("task.difference = 30"), std::string::npos) << freq;
  const std::string dt = input_error([] { make_task("flipflop", {}, 0.0); });
  EXPECT_NE(dt.find("dt"), std::string::npos) << dt;
}

TEST(TaskValidation, DefaultsAreFilledAndGivenValuesUsed) {
  EXPECT_EQ(make_task("flipflop", {}, 10.0)->n_inputs(), 3);
  const auto five = make_task("flipflop", {{"bits", 5.0}}, 10.0);
  EXPECT_EQ(five->n_inputs(), 5);
  EXPECT_EQ(five->n_outputs(), 5);
  EXPECT_EQ(make_task("logic", {{"op", std::string("not")}}, 10.0)->n_inputs(), 1);
}

namespace rnnlab {
namespace {

// The integration task's target is the sign of the integral of its own input,
// rebuilt here from the generated inputs; the evidence is Hann-smoothed noise.
TEST(TaskPerceptualIntegration, TargetIsTheSignOfTheIntegralOfTheInput) {
  const auto task = make_task("perceptual_integration", {}, 1.0);
  ASSERT_EQ(task->steps(), 480);
  Rng rng(5);
  const TrialBatch batch = task->batch(64, rng);
  int positive = 0;
  for (int b = 0; b < batch.trials; ++b) {
    double integral = 0.0;
    for (int t = 0; t < batch.steps; ++t) integral += batch.inputs(0, batch.col(t, b));
    EXPECT_EQ(batch.inputs(0, batch.col(49, b)), 0.0f);   // nothing before the stimulus
    EXPECT_EQ(batch.inputs(0, batch.col(250, b)), 0.0f);  // nor after it
    EXPECT_NEAR(batch.conditions(b, 0), integral, 1e-4);
    const float sign = integral > 0 ? 1.0f : -1.0f;
    EXPECT_EQ(batch.targets(0, batch.col(269, b)), 0.0f);
    EXPECT_EQ(batch.targets(0, batch.col(270, b)), sign);
    EXPECT_EQ(batch.targets(0, batch.col(479, b)), sign);
    positive += integral > 0;
  }
  EXPECT_GT(positive, 16);
  EXPECT_LT(positive, 48);
  // Smoothed unit noise has variance sum w^2 for the unit-sum window w: for the
  // 10-point Hann window (0.5 - 0.5 cos(2 pi k / 9)) that is 1/6.
  double sum_w = 0.0, sum_w2 = 0.0;
  for (int k = 0; k < 10; ++k) {
    const double w = 0.5 - 0.5 * std::cos(2.0 * M_PI * k / 9.0);
    sum_w += w;
    sum_w2 += w * w;
  }
  sum_w2 /= sum_w * sum_w;
  ASSERT_NEAR(sum_w2, 1.0 / 6.0, 1e-12);
  double var = 0.0;
  int n = 0;
  for (int b = 0; b < batch.trials; ++b)
    for (int t = 60; t < 240; ++t, ++n) var += std::pow(batch.inputs(0, batch.col(t, b)), 2);
  EXPECT_NEAR(var / n, sum_w2, 0.25 * sum_w2);
}

}  // namespace
}  // namespace rnnlab

namespace rnnlab {
namespace {

// long_short: amplitude-2 pulses ask for the report 100 ms after the pulse
// ends, amplitude-1 pulses 50 ms after (dt = 1: steps are ms).
TEST(TaskLongShort, TheAmplitudeSetsTheDelayOfTheReport) {
  const auto task = make_task("long_short", {{"noise", 0.0}}, 1.0);
  Rng rng(9);
  const TrialBatch batch = task->batch(200, rng);
  ASSERT_EQ(batch.condition_names.back(), "amplitude");
  int longs = 0, shorts = 0;
  for (int b = 0; b < batch.trials; ++b) {
    const double amplitude = batch.conditions(b, 3);
    if (amplitude == 0.0) continue;
    // The onset is where the input first leaves 0; the peak is the amplitude.
    int onset = 0;
    while (batch.inputs(0, batch.col(onset, b)) == 0.0f) ++onset;
    float peak = 0.0f;
    for (int t = onset; t < onset + 20; ++t) peak = std::max(peak, std::abs(batch.inputs(0, batch.col(t, b))));
    EXPECT_NEAR(peak, amplitude, 1e-5);
    // The Hann "same" shape is already non-zero at the onset step (w1..w4 of the window).
    const int response = onset + 20 + (amplitude == 2.0 ? 100 : 50);
    const float sign = static_cast<float>(batch.conditions(b, 0));
    EXPECT_EQ(batch.targets(0, batch.col(response - 1, b)), 0.0f) << b;
    EXPECT_EQ(batch.targets(0, batch.col(response, b)), sign) << b;
    (amplitude == 2.0 ? longs : shorts)++;
  }
  EXPECT_GT(longs, 20);
  EXPECT_GT(shorts, 20);
}

}  // namespace
}  // namespace rnnlab
