// Sweeps (docs/config.md "[sweep]"): parsing and validation of [sweep], the
// networks of a swept job (every seed at every point, the same seeds at each
// point), what the experiment file records for each, resume, and the census
// grouped by sweep point. The MPI split of a sweep is in test_mpi.cpp.
#include <gtest/gtest.h>

#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <sstream>

#include "pipeline/dynamics_io.hpp"
#include "io/config.hpp"
#include "io/experiment_file.hpp"
#include "io/h5.hpp"
#include "config_support.hpp"
#include "test_support.hpp"
#include "train/checkpoint.hpp"
#include "train/ensemble.hpp"
#include "train/ensemble_file.hpp"
#include "util/error.hpp"

namespace rnnlab {
namespace {

using testing_support::error_of;
using testing_support::KillAt;
using testing_support::parse;

namespace fs = std::filesystem;

#define EXPECT_CONTAINS(haystack, needle) \
  EXPECT_NE(std::string(haystack).find(needle), std::string::npos) << "message: " << (haystack)

// Tiny networks, a few iterations: what matters is which networks and which bits.
const char* const kBase = R"(
[task]
name = "flipflop"
bits = 1
duration = 200
[model]
units = 6
[train]
iterations = 30
batch = 8
validate_every = 10
validation_trials = 16
checkpoint_every = 10
[ensemble]
seeds = 2
)";

const char* const kSweep = R"(
[sweep]
"model.units" = [4, 6]
"model.dale" = [true, false]
)";

std::string with_sweep(const std::string& lines) { return std::string(kBase) + "[sweep]\n" + lines + "\n"; }

std::vector<NetworkRecord> train(const ExperimentConfig& config, int threads) {
  EnsembleOptions options;
  options.threads = threads;
  return train_ensemble(config, options);
}

void expect_same_weights(const NetworkRecord& a, const NetworkRecord& b) {
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.iterations, b.iterations);
  EXPECT_EQ(a.initial.w_rec, b.initial.w_rec);
  EXPECT_EQ(a.trained.w_rec, b.trained.w_rec);
  EXPECT_EQ(a.trained.w_in, b.trained.w_in);
  EXPECT_EQ(a.trained.w_out, b.trained.w_out);
  EXPECT_EQ(a.curves.val_loss, b.curves.val_loss);
}

// ---- parsing ----------------------------------------------------------------

TEST(SweepConfig, TheJobIsEverySeedAtEveryPointOfTheProduct) {
  const ExperimentConfig c = parse(std::string(kBase) + kSweep);
  ASSERT_EQ(c.sweep.axes.size(), 2u);
  // Axes sorted by key; the last varies fastest.
  EXPECT_EQ(c.sweep.axes[0].key, "model.dale");
  EXPECT_EQ(c.sweep.axes[0].values, (std::vector<std::string>{"true", "false"}));
  EXPECT_EQ(c.sweep.axes[1].key, "model.units");
  EXPECT_EQ(c.sweep.points(), 4);
  EXPECT_EQ(c.sweep.label(1), "model.dale=true, model.units=6");
  EXPECT_EQ(c.sweep.label(2), "model.dale=false, model.units=4");
  ASSERT_EQ(c.points.size(), 4u);
  EXPECT_TRUE(c.at(0).model.dale);
  EXPECT_EQ(c.at(0).model.units, 4);
  EXPECT_FALSE(c.at(3).model.dale);
  EXPECT_EQ(c.at(3).model.units, 6);
  EXPECT_EQ(c.at(3).train.iterations, 30);  // keys outside the sweep are shared
  EXPECT_EQ(c.model.units, 6);              // the shared config keeps its own values

  const std::vector<NetworkSlot> n = c.networks();
  ASSERT_EQ(n.size(), 8u);  // 4 points x 2 seeds
  for (std::size_t i = 0; i < n.size(); ++i) {
    EXPECT_EQ(n[i].key, i);
    EXPECT_EQ(n[i].point, static_cast<int>(i / 2));
    EXPECT_EQ(n[i].seed, 1 + i % 2) << "the same seeds at every point";
  }
  // Without a sweep the keys are the seeds, as always.
  const ExperimentConfig plain = parse(kBase);
  ASSERT_EQ(plain.networks().size(), 2u);
  EXPECT_EQ(plain.networks()[1].key, 2u);
  EXPECT_EQ(plain.networks()[1].point, -1);
  EXPECT_TRUE(plain.sweep.empty());
}

