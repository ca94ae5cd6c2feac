// evaluate() reports the network's own training loss: the cross-entropy for a
// network trained with train.loss = "cross_entropy", the MSE otherwise. Both
// checked against a hand computation from the simulated outputs.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "io/config.hpp"
#include "io/experiment_file.hpp"
#include "test_support.hpp"
#include "train/ensemble.hpp"
#include "train/evaluate.hpp"
#include "training_support.hpp"

namespace rnnlab {
namespace {

// Two classes, one input: class 0 when the input is positive, scored at the
// last two of four steps. Targets one-hot, so cross-entropy applies.
class TwoClassTask : public Task {
 public:
  std::string name() const override { return "two_class"; }
  int n_inputs() const override { return 1; }
  int n_outputs() const override { return 2; }
  int steps() const override { return 4; }
  TrialBatch batch(int trials, Rng& rng) const override {
    TrialBatch b;
    b.steps = 4;
    b.trials = trials;
    b.inputs = Eigen::MatrixXf::Zero(1, 4 * trials);
    b.targets = Eigen::MatrixXf::Zero(2, 4 * trials);
    b.mask = Eigen::RowVectorXf::Zero(4 * trials);
    for (int tr = 0; tr < trials; ++tr) {
      const float u = static_cast<float>(rng.normal());
      for (int t = 0; t < 4; ++t) {
        b.inputs(0, b.col(t, tr)) = u;
        b.targets(u > 0 ? 0 : 1, b.col(t, tr)) = 1.0f;
        b.mask(b.col(t, tr)) = t >= 2 ? 1.0f : 0.0f;
      }
    }
    return b;
  }
  double accuracy(const TrialBatch&, const Eigen::MatrixXf&) const override { return 0.0; }
};

Network small_network() {
  Network net;
  static_cast<Weights<double>&>(net) = Weights<double>::zeros(3, 1, 2);
  net.w_in << 1.0, -0.5, 0.3;
  net.w_rec << 0.2, -0.1, 0.0, 0.3, 0.1, -0.2, 0.0, 0.4, 0.1;
  net.w_out << 1.5, -0.7, 0.2, -1.0, 0.9, 0.4;
  net.b_out << 0.1, -0.2;
  net.activation = Activation::tanh;
  net.alpha = 0.5;
  net.dt = 10.0;
  return net;
}

// The loss by hand from the outputs of the same trials (evaluate draws them
// from Rng::stream(seed, Purpose::eval)).
struct HandLoss {
  double mse = 0, cross_entropy = 0;
};
HandLoss by_hand(const Network& net, const Task& task, int trials, std::uint64_t seed) {
  Rng rng = Rng::stream(seed, Purpose::eval);
  const TrialBatch b = task.batch(trials, rng);
  const Eigen::MatrixXd y = simulate(net, b).y;
  double squared = 0, nll = 0, scored = 0;
  for (Eigen::Index c = 0; c < y.cols(); ++c) {
    if (b.mask(c) == 0) continue;
    scored += 1;
    const double z = std::exp(y(0, c)) + std::exp(y(1, c));
    for (int o = 0; o < 2; ++o) {
      squared += std::pow(y(o, c) - b.targets(o, c), 2);
      if (b.targets(o, c) == 1.0f) nll -= y(o, c) - std::log(z);
    }
  }
  return {squared / (2 * scored), nll / scored};
}

TEST(EvalLoss, CrossEntropyNetworkIsJudgedByItsCrossEntropy) {
  const Network net = small_network();
  const TwoClassTask task;
  const HandLoss hand = by_hand(net, task, 50, 7);
  const Evaluation ce = evaluate(net, task, 50, 7, {}, LossKind::cross_entropy);
  EXPECT_EQ(ce.loss_kind, LossKind::cross_entropy);
  EXPECT_NEAR(ce.loss, hand.cross_entropy, 1e-12);
  const Evaluation mse = evaluate(net, task, 50, 7);
  EXPECT_EQ(mse.loss_kind, LossKind::mse);
  EXPECT_NEAR(mse.loss, hand.mse, 1e-12);
  // The two really differ here, so the test tells them apart.
  EXPECT_GT(std::abs(hand.mse - hand.cross_entropy), 0.05);
}

TEST(EvalLoss, NamesOfTheLosses) {
  EXPECT_EQ(loss_description(LossKind::cross_entropy), "cross-entropy loss");
  EXPECT_EQ(loss_description(LossKind::mse), "mean squared error");
}

double json_number_after(const std::string& json, const std::string& key) {
  const std::size_t at = json.find("\"" + key + "\": ");
  return at == std::string::npos ? NAN : std::stod(json.substr(at + key.size() + 4));
}

// `rnnlab eval` reads train.loss from the file's config: the same network
// reports its MSE from a file that says mse and its cross-entropy from one
// that says cross_entropy, each equal to evaluate() with that loss.
TEST(EvalLoss, TheCliReportsTheLossTheFileWasTrainedWith) {
  namespace fs = std::filesystem;
  const fs::path dir = testing_support::fresh_test_dir("rnnlab-eval-loss");
  const ExperimentConfig config =
      parse_config(testing_support::kTinyFlipflop, "tiny.toml", {"task.bits=2", "train.checkpoint_every=0"});
  Experiment exp;
  exp.config = config.toml_text;
  exp.networks = testing_support::train_on_one_thread(config);
  const std::string mse_file = (dir / "mse.h5").string(), ce_file = (dir / "ce.h5").string();
  write_experiment(mse_file, exp);
  const std::string said = "loss = \"mse\"";
  ASSERT_NE(exp.config.find(said), std::string::npos);
  exp.config.replace(exp.config.find(said), said.size(), "loss = \"cross_entropy\"");
  write_experiment(ce_file, exp);

  const auto task = make_task(config.task.name, config.task.params, config.model.dt);
  const Network& net = exp.networks[0].trained;
  const double mse = evaluate(net, *task, 64, 1).loss;
  const double ce = evaluate(net, *task, 64, 1, {}, LossKind::cross_entropy).loss;
  ASSERT_GT(std::abs(mse - ce), 1e-3);
  for (const auto& [file, kind, expected] :
       {std::tuple{mse_file, "mse", mse}, std::tuple{ce_file, "cross_entropy", ce}}) {
    const auto r = testing_support::run_rnnlab(fmt::format("eval {} --trials 64 --json", file), dir / "log");
    ASSERT_EQ(r.code, 0) << r.output;
    EXPECT_NE(r.output.find(fmt::format("\"loss_kind\": \"{}\"", kind)), std::string::npos) << r.output;
    EXPECT_NEAR(json_number_after(r.output, "loss"), expected, 1e-9 * (1 + expected)) << r.output;
    // perturb's level 0 (a prune and a kick) is eval: the same loss of the same kind.
    for (const char* damage : {"--prune 0", "--kick 0"}) {
      const auto p = testing_support::run_rnnlab(fmt::format("perturb {} {} --trials 64 --json", file, damage),
                                                 dir / "log");
      ASSERT_EQ(p.code, 0) << p.output;
      const std::size_t curve = p.output.find("\"loss\": [");
      ASSERT_NE(curve, std::string::npos) << p.output;
      EXPECT_NEAR(std::stod(p.output.substr(curve + 9)), expected, 1e-9 * (1 + expected)) << damage << p.output;
    }
  }
  const auto table = testing_support::run_rnnlab(fmt::format("eval {} --trials 64", ce_file), dir / "log");
  EXPECT_NE(table.output.find("loss = cross-entropy loss (train.loss)"), std::string::npos) << table.output;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace rnnlab
