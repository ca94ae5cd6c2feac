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
#include "analysis/census_schema.hpp"
#include "analysis/dynamics_schema.hpp"
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

// The attractor set: one entry per attractor, and which one each start reached.
StoredAttractorSet stored_attractor_set(const AttractorSet& set, int units) {
  StoredAttractorSet s;
  const Eigen::Index n = static_cast<Eigen::Index>(set.attractors.size());
  s.description = set.describe();
  s.unstable_starts = static_cast<long>(set.unstable_starts);
  s.x.resize(n, units);
  for (Eigen::Index i = 0; i < n; ++i) {
    const FoundAttractor& f = set.attractors[static_cast<std::size_t>(i)];
    const Attractor& a = f.run.attractor;
    s.type.push_back(to_string(a.type));
    s.period_steps.push_back(a.period_steps);
    s.basin.push_back(f.basin);
    s.starts.push_back(f.starts);
    s.first_start.push_back(f.first_start);
    s.leading_exponent.push_back(a.leading_exponent);
    s.marginal.push_back(f.marginal ? 1.0 : 0.0);
    s.amplitude.push_back(a.amplitude);
    s.x.row(i) = a.window.col(a.window.cols() - 1).transpose();
  }
  s.start_attractor.assign(set.start_attractor.begin(), set.start_attractor.end());
  return s;
}

StoredPoints stored_points(const FixedPointResult& r, int units) {
  StoredPoints s;
  s.x.resize(static_cast<Eigen::Index>(r.points.size()), units);
  for (std::size_t i = 0; i < r.points.size(); ++i) {
    s.x.row(static_cast<Eigen::Index>(i)) = r.points[i].x.transpose();
    s.stability.push_back(to_string(r.points[i].stability));
  }
  return s;
}

// The input conditions: row 0 zero input (its points and attractors are the
// network's fixed_points/ and attractors/), then the task's operating inputs,
// each with its own under inputs/<c>/.
StoredInputs stored_inputs(const NetworkRun& run, const Network& net) {
  StoredInputs s;
  s.names = {"zero"};
  s.attractor_set = {run.attractors.describe()};
  s.stable = {static_cast<double>(run.fixed_points.summary.stable)};
  s.saddles = {static_cast<double>(run.fixed_points.summary.saddles)};
  s.input = Eigen::MatrixXd::Zero(1 + static_cast<Eigen::Index>(run.operating.size()), net.inputs());
  for (std::size_t i = 0; i < run.operating.size(); ++i) {
    const InputDynamics& d = run.operating[i];
    s.names.push_back(d.name);
    s.attractor_set.push_back(d.attractors.describe());
    s.stable.push_back(d.fixed_points.summary.stable);
    s.saddles.push_back(d.fixed_points.summary.saddles);
    s.input.row(static_cast<Eigen::Index>(i) + 1) = d.u.transpose();
    s.operating[std::to_string(i + 1)] = {d.name, stored_points(d.fixed_points, net.units()),
                                          stored_attractor_set(d.attractors, net.units())};
  }
  return s;
}

// The fixed-point graph at zero input: one link per saddle or unstable point.
StoredScaffold stored_scaffold(const Scaffold& scaffold) {
  StoredScaffold s;
  s.description = scaffold.describe();
  s.reaches.resize(static_cast<Eigen::Index>(scaffold.links.size()), 2);
  for (std::size_t i = 0; i < scaffold.links.size(); ++i) {
    const ScaffoldLink& l = scaffold.links[i];
    s.point.push_back(l.point);
    s.link.push_back(l.describe());
    s.reaches.row(static_cast<Eigen::Index>(i)) << l.reaches[0], l.reaches[1];
  }
  return s;
}

