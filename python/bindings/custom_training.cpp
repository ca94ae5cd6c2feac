#include "custom_training.hpp"

#include <sstream>
#include <toml++/toml.h>

#include "util/error.hpp"

namespace rnnlab::py_bind {

std::string with_python_task(const std::string& toml_text, const std::string& source, const Task& task,
                             const ParamValues& params) {
  toml::table root;
  try {
    root = toml::parse(toml_text, source);
  } catch (const toml::parse_error& e) {
    throw InputError(source + ": not valid TOML (" + std::string(e.description()) + ")");
  }
  toml::table table;
  table.insert_or_assign("name", task.name());
  table.insert_or_assign("inputs", task.n_inputs());
  table.insert_or_assign("outputs", task.n_outputs());
  for (const auto& [key, value] : params) {
    if (table.contains(key))
      throw InputError(task.name() + ": params['" + key + "']: the names name, inputs and outputs are the [task] " +
                       "table's own; call the parameter something else");
    std::visit([&, &key = key](const auto& v) { table.insert_or_assign(key, v); }, value);
  }
  root.insert_or_assign("task", std::move(table));
  std::ostringstream text;
  text << toml::toml_formatter{root};
  return text.str() + "\n";
}

}  // namespace rnnlab::py_bind
