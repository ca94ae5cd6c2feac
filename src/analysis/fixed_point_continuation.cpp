// Continuation of fixed points along a line of constant inputs u(s) = u0 + s du.
//
// Natural-parameter continuation: the fixed points at s_k are the warm starts
// at s_{k+1}. Near a nondegenerate point Newton converges from the previous
// solution in a few steps and stays on the same branch, so "warm start i
// converged to point j" links the branches. Past a saddle-node bifurcation the
// stable point and the saddle have no continuation: their warm starts slide
// to some other branch's point, and that point keeps the branch whose previous
// point was nearest to it (its own), so the two colliding branches end there.
#include <limits>

#include "analysis/fixed_points.hpp"
#include "util/error.hpp"

namespace rnnlab {

Continuation continue_fixed_points(const Network& net, const Eigen::VectorXd& u0,
                                   const Eigen::VectorXd& du, const std::vector<double>& s,
                                   const Eigen::MatrixXd& starts, const FixedPointOptions& options,
                                   const ContinuationOptions& continuation) {
  if (u0.size() != du.size())
    throw InputError("continuation: u0 has " + std::to_string(u0.size()) + " entries, du has " +
                     std::to_string(du.size()));
  if (u0.size() != net.inputs())
    throw InputError("continuation: the inputs have " + std::to_string(u0.size()) +
                     " entries, the network has " + std::to_string(net.inputs()) + " inputs");
  if (starts.rows() != net.units())
    throw InputError("continuation: the starting states do not have N rows");

  Continuation out;
  out.steps.reserve(s.size());
  std::vector<Eigen::VectorXd> previous;  // fixed points at the previous s
  std::vector<int> previous_branch;       // and their branches

  for (std::size_t k = 0; k < s.size(); ++k) {
    ContinuationStep step;
    step.s = s[k];
    step.u = u0 + s[k] * du;

    const Eigen::Index warm = static_cast<Eigen::Index>(previous.size());
    const Eigen::Index fresh = (k == 0 || continuation.fresh_starts) ? starts.cols() : 0;
    Eigen::MatrixXd all(net.units(), warm + fresh);
    for (Eigen::Index i = 0; i < warm; ++i) all.col(i) = previous[i];
    if (fresh) all.rightCols(fresh) = starts;
    step.result = find_fixed_points(net, step.u, all, options);

    // Link: each point inherits the branch of the nearest previous point among
    // the warm starts that converged to it.
    const auto& points = step.result.points;
    step.branch.assign(points.size(), -1);
    std::vector<double> best(points.size(), std::numeric_limits<double>::infinity());
    for (Eigen::Index i = 0; i < warm; ++i) {
      const int p = step.result.starts[i].point;
      if (p < 0 || points[p].kind != PointKind::fixed) continue;
      const double d = (previous[i] - points[p].x).norm();
      if (d < best[p]) {
        best[p] = d;
        step.branch[p] = previous_branch[i];
      }
    }
    std::vector<bool> alive(out.branches, false);
    for (std::size_t p = 0; p < points.size(); ++p) {
      if (points[p].kind != PointKind::fixed) continue;
      if (step.branch[p] < 0) step.branch[p] = out.branches++;
      else alive[step.branch[p]] = true;
    }
    for (int b : previous_branch)
      if (!alive[b]) step.ended.push_back(b);

    previous.clear();
    previous_branch.clear();
    for (std::size_t p = 0; p < points.size(); ++p) {
      if (points[p].kind != PointKind::fixed) continue;
      previous.push_back(points[p].x);
      previous_branch.push_back(step.branch[p]);
    }
    out.steps.push_back(std::move(step));
  }
  return out;
}

}  // namespace rnnlab
