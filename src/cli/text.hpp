#pragma once
// Small formatting helpers shared by the subcommands' printed and JSON output.
#include <fmt/format.h>

#include <cmath>
#include <string>
#include <vector>

namespace rnnlab::cli {

// The last value of a training curve; NaN for an empty one (a failed network).
inline double last_or_nan(const std::vector<double>& v) { return v.empty() ? NAN : v.back(); }

// JSON has no NaN: absent values are null.
inline std::string json_number(double v) { return std::isfinite(v) ? fmt::format("{}", v) : "null"; }

inline std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

}  // namespace rnnlab::cli
