// Jarne's task suite (issue 17): each task's target rebuilt by hand from its
// own inputs on generated trials, at dt = 10 ms with the defaults (so every
// time below is a step count worked out from the declared ms), and each
// accuracy rule checked at its edge. The shared checks (shapes, masks,
// determinism, perfect targets score 1) run for every task in test_tasks.cpp.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "task_support.hpp"
#include "tasks/task.hpp"
#include "util/error.hpp"
#include "util/rng.hpp"

using namespace rnnlab;

namespace {

using test::draw, test::in, test::out;

// Onsets (first nonzero step after a zero) of a channel's pulses in one trial.
std::vector<int> onsets(const TrialBatch& b, int channel, int trial) {
  std::vector<int> result;
  for (int t = 0; t < b.steps; ++t)
    if (in(b, channel, t, trial) != 0.0f && (t == 0 || in(b, channel, t - 1, trial) == 0.0f)) result.push_back(t);
  return result;
}

// The first step whose target is not 0 (steps if none).
int first_nonzero_target(const TrialBatch& b, int trial) {
  int t = 0;
  while (t < b.steps && out(b, t, trial) == 0.0f) ++t;
  return t;
}

// Outputs equal to the targets except trial `trial`, set to `value` over all steps.
Eigen::MatrixXf with_trial_set_to(const TrialBatch& b, int trial, float value) {
  Eigen::MatrixXf outputs = b.targets;
  for (int t = 0; t < b.steps; ++t) outputs(0, b.col(t, trial)) = value;
  return outputs;
}

}  // namespace

// Defaults at dt = 10: fixation 10 steps, jitter 0..10, pulse 5, interval 20,
// 3 levels, tail 20, grace 5: T = 10 + 10 + 5 + 60 + 20 = 105.
TEST(TaskMultiInterval, AmplitudeKRisesKIntervalsAfterThePulse) {
  const auto task = make_task("multi_interval", {}, 10.0);
  ASSERT_EQ(task->steps(), 105);
  const TrialBatch b = draw(*task, 300, 3);
  int seen[4] = {0, 0, 0, 0};
  for (int trial = 0; trial < b.trials; ++trial) {
    const std::vector<int> on = onsets(b, 0, trial);
    ASSERT_EQ(on.size(), 1u);
    ASSERT_GE(on[0], 10);
    ASSERT_LE(on[0], 20);
    const float amplitude = in(b, 0, on[0], trial);
    const int k = static_cast<int>(std::lround(amplitude * 3));
    ASSERT_GE(k, 1);
    ASSERT_LE(k, 3);
    EXPECT_FLOAT_EQ(amplitude, k / 3.0f);
    EXPECT_EQ(in(b, 0, on[0] + 4, trial), amplitude);
    EXPECT_EQ(in(b, 0, on[0] + 5, trial), 0.0f);  // 50 ms pulse
    // Rise at onset + 5 + 20 k, then 1 to the end.
    EXPECT_EQ(first_nonzero_target(b, trial), on[0] + 5 + 20 * k) << trial;
    EXPECT_EQ(out(b, b.steps - 1, trial), 1.0f);
    EXPECT_EQ(b.mask(b.col(on[0] + 5 + 20 * k, trial)), 0.0f);      // grace
    EXPECT_EQ(b.mask(b.col(on[0] + 5 + 20 * k + 5, trial)), 1.0f);  // scored after 50 ms
    EXPECT_DOUBLE_EQ(b.conditions(trial, 2), 200.0 * k);
    ++seen[k];
  }
  for (int k = 1; k <= 3; ++k) EXPECT_GT(seen[k], 60) << k;
  // Rising one interval early (a level-k-1 answer) fails that trial only.
  Eigen::MatrixXf early = b.targets;
  const int rise = first_nonzero_target(b, 0);
  for (int t = rise - 20; t < rise; ++t) early(0, b.col(t, 0)) = 1.0f;
  EXPECT_DOUBLE_EQ(task->accuracy(b, early), 1.0 - 1.0 / b.trials);
}

