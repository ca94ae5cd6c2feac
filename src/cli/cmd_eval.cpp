// `rnnlab eval FILE [--task NAME] [--set task.key=value ...] [--trials K] [--seed S]
//              [--sigma-rec X] [--sigma-in Y] [--json]`:
// loss and accuracy of every network of an experiment file on fresh trials,
// noiseless unless --sigma-rec / --sigma-in add noise (train/evaluate.hpp).
// The loss is the one the networks were trained with (train.loss of the
// file's config: mean squared error, or cross-entropy; imports: MSE), named
// in the table's header line and as "loss_kind" in --json.
//
// Which task: --task NAME (that task at its defaults, changed by --set), else
// the [task] table of the file's config attribute (a trained file's config,
// or what `rnnlab import --task` recorded), changed by --set. An imported
// file without a recorded task needs --task. The task runs at each network's
// own dt, so its durations in ms become the steps the network was built for
// (pipeline/task_resolution.hpp, shared with perturb, behaviour and import).
#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "cli/commands.hpp"
#include "cli/text.hpp"
#include "io/experiment_file.hpp"
#include "pipeline/task_resolution.hpp"
#include "train/evaluate.hpp"
#include "util/error.hpp"

namespace rnnlab::cli {

namespace {

struct EvalArgs {
  std::string path, task;
  std::vector<std::string> sets;
  int trials = 512;
  std::uint64_t seed = 1;
  EvalNoise noise;
  bool json = false;
};

int run_eval(const EvalArgs& args) {
  using Flag = std::pair<const char*, double>;
  for (const auto& [flag, value] : {Flag{"--sigma-rec", args.noise.sigma_rec}, Flag{"--sigma-in", args.noise.sigma_in}})
    if (!std::isfinite(value) || value < 0)
      throw InputError(fmt::format("{} {}: expected a finite number >= 0 (the noise's standard deviation)", flag, value));
  const Experiment exp = read_experiment(args.path);
  if (exp.networks.empty()) throw InputError(args.path + ": the file holds no networks to evaluate");

  // A network without usable weights (training failed or has not finished,
  // or it diverged to NaN) is skipped with its reason; the others are
  // evaluated (docs/file-format.md, "Errors").
  std::vector<std::string> skipped(exp.networks.size());
  std::size_t skipped_count = 0;
  for (std::size_t i = 0; i < exp.networks.size(); ++i) {
    skipped[i] = unusable_reason(exp.networks[i]);
    skipped_count += !skipped[i].empty();
  }
  if (skipped_count == exp.networks.size())
    throw Error(fmt::format("{}: none of its {} network(s) can be evaluated; network {}: {}", args.path,
                            exp.networks.size(), exp.networks[0].seed, skipped[0]));

  // Every task is made and every network checked against it before any output,
  // so a mismatch is reported alone.
  const NetworkTasks tasks = tasks_for_networks(args.path, exp, args.task, args.sets, skipped);
  const LossKind loss_kind = trained_loss(exp.config, args.path);

  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<Evaluation> results(exp.networks.size(), Evaluation{nan, nan});
  for (std::size_t i = 0; i < exp.networks.size(); ++i)
    if (skipped[i].empty())
      results[i] = evaluate(exp.networks[i].trained, tasks.of(exp.networks[i].trained), args.trials, args.seed,
                            args.noise, loss_kind);

  if (args.json) {
    fmt::print("{{\"file\": {}, \"task\": {}, \"task_from\": {}, \"trials\": {}, \"seed\": {}, \"loss_kind\": {}, "
               "\"sigma_rec\": {}, \"sigma_in\": {}, \"skipped\": {}, \"networks\": [",
               json_string(args.path), json_string(tasks.name), json_string(tasks.source), args.trials, args.seed,
               json_string(to_string(loss_kind)),
               json_number(args.noise.sigma_rec), json_number(args.noise.sigma_in), skipped_count);
    for (std::size_t i = 0; i < exp.networks.size(); ++i) {
      const NetworkRecord& n = exp.networks[i];
      fmt::print("{}\n  {{\"seed\": {}, \"status\": {}, \"origin\": {}, \"dt\": {}, \"loss\": {}, \"accuracy\": {}{}}}",
                 i ? "," : "", n.seed, json_string(n.status), json_string(n.origin), json_number(n.trained.dt),
                 json_number(results[i].loss), json_number(results[i].accuracy),
                 skipped[i].empty() ? "" : ", \"skipped\": " + json_string(skipped[i]));
    }
    fmt::print("\n]}}\n");
    return 0;
  }
  fmt::print("{}: task {} (from {}), {} fresh trials, seed {}, loss = {} (train.loss), {}\n", args.path, tasks.name,
             tasks.source, args.trials, args.seed, loss_description(loss_kind),
             args.noise.off() ? std::string("no noise")
                              : fmt::format("noise sigma_rec {:g}, sigma_in {:g}", args.noise.sigma_rec,
                                            args.noise.sigma_in));
  fmt::print("{:>6}  {:<9} {:>10} {:>8}  {}\n", "seed", "status", "loss", "accuracy", "origin");
  for (std::size_t i = 0; i < exp.networks.size(); ++i) {
    const NetworkRecord& n = exp.networks[i];
    if (!skipped[i].empty()) {
      fmt::print("{:>6}  {:<9} skipped: {}\n", n.seed, n.status, skipped[i]);
      continue;
    }
    fmt::print("{:>6}  {:<9} {:>10.4g} {:>8.3f}  {}\n", n.seed, n.status, results[i].loss, results[i].accuracy,
               n.origin);
  }
  if (skipped_count > 0) {
    fmt::print("evaluated {} of {} networks; {} skipped\n", exp.networks.size() - skipped_count, exp.networks.size(),
               skipped_count);
    fmt::print(stderr, "rnnlab: eval: {} of {} networks skipped (see the table)\n", skipped_count,
               exp.networks.size());
  }
  return 0;
}

}  // namespace

Subcommand add_eval(CLI::App& app) {
  auto* sub = app.add_subcommand("eval", "Loss and accuracy of every network of a file on fresh trials");
  auto args = std::make_shared<EvalArgs>();
  sub->add_option("file", args->path, "Experiment HDF5 file (trained or imported)")->required();
  sub->add_option("--task", args->task,
                  "Evaluate on this task at its defaults (default: the task in the file's config; imported files "
                  "without one need it)");
  sub->add_option("--set", args->sets, "Change a task parameter: task.key=value (repeatable; only task.* keys)");
  sub->add_option("--trials", args->trials, "Number of fresh trials per network")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  sub->add_option("--seed", args->seed, "Seed of the evaluation trials (and of their noise)")->capture_default_str();
  sub->add_option("--sigma-rec", args->noise.sigma_rec,
                  "Recurrent noise during evaluation, as model.sigma_rec (default 0: none)");
  sub->add_option("--sigma-in", args->noise.sigma_in, "Input noise during evaluation, as model.sigma_in (default 0: none)");
  sub->add_flag("--json", args->json, "Machine-readable output");
  return {sub, [args] { return run_eval(*args); }};
}

}  // namespace rnnlab::cli
