// Fixed points end to end (issue 4): a network trained here and an imported
// Keras network go through analyze_fixed_points_file and `rnnlab analyze
// --fixed-points`, and what the file holds is checked against what the
// networks must have (the 8 memories of a 3-bit flip-flop, saddles between
// them), plus the checks of [analysis.fixed_points] and the CLI options.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <H5Cpp.h>
#include <fmt/format.h>

#include <array>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "pipeline/dynamics_io.hpp"
#include "pipeline/fixed_point_input.hpp"
#include "analysis/fixed_points.hpp"
#include "pipeline/fixed_points_io.hpp"
#include "io/analysis_config.hpp"
#include "io/config.hpp"
#include "io/experiment_file.hpp"
#include "io/h5.hpp"
#include "io/import.hpp"
#include "train/ensemble.hpp"
#include "train/evaluate.hpp"
#include "util/error.hpp"
#include "test_support.hpp"
#include "training_support.hpp"

namespace rnnlab {
namespace {

namespace fs = std::filesystem;

// The 3-bit flip-flop of the README; reaches ~100% held-out accuracy in a few seconds.
const char* kFlipFlop = R"(
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
[analysis.fixed_points]
starts = 512
noise = 0.05
trials = 32
)";

// Trained once for the whole suite.
class FixedPointE2E : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    config_ = new ExperimentConfig(parse_config(kFlipFlop, "flipflop.toml"));
    record_ = new NetworkRecord(testing_support::train_on_one_thread(*config_).at(0));
  }
  static void TearDownTestSuite() {
    delete config_;
    delete record_;
  }

  void SetUp() override { dir = testing_support::fresh_test_dir("rnnlab-fp-e2e"); }
  void TearDown() override { fs::remove_all(dir); }

  // The trained network in a file of its own.
  std::string flipflop_file() {
    const std::string path = (dir / "ff.h5").string();
    write_experiment(path, Experiment{config_->toml_text, RNNLAB_VERSION, {*record_}});
    return path;
  }

  static ExperimentConfig* config_;
  static NetworkRecord* record_;
  fs::path dir;
};
ExperimentConfig* FixedPointE2E::config_ = nullptr;
NetworkRecord* FixedPointE2E::record_ = nullptr;

// What the file holds for one network.
struct Stored {
  long fixed_points, slow_points, local_minima, stable, saddles, starts;
  std::string starts_from, input, task;
  Eigen::MatrixXd x, readout, starts_x, initial;
  std::vector<std::string> kind, stability;
  Eigen::VectorXd q, speed, position_error, unstable_directions, count;
  std::vector<std::vector<std::complex<double>>> eigenvalues;  // per point
};

Stored read_stored(const std::string& path, std::uint64_t seed) {
  std::lock_guard lock(h5_lock());
  H5::H5File file(path, H5F_ACC_RDONLY);
  H5::Group g = file.openGroup(fmt::format("networks/{}/analysis/fixed_points", seed));
  H5::Group points = g.openGroup("points");
  H5::Group starts = g.openGroup("starts");
  Stored s;
  s.fixed_points = h5::read_long_attr(g, "fixed_points");
  s.slow_points = h5::read_long_attr(g, "slow_points");
  s.local_minima = h5::read_long_attr(g, "local_minima");
  s.stable = h5::read_long_attr(g, "stable");
  s.saddles = h5::read_long_attr(g, "saddles");
  s.starts = h5::read_long_attr(g, "starts");
  s.starts_from = h5::read_string_attr(g, "starts_from");
  s.input = h5::read_string_attr(g, "input");
  s.task = h5::read_string_attr(g, "task");
  s.x = h5::read_matrix(points, "x");
  s.readout = h5::read_matrix(points, "readout");
  s.kind = h5::read_strings(points, "kind");
  s.stability = h5::read_strings(points, "stability");
  s.q = h5::read_vector(points, "q");
  s.speed = h5::read_vector(points, "speed");
  s.position_error = h5::read_vector(points, "position_error");
  s.unstable_directions = h5::read_vector(points, "unstable_directions");
  s.count = h5::read_vector(points, "count");
  s.starts_x = h5::read_matrix(starts, "x");
  s.initial = h5::read_matrix(starts, "initial");
  // eigenvalues: P x N complex; read through a compound of two doubles.
  H5::DataSet ds = points.openDataSet("eigenvalues");
  hsize_t dims[2] = {0, 0};
  ds.getSpace().getSimpleExtentDims(dims);
  std::vector<std::complex<double>> flat(dims[0] * dims[1]);
  H5::CompType type(sizeof(std::complex<double>));
  type.insertMember("r", 0, H5::PredType::NATIVE_DOUBLE);
  type.insertMember("i", sizeof(double), H5::PredType::NATIVE_DOUBLE);
  if (!flat.empty()) ds.read(flat.data(), type);
  for (hsize_t p = 0; p < dims[0]; ++p)
    s.eigenvalues.emplace_back(flat.begin() + p * dims[1], flat.begin() + (p + 1) * dims[1]);
  return s;
}

