// The initialisers reproduce the spectra random-matrix theory predicts (N = 500).
#include <gtest/gtest.h>

#include <Eigen/Eigenvalues>
#include <cmath>

#include "model/init.hpp"

namespace rnnlab {
namespace {

Eigen::VectorXcd eigenvalues(const Eigen::MatrixXd& w) {
  return Eigen::EigenSolver<Eigen::MatrixXd>(w, false).eigenvalues();
}

ModelSpec spec_of(InitKind kind, double gain, int units = 500) {
  ModelSpec spec;
  spec.units = units;
  spec.init = kind;
  spec.gain = gain;
  return spec;
}

Eigen::MatrixXd effective_w_rec(const ModelSpec& spec, std::uint64_t seed) {
  InitialModel m = initialise(spec, seed);
  return m.constraints.effective(m.theta).w_rec;
}

TEST(InitSpectrum, NormalFillsTheCircularLawDisk) {
  const double g = 1.5;
  const Eigen::VectorXcd l = eigenvalues(effective_w_rec(spec_of(InitKind::normal, g), 3));
  const Eigen::ArrayXd mod = l.cwiseAbs().array();
  EXPECT_NEAR(mod.maxCoeff(), g, 0.06 * g);  // edge of the disk, finite-N fluctuation a few %
  // Fraction inside radius r is r^2 / g^2; E|l|^2 = g^2 / 2.
  const double inside_half = (mod < 0.5 * g).cast<double>().mean();
  EXPECT_NEAR(inside_half, 0.25, 0.03);
  EXPECT_NEAR(mod.square().mean(), g * g / 2, 0.05 * g * g / 2);
}

TEST(InitSpectrum, SparseNormalKeepsTheRadius) {
  ModelSpec spec = spec_of(InitKind::normal, 1.2);
  spec.connectivity = 0.3;
  spec.autapses = false;
  InitialModel m = initialise(spec, 4);
  const Eigen::MatrixXd w = m.constraints.effective(m.theta).w_rec;
  EXPECT_NEAR((w.array() != 0).cast<double>().mean(), 0.3, 0.01);
  EXPECT_EQ(w.diagonal().cwiseAbs().maxCoeff(), 0.0);
  EXPECT_NEAR(eigenvalues(w).cwiseAbs().maxCoeff(), 1.2, 0.08);
}

TEST(InitSpectrum, OrthogonalPutsEveryEigenvalueOnTheCircle) {
  const Eigen::MatrixXd w = effective_w_rec(spec_of(InitKind::orthogonal, 0.9), 5);
  const Eigen::ArrayXd mod = eigenvalues(w).cwiseAbs().array();
  EXPECT_NEAR(mod.minCoeff(), 0.9, 1e-9);
  EXPECT_NEAR(mod.maxCoeff(), 0.9, 1e-9);
  EXPECT_NEAR((w.transpose() * w - 0.81 * Eigen::MatrixXd::Identity(500, 500)).norm(), 0.0, 1e-9);
}

TEST(InitSpectrum, RajanAbbottBalancedBulkHasNoOutlier) {
  ModelSpec spec = spec_of(InitKind::ei, 1.0);
  spec.e_fraction = 0.8;
  spec.mu_e = 2.0;
  spec.sigma_e = 1.0;
  spec.sigma_i = 2.0;
  spec.balance = true;
  spec.zero_row_sums = true;
  const double bulk = std::sqrt(0.8 * 1.0 + 0.2 * 4.0);
  const Eigen::ArrayXd mod = eigenvalues(effective_w_rec(spec, 6)).cwiseAbs().array();
  // Zero row sums confine every eigenvalue to the bulk (Rajan & Abbott 2006).
  EXPECT_LT(mod.maxCoeff(), 1.06 * bulk);
  EXPECT_GT(mod.maxCoeff(), 0.94 * bulk);
}

TEST(InitSpectrum, RajanAbbottUnbalancedOutlierSitsWherePredicted) {
  ModelSpec spec = spec_of(InitKind::ei, 1.0);
  spec.e_fraction = 0.8;
  spec.mu_e = 1.0;
  spec.mu_i = -2.0;
  spec.balance = false;
  const double outlier = std::sqrt(500.0) * (0.8 * 1.0 + 0.2 * -2.0);
  const Eigen::VectorXcd l = eigenvalues(effective_w_rec(spec, 7));
  Eigen::Index k;
  l.cwiseAbs().maxCoeff(&k);
  EXPECT_NEAR(l(k).real(), outlier, 0.02 * outlier);
  EXPECT_NEAR(l(k).imag(), 0.0, 1e-9);
}

TEST(InitDale, SignsLiveInColumnsAndTheRadiusIsTheGain) {
  ModelSpec spec = spec_of(InitKind::normal, 0.9, 200);
  spec.dale = true;
  spec.e_fraction = 0.8;
  spec.connectivity = 0.5;
  spec.autapses = false;
  InitialModel m = initialise(spec, 8);
  const Eigen::MatrixXd w = m.constraints.effective(m.theta).w_rec;
  for (int j = 0; j < 200; ++j) {
    if (j < 160)
      EXPECT_GE(w.col(j).minCoeff(), 0.0) << "excitatory column " << j;
    else
      EXPECT_LE(w.col(j).maxCoeff(), 0.0) << "inhibitory column " << j;
  }
  EXPECT_NEAR(spectral_radius(w), 0.9, 1e-9);
  // Balanced: excitation and inhibition onto the average unit cancel.
  EXPECT_NEAR(w.sum(), 0.0, 1e-9 * w.cwiseAbs().sum());
}

TEST(InitDeterminism, SameSeedSameWeightsOtherSeedOtherWeights) {
  ModelSpec spec = spec_of(InitKind::normal, 1.0, 50);
  spec.inputs = 3;
  spec.outputs = 2;
  spec.x0 = X0Mode::learned;
  const InitialModel a = initialise(spec, 11), b = initialise(spec, 11), c = initialise(spec, 12);
  EXPECT_EQ(a.theta.w_rec, b.theta.w_rec);
  EXPECT_EQ(a.theta.w_in, b.theta.w_in);
  EXPECT_EQ(a.theta.x0, b.theta.x0);
  EXPECT_NE(a.theta.w_rec, c.theta.w_rec);
}

}  // namespace
}  // namespace rnnlab
