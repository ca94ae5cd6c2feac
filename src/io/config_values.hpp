#pragma once
// Internal to the config parser: reading one TOML value as the type a key
// wants, with the error messages docs/config.md promises (key, value given,
// what is allowed), and writing values back as TOML text.
#include <toml++/toml.h>

#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <vector>

namespace rnnlab::config_detail {

// Where each key's value came from, so a message can point at the file or at
// the --set that supplied it.
struct Origins {
  std::string source;                             // the config file's name
  std::map<std::string, std::string> overrides;   // dotted key -> "--set key=value"
  // The --set that set `dotted` (or a key under it), else the source.
  std::string of(const std::string& dotted) const;
};

[[noreturn]] void fail(const std::string& origin, const std::string& message);

// The value as it would appear in TOML ("tanhh" with quotes, 0.5, [1, 2]).
std::string render(const toml::node& node);
// "an integer", "a string", ... for type errors.
std::string type_name(const toml::node& node);
// Shortest text that reads back as the same double, always a TOML float.
std::string format_real(double value);
std::string format_string(const std::string& value);

// A closed, open or half-open interval of allowed numbers.
struct Range {
  double lo = -std::numeric_limits<double>::infinity();
  double hi = std::numeric_limits<double>::infinity();
  bool lo_open = false, hi_open = false;
  bool contains(double x) const;
  std::string text() const;  // ">= 1", "> 0", "in (0, 1]", "finite"
};
Range at_least(double lo);
Range above(double lo);
Range interval(double lo, bool lo_open, double hi, bool hi_open);
inline Range any_finite() { return {}; }

// Readers: `key` is the dotted key ("model.units"), `origin` where it came from.
std::int64_t read_integer(const toml::node& node, const std::string& key, const std::string& origin, Range range);
double read_real(const toml::node& node, const std::string& key, const std::string& origin, Range range);
bool read_bool(const toml::node& node, const std::string& key, const std::string& origin);
std::string read_string(const toml::node& node, const std::string& key, const std::string& origin);
// A string that must be one of `allowed`; returns its index there.
std::size_t read_choice(const toml::node& node, const std::string& key, const std::string& origin,
                        const std::vector<std::string>& allowed);
// An array of strings, each one of `allowed` (duplicates dropped).
std::vector<std::string> read_choice_list(const toml::node& node, const std::string& key,
                                          const std::string& origin, const std::vector<std::string>& allowed);

std::string join(const std::vector<std::string>& items, const std::string& separator = ", ");

}  // namespace rnnlab::config_detail
