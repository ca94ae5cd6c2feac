// [analysis.fixed_points] and the `analyze --fixed-points` options: one list
// of keys (reading, "did you mean", docs/analysis.md in the same order), the
// same ranges for the config and the command line.
#include "io/analysis_config.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdlib>

#include "io/config_values.hpp"
#include "util/error.hpp"
#include "util/suggest.hpp"

namespace rnnlab {

using namespace config_detail;

namespace {

const std::string kTable = "analysis.fixed_points";
const std::vector<std::string> kContinuationKeys = {"direction", "from", "to", "steps"};

// Ranges shared by the config keys and the command-line options.
const Range kStarts = at_least(1);
const Range kTrials = at_least(1);
const Range kNoise = at_least(0);
const Range kTolerance = above(0);
const Range kIterations = at_least(1);
const Range kThreads = at_least(0);
const Range kSeed = interval(0, false, 9.0e15, false);  // TOML integers are signed; seeds are not

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

// A whole, finite number, or nothing.
std::optional<double> number(const std::string& text) {
  const std::string t = trim(text);
  if (t.empty()) return std::nullopt;
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(t.c_str(), &end);
  if (end != t.c_str() + t.size() || errno == ERANGE || !std::isfinite(v)) return std::nullopt;
  return v;
}

[[noreturn]] void bad_input(const std::string& what, const std::string& text, const std::string& why) {
  throw InputError(fmt::format(
      "{} = '{}' {}: must be zero, mean, a task condition NAME=VALUE (for example final_0=1) or numbers v1,v2,... "
      "(one per input){}",
      what, text, why, did_you_mean(text, {"zero", "mean"})));
}

int read_int(const toml::node& node, const std::string& key, const std::string& origin, Range range) {
  const std::int64_t v = read_integer(node, key, origin, range);
  if (v > INT_MAX) read_integer(node, key, origin, interval(range.lo, range.lo_open, INT_MAX, false));
  return static_cast<int>(v);
}

std::vector<double> read_numbers(const toml::node& node, const std::string& key, const std::string& origin) {
  const auto* array = node.as_array();
  auto wrong = [&] {
    fail(origin, key + " = " + render(node) + " has the wrong type: expected an array of numbers (one per input), got " +
                     type_name(node));
  };
  if (!array || array->empty()) wrong();
  std::vector<double> out;
  for (const auto& element : *array) {
    if (const auto* i = element.as_integer())
      out.push_back(static_cast<double>(i->get()));
    else if (const auto* r = element.as_floating_point())
      out.push_back(r->get());
    else
      wrong();
    if (!std::isfinite(out.back())) fail(origin, key + " = " + render(node) + " is out of range: every number must be finite");
  }
  return out;
}

InputChoice read_input(const toml::node& node, const std::string& key, const std::string& origin) {
  if (node.is_array()) {
    InputChoice c;
    c.kind = InputChoice::Kind::vector;
    c.values = read_numbers(node, key, origin);
    return c;
  }
  if (!node.is_string())
    fail(origin, key + " = " + render(node) + " has the wrong type: expected a string (zero, mean, NAME=VALUE) or an "
                     "array of numbers, got " + type_name(node));
  try {
    return parse_input_choice(node.as_string()->get(), key);
  } catch (const InputError& e) {
    fail(origin, e.what());
  }
}

[[noreturn]] void unknown(const std::string& dotted_table, const std::string& key,
                          const std::vector<std::string>& known, const std::string& origin) {
  std::string hint = did_you_mean(key, known, dotted_table + ".");
  if (hint.empty()) hint = " (keys of [" + dotted_table + "]: " + join(known) + ")";
  fail(origin, "unknown key '" + dotted_table + "." + key + "'" + hint);
}

ContinuationConfig read_continuation(const toml::node& node, const std::string& origin) {
  const std::string dotted = kTable + ".continuation";
  const toml::table* table = node.as_table();
  if (!table)
    fail(origin, dotted + " = " + render(node) + " has the wrong type: expected a table ([" + dotted +
                     "] with direction, from, to, steps), got " + type_name(node));
  for (const auto& [k, v] : *table) {
    const std::string name(k.str());
    if (std::find(kContinuationKeys.begin(), kContinuationKeys.end(), name) == kContinuationKeys.end())
      unknown(dotted, name, kContinuationKeys, origin);
  }
  ContinuationConfig c;
  const toml::node* direction = table->get("direction");
  if (!direction) fail(origin, "missing key '" + dotted + ".direction': the input direction du, one number per input");
  c.direction = read_numbers(*direction, dotted + ".direction", origin);
  if (const auto* n = table->get("from")) c.from = read_real(*n, dotted + ".from", origin, any_finite());
  if (const auto* n = table->get("to")) c.to = read_real(*n, dotted + ".to", origin, any_finite());
  if (const auto* n = table->get("steps")) c.steps = read_int(*n, dotted + ".steps", origin, interval(2, false, 100000, false));
  return c;
}

}  // namespace

std::string InputChoice::text() const {
  switch (kind) {
    case Kind::zero: return "zero";
    case Kind::mean: return "mean";
    case Kind::condition: return fmt::format("{}={}", name, value);
    case Kind::vector: {
      std::string t;
      for (std::size_t i = 0; i < values.size(); ++i) t += fmt::format("{}{}", i ? "," : "", values[i]);
      return t;
    }
  }
  return "";
}

InputChoice parse_input_choice(const std::string& raw, const std::string& what) {
  const std::string text = trim(raw);
  InputChoice c;
  if (text == "zero") return c;
  if (text == "mean") {
    c.kind = InputChoice::Kind::mean;
    return c;
  }
  if (const auto eq = text.find('='); eq != std::string::npos) {
    c.kind = InputChoice::Kind::condition;
    c.name = trim(text.substr(0, eq));
    const auto value = number(text.substr(eq + 1));
    if (c.name.empty() || !value) bad_input(what, raw, "is not a condition NAME=VALUE with a number as VALUE");
    c.value = *value;
    return c;
  }
  c.kind = InputChoice::Kind::vector;
  std::size_t start = 0;
  while (true) {
    const auto comma = text.find(',', start);
    const auto value = number(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (!value) bad_input(what, raw, "is not allowed");
    c.values.push_back(*value);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return c;
}

const std::vector<std::string>& fixed_point_keys() {
  static const std::vector<std::string> keys = {
      "starts",          "trials",         "noise",          "input",        "seed",
      "tolerance",       "slow_speed",     "max_iterations", "dedup_tolerance", "outlier_factor",
      "eigenvectors",    "threads",        "continuation"};
  return keys;
}

FixedPointOptions finder_options(const FixedPointConfig& config, const Network& net) {
  FixedPointOptions o = config.options;
  if (config.slow_tolerance) o.slow_speed = speed_from_q(*config.slow_tolerance, net.alpha);
  return o;
}

FixedPointConfig read_fixed_point_config(std::string_view toml_text, std::string_view source_view) {
  const std::string source(source_view);
  toml::table root;
  try {
    root = toml::parse(toml_text, source);
  } catch (const toml::parse_error& e) {
    const auto& where = e.source().begin;
    throw InputError(fmt::format("{}:{}:{}: TOML syntax error: {}", source, where.line, where.column, e.description()));
  }
  FixedPointConfig c;
  const toml::node* analysis_node = root.get("analysis");
  if (!analysis_node) return c;
  const toml::table* analysis = analysis_node->as_table();
  if (!analysis) fail(source, "analysis = " + render(*analysis_node) + " has the wrong type: expected a section ([analysis])");
  // Other analyses own their subtables; only a near miss of ours is surely a typo.
  for (const auto& [k, v] : *analysis) {
    const std::string name(k.str());
    if (name != "fixed_points" && nearest_name(name, {"fixed_points"}))
      fail(source, "unknown key 'analysis." + name + "'; did you mean 'analysis.fixed_points'?");
  }
  const toml::node* node = analysis->get("fixed_points");
  if (!node) return c;
  const toml::table* table = node->as_table();
  if (!table)
    fail(source, kTable + " = " + render(*node) + " has the wrong type: expected a table ([" + kTable + "]), got " +
                     type_name(*node));

  const auto& keys = fixed_point_keys();
  for (const auto& [k, v] : *table) {
    const std::string name(k.str());
    if (name != "slow_tolerance" && std::find(keys.begin(), keys.end(), name) == keys.end())
      unknown(kTable, name, keys, source);
  }
  auto key = [](const std::string& name) { return kTable + "." + name; };
  auto get = [&](const std::string& name) { return table->get(name); };
  FixedPointStarts& sampling = c.sampling;
  FixedPointOptions& o = c.options;
  if (auto* n = get("starts")) sampling.starts = read_int(*n, key("starts"), source, kStarts);
  if (auto* n = get("trials")) sampling.trials = read_int(*n, key("trials"), source, kTrials);
  if (auto* n = get("noise")) sampling.noise = read_real(*n, key("noise"), source, kNoise);
  if (auto* n = get("input")) c.input = read_input(*n, key("input"), source);
  if (auto* n = get("seed")) sampling.seed = static_cast<std::uint64_t>(read_integer(*n, key("seed"), source, kSeed));
  if (auto* n = get("tolerance")) o.fixed_tolerance = read_real(*n, key("tolerance"), source, kTolerance);
  if (auto* n = get("slow_speed")) o.slow_speed = read_real(*n, key("slow_speed"), source, kTolerance);
  if (auto* n = get("slow_tolerance")) {
    if (get("slow_speed"))
      fail(source, key("slow_tolerance") + " is deprecated and replaced by " + key("slow_speed") +
                       " (a speed per tau, the same for every alpha); give only slow_speed");
    c.slow_tolerance = read_real(*n, key("slow_tolerance"), source, kTolerance);
    if (*c.slow_tolerance < o.fixed_tolerance)
      fail(source, fmt::format("{} = {} is out of range: must be >= {} = {} (slow points have q above the "
                               "fixed-point tolerance)",
                               key("slow_tolerance"), format_real(*c.slow_tolerance), key("tolerance"),
                               format_real(o.fixed_tolerance)));
  }
  if (auto* n = get("max_iterations")) o.max_iterations = read_int(*n, key("max_iterations"), source, kIterations);
  if (auto* n = get("dedup_tolerance")) o.dedup_tolerance = read_real(*n, key("dedup_tolerance"), source, kTolerance);
  if (auto* n = get("outlier_factor")) o.outlier_factor = read_real(*n, key("outlier_factor"), source, kTolerance);
  if (auto* n = get("eigenvectors")) o.eigenvectors = read_int(*n, key("eigenvectors"), source, at_least(0));
  if (auto* n = get("threads")) o.threads = read_int(*n, key("threads"), source, kThreads);
  if (auto* n = get("continuation")) c.continuation = read_continuation(*n, source);
  return c;
}

void apply_overrides(FixedPointConfig& c, const FixedPointOverrides& o) {
  auto check = [](const std::string& option, double value, Range range) {
    if (!range.contains(value))
      throw InputError(fmt::format("{} {} is out of range: must be {}", option, value, range.text()));
  };
  if (o.starts) check("--starts", *o.starts, kStarts), c.sampling.starts = *o.starts;
  if (o.trials) check("--trials", *o.trials, kTrials), c.sampling.trials = *o.trials;
  if (o.threads) check("--threads", *o.threads, kThreads), c.options.threads = *o.threads;
  if (o.max_iterations)
    check("--max-iterations", *o.max_iterations, kIterations), c.options.max_iterations = *o.max_iterations;
  if (o.noise) check("--noise", *o.noise, kNoise), c.sampling.noise = *o.noise;
  if (o.tolerance) {
    check("--tolerance", *o.tolerance, kTolerance);
    c.options.fixed_tolerance = *o.tolerance;
    // A tolerance looser than the (deprecated) slow one would make every slow point a fixed one.
    if (c.slow_tolerance) c.slow_tolerance = std::max(*c.slow_tolerance, *o.tolerance);
  }
  if (o.seed) c.sampling.seed = *o.seed;
  if (o.input) c.input = parse_input_choice(*o.input, "--input");
}

}  // namespace rnnlab
