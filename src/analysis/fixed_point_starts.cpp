#include "analysis/fixed_point_starts.hpp"

#include <algorithm>

#include "train/evaluate.hpp"

namespace rnnlab {

Trajectories task_trajectories(const Network& net, const Task& task, int trials, Rng& rng) {
  Trajectories t;
  t.batch = task.batch(trials, rng);
  t.states = simulate(net, t.batch).x;
  return t;
}

double box_half_width(const Network& net, const Eigen::VectorXd& u) {
  Eigen::VectorXd drive = net.b.cwiseAbs();
  if (u.size() > 0) drive += (net.w_in * u).cwiseAbs();
  const Eigen::VectorXd rows = net.w_rec.rowwise().norm();
  return std::max(1.0, (rows + drive).maxCoeff());
}

}  // namespace rnnlab
