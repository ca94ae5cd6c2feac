#include "analysis/network_dynamics.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "analysis/fixed_point_starts.hpp"
#include "analysis/linearise.hpp"
#include "analysis/spectrum.hpp"
#include "train/evaluate.hpp"
#include "util/error.hpp"
#include "util/rng.hpp"

namespace rnnlab {

namespace {

// The attractor types from simplest to most complex: a network's type is the
// most complex one over its conditions' runs.
int complexity(AttractorType t) {
  switch (t) {
    case AttractorType::fixed_point: return 0;
    case AttractorType::unsettled: return 1;
    case AttractorType::limit_cycle: return 2;
    case AttractorType::quasi_periodic: return 3;
    case AttractorType::chaos: return 4;
  }
  return 1;
}

// The named condition, or the one with the fewest distinct values (>= 2); -1: none.
int choose_condition(const TrialBatch& batch, const std::string& wanted) {
  const auto& names = batch.condition_names;
  if (!wanted.empty()) {
    const auto it = std::find(names.begin(), names.end(), wanted);
    if (it == names.end()) {
      std::string list;
      for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
      throw InputError("dynamics: condition '" + wanted + "' is not one of the task's conditions (" + list + ")");
    }
    return static_cast<int>(it - names.begin());
  }
  int best = -1;
  std::size_t best_count = 0;
  for (int c = 0; c < batch.conditions.cols(); ++c) {
    std::vector<double> v(batch.conditions.col(c).data(), batch.conditions.col(c).data() + batch.trials);
    std::sort(v.begin(), v.end());
    const std::size_t distinct = static_cast<std::size_t>(std::unique(v.begin(), v.end()) - v.begin());
    if (distinct >= 2 && (best < 0 || distinct < best_count)) best = c, best_count = distinct;
  }
  return best;
}

// Without a task: o.trials runs at zero input from states uniform in the
// fixed-point box (fixed_point_starts.hpp), laid out as a batch with no
// conditions, so that the rest of the analysis treats them as trials.
void autonomous_trials(const Network& net, const DynamicsOptions& o, NetworkDynamics& run) {
  const int steps = o.autonomous_steps > 0
                        ? o.autonomous_steps
                        : std::max(40, static_cast<int>(std::ceil(20.0 / net.alpha - 1e-9)));
  const Eigen::VectorXd zero = Eigen::VectorXd::Zero(net.inputs());
  const double h = box_half_width(net, zero);
  Rng rng = Rng::stream(o.seed, Purpose::analysis);
  const Eigen::MatrixXd starts = box_starts(net.units(), o.trials, -h, h, rng);
  TrialBatch& batch = run.batch;
  batch.steps = steps;
  batch.trials = o.trials;
  batch.inputs = Eigen::MatrixXf::Zero(net.inputs(), static_cast<Eigen::Index>(steps) * o.trials);
  batch.targets = Eigen::MatrixXf::Zero(net.outputs(), batch.inputs.cols());
  batch.mask = Eigen::RowVectorXf::Zero(batch.inputs.cols());
  batch.conditions.resize(o.trials, 0);
  run.states.resize(net.units(), batch.inputs.cols());
  for (int b = 0; b < o.trials; ++b) {
    Eigen::VectorXd x = starts.col(b);
    for (int t = 0; t < steps; ++t) run.states.col(batch.col(t, b)) = x = net.step(x, zero);
  }
}

}  // namespace

NetworkDynamics analyse_network_dynamics(const Network& net, const Task* task, const DynamicsOptions& o) {
  if (task && task->n_inputs() != net.inputs())
    throw InputError(fmt::format("dynamics: task {} has {} inputs but the network takes {}", task->name(),
                                 task->n_inputs(), net.inputs()));
  if (o.trials < 1) throw InputError(fmt::format("dynamics: trials = {} must be >= 1", o.trials));
  NetworkDynamics run;
  if (task) {
    run.task = task->name();
    Rng rng = Rng::stream(o.seed, Purpose::analysis);
    run.batch = task->batch(o.trials, rng);
    run.states = simulate(net, run.batch).x;
  } else {
    autonomous_trials(net, o, run);
  }
  const TrialBatch& batch = run.batch;
  if (!run.states.allFinite()) throw Error("dynamics: the network's trajectories diverge (non-finite states)");
  run.pca = pca(run.states);
  const int T = batch.steps, B = batch.trials;

  const int cond = choose_condition(batch, o.condition);
  run.condition = cond >= 0 ? batch.condition_names[cond] : "";
  std::map<double, std::vector<int>> groups;
  for (int b = 0; b < B; ++b) groups[cond >= 0 ? batch.conditions(b, cond) : 0.0].push_back(b);

  // The fixed points at a constant input u: the caller's search, or one from
  // states on the trajectories (the same starts at every input).
  const Eigen::MatrixXd fixed_point_starts = [&] {
    Rng start_rng = Rng::stream(o.seed, Purpose::analysis, 1);
    return sample_starts(run.states, o.fixed_point_starts, 0.0, start_rng);
  }();
  const auto search = [&](const Eigen::VectorXd& u) {
    if (o.fixed_point_search) return o.fixed_point_search(net, task, u);
    FixedPointOptions fpo;
    fpo.threads = o.threads;
    fpo.eigenvectors = 0;
    return find_fixed_points(net, u, fixed_point_starts, fpo);
  };
  const auto fixed_only = [](const FixedPointResult& r) {
    std::vector<Eigen::VectorXd> points;
    for (const FixedPoint& p : r.points)
      if (p.kind == PointKind::fixed) points.push_back(p.x);
    return points;
  };
  const Eigen::VectorXd zero_input = Eigen::VectorXd::Zero(net.inputs());
  run.fixed_points = search(zero_input);
  const std::vector<Eigen::VectorXd> points = fixed_only(run.fixed_points);

  run.window_from = std::clamp(static_cast<int>(std::floor(o.delay_start * T)), 0, T);
  run.window_to = std::clamp(static_cast<int>(std::ceil(o.delay_end * T)), run.window_from, T);
  if (run.window_to - run.window_from < 4)
    throw InputError(fmt::format("dynamics: the delay window [{}, {}) of a {}-step trial has under 4 steps",
                                 run.window_from, run.window_to, T));
  // Jarne's activity test: each group's single trials, one window per trial.
  std::vector<std::vector<Eigen::MatrixXd>> windows;
  double leading = -INFINITY;
  AttractorType type = AttractorType::fixed_point;
  std::vector<Eigen::VectorXd> end_states;
  for (const auto& [value, trials] : groups) {
    ConditionDynamics c;
    c.value = value;
    c.trials = trials;
    c.mean_states = Eigen::MatrixXd::Zero(net.units(), T);
    for (int b : trials)
      for (int t = 0; t < T; ++t) c.mean_states.col(t) += run.states.col(batch.col(t, b));
    c.mean_states /= static_cast<double>(trials.size());
    // Left free after the trial: zero input from the end state of the group's first trial.
    const Eigen::VectorXd x_end = run.states.col(batch.col(T - 1, trials[0]));
    end_states.push_back(x_end);
    AttractorRun free_run = run_attractor(net, x_end, zero_input, points, o.attractor, o.lyapunov);
    c.lyapunov = std::move(free_run.lyapunov);
    c.attractor = std::move(free_run.attractor);
    leading = std::max(leading, c.lyapunov.per_tau(0));
    if (complexity(c.attractor.type) > complexity(type)) type = c.attractor.type;
    std::vector<Eigen::MatrixXd> single;
    for (int b : trials) {
      Eigen::MatrixXd w(net.units(), run.window_to - run.window_from);
      for (int t = run.window_from; t < run.window_to; ++t) w.col(t - run.window_from) = run.states.col(batch.col(t, b));
      single.push_back(std::move(w));
    }
    windows.push_back(std::move(single));
    run.conditions.push_back(std::move(c));
  }
  run.jarne = jarne_classify(jacobian_state(net, Eigen::VectorXd::Zero(net.units())), net.alpha, windows, o.jarne);

  // The attractor set: the conditions' end states, states on the trajectories,
  // random states in the box the trajectories span.
  {
    Rng set_rng = Rng::stream(o.seed, Purpose::analysis, 2);
    const Eigen::MatrixXd on_trajectories = sample_starts(run.states, o.trajectory_starts, 0.0, set_rng);
    const double reach = std::max(run.states.cwiseAbs().maxCoeff(), 1e-3);
    const Eigen::MatrixXd random = box_starts(net.units(), o.random_starts, -reach, reach, set_rng);
    Eigen::MatrixXd starts(net.units(), static_cast<Eigen::Index>(end_states.size()) + on_trajectories.cols() + random.cols());
    Eigen::Index col = 0;
    for (const Eigen::VectorXd& x : end_states) starts.col(col++) = x;
    starts.middleCols(col, on_trajectories.cols()) = on_trajectories;
    starts.rightCols(random.cols()) = random;
    AttractorSetOptions so;
    so.threads = o.threads;
    LyapunovOptions lo = o.lyapunov;
    lo.exponents = 1;  // the set needs the leading exponent only
    run.attractors = find_attractors(net, starts, zero_input, points, o.attractor, lo, so);
    run.scaffold = fixed_point_scaffold(net, zero_input, run.fixed_points, run.attractors, o.attractor, lo);
    // The same at each operating input, from the same starts: a cue held on
    // can turn a cycle into a point (or back), and the task runs under it.
    if (task)
      for (const Task::OperatingInput& in : task->operating_inputs()) {
        if (in.u.size() != net.inputs())
          throw Error(fmt::format("dynamics: task {}'s operating input {} has {} numbers for {} inputs", task->name(),
                                  in.name, in.u.size(), net.inputs()));
        InputDynamics d;
        d.name = in.name;
        d.u = in.u;
        d.fixed_points = search(in.u);
        d.attractors = find_attractors(net, starts, in.u, fixed_only(d.fixed_points), o.attractor, lo, so);
        run.operating.push_back(std::move(d));
      }
  }

  Signature& s = run.signature;
  s.stable_points = run.fixed_points.summary.stable;
  s.saddles = run.fixed_points.summary.saddles;
  set_origin_spectrum(s, net);
  s.attractor = type;
  s.leading_lyapunov = leading;
  s.dimensionality = run.pca.participation_ratio;
  set_attractor_set(s, run.attractors);
  s.scaffold = run.scaffold.describe();
  for (const InputDynamics& d : run.operating)
    s.operating.push_back({d.name, d.attractors.describe(), d.fixed_points.summary.stable, d.fixed_points.summary.saddles});
  return run;
}

}  // namespace rnnlab
