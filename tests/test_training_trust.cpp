// Training you can trust (issue 14, and issue 13's divergence item): the
// stored network is the best validated one, a blow-up is flagged with its own
// status while the best weights are kept, warm starts from a trained
// network, evaluation with noise, and the Keras initialisation preset.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <limits>
#include <vector>

#include "config_support.hpp"
#include "io/config.hpp"
#include "io/experiment_file.hpp"
#include "model/init.hpp"
#include "test_support.hpp"
#include "train/checkpoint.hpp"
#include "train/ensemble.hpp"
#include "train/evaluate.hpp"
#include "train/record.hpp"
#include "train/trainer.hpp"
#include "train/warm_start.hpp"
#include "util/error.hpp"
#include "training_support.hpp"

namespace rnnlab {
namespace {

namespace fs = std::filesystem;
using testing_support::train_on_one_thread;
using testing_support::fresh_test_dir;
using testing_support::KillAt;
using testing_support::run_rnnlab;

// A 1-bit flip-flop a 16-unit network half learns in 60 iterations (a few
// hundred ms on one core), validated every 10.
const char* const kSmall = R"(
[task]
name = "flipflop"
bits = 1
duration = 400
[model]
units = 16
[train]
iterations = 60
batch = 16
learning_rate = 0.01
validate_every = 10
validation_trials = 64
checkpoint_every = 20
seed = 5
)";

ExperimentConfig config_of(const std::vector<std::string>& overrides = {}) {
  return parse_config(kSmall, "small.toml", overrides);
}

// Trains `config` and writes its networks to `path`, as `rnnlab train` would.
std::vector<NetworkRecord> train_to(const std::string& path, const ExperimentConfig& config) {
  Experiment exp;
  exp.config = config.toml_text;
  exp.networks = train_on_one_thread(config);
  write_experiment(path, exp);
  return exp.networks;
}

// The validation loss and accuracy of stored effective weights, recomputed on
// the trainer's validation trials. Without constraints the effective weights
// are the trained parameters, and float -> double -> float is exact, so this
// reproduces the number training recorded bit for bit.
std::pair<double, double> revalidate(const ExperimentConfig& config, const NetworkRecord& rec, const Network& net) {
  NetworkTrainer trainer = make_trainer(config, rec.seed);
  return trainer.validate(static_cast<const Weights<double>&>(net).cast<float>());
}

// --- best weights kept -------------------------------------------------------

TEST(TrainingBestWeights, StoredNetworkIsTheBestValidatedOneAndTheFinalIsKept) {
  // A rate large enough that the last validation is not the best one.
  const auto config = config_of({"train.learning_rate=0.1", "train.iterations=80"});
  const NetworkRecord rec = train_on_one_thread(config).at(0);
  ASSERT_EQ(rec.status, "trained") << rec.status_reason;  // a normal run is not flagged
  const auto& val = rec.curves.val_loss;
  const std::size_t best = std::min_element(val.begin(), val.end()) - val.begin();
  EXPECT_EQ(rec.best_iteration, static_cast<long>(rec.curves.iteration[best]));
  EXPECT_EQ(rec.best_val_loss, val[best]);
  EXPECT_EQ(rec.best_val_accuracy, rec.curves.val_accuracy[best]);
  EXPECT_EQ(rec.final_val_loss, val.back());
  EXPECT_EQ(rec.final_val_accuracy, rec.curves.val_accuracy.back());
  // trained/ really holds the best weights: revalidated, they give the best loss.
  const auto [loss, accuracy] = revalidate(config, rec, rec.trained);
  EXPECT_EQ(loss, rec.best_val_loss);
  EXPECT_EQ(accuracy, rec.best_val_accuracy);
  // At this rate this seed's best is at iteration 20 of 80: the last weights are kept beside it.
  ASSERT_LT(rec.best_iteration, rec.iterations);
  ASSERT_EQ(rec.final_weights.units(), 16);
  EXPECT_EQ(revalidate(config, rec, rec.final_weights).first, rec.final_val_loss);
}

TEST(TrainingBestWeights, FileKeepsBestAndFinalWeightsAndOldFilesStillLoad) {
  const fs::path dir = fresh_test_dir("rnnlab-best");
  const auto config = config_of({"train.learning_rate=0.1", "train.iterations=80"});
  Experiment exp;
  exp.config = config.toml_text;
  exp.networks = train_on_one_thread(config);
  NetworkRecord& rec = exp.networks.at(0);
  ASSERT_EQ(rec.final_weights.units(), 16);  // the best is not the last (above)
  const std::string path = (dir / "best.h5").string();
  write_experiment(path, exp);
  const NetworkRecord back = read_experiment(path).networks.at(0);
  EXPECT_EQ(back.best_iteration, rec.best_iteration);
  EXPECT_EQ(back.best_val_loss, rec.best_val_loss);
  EXPECT_EQ(back.best_val_accuracy, rec.best_val_accuracy);
  EXPECT_EQ(back.final_val_loss, rec.final_val_loss);
  EXPECT_EQ(back.final_val_accuracy, rec.final_val_accuracy);
  EXPECT_EQ(back.trained.w_rec, rec.trained.w_rec);
  EXPECT_EQ(back.final_weights.w_rec, rec.final_weights.w_rec);
  EXPECT_EQ(back.final_weights.w_out, rec.final_weights.w_out);

  // A record as files before this change held it: no best_iteration, no
  // final/: it loads, with the fields unset and trained/ as the last weights.
  NetworkRecord old = rec;
  old.best_iteration = -1;
  old.final_val_loss = old.final_val_accuracy = std::numeric_limits<double>::quiet_NaN();
  old.final_weights = Network{};
  exp.networks = {old};
  write_experiment(path, exp);
  const NetworkRecord old_back = read_experiment(path).networks.at(0);
  EXPECT_EQ(old_back.best_iteration, -1);
  EXPECT_TRUE(std::isnan(old_back.best_val_loss));
  EXPECT_TRUE(std::isnan(old_back.final_val_loss));
  EXPECT_EQ(old_back.final_weights.units(), 0);
  EXPECT_EQ(old_back.trained.w_rec, rec.trained.w_rec);
  fs::remove_all(dir);
}

TEST(TrainingBestWeights, ResumeKeepsTheBestSoFarBitForBit) {
  const auto config = config_of({"train.learning_rate=0.1", "train.iterations=80", "ensemble.seeds=2"});
  const auto uninterrupted = train_on_one_thread(config);
  const fs::path dir = fresh_test_dir("rnnlab-best-resume");
  const std::string checkpoints = (dir / "out.h5.partial").string();
  prepare_checkpoint_dir(checkpoints, config.toml_text, false);
  KillAt kill(50);  // after the checkpoint at 40, before the end
  EnsembleOptions options;
  options.checkpoint_dir = checkpoints;
  options.progress = &kill;
  train_on_one_thread(config, options);
  const auto saved = load_checkpoint(checkpoints, 5);
  ASSERT_TRUE(saved.has_value());
  ASSERT_EQ(saved->iteration, 40);
  EXPECT_GE(saved->best_iteration, 10);  // the best so far travels in the checkpoint
  options.progress = nullptr;
  options.resume = true;
  const auto resumed = train_on_one_thread(config, options);
  ASSERT_EQ(resumed.size(), 2u);
  for (std::size_t i = 0; i < resumed.size(); ++i) {
    EXPECT_EQ(resumed[i].status, uninterrupted[i].status);
    EXPECT_EQ(resumed[i].best_iteration, uninterrupted[i].best_iteration);
    EXPECT_EQ(resumed[i].best_val_loss, uninterrupted[i].best_val_loss);
    EXPECT_EQ(resumed[i].trained.w_rec, uninterrupted[i].trained.w_rec);
    EXPECT_EQ(resumed[i].final_weights.w_rec, uninterrupted[i].final_weights.w_rec);
    EXPECT_EQ(resumed[i].final_val_loss, uninterrupted[i].final_val_loss);
  }
  fs::remove_all(dir);
}

// --- blow-ups flagged ----------------------------------------------------------

// A network that learns at a sound rate, then goes on at learning_rate = 1e6
// with gradient clipping (issue 13's reproducer): clipping bounds the
// gradient, not Adam's step (about learning_rate per entry), so the weights
// explode on the next update while the loss stays finite.
TEST(TrainingCollapse, HugeRateAfterLearningIsFlaggedAndTheBestWeightsAreKept) {
  const auto sound = config_of({"train.iterations=40"});
  const auto huge = config_of({"train.iterations=80", "train.learning_rate=1e6", "train.clip=1.0"});
  NetworkTrainer first = make_trainer(sound, 5);
  NetworkState state = first.initial_state();
  first.run(state, nullptr, nullptr);
  ASSERT_EQ(state.status, "trained") << state.reason;
  const long best_iteration = state.best_iteration;
  const double best_loss = state.best_val_loss;
  ASSERT_GE(best_iteration, 10);

  state.status = "running";
  NetworkTrainer second = make_trainer(huge, 5);
  second.run(state, nullptr, nullptr);
  EXPECT_EQ(state.status, "collapsed");
  EXPECT_EQ(state.iteration, 41);  // stopped at the update that blew up
  EXPECT_NE(state.reason.find("exploded at iteration 41"), std::string::npos) << state.reason;
  EXPECT_NE(state.reason.find(fmt::format("from iteration {}", best_iteration)), std::string::npos) << state.reason;

  const NetworkRecord rec = network_record(huge.model, second.initial_model(), state);
  EXPECT_EQ(rec.best_iteration, best_iteration);
  // The stored weights are the best ones: their fresh validation is the best
  // loss, while the last (kept in final/) are far worse.
  EXPECT_EQ(revalidate(huge, rec, rec.trained).first, best_loss);
  ASSERT_EQ(rec.final_weights.units(), 16);
  EXPECT_GT(std::max({rec.final_weights.w_in.cwiseAbs().maxCoeff(), rec.final_weights.w_rec.cwiseAbs().maxCoeff(),
                      rec.final_weights.w_out.cwiseAbs().maxCoeff()}),
            kExplodedWeight);
  EXPECT_GT(rec.final_val_loss, 100 * best_loss);
  EXPECT_TRUE(unusable_reason(rec).empty());  // analysed, on its best weights
}

TEST(TrainingCollapse, HugeRateFromTheStartIsDivergedNotTrained) {
  // Issue 13: learning_rate = 1e6 with clipping used to give losses of 1e13 marked trained.
  const auto config = config_of({"train.learning_rate=1e6", "train.clip=1.0"});
  const NetworkRecord rec = train_on_one_thread(config).at(0);
  EXPECT_EQ(rec.status, "diverged");
  EXPECT_EQ(rec.iterations, 1);
  EXPECT_NE(rec.status_reason.find("exploded at iteration 1"), std::string::npos) << rec.status_reason;
  EXPECT_NE(rec.status_reason.find("no validated weights"), std::string::npos) << rec.status_reason;
  EXPECT_EQ(rec.best_iteration, -1);
}

TEST(TrainingCollapse, ValidationLossFarAboveItsBestAtTheEndIsFlagged) {
  // Learn, then continue at a rate that wrecks the network without making
  // any weight explode: the end-of-run rule (last validation > 10 x best) fires.
  const auto sound = config_of({"train.iterations=40"});
  NetworkTrainer first = make_trainer(sound, 5);
  NetworkState state = first.initial_state();
  first.run(state, nullptr, nullptr);
  ASSERT_EQ(state.status, "trained");
  state.status = "running";
  const auto wild = config_of({"train.iterations=60", "train.learning_rate=3.0"});
  NetworkTrainer second = make_trainer(wild, 5);
  second.run(state, nullptr, nullptr);
  ASSERT_EQ(state.iteration, 60) << state.reason;  // ran to the end
  EXPECT_EQ(state.status, "collapsed") << state.reason;
  EXPECT_GT(state.curves.val_loss.back(), kCollapseFactor * state.best_val_loss);
  EXPECT_NE(state.reason.find("validation loss rose from its best"), std::string::npos) << state.reason;
  const NetworkRecord rec = network_record(wild.model, second.initial_model(), state);
  EXPECT_EQ(revalidate(wild, rec, rec.trained).first, state.best_val_loss);
}

TEST(TrainingCollapse, CommandLineSaysCollapsedOrDivergedInTheSummary) {
  const fs::path dir = fresh_test_dir("rnnlab-collapse-cli");
  const std::string config = (dir / "c.toml").string();
  std::ofstream(config) << kSmall;
  const std::string out = (dir / "huge.h5").string();
  const auto r = run_rnnlab(
      fmt::format("train {} -o {} --quiet --set train.learning_rate=1e6 --set train.clip=1.0", config, out),
      dir / "log");
  EXPECT_EQ(r.code, 1) << r.output;  // nothing trained
  EXPECT_NE(r.output.find("diverged"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("the weights exploded at iteration 1"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("(0 of 1 networks trained)"), std::string::npos) << r.output;
  fs::remove_all(dir);
}

// --- warm start ----------------------------------------------------------------

TEST(TrainingWarmStart, StartsFromTheStoredNetworkAndContinues) {
  const fs::path dir = fresh_test_dir("rnnlab-warm");
  const auto config = config_of();
  const std::string source = (dir / "source.h5").string();
  const std::vector<NetworkRecord> networks = train_to(source, config);
  const NetworkRecord& src = networks.at(0);

  // Zero further updates: the same weights, so the same fresh accuracy.
  const auto warm = config_of({fmt::format("train.init_from=\"{}:5\"", source), "train.seed=9"});
  NetworkTrainer trainer = make_trainer(warm, 9);
  const NetworkRecord start = network_record(warm.model, trainer.initial_model(), trainer.initial_state());
  EXPECT_EQ(start.trained.w_rec, src.trained.w_rec);
  EXPECT_EQ(start.trained.w_in, src.trained.w_in);
  EXPECT_EQ(start.trained.w_out, src.trained.w_out);
  EXPECT_EQ(start.trained.b, src.trained.b);
  EXPECT_EQ(start.initial.w_rec, src.trained.w_rec);
  const auto task = make_task(config.task.name, config.task.params, config.model.dt);
  const Evaluation before = evaluate(src.trained, *task, 200, 7), after = evaluate(start.trained, *task, 200, 7);
  EXPECT_EQ(after.loss, before.loss);
  EXPECT_EQ(after.accuracy, before.accuracy);

  // More updates continue from there: the first validation is near where
  // the source ended, far below a cold start's first validation.
  const NetworkRecord continued = train_on_one_thread(warm).at(0);
  const NetworkRecord cold = train_on_one_thread(config_of({"train.seed=9"})).at(0);
  ASSERT_EQ(continued.status, "trained") << continued.status_reason;
  EXPECT_LT(continued.curves.val_loss.front(), 1.5 * src.best_val_loss);
  EXPECT_LT(continued.curves.val_loss.front(), 0.8 * cold.curves.val_loss.front());
  fs::remove_all(dir);
}

TEST(TrainingWarmStart, BadSourcesAreInputErrorsNamingTheKey) {
  const fs::path dir = fresh_test_dir("rnnlab-warm-bad");
  const auto config = config_of();
  const std::string source = (dir / "source.h5").string();
  train_to(source, config);
  const auto message = [](const ExperimentConfig& c) -> std::string {
    try {
      check_init_from(c);
    } catch (const InputError& e) {
      return e.what();
    }
    return "no error";
  };
  const auto with = [&](const std::string& value, std::vector<std::string> more = {}) {
    more.push_back(fmt::format("train.init_from=\"{}\"", value));
    return config_of(more);
  };
  EXPECT_NO_THROW(check_init_from(with(source + ":5")));
  EXPECT_NE(message(with(source)).find("expected \"FILE.h5:N\""), std::string::npos);
  EXPECT_NE(message(with(source + ":x")).find("train.init_from"), std::string::npos);
  const std::string missing = message(with((dir / "nope.h5").string() + ":5"));
  EXPECT_NE(missing.find("train.init_from"), std::string::npos) << missing;
  EXPECT_NE(missing.find("no such file"), std::string::npos) << missing;
  const std::string no_network = message(with(source + ":6"));
  EXPECT_NE(no_network.find("has no network 6 (it has 5)"), std::string::npos) << no_network;
  const std::string shape = message(with(source + ":5", {"model.units=17"}));
  EXPECT_NE(shape.find("has 16 units"), std::string::npos) << shape;
  EXPECT_NE(shape.find("model.units"), std::string::npos) << shape;
  const std::string alpha = message(with(source + ":5", {"model.tau=50.0"}));
  EXPECT_NE(alpha.find("alpha"), std::string::npos) << alpha;
  const std::string dale = message(with(source + ":5", {"model.dale=true"}));
  EXPECT_NE(dale.find("Dale"), std::string::npos) << dale;

  // The command: exit 2, and neither the output nor its checkpoints written.
  const std::string toml = (dir / "c.toml").string();
  std::ofstream(toml) << kSmall;
  const std::string out = (dir / "out.h5").string();
  const auto r = run_rnnlab(
      fmt::format("train {} -o {} --quiet --set 'train.init_from=\"{}:6\"'", toml, out, source), dir / "log");
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find("train.init_from"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(out));
  EXPECT_FALSE(fs::exists(out + ".partial"));
  fs::remove_all(dir);
}

// --- evaluation with noise -------------------------------------------------------

TEST(EvaluateNoise, ZeroNoiseIsThePlainEvaluationAndLargeNoiseLowersAccuracy) {
  const auto config = config_of({"train.iterations=150", "train.learning_rate=0.02"});
  const NetworkRecord rec = train_on_one_thread(config).at(0);
  const auto task = make_task(config.task.name, config.task.params, config.model.dt);
  const Evaluation plain = evaluate(rec.trained, *task, 200, 11);
  const Evaluation zero = evaluate(rec.trained, *task, 200, 11, EvalNoise{0.0, 0.0});
  EXPECT_EQ(zero.loss, plain.loss);
  EXPECT_EQ(zero.accuracy, plain.accuracy);
  ASSERT_GT(plain.accuracy, 0.8);  // a network worth degrading
  const Evaluation noisy = evaluate(rec.trained, *task, 200, 11, EvalNoise{2.0, 2.0});
  EXPECT_LT(noisy.accuracy, plain.accuracy - 0.1);
  EXPECT_GT(noisy.loss, plain.loss);
  // Seeded: the same seed gives the same numbers, another seed others.
  const Evaluation again = evaluate(rec.trained, *task, 200, 11, EvalNoise{2.0, 2.0});
  EXPECT_EQ(again.loss, noisy.loss);
  EXPECT_NE(evaluate(rec.trained, *task, 200, 12, EvalNoise{2.0, 2.0}).loss, noisy.loss);
  // Each kind alone is noise too.
  EXPECT_NE(evaluate(rec.trained, *task, 200, 11, EvalNoise{0.5, 0.0}).loss, plain.loss);
  EXPECT_NE(evaluate(rec.trained, *task, 200, 11, EvalNoise{0.0, 0.5}).loss, plain.loss);
}

TEST(EvaluateNoise, CommandLineFlags) {
  const fs::path dir = fresh_test_dir("rnnlab-eval-noise");
  const auto config = config_of();
  const std::string file = (dir / "net.h5").string();
  train_to(file, config);
  const auto plain = run_rnnlab(fmt::format("eval {} --trials 64 --json", file), dir / "log");
  const auto zero = run_rnnlab(fmt::format("eval {} --trials 64 --json --sigma-rec 0 --sigma-in 0", file), dir / "log");
  const auto noisy = run_rnnlab(fmt::format("eval {} --trials 64 --json --sigma-rec 1.5", file), dir / "log");
  ASSERT_EQ(plain.code, 0) << plain.output;
  EXPECT_EQ(zero.output, plain.output);
  EXPECT_NE(noisy.output.find("\"sigma_rec\": 1.5"), std::string::npos) << noisy.output;
  EXPECT_NE(noisy.output, plain.output);
  const auto bad = run_rnnlab(fmt::format("eval {} --sigma-in -1", file), dir / "log");
  EXPECT_EQ(bad.code, 2) << bad.output;
  EXPECT_NE(bad.output.find("--sigma-in"), std::string::npos) << bad.output;
  fs::remove_all(dir);
}

// --- the keras preset -----------------------------------------------------------

// Kolmogorov-Smirnov distance between the entries of `m` and U(-limit, limit).
double ks_to_uniform(const Eigen::MatrixXd& m, double limit) {
  std::vector<double> x(m.data(), m.data() + m.size());
  std::sort(x.begin(), x.end());
  double d = 0.0;
  const double n = static_cast<double>(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double f = std::clamp((x[i] + limit) / (2 * limit), 0.0, 1.0);
    d = std::max({d, std::abs(f - i / n), std::abs(f - (i + 1) / n)});
  }
  return d;
}

TEST(InitKeras, GlorotUniformInputAndReadoutOrthogonalRecurrentZeroBias) {
  const auto config = parse_config(R"(
    [task]
    name = "flipflop"
    bits = 3
    [model]
    units = 300
    init = "keras"
    dt = 10.0
    tau = 10.0
  )", "keras.toml");
  const InitialModel m = initialise(config.model, 4);
  const int n = 300, inputs = 3, outputs = 3;
  // Keras: SimpleRNN kernel glorot_uniform with fan_in I, fan_out N; Dense
  // kernel with fan_in N, fan_out O: U(-l, l), l = sqrt(6 / (fan_in + fan_out)).
  const double l_in = std::sqrt(6.0 / (inputs + n)), l_out = std::sqrt(6.0 / (n + outputs));
  EXPECT_LE(m.theta.w_in.cwiseAbs().maxCoeff(), l_in);
  EXPECT_LE(m.theta.w_out.cwiseAbs().maxCoeff(), l_out);
  // 900 draws each: a KS distance above 1.63 / sqrt(900) = 0.054 rejects
  // U(-l, l) at the 1% level (a limit wrong by sqrt(2) sits at 0.15).
  EXPECT_LT(ks_to_uniform(m.theta.w_in, l_in), 1.63 / std::sqrt(900.0));
  EXPECT_LT(ks_to_uniform(m.theta.w_out, l_out), 1.63 / std::sqrt(900.0));
  // Variance of U(-l, l) is l^2 / 3 = 2 / (fan_in + fan_out); standard error ~ 5% here.
  const auto variance = [](const Eigen::MatrixXd& w) { return w.array().square().mean(); };
  EXPECT_NEAR(variance(m.theta.w_in), 2.0 / (inputs + n), 0.15 * 2.0 / (inputs + n));
  EXPECT_NEAR(variance(m.theta.w_out), 2.0 / (n + outputs), 0.15 * 2.0 / (n + outputs));
  // Orthogonal recurrent kernel (gain 1) and zero biases.
  const Eigen::MatrixXd w = m.constraints.effective(m.theta).w_rec;
  EXPECT_NEAR((w.transpose() * w - Eigen::MatrixXd::Identity(n, n)).norm(), 0.0, 1e-9);
  EXPECT_EQ(m.theta.b.cwiseAbs().maxCoeff(), 0.0);
  EXPECT_EQ(m.theta.b_out.cwiseAbs().maxCoeff(), 0.0);
  // The default initialiser draws W_in ~ N(0, 1/I): not this distribution.
  auto normal = config.model;
  normal.init = InitKind::orthogonal;
  EXPECT_GT(ks_to_uniform(initialise(normal, 4).theta.w_in, l_in), 0.2);
}

}  // namespace
}  // namespace rnnlab