TEST_F(FixedPointE2E, FlipFlopHasAStableMemoryAtEveryCornerAndSaddlesBetween) {
  const auto task = make_task(config_->task.name, config_->task.params, config_->model.dt);
  ASSERT_GE(evaluate(record_->trained, *task, 200, 7).accuracy, 0.9) << "the network did not learn the task";
  const std::string path = flipflop_file();
  std::vector<std::string> lines;
  analyze_fixed_points_file(path, {}, [&](const std::string& line) { lines.push_back(line); });
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("512 starts from 32 flipflop trials"), std::string::npos) << lines[0];

  const Stored s = read_stored(path, record_->seed);
  // The options came from the config's [analysis.fixed_points].
  EXPECT_EQ(s.starts, 512);
  EXPECT_EQ(s.starts_from, "trajectories");
  EXPECT_EQ(s.task, "flipflop");
  EXPECT_EQ(s.input, "zero");
  ASSERT_EQ(s.initial.rows(), 512);
  ASSERT_EQ(s.initial.cols(), 64);
  ASSERT_EQ(s.starts_x.rows(), 512);

  const long points = s.fixed_points + s.slow_points + s.local_minima;
  ASSERT_EQ(s.x.rows(), points);
  ASSERT_EQ(s.readout.rows(), points);
  ASSERT_EQ(s.readout.cols(), 3);
  EXPECT_GE(s.stable, 8);
  EXPECT_GE(s.saddles, 1);

  std::array<bool, 8> corner_found{};
  long stable = 0, saddles = 0;
  for (long p = 0; p < s.fixed_points; ++p) {
    EXPECT_EQ(s.kind[p], "fixed");
    EXPECT_LE(s.q(p), 1e-12);
    EXPECT_GE(s.count(p), 1);
    // Stability as stored agrees with the stored eigenvalues.
    // (unstable: |l| > 1 + marginal_tolerance * alpha, FixedPointOptions defaults)
    const double tol = 1e-6 * record_->trained.alpha;
    int outside = 0;
    for (const auto& l : s.eigenvalues[p]) outside += std::abs(l) > 1.0 + tol;
    EXPECT_EQ(outside, s.unstable_directions(p)) << "point " << p;
    if (s.stability[p] == "stable") {
      ++stable;
      EXPECT_LT(std::abs(s.eigenvalues[p][0]), 1.0);
      // The readout of a memory sits at a corner of the cube {-1, +1}^3.
      const Eigen::Vector3d y = s.readout.row(p).transpose();
      if ((y.array().abs() > 0.5).all()) {
        const int corner = (y(0) > 0) + 2 * (y(1) > 0) + 4 * (y(2) > 0);
        corner_found[corner] = true;
      }
    }
    if (s.stability[p] == "saddle") {
      ++saddles;
      EXPECT_GE(s.unstable_directions(p), 1);
    }
  }
  EXPECT_EQ(stable, s.stable);
  EXPECT_EQ(saddles, s.saddles);
  for (int c = 0; c < 8; ++c)
    EXPECT_TRUE(corner_found[c]) << fmt::format("no stable point with output signs ({:+d}, {:+d}, {:+d})",
                                                c & 1 ? 1 : -1, c & 2 ? 1 : -1, c & 4 ? 1 : -1);

  // Each point once: none within the merge radius of another (the default
  // dedup_tolerance); every kind is one of the list; speed = sqrt(2 q) / alpha.
  const Network& net = record_->trained;
  for (long p = 0; p < points; ++p) {
    EXPECT_NO_THROW(point_kind_from_string(s.kind[p]));
    EXPECT_NEAR(s.speed(p), std::sqrt(2.0 * s.q(p)) / net.alpha, 1e-12);
    for (long r = p + 1; r < points; ++r) {
      const Eigen::VectorXd a = s.x.row(p).transpose(), b = s.x.row(r).transpose();
      EXPECT_GT((a - b).lpNorm<Eigen::Infinity>(),
                merge_radius(a, b, FixedPointOptions{}.dedup_tolerance, s.position_error(p), s.position_error(r)))
          << "points " << p << " and " << r;
    }
  }

  // Each stored readout is W_out tanh(x) + b_out of its point.
  for (long p = 0; p < points; ++p) {
    const Eigen::VectorXd x = s.x.row(p).transpose();
    const Eigen::VectorXd y = net.w_out * x.array().tanh().matrix() + net.b_out;
    EXPECT_NEAR((y - s.readout.row(p).transpose()).norm(), 0.0, 1e-12);
  }
}

