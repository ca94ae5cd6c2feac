#pragma once
// What a long autonomous run settles into (docs/dynamics.md "Attractors").
//
// The run: `transient` steps of x -> F(x, u) discarded, then `window` steps
// recorded. The decision, in this order, with the thresholds of
// AttractorOptions:
//   fixed_point     the window's extent max_t |x_t - x_end|_inf <= fixed_point_tolerance;
//                   matched to the nearest given fixed point within match_distance
//                   (Euclidean), else fixed_point = -1 (a point the search missed);
//   chaos           the leading Lyapunov exponent (per tau) > chaos_threshold;
//   limit_cycle     the autocorrelation of the centred window has a first peak
//                   (its lag, refined by a parabola, is the period) and comes back
//                   to >= cycle_correlation at every multiple of the period that
//                   fits in half the window;
//   quasi_periodic  otherwise, with the leading exponent >= -chaos_threshold
//                   (a neutral direction but no single period: a torus);
//   unsettled       otherwise (still contracting at the end of the run: the
//                   transient was too short for the slowest decay).
#include <Eigen/Dense>
#include <limits>
#include <string>
#include <vector>

#include "model/network.hpp"

namespace rnnlab {

enum class AttractorType { fixed_point, limit_cycle, quasi_periodic, chaos, unsettled };
std::string to_string(AttractorType type);
// Every type in enum order (the columns of the census table).
const std::vector<AttractorType>& attractor_types();

struct AttractorOptions {
  int transient = 2000;                // steps discarded
  int window = 2000;                   // steps recorded and classified
  double fixed_point_tolerance = 1e-6; // max-norm extent of the window (state units)
  double match_distance = 1e-2;        // to call it one of the given fixed points (Euclidean)
  double chaos_threshold = 1e-2;       // leading exponent per tau above which it is chaos
  double cycle_correlation = 0.9;      // autocorrelation needed at every multiple of the period
  // limit_cycle and quasi_periodic need a sustained run: the RMS deviation of the
  // window's second half at least this times the first half's (a damped spiral fails).
  double sustained_ratio = 0.95;
};

struct Attractor {
  AttractorType type = AttractorType::unsettled;
  int fixed_point = -1;       // fixed_point type: index into the given points, -1 if none within match_distance
  double fixed_point_distance = std::numeric_limits<double>::quiet_NaN();  // to the nearest given point
  double period_steps = std::numeric_limits<double>::quiet_NaN();  // limit_cycle: period in steps (non-integer)
  double period_ms = std::numeric_limits<double>::quiet_NaN();     // period_steps * dt
  double amplitude = 0.0;     // max over units of (max - min) / 2 over the window
  double extent = 0.0;        // max_t |x_t - x_end|_inf over the window
  double leading_exponent = std::numeric_limits<double>::quiet_NaN();  // per tau, as given
  double peak_correlation = std::numeric_limits<double>::quiet_NaN();  // autocorrelation at the first peak
  Eigen::MatrixXd window;     // N x window: the recorded run
};

// Runs F(., u) from x0 (empty u: zero input) and classifies the run.
// `leading_exponent` (per tau, from lyapunov_spectrum on the same run) decides chaos.
Attractor classify_attractor(const Network& net, const Eigen::VectorXd& x0, const Eigen::VectorXd& u,
                             const std::vector<Eigen::VectorXd>& fixed_points, double leading_exponent,
                             const AttractorOptions& options = {});

// The autocorrelation analysis on its own: the period (in steps, parabola-refined;
// NaN if there is no peak) of the columns of `window` (N x T), and the
// autocorrelation at the first peak. Public for tests and plots.
struct Periodicity {
  double period = std::numeric_limits<double>::quiet_NaN();
  double peak_correlation = std::numeric_limits<double>::quiet_NaN();
  double min_return_correlation = std::numeric_limits<double>::quiet_NaN();  // lowest at multiples of the period
  Eigen::VectorXd autocorrelation;  // lags 0 .. T/2
};
Periodicity periodicity(const Eigen::MatrixXd& window);

}  // namespace rnnlab
