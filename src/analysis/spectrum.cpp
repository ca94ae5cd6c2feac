#include "analysis/spectrum.hpp"

#include <Eigen/Eigenvalues>
#include <Eigen/SVD>
#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "analysis/linearise.hpp"
#include "util/error.hpp"

namespace rnnlab {

namespace {

void require_square(const Eigen::MatrixXd& m, const char* what) {
  if (m.rows() != m.cols())
    throw Error(std::string(what) + ": expected a square matrix, got " + std::to_string(m.rows()) + " x " +
                std::to_string(m.cols()));
}

// Descending order of a real vector.
Eigen::VectorXd sorted_descending(Eigen::VectorXd v) {
  std::sort(v.data(), v.data() + v.size(), [](double a, double b) { return a > b; });
  return v;
}

// The mode of an eigenvalue of the analysed matrix: W_rec's eigenvalues go
// through the linear network's map first (header comment of spectrum.hpp).
EigenMode mode_of(std::complex<double> l, const Spectrum& s) {
  const std::complex<double> step = s.is_step_map ? l : (1.0 - s.alpha) + s.alpha * l;
  EigenMode mode = mode_of_step_eigenvalue(step, s.alpha, s.dt);
  mode.eigenvalue = l;
  return mode;
}

// Linear interpolation between order statistics (NumPy's default quantile).
double quantile(std::vector<double> values, double q) {
  if (values.empty()) return 0.0;
  std::sort(values.begin(), values.end());
  const double pos = q * static_cast<double>(values.size() - 1);
  const std::size_t lo = static_cast<std::size_t>(std::floor(pos));
  const std::size_t hi = std::min(lo + 1, values.size() - 1);
  const double frac = pos - static_cast<double>(lo);
  return values[lo] + frac * (values[hi] - values[lo]);
}

}  // namespace

EigenMode mode_of_step_eigenvalue(std::complex<double> step_eigenvalue, double alpha, double dt_ms) {
  EigenMode mode;
  mode.eigenvalue = step_eigenvalue;
  mode.step_eigenvalue = step_eigenvalue;
  mode.continuous = continuous_eigenvalue(step_eigenvalue, alpha);
  mode.time_constant_ms = time_constant_ms(mode.continuous, dt_ms / alpha);
  mode.frequency_hz = frequency_hz(step_eigenvalue, dt_ms);
  return mode;
}

Eigen::VectorXcd sorted_eigenvalues(const Eigen::MatrixXd& m) {
  require_square(m, "eigenvalues");
  if (m.size() == 0) return {};
  Eigen::EigenSolver<Eigen::MatrixXd> solver(m, /*computeEigenvectors=*/false);
  if (solver.info() != Eigen::Success) throw Error("eigenvalues: the eigenvalue iteration did not converge");
  Eigen::VectorXcd l = solver.eigenvalues();
  // The solver returns a conjugate pair as (re, +im), (re, -im) with identical
  // moduli, so the tie-break on Im keeps pairs together, +Im first.
  std::sort(l.data(), l.data() + l.size(), [](const std::complex<double>& a, const std::complex<double>& b) {
    const double ma = std::abs(a), mb = std::abs(b);
    if (ma != mb) return ma > mb;
    return a.imag() > b.imag();
  });
  return l;
}

Spectrum compute_spectrum(const Eigen::MatrixXd& m, double alpha, double dt, bool is_step_map) {
  require_square(m, "spectrum");
  if (!(alpha > 0) || !(dt > 0)) throw Error("spectrum: alpha and dt must be positive");
  Spectrum s;
  s.is_step_map = is_step_map;
  s.alpha = alpha;
  s.dt = dt;
  s.eigenvalues = sorted_eigenvalues(m);
  const Eigen::Index n = s.eigenvalues.size();
  if (n == 0) return s;

  s.spectral_radius = std::abs(s.eigenvalues(0));
  s.outside_unit_circle = (s.eigenvalues.array().abs() > 1.0).count();
  s.leading = mode_of(s.eigenvalues(0), s);
  for (Eigen::Index k = 0; k < n; ++k) {
    const std::complex<double> l = s.eigenvalues(k);
    // Real eigenvalues come out of the QR iteration with Im exactly 0; a small
    // relative threshold still guards against a rounding-level imaginary part.
    if (l.imag() > 1e-12 * std::max(1.0, std::abs(l))) {
      s.has_complex_pair = true;
      s.leading_complex = mode_of(l, s);
      break;
    }
  }

  s.frobenius_norm = m.norm();
  const double sum_sq = s.eigenvalues.squaredNorm();
  const double f2 = s.frobenius_norm * s.frobenius_norm;
  s.henrici = f2 > 0 ? std::sqrt(std::max(0.0, f2 - sum_sq)) / s.frobenius_norm : 0.0;

  const Eigen::MatrixXd sym = 0.5 * (m + m.transpose());
  s.symmetric_eigenvalues = sorted_descending(Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(sym, Eigen::EigenvaluesOnly).eigenvalues());
  // A = (W - W^T)/2 is real antisymmetric, so iA is Hermitian with real
  // eigenvalues w, and A's eigenvalues are -i w: the imaginary parts are -w
  // (a set symmetric about 0). The Hermitian solver is exact and fast here.
  const Eigen::MatrixXd anti = 0.5 * (m - m.transpose());
  const Eigen::MatrixXcd ia = std::complex<double>(0.0, 1.0) * anti.cast<std::complex<double>>();
  s.antisymmetric_eigenvalues =
      sorted_descending(-Eigen::SelfAdjointEigenSolver<Eigen::MatrixXcd>(ia, Eigen::EigenvaluesOnly).eigenvalues());
  s.singular_values = Eigen::BDCSVD<Eigen::MatrixXd>(m).singularValues();  // already descending
  return s;
}

Spectrum recurrent_spectrum(const Network& net) { return compute_spectrum(net.w_rec, net.alpha, net.dt, false); }

Spectrum linearised_spectrum(const Network& net, const Eigen::VectorXd& x) {
  if (x.size() != net.w_rec.rows())
    throw Error("linearised spectrum: the state has " + std::to_string(x.size()) + " entries, the network " +
                std::to_string(net.w_rec.rows()) + " units");
  return compute_spectrum(jacobian_state(net, x), net.alpha, net.dt, true);
}

Spectrum linearised_spectrum_at_origin(const Network& net) {
  return linearised_spectrum(net, Eigen::VectorXd::Zero(net.w_rec.rows()));
}

double rajan_abbott_radius(const EIParameters& p) {
  const double f = p.e_fraction;
  return std::sqrt(f * p.sigma_e * p.sigma_e + (1.0 - f) * p.sigma_i * p.sigma_i);
}

double rajan_abbott_outlier(const EIParameters& p, long units) {
  const double f = p.e_fraction;
  return std::sqrt(static_cast<double>(units)) * (f * p.mu_e + (1.0 - f) * p.mu_i);
}

EIParameters estimate_ei_parameters(const Eigen::MatrixXd& w, const Eigen::VectorXd& sign) {
  require_square(w, "E/I parameters");
  const Eigen::Index n = w.cols();
  if (sign.size() != 0 && sign.size() != n)
    throw Error("E/I parameters: the sign vector has " + std::to_string(sign.size()) + " entries for " +
                std::to_string(n) + " units");
  EIParameters p;
  if (n == 0) return p;
  const double sqrt_n = std::sqrt(static_cast<double>(n));
  // Pooled mean and variance over all entries of the chosen columns, converted
  // to the mu/sqrt(N), sigma^2/N units of the theory.
  auto moments = [&](bool excitatory, double& mu, double& sigma) -> Eigen::Index {
    double sum = 0.0, sum_sq = 0.0;
    Eigen::Index cols = 0;
    for (Eigen::Index j = 0; j < n; ++j) {
      const bool is_e = sign.size() == 0 || sign(j) > 0;
      if (is_e != excitatory) continue;
      ++cols;
      sum += w.col(j).sum();
      sum_sq += w.col(j).squaredNorm();
    }
    if (cols == 0) return 0;
    const double count = static_cast<double>(cols * w.rows());
    const double mean = sum / count;
    const double var = std::max(0.0, sum_sq / count - mean * mean);
    mu = mean * sqrt_n;
    sigma = std::sqrt(var * static_cast<double>(n));
    return cols;
  };
  const Eigen::Index n_e = moments(true, p.mu_e, p.sigma_e);
  moments(false, p.mu_i, p.sigma_i);
  p.e_fraction = static_cast<double>(n_e) / static_cast<double>(n);
  return p;
}

void measure_bulk(const Eigen::VectorXcd& eigenvalues, SpectrumTheory& theory, const BulkOptions& options) {
  if (!(options.quantile > 0 && options.quantile <= 1) || !(options.outlier_factor >= 1))
    throw Error("bulk: quantile must be in (0, 1] and outlier_factor >= 1");
  theory.outliers.resize(0);
  if (eigenvalues.size() == 0) {
    theory.quantile_radius = theory.measured_bulk_radius = 0.0;
    return;
  }
  std::vector<double> moduli(eigenvalues.size());
  for (Eigen::Index k = 0; k < eigenvalues.size(); ++k) moduli[k] = std::abs(eigenvalues(k));
  // Uniform disk of radius R: P(|l| <= r) = r^2 / R^2, so R = r_q / sqrt(q).
  theory.quantile_radius = quantile(moduli, options.quantile) / std::sqrt(options.quantile);
  const double threshold = options.outlier_factor * theory.quantile_radius;
  std::vector<std::complex<double>> outliers;
  double edge = 0.0;
  for (Eigen::Index k = 0; k < eigenvalues.size(); ++k) {
    if (moduli[k] > threshold)
      outliers.push_back(eigenvalues(k));
    else
      edge = std::max(edge, moduli[k]);
  }
  theory.measured_bulk_radius = edge;
  // Keep the spectrum's order (modulus descending).
  std::stable_sort(outliers.begin(), outliers.end(),
                   [](const auto& a, const auto& b) { return std::abs(a) > std::abs(b); });
  theory.outliers = Eigen::Map<const Eigen::VectorXcd>(outliers.data(), static_cast<Eigen::Index>(outliers.size()));
}

SpectrumTheory spectrum_theory(const Network& net, const Spectrum& spectrum, const std::optional<ModelSpec>& spec,
                               const BulkOptions& options) {
  SpectrumTheory t;
  const long n = static_cast<long>(net.w_rec.rows());
  t.measured_parameters = estimate_ei_parameters(net.w_rec, net.sign);
  t.rajan_abbott_radius = rajan_abbott_radius(t.measured_parameters);
  t.rajan_abbott_outlier = rajan_abbott_outlier(t.measured_parameters, n);
  measure_bulk(spectrum.eigenvalues, t, options);

  if (spec) {
    const bool rescaled = spec->spectral_radius > 0;
    if (spec->dale) {
      // The initialiser balances and rescales W to this spectral radius.
      t.circular_radius = rescaled ? spec->spectral_radius : spec->gain;
    } else if (spec->init == InitKind::ei) {
      if (!rescaled) {
        EIParameters p;
        p.e_fraction = spec->e_fraction;
        p.mu_e = spec->mu_e;
        p.sigma_e = spec->sigma_e;
        // Same rule as the initialiser: balance sets f mu_e + (1 - f) mu_i = 0.
        p.mu_i = spec->balance && spec->e_fraction < 1 ? -spec->e_fraction * spec->mu_e / (1.0 - spec->e_fraction)
                                                        : spec->mu_i;
        p.sigma_i = spec->sigma_i;
        t.spec_bulk_radius = rajan_abbott_radius(p);
        t.spec_outlier = rajan_abbott_outlier(p, n);
        // Zero row sums remove the mean structure and with it the outlier.
        if (spec->zero_row_sums) t.spec_outlier = 0.0;
      }
    } else {
      t.circular_radius = rescaled ? spec->spectral_radius : circular_law_radius(spec->gain);
    }
  }
  return t;
}

}  // namespace rnnlab