TEST_F(FixedPointE2E, ARerunReplacesTheGroupAndCliOptionsOverrideTheConfig) {
  const std::string path = flipflop_file();
  FixedPointOverrides small;
  small.starts = 64;
  small.noise = 0.0;
  analyze_fixed_points_file(path, small);
  FixedPointOverrides other;
  other.starts = 32;
  other.input = "0.5,0,0";
  analyze_fixed_points_file(path, other);
  const Stored s = read_stored(path, record_->seed);
  EXPECT_EQ(s.starts, 32);
  EXPECT_EQ(s.initial.rows(), 32) << "the old 64 starts must be gone";
  EXPECT_EQ(s.input, "0.5,0,0");
  std::lock_guard lock(h5_lock());
  H5::H5File file(path, H5F_ACC_RDONLY);
  H5::Group g = file.openGroup(fmt::format("networks/{}/analysis/fixed_points", record_->seed));
  const Eigen::VectorXd u = h5::read_vector(g, "input");
  ASSERT_EQ(u.size(), 3);
  EXPECT_EQ(u(0), 0.5);
  EXPECT_EQ(u(1), 0.0);
}

TEST_F(FixedPointE2E, ContinuationFollowsTheMemoriesAlongAnInput) {
  // A weak held input on bit 0, from 0 to 0.2: the 8 memories persist at s = 0.
  const std::string path = (dir / "cont.h5").string();
  const std::string text = config_->toml_text +
                           "\n[analysis.fixed_points.continuation]\ndirection = [1, 0, 0]\nfrom = 0\nto = 0.2\nsteps = 3\n";
  write_experiment(path, Experiment{text, RNNLAB_VERSION, {*record_}});
  FixedPointOverrides o;
  o.starts = 256;
  analyze_fixed_points_file(path, o);
  std::lock_guard lock(h5_lock());
  H5::H5File file(path, H5F_ACC_RDONLY);
  H5::Group c = file.openGroup(fmt::format("networks/{}/analysis/fixed_points/continuation", record_->seed));
  const Eigen::VectorXd s = h5::read_vector(c, "s");
  ASSERT_EQ(s.size(), 3);
  EXPECT_DOUBLE_EQ(s(1), 0.1);
  const Eigen::MatrixXd inputs = h5::read_matrix(c, "inputs");  // S x I: u + s * direction
  ASSERT_EQ(inputs.rows(), 3);
  ASSERT_EQ(inputs.cols(), 3);
  EXPECT_DOUBLE_EQ(inputs(2, 0), 0.2);
  EXPECT_DOUBLE_EQ(inputs(2, 1), 0.0);
  EXPECT_GE(h5::read_long_attr(c, "branches"), 8);
  H5::Group points = c.openGroup("points");
  const Eigen::VectorXd step = h5::read_vector(points, "step");
  const std::vector<std::string> stability = h5::read_strings(points, "stability");
  ASSERT_EQ(static_cast<std::size_t>(step.size()), stability.size());
  int stable_at_zero = 0;
  for (Eigen::Index m = 0; m < step.size(); ++m) stable_at_zero += step(m) == 0 && stability[m] == "stable";
  EXPECT_GE(stable_at_zero, 8);
  EXPECT_EQ(h5::read_matrix(points, "readout").cols(), 3);
}

