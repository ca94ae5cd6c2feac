#pragma once
// The analyses of an experiment file, one row each: what `rnnlab analyze`
// offers as flags (and their --help), what `rnnlab run` runs after training,
// and what Python's rnnlab.analyze(path, "spectrum", ...) accepts. Adding an
// analysis to all three is adding a row to analysis_registry()
// (analysis_registry.cpp).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "analysis/census.hpp"
#include "io/analysis_config.hpp"
#include "io/experiment_file.hpp"

namespace rnnlab {

using LineSink = std::function<void(const std::string& line)>;

struct AnalysisOptions {
  // The fixed-point finder's options (each overrides its key of the file's
  // [analysis.fixed_points]); its `task` (run the trials on this task at its
  // defaults, not the file's) serves every analysis that uses a task.
  FixedPointOverrides fixed_points;
  LineSink notes;    // what the user should hear (a network skipped, a deprecated key)
  LineSink details;  // each network's results as they are computed
};

// What one analysis reports when it has run over a file.
struct AnalysisDone {
  std::string text;                   // shown after it ran (the census table of the dynamics); may be empty
  std::optional<CensusTable> census;  // the dynamics' census of the ensemble
};

struct AnalysisInfo {
  std::string name;         // "fixed_points": rnnlab.analyze(path, "fixed_points"), `analyze --fixed-points`
  std::string title;        // "fixed points": `rnnlab run`'s progress line "run: fixed points ..."
  std::string description;  // one line, the --help text
  std::string group;        // where its results go: /networks/<seed>/analysis/<group>/
  bool uses_task = false;   // reads a task (options.fixed_points.task)
  // Computes the analysis for every usable network of the file at `path` and
  // writes it into the file (atomically, through update_experiment).
  std::function<AnalysisDone(const std::string& path, const AnalysisOptions& options)> run;
  // One line for a network once the file holds its result.
  std::function<std::string(const std::string& path, const NetworkRecord& rec)> summary;
  // Checks its options against the file without computing (InputError if
  // bad), so that with several analyses a bad option is refused before any
  // writes. Empty: nothing to check.
  std::function<void(const std::string& path, const AnalysisOptions& options)> check;

  std::string flag() const;  // "--fixed-points"
};

// Every analysis, in the order they run.
const std::vector<AnalysisInfo>& analysis_registry();
// The names, in order: "spectrum", "fixed_points", "dynamics".
std::vector<std::string> analysis_names();
// The analysis called `name` (or its flag, "--fixed-points"); InputError
// naming the allowed names for any other.
const AnalysisInfo& find_analysis(const std::string& name);

// What an analysis of analyze_file reports when it is done.
struct AnalysisReport {
  const AnalysisInfo* analysis = nullptr;
  AnalysisDone done;
  // One line per network of the file, in order: its summary, or "skipped: WHY"
  // for a network without usable weights. Empty when not asked for.
  std::vector<std::pair<std::uint64_t, std::string>> lines;
};

// `rnnlab analyze`: the analyses named (any order; they run in the
// registry's) over every network of the file at `path`, each written into it.
// Everything is checked before the first analysis writes: the names, the
// file (an experiment with networks), each analysis's options. `done` hears
// each analysis as it finishes, with the networks' lines when `summaries`.
void analyze_file(const std::string& path, const std::vector<std::string>& names, const AnalysisOptions& options,
                  const std::function<void(const AnalysisReport&)>& done, bool summaries = true);

}  // namespace rnnlab
