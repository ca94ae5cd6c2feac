#include "analysis/held_memory.hpp"

#include "train/evaluate.hpp"
#include "util/error.hpp"

namespace rnnlab {

namespace {

// The value of a numeric parameter: given, else the task's default; NaN if the task has none.
double number_or_default(const TaskInfo& info, const ParamValues& params, const std::string& name) {
  if (const auto it = params.find(name); it != params.end())
    if (const double* v = std::get_if<double>(&it->second)) return *v;
  for (const ParamSpec& spec : info.params)
    if (spec.name == name)
      if (const double* v = std::get_if<double>(&spec.default_value)) return *v;
  return std::numeric_limits<double>::quiet_NaN();
}

}  // namespace

ParamValues stretch_memory_period(const std::string& task, ParamValues params, double factor, std::string& parameter) {
  parameter.clear();
  const TaskInfo* info = find_task(task);
  if (!info) throw InputError("held memory: unknown task '" + task + "'");
  const double delay = number_or_default(*info, params, "delay");
  const double duration = number_or_default(*info, params, "duration");
  if (delay > 0) {
    parameter = "delay";
    params["delay"] = delay * factor;
  } else if (duration > 0) {
    parameter = "duration";
    params["duration"] = duration * factor;
    if (const double rate = number_or_default(*info, params, "pulse_rate"); rate == rate) params["pulse_rate"] = rate / factor;
  }
  return params;
}

std::vector<HeldMemory> held_memory(const Network& net, const std::string& task, const ParamValues& params,
                                    const std::vector<double>& factors, int trials, std::uint64_t seed) {
  std::vector<HeldMemory> out;
  for (double factor : factors) {
    HeldMemory h;
    h.factor = factor;
    const ParamValues stretched = stretch_memory_period(task, params, factor, h.parameter);
    if (!h.parameter.empty()) {
      try {
        h.accuracy = evaluate(net, *make_task(task, stretched, net.dt), trials, seed).accuracy;
      } catch (const InputError&) {
        // the stretched task breaks one of the task's own rules: not testable (NaN)
      }
    }
    out.push_back(h);
  }
  return out;
}

}  // namespace rnnlab
