#include "analysis/jarne_class.hpp"

#include <algorithm>
#include <cmath>

#include "analysis/pca.hpp"
#include "analysis/spectrum.hpp"
#include "util/error.hpp"

namespace rnnlab {

std::string to_string(JarneClass c) {
  switch (c) {
    case JarneClass::oscillatory: return "oscillatory";
    case JarneClass::mixed: return "mixed";
    case JarneClass::ramping: return "ramping";
  }
  return "mixed";
}

const std::vector<JarneClass>& jarne_classes() {
  static const std::vector<JarneClass> all{JarneClass::oscillatory, JarneClass::mixed, JarneClass::ramping};
  return all;
}

JarneSpectral jarne_spectral(const Eigen::MatrixXd& step_map, double alpha, const JarneOptions& o) {
  JarneSpectral s;
  if (step_map.rows() == 0) return s;
  const Eigen::VectorXcd l = sorted_eigenvalues(step_map);
  s.leading = l(0);
  s.continuous = (s.leading - 1.0) / alpha;
  // The most oscillating of the growing modes, not the largest: in trained
  // oscillators a real mode (the saddle structure around the quiet state)
  // often grows slightly faster than the complex pair that carries the wave
  // (docs/dynamics.md gives the numbers), and the leading mode alone reads
  // them as ramping. A stable rest state (no growing mode) shapes no
  // oscillation, however complex its decaying modes (a damped focus).
  for (Eigen::Index i = 0; i < l.size(); ++i) {
    if (std::abs(l(i)) <= 1.0) continue;
    ++s.unstable_modes;
    const std::complex<double> mu = (l(i) - 1.0) / alpha;
    const double index = std::abs(mu) > 0 ? std::abs(mu.imag()) / std::abs(mu) : 0.0;
    if (s.unstable_modes == 1 || index > s.oscillation_index) {
      s.oscillation_index = index;
      s.oscillating = mu;
    }
  }
  s.label = s.oscillation_index >= o.spectral_oscillatory ? JarneClass::oscillatory
            : s.oscillation_index >= o.spectral_mixed     ? JarneClass::mixed
                                                          : JarneClass::ramping;
  return s;
}

JarneActivity jarne_activity(const Eigen::VectorXd& y, const JarneOptions& o) {
  JarneActivity a;
  const Eigen::Index n = y.size();
  if (n < 4) throw Error("jarne_activity: the window needs at least 4 steps, got " + std::to_string(n));
  const Eigen::VectorXd t = Eigen::VectorXd::LinSpaced(n, 0.0, static_cast<double>(n - 1));
  const Eigen::VectorXd tc = t.array() - t.mean();
  const Eigen::VectorXd yc = y.array() - y.mean();
  const double syy = yc.squaredNorm(), stt = tc.squaredNorm();
  a.time_correlation = syy > 0 ? tc.dot(yc) / std::sqrt(syy * stt) : 0.0;
  // Periodogram of the detrended signal, bins 1 .. n/2 (k cycles per window).
  const Eigen::VectorXd r = yc - (tc.dot(yc) / stt) * tc;
  const Eigen::Index bins = n / 2;
  Eigen::VectorXd power(bins);
  for (Eigen::Index k = 1; k <= bins; ++k) {
    double re = 0, im = 0;
    for (Eigen::Index i = 0; i < n; ++i) {
      const double phase = 2.0 * M_PI * static_cast<double>(k * i) / static_cast<double>(n);
      re += r(i) * std::cos(phase);
      im -= r(i) * std::sin(phase);
    }
    power(k - 1) = re * re + im * im;
  }
  Eigen::Index peak = 0;
  const double peak_power = power.maxCoeff(&peak);
  std::vector<double> sorted(power.data(), power.data() + bins);
  std::nth_element(sorted.begin(), sorted.begin() + bins / 2, sorted.end());
  const double median = sorted[bins / 2];
  a.peak_cycles = static_cast<double>(peak + 1);
  a.peak_to_median = median > 0 ? peak_power / median : (peak_power > 0 ? INFINITY : 0.0);
  // A straight line leaves only rounding after detrending, whose periodogram
  // has a peak somewhere: no oscillation.
  if (r.squaredNorm() <= 1e-20 * syy) a.peak_to_median = 0.0;
  if (a.peak_to_median >= o.peak_to_median && a.peak_cycles >= o.min_cycles)
    a.label = JarneClass::oscillatory;
  else if (std::abs(a.time_correlation) >= o.ramp_correlation)
    a.label = JarneClass::ramping;
  else
    a.label = JarneClass::mixed;
  return a;
}

JarneActivity jarne_activity_states(const Eigen::MatrixXd& states, const JarneOptions& o) {
  const Pca p = pca(states);
  JarneActivity a = jarne_activity(project(p, states, 1).row(0).transpose(), o);
  a.variance = (states.colwise() - states.rowwise().mean()).squaredNorm() / static_cast<double>(states.cols());
  return a;
}

JarneActivity jarne_activity_trials(const std::vector<Eigen::MatrixXd>& trials, const JarneOptions& o) {
  if (trials.empty()) throw Error("jarne_activity_trials: no trials");
  std::vector<JarneActivity> each;
  for (const Eigen::MatrixXd& t : trials) each.push_back(jarne_activity_states(t, o));
  const auto median = [&](double JarneActivity::*field) {
    std::vector<double> v;
    for (const JarneActivity& a : each) v.push_back(a.*field);
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
  };
  JarneActivity a;
  a.peak_to_median = median(&JarneActivity::peak_to_median);
  a.peak_cycles = median(&JarneActivity::peak_cycles);
  a.time_correlation = median(&JarneActivity::time_correlation);
  a.variance = median(&JarneActivity::variance);
  a.label = JarneClass::mixed;
  for (JarneClass c : jarne_classes()) {
    const auto votes = std::count_if(each.begin(), each.end(), [&](const JarneActivity& e) { return e.label == c; });
    if (2 * static_cast<std::size_t>(votes) > each.size()) a.label = c;
  }
  return a;
}

JarneClass jarne_combine(JarneClass a, JarneClass b) { return a == b ? a : JarneClass::mixed; }

JarneResult jarne_classify(const Eigen::MatrixXd& step_map, double alpha,
                           const std::vector<std::vector<Eigen::MatrixXd>>& conditions, const JarneOptions& o) {
  JarneResult r;
  r.spectral = jarne_spectral(step_map, alpha, o);
  double most_active = 0.0;
  for (const auto& trials : conditions) {
    r.conditions.push_back(jarne_activity_trials(trials, o));
    most_active = std::max(most_active, r.conditions.back().variance);
  }
  bool first = true;
  for (JarneActivity& c : r.conditions) {
    c.at_rest = c.variance < o.rest_fraction * most_active;
    if (c.at_rest) continue;
    r.activity = first ? c.label : jarne_combine(r.activity, c.label);
    first = false;
  }
  r.label = jarne_combine(r.spectral.label, r.activity);
  return r;
}

}  // namespace rnnlab
