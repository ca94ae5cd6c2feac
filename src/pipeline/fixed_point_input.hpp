#pragma once
// The constant input u of a fixed-point search, from the user's choice
// (io/analysis_config.hpp InputChoice) and, for choices that refer to the
// task, a batch of the task's trials.
#include <Eigen/Dense>
#include <memory>
#include <string>

#include "io/analysis_config.hpp"
#include "io/config.hpp"
#include "model/network.hpp"
#include "tasks/task.hpp"

namespace rnnlab {

// zero: 0; vector: the numbers (there must be net.inputs() of them); mean:
// the mean input over every step of `batch`; condition NAME=VALUE: the mean
// input over every step of the trials of `batch` whose condition NAME equals
// VALUE (e.g. context=1 in context_dm: the cue on, the evidence averaging out).
// `batch` may be null when there is no task; then only zero and vector work.
// `what` names the key or option in messages. Throws InputError.
Eigen::VectorXd constant_input(const InputChoice& choice, const Network& net, const TrialBatch* batch,
                               const std::string& what);

// The task whose trials give a network's fixed-point starts and its `mean` /
// CONDITION=VALUE inputs: the task of the network's own sweep point
// (`sweep_point`, -1 without a sweep), made for the network's step dt (ms). A
// sweep of task parameters (sweep.task.*) gives each point different trials
// and inputs, so the base [task] would search the wrong states.
std::unique_ptr<Task> sweep_point_task(const ExperimentConfig& config, int sweep_point, double dt);

}  // namespace rnnlab
