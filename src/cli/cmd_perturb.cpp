// `rnnlab perturb FILE [--prune F,F,..] [--by METHOD] [--ablate-units F,..] [--units GROUP]
//                      [--weight-noise S,..] [--kick E,E,.. [--kick-at MS]] [--task NAME] [--set task.key=value ...]
//                      [--trials K] [--seed S] [--spectrum] [--json]`:
// degradation curves (analysis/perturb.hpp, docs/perturbation.md): the accuracy
// of every network of a file on fresh trials of its task, against the fraction
// of connections pruned, of units ablated, the size of the weight noise, or
// the size of a kick to the state at one time of the trial. The curves are
// stored under /networks/<id>/analysis/perturbation/. Networks without usable
// weights are skipped with their reason, as eval skips them.
//
// The task is chosen as `rnnlab eval` chooses it, and the trials are eval's
// for the same --trials and --seed, so a level 0 reproduces eval's accuracy.
#include <fmt/format.h>

#include <map>
#include <memory>

#include "analysis/perturb.hpp"
#include "pipeline/perturb_file.hpp"
#include "cli/commands.hpp"
#include "cli/network_output.hpp"
#include "cli/text.hpp"
#include "io/config.hpp"
#include "io/experiment_file.hpp"
#include "pipeline/task_resolution.hpp"
#include "util/error.hpp"

