// The resource estimate of io/resources.hpp. The counts follow what training
// holds (train/bptt.cpp, train/trainer.cpp): all in float32 but the weights'
// float64 copies (initial weights, masks) that the record keeps.
#include "io/resources.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <vector>

#include "tasks/task.hpp"
#include "util/error.hpp"

namespace rnnlab {

namespace {

constexpr double kFloat = sizeof(float), kDouble = sizeof(double);
constexpr double kInfinite = std::numeric_limits<double>::infinity();

// What one network of one sweep point needs.
struct NetworkNeeds {
  double steps = 0, units = 0;
  double rollout = 0, validation = 0, weights = 0, file = 0;
};

// The trial length T comes from the task itself (its durations over model.dt).
NetworkNeeds needs_of(const ExperimentConfig& c) {
  NetworkNeeds n;
  const double N = c.model.units, I = c.model.inputs, O = c.model.outputs;
  n.steps = make_task(c.task.name, c.task.params, c.model.dt)->steps();
  n.units = N;
  const double parameters = N * N + N * I + O * N + 2 * N + O;  // W_rec, W_in, W_out, b, x0, b_out
  // A batch's rollout and gradient: states x, rates r, recurrent noise and
  // the back-propagated error (N each per step and trial), outputs, their
  // error and the targets (O each), inputs (I) and the loss mask.
  n.rollout = (4 * N + I + 3 * O + 1) * n.steps * c.train.batch * kFloat;
  // The validation set (inputs, targets, mask) is kept for the whole run; the
  // rollout over it holds x, r, noise and the outputs.
  n.validation = (3 * N + I + 3 * O + 1) * n.steps * c.train.validation_trials * kFloat;
  // Parameters, gradient, Adam's two moments (float32), and the float64
  // initial weights, mask and the record's copy.
  n.weights = parameters * (4 * kFloat + 3 * kDouble);
  const double validations = std::ceil(static_cast<double>(c.train.iterations) / std::max(c.train.validate_every, 1)) + 1;
  n.file = 2 * parameters * kDouble + 5 * validations * kDouble;  // initial and trained weights, the curves
  return n;
}

// "16G" -> 16 * 2^30; nullopt-like NaN when it does not read as a size.
double parse_size(const std::string& text) {
  std::size_t used = 0;
  double value = std::numeric_limits<double>::quiet_NaN();
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  std::string suffix = text.substr(used);
  if (!suffix.empty() && (suffix.back() == 'B' || suffix.back() == 'b')) suffix.pop_back();
  const std::string units = "KMGT";
  if (suffix.size() == 1 && units.find(static_cast<char>(std::toupper(suffix[0]))) != std::string::npos)
    value *= std::pow(1024.0, 1 + static_cast<double>(units.find(static_cast<char>(std::toupper(suffix[0])))));
  else if (!suffix.empty())
    return std::numeric_limits<double>::quiet_NaN();
  return std::isfinite(value) && value >= 0 ? value : std::numeric_limits<double>::quiet_NaN();
}

// MemAvailable from /proc/meminfo: what can be allocated without swapping.
double available_memory() {
  std::ifstream meminfo("/proc/meminfo");
  std::string key;
  double kb = 0;
  std::string unit;
  while (meminfo >> key >> kb >> unit)
    if (key == "MemAvailable:") return kb * 1024.0;
  const long pages = ::sysconf(_SC_AVPHYS_PAGES), page = ::sysconf(_SC_PAGESIZE);
  return pages > 0 && page > 0 ? static_cast<double>(pages) * static_cast<double>(page) : kInfinite;
}

// A cgroup's limit (SLURM confines a job's memory with one); infinite without one.
double cgroup_limit() {
  for (const char* file : {"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"}) {
    std::ifstream in(file);
    std::string text;
    if (in >> text && text != "max") {
      const double value = parse_size(text);
      if (std::isfinite(value) && value > 0 && value < 1e18) return value;
    }
  }
  return kInfinite;
}

const char* const kLimitVariable = "RNNLAB_MEMORY_LIMIT";

// The config of each sweep point (the config itself without a sweep).
std::vector<const ExperimentConfig*> point_configs(const ExperimentConfig& config) {
  if (config.points.empty()) return {&config};
  std::vector<const ExperimentConfig*> points;
  for (int p = 0; p < static_cast<int>(config.points.size()); ++p) points.push_back(&config.at(p));
  return points;
}

}  // namespace

std::string bytes_text(double bytes) {
  if (bytes >= 1e9) return fmt::format("{:.3g} GB", bytes / 1e9);
  if (bytes >= 1e6) return fmt::format("{:.3g} MB", bytes / 1e6);
  return fmt::format("{:.3g} kB", bytes / 1e3);
}

ResourceEstimate estimate_resources(const ExperimentConfig& config, int concurrent) {
  ResourceEstimate e;
  const auto networks = static_cast<double>(config.networks().size());
  for (const ExperimentConfig* c : point_configs(config)) {
    const NetworkNeeds n = needs_of(*c);
    e.training_bytes = std::max(e.training_bytes, n.rollout + n.weights);
    e.validation_bytes = std::max(e.validation_bytes, n.validation);
    e.file_bytes += n.file * static_cast<double>(c->seeds().size());
  }
  e.memory_bytes = (e.training_bytes + e.validation_bytes) * std::clamp<double>(concurrent, 1, std::max(networks, 1.0));
  return e;
}

double memory_limit_bytes() {
  if (const char* given = std::getenv(kLimitVariable)) {
    const std::string text = given;
    if (text == "none" || text == "0") return kInfinite;
    const double value = parse_size(text);
    if (!std::isfinite(value) || value <= 0)
      throw InputError(fmt::format("${} = '{}' is not a memory size: give bytes or a number with K, M, G or T "
                                   "(\"64G\"), or \"none\" to turn the check off",
                                   kLimitVariable, text));
    return value;
  }
  return std::min(available_memory(), cgroup_limit());
}

ResourceEstimate check_resources(const ExperimentConfig& config, int concurrent) {
  const ResourceEstimate e = estimate_resources(config, concurrent);
  const double limit = memory_limit_bytes();
  if (e.memory_bytes <= limit) return e;
  // The keys behind each part, at the largest point (the one that sets the estimate).
  NetworkNeeds worst;
  const ExperimentConfig* largest = &config;
  for (const ExperimentConfig* c : point_configs(config)) {
    const NetworkNeeds n = needs_of(*c);
    if (n.rollout + n.validation + n.weights > worst.rollout + worst.validation + worst.weights) {
      worst = n;
      largest = c;
    }
  }
  const auto steps = fmt::format("T = {:g}", worst.steps);
  const std::string validation =
      fmt::format("its validation set and rollout {} (train.validation_trials = {} trials x {} x model.units = {})",
                  bytes_text(worst.validation), largest->train.validation_trials, steps, largest->model.units);
  const std::string training =
      fmt::format("its training rollout and gradient {} (train.batch = {} trials x {} x model.units = {})",
                  bytes_text(worst.rollout), largest->train.batch, steps, largest->model.units);
  const std::string weights =
      fmt::format("its weights and optimiser state {} (model.units = {} squared)", bytes_text(worst.weights),
                  largest->model.units);
  // The largest part first: the key to lower.
  std::vector<std::pair<double, std::string>> parts = {
      {worst.validation, validation}, {worst.rollout, training}, {worst.weights, weights}};
  std::sort(parts.begin(), parts.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  const double together = std::round(e.memory_bytes / std::max(e.training_bytes + e.validation_bytes, 1.0));
  throw InputError(fmt::format(
      "this job needs about {} of memory, more than the limit of {} ({}): per network, {}; {}; {}{} "
      "(T = the task's durations / model.dt = {:g} ms, in steps). "
      "Lower the first of these keys (or train fewer networks at once: --threads)",
      bytes_text(e.memory_bytes), bytes_text(limit),
      std::getenv(kLimitVariable) ? fmt::format("${}", kLimitVariable)
                                  : fmt::format("the memory available now; ${} sets another", kLimitVariable),
      parts[0].second, parts[1].second, parts[2].second,
      together > 1 ? fmt::format("; {:g} networks train at once", together) : "", largest->model.dt));
}

}  // namespace rnnlab
