// The spectrum analysis at scale (pipeline/spectrum_batch.hpp,
// analysis/dense_decompositions.hpp): the step map at the origin taken from
// W_rec's spectrum equals the direct computation on J0; the antisymmetric
// part's eigenvalues from one SVD equal a Hermitian eigensolver's; the
// LAPACK and Eigen eigenvalues agree; and every network's result has the
// same bits on 1 thread or several, with a bad network skipped alone.
#include <gtest/gtest.h>

#include <Eigen/Eigenvalues>
#include <cmath>
#include <limits>

#include "analysis/dense_decompositions.hpp"
#include "analysis/linearise.hpp"
#include "analysis/spectrum.hpp"
#include "pipeline/spectrum_batch.hpp"
#include "util/rng.hpp"

namespace rnnlab {
namespace {

Eigen::MatrixXd gaussian(int rows, int cols, double sd, std::uint64_t index) {
  Rng rng = Rng::stream(21, Purpose::user, index);
  Eigen::MatrixXd m(rows, cols);
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = sd * rng.normal();
  return m;
}

Network network(int n, double alpha, Activation activation, std::uint64_t index) {
  Network net;
  net.w_rec = gaussian(n, n, 1.4 / std::sqrt(n), index);
  net.w_in = gaussian(n, 2, 1.0, index + 100);
  net.w_out = gaussian(1, n, 1.0, index + 200);
  net.b = Eigen::VectorXd::Zero(n);
  net.b_out = Eigen::VectorXd::Zero(1);
  net.x0 = Eigen::VectorXd::Zero(n);
  net.alpha = alpha;
  net.dt = 10.0;
  net.activation = activation;
  return net;
}

void expect_close(const Eigen::VectorXd& a, const Eigen::VectorXd& b, double tol, const char* what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  for (Eigen::Index k = 0; k < a.size(); ++k) EXPECT_NEAR(a(k), b(k), tol) << what << " " << k;
}

TEST(SpectrumAtOrigin, FromWRecsSpectrumEqualsTheDirectComputationOnJ0) {
  // tanh (phi'(0) = 1), sigmoid (1/4) and relu, at alpha 0.1 and 1 (J0 = phi'(0) W_rec).
  for (const Activation activation : {Activation::tanh, Activation::sigmoid, Activation::relu})
    for (const double alpha : {0.1, 1.0}) {
      SCOPED_TRACE(to_string(activation) + " alpha " + std::to_string(alpha));
      const Network net = network(41, alpha, activation, 1);
      const Spectrum derived = linearised_spectrum_at_origin(net, recurrent_spectrum(net));
      const Spectrum direct =
          compute_spectrum(jacobian_state(net, Eigen::VectorXd::Zero(41)), net.alpha, net.dt, /*is_step_map=*/true);
      ASSERT_EQ(derived.eigenvalues.size(), direct.eigenvalues.size());
      for (Eigen::Index k = 0; k < derived.eigenvalues.size(); ++k)
        EXPECT_LT(std::abs(derived.eigenvalues(k) - direct.eigenvalues(k)), 1e-12) << k;
      EXPECT_TRUE(derived.is_step_map);
      EXPECT_NEAR(derived.spectral_radius, direct.spectral_radius, 1e-12);
      EXPECT_EQ(derived.outside_unit_circle, direct.outside_unit_circle);
      EXPECT_NEAR(derived.frobenius_norm, direct.frobenius_norm, 1e-12);
      EXPECT_NEAR(derived.henrici, direct.henrici, 1e-9);
      EXPECT_LT(std::abs(derived.leading.continuous - direct.leading.continuous), 1e-10);
      EXPECT_EQ(derived.has_complex_pair, direct.has_complex_pair);
      // (relu: phi'(0) = 0, so J0 = (1 - a) I has no complex pair)
      if (direct.has_complex_pair)
        EXPECT_NEAR(derived.leading_complex.frequency_hz, direct.leading_complex.frequency_hz, 1e-9);
      expect_close(derived.symmetric_eigenvalues, direct.symmetric_eigenvalues, 1e-12, "symmetric part");
      expect_close(derived.antisymmetric_eigenvalues, direct.antisymmetric_eigenvalues, 1e-12, "antisymmetric part");
      expect_close(derived.singular_values, direct.singular_values, 1e-12, "singular values");
    }
}

TEST(SpectrumAtOrigin, TheOldEntryPointGivesTheSameResult) {
  const Network net = network(20, 0.2, Activation::tanh, 2);
  const Spectrum a = linearised_spectrum_at_origin(net);
  const Spectrum b = linearised_spectrum_at_origin(net, recurrent_spectrum(net));
  EXPECT_EQ(a.eigenvalues, b.eigenvalues);
  EXPECT_EQ(a.singular_values, b.singular_values);
}

TEST(SpectrumParts, AntisymmetricEigenvaluesFromOneSvdEqualTheHermitianSolvers) {
  for (const int n : {30, 31}) {  // even, and odd with its zero eigenvalue
    const Eigen::MatrixXd w = gaussian(n, n, 1.0 / std::sqrt(n), 3 + static_cast<std::uint64_t>(n));
    const Spectrum s = compute_spectrum(w, 1.0, 1.0, false);
    // iA is Hermitian with eigenvalues w_k; A's eigenvalues are -i w_k.
    const Eigen::MatrixXd anti = 0.5 * (w - w.transpose());
    const Eigen::MatrixXcd ia = std::complex<double>(0.0, 1.0) * anti.cast<std::complex<double>>();
    Eigen::VectorXd expected = -Eigen::SelfAdjointEigenSolver<Eigen::MatrixXcd>(ia, Eigen::EigenvaluesOnly).eigenvalues();
    std::sort(expected.data(), expected.data() + n, [](double x, double y) { return x > y; });
    expect_close(s.antisymmetric_eigenvalues, expected, 1e-13, "antisymmetric part");
    // The set is symmetric about 0.
    for (int k = 0; k < n; ++k) EXPECT_NEAR(s.antisymmetric_eigenvalues(k), -s.antisymmetric_eigenvalues(n - 1 - k), 1e-13);
  }
}

TEST(SpectrumParts, EigenvaluesAndSingularValuesAgreeWithEigensOwnSolvers) {
  const int n = 60;
  const Eigen::MatrixXd w = gaussian(n, n, 1.0 / std::sqrt(n), 4);
  Eigen::VectorXcd expected = Eigen::EigenSolver<Eigen::MatrixXd>(w, false).eigenvalues();
  const Eigen::VectorXcd got = sorted_eigenvalues(w);
  // Every eigenvalue of Eigen's is one of ours (the order is sorted_eigenvalues' own).
  for (Eigen::Index k = 0; k < n; ++k) {
    double nearest = std::numeric_limits<double>::infinity();
    for (Eigen::Index j = 0; j < n; ++j) nearest = std::min(nearest, std::abs(got(j) - expected(k)));
    EXPECT_LT(nearest, 1e-12) << k;
  }
  expect_close(singular_values(w), Eigen::JacobiSVD<Eigen::MatrixXd>(w).singularValues(), 1e-13, "singular values");
  const Eigen::MatrixXd sym = 0.5 * (w + w.transpose());
  expect_close(symmetric_eigenvalues(sym),
               Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(sym, Eigen::EigenvaluesOnly).eigenvalues(), 1e-13,
               "symmetric eigenvalues");
}

NetworkRecord record(std::uint64_t seed) {
  NetworkRecord rec;
  rec.seed = seed;
  rec.initial = network(48, 0.1, Activation::tanh, seed);
  rec.trained = network(48, 0.1, Activation::tanh, seed + 50);
  return rec;
}

void expect_same_spectrum(const Spectrum& a, const Spectrum& b) {
  EXPECT_EQ(a.eigenvalues, b.eigenvalues);
  EXPECT_EQ(a.singular_values, b.singular_values);
  EXPECT_EQ(a.symmetric_eigenvalues, b.symmetric_eigenvalues);
  EXPECT_EQ(a.antisymmetric_eigenvalues, b.antisymmetric_eigenvalues);
  EXPECT_EQ(a.henrici, b.henrici);
}

TEST(SpectrumBatch, SameBitsOnOneThreadOrSeveralAndABadNetworkIsSkippedAlone) {
  Experiment experiment;
  for (std::uint64_t seed = 1; seed <= 5; ++seed) experiment.networks.push_back(record(seed));
  experiment.networks[2].trained.w_rec(3, 4) = std::numeric_limits<double>::quiet_NaN();
  experiment.networks[4].initial = Network{};  // an import: no initial weights
  const auto one = compute_spectra(experiment, std::nullopt, 1);
  const auto three = compute_spectra(experiment, std::nullopt, 3);
  ASSERT_EQ(one.size(), 5u);
  ASSERT_EQ(three.size(), 5u);
  for (std::size_t i = 0; i < one.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(one[i].seed, experiment.networks[i].seed);
    EXPECT_EQ(three[i].seed, one[i].seed);
    EXPECT_EQ(one[i].skipped.empty(), i != 2);
    if (i == 2) {
      EXPECT_NE(one[i].skipped.find("not finite"), std::string::npos) << one[i].skipped;
      continue;
    }
    const SpectrumAnalysis& a = one[i].analysis;
    const SpectrumAnalysis& b = three[i].analysis;
    expect_same_spectrum(a.trained.spectrum, b.trained.spectrum);
    expect_same_spectrum(*a.trained.linearised_origin, *b.trained.linearised_origin);
    EXPECT_EQ(a.initial.has_value(), i != 4);
    EXPECT_EQ(a.weight_stats.change.has_value(), i != 4);
    if (a.initial) expect_same_spectrum(a.initial->spectrum, b.initial->spectrum);
    // The batch computes what the single-network functions do.
    expect_same_spectrum(a.trained.spectrum, recurrent_spectrum(experiment.networks[i].trained));
  }
  EXPECT_GT(one[4].analysis.weight_stats.trained.all.count, 0);
}

}  // namespace
}  // namespace rnnlab
