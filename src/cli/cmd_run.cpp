// `rnnlab run [CONFIG] [-o DIR]`: the main job (pipeline/run.hpp). Trains the
// ensemble, runs every analysis of the registry (spectrum, fixed points,
// dynamics and the census), and writes DIR/results.h5, DIR/summary.txt and
// DIR/report.html. Without CONFIG it runs the built-in default
// (examples/simple_dm.toml with 16 seeds): what `make demo` shows.
#include <fmt/format.h>

#include <filesystem>

#include "cli/commands.hpp"
#include "cli/text.hpp"
#include "io/config.hpp"
#include "pipeline/run.hpp"

namespace rnnlab::cli {

extern const char* const kDefaultRunConfig;

namespace {

namespace fs = std::filesystem;

constexpr int kDefaultSeeds = 16;

struct RunArgs {
  std::string config_path, dir = "out/run";
  int seeds = 0, threads = 0;
  std::vector<std::string> sets;
  bool force = false, quiet = false, verbose = false;
};

// How to run the plotting module from anywhere: the Python package is built
// beside the binary (build/python), so the hint names that folder, not a
// path relative to the repository root.
std::string plot_hint(const std::string& results, const std::string& figures) {
  std::error_code ec;
  const fs::path python = fs::canonical("/proc/self/exe", ec).parent_path() / "python";
  const std::string pythonpath = !ec && fs::exists(python / "rnnlab") ? python.string() : "build/python";
  return fmt::format("PYTHONPATH={} /usr/bin/python3 -m rnnlab.plot {} -o {}", pythonpath, results, figures);
}

ExperimentConfig run_config(const RunArgs& args) {
  std::vector<std::string> overrides = args.sets;
  if (args.config_path.empty()) {
    overrides.insert(overrides.begin(), fmt::format("ensemble.seeds={}", args.seeds > 0 ? args.seeds : kDefaultSeeds));
    return parse_config(kDefaultRunConfig, "the built-in default (examples/simple_dm.toml)", overrides);
  }
  if (args.seeds > 0) overrides.push_back(fmt::format("ensemble.seeds={}", args.seeds));
  return load_config(args.config_path, overrides);
}

int run_main_job(const RunArgs& args) {
  const ExperimentConfig config = run_config(args);  // refuses a bad config before any work
  // Progress goes to stderr: the step being run, and with --verbose each
  // network's analysis lines. The summary at the end (stdout and
  // summary.txt) says every result once.
  // run's own -q/-v, or the global ones (`rnnlab -q run`, cli/text.hpp).
  const bool quiet_run = args.quiet || quiet(), verbose_run = args.verbose || verbosity() == Verbosity::verbose;
  RunOptions options;
  options.dir = args.dir;
  options.threads = args.threads;
  options.force = args.force;
  options.quiet = quiet_run;
  options.say = [&](const std::string& line) {
    if (!quiet_run) fmt::print(stderr, "{}\n", line);
  };
  options.log = [&](const std::string& line) {
    if (verbose_run && !quiet_run) fmt::print(stderr, "{}\n", line);
  };
  options.failed = [](const std::string& line) { fmt::print(stderr, "{}\n", line); };
  const RunResult result = run_experiment(config, options);
  if (!result.analysed) return 0;  // an MPI rank other than 0: it trained its share

  std::string sweep_files;
  for (const std::string& file : result.sweep_files) sweep_files += fmt::format("      {}\n", file);
  fmt::print("\n{}\nwrote {}\n      {}\n{}plots: {}\n", result.summary, result.results, result.summary_path,
             sweep_files, plot_hint(result.results, (fs::path(args.dir) / "figures").string()));
  if (result.report_error.empty())
    fmt::print("report: {} (open it in a browser)\n", result.report_path);
  else
    fmt::print(stderr, "rnnlab run: no report.html: {}\n", result.report_error);
  return result.failures.empty() ? 0 : 1;
}

}  // namespace

Subcommand add_run(CLI::App& app) {
  auto* sub = app.add_subcommand(
      "run", "The main job: train an ensemble, run every analysis and the census, write DIR/results.h5 and a summary");
  auto args = std::make_shared<RunArgs>();
  sub->add_option("config", args->config_path,
                  fmt::format("TOML config (default: the built-in simple decision, {} seeds)", kDefaultSeeds));
  sub->add_option("-o,--output", args->dir, "Output folder (default out/run)");
  sub->add_option("--seeds", args->seeds, "Number of networks (per sweep point)")->check(CLI::PositiveNumber);
  sub->add_option("--threads", args->threads,
                  "Worker threads for training (default: $SLURM_CPUS_PER_TASK, else ensemble.threads, else one per core)")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--set", args->sets, "Override a config value: section.key=value (repeatable)");
  sub->add_flag("--force", args->force, "Overwrite an existing DIR/results.h5");
  sub->add_flag("-q,--quiet", args->quiet, "No progress lines (the summary is still printed)");
  sub->add_flag("-v,--verbose", args->verbose, "Each network's analysis results as they are computed");
  return {sub, [args] { return run_main_job(*args); }};
}

}  // namespace rnnlab::cli
