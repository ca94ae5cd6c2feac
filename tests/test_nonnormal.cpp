// Non-normal structure (analysis/nonnormal.hpp) against closed forms: a normal
// matrix (no departure, no amplification, pseudospectra = distance to the
// spectrum) and the 2x2 Jordan-like matrix A = [[-1, w], [0, -1]].
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <cmath>
#include <complex>

#include "analysis/nonnormal.hpp"
#include "util/error.hpp"
#include "util/rng.hpp"

namespace rnnlab {
namespace {

// Q D Q^T with Q a random orthogonal matrix and D block diagonal with the
// eigenvalues -0.3, -1.2, -0.5 +- 0.8i, -0.1 +- 2i: normal, not symmetric.
Eigen::MatrixXd normal_matrix(Eigen::VectorXcd& eigenvalues) {
  Eigen::MatrixXd d = Eigen::MatrixXd::Zero(6, 6);
  d(0, 0) = -0.3;
  d(1, 1) = -1.2;
  d.block<2, 2>(2, 2) << -0.5, 0.8, -0.8, -0.5;
  d.block<2, 2>(4, 4) << -0.1, 2.0, -2.0, -0.1;
  eigenvalues.resize(6);
  eigenvalues << -0.3, -1.2, std::complex<double>(-0.5, 0.8), std::complex<double>(-0.5, -0.8),
      std::complex<double>(-0.1, 2.0), std::complex<double>(-0.1, -2.0);
  Rng rng(7);
  Eigen::MatrixXd g(6, 6);
  for (int j = 0; j < 6; ++j)
    for (int i = 0; i < 6; ++i) g(i, j) = rng.normal();
  const Eigen::MatrixXd q = Eigen::HouseholderQR<Eigen::MatrixXd>(g).householderQ();
  return q * d * q.transpose();
}

Eigen::Matrix2d jordan(double w) { return (Eigen::Matrix2d() << -1.0, w, 0.0, -1.0).finished(); }

// ||[[1, s], [0, 1]]||_2 = (|s| + sqrt(s^2 + 4)) / 2.
double shear_norm(double s) { return (std::abs(s) + std::sqrt(s * s + 4.0)) / 2.0; }

TEST(NonNormal, NormalMatrixHasNoDepartureAndBlockDiagonalSchurForm) {
  Eigen::VectorXcd l;
  const Eigen::MatrixXd a = normal_matrix(l);
  const SchurStructure s = schur_structure(a);
  EXPECT_LT((s.q * s.t * s.q.transpose() - a).norm(), 1e-12);
  EXPECT_LT((s.q.transpose() * s.q - Eigen::MatrixXd::Identity(6, 6)).norm(), 1e-12);
  EXPECT_LT(s.henrici, 1e-6);
  EXPECT_LT(s.strictly_upper_norm, 1e-6);
  EXPECT_LT(s.relative_upper, 1e-6);
  EXPECT_NEAR(s.block_diagonal_norm, std::sqrt(l.squaredNorm()), 1e-12);
  EXPECT_NEAR(s.frobenius_norm, std::sqrt(l.squaredNorm()), 1e-12);
}

TEST(NonNormal, JordanDepartureIsClosedForm) {
  for (double w : {0.5, 5.0, -3.0}) {
    const SchurStructure s = schur_structure(jordan(w));
    // ||A||_F^2 = 2 + w^2, sum |l|^2 = 2: Henrici = |w| / sqrt(2 + w^2).
    EXPECT_NEAR(s.henrici, std::abs(w) / std::sqrt(2.0 + w * w), 1e-12) << w;
    // Already triangular: T's diagonal is (-1, -1), its upper part w.
    EXPECT_NEAR(s.block_diagonal_norm, std::sqrt(2.0), 1e-12);
    EXPECT_NEAR(s.strictly_upper_norm, std::abs(w), 1e-12);
    EXPECT_NEAR(s.relative_upper, std::abs(w) / std::sqrt(2.0), 1e-12);
  }
  // A complex pair's 2x2 block counts as diagonal: a rotation has no upper part.
  const SchurStructure rotation = schur_structure((Eigen::Matrix2d() << 0.0, 1.0, -1.0, 0.0).finished());
  EXPECT_NEAR(rotation.strictly_upper_norm, 0.0, 1e-12);
  EXPECT_NEAR(rotation.henrici, 0.0, 1e-12);
}

TEST(NonNormal, NormalMatrixDoesNotAmplify) {
  Eigen::VectorXcd l;
  const Eigen::MatrixXd a = normal_matrix(l);
  const AmplificationCurve c = continuous_amplification(a, 10.0, 100);
  ASSERT_EQ(c.t.size(), 101);
  // ||exp(tA)||_2 = exp(t max Re l) = exp(-0.1 t): monotone, largest (1) at t = 0.
  for (Eigen::Index k = 0; k < c.t.size(); ++k) EXPECT_NEAR(c.norm(k), std::exp(-0.1 * c.t(k)), 1e-10) << c.t(k);
  EXPECT_NEAR(c.max_norm, 1.0, 1e-12);
  EXPECT_EQ(c.t_at_max, 0.0);
}

TEST(NonNormal, JordanAmplificationIsClosedForm) {
  const double w = 5.0;
  const AmplificationCurve c = continuous_amplification(jordan(w), 8.0, 400);
  // exp(tA) = e^{-t} [[1, w t], [0, 1]], so ||exp(tA)||_2 = e^{-t} (|w| t + sqrt(w^2 t^2 + 4)) / 2.
  double best = 0.0, best_t = 0.0;
  for (Eigen::Index k = 0; k < c.t.size(); ++k) {
    const double t = c.t(k);
    const double truth = std::exp(-t) * shear_norm(w * t);
    EXPECT_NEAR(c.norm(k), truth, 1e-10 * std::max(1.0, truth)) << t;
    if (truth > best) best = truth, best_t = t;
  }
  EXPECT_NEAR(c.max_norm, best, 1e-10);
  EXPECT_EQ(c.t_at_max, best_t);
  EXPECT_GT(c.max_norm, 1.8) << "w = 5 amplifies although both eigenvalues are -1";

  // The step map of the linear network with leak a: J = (1-a) I + a A =
  // c [[1, a w / c], [0, 1]] with c = 1 - 2a, so ||J^k||_2 = |c|^k ||[[1, k a w / c], [0, 1]]||_2,
  // and (J - I) / a = A - I = [[-2, w], [0, -2]], whose exponential is e^{-2t} [[1, w t], [0, 1]].
  const double alpha = 0.1;
  Eigen::MatrixXd j = alpha * jordan(w);
  j.diagonal().array() += 1.0 - alpha;
  const TransientAmplification both = transient_amplification(j, alpha, 5.0, 100);
  ASSERT_EQ(both.per_step.t.size(), 51);  // 5 tau = 50 steps of a = 0.1
  const double cc = 1.0 - 2.0 * alpha;
  for (int k = 0; k <= 50; ++k)
    EXPECT_NEAR(both.per_step.norm(k), std::pow(cc, k) * shear_norm(k * alpha * w / cc), 1e-10) << k;
  for (Eigen::Index k = 0; k < both.per_tau.t.size(); ++k) {
    const double t = both.per_tau.t(k);
    EXPECT_NEAR(both.per_tau.norm(k), std::exp(-2.0 * t) * shear_norm(w * t), 1e-10) << t;
  }
}

TEST(NonNormal, PseudospectrumOfNormalMatrixIsDistanceToSpectrum) {
  Eigen::VectorXcd l;
  const Eigen::MatrixXd a = normal_matrix(l);
  const Pseudospectrum p = pseudospectrum(a, 15, 0.5);
  ASSERT_EQ(p.sigma_min.rows(), 15);
  ASSERT_EQ(p.sigma_min.cols(), 15);
  // The automatic grid covers the spectrum: [-1.2, -0.1] x [-2, 2], widened by 0.5 * 2.0025.
  EXPECT_LT(p.re(0), -1.2);
  EXPECT_GT(p.re(14), -0.1);
  EXPECT_NEAR(p.im(14), -p.im(0), 1e-15);
  EXPECT_GT(p.im(14), 2.0);
  for (Eigen::Index i = 0; i < p.im.size(); ++i)
    for (Eigen::Index j = 0; j < p.re.size(); ++j) {
      const std::complex<double> z(p.re(j), p.im(i));
      const double distance = (l.array() - z).abs().minCoeff();
      EXPECT_NEAR(p.sigma_min(i, j), distance, 1e-10) << z;
    }
  // The same bits with any number of threads.
  EXPECT_EQ(pseudospectrum(a, 15, 0.5, 1).sigma_min, pseudospectrum(a, 15, 0.5, 4).sigma_min);
}

TEST(NonNormal, JordanPseudospectrumIsClosedForm) {
  const double w = 5.0;
  Eigen::VectorXd re = Eigen::VectorXd::LinSpaced(9, -2.0, 0.0);
  Eigen::VectorXd im = Eigen::VectorXd::LinSpaced(5, -1.0, 1.0);
  const Pseudospectrum p = pseudospectrum(jordan(w), re, im);
  // zI - A = [[d, -w], [0, d]] with d = z + 1: singular values (sqrt(w^2 + 4|d|^2) +- |w|) / 2.
  for (Eigen::Index i = 0; i < im.size(); ++i)
    for (Eigen::Index j = 0; j < re.size(); ++j) {
      const double d = std::abs(std::complex<double>(re(j) + 1.0, im(i)));
      EXPECT_NEAR(p.sigma_min(i, j), (std::sqrt(w * w + 4 * d * d) - w) / 2.0, 1e-12) << re(j) << " " << im(i);
    }
  // Far smaller than the distance |d| to the eigenvalue: the pseudospectra
  // of a non-normal matrix reach far beyond its spectrum.
  EXPECT_LT(p.sigma_min(2, 0), 0.25);  // z = -2, |d| = 1
}

TEST(NonNormal, RefusesNonSquareMatrices) {
  EXPECT_THROW(schur_structure(Eigen::MatrixXd::Zero(2, 3)), InputError);
  EXPECT_THROW(pseudospectrum(Eigen::MatrixXd::Zero(3, 2)), InputError);
  EXPECT_THROW(continuous_amplification(Eigen::MatrixXd::Zero(3, 2), 1.0, 10), InputError);
  EXPECT_THROW(transient_amplification(Eigen::MatrixXd::Identity(2, 2), 0.0), InputError);
}

}  // namespace
}  // namespace rnnlab
