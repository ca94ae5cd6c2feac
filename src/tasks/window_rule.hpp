#pragma once
// The scoring shared by the tasks of Jarne's suite that answer with a level
// held to the end of the trial (interval_distance, multi_amplitude,
// context_logic): a trial is right when its mean output over one window
// passes the task's own test. (Kept beside common.hpp rather than in it,
// since only these tasks use it.)
#include "tasks/common.hpp"

namespace rnnlab::taskkit {

// Fraction of trials b for which right(b, mean) holds, with `mean` the mean
// of output channel 0 of trial b over steps [t0, t1).
template <class Rule>
double window_rule_accuracy(const TrialBatch& batch, const Eigen::MatrixXf& outputs, int t0, int t1, Rule right) {
  int count = 0;
  for (int b = 0; b < batch.trials; ++b) count += right(b, window_mean(batch, outputs, 0, b, t0, t1)) ? 1 : 0;
  return batch.trials > 0 ? static_cast<double>(count) / batch.trials : 0.0;
}

}  // namespace rnnlab::taskkit
