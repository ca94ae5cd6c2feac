#include "analysis/dynamics_io.hpp"

#include <H5Cpp.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>

#include "analysis/fixed_points.hpp"
#include "analysis/pca.hpp"
#include "analysis/signature.hpp"
#include "analysis/spectrum.hpp"
#include "io/config.hpp"
#include "io/experiment_file.hpp"
#include "io/h5.hpp"
#include "train/evaluate.hpp"
#include "util/error.hpp"

namespace rnnlab {

namespace {

bool finite(const Network& net) {
  return net.w_rec.allFinite() && net.w_in.allFinite() && net.b.allFinite();
}

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

struct ConditionRun {
  double value = 0.0;
  std::vector<int> trials;
  Eigen::MatrixXd mean_states;  // N x T
  LyapunovResult lyapunov;
  Attractor attractor;
};

struct NetworkRun {
  const NetworkRecord* record = nullptr;
  std::string condition;
  Eigen::MatrixXd states;  // N x T*B
  Pca pca;
  std::vector<ConditionRun> conditions;
  FixedPointResult fixed_points;
  JarneResult jarne;
  Signature signature;
  int window_from = 0, window_to = 0;
};

// Index of the grouping condition; -1: no conditions (one group).
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

std::unique_ptr<Task> make_analysis_task(const Experiment& e, const DynamicsOptions& o, double dt,
                                         const std::string& path) {
  if (!o.task.empty()) return make_task(o.task, {}, dt);
  if (e.config.empty()) throw InputError(path + ": the file records no task (an import?); pass a task name");
  const ExperimentConfig config = parse_config(e.config, path + " (config attribute)");
  return make_task(config.task.name, config.task.params, dt);
}

// "flipflop (dale=false, connectivity=1, sigma_rec=0, activation=tanh)": networks
// are compared within a group. No "|" inside: the census table uses it between columns.
std::string group_key(const Experiment& e, const DynamicsOptions& o, const std::string& task_name) {
  if (!o.task.empty() || e.config.empty()) return task_name + " (imported)";
  try {
    const ModelSpec m = parse_config(e.config, "config").model;
    return fmt::format("{} (dale={}, connectivity={:g}, sigma_rec={:g}, activation={})", task_name, m.dale,
                       m.connectivity, m.sigma_rec, to_string(m.activation));
  } catch (const Error&) {
    return task_name;
  }
}

NetworkRun analyse_network(const NetworkRecord& rec, const Task& task, const DynamicsOptions& o) {
  const Network& net = rec.trained;
  NetworkRun run;
  run.record = &rec;
  Rng rng = Rng::stream(o.seed, Purpose::analysis);
  const TrialBatch batch = task.batch(o.trials, rng);
  const Rollout<double> roll = simulate(net, batch);
  run.states = roll.x;
  run.pca = pca(run.states);
  const int T = batch.steps, B = batch.trials;

  // Trials grouped by the condition's value (sorted).
  const int cond = choose_condition(batch, o.condition);
  run.condition = cond >= 0 ? batch.condition_names[cond] : "";
  std::map<double, std::vector<int>> groups;
  for (int b = 0; b < B; ++b) groups[cond >= 0 ? batch.conditions(b, cond) : 0.0].push_back(b);

  Rng start_rng = Rng::stream(o.seed, Purpose::analysis, 1);
  FixedPointOptions fpo;
  fpo.threads = o.threads;
  fpo.eigenvectors = 0;
  run.fixed_points = find_fixed_points(net, {}, sample_starts(run.states, o.fixed_point_starts, 0.0, start_rng), fpo);
  std::vector<Eigen::VectorXd> points;
  for (const FixedPoint& p : run.fixed_points.points)
    if (p.kind == PointKind::fixed) points.push_back(p.x);

  run.window_from = std::clamp(static_cast<int>(std::floor(o.delay_start * T)), 0, T);
  run.window_to = std::clamp(static_cast<int>(std::ceil(o.delay_end * T)), run.window_from, T);
  if (run.window_to - run.window_from < 4)
    throw InputError(fmt::format("dynamics: the delay window [{}, {}) of a {}-step trial has under 4 steps",
                                 run.window_from, run.window_to, T));
  std::vector<Eigen::MatrixXd> windows;
  double leading = -INFINITY;
  AttractorType type = AttractorType::fixed_point;
  for (const auto& [value, trials] : groups) {
    ConditionRun c;
    c.value = value;
    c.trials = trials;
    c.mean_states = Eigen::MatrixXd::Zero(net.units(), T);
    for (int b : trials)
      for (int t = 0; t < T; ++t) c.mean_states.col(t) += run.states.col(batch.col(t, b));
    c.mean_states /= static_cast<double>(trials.size());
    // Left free after the trial: zero input from the end state of the group's first trial.
    const Eigen::VectorXd x_end = run.states.col(batch.col(T - 1, trials[0]));
    c.lyapunov = lyapunov_spectrum(net, x_end, {}, o.lyapunov);
    c.attractor = classify_attractor(net, x_end, {}, points, c.lyapunov.per_tau(0), o.attractor);
    leading = std::max(leading, c.lyapunov.per_tau(0));
    if (complexity(c.attractor.type) > complexity(type)) type = c.attractor.type;
    windows.push_back(c.mean_states.middleCols(run.window_from, run.window_to - run.window_from));
    run.conditions.push_back(std::move(c));
  }
  run.jarne = jarne_classify(net.w_rec, windows, o.jarne);

  Signature& s = run.signature;
  s.stable_points = run.fixed_points.summary.stable;
  s.saddles = run.fixed_points.summary.saddles;
  const Eigen::VectorXcd eig = sorted_eigenvalues(net.w_rec);
  s.leading_modulus = std::abs(eig(0));
  s.leading_angle = std::abs(std::arg(eig(0)));
  s.outside_unit_circle = static_cast<int>((eig.array().abs() > 1.0).count());
  s.attractor = type;
  s.leading_lyapunov = leading;
  s.dimensionality = run.pca.participation_ratio;
  return run;
}

void unlink_if_present(H5::Group& g, const std::string& name) {
  if (h5::exists(g, name)) g.unlink(name);
}

Eigen::MatrixXd int_matrix(const Eigen::MatrixXi& m) { return m.cast<double>(); }

void write_options(H5::Group& g, const DynamicsOptions& o) {
  h5::write_attr(g, "trials", static_cast<long>(o.trials));
  h5::write_attr(g, "seed", static_cast<long>(o.seed));
  h5::write_attr(g, "delay_start", o.delay_start);
  h5::write_attr(g, "delay_end", o.delay_end);
  h5::write_attr(g, "lyapunov_exponents", static_cast<long>(o.lyapunov.exponents));
  h5::write_attr(g, "lyapunov_transient", static_cast<long>(o.lyapunov.transient));
  h5::write_attr(g, "lyapunov_steps", static_cast<long>(o.lyapunov.steps));
  h5::write_attr(g, "attractor_transient", static_cast<long>(o.attractor.transient));
  h5::write_attr(g, "attractor_window", static_cast<long>(o.attractor.window));
  h5::write_attr(g, "fixed_point_tolerance", o.attractor.fixed_point_tolerance);
  h5::write_attr(g, "match_distance", o.attractor.match_distance);
  h5::write_attr(g, "chaos_threshold", o.attractor.chaos_threshold);
  h5::write_attr(g, "cycle_correlation", o.attractor.cycle_correlation);
  h5::write_attr(g, "sustained_ratio", o.attractor.sustained_ratio);
  h5::write_attr(g, "jarne_spectral_oscillatory", o.jarne.spectral_oscillatory);
  h5::write_attr(g, "jarne_spectral_mixed", o.jarne.spectral_mixed);
  h5::write_attr(g, "jarne_peak_to_median", o.jarne.peak_to_median);
  h5::write_attr(g, "jarne_min_cycles", o.jarne.min_cycles);
  h5::write_attr(g, "jarne_ramp_correlation", o.jarne.ramp_correlation);
}

void write_network(H5::Group& g, const NetworkRun& run, const DynamicsOptions& o, const std::string& task) {
  const Network& net = run.record->trained;
  write_options(g, o);
  h5::write_attr(g, "task", task);
  h5::write_attr(g, "condition", run.condition);
  h5::write_attr(g, "delay_window_from", static_cast<long>(run.window_from));
  h5::write_attr(g, "delay_window_to", static_cast<long>(run.window_to));
  h5::write_attr(g, "attractor", to_string(run.signature.attractor));
  h5::write_attr(g, "leading_lyapunov_per_tau", run.signature.leading_lyapunov);
  h5::write_attr(g, "participation_ratio", run.pca.participation_ratio);
  h5::write_attr(g, "alpha", net.alpha);
  h5::write_attr(g, "dt_ms", net.dt);

  const int k = std::min<int>(o.pcs, net.units());
  H5::Group p = h5::require_group(g, "pca");
  h5::write_vector(p, "explained_variance", run.pca.variances);
  h5::write_vector(p, "explained_ratio", run.pca.explained_ratio);
  h5::write_vector(p, "mean", run.pca.mean);
  h5::write_matrix(p, "components", run.pca.components.leftCols(k));  // N x k

  H5::Group j = h5::require_group(g, "jarne");
  h5::write_attr(j, "label", to_string(run.jarne.label));
  h5::write_attr(j, "spectral_label", to_string(run.jarne.spectral.label));
  h5::write_attr(j, "activity_label", to_string(run.jarne.activity));
  h5::write_attr(j, "oscillation_index", run.jarne.spectral.oscillation_index);
  std::vector<std::string> labels;
  std::vector<double> ratio, cycles, corr;
  for (const JarneActivity& a : run.jarne.conditions) {
    labels.push_back(to_string(a.label));
    ratio.push_back(a.peak_to_median);
    cycles.push_back(a.peak_cycles);
    corr.push_back(a.time_correlation);
  }
  h5::write_strings(j, "condition_labels", labels);
  h5::write_vector(j, "peak_to_median", ratio);
  h5::write_vector(j, "peak_cycles", cycles);
  h5::write_vector(j, "time_correlation", corr);

  H5::Group conds = h5::require_group(g, "conditions");
  for (std::size_t i = 0; i < run.conditions.size(); ++i) {
    const ConditionRun& c = run.conditions[i];
    H5::Group cg = h5::require_group(conds, std::to_string(i));
    h5::write_attr(cg, "value", c.value);
    h5::write_attr(cg, "trials", static_cast<long>(c.trials.size()));
    h5::write_attr(cg, "attractor", to_string(c.attractor.type));
    h5::write_attr(cg, "fixed_point", static_cast<long>(c.attractor.fixed_point));
    h5::write_attr(cg, "fixed_point_distance", c.attractor.fixed_point_distance);
    h5::write_attr(cg, "period_steps", c.attractor.period_steps);
    h5::write_attr(cg, "period_ms", c.attractor.period_ms);
    h5::write_attr(cg, "amplitude", c.attractor.amplitude);
    h5::write_attr(cg, "extent", c.attractor.extent);
    h5::write_matrix(cg, "mean_states", c.mean_states.transpose());  // T x N
    h5::write_matrix(cg, "mean_states_pcs", project(run.pca, c.mean_states, k).transpose());  // T x k
    h5::write_matrix(cg, "autonomous", c.attractor.window.transpose());  // window x N
    h5::write_matrix(cg, "autonomous_pcs", project(run.pca, c.attractor.window, k).transpose());
    h5::write_vector(cg, "lyapunov_per_step", c.lyapunov.per_step);
    h5::write_vector(cg, "lyapunov_per_tau", c.lyapunov.per_tau);
  }

  H5::Group fp = h5::require_group(g, "fixed_points");
  Eigen::MatrixXd x(static_cast<Eigen::Index>(run.fixed_points.points.size()), net.units());
  std::vector<std::string> stability;
  for (std::size_t i = 0; i < run.fixed_points.points.size(); ++i) {
    x.row(static_cast<Eigen::Index>(i)) = run.fixed_points.points[i].x.transpose();
    stability.push_back(to_string(run.fixed_points.points[i].stability));
  }
  h5::write_matrix(fp, "x", x);
  h5::write_strings(fp, "stability", stability);

  h5::write_vector(g, "signature", signature_features(run.signature));
  h5::write_strings(g, "signature_names", signature_feature_names());
}

void write_census(H5::Group& g, const std::vector<CensusEntry>& entries, const CensusTable& table,
                  const Families& families, const Similarity& sim, const SpectralDynamics& sd,
                  const Eigen::MatrixXd& features, const DynamicsOptions& o) {
  std::vector<double> seeds;
  std::vector<std::string> groups, jarne, attractor;
  for (const CensusEntry& e : entries) {
    seeds.push_back(static_cast<double>(e.seed));
    groups.push_back(e.group);
    jarne.push_back(to_string(e.jarne));
    attractor.push_back(to_string(e.signature.attractor));
  }
  h5::write_vector(g, "seeds", seeds);
  h5::write_strings(g, "network_group", groups);
  h5::write_strings(g, "network_attractor", attractor);
  h5::write_strings(g, "network_jarne", jarne);
  h5::write_strings(g, "groups", table.groups);
  std::vector<std::string> types, classes;
  for (AttractorType t : attractor_types()) types.push_back(to_string(t));
  for (JarneClass c : jarne_classes()) classes.push_back(to_string(c));
  h5::write_strings(g, "attractor_types", types);
  h5::write_strings(g, "jarne_classes", classes);
  h5::write_matrix(g, "attractor_counts", int_matrix(table.attractor_counts));
  h5::write_matrix(g, "jarne_counts", int_matrix(table.jarne_counts));
  h5::write_attr(g, "table", table.text());
  h5::write_attr(g, "networks", static_cast<long>(entries.size()));

  H5::Group f = h5::require_group(g, "families");
  h5::write_attr(f, "k", static_cast<long>(families.k));
  h5::write_attr(f, "silhouette", families.silhouette);
  h5::write_attr(f, "max_k", static_cast<long>(o.cluster.max_k));
  h5::write_attr(f, "min_silhouette", o.cluster.min_silhouette);
  h5::write_vector(f, "label", std::vector<double>(families.label.begin(), families.label.end()));
  std::vector<double> reps;
  for (int r : families.representative) reps.push_back(static_cast<double>(entries[r].seed));
  h5::write_vector(f, "representative_seeds", reps);
  h5::write_matrix(f, "features", features);
  h5::write_strings(f, "feature_names", signature_feature_names());

  H5::Group s = h5::require_group(g, "similarity");
  h5::write_attr(s, "pcs", static_cast<long>(o.pcs));
  h5::write_matrix(s, "cca", sim.cca);
  h5::write_matrix(s, "procrustes", sim.procrustes);

  H5::Group c = h5::require_group(g, "spectral_dynamics");
  h5::write_strings(c, "features", sd.features);
  h5::write_strings(c, "classes", sd.classes);
  h5::write_matrix(c, "correlation", sd.correlation);
  h5::write_matrix(c, "class_mean", sd.class_mean);
}

// Evenly spaced columns, at most `limit`: the same columns for every network.
Eigen::MatrixXd thin_columns(const Eigen::MatrixXd& m, int limit) {
  if (limit <= 0 || m.cols() <= limit) return m;
  Eigen::MatrixXd out(m.rows(), limit);
  for (int i = 0; i < limit; ++i) out.col(i) = m.col(static_cast<Eigen::Index>(i) * m.cols() / limit);
  return out;
}

}  // namespace

CensusTable analyze_dynamics_file(const std::string& path, const DynamicsOptions& o) {
  const Experiment experiment = read_experiment(path);
  const auto say = [&](const std::string& line) {
    if (o.log) o.log(line);
  };
  std::vector<NetworkRun> runs;
  std::vector<CensusEntry> entries;
  std::string task_name;
  for (const NetworkRecord& rec : experiment.networks) {
    if (!finite(rec.trained) || rec.trained.units() == 0) {
      say(fmt::format("network {}: skipped (non-finite weights)", rec.seed));
      continue;
    }
    const std::unique_ptr<Task> task = make_analysis_task(experiment, o, rec.trained.dt, path);
    task_name = task->name();
    runs.push_back(analyse_network(rec, *task, o));
    const NetworkRun& run = runs.back();
    CensusEntry e;
    e.seed = rec.seed;
    e.group = group_key(experiment, o, task_name);
    e.signature = run.signature;
    e.jarne = run.jarne.label;
    entries.push_back(e);
    say(fmt::format("network {}: {} (leading exponent {:.3g}/tau), jarne {}, PR {:.2f}, {} stable / {} saddles",
                    rec.seed, to_string(e.signature.attractor), e.signature.leading_lyapunov, to_string(e.jarne),
                    e.signature.dimensionality, e.signature.stable_points, e.signature.saddles));
  }

  const CensusTable table = census_table(entries);
  Eigen::MatrixXd features(static_cast<Eigen::Index>(entries.size()),
                           static_cast<Eigen::Index>(signature_feature_names().size()));
  for (std::size_t i = 0; i < entries.size(); ++i)
    features.row(static_cast<Eigen::Index>(i)) = signature_features(entries[i].signature).transpose();
  const Families families = cluster_signatures(features, o.cluster);
  std::vector<Eigen::MatrixXd> states;
  for (const NetworkRun& r : runs) states.push_back(thin_columns(r.states, o.similarity_columns));
  const Similarity similarity = trajectory_similarity(states, o.pcs);
  const SpectralDynamics sd = spectral_dynamics(entries);
  say(table.text());

  update_experiment(path, [&](H5::H5File& file) {
    for (const NetworkRun& run : runs) {
      H5::Group net_group = file.openGroup("networks/" + std::to_string(run.record->seed));
      H5::Group analysis = h5::require_group(net_group, "analysis");
      unlink_if_present(analysis, "dynamics");  // a rerun replaces the old result whole
      H5::Group g = h5::require_group(analysis, "dynamics");
      write_network(g, run, o, task_name);
    }
    H5::Group root = file.openGroup("/");
    H5::Group analysis = h5::require_group(root, "analysis");
    unlink_if_present(analysis, "census");
    H5::Group census = h5::require_group(analysis, "census");
    write_census(census, entries, table, families, similarity, sd, features, o);
  });
  return table;
}

std::string dynamics_summary(const std::string& path, std::uint64_t seed) {
  std::lock_guard lock(h5_lock());
  try {
    H5::H5File file(path, H5F_ACC_RDONLY);
    H5::Group root = file.openGroup("/");
    const std::string name = fmt::format("networks/{}/analysis/dynamics", seed);
    if (!h5::exists(root, name)) return "dynamics: not analysed (non-finite weights?)";
    H5::Group g = root.openGroup(name);
    H5::Group jarne = g.openGroup("jarne");
    return fmt::format("dynamics: {}, Jarne class {}, leading Lyapunov {:.3g}/tau, participation ratio {:.2f}",
                       h5::read_string_attr(g, "attractor"), h5::read_string_attr(jarne, "label"),
                       h5::read_double_attr(g, "leading_lyapunov_per_tau"),
                       h5::read_double_attr(g, "participation_ratio"));
  } catch (const H5::Exception& e) {
    throw Error(fmt::format("{}: cannot read the dynamics of network {}: {}", path, seed, e.getDetailMsg()));
  }
}

}  // namespace rnnlab
