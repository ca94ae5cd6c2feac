#pragma once
// Jarne's classification of trained networks (Jarne 2021-2023; docs/dynamics.md
// "Jarne's classes"), for comparison with her papers. The spectral and the
// activity labels are reported separately; the combined label is kept for
// the census table.
//
// Spectral test, in the right coordinates: the growing modes of the step map
// at the origin J0 = (1-a) I + a W_rec diag(phi'(0)) (|l| > 1; for a leaky
// network W_rec's own unit circle is not the boundary). None: ramping (the
// rest state is stable: activity decays or ramps). Else each growing mode read
// per tau, mu = (l - 1) / a, and its oscillation index |Im mu| / |mu|
// (alpha-independent); the largest index over the growing modes (not the
// leading mode's: a real mode may outgrow the pair that carries a wave)
// >= spectral_oscillatory: oscillatory, >= spectral_mixed: mixed, else ramping.
// Activity test on single trials (trials are not averaged: jittered onsets
// average an oscillation away): per trial, the first principal component of
// its states over the delay window; the periodogram of the linearly detrended
// PC1 (DC excluded), peak / median >= peak_to_median with the peak at >=
// min_cycles cycles per window: oscillatory; else |corr(PC1, t)| >=
// ramp_correlation: ramping; else mixed. Detrending and min_cycles keep a
// ramp's or a decay's 1/f^2 low end from passing as an oscillation. A
// condition's label is the label of more than half its trials, else mixed.
// A condition at rest (its trials' activity in the window, the median over
// trials of the summed variance of the units, below rest_fraction of the most
// active condition's: e.g. an oscillator's no-pulse trials, a decaying kick)
// keeps its label but does not vote: the network's activity label is the
// common label of the active conditions (mixed if they differ).
// The thresholds are ours (docs/dynamics.md says why), not Jarne's.
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
  // A condition whose window activity (variance) is below this fraction of the
  // most active condition's is at rest (an RMS amplitude under 32% of it):
  // trained oscillators' no-pulse conditions sit at 0.011-0.035, the two
  // conditions of a flip-flop at 0.9-1 of each other (docs/dynamics.md).
  double rest_fraction = 0.1;
};

struct JarneSpectral {
  std::complex<double> leading;     // J0's eigenvalue of largest modulus (per step)
  std::complex<double> continuous;  // (leading - 1) / a, per tau
  int unstable_modes = 0;           // eigenvalues of J0 with |l| > 1
  double oscillation_index = 0.0;   // the largest |Im mu| / |mu| over the growing modes; 0 when none grows
  std::complex<double> oscillating; // that mode's mu = (l - 1) / a, per tau (0 when none grows)
  JarneClass label = JarneClass::ramping;
};
// `step_map`: J0 (N x N), `alpha`: a = dt / tau.
JarneSpectral jarne_spectral(const Eigen::MatrixXd& step_map, double alpha, const JarneOptions& options = {});

struct JarneActivity {
  double peak_to_median = 0.0;
  double peak_cycles = 0.0;        // frequency of the peak, in cycles per window
  double time_correlation = 0.0;   // corr(PC1, t)
  // Summed variance over time of the units in the window (state units^2;
  // jarne_activity_trials: the median over the trials).
  double variance = 0.0;
  bool at_rest = false;            // jarne_classify: below rest_fraction of the most active condition's
  JarneClass label = JarneClass::mixed;
};
// The test on one signal (e.g. PC1 over the delay window).
JarneActivity jarne_activity(const Eigen::VectorXd& signal, const JarneOptions& options = {});
// PC1 of `states` (N x T, one trial's delay window, time along columns), then the test.
JarneActivity jarne_activity_states(const Eigen::MatrixXd& states, const JarneOptions& options = {});
// One condition: each trial's window (N x T) tested alone; the label of more
// than half of them (else mixed), the numbers their medians.
JarneActivity jarne_activity_trials(const std::vector<Eigen::MatrixXd>& trials, const JarneOptions& options = {});

// The labels where both agree, else mixed.
JarneClass jarne_combine(JarneClass a, JarneClass b);

struct JarneResult {
  JarneSpectral spectral;
  std::vector<JarneActivity> conditions;  // one per stimulus condition (jarne_activity_trials)
  JarneClass activity = JarneClass::mixed; // the active conditions' common label, mixed if they differ
  JarneClass label = JarneClass::mixed;    // jarne_combine(spectral, activity)
};
// `conditions[c]`: the single trials' delay windows (N x T each) of condition c.
JarneResult jarne_classify(const Eigen::MatrixXd& step_map, double alpha,
                           const std::vector<std::vector<Eigen::MatrixXd>>& conditions,
                           const JarneOptions& options = {});

}  // namespace rnnlab