TEST(SweepConfig, TheRecordedConfigReadsBackAsTheSameSweep) {
  const ExperimentConfig c = parse(std::string(kBase) + kSweep);
  EXPECT_CONTAINS(c.toml_text, "[sweep]\n\"model.dale\" = [true, false]\n\"model.units\" = [4, 6]\n");
  const ExperimentConfig again = parse(c.toml_text);
  EXPECT_EQ(again.toml_text, c.toml_text);
  EXPECT_EQ(again.sweep.points(), 4);
}

TEST(SweepConfig, NestedTablesAndSetOverridesNameTheSameKeys) {
  const ExperimentConfig nested = parse(std::string(kBase) + "[sweep.model]\nunits = [4, 6]\ndale = [true, false]\n");
  const ExperimentConfig set = parse(kBase, {"sweep.model.units=[4, 6]", "sweep.model.dale=[true, false]"});
  const ExperimentConfig quoted = parse(std::string(kBase) + kSweep);
  EXPECT_EQ(nested.toml_text, quoted.toml_text);
  EXPECT_EQ(set.sweep.points(), 4);
  EXPECT_EQ(set.sweep.label(3), quoted.sweep.label(3));
}

TEST(SweepConfig, ValuesAreCheckedAsTheKeyIsInItsSection) {
  // Canonical values: an integer given for a float key is recorded as a float.
  const ExperimentConfig c = parse(with_sweep("\"train.learning_rate\" = [1, 0.5]\n\"model.activation\" = [\"relu\"]"));
  EXPECT_EQ(c.sweep.axes[1].values, (std::vector<std::string>{"1.0", "0.5"}));
  EXPECT_EQ(c.at(1).train.learning_rate, 0.5);
  EXPECT_EQ(c.at(0).model.activation, Activation::relu);

  EXPECT_CONTAINS(error_of(with_sweep("\"model.unitz\" = [4, 6]")),
                  "config.toml: in [sweep]: unknown key 'model.unitz'; did you mean 'model.units'?");
  EXPECT_CONTAINS(error_of(with_sweep("units = [4, 6]")), "unknown key 'units'; did you mean 'model.units'?");
  EXPECT_CONTAINS(error_of(with_sweep("\"model.units\" = [4, 6.5]")),
                  "model.units = 6.5 has the wrong type: expected an integer, got a float");
  EXPECT_CONTAINS(error_of(with_sweep("\"model.units\" = [4, 0]")), "model.units = 0 is out of range: must be >= 1");
  EXPECT_CONTAINS(error_of(with_sweep("\"model.activation\" = [\"tanh\", \"tanhh\"]")),
                  "model.activation = 'tanhh' is not allowed: must be one of tanh, relu, softplus, sigmoid, retanh, "
                  "linear; did you mean 'tanh'?");
  EXPECT_CONTAINS(error_of(with_sweep("\"model.dale\" = [true, 1]")),
                  "model.dale = 1 has the wrong type: expected a boolean");
  EXPECT_CONTAINS(error_of(with_sweep("\"model.units\" = 4")),
                  "model.units = 4 has the wrong type: expected an array of the values to sweep");
  EXPECT_CONTAINS(error_of(with_sweep("\"model.units\" = []")), "model.units = [] is empty");
  EXPECT_CONTAINS(error_of(with_sweep("\"model.units\" = [4, 4]")), "model.units lists the value 4 twice");
  EXPECT_CONTAINS(error_of(std::string(kBase) + "[sweep]\n"), "[sweep] is empty");
  EXPECT_CONTAINS(error_of(with_sweep("\"task.name\" = [\"flipflop\", \"logic\"]")), "'task.name' cannot be swept");
  EXPECT_CONTAINS(error_of(with_sweep("\"task.bitz\" = [1, 2]")), "unknown key 'task.bitz'; did you mean 'task.bits'?");
  EXPECT_CONTAINS(error_of(with_sweep("\"task.bits\" = [1, [2]]")), "task.bits lists [ 2 ], of the wrong type");
  // Each point's task is checked by the task's own rules, naming the key.
  EXPECT_CONTAINS(error_of(with_sweep("\"task.bits\" = [1, 0]")), "task.bits");
  EXPECT_CONTAINS(error_of(with_sweep("\"ensemble.seeds\" = [1, 2]")), "'ensemble.seeds' cannot be swept");
  EXPECT_CONTAINS(error_of(with_sweep("\"train.seed\" = [1, 2]")), "'train.seed' cannot be swept");
  EXPECT_CONTAINS(error_of(with_sweep("\"model.units\" = [4]\n[sweep.model]\nunits = [6]")),
                  "[sweep] gives 'model.units' twice");
  // A --set names itself as the source.
  EXPECT_CONTAINS(error_of(kBase, {"sweep.model.unitz=[4]"}),
                  "--set sweep.model.unitz=[4]: in [sweep]: unknown key 'model.unitz'; did you mean 'model.units'?");
}

