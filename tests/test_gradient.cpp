// The hand-written BPTT gradient against central finite differences of the
// loss, in float64, through the constraints (Dale, sparsity, non-negative
// inputs, E-only readout) to the trained parameters Theta.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <tuple>

#include "gradient_support.hpp"
#include "model/init.hpp"
#include "model/time_constants.hpp"
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

// --- learned time constants (train.learn_tau) --------------------------------

// One tau_i per unit: the loss of theta (log_tau included) with the model's
// noise sqrt(2 a_i) sigma_rec eps, whose scale moves with a_i too. `chunk`
// trials per chunk (chunks summed in order, as the trainer's threads do).
struct TauProblem {
  Problem p;
  Eigen::MatrixXd eps;  // N(0, 1) draws, N x T*B
  int chunk = 3;
  BatchChunks chunks() const { return BatchChunks(p.steps, p.trials, chunk); }
  Eigen::MatrixXd noise(const Eigen::VectorXd& alpha) const {
    return (0.3 * (2.0 * alpha.array()).sqrt()).matrix().asDiagonal() * eps;
  }
  template <class M>
  M chunked(const M& batch) const {
    M out;
    to_chunked(batch, chunks(), out);
    return out;
  }
};

TauProblem make_tau_problem(Activation activation, int chunk) {
  TauProblem t;
  t.p = make_problem(activation, 0.2, false, true);
  t.chunk = chunk;
  Rng rng(5);
  // tau_i from about 0.6 to 2 times model.tau, well above the floor (dt = 0.2 tau)
  // so that the max() of the parametrisation is smooth around every tau_i.
  t.p.model.theta.log_tau =
      Eigen::VectorXd::NullaryExpr(t.p.spec.units, [&] { return -0.5 + 1.2 * rng.uniform(); });
  t.eps = Eigen::MatrixXd::NullaryExpr(t.p.spec.units, t.p.steps * t.p.trials, [&] { return rng.normal(); });
  return t;
}

double total_loss_tau(const TauProblem& t, const Weights<double>& theta) {
  const Weights<double> w = t.p.model.constraints.effective(theta);
  const Eigen::VectorXd alpha = (t.p.spec.dt / unit_tau(t.p.spec, theta.log_tau).array()).matrix();
  const Eigen::MatrixXd noise = t.chunked(t.noise(alpha));
  Rollout<double> rollout;
  forward(w, alpha, t.p.spec.activation, t.chunked(t.p.inputs), t.chunks(), &noise, rollout, nullptr);
  return loss(w, rollout, t.chunked(t.p.targets), t.chunked(t.p.mask), t.p.reg).total();
}

Weights<double> analytic_gradient_tau(const TauProblem& t) {
  const Weights<double> w = t.p.model.constraints.effective(t.p.model.theta);
  const Eigen::VectorXd alpha = (t.p.spec.dt / unit_tau(t.p.spec, t.p.model.theta.log_tau).array()).matrix();
  const Eigen::MatrixXd noise = t.chunked(t.noise(alpha));
  Rollout<double> work;
  Weights<double> grad;
  Eigen::VectorXd grad_alpha;
  loss_and_gradient(w, alpha, t.p.spec.activation, t.chunked(t.p.inputs), t.chunked(t.p.targets),
                    t.chunked(t.p.mask), t.chunks(), &noise, t.p.reg, work, grad, grad_alpha, nullptr);
  grad.log_tau = log_tau_gradient(alpha, grad_alpha);
  return t.p.model.constraints.chain_to_theta(t.p.model.theta, grad);
}

class LearnedTauGradient : public ::testing::TestWithParam<std::tuple<Activation, int>> {};

TEST_P(LearnedTauGradient, MatchesCentralDifferences) {
  const auto [activation, chunk] = GetParam();
  const TauProblem t = make_tau_problem(activation, chunk);
  const Weights<double> analytic = analytic_gradient_tau(t);
  const Weights<double> numeric =
      numeric_gradient(t.p.model.theta, [&](const Weights<double>& theta) { return total_loss_tau(t, theta); });
  expect_gradients_agree(analytic, numeric);
  ASSERT_EQ(analytic.log_tau.size(), t.p.spec.units);
  EXPECT_GT(analytic.log_tau.norm(), 1e-4);  // something to check
}

INSTANTIATE_TEST_SUITE_P(PerUnitLeak, LearnedTauGradient,
                         ::testing::Combine(::testing::Values(Activation::tanh, Activation::softplus),
                                            ::testing::Values(1, 3)),
                         [](const auto& info) {
                           return to_string(std::get<0>(info.param)) +
                                  (std::get<1>(info.param) == 1 ? "_chunks_of_1" : "_one_chunk");
                         });

// Every a_i equal: the per-unit code computes the scalar code's numbers. The
// forward pass to the bit; the gradient up to rounding (its (1-a)/a factor is
// formed per unit).
TEST(LearnedTauGradient, UniformLeakIsTheScalarLeak) {
  const Problem p = make_problem(Activation::tanh, 0.1, false, true);
  const Weights<float> w = p.model.constraints.effective(p.model.theta).cast<float>();
  const float a = static_cast<float>(p.spec.alpha());
  const Eigen::VectorXf alpha = Eigen::VectorXf::Constant(p.spec.units, a);
  const Eigen::MatrixXf inputs = p.inputs.cast<float>(), targets = p.targets.cast<float>(), noise = p.noise.cast<float>();
  const RowVectorX<float> mask = p.mask.cast<float>();
  Rollout<float> scalar, vector;
  forward(w, a, p.spec.activation, inputs, p.steps, p.trials, &noise, scalar);
  forward(w, alpha, p.spec.activation, inputs, p.steps, p.trials, &noise, vector);
  EXPECT_EQ(scalar.x, vector.x);
  EXPECT_EQ(scalar.y, vector.y);
  Weights<float> g_scalar, g_vector;
  Eigen::VectorXf g_alpha;
  loss_and_gradient(w, a, p.spec.activation, inputs, targets, mask, p.steps, p.trials, &noise, p.reg, scalar, g_scalar);
  loss_and_gradient(w, alpha, p.spec.activation, inputs, targets, mask, p.steps, p.trials, &noise, p.reg, vector,
                    g_vector, g_alpha);
  EXPECT_LT((g_scalar.w_rec - g_vector.w_rec).norm(), 1e-6f * g_scalar.w_rec.norm());
  EXPECT_LT((g_scalar.x0 - g_vector.x0).norm(), 1e-6f * g_scalar.x0.norm());
}

}  // namespace
}  // namespace rnnlab
