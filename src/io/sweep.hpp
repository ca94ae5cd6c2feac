#pragma once
// A sweep (docs/config.md "[sweep]"): config keys, each with a list of values.
// The job trains every seed at every point of the Cartesian product of the
// values. Values are kept as TOML text in their canonical form ("8", "true",
// "0.5", "\"relu\""), which is what the config records and what the
// experiment file stores for each network.
#include <string>
#include <utility>
#include <vector>

namespace rnnlab {

struct SweepAxis {
  std::string key;                  // dotted config key, e.g. "model.units"
  std::vector<std::string> values;  // TOML text, in the order given
};

struct Sweep {
  std::vector<SweepAxis> axes;  // sorted by key (TOML tables are unordered)

  bool empty() const { return axes.empty(); }
  // Number of points: the product of the axes' sizes (1 without a sweep).
  int points() const;
  // Point p as (key, value) pairs, one per axis. The points are numbered
  // like digits: the last axis varies fastest.
  std::vector<std::pair<std::string, std::string>> point(int p) const;
  // "model.dale=false, model.units=8": the point's pairs, as one line.
  std::string label(int p) const;
};

// The pairs as one line, "key=value, key=value" (no "|": census tables use it between columns).
std::string sweep_label(const std::vector<std::pair<std::string, std::string>>& pairs);

}  // namespace rnnlab