TEST(SweepConfig, EveryPointIsCheckedAsAWholeConfigBeforeAnyWork) {
  // readout_excitatory needs Dale's law: the point with dale = false cannot run.
  std::string text = kBase;
  text.replace(text.find("units = 6"), 9, "units = 6\nreadout_excitatory = true\ndale = true");
  EXPECT_NO_THROW(parse(text));
  const std::string e = error_of(text + "[sweep]\n\"model.dale\" = [true, false]\n");
  EXPECT_CONTAINS(e, "model.readout_excitatory = true needs model.dale = true");
  EXPECT_CONTAINS(e, "at sweep point 1 of 2: model.dale=false");
  // tau must stay >= dt at every point.
  EXPECT_CONTAINS(error_of(with_sweep("\"model.tau\" = [100, 5]")), "model.tau = 5.0 is out of range");
}

TEST(SweepConfig, ABadSweepExitsWithCode2AndWritesNothing) {
  const fs::path dir = testing_support::fresh_test_dir("rnnlab-sweep-cli");
  const fs::path cfg = dir / "c.toml";
  std::ofstream(cfg) << with_sweep("\"model.unitz\" = [4, 6]");
  const fs::path out = dir / "out.h5";
  const auto r = testing_support::run_rnnlab(fmt::format("train {} -o {} --quiet", cfg.string(), out.string()),
                                             dir / "log");
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_CONTAINS(r.output, "did you mean 'model.units'?");
  EXPECT_FALSE(fs::exists(out));
  EXPECT_FALSE(fs::exists(out.string() + ".partial"));
  fs::remove_all(dir);
}

// ---- training and the file ----------------------------------------------------

// Each swept network is the network its point's config trains alone with the
// same seed, bit for bit, whatever the threads.
TEST(SweepTraining, EachNetworkIsItsPointsConfigTrainedAloneWithItsSeed) {
  const ExperimentConfig c = parse(std::string(kBase) + kSweep);
  const auto two = train(c, 2);
  ASSERT_EQ(two.size(), 8u);
  const auto three = train(c, 3);
  for (std::size_t i = 0; i < two.size(); ++i) {
    SCOPED_TRACE(fmt::format("network {}", i));
    EXPECT_EQ(two[i].seed, i);
    EXPECT_EQ(two[i].sweep_point, static_cast<int>(i / 2));
    EXPECT_EQ(two[i].sweep_seed, 1 + i % 2);
    EXPECT_EQ(two[i].sweep, c.sweep.point(two[i].sweep_point));
    expect_same_weights(two[i], three[i]);
  }
  // Point 1 is dale = true, units = 6; its seed 2 is network 3.
  const ExperimentConfig alone = parse(kBase, {"model.dale=true", "model.units=6", "train.seed=2", "ensemble.seeds=1"});
  const auto reference = train(alone, 1).at(0);
  expect_same_weights(two[3], reference);
  EXPECT_EQ(two[3].trained.units(), 6);
  EXPECT_EQ(two[3].trained.sign.size(), 6) << "Dale's law at this point";
  EXPECT_EQ(two[5].trained.units(), 4);
  EXPECT_EQ(two[5].trained.sign.size(), 0) << "no Dale's law at point 2";
}

