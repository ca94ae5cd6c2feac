#pragma once
// The report's data: an experiment file walked generically into JSON
// (docs/report.md "What the page holds").
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace rnnlab::report {

struct ReportData {
  // The small part parsed when the page opens: the file's attributes, the
  // census and sweep groups, and one row per network (its key, seed, status,
  // accuracy, sweep values, the labels its analyses gave it).
  nlohmann::json index;
  // One JSON text per network (index order), parsed only when the network is
  // opened: its attributes, W_rec, training curves and analysis groups.
  std::vector<std::string> networks;
};

// Throws InputError naming `path` when it is not an rnnlab experiment file.
ReportData read_report_data(const std::string& path);

// Text safe inside <script type="application/json">: every '<' becomes \u003c
// (JSON text has '<' only inside strings, where the escape means the same).
std::string json_for_script(const nlohmann::json& value);

}  // namespace rnnlab::report
