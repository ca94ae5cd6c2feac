// analysis/dense_decompositions.hpp: LAPACK's drivers when the build has
// LAPACK, Eigen's solvers otherwise.
#include "analysis/dense_decompositions.hpp"

#include <Eigen/Eigenvalues>
#include <Eigen/SVD>
#include <algorithm>
#include <climits>
#include <cstddef>
#include <mutex>
#include <string>
#include <vector>

#include "util/error.hpp"

#ifdef RNNLAB_HAVE_LAPACK
// The Fortran interface (no LAPACKE header needed); the trailing size_t
// arguments are the hidden lengths of the character arguments.
extern "C" {
void dgeev_(const char* jobvl, const char* jobvr, const int* n, double* a, const int* lda, double* wr, double* wi,
            double* vl, const int* ldvl, double* vr, const int* ldvr, double* work, const int* lwork, int* info,
            std::size_t, std::size_t);
void dsyevd_(const char* jobz, const char* uplo, const int* n, double* a, const int* lda, double* w, double* work,
             const int* lwork, int* iwork, const int* liwork, int* info, std::size_t, std::size_t);
void dgesdd_(const char* jobz, const int* m, const int* n, double* a, const int* lda, double* s, double* u,
             const int* ldu, double* vt, const int* ldvt, double* work, const int* lwork, int* iwork, int* info,
             std::size_t);
// OpenBLAS's thread count; absent (null) with the reference BLAS.
void openblas_set_num_threads(int) __attribute__((weak));
}
#endif

namespace rnnlab {

namespace {

#ifdef RNNLAB_HAVE_LAPACK
// Once per process, before the first call: OpenBLAS would otherwise use every
// core inside each call, competing with the analysis's own threads, and its
// blocked sums may then depend on the core count.
void single_threaded_blas() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (openblas_set_num_threads) openblas_set_num_threads(1);
  });
}

int lapack_size(Eigen::Index n, const char* what) {
  if (n > INT_MAX / 8) throw Error(std::string(what) + ": the matrix is too large for LAPACK's 32-bit sizes");
  return static_cast<int>(n);
}

void check_info(int info, const char* routine) {
  if (info < 0) throw Error(std::string(routine) + ": argument " + std::to_string(-info) + " was invalid");
  if (info > 0) throw Error(std::string(routine) + ": the iteration did not converge");
}
#endif

}  // namespace

bool using_lapack() {
#ifdef RNNLAB_HAVE_LAPACK
  return true;
#else
  return false;
#endif
}

Eigen::VectorXcd general_eigenvalues(const Eigen::MatrixXd& m) {
  if (m.size() == 0) return {};
#ifdef RNNLAB_HAVE_LAPACK
  single_threaded_blas();
  const int n = lapack_size(m.rows(), "eigenvalues");
  Eigen::MatrixXd a = m;  // overwritten
  Eigen::VectorXd wr(n), wi(n);
  int info = 0, lwork = -1, one = 1;
  double query = 0, unused = 0;
  dgeev_("N", "N", &n, a.data(), &n, wr.data(), wi.data(), &unused, &one, &unused, &one, &query, &lwork, &info, 1, 1);
  lwork = static_cast<int>(query);
  std::vector<double> work(static_cast<std::size_t>(std::max(lwork, 1)));
  dgeev_("N", "N", &n, a.data(), &n, wr.data(), wi.data(), &unused, &one, &unused, &one, work.data(), &lwork, &info,
         1, 1);
  check_info(info, "eigenvalues (dgeev)");
  Eigen::VectorXcd l(n);
  for (int k = 0; k < n; ++k) l(k) = {wr(k), wi(k)};
  return l;
#else
  Eigen::EigenSolver<Eigen::MatrixXd> solver(m, /*computeEigenvectors=*/false);
  if (solver.info() != Eigen::Success) throw Error("eigenvalues: the eigenvalue iteration did not converge");
  return solver.eigenvalues();
#endif
}

Eigen::VectorXd symmetric_eigenvalues(const Eigen::MatrixXd& m) {
  if (m.size() == 0) return {};
#ifdef RNNLAB_HAVE_LAPACK
  single_threaded_blas();
  const int n = lapack_size(m.rows(), "symmetric eigenvalues");
  Eigen::MatrixXd a = m;
  Eigen::VectorXd w(n);
  int info = 0, lwork = -1, liwork = -1, iquery = 0;
  double query = 0;
  dsyevd_("N", "L", &n, a.data(), &n, w.data(), &query, &lwork, &iquery, &liwork, &info, 1, 1);
  lwork = static_cast<int>(query);
  liwork = iquery;
  std::vector<double> work(static_cast<std::size_t>(std::max(lwork, 1)));
  std::vector<int> iwork(static_cast<std::size_t>(std::max(liwork, 1)));
  dsyevd_("N", "L", &n, a.data(), &n, w.data(), work.data(), &lwork, iwork.data(), &liwork, &info, 1, 1);
  check_info(info, "symmetric eigenvalues (dsyevd)");
  return w;
#else
  return Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(m, Eigen::EigenvaluesOnly).eigenvalues();
#endif
}

Eigen::VectorXd singular_values(const Eigen::MatrixXd& m) {
  if (m.size() == 0) return {};
#ifdef RNNLAB_HAVE_LAPACK
  single_threaded_blas();
  const int rows = lapack_size(m.rows(), "singular values"), cols = lapack_size(m.cols(), "singular values");
  Eigen::MatrixXd a = m;
  Eigen::VectorXd s(std::min(rows, cols));
  std::vector<int> iwork(8 * static_cast<std::size_t>(std::min(rows, cols)));
  int info = 0, lwork = -1, one = 1;
  double query = 0, unused = 0;
  dgesdd_("N", &rows, &cols, a.data(), &rows, s.data(), &unused, &one, &unused, &one, &query, &lwork, iwork.data(),
          &info, 1);
  lwork = static_cast<int>(query);
  std::vector<double> work(static_cast<std::size_t>(std::max(lwork, 1)));
  dgesdd_("N", &rows, &cols, a.data(), &rows, s.data(), &unused, &one, &unused, &one, work.data(), &lwork,
          iwork.data(), &info, 1);
  check_info(info, "singular values (dgesdd)");
  return s;
#else
  return Eigen::BDCSVD<Eigen::MatrixXd>(m).singularValues();
#endif
}

}  // namespace rnnlab
