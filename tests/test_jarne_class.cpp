// Jarne's classes on constructed inputs with known answers: the spectral label
// reads the most oscillating growing mode of the step map, and a condition at
// rest does not vote in the activity label (jarne_class.hpp).
#include <gtest/gtest.h>

#include <cmath>
#include <complex>

#include "analysis/jarne_class.hpp"

namespace rnnlab {
namespace {

TEST(JarneClassRules, TheMostOscillatingGrowingModeDecidesNotTheLeadingOne) {
  // Block-diagonal step map (a = 0.1): a real mode l = 1.04 (the leading one)
  // and a pair l = 0.955 +- 0.36i (|l| = 1.0206, growing). Per tau the pair is
  // mu = (l - 1) / a = -0.45 +- 3.6i: index 3.6 / |mu| = 0.992.
  Eigen::MatrixXd j = Eigen::MatrixXd::Zero(3, 3);
  j(0, 0) = 1.04;
  j.bottomRightCorner(2, 2) << 0.955, -0.36, 0.36, 0.955;
  const JarneSpectral s = jarne_spectral(j, 0.1);
  EXPECT_EQ(s.unstable_modes, 3);
  EXPECT_NEAR(s.leading.real(), 1.04, 1e-12);  // the leading mode is still reported
  const std::complex<double> mu(-0.45, 3.6);
  EXPECT_NEAR(std::abs(std::abs(s.oscillating.imag()) - mu.imag()), 0.0, 1e-9);
  EXPECT_NEAR(s.oscillating.real(), mu.real(), 1e-9);
  EXPECT_NEAR(s.oscillation_index, 3.6 / std::abs(mu), 1e-9);
  EXPECT_EQ(s.label, JarneClass::oscillatory);
  // The same pair decaying (|l| = 0.99): only the real mode grows: ramping.
  j.bottomRightCorner(2, 2) *= 0.99 / std::abs(std::complex<double>(0.955, 0.36));
  const JarneSpectral r = jarne_spectral(j, 0.1);
  EXPECT_EQ(r.unstable_modes, 1);
  EXPECT_EQ(r.oscillation_index, 0.0);
  EXPECT_EQ(r.label, JarneClass::ramping);
}

// Two units, T steps: unit 0 = amp cos(2 pi k t / T) (k cycles), unit 1 = amp * t / T (a ramp).
Eigen::MatrixXd window(double wave, double ramp, int cycles, int steps) {
  Eigen::MatrixXd w(2, steps);
  for (int t = 0; t < steps; ++t) {
    w(0, t) = wave * std::cos(2 * M_PI * cycles * t / steps);
    w(1, t) = ramp * t / static_cast<double>(steps);
  }
  return w;
}

TEST(JarneClassRules, AConditionAtRestDoesNotVote) {
  const Eigen::MatrixXd step_map = Eigen::MatrixXd::Identity(2, 2) * 0.9;
  // Condition 0 oscillates (amplitude 1: variance 0.5); condition 1 ramps with
  // a ramp of 0.5 (variance 0.25 / 12 = 0.021, 0.042 of condition 0's): at rest.
  const std::vector<std::vector<Eigen::MatrixXd>> conditions{{window(1.0, 0.0, 4, 100)}, {window(0.0, 0.5, 4, 100)}};
  const JarneResult j = jarne_classify(step_map, 0.1, conditions);
  ASSERT_EQ(j.conditions.size(), 2u);
  EXPECT_NEAR(j.conditions[0].variance, 0.5, 1e-9);
  EXPECT_NEAR(j.conditions[1].variance, 0.25 * (1.0 - 1.0 / (100.0 * 100.0)) / 12.0, 1e-9);
  EXPECT_EQ(j.conditions[0].label, JarneClass::oscillatory);
  EXPECT_EQ(j.conditions[1].label, JarneClass::ramping);  // its own label is kept
  EXPECT_FALSE(j.conditions[0].at_rest);
  EXPECT_TRUE(j.conditions[1].at_rest);
  EXPECT_EQ(j.activity, JarneClass::oscillatory);
  // A ramp of 2 (variance 0.33, 0.67 of condition 0's) is active: the labels differ, mixed.
  const JarneResult both = jarne_classify(step_map, 0.1, {{window(1.0, 0.0, 4, 100)}, {window(0.0, 2.0, 4, 100)}});
  EXPECT_FALSE(both.conditions[1].at_rest);
  EXPECT_EQ(both.activity, JarneClass::mixed);
  // The threshold is an option: at rest_fraction 0.01 the small ramp votes too.
  JarneOptions strict;
  strict.rest_fraction = 0.01;
  EXPECT_EQ(jarne_classify(step_map, 0.1, conditions, strict).activity, JarneClass::mixed);
}

}  // namespace
}  // namespace rnnlab
