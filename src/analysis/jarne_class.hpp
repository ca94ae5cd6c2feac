#pragma once
// Jarne's classification of trained networks (Jarne 2021-2023; docs/dynamics.md
// "Jarne's classes"), for comparison with her papers.
//
// Spectral test on W_rec: the oscillation index |Im l*| / |l*| of the
// eigenvalue l* of largest modulus: >= spectral_oscillatory oscillatory,
// >= spectral_mixed mixed, else ramping (ramping or decaying).
// Activity test on the first principal component of the states over a delay
// window, one stimulus condition at a time: the periodogram of the linearly
// detrended PC1 (DC excluded), peak / median >= peak_to_median with the peak at
// >= min_cycles cycles per window: oscillatory; else |corr(PC1, t)| >=
// ramp_correlation: ramping; else mixed. Detrending and min_cycles keep a ramp's
// or a decay's 1/f^2 low end from passing as an oscillation.
// Final label: the spectral and activity labels where they agree, else mixed.
#include <Eigen/Dense>
#include <complex>
#include <string>
#include <vector>

namespace rnnlab {

enum class JarneClass { oscillatory, mixed, ramping };
std::string to_string(JarneClass c);
const std::vector<JarneClass>& jarne_classes();

struct JarneOptions {
  double spectral_oscillatory = 0.15;
  double spectral_mixed = 0.05;
  double peak_to_median = 5.0;
  double min_cycles = 2.0;
  double ramp_correlation = 0.8;
};

struct JarneSpectral {
  std::complex<double> leading;     // eigenvalue of W_rec of largest modulus
  double oscillation_index = 0.0;   // |Im| / |l|
  JarneClass label = JarneClass::ramping;
};
JarneSpectral jarne_spectral(const Eigen::MatrixXd& w_rec, const JarneOptions& options = {});

struct JarneActivity {
  double peak_to_median = 0.0;
  double peak_cycles = 0.0;        // frequency of the peak, in cycles per window
  double time_correlation = 0.0;   // corr(PC1, t)
  JarneClass label = JarneClass::mixed;
};
// The test on one signal (e.g. PC1 over the delay window).
JarneActivity jarne_activity(const Eigen::VectorXd& signal, const JarneOptions& options = {});
// PC1 of `states` (N x T, one condition's delay window, time along columns), then the test.
JarneActivity jarne_activity_states(const Eigen::MatrixXd& states, const JarneOptions& options = {});

// The labels where both agree, else mixed.
JarneClass jarne_combine(JarneClass a, JarneClass b);

struct JarneResult {
  JarneSpectral spectral;
  std::vector<JarneActivity> conditions;  // one per stimulus condition
  JarneClass activity = JarneClass::mixed; // the conditions' common label, mixed if they differ
  JarneClass label = JarneClass::mixed;    // jarne_combine(spectral, activity)
};
// `windows`: one N x T delay-window trajectory per stimulus condition.
JarneResult jarne_classify(const Eigen::MatrixXd& w_rec, const std::vector<Eigen::MatrixXd>& windows,
                           const JarneOptions& options = {});

}  // namespace rnnlab
