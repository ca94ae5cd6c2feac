// The task registry and make_task: the one place where a [task] table from a
// config is checked against what the task declares, so every task gets the
// same messages for unknown keys, wrong types, ranges and choices.
#include <cmath>
#include <sstream>

#include "tasks/python_task.hpp"
#include "tasks/task.hpp"
#include "util/error.hpp"
#include "util/suggest.hpp"

namespace rnnlab {

// Each task's file defines its entry.
TaskInfo flipflop_task();
TaskInfo set_reset_task();
TaskInfo logic_task();
TaskInfo oscillator_task();
TaskInfo delayed_pulse_task();
TaskInfo perceptual_dm_task();
TaskInfo context_dm_task();
TaskInfo parametric_wm_task();
TaskInfo ready_set_go_task();
TaskInfo simple_dm_task();
TaskInfo perceptual_integration_task();
TaskInfo long_short_task();
// Jarne's task suite (issue 17).
TaskInfo multi_interval_task();
TaskInfo interval_distance_task();
TaskInfo multi_amplitude_task();
TaskInfo cued_integration_task();
TaskInfo interval_comparison_task();
TaskInfo context_logic_task();

const std::vector<TaskInfo>& task_registry() {
  static const std::vector<TaskInfo> registry = {
      flipflop_task(),      set_reset_task(),  logic_task(),         oscillator_task(),   delayed_pulse_task(),
      perceptual_dm_task(), context_dm_task(), parametric_wm_task(), ready_set_go_task(), simple_dm_task(),
      perceptual_integration_task(), long_short_task(),
      multi_interval_task(), interval_distance_task(), multi_amplitude_task(), cued_integration_task(),
      interval_comparison_task(), context_logic_task(),
  };
  return registry;
}

const TaskInfo* find_task(const std::string& name) {
  for (const auto& info : task_registry())
    if (info.name == name) return &info;
  return nullptr;
}

namespace {

std::string show_number(double x) {
  std::ostringstream out;
  out.precision(10);
  out << x;
  return out.str();
}

std::string show(const ParamValue& v) {
  if (const auto* x = std::get_if<double>(&v)) return show_number(*x);
  if (const auto* flag = std::get_if<bool>(&v)) return *flag ? "true" : "false";
  return "'" + std::get<std::string>(v) + "'";
}

const char* kind_of(const ParamValue& v) {
  if (std::holds_alternative<double>(v)) return "a number";
  if (std::holds_alternative<bool>(v)) return "a boolean";
  return "a string";
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) out += (i ? ", " : "") + names[i];
  return out;
}

std::string allowed_range(const ParamSpec& spec) {
  std::string what = spec.integer ? "an integer" : "a number";
  const bool low = spec.min > -1e300, high = spec.max < 1e300;
  if (low && high) return what + " in [" + show_number(spec.min) + ", " + show_number(spec.max) + "]";
  if (low) return what + " >= " + show_number(spec.min);
  if (high) return what + " <= " + show_number(spec.max);
  return what;
}

// Throws InputError unless `value` is what `spec` allows.
void check_value(const std::string& task, const ParamSpec& spec, const ParamValue& value) {
  const std::string key = "task." + spec.name;
  if (value.index() != spec.default_value.index())
    throw InputError(key + ": expected " + kind_of(spec.default_value) + " for task '" + task + "', got " +
                     show(value) + " (" + kind_of(value) + ")");
  if (const auto* x = std::get_if<double>(&value)) {
    const bool whole_ok = !spec.integer || std::floor(*x) == *x;
    if (!std::isfinite(*x) || *x < spec.min || *x > spec.max || !whole_ok)
      throw InputError(key + ": " + show(value) + " is not allowed; expected " + allowed_range(spec));
  } else if (const auto* s = std::get_if<std::string>(&value)) {
    if (spec.choices.empty()) return;
    for (const auto& choice : spec.choices)
      if (*s == choice) return;
    throw InputError(key + ": " + show(value) + " is not one of " + join(spec.choices) +
                     did_you_mean(*s, spec.choices));
  }
}

}  // namespace

int python_task_channels(const std::string& task_name, const ParamValues& params, const std::string& key) {
  const auto it = params.find(key);
  const double* n = it == params.end() ? nullptr : std::get_if<double>(&it->second);
  if (!n || !(*n >= 1) || std::floor(*n) != *n || *n > 1e6)
    throw InputError("task." + key + ": a task from Python (task.name = \"" + task_name +
                     "\") records its number of " + key + " here, a positive integer");
  return static_cast<int>(*n);
}

std::unique_ptr<Task> make_task(const std::string& name, const ParamValues& given, double dt) {
  if (is_python_task(name)) throw InputError(python_task_message(name));
  const TaskInfo* info = find_task(name);
  if (!info) {
    std::vector<std::string> known;
    for (const auto& t : task_registry()) known.push_back(t.name);
    throw InputError("task.name: unknown task '" + name + "'; known: " + join(known) + did_you_mean(name, known));
  }
  if (!std::isfinite(dt) || dt <= 0.0)
    throw InputError("model.dt: the time step must be a positive number of ms, got " + show_number(dt));

  std::vector<std::string> known;
  for (const auto& spec : info->params) known.push_back(spec.name);
  for (const auto& [key, value] : given) {
    if (key == "name") continue;  // the [task] table's own selector, not a task parameter
    bool declared = false;
    for (const auto& spec : info->params) declared = declared || spec.name == key;
    if (!declared)
      throw InputError("task." + key + ": unknown parameter for task '" + name + "'; known: " + join(known) +
                       did_you_mean(key, known));
  }

  ParamValues complete;
  for (const auto& spec : info->params) {
    const auto it = given.find(spec.name);
    const ParamValue& value = it == given.end() ? spec.default_value : it->second;
    check_value(name, spec, value);
    complete[spec.name] = value;
  }
  return info->make(complete, dt);
}

}  // namespace rnnlab
