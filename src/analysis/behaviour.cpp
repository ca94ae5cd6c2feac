#include "analysis/behaviour.hpp"

#include <H5Cpp.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>

#include "train/evaluate.hpp"
#include "util/error.hpp"
#include "util/rng.hpp"

namespace rnnlab {

namespace {

const double nan = std::numeric_limits<double>::quiet_NaN();

double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }
double normal_pdf(double z) { return std::exp(-0.5 * z * z) / std::sqrt(2.0 * M_PI); }

// The outputs of `net` on eval's trials (the same draw as train/evaluate.cpp).
std::pair<TrialBatch, Eigen::MatrixXf> eval_outputs(const Network& net, const Task& task, int trials,
                                                     std::uint64_t seed) {
  if (trials < 1) throw InputError(fmt::format("--trials {}: needs at least 1 trial", trials));
  if (net.inputs() != task.n_inputs() || net.outputs() != task.n_outputs())
    throw InputError(fmt::format("the network has {} input(s) and {} output(s) but task {} has {} and {}",
                                 net.inputs(), net.outputs(), task.name(), task.n_inputs(), task.n_outputs()));
  Rng rng = Rng::stream(seed, Purpose::eval);
  TrialBatch batch = task.batch(trials, rng);
  Eigen::MatrixXf outputs = simulate(net, batch).y.cast<float>();
  return {std::move(batch), std::move(outputs)};
}

void check_shape(const TrialBatch& batch, const Eigen::MatrixXf& outputs) {
  if (outputs.rows() < 1 || outputs.cols() != static_cast<Eigen::Index>(batch.steps) * batch.trials)
    throw InputError(fmt::format("outputs of {} x {} do not fit a batch of {} steps x {} trials", outputs.rows(),
                                 outputs.cols(), batch.steps, batch.trials));
}

// Mean and sample sd of a list (sd 0 for one value).
std::pair<double, double> mean_sd(const std::vector<double>& v) {
  const double mean = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
  double ss = 0.0;
  for (double x : v) ss += (x - mean) * (x - mean);
  return {mean, v.size() > 1 ? std::sqrt(ss / static_cast<double>(v.size() - 1)) : 0.0};
}

}  // namespace

// ---- psychometric -------------------------------------------------------------

Eigen::VectorXd choices_from_outputs(const TrialBatch& batch, const Eigen::MatrixXf& outputs) {
  check_shape(batch, outputs);
  Eigen::VectorXd choice(batch.trials);
  for (int b = 0; b < batch.trials; ++b) {
    double sum = 0.0;
    int n = 0;
    for (int t = 0; t < batch.steps; ++t) {
      const Eigen::Index c = batch.col(t, b);
      if (batch.mask(c) == 0.0f || batch.targets(0, c) == 0.0f) continue;
      sum += outputs(0, c);
      ++n;
    }
    choice(b) = n == 0 || sum == 0.0 ? nan : (sum > 0.0 ? 1.0 : -1.0);
  }
  return choice;
}

