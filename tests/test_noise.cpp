// The training noise (src/train/objective.cpp) against its documented size
// (docs/model.md, "Noise"): recurrent noise sqrt(2 a) sigma_rec N(0, 1) added
// to every unit's state at every step, input noise sigma_in N(0, 1) added to
// every input at every step, a = dt / tau.
//
// The network is built so that the noise is all that moves it: W_rec = 0,
// b = 0, zero inputs, a linear readout W_out = I. Then
//   x_t - (1 - a) x_{t-1} = a W_in (sigma_in n_t) + sqrt(2 a) sigma_rec n'_t,
// whose variance per unit is a^2 sigma_in^2 |W_in row|^2 + 2 a sigma_rec^2.
// The sample variance of K draws has relative standard deviation sqrt(2 / K);
// each test allows 5 of those.
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <cmath>

#include "model/constraints.hpp"
#include "train/objective.hpp"
#include "util/rng.hpp"

namespace rnnlab {
namespace {

constexpr int kUnits = 8, kSteps = 400, kTrials = 64;  // 204,800 increments per run

struct Increments {
  double mean = 0, variance = 0, lag1_correlation = 0;
  long count = 0;
};

// Runs the noise-only network and returns the statistics of
// x_t - (1 - a) x_{t-1} over every unit, step (t >= 1) and trial.
// noise_generator = false runs it as evaluation does without a noise stream.
Increments noise_increments(double dt, double tau, double sigma_rec, double sigma_in, double input_weight,
                            std::uint64_t seed, bool noise_generator = true) {
  ModelSpec spec;
  spec.units = kUnits;
  spec.inputs = kUnits;
  spec.outputs = kUnits;
  spec.activation = Activation::linear;
  spec.dt = dt;
  spec.tau = tau;
  spec.sigma_rec = sigma_rec;
  spec.sigma_in = sigma_in;
  Rng init = Rng::stream(seed, Purpose::init);
  const Constraints constraints = Constraints::from_spec(spec, init);
  Objective objective(spec, constraints, Regularisation{});

  Weights<float> theta = Weights<float>::zeros(kUnits, kUnits, kUnits);
  theta.w_in = input_weight * Eigen::MatrixXf::Identity(kUnits, kUnits);
  theta.w_out = Eigen::MatrixXf::Identity(kUnits, kUnits);  // y = x (linear phi, b_out = 0)

  TrialBatch batch;
  batch.steps = kSteps;
  batch.trials = kTrials;
  batch.inputs = Eigen::MatrixXf::Zero(kUnits, kSteps * kTrials);
  batch.targets = Eigen::MatrixXf::Zero(kUnits, kSteps * kTrials);
  batch.mask = Eigen::RowVectorXf::Ones(kSteps * kTrials);
  Rng noise = Rng::stream(seed, Purpose::train);
  objective.evaluate(theta, batch, noise_generator ? &noise : nullptr);
  const Eigen::MatrixXd x = objective.outputs().cast<double>();

  const double a = spec.alpha();
  Eigen::MatrixXd d(kUnits, static_cast<Eigen::Index>(kSteps - 1) * kTrials);
  for (int t = 1; t < kSteps; ++t)
    for (int b = 0; b < kTrials; ++b)
      d.col(static_cast<Eigen::Index>(t - 1) * kTrials + b) = x.col(batch.col(t, b)) - (1 - a) * x.col(batch.col(t - 1, b));

  Increments s;
  s.count = d.size();
  s.mean = d.mean();
  s.variance = (d.array() - s.mean).square().sum() / static_cast<double>(s.count - 1);
  // Successive increments of one unit in one trial: white noise has none.
  double lagged = 0;
  long pairs = 0;
  for (int t = 1; t < kSteps - 1; ++t)
    for (int b = 0; b < kTrials; ++b) {
      lagged += (d.col(static_cast<Eigen::Index>(t - 1) * kTrials + b).array() - s.mean)
                    .cwiseProduct(d.col(static_cast<Eigen::Index>(t) * kTrials + b).array() - s.mean)
                    .sum();
      pairs += kUnits;
    }
  s.lag1_correlation = lagged / static_cast<double>(pairs) / s.variance;
  return s;
}

void expect_white_with_variance(const Increments& s, double expected_variance) {
  const double rel_sd = std::sqrt(2.0 / static_cast<double>(s.count));  // of a sample variance
  EXPECT_NEAR(s.variance / expected_variance, 1.0, 5 * rel_sd)
      << "variance " << s.variance << ", documented " << expected_variance;
  EXPECT_NEAR(s.mean, 0.0, 5 * std::sqrt(expected_variance / static_cast<double>(s.count)));
  EXPECT_NEAR(s.lag1_correlation, 0.0, 5 / std::sqrt(static_cast<double>(s.count)));
}

TEST(TrainingNoise, RecurrentNoiseVarianceIsTwoAlphaSigmaRecSquared) {
  // Two leaks, so a wrong power of a (a, sqrt(a), no a) cannot match both.
  for (const double tau : {100.0, 20.0}) {
    SCOPED_TRACE(tau);
    const double dt = 10.0, sigma_rec = 0.3, a = dt / tau;
    const Increments s = noise_increments(dt, tau, sigma_rec, 0.0, 1.0, 1);
    expect_white_with_variance(s, 2 * a * sigma_rec * sigma_rec);
  }
}

TEST(TrainingNoise, RecurrentNoiseOfADiscreteNetworkIsSqrtTwoSigmaRec) {
  // a = 1: x_t = noise_t alone; the sd is sqrt(2) sigma_rec, not sigma_rec.
  const double sigma_rec = 0.2;
  const Increments s = noise_increments(10.0, 10.0, sigma_rec, 0.0, 1.0, 2);
  expect_white_with_variance(s, 2 * sigma_rec * sigma_rec);
}

TEST(TrainingNoise, InputNoiseReachesTheStateThroughAlphaWin) {
  // Input noise is added to u_t, so it is scaled by a W_in like the input itself.
  const double dt = 10.0, tau = 50.0, sigma_in = 0.5, w = 1.5, a = dt / tau;
  const Increments s = noise_increments(dt, tau, 0.0, sigma_in, w, 3);
  expect_white_with_variance(s, a * a * w * w * sigma_in * sigma_in);
}

TEST(TrainingNoise, InputAndRecurrentNoiseAreIndependentAndAdd) {
  const double dt = 10.0, tau = 40.0, sigma_rec = 0.1, sigma_in = 0.4, w = 2.0, a = dt / tau;
  const Increments s = noise_increments(dt, tau, sigma_rec, sigma_in, w, 4);
  expect_white_with_variance(s, a * a * w * w * sigma_in * sigma_in + 2 * a * sigma_rec * sigma_rec);
}

TEST(TrainingNoise, NoNoiseWithZeroSigmasOrWithoutAGenerator) {
  // Noise off leaves the network at rest: every increment exactly 0.
  for (const Increments& s : {noise_increments(10.0, 50.0, 0.0, 0.0, 1.0, 5),
                              noise_increments(10.0, 50.0, 0.3, 0.5, 1.0, 5, /*noise_generator=*/false)}) {
    EXPECT_EQ(s.variance, 0.0);
    EXPECT_EQ(s.mean, 0.0);
  }
}

}  // namespace
}  // namespace rnnlab
