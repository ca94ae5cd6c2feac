#pragma once
// Spectra of the recurrent weights and of the linearised step map, with the
// random-matrix theory a user compares them against (docs/ground-truths.md;
// docs/model.md "Initialisation").
//
// Every result is a plain struct of Eigen vectors and doubles so that the
// Python package can hand it out as a dataclass without translation.
//
// Discrete and continuous time. The step map near a state x is
//   J(x) = (1 - a) I + a W_rec diag(phi'(x)),   a = alpha = dt / tau.
// A discrete eigenvalue l_d of the map reads in continuous time as
//   mu = (l_d - 1) / a          (units of 1/tau),
//   time constant -tau / Re(mu) in ms (infinite when Re(mu) >= 0: no decay),
//   frequency |arg(l_d)| / (2 pi dt) in Hz.
// The eigenvalues l of W_rec itself are read through the map of the linear
// network, l_d = (1 - a) + a l (so mu = l - 1): for tanh that is exactly J at
// the origin, and for a = 1 (Keras, PyTorch) l_d = l.
#include <Eigen/Dense>
#include <complex>
#include <limits>
#include <optional>

#include "model/network.hpp"
#include "model/spec.hpp"

namespace rnnlab {

namespace spectrum_detail {
inline constexpr double nan = std::numeric_limits<double>::quiet_NaN();
}

// One eigenvalue with its continuous-time reading.
struct EigenMode {
  std::complex<double> eigenvalue{spectrum_detail::nan, spectrum_detail::nan};  // of the matrix analysed (W_rec or J)
  std::complex<double> step_eigenvalue{spectrum_detail::nan, spectrum_detail::nan};  // of the step map (equal to `eigenvalue` for J)
  std::complex<double> continuous{spectrum_detail::nan, spectrum_detail::nan};  // (l_d - 1) / a, in 1/tau
  double time_constant_ms = spectrum_detail::nan;               // -tau / Re(continuous); inf when not decaying
  double frequency_hz = spectrum_detail::nan;                   // |arg(l_d)| / (2 pi dt)
};

// The reading of a discrete step-map eigenvalue l_d (see the header comment).
EigenMode mode_of_step_eigenvalue(std::complex<double> step_eigenvalue, double alpha, double dt_ms);

struct Spectrum {
  // Whether the matrix was the step map J (true) or the connectivity W_rec (false);
  // decides how eigenvalues become step-map eigenvalues for the modes.
  bool is_step_map = false;
  double alpha = 1.0, dt = 1.0;  // as used for the modes; tau = dt / alpha

  Eigen::VectorXcd eigenvalues;  // sorted by modulus, descending; conjugate pairs with +Im first
  double spectral_radius = 0.0;  // max |l|
  long outside_unit_circle = 0;  // how many |l| > 1 (for a step map: growing modes)

  // The eigenvalue of largest modulus (first of `eigenvalues`).
  EigenMode leading;
  // The complex eigenvalue of largest modulus, the member with Im > 0 (the
  // slowest oscillation); has_complex_pair false (and NaNs) when all are real.
  bool has_complex_pair = false;
  EigenMode leading_complex;

  double frobenius_norm = 0.0;
  // Henrici's departure from normality, sqrt(||W||_F^2 - sum |l|^2) / ||W||_F:
  // 0 for a normal matrix, about 1/sqrt(2) for a large Gaussian one. The radicand
  // is clamped at 0 (rounding makes it slightly negative for normal matrices).
  double henrici = 0.0;

