// Learned time constants (train.learn_tau, docs/model.md "Time constants"):
// training moves tau and lowers the loss, tau never goes below tau_min, the
// first pass is the fixed-tau network's to the bit, files keep tau per unit
// (and fixed-tau files stay as they were), and the step map is
// J = I - diag(a) + diag(a) W_rec diag(phi').
#include <gtest/gtest.h>

#include <H5Cpp.h>

#include <filesystem>
#include <vector>

#include "analysis/linearise.hpp"
#include "io/config.hpp"
#include "io/experiment_file.hpp"
#include "io/h5.hpp"
#include "model/time_constants.hpp"
#include "test_support.hpp"
#include "train/ensemble.hpp"
#include "train/trainer.hpp"
#include "util/error.hpp"
#include "training_support.hpp"

namespace rnnlab {
namespace {

namespace fs = std::filesystem;
using testing_support::train_on_one_thread;

// A 1-bit flip-flop (held memory: long time constants help) on 12 units.
const char* const kFlipflop = R"(
[task]
name = "flipflop"
bits = 1
duration = 300
[model]
units = 12
dt = 10
tau = 40
[train]
iterations = 80
batch = 16
learning_rate = 0.02
validate_every = 20
validation_trials = 64
checkpoint_every = 0
seed = 3
learn_tau = true
)";

ExperimentConfig config_of(const std::vector<std::string>& overrides = {}) {
  return parse_config(kFlipflop, "learn_tau.toml", overrides);
}

TEST(LearnTau, TrainingMovesTauAndTheLossFalls) {
  const ExperimentConfig config = config_of();
  const std::vector<NetworkRecord> nets = train_on_one_thread(config);
  ASSERT_EQ(nets.size(), 1u);
  const NetworkRecord& rec = nets[0];
  ASSERT_TRUE(rec.trained.per_unit_tau()) << rec.status_reason;
  const Eigen::VectorXd tau = rec.trained.unit_tau;
  EXPECT_GT(tau.maxCoeff() - tau.minCoeff(), 1.0) << tau.transpose();  // ms: the units drifted apart
  EXPECT_GE(tau.minCoeff(), config.model.dt);                          // tau_min defaults to dt
  EXPECT_DOUBLE_EQ(rec.trained.alpha, config.model.dt / tau.mean());   // the reference leak
  EXPECT_FALSE(rec.initial.per_unit_tau());                            // every unit started at model.tau
  EXPECT_DOUBLE_EQ(rec.initial.alpha, config.model.alpha());
  ASSERT_GE(rec.curves.val_loss.size(), 2u);
  EXPECT_LT(rec.curves.val_loss.back(), 0.7 * rec.curves.val_loss.front());
}

// A floor close above tau and a large rate: units pushed down stop at tau_min.
TEST(LearnTau, TauNeverGoesBelowTauMin) {
  const ExperimentConfig config = config_of({"model.tau=22", "model.tau_min=20", "train.learning_rate=0.2"});
  const NetworkRecord rec = train_on_one_thread(config)[0];
  ASSERT_TRUE(rec.trained.per_unit_tau());
  EXPECT_GE(rec.trained.unit_tau.minCoeff(), 20.0);
  EXPECT_TRUE((rec.trained.unit_alpha().array() <= 0.5).all());

  // The parametrisation itself: far below the floor it returns the floor.
  ModelSpec spec = config.model;
  Eigen::VectorXf theta(3);
  theta << -30.0f, std::log(20.0f / 22.0f), 0.5f;
  clamp_log_tau(spec, theta);
  const Eigen::VectorXd tau = unit_tau(spec, theta);
  EXPECT_EQ(tau(0), 20.0);
  EXPECT_GE(tau(1), 20.0);
  EXPECT_DOUBLE_EQ(tau(2), 22.0 * std::exp(0.5));
}

TEST(LearnTau, BadTauMinIsAnInputErrorNamingTheKey) {
  try {
    config_of({"model.tau_min=5"});  // below dt = 10
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("model.tau_min"), std::string::npos) << e.what();
  }
  EXPECT_THROW(config_of({"model.tau_min=50"}), InputError);  // above tau = 40
}

// At theta = 0 every unit has model.tau: the learn_tau network's first
// validation is the fixed-tau network's, bit for bit, noise included.
TEST(LearnTau, FirstPassIsTheFixedTauNetworksBitForBit) {
  const ExperimentConfig learned = config_of({"model.sigma_rec=0.1"});
  const ExperimentConfig fixed = config_of({"model.sigma_rec=0.1", "train.learn_tau=false"});
  NetworkTrainer a = make_trainer(learned, 3), b = make_trainer(fixed, 3);
  const NetworkState sa = a.initial_state(), sb = b.initial_state();
  ASSERT_EQ(sa.theta.log_tau.size(), learned.model.units);
  EXPECT_EQ(sb.theta.log_tau.size(), 0);
  EXPECT_EQ(a.validate(sa.theta), b.validate(sb.theta));
}

