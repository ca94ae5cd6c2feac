#pragma once
// What `perturb` and `behaviour` share beyond text.hpp: the networks of a
// file that cannot be used (skipped with their reason, as eval skips them),
// and JSON arrays of numbers.
#include <fmt/format.h>

#include <Eigen/Dense>
#include <string>
#include <vector>

#include "cli/text.hpp"
#include "io/experiment_file.hpp"
#include "util/error.hpp"

namespace rnnlab::cli {

// Why each network of `exp` cannot be used (unusable_reason: training failed
// or unfinished, weights not finite; "" for a usable one). Throws Error naming
// the file and the first reason when none is usable (`verb`: "perturbed", ...).
inline std::vector<std::string> unusable_networks(const std::string& path, const Experiment& exp,
                                                  const std::string& verb) {
  std::vector<std::string> reasons(exp.networks.size());
  std::size_t unusable = 0;
  for (std::size_t i = 0; i < exp.networks.size(); ++i) {
    reasons[i] = unusable_reason(exp.networks[i]);
    unusable += !reasons[i].empty();
  }
  if (!exp.networks.empty() && unusable == exp.networks.size())
    throw Error(fmt::format("{}: none of its {} network(s) can be {}; network {}: {}", path, exp.networks.size(), verb,
                            exp.networks[0].seed, reasons[0]));
  return reasons;
}

// A JSON array of numbers (null for NaN and infinities).
inline std::string json_array(const Eigen::VectorXd& v) {
  std::string out = "[";
  for (Eigen::Index i = 0; i < v.size(); ++i) out += (i ? ", " : "") + json_number(v(i));
  return out + "]";
}

inline std::string json_array(const std::vector<double>& v) {
  return json_array(Eigen::Map<const Eigen::VectorXd>(v.data(), static_cast<Eigen::Index>(v.size())));
}

}  // namespace rnnlab::cli
