// `rnnlab import`, `analyze`, `eval` and the spectral line of `info`, run as a
// user runs them (the binary), on the Keras fixtures (issue 3).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <H5Cpp.h>
#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <algorithm>
#include <sstream>

#include "io/experiment_file.hpp"
#include "io/h5.hpp"
#include "io/import.hpp"
#include "test_support.hpp"

namespace rnnlab {
namespace {

namespace fs = std::filesystem;

const std::string kFixtures = std::string(RNNLAB_FIXTURES_DIR) + "/keras-jarne/";
const std::string kDm = kFixtures + "dm_ortho_nobias_0_final.hdf5";

using testing_support::CommandResult;

class CliAnalysis : public ::testing::Test {
 protected:
  void SetUp() override { dir = testing_support::fresh_test_dir("rnnlab-cli-analysis"); }
  void TearDown() override { fs::remove_all(dir); }

  CommandResult run(const std::string& args) {
    return testing_support::run_rnnlab(args, dir / "command.log");
  }
  std::string out(const std::string& name = "out.h5") { return (dir / name).string(); }
  // Files in the test folder: a refused command must leave none (no temporaries either).
  std::vector<std::string> files() {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
    return names;
  }
  // Imports dm_ortho_nobias_0 into out() (extra arguments appended).
  void import_dm(const std::string& extra = "") {
    const CommandResult r = run(fmt::format("import {} -o {} {}", kDm, out(), extra));
    ASSERT_EQ(r.code, 0) << r.output;
  }

  fs::path dir;
};

// The number after "key": in a JSON text (first occurrence at or after `from`).
double json_value(const std::string& json, const std::string& key, std::size_t from = 0) {
  const std::size_t at = json.find("\"" + key + "\": ", from);
  if (at == std::string::npos) return NAN;
  return std::stod(json.substr(at + key.size() + 4));
}

TEST_F(CliAnalysis, ImportAnalyzeStoresTheReadmeSpectralRadius) {
  import_dm();
  const CommandResult r = run(fmt::format("analyze {} --spectrum", out()));
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("network    0: N=100 rho=1.054"), std::string::npos) << r.output;
  EXPECT_EQ(files(), std::vector<std::string>{"out.h5"}) << "no temporary left beside the file";

  std::lock_guard lock(h5_lock());
  H5::H5File f(out(), H5F_ACC_RDONLY);
  const H5::Group net = f.openGroup("networks/0");
  EXPECT_EQ(h5::read_string_attr(net, "origin"), "keras:dm_ortho_nobias_0_final.hdf5");
  EXPECT_EQ(h5::read_string_attr(net, "status"), "imported");
  const H5::Group trained = f.openGroup("networks/0/analysis/spectrum/trained");
  EXPECT_NEAR(h5::read_double_attr(trained, "spectral_radius"), 1.054, 1e-3);  // fixtures README
  EXPECT_NEAR(std::abs(h5::read_complex_vector(trained, "eigenvalues")(0)), 1.054, 1e-3);
  // An import has no initialiser, so no initial spectrum and no spec-based theory
  // (the [import] config must not pass for a training config with default init).
  EXPECT_FALSE(h5::exists(f.openGroup("networks/0/analysis/spectrum"), "initial"));
  EXPECT_TRUE(std::isnan(h5::read_double_attr(trained.openGroup("theory"), "circular_law_radius")));
}

TEST_F(CliAnalysis, EvalOnTheNamedTaskReachesTheFixtureAccuracy) {
  import_dm();
  const CommandResult r = run(fmt::format("eval {} --task simple_dm --trials 400 --json", out()));
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("\"task\": \"simple_dm\""), std::string::npos) << r.output;
  EXPECT_GE(json_value(r.output, "accuracy"), 0.95) << r.output;
  EXPECT_LT(json_value(r.output, "loss"), 0.1) << r.output;

  // Task parameters changed with --set reach the task: on pulse-only trials
  // with input noise 100x the trained one (sd 5 against a unit pulse) the
  // network is at chance (about 0.5; it scores 1.0 without the noise).
  const CommandResult noisy = run(fmt::format(
      "eval {} --task simple_dm --set task.noise=5 --set task.no_pulse_probability=0 --trials 400 --json", out()));
  ASSERT_EQ(noisy.code, 0) << noisy.output;
  EXPECT_LT(json_value(noisy.output, "accuracy"), 0.7) << noisy.output;
}

