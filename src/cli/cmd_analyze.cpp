// `rnnlab analyze OUT.h5 --spectrum [...]`: analyses of every network of an
// experiment file, written into the same file under /networks/<seed>/analysis/.
//
// Each analysis is one row of kAnalyses below: its flag, what it does, the
// library function that computes and writes it (atomically, through
// update_experiment), and the line it prints per network afterwards. Adding an
// analysis (e.g. --fixed-points) means adding a row; nothing else here changes.
#include <fmt/format.h>

#include <memory>

#include "analysis/spectrum_io.hpp"
#include "cli/commands.hpp"
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
};

// Runs in this order when several flags are given.
const Analysis kAnalyses[] = {
    {"--spectrum",
     "Eigenvalues of W_rec (initial and trained) and of the linearisation at the origin, random-matrix theory, "
     "weight statistics",
     "spectrum", analyze_spectrum_file, 
     [](const std::string&, const NetworkRecord& rec) { return spectrum_summary(rec.trained); }},
    // {"--fixed-points", "...", "fixed_points", <function in src/analysis/>, <summary>},
};
constexpr std::size_t kCount = sizeof(kAnalyses) / sizeof(kAnalyses[0]);

std::string flag_list() {
  std::string text;
  for (const Analysis& a : kAnalyses) text += fmt::format("\n  {:<16} {}", a.flag, a.description);
  return text;
}

int run_analyze(const std::string& path, const bool* chosen) {
  bool any = false;
  for (std::size_t i = 0; i < kCount; ++i) any = any || chosen[i];
  if (!any) throw InputError("analyze: choose at least one analysis:" + flag_list());
  // Refuses a missing file or one that is not an experiment before any analysis starts.
  const Experiment before = read_experiment(path);
  if (before.networks.empty()) throw InputError(path + ": the file holds no networks to analyse");

  for (std::size_t i = 0; i < kCount; ++i) {
    if (!chosen[i]) continue;
    const Analysis& a = kAnalyses[i];
    a.analyze(path);
    fmt::print("{}: {} done, written under /networks/<seed>/analysis/{}/\n", path, a.flag, a.group);
    for (const NetworkRecord& rec : before.networks)
      fmt::print("network {:>4}: {}\n", rec.seed, a.summary(path, rec));
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
  return {sub, [path, chosen] { return run_analyze(*path, chosen.get()); }};
}

}  // namespace rnnlab::cli