// One network's analysis as its declaration (dynamics_schema.hpp) stores it.
DynamicsRecord dynamics_record(const NetworkRun& run, const DynamicsOptions& o, const std::string& task) {
  const Network& net = run.record->trained;
  DynamicsRecord r;
  r.settings = o;
  r.task = task;
  r.condition = run.condition;
  r.delay_window_from = run.window_from;
  r.delay_window_to = run.window_to;
  r.attractor = to_string(run.signature.attractor);
  r.leading_lyapunov_per_tau = run.signature.leading_lyapunov;
  r.participation_ratio = run.pca.participation_ratio;
  r.alpha = net.alpha;
  r.dt_ms = net.dt;
  r.attractor_set = run.signature.attractor_set;
  r.family_key = signature_key(run.signature);
  // Stability of the rest state in the step map's coordinates, W_rec's raw spectrum beside it.
  const OriginSpectrum origin = origin_spectrum(net);
  r.origin_leading_re = origin.leading.real();
  r.origin_leading_im = origin.leading.imag();
  r.origin_continuous_re = origin.continuous.real();
  r.origin_continuous_im = origin.continuous.imag();
  r.origin_unstable_modes = static_cast<long>(origin.unstable_modes);
  r.w_rec_leading_re = origin.w_rec_leading.real();
  r.w_rec_leading_im = origin.w_rec_leading.imag();
  r.w_rec_outside_unit_circle = static_cast<long>(origin.w_rec_outside_unit_circle);

  const int k = std::min<int>(o.pcs, net.units());
  r.pca = {run.pca.variances, run.pca.explained_ratio, run.pca.mean, run.pca.components.leftCols(k)};

  StoredJarne& j = r.jarne;
  j.label = to_string(run.jarne.label);
  j.spectral_label = to_string(run.jarne.spectral.label);
  j.activity_label = to_string(run.jarne.activity);
  j.oscillation_index = run.jarne.spectral.oscillation_index;
  j.unstable_modes = static_cast<long>(run.jarne.spectral.unstable_modes);
  for (const JarneActivity& a : run.jarne.conditions) {
    j.condition_labels.push_back(to_string(a.label));
    j.peak_to_median.push_back(a.peak_to_median);
    j.peak_cycles.push_back(a.peak_cycles);
    j.time_correlation.push_back(a.time_correlation);
  }

  for (std::size_t i = 0; i < run.conditions.size(); ++i) {
    const ConditionDynamics& c = run.conditions[i];
    StoredCondition& s = r.conditions[std::to_string(i)];
    s.value = c.value;
    s.trials = static_cast<long>(c.trials.size());
    s.attractor = to_string(c.attractor.type);
    s.fixed_point = c.attractor.fixed_point;
    s.fixed_point_distance = c.attractor.fixed_point_distance;
    s.period_steps = c.attractor.period_steps;
    s.period_ms = c.attractor.period_ms;
    s.amplitude = c.attractor.amplitude;
    s.extent = c.attractor.extent;
    s.returns = static_cast<long>(c.attractor.returns);
    s.return_miss = c.attractor.return_miss;
    s.leading_exponent_first = c.attractor.leading_exponent_first;
    s.leading_exponent_second = c.attractor.leading_exponent_second;
    s.mean_states = c.mean_states.transpose();  // T x N
    s.mean_states_pcs = project(run.pca, c.mean_states, k).transpose();
    s.autonomous = c.attractor.window.transpose();  // window x N
    s.autonomous_pcs = project(run.pca, c.attractor.window, k).transpose();
    s.lyapunov_per_step = c.lyapunov.per_step;
    s.lyapunov_per_tau = c.lyapunov.per_tau;
  }

  r.fixed_points_from = run.fixed_points_from;
  r.fixed_points = stored_points(run.fixed_points, net.units());
  r.attractors = stored_attractor_set(run.attractors, net.units());
  r.inputs = stored_inputs(run, net);
  r.scaffold = stored_scaffold(run.scaffold);
  if (!run.memory.empty()) {
    StoredMemory& m = r.memory.emplace();
    m.parameter = run.memory.front().parameter;
    m.trials = o.memory_trials;
    for (const HeldMemory& h : run.memory) m.factor.push_back(h.factor), m.accuracy.push_back(h.accuracy);
  }
  r.signature = signature_features(run.signature);
  r.signature_names = signature_feature_names();
  return r;
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

// Families as stored; `seeds` names the networks `families` numbers.
StoredFamilies stored_families(const Families& families, const std::vector<double>& seeds) {
  StoredFamilies f;
  f.k = families.k;
  f.silhouette = families.silhouette;
  f.label.assign(families.label.begin(), families.label.end());
  for (int r : families.representative) f.representative_seeds.push_back(seeds[static_cast<std::size_t>(r)]);
  f.keys = families.keys;
  return f;
}

CensusRecord census_record(const std::vector<CensusEntry>& entries, const CensusTable& table,
                           const Families& families, const Similarity& sim, const SpectralDynamics& sd,
                           const Eigen::MatrixXd& features, const DynamicsOptions& o,
                           const std::vector<GroupCensus>& groups, const std::vector<int>& sweep_points) {
  CensusRecord c;
  std::vector<std::string>& attractor_set = c.network_attractor_set.emplace();
  for (const CensusEntry& e : entries) {
    c.seeds.push_back(static_cast<double>(e.seed));
    c.network_group.push_back(e.group);
    c.network_jarne.push_back(to_string(e.jarne));
    c.network_attractor.push_back(to_string(e.signature.attractor));
    attractor_set.push_back(e.signature.attractor_set);
  }
  c.groups = table.groups;
  for (AttractorType t : attractor_types()) c.attractor_types.push_back(to_string(t));
  for (JarneClass j : jarne_classes()) c.jarne_classes.push_back(to_string(j));
  c.attractor_counts = table.attractor_counts.cast<double>();
  c.jarne_counts = table.jarne_counts.cast<double>();
  c.table = table.text();
  if (!table.families.empty()) {
    // A sweep: rows are the points, then "all networks"; families counted within each row.
    c.group_families = std::vector<double>(table.families.begin(), table.families.end());
    c.group_silhouettes = table.silhouettes;
  }
  c.networks = static_cast<long>(entries.size());

  c.families = stored_families(families, c.seeds);
  c.families.max_k = o.cluster.max_k;
  c.families.min_silhouette = o.cluster.min_silhouette;
  c.families.features = features;
  c.families.feature_names = signature_feature_names();

  const FamilySimilarity by_family = similarity_by_family(sim, families.label);
  StoredSimilarity& s = c.similarity;
  s.pcs = o.pcs;
  s.cca_within_families = by_family.cca_within;
  s.cca_between_families = by_family.cca_between;
  s.procrustes_within_families = by_family.procrustes_within;
  s.procrustes_between_families = by_family.procrustes_between;
  s.pairs_within_families = by_family.pairs_within;
  s.pairs_between_families = by_family.pairs_between;
  s.cca = sim.cca;
  s.procrustes = sim.procrustes;

  c.spectral_dynamics = {sd.features, sd.classes, sd.correlation, sd.class_mean};

  for (std::size_t i = 0; i < groups.size(); ++i) {
    const GroupCensus& gc = groups[i];
    StoredGroupCensus& g = c.by_group[std::to_string(i)];
    g.group = gc.name;
    g.sweep_point = sweep_points[gc.members.front()];
    g.networks = static_cast<long>(gc.members.size());
    for (std::size_t m : gc.members) g.seeds.push_back(static_cast<double>(entries[m].seed));
    g.families = stored_families(gc.families, g.seeds);
    g.similarity.cca = gc.similarity.cca;
    g.similarity.procrustes = gc.similarity.procrustes;
  }
  return c;
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
      write_result(g, dynamics_schema().schema(), dynamics_schema().write(dynamics_record(run, o, task_name)));
    }
    H5::Group root = file.openGroup("/");
    H5::Group analysis = h5::require_group(root, "analysis");
    unlink_if_present(analysis, "census");
    H5::Group census = h5::require_group(analysis, "census");
    write_result(census, census_schema().schema(),
                 census_schema().write(census_record(entries, table, families, similarity, sd, features, o,
                                                     group_census, sweep_points)));
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
  DynamicsRecord r;
  try {
    H5::H5File file(path, H5F_ACC_RDONLY);
    H5::Group root = file.openGroup("/");
    const std::string name = fmt::format("networks/{}/analysis/dynamics", seed);
    if (!h5::exists(root, name)) return "dynamics: not analysed (non-finite weights?)";
    r = dynamics_schema().read(read_result(root.openGroup(name), dynamics_schema().schema()));
  } catch (const H5::Exception& e) {
    throw Error(fmt::format("{}: cannot read the dynamics of network {}: {}", path, seed, e.getDetailMsg()));
  }
  // Files written before the attractor set, the input conditions and the
  // memory test have none of them.
  const std::string set = r.attractor_set ? fmt::format(" (attractors from many starts: {})", *r.attractor_set) : "";
  std::string operating;
  if (r.inputs)
    for (std::size_t c = 1; c < r.inputs->names.size() && c < r.inputs->attractor_set.size(); ++c)
      operating += fmt::format("; at {}: {}", r.inputs->names[c], r.inputs->attractor_set[c]);
  std::string memory;
  if (r.memory)
    for (std::size_t k = 0; k < r.memory->factor.size() && k < r.memory->accuracy.size(); ++k)
      memory += fmt::format("{}{:g}x {:.2f}",
                            k ? ", " : fmt::format("; accuracy with the {} stretched: ", r.memory->parameter),
                            r.memory->factor[k], r.memory->accuracy[k]);
  return fmt::format("dynamics: {}{}{}, Jarne class {}, leading Lyapunov {:.3g}/tau, participation ratio {:.2f}{}",
                     r.attractor, set, operating, r.jarne.label, r.leading_lyapunov_per_tau, r.participation_ratio,
                     memory);
}

}  // namespace rnnlab
