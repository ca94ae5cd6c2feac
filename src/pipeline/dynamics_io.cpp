#include "pipeline/dynamics_io.hpp"

#include <H5Cpp.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <optional>

#include "analysis/fixed_points.hpp"
#include "pipeline/fixed_points_io.hpp"
#include "analysis/fixed_points_schema.hpp"
#include "analysis/held_memory.hpp"
#include "analysis/pca.hpp"
#include "analysis/signature.hpp"
#include "analysis/spectrum.hpp"
#include "io/config.hpp"
#include <toml++/toml.h>
#include "io/experiment_file.hpp"
#include "io/h5.hpp"
#include "io/result_file.hpp"
#include "pipeline/task_resolution.hpp"
#include "train/evaluate.hpp"
#include "util/error.hpp"

namespace rnnlab {

namespace {

// One network's dynamics and the record it belongs to.
struct NetworkRun : NetworkDynamics {
  const NetworkRecord* record = nullptr;
  // "stored": the zero-input fixed points are those `--fixed-points` stored
  // with the same finder configuration (read back, not searched again).
  std::string fixed_points_from = "searched";
  std::vector<HeldMemory> memory;  // accuracy with the memory period stretched (none without a task)
};

// The task the networks are analysed on: o.task (at its defaults) when set,
// else the file's: a training config's [task], or the [task] an import
// recorded (`rnnlab import --task`). Null for an import without one: the
// analysis is then autonomous (network_dynamics.hpp).
struct FileTask {
  std::optional<ExperimentConfig> config;  // a training config, parsed once (its model names the census group)
  std::string import_task;                 // an import's [task] table as TOML text ("" if none)
  bool imported = false;
};

FileTask read_file_task(const std::string& config_text, const DynamicsOptions& o, const std::string& path) {
  FileTask f;
  if (config_text.empty()) {
    f.imported = true;
    return f;
  }
  toml::table root;
  try {
    root = toml::parse(config_text, path + " (config attribute)");
  } catch (const toml::parse_error& e) {
    throw InputError(fmt::format("{}: the config attribute is not valid TOML ({})", path, e.description()));
  }
  f.imported = root.contains("import");
  if (f.imported)
    f.import_task = task_table_text(config_text, path);
  else if (o.task.empty())
    f.config = parse_config(config_text, path + " (config attribute)");  // a sweep's config checks every point
  return f;
}

// The task's name and parameters for a network at `sweep_point` (-1: none;
// a sweep of task parameters gives each point its own task); empty for none (autonomous).
std::optional<TaskSpec> analysis_task_spec(const FileTask& f, const DynamicsOptions& o, double dt, int sweep_point) {
  if (!o.task.empty()) return TaskSpec{o.task, {}};
  if (f.config) return f.config->at(sweep_point).task;
  if (f.import_task.empty()) return std::nullopt;
  // The import's [task] table, validated as a training config's is (the network fixes dt).
  return resolve_task(f.import_task, "the file's [task]", {}, dt);
}

// The fixed points `analyze --fixed-points` stored for network `seed`, when
// they were found at zero input with the finder configuration `config` on the
// same task (its declaration, fixed_points_schema.hpp): read back (x,
// kind, count, the summary; shapes checked) and linearised again (analyse_point: the same
// numbers for the same x), so the dynamics do not search a second time.
// Empty when there is no such result.
std::optional<FixedPointResult> stored_fixed_points(const std::string& path, std::uint64_t seed, const Network& net,
                                                    const Task* task, const FixedPointConfig& config) {
  std::lock_guard lock(h5_lock());
  try {
    H5::H5File file(path, H5F_ACC_RDONLY);
    H5::Group root = file.openGroup("/");
    const std::string name = fmt::format("networks/{}/analysis/fixed_points", seed);
    if (!h5::exists(root, name)) return std::nullopt;
    H5::Group g = root.openGroup(name);
    const FixedPointOptions options = finder_options(config, net);
    const auto& d = fixed_points_schema();
    const FixedPointsRecord stored = d.read(read_result(
        g, d.schema(), {{"N", static_cast<std::size_t>(net.units())}, {"I", static_cast<std::size_t>(net.inputs())}}));
    const FixedPointSearch& was = stored.search;
    if (was.input_condition != "zero" || was.task != (task ? task->name() : std::string())) return std::nullopt;
    if (stored.summary.starts != config.sampling.starts || was.trials != (task ? config.sampling.trials : 0) ||
        was.noise != config.sampling.noise || was.seed != static_cast<long>(config.sampling.seed) ||
        was.tolerance != options.fixed_tolerance || was.slow_speed != options.slow_speed ||
        was.max_iterations != options.max_iterations || was.dedup_tolerance != options.dedup_tolerance ||
        was.alpha != net.alpha)
      return std::nullopt;
    FixedPointResult r;
    const Eigen::VectorXd zero = Eigen::VectorXd::Zero(net.inputs());
    for (const StoredPoint& p : stored.points) {
      FixedPoint fp = analyse_point(net, zero, p.point.x, options);
      fp.kind = p.point.kind;
      fp.count = p.point.count;
      r.points.push_back(std::move(fp));
    }
    r.summary = stored.summary;
    return r;
  } catch (const H5::Exception&) {
    return std::nullopt;  // an older or damaged result: search instead
  } catch (const InputError&) {
    return std::nullopt;  // a kind this version does not know
  }
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
  h5::write_attr(g, "chaos_agreement", o.attractor.chaos_agreement);
  h5::write_attr(g, "return_tolerance", o.attractor.return_tolerance);
  h5::write_attr(g, "trajectory_starts", static_cast<long>(o.trajectory_starts));
  h5::write_attr(g, "random_starts", static_cast<long>(o.random_starts));
  h5::write_attr(g, "sustained_ratio", o.attractor.sustained_ratio);
  h5::write_attr(g, "jarne_spectral_oscillatory", o.jarne.spectral_oscillatory);
  h5::write_attr(g, "jarne_spectral_mixed", o.jarne.spectral_mixed);
  h5::write_attr(g, "jarne_peak_to_median", o.jarne.peak_to_median);
  h5::write_attr(g, "jarne_min_cycles", o.jarne.min_cycles);
  h5::write_attr(g, "jarne_ramp_correlation", o.jarne.ramp_correlation);
  h5::write_attr(g, "jarne_rest_fraction", o.jarne.rest_fraction);
}

// The attractor set: one row per attractor, and which one each start reached.
void write_attractor_set(H5::Group g, const AttractorSet& set, int units) {
  const Eigen::Index n = static_cast<Eigen::Index>(set.attractors.size());
  std::vector<std::string> type;
  std::vector<double> period, basin, starts, first, leading, marginal, amplitude;
  Eigen::MatrixXd x(n, units);
  for (Eigen::Index i = 0; i < n; ++i) {
    const FoundAttractor& f = set.attractors[static_cast<std::size_t>(i)];
    const Attractor& a = f.run.attractor;
    type.push_back(to_string(a.type));
    period.push_back(a.period_steps);
    basin.push_back(f.basin);
    starts.push_back(f.starts);
    first.push_back(f.first_start);
    leading.push_back(a.leading_exponent);
    marginal.push_back(f.marginal ? 1.0 : 0.0);
    amplitude.push_back(a.amplitude);
    x.row(i) = a.window.col(a.window.cols() - 1).transpose();
  }
  h5::write_attr(g, "description", set.describe());
  // Starts that sat on an unstable point: in no basin (the basins sum to 1 minus their share).
  h5::write_attr(g, "unstable_starts", static_cast<long>(set.unstable_starts));
  h5::write_strings(g, "type", type);
  h5::write_vector(g, "period_steps", period);
  h5::write_vector(g, "basin", basin);
  h5::write_vector(g, "starts", starts);
  h5::write_vector(g, "first_start", first);
  h5::write_vector(g, "leading_exponent", leading);
  h5::write_vector(g, "marginal", marginal);
  h5::write_vector(g, "amplitude", amplitude);
  h5::write_matrix(g, "x", x);  // A x N: the end state of each attractor's first run
  h5::write_vector(g, "start_attractor", std::vector<double>(set.start_attractor.begin(), set.start_attractor.end()));
}

void write_points(H5::Group g, const FixedPointResult& r, int units) {
  Eigen::MatrixXd x(static_cast<Eigen::Index>(r.points.size()), units);
  std::vector<std::string> stability;
  for (std::size_t i = 0; i < r.points.size(); ++i) {
    x.row(static_cast<Eigen::Index>(i)) = r.points[i].x.transpose();
    stability.push_back(to_string(r.points[i].stability));
  }
  h5::write_matrix(g, "x", x);
  h5::write_strings(g, "stability", stability);
}

// The input conditions: row 0 zero input (its points and attractors are the
// group's fixed_points/ and attractors/), then the task's operating inputs,
// each with its own under inputs/<c>/.
void write_input_conditions(H5::Group g, const NetworkRun& run, const Network& net) {
  const Eigen::Index c = 1 + static_cast<Eigen::Index>(run.operating.size());
  std::vector<std::string> names{"zero"}, sets{run.attractors.describe()};
  std::vector<double> stable{static_cast<double>(run.fixed_points.summary.stable)},
      saddles{static_cast<double>(run.fixed_points.summary.saddles)};
  Eigen::MatrixXd u = Eigen::MatrixXd::Zero(c, net.inputs());
  for (std::size_t i = 0; i < run.operating.size(); ++i) {
    const InputDynamics& d = run.operating[i];
    names.push_back(d.name);
    sets.push_back(d.attractors.describe());
    stable.push_back(d.fixed_points.summary.stable);
    saddles.push_back(d.fixed_points.summary.saddles);
    u.row(static_cast<Eigen::Index>(i) + 1) = d.u.transpose();
    H5::Group one = h5::require_group(g, std::to_string(i + 1));
    h5::write_attr(one, "name", d.name);
    write_points(h5::require_group(one, "fixed_points"), d.fixed_points, net.units());
    write_attractor_set(h5::require_group(one, "attractors"), d.attractors, net.units());
  }
  h5::write_strings(g, "names", names);
  h5::write_matrix(g, "input", u);  // C x I
  h5::write_strings(g, "attractor_set", sets);
  h5::write_vector(g, "stable", stable);
  h5::write_vector(g, "saddles", saddles);
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
  h5::write_attr(g, "attractor_set", run.signature.attractor_set);
  h5::write_attr(g, "family_key", signature_key(run.signature));
  // Stability of the rest state in the step map's coordinates, W_rec's raw spectrum beside it.
  const OriginSpectrum origin = origin_spectrum(net);
  h5::write_attr(g, "origin_leading_re", origin.leading.real());
  h5::write_attr(g, "origin_leading_im", origin.leading.imag());
  h5::write_attr(g, "origin_continuous_re", origin.continuous.real());
  h5::write_attr(g, "origin_continuous_im", origin.continuous.imag());
  h5::write_attr(g, "origin_unstable_modes", static_cast<long>(origin.unstable_modes));
  h5::write_attr(g, "w_rec_leading_re", origin.w_rec_leading.real());
  h5::write_attr(g, "w_rec_leading_im", origin.w_rec_leading.imag());
  h5::write_attr(g, "w_rec_outside_unit_circle", static_cast<long>(origin.w_rec_outside_unit_circle));

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
  h5::write_attr(j, "unstable_modes", static_cast<long>(run.jarne.spectral.unstable_modes));
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
    const ConditionDynamics& c = run.conditions[i];
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
    h5::write_attr(cg, "returns", static_cast<long>(c.attractor.returns));
    h5::write_attr(cg, "return_miss", c.attractor.return_miss);
    h5::write_attr(cg, "leading_exponent_first", c.attractor.leading_exponent_first);
    h5::write_attr(cg, "leading_exponent_second", c.attractor.leading_exponent_second);
    h5::write_matrix(cg, "mean_states", c.mean_states.transpose());  // T x N
    h5::write_matrix(cg, "mean_states_pcs", project(run.pca, c.mean_states, k).transpose());  // T x k
    h5::write_matrix(cg, "autonomous", c.attractor.window.transpose());  // window x N
    h5::write_matrix(cg, "autonomous_pcs", project(run.pca, c.attractor.window, k).transpose());
    h5::write_vector(cg, "lyapunov_per_step", c.lyapunov.per_step);
    h5::write_vector(cg, "lyapunov_per_tau", c.lyapunov.per_tau);
  }

