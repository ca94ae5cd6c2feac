// The fixed-point analysis's dense decompositions (analysis/dense_decompositions.hpp):
// leading_eigenpairs (LAPACK's dgeev where the build has it) against Eigen's
// EigenSolver on random matrices and against the known spectra of defective
// and nearly defective matrices; DenseLU (dgetrf) against A x = b, det A and
// Eigen's PartialPivLU.
#include <gtest/gtest.h>

#include <Eigen/Eigenvalues>
#include <Eigen/QR>
#include <cmath>
#include <complex>
#include <vector>

#include "analysis/dense_decompositions.hpp"
#include "util/error.hpp"
#include "util/rng.hpp"

namespace rnnlab {
namespace {

using cd = std::complex<double>;

Eigen::MatrixXd gaussian(int rows, int cols, double sd, std::uint64_t index) {
  Rng rng = Rng::stream(33, Purpose::user, index);
  Eigen::MatrixXd m(rows, cols);
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = sd * rng.normal();
  return m;
}

// A random orthogonal matrix: similarity by it keeps the eigenvalues'
// condition numbers those of the block structure alone.
Eigen::MatrixXd orthogonal(int n, std::uint64_t index) {
  return Eigen::HouseholderQR<Eigen::MatrixXd>(gaussian(n, n, 1.0, index)).householderQ();
}

// Each of `values` matched to the nearest unused one of `reference`; the
// largest distance (order-free: two solvers may order near-equal moduli apart).
double set_distance(const Eigen::VectorXcd& values, const Eigen::VectorXcd& reference) {
  std::vector<char> used(static_cast<std::size_t>(reference.size()), 0);
  double worst = 0.0;
  for (Eigen::Index i = 0; i < values.size(); ++i) {
    Eigen::Index best = -1;
    double d = INFINITY;
    for (Eigen::Index j = 0; j < reference.size(); ++j)
      if (!used[static_cast<std::size_t>(j)] && std::abs(values[i] - reference[j]) < d)
        d = std::abs(values[i] - reference[j]), best = j;
    if (best < 0) return INFINITY;
    used[static_cast<std::size_t>(best)] = 1;
    worst = std::max(worst, d);
  }
  return worst;
}

void expect_sorted_by_modulus(const Eigen::VectorXcd& l) {
  for (Eigen::Index i = 1; i < l.size(); ++i) {
    EXPECT_GE(std::abs(l[i - 1]), std::abs(l[i])) << i;
    if (std::abs(l[i - 1]) == std::abs(l[i])) {
      EXPECT_GE(l[i - 1].imag(), l[i].imag()) << i;
    }
  }
}

// Unit norm, largest entry real and positive, and A v = l v.
void expect_normalised_eigenvector(const Eigen::MatrixXd& a, cd l, const Eigen::VectorXcd& v, double tol) {
  EXPECT_NEAR(v.norm(), 1.0, 1e-12);
  Eigen::Index largest = 0;
  v.cwiseAbs().maxCoeff(&largest);
  EXPECT_EQ(v[largest].imag(), 0.0);
  EXPECT_GT(v[largest].real(), 0.0);
  EXPECT_LT((a.cast<cd>() * v - l * v).norm(), tol);
}

TEST(LeadingEigenpairs, MatchEigensSolverOnRandomMatrices) {
  // Jacobian-like (I (1 - a) + a W diag(d)) and plain Gaussian matrices.
  for (const int n : {1, 2, 7, 60, 150}) {
    SCOPED_TRACE("n = " + std::to_string(n));
    Eigen::MatrixXd a = gaussian(n, n, 1.5 / std::sqrt(n), static_cast<std::uint64_t>(n));
    if (n >= 60) {
      a = 0.1 * (a * gaussian(n, 1, 0.5, 99).cwiseAbs().asDiagonal());
      a.diagonal().array() += 0.9;
    }
    const int k = std::min(n, 4);
    const EigenPairs ours = leading_eigenpairs(a, k);
    ASSERT_EQ(ours.values.size(), n);
    ASSERT_EQ(ours.vectors.rows(), n);
    ASSERT_EQ(ours.vectors.cols(), k);
    expect_sorted_by_modulus(ours.values);

    const Eigen::EigenSolver<Eigen::MatrixXd> eigen(a);
    ASSERT_EQ(eigen.info(), Eigen::Success);
    EXPECT_LT(set_distance(ours.values, eigen.eigenvalues()), 1e-12);
    const double scale = a.norm();
    for (int i = 0; i < k; ++i) {
      expect_normalised_eigenvector(a, ours.values[i], ours.vectors.col(i), 1e-12 * scale * n);
      // Eigen's vector for the same eigenvalue, normalised as promised: equal
      // (these eigenvalues are simple and well separated).
      Eigen::Index j = 0;
      (eigen.eigenvalues().array() - ours.values[i]).abs().minCoeff(&j);
      Eigen::VectorXcd v = eigen.eigenvectors().col(j);
      Eigen::Index largest = 0;
      v.cwiseAbs().maxCoeff(&largest);
      v *= std::conj(v[largest]) / (std::abs(v[largest]) * v.norm());
      EXPECT_LT((v - ours.vectors.col(i)).norm(), 1e-9) << i;
    }
  }
}

TEST(LeadingEigenpairs, DefectiveMatrixHasItsJordanEigenvalue) {
  // S J S^T with a 3 x 3 Jordan block at 0.5, a simple 0.9, -0.3 and the pair
  // 0.2 +- 0.4i: the block's eigenvalue is computed only to ~eps^(1/3), as by
  // any backward-stable solver, but the mean of its three copies (the trace
  // of an invariant subspace) to roundoff.
  const int n = 7;
  Eigen::MatrixXd j = Eigen::MatrixXd::Zero(n, n);
  j(0, 0) = 0.9;
  for (int i = 1; i <= 3; ++i) j(i, i) = 0.5;
  j(1, 2) = j(2, 3) = 1.0;
  j(4, 4) = -0.3;
  j(5, 5) = j(6, 6) = 0.2;
  j(5, 6) = 0.4;
  j(6, 5) = -0.4;
  const Eigen::MatrixXd s = orthogonal(n, 5);
  const Eigen::MatrixXd a = s * j * s.transpose();

  const EigenPairs ours = leading_eigenpairs(a, 1);
  expect_sorted_by_modulus(ours.values);
  EXPECT_NEAR(ours.values[0].real(), 0.9, 1e-13);
  EXPECT_EQ(ours.values[0].imag(), 0.0);
  // The leading eigenvector is S e_0, up to the normalisation.
  Eigen::VectorXcd v = s.col(0).cast<cd>();
  Eigen::Index largest = 0;
  v.cwiseAbs().maxCoeff(&largest);
  v *= std::conj(v[largest]) / std::abs(v[largest]);
  EXPECT_LT((ours.vectors.col(0) - v).norm(), 1e-12);

  cd block_sum = 0.0;
  int in_block = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    const cd l = ours.values[i];
    if (std::abs(l - 0.5) < 1e-3) {
      ++in_block;
      block_sum += l;
      EXPECT_LT(std::abs(l - 0.5), 1e-4) << l;  // eps^(1/3) ~ 6e-6
    }
  }
  EXPECT_EQ(in_block, 3);
  EXPECT_LT(std::abs(block_sum / 3.0 - 0.5), 1e-12);
  // The other eigenvalues are simple: to roundoff, and as Eigen finds them.
  const Eigen::VectorXcd simple = (Eigen::VectorXcd(4) << 0.9, cd(0.2, 0.4), cd(0.2, -0.4), -0.3).finished();
  Eigen::VectorXcd rest(4);
  int r = 0;
  for (Eigen::Index i = 0; i < n; ++i)
    if (std::abs(ours.values[i] - 0.5) >= 1e-3) rest[r++] = ours.values[i];
  ASSERT_EQ(r, 4);
  EXPECT_LT(set_distance(rest, simple), 1e-12);
  EXPECT_LT(set_distance(ours.values, Eigen::EigenSolver<Eigen::MatrixXd>(a).eigenvalues()), 1e-4);
}

TEST(LeadingEigenpairs, NearlyDefectivePairIsResolved) {
  // [[0.5, 1], [d, 0.5]] has eigenvalues 0.5 +- sqrt(d); with d = 1e-10 they
  // are 1e-5 apart, a pair that roundoff alone (eps / sqrt(d) ~ 1e-11) does
  // not blur. And d = -1e-10: the complex pair 0.5 +- 1e-5 i.
  for (const double d : {1e-10, -1e-10}) {
    SCOPED_TRACE("d = " + std::to_string(d));
    const int n = 6;
    Eigen::MatrixXd j = Eigen::MatrixXd::Zero(n, n);
    j(0, 0) = j(1, 1) = 0.5;
    j(0, 1) = 1.0;
    j(1, 0) = d;
    for (int i = 2; i < n; ++i) j(i, i) = -0.1 * i;
    const Eigen::MatrixXd s = orthogonal(n, 6);
    const Eigen::MatrixXd a = s * j * s.transpose();
    const EigenPairs ours = leading_eigenpairs(a, 2);
    const double root = std::sqrt(std::abs(d));
    const cd plus = d > 0 ? cd(0.5 + root, 0.0) : cd(0.5, root), minus = d > 0 ? cd(0.5 - root, 0.0) : cd(0.5, -root);
    Eigen::VectorXcd expected(n);
    expected << plus, minus, -0.5, -0.4, -0.3, -0.2;
    EXPECT_LT(set_distance(ours.values, expected), 1e-9);
    EXPECT_LT(set_distance(ours.values, Eigen::EigenSolver<Eigen::MatrixXd>(a).eigenvalues()), 1e-9);
    expect_sorted_by_modulus(ours.values);
    for (int i = 0; i < 2; ++i) expect_normalised_eigenvector(a, ours.values[i], ours.vectors.col(i), 1e-10);
  }
}

TEST(LeadingEigenpairs, EdgeCases) {
  const EigenPairs empty = leading_eigenpairs(Eigen::MatrixXd(0, 0), 3);
  EXPECT_EQ(empty.values.size(), 0);
  const EigenPairs none = leading_eigenpairs(Eigen::MatrixXd::Identity(3, 3) * 2.0, 0);
  EXPECT_EQ(none.vectors.cols(), 0);
  for (Eigen::Index i = 0; i < 3; ++i) EXPECT_EQ(none.values[i], cd(2.0, 0.0));
  EXPECT_THROW(leading_eigenpairs(Eigen::MatrixXd::Zero(2, 3), 1), Error);
}

TEST(DenseLU, SolvesAndMatchesEigensPartialPivLU) {
  for (const int n : {1, 5, 90, 300}) {
    SCOPED_TRACE("n = " + std::to_string(n));
    const Eigen::MatrixXd a = gaussian(n, n, 1.0, 40 + static_cast<std::uint64_t>(n));
    const Eigen::VectorXd b = gaussian(n, 1, 1.0, 80 + static_cast<std::uint64_t>(n));
    DenseLU lu(n);
    lu.compute(a);
    const Eigen::VectorXd x = lu.solve(b);
    EXPECT_LT((a * x - b).norm(), 1e-11 * a.norm() * x.norm());
    const Eigen::PartialPivLU<Eigen::MatrixXd> eigen(a);
    // Same pivoting rule (largest entry of the column): the same factors.
    EXPECT_LT((lu.matrixLU() - eigen.matrixLU()).cwiseAbs().maxCoeff(), 1e-10);
    EXPECT_LT((x - eigen.solve(b)).norm(), 1e-10 * x.norm());
    // |det A| from U's diagonal.
    const double log_det = lu.matrixLU().diagonal().cwiseAbs().array().log().sum();
    EXPECT_NEAR(log_det, std::log(std::abs(eigen.determinant())), 1e-9 * n);
  }
}

TEST(DenseLU, SingularMatrixIsFactorisedNotThrown) {
  // Rank 2 of 3: U has a zero (to roundoff) on its diagonal, which the
  // fixed-point solver reads to fall back to least squares.
  Eigen::MatrixXd a(3, 3);
  a << 1, 2, 3, 4, 5, 6, 7, 8, 9;
  DenseLU lu;
  ASSERT_NO_THROW(lu.compute(a));
  const Eigen::VectorXd u = lu.matrixLU().diagonal().cwiseAbs();
  EXPECT_LT(u.minCoeff(), 1e-13 * u.maxCoeff());
  EXPECT_THROW(lu.solve(Eigen::VectorXd::Ones(2)), Error);
}

}  // namespace
}  // namespace rnnlab
