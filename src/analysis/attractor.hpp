#pragma once
// What a long autonomous run settles into, and which attractors a network has
// (docs/dynamics.md "Attractors").
//
// One run: `transient` steps of x -> F(x, u) discarded, then `window` steps
// recorded; the Lyapunov exponents (lyapunov.hpp) are measured along the same
// settled run, so both measures see one transient. The decision, in this
// order, with the thresholds of AttractorOptions:
//   fixed_point     the window's extent max_t |x_t - x_end|_inf <= fixed_point_tolerance;
//                   matched to the nearest given fixed point within match_distance
//                   (Euclidean), else fixed_point = -1 (a point the search missed);
//   limit_cycle     the run recurs (recurrence() below: it comes back to within
//                   return_tolerance local steps of its last state, at least
//                   twice, at multiples of one period) and is sustained (the RMS
//                   deviation of the window's second half is at least
//                   sustained_ratio times the first half's: a damped spiral fails).
//                   Periodicity is tested before chaos: a cycle is never chaos;
//   chaos           the leading Lyapunov exponent (per tau) > chaos_threshold over
//                   the whole run AND over each half of it, the halves within
//                   chaos_agreement (relative) of each other;
//   quasi_periodic  otherwise sustained with |leading exponent| <= chaos_threshold
//                   (a neutral direction but no single period: a torus);
//   unsettled       otherwise (still contracting, or a positive exponent that
//                   does not hold across the run: the transient was too short).
#include <Eigen/Dense>
#include <limits>
#include <string>
#include <vector>

#include "analysis/lyapunov.hpp"
#include "model/network.hpp"

