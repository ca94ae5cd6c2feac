#include "pipeline/fixed_points_io.hpp"

#include <H5Cpp.h>
#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <complex>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "pipeline/fixed_point_input.hpp"
#include "analysis/fixed_point_starts.hpp"
#include "analysis/fixed_points_schema.hpp"
#include "io/config.hpp"
#include "io/experiment_file.hpp"
#include "io/h5.hpp"
#include "io/result_file.hpp"
#include "pipeline/task_resolution.hpp"
#include "util/error.hpp"

namespace rnnlab {

namespace {

void unlink_if_present(H5::Group& g, const std::string& name) {
  if (h5::exists(g, name)) g.unlink(name);
}

void write_ints(H5::Group& g, const std::string& name, const std::vector<long long>& v) {
  h5::write_array(g, name, {v.size()}, v.data());
}

// Rows of the result are the points: P x n, so h5py's data[p] is point p.
Eigen::MatrixXd rows_of(const std::vector<Eigen::VectorXd>& vectors, Eigen::Index n) {
  Eigen::MatrixXd m(static_cast<Eigen::Index>(vectors.size()), n);
  for (std::size_t p = 0; p < vectors.size(); ++p) m.row(static_cast<Eigen::Index>(p)) = vectors[p].transpose();
  return m;
}

std::vector<double> linspace(double from, double to, int steps) {
  std::vector<double> s(static_cast<std::size_t>(steps));
  for (int k = 0; k < steps; ++k) s[k] = steps == 1 ? from : from + (to - from) * k / (steps - 1);
  return s;
}

// What is computed for one network, then written.
struct NetworkRun {
  const NetworkRecord* record = nullptr;
  std::unique_ptr<Task> task;
  NetworkStarts search;     // input and starts
  std::string starts_text;  // where the starts come from, for the log
  FixedPointOptions options;
  FixedPointResult result;
  std::optional<Continuation> continuation;
  double seconds = 0.0;
};

// How `run` searched, as the result records it.
FixedPointSearch search_of(const FixedPointConfig& c, const NetworkRun& run) {
  FixedPointSearch s = search_by(run.options, run.record->trained.alpha, run.record->trained.dt, run.seconds);
  s.input_condition = c.input.text();
  s.task = run.task ? run.task->name() : std::string();
  s.starts_from = run.search.starts_from;
  if (run.search.starts_from == "box") s.box_half_width = run.search.box_half_width;
  s.trials = run.task ? c.sampling.trials : 0;
  s.noise = c.sampling.noise;
  s.seed = static_cast<long>(c.sampling.seed);
  return s;
}

std::string counts_line(const FixedPointSummary& s) {
  return fmt::format(
      "{} fixed points ({} stable, {} saddles, {} unstable, {} marginal), {} slow points, {} local minima of q, "
      "{} outliers{}",
      s.fixed_points, s.stable, s.saddles, s.unstable, s.marginal, s.slow_points, s.local_minima, s.outliers,
      s.unpolished ? fmt::format(", {} not polished (positions uncertain beyond the merge tolerance)", s.unpolished)
                   : std::string());
}

// Where the starts ended, for the log and the summary line.
std::string starts_line(const FixedPointSummary& s) {
  return fmt::format("{} at fixed points, {} at slow points, {} at local minima of q, {} not converged",
                     s.fixed_starts, s.slow_starts, s.local_minimum_starts, s.not_converged);
}

}  // namespace

Eigen::VectorXd readout(const Network& net, const Eigen::VectorXd& x) {
  Eigen::VectorXd r(x.size());
  apply_phi(net.activation, x, r);
  return net.w_out * r + net.b_out;
}

void write_continuation(H5::Group& g, const Continuation& c, const Eigen::VectorXd& direction, const Network& net) {
  std::vector<double> s;
  std::vector<Eigen::VectorXd> inputs;
  std::vector<long long> step, branch, unstable, ended_step, ended_branch;
  std::vector<double> ps, q;
  std::vector<Eigen::VectorXd> xs, outs;
  std::vector<std::string> kind, stability;
  for (std::size_t k = 0; k < c.steps.size(); ++k) {
    const ContinuationStep& st = c.steps[k];
    s.push_back(st.s);
    inputs.push_back(st.u);
    for (std::size_t p = 0; p < st.result.points.size(); ++p) {
      const FixedPoint& point = st.result.points[p];
      step.push_back(static_cast<long long>(k));
      ps.push_back(st.s);
      branch.push_back(st.branch[p]);
      xs.push_back(point.x);
      outs.push_back(readout(net, point.x));
      q.push_back(point.q);
      kind.push_back(to_string(point.kind));
      stability.push_back(to_string(point.stability));
      unstable.push_back(point.unstable_directions);
    }
    for (int b : st.ended) {
      ended_step.push_back(static_cast<long long>(k));
      ended_branch.push_back(b);
    }
  }
  h5::write_vector(g, "s", s);
  h5::write_matrix(g, "inputs", rows_of(inputs, net.inputs()));
  h5::write_vector(g, "direction", direction);
  h5::write_attr(g, "branches", static_cast<long>(c.branches));
  H5::Group points = h5::require_group(g, "points");
  write_ints(points, "step", step);
  h5::write_vector(points, "s", ps);
  write_ints(points, "branch", branch);
  h5::write_matrix(points, "x", rows_of(xs, net.units()));
  h5::write_vector(points, "q", q);
  h5::write_strings(points, "kind", kind);
  h5::write_strings(points, "stability", stability);
  write_ints(points, "unstable_directions", unstable);
  h5::write_matrix(points, "readout", rows_of(outs, net.outputs()));
  H5::Group ended = h5::require_group(g, "ended");
  write_ints(ended, "step", ended_step);
  write_ints(ended, "branch", ended_branch);
}

namespace {

// Everything before the search: the options, the task, and per network its
// constant input and starting states (from trials of the task, or a box).
// Everything a user can get wrong is checked here, for every network, before
// any search starts.
struct Plan {
  Experiment experiment;
  FixedPointConfig config;
  std::vector<NetworkRun> runs;  // their records point into experiment.networks (moving a Plan keeps them valid)
};

Plan plan_fixed_points(const std::string& path, const FixedPointOverrides& overrides, const FixedPointLog& log) {
  const auto say = [&](const std::string& line) {
    if (log) log(line);
  };
  Plan plan;
  plan.experiment = read_experiment(path);
  const Experiment& experiment = plan.experiment;
  FixedPointConfig& config = plan.config;
  if (!experiment.config.empty()) config = read_fixed_point_config(experiment.config, path + " (config attribute)");
  apply_overrides(config, overrides);

  std::string task_text, task_source;
  if (!overrides.task.empty()) {
    task_text = task_toml_for_name(overrides.task);
    task_source = "--task " + overrides.task;
  } else {
    task_text = task_table_text(experiment.config, path);
    task_source = path + " (config attribute)";
  }
  // A training config (not an import record): each network searches on its
  // own sweep point's task (sweep.task.* changes the trials and the inputs).
  std::optional<ExperimentConfig> training;
  if (overrides.task.empty() && !experiment.config.empty()) {
    try {
      training = parse_config(experiment.config, path + " (config attribute)");
    } catch (const InputError&) {
      training.reset();  // an import's record: its [task] table, read below
    }
  }
  const std::string input_what = overrides.input ? "--input" : "analysis.fixed_points.input";
  if (config.slow_tolerance)
    say(fmt::format("analysis.fixed_points.slow_tolerance = {} is deprecated: it is a threshold on q, which scales "
                    "as alpha^2; it is used as slow_speed = sqrt(2 slow_tolerance) / alpha per network. Set "
                    "slow_speed (per tau) instead.",
                    *config.slow_tolerance));

  std::vector<NetworkRun>& runs = plan.runs;
  for (const NetworkRecord& rec : experiment.networks) {
    const Network& net = rec.trained;
    if (const std::string why = unusable_reason(rec); !why.empty()) {
      say(fmt::format("network {}: skipped: {}", rec.seed, why));
      continue;
    }
    NetworkRun run;
    run.record = &rec;
    if (!task_text.empty()) {
      run.task = training ? sweep_point_task(*training, rec.sweep_point, net.dt)
                          : make_task_for(resolve_task(task_text, task_source, {}, net.dt), net.dt);
      if (net.inputs() != run.task->n_inputs() || net.outputs() != run.task->n_outputs())
        throw InputError(fmt::format("{}: network {} has {} input(s) and {} output(s) but task {} has {} and {}; "
                                     "choose a task that fits with --task",
                                     path, rec.seed, net.inputs(), net.outputs(), run.task->name(),
                                     run.task->n_inputs(), run.task->n_outputs()));
    }
    if (config.continuation && static_cast<int>(config.continuation->direction.size()) != net.inputs())
      throw InputError(fmt::format("analysis.fixed_points.continuation.direction has {} number(s) but network {} has "
                                   "{} input(s)",
                                   config.continuation->direction.size(), rec.seed, net.inputs()));
    run.search = network_starts(net, rec.seed, run.task.get(), config, input_what);
    run.options = finder_options(config, net);
    if (run.task)
      run.starts_text = fmt::format("{} {} trials", config.sampling.trials, run.task->name());
    else
      run.starts_text = fmt::format(
          "the box [-{:.3g}, {:.3g}]^N (no task recorded; --task NAME starts from its trajectories)",
          run.search.box_half_width, run.search.box_half_width);
    runs.push_back(std::move(run));
  }
  return plan;
}

}  // namespace

NetworkStarts network_starts(const Network& net, std::uint64_t network_seed, const Task* task,
                             const FixedPointConfig& config, const std::string& input_what) {
  NetworkStarts out;
  // Choices that need the task's trials are checked once they exist, below.
  if (config.input.kind == InputChoice::Kind::zero || config.input.kind == InputChoice::Kind::vector || !task)
    out.input = constant_input(config.input, net, nullptr, input_what);
  // Trials and start noise depend only on (seed option, network seed).
  Rng trial_rng = Rng::stream(config.sampling.seed, Purpose::analysis, 2 * network_seed);
  Rng start_rng = Rng::stream(config.sampling.seed, Purpose::analysis, 2 * network_seed + 1);
  if (task) {
    const Trajectories t = task_trajectories(net, *task, config.sampling.trials, trial_rng);
    if (out.input.size() == 0) out.input = constant_input(config.input, net, &t.batch, input_what);
    out.starts = sample_starts(t.states, config.sampling.starts, config.sampling.noise, start_rng);
    out.starts_from = "trajectories";
  } else {
    out.box_half_width = box_half_width(net, out.input);
    out.starts = box_starts(net.units(), config.sampling.starts, -out.box_half_width, out.box_half_width, start_rng);
    out.starts_from = "box";
  }
  return out;
}

FixedPointResult search_network_fixed_points(const Network& net, std::uint64_t network_seed, const Task* task,
                                             const FixedPointConfig& config) {
  const NetworkStarts s = network_starts(net, network_seed, task, config);
  return find_fixed_points(net, s.input, s.starts, finder_options(config, net));
}

void check_fixed_point_options(const std::string& path, const FixedPointOverrides& overrides) {
  plan_fixed_points(path, overrides, {});
}

void analyze_fixed_points_file(const std::string& path, const FixedPointOverrides& overrides,
                               const FixedPointLog& log) {
  const auto say = [&](const std::string& line) {
    if (log) log(line);
  };
  Plan plan = plan_fixed_points(path, overrides, log);
  const FixedPointConfig& config = plan.config;
  std::vector<NetworkRun>& runs = plan.runs;

  using Clock = std::chrono::steady_clock;
  for (NetworkRun& run : runs) {
    const NetworkRecord& rec = *run.record;
    const Network& net = rec.trained;
    const auto t0 = Clock::now();
    // Progress for long runs only: a line at most every 5 s.
    auto last = std::make_shared<Clock::time_point>(t0);
    FixedPointOptions options = run.options;
    options.progress = [&, last](std::size_t done, std::size_t total) {
      const auto now = Clock::now();
      if (now - *last < std::chrono::seconds(5)) return;
      *last = now;
      say(fmt::format("network {}: {}/{} starts done ({:.1f} s)", rec.seed, done, total,
                      std::chrono::duration<double>(now - t0).count()));
    };
    run.result = find_fixed_points(net, run.search.input, run.search.starts, options);
    if (config.continuation) {
      const ContinuationConfig& c = *config.continuation;
      const Eigen::VectorXd du = Eigen::Map<const Eigen::VectorXd>(c.direction.data(), net.inputs());
      options.progress = nullptr;
      run.continuation =
          continue_fixed_points(net, run.search.input, du, linspace(c.from, c.to, c.steps), run.search.starts, options);
    }
    run.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    say(fmt::format("network {}: {} starts from {}, input {}: {}; starts: {} ({:.2f} s)", rec.seed,
                    config.sampling.starts, run.starts_text, config.input.text(), counts_line(run.result.summary),
                    starts_line(run.result.summary), run.seconds));
  }

  update_experiment(path, [&](H5::H5File& file) {
    for (const NetworkRun& run : runs) {
      const Network& net = run.record->trained;
      H5::Group net_group = file.openGroup("networks/" + std::to_string(run.record->seed));
      H5::Group analysis = h5::require_group(net_group, "analysis");
      unlink_if_present(analysis, "fixed_points");  // a rerun replaces the old result whole
      H5::Group g = h5::require_group(analysis, "fixed_points");
      const auto& d = fixed_points_schema();
      write_result(g, d.schema(),
                   d.write(fixed_points_record(search_of(config, run), run.search.input, run.search.starts, run.result,
                                               [&](const Eigen::VectorXd& x) { return readout(net, x); })));
      if (run.continuation) {
        H5::Group c = h5::require_group(g, "continuation");
        const ContinuationConfig& cc = *config.continuation;
        h5::write_attr(c, "from", cc.from);
        h5::write_attr(c, "to", cc.to);
        h5::write_attr(c, "steps", static_cast<long>(cc.steps));
        write_continuation(c, *run.continuation, Eigen::Map<const Eigen::VectorXd>(cc.direction.data(), net.inputs()),
                           net);
      }
    }
  });
}

std::string fixed_point_summary(const std::string& path, std::uint64_t seed) {
  std::lock_guard lock(h5_lock());
  H5::Exception::dontPrint();
  H5::H5File file(path, H5F_ACC_RDONLY);
  const std::string where = "networks/" + std::to_string(seed) + "/analysis/fixed_points";
  H5::Group root = file.openGroup("/");
  if (!h5::exists(root, where)) return "no fixed-point result (network skipped: weights not finite)";
  const auto& d = fixed_points_schema();
  const FixedPointsRecord r = d.read(read_result(file.openGroup(where), d.schema()));
  const FixedPointSearch& search = r.search;
  const std::string from = search.starts_from == "box" ? "a box (no task)" : search.task + " trajectories";
  return fmt::format("{}; {} starts from {} ({}), input {}", counts_line(r.summary), r.summary.starts, from,
                     starts_line(r.summary), search.input_condition);
}

}  // namespace rnnlab
