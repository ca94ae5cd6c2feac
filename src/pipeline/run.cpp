#include "pipeline/run.hpp"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>

#include "pipeline/sweep_factors_io.hpp"
#include "io/experiment_file.hpp"
#include "io/sweep.hpp"
#include "pipeline/summary_legend.hpp"
#include "pipeline/train_to_file.hpp"
#include "report/report.hpp"
#include "util/error.hpp"
#include "util/mpi.hpp"
#include "util/text_file.hpp"

namespace rnnlab {

namespace fs = std::filesystem;

std::string run_summary(const ExperimentConfig& config, const std::string& results, const CensusTable& census) {
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
    const double accuracy = rec.curves.val_accuracy.empty() ? NAN : rec.curves.val_accuracy.back();
    text += fmt::format("network {:>4}: {} after {} iterations, validation accuracy {:.3f}{}\n", rec.seed, rec.status,
                        rec.iterations, accuracy,
                        rec.sweep_point < 0 ? "" : fmt::format(" [seed {}, {}]", rec.sweep_seed, sweep_label(rec.sweep)));
    if (rec.status == "collapsed") text += fmt::format("    {}\n", rec.status_reason);  // analysed on its best weights
    if (const std::string why = unusable_reason(rec); !why.empty() || rec.status == "diverged") {
      if (!why.empty()) text += fmt::format("    not analysed: {}\n", why);
      continue;
    }
    // A line per analysis: the spectrum, the fixed points, the attractors per
    // input condition and the memory beyond the trained duration.
    for (const AnalysisInfo& a : analysis_registry()) text += fmt::format("    {}\n", a.summary(results, rec));
  }
  return text + "\n" + run_summary_legend();
}

RunResult run_experiment(const ExperimentConfig& config, const RunOptions& options) {
  const fs::path dir(options.dir);
  RunResult result;
  result.results = (dir / "results.h5").string();
  result.summary_path = (dir / "summary.txt").string();
  auto say = [&](const std::string& line) {
    if (options.say) options.say(line);
  };

  TrainToFile out;
  out.path = result.results;
  out.threads = options.threads;
  out.force = options.force;
  out.quiet = options.quiet;
  out.note = say;
  if (train_to_file(config, out).trained == 0)
    throw Error("no network trained; nothing to analyse (see the lines above)");
  // Under MPI the ranks share the training; the analyses run on rank 0 alone.
  if (!mpi::is_root()) return result;
  result.analysed = true;

  // Each analysis writes into results.h5 atomically; one that fails is
  // reported and the others still run.
  auto step = [&](const std::string& name, const std::function<void()>& work) {
    say(fmt::format("run: {} ...", name));
    try {
      work();
    } catch (const std::exception& e) {
      result.failures.emplace_back(name, e.what());
      if (options.failed) options.failed(fmt::format("run: {} failed: {}", name, e.what()));
    }
  };
  AnalysisOptions analysis;
  analysis.notes = say;
  analysis.details = options.log;
  CensusTable census;
  for (const AnalysisInfo& a : analysis_registry())
    step(a.title, [&] {
      AnalysisDone done = a.run(result.results, analysis);
      if (done.census) census = std::move(*done.census);
    });

  std::string text = run_summary(config, result.results, census);
  // A sweep as a result: a row per network and each factor's levels tested
  // against its first level, as CSV beside results.h5, in the file and in the summary.
  if (!config.sweep.empty()) step("sweep factors", [&] {
    const std::vector<SweepRow> rows = sweep_rows_from_file(result.results);
    const std::vector<FactorTest> tests = factor_tests(rows);
    write_sweep_factors(result.results, rows, tests);
    const std::string networks_csv = (dir / "sweep_networks.csv").string(), tests_csv = (dir / "sweep_factors.csv").string();
    write_text_atomically(networks_csv, sweep_rows_csv(rows));
    write_text_atomically(tests_csv, factor_tests_csv(tests));
    text += "\n" + factor_tests_text(tests);
    result.sweep_files = {networks_csv, tests_csv};
  });
  write_text_atomically(result.summary_path, text);
  result.summary = std::move(text);
  // The page to browse it all (docs/report.md); the results stand without it.
  result.report_path = (dir / "report.html").string();
  try {
    report::write_report(result.results, result.report_path);
  } catch (const Error& e) {
    result.report_error = e.what();
  }
  return result;
}

}  // namespace rnnlab
