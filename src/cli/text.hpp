#pragma once
// Small formatting helpers shared by the subcommands' printed and JSON output.
#include <fmt/format.h>

#include <cmath>
#include <string>
#include <vector>

namespace rnnlab::cli {

// How much a command prints: the global -q/--quiet and -v/--verbose (main.cpp;
// `train` and `run` also take them as their own flags). quiet: errors and the
// final result (the file written) only; normal: also progress and one result
// line per network; verbose: also each network's lines as they are computed.
enum class Verbosity { quiet, normal, verbose };
inline Verbosity& verbosity() {
  static Verbosity v = Verbosity::normal;
  return v;
}
inline bool quiet() { return verbosity() == Verbosity::quiet; }
// A progress line, e.g. one per network while an analysis runs (stderr; not under --quiet).
inline void progress(const std::string& line) {
  if (!quiet()) fmt::print(stderr, "{}\n", line);
}

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
