#include "analysis/attractor.hpp"

#include <algorithm>
#include <cmath>

#include "util/error.hpp"

namespace rnnlab {

std::string to_string(AttractorType type) {
  switch (type) {
    case AttractorType::fixed_point: return "fixed_point";
    case AttractorType::limit_cycle: return "limit_cycle";
    case AttractorType::quasi_periodic: return "quasi_periodic";
    case AttractorType::chaos: return "chaos";
    case AttractorType::unsettled: return "unsettled";
  }
  return "unsettled";
}

const std::vector<AttractorType>& attractor_types() {
  static const std::vector<AttractorType> all{AttractorType::fixed_point, AttractorType::limit_cycle,
                                              AttractorType::quasi_periodic, AttractorType::chaos,
                                              AttractorType::unsettled};
  return all;
}

Periodicity periodicity(const Eigen::MatrixXd& window) {
  Periodicity p;
  const Eigen::Index t_len = window.cols();
  const Eigen::Index max_lag = t_len / 2;
  if (max_lag < 3) return p;
  const Eigen::MatrixXd c = window.colwise() - window.rowwise().mean();
  // Normalised autocorrelation summed over units: C(lag) = <x_t, x_{t+lag}> / <x_t, x_t>,
  // each an average over the overlap, so C(0) = 1 and a perfect cycle returns to 1.
  p.autocorrelation.resize(max_lag + 1);
  for (Eigen::Index lag = 0; lag <= max_lag; ++lag) {
    const Eigen::Index m = t_len - lag;
    const double cross = (c.leftCols(m).array() * c.middleCols(lag, m).array()).sum();
    const double norm = std::sqrt(c.leftCols(m).squaredNorm() * c.middleCols(lag, m).squaredNorm());
    p.autocorrelation(lag) = norm > 0 ? cross / norm : 0.0;
  }
  const Eigen::VectorXd& a = p.autocorrelation;
  // The first peak after the correlation has first fallen below zero (past
  // the central lobe); a parabola through it and its neighbours refines the lag.
  Eigen::Index lag = 1;
  while (lag < max_lag && a(lag) > 0) ++lag;
  for (; lag < max_lag; ++lag)
    if (a(lag) >= a(lag - 1) && a(lag) > a(lag + 1)) break;
  if (lag >= max_lag) return p;
  const double y0 = a(lag - 1), y1 = a(lag), y2 = a(lag + 1);
  const double denom = y0 - 2 * y1 + y2;
  const double shift = denom != 0 ? 0.5 * (y0 - y2) / denom : 0.0;
  p.period = static_cast<double>(lag) + shift;
  p.peak_correlation = y1 - 0.25 * (y0 - y2) * shift;
  // A cycle comes back at every multiple; a torus or chaos drifts away.
  p.min_return_correlation = p.peak_correlation;
  for (int k = 2; k * p.period <= static_cast<double>(max_lag) - 1; ++k) {
    const Eigen::Index centre = static_cast<Eigen::Index>(std::lround(k * p.period));
    double best = -1.0;
    for (Eigen::Index l = std::max<Eigen::Index>(1, centre - 1); l <= std::min(max_lag, centre + 1); ++l)
      best = std::max(best, a(l));
    p.min_return_correlation = std::min(p.min_return_correlation, best);
  }
  return p;
}

Attractor classify_attractor(const Network& net, const Eigen::VectorXd& x0, const Eigen::VectorXd& u_in,
                             const std::vector<Eigen::VectorXd>& fixed_points, double leading_exponent,
                             const AttractorOptions& o) {
  if (o.window < 8) throw Error("classify_attractor: window must be at least 8 steps");
  const Eigen::VectorXd u = u_in.size() ? u_in : Eigen::VectorXd::Zero(net.inputs());
  Eigen::VectorXd x = x0;
  for (int t = 0; t < o.transient; ++t) x = net.step(x, u);
  Attractor a;
  a.leading_exponent = leading_exponent;
  a.window.resize(x.size(), o.window);
  for (int t = 0; t < o.window; ++t) {
    x = net.step(x, u);
    a.window.col(t) = x;
  }
  if (!a.window.allFinite()) throw Error("classify_attractor: the run diverged (non-finite state)");
  a.amplitude = 0.5 * (a.window.rowwise().maxCoeff() - a.window.rowwise().minCoeff()).maxCoeff();
  a.extent = (a.window.colwise() - x).cwiseAbs().maxCoeff();

  if (a.extent <= o.fixed_point_tolerance) {
    a.type = AttractorType::fixed_point;
    for (std::size_t i = 0; i < fixed_points.size(); ++i) {
      const double d = (fixed_points[i] - x).norm();
      if (!(d >= a.fixed_point_distance)) {  // also replaces the initial NaN
        a.fixed_point_distance = d;
        a.fixed_point = static_cast<int>(i);
      }
    }
    if (a.fixed_point >= 0 && a.fixed_point_distance > o.match_distance) a.fixed_point = -1;
    return a;
  }
  if (leading_exponent > o.chaos_threshold) {
    a.type = AttractorType::chaos;
    return a;
  }
  const Periodicity p = periodicity(a.window);
  a.peak_correlation = p.peak_correlation;
  // A damped spiral also correlates with itself one period later (the
  // correlation is normalised); a cycle keeps its size and has no negative
  // leading exponent (when one is given).
  const Eigen::Index half = a.window.cols() / 2;
  const Eigen::MatrixXd centred = a.window.colwise() - a.window.rowwise().mean();
  const double rms_first = centred.leftCols(half).norm(), rms_second = centred.rightCols(half).norm();
  const bool sustained = rms_second >= o.sustained_ratio * rms_first &&
                         !(leading_exponent < -o.chaos_threshold);
  if (std::isfinite(p.period) && p.min_return_correlation >= o.cycle_correlation && sustained) {
    a.type = AttractorType::limit_cycle;
    a.period_steps = p.period;
    a.period_ms = p.period * net.dt;
    return a;
  }
  a.type = sustained ? AttractorType::quasi_periodic : AttractorType::unsettled;
  return a;
}

}  // namespace rnnlab
