#pragma once
// The main job, `rnnlab run` and Python's rnnlab.run: train the ensemble of a
// config into DIR/results.h5, run every analysis of the registry
// (analysis_registry.hpp) on it, write the census and a few lines per network
// as DIR/summary.txt, a swept job's factor tables as CSV beside it, and
// DIR/report.html to browse it all.
#include <string>
#include <utility>
#include <vector>

#include "io/config.hpp"
#include "pipeline/analysis_registry.hpp"

namespace rnnlab {

struct RunOptions {
  std::string dir = "out/run";  // the output folder
  int threads = 0;              // training threads (train_to_file.hpp)
  bool force = false;           // overwrite an existing DIR/results.h5
  bool quiet = false;           // no training progress line
  LineSink say;                 // progress: the step being run, notes (a network skipped)
  LineSink log;                 // each network's analysis lines as they are computed
  LineSink failed;              // a step that failed ("run: fixed points failed: ..."); the others still run
};

struct RunResult {
  bool analysed = false;  // false on MPI ranks other than 0: they share the training, rank 0 does the rest
  std::string results;    // DIR/results.h5
  std::string summary_path;  // DIR/summary.txt
  std::string summary;       // its text
  std::vector<std::string> sweep_files;  // DIR/sweep_networks.csv and DIR/sweep_factors.csv, for a sweep
  std::string report_path;   // DIR/report.html
  std::string report_error;  // why there is no report.html ("" when written)
  std::vector<std::pair<std::string, std::string>> failures;  // (step, message) of each step that failed
};

// Runs the job of `config`. Throws InputError for a bad config or output
// before any work, Error when no network trained; a failing analysis is
// recorded in `failures` (and told to options.failed) and the rest goes on.
RunResult run_experiment(const ExperimentConfig& config, const RunOptions& options);

// The text of summary.txt: the job, the census table, a few lines per
// network (training, then each analysis's summary line), the legend.
std::string run_summary(const ExperimentConfig& config, const std::string& results, const CensusTable& census);

}  // namespace rnnlab