TEST_F(FixedPointE2E, ConditionInputIsTheMeanInputOfThoseTrials) {
  // A synthetic batch: 2 trials of 2 steps, condition "side" = -1 and +1.
  TrialBatch batch;
  batch.steps = 2;
  batch.trials = 2;
  batch.inputs.resize(1, 4);
  batch.inputs << 1, 10, 3, 20;  // columns t * trials + b: (t0,b0) (t0,b1) (t1,b0) (t1,b1)
  batch.conditions.resize(2, 1);
  batch.conditions << -1, 1;
  batch.condition_names = {"side"};
  Network net;
  net.w_in = Eigen::MatrixXd::Zero(5, 1);
  EXPECT_DOUBLE_EQ(constant_input(parse_input_choice("side=1", "in"), net, &batch, "in")(0), 15.0);
  EXPECT_DOUBLE_EQ(constant_input(parse_input_choice("side=-1", "in"), net, &batch, "in")(0), 2.0);
  EXPECT_DOUBLE_EQ(constant_input(parse_input_choice("mean", "in"), net, &batch, "in")(0), 8.5);
  try {
    constant_input(parse_input_choice("sid=1", "--input"), net, &batch, "--input");
    FAIL() << "an unknown condition must be refused";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("did you mean 'side'"), std::string::npos) << e.what();
  }
  try {
    constant_input(parse_input_choice("side=2", "--input"), net, &batch, "--input");
    FAIL() << "a value no trial has must be refused";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("values seen: -1, 1"), std::string::npos) << e.what();
  }
  EXPECT_THROW(constant_input(parse_input_choice("mean", "in"), net, nullptr, "in"), InputError);
}

// ---- an imported network ---------------------------------------------------

TEST_F(FixedPointE2E, ImportedKerasDecisionNetworkEndToEnd) {
  const std::string source = std::string(RNNLAB_FIXTURES_DIR) + "/keras-jarne/dm_ortho_nobias_0_final.hdf5";
  const std::string path = (dir / "dm.h5").string();
  write_experiment(path, Experiment{"[task]\nname = \"simple_dm\"\n", RNNLAB_VERSION, {import_keras(source)}});
  FixedPointOverrides o;
  o.starts = 128;
  o.trials = 16;
  analyze_fixed_points_file(path, o);
  const Stored s = read_stored(path, 0);
  EXPECT_EQ(s.task, "simple_dm");
  EXPECT_EQ(s.starts_from, "trajectories");
  EXPECT_GE(s.fixed_points, 1);
  EXPECT_EQ(s.x.cols(), 100);
  for (long p = 0; p < s.fixed_points; ++p) EXPECT_LE(s.q(p), 1e-12);
  EXPECT_NE(fixed_point_summary(path, 0).find("starts from simple_dm trajectories"), std::string::npos);

  // Without a task the starts come from a box, and the file says so.
  const std::string bare = (dir / "bare.h5").string();
  write_experiment(bare, Experiment{"", RNNLAB_VERSION, {import_keras(source)}});
  std::vector<std::string> lines;
  analyze_fixed_points_file(bare, o, [&](const std::string& line) { lines.push_back(line); });
  const Stored b = read_stored(bare, 0);
  EXPECT_EQ(b.starts_from, "box");
  EXPECT_EQ(b.task, "");
  EXPECT_GE(b.fixed_points, 1);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("no task recorded"), std::string::npos) << lines[0];
  // ... and an input that needs the task is refused, leaving the file as it was.
  o.input = "mean";
  EXPECT_THROW(analyze_fixed_points_file(bare, o), InputError);
}

