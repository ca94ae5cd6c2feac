// `rnnlab behaviour FILE [--psychometric] [--condition NAME] [--timing]
//                        [--task NAME] [--set task.key=value ...] [--trials K] [--seed S] [--json]`:
// behaviour curves (analysis/behaviour.hpp, docs/behaviour.md) of every
// usable network of a file, on eval's fresh trials: the psychometric curve
// of a decision task with its fitted bias and slope, and the timing curve
// (produced against sample interval) of a timing task with its slope and
// regression to the mean. Stored under /networks/<id>/analysis/behaviour/.
#include <fmt/format.h>

#include <memory>

#include "analysis/behaviour.hpp"
#include "pipeline/behaviour_file.hpp"
#include "cli/commands.hpp"
#include "cli/network_output.hpp"
#include "cli/text.hpp"
#include "io/experiment_file.hpp"
#include "pipeline/task_resolution.hpp"
#include "util/error.hpp"

namespace rnnlab::cli {

namespace {

struct BehaviourArgs {
  std::string path, task, condition;
  std::vector<std::string> sets;
  bool psychometric = false, timing = false, json = false;
  int trials = 512;
  std::uint64_t seed = 1;
};

std::string psychometric_json(const PsychometricCurve& c) {
  return fmt::format(
      "{{\"condition\": {}, \"bias\": {}, \"slope\": {}, \"step\": {}, \"trials\": {}, \"no_choice\": {}, "
      "\"levels\": {}, \"p_positive\": {}, \"counts\": {}}}",
      json_string(c.condition), json_number(c.fit.bias), json_number(c.fit.slope), c.fit.step ? "true" : "false",
      c.trials, c.no_choice, json_array(c.levels), json_array(c.p_positive), json_array(c.counts));
}

std::string timing_json(const TimingCurve& c) {
  return fmt::format(
      "{{\"slope\": {}, \"intercept_ms\": {}, \"regression\": {}, \"indifference_ms\": {}, \"mean_error_ms\": {}, "
      "\"sd_error_ms\": {}, \"missed\": {}, \"untimed\": {}, \"levels_ms\": {}, \"mean_produced_ms\": {}, "
      "\"sd_produced_ms\": {}, \"counts\": {}}}",
      json_number(c.slope), json_number(c.intercept_ms), json_number(c.regression), json_number(c.indifference_ms),
      json_number(c.mean_error_ms), json_number(c.sd_error_ms), c.missed, c.untimed, json_array(c.levels_ms),
      json_array(c.mean_produced_ms), json_array(c.sd_produced_ms), json_array(c.counts));
}

// "slope 14.1 per unit coherence" or "a step at coherence = 0".
std::string psychometric_line(const PsychometricCurve& c) {
  if (c.fit.step)
    return fmt::format("a step at {} = {:.4g} (every choice on the side of its sign)", c.condition, c.fit.bias);
  return fmt::format("bias {:.4g} ({} at P = 0.5), slope {:.4g} per unit {}", c.fit.bias, c.condition, c.fit.slope,
                     c.condition);
}

int run_behaviour(const BehaviourArgs& args) {
  if (!args.psychometric && !args.timing) throw InputError("nothing to do: give --psychometric, --timing or both");
  if (!args.condition.empty() && !args.psychometric)
    throw InputError("--condition chooses what --psychometric plots choices against; give --psychometric too");

  const Experiment exp = read_experiment(args.path);
  if (exp.networks.empty()) throw InputError(args.path + ": the file holds no networks");
  const std::vector<std::string> skipped = unusable_networks(args.path, exp, "measured");
  const NetworkTasks tasks = tasks_for_networks(args.path, exp, args.task, args.sets, skipped);

  std::vector<NetworkBehaviour> results;
  for (std::size_t i = 0; i < exp.networks.size(); ++i) {
    if (!skipped[i].empty()) continue;
    const Network& net = exp.networks[i].trained;
    NetworkBehaviour r;
    r.key = exp.networks[i].seed;
    if (args.psychometric) {
      r.psychometric = psychometric(net, tasks.of(net), args.trials, args.seed, args.condition);
      r.has_psychometric = true;
    }
    if (args.timing) {
      r.timing = timing_curve(net, tasks.of(net), args.trials, args.seed);
      if (r.timing.sample_ms.size() == 0)
        throw InputError(fmt::format("--timing: task {} has no trial with an input pulse before a response in its "
                                     "target, so no interval to time (timing tasks: ready_set_go, delayed_pulse, "
                                     "multi_interval)",
                                     tasks.name));
      r.has_timing = true;
    }
    results.push_back(std::move(r));
  }
  write_behaviour_file(args.path, results, tasks.name, args.trials, args.seed);

  if (args.json) {
    fmt::print("{{\"file\": {}, \"task\": {}, \"task_from\": {}, \"trials\": {}, \"seed\": {}, \"networks\": [",
               json_string(args.path), json_string(tasks.name), json_string(tasks.source), args.trials, args.seed);
    std::size_t k = 0;
    for (std::size_t i = 0; i < exp.networks.size(); ++i) {
      fmt::print("{}\n  {{\"seed\": {}", i ? "," : "", exp.networks[i].seed);
      if (!skipped[i].empty()) {
        fmt::print(", \"skipped\": {}}}", json_string(skipped[i]));
        continue;
      }
      const NetworkBehaviour& r = results[k++];
      if (r.has_psychometric) fmt::print(", \"psychometric\": {}", psychometric_json(r.psychometric));
      if (r.has_timing) fmt::print(", \"timing\": {}", timing_json(r.timing));
      fmt::print("}}");
    }
    fmt::print("\n]}}\n");
    return 0;
  }
  fmt::print("{}: task {} (from {}), {} fresh trials, seed {}\n", args.path, tasks.name, tasks.source, args.trials,
             args.seed);
  std::size_t k = 0;
  for (std::size_t i = 0; i < exp.networks.size(); ++i) {
    if (!skipped[i].empty()) {
      fmt::print("network {}  skipped: {}\n", exp.networks[i].seed, skipped[i]);
      continue;
    }
    const NetworkBehaviour& r = results[k++];
    fmt::print("network {}\n", r.key);
    if (r.has_psychometric) {
      const PsychometricCurve& c = r.psychometric;
      fmt::print("  psychometric: {}; {} trials with a choice\n", psychometric_line(c), c.trials);
      fmt::print("  {:>10} {:>8} {:>7}\n", c.condition, "P(+1)", "trials");
      for (Eigen::Index l = 0; l < c.levels.size(); ++l)
        fmt::print("  {:>10.4g} {:>8.3f} {:>7}\n", c.levels(l), c.p_positive(l), static_cast<long>(c.counts(l)));
    }
    if (r.has_timing) {
      const TimingCurve& c = r.timing;
      fmt::print("  timing: slope {:.3f}, regression to the mean {:.3f}, indifference point {:.4g} ms; "
                 "mean error {:.4g} ms (sd {:.3g}); {} missed\n",
                 c.slope, c.regression, c.indifference_ms, c.mean_error_ms, c.sd_error_ms, c.missed);
      fmt::print("  {:>10} {:>13} {:>8} {:>7}\n", "sample ms", "produced ms", "sd", "trials");
      for (Eigen::Index l = 0; l < c.levels_ms.size(); ++l)
        fmt::print("  {:>10.4g} {:>13.4g} {:>8.3g} {:>7}\n", c.levels_ms(l), c.mean_produced_ms(l),
                   c.sd_produced_ms(l), static_cast<long>(c.counts(l)));
    }
  }
  fmt::print("wrote /networks/<id>/analysis/behaviour/ in {}\n", args.path);
  return 0;
}

}  // namespace

Subcommand add_behaviour(CLI::App& app) {
  auto* sub = app.add_subcommand(
      "behaviour", "Psychometric curves (choice vs coherence) and timing curves (produced vs sample interval)");
  auto args = std::make_shared<BehaviourArgs>();
  sub->add_option("file", args->path, "Experiment HDF5 file (trained or imported); the curves are stored in it")
      ->required();
  sub->add_flag("--psychometric", args->psychometric,
                "Fraction of +1 choices against a condition, with a fitted cumulative Gaussian (bias, slope)");
  sub->add_option("--condition", args->condition,
                  "The trials' condition for --psychometric (default: coherence, else integral, else the first)");
  sub->add_flag("--timing", args->timing, "Produced against sample interval: slope and regression to the mean");
  sub->add_option("--task", args->task, "Use this task at its defaults (default: the task in the file's config)");
  sub->add_option("--set", args->sets, "Change a task parameter: task.key=value (repeatable; only task.* keys)");
  sub->add_option("--trials", args->trials, "Fresh trials per network (eval's trials for the same --seed)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  sub->add_option("--seed", args->seed, "Seed of the trials")->capture_default_str();
  sub->add_flag("--json", args->json, "Machine-readable output");
  return {sub, [args] { return run_behaviour(*args); }};
}

}  // namespace rnnlab::cli
