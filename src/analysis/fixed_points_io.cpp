#include "analysis/fixed_points_io.hpp"

#include <H5Cpp.h>
#include <fmt/format.h>
#include <toml++/toml.h>

#include <chrono>
#include <cmath>
#include <complex>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <vector>

#include "analysis/fixed_point_input.hpp"
#include "analysis/fixed_point_starts.hpp"
#include "io/config.hpp"
#include "io/experiment_file.hpp"
#include "io/h5.hpp"
#include "util/error.hpp"

namespace rnnlab {

namespace {

// ---- writing arrays h5::* has no helper for (integers, bytes, rank 3, complex 2-D/3-D) ----

void unlink_if_present(H5::Group& g, const std::string& name) {
  if (h5::exists(g, name)) g.unlink(name);
}

template <class T>
void write_raw(H5::Group& g, const std::string& name, const std::vector<hsize_t>& dims, const H5::DataType& file_type,
               const H5::DataType& mem_type, const T* data) {
  unlink_if_present(g, name);
  H5::DataSpace space(static_cast<int>(dims.size()), dims.data());
  H5::DataSet ds = g.createDataSet(name, file_type, space);
  if (space.getSimpleExtentNpoints() > 0) ds.write(data, mem_type);
}

void write_ints(H5::Group& g, const std::string& name, const std::vector<long long>& v) {
  write_raw(g, name, {v.size()}, H5::PredType::STD_I64LE, H5::PredType::NATIVE_LLONG, v.data());
}

void write_flags(H5::Group& g, const std::string& name, const std::vector<unsigned char>& v) {
  write_raw(g, name, {v.size()}, H5::PredType::STD_U8LE, H5::PredType::NATIVE_UCHAR, v.data());
}

// Row-major data of shape `dims`.
void write_doubles(H5::Group& g, const std::string& name, const std::vector<hsize_t>& dims, const std::vector<double>& v) {
  write_raw(g, name, dims, H5::PredType::IEEE_F64LE, H5::PredType::NATIVE_DOUBLE, v.data());
}

void write_complex(H5::Group& g, const std::string& name, const std::vector<hsize_t>& dims,
                   const std::vector<std::complex<double>>& v) {
  // The {r, i} compound of h5.hpp, which h5py reads as complex128.
  H5::CompType type(sizeof(std::complex<double>));
  type.insertMember("r", 0, H5::PredType::NATIVE_DOUBLE);
  type.insertMember("i", sizeof(double), H5::PredType::NATIVE_DOUBLE);
  write_raw(g, name, dims, type, type, v.data());
}

// Rows of the result are the points: P x n, so h5py's data[p] is point p.
Eigen::MatrixXd rows_of(const std::vector<Eigen::VectorXd>& vectors, Eigen::Index n) {
  Eigen::MatrixXd m(static_cast<Eigen::Index>(vectors.size()), n);
  for (std::size_t p = 0; p < vectors.size(); ++p) m.row(static_cast<Eigen::Index>(p)) = vectors[p].transpose();
  return m;
}

// A stack of P matrices (each r x c) as a P x r x c row-major array.
template <class M>
std::vector<typename M::Scalar> stack(const std::vector<const M*>& matrices, hsize_t rows, hsize_t cols) {
  std::vector<typename M::Scalar> out;
  out.reserve(matrices.size() * rows * cols);
  for (const M* m : matrices)
    for (hsize_t i = 0; i < rows; ++i)
      for (hsize_t j = 0; j < cols; ++j) out.push_back((*m)(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)));
  return out;
}

void write_summary(H5::Group& g, const FixedPointSummary& s) {
  h5::write_attr(g, "starts", static_cast<long>(s.starts));
  h5::write_attr(g, "fixed_starts", static_cast<long>(s.fixed_starts));
  h5::write_attr(g, "slow_starts", static_cast<long>(s.slow_starts));
  h5::write_attr(g, "local_minimum_starts", static_cast<long>(s.local_minimum_starts));
  h5::write_attr(g, "not_converged", static_cast<long>(s.not_converged));
  h5::write_attr(g, "fixed_points", static_cast<long>(s.fixed_points));
  h5::write_attr(g, "slow_points", static_cast<long>(s.slow_points));
  h5::write_attr(g, "local_minima", static_cast<long>(s.local_minima));
  h5::write_attr(g, "stable", static_cast<long>(s.stable));
  h5::write_attr(g, "saddles", static_cast<long>(s.saddles));
  h5::write_attr(g, "unstable", static_cast<long>(s.unstable));
  h5::write_attr(g, "marginal", static_cast<long>(s.marginal));
  h5::write_attr(g, "outliers", static_cast<long>(s.outliers));
  h5::write_attr(g, "unpolished", static_cast<long>(s.unpolished));
}

// ---- the task of a file --------------------------------------------------

// The task of `task_text` for a network stepping dt ms, validated as a
// training config's [task] is (the network fixes dt; tau only has to be valid).
std::unique_ptr<Task> task_for(const std::string& task_text, const std::string& source, double dt) {
  const std::string model = fmt::format("[model]\ndt = {}\ntau = {}\n", dt, dt);
  const TaskSpec spec = parse_config(task_text + model, source).task;
  return make_task(spec.name, spec.params, dt);
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

void write_options(H5::Group& g, const FixedPointConfig& c, const NetworkRun& run) {
  const FixedPointOptions& o = run.options;
  h5::write_attr(g, "input", c.input.text());
  h5::write_attr(g, "task", run.task ? run.task->name() : std::string());
  h5::write_attr(g, "starts_from", run.search.starts_from);
  if (run.search.starts_from == "box") h5::write_attr(g, "box_half_width", run.search.box_half_width);
  h5::write_attr(g, "trials", static_cast<long>(run.task ? c.sampling.trials : 0));
  h5::write_attr(g, "noise", c.sampling.noise);
  h5::write_attr(g, "seed", static_cast<long>(c.sampling.seed));
  h5::write_attr(g, "tolerance", o.fixed_tolerance);
  h5::write_attr(g, "slow_speed", o.slow_speed);
  h5::write_attr(g, "max_iterations", static_cast<long>(o.max_iterations));
  h5::write_attr(g, "dedup_tolerance", o.dedup_tolerance);
  h5::write_attr(g, "outlier_factor", o.outlier_factor);
  h5::write_attr(g, "eigenvectors", static_cast<long>(o.eigenvectors));
  h5::write_attr(g, "alpha", run.record->trained.alpha);
  h5::write_attr(g, "dt_ms", run.record->trained.dt);
  h5::write_attr(g, "wall_time_s", run.seconds);
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

void write_fixed_point_result(H5::Group& g, const FixedPointResult& result, const Network& net) {
  const hsize_t n = static_cast<hsize_t>(net.units());
  const hsize_t inputs = static_cast<hsize_t>(net.inputs());
  write_summary(g, result.summary);

  H5::Group starts = h5::require_group(g, "starts");
  std::vector<Eigen::VectorXd> reached;
  std::vector<double> q, speed;
  std::vector<long long> iterations, point;
  std::vector<std::string> kind;
  for (const StartResult& s : result.starts) {
    reached.push_back(s.x);
    q.push_back(s.q);
    speed.push_back(s.speed);
    iterations.push_back(s.iterations);
    point.push_back(s.point);
    kind.push_back(to_string(s.kind));
  }
  h5::write_matrix(starts, "x", rows_of(reached, static_cast<Eigen::Index>(n)));
  h5::write_vector(starts, "q", q);
  h5::write_vector(starts, "speed", speed);
  write_ints(starts, "iterations", iterations);
  h5::write_strings(starts, "kind", kind);
  write_ints(starts, "point", point);

  H5::Group points = h5::require_group(g, "points");
  const std::size_t count = result.points.size();
  std::vector<Eigen::VectorXd> xs, outs;
  std::vector<double> pq, pspeed, perror, distance;
  std::vector<long long> members, unstable, marginal;
  std::vector<std::string> pkind, stability;
  std::vector<unsigned char> outlier;
  std::vector<std::complex<double>> eigenvalues, continuous;
  std::vector<const Eigen::MatrixXd*> jac_x, jac_u;
  // Eigenvector columns kept per point; every point keeps the same number.
  const hsize_t k = count ? static_cast<hsize_t>(result.points[0].eigenvectors.cols()) : 0;
  std::vector<std::complex<double>> vectors;
  for (const FixedPoint& p : result.points) {
    xs.push_back(p.x);
    outs.push_back(readout(net, p.x));
    pq.push_back(p.q);
    pspeed.push_back(p.speed);
    perror.push_back(p.position_error);
    distance.push_back(p.distance_to_starts);
    members.push_back(p.count);
    unstable.push_back(p.unstable_directions);
    marginal.push_back(p.marginal_directions);
    pkind.push_back(to_string(p.kind));
    stability.push_back(to_string(p.stability));
    outlier.push_back(p.outlier ? 1 : 0);
    for (Eigen::Index i = 0; i < p.eigenvalues.size(); ++i) eigenvalues.push_back(p.eigenvalues(i));
    for (Eigen::Index i = 0; i < p.continuous_eigenvalues.size(); ++i) continuous.push_back(p.continuous_eigenvalues(i));
    for (Eigen::Index j = 0; j < p.eigenvectors.cols(); ++j)
      for (Eigen::Index i = 0; i < p.eigenvectors.rows(); ++i) vectors.push_back(p.eigenvectors(i, j));
    jac_x.push_back(&p.jacobian_state);
    jac_u.push_back(&p.jacobian_input);
  }
  const hsize_t P = count;
  h5::write_matrix(points, "x", rows_of(xs, static_cast<Eigen::Index>(n)));
  h5::write_vector(points, "q", pq);
  h5::write_vector(points, "speed", pspeed);
  h5::write_vector(points, "position_error", perror);
  h5::write_strings(points, "kind", pkind);
  write_ints(points, "count", members);
  h5::write_strings(points, "stability", stability);
  write_ints(points, "unstable_directions", unstable);
  write_ints(points, "marginal_directions", marginal);
  write_complex(points, "eigenvalues", {P, n}, eigenvalues);
  write_complex(points, "continuous_eigenvalues", {P, n}, continuous);
  write_complex(points, "eigenvectors", {P, k, n}, vectors);
  write_doubles(points, "jacobian", {P, n, n}, stack(jac_x, n, n));
  write_doubles(points, "input_jacobian", {P, n, inputs}, stack(jac_u, n, inputs));
  h5::write_vector(points, "distance_to_starts", distance);
  write_flags(points, "outlier", outlier);
  h5::write_matrix(points, "readout", rows_of(outs, net.outputs()));
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
    toml::table task, wrapper;
    task.insert_or_assign("name", overrides.task);
    wrapper.insert_or_assign("task", std::move(task));
    std::ostringstream os;
    os << toml::toml_formatter{wrapper};
    task_text = os.str() + "\n";
    task_source = "--task " + overrides.task;
  } else {
    task_text = task_table_text(experiment.config, path);
    task_source = path + " (config attribute)";
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
      run.task = task_for(task_text, task_source, net.dt);
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
      write_options(g, config, run);
      h5::write_vector(g, "input", run.search.input);
      write_fixed_point_result(g, run.result, net);
      H5::Group starts = g.openGroup("starts");
      h5::write_matrix(starts, "initial", run.search.starts.transpose());
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
  H5::Group g = file.openGroup(where);
  FixedPointSummary s;
  auto get = [&](const char* name) { return static_cast<int>(h5::read_long_attr(g, name)); };
  // Files written before local minima were reported have no such counts.
  auto get_or_zero = [&](const char* name) { return g.attrExists(name) ? get(name) : 0; };
  s.fixed_points = get("fixed_points");
  s.stable = get("stable");
  s.saddles = get("saddles");
  s.unstable = get("unstable");
  s.marginal = get("marginal");
  s.slow_points = get("slow_points");
  s.local_minima = get_or_zero("local_minima");
  s.outliers = get("outliers");
  s.unpolished = get_or_zero("unpolished");
  s.fixed_starts = get("fixed_starts");
  s.slow_starts = get("slow_starts");
  s.local_minimum_starts = get_or_zero("local_minimum_starts");
  s.not_converged = get("not_converged");
  const std::string task = h5::read_string_attr(g, "task");
  const std::string from = h5::read_string_attr(g, "starts_from") == "box" ? "a box (no task)" : task + " trajectories";
  return fmt::format("{}; {} starts from {} ({}), input {}", counts_line(s), get("starts"), from, starts_line(s),
                     h5::read_string_attr(g, "input"));
}

}  // namespace rnnlab