  h5::write_attr(g, "fixed_points_from", run.fixed_points_from);
  write_points(h5::require_group(g, "fixed_points"), run.fixed_points, net.units());
  write_attractor_set(h5::require_group(g, "attractors"), run.attractors, net.units());
  write_input_conditions(h5::require_group(g, "inputs"), run, net);
  {  // the fixed-point graph at zero input: one row per saddle or unstable point
    H5::Group sc = h5::require_group(g, "scaffold");
    h5::write_attr(sc, "description", run.scaffold.describe());
    std::vector<double> point;
    std::vector<std::string> links;
    Eigen::MatrixXd reaches(static_cast<Eigen::Index>(run.scaffold.links.size()), 2);
    for (std::size_t i = 0; i < run.scaffold.links.size(); ++i) {
      const ScaffoldLink& l = run.scaffold.links[i];
      point.push_back(l.point);
      links.push_back(l.describe());
      reaches.row(static_cast<Eigen::Index>(i)) << l.reaches[0], l.reaches[1];
    }
    h5::write_vector(sc, "point", point);       // row of fixed_points/
    h5::write_matrix(sc, "reaches", reaches);   // rows of attractors/ reached from x +- eps v; -1: none of them
    h5::write_strings(sc, "link", links);
  }
  if (!run.memory.empty()) {
    H5::Group m = h5::require_group(g, "memory");
    h5::write_attr(m, "parameter", run.memory.front().parameter);
    h5::write_attr(m, "trials", static_cast<long>(o.memory_trials));
    std::vector<double> factor, accuracy;
    for (const HeldMemory& h : run.memory) factor.push_back(h.factor), accuracy.push_back(h.accuracy);
    h5::write_vector(m, "factor", factor);
    h5::write_vector(m, "accuracy", accuracy);
  }

