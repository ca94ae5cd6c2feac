// `rnnlab tasks`: every task with its parameters, defaults and description.
#include <fmt/format.h>

#include <variant>

#include "cli/commands.hpp"
#include "tasks/task.hpp"

namespace rnnlab::cli {

namespace {

std::string show(const ParamValue& v) {
  if (auto d = std::get_if<double>(&v)) return fmt::format("{:g}", *d);
  if (auto b = std::get_if<bool>(&v)) return *b ? "true" : "false";
  return fmt::format("\"{}\"", std::get<std::string>(v));
}

}  // namespace

Subcommand add_tasks(CLI::App& app) {
  auto* sub = app.add_subcommand("tasks", "List the tasks, their parameters and defaults");
  auto name = std::make_shared<std::string>();
  sub->add_option("name", *name, "Show only this task");
  return {sub, [name] {
    for (const TaskInfo& info : task_registry()) {
      if (!name->empty() && info.name != *name) continue;
      fmt::print("{}\n    {}\n", info.name, info.description);
      for (const ParamSpec& p : info.params) {
        std::string allowed;
        if (!p.choices.empty()) allowed = fmt::format(" (one of {})", fmt::join(p.choices, ", "));
        fmt::print("    {:<20} = {:<10} {}{}\n", p.name, show(p.default_value), p.description, allowed);
      }
      fmt::print("\n");
    }
    if (!name->empty() && !find_task(*name)) {
      make_task(*name, {}, 1.0);  // throws the "unknown task" InputError listing the known ones
    }
    return 0;
  }};
}

}  // namespace rnnlab::cli