// Defaults at dt = 10: first flash at 10, flash 5, interval 20..60, delay 10,
// response 30, grace 5: T = 10 + 60 + 5 + 10 + 30 = 115.
TEST(TaskIntervalDistance, TheAnswerIsTheIntervalOverTheLongest) {
  const auto task = make_task("interval_distance", {}, 10.0);
  ASSERT_EQ(task->steps(), 115);
  const TrialBatch b = draw(*task, 200, 4);
  for (int trial = 0; trial < b.trials; ++trial) {
    const std::vector<int> on = onsets(b, 0, trial);
    ASSERT_EQ(on.size(), 2u);
    EXPECT_EQ(on[0], 10);
    const int d = on[1] - on[0];
    ASSERT_GE(d, 20);
    ASSERT_LE(d, 60);
    EXPECT_EQ(first_nonzero_target(b, trial), on[1] + 5 + 10);
    EXPECT_FLOAT_EQ(out(b, b.steps - 1, trial), d / 60.0f);
    EXPECT_DOUBLE_EQ(b.conditions(trial, 0), 10.0 * d);
  }
  // The tolerance (0.1) is the edge: 0.09 off is right, 0.11 off is wrong.
  const float level = out(b, b.steps - 1, 0);
  EXPECT_DOUBLE_EQ(task->accuracy(b, with_trial_set_to(b, 0, level + 0.09f)), 1.0);
  EXPECT_DOUBLE_EQ(task->accuracy(b, with_trial_set_to(b, 0, level - 0.11f)), 1.0 - 1.0 / b.trials);
}

// Defaults at dt = 10: fixation 10, jitter 0..20, pulse 5, delay 20, response
// 30, 4 levels: T = 10 + 20 + 5 + 20 + 30 = 85.
TEST(TaskMultiAmplitude, TheOutputHoldsTheAmplitudeAfterTheDelay) {
  const auto task = make_task("multi_amplitude", {}, 10.0);
  ASSERT_EQ(task->steps(), 85);
  const TrialBatch b = draw(*task, 200, 5);
  for (int trial = 0; trial < b.trials; ++trial) {
    const std::vector<int> on = onsets(b, 0, trial);
    ASSERT_EQ(on.size(), 1u);
    const float amplitude = in(b, 0, on[0], trial);
    EXPECT_FLOAT_EQ(amplitude * 4, std::round(amplitude * 4));
    EXPECT_EQ(first_nonzero_target(b, trial), on[0] + 5 + 20);
    EXPECT_EQ(out(b, b.steps - 1, trial), amplitude);
  }
  // Half a level spacing (0.125) is the edge: 0.12 off is right, the
  // neighbouring level (0.25 off) is wrong.
  const float a = out(b, b.steps - 1, 1);
  EXPECT_DOUBLE_EQ(task->accuracy(b, with_trial_set_to(b, 1, a + 0.12f)), 1.0);
  EXPECT_DOUBLE_EQ(task->accuracy(b, with_trial_set_to(b, 1, a - 0.25f)), 1.0 - 1.0 / b.trials);
}

// Without noise the evidence is c inside the cued window and c_out outside:
// the target is sign(c), read off the inputs under the cue.
TEST(TaskCuedIntegration, TargetIsTheSignOfTheEvidenceUnderTheCue) {
  const auto task = make_task("cued_integration", {{"noise", 0.0}}, 10.0);
  // fixation 10 + stimulus 60 + decision 30.
  ASSERT_EQ(task->steps(), 100);
  const TrialBatch b = draw(*task, 300, 6);
  int disagree = 0, all_evidence_right = 0;
  for (int trial = 0; trial < b.trials; ++trial) {
    const std::vector<int> cue = onsets(b, 1, trial);
    ASSERT_EQ(cue.size(), 1u);
    ASSERT_GE(cue[0], 10);
    ASSERT_LE(cue[0], 10 + 60 - 20);
    EXPECT_EQ(in(b, 1, cue[0] + 19, trial), 1.0f);
    EXPECT_EQ(in(b, 1, cue[0] + 20, trial), 0.0f);  // 200 ms window
    const float inside = in(b, 0, cue[0], trial);
    double total = 0.0;
    for (int t = 10; t < 70; ++t) total += in(b, 0, t, trial);
    for (int t = cue[0]; t < cue[0] + 20; ++t) EXPECT_EQ(in(b, 0, t, trial), inside);
    const float sign = inside > 0 ? 1.0f : -1.0f;
    EXPECT_EQ(out(b, 69, trial), 0.0f);
    EXPECT_EQ(out(b, 70, trial), sign);
    EXPECT_EQ(out(b, 99, trial), sign);
    disagree += (inside > 0) != (b.conditions(trial, 1) > 0);
    all_evidence_right += (total > 0) == (sign > 0);
  }
  // Inside and outside means are independent: they disagree on about half the
  // trials, and integrating everything then gets the sign wrong on many of them.
  EXPECT_GT(disagree, 100);
  EXPECT_LT(disagree, 200);
  EXPECT_LT(all_evidence_right, 210);  // expected 0.5 + 0.5 / 9 of 300: about 167
}