TEST_F(CliAnalysis, EvalOfAnImportNeedsATaskUnlessOneWasRecorded) {
  import_dm();
  const CommandResult r = run(fmt::format("eval {}", out()));
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find("--task"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find(out()), std::string::npos) << r.output;

  // Recorded at import, the task (with its changed parameter) is what eval runs.
  const CommandResult imported =
      run(fmt::format("import {} -o {} --task simple_dm --set task.noise=0.06", kDm, out("with_task.h5")));
  ASSERT_EQ(imported.code, 0) << imported.output;
  const CommandResult own = run(fmt::format("eval {} --json", out("with_task.h5")));
  ASSERT_EQ(own.code, 0) << own.output;
  EXPECT_GE(json_value(own.output, "accuracy"), 0.95) << own.output;
  const Experiment exp = read_experiment(out("with_task.h5"));
  EXPECT_NE(exp.config.find("[import]"), std::string::npos) << exp.config;
  EXPECT_NE(exp.config.find("noise = 0.06"), std::string::npos) << exp.config;
  EXPECT_NE(exp.config.find("dm_ortho_nobias_0_final.hdf5"), std::string::npos) << exp.config;

  // eval --set takes task keys only, and names a bad one.
  const CommandResult model_key = run(fmt::format("eval {} --set model.dt=5", out("with_task.h5")));
  EXPECT_EQ(model_key.code, 2) << model_key.output;
  EXPECT_NE(model_key.output.find("task.*"), std::string::npos) << model_key.output;
  const CommandResult bad_key = run(fmt::format("eval {} --set task.noize=5", out("with_task.h5")));
  EXPECT_EQ(bad_key.code, 2) << bad_key.output;
  EXPECT_NE(bad_key.output.find("task.noise"), std::string::npos) << "did-you-mean:\n" << bad_key.output;
  // A task whose shape does not fit (flipflop with 3 bits: 3 inputs) is refused.
  const CommandResult misfit = run(fmt::format("eval {} --task flipflop --set task.bits=3", out("with_task.h5")));
  EXPECT_EQ(misfit.code, 2) << misfit.output;
  EXPECT_NE(misfit.output.find("input"), std::string::npos) << misfit.output;
}

TEST_F(CliAnalysis, BrokenSourceIsRefusedAndNothingIsWritten) {
  const std::string broken = kFixtures + "empty_weights_initial.hdf5";
  const CommandResult r = run(fmt::format("import {} -o {}", broken, out()));
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find("empty_weights_initial.hdf5"), std::string::npos) << r.output;
  EXPECT_TRUE(files().empty()) << "nothing may be written";

  // A good source before the broken one is not written either.
  const CommandResult two = run(fmt::format("import {} {} -o {}", kDm, broken, out()));
  EXPECT_EQ(two.code, 2) << two.output;
  EXPECT_TRUE(files().empty());

  // Not HDF5 at all.
  std::ofstream(out("junk.hdf5")) << "not hdf5";
  const CommandResult junk = run(fmt::format("import {} -o {}", out("junk.hdf5"), out()));
  EXPECT_EQ(junk.code, 2) << junk.output;
  EXPECT_NE(junk.output.find("junk.hdf5"), std::string::npos) << junk.output;
  EXPECT_FALSE(fs::exists(out()));

  // An unknown task is refused before any source is read.
  const CommandResult task = run(fmt::format("import {} -o {} --task simple_dn", kDm, out()));
  EXPECT_EQ(task.code, 2) << task.output;
  EXPECT_NE(task.output.find("simple_dm"), std::string::npos) << task.output;
  EXPECT_FALSE(fs::exists(out()));
}

TEST_F(CliAnalysis, ImportKeepsAnExistingOutputWithoutForce) {
  std::ofstream(out()) << "precious";
  const CommandResult r = run(fmt::format("import {} -o {}", kDm, out()));
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find("--force"), std::string::npos) << r.output;
  std::ifstream in(out());
  std::string content;
  in >> content;
  EXPECT_EQ(content, "precious");
  const CommandResult forced = run(fmt::format("import {} -o {} --force", kDm, out()));
  EXPECT_EQ(forced.code, 0) << forced.output;
}

TEST_F(CliAnalysis, SeveralSourcesBecomeSeedsInOrder) {
  const std::string second = kFixtures + "dm_normal105_nobias_0_final.hdf5";
  const CommandResult r = run(fmt::format("import {} {} -o {} --dt 10 --tau 20", kDm, second, out()));
  ASSERT_EQ(r.code, 0) << r.output;
  const Experiment exp = read_experiment(out());
  ASSERT_EQ(exp.networks.size(), 2u);
  EXPECT_EQ(exp.networks[0].seed, 0u);
  EXPECT_EQ(exp.networks[0].origin, "keras:dm_ortho_nobias_0_final.hdf5");
  EXPECT_EQ(exp.networks[1].seed, 1u);
  EXPECT_EQ(exp.networks[1].origin, "keras:dm_normal105_nobias_0_final.hdf5");
  EXPECT_DOUBLE_EQ(exp.networks[1].trained.alpha, 0.5);
  EXPECT_DOUBLE_EQ(exp.networks[1].trained.dt, 10.0);
  EXPECT_EQ(exp.networks[1].trained.w_rec, import_keras(second).trained.w_rec);
}