  Eigen::VectorXd symmetric_eigenvalues;      // of (W + W^T)/2, descending (real)
  Eigen::VectorXd antisymmetric_eigenvalues;  // Im of the eigenvalues of (W - W^T)/2 (purely imaginary), descending
  Eigen::VectorXd singular_values;            // descending
};

// Eigenvalues of a square real matrix, sorted by modulus descending
// (conjugate pairs: positive imaginary part first).
Eigen::VectorXcd sorted_eigenvalues(const Eigen::MatrixXd& m);

// Everything above for a square matrix. `is_step_map` as in Spectrum.
Spectrum compute_spectrum(const Eigen::MatrixXd& m, double alpha, double dt, bool is_step_map);

// Of W_rec (modes read through the linear network's map, see the header comment).
Spectrum recurrent_spectrum(const Network& net);
// Of the linearised map J(x) = (1 - a) I + a W_rec diag(phi'(x)) at the state x.
Spectrum linearised_spectrum(const Network& net, const Eigen::VectorXd& x);
// The same at the origin, x = 0.
Spectrum linearised_spectrum_at_origin(const Network& net);
// The same from W_rec's spectrum (recurrent_spectrum(net)), without a second
// eigendecomposition: phi'(0) is the same for every unit, so J0's
// eigenvalues are (1 - a) + a phi'(0) l(W_rec) (and likewise its symmetric
// and antisymmetric parts); only J0's singular values are computed anew.
Spectrum linearised_spectrum_at_origin(const Network& net, const Spectrum& w_rec_spectrum);

// ---- Random-matrix theory ----

// E/I connectivity in the units of docs/model.md (Rajan & Abbott 2006): a fraction f
// of columns excitatory with entries of mean mu_e/sqrt(N) and variance
// sigma_e^2/N, the rest inhibitory with mu_i/sqrt(N), sigma_i^2/N.
struct EIParameters {
  double e_fraction = 1.0;
  double mu_e = 0.0, sigma_e = 0.0;
  double mu_i = 0.0, sigma_i = 0.0;
};

// Circular law: N(0, g^2/N) entries put the eigenvalues uniformly in |l| <= g.
inline double circular_law_radius(double gain) { return gain; }
// Rajan-Abbott bulk radius sqrt(f sigma_e^2 + (1 - f) sigma_i^2).
double rajan_abbott_radius(const EIParameters& p);
// The real outlier the mean structure creates: sqrt(N) (f mu_e + (1 - f) mu_i).
double rajan_abbott_outlier(const EIParameters& p, long units);

// The parameters measured from a matrix's entries: columns with sign > 0 are
// excitatory, sign < 0 inhibitory; an empty `sign` puts every column in one
// population (f = 1, the inhibitory moments 0). All entries of a column count,
// zeros of a sparse mask included, because the radius depends on the variance
// of the entries as they are (a mask's zeros lower it).
EIParameters estimate_ei_parameters(const Eigen::MatrixXd& w, const Eigen::VectorXd& sign);

// How the bulk and its outliers are measured.
//  quantile radius r_q = quantile_q(|l|) / sqrt(q): the radius of the uniform
//    disk (circular law) whose q-quantile of |l| is the measured one; with
//    q = 0.9 the top 10% of eigenvalues, where outliers live, do not enter.
//  outlier: |l| > outlier_factor * r_q.
//  measured bulk radius: max |l| over the eigenvalues that are not outliers
//    (the edge of the bulk; a few % above the limit radius at N ~ 500 to 1000).
struct BulkOptions {
  double quantile = 0.9;
  double outlier_factor = 1.25;
};

struct SpectrumTheory {
  // From the initialiser's spec (NaN when unknown, e.g. imported networks):
  double circular_radius = spectrum_detail::nan;      // the radius g the initialiser aimed at
  double spec_bulk_radius = spectrum_detail::nan;     // Rajan-Abbott radius of the spec's ei parameters
  double spec_outlier = spectrum_detail::nan;         // Rajan-Abbott outlier of the spec's ei parameters
  // From the matrix's own entries (always present):
  EIParameters measured_parameters;
  double rajan_abbott_radius = spectrum_detail::nan;  // rajan_abbott_radius(measured_parameters)
  double rajan_abbott_outlier = spectrum_detail::nan; // rajan_abbott_outlier(measured_parameters, N)
  // From the eigenvalues (BulkOptions):
  double quantile_radius = spectrum_detail::nan;
  double measured_bulk_radius = spectrum_detail::nan;
  Eigen::VectorXcd outliers;          // sorted like the spectrum
};

// The measured bulk of a spectrum (fields quantile_radius, measured_bulk_radius, outliers).
void measure_bulk(const Eigen::VectorXcd& sorted_eigenvalues, SpectrumTheory& theory,
                  const BulkOptions& options = {});

// Theory for W_rec of `net` (its sign vector decides E/I) beside the measured
// bulk of `spectrum` (its eigenvalues, of net.w_rec). `spec`, when given,
// supplies what the initialiser promised: for normal/orthogonal the gain (or the
// target spectral radius); for init = ei without Dale and without rescaling, the
// Rajan-Abbott numbers of its parameters. Under Dale the initialiser rescales
// the magnitudes, so only circular_radius (its target) comes from the spec.
SpectrumTheory spectrum_theory(const Network& net, const Spectrum& spectrum,
                               const std::optional<ModelSpec>& spec = std::nullopt,
                               const BulkOptions& options = {});

}  // namespace rnnlab
