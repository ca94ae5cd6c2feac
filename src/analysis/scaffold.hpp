#pragma once
// The fixed-point graph, the "computational scaffold" of Maheswaranathan et
// al. 2019 (docs/dynamics.md "Scaffold"): each fixed point with unstable
// directions (a saddle, or an unstable point) linked to the attractors its
// unstable manifold reaches. A bistable memory with a saddle between its two
// stable points reads "saddle -> {fixed_point, fixed_point}"; the unstable
// origin inside a limit cycle "unstable -> {limit_cycle}".
#include <Eigen/Dense>
#include <array>
#include <string>
#include <vector>

#include "analysis/attractor.hpp"
#include "analysis/fixed_points.hpp"

namespace rnnlab {

struct ScaffoldLink {
  int point = -1;                     // index into FixedPointResult::points
  Stability stability = Stability::saddle;  // saddle or unstable
  // From x + eps v and x - eps v (v: the leading unstable eigenvector of the
  // step map at x, its real part for a complex pair): the attractor of the set
  // each run ends on (AttractorSet::index_of; -1: one the set's starts missed)
  // and its name (FoundAttractor::name(), or the run's type when -1).
  std::array<int, 2> reaches{-1, -1};
  std::array<std::string, 2> names;
  // "saddle -> {fixed_point, fixed_point}": the distinct attractors reached,
  // names sorted ("{fixed_point}" when both sides reach the same one).
  std::string describe() const;
};

struct Scaffold {
  std::vector<ScaffoldLink> links;  // in the order of the points
  // The links' descriptions with counts, sorted, joined by " + ", e.g.
  // "2 x saddle -> {fixed_point, fixed_point} + unstable -> {limit_cycle}";
  // "none" without unstable points. Identical scaffolds give identical text.
  std::string describe() const;
};

// For every fixed point (kind fixed) of `points` with unstable directions: two
// runs (run_attractor, `options`, one Lyapunov exponent) from the point
// displaced by +-eps along its leading unstable eigenvector, matched against
// `set` (found at the same input u; empty u: zero input).
Scaffold fixed_point_scaffold(const Network& net, const Eigen::VectorXd& u, const FixedPointResult& points,
                              const AttractorSet& set, const AttractorOptions& options = {},
                              const LyapunovOptions& lyapunov = {}, double eps = 1e-3);

}  // namespace rnnlab
