#include "pipeline/train_to_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <optional>

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

namespace rnnlab {

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

double last_or_nan(const std::vector<double>& v) { return v.empty() ? NAN : v.back(); }

// `--resume` of a job that has finished: its checkpoints were removed when
// its file was complete. A requeued cluster job (SLURM's --requeue) reruns
// the same command, so this is no error: it says so and returns the
// job's count of trained networks without touching the file. A file of
// another config, or one with networks missing, cannot be what this command
// resumes: refused.
TrainedFile finished_job(const ExperimentConfig& config, const std::string& output) {
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
  TrainedFile result;
  result.trained = static_cast<int>(trained);
  if (mpi::is_root())
    result.text = fmt::format("rnnlab train --resume: '{}' is already complete ({} of {} networks trained); nothing "
                              "to do\n",
                              output, trained, done.networks.size());
  return result;
}

// The line of one stored network: the stored (best) weights' validation, and where they come from.
std::string network_line(const NetworkRecord& rec) {
  const bool best = rec.best_iteration >= 0;
  return fmt::format("network {:>4}: {:<9} {:>6} iterations  val_loss {:.4g}  val_accuracy {:.3f}{}{}{}\n", rec.seed,
                     rec.status, rec.iterations, best ? rec.best_val_loss : last_or_nan(rec.curves.val_loss),
                     best ? rec.best_val_accuracy : last_or_nan(rec.curves.val_accuracy),
                     best && rec.best_iteration != rec.iterations
                         ? fmt::format(" (best, iteration {})", rec.best_iteration)
                         : "",
                     rec.sweep_point < 0 ? "" : fmt::format("  [seed {}, {}]", rec.sweep_seed, sweep_label(rec.sweep)),
                     rec.status == "trained" ? "" : fmt::format("  ({})", rec.status_reason));
}

}  // namespace

TrainedFile train_to_file(const ExperimentConfig& config, const TrainToFile& out) {
  const std::string& output = out.path;
  const std::string checkpoints = checkpoint_dir_for(output);
  const bool talk = mpi::is_root() && !out.quiet;  // only rank 0 talks
  auto note = [&](const std::string& line) {
    if (talk && out.note) out.note(line);
  };
  check_init_from(config);  // before the output or its checkpoint folder is touched
  // A job that cannot fit in memory is refused before anything is written,
  // naming the keys that make it large; a merely large one says its size.
  const int share = static_cast<int>(share_of_networks(config, mpi::rank(), mpi::size()).size());
  EnsembleOptions options;
  options.threads = out.threads > 0 ? out.threads : slurm_cpus_per_task();
  const int threads = resolve_threads(options.threads, config.ensemble.threads);
  const int at_once = plan_threads(threads, std::max(share, 1)).networks_at_once;
  // A task from outside the registry (Python) has trial lengths only Python knows: no estimate.
  if (!out.task) {
    const ResourceEstimate need = check_resources(config, at_once);
    if (need.memory_bytes > kLargeJobBytes || need.file_bytes > kLargeJobBytes)
      note(fmt::format("estimated: {} of memory ({} network(s) at once), an output file of about {}",
                       bytes_text(need.memory_bytes), at_once, bytes_text(need.file_bytes)));
  }
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

  // Rank 0's progress line counts its own share, and says so under MPI,
  // with the whole job's count from its refreshes of OUT.h5.
  const int networks = static_cast<int>(config.networks().size());
  TerminalProgress progress(share, config.iteration_budget(), stderr,
                            mpi::size() > 1 ? fmt::format("rank 0 of {}, its share", mpi::size()) : "");
  // Said once, so that a cluster job's log shows what SLURM gave it.
  const char* source = out.threads > 0                 ? "--threads"
                       : options.threads > 0           ? "$SLURM_CPUS_PER_TASK"
                       : config.ensemble.threads > 0   ? "ensemble.threads"
                                                       : "one per core";
  note(fmt::format("training {} network(s){} with {} thread(s){} ({})", networks,
                   mpi::size() > 1 ? fmt::format(", {} on rank 0 of {}", share, mpi::size()) : "", threads,
                   mpi::size() > 1 ? " per rank" : "", source));
  options.checkpoint_dir = checkpoints;
  options.resume = out.resume;
  options.progress = out.progress ? out.progress : talk ? &progress : nullptr;
  options.task = out.task;
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
  if (out.stopped && out.stopped()) {
    // The networks cut short left failure notes; a resume continues them from their checkpoints.
    for (const NetworkSlot& slot : config.networks()) clear_failure(checkpoints, slot.key);
    TrainedFile result;
    result.stopped = true;
    return result;
  }
  if (finished_here % every != 0) assemble_experiment_file(config, checkpoints, output);
  mpi::barrier();

  // Collapsed networks count as trained: their best weights are kept and
  // analysed (docs/training.md), and the summary names them.
  TrainedFile result;
  long trained = 0, collapsed = 0;
  if (mpi::is_root()) {
    const AssemblyCount count = assemble_experiment_file(config, checkpoints, output);
    if (count.missing == 0) fs::remove_all(checkpoints);
    const Experiment experiment = read_experiment(output);
    for (const NetworkRecord& rec : experiment.networks) {
      trained += rec.status == "trained" || rec.status == "collapsed";
      collapsed += rec.status == "collapsed";
      result.text += network_line(rec);
    }
    result.text += fmt::format("wrote {} ({} of {} networks trained{}{})\n", output, trained,
                               experiment.networks.size(),
                               collapsed ? fmt::format(", {} of them collapsed: their best weights are kept", collapsed)
                                         : "",
                               count.missing ? fmt::format(", {} missing: rerun with --resume", count.missing) : "");
  }
  result.trained = static_cast<int>(mpi::broadcast(trained));
  return result;
}

}  // namespace rnnlab
