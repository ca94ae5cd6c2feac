// Input conditions (issue 12, item 6 "wrong input condition"): a network is
// analysed at zero input AND at each of its task's operating inputs (a cue
// held on for the whole trial), and its family key is the attractor set per
// condition. The network here is an oscillator at zero input whose cue
// saturates it into a single stable point: its label differs between the two
// conditions, and both labels are checked against long simulations.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "analysis/census.hpp"
#include "analysis/network_dynamics.hpp"
#include "analysis/signature.hpp"
#include "tasks/task.hpp"
#include "util/rng.hpp"

namespace rnnlab {
namespace {

// One input, a cue on for the first half of each trial; the operating input
// is the cue held on (u = 1). Nothing to score: the analysis needs trials only.
class CueTask final : public Task {
 public:
  std::string name() const override { return "cue"; }
  int n_inputs() const override { return 1; }
  int n_outputs() const override { return 1; }
  int steps() const override { return 100; }
  TrialBatch batch(int trials, Rng&) const override {
    TrialBatch b;
    b.steps = steps();
    b.trials = trials;
    b.inputs = Eigen::MatrixXf::Zero(1, static_cast<Eigen::Index>(steps()) * trials);
    for (int t = 0; t < steps() / 2; ++t)
      for (int k = 0; k < trials; ++k) b.inputs(0, b.col(t, k)) = 1.0f;
    b.targets = Eigen::MatrixXf::Zero(1, b.inputs.cols());
    b.mask = Eigen::RowVectorXf::Ones(b.inputs.cols());
    b.conditions.resize(trials, 0);
    return b;
  }
  double accuracy(const TrialBatch&, const Eigen::MatrixXf&) const override { return 1.0; }
  std::vector<OperatingInput> operating_inputs() const override { return {{"cue=1", Eigen::VectorXd::Ones(1)}}; }
};

// 2-unit oscillator W = 1.5 R(0.5) (a growing complex pair at the origin,
// bounded by tanh: a limit cycle), alpha = 0.1; the cue drives both units by
// `drive`. With drive 3 the cue saturates them: x ~ W (1, 1) + (3, 3), where
// phi' ~ 0 and the step map is ~0.9 I, a stable node.
Network cued_oscillator(double drive) {
  Network net;
  static_cast<Weights<double>&>(net) = Weights<double>::zeros(2, 1, 1);
  const double c = std::cos(0.5), s = std::sin(0.5);
  net.w_rec << 1.5 * c, -1.5 * s, 1.5 * s, 1.5 * c;
  net.w_in << drive, drive;
  net.alpha = 0.1;
  net.dt = 10.0;
  return net;
}

DynamicsOptions quick() {
  DynamicsOptions o;
  o.trials = 4;
  o.fixed_point_starts = 64;
  return o;
}

// A long run from x under constant input u: its extent over the last 1000 steps (max norm).
double late_extent(const Network& net, Eigen::VectorXd x, const Eigen::VectorXd& u) {
  for (int t = 0; t < 5000; ++t) x = net.step(x, u);
  const Eigen::VectorXd end = x;
  double extent = 0.0;
  for (int t = 0; t < 1000; ++t) {
    x = net.step(x, u);
    extent = std::max(extent, (x - end).cwiseAbs().maxCoeff());
  }
  return extent;
}

TEST(InputConditions, AnOscillatorWhoseCueMakesItAPointIsLabelledPerCondition) {
  const Network net = cued_oscillator(3.0);
  const CueTask task;
  const NetworkDynamics d = analyse_network_dynamics(net, task, quick());
  EXPECT_EQ(d.attractors.describe(), "limit_cycle");
  ASSERT_EQ(d.operating.size(), 1u);
  EXPECT_EQ(d.operating[0].name, "cue=1");
  EXPECT_EQ(d.operating[0].u, Eigen::VectorXd::Ones(1));
  EXPECT_EQ(d.operating[0].attractors.describe(), "fixed_point");
  EXPECT_EQ(d.operating[0].fixed_points.summary.stable, 1);
  EXPECT_EQ(d.operating[0].fixed_points.summary.saddles, 0);
  EXPECT_EQ(d.fixed_points.summary.stable, 0);  // at zero input only the unstable origin
  // The family key holds both conditions.
  EXPECT_EQ(signature_key(d.signature),
            "limit_cycle; 0 stable, 0 saddles; scaffold unstable -> {limit_cycle} | cue=1: fixed_point; 1 stable, "
            "0 saddles")
      << signature_key(d.signature);

  // Long simulations from random starts agree: at zero input every run keeps
  // oscillating (extent ~ its amplitude), with the cue on every run stops.
  Rng rng(4);
  const Eigen::VectorXd zero = Eigen::VectorXd::Zero(1), cue = Eigen::VectorXd::Ones(1);
  for (int k = 0; k < 5; ++k) {
    const Eigen::VectorXd x0 = Eigen::Vector2d(rng.uniform(-2.0, 2.0), rng.uniform(-2.0, 2.0));
    EXPECT_GT(late_extent(net, x0, zero), 0.5) << "start " << k;
    EXPECT_LT(late_extent(net, x0, cue), 1e-9) << "start " << k;
  }
}

TEST(InputConditions, TheCueSeparatesFamiliesThatZeroInputDoesNot) {
  // With a weak drive the cue only shifts the cycle: a cycle in both
  // conditions. At zero input the two networks are the same; only the cue
  // tells them apart.
  const CueTask task;
  std::vector<CensusEntry> entries;
  for (double drive : {3.0, 0.1, 3.0}) {
    CensusEntry e;
    e.seed = entries.size();
    e.group = "cue";
    e.signature = analyse_network_dynamics(cued_oscillator(drive), task, quick()).signature;
    entries.push_back(e);
  }
  EXPECT_EQ(entries[0].signature.attractor_set, entries[1].signature.attractor_set);
  ASSERT_EQ(entries[1].signature.operating.size(), 1u);
  EXPECT_EQ(entries[1].signature.operating[0].attractor_set, "limit_cycle");
  const Families f = families_by_key(entries);
  EXPECT_EQ(f.k, 2);
  EXPECT_EQ(f.label, (std::vector<int>{0, 1, 0}));
}

TEST(InputConditions, ContextDmDeclaresEachCueAsTheInputOfItsTrials) {
  // The operating inputs are the inputs the network actually sits in: during
  // fixation a context_dm trial gets its cue alone, exactly.
  const std::unique_ptr<Task> task = make_task("context_dm", {}, 10.0);
  const std::vector<Task::OperatingInput> in = task->operating_inputs();
  ASSERT_EQ(in.size(), 2u);
  EXPECT_EQ(in[0].name, "context=0");
  EXPECT_EQ(in[1].name, "context=1");
  Rng rng(1);
  const TrialBatch b = task->batch(16, rng);
  int context_col = -1;
  for (std::size_t c = 0; c < b.condition_names.size(); ++c)
    if (b.condition_names[c] == "context") context_col = static_cast<int>(c);
  ASSERT_GE(context_col, 0);
  for (int k = 0; k < b.trials; ++k) {
    const int context = static_cast<int>(b.conditions(k, context_col));
    const Eigen::VectorXd u0 = b.inputs.col(b.col(0, k)).cast<double>();
    EXPECT_EQ(u0, in[static_cast<std::size_t>(context)].u) << "trial " << k;
  }
  // A task with no sustained input declares none.
  EXPECT_TRUE(make_task("flipflop", {}, 10.0)->operating_inputs().empty());
}

}  // namespace
}  // namespace rnnlab