// ---- [analysis.fixed_points] ----------------------------------------------

std::string config_error(const std::string& table_text) {
  try {
    read_fixed_point_config(table_text, "exp.toml");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(FixedPointE2EConfig, ReadsEveryKeyAndDefaults) {
  const FixedPointConfig d = read_fixed_point_config("[task]\nname = \"flipflop\"\n", "exp.toml");
  EXPECT_EQ(d.sampling.starts, 1024);
  EXPECT_EQ(d.input.kind, InputChoice::Kind::zero);
  EXPECT_EQ(d.options.fixed_tolerance, 1e-12);
  EXPECT_EQ(d.options.slow_speed, 0.1);
  EXPECT_FALSE(d.slow_tolerance);
  EXPECT_FALSE(d.continuation);
  const FixedPointConfig c = read_fixed_point_config(R"(
[analysis.fixed_points]
starts = 300
trials = 10
noise = 0.1
input = [1, 0.5]
seed = 9
tolerance = 1e-10
slow_speed = 0.02
max_iterations = 50
dedup_tolerance = 1e-5
outlier_factor = 3
eigenvectors = 2
threads = 1
[analysis.fixed_points.continuation]
direction = [0, 1]
from = -2
to = 2
steps = 5
[analysis.spectrum]
anything = 1
)",
                                                     "exp.toml");
  EXPECT_EQ(c.sampling.starts, 300);
  EXPECT_EQ(c.sampling.trials, 10);
  EXPECT_EQ(c.sampling.noise, 0.1);
  EXPECT_EQ(c.input.kind, InputChoice::Kind::vector);
  EXPECT_EQ(c.input.values, (std::vector<double>{1.0, 0.5}));
  EXPECT_EQ(c.sampling.seed, 9u);
  EXPECT_EQ(c.options.fixed_tolerance, 1e-10);
  EXPECT_EQ(c.options.slow_speed, 0.02);
  EXPECT_EQ(c.options.max_iterations, 50);
  EXPECT_EQ(c.options.dedup_tolerance, 1e-5);
  EXPECT_EQ(c.options.outlier_factor, 3.0);
  EXPECT_EQ(c.options.eigenvectors, 2);
  EXPECT_EQ(c.options.threads, 1);
  ASSERT_TRUE(c.continuation);
  EXPECT_EQ(c.continuation->direction, (std::vector<double>{0.0, 1.0}));
  EXPECT_EQ(c.continuation->from, -2.0);
  EXPECT_EQ(c.continuation->steps, 5);

  const FixedPointConfig named = read_fixed_point_config("[analysis.fixed_points]\ninput = \"context=1\"\n", "x");
  EXPECT_EQ(named.input.kind, InputChoice::Kind::condition);
  EXPECT_EQ(named.input.name, "context");
  EXPECT_EQ(named.input.value, 1.0);
}

// The one declaration of the defaults: the config's are FixedPointStarts' and
// FixedPointOptions' (Python reads the same through fixed_point_defaults).
TEST(FixedPointE2EConfig, DefaultsAreTheFindersOwn) {
  const FixedPointConfig d = read_fixed_point_config("", "exp.toml");
  const FixedPointStarts s;
  const FixedPointOptions o;
  EXPECT_EQ(d.sampling.starts, s.starts);
  EXPECT_EQ(d.sampling.trials, s.trials);
  EXPECT_EQ(d.sampling.noise, s.noise);
  EXPECT_EQ(d.sampling.seed, s.seed);
  EXPECT_EQ(d.options.fixed_tolerance, o.fixed_tolerance);
  EXPECT_EQ(d.options.slow_speed, o.slow_speed);
  EXPECT_EQ(d.options.dedup_tolerance, o.dedup_tolerance);
  EXPECT_EQ(d.options.polish_iterations, o.polish_iterations);
  EXPECT_EQ(d.options.first_pass_starts, o.first_pass_starts);
}

// The deprecated slow_tolerance (on q = 1/2 alpha^2 speed^2) still reads, as
// slow_speed = sqrt(2 slow_tolerance) / alpha for each network.
TEST(FixedPointE2EConfig, DeprecatedSlowToleranceBecomesASpeedPerNetwork) {
  const FixedPointConfig c = read_fixed_point_config("[analysis.fixed_points]\nslow_tolerance = 2e-4\n", "exp.toml");
  ASSERT_TRUE(c.slow_tolerance);
  Network net;
  for (double alpha : {0.1, 1.0}) {
    net.alpha = alpha;
    EXPECT_NEAR(finder_options(c, net).slow_speed, 0.02 / alpha, 1e-15);
  }
  EXPECT_NE(config_error("[analysis.fixed_points]\nslow_tolerance = 1e-4\nslow_speed = 0.1\n")
                .find("slow_tolerance is deprecated and replaced by analysis.fixed_points.slow_speed"),
            std::string::npos);
  const FixedPointConfig plain = read_fixed_point_config("[analysis.fixed_points]\nslow_speed = 0.3\n", "exp.toml");
  net.alpha = 0.1;
  EXPECT_EQ(finder_options(plain, net).slow_speed, 0.3);
}

TEST(FixedPointE2EConfig, RefusesUnknownKeysWrongTypesAndRanges) {
  EXPECT_EQ(config_error("[analysis.fixed_points]\nstart = 5\n"),
            "exp.toml: unknown key 'analysis.fixed_points.start'; did you mean 'analysis.fixed_points.starts'?");
  const std::string far = config_error("[analysis.fixed_points]\nbananas = 5\n");
  EXPECT_NE(far.find("unknown key 'analysis.fixed_points.bananas' (keys of [analysis.fixed_points]: starts, trials"),
            std::string::npos)
      << far;
  EXPECT_EQ(config_error("[analysis.fixed_points]\nstarts = \"many\"\n"),
            "exp.toml: analysis.fixed_points.starts = 'many' has the wrong type: expected an integer, got a string");
  EXPECT_EQ(config_error("[analysis.fixed_points]\nstarts = 0\n"),
            "exp.toml: analysis.fixed_points.starts = 0 is out of range: must be >= 1");
  EXPECT_EQ(config_error("[analysis.fixed_points]\nnoise = -0.5\n"),
            "exp.toml: analysis.fixed_points.noise = -0.5 is out of range: must be >= 0");
  EXPECT_EQ(config_error("[analysis.fixed_points]\ntolerance = 0\n"),
            "exp.toml: analysis.fixed_points.tolerance = 0 is out of range: must be > 0");
  EXPECT_NE(config_error("[analysis.fixed_points]\ntolerance = 1e-3\nslow_tolerance = 1e-6\n")
                .find("analysis.fixed_points.slow_tolerance = 1e-06 is out of range: must be >= "
                      "analysis.fixed_points.tolerance"),
            std::string::npos);
  const std::string input = config_error("[analysis.fixed_points]\ninput = \"zeros\"\n");
  EXPECT_NE(input.find("analysis.fixed_points.input = 'zeros'"), std::string::npos) << input;
  EXPECT_NE(input.find("must be zero, mean, a task condition NAME=VALUE"), std::string::npos) << input;
  EXPECT_NE(input.find("did you mean 'zero'?"), std::string::npos) << input;
  EXPECT_NE(config_error("[analysis.fixed_points]\ninput = true\n").find("has the wrong type"), std::string::npos);
  EXPECT_EQ(config_error("[analysis.fixed_points.continuation]\ndirection = [1]\nstep = 3\n"),
            "exp.toml: unknown key 'analysis.fixed_points.continuation.step'; did you mean "
            "'analysis.fixed_points.continuation.steps'?");
  EXPECT_NE(config_error("[analysis.fixed_points.continuation]\nfrom = 1\n").find("missing key"), std::string::npos);
  EXPECT_EQ(config_error("[analysis.fixed_point]\nstarts = 5\n"),
            "exp.toml: unknown key 'analysis.fixed_point'; did you mean 'analysis.fixed_points'?");

  FixedPointConfig c;
  FixedPointOverrides o;
  o.starts = 0;
  try {
    apply_overrides(c, o);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "--starts 0 is out of range: must be >= 1");
  }
  o.starts = 5;
  o.input = "1,x";
  EXPECT_THROW(apply_overrides(c, o), InputError);
  o.input = "1, -2.5";
  apply_overrides(c, o);
  EXPECT_EQ(c.sampling.starts, 5);
  EXPECT_EQ(c.input.values, (std::vector<double>{1.0, -2.5}));
}

