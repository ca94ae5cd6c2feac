#include "analysis/scaffold.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "analysis/linearise.hpp"

namespace rnnlab {

std::string ScaffoldLink::describe() const {
  // Two sides on one attractor count once; two different attractors of one
  // name (two stable points) count twice.
  std::vector<std::string> reached;
  if (reaches[0] >= 0 && reaches[0] == reaches[1]) reached = {names[0]};
  else reached = {names[0], names[1]};
  std::sort(reached.begin(), reached.end());
  std::string text;
  for (const std::string& n : reached) text += (text.empty() ? "" : ", ") + n;
  return to_string(stability) + " -> {" + text + "}";
}

std::string Scaffold::describe() const {
  std::map<std::string, int> counts;
  for (const ScaffoldLink& l : links) ++counts[l.describe()];
  std::string out;
  for (const auto& [text, n] : counts) out += (out.empty() ? "" : " + ") + (n > 1 ? fmt::format("{} x ", n) : "") + text;
  return out.empty() ? "none" : out;
}

Scaffold fixed_point_scaffold(const Network& net, const Eigen::VectorXd& u_in, const FixedPointResult& points,
                              const AttractorSet& set, const AttractorOptions& options, const LyapunovOptions& lyapunov,
                              double eps) {
  const Eigen::VectorXd u = u_in.size() ? u_in : Eigen::VectorXd::Zero(net.inputs());
  LyapunovOptions lo = lyapunov;
  lo.exponents = 1;
  std::vector<Eigen::VectorXd> fixed;
  for (const FixedPoint& p : points.points)
    if (p.kind == PointKind::fixed) fixed.push_back(p.x);
  Scaffold s;
  for (std::size_t i = 0; i < points.points.size(); ++i) {
    const FixedPoint& p = points.points[i];
    if (p.kind != PointKind::fixed || p.unstable_directions == 0) continue;
    // The leading unstable direction of the step map at the point.
    const Eigen::EigenSolver<Eigen::MatrixXd> es(jacobian_state(net, p.x));
    Eigen::Index lead = 0;
    es.eigenvalues().array().abs().maxCoeff(&lead);
    Eigen::VectorXd v = es.eigenvectors().col(lead).real();
    if (v.norm() == 0) v = es.eigenvectors().col(lead).imag();
    v.normalize();
    ScaffoldLink link;
    link.point = static_cast<int>(i);
    link.stability = p.stability;
    for (int side = 0; side < 2; ++side) {
      const Eigen::VectorXd x0 = p.x + (side == 0 ? eps : -eps) * v;
      const Attractor a = run_attractor(net, x0, u, fixed, options, lo).attractor;
      const int k = set.index_of(net, u, a, options);
      link.reaches[side] = k;
      link.names[side] = k >= 0 ? set.attractors[static_cast<std::size_t>(k)].name() : to_string(a.type);
    }
    s.links.push_back(std::move(link));
  }
  return s;
}

}  // namespace rnnlab
