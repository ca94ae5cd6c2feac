#include "pipeline/task_resolution.hpp"

#include <fmt/format.h>

#include "io/toml_writer.hpp"
#include "util/error.hpp"

namespace rnnlab {

namespace {

std::string known_tasks() {
  std::string names;
  for (const TaskInfo& info : task_registry()) names += (names.empty() ? "" : ", ") + info.name;
  return names;
}

}  // namespace

TaskSpec resolve_task(const std::string& task_toml, const std::string& source, const std::vector<std::string>& sets,
                      double dt) {
  for (const std::string& set : sets)
    if (set.rfind("task.", 0) != 0)
      throw InputError("--set " + set +
                       ": only task.* keys can be set here (for example --set task.noise=0.1); the network's own "
                       "weights, dt and tau are used as stored");
  // The network fixes dt; tau only has to be valid (>= dt) for the config to parse.
  TomlTable model{"model", {}, {}};
  model.set("dt", toml_real(dt)).set("tau", toml_real(dt));
  return parse_config(task_toml + "\n" + to_toml({model}), source, sets).task;
}

std::string task_toml_for_name(const std::string& name) {
  TomlTable task{"task", {}, {}};
  task.set("name", toml_string(name));
  return to_toml({task});
}

std::unique_ptr<Task> make_task_for(const TaskSpec& spec, double dt) { return make_task(spec.name, spec.params, dt); }

NetworkTasks tasks_for_networks(const std::string& path, const Experiment& exp, const std::string& task_name,
                                const std::vector<std::string>& sets, const std::vector<std::string>& skip) {
  std::string text, source;
  if (!task_name.empty()) {
    text = task_toml_for_name(task_name);
    source = "--task " + task_name;
  } else {
    text = task_table_text(exp.config, path);
    if (text.empty())
      throw InputError(fmt::format(
          "{}: the file records no task (networks imported without --task); pass --task NAME (one of {})", path,
          known_tasks()));
    source = path + " (config attribute)";
  }
  NetworkTasks tasks;
  tasks.source = source;
  for (std::size_t i = 0; i < exp.networks.size(); ++i) {
    if (i < skip.size() && !skip[i].empty()) continue;
    const NetworkRecord& rec = exp.networks[i];
    const Network& net = rec.trained;
    auto it = tasks.by_dt.find(net.dt);
    if (it == tasks.by_dt.end()) {
      const TaskSpec spec = resolve_task(text, source, sets, net.dt);
      tasks.name = spec.name;
      it = tasks.by_dt.emplace(net.dt, make_task_for(spec, net.dt)).first;
    }
    const Task& task = *it->second;
    if (net.inputs() != task.n_inputs() || net.outputs() != task.n_outputs())
      throw InputError(fmt::format("{}: network {} has {} input(s) and {} output(s) but task {} has {} and {}; "
                                   "choose a task that fits with --task",
                                   path, rec.seed, net.inputs(), net.outputs(), task.name(), task.n_inputs(),
                                   task.n_outputs()));
  }
  return tasks;
}

}  // namespace rnnlab
