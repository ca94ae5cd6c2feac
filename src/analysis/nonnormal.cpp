#include "analysis/nonnormal.hpp"

#include <Eigen/Eigenvalues>
#include <Eigen/SVD>
#include <algorithm>
#include <atomic>
#include <cmath>
#include <complex>
#include <limits>
#include <string>
#include <thread>
#include <vector>
#include <unsupported/Eigen/MatrixFunctions>

#include "util/error.hpp"

namespace rnnlab {

namespace {

void require_square(const Eigen::MatrixXd& a, const char* what) {
  if (a.rows() != a.cols())
    throw InputError(std::string(what) + " needs a square matrix, got " + std::to_string(a.rows()) + " x " +
                     std::to_string(a.cols()));
  if (!a.allFinite()) throw InputError(std::string(what) + ": the matrix has NaN or infinite entries");
}

double largest_singular_value(const Eigen::MatrixXd& m) {
  if (m.size() == 0) return 0.0;
  Eigen::BDCSVD<Eigen::MatrixXd> svd(m);
  return svd.singularValues()(0);
}

}  // namespace

SchurStructure schur_structure(const Eigen::MatrixXd& a) {
  require_square(a, "the Schur form");
  SchurStructure s;
  const Eigen::Index n = a.rows();
  s.frobenius_norm = a.norm();
  if (n == 0) return s;
  Eigen::RealSchur<Eigen::MatrixXd> schur(a);
  s.q = schur.matrixU();
  s.t = schur.matrixT();
  // Walk the diagonal blocks: Eigen leaves a nonzero subdiagonal entry only
  // inside the 2x2 block of a complex pair. Sum |l|^2 comes from the blocks
  // too: l^2 for a real one, 2 |l|^2 = 2 det(B) for a pair.
  double diagonal_sq = 0.0, eigen_sq = 0.0;
  for (Eigen::Index i = 0; i < n;) {
    if (i + 1 < n && s.t(i + 1, i) != 0.0) {
      const Eigen::Matrix2d block = s.t.block<2, 2>(i, i);
      diagonal_sq += block.squaredNorm();
      eigen_sq += 2.0 * std::abs(block.determinant());
      i += 2;
    } else {
      diagonal_sq += s.t(i, i) * s.t(i, i);
      eigen_sq += s.t(i, i) * s.t(i, i);
      i += 1;
    }
  }
  const double total_sq = s.t.squaredNorm();  // = ||A||_F^2 up to roundoff (Q is orthogonal)
  s.block_diagonal_norm = std::sqrt(diagonal_sq);
  s.strictly_upper_norm = std::sqrt(std::max(0.0, total_sq - diagonal_sq));
  s.relative_upper = s.block_diagonal_norm > 0 ? s.strictly_upper_norm / s.block_diagonal_norm : 0.0;
  // Rounding can make the radicand slightly negative for a normal matrix.
  s.henrici = total_sq > 0 ? std::sqrt(std::max(0.0, total_sq - eigen_sq) / total_sq) : 0.0;
  return s;
}

Pseudospectrum pseudospectrum(const Eigen::MatrixXd& a, const Eigen::VectorXd& re, const Eigen::VectorXd& im,
                              int threads) {
  require_square(a, "the pseudospectrum");
  Pseudospectrum p;
  p.re = re;
  p.im = im;
  p.sigma_min.resize(im.size(), re.size());
  const Eigen::Index n = a.rows();
  if (n == 0) {
    p.sigma_min.setConstant(std::numeric_limits<double>::infinity());
    return p;
  }
  // sigma_min(zI - A) = sigma_min(zI - T) for the complex Schur form
  // A = U T U^* (U unitary): the factorisation is done once, and every grid
  // point then only shifts T's diagonal.
  Eigen::ComplexSchur<Eigen::MatrixXcd> schur(a.cast<std::complex<double>>());
  const Eigen::MatrixXcd t = schur.matrixT().triangularView<Eigen::Upper>();
  // Grid rows are independent: worker threads take them in turn, and each
  // value is computed the same way whichever thread does it.
  std::atomic<Eigen::Index> next_row{0};
  auto work = [&] {
    Eigen::MatrixXcd shifted(n, n);
    for (Eigen::Index i = next_row++; i < im.size(); i = next_row++) {
      for (Eigen::Index j = 0; j < re.size(); ++j) {
        const std::complex<double> z(re(j), im(i));
        shifted = -t;
        shifted.diagonal().array() += z;
        Eigen::BDCSVD<Eigen::MatrixXcd> svd(shifted);
        p.sigma_min(i, j) = svd.singularValues()(n - 1);
      }
    }
  };
  const int workers = static_cast<int>(std::min<Eigen::Index>(
      threads > 0 ? threads : std::max(1u, std::thread::hardware_concurrency()), std::max<Eigen::Index>(im.size(), 1)));
  std::vector<std::thread> pool;
  for (int w = 1; w < workers; ++w) pool.emplace_back(work);
  work();
  for (std::thread& thread : pool) thread.join();
  return p;
}

Pseudospectrum pseudospectrum(const Eigen::MatrixXd& a, int points, double margin, int threads) {
  require_square(a, "the pseudospectrum");
  if (points < 2) throw InputError("the pseudospectrum grid needs at least 2 points per axis, got " + std::to_string(points));
  if (!(margin >= 0)) throw InputError("the pseudospectrum margin must be >= 0");
  double lo_re = 0, hi_re = 0, lo_im = 0, hi_im = 0, radius = 0;
  if (a.rows() > 0) {
    const Eigen::VectorXcd l = a.eigenvalues();
    lo_re = l.real().minCoeff();
    hi_re = l.real().maxCoeff();
    lo_im = l.imag().minCoeff();
    hi_im = l.imag().maxCoeff();
    radius = l.cwiseAbs().maxCoeff();
  }
  const double pad = margin * std::max(radius, 1.0);
  // A real matrix's spectrum is symmetric about the real axis; so is the grid.
  const double half_im = std::max(std::abs(lo_im), std::abs(hi_im)) + pad;
  return pseudospectrum(a, Eigen::VectorXd::LinSpaced(points, lo_re - pad, hi_re + pad),
                        Eigen::VectorXd::LinSpaced(points, -half_im, half_im), threads);
}

AmplificationCurve continuous_amplification(const Eigen::MatrixXd& a, double t_max, int steps) {
  require_square(a, "transient amplification");
  if (steps < 1) throw InputError("transient amplification needs at least 1 time step");
  if (!(t_max > 0) || !std::isfinite(t_max)) throw InputError("transient amplification needs a time span > 0");
  AmplificationCurve c;
  c.t = Eigen::VectorXd::LinSpaced(steps + 1, 0.0, t_max);
  c.norm.resize(steps + 1);
  // exp(k h A) = exp(h A)^k on the uniform grid: one exponential, then products.
  const Eigen::MatrixXd step = (a * (t_max / steps)).exp();
  Eigen::MatrixXd power = Eigen::MatrixXd::Identity(a.rows(), a.cols());
  for (int k = 0; k <= steps; ++k) {
    if (k > 0) power = step * power;
    c.norm(k) = a.rows() > 0 ? largest_singular_value(power) : 1.0;
  }
  Eigen::Index at = 0;
  c.max_norm = c.norm.maxCoeff(&at);
  c.t_at_max = c.t(at);
  return c;
}

AmplificationCurve discrete_amplification(const Eigen::MatrixXd& m, int steps) {
  require_square(m, "transient amplification");
  if (steps < 1) throw InputError("transient amplification needs at least 1 step");
  AmplificationCurve c;
  c.t = Eigen::VectorXd::LinSpaced(steps + 1, 0.0, steps);
  c.norm.resize(steps + 1);
  Eigen::MatrixXd power = Eigen::MatrixXd::Identity(m.rows(), m.cols());
  for (int k = 0; k <= steps; ++k) {
    if (k > 0) power = m * power;
    c.norm(k) = m.rows() > 0 ? largest_singular_value(power) : 1.0;
  }
  Eigen::Index at = 0;
  c.max_norm = c.norm.maxCoeff(&at);
  c.t_at_max = c.t(at);
  return c;
}

TransientAmplification transient_amplification(const Eigen::MatrixXd& step_map, double alpha, double t_max_tau,
                                               int points) {
  require_square(step_map, "transient amplification");
  if (!(alpha > 0 && alpha <= 1)) throw InputError("transient amplification needs a leak alpha in (0, 1]");
  TransientAmplification r;
  r.alpha = alpha;
  Eigen::MatrixXd continuous = step_map;
  continuous.diagonal().array() -= 1.0;
  continuous /= alpha;  // A_c = (J - I) / a, rates in 1/tau
  r.per_tau = continuous_amplification(continuous, t_max_tau, points);
  r.per_step = discrete_amplification(step_map, static_cast<int>(std::ceil(t_max_tau / alpha - 1e-9)));
  return r;
}

}  // namespace rnnlab
