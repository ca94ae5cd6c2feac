// `rnnlab train CONFIG -o OUT.h5`: train an ensemble and write the experiment file
// (pipeline/train_to_file.hpp; several MPI ranks may run it together).
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/text.hpp"
#include "io/config.hpp"
#include "pipeline/train_to_file.hpp"
#include "util/error.hpp"
#include "util/mpi.hpp"

namespace rnnlab::cli {

namespace {

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
  TrainToFile out;
  out.path = output;
  out.threads = args.threads;
  out.resume = args.resume;
  out.force = args.force;
  out.quiet = args.quiet || quiet();
  out.note = [](const std::string& line) { fmt::print(stderr, "{}\n", line); };
  const TrainedFile trained = train_to_file(config, out);
  fmt::print("{}", trained.text);  // rank 0's; empty on the others
  std::fflush(stdout);
  if (trained.trained == 0 && mpi::is_root())
    fmt::print(stderr, "rnnlab: failed: no network of {} trained (each one's status and reason are above)\n", output);
  return trained.trained > 0 ? 0 : 1;
}

}  // namespace

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
