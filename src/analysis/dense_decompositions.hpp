#pragma once
// The dense decompositions of the analyses: the eigenvalues and singular
// values of the spectrum analysis (analysis/spectrum.cpp), the eigenpairs of a
// fixed point's Jacobian and the LU of the fixed-point solver
// (analysis/fixed_points.cpp, fixed_point_solver.cpp). With LAPACK
// (RNNLAB_HAVE_LAPACK, found by CMake) they call its driver routines, which
// are blocked and about 10x faster than Eigen's at N = 2000 (dgeev 2.4 s
// against 26 s); without it, Eigen's solvers. LAPACK runs single-threaded
// here (OpenBLAS is told so), so a result has the same bits whatever the
// number of threads and however many networks are analysed at once.
#include <Eigen/Dense>
#include <vector>

namespace rnnlab {

// Eigenvalues of a square real matrix, in the solver's order. Throws Error if
// the iteration does not converge.
Eigen::VectorXcd general_eigenvalues(const Eigen::MatrixXd& m);
// Eigenvalues of a symmetric matrix (its lower triangle is read), ascending.
Eigen::VectorXd symmetric_eigenvalues(const Eigen::MatrixXd& m);
// Singular values, descending.
Eigen::VectorXd singular_values(const Eigen::MatrixXd& m);

// Eigenvalues of a square real matrix sorted by modulus, descending (ties,
// i.e. conjugate pairs, by imaginary part, descending; then by real part), and
// the right eigenvectors of the first k of them (N x k), each of unit 2-norm
// with its largest-modulus entry (the first of equals) real and positive. The
// order and the normalisation depend only on the eigenpairs, not on the
// solver, so LAPACK (dgeev, ~4x faster than Eigen's EigenSolver at N = 400)
// and Eigen give the same result to roundoff. Throws Error if the iteration
// does not converge.
struct EigenPairs {
  Eigen::VectorXcd values;
  Eigen::MatrixXcd vectors;
};
EigenPairs leading_eigenpairs(const Eigen::MatrixXd& m, int k);

// LU with partial pivoting of a square matrix, P A = L U: LAPACK's dgetrf
// (blocked, about 2x Eigen's PartialPivLU at N = 400) or Eigen's. The
// interface is the part of Eigen::PartialPivLU the fixed-point solver uses.
class DenseLU {
 public:
  DenseLU() = default;
  explicit DenseLU(Eigen::Index n);  // reserves the storage of an n x n factor
  void compute(const Eigen::MatrixXd& a);
  // L (unit lower, below the diagonal) and U (upper) packed in one matrix.
  const Eigen::MatrixXd& matrixLU() const;
  // A^{-1} b.
  Eigen::VectorXd solve(const Eigen::VectorXd& b) const;

 private:
  // The same members with and without LAPACK (this header is compiled into
  // code built either way): the factors, and the permutation as row indices,
  // row i of P A being row row_of_[i] of A.
  Eigen::MatrixXd lu_;
  std::vector<int> row_of_;
};

// Whether this build calls LAPACK (for messages and the benchmark notes).
bool using_lapack();

}  // namespace rnnlab
