#pragma once
// The options of the fixed-point analysis (docs/analysis.md): the table
// [analysis.fixed_points] of an experiment's config, and the same options
// given to `rnnlab analyze --fixed-points` on the command line, which override
// the config key by key. Both are checked as a training config is: an unknown
// key, a wrong type or a value out of range throws InputError naming the key
// (or option), the value and what is allowed.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/fixed_points.hpp"

namespace rnnlab {

// The constant input u for which fixed points are sought.
struct InputChoice {
  enum class Kind {
    zero,       // u = 0 (the network left alone: its memories)
    mean,       // u = the mean input over every step of the sampled trials
    condition,  // u = the mean input over every step of the trials whose condition `name` equals `value`
    vector,     // u = `values`, one number per input
  };
  Kind kind = Kind::zero;
  std::string name;            // condition: a condition name of the task's batches
  double value = 0.0;          // condition: its value
  std::vector<double> values;  // vector

  // As a user writes it: "zero", "mean", "context=1", "1,0,0".
  std::string text() const;
};

// "zero", "mean", "NAME=VALUE" (a task condition) or "v1,v2,..." (numbers).
// `what` names the key or option in messages ("analysis.fixed_points.input", "--input").
InputChoice parse_input_choice(const std::string& text, const std::string& what);

// Following the fixed points as u moves along u(s) = u + s * direction, s from `from` to `to`.
struct ContinuationConfig {
  std::vector<double> direction;  // one number per input
  double from = -1.0;
  double to = 1.0;
  int steps = 21;  // values of s, evenly spaced, both ends included
};

// [analysis.fixed_points]: the stored finder configuration. Its defaults are
// FixedPointStarts' and FixedPointOptions' (fixed_points.hpp), declared once.
struct FixedPointConfig {
  FixedPointStarts sampling;  // starts, trials, noise, seed
  InputChoice input;          // the constant input (zero by default)
  // tolerance, slow_speed, max_iterations, dedup_tolerance, outlier_factor,
  // eigenvectors, threads; the other fields keep their defaults.
  FixedPointOptions options;
  // The deprecated key slow_tolerance: a threshold on q (= 1/2 alpha^2
  // speed^2), which moved with alpha. When set it replaces slow_speed by
  // sqrt(2 slow_tolerance) / alpha for each network (finder_options).
  std::optional<double> slow_tolerance;
  std::optional<ContinuationConfig> continuation;
};

// The options find_fixed_points runs with for `net`: config.options, with a
// deprecated slow_tolerance turned into slow_speed at the network's alpha.
FixedPointOptions finder_options(const FixedPointConfig& config, const Network& net);

// The keys of [analysis.fixed_points], in documented order (the deprecated
// slow_tolerance is still read but not listed).
const std::vector<std::string>& fixed_point_keys();

// Reads [analysis.fixed_points] from a whole config text (the file's config
// attribute or a training config). An absent table gives the defaults.
// Other [analysis] subtables are left to their own analyses, except a name
// that is a likely misspelling of fixed_points.
FixedPointConfig read_fixed_point_config(std::string_view toml_text, std::string_view source);

// Command-line options of `rnnlab analyze --fixed-points`; a set one replaces the config's value.
struct FixedPointOverrides {
  std::optional<int> starts, trials, threads, max_iterations;
  std::optional<double> noise, tolerance;
  std::optional<std::string> input;
  std::optional<std::uint64_t> seed;
  std::string task;  // --task NAME: run the trials on this task (at its defaults), not the file's
};

// Validates each set option (InputError naming "--starts" etc.) and applies it.
void apply_overrides(FixedPointConfig& config, const FixedPointOverrides& overrides);

}  // namespace rnnlab
