// Spectra, random-matrix theory and weight statistics (issue 3), checked
// against the ground truths of docs/ground-truths.md and docs/model.md "Initialisation".
#include <gtest/gtest.h>

#include <H5Cpp.h>

#include <Eigen/Eigenvalues>
#include <cmath>
#include <complex>
#include <filesystem>
#include <unistd.h>

#include "analysis/spectrum.hpp"
#include "pipeline/spectrum_io.hpp"
#include "analysis/weight_stats.hpp"
#include "io/experiment_file.hpp"
#include "io/h5.hpp"
#include "util/error.hpp"
#include "util/rng.hpp"

namespace rnnlab {
namespace {

Eigen::MatrixXd gaussian(int rows, int cols, double sd, Rng& rng) {
  Eigen::MatrixXd m(rows, cols);
  for (int j = 0; j < cols; ++j)
    for (int i = 0; i < rows; ++i) m(i, j) = sd * rng.normal();
  return m;
}

// E/I matrix of docs/model.md: the first round(f N) columns excitatory.
Eigen::MatrixXd ei_matrix(int n, const EIParameters& p, Rng& rng, Eigen::VectorXd& sign) {
  const int n_e = static_cast<int>(std::lround(p.e_fraction * n));
  const double s = 1.0 / std::sqrt(static_cast<double>(n));
  Eigen::MatrixXd w(n, n);
  sign.resize(n);
  for (int j = 0; j < n; ++j) {
    const bool e = j < n_e;
    sign(j) = e ? 1.0 : -1.0;
    for (int i = 0; i < n; ++i) w(i, j) = (e ? p.mu_e : p.mu_i) * s + (e ? p.sigma_e : p.sigma_i) * s * rng.normal();
  }
  return w;
}

Network network_with(const Eigen::MatrixXd& w_rec, double alpha = 1.0, double dt = 1.0) {
  Network net;
  const int n = static_cast<int>(w_rec.rows());
  static_cast<Weights<double>&>(net) = Weights<double>::zeros(n, 1, 1);
  net.w_rec = w_rec;
  net.alpha = alpha;
  net.dt = dt;
  return net;
}

double fraction_inside(const Eigen::VectorXcd& l, double r) {
  return static_cast<double>((l.array().abs() <= r).count()) / static_cast<double>(l.size());
}

TEST(SpectrumCircularLaw, RadiusInsideFractionAndMeanSquare) {
  const int n = 800;
  const double g = 1.3;
  Rng rng = Rng::stream(11, Purpose::user);
  const Eigen::MatrixXd w = gaussian(n, n, g / std::sqrt(n), rng);
  const Eigen::VectorXcd l = sorted_eigenvalues(w);

  EXPECT_NEAR(std::abs(l(0)) / g, 1.0, 0.05);
  // Uniform on the disk: P(|l| <= r) = r^2 / g^2.
  for (double r : {0.3, 0.5, 0.8}) EXPECT_NEAR(fraction_inside(l, r * g), r * r, 0.03) << "r = " << r;
  EXPECT_NEAR(l.array().abs2().mean() / (g * g / 2), 1.0, 0.03);

  // Sorted by modulus, descending.
  for (Eigen::Index k = 1; k < l.size(); ++k) ASSERT_GE(std::abs(l(k - 1)), std::abs(l(k)));

  // Theory beside the measurement: circular radius from the spec, bulk measured, no outliers.
  Spectrum s;
  s.eigenvalues = l;
  ModelSpec spec;
  spec.units = n;
  spec.init = InitKind::normal;
  spec.gain = g;
  const SpectrumTheory t = spectrum_theory(network_with(w), s, spec);
  EXPECT_DOUBLE_EQ(t.circular_radius, g);
  EXPECT_NEAR(t.quantile_radius / g, 1.0, 0.03);
  EXPECT_NEAR(t.measured_bulk_radius / g, 1.0, 0.05);
  EXPECT_EQ(t.outliers.size(), 0);
  // One population: the moment prediction is the circular law with the sample variance.
  EXPECT_NEAR(t.rajan_abbott_radius / g, 1.0, 0.01);
  EXPECT_DOUBLE_EQ(t.measured_parameters.e_fraction, 1.0);
}

TEST(SpectrumRajanAbbott, BalancedBulkRadiusFollowsFormula) {
  const int n = 800;
  EIParameters p;
  p.e_fraction = 0.8;
  p.mu_e = 1.0;
  p.mu_i = -4.0;  // f mu_e + (1 - f) mu_i = 0
  p.sigma_e = 1.0;
  p.sigma_i = 1.5;
  Rng rng = Rng::stream(12, Purpose::user);
  Eigen::VectorXd sign;
  Eigen::MatrixXd w = ei_matrix(n, p, rng, sign);
  w.colwise() -= w.rowwise().mean();  // zero row sums confine the bulk (Rajan & Abbott)

  const double radius = rajan_abbott_radius(p);
  EXPECT_NEAR(radius, std::sqrt(0.8 * 1.0 + 0.2 * 2.25), 1e-12);
  Network net = network_with(w);
  net.sign = sign;
  Spectrum s;
  s.eigenvalues = sorted_eigenvalues(w);
  const SpectrumTheory t = spectrum_theory(net, s);
  EXPECT_NEAR(t.measured_bulk_radius / radius, 1.0, 0.05);
  EXPECT_NEAR(std::abs(s.eigenvalues(0)) / radius, 1.0, 0.05);
  EXPECT_EQ(t.outliers.size(), 0);
  // The parameters measured from the entries give back the formula's radius.
  EXPECT_NEAR(t.measured_parameters.e_fraction, 0.8, 1e-12);
  EXPECT_NEAR(t.measured_parameters.sigma_e, 1.0, 0.02);
  EXPECT_NEAR(t.measured_parameters.sigma_i, 1.5, 0.03);
  EXPECT_NEAR(t.rajan_abbott_radius / radius, 1.0, 0.02);
  EXPECT_NEAR(t.rajan_abbott_outlier, 0.0, 1e-9);  // zero row sums: no mean structure left
}

TEST(SpectrumRajanAbbott, UnbalancedOutlierAtPredictedPosition) {
  const int n = 600;
  EIParameters p;
  p.e_fraction = 0.8;
  p.mu_e = 2.0;
  p.mu_i = -1.0;
  p.sigma_e = 1.0;
  p.sigma_i = 1.0;
  Rng rng = Rng::stream(13, Purpose::user);
  Eigen::VectorXd sign;
  const Eigen::MatrixXd w = ei_matrix(n, p, rng, sign);
  const double predicted = rajan_abbott_outlier(p, n);
  EXPECT_NEAR(predicted, std::sqrt(600.0) * (0.8 * 2.0 - 0.2 * 1.0), 1e-12);

  Network net = network_with(w);
  net.sign = sign;
  const Spectrum s = compute_spectrum(w, 1.0, 1.0, false);
  EXPECT_NEAR(s.eigenvalues(0).real() / predicted, 1.0, 0.01);
  EXPECT_NEAR(s.eigenvalues(0).imag(), 0.0, 1e-9);

  ModelSpec spec;
  spec.units = n;
  spec.init = InitKind::ei;
  spec.balance = false;
  spec.e_fraction = p.e_fraction;
  spec.mu_e = p.mu_e;
  spec.mu_i = p.mu_i;
  spec.sigma_e = p.sigma_e;
  spec.sigma_i = p.sigma_i;
  const SpectrumTheory t = spectrum_theory(net, s, spec);
  EXPECT_NEAR(t.spec_outlier, predicted, 1e-12);
  EXPECT_NEAR(t.spec_bulk_radius, 1.0, 1e-12);
  EXPECT_NEAR(t.rajan_abbott_outlier / predicted, 1.0, 0.01);
  ASSERT_EQ(t.outliers.size(), 1);
  EXPECT_EQ(t.outliers(0), s.eigenvalues(0));
  EXPECT_LT(t.measured_bulk_radius, 1.3);  // the bulk is left behind at about sqrt(f + (1-f)) = 1
}

TEST(SpectrumHenrici, GaussianNearHalfSqrtTwoOrthogonalZero) {
  Rng rng = Rng::stream(14, Purpose::user);
  const int n = 400;
  const Spectrum gauss = compute_spectrum(gaussian(n, n, 1.0 / std::sqrt(n), rng), 1.0, 1.0, false);
  EXPECT_NEAR(gauss.henrici, std::sqrt(0.5), 0.03);

  Eigen::HouseholderQR<Eigen::MatrixXd> qr(gaussian(200, 200, 1.0, rng));
  const Eigen::MatrixXd q = qr.householderQ();
  const Spectrum ortho = compute_spectrum(q, 1.0, 1.0, false);
  EXPECT_LT(ortho.henrici, 1e-5);
  EXPECT_NEAR(ortho.spectral_radius, 1.0, 1e-10);
  EXPECT_NEAR(ortho.singular_values(0), 1.0, 1e-10);
  EXPECT_NEAR(ortho.singular_values(199), 1.0, 1e-10);

  // A strictly upper triangular matrix is as far from normal as it gets: all l = 0.
  Eigen::MatrixXd upper = Eigen::MatrixXd::Zero(3, 3);
  upper(0, 1) = 1.0;
  upper(1, 2) = 2.0;
  EXPECT_NEAR(compute_spectrum(upper, 1.0, 1.0, false).henrici, 1.0, 1e-12);
}

TEST(SpectrumLinearisation, OriginForTanhIsLeakyRecurrentMap) {
  Rng rng = Rng::stream(15, Purpose::user);
  const int n = 40;
  const double a = 0.2;
  Network net = network_with(gaussian(n, n, 1.5 / std::sqrt(n), rng), a, 10.0);
  net.activation = Activation::tanh;

  const Spectrum lin = linearised_spectrum_at_origin(net);
  EXPECT_TRUE(lin.is_step_map);
  const Eigen::MatrixXd expected = (1.0 - a) * Eigen::MatrixXd::Identity(n, n) + a * net.w_rec;
  const Eigen::VectorXcd expected_l = sorted_eigenvalues(expected);
  ASSERT_EQ(lin.eigenvalues.size(), n);
  for (int k = 0; k < n; ++k) EXPECT_LT(std::abs(lin.eigenvalues(k) - expected_l(k)), 1e-10) << k;

  // W_rec's own spectrum: the modes go through the same map, so mu = l - 1.
  const Spectrum rec = recurrent_spectrum(net);
  const std::complex<double> l = rec.leading.eigenvalue;
  EXPECT_LT(std::abs(rec.leading.step_eigenvalue - ((1.0 - a) + a * l)), 1e-12);
  EXPECT_LT(std::abs(rec.leading.continuous - (l - 1.0)), 1e-12);

  // At a state x: J = (1 - a) I + a W diag(1 - tanh^2 x).
  Eigen::VectorXd x(n);
  for (int i = 0; i < n; ++i) x(i) = rng.normal();
  const Eigen::VectorXd d = (1.0 - x.array().tanh().square()).matrix();
  const Eigen::MatrixXd jx = (1.0 - a) * Eigen::MatrixXd::Identity(n, n) + a * net.w_rec * d.asDiagonal();
  const Eigen::VectorXcd jl = sorted_eigenvalues(jx);
  const Spectrum at_x = linearised_spectrum(net, x);
  for (int k = 0; k < n; ++k) EXPECT_LT(std::abs(at_x.eigenvalues(k) - jl(k)), 1e-10) << k;
}

TEST(SpectrumContinuousTime, RotationScaling2x2) {
  // 0.9 times a rotation by 0.3 rad: eigenvalues 0.9 e^{+-0.3 i}, a normal matrix.
  const double r = 0.9, theta = 0.3, a = 0.5, dt = 10.0;  // tau = 20 ms
  Eigen::Matrix2d m;
  m << r * std::cos(theta), -r * std::sin(theta), r * std::sin(theta), r * std::cos(theta);
  const Spectrum s = compute_spectrum(m, a, dt, /*is_step_map=*/true);

  ASSERT_EQ(s.eigenvalues.size(), 2);
  EXPECT_NEAR(s.eigenvalues(0).real(), 0.8598028402130454, 1e-12);
  EXPECT_NEAR(s.eigenvalues(0).imag(), 0.2659681859952056, 1e-12);  // +Im first
  EXPECT_NEAR(s.eigenvalues(1).imag(), -0.2659681859952056, 1e-12);
  EXPECT_NEAR(s.spectral_radius, 0.9, 1e-12);
  EXPECT_EQ(s.outside_unit_circle, 0);
  ASSERT_TRUE(s.has_complex_pair);
  // mu = (l - 1) / a, time constant -tau / Re mu, frequency theta / (2 pi dt).
  EXPECT_NEAR(s.leading_complex.continuous.real(), -0.28039431957390915, 1e-12);
  EXPECT_NEAR(s.leading_complex.continuous.imag(), 0.5319363719904112, 1e-12);
  EXPECT_NEAR(s.leading_complex.time_constant_ms, 71.32812116305445, 1e-9);
  EXPECT_NEAR(s.leading_complex.frequency_hz, 4.77464829275686, 1e-9);
  EXPECT_NEAR(s.henrici, 0.0, 1e-6);
  EXPECT_NEAR(s.symmetric_eigenvalues(0), 0.8598028402130455, 1e-12);
  EXPECT_NEAR(s.symmetric_eigenvalues(1), 0.8598028402130455, 1e-12);
  EXPECT_NEAR(s.antisymmetric_eigenvalues(0), 0.26596818599520566, 1e-12);
  EXPECT_NEAR(s.antisymmetric_eigenvalues(1), -0.26596818599520566, 1e-12);
  EXPECT_NEAR(s.singular_values(0), 0.9, 1e-12);
  EXPECT_NEAR(s.singular_values(1), 0.9, 1e-12);

  // A real 2 x 2 case: one growing mode, no oscillation.
  const Spectrum d = compute_spectrum(Eigen::Vector2d(1.2, 0.5).asDiagonal().toDenseMatrix(), 1.0, 1.0, true);
  EXPECT_EQ(d.outside_unit_circle, 1);
  EXPECT_FALSE(d.has_complex_pair);
  EXPECT_NEAR(d.leading.continuous.real(), 0.2, 1e-12);
  EXPECT_TRUE(std::isinf(d.leading.time_constant_ms));
  EXPECT_NEAR(d.leading.frequency_hz, 0.0, 1e-12);
  // A decaying real mode at 0.5 with a = 1, dt = 1: mu = -0.5, time constant 2 ms.
  EXPECT_NEAR(mode_of_step_eigenvalue(0.5, 1.0, 1.0).time_constant_ms, 2.0, 1e-12);
  // A negative real eigenvalue alternates sign each step: the Nyquist frequency 1/(2 dt).
  EXPECT_NEAR(mode_of_step_eigenvalue(-0.5, 1.0, 1.0).frequency_hz, 500.0, 1e-9);
}

TEST(WeightStatsMoments, KnownSample) {
  Eigen::VectorXd x(5);
  x << 1, 2, 3, 4, 10;
  const Moments m = moments(x);
  EXPECT_EQ(m.count, 5);
  EXPECT_DOUBLE_EQ(m.mean, 4.0);
  EXPECT_NEAR(m.sd, std::sqrt(10.0), 1e-12);
  EXPECT_NEAR(m.skewness, 36.0 / std::pow(10.0, 1.5), 1e-12);
  EXPECT_NEAR(m.excess_kurtosis, 278.8 / 100.0 - 3.0, 1e-12);

  // A large Gaussian sample: skewness ~ 0, excess kurtosis ~ 0.
  Rng rng = Rng::stream(16, Purpose::user);
  Eigen::VectorXd g(200000);
  for (Eigen::Index i = 0; i < g.size(); ++i) g(i) = 2.0 + 3.0 * rng.normal();
  const Moments mg = moments(g);
  EXPECT_NEAR(mg.mean, 2.0, 0.03);
  EXPECT_NEAR(mg.sd, 3.0, 0.03);
  EXPECT_NEAR(mg.skewness, 0.0, 0.03);
  EXPECT_NEAR(mg.excess_kurtosis, 0.0, 0.05);
}

TEST(WeightStatsDale, PopulationsUseUnmaskedEntriesOfTheirColumns) {
  Network net = network_with(Eigen::MatrixXd::Zero(3, 3));
  net.w_rec << 1, 2, -1,
               3, 0, -2,
               5, 7, -6;
  net.sign = Eigen::Vector3d(1, 1, -1);
  Eigen::MatrixXd mask = Eigen::MatrixXd::Ones(3, 3);
  mask(2, 0) = 0;  // the 5 is not a connection
  mask(1, 1) = 0;  // nor the 0 on the diagonal
  net.w_in = Eigen::Vector3d(3, 4, 0);
  net.w_out = Eigen::RowVector3d(0, 0, 2);

  const WeightStats s = weight_stats(net, mask);
  EXPECT_EQ(s.all.count, 7);
  EXPECT_EQ(s.excitatory.count, 4);  // 1, 3 | 2, 7
  EXPECT_DOUBLE_EQ(s.excitatory.mean, 13.0 / 4.0);
  EXPECT_EQ(s.inhibitory.count, 3);  // -1, -2, -6
  EXPECT_DOUBLE_EQ(s.inhibitory.mean, -3.0);
  EXPECT_NEAR(s.inhibitory.sd, std::sqrt((4.0 + 1.0 + 9.0) / 3.0), 1e-12);
  EXPECT_DOUBLE_EQ(s.w_in_norm, 5.0);
  EXPECT_DOUBLE_EQ(s.w_out_norm, 2.0);

  // Without a mask every entry counts.
  EXPECT_EQ(weight_stats(net).all.count, 9);
  // Without Dale there are no populations.
  net.sign.resize(0);
  EXPECT_EQ(weight_stats(net).excitatory.count, 0);
}

TEST(WeightStatsChange, InitialToTrained) {
  Rng rng = Rng::stream(17, Purpose::user);
  Network initial = network_with(gaussian(20, 20, 0.2, rng));
  Network trained = initial;
  trained.w_rec *= 2.0;
  trained.w_in.array() += 1.0;
  const WeightChange c = weight_change(initial, trained);
  EXPECT_NEAR(c.w_rec_change_norm, initial.w_rec.norm(), 1e-12);
  EXPECT_NEAR(c.w_rec_relative_change, 1.0, 1e-12);
  EXPECT_NEAR(c.w_rec_correlation, 1.0, 1e-12);
  EXPECT_NEAR(c.w_in_change_norm, std::sqrt(20.0), 1e-12);
  EXPECT_NEAR(c.trained.all.sd, 2.0 * c.initial.all.sd, 1e-12);
  EXPECT_NEAR(c.trained.all.skewness, c.initial.all.skewness, 1e-9);

  trained.w_rec = gaussian(20, 20, 0.2, rng);  // unrelated
  EXPECT_LT(std::abs(weight_change(initial, trained).w_rec_correlation), 0.2);
  EXPECT_THROW(weight_change(initial, network_with(Eigen::MatrixXd::Zero(3, 3))), Error);
}

std::string temp_file(const std::string& stem) {
  return (std::filesystem::temp_directory_path() /
          ("rnnlab_" + stem + "_" + std::to_string(::getpid()) + ".h5")).string();
}

TEST(SpectrumFile, AnalyzeWritesReadableGroups) {
  Rng rng = Rng::stream(18, Purpose::user);
  const int n = 30;
  Experiment e;
  e.rnnlab_version = "test";
  NetworkRecord with_initial;
  with_initial.seed = 3;
  with_initial.initial = network_with(gaussian(n, n, 1.0 / std::sqrt(n), rng), 0.1, 10.0);
  with_initial.trained = with_initial.initial;
  with_initial.trained.w_rec += gaussian(n, n, 0.05, rng);
  NetworkRecord imported;
  imported.seed = 4;
  imported.status = "imported";
  imported.origin = "keras:x.hdf5";
  imported.trained = network_with(gaussian(n, n, 1.2 / std::sqrt(n), rng));
  e.networks = {with_initial, imported};
  const std::string path = temp_file("spectrum_file");
  write_experiment(path, e);
  analyze_spectrum_file(path);
  analyze_spectrum_file(path);  // a rerun replaces, it does not fail on existing names

  {
    std::lock_guard lock(h5_lock());
    H5::H5File file(path, H5F_ACC_RDONLY);
    H5::Group trained = file.openGroup("networks/3/analysis/spectrum/trained");
    const Eigen::VectorXcd l = h5::read_complex_vector(trained, "eigenvalues");
    const Eigen::VectorXcd expected = sorted_eigenvalues(with_initial.trained.w_rec);
    ASSERT_EQ(l.size(), n);
    EXPECT_LT((l - expected).norm(), 1e-12);
    EXPECT_NEAR(h5::read_double_attr(trained, "spectral_radius"), std::abs(expected(0)), 1e-12);
    EXPECT_NEAR(h5::read_double_attr(trained, "tau_ms"), 100.0, 1e-9);
    EXPECT_EQ(h5::read_vector(trained, "singular_values").size(), n);
    EXPECT_TRUE(h5::exists(file, "networks/3/analysis/spectrum/initial/theory"));
    EXPECT_TRUE(h5::exists(file, "networks/3/analysis/spectrum/initial/linearised_origin/eigenvalues"));
    EXPECT_TRUE(h5::exists(file, "networks/3/analysis/spectrum/trained/leading"));
    H5::Group change = file.openGroup("networks/3/analysis/spectrum/weight_stats/change");
    EXPECT_NEAR(h5::read_double_attr(change, "w_rec_change_norm"),
                (with_initial.trained.w_rec - with_initial.initial.w_rec).norm(), 1e-12);
    EXPECT_FALSE(h5::exists(file, "networks/4/analysis/spectrum/initial"));
    EXPECT_TRUE(h5::exists(file, "networks/4/analysis/spectrum/trained/eigenvalues"));
    EXPECT_TRUE(h5::exists(file, "networks/4/analysis/spectrum/weight_stats/trained/all"));
  }
  std::filesystem::remove(path);

  const std::string line = spectrum_summary(imported.trained);
  EXPECT_NE(line.find("N=30"), std::string::npos) << line;
  EXPECT_NE(line.find("rho="), std::string::npos) << line;
}

// The summary reads stability on the step map at the origin: a rotation
// W_rec = [[0, -w], [w, 0]] has |lambda| = w > 1, but at a = 0.1 the step map's
// eigenvalues 0.9 +- 0.1 w i lie inside the unit circle for w = 3.3
// (|l| = sqrt(0.81 + 0.1089) = 0.95860) and outside for w = 5 (|l| = 1.02956).
TEST(SpectrumSummary, SaysStabilityOfTheStepMapNotOfWRec) {
  auto rotation = [](double w) {
    Network net;
    net.w_rec = (Eigen::Matrix2d() << 0, -w, w, 0).finished();
    net.w_in = Eigen::MatrixXd::Zero(2, 1);
    net.w_out = Eigen::MatrixXd::Zero(1, 2);
    net.b = Eigen::VectorXd::Zero(2);
    net.b_out = Eigen::VectorXd::Zero(1);
    net.x0 = Eigen::VectorXd::Zero(2);
    net.alpha = 0.1;
    net.dt = 10.0;
    net.activation = Activation::tanh;
    return net;
  };
  const std::string damped = spectrum_summary(rotation(3.3));
  EXPECT_NE(damped.find("N=2 rho=3.300 (W_rec's spectral radius)"), std::string::npos) << damped;
  EXPECT_NE(damped.find("0 unstable modes, leading |l| 0.9586 (decays, e-fold in 236 ms"), std::string::npos)
      << damped;  // dt / -ln(0.95860) = 10 / 0.042282
  const std::string growing = spectrum_summary(rotation(5.0));
  EXPECT_NE(growing.find("2 unstable modes, leading |l| 1.0296 (grows, e-fold in 343 ms"), std::string::npos)
      << growing;  // 10 / ln(1.02956)
  // Oscillation at arg(l) / (2 pi dt): arg(0.9 + 0.5i) = 0.50709 rad per 10 ms = 8.07 Hz.
  EXPECT_NE(growing.find("oscillates at 8.07 Hz"), std::string::npos) << growing;
}

}  // namespace
}  // namespace rnnlab
