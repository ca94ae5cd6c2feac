#pragma once
// What the tasks share: ms -> steps, parameter declaration and lookup, an
// empty batch, Hann smoothing, random pulse times, and the two accuracy
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

// The most steps one duration of a task may take. A smaller model.dt is
// refused before any array is made: 10^6 steps of a batch of 32 trials of
// 100 units are already gigabytes of rollout.
inline constexpr double kMaxSteps = 1e6;

// Durations are declared in ms; a trial runs in steps of dt ms.
inline int steps_of(double ms, double dt) {
  const double steps = ms / dt;
  if (!(steps <= kMaxSteps)) {
    std::ostringstream out;
    out.precision(10);
    out << "model.dt = " << dt << " ms is too small for this task: its duration of " << ms << " ms would take "
        << steps << " steps, more than the " << kMaxSteps << " one duration may take; raise model.dt";
    throw InputError(out.str());
  }
  return static_cast<int>(std::lround(steps));
}
// Pulses and windows that would round to nothing at a coarse dt keep one step,
// so a task never silently loses its stimulus.
inline int steps_at_least_one(double ms, double dt) { return std::max(1, steps_of(ms, dt)); }

// Input noise of a task is declared as a white-noise amplitude per sqrt(ms)
// (docs/model.md "Task noise"): the per-step standard deviation at dt = 1 ms.
// At step dt it is noise / sqrt(dt), so that the evidence summed over a fixed
// time has the same signal-to-noise ratio, and a task the same difficulty, at
// every dt.
inline double noise_per_step(double noise, double dt) { return noise / std::sqrt(dt); }

// ---- parameters ---------------------------------------------------------------

inline ParamSpec ms_param(std::string name, double value, std::string what, double min = 0.0,
                          double max = 1e7) {
  return ParamSpec{std::move(name), value, std::move(what) + " (ms)", min, max, false, {}};
}
inline ParamSpec real_param(std::string name, double value, std::string what, double min, double max) {
  return ParamSpec{std::move(name), value, std::move(what), min, max, false, {}};
}
// The `noise` parameter of a task (see noise_per_step), `where` saying which inputs and when.
inline ParamSpec noise_param(double value, const std::string& where) {
  return ParamSpec{"noise", value,
                   "input noise per sqrt(ms) " + where +
                       ": per-step standard deviation noise / sqrt(dt / 1 ms), the same task at any dt",
                   0, 100, false, {}};
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

// `x` convolved with the Hann window of n points (symmetric, zero at both
// ends, as scipy.signal.windows.hann) normalised to unit sum, cut to x's
// length centred on the full result (numpy "same" mode; outside x counts as
// 0). n < 3 has no interior point, so it means "no smoothing": x itself.
//
// O(len + n), not O(len n): a long pulse at a small dt would otherwise take
// minutes. With theta = 2 pi / (n - 1) the window is w_k = (1 - cos(theta k)) / (2 S),
// S = sum_k (1 - cos(theta k)) / 2, and cos(theta (m - j)) = cos(theta m) cos(theta j)
// + sin(theta m) sin(theta j), so out_i = sum_j w_{m-j} x_j (m = i + (n - 1) / 2,
// j from max(0, m - n + 1) to min(len - 1, m)) needs only running sums of x_j,
// x_j cos(theta j) and x_j sin(theta j) over that range.
inline std::vector<double> smooth_hann(const std::vector<double>& x, int n) {
  if (n < 3) return x;
  const int len = static_cast<int>(x.size());
  const double theta = 2.0 * M_PI / (n - 1);
  double window_sum = 0.0;
  for (int k = 0; k < n; ++k) window_sum += 0.5 - 0.5 * std::cos(theta * k);
  // Prefix sums: sum_{j < J} x_j, x_j cos(theta j), x_j sin(theta j).
  std::vector<double> plain(len + 1, 0.0), cosine(len + 1, 0.0), sine(len + 1, 0.0);
  for (int j = 0; j < len; ++j) {
    plain[j + 1] = plain[j] + x[j];
    cosine[j + 1] = cosine[j] + x[j] * std::cos(theta * j);
    sine[j + 1] = sine[j] + x[j] * std::sin(theta * j);
  }
  const int shift = (n - 1) / 2;
  std::vector<double> out(len, 0.0);
  for (int i = 0; i < len; ++i) {
    const long m = static_cast<long>(i) + shift;
    const long lo = std::max(0L, m - n + 1), hi = std::min(static_cast<long>(len) - 1, m);
    if (lo > hi) continue;
    const double sum = plain[hi + 1] - plain[lo];
    const double c = cosine[hi + 1] - cosine[lo], s = sine[hi + 1] - sine[lo];
    out[i] = (0.5 * sum - 0.5 * (std::cos(theta * m) * c + std::sin(theta * m) * s)) / window_sum;
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

// A decision after a grace window, as the binary decision tasks ask it:
// output 0 reports `choice` (+-1) from `onset` to the trial's last step
// `steps` - 1, and the loss ignores the first `grace` steps of it (a leaky
// network can only approach a step). decision_accuracy is its rule: the sign
// of the mean output over the scored steps.
inline void report_decision(TrialBatch& batch, int b, int onset, int grace, int steps, float choice) {
  fill(batch.targets, batch, 0, b, onset, steps, choice);
  mask_out(batch, b, onset, onset + grace);
}
inline double decision_accuracy(const TrialBatch& batch, const Eigen::MatrixXf& outputs, int onset, int grace,
                                int steps, const std::string& task_name) {
  check_outputs(batch, outputs, 1, task_name);
  return sign_accuracy(batch, outputs, onset + grace, steps);
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

// A task scored by the tracking rule with tolerance 0.5 (the timing tasks and
// set_reset): its outputs follow a target trace rather than report one choice.
class TrackingTask : public Task {
 public:
  double accuracy(const TrialBatch& batch, const Eigen::MatrixXf& outputs) const override {
    check_outputs(batch, outputs, n_outputs(), name());
    return tracking_accuracy(batch, outputs, 0.5);
  }
};

// The classification rule (tasks trained with train.loss = "cross_entropy"):
// a trial is right when, at every scored step (mask != 0, and output_mask of
// that step != 0 where there is one), the output with the largest value is the
// class with the largest target. A trial with no scored step is not right.
inline double argmax_accuracy(const TrialBatch& batch, const Eigen::MatrixXf& outputs) {
  int right = 0;
  for (int b = 0; b < batch.trials; ++b) {
    bool ok = true, scored = false;
    for (int t = 0; t < batch.steps && ok; ++t) {
      const Eigen::Index c = batch.col(t, b);
      if (batch.mask(c) == 0.0f || (batch.output_mask.size() > 0 && batch.output_mask(0, c) == 0.0f)) continue;
      Eigen::Index chosen = 0, label = 0;
      outputs.col(c).maxCoeff(&chosen);
      batch.targets.col(c).maxCoeff(&label);
      ok = chosen == label;
      scored = true;
    }
    right += ok && scored;
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