// ---- the command line --------------------------------------------------------

using testing_support::CommandResult;

CommandResult run_rnnlab(const fs::path& dir, const std::string& args) {
  return testing_support::run_rnnlab(args, dir / "command.log");
}

bool has_fixed_points(const std::string& path, std::uint64_t seed) {
  std::lock_guard lock(h5_lock());
  H5::H5File file(path, H5F_ACC_RDONLY);
  H5::Group root = file.openGroup("/");
  return h5::exists(root, fmt::format("networks/{}/analysis/fixed_points", seed));
}

TEST_F(FixedPointE2E, CliWritesTheGroupAndRefusesAWrongInputLength) {
  const std::string path = flipflop_file();
  const CommandResult bad = run_rnnlab(dir, fmt::format("analyze {} --fixed-points --input 1,0", path));
  EXPECT_EQ(bad.code, 2) << bad.output;
  EXPECT_NE(bad.output.find("--input = 1,0 has 2 number(s) but the network has 3 input(s)"), std::string::npos)
      << bad.output;
  EXPECT_FALSE(has_fixed_points(path, record_->seed)) << "a refused command writes nothing";
  // With an analysis that runs first, the bad option is still refused before anything is written.
  const CommandResult both =
      run_rnnlab(dir, fmt::format("analyze {} --spectrum --fixed-points --input side=1", path));
  EXPECT_EQ(both.code, 2) << both.output;
  EXPECT_NE(both.output.find("side"), std::string::npos) << both.output;
  EXPECT_EQ(both.output.find("--spectrum done"), std::string::npos) << both.output;
  {
    std::lock_guard lock(h5_lock());
    H5::H5File file(path, H5F_ACC_RDONLY);
    H5::Group root = file.openGroup("/");
    EXPECT_FALSE(h5::exists(root, fmt::format("networks/{}/analysis/spectrum", record_->seed)));
  }

  const CommandResult r =
      run_rnnlab(dir, fmt::format("analyze {} --fixed-points --starts 256 --threads 1 --noise 0.02", path));
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("256 starts from 32 flipflop trials"), std::string::npos) << r.output;  // stderr progress
  EXPECT_NE(r.output.find(fmt::format("network {:>4}: ", record_->seed)), std::string::npos) << r.output;
  const Stored s = read_stored(path, record_->seed);
  EXPECT_EQ(s.starts, 256);
  EXPECT_GE(s.stable, 8);

  const CommandResult range = run_rnnlab(dir, fmt::format("analyze {} --fixed-points --starts 0", path));
  EXPECT_EQ(range.code, 2) << range.output;
  EXPECT_NE(range.output.find("--starts 0 is out of range"), std::string::npos) << range.output;
}

}  // namespace
}  // namespace rnnlab

