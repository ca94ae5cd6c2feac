// `rnnlab analyze OUT.h5 --spectrum [...]`: analyses of every network of an
// experiment file, written into the same file under /networks/<seed>/analysis/.
//
// Each analysis is one row of kAnalyses below: its flag, what it does, the
// library function that computes and writes it (atomically, through
// update_experiment), and the line it prints per network afterwards. Adding an
// analysis (e.g. --fixed-points) means adding a row; nothing else here changes.
#include <fmt/format.h>

#include <memory>
#include <optional>

#include "analysis/dynamics_io.hpp"
#include "analysis/fixed_points_io.hpp"
#include "analysis/spectrum_io.hpp"
#include "cli/commands.hpp"
#include "cli/text.hpp"
#include "io/experiment_file.hpp"
#include "util/error.hpp"

namespace rnnlab::cli {

namespace {

struct Analysis {
  const char* flag;         // "--spectrum"
  const char* description;  // --help text
  const char* group;        // where its results go under /networks/<seed>/analysis/
  // Computes the analysis for every network of the file and writes it into the file.
  void (*analyze)(const std::string& path);
  // The line printed per network once the file at `path` holds the result
  // (it may read the stored result back, or recompute something quick).
  std::string (*summary)(const std::string& path, const NetworkRecord& rec);
  // Checks the analysis's options against the file without computing
  // (InputError if bad), so that with several flags a bad option is refused
  // before any analysis writes. nullptr: nothing to check.
  void (*check)(const std::string& path) = nullptr;
  bool uses_task = false;  // reads --task NAME
};

// The --fixed-points options (set while parsing, read when the row runs; the
// row's function takes only the path).
FixedPointOverrides& fixed_point_options() {
  static FixedPointOverrides options;
  return options;
}

// Runs in this order when several flags are given.
const Analysis kAnalyses[] = {
    {"--spectrum",
     "Eigenvalues of W_rec (initial and trained) and of the linearisation at the origin, random-matrix theory, "
     "weight statistics",
     "spectrum",
     [](const std::string& path) {
       analyze_spectrum_file(path, progress);
     },
     [](const std::string&, const NetworkRecord& rec) { return spectrum_summary(rec.trained); }},
    {"--fixed-points",
     "Fixed and slow points from states of the task's trials: linearisation, stability, readout "
     "(options: --starts --trials --noise --input --tolerance --max-iterations --threads --seed --task; "
     "the rest in [analysis.fixed_points])",
     "fixed_points",
     [](const std::string& path) {
       analyze_fixed_points_file(path, fixed_point_options(),
                                 progress);
     },
     [](const std::string& path, const NetworkRecord& rec) { return fixed_point_summary(path, rec.seed); },
     [](const std::string& path) { check_fixed_point_options(path, fixed_point_options()); }, true},
    {"--dynamics",
     "Trajectories per condition, PCA and participation ratio, Lyapunov exponents, attractor of the autonomous run, "
     "Jarne's classes, solution signature, at zero input and the task's operating inputs; then the census of the "
     "ensemble (option: --task; a file without a task: autonomous runs from a box of starts; docs/dynamics.md)",
     "dynamics",
     [](const std::string& path) {
       DynamicsOptions options;
       options.task = fixed_point_options().task;  // --task serves both analyses
       options.log = progress;
       const CensusTable census = analyze_dynamics_file(path, options);
       if (!quiet()) fmt::print("{}", census.text());
     },
     [](const std::string& path, const NetworkRecord& rec) { return dynamics_summary(path, rec.seed); }, nullptr,
     true},
};
constexpr std::size_t kCount = sizeof(kAnalyses) / sizeof(kAnalyses[0]);

std::string flag_list() {
  std::string text;
  for (const Analysis& a : kAnalyses) text += fmt::format("\n  {:<16} {}", a.flag, a.description);
  return text;
}

int run_analyze(const std::string& path, const bool* chosen) {
  bool any = false, takes_task = false;
  for (std::size_t i = 0; i < kCount; ++i) {
    any = any || chosen[i];
    takes_task = takes_task || (chosen[i] && kAnalyses[i].uses_task);
  }
  if (!any) throw InputError("analyze: choose at least one analysis:" + flag_list());
  // Without either analysis --task would be silently ignored.
  if (!fixed_point_options().task.empty() && !takes_task)
    throw InputError("analyze: --task is an option of --fixed-points and --dynamics; add one of them");
  // One analyze (or other writer) per file at a time (io/experiment_file.hpp FileLock).
  const FileLock writer(path, "analyze");
  // Refuses a missing file or one that is not an experiment before any analysis starts.
  const Experiment before = read_experiment(path);
  if (before.networks.empty()) throw InputError(path + ": the file holds no networks to analyse");
  // The first chosen analysis checks its own options before it writes; the
  // later ones are checked now, before the first one writes.
  bool first = true;
  for (std::size_t i = 0; i < kCount; ++i) {
    if (!chosen[i]) continue;
    if (!first && kAnalyses[i].check) kAnalyses[i].check(path);
    first = false;
  }

  for (std::size_t i = 0; i < kCount; ++i) {
    if (!chosen[i]) continue;
    const Analysis& a = kAnalyses[i];
    a.analyze(path);
    fmt::print("{}: {} done, written under /networks/<seed>/analysis/{}/\n", path, a.flag, a.group);
    for (const NetworkRecord& rec : before.networks) {
      if (quiet()) break;
      const std::string why = unusable_reason(rec);
      fmt::print("network {:>4}: {}\n", rec.seed, why.empty() ? a.summary(path, rec) : "skipped: " + why);
    }
  }
  return 0;
}

}  // namespace

Subcommand add_analyze(CLI::App& app) {
  auto* sub = app.add_subcommand("analyze", "Analyse every network of an experiment file; results go into the file");
  auto path = std::make_shared<std::string>();
  auto chosen = std::make_shared<bool[]>(kCount);
  sub->add_option("file", *path, "Experiment HDF5 file (trained or imported)")->required();
  for (std::size_t i = 0; i < kCount; ++i) sub->add_flag(kAnalyses[i].flag, chosen[i], kAnalyses[i].description);
  // --fixed-points options: each overrides its key of [analysis.fixed_points]
  // (checked there: exit 2 if bad). Without the flag they would be silently
  // ignored, so they need it.
  FixedPointOverrides& fp = fixed_point_options();
  CLI::Option* fp_flag = sub->get_option("--fixed-points");
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
  return {sub, [path, chosen] { return run_analyze(*path, chosen.get()); }};
}

}  // namespace rnnlab::cli