  h5::write_vector(g, "signature", signature_features(run.signature));
  h5::write_strings(g, "signature_names", signature_feature_names());
}

// The census within each group (for a sweep: each sweep point): its networks,
// their families and their trajectory similarity. Rows of `members` index
// `entries`.
struct GroupCensus {
  std::string name;
  std::vector<std::size_t> members;
  Families families;
  Similarity similarity;
};

void write_group_census(H5::Group& parent, const std::vector<GroupCensus>& groups,
                        const std::vector<CensusEntry>& entries, const std::vector<int>& sweep_points) {
  H5::Group by_group = h5::require_group(parent, "by_group");
  for (std::size_t i = 0; i < groups.size(); ++i) {
    const GroupCensus& gc = groups[i];
    H5::Group g = h5::require_group(by_group, std::to_string(i));
    h5::write_attr(g, "group", gc.name);
    h5::write_attr(g, "sweep_point", static_cast<long>(sweep_points[gc.members.front()]));
    h5::write_attr(g, "networks", static_cast<long>(gc.members.size()));
    std::vector<double> seeds, reps;
    for (std::size_t m : gc.members) seeds.push_back(static_cast<double>(entries[m].seed));
    for (int r : gc.families.representative) reps.push_back(seeds[static_cast<std::size_t>(r)]);
    h5::write_vector(g, "seeds", seeds);
    H5::Group f = h5::require_group(g, "families");
    h5::write_attr(f, "k", static_cast<long>(gc.families.k));
    h5::write_attr(f, "silhouette", gc.families.silhouette);
    h5::write_vector(f, "label", std::vector<double>(gc.families.label.begin(), gc.families.label.end()));
    h5::write_vector(f, "representative_seeds", reps);
    h5::write_strings(f, "keys", gc.families.keys);
    H5::Group sim = h5::require_group(g, "similarity");
    h5::write_matrix(sim, "cca", gc.similarity.cca);
    h5::write_matrix(sim, "procrustes", gc.similarity.procrustes);
  }
}

void write_census(H5::Group& g, const std::vector<CensusEntry>& entries, const CensusTable& table,
                  const Families& families, const Similarity& sim, const SpectralDynamics& sd,
                  const Eigen::MatrixXd& features, const DynamicsOptions& o) {
  std::vector<double> seeds;
  std::vector<std::string> groups, jarne, attractor, attractor_set;
  for (const CensusEntry& e : entries) {
    seeds.push_back(static_cast<double>(e.seed));
    groups.push_back(e.group);
    jarne.push_back(to_string(e.jarne));
    attractor.push_back(to_string(e.signature.attractor));
    attractor_set.push_back(e.signature.attractor_set);
  }
  h5::write_strings(g, "network_attractor_set", attractor_set);
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
  if (!table.families.empty()) {
    // A sweep: rows are the points, then "all networks"; families counted within each row.
    h5::write_vector(g, "group_families", std::vector<double>(table.families.begin(), table.families.end()));
    h5::write_vector(g, "group_silhouettes", table.silhouettes);
  }
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
  h5::write_strings(f, "keys", families.keys);
  h5::write_matrix(f, "features", features);
  h5::write_strings(f, "feature_names", signature_feature_names());

  H5::Group s = h5::require_group(g, "similarity");
  h5::write_attr(s, "pcs", static_cast<long>(o.pcs));
  const FamilySimilarity by_family = similarity_by_family(sim, families.label);
  h5::write_attr(s, "cca_within_families", by_family.cca_within);
  h5::write_attr(s, "cca_between_families", by_family.cca_between);
  h5::write_attr(s, "procrustes_within_families", by_family.procrustes_within);
  h5::write_attr(s, "procrustes_between_families", by_family.procrustes_between);
  h5::write_attr(s, "pairs_within_families", static_cast<long>(by_family.pairs_within));
  h5::write_attr(s, "pairs_between_families", static_cast<long>(by_family.pairs_between));
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
  std::vector<int> sweep_points;  // per entry, its network's sweep point (-1: none)
  std::string task_name;
  int points = 0;
  for (const NetworkRecord& rec : experiment.networks) points = std::max(points, rec.sweep_point + 1);
  const FileTask file_task = read_file_task(experiment.config, o, path);
  const ExperimentConfig* file_config = file_task.config ? &*file_task.config : nullptr;
  // The fixed points at each input exactly as `analyze --fixed-points` finds
  // them with the file's [analysis.fixed_points] (its starts, options, seeds).
  FixedPointConfig finder = read_fixed_point_config(experiment.config, path + " (config attribute)");
  finder.input = InputChoice{};
  finder.options.eigenvectors = 0;
  finder.options.threads = o.threads;
  finder.continuation.reset();
  for (const NetworkRecord& rec : experiment.networks) {
    if (const std::string why = unusable_reason(rec); !why.empty()) {
      say(fmt::format("network {}: skipped: {}", rec.seed, why));
      continue;
    }
    const std::optional<TaskSpec> spec = analysis_task_spec(file_task, o, rec.trained.dt, rec.sweep_point);
    const std::unique_ptr<Task> task = spec ? make_task(spec->name, spec->params, rec.trained.dt) : nullptr;
    task_name = task ? task->name() : "autonomous";
    NetworkRun analysed;
    DynamicsOptions options = o;
    if (!options.fixed_point_search)
      options.fixed_point_search = [&](const Network& net, const Task* t, const Eigen::VectorXd& u) {
        FixedPointConfig at = finder;
        if (!u.isZero(0.0)) {
          at.input.kind = InputChoice::Kind::vector;
          at.input.values.assign(u.data(), u.data() + u.size());
        } else if (std::optional<FixedPointResult> stored = stored_fixed_points(path, rec.seed, net, t, finder)) {
          analysed.fixed_points_from = "stored";
          return std::move(*stored);
        }
        return search_network_fixed_points(net, rec.seed, t, at);
      };
    try {
      static_cast<NetworkDynamics&>(analysed) = analyse_network_dynamics(rec.trained, task.get(), options);
    } catch (const InputError&) {
      throw;  // the user's choice (task, condition, window): stops the whole analysis
    } catch (const Error& e) {  // numerical failure of this network: the others go on
      say(fmt::format("network {}: skipped ({})", rec.seed, e.what()));
      continue;
    }
    analysed.record = &rec;
    if (spec) analysed.memory = held_memory(rec.trained, spec->name, spec->params, o.memory_factors, o.memory_trials, o.seed);
    runs.push_back(std::move(analysed));
    const NetworkRun& run = runs.back();
    CensusEntry e;
    e.seed = rec.seed;
    e.group = census_group(task_name, o.task.empty() && file_config ? &file_config->model : nullptr,
                           rec.sweep_point, rec.sweep, points);
    sweep_points.push_back(rec.sweep_point);
    e.signature = run.signature;
    e.jarne = run.jarne.label;
    e.family_key = signature_key(run.signature);
    entries.push_back(e);
    say(fmt::format("network {}: {} (leading exponent {:.3g}/tau; attractors: {}), jarne {} (spectral {}, "
                    "activity {}), PR {:.2f}, {} stable / {} saddles",
                    rec.seed, to_string(e.signature.attractor), e.signature.leading_lyapunov,
                    e.signature.attractor_set, to_string(e.jarne), to_string(run.jarne.spectral.label),
                    to_string(run.jarne.activity), e.signature.dimensionality, e.signature.stable_points,
                    e.signature.saddles));
  }

  CensusTable table = census_table(entries);
  Eigen::MatrixXd features(static_cast<Eigen::Index>(entries.size()),
                           static_cast<Eigen::Index>(signature_feature_names().size()));
  for (std::size_t i = 0; i < entries.size(); ++i)
    features.row(static_cast<Eigen::Index>(i)) = signature_features(entries[i].signature).transpose();
  const Families families = families_by_key(entries);
  std::vector<Eigen::MatrixXd> states;
  for (const NetworkRun& r : runs) states.push_back(thin_columns(r.states, o.similarity_columns));
  const Similarity similarity = trajectory_similarity(states, o.pcs);
  const SpectralDynamics sd = spectral_dynamics(entries);

  // A sweep: the census of each point too (the groups are the points), and a
  // row for all networks; families counted within each row.
  std::vector<GroupCensus> group_census;
  if (points > 0 && !entries.empty()) {
    const std::vector<GroupFamilies> by_group = families_by_group(table, entries, features, o.cluster);
    for (std::size_t g = 0; g < by_group.size(); ++g) {
      GroupCensus gc;
      gc.name = table.groups[g];
      gc.members = by_group[g].members;
      gc.families = by_group[g].families;
      std::vector<Eigen::MatrixXd> s;
      for (std::size_t m : gc.members) s.push_back(states[m]);
      gc.similarity = trajectory_similarity(s, o.pcs);
      group_census.push_back(std::move(gc));
    }
    table = sweep_table(table, by_group, families);
  }
  say(table.text());
  if (const FamilySimilarity f = similarity_by_family(similarity, families.label); f.pairs_within + f.pairs_between > 0)
    say(fmt::format("trajectory similarity within / between families: CCA {:.3f} / {:.3f}, Procrustes {:.3f} / {:.3f} "
                    "({} / {} pairs)",
                    f.cca_within, f.cca_between, f.procrustes_within, f.procrustes_between, f.pairs_within,
                    f.pairs_between));
  for (int k = 0; k < families.k; ++k)
    say(fmt::format("family {} ({} of {} networks): {}", k,
                    std::count(families.label.begin(), families.label.end(), k), entries.size(),
                    families.keys[static_cast<std::size_t>(k)]));

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
    if (!group_census.empty()) write_group_census(census, group_census, entries, sweep_points);
  });
  return table;
}

