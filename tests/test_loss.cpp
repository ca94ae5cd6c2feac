// The output losses of train/loss.hpp: closed-form values, the hand-written
// dL/dy and the whole BPTT gradient against central finite differences
// (float64) for cross-entropy and for MSE with a per-output mask, what
// cross-entropy refuses, the config key and the argmax accuracy rule.
#include <gtest/gtest.h>

#include <cmath>

#include "gradient_support.hpp"
#include "io/config.hpp"
#include "model/init.hpp"
#include "tasks/common.hpp"
#include "train/bptt.hpp"
#include "util/error.hpp"

namespace rnnlab {
namespace {

struct Problem {
  Weights<double> w;
  Eigen::MatrixXd inputs, targets, output_mask;
  RowVectorX<double> mask;
  double alpha = 0.3;
  int steps = 5, trials = 3;
};

// A random network (3 outputs) and batch; one-hot targets for cross-entropy
// (a random class per column), Gaussian ones otherwise.
Problem make_problem(bool one_hot) {
  Problem p;
  ModelSpec spec;
  spec.units = 6;
  spec.inputs = 2;
  spec.outputs = 3;
  spec.x0 = X0Mode::learned;
  spec.x0_std = 0.5;
  p.w = initialise(spec, 3).theta;
  Rng rng(17);
  p.w.for_each([&](auto& a) {
    for (Eigen::Index i = 0; i < a.size(); ++i) a.data()[i] += 0.4 * rng.normal();
  });
  const Eigen::Index cols = static_cast<Eigen::Index>(p.steps) * p.trials;
  p.inputs = Eigen::MatrixXd::NullaryExpr(2, cols, [&] { return rng.normal(); });
  p.targets = Eigen::MatrixXd::Zero(3, cols);
  for (Eigen::Index c = 0; c < cols; ++c) {
    if (one_hot)
      p.targets(rng.uniform_int(0, 2), c) = 1.0;
    else
      p.targets.col(c) = Eigen::Vector3d(rng.normal(), rng.normal(), rng.normal());
  }
  p.mask = RowVectorX<double>::NullaryExpr(cols, [&] { return rng.bernoulli(0.7) ? 1.0 : 0.0; });
  p.output_mask = Eigen::MatrixXd::NullaryExpr(3, cols, [&] { return rng.bernoulli(0.6) ? 1.0 : 0.0; });
  return p;
}

const Eigen::MatrixXd* const kNoNoise = nullptr;

double total_loss(const Problem& p, const Weights<double>& w, const OutputLoss<double>& how) {
  Rollout<double> rollout;
  forward(w, p.alpha, Activation::tanh, p.inputs, p.steps, p.trials, kNoNoise, rollout);
  return loss(w, rollout, p.targets, p.mask, Regularisation{}, how).total();
}

// Every entry of every array: the analytic gradient against central differences.
void expect_gradient_matches(const Problem& p, const OutputLoss<double>& how) {
  Rollout<double> work;
  Weights<double> analytic = Weights<double>::zeros(6, 2, 3);
  loss_and_gradient(p.w, p.alpha, Activation::tanh, p.inputs, p.targets, p.mask, p.steps, p.trials, kNoNoise,
                    Regularisation{}, work, analytic, how);
  const Weights<double> numeric =
      numeric_gradient(p.w, [&](const Weights<double>& w) { return total_loss(p, w, how); });
  expect_gradients_agree(analytic, numeric);
  EXPECT_GT(analytic.w_rec.norm(), 1e-4);  // something to check
}

TEST(CrossEntropyGradient, MatchesCentralDifferences) {
  const Problem p = make_problem(true);
  expect_gradient_matches(p, {LossKind::cross_entropy, nullptr});
}

TEST(CrossEntropyGradient, SoftTargetsAndConstantPerOutputMaskMatchCentralDifferences) {
  Problem p = make_problem(true);
  // Soft targets (probabilities, not one-hot) and a per-output mask equal across outputs, with weights != 1.
  Rng rng(5);
  for (Eigen::Index c = 0; c < p.targets.cols(); ++c) {
    const Eigen::Vector3d q(rng.uniform(), rng.uniform(), rng.uniform());
    p.targets.col(c) = q / q.sum();
    p.output_mask.col(c).setConstant(rng.uniform());
  }
  expect_gradient_matches(p, {LossKind::cross_entropy, &p.output_mask});
}

TEST(MseGradient, PerOutputMaskMatchesCentralDifferences) {
  const Problem p = make_problem(false);
  expect_gradient_matches(p, {LossKind::mse, &p.output_mask});
}

TEST(OutputLossValue, CrossEntropyOfEqualOutputsIsLogOfTheClassCount) {
  // y = c for every output: softmax is uniform, -log(1/O) = log O whatever the label.
  const Eigen::MatrixXd y = Eigen::MatrixXd::Constant(4, 6, 2.5);
  Eigen::MatrixXd targets = Eigen::MatrixXd::Zero(4, 6);
  for (int c = 0; c < 6; ++c) targets(c % 4, c) = 1.0;
  const RowVectorX<double> mask = RowVectorX<double>::Ones(6);
  Eigen::MatrixXd dy;
  EXPECT_NEAR(output_loss<double>({LossKind::cross_entropy, nullptr}, y, targets, mask, &dy), std::log(4.0), 1e-14);
  // dL/dy = (p - target) / columns = (1/4 - onehot) / 6.
  EXPECT_NEAR(dy(0, 0), (0.25 - 1.0) / 6, 1e-15);
  EXPECT_NEAR(dy(1, 0), 0.25 / 6, 1e-15);
  // Large outputs do not overflow: logsumexp is taken after subtracting the max.
  Eigen::MatrixXd big = Eigen::MatrixXd::Zero(2, 1);
  big(0, 0) = 1000.0;
  Eigen::MatrixXd one_hot = Eigen::MatrixXd::Zero(2, 1);
  one_hot(1, 0) = 1.0;
  EXPECT_NEAR(output_loss<double>({LossKind::cross_entropy, nullptr}, big, one_hot, RowVectorX<double>::Ones(1),
                                  nullptr),
              1000.0, 1e-9);
}

TEST(OutputLossValue, PerOutputMaskCountsOnlyItsEntries) {
  // Two outputs, two columns; errors 1, 2 (column 0) and 3, 4 (column 1).
  Eigen::MatrixXd y(2, 2), targets = Eigen::MatrixXd::Zero(2, 2), output_mask(2, 2);
  y << 1, 3, 2, 4;
  output_mask << 1, 0, 0, 1;  // counts error 1 (output 0, column 0) and 4 (output 1, column 1)
  const RowVectorX<double> mask = RowVectorX<double>::Ones(2);
  EXPECT_DOUBLE_EQ(output_loss<double>({LossKind::mse, &output_mask}, y, targets, mask, nullptr), (1.0 + 16.0) / 2);
  // Without it: (1 + 4 + 9 + 16) / (O * columns) = 30 / 4, as before per-output masks.
  EXPECT_DOUBLE_EQ(output_loss<double>({LossKind::mse, nullptr}, y, targets, mask, nullptr), 30.0 / 4);
  // An all-ones per-output mask is the (T*B) mask alone.
  const Eigen::MatrixXd ones = Eigen::MatrixXd::Ones(2, 2);
  EXPECT_DOUBLE_EQ(output_loss<double>({LossKind::mse, &ones}, y, targets, mask, nullptr), 30.0 / 4);
  // The column mask multiplies the per-output one.
  const RowVectorX<double> first = (RowVectorX<double>(2) << 1, 0).finished();
  EXPECT_DOUBLE_EQ(output_loss<double>({LossKind::mse, &output_mask}, y, targets, first, nullptr), 1.0);
}

TrialBatch class_batch() {
  TrialBatch batch = taskkit::empty_batch(1, 3, 2, 2, {});
  for (Eigen::Index c = 0; c < 4; ++c) batch.targets(c % 3, c) = 1.0f;
  return batch;
}

TEST(CrossEntropyTargets, RefusesWhatASoftmaxCannotTake) {
  TrialBatch batch = class_batch();
  EXPECT_NO_THROW(check_targets(LossKind::cross_entropy, batch, "task t"));
  batch.targets(0, 1) = -1.0f;  // the +-1 targets of an MSE task
  try {
    check_targets(LossKind::cross_entropy, batch, "task t");
    FAIL() << "negative target accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("train.loss = \"cross_entropy\""), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("task t"), std::string::npos) << e.what();
  }
  EXPECT_NO_THROW(check_targets(LossKind::mse, batch, "task t"));
  batch.mask(1) = 0.0f;  // an unscored step may hold anything
  EXPECT_NO_THROW(check_targets(LossKind::cross_entropy, batch, "task t"));
  batch.output_mask = Eigen::MatrixXf::Ones(3, 4);
  batch.output_mask(2, 3) = 0.0f;
  EXPECT_THROW(check_targets(LossKind::cross_entropy, batch, "task t"), InputError);
  EXPECT_THROW(check_targets(LossKind::cross_entropy, taskkit::empty_batch(1, 1, 2, 2, {}), "task t"), InputError);
}