TEST(SweepTraining, TheFileRecordsEachNetworksPointAndSeed) {
  const fs::path dir = testing_support::fresh_test_dir("rnnlab-sweep-file");
  const fs::path cfg = dir / "c.toml";
  std::ofstream(cfg) << std::string(kBase) + kSweep;
  const std::string out = (dir / "out.h5").string();
  const auto r = testing_support::run_rnnlab(fmt::format("train {} -o {} --threads 2 --quiet", cfg.string(), out),
                                             dir / "log");
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_CONTAINS(r.output, "[seed 2, model.dale=false, model.units=6]");

  const Experiment e = read_experiment(out);
  ASSERT_EQ(e.networks.size(), 8u);
  for (std::size_t i = 0; i < e.networks.size(); ++i) {
    const NetworkRecord& n = e.networks[i];
    EXPECT_EQ(n.seed, i);
    EXPECT_EQ(n.sweep_point, static_cast<int>(i / 2));
    EXPECT_EQ(n.sweep_seed, 1 + i % 2);
    EXPECT_EQ(n.status, "trained");
    EXPECT_EQ(n.trained.units(), (i / 2) % 2 == 0 ? 4 : 6);
  }
  EXPECT_EQ(e.networks[5].sweep, (std::vector<std::pair<std::string, std::string>>{{"model.dale", "false"},
                                                                                    {"model.units", "4"}}));
  std::lock_guard lock(h5_lock());
  H5::H5File file(out, H5F_ACC_RDONLY);
  H5::Group net = file.openGroup("networks/5");
  EXPECT_EQ(h5::read_long_attr(net, "seed"), 2);
  EXPECT_EQ(h5::read_long_attr(net, "sweep_point"), 2);
  EXPECT_EQ(h5::read_string_attr(net, "sweep"), "model.dale=false, model.units=4");
  EXPECT_EQ(h5::read_string_attr(net.openGroup("sweep"), "model.units"), "4");
  H5::Group sweep = file.openGroup("sweep");
  EXPECT_EQ(h5::read_long_attr(sweep, "points"), 4);
  EXPECT_EQ(h5::read_strings(sweep, "keys"), (std::vector<std::string>{"model.dale", "model.units"}));
  EXPECT_EQ(h5::read_strings(sweep, "model.units"), (std::vector<std::string>{"4", "6", "4", "6"}));
  EXPECT_EQ(h5::read_strings(sweep, "labels").at(1), "model.dale=true, model.units=6");
  file.close();
  fs::remove_all(dir);
}

TEST(SweepTraining, AResumedSweepEndsWithTheWeightsOfAnUninterruptedOne) {
  const ExperimentConfig c = parse(std::string(kBase) + kSweep);
  const auto uninterrupted = train(c, 2);
  const fs::path dir = testing_support::fresh_test_dir("rnnlab-sweep-resume");
  const std::string checkpoints = (dir / "out.h5.partial").string();
  prepare_checkpoint_dir(checkpoints, c.toml_text, false);
  KillAt kill(20);  // after the checkpoint at 10, before the one at 20
  EnsembleOptions options;
  options.threads = 2;
  options.checkpoint_dir = checkpoints;
  options.progress = &kill;
  for (const auto& rec : train_ensemble(c, options)) EXPECT_EQ(rec.status, "failed");
  // Checkpoints are named by the network's key: seeds repeat across points.
  for (int key = 0; key < 8; ++key) ASSERT_TRUE(fs::exists(fmt::format("{}/{}.h5", checkpoints, key))) << key;
  const auto saved = load_checkpoint(checkpoints, 7);
  ASSERT_TRUE(saved.has_value());
  EXPECT_EQ(saved->seed, 2u);
  EXPECT_EQ(saved->iteration, 10);
  // The file of the interrupted run lists every network with its point.
  const auto partial = records_from_checkpoints(c, checkpoints);
  ASSERT_EQ(partial.size(), 8u);
  EXPECT_EQ(partial[7].status, "failed");
  EXPECT_EQ(partial[7].sweep_point, 3);

  options.progress = nullptr;
  options.resume = true;
  prepare_checkpoint_dir(checkpoints, c.toml_text, true);
  const auto resumed = train_ensemble(c, options);
  ASSERT_EQ(resumed.size(), uninterrupted.size());
  for (std::size_t i = 0; i < resumed.size(); ++i) {
    SCOPED_TRACE(fmt::format("network {}", i));
    EXPECT_EQ(resumed[i].status, "trained");
    expect_same_weights(resumed[i], uninterrupted[i]);
  }
  // Another sweep is another job: resuming its checkpoints is refused.
  const ExperimentConfig other = parse(std::string(kBase) + "[sweep]\n\"model.units\" = [4, 5]\n");
  EXPECT_THROW(prepare_checkpoint_dir(checkpoints, other.toml_text, true), InputError);
  fs::remove_all(dir);
}