PsychometricFit fit_psychometric(const Eigen::VectorXd& x, const Eigen::VectorXd& choice) {
  if (x.size() != choice.size() || x.size() < 2)
    throw InputError(fmt::format("a psychometric fit needs at least 2 trials with a choice, got {}", x.size()));
  if (x.maxCoeff() == x.minCoeff())
    throw InputError("a psychometric fit needs trials at more than one condition value");
  PsychometricFit fit;
  // Separated choices have no finite maximum-likelihood fit: the curve is a
  // step, placed midway between the two groups.
  double max_minus = -INFINITY, min_minus = INFINITY, max_plus = -INFINITY, min_plus = INFINITY;
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    if (choice(i) > 0) {
      max_plus = std::max(max_plus, x(i));
      min_plus = std::min(min_plus, x(i));
    } else {
      max_minus = std::max(max_minus, x(i));
      min_minus = std::min(min_minus, x(i));
    }
  }
  if (max_minus < min_plus || max_plus < min_minus) {
    fit.step = true;
    const bool rising = max_minus < min_plus;
    fit.slope = rising ? INFINITY : -INFINITY;
    // One-sided (every choice the same): the step lies beyond the data.
    if (std::isinf(max_minus) || std::isinf(max_plus))
      fit.bias = std::isinf(max_minus) == rising ? -INFINITY : INFINITY;
    else
      fit.bias = rising ? 0.5 * (max_minus + min_plus) : 0.5 * (max_plus + min_minus);
    return fit;
  }
  // Probit regression P = Phi(a + b x) by iteratively reweighted least squares
  // (Fisher scoring), from the flat start a = 0, b = 0.
  double a = 0.0, b = 0.0;
  for (int iteration = 0; iteration < 200; ++iteration) {
    Eigen::Matrix2d h = Eigen::Matrix2d::Zero();
    Eigen::Vector2d r = Eigen::Vector2d::Zero();
    for (Eigen::Index i = 0; i < x.size(); ++i) {
      const double eta = a + b * x(i);
      const double p = std::clamp(normal_cdf(eta), 1e-12, 1.0 - 1e-12);
      const double d = std::max(normal_pdf(eta), 1e-300);
      const double w = d * d / (p * (1.0 - p));
      const double z = eta + ((choice(i) > 0 ? 1.0 : 0.0) - p) / d;
      const Eigen::Vector2d row(1.0, x(i));
      h += w * row * row.transpose();
      r += w * z * row;
    }
    const Eigen::Vector2d next = h.ldlt().solve(r);
    const bool done = std::abs(next(0) - a) + std::abs(next(1) - b) < 1e-12 * (1.0 + std::abs(a) + std::abs(b));
    a = next(0);
    b = next(1);
    if (done) break;
  }
  fit.slope = b;
  fit.bias = b != 0.0 ? -a / b : nan;
  return fit;
}

std::string default_psychometric_condition(const TrialBatch& batch) {
  for (const char* name : {"coherence", "integral"})
    if (std::find(batch.condition_names.begin(), batch.condition_names.end(), name) != batch.condition_names.end())
      return name;
  if (batch.condition_names.empty()) throw InputError("the task's trials have no conditions to plot choices against");
  return batch.condition_names.front();
}

PsychometricCurve psychometric_from_outputs(const TrialBatch& batch, const Eigen::MatrixXf& outputs,
                                            const std::string& condition, int max_levels) {
  const auto it = std::find(batch.condition_names.begin(), batch.condition_names.end(), condition);
  if (it == batch.condition_names.end()) {
    std::string known;
    for (const auto& name : batch.condition_names) known += (known.empty() ? "" : ", ") + name;
    throw InputError(fmt::format("--condition {}: not a condition of the task's trials; known: {}", condition, known));
  }
  const Eigen::Index column = it - batch.condition_names.begin();
  const Eigen::VectorXd all_choices = choices_from_outputs(batch, outputs);
  std::vector<std::pair<double, double>> trials;  // (x, choice), sorted by x
  for (int b = 0; b < batch.trials; ++b)
    if (!std::isnan(all_choices(b))) trials.emplace_back(batch.conditions(b, column), all_choices(b));
  std::sort(trials.begin(), trials.end());

  PsychometricCurve c;
  c.condition = condition;
  c.trials = static_cast<int>(trials.size());
  c.no_choice = batch.trials - c.trials;
  Eigen::VectorXd x(c.trials), y(c.trials);
  for (int i = 0; i < c.trials; ++i) std::tie(x(i), y(i)) = trials[static_cast<std::size_t>(i)];
  c.fit = fit_psychometric(x, y);

  // Levels: the distinct x, or equal-count bins of them.
  std::vector<std::vector<int>> groups;
  std::map<double, int> distinct;
  for (int i = 0; i < c.trials; ++i) distinct.emplace(x(i), 0);
  if (static_cast<int>(distinct.size()) <= max_levels) {
    for (int i = 0; i < c.trials; ++i) {
      if (i == 0 || x(i) != x(i - 1)) groups.emplace_back();
      groups.back().push_back(i);
    }
  } else {
    groups.resize(static_cast<std::size_t>(max_levels));
    for (int i = 0; i < c.trials; ++i)
      groups[static_cast<std::size_t>(static_cast<long>(i) * max_levels / c.trials)].push_back(i);
  }
  const Eigen::Index k = static_cast<Eigen::Index>(groups.size());
  c.levels.resize(k);
  c.p_positive.resize(k);
  c.counts.resize(k);
  for (Eigen::Index g = 0; g < k; ++g) {
    double sx = 0.0, plus = 0.0;
    for (int i : groups[static_cast<std::size_t>(g)]) {
      sx += x(i);
      plus += y(i) > 0;
    }
    const double n = static_cast<double>(groups[static_cast<std::size_t>(g)].size());
    c.levels(g) = sx / n;
    c.p_positive(g) = plus / n;
    c.counts(g) = n;
  }
  return c;
}