namespace rnnlab::cli {

namespace {

struct PerturbArgs {
  std::string path, task, by = "magnitude", units = "any";
  std::vector<std::string> sets;
  std::vector<double> prune, ablate, noise, kick;
  double kick_at_ms = -1;
  int trials = 512;
  std::uint64_t seed = 1;
  bool spectrum = false, json = false;
};

int run_perturb(const PerturbArgs& args, bool by_given, bool units_given, bool kick_at_given) {
  // Options that are wrong whatever the file holds come first.
  std::vector<std::pair<std::string, PerturbationOptions>> plans;  // (option, what to do)
  auto plan = [&](const std::string& option, Perturbation kind, const std::vector<double>& levels) {
    if (levels.empty()) return;
    PerturbationOptions o;
    o.kind = kind;
    o.levels = levels;
    o.trials = args.trials;
    o.seed = args.seed;
    o.spectrum = args.spectrum;
    o.by = parse_prune_by(args.by);
    o.units = parse_unit_group(args.units);
    o.kick_at_ms = args.kick_at_ms;
    const bool size = kind == Perturbation::weight_noise || kind == Perturbation::kick;
    for (double level : levels) {
      if (size ? !(level >= 0.0 && std::isfinite(level)) : !(level >= 0.0 && level <= 1.0))
        throw InputError(fmt::format("{} {}: {}", option, level,
                                     size ? "a size must be finite and >= 0" : "a fraction must be in [0, 1]"));
    }
    plans.emplace_back(option, o);
  };
  parse_prune_by(args.by);
  parse_unit_group(args.units);
  plan("--prune", Perturbation::prune, args.prune);
  plan("--ablate-units", Perturbation::ablate_units, args.ablate);
  plan("--weight-noise", Perturbation::weight_noise, args.noise);
  plan("--kick", Perturbation::kick, args.kick);
  if (by_given && args.prune.empty()) throw InputError("--by chooses the connections --prune removes; give --prune too");
  if (units_given && args.ablate.empty())
    throw InputError("--units chooses the units --ablate-units removes; give --ablate-units too");
  if (kick_at_given && args.kick.empty())
    throw InputError("--kick-at sets when --kick displaces the state; give --kick too");
  if (kick_at_given && !(args.kick_at_ms >= 0.0 && std::isfinite(args.kick_at_ms)))
    throw InputError(fmt::format("--kick-at {}: must be a time in ms from the trial start, >= 0", args.kick_at_ms));
  if (plans.empty())
    throw InputError("nothing to do: give --prune, --ablate-units, --weight-noise or --kick with levels");

  const Experiment exp = read_experiment(args.path);
  if (exp.networks.empty()) throw InputError(args.path + ": the file holds no networks to perturb");
  // Each curve's loss is the one the networks were trained on, as eval's.
  const LossKind loss_kind = trained_loss(exp.config, args.path);
  for (auto& [option, o] : plans) o.loss_kind = loss_kind;
  // Networks without usable weights are skipped (eval's rule); every task is
  // made and every other network checked before any work, as eval does.
  const std::vector<std::string> skipped = unusable_networks(args.path, exp, "perturbed");
  const NetworkTasks tasks = tasks_for_networks(args.path, exp, args.task, args.sets, skipped);
  for (std::size_t i = 0; i < exp.networks.size(); ++i) {
    if (!skipped[i].empty()) continue;
    const Network& net = exp.networks[i].trained;
    for (const auto& [option, o] : plans) {
      check_perturbation(net, o, option);
      if (o.kind == Perturbation::kick) kick_step(net, tasks.of(net), o.kick_at_ms);
    }
  }

  std::vector<NetworkPerturbations> results;
  for (std::size_t i = 0; i < exp.networks.size(); ++i) {
    if (!skipped[i].empty()) continue;
    const NetworkRecord& rec = exp.networks[i];
    NetworkPerturbations r;
    r.key = rec.seed;
    for (const auto& [option, o] : plans) {
      r.groups.push_back(perturbation_group_name(o));
      r.curves.push_back(perturbation_curve(rec.trained, tasks.of(rec.trained), o));
    }
    results.push_back(std::move(r));
  }
  write_perturbations_file(args.path, results, tasks.name);

  if (args.json) {
    fmt::print("{{\"file\": {}, \"task\": {}, \"task_from\": {}, \"trials\": {}, \"seed\": {}, \"skipped\": [",
               json_string(args.path), json_string(tasks.name), json_string(tasks.source), args.trials, args.seed);
    bool first = true;
    for (std::size_t i = 0; i < exp.networks.size(); ++i)
      if (!skipped[i].empty()) {
        fmt::print("{}{{\"seed\": {}, \"reason\": {}}}", first ? "" : ", ", exp.networks[i].seed,
                   json_string(skipped[i]));
        first = false;
      }
    fmt::print("], \"networks\": [");
    for (std::size_t i = 0; i < results.size(); ++i) {
      fmt::print("{}\n  {{\"seed\": {}, \"perturbations\": [", i ? "," : "", results[i].key);
      for (std::size_t k = 0; k < results[i].curves.size(); ++k) {
        const PerturbationCurve& c = results[i].curves[k];
        fmt::print("{}\n    {{\"group\": {}, \"perturbation\": {}, \"method\": {}, \"candidates\": {}, \"levels\": {}, "
                   "\"accuracy\": {}, \"loss\": {}, \"removed\": {}",
                   k ? "," : "", json_string(results[i].groups[k]), json_string(to_string(c.kind)),
                   json_string(c.method), c.candidates, json_array(c.levels), json_array(c.accuracy),
                   json_array(c.loss), json_array(c.removed));
        if (c.kind == Perturbation::kick)
          fmt::print(", \"kick_step\": {}, \"kick_ms\": {}", c.kick_step, json_number(c.kick_ms));
        if (c.has_spectrum)
          fmt::print(", \"spectral_radius_w_rec\": {}, \"spectral_radius_step_map\": {}",
                     json_array(c.spectral_radius_w_rec), json_array(c.spectral_radius_step_map));
        fmt::print("}}");
      }
      fmt::print("]}}");
    }
    fmt::print("\n]}}\n");
    return 0;
  }
  if (!quiet())
    fmt::print("{}: task {} (from {}), {} fresh trials, seed {}\n", args.path, tasks.name, tasks.source, args.trials,
               args.seed);
  // Skipped networks are said even under --quiet: a result is missing for them.
  for (std::size_t i = 0; i < exp.networks.size(); ++i)
    if (!skipped[i].empty()) fmt::print("network {}  skipped: {}\n", exp.networks[i].seed, skipped[i]);
  for (const NetworkPerturbations& r : results) {
    if (quiet()) break;  // the tables are in the file; only the final line
    for (std::size_t k = 0; k < r.curves.size(); ++k) {
      const PerturbationCurve& c = r.curves[k];
      const char* what = c.kind == Perturbation::prune          ? "connections"
                         : c.kind == Perturbation::weight_noise ? "weights"
                                                                : "units";
      fmt::print("network {}  {} ({} {}{})\n", r.key, r.groups[k], c.candidates, what,
                 c.kind == Perturbation::kick ? fmt::format("; state kicked at step {} = {} ms", c.kick_step, c.kick_ms)
                                              : "");
      fmt::print("  {:>8} {:>8} {:>9} {:>10}{}\n", "level", "removed", "accuracy", "loss",
                 c.has_spectrum ? fmt::format(" {:>9} {:>9}", "rho(W)", "rho(J0)") : "");
      for (std::size_t l = 0; l < c.levels.size(); ++l) {
        const Eigen::Index i = static_cast<Eigen::Index>(l);
        fmt::print("  {:>8.4g} {:>8} {:>9.3f} {:>10.4g}{}\n", c.levels[l], static_cast<long>(c.removed(i)),
                   c.accuracy(i), c.loss(i),
                   c.has_spectrum ? fmt::format(" {:>9.4f} {:>9.4f}", c.spectral_radius_w_rec(i),
                                                c.spectral_radius_step_map(i))
                                  : "");
      }
    }
  }
  fmt::print("wrote /networks/<id>/analysis/perturbation/ in {}\n", args.path);
  return 0;
}

}  // namespace

Subcommand add_perturb(CLI::App& app) {
  auto* sub = app.add_subcommand(
      "perturb", "Degradation curves: accuracy against pruned connections, ablated units, weight noise or a state kick");
  auto args = std::make_shared<PerturbArgs>();
  sub->add_option("file", args->path, "Experiment HDF5 file (trained or imported); the curves are stored in it")
      ->required();
  sub->add_option("--prune", args->prune, "Fractions of W_rec's connections to remove, e.g. 0,0.25,0.5,1")
      ->delimiter(',');
  auto* by = sub->add_option("--by", args->by,
                             "Which connections --prune removes first: magnitude (smallest |w|), random, excitatory "
                             "or inhibitory (random among those from E or I units; needs Dale's law)")
                 ->capture_default_str();
  sub->add_option("--ablate-units", args->ablate, "Fractions of the units to remove (random order), e.g. 0,0.1,0.2")
      ->delimiter(',');
  auto* units = sub->add_option("--units", args->units,
                                "Which units --ablate-units removes: any, excitatory or inhibitory (needs Dale's law)")
                    ->capture_default_str();
  sub->add_option("--weight-noise", args->noise, "Sigmas: W_rec + sigma * rms(W_rec) * N(0, 1), e.g. 0,0.1,0.5")
      ->delimiter(',');
  sub->add_option("--kick", args->kick,
                  "Sizes (Euclidean norm) of a kick to the state in a random direction per trial, e.g. 0,0.5,1,2")
      ->delimiter(',');
  auto* kick_at = sub->add_option("--kick-at", args->kick_at_ms,
                                  "When --kick displaces the state, in ms from the trial start (default: mid-trial)");
  sub->add_option("--task", args->task, "Evaluate on this task at its defaults (default: the task in the file's config)");
  sub->add_option("--set", args->sets, "Change a task parameter: task.key=value (repeatable; only task.* keys)");
  sub->add_option("--trials", args->trials, "Fresh trials per level (the same trials for every level)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  sub->add_option("--seed", args->seed, "Seed of the trials (as eval's) and of the random damage")->capture_default_str();
  sub->add_flag("--spectrum", args->spectrum, "Also the spectral radius of each damaged W_rec and of its step map at 0");
  sub->add_flag("--json", args->json, "Machine-readable output");
  return {sub, [args, by, units, kick_at] {
            return run_perturb(*args, by->count() > 0, units->count() > 0, kick_at->count() > 0);
          }};
}

}  // namespace rnnlab::cli
