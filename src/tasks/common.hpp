#pragma once
// What the tasks share: ms -> steps, parameter declaration and lookup, an
// empty batch, the Hann window, random pulse times, and the two accuracy
// rules most tasks use (sign of the mean output in a window; every scored
// step within a tolerance of the target). Kept here so each task file says
// only what is particular to its task.
#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "tasks/task.hpp"
#include "util/error.hpp"
#include "util/rng.hpp"

namespace rnnlab::taskkit {

// ---- time -------------------------------------------------------------------

// Durations are declared in ms; a trial runs in steps of dt ms.
inline int steps_of(double ms, double dt) { return static_cast<int>(std::lround(ms / dt)); }
// Pulses and windows that would round to nothing at a coarse dt keep one step,
// so a task never silently loses its stimulus.
inline int steps_at_least_one(double ms, double dt) { return std::max(1, steps_of(ms, dt)); }

// ---- parameters ---------------------------------------------------------------

inline ParamSpec ms_param(std::string name, double value, std::string what, double min = 0.0,
                          double max = 1e7) {
  return ParamSpec{std::move(name), value, std::move(what) + " (ms)", min, max, false, {}};
}
inline ParamSpec real_param(std::string name, double value, std::string what, double min, double max) {
  return ParamSpec{std::move(name), value, std::move(what), min, max, false, {}};
}
inline ParamSpec int_param(std::string name, int value, std::string what, int min, int max) {
  return ParamSpec{std::move(name), static_cast<double>(value), std::move(what), double(min), double(max),
                   true, {}};
}
inline ParamSpec choice_param(std::string name, std::string value, std::string what,
                              std::vector<std::string> choices) {
  return ParamSpec{std::move(name), std::move(value), std::move(what), -1e300, 1e300, false,
                   std::move(choices)};
}

// Lookups on parameters that make_task has already completed and validated.
inline double number(const ParamValues& p, const std::string& key) { return std::get<double>(p.at(key)); }
inline int whole(const ParamValues& p, const std::string& key) {
  return static_cast<int>(std::lround(number(p, key)));
}
inline const std::string& text(const ParamValues& p, const std::string& key) {
  return std::get<std::string>(p.at(key));
}

// "task.key = value", for messages about a relation between parameters.
inline std::string shown(const ParamValues& p, const std::string& key) {
  std::ostringstream out;
  out.precision(10);
  out << "task." << key << " = ";
  std::visit([&](const auto& v) { out << v; }, p.at(key));
  return out.str();
}

// A relation between parameters that no single range can express
// (e.g. onset_min <= onset_max): refused as the user's error, naming the key
// and its value first.
inline void require(bool ok, const ParamValues& p, const std::string& key, const std::string& why) {
  if (!ok) throw InputError(shown(p, key) + ": " + why);
}

// ---- batches ------------------------------------------------------------------

// Zero inputs and targets, mask all ones (tasks switch off what must not count).
inline TrialBatch empty_batch(int n_inputs, int n_outputs, int steps, int trials,
                              std::vector<std::string> condition_names) {
  TrialBatch batch;
  batch.steps = steps;
  batch.trials = trials;
  const Eigen::Index columns = static_cast<Eigen::Index>(steps) * trials;
  batch.inputs = Eigen::MatrixXf::Zero(n_inputs, columns);
  batch.targets = Eigen::MatrixXf::Zero(n_outputs, columns);
  batch.mask = Eigen::RowVectorXf::Ones(columns);
  batch.conditions = Eigen::MatrixXd::Zero(trials, static_cast<Eigen::Index>(condition_names.size()));
  batch.condition_names = std::move(condition_names);
  return batch;
}

// Sets channel `row` of `m` to `value` on steps [t0, t1) of trial b (clipped to the trial).
inline void fill(Eigen::MatrixXf& m, const TrialBatch& batch, int row, int b, int t0, int t1, float value) {
  for (int t = std::max(t0, 0); t < std::min(t1, batch.steps); ++t) m(row, batch.col(t, b)) = value;
}

// The loss ignores steps [t0, t1) of trial b: the grace period in which a
// network with a time constant cannot yet have reacted.
inline void mask_out(TrialBatch& batch, int b, int t0, int t1) {
  for (int t = std::max(t0, 0); t < std::min(t1, batch.steps); ++t) batch.mask(batch.col(t, b)) = 0.0f;
}

// Hann window of n points (symmetric, zero at both ends for n >= 3, as
// scipy.signal.windows.hann), normalised to unit sum. n < 3 has no interior
// point, so it means "no smoothing": the window {1}.
inline std::vector<double> hann_window(int n) {
  if (n < 3) return {1.0};
  std::vector<double> w(n);
  double sum = 0.0;
  for (int k = 0; k < n; ++k) {
    w[k] = 0.5 - 0.5 * std::cos(2.0 * M_PI * k / (n - 1));
    sum += w[k];
  }
  for (double& x : w) x /= sum;
  return w;
}

// `x` convolved with `window`, cut to x's length centred on the full result
// (numpy "same" mode; outside x counts as 0).
inline std::vector<double> smooth_same(const std::vector<double>& x, const std::vector<double>& window) {
  const int n = static_cast<int>(window.size()), len = static_cast<int>(x.size());
  const int shift = (n - 1) / 2;
  std::vector<double> out(len, 0.0);
  for (int i = 0; i < len; ++i)
    for (int k = 0; k < n; ++k) {
      const int j = i + shift - k;
      if (j >= 0 && j < len) out[i] += window[k] * x[j];
    }
  return out;
}

// Onsets of pulses that arrive at `rate_per_step` (a Bernoulli draw each step
// from `first`), each followed by `refractory` steps with no new onset so that
// pulses and their grace periods never overlap.
inline std::vector<int> random_onsets(int steps, int first, double rate_per_step, int refractory, Rng& rng) {
  std::vector<int> onsets;
  for (int t = first; t < steps; ++t) {
    if (rng.bernoulli(rate_per_step)) {
      onsets.push_back(t);
      t += refractory - 1;
    }
  }
  return onsets;
}

// ---- scoring ------------------------------------------------------------------

inline void check_outputs(const TrialBatch& batch, const Eigen::MatrixXf& outputs, int n_outputs,
                          const std::string& task) {
  if (outputs.rows() != n_outputs || outputs.cols() != static_cast<Eigen::Index>(batch.steps) * batch.trials)
    throw Error("task " + task + ": accuracy needs outputs of " + std::to_string(n_outputs) + " x " +
                std::to_string(batch.steps * batch.trials) + ", got " + std::to_string(outputs.rows()) + " x " +
                std::to_string(outputs.cols()));
}

// Mean of output channel o of trial b over steps [t0, t1).
inline double window_mean(const TrialBatch& batch, const Eigen::MatrixXf& outputs, int o, int b, int t0,
                          int t1) {
  double sum = 0.0;
  for (int t = t0; t < t1; ++t) sum += outputs(o, batch.col(t, b));
  return t1 > t0 ? sum / (t1 - t0) : 0.0;
}

// The binary-decision rule: a trial is right when the sign of its mean output
// (channel 0) over steps [t0, t1) equals the sign of its target at step t1 - 1;
// where that target is 0 (nothing to report), |mean| must stay below zero_band.
inline double sign_accuracy(const TrialBatch& batch, const Eigen::MatrixXf& outputs, int t0, int t1,
                            double zero_band = 0.5) {
  int right = 0;
  for (int b = 0; b < batch.trials; ++b) {
    const double mean = window_mean(batch, outputs, 0, b, t0, t1);
    const float target = batch.targets(0, batch.col(t1 - 1, b));
    if (target == 0.0f)
      right += std::abs(mean) < zero_band;
    else
      right += (mean > 0.0) == (target > 0.0f) && mean != 0.0;
  }
  return batch.trials > 0 ? static_cast<double>(right) / batch.trials : 0.0;
}

// The tracking rule: a trial is right when, at every scored step (mask 1),
// every output is within `tolerance` of its target.
inline double tracking_accuracy(const TrialBatch& batch, const Eigen::MatrixXf& outputs, double tolerance) {
  int right = 0;
  for (int b = 0; b < batch.trials; ++b) {
    bool ok = true;
    for (int t = 0; t < batch.steps && ok; ++t) {
      const Eigen::Index c = batch.col(t, b);
      if (batch.mask(c) == 0.0f) continue;
      // A plain loop: Eigen's vectorised maxCoeff trips a false GCC 12 warning.
      for (Eigen::Index o = 0; o < outputs.rows() && ok; ++o)
        ok = std::abs(outputs(o, c) - batch.targets(o, c)) < tolerance;
    }
    right += ok;
  }
  return batch.trials > 0 ? static_cast<double>(right) / batch.trials : 0.0;
}

// Signed coherence for the evidence tasks: magnitude coherence * 2^-k with k
// uniform in 0..levels-1 (each level halves the evidence), sign +-1 equally likely.
inline double draw_coherence(Rng& rng, double coherence, int levels) {
  const long k = rng.uniform_int(0, levels - 1);
  const double sign = rng.bernoulli(0.5) ? 1.0 : -1.0;
  return sign * coherence * std::ldexp(1.0, -static_cast<int>(k));
}

}  // namespace rnnlab::taskkit
