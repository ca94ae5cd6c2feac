#include "io/toml_writer.hpp"

#include <algorithm>
#include <cmath>

#include "io/config_values.hpp"

namespace rnnlab {

// The scalar forms are the config parser's (config_values.hpp), so that a
// config written here and one the parser echoes back ("config as run") agree.
std::string toml_real(double value) { return config_detail::format_real(value); }
std::string toml_string(const std::string& value) { return config_detail::format_string(value); }
std::string toml_integer(std::int64_t value) { return std::to_string(value); }
std::string toml_bool(bool value) { return value ? "true" : "false"; }

std::string toml_array(const std::vector<std::string>& items) {
  std::string text = "[";
  for (std::size_t k = 0; k < items.size(); ++k) text += (k ? ", " : "") + items[k];
  return text + "]";
}

std::string toml_key(const std::string& key) {
  const bool bare = !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
  return bare ? key : toml_string(key);
}

namespace {

void write_table(std::string& text, const std::string& prefix, const TomlTable& table) {
  const std::string name = prefix.empty() ? toml_key(table.name) : prefix + "." + toml_key(table.name);
  text += "[" + name + "]\n";
  for (const auto& [key, value] : table.values) text += toml_key(key) + " = " + value + "\n";
  text += "\n";
  for (const TomlTable& sub : table.tables) write_table(text, name, sub);
}

}  // namespace

std::string to_toml(const std::vector<TomlTable>& tables) {
  std::string text;
  for (const TomlTable& table : tables) write_table(text, "", table);
  if (!text.empty()) text.pop_back();  // one newline at the end, not a blank line
  return text;
}

TomlTable task_table(const TaskSpec& spec) {
  TomlTable table{"task", {}, {}};
  table.set("name", toml_string(spec.name));
  const TaskInfo* info = find_task(spec.name);
  auto value_text = [](const ParamValue& value, bool integer) {
    if (const auto* x = std::get_if<double>(&value)) {
      // Integer parameters stay integers, as a user would write them.
      const bool whole = integer && std::abs(*x) < 9.0e15 && std::floor(*x) == *x;
      return whole ? toml_integer(static_cast<std::int64_t>(*x)) : toml_real(*x);
    }
    if (const auto* flag = std::get_if<bool>(&value)) return toml_bool(*flag);
    return toml_string(std::get<std::string>(value));
  };
  // The task's declared order first, then anything it does not declare.
  if (info)
    for (const ParamSpec& p : info->params)
      if (auto it = spec.params.find(p.name); it != spec.params.end()) table.set(p.name, value_text(it->second, p.integer));
  for (const auto& [key, value] : spec.params) {
    const bool declared = info && std::any_of(info->params.begin(), info->params.end(),
                                              [&](const ParamSpec& p) { return p.name == key; });
    // A task from Python (no declaration): whole numbers as integers (its inputs, outputs).
    if (!declared) table.set(key, value_text(value, !info));
  }
  return table;
}

}  // namespace rnnlab
