// The hand-written BPTT gradient against central finite differences of the
// loss, in float64, through the constraints (Dale, sparsity, non-negative
// inputs, E-only readout) to the trained parameters Theta.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <tuple>

#include "gradient_support.hpp"
#include "model/init.hpp"
#include "train/bptt.hpp"

namespace rnnlab {
namespace {

struct Problem {
  ModelSpec spec;
  InitialModel model;
  Eigen::MatrixXd inputs, targets, noise;
  RowVectorX<double> mask;
  Regularisation reg{0.01, 0.02};
  int steps = 6, trials = 3;
};

Problem make_problem(Activation activation, double alpha, bool dale, bool bias) {
  Problem p;
  p.spec.units = 7;
  p.spec.inputs = 2;
  p.spec.outputs = 2;
  p.spec.activation = activation;
  p.spec.tau = 10.0;
  p.spec.dt = alpha * p.spec.tau;
  p.spec.dale = dale;
  p.spec.e_fraction = 0.6;
  p.spec.connectivity = 0.7;
  p.spec.autapses = false;
  p.spec.bias = bias;
  p.spec.x0 = X0Mode::learned;
  p.spec.x0_std = 0.5;
  p.spec.gain = 1.2;
  p.spec.input_nonnegative = dale;
  p.spec.readout_excitatory = dale;
  p.model = initialise(p.spec, 7);
  // Move every parameter off the special values of the initialiser (b = 0, ...).
  Rng rng(99);
  p.model.theta.for_each([&](auto& a) {
    for (Eigen::Index i = 0; i < a.size(); ++i) a.data()[i] += 0.3 * rng.normal();
  });
  const Eigen::Index cols = p.steps * p.trials;
  p.inputs = Eigen::MatrixXd::NullaryExpr(p.spec.inputs, cols, [&] { return rng.normal(); });
  p.targets = Eigen::MatrixXd::NullaryExpr(p.spec.outputs, cols, [&] { return rng.normal(); });
  p.noise = Eigen::MatrixXd::NullaryExpr(p.spec.units, cols, [&] { return 0.1 * rng.normal(); });
  p.mask = RowVectorX<double>::NullaryExpr(cols, [&] { return rng.bernoulli(0.7) ? 1.0 : 0.0; });
  return p;
}

double total_loss(const Problem& p, const Weights<double>& theta) {
  const Weights<double> w = p.model.constraints.effective(theta);
  Rollout<double> rollout;
  forward(w, p.spec.alpha(), p.spec.activation, p.inputs, p.steps, p.trials, &p.noise, rollout);
  return loss(w, rollout, p.targets, p.mask, p.reg).total();
}

Weights<double> analytic_gradient(const Problem& p) {
  const Weights<double> w = p.model.constraints.effective(p.model.theta);
  Rollout<double> work;
  Weights<double> grad = Weights<double>::zeros(w.units(), w.inputs(), w.outputs());
  loss_and_gradient(w, p.spec.alpha(), p.spec.activation, p.inputs, p.targets, p.mask, p.steps, p.trials, &p.noise,
                    p.reg, work, grad);
  return p.model.constraints.chain_to_theta(p.model.theta, grad);
}

using GradientCase = std::tuple<Activation, double, bool, bool>;

class GradientCheck : public ::testing::TestWithParam<GradientCase> {};

TEST_P(GradientCheck, MatchesCentralDifferences) {
  const auto [activation, alpha, dale, bias] = GetParam();
  const Problem p = make_problem(activation, alpha, dale, bias);
  Weights<double> analytic = analytic_gradient(p);
  Weights<double> numeric =
      numeric_gradient(p.model.theta, [&](const Weights<double>& theta) { return total_loss(p, theta); });
  expect_gradients_agree(analytic, numeric);
  // The check must have had something to check.
  EXPECT_GT(analytic.w_rec.norm(), 1e-6);
  EXPECT_GT(analytic.x0.norm(), 1e-8);
}

INSTANTIATE_TEST_SUITE_P(
    EveryOption, GradientCheck,
    ::testing::Combine(::testing::Values(Activation::tanh, Activation::relu, Activation::softplus,
                                         Activation::sigmoid, Activation::retanh, Activation::linear),
                       ::testing::Values(0.1, 1.0), ::testing::Bool(), ::testing::Bool()),
    [](const auto& info) {
      return to_string(std::get<0>(info.param)) + (std::get<1>(info.param) < 1 ? "_alpha01" : "_alpha1") +
             (std::get<2>(info.param) ? "_dale" : "_free") + (std::get<3>(info.param) ? "_bias" : "_nobias");
    });

TEST(GradientConstraints, MaskedFrozenAndUnlearnedEntriesGetNoGradient) {
  Problem p = make_problem(Activation::tanh, 0.2, true, false);
  p.spec.freeze = {"w_in"};
  Rng rng = Rng::stream(7, Purpose::init);
  p.model.constraints = Constraints::from_spec(p.spec, rng);
  p.model.constraints.learn_x0 = true;
  const Weights<double> g = analytic_gradient(p);
  EXPECT_EQ(g.w_in.norm(), 0.0);                 // frozen
  EXPECT_EQ(g.b.norm(), 0.0);                    // bias off
  EXPECT_EQ(g.w_rec.diagonal().norm(), 0.0);     // no autapses
  for (Eigen::Index j = 0; j < g.w_rec.cols(); ++j)
    for (Eigen::Index i = 0; i < g.w_rec.rows(); ++i)
      if (p.model.constraints.mask_rec(i, j) == 0) EXPECT_EQ(g.w_rec(i, j), 0.0);
  for (Eigen::Index j = 0; j < g.w_out.cols(); ++j)
    if (p.model.constraints.sign(j) < 0) EXPECT_EQ(g.w_out.col(j).norm(), 0.0);  // E-only readout
  EXPECT_GT(g.w_rec.norm(), 0.0);
}

// The float32 path (what training runs) agrees with float64 to single precision.
TEST(GradientPrecision, Float32AgreesWithFloat64) {
  const Problem p = make_problem(Activation::tanh, 0.1, false, true);
  const Weights<double> w = p.model.constraints.effective(p.model.theta);
  Rollout<double> work_d;
  Weights<double> grad_d = Weights<double>::zeros(w.units(), w.inputs(), w.outputs());
  const double loss_d = loss_and_gradient(w, p.spec.alpha(), p.spec.activation, p.inputs, p.targets, p.mask,
                                          p.steps, p.trials, &p.noise, p.reg, work_d, grad_d)
                            .total();
  const Weights<float> wf = w.cast<float>();
  const Eigen::MatrixXf noise = p.noise.cast<float>();
  Rollout<float> work_f;
  Weights<float> grad_f = Weights<float>::zeros(w.units(), w.inputs(), w.outputs());
  const float loss_f = loss_and_gradient(wf, float(p.spec.alpha()), p.spec.activation, Eigen::MatrixXf(p.inputs.cast<float>()),
                                         Eigen::MatrixXf(p.targets.cast<float>()), RowVectorX<float>(p.mask.cast<float>()),
                                         p.steps, p.trials, &noise, p.reg, work_f, grad_f)
                           .total();
  EXPECT_NEAR(loss_f, loss_d, 1e-5 * std::abs(loss_d));
  EXPECT_LT((grad_f.w_rec.cast<double>() - grad_d.w_rec).norm() / grad_d.w_rec.norm(), 1e-5);
}

}  // namespace
}  // namespace rnnlab