std::string census_group(const std::string& task_name, const ModelSpec* model, int sweep_point,
                         const std::vector<std::pair<std::string, std::string>>& sweep, int sweep_points) {
  if (sweep_point >= 0)
    return fmt::format("{} (sweep point {:0{}}: {})", task_name, sweep_point,
                       std::to_string(std::max(sweep_points - 1, 0)).size(), sweep_label(sweep));
  if (!model) return task_name + " (imported)";
  return fmt::format("{} (dale={}, connectivity={:g}, sigma_rec={:g}, activation={})", task_name, model->dale,
                     model->connectivity, model->sigma_rec, to_string(model->activation));
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
    // Files written before the attractor set have no @attractor_set.
    const std::string set = h5::has_attr(g, "attractor_set")
                                ? fmt::format(" (attractors from many starts: {})", h5::read_string_attr(g, "attractor_set"))
                                : std::string();
    // The task's operating inputs (files from before have no inputs/).
    std::string operating;
    if (h5::exists(g, "inputs")) {
      H5::Group in = g.openGroup("inputs");
      const std::vector<std::string> names = h5::read_strings(in, "names"), sets = h5::read_strings(in, "attractor_set");
      for (std::size_t c = 1; c < names.size() && c < sets.size(); ++c)
        operating += fmt::format("; at {}: {}", names[c], sets[c]);
    }
    // Memory beyond the trained duration (files from before, and autonomous runs, have none).
    std::string memory;
    if (h5::exists(g, "memory")) {
      H5::Group m = g.openGroup("memory");
      const Eigen::VectorXd factor = h5::read_vector(m, "factor"), accuracy = h5::read_vector(m, "accuracy");
      for (Eigen::Index k = 0; k < factor.size() && k < accuracy.size(); ++k)
        memory += fmt::format("{}{:g}x {:.2f}", k ? ", " : fmt::format("; accuracy with the {} stretched: ",
                                                                        h5::read_string_attr(m, "parameter")),
                              factor(k), accuracy(k));
    }
    return fmt::format("dynamics: {}{}{}, Jarne class {}, leading Lyapunov {:.3g}/tau, participation ratio {:.2f}{}",
                       h5::read_string_attr(g, "attractor"), set, operating, h5::read_string_attr(jarne, "label"),
                       h5::read_double_attr(g, "leading_lyapunov_per_tau"),
                       h5::read_double_attr(g, "participation_ratio"), memory);
  } catch (const H5::Exception& e) {
    throw Error(fmt::format("{}: cannot read the dynamics of network {}: {}", path, seed, e.getDetailMsg()));
  }
}

}  // namespace rnnlab
