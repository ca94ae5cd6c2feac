// The config parser: defaults, every key and enumeration, each kind of error
// message, --set overrides and the effective config it records.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "config_support.hpp"
#include "io/config.hpp"
#include "util/error.hpp"

namespace rnnlab {
namespace {

using testing_support::error_of;
using testing_support::parse;

const char* const kMinimal = "[task]\nname = \"flipflop\"\n";

std::string with_model(const std::string& lines) { return std::string(kMinimal) + "[model]\n" + lines + "\n"; }
std::string with_train(const std::string& lines) { return std::string(kMinimal) + "[train]\n" + lines + "\n"; }

#define EXPECT_CONTAINS(haystack, needle) \
  EXPECT_NE(std::string(haystack).find(needle), std::string::npos) << "message: " << (haystack)

TEST(Config, DefaultsAreTheStructDefaults) {
  const ExperimentConfig c = parse(kMinimal);
  const ModelSpec m;
  EXPECT_EQ(c.model.units, m.units);
  EXPECT_EQ(c.model.activation, m.activation);
  EXPECT_EQ(c.model.dt, m.dt);
  EXPECT_EQ(c.model.tau, m.tau);
  EXPECT_EQ(c.model.init, m.init);
  EXPECT_EQ(c.model.gain, m.gain);
  EXPECT_EQ(c.model.spectral_radius, m.spectral_radius);
  EXPECT_EQ(c.model.mu_e, m.mu_e);
  EXPECT_EQ(c.model.mu_i, m.mu_i);
  EXPECT_EQ(c.model.sigma_e, m.sigma_e);
  EXPECT_EQ(c.model.sigma_i, m.sigma_i);
  EXPECT_EQ(c.model.balance, m.balance);
  EXPECT_EQ(c.model.zero_row_sums, m.zero_row_sums);
  EXPECT_EQ(c.model.input_gain, m.input_gain);
  EXPECT_EQ(c.model.x0_std, m.x0_std);
  EXPECT_EQ(c.model.bias, m.bias);
  EXPECT_EQ(c.model.x0, m.x0);
  EXPECT_EQ(c.model.sigma_rec, m.sigma_rec);
  EXPECT_EQ(c.model.sigma_in, m.sigma_in);
  EXPECT_EQ(c.model.dale, m.dale);
  EXPECT_EQ(c.model.e_fraction, m.e_fraction);
  EXPECT_EQ(c.model.input_nonnegative, m.input_nonnegative);
  EXPECT_EQ(c.model.readout_excitatory, m.readout_excitatory);
  EXPECT_EQ(c.model.connectivity, m.connectivity);
  EXPECT_EQ(c.model.autapses, m.autapses);
  EXPECT_EQ(c.model.freeze, m.freeze);

  const TrainSpec t;
  EXPECT_EQ(c.train.iterations, t.iterations);
  EXPECT_EQ(c.train.batch, t.batch);
  EXPECT_EQ(c.train.learning_rate, t.learning_rate);
  EXPECT_EQ(c.train.beta1, t.beta1);
  EXPECT_EQ(c.train.beta2, t.beta2);
  EXPECT_EQ(c.train.epsilon, t.epsilon);
  EXPECT_EQ(c.train.clip, t.clip);
  EXPECT_EQ(c.train.l2_weights, t.l2_weights);
  EXPECT_EQ(c.train.l2_rates, t.l2_rates);
  EXPECT_EQ(c.train.target_loss, t.target_loss);
  EXPECT_EQ(c.train.validate_every, t.validate_every);
  EXPECT_EQ(c.train.validation_trials, t.validation_trials);
  EXPECT_EQ(c.train.checkpoint_every, t.checkpoint_every);
  EXPECT_EQ(c.train.seed, t.seed);

  EXPECT_EQ(c.ensemble.seeds, EnsembleSpec{}.seeds);
  EXPECT_EQ(c.ensemble.threads, EnsembleSpec{}.threads);
  EXPECT_EQ(c.output.path, "");
  EXPECT_EQ(c.seeds(), std::vector<std::uint64_t>{1});
}

TEST(Config, TaskParamsAreCompleteAndShapeTheModel) {
  const ExperimentConfig c = parse("[task]\nname = \"flipflop\"\nbits = 2\n");
  EXPECT_EQ(c.task.name, "flipflop");
  const TaskInfo* info = find_task("flipflop");
  ASSERT_NE(info, nullptr);
  for (const auto& spec : info->params) EXPECT_EQ(c.task.params.count(spec.name), 1u) << spec.name;
  EXPECT_EQ(c.task.params.size(), info->params.size());
  EXPECT_EQ(std::get<double>(c.task.params.at("bits")), 2.0);  // TOML integers arrive as numbers
  EXPECT_EQ(c.model.inputs, 2);
  EXPECT_EQ(c.model.outputs, 2);
}

TEST(Config, ReadsEveryKey) {
  const ExperimentConfig c = parse(R"(
[task]
name = "flipflop"
[model]
units = 17
activation = "softplus"
dt = 5
tau = 20.0
init = "ei"
gain = 1.5
spectral_radius = 0.9
mu_e = 2.0
mu_i = -3
sigma_e = 0.5
sigma_i = 0.25
balance = false
zero_row_sums = true
input_gain = 0.3
x0_std = 0.2
bias = false
x0 = "learned"
sigma_rec = 0.05
sigma_in = 0.01
dale = true
e_fraction = 0.75
input_nonnegative = true
readout_excitatory = true
connectivity = 0.5
autapses = false
freeze = ["w_in", "b_out"]
[train]
iterations = 10
batch = 8
learning_rate = 0.01
beta1 = 0.8
beta2 = 0.99
epsilon = 1e-6
clip = 0
l2_weights = 1e-4
l2_rates = 1e-3
target_loss = 0.001
validate_every = 5
validation_trials = 64
checkpoint_every = 0
seed = 42
[ensemble]
seeds = 4
threads = 2
[output]
path = "out/run.h5"
)");
  const ModelSpec& m = c.model;
  EXPECT_EQ(m.units, 17);
  EXPECT_EQ(m.activation, Activation::softplus);
  EXPECT_EQ(m.dt, 5.0);
  EXPECT_EQ(m.tau, 20.0);
  EXPECT_DOUBLE_EQ(m.alpha(), 0.25);
  EXPECT_EQ(m.init, InitKind::ei);
  EXPECT_EQ(m.gain, 1.5);
  EXPECT_EQ(m.spectral_radius, 0.9);
  EXPECT_EQ(m.mu_e, 2.0);
  EXPECT_EQ(m.mu_i, -3.0);
  EXPECT_EQ(m.sigma_e, 0.5);
  EXPECT_EQ(m.sigma_i, 0.25);
  EXPECT_FALSE(m.balance);
  EXPECT_TRUE(m.zero_row_sums);
  EXPECT_EQ(m.input_gain, 0.3);
  EXPECT_EQ(m.x0_std, 0.2);
  EXPECT_FALSE(m.bias);
  EXPECT_EQ(m.x0, X0Mode::learned);
  EXPECT_EQ(m.sigma_rec, 0.05);
  EXPECT_EQ(m.sigma_in, 0.01);
  EXPECT_TRUE(m.dale);
  EXPECT_EQ(m.e_fraction, 0.75);
  EXPECT_TRUE(m.input_nonnegative);
  EXPECT_TRUE(m.readout_excitatory);
  EXPECT_EQ(m.connectivity, 0.5);
  EXPECT_FALSE(m.autapses);
  EXPECT_EQ(m.freeze, (std::vector<std::string>{"w_in", "b_out"}));
  const TrainSpec& t = c.train;
  EXPECT_EQ(t.iterations, 10);
  EXPECT_EQ(t.batch, 8);
  EXPECT_EQ(t.learning_rate, 0.01);
  EXPECT_EQ(t.beta1, 0.8);
  EXPECT_EQ(t.beta2, 0.99);
  EXPECT_EQ(t.epsilon, 1e-6);
  EXPECT_EQ(t.clip, 0.0);
  EXPECT_EQ(t.l2_weights, 1e-4);
  EXPECT_EQ(t.l2_rates, 1e-3);
  EXPECT_EQ(t.target_loss, 0.001);
  EXPECT_EQ(t.validate_every, 5);
  EXPECT_EQ(t.validation_trials, 64);
  EXPECT_EQ(t.checkpoint_every, 0);
  EXPECT_EQ(t.seed, 42u);
  EXPECT_EQ(c.ensemble.seeds, 4);
  EXPECT_EQ(c.ensemble.threads, 2);
  EXPECT_EQ(c.output.path, "out/run.h5");
  EXPECT_EQ(c.seeds(), (std::vector<std::uint64_t>{42, 43, 44, 45}));
}

TEST(Config, EveryEnumerationValue) {
  for (const auto& name : activation_names()) {
    const auto c = parse(with_model("activation = \"" + name + "\""));
    EXPECT_EQ(to_string(c.model.activation), name);
  }
  const std::vector<std::pair<std::string, InitKind>> inits = {
      {"normal", InitKind::normal}, {"orthogonal", InitKind::orthogonal}, {"ei", InitKind::ei}};
  for (const auto& [name, kind] : inits) EXPECT_EQ(parse(with_model("init = \"" + name + "\"")).model.init, kind);
  const std::vector<std::pair<std::string, X0Mode>> modes = {
      {"zero", X0Mode::zero}, {"fixed", X0Mode::fixed}, {"learned", X0Mode::learned}};
  for (const auto& [name, mode] : modes) EXPECT_EQ(parse(with_model("x0 = \"" + name + "\"")).model.x0, mode);
  const auto all = parse(with_model(R"(freeze = ["w_in", "w_rec", "w_out", "b", "b_out", "x0", "b"])"));
  EXPECT_EQ(all.model.freeze, (std::vector<std::string>{"w_in", "w_rec", "w_out", "b", "b_out", "x0"}));
}

TEST(Config, UnknownKeySuggestsTheNearest) {
  EXPECT_EQ(error_of(with_model("unitz = 3")), "config.toml: unknown key 'model.unitz'; did you mean 'model.units'?");
  EXPECT_CONTAINS(error_of(with_train("learning_rat = 0.1")), "did you mean 'train.learning_rate'?");
  // A key of another section points there.
  EXPECT_CONTAINS(error_of(with_model("seed = 3")), "unknown key 'model.seed'; did you mean 'train.seed'?");
  // Nothing close: the section's keys are listed instead.
  EXPECT_CONTAINS(error_of(std::string(kMinimal) + "[ensemble]\nxyzzy = 1\n"), "keys of [ensemble]: seeds, threads");
  EXPECT_CONTAINS(error_of(std::string(kMinimal) + "[modle]\nunits = 3\n"), "unknown section 'modle'; did you mean 'model'?");
  EXPECT_CONTAINS(error_of("units = 3\n" + std::string(kMinimal)), "did you mean 'model.units'?");
  EXPECT_CONTAINS(error_of("[task]\nname = \"flipflop\"\nbitz = 2\n"), "unknown key 'task.bitz'; did you mean 'task.bits'?");
  EXPECT_CONTAINS(error_of("[task]\nname = \"flipflop\"\nunits = 2\n"), "unknown key 'task.units'; did you mean 'model.units'?");
}

TEST(Config, WrongTypeNamesKeyValueAndType) {
  const std::string text = error_of(with_model("units = \"many\""));
  EXPECT_CONTAINS(text, "config.toml: model.units = ");
  EXPECT_CONTAINS(text, "many");
  EXPECT_CONTAINS(text, "expected an integer, got a string");
  // Floats for integer keys are refused, integers for float keys are fine.
  EXPECT_CONTAINS(error_of(with_model("units = 64.0")), "expected an integer, got a float");
  EXPECT_EQ(parse(with_model("gain = 2")).model.gain, 2.0);
  EXPECT_CONTAINS(error_of(with_model("dale = 1")), "model.dale = 1 has the wrong type: expected a boolean");
  EXPECT_CONTAINS(error_of(with_model("gain = \"big\"")), "expected a number, got a string");
  EXPECT_CONTAINS(error_of(with_model("freeze = \"w_in\"")), "expected an array of strings");
  EXPECT_CONTAINS(error_of(with_model("activation = 3")), "model.activation = 3 has the wrong type");
  EXPECT_CONTAINS(error_of("model = 3\n" + std::string(kMinimal)), "model = 3 has the wrong type: expected a section");
  EXPECT_CONTAINS(error_of("[task]\nname = \"flipflop\"\nbits = [1]\n"), "task.bits");
}

TEST(Config, OutOfRangeNamesKeyValueAndRange) {
  EXPECT_EQ(error_of(with_model("units = 0")), "config.toml: model.units = 0 is out of range: must be >= 1");
  EXPECT_CONTAINS(error_of(with_model("dt = 0")), "model.dt = 0 is out of range: must be > 0");
  EXPECT_CONTAINS(error_of(with_model("dt = 10\ntau = 5")), "model.tau = 5.0 is out of range: must be >= model.dt");
  EXPECT_EQ(parse(with_model("dt = 10\ntau = 10")).model.alpha(), 1.0);  // the discrete network
  EXPECT_CONTAINS(error_of(with_model("e_fraction = 1")), "model.e_fraction = 1 is out of range: must be in (0, 1)");
  EXPECT_CONTAINS(error_of(with_model("e_fraction = 0.0")), "must be in (0, 1)");
  EXPECT_CONTAINS(error_of(with_model("connectivity = 0")), "must be in (0, 1]");
  EXPECT_EQ(parse(with_model("connectivity = 1")).model.connectivity, 1.0);
  EXPECT_CONTAINS(error_of(with_model("gain = -1")), "model.gain = -1 is out of range: must be >= 0");
  EXPECT_CONTAINS(error_of(with_model("gain = nan")), "model.gain = nan is out of range");
  EXPECT_CONTAINS(error_of(with_model("sigma_rec = -0.1")), "model.sigma_rec = -0.1 is out of range: must be >= 0");
  EXPECT_CONTAINS(error_of(with_model("mu_e = inf")), "must be finite");
  EXPECT_CONTAINS(error_of(with_model("units = 3000000000")), "must be in [1, 2147483647]");
  EXPECT_CONTAINS(error_of(with_train("iterations = 0")), "train.iterations = 0 is out of range: must be >= 1");
  EXPECT_CONTAINS(error_of(with_train("batch = -2")), "train.batch = -2 is out of range: must be >= 1");
  EXPECT_CONTAINS(error_of(with_train("learning_rate = 0")), "train.learning_rate = 0 is out of range: must be > 0");
  EXPECT_CONTAINS(error_of(with_train("beta1 = 1")), "must be in [0, 1)");
  EXPECT_CONTAINS(error_of(with_train("seed = -1")), "train.seed = -1 is out of range: must be >= 0");
  EXPECT_CONTAINS(error_of(std::string(kMinimal) + "[ensemble]\nseeds = 0\n"), "ensemble.seeds = 0 is out of range: must be >= 1");
  EXPECT_CONTAINS(error_of(std::string(kMinimal) + "[ensemble]\nthreads = -1\n"), "must be >= 0");
  EXPECT_CONTAINS(error_of(with_model("readout_excitatory = true")), "needs model.dale = true");
  // Task parameters are checked by the task registry; the message says where.
  const std::string bits = error_of("[task]\nname = \"flipflop\"\nbits = 0\n");
  EXPECT_CONTAINS(bits, "config.toml: ");
  EXPECT_CONTAINS(bits, "task.bits");
}

TEST(Config, BadEnumerationListsTheAllowedValues) {
  EXPECT_EQ(error_of(with_model("activation = \"tanhh\"")),
            "config.toml: model.activation = 'tanhh' is not allowed: must be one of tanh, relu, softplus, sigmoid, "
            "retanh, linear; did you mean 'tanh'?");
  EXPECT_CONTAINS(error_of(with_model("init = \"gaussian\"")), "must be one of normal, orthogonal, ei");
  EXPECT_CONTAINS(error_of(with_model("x0 = \"random\"")), "must be one of zero, fixed, learned");
  EXPECT_CONTAINS(error_of(with_model("freeze = [\"w_recc\"]")), "'w_recc' is not allowed");
  EXPECT_CONTAINS(error_of(with_model("freeze = [\"w_recc\"]")), "did you mean 'w_rec'?");
}

TEST(Config, TaskNameIsRequiredAndChecked) {
  EXPECT_CONTAINS(error_of("[model]\nunits = 3\n"), "config.toml: missing section [task]");
  EXPECT_CONTAINS(error_of("[task]\nbits = 3\n"), "missing key 'task.name'");
  EXPECT_CONTAINS(error_of("[task]\nname = \"flipflp\"\n"), "did you mean 'flipflop'?");
  EXPECT_CONTAINS(error_of("[task]\nname = 3\n"), "task.name = 3 has the wrong type: expected a string");
}

TEST(Config, OverridesAreAppliedAndRecorded) {
  const std::vector<std::string> sets = {"model.units=128", "model.activation=relu", "train.learning_rate=0.01",
                                         "model.freeze=[\"w_in\"]", "task.bits=2", "output.path=runs/a.h5",
                                         "model.dale=true", "ensemble.seeds=3"};
  const ExperimentConfig c = parse(with_model("units = 7"), sets);
  EXPECT_EQ(c.model.units, 128);
  EXPECT_EQ(c.model.activation, Activation::relu);
  EXPECT_EQ(c.train.learning_rate, 0.01);
  EXPECT_EQ(c.model.freeze, std::vector<std::string>{"w_in"});
  EXPECT_EQ(c.model.inputs, 2);
  EXPECT_EQ(c.output.path, "runs/a.h5");
  EXPECT_TRUE(c.model.dale);
  EXPECT_EQ(c.ensemble.seeds, 3);
  EXPECT_CONTAINS(c.toml_text, "# --set model.units=128");
  // The recorded text is the effective config: reading it back gives the same run.
  const ExperimentConfig again = parse(c.toml_text);
  EXPECT_EQ(again.model.units, 128);
  EXPECT_EQ(again.model.activation, Activation::relu);
  EXPECT_EQ(again.model.freeze, std::vector<std::string>{"w_in"});
  EXPECT_EQ(std::get<double>(again.task.params.at("bits")), 2.0);
  EXPECT_EQ(again.output.path, "runs/a.h5");
}

TEST(Config, EffectiveConfigIsAFixedPoint) {
  const ExperimentConfig c = parse(with_model("gain = 0.1\ndt = 1\ntau = 3") + "[train]\nepsilon = 1e-9\nseed = 9\n");
  const ExperimentConfig again = parse(c.toml_text);
  const ExperimentConfig third = parse(again.toml_text);
  EXPECT_EQ(again.toml_text, third.toml_text);
  EXPECT_EQ(again.model.gain, 0.1);  // shortest round-trip text keeps doubles exact
  EXPECT_EQ(again.model.tau, 3.0);
  EXPECT_EQ(again.train.epsilon, 1e-9);
  EXPECT_EQ(again.train.seed, 9u);
  EXPECT_EQ(again.task.params, c.task.params);
  // Strings with quotes, backslashes, newlines and non-ASCII text survive.
  const std::string odd = "runs/\"quoted\" \\ path\nline 2 \u03c4";
  const ExperimentConfig with_path = parse(kMinimal, {"output.path=" + odd});
  EXPECT_EQ(with_path.output.path, odd);
  EXPECT_EQ(parse(with_path.toml_text).output.path, odd);
  // Every key is written, defaults included.
  for (const char* key : {"units = ", "spectral_radius = ", "freeze = ", "validation_trials = ", "threads = ",
                          "path = ", "bits = ", "duration = "})
    EXPECT_CONTAINS(c.toml_text, key);
}

TEST(Config, BadOverrides) {
  EXPECT_EQ(error_of(kMinimal, {"model.unitz=3"}),
            "--set model.unitz=3: unknown key 'model.unitz'; did you mean 'model.units'?");
  EXPECT_CONTAINS(error_of(kMinimal, {"model.units=abc"}), "--set model.units=abc: model.units = 'abc' has the wrong type");
  EXPECT_CONTAINS(error_of(kMinimal, {"model.units"}), "--set model.units: expected section.key=value");
  EXPECT_CONTAINS(error_of(kMinimal, {"units=3"}), "did you mean 'model.units'?");
  EXPECT_CONTAINS(error_of(kMinimal, {"modle.units=3"}), "--set modle.units=3: unknown section 'modle'");
  EXPECT_CONTAINS(error_of(kMinimal, {"model.units=0"}), "--set model.units=0: model.units = 0 is out of range");
  EXPECT_CONTAINS(error_of(kMinimal, {"task.bits=0"}), "--set task.bits=0: ");
  // A value that smuggles in a second key is taken as one string, not as TOML.
  EXPECT_CONTAINS(error_of(kMinimal, {"model.units=3\nbias = false"}), "has the wrong type");
}

TEST(Config, AnalysisTableIsAcceptedAndKept) {
  const ExperimentConfig c =
      parse(std::string(kMinimal) + "[analysis]\nspectrum = true\n[analysis.fixed_points]\nstarts = 64\n");
  EXPECT_CONTAINS(c.toml_text, "[analysis.fixed_points]");
  EXPECT_CONTAINS(c.toml_text, "starts = 64");
  EXPECT_NO_THROW(parse(c.toml_text));
  EXPECT_NO_THROW(parse(kMinimal, {"analysis.fixed_points.tolerance=1e-8"}));
}

TEST(Config, SeedsCountUpFromTrainSeed) {
  ExperimentConfig c = parse(std::string(kMinimal) + "[train]\nseed = 7\n[ensemble]\nseeds = 3\n");
  EXPECT_EQ(c.seeds(), (std::vector<std::uint64_t>{7, 8, 9}));
}

class ConfigFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("rnnlab_config_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& text) {
    const auto path = (dir_ / name).string();
    std::ofstream(path) << text;
    return path;
  }
  std::filesystem::path dir_;
};

TEST_F(ConfigFile, LoadsAndAppliesOverrides) {
  const auto path = write("ok.toml", with_model("units = 12"));
  const ExperimentConfig c = load_config(path, {"model.units=13"});
  EXPECT_EQ(c.model.units, 13);
}

TEST_F(ConfigFile, MissingFileIsNamed) {
  const auto path = (dir_ / "absent.toml").string();
  try {
    load_config(path);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_CONTAINS(e.what(), path);
    EXPECT_CONTAINS(e.what(), "no such file");
  }
}

TEST_F(ConfigFile, SyntaxErrorGivesFileLineAndColumn) {
  const auto path = write("bad.toml", "[task]\nname = \"flipflop\"\nunits = = 3\n");
  try {
    load_config(path);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_CONTAINS(e.what(), path + ":3:");
    EXPECT_CONTAINS(e.what(), "TOML syntax error");
  }
}

TEST_F(ConfigFile, ErrorsNameTheFile) {
  const auto path = write("typo.toml", with_model("unitz = 3"));
  try {
    load_config(path);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), path + ": unknown key 'model.unitz'; did you mean 'model.units'?");
  }
}

}  // namespace
}  // namespace rnnlab

