// `rnnlab train CONFIG -o OUT.h5`: train an ensemble and write the experiment file.
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <optional>

#include "cli/commands.hpp"
#include "cli/text.hpp"
#include "io/config.hpp"
#include "io/experiment_file.hpp"
#include "io/resources.hpp"
#include "io/sweep.hpp"
#include "train/checkpoint.hpp"
#include "train/ensemble.hpp"
#include "train/ensemble_file.hpp"
#include "train/progress.hpp"
#include "train/warm_start.hpp"
#include "util/error.hpp"
#include "util/mpi.hpp"

namespace rnnlab::cli {

namespace fs = std::filesystem;

namespace {

// SLURM's CPUs per task (--cpus-per-task), the default number of threads of
// a rank in a SLURM job; 0 outside one.
int slurm_cpus_per_task() {
  const char* value = std::getenv("SLURM_CPUS_PER_TASK");
  if (!value) return 0;
  const int cpus = std::atoi(value);
  return cpus > 0 ? cpus : 0;
}

// Above this, the estimated memory or file size is said before training starts.
constexpr double kLargeJobBytes = 1e9;

struct TrainArgs {
  std::string config_path, output;
  int seeds = 0, threads = 0;
  std::vector<std::string> sets;
  bool resume = false, force = false, quiet = false;
};

int run_train(const TrainArgs& args) {
  std::vector<std::string> overrides = args.sets;
  // --seeds is recorded in the config as run, so the file says what was trained.
  if (args.seeds > 0) overrides.push_back(fmt::format("ensemble.seeds={}", args.seeds));
  const ExperimentConfig config = load_config(args.config_path, overrides);
  const std::string output = !args.output.empty() ? args.output : config.output.path;
  if (output.empty()) throw InputError("no output file: give -o OUT.h5 (or set output.path in the config)");
  check_init_from(config);  // before the output or its checkpoint folder is touched
  const int trained = train_to_file(config, {output, args.threads, args.resume, args.force, args.quiet || quiet()});
  if (trained == 0 && mpi::is_root())
    fmt::print(stderr, "rnnlab: failed: no network of {} trained (each one's status and reason are above)\n", output);
  return trained > 0 ? 0 : 1;
}

// `--resume` of a job that has finished: its checkpoints were removed when
// its file was complete. A requeued cluster job (SLURM's --requeue) reruns
// the same command, so this is no error: it says so and returns the
// job's count of trained networks (exit 0 when any trained) without touching
// the file. A file of another config, or one with networks missing, cannot
// be what this command resumes: refused.
int finished_job(const ExperimentConfig& config, const std::string& output) {
  const Experiment done = read_experiment(output);
  if (done.config != config.toml_text)
    throw InputError(fmt::format("--resume: '{}' holds a job of another config and there are no checkpoints to "
                                 "resume from; use --force to train this config anew",
                                 output));
  // A failed network is finished (its reason recorded); a missing one needed its checkpoint.
  long trained = 0, missing = 0;
  for (const NetworkRecord& rec : done.networks) {
    trained += rec.status == "trained";
    missing += rec.status == kMissingStatus;
  }
  if (missing > 0)
    throw InputError(fmt::format("--resume: '{}' has {} unfinished network(s) but their checkpoints ('{}') are gone; "
                                 "use --force to train anew",
                                 output, missing, checkpoint_dir_for(output)));
  if (mpi::is_root())
    fmt::print("rnnlab train --resume: '{}' is already complete ({} of {} networks trained); nothing to do\n", output,
               trained, done.networks.size());
  return static_cast<int>(trained);
}

}  // namespace

// Several processes (MPI ranks, docs/cluster.md) may run this together, each
// training its share of the seeds with its own threads. All of them write
// checkpoints into OUT.h5.partial/ and refresh OUT.h5 from it as networks
// finish; at the end rank 0 writes the final file. One process is rank 0 of 1.
int train_to_file(const ExperimentConfig& config, const TrainOutput& out) {
  const std::string& output = out.path;
  const std::string checkpoints = checkpoint_dir_for(output);
  // A job that cannot fit in memory is refused before anything is written,
  // naming the keys that make it large; a merely large one says its size.
  const int share_size = static_cast<int>(share_of_networks(config, mpi::rank(), mpi::size()).size());
  const int at_once =
      plan_threads(resolve_threads(out.threads > 0 ? out.threads : slurm_cpus_per_task(), config.ensemble.threads),
                   std::max(share_size, 1))
          .networks_at_once;
  const ResourceEstimate need = check_resources(config, at_once);
  if (mpi::is_root() && !out.quiet && (need.memory_bytes > kLargeJobBytes || need.file_bytes > kLargeJobBytes))
    fmt::print(stderr, "estimated: {} of memory ({} network(s) at once), an output file of about {}\n",
               bytes_text(need.memory_bytes), at_once, bytes_text(need.file_bytes));
  // One train per output: a second would delete the first's checkpoints
  // (io/experiment_file.hpp FileLock). Rank 0 holds it for the whole job.
  std::optional<FileLock> writer;
  if (mpi::is_root()) writer.emplace(output, "train");
  // Every rank checks before any writes, so a refusal stops each of them alike.
  if (out.resume && !fs::exists(checkpoints)) {
    if (fs::exists(output)) return finished_job(config, output);
    throw InputError(fmt::format("--resume: no checkpoints at '{}' to resume from", checkpoints));
  }
  if (fs::exists(output) && !out.force && !out.resume)
    throw InputError(fmt::format("output file '{}' exists; use --force to overwrite it", output));
  mpi::barrier();
  if (mpi::is_root()) {
    const fs::path parent = fs::path(output).parent_path();
    if (!parent.empty()) fs::create_directories(parent);
    if (!out.resume) fs::remove_all(checkpoints);  // a fresh run: no network of an older one may enter the file
    prepare_checkpoint_dir(checkpoints, config.toml_text, out.resume);
  }
  mpi::barrier();

  // Only rank 0 talks. Its progress line counts its own share, and says so
  // under MPI, with the whole job's count from its refreshes of OUT.h5.
  const bool talk = mpi::is_root() && !out.quiet;
  const int networks = static_cast<int>(config.networks().size());
  const int share = static_cast<int>(share_of_networks(config, mpi::rank(), mpi::size()).size());
  TerminalProgress progress(share, config.train.iterations, stderr,
                            mpi::size() > 1 ? fmt::format("rank 0 of {}, its share", mpi::size()) : "");
  EnsembleOptions options;
  options.threads = out.threads > 0 ? out.threads : slurm_cpus_per_task();
  if (talk) {
    // Said once, so that a cluster job's log shows what SLURM gave it.
    const char* source = out.threads > 0                  ? "--threads"
                         : options.threads > 0            ? "$SLURM_CPUS_PER_TASK"
                         : config.ensemble.threads > 0    ? "ensemble.threads"
                                                          : "one per core";
    const int threads = resolve_threads(options.threads, config.ensemble.threads);
    fmt::print(stderr, "training {} network(s){} with {} thread(s){} ({})\n", networks,
               mpi::size() > 1 ? fmt::format(", {} on rank 0 of {}", share, mpi::size()) : "", threads,
               mpi::size() > 1 ? " per rank" : "", source);
  }
  options.checkpoint_dir = checkpoints;
  options.resume = out.resume;
  options.progress = talk ? &progress : nullptr;
  options.rank = mpi::rank();
  options.ranks = mpi::size();
  // OUT.h5 is refreshed after every `every`-th network this rank finishes:
  // after each for ensembles of up to 50, so that refreshes (each rewrites
  // the whole file) stay about 50 per job however large the ensemble.
  const int every = std::max(1, (networks + 49) / 50);
  std::atomic<int> finished_here{0};
  options.on_finished = [&](std::uint64_t) {
    if (++finished_here % every != 0) return;
    const AssemblyCount count = assemble_experiment_file(config, checkpoints, output);
    if (talk && mpi::size() > 1) progress.overall(count.finished, networks);
  };
  train_ensemble(config, options);  // the records are read back from the checkpoints below
  if (talk) progress.close();
  if (finished_here % every != 0) assemble_experiment_file(config, checkpoints, output);
  mpi::barrier();

  // Collapsed networks count as trained: their best weights are kept and
  // analysed (docs/training.md), and the summary names them.
  long trained = 0, collapsed = 0;
  if (mpi::is_root()) {
    const AssemblyCount count = assemble_experiment_file(config, checkpoints, output);
    if (count.missing == 0) fs::remove_all(checkpoints);
    const Experiment experiment = read_experiment(output);
    for (const NetworkRecord& rec : experiment.networks) {
      trained += rec.status == "trained" || rec.status == "collapsed";
      collapsed += rec.status == "collapsed";
      if (!out.list_networks) continue;
      // The stored (best) weights' validation, and where they come from.
      const bool best = rec.best_iteration >= 0;
      fmt::print("network {:>4}: {:<9} {:>6} iterations  val_loss {:.4g}  val_accuracy {:.3f}{}{}{}\n", rec.seed,
                 rec.status, rec.iterations, best ? rec.best_val_loss : last_or_nan(rec.curves.val_loss),
                 best ? rec.best_val_accuracy : last_or_nan(rec.curves.val_accuracy),
                 best && rec.best_iteration != rec.iterations ? fmt::format(" (best, iteration {})", rec.best_iteration)
                                                               : "",
                 rec.sweep_point < 0 ? ""
                                     : fmt::format("  [seed {}, {}]", rec.sweep_seed, sweep_label(rec.sweep)),
                 rec.status == "trained" ? "" : fmt::format("  ({})", rec.status_reason));
    }
    if (out.list_networks)
      fmt::print("wrote {} ({} of {} networks trained{}{})\n", output, trained, experiment.networks.size(),
                 collapsed ? fmt::format(", {} of them collapsed: their best weights are kept", collapsed) : "",
                 count.missing ? fmt::format(", {} missing: rerun with --resume", count.missing) : "");
    std::fflush(stdout);  // before the analyses' progress on stderr
  }
  return static_cast<int>(mpi::broadcast(trained));
}

Subcommand add_train(CLI::App& app) {
  auto* sub = app.add_subcommand("train", "Train an ensemble of networks from a TOML config");
  auto args = std::make_shared<TrainArgs>();
  sub->add_option("config", args->config_path, "TOML config (see examples/ and docs/config.md)")->required();
  sub->add_option("-o,--output", args->output, "Output HDF5 file");
  sub->add_option("--seeds", args->seeds,
                  "Number of networks (per sweep point): seeds train.seed, train.seed+1, ...")
      ->check(CLI::PositiveNumber);
  sub->add_option("--threads", args->threads,
                  "Worker threads (default: $SLURM_CPUS_PER_TASK, else ensemble.threads, else one per core)")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--set", args->sets, "Override a config value: section.key=value (repeatable)");
  sub->add_flag("--resume", args->resume, "Continue from the checkpoints of an interrupted run");
  sub->add_flag("--force", args->force, "Overwrite an existing output file");
  sub->add_flag("-q,--quiet", args->quiet, "No progress line");
  return {sub, [args] { return run_train(*args); }};
}

}  // namespace rnnlab::cli