namespace rnnlab {

enum class AttractorType { fixed_point, limit_cycle, quasi_periodic, chaos, unsettled };
std::string to_string(AttractorType type);
// Every type in enum order (the columns of the census table).
const std::vector<AttractorType>& attractor_types();

struct AttractorOptions {
  int transient = 2000;                // steps discarded, before both the window and the Lyapunov run
  int window = 2000;                   // steps recorded and classified
  // A run classified unsettled or quasi_periodic is carried on from its
  // window's end for another `transient` steps and classified again, up to
  // this many times (none when transient is 0): slow points and slow
  // approaches to a cycle outlast one transient.
  int extensions = 7;
  double fixed_point_tolerance = 1e-6; // max-norm extent of the window (state units)
  double match_distance = 1e-2;        // to call it one of the given fixed points (Euclidean)
  double chaos_threshold = 1e-2;       // leading exponent per tau above which it may be chaos
  // The leading exponents over the two halves of the Lyapunov run may differ by
  // at most this fraction of the larger for chaos.
  double chaos_agreement = 0.5;
  // A return: the path of the run passes within this many local step lengths
  // |x_{t+1} - x_t| of the reference state. On a closed curve sampled every
  // step the miss is at most the chord's sagitta, about (turn per step) / 8
  // step lengths (0.04 at 20 steps per period); a torus or chaos misses by more.
  double return_tolerance = 0.25;
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
  int returns = 0;            // verified returns of the run to its last state (recurrence())
  double return_miss = std::numeric_limits<double>::quiet_NaN();  // their largest miss, in local steps
  double amplitude = 0.0;     // max over units of (max - min) / 2 over the window
  double extent = 0.0;        // max_t |x_t - x_end|_inf over the window
  double leading_exponent = std::numeric_limits<double>::quiet_NaN();  // per tau, whole Lyapunov run
  // per tau, over the first and the second half of the Lyapunov run
  double leading_exponent_first = std::numeric_limits<double>::quiet_NaN();
  double leading_exponent_second = std::numeric_limits<double>::quiet_NaN();
  Eigen::MatrixXd window;     // N x window: the recorded run
};

// The run and its classification with the exponents of one run.
struct AttractorRun {
  Attractor attractor;
  LyapunovResult lyapunov;  // from the settled state (the window's start): its
                            // own `transient` only aligns the tangent vectors
};

// Runs F(., u) from x0 (empty u: zero input) for options.transient steps,
// records the window from there, measures the Lyapunov exponents from the
// same settled state, and classifies; an unsettled or quasi_periodic run is
// carried on and classified again (AttractorOptions::extensions).
AttractorRun run_attractor(const Network& net, const Eigen::VectorXd& x0, const Eigen::VectorXd& u,
                           const std::vector<Eigen::VectorXd>& fixed_points, const AttractorOptions& options = {},
                           const LyapunovOptions& lyapunov = {});

// The classification with a leading exponent measured elsewhere (per tau;
// taken as the same over both halves).
Attractor classify_attractor(const Network& net, const Eigen::VectorXd& x0, const Eigen::VectorXd& u,
                             const std::vector<Eigen::VectorXd>& fixed_points, double leading_exponent,
                             const AttractorOptions& options = {});

// Periodicity by recurrence. First, short integer periods k = 2 .. 16 (a
// period-k orbit of the map, e.g. a period-2 flip: period 2.0): the window's
// last half repeats after k steps to within exact_tolerance (max norm).
// Otherwise a closed curve sampled finely: the reference is the window's last
// state (the most settled). Going back in time, the first return is the
// closest point of the first run of segments [x_t, x_{t+1}] that pass within
// return_tolerance * |x_{t+1} - x_t| of the reference, after the path has gone
// at least half its reach (largest distance from the reference) away; the
// period is the fractional step of that point. Segments longer than a quarter
// of the reach (a map's jumps) are not used. Each further multiple k of the
// period is verified the same way within 2 steps of k * period (the period
// refined as the k-th return time / k) as far as the window reaches.
// Periodic: at least 2 returns, all verified.
struct Recurrence {
  double period = std::numeric_limits<double>::quiet_NaN();  // steps; NaN if not periodic
  int returns = 0;            // verified returns (before the first failure)
  double miss = std::numeric_limits<double>::quiet_NaN();  // largest miss of a verified return, in local steps
};
Recurrence recurrence(const Eigen::MatrixXd& window, double return_tolerance = 0.25, double exact_tolerance = 1e-6);

// ---- Attractors from many starts ----

// One distinct attractor reached from a set of starts.
struct FoundAttractor {
  AttractorRun run;           // the run of its first start
  int first_start = 0;        // index of that start
  int starts = 0;             // starts that reached it
  double basin = 0.0;         // starts / all starts: the fraction of starts it attracts
  // fixed_point type: the step map at the point has a marginal direction
  // (|l| within marginal_tolerance * alpha of 1): a point of a line or ring
  // attractor. Such points are merged when the midpoint between them is fixed too.
  bool marginal = false;
  // fixed_point type: the step map's leading eigenvalue at the point is complex
  // (runs spiral in: a stable focus rather than a node).
  bool focus = false;
  // How describe() names it: the type, with "(marginal)" or "(focus)" for a
  // fixed point and "(period k)" for a cycle of an integer period k <= 8 steps
  // (a period-k orbit of the map, e.g. a period-2 flip).
  std::string name() const;
};

struct AttractorSetOptions {
  int threads = 1;                   // over starts; results do not depend on it
  double marginal_tolerance = 1e-3;  // per tau (see FoundAttractor::marginal)
  // Two non-periodic runs of one type (chaos, quasi_periodic, unsettled) are
  // the same attractor when their windows' mean states lie within this many
  // RMS spreads of each other (a statistical identity: such runs never revisit
  // one state); two chaotic runs also when their RMS sizes agree within 10%
  // and their leading exponents within 25% (attractor.cpp says why).
  double same_statistics = 0.5;
};

struct AttractorSet {
  std::vector<FoundAttractor> attractors;  // in order of their first start
  // per start: index into attractors; -1 for a start that rests on an
  // unstable fixed point (below)
  std::vector<int> start_attractor;
  // Starts whose run rests on a fixed point that the step map there makes
  // unstable (an eigenvalue |l| > 1 + marginal_tolerance * alpha): reached only
  // because the start sat on the point (or on its stable manifold), so not an
  // attractor. They are in no basin (the basins then sum to 1 - unstable_starts
  // / starts) and not in describe(). unstable_points: those points, one each.
  int unstable_starts = 0;
  std::vector<Eigen::VectorXd> unstable_points;
  // Counts by type; fixed points split into isolated and marginal.
  int fixed_points() const;    // isolated (non-marginal) fixed-point attractors: the stable points reached
  int marginal_points() const; // marginal fixed-point attractors (each a line/ring, after merging)
  int count(AttractorType type) const;
  // The coexisting attractors in words, e.g. "limit_cycle + 2 fixed_point":
  // FoundAttractor::name() with counts, most complex first (chaos,
  // quasi_periodic, limit_cycle, fixed_point, unsettled), then alphabetical.
  // Identical sets give identical text.
  std::string describe() const;
  // The attractor of this set that the run `a` (at input u, empty: zero) ended
  // on, by find_attractors' grouping rules; -1 if none (one the starts missed).
  int index_of(const Network& net, const Eigen::VectorXd& u, const Attractor& a, const AttractorOptions& options = {},
               const AttractorSetOptions& set_options = {}) const;
};

// Runs every start (columns of `starts`) with run_attractor and groups the
// ends: fixed points by distance (match_distance), cycles by lying on a known
// cycle (within one step of its path) with the same period (5%), the others by
// AttractorSetOptions::same_statistics. The Lyapunov run (with `lyapunov`) is
// made for the first start of each new attractor only, and for starts whose
// type needs an exponent (neither fixed point nor cycle).
AttractorSet find_attractors(const Network& net, const Eigen::MatrixXd& starts, const Eigen::VectorXd& u,
                             const std::vector<Eigen::VectorXd>& fixed_points, const AttractorOptions& options = {},
                             const LyapunovOptions& lyapunov = {}, const AttractorSetOptions& set_options = {});

}  // namespace rnnlab