namespace rnnlab {
namespace {

// [analysis.fixed_points] is checked when the config is read, before training.
TEST(ConfigAnalysis, FixedPointMistakesAreRefusedBeforeTraining) {
  const std::string base = "[task]\nname = \"flipflop\"\n[analysis.fixed_points]\n";
  EXPECT_NO_THROW(parse_config(base + "starts = 64\n", "c.toml"));
  try {
    parse_config(base + "startz = 64\n", "c.toml");
    FAIL() << "an unknown key was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("analysis.fixed_points.startz"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("starts"), std::string::npos) << e.what();
  }
  EXPECT_THROW(parse_config(base + "starts = -3\n", "c.toml"), InputError);
}

// The task of a file's config, for eval and analyses of imported networks.
TEST(ConfigAnalysis, TaskTableOfAFileConfig) {
  const ExperimentConfig c = parse_config("[task]\nname = \"logic\"\nop = \"and\"\n", "c.toml");
  const std::string task = task_table_text(c.toml_text, "f.h5");
  EXPECT_NE(task.find("name = 'logic'"), std::string::npos) << task;
  EXPECT_NE(task.find("op = 'and'"), std::string::npos) << task;
  EXPECT_EQ(task_table_text("[import]\ndt = 1.0\n", "f.h5"), "");
  EXPECT_THROW(task_table_text("[task\n", "f.h5"), InputError);
}

}  // namespace
}  // namespace rnnlab