// Issue 12, item 9: task parameters are sweepable; each point's networks are
// trained and analysed on that point's task.
TEST(SweepConfig, ATaskParameterIsSweptAndEachPointUsesItsTask) {
  const ExperimentConfig c = parse(with_sweep("\"task.duration\" = [200, 400]"));
  ASSERT_EQ(c.sweep.points(), 2);
  EXPECT_EQ(std::get<double>(c.at(0).task.params.at("duration")), 200.0);
  EXPECT_EQ(std::get<double>(c.at(1).task.params.at("duration")), 400.0);
  EXPECT_EQ(c.sweep.label(1), "task.duration=400");

  const fs::path dir = testing_support::fresh_test_dir("rnnlab-sweep-task");
  const std::string path = (dir / "task.h5").string();
  ExperimentConfig one_seed = parse(with_sweep("\"task.duration\" = [200, 400]"), {"ensemble.seeds=1"});
  write_experiment(path, Experiment{one_seed.toml_text, RNNLAB_VERSION, train(one_seed, 2)});
  DynamicsOptions o;
  o.trials = 4;
  o.fixed_point_starts = 8;
  o.attractor.transient = 50;
  o.attractor.window = 50;
  o.memory_factors = {1.0};
  o.memory_trials = 4;
  analyze_dynamics_file(path, o);
  std::lock_guard lock(h5_lock());
  H5::H5File file(path, H5F_ACC_RDONLY);
  // The stored mean trajectories have the point's trial length: 200 ms and 400 ms at dt = 10 ms.
  for (int point = 0; point < 2; ++point) {
    const H5::Group g = file.openGroup(fmt::format("networks/{}/analysis/dynamics/conditions/0", point));
    EXPECT_EQ(h5::read_matrix(g, "mean_states").rows(), 20 * (point + 1)) << "point " << point;
  }
  file.close();
  fs::remove_all(dir);
}

// ---- census -------------------------------------------------------------------

TEST(SweepCensus, TheCensusCountsEachPointAndAllNetworks) {
  const fs::path dir = testing_support::fresh_test_dir("rnnlab-sweep-census");
  const std::string path = (dir / "census.h5").string();
  // Two sizes of network: their trajectories are compared in a common PC space.
  const ExperimentConfig c = parse(std::string(kBase) + "[sweep]\n\"model.units\" = [4, 6]\n");
  write_experiment(path, Experiment{c.toml_text, RNNLAB_VERSION, train(c, 2)});

  DynamicsOptions o;
  o.trials = 8;
  o.fixed_point_starts = 12;
  o.lyapunov.exponents = 2;
  o.lyapunov.transient = 50;
  o.lyapunov.steps = 100;
  o.attractor.transient = 100;
  o.attractor.window = 100;
  o.condition = "final_0";
  const CensusTable t = analyze_dynamics_file(path, o);
  ASSERT_EQ(t.groups.size(), 3u);
  EXPECT_EQ(t.groups[0], "flipflop (sweep point 0: model.units=4)");
  EXPECT_EQ(t.groups[1], "flipflop (sweep point 1: model.units=6)");
  EXPECT_EQ(t.groups[2], "all networks");
  EXPECT_EQ(t.attractor_counts.row(0).sum(), 2);
  EXPECT_EQ(t.attractor_counts.row(1).sum(), 2);
  EXPECT_EQ(t.attractor_counts.row(2), t.attractor_counts.row(0) + t.attractor_counts.row(1));
  EXPECT_EQ(t.jarne_counts.row(2), t.jarne_counts.row(0) + t.jarne_counts.row(1));
  ASSERT_EQ(t.families.size(), 3u);
  EXPECT_CONTAINS(t.text(), "| families");

  std::lock_guard lock(h5_lock());
  H5::H5File file(path, H5F_ACC_RDONLY);
  H5::Group census = file.openGroup("analysis/census");
  EXPECT_EQ(h5::read_strings(census, "groups").size(), 3u);
  EXPECT_EQ(h5::read_vector(census, "group_families").size(), 3);
  const Eigen::MatrixXd cca = h5::read_matrix(census.openGroup("similarity"), "cca");
  ASSERT_EQ(cca.rows(), 4);
  EXPECT_TRUE(std::isfinite(cca(0, 3))) << "networks of 4 and 6 units compare on their top PCs";
  for (int g = 0; g < 2; ++g) {
    H5::Group group = census.openGroup(fmt::format("by_group/{}", g));
    EXPECT_EQ(h5::read_long_attr(group, "sweep_point"), g);
    EXPECT_EQ(h5::read_vector(group, "seeds"), (Eigen::VectorXd(2) << 2.0 * g, 2.0 * g + 1).finished());
    EXPECT_EQ(h5::read_matrix(group.openGroup("similarity"), "cca").rows(), 2);
    EXPECT_EQ(h5::read_vector(group.openGroup("families"), "label").size(), 2);
  }
  file.close();
  fs::remove_all(dir);
}

