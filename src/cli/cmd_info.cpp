// `rnnlab info OUT.h5 [--json]`: what is in an experiment file, a line per network.
#include <fmt/format.h>

#include <cmath>
#include <string>
#include <vector>

#include "pipeline/spectrum_io.hpp"
#include "cli/commands.hpp"
#include "cli/text.hpp"
#include "io/experiment_file.hpp"
#include "io/sweep.hpp"

namespace rnnlab::cli {

namespace {

// Each sweep point's label, in order ("" for a point no network names); empty without a sweep.
std::vector<std::string> sweep_points(const Experiment& exp) {
  std::vector<std::string> labels;
  for (const NetworkRecord& n : exp.networks) {
    if (n.sweep_point < 0) continue;
    const auto p = static_cast<std::size_t>(n.sweep_point);
    if (p >= labels.size()) labels.resize(p + 1);
    labels[p] = sweep_label(n.sweep);
  }
  return labels;
}

// ", \"sweep_point\": p, \"train_seed\": s, \"sweep\": {\"key\": \"value\", ...}" for a swept network.
std::string sweep_json(const NetworkRecord& n) {
  if (n.sweep_point < 0) return "";
  std::string values;
  for (const auto& [key, value] : n.sweep)
    values += (values.empty() ? "" : ", ") + json_string(key) + ": " + json_string(value);
  return fmt::format(", \"sweep_point\": {}, \"train_seed\": {}, \"sweep\": {{{}}}", n.sweep_point, n.sweep_seed,
                     values);
}

int run_info(const std::string& path, bool json) {
  // The trained weights alone: info shows nothing of the initial or final
  // ones, which at N = 2000 cost more to read (or regenerate) than the rest.
  ReadOptions trained_only;
  trained_only.initial = false;
  trained_only.final_weights = false;
  const Experiment exp = read_experiment(path, trained_only);
  // The one-line spectral summaries (the step map at the origin for
  // stability, W_rec's radius labelled as such), from the spectrum stored by
  // `analyze --spectrum` when there is one: info stays quick at any N.
  const std::vector<std::string> spectra = spectrum_summaries(path, exp);
  if (json) {
    fmt::print("{{\"file\": {}, \"rnnlab_version\": {}, \"networks\": [", json_string(path),
               json_string(exp.rnnlab_version));
    for (std::size_t i = 0; i < exp.networks.size(); ++i) {
      const NetworkRecord& n = exp.networks[i];
      fmt::print("{}\n  {{\"seed\": {}, \"status\": {}, \"reason\": {}, \"origin\": {}, \"iterations\": {}, "
                 "\"units\": {}, \"final_loss\": {}, \"val_loss\": {}, \"val_accuracy\": {}, \"spectrum\": {}{}}}",
                 i ? "," : "", n.seed, json_string(n.status), json_string(n.status_reason), json_string(n.origin),
                 n.iterations, n.trained.units(), json_number(last_or_nan(n.curves.loss)),
                 json_number(last_or_nan(n.curves.val_loss)), json_number(last_or_nan(n.curves.val_accuracy)),
                 json_string(spectra[i]), sweep_json(n));
    }
    fmt::print("\n]}}\n");
    return 0;
  }
  fmt::print("{}: {} network(s), rnnlab {}\n", path, exp.networks.size(), exp.rnnlab_version);
  const std::vector<std::string> points = sweep_points(exp);
  if (!points.empty()) {
    fmt::print("sweep: {} points; networks are numbered 0, 1, ... (the seed each trained from is shown per network)\n",
               points.size());
    for (std::size_t p = 0; p < points.size(); ++p) fmt::print("  point {}: {}\n", p, points[p]);
  }
  fmt::print("{:>6}  {:<9} {:>6} {:>10} {:>10} {:>8}  {}\n", points.empty() ? "seed" : "#", "status", "units",
             "iterations", "loss", "accuracy", "origin");
  for (std::size_t i = 0; i < exp.networks.size(); ++i) {
    const NetworkRecord& n = exp.networks[i];
    fmt::print("{:>6}  {:<9} {:>6} {:>10} {:>10.4g} {:>8.3f}  {}{}{}\n", n.seed, n.status, n.trained.units(),
               n.iterations, last_or_nan(n.curves.loss), last_or_nan(n.curves.val_accuracy), n.origin,
               n.sweep_point < 0 ? "" : fmt::format("  point {}, seed {}", n.sweep_point, n.sweep_seed),
               n.status == "trained" || n.status_reason.empty() ? "" : fmt::format(" ({})", n.status_reason));
    fmt::print("{:>6}  spectrum {}\n", "", spectra[i]);
  }
  return 0;
}

}  // namespace

Subcommand add_info(CLI::App& app) {
  auto* sub = app.add_subcommand("info", "Summarise an experiment file");
  auto path = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  sub->add_option("file", *path, "Experiment HDF5 file")->required();
  sub->add_flag("--json", *json, "Machine-readable output");
  return {sub, [path, json] { return run_info(*path, *json); }};
}

}  // namespace rnnlab::cli
