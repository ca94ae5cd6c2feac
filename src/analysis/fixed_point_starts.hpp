#pragma once
// Where the fixed-point search starts (Sussillo & Barak 2013): states the
// network actually visits on its task, so that the points found are the ones
// that shape its behaviour. Without a task (an imported network with none
// recorded) the starts fall back to a box scaled to the network's weights.
#include <Eigen/Dense>
#include <string>

#include "model/network.hpp"
#include "tasks/task.hpp"
#include "util/rng.hpp"

namespace rnnlab {

// The noiseless trajectories of `trials` fresh trials of `task` (drawn from `rng`).
struct Trajectories {
  TrialBatch batch;
  Eigen::MatrixXd states;  // N x (steps * trials), column t * trials + b
};
Trajectories task_trajectories(const Network& net, const Task& task, int trials, Rng& rng);

// Half-width of the fallback box: every fixed point of a bounded activation
// (|phi| <= 1) has |x_i| <= sum_j |W_rec,ij| + |W_in u|_i + |b_i|; the box
// uses the typical size of that bound, max_i |W_rec row i|_2 + |b_i| + |W_in u|_i
// (at least 1), which covers the states a trained network visits without
// spending most starts in saturated corners.
double box_half_width(const Network& net, const Eigen::VectorXd& u);

}  // namespace rnnlab
