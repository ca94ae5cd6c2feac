#pragma once
// The dense eigenvalue and singular-value computations of the spectrum
// analysis (analysis/spectrum.cpp), each values only. With LAPACK
// (RNNLAB_HAVE_LAPACK, found by CMake) they call its driver routines, which
// are blocked and about 10x faster than Eigen's at N = 2000 (dgeev 2.4 s
// against 26 s); without it, Eigen's solvers. LAPACK runs single-threaded
// here (OpenBLAS is told so), so a result has the same bits whatever the
// number of threads and however many networks are analysed at once.
#include <Eigen/Dense>

namespace rnnlab {

// Eigenvalues of a square real matrix, in the solver's order. Throws Error if
// the iteration does not converge.
Eigen::VectorXcd general_eigenvalues(const Eigen::MatrixXd& m);
// Eigenvalues of a symmetric matrix (its lower triangle is read), ascending.
Eigen::VectorXd symmetric_eigenvalues(const Eigen::MatrixXd& m);
// Singular values, descending.
Eigen::VectorXd singular_values(const Eigen::MatrixXd& m);

// Whether this build calls LAPACK (for messages and the benchmark notes).
bool using_lapack();

}  // namespace rnnlab
