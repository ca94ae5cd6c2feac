// The dynamics of imported networks (issue 12, item 7): `rnnlab analyze
// IMPORTED.h5 --dynamics` works without a task (autonomous runs at zero input
// from a box of starts) and with `--task NAME`. The Keras decision networks of
// the fixtures run at alpha = 1; left alone, the one here flips sign at every
// step while slowly rotating; each label of its attractor set is checked
// against a long simulation of the same weights.
#include <gtest/gtest.h>

#include <H5Cpp.h>
#include <fmt/format.h>

#include <filesystem>
#include <string>

#include "pipeline/dynamics_io.hpp"
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
  // Each attractor's label agrees with a long simulation (4000 more steps)
  // from its stored end state: a fixed point stays, a cycle of period k
  // returns exactly after k steps, and a quasi-periodic orbit (this network:
  // a flip at every step with a slow rotation on an invariant circle, NumPy:
  // after 2e5 steps it misses its state by 1.3e-4 after 409 steps and by
  // twice that after 818) keeps moving, comes back near but never exactly.
  ASSERT_FALSE(d.types.empty());
  const Network& net = rec.trained;
  const Eigen::VectorXd zero = Eigen::VectorXd::Zero(net.inputs());
  for (std::size_t i = 0; i < d.types.size(); ++i) {
    SCOPED_TRACE(d.attractor_set + ", attractor " + std::to_string(i));
    Eigen::VectorXd x = d.x.row(static_cast<Eigen::Index>(i)).transpose();
    for (int t = 0; t < 4000; ++t) x = net.step(x, zero);
    Eigen::MatrixXd run(net.units(), 2000);
    Eigen::VectorXd y = x;
    for (int t = 0; t < 2000; ++t) run.col(t) = y = net.step(y, zero);
    const Eigen::VectorXd miss = (run.colwise() - x).cwiseAbs().colwise().maxCoeff();  // after t + 1 steps
    if (d.types[i] == "fixed_point") {
      EXPECT_LT(miss.maxCoeff(), 1e-6);
    } else if (d.types[i] == "limit_cycle") {
      const int k = static_cast<int>(std::lround(d.period_steps(static_cast<Eigen::Index>(i))));
      EXPECT_LT(miss(k - 1), 1e-6) << "period " << k;
    } else {
      EXPECT_EQ(d.types[i], "quasi_periodic");
      EXPECT_GT(miss.minCoeff(), 1e-6) << "an exact return: a cycle";
      EXPECT_LT(miss.minCoeff(), 1e-2) << "no near return: not an orbit on a closed curve";
      EXPECT_GT(miss.maxCoeff(), 0.1) << "it keeps moving";
    }
  }
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
