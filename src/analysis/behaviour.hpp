#pragma once
// Behaviour curves (docs/behaviour.md): what a network does as a subject of
// the experiment, rather than one accuracy number.
//
//   psychometric   decision tasks: the fraction of +1 choices against a
//                  condition of the trial (coherence, integral, ...), with a
//                  fitted cumulative Gaussian P(+1 | x) = Phi(slope (x - bias)).
//                  bias: the x of indifference (P = 0.5), in the condition's
//                  units; slope: 1 / the psychometric sd, per unit of x.
//                  A choice is the sign of the trial's mean output over the
//                  steps where it is asked to report +-1 (mask 1, target != 0).
//   timing         timing tasks: the produced interval against the sample
//                  interval, in ms. The sample is from the onset of the last
//                  input pulse before the target's response to the target's
//                  response (ready_set_go: set to go; delayed_pulse and
//                  multi_interval: stimulus onset to response), the produced
//                  interval from the same onset to the first step where the
//                  output reaches half the target's response height.
//                  A least-squares line produced = slope * sample + intercept;
//                  regression to the mean is 1 - slope (0: veridical, 1: the
//                  same answer whatever the sample), the indifference point
//                  intercept / (1 - slope) is the sample reproduced exactly.
//
// Trials are those of `rnnlab eval --trials T --seed S` (train/evaluate.hpp),
// noise off, so curves and eval's accuracy are on the same trials.
#include <cstdint>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "model/network.hpp"
#include "tasks/task.hpp"


namespace rnnlab {

// ---- psychometric -------------------------------------------------------------

struct PsychometricFit {
  double bias = 0;    // x where P(+1) = 0.5
  double slope = 0;   // Phi's slope per unit of x; +-infinity for a step (choices separated by x)
  bool step = false;  // every -1 choice lies below every +1 choice (or the reverse): no finite fit
};

struct PsychometricCurve {
  std::string condition;            // the batch's condition the curve is against
  Eigen::VectorXd levels;           // the distinct condition values (or bin means), ascending
  Eigen::VectorXd p_positive;       // fraction of +1 choices at each level
  Eigen::VectorXd counts;           // trials at each level
  PsychometricFit fit;
  int trials = 0;                   // trials with a choice
  int no_choice = 0;                // trials with nothing to report (target 0 throughout) or an output of exactly 0
};

// +1 / -1 per trial: the sign of the mean output (channel 0) over the steps
// where the trial reports +-1 (mask 1, target != 0); NaN where there are no
// such steps or the mean is exactly 0.
Eigen::VectorXd choices_from_outputs(const TrialBatch& batch, const Eigen::MatrixXf& outputs);

// Maximum-likelihood cumulative Gaussian through (x, choice in {+1, -1}).
// InputError if there are fewer than 2 trials or x does not vary.
PsychometricFit fit_psychometric(const Eigen::VectorXd& x, const Eigen::VectorXd& choice);

// The curve of outputs already computed on `batch` against its condition
// `condition` (InputError naming the batch's conditions if it has none of
// that name). More than max_levels distinct values are binned into
// max_levels groups of equal count (levels: the bins' mean x).
PsychometricCurve psychometric_from_outputs(const TrialBatch& batch, const Eigen::MatrixXf& outputs,
                                            const std::string& condition, int max_levels = 12);

// The default condition of a batch: "coherence", else "integral", else the
// first condition; InputError if the batch has none.
std::string default_psychometric_condition(const TrialBatch& batch);

// The network's curve on `trials` fresh trials of `task` (seed as eval's).
// An empty `condition` means default_psychometric_condition.
PsychometricCurve psychometric(const Network& net, const Task& task, int trials, std::uint64_t seed,
                               const std::string& condition = "");

// ---- timing -------------------------------------------------------------------

struct TimingCurve {
  Eigen::VectorXd sample_ms, produced_ms;  // per timed trial; produced NaN where the output never reached the threshold
  Eigen::VectorXd levels_ms, mean_produced_ms, sd_produced_ms, counts;  // per distinct sample (produced trials)
  double slope = 0, intercept_ms = 0;      // least squares over the produced trials; NaN if the sample does not vary
  double regression = 0;                   // 1 - slope
  double indifference_ms = 0;              // intercept / (1 - slope); NaN for slope 1
  double mean_error_ms = 0, sd_error_ms = 0;  // produced - sample
  int missed = 0;                          // timed trials whose output never reached the threshold
  int untimed = 0;                         // trials without a response in the target or an input before it
};

// The curve of outputs on `batch` (channel 0), dt in ms per step.
TimingCurve timing_from_outputs(const TrialBatch& batch, const Eigen::MatrixXf& outputs, double dt);

// The network's curve on `trials` fresh trials of `task` (seed as eval's).
TimingCurve timing_curve(const Network& net, const Task& task, int trials, std::uint64_t seed);

}  // namespace rnnlab
