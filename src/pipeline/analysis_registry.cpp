#include "pipeline/analysis_registry.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "pipeline/dynamics_io.hpp"
#include "pipeline/fixed_points_io.hpp"
#include "pipeline/spectrum_io.hpp"
#include "util/error.hpp"

namespace rnnlab {

std::string AnalysisInfo::flag() const {
  std::string text = "--" + name;
  std::replace(text.begin(), text.end(), '_', '-');
  return text;
}

const std::vector<AnalysisInfo>& analysis_registry() {
  static const std::vector<AnalysisInfo> registry = {
      {"spectrum", "spectrum",
       "Eigenvalues of W_rec (initial and trained) and of the linearisation at the origin, random-matrix theory, "
       "weight statistics",
       "spectrum", false,
       [](const std::string& path, const AnalysisOptions& o) {
         analyze_spectrum_file(path, o.notes);
         return AnalysisDone{};
       },
       [](const std::string&, const NetworkRecord& rec) { return spectrum_summary(rec.trained); },
       {}},
      {"fixed_points", "fixed points",
       "Fixed and slow points from states of the task's trials: linearisation, stability, readout "
       "(options: --starts --trials --noise --input --tolerance --max-iterations --threads --seed --task; "
       "the rest in [analysis.fixed_points])",
       "fixed_points", true,
       [](const std::string& path, const AnalysisOptions& o) {
         analyze_fixed_points_file(path, o.fixed_points, o.details);
         return AnalysisDone{};
       },
       [](const std::string& path, const NetworkRecord& rec) { return fixed_point_summary(path, rec.seed); },
       [](const std::string& path, const AnalysisOptions& o) { check_fixed_point_options(path, o.fixed_points); }},
      {"dynamics", "dynamics and census",
       "Trajectories per condition, PCA and participation ratio, Lyapunov exponents, attractor of the autonomous "
       "run, Jarne's classes, solution signature, at zero input and the task's operating inputs; then the census "
       "of the ensemble (option: --task; a file without a task: autonomous runs from a box of starts; "
       "docs/dynamics.md)",
       "dynamics", true,
       [](const std::string& path, const AnalysisOptions& o) {
         DynamicsOptions options;
         options.task = o.fixed_points.task;  // --task serves both analyses
         options.log = o.details;
         AnalysisDone done;
         done.census = analyze_dynamics_file(path, options);
         done.text = done.census->text();
         return done;
       },
       [](const std::string& path, const NetworkRecord& rec) { return dynamics_summary(path, rec.seed); },
       {}},
  };
  return registry;
}

std::vector<std::string> analysis_names() {
  std::vector<std::string> names;
  for (const AnalysisInfo& a : analysis_registry()) names.push_back(a.name);
  return names;
}

const AnalysisInfo& find_analysis(const std::string& name) {
  for (const AnalysisInfo& a : analysis_registry())
    if (a.name == name || a.flag() == name) return a;
  std::string allowed;
  for (const std::string& n : analysis_names()) allowed += (allowed.empty() ? "" : ", ") + n;
  throw InputError(fmt::format("unknown analysis '{}': must be one of {}", name, allowed));
}

void analyze_file(const std::string& path, const std::vector<std::string>& names, const AnalysisOptions& options,
                  const std::function<void(const AnalysisReport&)>& done, bool summaries) {
  std::vector<bool> chosen(analysis_registry().size(), false);
  for (const std::string& name : names)
    chosen[static_cast<std::size_t>(&find_analysis(name) - analysis_registry().data())] = true;
  if (names.empty())
    throw InputError("analyze: choose at least one analysis: " + fmt::format("{}", fmt::join(analysis_names(), ", ")));
  // Without an analysis that reads it, a task would be silently ignored.
  bool takes_task = false;
  std::vector<std::string> task_flags;
  for (std::size_t i = 0; i < chosen.size(); ++i) {
    const AnalysisInfo& a = analysis_registry()[i];
    if (a.uses_task) task_flags.push_back(a.flag());
    takes_task = takes_task || (chosen[i] && a.uses_task);
  }
  if (!options.fixed_points.task.empty() && !takes_task)
    throw InputError(fmt::format("analyze: --task is an option of {}; add one of them",
                                 fmt::join(task_flags, " and ")));
  // One analyze (or other writer) per file at a time (io/experiment_file.hpp FileLock).
  const FileLock writer(path, "analyze");
  // Refuses a missing file or one that is not an experiment before any analysis starts.
  const Experiment before = read_experiment(path);
  if (before.networks.empty()) throw InputError(path + ": the file holds no networks to analyse");
  // The first chosen analysis checks its own options before it writes; the
  // later ones are checked now, before the first one writes.
  bool first = true;
  for (std::size_t i = 0; i < chosen.size(); ++i) {
    if (!chosen[i]) continue;
    if (!first && analysis_registry()[i].check) analysis_registry()[i].check(path, options);
    first = false;
  }

  for (std::size_t i = 0; i < chosen.size(); ++i) {
    if (!chosen[i]) continue;
    const AnalysisInfo& a = analysis_registry()[i];
    AnalysisReport report;
    report.analysis = &a;
    report.done = a.run(path, options);
    for (const NetworkRecord& rec : before.networks) {
      if (!summaries) break;
      const std::string why = unusable_reason(rec);
      report.lines.emplace_back(rec.seed, why.empty() ? a.summary(path, rec) : "skipped: " + why);
    }
    if (done) done(report);
  }
}

}  // namespace rnnlab
