// Damage and perturbation (analysis/perturb.hpp, `rnnlab perturb`): damaged
// copies checked on constructed networks, and the degradation curve of a
// trained flip-flop, from eval's accuracy at 0 to chance with no recurrence.
#include <gtest/gtest.h>

#include <H5Cpp.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <regex>

#include "analysis/perturb.hpp"
#include "io/experiment_file.hpp"
#include "io/h5.hpp"
#include "tasks/task.hpp"
#include "task_support.hpp"
#include "test_support.hpp"
#include "train/evaluate.hpp"
#include "util/error.hpp"
#include "util/rng.hpp"

namespace rnnlab {
namespace {

namespace fs = std::filesystem;

// A random network of n units, 2 inputs and 2 outputs; with `dale` the first
// 3/4 of the units are excitatory (positive columns), the rest inhibitory.
Network random_network(int n, bool dale, Activation activation = Activation::tanh, std::uint64_t seed = 3) {
  Rng rng(seed);
  Network net;
  static_cast<Weights<double>&>(net) = Weights<double>::zeros(n, 2, 2);
  auto fill = [&](Eigen::MatrixXd& m, double sd) {
    for (Eigen::Index k = 0; k < m.size(); ++k) m.data()[k] = sd * rng.normal();
  };
  fill(net.w_rec, 1.2 / std::sqrt(n));
  fill(net.w_in, 1.0);
  fill(net.w_out, 1.0 / std::sqrt(n));
  for (int i = 0; i < n; ++i) net.b(i) = 0.1 * rng.normal(), net.x0(i) = 0.2 * rng.normal();
  net.b_out << 0.05, -0.05;
  net.alpha = 0.2;
  net.dt = 10;
  net.activation = activation;
  if (dale) {
    net.sign.resize(n);
    for (int j = 0; j < n; ++j) {
      net.sign(j) = j < 3 * n / 4 ? 1.0 : -1.0;
      net.w_rec.col(j) = net.sign(j) * net.w_rec.col(j).cwiseAbs();
    }
  }
  return net;
}

long nonzeros(const Eigen::MatrixXd& m) { return (m.array() != 0.0).count(); }

TEST(Perturb, MagnitudePruningRemovesTheSmallestConnectionsFirst) {
  Network net = random_network(10, false);
  net.w_rec(2, 3) = 0.0;  // an absent connection (as a mask's zero) is not a candidate
  net.w_rec(4, 4) = 0.0;
  Damage damage;
  const Network half = prune_connections(net, 0.5, PruneBy::magnitude, 1, &damage);
  EXPECT_EQ(damage.candidates, 98);
  EXPECT_EQ(damage.removed, 49);
  EXPECT_EQ(nonzeros(half.w_rec), 49);
  // Every kept connection is at least as strong as every removed one.
  double largest_removed = 0.0, smallest_kept = INFINITY;
  for (Eigen::Index k = 0; k < net.w_rec.size(); ++k) {
    if (net.w_rec.data()[k] == 0.0) continue;
    if (half.w_rec.data()[k] == 0.0)
      largest_removed = std::max(largest_removed, std::abs(net.w_rec.data()[k]));
    else
      smallest_kept = std::min(smallest_kept, std::abs(half.w_rec.data()[k]));
    if (half.w_rec.data()[k] != 0.0) {
      EXPECT_EQ(half.w_rec.data()[k], net.w_rec.data()[k]);  // kept unchanged
    }
  }
  EXPECT_LT(largest_removed, smallest_kept);
  // Nothing else is touched; 0 is the network itself and 1 leaves no recurrence.
  EXPECT_EQ(half.w_in, net.w_in);
  EXPECT_EQ(half.w_out, net.w_out);
  EXPECT_EQ(prune_connections(net, 0.0, PruneBy::magnitude, 1).w_rec, net.w_rec);
  EXPECT_EQ(nonzeros(prune_connections(net, 1.0, PruneBy::random, 1).w_rec), 0);
  EXPECT_THROW(prune_connections(net, 1.5, PruneBy::magnitude, 1), InputError);
  EXPECT_THROW(prune_connections(net, -0.1, PruneBy::magnitude, 1), InputError);
}

TEST(Perturb, RandomPruningIsSeededAndNested) {
  const Network net = random_network(12, false);
  const Network a = prune_connections(net, 0.3, PruneBy::random, 5);
  const Network again = prune_connections(net, 0.3, PruneBy::random, 5);
  const Network other = prune_connections(net, 0.3, PruneBy::random, 6);
  EXPECT_EQ(a.w_rec, again.w_rec);
  EXPECT_NE(a.w_rec, other.w_rec);
  EXPECT_EQ(nonzeros(a.w_rec), 144 - 43);  // round(0.3 * 144) = 43
  // A larger fraction removes the same connections and more (one order per seed).
  const Network more = prune_connections(net, 0.6, PruneBy::random, 5);
  for (Eigen::Index k = 0; k < net.w_rec.size(); ++k)
    if (a.w_rec.data()[k] == 0.0) {
      EXPECT_EQ(more.w_rec.data()[k], 0.0);
    }
  // Random is not magnitude: some removed connection is stronger than some kept one.
  double largest_removed = 0.0, smallest_kept = INFINITY;
  for (Eigen::Index k = 0; k < net.w_rec.size(); ++k) {
    if (a.w_rec.data()[k] == 0.0) largest_removed = std::max(largest_removed, std::abs(net.w_rec.data()[k]));
    else smallest_kept = std::min(smallest_kept, std::abs(net.w_rec.data()[k]));
  }
  EXPECT_GT(largest_removed, smallest_kept);
}

TEST(Perturb, SignPruningTouchesOnlyThatPopulationAndNeedsDale) {
  const Network net = random_network(16, true);  // 12 E columns, 4 I
  Damage damage;
  const Network e = prune_connections(net, 0.5, PruneBy::excitatory, 2, &damage);
  EXPECT_EQ(damage.candidates, 12 * 16);
  EXPECT_EQ(damage.removed, 96);
  EXPECT_EQ(e.w_rec.rightCols(4), net.w_rec.rightCols(4));  // inhibitory columns intact
  EXPECT_EQ(nonzeros(e.w_rec.leftCols(12)), 96);
  const Network all_i = prune_connections(net, 1.0, PruneBy::inhibitory, 2);
  EXPECT_EQ(all_i.w_rec.leftCols(12), net.w_rec.leftCols(12));
  EXPECT_EQ(nonzeros(all_i.w_rec.rightCols(4)), 0);
  EXPECT_GE(all_i.w_rec.minCoeff(), 0.0) << "no inhibition left";

  const Network plain = random_network(16, false);
  try {
    prune_connections(plain, 0.5, PruneBy::excitatory, 2);
    FAIL() << "excitatory pruning without Dale's law must be refused";
  } catch (const InputError& err) {
    EXPECT_NE(std::string(err.what()).find("Dale"), std::string::npos) << err.what();
  }
  EXPECT_THROW(ablate_units(plain, 0.5, UnitGroup::inhibitory, 2), InputError);
}

// An ablated unit is gone: the network behaves exactly as the smaller network
// without it, for any activation (softplus has phi(0) = ln 2 != 0).
TEST(Perturb, AblatedUnitsAreRemovedFromTheNetwork) {
  for (Activation activation : {Activation::tanh, Activation::softplus}) {
    const Network net = random_network(10, true, activation);
    Damage damage;
    const Network ablated = ablate_units(net, 0.3, UnitGroup::any, 9, &damage);
    ASSERT_EQ(damage.removed, 3);
    ASSERT_EQ(damage.ablated_units.size(), 3u);
    std::vector<int> keep;
    for (int i = 0; i < 10; ++i)
      if (!std::count(damage.ablated_units.begin(), damage.ablated_units.end(), i)) keep.push_back(i);
    Network small = net;
    static_cast<Weights<double>&>(small) = Weights<double>::zeros(7, 2, 2);
    small.b_out = net.b_out;
    for (int a = 0; a < 7; ++a) {
      small.w_in.row(a) = net.w_in.row(keep[a]);
      small.w_out.col(a) = net.w_out.col(keep[a]);
      small.b(a) = net.b(keep[a]);
      small.x0(a) = net.x0(keep[a]);
      for (int c = 0; c < 7; ++c) small.w_rec(a, c) = net.w_rec(keep[a], keep[c]);
    }
    small.sign.resize(0);
    TrialBatch batch;
    batch.steps = 30;
    batch.trials = 2;
    Rng rng(4);
    batch.inputs = Eigen::MatrixXf::NullaryExpr(2, 60, [&] { return static_cast<float>(rng.normal()); });
    batch.targets = Eigen::MatrixXf::Zero(2, 60);
    batch.mask = Eigen::RowVectorXf::Ones(60);
    const Rollout<double> full = simulate(ablated, batch), reduced = simulate(small, batch);
    EXPECT_LT((full.y - reduced.y).cwiseAbs().maxCoeff(), 1e-12) << static_cast<int>(activation);
    const Rollout<double> intact = simulate(net, batch);
    EXPECT_GT((full.y - intact.y).cwiseAbs().maxCoeff(), 1e-3) << "the ablation must change the outputs";
  }
  // Within a population, only its units go.
  const Network net = random_network(16, true);
  Damage damage;
  ablate_units(net, 0.5, UnitGroup::inhibitory, 1, &damage);
  EXPECT_EQ(damage.candidates, 4);
  EXPECT_EQ(damage.ablated_units.size(), 2u);
  for (int u : damage.ablated_units) EXPECT_LT(net.sign(u), 0);
}

TEST(Perturb, WeightNoiseScalesWithTheRmsOfWRec) {
  const Network net = random_network(200, false);
  EXPECT_EQ(add_weight_noise(net, 0.0, 1).w_rec, net.w_rec);
  const Network a = add_weight_noise(net, 0.2, 1), b = add_weight_noise(net, 0.5, 1);
  const double rms = std::sqrt(net.w_rec.squaredNorm() / 40000.0);
  const Eigen::MatrixXd za = (a.w_rec - net.w_rec) / (0.2 * rms), zb = (b.w_rec - net.w_rec) / (0.5 * rms);
  // One Z per seed for every sigma; N(0, 1) entries (40000 of them: sd within 2%).
  EXPECT_LT((za - zb).cwiseAbs().maxCoeff(), 1e-9);
  EXPECT_NEAR(za.mean(), 0.0, 0.02);
  EXPECT_NEAR(std::sqrt(za.squaredNorm() / 40000.0), 1.0, 0.02);
  EXPECT_NE(add_weight_noise(net, 0.2, 2).w_rec, a.w_rec);
  EXPECT_THROW(add_weight_noise(net, -0.1, 1), InputError);
}

TEST(Perturb, CurveSpectrumFollowsTheDamage) {
  std::unique_ptr<Task> task = make_task("flipflop", {{"bits", 2.0}, {"duration", 200.0}}, 10.0);
  const Network net = random_network(20, false);
  PerturbationOptions o;
  o.levels = {0.0, 1.0};
  o.trials = 16;
  o.spectrum = true;
  const PerturbationCurve c = perturbation_curve(net, *task, o);
  EXPECT_NEAR(c.spectral_radius_w_rec(0), net.w_rec.eigenvalues().cwiseAbs().maxCoeff(), 1e-12);
  // No recurrence left: W_rec = 0 and the step map is (1 - a) I.
  EXPECT_EQ(c.spectral_radius_w_rec(1), 0.0);
  EXPECT_NEAR(c.spectral_radius_step_map(1), 1.0 - net.alpha, 1e-14);
  EXPECT_EQ(c.removed(1), 400.0);
  // Level 0 is evaluate() itself, bit for bit.
  const Evaluation e = evaluate(net, *task, 16, 1);
  EXPECT_EQ(c.accuracy(0), e.accuracy);
  EXPECT_EQ(c.loss(0), e.loss);

  // Ablating every unit but one: the radii are the survivor's, |w_ii| and |1 - a + a w_ii|.
  o.kind = Perturbation::ablate_units;
  o.levels = {0.95};
  Damage damage;
  ablate_units(net, 0.95, UnitGroup::any, 1, &damage);
  ASSERT_EQ(damage.removed, 19);
  int survivor = 0;
  while (std::count(damage.ablated_units.begin(), damage.ablated_units.end(), survivor)) ++survivor;
  const double w = net.w_rec(survivor, survivor);
  const PerturbationCurve one = perturbation_curve(net, *task, o);
  EXPECT_NEAR(one.spectral_radius_w_rec(0), std::abs(w), 1e-14);
  EXPECT_NEAR(one.spectral_radius_step_map(0), std::abs(1.0 - net.alpha + net.alpha * w), 1e-14);
}

// ---- kicks ---------------------------------------------------------------------

// The kicked evaluation against an independent step-by-step simulation
// (Network::step, one trial at a time, the kick added after step t_k's update).
TEST(PerturbKick, TheStateIsDisplacedOnceAtTheKickStep) {
  std::unique_ptr<Task> task = make_task("flipflop", {{"bits", 2.0}, {"duration", 300.0}}, 10.0);
  const Network net = random_network(12, false);
  const int trials = 6, step = 11;
  const double epsilon = 0.7;
  const Eigen::MatrixXd z = kick_directions(net, trials, 5);
  for (int b = 0; b < trials; ++b) EXPECT_NEAR(z.col(b).norm(), 1.0, 1e-12);
  const Evaluation kicked = evaluate_kicked(net, *task, trials, 5, epsilon, step, z);

  Rng rng = Rng::stream(5, Purpose::eval);
  const TrialBatch batch = task->batch(trials, rng);
  Eigen::MatrixXf outputs(net.outputs(), static_cast<Eigen::Index>(batch.steps) * trials);
  double sse = 0.0, scored = 0.0;
  for (int b = 0; b < trials; ++b) {
    Eigen::VectorXd x = net.x0;
    for (int t = 0; t < batch.steps; ++t) {
      x = net.step(x, batch.inputs.col(batch.col(t, b)).cast<double>());
      if (t == step) x += epsilon * z.col(b);
      const Eigen::VectorXd y = net.w_out * x.array().tanh().matrix() + net.b_out;
      outputs.col(batch.col(t, b)) = y.cast<float>();
      const double m = batch.mask(batch.col(t, b));
      sse += m * (y - batch.targets.col(batch.col(t, b)).cast<double>()).squaredNorm();
      scored += m;
    }
  }
  EXPECT_NEAR(kicked.loss, sse / (scored * net.outputs()), 1e-10);
  EXPECT_EQ(kicked.accuracy, task->accuracy(batch, outputs));
  // A kick of 0 is evaluate() itself, bit for bit; a kick changes the loss.
  const Evaluation zero = evaluate_kicked(net, *task, trials, 5, 0.0, step, z), plain = evaluate(net, *task, trials, 5);
  EXPECT_EQ(zero.loss, plain.loss);
  EXPECT_EQ(zero.accuracy, plain.accuracy);
  EXPECT_NE(kicked.loss, plain.loss);
}

// A one-unit linear integrator (W_rec = 1: x <- x + a u) keeps a kick for
// ever: after the kick its state is the unkicked one plus epsilon z, z = +-1.
// On noiseless perceptual_dm its sum a * 50 c has the sign of c (|c| >= 0.1:
// at least 0.5 away from 0), so a tiny kick changes nothing and a huge one
// makes every choice z's sign, right on about half the trials.
TEST(PerturbKick, AnIntegratorKeepsTheKickAndTheCurveStartsAtEval) {
  const Network net = test::integrator();
  std::unique_ptr<Task> task = make_task("perceptual_dm", {{"noise", 0.0}}, 10.0);
  PerturbationOptions o;
  o.kind = Perturbation::kick;
  o.levels = {0.0, 0.01, 100.0};
  o.trials = 64;
  o.seed = 4;
  o.kick_at_ms = 750;  // step 75, inside the decision period (60..90)
  const PerturbationCurve c = perturbation_curve(net, *task, o);
  EXPECT_EQ(c.kick_step, 75);
  EXPECT_EQ(c.kick_ms, 750.0);
  EXPECT_EQ(c.method, "random_direction");
  EXPECT_EQ(c.candidates, 1);
  const Evaluation e = evaluate(net, *task, 64, 4);
  EXPECT_EQ(c.accuracy(0), e.accuracy);
  EXPECT_EQ(c.loss(0), e.loss);
  // The integrator's sum 0.1 * 50 c keeps the sign of c: accuracy 1, and a
  // tiny kick cannot change it; a kick of 100 sets every output's sign to z's.
  EXPECT_EQ(c.accuracy(0), 1.0);
  EXPECT_EQ(c.accuracy(1), 1.0);
  EXPECT_LT(c.accuracy(2), 0.8);
  EXPECT_GT(c.accuracy(2), 0.2);
  // Default time: the middle of the trial; after its end: refused.
  EXPECT_EQ(kick_step(net, *task, -1), task->steps() / 2);
  EXPECT_THROW(kick_step(net, *task, 10.0 * task->steps()), InputError);
  o.levels = {-1.0};
  EXPECT_THROW(perturbation_curve(net, *task, o), InputError);
}

// ---- the command ---------------------------------------------------------------

using testing_support::CommandResult;

class PerturbCli : public ::testing::Test {
 protected:
  void SetUp() override { dir = testing_support::fresh_test_dir("rnnlab-perturb-test"); }
  void TearDown() override { fs::remove_all(dir); }
  CommandResult run(const std::string& args) {
    return testing_support::run_rnnlab(args, dir / "log.txt");
  }
  std::string path(const std::string& name) { return (dir / name).string(); }
  fs::path dir;
};

// A flip-flop of one bit, trained in a fraction of a second to accuracy 1.
// Discrete time (dt = tau, a = 1, as in Keras): without W_rec the network is
// then memoryless, x_t = W_in u_t + b. With a < 1 each unit's own leak still
// remembers the last pulse's sign for a while (docs/perturbation.md), so the
// floor of the curve would not be the chance of this rule.
constexpr const char* kFlipFlop = R"([task]
name = "flipflop"
bits = 1
duration = 600
[model]
units = 24
dt = 10
tau = 10
[train]
iterations = 250
batch = 32
validate_every = 250
seed = 2
)";

// The numbers of one JSON array following `"key": ` in `text`, from `from` on.
std::vector<double> json_numbers(const std::string& text, const std::string& key, std::size_t from = 0) {
  const std::size_t at = text.find("\"" + key + "\": [", from);
  if (at == std::string::npos) return {};
  const std::size_t open = text.find('[', at), close = text.find(']', open);
  std::vector<double> out;
  std::stringstream ss(text.substr(open + 1, close - open - 1));
  std::string item;
  while (std::getline(ss, item, ',')) out.push_back(std::stod(item));
  return out;
}

TEST_F(PerturbCli, DegradationCurveOfATrainedFlipFlopFallsFromEvalToChance) {
  const std::string cfg = path("c.toml"), file = path("ff.h5");
  std::ofstream(cfg) << kFlipFlop;
  const CommandResult train = run(fmt::format("train {} -o {} --quiet --threads 1", cfg, file));
  ASSERT_EQ(train.code, 0) << train.output;

  const CommandResult eval = run(fmt::format("eval {} --trials 300 --seed 7 --json", file));
  ASSERT_EQ(eval.code, 0) << eval.output;
  const std::vector<double> levels = {0.0, 0.5, 1.0};
  const CommandResult r = run(fmt::format("perturb {} --prune 0,0.5,1 --trials 300 --seed 7 --spectrum --json", file));
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_EQ(json_numbers(r.output, "levels"), levels);
  const std::vector<double> accuracy = json_numbers(r.output, "accuracy");
  ASSERT_EQ(accuracy.size(), 3u) << r.output;

  // Level 0 is eval's number, digit for digit (both print the shortest round trip).
  const std::smatch m = [&] {
    std::smatch found;
    std::regex_search(eval.output, found, std::regex("\"accuracy\": ([0-9.e-]+)"));
    return found;
  }();
  ASSERT_FALSE(m.empty()) << eval.output;
  EXPECT_EQ(accuracy[0], std::stod(m[1].str()));
  EXPECT_GT(accuracy[0], 0.95) << "the flip-flop should have learnt its task";

  // Chance for this rule: an output that remembers nothing, as this network's
  // with W_rec = 0 between pulses (u = 0, y = W_out phi(b) + b_out), holds one
  // sign s, and a trial counts only if every scored target has sign s: the
  // fraction of eval's trials whose pulses all had sign s (about the mean of
  // 2^-k over trials with k pulses). The pulses themselves fall in the grace
  // period, which is not scored, so the accuracy is exactly that fraction.
  std::unique_ptr<Task> task = make_task("flipflop", {{"bits", 1.0}, {"duration", 600.0}}, 10.0);
  Rng rng = Rng::stream(7, Purpose::eval);
  const TrialBatch batch = task->batch(300, rng);
  double all_positive = 0.0, all_negative = 0.0;
  for (int b = 0; b < batch.trials; ++b) {
    bool positive = true, negative = true;
    for (int t = 0; t < batch.steps; ++t) {
      const Eigen::Index c = batch.col(t, b);
      if (batch.mask(c) == 0.0f) continue;
      positive = positive && batch.targets(0, c) >= 0.0f;
      negative = negative && batch.targets(0, c) <= 0.0f;
    }
    all_positive += positive;
    all_negative += negative;
  }
  all_positive /= batch.trials;
  all_negative /= batch.trials;
  EXPECT_TRUE(accuracy[2] == all_positive || accuracy[2] == all_negative)
      << accuracy[2] << " is neither " << all_positive << " nor " << all_negative;
  EXPECT_LT(accuracy[2], accuracy[0] - 0.4);
  const std::vector<double> radius = json_numbers(r.output, "spectral_radius_w_rec");
  ASSERT_EQ(radius.size(), 3u);
  EXPECT_EQ(radius[2], 0.0);

  // Stored in the file, with what produced it.
  {
    std::lock_guard lock(h5_lock());
    H5::H5File f(file, H5F_ACC_RDONLY);
    H5::Group g = f.openGroup("networks/2/analysis/perturbation/prune_magnitude");
    const Eigen::VectorXd stored = h5::read_vector(g, "accuracy");
    ASSERT_EQ(stored.size(), 3);
    EXPECT_EQ(stored(0), accuracy[0]);
    EXPECT_EQ(stored(2), accuracy[2]);
    EXPECT_EQ(h5::read_string_attr(g, "method"), "magnitude");
    EXPECT_EQ(h5::read_long_attr(g, "trials"), 300);
    EXPECT_EQ(h5::read_long_attr(g, "candidates"), 24 * 24);
  }

  // Random pruning: reproducible with a seed, different with another; a second
  // curve sits beside the first.
  const auto random_curve = [&](int seed) {
    const CommandResult c = run(fmt::format("perturb {} --prune 0.3,0.6 --by random --trials 100 --seed {} --json",
                                            file, seed));
    EXPECT_EQ(c.code, 0) << c.output;
    return json_numbers(c.output, "loss");
  };
  const std::vector<double> first = random_curve(3);
  EXPECT_EQ(first, random_curve(3));
  EXPECT_NE(first, random_curve(4));
  {
    std::lock_guard lock(h5_lock());
    H5::H5File f(file, H5F_ACC_RDONLY);
    EXPECT_TRUE(h5::exists(f.openGroup("networks/2/analysis/perturbation"), "prune_magnitude"));
    EXPECT_TRUE(h5::exists(f.openGroup("networks/2/analysis/perturbation"), "prune_random"));
  }

  // Bad input: exit 2, the option named, the file untouched.
  const auto before = fs::last_write_time(file);
  const struct {
    std::string args, expect;
  } cases[] = {
      {"--prune 0.5 --by excitatory", "Dale"},   // no sign array in this network
      {"--ablate-units 0.5 --units inhibitory", "Dale"},
      {"--prune 0.5 --by size", "--by"},
      {"--prune 1.5", "--prune"},
      {"--ablate-units -0.1", "--ablate-units"},
      {"--weight-noise -1", "--weight-noise"},
      {"--units any", "--units"},
      {"", "--prune"},
  };
  for (const auto& c : cases) {
    const CommandResult bad = run(fmt::format("perturb {} {}", file, c.args));
    EXPECT_EQ(bad.code, 2) << c.args << "\n" << bad.output;
    EXPECT_NE(bad.output.find(c.expect), std::string::npos) << c.args << "\n" << bad.output;
  }
  EXPECT_EQ(fs::last_write_time(file), before);
}

TEST_F(PerturbCli, FileWithoutATaskNeedsTaskOption) {
  // An imported network records no task: perturb asks for --task.
  Experiment exp;
  NetworkRecord rec;
  rec.status = "imported";
  rec.origin = "test";
  rec.trained = random_network(8, false);
  rec.trained.w_in = Eigen::MatrixXd::Ones(8, 1);
  rec.trained.w_out = Eigen::MatrixXd::Ones(1, 8);
  rec.trained.b_out = Eigen::VectorXd::Zero(1);
  exp.networks.push_back(rec);
  const std::string file = path("imported.h5");
  write_experiment(file, exp);
  const CommandResult r = run(fmt::format("perturb {} --prune 0,1", file));
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find("--task"), std::string::npos) << r.output;
  const CommandResult ok = run(fmt::format("perturb {} --prune 0,1 --task flipflop --set task.bits=1 --trials 8", file));
  EXPECT_EQ(ok.code, 0) << ok.output;
}


