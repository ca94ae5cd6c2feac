// `rnnlab report RESULTS.h5 [-o report.html]`: one self-contained HTML page to
// browse an experiment in a browser, offline (docs/report.md).
#include <fmt/format.h>

#include <chrono>
#include <filesystem>

#include "cli/commands.hpp"
#include "report/report.hpp"

namespace rnnlab::cli {

namespace {

// report.html beside the experiment file unless -o says otherwise.
std::string default_output(const std::string& h5_path) {
  return (std::filesystem::path(h5_path).parent_path() / "report.html").string();
}

int run_report(const std::string& h5_path, std::string html_path) {
  if (html_path.empty()) html_path = default_output(h5_path);
  const auto start = std::chrono::steady_clock::now();
  const report::ReportStats stats = report::write_report(h5_path, html_path);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  fmt::print("wrote {} ({} network{}, {:.1f} MB, {:.1f} s): open it in a browser, it needs no network\n", html_path,
             stats.networks, stats.networks == 1 ? "" : "s", static_cast<double>(stats.bytes) / 1e6, seconds);
  return 0;
}

}  // namespace

Subcommand add_report(CLI::App& app) {
  auto* sub = app.add_subcommand(
      "report", "Write one self-contained HTML page to browse an experiment file (networks, census, spectra, "
                "fixed points, training curves); it opens offline");
  auto path = std::make_shared<std::string>();
  auto output = std::make_shared<std::string>();
  sub->add_option("file", *path, "Experiment HDF5 file (results.h5)")->required();
  sub->add_option("-o,--output", *output, "The HTML file to write (default: report.html beside the file)");
  return {sub, [path, output] { return run_report(*path, *output); }};
}

}  // namespace rnnlab::cli