TEST_F(CliAnalysis, AnalyzeRefusesMissingFlagsAndFiles) {
  import_dm();
  const CommandResult none = run(fmt::format("analyze {}", out()));
  EXPECT_EQ(none.code, 2) << none.output;
  EXPECT_NE(none.output.find("--spectrum"), std::string::npos) << "should list the analyses:\n" << none.output;

  const CommandResult missing = run(fmt::format("analyze {} --spectrum", out("nope.h5")));
  EXPECT_EQ(missing.code, 2) << missing.output;
  EXPECT_NE(missing.output.find("nope.h5"), std::string::npos) << missing.output;

  // A file that is not an experiment (here a Keras model) is refused and left as it was.
  const std::string keras_copy = out("model.hdf5");
  fs::copy_file(kDm, keras_copy);
  const auto size = fs::file_size(keras_copy);
  const CommandResult foreign = run(fmt::format("analyze {} --spectrum", keras_copy));
  EXPECT_EQ(foreign.code, 2) << foreign.output;
  EXPECT_NE(foreign.output.find("model.hdf5"), std::string::npos) << foreign.output;
  EXPECT_EQ(fs::file_size(keras_copy), size);
  std::vector<std::string> names = files();
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"model.hdf5", "out.h5"})) << "no temporaries left";
}

TEST_F(CliAnalysis, InfoShowsTheSpectralLine) {
  import_dm();
  const CommandResult r = run(fmt::format("info {}", out()));
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("spectrum N=100 rho=1.054"), std::string::npos) << r.output;
  const CommandResult json = run(fmt::format("info {} --json", out()));
  ASSERT_EQ(json.code, 0) << json.output;
  EXPECT_NE(json.output.find("\"spectrum\": \"N=100 rho=1.054"), std::string::npos) << json.output;
}

// PyTorch-named arrays -> `rnnlab import --format torch` -> arrays: exact.
TEST_F(CliAnalysis, TorchRoundTripThroughTheCommandLineIsExact) {
  Network net;
  const int n = 7, inputs = 3, outputs = 2;
  std::srand(5);
  net.w_in = Eigen::MatrixXd::Random(n, inputs);
  net.w_rec = Eigen::MatrixXd::Random(n, n) / 3.0;
  net.w_out = Eigen::MatrixXd::Random(outputs, n);
  net.b = Eigen::VectorXd::Random(n);
  net.b_out = Eigen::VectorXd::Random(outputs);
  net.x0 = Eigen::VectorXd::Random(n);
  net.activation = Activation::relu;
  net.dt = 10.0;
  net.alpha = 0.25;
  const std::string arrays = out("torch_in.h5");
  export_torch_arrays(net, arrays);

  for (const std::string format : {"--format torch", ""}) {  // given, and detected from weight_hh_l0
    SCOPED_TRACE(format.empty() ? "auto" : format);
    const CommandResult r = run(fmt::format("import {} -o {} --dt 10 --tau 40 --force {}", arrays, out(), format));
    ASSERT_EQ(r.code, 0) << r.output;
    const Experiment exp = read_experiment(out());
    ASSERT_EQ(exp.networks.size(), 1u);
    const Network& back = exp.networks[0].trained;
    EXPECT_EQ(exp.networks[0].origin, "torch:torch_in.h5");
    EXPECT_EQ(back.w_in, net.w_in);
    EXPECT_EQ(back.w_rec, net.w_rec);
    EXPECT_EQ(back.w_out, net.w_out);
    EXPECT_EQ(back.b, net.b);
    EXPECT_EQ(back.b_out, net.b_out);
    EXPECT_EQ(back.x0, net.x0);
    EXPECT_EQ(back.activation, Activation::relu);
    EXPECT_EQ(back.alpha, 0.25);
    EXPECT_EQ(back.dt, 10.0);

    // And out again: every array of the second export equals the first, bit for bit.
    const std::string again = out("torch_out.h5");
    export_torch_arrays(back, again);
    std::lock_guard lock(h5_lock());
    H5::H5File a(arrays, H5F_ACC_RDONLY), b(again, H5F_ACC_RDONLY);
    for (const char* name : {"weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "weight_out", "bias_out", "x0"})
      EXPECT_EQ(h5::read_matrix(a.openGroup("/"), name), h5::read_matrix(b.openGroup("/"), name)) << name;
  }
}

}  // namespace
}  // namespace rnnlab
