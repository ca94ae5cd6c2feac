#include "custom_training.hpp"

#include <sstream>
#include <toml++/toml.h>

#include "util/error.hpp"

namespace rnnlab::py_bind {

namespace {

// The [task] table of the config as run, ending in a blank line as every table does there.
std::string task_table(const std::string& name, const ParamValues& params) {
  toml::table task;
  task.insert_or_assign("name", name);
  for (const auto& [key, value] : params)
    std::visit([&, &key = key](const auto& v) { task.insert_or_assign(key, v); }, value);
  toml::table root;
  root.insert_or_assign("task", std::move(task));
  std::ostringstream text;
  text << toml::toml_formatter{root};
  return text.str() + "\n\n";
}

// `text` (a config as run: io/config.cpp writes [task] as its first table,
// ending at the first blank line) with that table replaced by `table`.
std::string with_task_table(const std::string& text, const std::string& table) {
  const auto start = text.find("\n[task]\n");
  const auto end = start == std::string::npos ? start : text.find("\n\n", start + 1);
  if (end == std::string::npos) throw Error("internal error: no [task] table in the config as run");
  return text.substr(0, start + 1) + table + text.substr(end + 2);
}

void name_the_task(ExperimentConfig& point, const Task& task, const ParamValues& params, const std::string& table) {
  point.task = TaskSpec{task.name(), params};
  point.model.inputs = task.n_inputs();
  point.model.outputs = task.n_outputs();
  point.toml_text = with_task_table(point.toml_text, table);
}

}  // namespace

void use_python_task(ExperimentConfig& config, const Task& task, const ParamValues& params) {
  for (const SweepAxis& axis : config.sweep.axes)
    if (axis.key.rfind("task.", 0) == 0)
      throw InputError("[sweep] " + axis.key + ": a task from Python takes its parameters from Python; sweep " +
                       "them there (one train() per value)");
  const std::string table = task_table(task.name(), params);
  name_the_task(config, task, params, table);
  for (ExperimentConfig& point : config.points) name_the_task(point, task, params, table);
}

}  // namespace rnnlab::py_bind
