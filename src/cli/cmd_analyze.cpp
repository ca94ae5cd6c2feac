// `rnnlab analyze OUT.h5 --spectrum [...]`: analyses of every network of an
// experiment file, written into the same file under /networks/<seed>/analysis/.
//
// The analyses, their flags and help texts come from the registry
// (pipeline/analysis_registry.hpp): a row added there is a flag here, a step
// of `rnnlab run` and a name for Python's rnnlab.analyze. This file only
// parses the flags and the --fixed-points options, and prints.
#include <fmt/format.h>

#include <memory>
#include <optional>

#include "cli/commands.hpp"
#include "cli/text.hpp"
#include "pipeline/analysis_registry.hpp"
#include "util/error.hpp"

namespace rnnlab::cli {

namespace {

std::string flag_list() {
  std::string text;
  for (const AnalysisInfo& a : analysis_registry()) text += fmt::format("\n  {:<16} {}", a.flag(), a.description);
  return text;
}

struct AnalyzeArgs {
  std::string path;
  std::vector<char> chosen = std::vector<char>(analysis_registry().size(), 0);  // per registry row
  AnalysisOptions options;
};

int run_analyze(const AnalyzeArgs& args) {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < args.chosen.size(); ++i)
    if (args.chosen[i]) names.push_back(analysis_registry()[i].name);
  if (names.empty()) throw InputError("analyze: choose at least one analysis:" + flag_list());
  AnalysisOptions options = args.options;
  options.notes = progress;
  options.details = progress;
  analyze_file(
      args.path, names, options,
      [&](const AnalysisReport& report) {
        if (!quiet()) fmt::print("{}", report.done.text);
        fmt::print("{}: {} done, written under /networks/<seed>/analysis/{}/\n", args.path, report.analysis->flag(),
                   report.analysis->group);
        for (const auto& [seed, line] : report.lines) fmt::print("network {:>4}: {}\n", seed, line);
      },
      !quiet());
  return 0;
}

}  // namespace

Subcommand add_analyze(CLI::App& app) {
  auto* sub = app.add_subcommand("analyze", "Analyse every network of an experiment file; results go into the file");
  auto args = std::make_shared<AnalyzeArgs>();
  sub->add_option("file", args->path, "Experiment HDF5 file (trained or imported)")->required();
  const std::vector<AnalysisInfo>& registry = analysis_registry();
  for (std::size_t i = 0; i < registry.size(); ++i)
    sub->add_flag_function(registry[i].flag(), [args, i](std::int64_t) { args->chosen[i] = 1; },
                           registry[i].description);
  // --fixed-points options: each overrides its key of [analysis.fixed_points]
  // (checked there: exit 2 if bad). Without the flag they would be silently
  // ignored, so they need it.
  FixedPointOverrides& fp = args->options.fixed_points;
  CLI::Option* fp_flag = sub->get_option(find_analysis("fixed_points").flag());
  auto fp_int = [&](const char* name, std::optional<int>& field, const char* what) {
    sub->add_option_function<int>(name, [&field](const int& v) { field = v; }, what)->needs(fp_flag);
  };
  auto fp_real = [&](const char* name, std::optional<double>& field, const char* what) {
    sub->add_option_function<double>(name, [&field](const double& v) { field = v; }, what)->needs(fp_flag);
  };
  fp_int("--starts", fp.starts, "Fixed points: starting states (default 1024)");
  fp_int("--trials", fp.trials, "Fixed points: task trials the starts are drawn from (64)");
  fp_real("--noise", fp.noise, "Fixed points: std of the noise added to each start (0)");
  fp_real("--tolerance", fp.tolerance, "Fixed points: q at or below is a fixed point (1e-12)");
  fp_int("--max-iterations", fp.max_iterations, "Fixed points: N x N factorisations per start (200)");
  fp_int("--threads", fp.threads, "Fixed points: worker threads, 0 = all (0)");
  sub->add_option_function<std::string>(
         "--input", [&fp](const std::string& v) { fp.input = v; },
         "Fixed points: the constant input: zero, mean, CONDITION=VALUE or v1,v2,... (zero)")
      ->needs(fp_flag);
  sub->add_option_function<std::uint64_t>(
         "--seed", [&fp](const std::uint64_t& v) { fp.seed = v; }, "Fixed points: seed of the trials and starts (1)")
      ->needs(fp_flag);
  sub->add_option("--task", fp.task,
                  "Fixed points and dynamics: run this task at its defaults (default: the file's task; without one "
                  "the fixed-point starts fill a box and the dynamics are autonomous)");
  // A flag that is not an analysis: CLI11 says it was not expected, and main adds the analyses there are.
  return {sub, [args] { return run_analyze(*args); }, "analyze: the analyses:" + flag_list()};
}

}  // namespace rnnlab::cli
