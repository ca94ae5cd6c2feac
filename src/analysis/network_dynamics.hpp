#pragma once
// The dynamics of one network on its task (docs/dynamics.md): what
// `rnnlab analyze --dynamics` computes per network before the census, and what
// rnnlab.dynamics() returns in Python.
#include <Eigen/Dense>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "analysis/attractor.hpp"
#include "analysis/census.hpp"
#include "analysis/fixed_points.hpp"
#include "analysis/jarne_class.hpp"
#include "analysis/lyapunov.hpp"
#include "analysis/pca.hpp"
#include "analysis/scaffold.hpp"
#include "analysis/signature.hpp"
#include "model/network.hpp"
#include "tasks/task.hpp"

namespace rnnlab {

struct DynamicsOptions {
  std::string task;        // task name (at its defaults) for files without a usable config, e.g. imports;
                           // when set it also replaces the config's task
  int trials = 32;         // noiseless trials, drawn from Rng::stream(seed, Purpose::analysis);
                           // without a task: this many autonomous runs from a box of starts
  // Without a task: steps of each autonomous run (0: ceil(20 / alpha), i.e. 20 tau, at least 40).
  int autonomous_steps = 0;
  std::uint64_t seed = 1;
  // The trial condition the trials are grouped by (a name of the task's
  // condition_names); empty: the condition with the fewest distinct values
  // (at least 2), e.g. a flip-flop's final bit or a decision's sign.
  std::string condition;
  // Jarne's delay window, as fractions of the trial: steps [start * T, end * T).
  double delay_start = 0.5, delay_end = 1.0;
  int pcs = 3;                  // principal components stored and used for CCA / Procrustes
  int fixed_point_starts = 128; // fixed-point search at each input condition (signature, attractor
                                // matching), when fixed_point_search is not set
  // The fixed-point search at the constant input u (task: null without one) to
  // use instead of the one above: `analyze --dynamics` and `run` set it to the
  // stored finder configuration's search (search_network_fixed_points,
  // fixed_points_io.hpp), or to the points `--fixed-points` stored with that
  // configuration, so that --dynamics and --fixed-points report the same points.
  std::function<FixedPointResult(const Network&, const Task*, const Eigen::VectorXd& u)> fixed_point_search;
  // The attractor set (find_attractors): besides each condition's end state,
  // this many states sampled on the task trajectories and this many random
  // states, uniform in the box [-r, r]^N with r the largest |x_i| on the trajectories.
  int trajectory_starts = 8;
  int random_starts = 8;
  // Memory beyond the trained duration (held_memory.hpp; `analyze --dynamics`
  // and `run`): accuracy on this many trials with the memory period this many
  // times as long (1: the trained length, the reference).
  std::vector<double> memory_factors = {1.0, 2.0, 5.0};
  int memory_trials = 64;
  int similarity_columns = 2000; // at most this many (evenly spaced) state columns enter CCA / Procrustes
  int threads = 1;              // of the fixed-point search and the attractor set
  // Along each autonomous run after the attractor's transient (one transient
  // for both; lyapunov.transient only aligns the tangent vectors).
  LyapunovOptions lyapunov;
  AttractorOptions attractor;   // the autonomous run's transient and stored window
  JarneOptions jarne;
  ClusterOptions cluster;
  std::function<void(const std::string&)> log;  // one line at a time
};

struct ConditionDynamics {
  double value = 0.0;
  std::vector<int> trials;      // trial indices of the group
  Eigen::MatrixXd mean_states;  // N x T
  LyapunovResult lyapunov;      // along the autonomous run, after the attractor's transient
  Attractor attractor;
};

// The long-run dynamics at one constant input: zero (the network left alone)
// or one of the task's operating inputs (Task::operating_inputs, e.g. a
// context cue held on). Analysed from the same starts as at zero input.
struct InputDynamics {
  std::string name;               // "zero", or the task's name for it ("context=0")
  Eigen::VectorXd u;              // I
  FixedPointResult fixed_points;  // at u
  AttractorSet attractors;        // at u
};

struct NetworkDynamics {
  std::string task;
  std::string condition;          // the grouping condition ("" if the task has none)
  TrialBatch batch;               // the noiseless trials
  Eigen::MatrixXd states;         // N x T*B, column batch.col(t, b)
  Pca pca;
  std::vector<ConditionDynamics> conditions;
  FixedPointResult fixed_points;  // zero input, from states on the trajectories
  // Zero input, from each condition's end state (starts 0 .. conditions - 1),
  // then trajectory and random starts: every attractor reached and its basin.
  AttractorSet attractors;
  // The task's operating inputs (none for most tasks), each analysed as above.
  std::vector<InputDynamics> operating;
  // Zero input: every saddle and unstable point linked to the attractors of
  // `attractors` its unstable manifold reaches (scaffold.hpp).
  Scaffold scaffold;
  JarneResult jarne;
  Signature signature;
  int window_from = 0, window_to = 0;
};

// Noiseless trials of `task` (Rng::stream(o.seed, Purpose::analysis)), PCA and
// participation ratio of their states, the zero-input fixed points from
// states on the trajectories, per condition value the mean trajectory and an
// autonomous run (zero input) from the end of its first trial with its
// Lyapunov exponents and attractor, the attractor set from many starts, the
// same fixed points and attractor set at each of the task's operating inputs,
// Jarne's classes over the delay window of single trials, and the signature.
// Without a task (null: an imported network with none) the "trials" are
// o.trials autonomous runs (zero input) from states uniform in the box of
// box_half_width (fixed_point_starts.hpp), one group, and everything else as
// above. InputError if the task does not fit the network, the condition is
// unknown, the delay window is under 4 steps, or the trajectories diverge.
NetworkDynamics analyse_network_dynamics(const Network& net, const Task* task, const DynamicsOptions& o);
inline NetworkDynamics analyse_network_dynamics(const Network& net, const Task& task, const DynamicsOptions& o) {
  return analyse_network_dynamics(net, &task, o);
}

}  // namespace rnnlab
