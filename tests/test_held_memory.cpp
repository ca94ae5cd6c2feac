// Memory beyond the trained duration (issue 12, "Function"): accuracy when the
// memory period is 2x and 5x as long. Two constructed simple_dm solutions that
// are both perfect at the trained length: a bistable unit (w = 2: a stable
// point per answer, the memory lasts forever) and a leaky integrator whose
// bias pulls it to +1 (time constant 1 s: a negative answer crosses zero after
// ~1 s, a transient memory). Numbers checked against a NumPy simulation of
// the same networks and trials (the two task draws per trial are the pulse and
// its onset; only the onset jitter changes when the crossing comes).
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "analysis/held_memory.hpp"
#include "util/error.hpp"

namespace rnnlab {
namespace {

Network unit(double w, double w_in, double b, double w_out, Activation act) {
  Network net;
  static_cast<Weights<double>&>(net) = Weights<double>::zeros(1, 1, 1);
  net.w_rec(0, 0) = w;
  net.w_in(0, 0) = w_in;
  net.b(0) = b;
  net.w_out(0, 0) = w_out;
  net.activation = act;
  net.alpha = 0.1;
  net.dt = 10.0;
  return net;
}

const ParamValues kNoiseless{{"noise", 0.0}};

TEST(HeldMemory, ABistableUnitHoldsItsDecisionAtEveryLength) {
  const Network bistable = unit(2.0, 30.0, 0.0, 1.0, Activation::tanh);
  const auto held = held_memory(bistable, "simple_dm", kNoiseless, {1.0, 2.0, 5.0}, 64, 1);
  ASSERT_EQ(held.size(), 3u);
  for (const HeldMemory& h : held) {
    EXPECT_EQ(h.parameter, "duration");
    EXPECT_EQ(h.accuracy, 1.0) << h.factor << "x";
  }
}

TEST(HeldMemory, ALeakyIntegratorForgetsBeyondTheTrainedLength) {
  // Linear, w = 0.9: relaxes at a (1 - w) = 0.01 per step (1 s) to b / (1 - w) = 1.
  const Network leaky = unit(0.9, 10.0, 0.1, 0.5, Activation::linear);
  const auto held = held_memory(leaky, "simple_dm", kNoiseless, {1.0, 2.0, 5.0}, 64, 1);
  EXPECT_EQ(held[0].accuracy, 1.0);  // the trained 370 ms: perfect
  EXPECT_EQ(held[1].accuracy, 1.0);  // 740 ms: a negative answer is still below 0
  // 1850 ms: every negative-pulse trial (about a quarter) has crossed to +.
  EXPECT_LT(held[2].accuracy, 0.9);
  EXPECT_GT(held[2].accuracy, 0.5);
}

TEST(HeldMemory, TheMemoryPeriodIsTheDelayElseTheTrial) {
  std::string which;
  ParamValues p = stretch_memory_period("parametric_wm", {}, 2.0, which);
  EXPECT_EQ(which, "delay");
  EXPECT_EQ(std::get<double>(p.at("delay")), 1000.0);  // default 500 ms
  p = stretch_memory_period("flipflop", {{"duration", 1000.0}}, 5.0, which);
  EXPECT_EQ(which, "duration");
  EXPECT_EQ(std::get<double>(p.at("duration")), 5000.0);
  EXPECT_EQ(std::get<double>(p.at("pulse_rate")), 0.2);  // holds between pulses 5x as long
  // context_dm's delay is 0 by default and it has no duration: nothing to stretch.
  p = stretch_memory_period("context_dm", {}, 2.0, which);
  EXPECT_EQ(which, "");
  EXPECT_THROW(stretch_memory_period("no_such_task", {}, 2.0, which), InputError);
}

}  // namespace
}  // namespace rnnlab
