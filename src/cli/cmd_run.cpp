// `rnnlab run [CONFIG] [-o DIR]`: the main job. Trains the ensemble, runs every
// analysis (spectrum, fixed points, dynamics and the census), and writes
// DIR/results.h5 and DIR/summary.txt. Without CONFIG it runs the built-in
// default (examples/simple_dm.toml with 16 seeds): what `make demo` shows.
#include <fmt/format.h>

#include <filesystem>
#include <fstream>

#include "analysis/dynamics_io.hpp"
#include "analysis/fixed_points_io.hpp"
#include "analysis/spectrum_io.hpp"
#include "cli/commands.hpp"
#include "cli/summary_legend.hpp"
#include "cli/text.hpp"
#include "io/experiment_file.hpp"
#include "io/sweep.hpp"
#include "analysis/sweep_factors_io.hpp"
#include "report/report.hpp"
#include "util/error.hpp"
#include "util/text_file.hpp"
#include "util/mpi.hpp"

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
  const std::string results = (fs::path(args.dir) / "results.h5").string();
  const std::string summary_path = (fs::path(args.dir) / "summary.txt").string();
  // Progress goes to stderr: the step being run, and with --verbose each
  // network's analysis lines. The summary at the end (stdout and
  // summary.txt) says every result once.
  // run's own -q/-v, or the global ones (`rnnlab -q run`, cli/text.hpp).
  const bool quiet_run = args.quiet || quiet(), verbose_run = args.verbose || verbosity() == Verbosity::verbose;
  auto say = [&](const std::string& line) {
    if (!quiet_run) fmt::print(stderr, "{}\n", line);
  };
  auto log = [&](const std::string& line) {
    if (verbose_run && !quiet_run) fmt::print(stderr, "{}\n", line);
  };

  TrainOutput out{results, args.threads, false, args.force, quiet_run};
  out.list_networks = false;
  const int trained = train_to_file(config, out);
  if (trained == 0) throw Error("no network trained; nothing to analyse (see the lines above)");
  // Under MPI the ranks share the training; the analyses run on rank 0 alone.
  if (!mpi::is_root()) return 0;

  // Each analysis writes into results.h5 atomically; one that fails is
  // reported and the others still run.
  int failures = 0;
  auto step = [&](const char* name, const std::function<void()>& analysis) {
    say(fmt::format("run: {} ...", name));
    try {
      analysis();
    } catch (const std::exception& e) {
      ++failures;
      fmt::print(stderr, "run: {} failed: {}\n", name, e.what());
    }
  };
  CensusTable census;
  step("spectrum", [&] { analyze_spectrum_file(results, say); });
  step("fixed points", [&] { analyze_fixed_points_file(results, {}, log); });
  step("dynamics and census", [&] {
    DynamicsOptions options;
    options.log = log;
    census = analyze_dynamics_file(results, options);
  });

  // The summary: the census table and a few lines per network.
  std::string text = fmt::format("rnnlab run: {} networks of task {}, results in {}\n", config.networks().size(),
                                 config.task.name, results);
  if (!config.sweep.empty()) {
    text += fmt::format("sweep: {} points x {} seeds (seeds {} to {} at every point)\n", config.sweep.points(),
                        config.ensemble.seeds, config.seeds().front(), config.seeds().back());
    for (int p = 0; p < config.sweep.points(); ++p)
      text += fmt::format("  point {}: {} (networks {} to {})\n", p, config.sweep.label(p), p * config.ensemble.seeds,
                          (p + 1) * config.ensemble.seeds - 1);
  }
  text += "\n" + census.text() + "\n";
  for (const NetworkRecord& rec : read_experiment(results).networks) {
    text += fmt::format("network {:>4}: {} after {} iterations, validation accuracy {:.3f}{}\n", rec.seed, rec.status,
                        rec.iterations, last_or_nan(rec.curves.val_accuracy),
                        rec.sweep_point < 0 ? "" : fmt::format(" [seed {}, {}]", rec.sweep_seed, sweep_label(rec.sweep)));
    if (rec.status == "collapsed") text += fmt::format("    {}\n", rec.status_reason);  // analysed on its best weights
    if (const std::string why = unusable_reason(rec); !why.empty() || rec.status == "diverged") {
      if (!why.empty()) text += fmt::format("    not analysed: {}\n", why);
      continue;
    }
    text += fmt::format("    {}\n    {}\n", spectrum_summary(rec.trained), fixed_point_summary(results, rec.seed));
    // The attractors per input condition and the memory beyond the trained duration.
    text += fmt::format("    {}\n", dynamics_summary(results, rec.seed));
  }
  text += "\n" + run_summary_legend();
  // A sweep as a result: a row per network and each factor's levels tested
  // against its first level, as CSV beside results.h5, in the file and in the summary.
  std::string sweep_files;
  if (!config.sweep.empty()) step("sweep factors", [&] {
    const std::vector<SweepRow> rows = sweep_rows_from_file(results);
    const std::vector<FactorTest> tests = factor_tests(rows);
    write_sweep_factors(results, rows, tests);
    const fs::path networks_csv = fs::path(args.dir) / "sweep_networks.csv", tests_csv = fs::path(args.dir) / "sweep_factors.csv";
    write_text_atomically(networks_csv.string(), sweep_rows_csv(rows));
    write_text_atomically(tests_csv.string(), factor_tests_csv(tests));
    text += "\n" + factor_tests_text(tests);
    sweep_files = fmt::format("      {}\n      {}\n", networks_csv.string(), tests_csv.string());
  });
  write_text_atomically(summary_path, text);
  fmt::print("\n{}\nwrote {}\n      {}\n{}plots: {}\n", text, results, summary_path, sweep_files,
             plot_hint(results, (fs::path(args.dir) / "figures").string()));
  // The page to browse it all (docs/report.md); the results stand without it.
  const std::string report_path = (fs::path(args.dir) / "report.html").string();
  try {
    report::write_report(results, report_path);
    fmt::print("report: {} (open it in a browser)\n", report_path);
  } catch (const Error& e) {
    fmt::print(stderr, "rnnlab run: no report.html: {}\n", e.what());
  }
  return failures == 0 ? 0 : 1;
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
