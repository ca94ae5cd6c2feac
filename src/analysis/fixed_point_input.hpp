#pragma once
// The constant input u of a fixed-point search, from the user's choice
// (io/analysis_config.hpp InputChoice) and, for choices that refer to the
// task, a batch of the task's trials.
#include <Eigen/Dense>
#include <string>

#include "io/analysis_config.hpp"
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

}  // namespace rnnlab
