#include "analysis/spectrum.hpp"

#include <Eigen/Eigenvalues>
#include <Eigen/SVD>
#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "analysis/dense_decompositions.hpp"
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

// Sorted by modulus descending, conjugate pairs +Im first. A conjugate
// pair has identical moduli, so the tie-break on Im keeps pairs together.
void sort_by_modulus(Eigen::VectorXcd& l) {
  std::sort(l.data(), l.data() + l.size(), [](const std::complex<double>& a, const std::complex<double>& b) {
    const double ma = std::abs(a), mb = std::abs(b);
    if (ma != mb) return ma > mb;
    return a.imag() > b.imag();
  });
}

// The imaginary parts of the eigenvalues of the antisymmetric part
// A = (W - W^T)/2, descending. A real antisymmetric matrix is orthogonally
// similar to blocks [[0, s], [-s, 0]] (and a 0 when N is odd), so its
// eigenvalues are +-i s_k and its singular values are the s_k, each twice:
// one SVD of A (values only) gives them all, as accurately as a Hermitian
// eigensolver on iA would, at half its cost. Singular values descending
// s_0 >= s_1 >= ... pair up as (s_0, s_1), (s_2, s_3), ...; the odd one out
// (N odd) is the zero.
Eigen::VectorXd antisymmetric_imaginary_parts(const Eigen::MatrixXd& m) {
  const Eigen::VectorXd s = singular_values(0.5 * (m - m.transpose()));
  const Eigen::Index n = s.size(), pairs = n / 2;
  Eigen::VectorXd imag(n);
  for (Eigen::Index k = 0; k < pairs; ++k) {
    imag(k) = s(2 * k);                // +s of the k-th pair, largest first
    imag(n - 1 - k) = -s(2 * k + 1);  // its partner -s, smallest last
  }
  if (n % 2 == 1) imag(pairs) = s(n - 1);  // the zero (0 up to rounding)
  return imag;
}

// The mode of an eigenvalue of the analysed matrix: W_rec's eigenvalues go
// through the linear network's map first (header comment of spectrum.hpp).
EigenMode mode_of(std::complex<double> l, const Spectrum& s) {
  const std::complex<double> step = s.is_step_map ? l : (1.0 - s.alpha) + s.alpha * l;
  EigenMode mode = mode_of_step_eigenvalue(step, s.alpha, s.dt);
  mode.eigenvalue = l;
  return mode;
}

// The fields that follow from the sorted eigenvalues (non-empty) and the
// matrix's Frobenius norm: radius, growing modes, leading modes, Henrici.
void describe_eigenvalues(Spectrum& s, double frobenius_norm) {
  s.spectral_radius = std::abs(s.eigenvalues(0));
  s.outside_unit_circle = (s.eigenvalues.array().abs() > 1.0).count();
  s.leading = mode_of(s.eigenvalues(0), s);
  for (Eigen::Index k = 0; k < s.eigenvalues.size(); ++k) {
    const std::complex<double> l = s.eigenvalues(k);
    // Real eigenvalues come out of the QR iteration with Im exactly 0; a small
    // relative threshold still guards against a rounding-level imaginary part.
    if (l.imag() > 1e-12 * std::max(1.0, std::abs(l))) {
      s.has_complex_pair = true;
      s.leading_complex = mode_of(l, s);
      break;
    }
  }
  s.frobenius_norm = frobenius_norm;
  const double f2 = frobenius_norm * frobenius_norm;
  s.henrici = f2 > 0 ? std::sqrt(std::max(0.0, f2 - s.eigenvalues.squaredNorm())) / frobenius_norm : 0.0;
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
  Eigen::VectorXcd l = general_eigenvalues(m);
  sort_by_modulus(l);
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
  if (s.eigenvalues.size() == 0) return s;
  describe_eigenvalues(s, m.norm());

  s.symmetric_eigenvalues = sorted_descending(symmetric_eigenvalues(0.5 * (m + m.transpose())));
  s.antisymmetric_eigenvalues = antisymmetric_imaginary_parts(m);
  s.singular_values = singular_values(m);  // already descending
  return s;
}

Spectrum recurrent_spectrum(const Network& net) {
  // W_rec's modes are read through the linear network's map (1 - a) + a l, which
  // needs one a. With one tau per unit the step map I - diag(a) + diag(a) W_rec
  // has eigenvalues that no function of W_rec's gives: refused, not misread.
  if (net.per_unit_tau())
    throw InputError("spectrum of W_rec: the network has one time constant per unit (train.learn_tau), so W_rec's "
                     "eigenvalues do not give the step map's modes; use the spectrum at the origin (J0 = I - diag(a) "
                     "+ diag(a) W_rec phi'(0)) or at a state");
  return compute_spectrum(net.w_rec, net.alpha, net.dt, false);
}

Spectrum linearised_spectrum(const Network& net, const Eigen::VectorXd& x) {
  if (x.size() != net.w_rec.rows())
    throw Error("linearised spectrum: the state has " + std::to_string(x.size()) + " entries, the network " +
                std::to_string(net.w_rec.rows()) + " units");
  return compute_spectrum(jacobian_state(net, x), net.alpha, net.dt, true);
}

Spectrum linearised_spectrum_at_origin(const Network& net) {
  // One tau per unit: J0 is not affine in W_rec (below); its own eigenvalues,
  // read in 1/mean(tau) through alpha = dt / mean(tau).
  if (net.per_unit_tau()) return linearised_spectrum(net, Eigen::VectorXd::Zero(net.w_rec.rows()));
  return linearised_spectrum_at_origin(net, recurrent_spectrum(net));
}

Spectrum linearised_spectrum_at_origin(const Network& net, const Spectrum& w_rec_spectrum) {
  require_square(net.w_rec, "spectrum at the origin");
  if (w_rec_spectrum.is_step_map || w_rec_spectrum.eigenvalues.size() != net.w_rec.rows())
    throw Error("spectrum at the origin: expected the spectrum of this network's W_rec");
  if (net.per_unit_tau()) return linearised_spectrum(net, Eigen::VectorXd::Zero(net.w_rec.rows()));
  // phi'(0) is one number c for every unit, so J0 = (1 - a) I + a c W_rec is
  // an affine function of W_rec: J0's eigenvalues are (1 - a) + a c l(W_rec),
  // and its symmetric and antisymmetric parts are (1 - a) I + a c sym(W_rec)
  // and a c anti(W_rec). Only the singular values need J0 itself.
  Eigen::VectorXd zero = Eigen::VectorXd::Zero(1), slope(1);
  apply_dphi(net.activation, zero, slope);
  const double a = net.alpha, shift = 1.0 - a, scale = a * slope(0);
  const Eigen::MatrixXd j0 = jacobian_state(net, Eigen::VectorXd::Zero(net.w_rec.rows()));
  Spectrum s;
  s.is_step_map = true;
  s.alpha = a;
  s.dt = net.dt;
  if (w_rec_spectrum.eigenvalues.size() == 0) return s;
  s.eigenvalues = (shift + scale * w_rec_spectrum.eigenvalues.array()).matrix();
  sort_by_modulus(s.eigenvalues);
  describe_eigenvalues(s, j0.norm());
  s.symmetric_eigenvalues = sorted_descending((shift + scale * w_rec_spectrum.symmetric_eigenvalues.array()).matrix());
  s.antisymmetric_eigenvalues = sorted_descending(scale * w_rec_spectrum.antisymmetric_eigenvalues);
  s.singular_values = singular_values(j0);
  return s;
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