namespace rnnlab {
namespace {

// Issue 12, item 10: `--dynamics` searches the fixed points with the file's
// stored finder configuration, so its signature counts the points that
// `--fixed-points` stores (before, 128 starts of its own found others).
TEST_F(FixedPointE2E, DynamicsCountsThePointsThatFixedPointsStores) {
  const std::string path = flipflop_file();
  analyze_fixed_points_file(path, {}, {});
  const Stored s = read_stored(path, record_->seed);
  ASSERT_GE(s.stable, 8) << "a 3-bit flip-flop holds 8 memories";
  DynamicsOptions o;
  o.trials = 16;
  analyze_dynamics_file(path, o);
  std::lock_guard lock(h5_lock());
  H5::H5File file(path, H5F_ACC_RDONLY);
  const H5::Group d = file.openGroup(fmt::format("networks/{}/analysis/dynamics", record_->seed));
  const std::vector<std::string> names = h5::read_strings(d, "signature_names");
  const Eigen::VectorXd values = h5::read_vector(d, "signature");
  auto feature = [&](const std::string& name) {
    for (std::size_t i = 0; i < names.size(); ++i)
      if (names[i] == name) return values(static_cast<Eigen::Index>(i));
    ADD_FAILURE() << "no signature feature " << name;
    return -1.0;
  };
  EXPECT_EQ(feature("stable_points"), static_cast<double>(s.stable));
  EXPECT_EQ(feature("saddles"), static_cast<double>(s.saddles));
  // Item 3: the search ran once. The dynamics read the stored points back
  // (same finder configuration) instead of searching again: the same points, bit for bit.
  EXPECT_EQ(h5::read_string_attr(d, "fixed_points_from"), "stored");
  const Eigen::MatrixXd dx = h5::read_matrix(d.openGroup("fixed_points"), "x");
  EXPECT_EQ(dx, s.x);
  EXPECT_EQ(h5::read_strings(d.openGroup("fixed_points"), "stability"), s.stability);

  // Item 5: the labels agree with long simulations. The attractor set holds
  // stable points only (a flip-flop never oscillates nor is chaotic), and runs
  // from 16 random states (uniform in [-1, 1]^N) at zero input all stop, each
  // at one of the stable points the search reported.
  for (const std::string& type : h5::read_strings(d.openGroup("attractors"), "type")) EXPECT_EQ(type, "fixed_point");
  const Network& net = record_->trained;
  const Eigen::VectorXd zero = Eigen::VectorXd::Zero(net.inputs());
  Rng rng(17);
  const Eigen::MatrixXd starts = box_starts(net.units(), 16, -1.0, 1.0, rng);
  for (Eigen::Index k = 0; k < starts.cols(); ++k) {
    Eigen::VectorXd x = starts.col(k);
    for (int t = 0; t < 6000; ++t) x = net.step(x, zero);
    EXPECT_LT((net.step(x, zero) - x).cwiseAbs().maxCoeff(), 1e-8) << "start " << k << " still moves";
    double nearest = INFINITY;
    for (Eigen::Index p = 0; p < s.x.rows(); ++p)
      if (s.stability[static_cast<std::size_t>(p)] == "stable") nearest = std::min(nearest, (s.x.row(p).transpose() - x).norm());
    EXPECT_LT(nearest, 1e-3) << "start " << k << " ends away from every reported stable point";
  }
}

TEST_F(FixedPointE2E, DynamicsSearchesAgainWhenTheStoredPointsCameFromOtherOptions) {
  const std::string path = flipflop_file();
  FixedPointOverrides fewer;
  fewer.starts = 64;  // not the file's [analysis.fixed_points] (512)
  analyze_fixed_points_file(path, fewer, {});
  DynamicsOptions o;
  o.trials = 16;
  analyze_dynamics_file(path, o);
  const Stored with_64 = read_stored(path, record_->seed);
  // Now with the file's own options: what the dynamics searched must be these points.
  analyze_fixed_points_file(path, {}, {});
  const Stored with_config = read_stored(path, record_->seed);
  std::lock_guard lock(h5_lock());
  H5::H5File file(path, H5F_ACC_RDONLY);
  const H5::Group d = file.openGroup(fmt::format("networks/{}/analysis/dynamics", record_->seed));
  EXPECT_EQ(h5::read_string_attr(d, "fixed_points_from"), "searched");
  EXPECT_EQ(with_64.starts, 64);
  EXPECT_EQ(h5::read_matrix(d.openGroup("fixed_points"), "x"), with_config.x);
}

}  // namespace
}  // namespace rnnlab