// `rnnlab run` on a sweep: the summary lists the points, the census counts
// each point and all networks, each network line names its point and seed.
TEST(SweepCensus, RunWritesTheCensusOfEachPointToTheSummary) {
  const fs::path dir = testing_support::fresh_test_dir("rnnlab-sweep-run");
  const fs::path cfg = dir / "c.toml";
  std::ofstream(cfg) << std::string(kBase) + "[sweep]\n\"model.units\" = [4, 6]\n";
  const auto r = testing_support::run_rnnlab(
      fmt::format("run {} -o {} --seeds 1 --threads 2 --quiet", cfg.string(), (dir / "run").string()), dir / "log");
  ASSERT_EQ(r.code, 0) << r.output;
  std::ifstream in(dir / "run" / "summary.txt");
  std::stringstream text;
  text << in.rdbuf();
  const std::string summary = text.str();
  EXPECT_CONTAINS(summary, "rnnlab run: 2 networks of task flipflop");
  EXPECT_CONTAINS(summary, "sweep: 2 points x 1 seeds (seeds 1 to 1 at every point)");
  EXPECT_CONTAINS(summary, "  point 1: model.units=6 (networks 1 to 1)");
  EXPECT_CONTAINS(summary, "\nflipflop (sweep point 0: model.units=4) | ");
  EXPECT_CONTAINS(summary, "\nflipflop (sweep point 1: model.units=6) | ");
  EXPECT_CONTAINS(summary, "\nall networks | ");
  EXPECT_CONTAINS(summary, "network    1: trained after 30 iterations");
  EXPECT_CONTAINS(summary, "[seed 1, model.units=6]");
  // The analyses found every network under its name.
  EXPECT_EQ(summary.find("failed"), std::string::npos) << summary;
  EXPECT_EQ(r.output.find("failed"), std::string::npos) << r.output;
  // The sweep as a result: a row per network beside results.h5 and in the file,
  // and the factor's level tested against its first level in the summary.
  std::ifstream csv_in(dir / "run" / "sweep_networks.csv");
  std::vector<std::string> lines;
  for (std::string line; std::getline(csv_in, line);) lines.push_back(line);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].rfind("network,seed,model.units,accuracy,held_accuracy_2x,held_accuracy_5x,j0_leading_modulus,", 0), 0u) << lines[0];
  EXPECT_EQ(lines[1].rfind("0,1,4,", 0), 0u) << lines[1];
  EXPECT_EQ(lines[2].rfind("1,1,6,", 0), 0u) << lines[2];
  EXPECT_NE(lines[1].find(",trained,"), std::string::npos) << lines[1];
  EXPECT_TRUE(fs::exists(dir / "run" / "sweep_factors.csv"));
  EXPECT_CONTAINS(summary, "Sweep factors: each level against the factor's first level.");
  EXPECT_CONTAINS(summary, "model.units=6 vs 4: accuracy");
  {
    std::lock_guard lock(h5_lock());
    H5::H5File file((dir / "run" / "results.h5").string(), H5F_ACC_RDONLY);
    const H5::Group g = file.openGroup("analysis/sweep_factors");
    std::ifstream again(dir / "run" / "sweep_networks.csv");
    std::stringstream whole;
    whole << again.rdbuf();
    EXPECT_EQ(h5::read_string_attr(g, "networks_csv"), whole.str());
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace rnnlab