PsychometricCurve psychometric(const Network& net, const Task& task, int trials, std::uint64_t seed,
                               const std::string& condition) {
  const auto [batch, outputs] = eval_outputs(net, task, trials, seed);
  return psychometric_from_outputs(batch, outputs,
                                   condition.empty() ? default_psychometric_condition(batch) : condition);
}

// ---- timing -------------------------------------------------------------------

TimingCurve timing_from_outputs(const TrialBatch& batch, const Eigen::MatrixXf& outputs, double dt) {
  check_shape(batch, outputs);
  auto input_on = [&](int t, int b) { return batch.inputs.col(batch.col(t, b)).cwiseAbs().maxCoeff() > 0.0f; };
  std::vector<double> sample, produced;
  TimingCurve c;
  for (int b = 0; b < batch.trials; ++b) {
    int response = 0;
    while (response < batch.steps && batch.targets(0, batch.col(response, b)) < 0.5f) ++response;
    int last = response - 1;  // the last input step before the response, then back to its pulse's onset
    while (last >= 0 && (batch.inputs.rows() == 0 || !input_on(last, b))) --last;
    if (response == batch.steps || last < 0) {
      ++c.untimed;
      continue;
    }
    int onset = last;
    while (onset > 0 && input_on(onset - 1, b)) --onset;
    const float threshold = 0.5f * batch.targets(0, batch.col(response, b));
    int crossed = onset;
    while (crossed < batch.steps && outputs(0, batch.col(crossed, b)) < threshold) ++crossed;
    sample.push_back((response - onset) * dt);
    produced.push_back(crossed < batch.steps ? (crossed - onset) * dt : nan);
    c.missed += crossed == batch.steps;
  }
  const Eigen::Index n = static_cast<Eigen::Index>(sample.size());
  c.sample_ms = Eigen::Map<const Eigen::VectorXd>(sample.data(), n);
  c.produced_ms = Eigen::Map<const Eigen::VectorXd>(produced.data(), n);

  std::map<double, std::vector<double>> by_sample;  // produced trials only
  std::vector<double> errors;
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (std::size_t i = 0; i < sample.size(); ++i) {
    if (std::isnan(produced[i])) continue;
    by_sample[sample[i]].push_back(produced[i]);
    errors.push_back(produced[i] - sample[i]);
    sx += sample[i];
    sy += produced[i];
    sxx += sample[i] * sample[i];
    sxy += sample[i] * produced[i];
  }
  const Eigen::Index k = static_cast<Eigen::Index>(by_sample.size());
  c.levels_ms.resize(k);
  c.mean_produced_ms.resize(k);
  c.sd_produced_ms.resize(k);
  c.counts.resize(k);
  Eigen::Index l = 0;
  for (const auto& [s, values] : by_sample) {
    c.levels_ms(l) = s;
    std::tie(c.mean_produced_ms(l), c.sd_produced_ms(l)) = mean_sd(values);
    c.counts(l) = static_cast<double>(values.size());
    ++l;
  }
  const double m = static_cast<double>(errors.size());
  const double var_x = m > 0 ? sxx / m - (sx / m) * (sx / m) : 0.0;
  if (k >= 2 && var_x > 0) {
    c.slope = (sxy / m - (sx / m) * (sy / m)) / var_x;
    c.intercept_ms = sy / m - c.slope * sx / m;
    c.regression = 1.0 - c.slope;
    c.indifference_ms = c.slope != 1.0 ? c.intercept_ms / (1.0 - c.slope) : nan;
  } else {
    c.slope = c.intercept_ms = c.regression = c.indifference_ms = nan;
  }
  if (errors.empty())
    c.mean_error_ms = c.sd_error_ms = nan;
  else
    std::tie(c.mean_error_ms, c.sd_error_ms) = mean_sd(errors);
  return c;
}

TimingCurve timing_curve(const Network& net, const Task& task, int trials, std::uint64_t seed) {
  const auto [batch, outputs] = eval_outputs(net, task, trials, seed);
  return timing_from_outputs(batch, outputs, net.dt);
}

}  // namespace rnnlab
