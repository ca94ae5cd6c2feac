// analysis/dense_decompositions.hpp: LAPACK's drivers when the build has
// LAPACK, Eigen's solvers otherwise.
#include "analysis/dense_decompositions.hpp"

#include <Eigen/Eigenvalues>
#include <Eigen/SVD>
#include <algorithm>
#include <climits>
#include <cstddef>
#include <functional>
#include <complex>
#include <mutex>
#include <numeric>
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
void dgetrf_(const int* m, const int* n, double* a, const int* lda, int* ipiv, int* info);
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

// v scaled to unit 2-norm with its largest-modulus entry real and positive:
// an eigenvector is determined up to a complex factor, and each solver picks
// its own.
Eigen::VectorXcd normalised_eigenvector(Eigen::VectorXcd v) {
  Eigen::Index largest = 0;
  double size = -1.0;
  for (Eigen::Index i = 0; i < v.size(); ++i)
    if (std::abs(v[i]) > size) size = std::abs(v[i]), largest = i;
  const double norm = v.norm();
  if (!(norm > 0.0)) return v;
  v *= std::conj(v[largest]) / (size * norm);
  v[largest] = std::abs(v[largest]);  // real exactly, not to roundoff
  return v;
}

// The positions of `values` sorted as leading_eigenpairs promises.
std::vector<int> descending_modulus_order(const Eigen::VectorXcd& values) {
  std::vector<int> order(static_cast<std::size_t>(values.size()));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int i, int j) {
    const double mi = std::abs(values[i]), mj = std::abs(values[j]);
    if (mi != mj) return mi > mj;
    if (values[i].imag() != values[j].imag()) return values[i].imag() > values[j].imag();
    return values[i].real() > values[j].real();
  });
  return order;
}

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

EigenPairs leading_eigenpairs(const Eigen::MatrixXd& m, int k) {
  const Eigen::Index n = m.rows();
  if (m.cols() != n) throw Error("eigenpairs: the matrix is not square");
  k = static_cast<int>(std::clamp<Eigen::Index>(k, 0, n));
  EigenPairs out;
  if (n == 0) return out;
  Eigen::VectorXcd values(n);
  // The right eigenvector of the eigenvalue at solver position i.
  std::function<Eigen::VectorXcd(int)> vector_at;
#ifdef RNNLAB_HAVE_LAPACK
  single_threaded_blas();
  const int size = lapack_size(n, "eigenpairs");
  Eigen::MatrixXd a = m;  // overwritten
  Eigen::VectorXd wr(n), wi(n);
  Eigen::MatrixXd vr(k > 0 ? n : 1, k > 0 ? n : 1);
  const char* jobvr = k > 0 ? "V" : "N";
  const int ldvr = static_cast<int>(vr.rows());
  int info = 0, lwork = -1, one = 1;
  double query = 0, unused = 0;
  dgeev_("N", jobvr, &size, a.data(), &size, wr.data(), wi.data(), &unused, &one, vr.data(), &ldvr, &query, &lwork,
         &info, 1, 1);
  lwork = static_cast<int>(query);
  std::vector<double> work(static_cast<std::size_t>(std::max(lwork, 1)));
  dgeev_("N", jobvr, &size, a.data(), &size, wr.data(), wi.data(), &unused, &one, vr.data(), &ldvr, work.data(),
         &lwork, &info, 1, 1);
  check_info(info, "eigenpairs (dgeev)");
  for (Eigen::Index i = 0; i < n; ++i) values[i] = {wr[i], wi[i]};
  // dgeev stores a complex pair's vectors as re and im in two columns, the
  // one with positive imaginary part first.
  vector_at = [&](int i) -> Eigen::VectorXcd {
    if (wi[i] == 0.0) return vr.col(i).cast<std::complex<double>>();
    const int first = wi[i] > 0.0 ? i : i - 1;
    const double sign = wi[i] > 0.0 ? 1.0 : -1.0;
    Eigen::VectorXcd v(n);
    for (Eigen::Index r = 0; r < n; ++r) v[r] = {vr(r, first), sign * vr(r, first + 1)};
    return v;
  };
#else
  Eigen::EigenSolver<Eigen::MatrixXd> solver(m, /*computeEigenvectors=*/k > 0);
  if (solver.info() != Eigen::Success) throw Error("eigenpairs: the eigenvalue iteration did not converge");
  values = solver.eigenvalues();
  vector_at = [&](int i) -> Eigen::VectorXcd { return solver.eigenvectors().col(i); };
#endif
  const std::vector<int> order = descending_modulus_order(values);
  out.values.resize(n);
  out.vectors.resize(n, k);
  for (Eigen::Index i = 0; i < n; ++i) out.values[i] = values[order[static_cast<std::size_t>(i)]];
  for (int i = 0; i < k; ++i) out.vectors.col(i) = normalised_eigenvector(vector_at(order[static_cast<std::size_t>(i)]));
  return out;
}

DenseLU::DenseLU(Eigen::Index n) : lu_(n, n), row_of_(static_cast<std::size_t>(n)) {}

void DenseLU::compute(const Eigen::MatrixXd& a) {
  if (a.rows() != a.cols()) throw Error("LU: the matrix is not square");
  const Eigen::Index n = a.rows();
  row_of_.resize(static_cast<std::size_t>(n));
  std::iota(row_of_.begin(), row_of_.end(), 0);
  if (n == 0) {
    lu_.resize(0, 0);
    return;
  }
#ifdef RNNLAB_HAVE_LAPACK
  single_threaded_blas();
  const int size = lapack_size(n, "LU");
  lu_ = a;
  std::vector<int> swaps(static_cast<std::size_t>(n));
  int info = 0;
  dgetrf_(&size, &size, lu_.data(), &size, swaps.data(), &info);
  // info > 0: U has an exact zero on its diagonal. Not an error here (as with
  // Eigen's PartialPivLU): the caller looks at U's diagonal.
  if (info < 0) check_info(info, "LU (dgetrf)");
  // Row i was swapped with row swaps[i] - 1, in order of i.
  for (std::size_t i = 0; i < swaps.size(); ++i) std::swap(row_of_[i], row_of_[static_cast<std::size_t>(swaps[i] - 1)]);
#else
  const Eigen::PartialPivLU<Eigen::MatrixXd> lu(a);
  lu_ = lu.matrixLU();
  // Eigen's P sends row i of A to row indices(i) of P A.
  const auto& to = lu.permutationP().indices();
  for (Eigen::Index i = 0; i < n; ++i) row_of_[static_cast<std::size_t>(to[i])] = static_cast<int>(i);
#endif
}

const Eigen::MatrixXd& DenseLU::matrixLU() const { return lu_; }

Eigen::VectorXd DenseLU::solve(const Eigen::VectorXd& b) const {
  if (b.size() != lu_.rows()) throw Error("LU: the right-hand side has the wrong size");
  Eigen::VectorXd y(b.size());
  for (Eigen::Index i = 0; i < b.size(); ++i) y[i] = b[row_of_[static_cast<std::size_t>(i)]];
  lu_.triangularView<Eigen::UnitLower>().solveInPlace(y);
  lu_.triangularView<Eigen::Upper>().solveInPlace(y);
  return y;
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
