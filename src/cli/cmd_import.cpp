// `rnnlab import SOURCE... -o OUT.h5 [--dt ms] [--tau ms] [--format F] [--task NAME] [--force]`:
// networks trained elsewhere (Keras, PyTorch, plain arrays) become an rnnlab
// experiment file, one network per SOURCE with seeds 0, 1, 2, ... in the
// order given. Every source is read and checked before anything is written.
//
// The file's config attribute records the import as TOML (docs/file-format.md,
// "Imported networks"):
//   [import]  dt, tau, sources (seed k came from sources[k]), formats (the same order)
//   [task]    only with --task: the task with every parameter, what `rnnlab eval` runs
// The [import] section is what marks the file as an import: it is not a
// training config, so `rnnlab analyze` gives it no initialiser theory.
#include <fmt/format.h>

#include <sys/stat.h>

#include <cmath>
#include <filesystem>
#include <optional>

#include "cli/commands.hpp"
#include "cli/text.hpp"
#include "io/experiment_file.hpp"
#include "io/toml_writer.hpp"
#include "pipeline/import_detect.hpp"
#include "pipeline/task_resolution.hpp"
#include "util/error.hpp"

namespace rnnlab::cli {

namespace fs = std::filesystem;

namespace {

struct ImportArgs {
  std::vector<std::string> sources;
  std::string output, format = "auto", task;
  std::vector<std::string> sets;
  double dt = 1.0, tau = 0.0;  // tau 0: not given, take dt (the discrete network)
  bool force = false;
};

// The config attribute: what was imported, and the task when one was given.
std::string import_config(const ImportArgs& args, const std::vector<std::string>& formats, double tau,
                          const std::optional<TaskSpec>& task) {
  std::vector<std::string> sources, kinds;
  for (std::size_t k = 0; k < args.sources.size(); ++k) {
    sources.push_back(toml_string(args.sources[k]));  // as given, like status_reason
    kinds.push_back(toml_string(formats[k]));
  }
  std::string text = "# rnnlab import: networks trained elsewhere (not a training config).\n"
                     "# Network seed k was imported from import.sources[k] as import.formats[k].\n";
  text += task ? "# [task] is the task `rnnlab eval` runs them on (given at import with --task).\n"
               : "# No [task]: `rnnlab eval` needs --task NAME.\n";
  TomlTable record{"import", {}, {}};
  record.set("dt", toml_real(args.dt)).set("tau", toml_real(tau));
  record.set("sources", toml_array(sources)).set("formats", toml_array(kinds));
  std::vector<TomlTable> tables = {record};
  if (task) tables.push_back(task_table(*task));
  return text + "\n" + to_toml(tables);
}

int run_import(const ImportArgs& args) {
  // CLI11's PositiveNumber lets NaN through (NaN <= 0 is false), and NaN
  // would then become alpha; "inf" would make alpha 0.
  if (!std::isfinite(args.dt)) throw InputError(fmt::format("--dt {}: expected a finite number of ms > 0", args.dt));
  if (!std::isfinite(args.tau) || args.tau < 0)
    throw InputError(fmt::format("--tau {}: expected a finite number of ms > 0", args.tau));
  struct stat info {};
  for (const std::string& source : args.sources)
    if (::stat(source.c_str(), &info) == 0 && !S_ISREG(info.st_mode) && !S_ISDIR(info.st_mode))
      throw InputError(fmt::format("'{}' is not a regular file (a pipe or device?); import reads HDF5 files", source));
  const FileLock writer(args.output, "import");
  if (fs::exists(args.output) && !args.force)
    throw InputError(fmt::format("output file '{}' exists; use --force to overwrite it", args.output));
  const double tau = args.tau > 0 ? args.tau : args.dt;
  if (!args.sets.empty() && args.task.empty())
    throw InputError("--set needs --task NAME: it changes that task's parameters");
  // The task is validated first: a typo should not cost reading every source.
  std::optional<TaskSpec> task;
  std::unique_ptr<Task> task_made;
  if (!args.task.empty()) {
    task = resolve_task(task_toml_for_name(args.task), "--task " + args.task, args.sets, args.dt);
    task_made = make_task_for(*task, args.dt);
  }

  Experiment experiment;
  std::vector<std::string> formats;
  for (std::size_t k = 0; k < args.sources.size(); ++k) {
    const std::string& source = args.sources[k];
    const std::string format = args.format == "auto" ? detect_import_format(source) : args.format;
    NetworkRecord rec = import_network(source, format, args.dt, tau);
    rec.seed = k;
    if (task_made && (rec.trained.inputs() != task_made->n_inputs() || rec.trained.outputs() != task_made->n_outputs()))
      throw InputError(fmt::format("{}: the network has {} input(s) and {} output(s) but task {} has {} and {}",
                                   source, rec.trained.inputs(), rec.trained.outputs(), task->name,
                                   task_made->n_inputs(), task_made->n_outputs()));
    formats.push_back(format);
    experiment.networks.push_back(std::move(rec));
  }
  experiment.config = import_config(args, formats, tau, task);
  experiment.rnnlab_version = RNNLAB_VERSION;

  const fs::path parent = fs::path(args.output).parent_path();
  if (!parent.empty()) fs::create_directories(parent);
  write_experiment(args.output, experiment);
  for (const NetworkRecord& rec : experiment.networks)
    if (!quiet()) fmt::print("network {:>4}: {} (N={}, {} input(s), {} output(s), {}, alpha {:g})\n", rec.seed, rec.origin,
               rec.trained.units(), rec.trained.inputs(), rec.trained.outputs(), to_string(rec.trained.activation),
               rec.trained.alpha);
  fmt::print("wrote {} ({} imported network(s){})\n", args.output, experiment.networks.size(),
             task ? ", task " + task->name : ", no task: eval needs --task");
  return 0;
}

}  // namespace

Subcommand add_import(CLI::App& app) {
  auto* sub = app.add_subcommand("import", "Import networks trained elsewhere (Keras, PyTorch, arrays) into a file");
  auto args = std::make_shared<ImportArgs>();
  sub->add_option("source", args->sources, "Keras model .h5/.hdf5 or HDF5 file of arrays; several: seeds 0, 1, ...")
      ->required();
  sub->add_option("-o,--output", args->output, "Output experiment HDF5 file")->required();
  sub->add_option("--dt", args->dt, "ms per step of the imported networks")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  sub->add_option("--tau", args->tau, "time constant in ms, alpha = dt/tau (default: --dt, the discrete network)")
      ->check(CLI::PositiveNumber);
  sub->add_option("--format", args->format,
                  "auto (keras if the file has a model_config attribute, torch if it has weight_hh_l0, else "
                  "arrays), keras, arrays (w_in, w_rec, w_out) or torch (nn.RNN naming)")
      ->check(CLI::IsMember(import_formats()))
      ->capture_default_str();
  sub->add_option("--task", args->task, "Record the task these networks do, for `rnnlab eval`");
  sub->add_option("--set", args->sets, "With --task: change a task parameter, task.key=value (repeatable)");
  sub->add_flag("--force", args->force, "Overwrite an existing output file");
  return {sub, [args] { return run_import(*args); }};
}

}  // namespace rnnlab::cli
