// `rnnlab info OUT.h5 [--json]`: what is in an experiment file, a line per network.
#include <fmt/format.h>

#include <cmath>

#include "analysis/spectrum_io.hpp"
#include "cli/commands.hpp"
#include "cli/text.hpp"
#include "io/experiment_file.hpp"

namespace rnnlab::cli {

namespace {

// The one-line spectral summary; diverged weights may hold NaN, which has no spectrum.
std::string spectrum_line(const Network& net) {
  if (!net.w_rec.allFinite()) return "W_rec has non-finite entries: no spectrum";
  return spectrum_summary(net);
}

int run_info(const std::string& path, bool json) {
  const Experiment exp = read_experiment(path);
  if (json) {
    fmt::print("{{\"file\": {}, \"rnnlab_version\": {}, \"networks\": [", json_string(path),
               json_string(exp.rnnlab_version));
    for (std::size_t i = 0; i < exp.networks.size(); ++i) {
      const NetworkRecord& n = exp.networks[i];
      fmt::print("{}\n  {{\"seed\": {}, \"status\": {}, \"reason\": {}, \"origin\": {}, \"iterations\": {}, "
                 "\"units\": {}, \"final_loss\": {}, \"val_loss\": {}, \"val_accuracy\": {}, \"spectrum\": {}}}",
                 i ? "," : "", n.seed, json_string(n.status), json_string(n.status_reason), json_string(n.origin),
                 n.iterations, n.trained.units(), json_number(last_or_nan(n.curves.loss)),
                 json_number(last_or_nan(n.curves.val_loss)), json_number(last_or_nan(n.curves.val_accuracy)),
                 json_string(spectrum_line(n.trained)));
    }
    fmt::print("\n]}}\n");
    return 0;
  }
  fmt::print("{}: {} network(s), rnnlab {}\n", path, exp.networks.size(), exp.rnnlab_version);
  fmt::print("{:>6}  {:<9} {:>6} {:>10} {:>10} {:>8}  {}\n", "seed", "status", "units", "iterations", "loss",
             "accuracy", "origin");
  for (const NetworkRecord& n : exp.networks) {
    fmt::print("{:>6}  {:<9} {:>6} {:>10} {:>10.4g} {:>8.3f}  {}{}\n", n.seed, n.status, n.trained.units(),
               n.iterations, last_or_nan(n.curves.loss), last_or_nan(n.curves.val_accuracy), n.origin,
               n.status == "trained" || n.status_reason.empty() ? "" : fmt::format(" ({})", n.status_reason));
    fmt::print("{:>6}  spectrum {}\n", "", spectrum_line(n.trained));
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
