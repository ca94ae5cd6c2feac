// The dynamics of imported networks (issue 12, item 7): `rnnlab analyze
// IMPORTED.h5 --dynamics` works without a task (autonomous runs at zero input
// from a box of starts) and with `--task NAME`. The Keras decision networks of
// the fixtures run at alpha = 1; without a pulse their orbit flips with period
// 2, which the attractor set must call a cycle (recurrence), not
// quasi-periodic; checked against a long simulation of the same weights.
#include <gtest/gtest.h>

#include <H5Cpp.h>
#include <fmt/format.h>

#include <filesystem>
#include <string>

#include "analysis/dynamics_io.hpp"
#include "io/experiment_file.hpp"
#include "io/h5.hpp"
#include "io/import.hpp"
#include "test_support.hpp"

namespace rnnlab {
namespace {

namespace fs = std::filesystem;

const std::string kDm = std::string(RNNLAB_FIXTURES_DIR) + "/keras-jarne/dm_ortho_nobias_0_final.hdf5";

// As `rnnlab import` records an import without --task.
const char* const kImportConfig = "[import]\ndt = 1.0\ntau = 1.0\nsources = [\"dm.hdf5\"]\nformats = [\"keras\"]\n";

struct StoredDynamics {
  std::string task, attractor_set, family_key;
  std::vector<std::string> types;
  Eigen::VectorXd period_steps;
  Eigen::MatrixXd x;  // each attractor's end state
};

StoredDynamics read_dynamics(const std::string& path, std::uint64_t seed) {
  std::lock_guard lock(h5_lock());
  H5::H5File file(path, H5F_ACC_RDONLY);
  const H5::Group g = file.openGroup(fmt::format("networks/{}/analysis/dynamics", seed));
  const H5::Group a = g.openGroup("attractors");
  StoredDynamics d;
  d.task = h5::read_string_attr(g, "task");
  d.attractor_set = h5::read_string_attr(g, "attractor_set");
  d.family_key = h5::read_string_attr(g, "family_key");
  d.types = h5::read_strings(a, "type");
  d.period_steps = h5::read_vector(a, "period_steps");
  d.x = h5::read_matrix(a, "x");
  return d;
}

class DynamicsImport : public ::testing::Test {
 protected:
  void SetUp() override { dir = testing_support::fresh_test_dir("rnnlab-dynamics-import"); }
  void TearDown() override { fs::remove_all(dir); }
  fs::path dir;
};

TEST_F(DynamicsImport, AKerasNetworkWithoutATaskIsAnalysedAutonomously) {
  const std::string path = (dir / "dm.h5").string();
  const NetworkRecord rec = import_keras(kDm);
  write_experiment(path, Experiment{kImportConfig, RNNLAB_VERSION, {rec}});
  DynamicsOptions o;
  o.trials = 8;
  const CensusTable table = analyze_dynamics_file(path, o);
  ASSERT_EQ(table.groups.size(), 1u);
  EXPECT_EQ(table.groups[0], "autonomous (imported)");
  const StoredDynamics d = read_dynamics(path, rec.seed);
  EXPECT_EQ(d.task, "autonomous");
  // Periodic orbits of the map are found by recurrence: none of them is quasi-periodic.
  for (std::size_t i = 0; i < d.types.size(); ++i) EXPECT_NE(d.types[i], "quasi_periodic") << d.attractor_set;
  // Every cycle found is one of the map (x_{t+k} = x_t exactly, k its period),
  // as a long simulation from its end state shows.
  const Network& net = rec.trained;
  const Eigen::VectorXd zero = Eigen::VectorXd::Zero(net.inputs());
  int cycles = 0;
  for (std::size_t i = 0; i < d.types.size(); ++i) {
    if (d.types[i] != "limit_cycle") continue;
    ++cycles;
    const int k = static_cast<int>(std::lround(d.period_steps(static_cast<Eigen::Index>(i))));
    ASSERT_NEAR(d.period_steps(static_cast<Eigen::Index>(i)), k, 1e-9) << d.attractor_set;
    Eigen::VectorXd x = d.x.row(static_cast<Eigen::Index>(i)).transpose();
    for (int t = 0; t < 4000; ++t) x = net.step(x, zero);
    Eigen::VectorXd later = x;
    for (int t = 0; t < k; ++t) later = net.step(later, zero);
    EXPECT_LT((later - x).cwiseAbs().maxCoeff(), 1e-6) << "period " << k;
    if (k > 1) {
      EXPECT_GT((net.step(x, zero) - x).cwiseAbs().maxCoeff(), 1e-3) << "not a fixed point";
    }
  }
  EXPECT_GE(cycles, 1) << d.attractor_set;
}

TEST_F(DynamicsImport, TheCommandAnalysesAnImportWithAndWithoutATask) {
  const std::string path = (dir / "dm.h5").string();
  const fs::path log = dir / "log";
  auto r = testing_support::run_rnnlab(fmt::format("import {} -o {}", kDm, path), log);
  ASSERT_EQ(r.code, 0) << r.output;
  r = testing_support::run_rnnlab(fmt::format("analyze {} --dynamics", path), log);
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("autonomous (imported)"), std::string::npos) << r.output;
  EXPECT_EQ(read_dynamics(path, 0).task, "autonomous");
  // --task gives the dynamics their task (it was refused with --dynamics before).
  r = testing_support::run_rnnlab(fmt::format("analyze {} --dynamics --task simple_dm", path), log);
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_EQ(read_dynamics(path, 0).task, "simple_dm");
  EXPECT_NE(r.output.find("accuracy with the duration stretched: 1x"), std::string::npos) << r.output;
  // --task alone would be ignored: refused.
  r = testing_support::run_rnnlab(fmt::format("analyze {} --spectrum --task simple_dm", path), log);
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find("--task is an option of --fixed-points and --dynamics"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace rnnlab