// A network without weights (its training failed) is skipped with its reason,
// as eval skips it; the others are perturbed. None usable: an error.
TEST_F(PerturbCli, UnusableNetworksAreSkippedWithTheirReason) {
  Experiment exp;
  NetworkRecord good;
  good.seed = 0;
  good.status = "imported";
  good.origin = "test";
  good.trained = random_network(8, false);
  good.trained.w_in = Eigen::MatrixXd::Ones(8, 1);
  good.trained.w_out = Eigen::MatrixXd::Ones(1, 8);
  good.trained.b_out = Eigen::VectorXd::Zero(1);
  NetworkRecord broken = good;
  broken.seed = 1;
  broken.trained.w_rec(0, 0) = std::nan("");
  exp.networks = {good, broken};
  const std::string file = path("mixed.h5");
  write_experiment(file, exp);
  const CommandResult r =
      run(fmt::format("perturb {} --kick 0,1 --task flipflop --set task.bits=1 --trials 8 --json", file));
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("\"skipped\": [{\"seed\": 1, \"reason\": \"its weights are not finite"), std::string::npos)
      << r.output;
  EXPECT_EQ(json_numbers(r.output, "levels"), (std::vector<double>{0.0, 1.0}));
  {
    std::lock_guard lock(h5_lock());
    H5::H5File f(file, H5F_ACC_RDONLY);
    EXPECT_TRUE(h5::exists(f.openGroup("networks/0/analysis/perturbation"), "kick"));
    EXPECT_FALSE(h5::exists(f.openGroup("networks/1"), "analysis"));
  }
  const CommandResult text = run(fmt::format("perturb {} --kick 0 --task flipflop --set task.bits=1 --trials 8", file));
  EXPECT_NE(text.output.find("network 1  skipped: its weights are not finite"), std::string::npos) << text.output;

  exp.networks = {broken};
  write_experiment(path("broken.h5"), exp);
  const CommandResult none = run(fmt::format("perturb {} --kick 0 --task flipflop --set task.bits=1", path("broken.h5")));
  EXPECT_EQ(none.code, 1) << none.output;
  EXPECT_NE(none.output.find("none of its 1 network(s) can be perturbed"), std::string::npos) << none.output;
  // A kick after the trial's end, or --kick-at alone: refused, exit 2.
  EXPECT_EQ(run(fmt::format("perturb {} --kick 1 --kick-at 1e6 --task flipflop --set task.bits=1", file)).code, 2);
  EXPECT_EQ(run(fmt::format("perturb {} --prune 0 --kick-at 10 --task flipflop --set task.bits=1", file)).code, 2);
}

}  // namespace
}  // namespace rnnlab
