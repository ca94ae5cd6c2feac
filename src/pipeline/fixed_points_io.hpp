#pragma once
// Fixed points of every network of an experiment file, written into the file
// (`rnnlab analyze FILE --fixed-points`; docs/analysis.md).
//
// Layout (scalars are attributes, arrays datasets; complex arrays are
// complex128 in h5py; K starts, P distinct points, N units, I inputs, O outputs):
//
//   /networks/<seed>/analysis/fixed_points/
//     @starts @fixed_starts @slow_starts @local_minimum_starts @not_converged
//                                                           summary over the starts
//     @fixed_points @slow_points @local_minima @stable @saddles @unstable @marginal @outliers @unpolished
//                                                           summary over the distinct points
//                                  (files from before local minima: no @local_minimum_starts,
//                                  @local_minima, speed, position_error; @slow_tolerance, not @slow_speed)
//     @input ("zero", "mean", "NAME=VALUE" or "v1,v2,...") @task ("" without one)
//     @starts_from ("trajectories" | "box") @box_half_width (box only)
//     @trials @noise @seed @tolerance @slow_speed (per tau) @max_iterations
//     @dedup_tolerance @outlier_factor @eigenvectors @alpha @dt_ms @wall_time_s
//     input (I)                      the constant input u searched at
//     starts/                        one row per starting state
//       initial (K x N), x (K x N) where it ended, q (K), speed (K: |F(x) - x| / alpha, per tau),
//       iterations (K), kind (K: fixed | slow | local_minimum | not_converged),
//       point (K: row of points/, -1 if none)
//     points/                        one row per distinct point: fixed points, slow points, local minima
//       x (P x N), q (P), speed (P), position_error (P), kind (P), count (P: starts that reached it),
//       stability (P: stable | saddle | unstable | marginal),
//       unstable_directions (P), marginal_directions (P),
//       eigenvalues (P x N, discrete, |l| descending), continuous_eigenvalues (P x N, (l - 1)/alpha, 1/tau),
//       eigenvectors (P x k x N: eigenvectors[p, j] belongs to eigenvalues[p, j]),
//       jacobian (P x N x N: dF/dx), input_jacobian (P x N x I: dF/du),
//       distance_to_starts (P), outlier (P: 1 if flagged), readout (P x O: W_out phi(x) + b_out)
//     continuation/                  only when [analysis.fixed_points.continuation] is set
//       s (S), inputs (S x I: u + s * direction), direction (I), @branches
//       points/  one row per (s, point): step (M), s (M), branch (M, -1 for slow points),
//                x (M x N), q (M), kind (M), stability (M), unstable_directions (M), readout (M x O)
//       ended/   step (E), branch (E): a branch alive at step - 1 with no point at step
#include <cstdint>
#include <functional>
#include <string>

#include "analysis/fixed_points.hpp"
#include "io/analysis_config.hpp"
#include "model/network.hpp"
#include "tasks/task.hpp"

namespace H5 { class Group; }

namespace rnnlab {

void write_continuation(H5::Group& g, const Continuation& continuation, const Eigen::VectorXd& direction,
                        const Network& net);

// W_out phi(x) + b_out: where the point sits in the network's output space.
Eigen::VectorXd readout(const Network& net, const Eigen::VectorXd& x);

// The constant input and starting states of one network, as `analyze
// --fixed-points` draws them: `config.sampling.trials` noiseless trials of
// `task` and `config.sampling.starts` states sampled from them, from the
// streams (config.sampling.seed, network_seed); without a task (nullptr),
// states uniform in a box (fixed_point_starts.hpp). Throws InputError for an
// input choice that does not fit (`input_what` names it).
struct NetworkStarts {
  Eigen::VectorXd input;
  Eigen::MatrixXd starts;           // N x K
  std::string starts_from;          // "trajectories" | "box"
  double box_half_width = 0.0;      // box only
};
NetworkStarts network_starts(const Network& net, std::uint64_t network_seed, const Task* task,
                             const FixedPointConfig& config,
                             const std::string& input_what = "analysis.fixed_points.input");

// The fixed points of one network exactly as `analyze --fixed-points` finds
// them with the stored finder configuration `config` (read_fixed_point_config
// of the experiment's config text, io/analysis_config.hpp): the same starts,
// input and options, so another analysis (the dynamics) reports the same points.
FixedPointResult search_network_fixed_points(const Network& net, std::uint64_t network_seed, const Task* task,
                                             const FixedPointConfig& config);

// Receives one line of progress at a time (no newline).
using FixedPointLog = std::function<void(const std::string& line)>;

// For every network of the file: the options from the file's config
// ([analysis.fixed_points]) changed by `overrides`; the task from the file's
// config or overrides.task (none: starts in a box, said in the log and in
// @starts_from); `trials` noiseless trials, `starts` starting states sampled
// from their states plus noise; find_fixed_points at the chosen constant
// input; the continuation if configured. Everything is validated before any
// search (InputError) and written at the end through update_experiment, so a
// failure leaves the file as it was; a previous result is replaced whole.
// Networks with non-finite weights (diverged) are skipped, and said so in the log.
void analyze_fixed_points_file(const std::string& path, const FixedPointOverrides& overrides = {},
                               const FixedPointLog& log = {});

// What analyze_fixed_points_file checks before its search (options, task,
// input, continuation, for every network), without searching or writing: for
// a caller that runs other analyses first and must refuse bad options before
// any of them writes.
void check_fixed_point_options(const std::string& path, const FixedPointOverrides& overrides = {});

// One line from the stored result of network `seed`, e.g.
// "27 fixed points (8 stable, 19 saddles), 0 slow points, 0 outliers; 1024 starts from flipflop trajectories, input zero".
std::string fixed_point_summary(const std::string& path, std::uint64_t seed);

}  // namespace rnnlab
