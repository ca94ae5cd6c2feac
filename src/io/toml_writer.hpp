#pragma once
// The one TOML writer of the project: configs and tables built in code
// (an import's record, a task given by name, a Python dict) become TOML text
// that reads like a config a person wrote: keys in the order given, floats
// in their shortest round-trip form (0.06, not 0.059999999999999998),
// strings in double quotes. toml++'s own formatter sorts keys and prints 17
// digits, which is why this exists. Python's `_core.to_toml(dict)` is this.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "io/config.hpp"

namespace rnnlab {

// A TOML table to be written: its keys in order, each value already TOML text
// (from the toml_* functions below), then its subtables.
struct TomlTable {
  std::string name;  // this table's own name ("fixed_points"); a subtable is written as [parent.name]
  std::vector<std::pair<std::string, std::string>> values;  // (key, value as TOML text)
  std::vector<TomlTable> tables;                            // subtables, written after the keys

  TomlTable& set(const std::string& key, std::string toml_text) {
    values.emplace_back(key, std::move(toml_text));
    return *this;
  }
};

// Values as TOML text.
std::string toml_real(double value);                // shortest round trip, always a float: 3 -> 3.0; nan, inf
std::string toml_string(const std::string& value);  // "..." with escapes
std::string toml_integer(std::int64_t value);
std::string toml_bool(bool value);
std::string toml_array(const std::vector<std::string>& items);  // items already TOML text
// A key as written: bare when it is made of A-Z a-z 0-9 _ -, else quoted.
std::string toml_key(const std::string& key);

// The tables as one text: for each, "[name]", its "key = value" lines and a
// blank line, then its subtables the same way as [name.sub]. Every table is
// written with its header, even one holding only subtables.
std::string to_toml(const std::vector<TomlTable>& tables);

// The [task] table of `spec` with every parameter (defaults included), in the
// order the task declares them (`rnnlab tasks`), integer parameters as
// integers: what a training config's [task] holds.
TomlTable task_table(const TaskSpec& spec);

}  // namespace rnnlab