// A uniform network keeps its file as it was (no tau dataset); a per-unit one
// stores trained/tau (N,) in ms and reads back bit for bit.
TEST(LearnTau, FileRoundTripAndUniformNetworksUnchanged) {
  const fs::path dir = testing_support::fresh_test_dir("rnnlab_learn_tau");
  const ExperimentConfig config = config_of({"train.iterations=20"});
  Experiment exp;
  exp.config = config.toml_text;
  exp.networks = train_on_one_thread(config);
  ASSERT_TRUE(exp.networks[0].trained.per_unit_tau());
  const std::string path = (dir / "tau.h5").string();
  write_experiment(path, exp);
  const Experiment back = read_experiment(path);
  const Network& net = back.networks[0].trained;
  EXPECT_EQ(net.unit_tau, exp.networks[0].trained.unit_tau);
  EXPECT_EQ(net.alpha, exp.networks[0].trained.alpha);
  EXPECT_EQ(net.unit_alpha(), exp.networks[0].trained.unit_alpha());
  EXPECT_FALSE(back.networks[0].initial.per_unit_tau());
  EXPECT_DOUBLE_EQ(back.networks[0].initial.alpha, config.model.alpha());
  {
    std::lock_guard lock(h5_lock());
    H5::H5File file(path, H5F_ACC_RDONLY);
    EXPECT_TRUE(h5::exists(file.openGroup("/networks/3/trained"), "tau"));
  }

  // The same network with one tau for all: no tau dataset, the scalar alpha.
  Experiment uniform = exp;
  uniform.networks[0].trained.set_unit_tau(Eigen::VectorXd::Constant(config.model.units, 40.0));
  EXPECT_FALSE(uniform.networks[0].trained.per_unit_tau());
  EXPECT_EQ(uniform.networks[0].trained.alpha, 10.0 / 40.0);
  uniform.networks[0].final_weights = Network();
  const std::string uniform_path = (dir / "uniform.h5").string();
  write_experiment(uniform_path, uniform);
  {
    std::lock_guard lock(h5_lock());
    H5::H5File file(uniform_path, H5F_ACC_RDONLY);
    EXPECT_FALSE(h5::exists(file.openGroup("/networks/3/trained"), "tau"));
  }
  EXPECT_FALSE(read_experiment(uniform_path).networks[0].trained.per_unit_tau());

  // A tau below dt would make a_i > 1: refused, naming the dataset.
  {
    std::lock_guard lock(h5_lock());
    H5::H5File file(path, H5F_ACC_RDWR);
    H5::Group g = file.openGroup("/networks/3/trained");
    g.unlink("tau");
    h5::write_vector(g, "tau", Eigen::VectorXd::Constant(config.model.units, 5.0));
  }
  try {
    read_experiment(path);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("tau"), std::string::npos) << e.what();
  }
  fs::remove_all(dir);
}

// Two units, tau = (20, 80) ms, dt = 10: a = (0.5, 0.125), tanh at x = 0 (phi' = 1):
//   J = I - diag(a) + diag(a) W_rec,   worked out by hand below.
TEST(LearnTau, StepMapOfTwoUnitsWithDifferentTaus) {
  Network net;
  static_cast<Weights<double>&>(net) = Weights<double>::zeros(2, 1, 1);
  net.dt = 10.0;
  net.w_rec << 0.4, -2.0, 1.0, 0.8;
  net.set_unit_tau(Eigen::Vector2d(20.0, 80.0));
  ASSERT_TRUE(net.per_unit_tau());
  EXPECT_DOUBLE_EQ(net.alpha, 10.0 / 50.0);  // mean tau 50 ms
  Eigen::Matrix2d expected;
  // row 1: a1 = 0.5:   1 - 0.5 + 0.5 * 0.4 = 0.7,   0.5 * -2.0 = -1.0
  // row 2: a2 = 0.125: 0.125 * 1.0 = 0.125,         1 - 0.125 + 0.125 * 0.8 = 0.975
  expected << 0.7, -1.0, 0.125, 0.975;
  const Eigen::MatrixXd j = jacobian_state(net, Eigen::Vector2d::Zero());
  EXPECT_LT((j - expected).cwiseAbs().maxCoeff(), 1e-15) << j;
  // The step itself, against the same a per unit.
  const Eigen::Vector2d x(0.3, -0.2);
  const Eigen::VectorXd fx = net.step(x, Eigen::VectorXd::Zero(1));
  const Eigen::Vector2d drive = net.w_rec * x.array().tanh().matrix();
  EXPECT_NEAR(fx(0), 0.5 * 0.3 + 0.5 * drive(0), 1e-15);
  EXPECT_NEAR(fx(1), 0.875 * -0.2 + 0.125 * drive(1), 1e-15);
  // dF/du = diag(a) W_in.
  net.w_in << 1.0, 1.0;
  EXPECT_EQ(jacobian_input(net), Eigen::Vector2d(0.5, 0.125));
}

}  // namespace
}  // namespace rnnlab
