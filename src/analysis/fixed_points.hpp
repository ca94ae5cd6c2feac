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
// fixed point) where no root is near. Every point a start ends at is polished
// before points are de-duplicated with one merge tolerance.
// fixed_point_solver.cpp has the details.
//
// The problem (network, constant input u) is kept apart from the method
// (FixedPointOptions). Results are plain Eigen arrays and counts, so that they
// can be written to HDF5 as they are.
#include <Eigen/Dense>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "model/network.hpp"
#include "util/rng.hpp"

namespace rnnlab {

// What a minimisation from one start ended at. The one list of kinds: their
// names (to_string, point_kind_from_string) are what the HDF5 files and
// Python hold; files written before local_minimum existed hold a subset.
//
// Speeds are in continuous time, per tau: speed(x) = |F(x) - x|_2 / alpha =
// |W_rec phi(x) + W_in u + b - x|_2 = tau |dx/dt|_2, so q = 1/2 alpha^2 speed^2
// and a threshold on the speed means the same for every alpha.
enum class PointKind {
  fixed,          // q <= fixed_tolerance, polished by Newton's method (a root of F(x) - x)
  slow,           // a local minimum of q (stationary) with speed <= slow_speed: a slow point
  local_minimum,  // a local minimum of q with speed > slow_speed: a ghost too fast to call slow,
                  // but where the start did converge (the minimisation is done, not failed)
  not_converged,  // stalled while q was still decreasing (iteration cap), or diverged
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
// The inverse of to_string(PointKind); throws InputError on a name not in the list.
PointKind point_kind_from_string(const std::string& name);
// Every kind, in the order of the enum (points are reported in this order).
const std::vector<PointKind>& point_kinds();

// tau |dx/dt| from q = 1/2 |F(x) - x|^2: sqrt(2 q) / alpha.
double speed_from_q(double q, double alpha);

// The method of the finder. Its defaults, with those of FixedPointStarts
// below, are the one declaration of the finder's defaults: `analyze
// --fixed-points` ([analysis.fixed_points]), Python's rnnlab.fixed_points and
// the dynamics analysis read them from here.
struct FixedPointOptions {
  // q at or below this is a fixed point, which is then polished (below). True
  // roots polish to q ~ 1e-25 or less.
  double fixed_tolerance = 1e-12;
  // A local minimum of q (stationary, see below) whose speed |F(x) - x|_2 / alpha
  // (= tau |dx/dt|, state units per tau) is at or below this is a slow point;
  // one above is a local_minimum. In continuous time, so alpha does not move
  // it. 0.1 per tau: the state drifts by less than 0.1 in one tau (a unit
  // displaced by d from rest moves at d per tau); at alpha = 0.1 that is
  // q <= 5e-5.
  double slow_speed = 0.1;
  // A point counts as a local minimum of q if
  // |J_g^T g|_inf <= stationary_tolerance * a (1 + |W_rec|_F) |g|_2
  // (the gradient of q relative to a bound on it).
  double stationary_tolerance = 1e-6;
  // N x N factorisations per start (LU for Newton steps, Cholesky for LM
  // steps, accepted and rejected together); chord steps reuse one and are
  // free. The polish adds at most polish_iterations.
  int max_iterations = 200;
  // Polish: at most this many Newton steps (a fresh LU each; least squares
  // where J is singular, e.g. on a line attractor) from every accepted fixed
  // point, and Newton steps on grad q = 0 from every slow point or local
  // minimum, until the step stops shrinking (roundoff). The last step, scaled
  // by how fast the steps were shrinking, is the point's position_error. A start that reaches a known root (below)
  // is that root, already polished.
  int polish_iterations = 20;
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
  // starts, which run chord steps with the LU of the Jacobian at a known point
  // once they come within known_root_radius * (1 + |x*|_inf) of it (inf-norm).
  // A start that comes within the merge radius (dedup_tolerance, below) of a
  // known point IS that point; one that ends elsewhere is polished and
  // de-duplicated as any other. 0 solves every start alone. Which starts go
  // first depends only on their number: results do not depend on threads.
  int first_pass_starts = 64;
  double known_root_radius = 0.5;
  // The merge tolerance, the one tolerance for "this start reached a known
  // point" and for "these two points are one": x and y are the same point if
  //   |x - y|_inf <= dedup_tolerance * (1 + max(|x|_inf, |y|_inf)) + e_x + e_y,
  // e the position errors left by the polish (roundoff for a polished root),
  // so a point whose polish failed merges with every point it may be. No two
  // reported points are closer than that; the lower-q one is kept.
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

// How many starts, from what (callers that sample starts from a task's
// trajectories: fixed_points_io.hpp, Python).
struct FixedPointStarts {
  int starts = 1024;       // starting states
  int trials = 64;         // task trials whose noiseless states the starts are drawn from
  double noise = 0.0;      // std of the Gaussian noise added to each coordinate of a start
  std::uint64_t seed = 1;  // of the trials and of the start sampling (with the network's seed)
};

// The merge rule of FixedPointOptions::dedup_tolerance: the distance (inf-norm)
// within which x (position error ex) and y (ey) are one point.
double merge_radius(const Eigen::VectorXd& x, const Eigen::VectorXd& y, double tolerance, double ex = 0.0,
                    double ey = 0.0);

// The minimisation from one starting state.
struct StartResult {
  Eigen::VectorXd x;       // the point reached
  double q = 0.0;
  double speed = 0.0;      // |F(x) - x|_2 / alpha, per tau
  double position_error = 0.0;  // how far (inf-norm) x may be from the exact point: the last polishing
                                // step, times m at a root of multiplicity m (fixed_point_solver.cpp)
  int iterations = 0;      // N x N factorisations used (see max_iterations)
  bool converged = false;  // kind != not_converged (fixed, slow or local_minimum)
  PointKind kind = PointKind::not_converged;
  int point = -1;          // index into FixedPointResult::points, -1 if not converged
};

// One distinct point after de-duplication, with its linearisation.
struct FixedPoint {
  Eigen::VectorXd x;
  double q = 0.0;
  double speed = 0.0;                    // |F(x) - x|_2 / alpha, per tau
  double position_error = 0.0;           // see StartResult
  PointKind kind = PointKind::fixed;
  int count = 0;                         // starts that reached it
  Eigen::MatrixXd jacobian_state;        // dF/dx, N x N
  Eigen::MatrixXd jacobian_input;        // dF/du, N x I
  Eigen::VectorXcd eigenvalues;          // discrete, sorted by modulus, descending
  Eigen::VectorXcd continuous_eigenvalues;  // (l - 1) / alpha, same order, 1/tau units
  Eigen::MatrixXcd eigenvectors;         // N x k, right eigenvectors of the first k eigenvalues (unit
                                         // norm, largest entry real > 0: dense_decompositions.hpp)
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
  int local_minimum_starts = 0;  // ... at a local minimum of q faster than slow_speed
  int not_converged = 0;    // starts that stalled or diverged
  int fixed_points = 0;     // distinct fixed points
  int slow_points = 0;      // distinct slow points
  int local_minima = 0;     // distinct local minima
  int stable = 0;           // stability counts among the distinct fixed points
  int saddles = 0;
  int unstable = 0;
  int marginal = 0;
  int outliers = 0;         // distinct points (fixed or slow) flagged as outliers
  int unpolished = 0;       // distinct points whose polish failed: position_error above the
                            // merge tolerance (dedup_tolerance (1 + |x|_inf)); each stands for
                            // every start within its error, so a count there is a lower bound
};

struct FixedPointResult {
  std::vector<StartResult> starts;  // in the order of the starting states
  std::vector<FixedPoint> points;   // fixed points, then slow points, then local minima; each
                                    // group in lexicographic order of x
  FixedPointSummary summary;
};

// q(x) = 1/2 |F(x, u) - x|^2. An empty u means zero input.
double speed_q(const Network& net, const Eigen::VectorXd& x, const Eigen::VectorXd& u);

// Minimise q from one start (what find_fixed_points does per start).
StartResult minimise_q(const Network& net, const Eigen::VectorXd& u, const Eigen::VectorXd& start,
                       const FixedPointOptions& options = {});

// The linearisation and stability of F(., u) at x (any x: fixed point or not).
// kind is set from q and the speed alone (fixed, slow, or not_converged:
// no check that x is a local minimum of q), position_error is 0;
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
// index), so each group keeps its lowest-q member as representative. A
// candidate joins the first group whose representative lies within
// merge_radius (errors: position errors, empty = all 0), so representatives
// are pairwise farther apart than the merge radius.
struct Dedup {
  std::vector<int> representative;  // per group: index of the kept candidate (ascending q)
  std::vector<int> group;           // per candidate: its group
  std::vector<int> count;           // per group: members
};
Dedup deduplicate(const std::vector<Eigen::VectorXd>& points, const std::vector<double>& q, double tolerance,
                  const std::vector<double>& errors = {});

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