TEST(ArgmaxAccuracy, CountsTrialsRightAtEveryScoredStep) {
  TrialBatch batch = class_batch();  // labels: column c has class c % 3; trial 0 = columns 0, 2; trial 1 = 1, 3
  Eigen::MatrixXf outputs = batch.targets;  // perfect
  EXPECT_EQ(taskkit::argmax_accuracy(batch, outputs), 1.0);
  outputs(0, 3) = 5.0f;  // trial 1, step 1: label 0, and output 0 is still the largest
  EXPECT_EQ(taskkit::argmax_accuracy(batch, outputs), 1.0);
  outputs(1, 2) = 5.0f;  // trial 0, step 1: label 2, output picks 1
  EXPECT_EQ(taskkit::argmax_accuracy(batch, outputs), 0.5);
  batch.mask(2) = 0.0f;  // that step no longer scored
  EXPECT_EQ(taskkit::argmax_accuracy(batch, outputs), 1.0);
}

TEST(LossConfig, TrainLossKeyTakesTheTwoNamesAndListsThemOtherwise) {
  const std::string base = "[task]\nname = \"flipflop\"\n[train]\n";
  EXPECT_EQ(parse_config(base + "loss = \"cross_entropy\"\n", "c.toml").train.loss, LossKind::cross_entropy);
  EXPECT_EQ(parse_config(base, "c.toml").train.loss, LossKind::mse);
  try {
    parse_config(base + "loss = \"crossentropy\"\n", "c.toml");
    FAIL() << "unknown loss accepted";
  } catch (const InputError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("train.loss"), std::string::npos) << m;
    EXPECT_NE(m.find("mse"), std::string::npos) << m;
    EXPECT_NE(m.find("cross_entropy"), std::string::npos) << m;
  }
}

}  // namespace
}  // namespace rnnlab
