#pragma once
// `rnnlab report`: one self-contained HTML page that browses an experiment
// file (docs/report.md). The file is read generically, group by group, not
// through the analyses' own structs, so the page keeps working while their
// layouts grow: whatever a network's groups hold is shown, and the panels use
// the datasets they know by name when they are there.
#include <string>

namespace rnnlab::report {

struct ReportStats {
  int networks = 0;
  std::size_t bytes = 0;  // size of the HTML written
};

// Reads the experiment file `h5_path` and writes the page to `html_path`
// atomically (a temporary file beside it, renamed when complete). Throws
// InputError (exit 2) when `h5_path` is not an rnnlab experiment file, Error
// (exit 1) when plotly.js cannot be found or the page cannot be written.
ReportStats write_report(const std::string& h5_path, const std::string& html_path);

// The path of plotly.min.js that the page inlines: $RNNLAB_PLOTLY_JS, else
// share/rnnlab/plotly.min.js beside the executable (or one folder up), else
// the source tree's third_party/node_modules. Throws Error naming the places
// looked at and how to install it when none has it.
std::string find_plotly_js();

}  // namespace rnnlab::report
