// Training end to end: small networks learn their tasks (accuracy on held-out
// trials), constraints survive training, results depend on the seed alone
// (threads, ensemble, resume), divergence is reported per network.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fmt/format.h>

#include "config_support.hpp"
#include "io/config.hpp"
#include "util/error.hpp"
#include "train/checkpoint.hpp"
#include "train/ensemble.hpp"
#include "train/evaluate.hpp"

namespace rnnlab {
namespace {

using testing_support::KillAt;

namespace fs = std::filesystem;

ExperimentConfig config_from(const std::string& toml) { return parse_config(toml, "test.toml"); }

std::vector<NetworkRecord> train(const ExperimentConfig& config, int threads = 1) {
  EnsembleOptions options;
  options.threads = threads;
  return train_ensemble(config, options);
}

double held_out_accuracy(const ExperimentConfig& config, const NetworkRecord& rec) {
  const auto task = make_task(config.task.name, config.task.params, config.model.dt);
  return evaluate(rec.trained, *task, 300, 2024).accuracy;
}

// --- Learning: each within a few tens of seconds on 2 cores -----------------

TEST(TrainingLearns, FlipFlop3BitsContinuousTime) {
  const auto config = config_from(R"(
    [task]
    name = "flipflop"
    bits = 3
    duration = 1000
    pulse_rate = 2.0
    [model]
    units = 64
    dt = 10.0
    tau = 100.0
    gain = 0.9
    [train]
    iterations = 900
    batch = 32
    learning_rate = 0.005
    seed = 3
  )");
  ASSERT_DOUBLE_EQ(config.model.alpha(), 0.1);
  const auto rec = train(config).at(0);
  ASSERT_EQ(rec.status, "trained") << rec.status_reason;
  EXPECT_GE(held_out_accuracy(config, rec), 0.9);
}

TEST(TrainingLearns, LogicXorDiscreteTime) {
  // Several seeds, not one: whether one seed learns can change with the
  // rounding of the build (seed 5 with lr 0.003 learned with -march=native and
  // stayed at chance, 0.457, without it). At a = 1 the step size matters:
  // with lr 0.003 1 to 3 seeds in 8 stay at chance, with 0.01 all 8 do; with
  // 0.001 and early stopping 24 of 24 seeds (5..12, 100..115) reached 1.0
  // with -march=native, and seeds 5..12 all did without it (where lr 0.003
  // lost seeds 9 and 10 instead of 11). Adam without bias correction and
  // clipping: 4 of 8.
  const auto config = config_from(R"(
    [task]
    name = "logic"
    op = "xor"
    [model]
    units = 32
    dt = 10.0
    tau = 10.0
    gain = 0.9
    [train]
    iterations = 2000
    batch = 32
    learning_rate = 0.001
    target_loss = 0.002
    validate_every = 100
    seed = 5
    [ensemble]
    seeds = 8
  )");
  ASSERT_DOUBLE_EQ(config.model.alpha(), 1.0);
  const auto recs = train(config, 2);
  ASSERT_EQ(recs.size(), 8u);
  int learned = 0;
  std::string report;
  for (const auto& rec : recs) {
    ASSERT_EQ(rec.status, "trained") << rec.status_reason;
    const double accuracy = held_out_accuracy(config, rec);
    learned += accuracy >= 0.95;
    report += fmt::format(" seed {}: {:.3f}", rec.seed, accuracy);
  }
  EXPECT_GE(learned, 6) << "held-out accuracy per seed:" << report;
}

TEST(TrainingLearns, PerceptualDecision) {
  const auto config = config_from(R"(
    [task]
    name = "perceptual_dm"
    [model]
    units = 64
    dt = 20.0
    tau = 100.0
    gain = 0.9
    [train]
    iterations = 600
    batch = 64
    learning_rate = 0.005
    seed = 7
  )");
  const auto rec = train(config).at(0);
  ASSERT_EQ(rec.status, "trained") << rec.status_reason;
  // The weakest coherence (0.1 with noise 0.5 over 25 steps) is not always
  // decidable even for an ideal integrator: about 92% overall is the ceiling.
  EXPECT_GE(held_out_accuracy(config, rec), 0.85);
}

// --- Constraints --------------------------------------------------------------

TEST(TrainingConstraints, DaleSparsityAndNoAutapsesHoldAfterTraining) {
  const auto config = config_from(R"(
    [task]
    name = "perceptual_dm"
    [model]
    units = 40
    dt = 20.0
    tau = 100.0
    dale = true
    e_fraction = 0.75
    connectivity = 0.5
    autapses = false
    input_nonnegative = true
    readout_excitatory = true
    [train]
    iterations = 150
    learning_rate = 0.02
    seed = 2
  )");
  const auto rec = train(config).at(0);
  ASSERT_EQ(rec.status, "trained");
  const Network& net = rec.trained;
  ASSERT_EQ(net.sign.size(), 40);
  EXPECT_EQ(net.sign.head(30).minCoeff(), 1.0);
  EXPECT_EQ(net.sign.tail(10).maxCoeff(), -1.0);
  for (int j = 0; j < 40; ++j) {
    if (net.sign(j) > 0)
      EXPECT_GE(net.w_rec.col(j).minCoeff(), 0.0);
    else
      EXPECT_LE(net.w_rec.col(j).maxCoeff(), 0.0);
    if (net.sign(j) < 0) EXPECT_EQ(net.w_out.col(j).norm(), 0.0);
  }
  EXPECT_EQ(net.w_rec.diagonal().cwiseAbs().maxCoeff(), 0.0);
  EXPECT_EQ((rec.mask_rec.array() == 0).select(net.w_rec.array().abs(), 0.0).maxCoeff(), 0.0);
  EXPECT_GE(net.w_in.minCoeff(), 0.0);
  // Training moved the unmasked weights.
  EXPECT_GT((net.w_rec - rec.initial.w_rec).norm(), 1e-3);
}

// --- Reproducibility ----------------------------------------------------------

const char* kSmallConfig = R"(
  [task]
  name = "flipflop"
  bits = 2
  duration = 300
  [model]
  units = 16
  sigma_rec = 0.05
  sigma_in = 0.01
  x0 = "learned"
  [train]
  iterations = 60
  batch = 8
  validate_every = 20
  checkpoint_every = 20
  seed = 10
  [ensemble]
  seeds = 3
)";

TEST(TrainingDeterminism, SameBitsWithOneOrTwoThreadsAndAloneOrInEnsemble) {
  const auto config = config_from(kSmallConfig);
  const auto one = train(config, 1);
  const auto two = train(config, 2);
  ASSERT_EQ(one.size(), 3u);
  for (std::size_t i = 0; i < one.size(); ++i) {
    EXPECT_EQ(one[i].seed, two[i].seed);
    EXPECT_EQ(one[i].trained.w_rec, two[i].trained.w_rec);
    EXPECT_EQ(one[i].trained.x0, two[i].trained.x0);
    EXPECT_EQ(one[i].curves.loss, two[i].curves.loss);
  }
  // Seed 11 trained alone equals seed 11 of the ensemble.
  auto alone_config = parse_config(kSmallConfig, "test.toml", {"train.seed=11", "ensemble.seeds=1"});
  const auto alone = train(alone_config, 1).at(0);
  EXPECT_EQ(alone.seed, 11u);
  EXPECT_EQ(alone.trained.w_rec, one[1].trained.w_rec);
  // And other seeds give other networks.
  EXPECT_NE(one[0].trained.w_rec, one[1].trained.w_rec);
}

TEST(TrainingResume, ResumedRunEndsWithTheSameWeights) {
  const auto config = config_from(kSmallConfig);
  const auto uninterrupted = train(config, 2);

  const std::string dir = (fs::temp_directory_path() / fmt::format("rnnlab-resume-{}", ::getpid())).string();
  fs::remove_all(dir);
  prepare_checkpoint_dir(dir, config.toml_text, false);
  KillAt kill(40);  // checkpoint at 20 is written; at 40 the kill comes before the checkpoint
  EnsembleOptions options;
  options.threads = 2;
  options.checkpoint_dir = dir;
  options.progress = &kill;
  const auto killed = train_ensemble(config, options);
  for (const auto& rec : killed) EXPECT_EQ(rec.status, "failed");
  ASSERT_TRUE(fs::exists(dir + "/10.h5"));
  const auto saved = load_checkpoint(dir, 10);
  ASSERT_TRUE(saved.has_value());
  EXPECT_EQ(saved->iteration, 20);  // the kill at 40 came before that checkpoint was written

  options.progress = nullptr;
  options.resume = true;
  prepare_checkpoint_dir(dir, config.toml_text, true);
  const auto resumed = train_ensemble(config, options);
  ASSERT_EQ(resumed.size(), uninterrupted.size());
  for (std::size_t i = 0; i < resumed.size(); ++i) {
    EXPECT_EQ(resumed[i].status, "trained");
    EXPECT_EQ(resumed[i].iterations, uninterrupted[i].iterations);
    EXPECT_EQ(resumed[i].trained.w_rec, uninterrupted[i].trained.w_rec);
    EXPECT_EQ(resumed[i].trained.w_out, uninterrupted[i].trained.w_out);
    EXPECT_EQ(resumed[i].trained.x0, uninterrupted[i].trained.x0);
    EXPECT_EQ(resumed[i].curves.val_loss, uninterrupted[i].curves.val_loss);
  }
  // A different config is refused on resume.
  const auto other = parse_config(kSmallConfig, "test.toml", {"model.units=17"});
  EXPECT_THROW(prepare_checkpoint_dir(dir, other.toml_text, true), InputError);
  fs::remove_all(dir);
}

// --- Divergence ----------------------------------------------------------------

TEST(TrainingDivergence, ExplodingNetworkIsMarkedDivergedWithTheReason) {
  // A linear network with gain 4 grows as 1.3^t over 300 steps: the loss overflows.
  const auto config = config_from(R"(
    [task]
    name = "flipflop"
    bits = 1
    duration = 3000
    [model]
    units = 20
    activation = "linear"
    init = "orthogonal"
    gain = 4.0
    [train]
    iterations = 50
    seed = 1
    [ensemble]
    seeds = 2
  )");
  const auto recs = train(config, 2);
  ASSERT_EQ(recs.size(), 2u);
  for (const auto& rec : recs) {
    EXPECT_EQ(rec.status, "diverged");
    EXPECT_NE(rec.status_reason.find("iteration 0"), std::string::npos) << rec.status_reason;
    EXPECT_EQ(rec.trained.units(), 20);  // the weights it diverged with are kept for inspection
  }
}

}  // namespace
}  // namespace rnnlab
