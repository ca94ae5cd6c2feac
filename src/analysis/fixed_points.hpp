#pragma once
// Fixed points and slow points of the noiseless map (docs/ground-truths.md;
// Sussillo & Barak 2013):
//
//   F(x, u) = (1 - a) x + a (W_rec phi(x) + W_in u + b),   q(x) = 1/2 |F(x, u) - x|^2.
//
// q is minimised from many starting states. The residual g(x) = F(x) - x has
// an analytic Jacobian J_g = a (W_rec diag(phi'(x)) - I), and the Hessian of q
// is J_g^T J_g plus a diagonal second-order term, so every start runs Newton's
// method instead of thousands of gradient steps: Newton on g (quadratic
// convergence to a nondegenerate root, polished to machine precision), and,
// where that fails, damped Newton / Levenberg-Marquardt on q, which still
// converges to a local minimum of q with q > 0 (a slow point, the "ghost" of a
// fixed point) where no root is near. fixed_point_solver.cpp has the details.
//
// The problem (network, constant input u) is kept apart from the method
// (FixedPointOptions). Results are plain Eigen arrays and counts, so that they
// can be written to HDF5 as they are.
#include <Eigen/Dense>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "model/network.hpp"
#include "util/rng.hpp"

namespace rnnlab {

// What a minimisation from one start ended at.
enum class PointKind {
  fixed,          // q <= fixed_tolerance
  slow,           // a local minimum of q with fixed_tolerance < q <= slow_tolerance
  not_converged,  // stalled above slow_tolerance, not stationary, or diverged
};

// Stability of a point from the moduli of the discrete eigenvalues l of dF/dx.
// A direction is unstable if |l| > 1 + tol, marginal if ||l| - 1| <= tol
// (tol = marginal_tolerance * alpha, i.e. a continuous-time rate in 1/tau).
enum class Stability {
  stable,    // all directions stable
  saddle,    // some unstable directions, not all
  unstable,  // all directions unstable
  marginal,  // no unstable direction, at least one marginal (e.g. a line attractor)
};

std::string to_string(PointKind kind);
std::string to_string(Stability stability);

struct FixedPointOptions {
  // q at or below this is a fixed point. True roots polish to q ~ 1e-25 or less.
  double fixed_tolerance = 1e-12;
  // A local minimum of q at or below this (and above fixed_tolerance) is a slow
  // point; one above it is reported as not converged. Note q scales as alpha^2.
  double slow_tolerance = 1e-4;
  // A point counts as a local minimum of q (a slow point) if
  // |J_g^T g|_inf <= stationary_tolerance * a (1 + |W_rec|_F) |g|_2
  // (the gradient of q relative to a bound on it).
  double stationary_tolerance = 1e-6;
  // N x N factorisations per start (LU for Newton steps, Cholesky for LM
  // steps, accepted and rejected together); chord steps reuse one and are free.
  int max_iterations = 200;
  // Newton steps taken from a point with q <= fixed_tolerance: each squares
  // the error of a nondegenerate root, so from q <= 1e-12 one reaches
  // q ~ 1e-24 or below. (At a known root of the second pass, two chord steps
  // with its LU do the same.)
  int polish_iterations = 1;
  // Use the second-order (diagonal) part of the Hessian of q. Without it the
  // method is plain Levenberg-Marquardt (Gauss-Newton on g), which converges
  // to roots just as fast but only linearly to slow points.
  bool second_order = true;
  // Start with plain Newton steps on g (LU of J, backtracking on q), and
  // switch to the Levenberg-Marquardt iteration where they fail.
  bool newton_first = true;
  // Two passes (find_fixed_points, when there are more than twice as many
  // starts): first this many starts, evenly spaced through the list, are
  // solved alone; the fixed points they reach are then shared with the other
  // starts, which finish by cheap chord steps with the LU of the Jacobian at
  // a known point once they come within known_root_radius * (1 + |x*|_inf) of
  // it (inf-norm). Every start still ends only where q <= fixed_tolerance (or
  // at a slow point), so no point is invented, but a start between two close
  // roots may end at the known one. 0 solves every start alone. Which starts
  // go first depends only on their number: results do not depend on threads.
  int first_pass_starts = 64;
  double known_root_radius = 0.5;
  // Two points are the same if |x - y|_inf <= dedup_tolerance * max(1, |y|_inf);
  // the one with the lower q is kept.
  double dedup_tolerance = 1e-6;
  // A point is flagged (not dropped) as an outlier if its distance to the
  // nearest starting state exceeds outlier_factor times the spread of the
  // starts (root mean square distance to their centroid).
  double outlier_factor = 2.0;
  // See Stability; in units of 1/tau.
  double marginal_tolerance = 1e-6;
  // Right eigenvectors kept per point, for the largest-modulus eigenvalues.
  int eigenvectors = 3;
  // Worker threads; 0 = all hardware threads. Results do not depend on it.
  int threads = 0;
  // Called with (starts done, total) while starts are processed; calls are
  // serialised by a lock but come from worker threads.
  std::function<void(std::size_t, std::size_t)> progress;
};

// The minimisation from one starting state.
struct StartResult {
  Eigen::VectorXd x;       // the point reached
  double q = 0.0;
  int iterations = 0;      // N x N factorisations used (see max_iterations)
  bool converged = false;  // kind != not_converged
  PointKind kind = PointKind::not_converged;
  int point = -1;          // index into FixedPointResult::points, -1 if not converged
};

// One distinct point after de-duplication, with its linearisation.
struct FixedPoint {
  Eigen::VectorXd x;
  double q = 0.0;
  PointKind kind = PointKind::fixed;
  int count = 0;                         // starts that reached it
  Eigen::MatrixXd jacobian_state;        // dF/dx, N x N
  Eigen::MatrixXd jacobian_input;        // dF/du, N x I
  Eigen::VectorXcd eigenvalues;          // discrete, sorted by modulus, descending
  Eigen::VectorXcd continuous_eigenvalues;  // (l - 1) / alpha, same order, 1/tau units
  Eigen::MatrixXcd eigenvectors;         // N x k, right eigenvectors of the first k eigenvalues
  Stability stability = Stability::stable;
  int unstable_directions = 0;           // |l| > 1 + tol
  int marginal_directions = 0;           // ||l| - 1| <= tol
  double distance_to_starts = 0.0;       // Euclidean distance to the nearest start
  bool outlier = false;
};

struct FixedPointSummary {
  int starts = 0;
  int fixed_starts = 0;     // starts that ended at a fixed point
  int slow_starts = 0;      // ... at a slow point
  int not_converged = 0;
  int fixed_points = 0;     // distinct fixed points
  int slow_points = 0;      // distinct slow points
  int stable = 0;           // stability counts among the distinct fixed points
  int saddles = 0;
  int unstable = 0;
  int marginal = 0;
  int outliers = 0;         // distinct points (fixed or slow) flagged as outliers
};

struct FixedPointResult {
  std::vector<StartResult> starts;  // in the order of the starting states
  std::vector<FixedPoint> points;   // fixed points first, then slow points; each group in
                                    // lexicographic order of x
  FixedPointSummary summary;
};

// q(x) = 1/2 |F(x, u) - x|^2. An empty u means zero input.
double speed_q(const Network& net, const Eigen::VectorXd& x, const Eigen::VectorXd& u);

// Minimise q from one start (what find_fixed_points does per start).
StartResult minimise_q(const Network& net, const Eigen::VectorXd& u, const Eigen::VectorXd& start,
                       const FixedPointOptions& options = {});

// The linearisation and stability of F(., u) at x (any x: fixed point or not).
// kind is set from q alone (no check that x is a local minimum of q);
// count, distance_to_starts and outlier are left at their defaults.
FixedPoint analyse_point(const Network& net, const Eigen::VectorXd& u, const Eigen::VectorXd& x,
                         const FixedPointOptions& options = {});

// Minimise q from every column of `starts` (N x K) in parallel, de-duplicate,
// and linearise every distinct point. An empty u means zero input.
FixedPointResult find_fixed_points(const Network& net, const Eigen::VectorXd& u,
                                   const Eigen::MatrixXd& starts,
                                   const FixedPointOptions& options = {});

// Starting states: `count` columns drawn uniformly (with replacement) from the
// columns of `states` (N x M, e.g. trajectory states), each plus N(0, noise_std^2)
// per coordinate.
Eigen::MatrixXd sample_starts(const Eigen::MatrixXd& states, int count, double noise_std, Rng& rng);
// `count` states uniform in the box [lo, hi]^n.
Eigen::MatrixXd box_starts(int n, int count, double lo, double hi, Rng& rng);

// De-duplication of candidate points: greedy in order of increasing q (ties by
// index), so each group keeps its lowest-q member as representative.
struct Dedup {
  std::vector<int> representative;  // per group: index of the kept candidate (ascending q)
  std::vector<int> group;           // per candidate: its group
  std::vector<int> count;           // per group: members
};
Dedup deduplicate(const std::vector<Eigen::VectorXd>& points, const std::vector<double>& q,
                  double tolerance);

// Continuation: follow the fixed points as the constant input moves along
// u(s) = u0 + s du. At s[0] the search starts from `starts`; at each next s it
// is warm-started from the fixed points of the previous s (and, if
// fresh_starts, from `starts` again). A point warm-started from a point of the
// previous s continues that point's branch; where a stable point and a saddle
// meet (a saddle-node bifurcation) their branches end.
struct ContinuationOptions {
  bool fresh_starts = true;  // also search from the original starts at every s
};

struct ContinuationStep {
  double s = 0.0;
  Eigen::VectorXd u;
  FixedPointResult result;
  std::vector<int> branch;  // per result.points: branch id (-1 for slow points)
  std::vector<int> ended;   // branches alive at the previous s with no point here
};

struct Continuation {
  std::vector<ContinuationStep> steps;
  int branches = 0;  // branch ids are 0 .. branches - 1
};

Continuation continue_fixed_points(const Network& net, const Eigen::VectorXd& u0,
                                   const Eigen::VectorXd& du, const std::vector<double>& s,
                                   const Eigen::MatrixXd& starts,
                                   const FixedPointOptions& options = {},
                                   const ContinuationOptions& continuation = {});

}  // namespace rnnlab