// Defaults at dt = 10: first pair at 10 (flash 5), intervals 10..40 steps,
// second pair at 10 + 40 + 5 + 20 = 75, decision at 75 + 40 + 5 = 120 for 30.
TEST(TaskIntervalComparison, TargetIsWhetherTheFirstIntervalIsLonger) {
  const auto task = make_task("interval_comparison", {}, 10.0);
  ASSERT_EQ(task->steps(), 150);
  const TrialBatch b = draw(*task, 300, 7);
  int longer = 0;
  for (int trial = 0; trial < b.trials; ++trial) {
    const std::vector<int> first = onsets(b, 0, trial), second = onsets(b, 1, trial);
    ASSERT_EQ(first.size(), 2u);
    ASSERT_EQ(second.size(), 2u);
    EXPECT_EQ(first[0], 10);
    EXPECT_EQ(second[0], 75);
    const int d1 = first[1] - first[0], d2 = second[1] - second[0];
    EXPECT_GE(std::abs(d1 - d2), 5);  // difference 50 ms
    const float choice = d1 > d2 ? 1.0f : -1.0f;
    EXPECT_EQ(out(b, 119, trial), 0.0f);
    EXPECT_EQ(out(b, 120, trial), choice);
    longer += d1 > d2;
  }
  EXPECT_GT(longer, 100);
  EXPECT_LT(longer, 200);
}

TEST(TaskIntervalComparison, ADifferenceNoD1CanReachIsRefused) {
  // Range 100..400 ms: a difference over 150 ms leaves the middle d1 no d2.
  EXPECT_THROW(make_task("interval_comparison", {{"difference", 200.0}}, 10.0), InputError);
  EXPECT_NO_THROW(make_task("interval_comparison", {{"difference", 150.0}}, 10.0));
}

// Jarne 2021's coding: context +1 AND, -1 OR, 0 (no pulse) XOR; the truth
// table of the chosen gate on the operand pulses, after the delay.
TEST(TaskContextLogic, TheContextChoosesTheGate) {
  const auto task = make_task("context_logic", {}, 10.0);
  // operand onset 25 + jitter 10 + pulse 10 + delay 20 + response 30.
  ASSERT_EQ(task->steps(), 95);
  const TrialBatch b = draw(*task, 400, 8);
  int per_context[3] = {0, 0, 0};
  for (int trial = 0; trial < b.trials; ++trial) {
    const int shift = static_cast<int>(std::lround(b.conditions(trial, 4) / 10.0)) - 25 - 10 - 20;
    ASSERT_GE(shift, 0);
    ASSERT_LE(shift, 10);
    const float context = in(b, 2, 5 + shift, trial);
    EXPECT_EQ(in(b, 2, 5 + shift + 10, trial), 0.0f);
    const bool x = in(b, 0, 25 + shift, trial) == 1.0f, y = in(b, 1, 25 + shift, trial) == 1.0f;
    bool expected = x != y;  // no context pulse: XOR
    if (context == 1.0f) expected = x && y;
    if (context == -1.0f) expected = x || y;
    const int answer = 25 + shift + 10 + 20;
    EXPECT_EQ(out(b, answer - 1, trial), 0.0f);
    EXPECT_EQ(out(b, answer, trial), expected ? 1.0f : 0.0f) << "context " << context << " " << x << y;
    EXPECT_EQ(out(b, b.steps - 1, trial), expected ? 1.0f : 0.0f);
    ++per_context[static_cast<int>(context) + 1];
  }
  for (int c = 0; c < 3; ++c) EXPECT_GT(per_context[c], 90) << c;
  // The answer of the wrong gate fails: set every trial to AND's answer.
  Eigen::MatrixXf and_answer = b.targets;
  int differ = 0;
  for (int trial = 0; trial < b.trials; ++trial) {
    const bool and_value = b.conditions(trial, 0) == 1.0 && b.conditions(trial, 1) == 1.0;
    differ += and_value != (b.conditions(trial, 3) == 1.0);
    for (int t = 0; t < b.steps; ++t)
      if (b.targets(0, b.col(t, trial)) != 0.0f || t >= b.steps - 25)
        and_answer(0, b.col(t, trial)) = and_value ? 1.0f : 0.0f;
  }
  EXPECT_GT(differ, 50);
  EXPECT_DOUBLE_EQ(task->accuracy(b, and_answer), 1.0 - static_cast<double>(differ) / b.trials);
}
