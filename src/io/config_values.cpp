#include "io/config_values.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <sstream>

#include "util/error.hpp"
#include "util/suggest.hpp"

namespace rnnlab::config_detail {

std::string Origins::of(const std::string& dotted) const {
  for (const auto& [key, text] : overrides)
    if (key == dotted || key.rfind(dotted + ".", 0) == 0) return text;
  return source;
}

void fail(const std::string& origin, const std::string& message) { throw InputError(origin + ": " + message); }

std::string render(const toml::node& node) {
  if (node.is_table()) return "a table";
  if (const auto* real = node.as_floating_point()) return format_real(real->get());
  std::ostringstream os;
  node.visit([&](const auto& n) { os << n; });
  return os.str();
}

std::string type_name(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a float";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::string: return "a string";
    case toml::node_type::array: return "an array";
    case toml::node_type::table: return "a table";
    default: return "a date or time";
  }
}

std::string format_real(double value) {
  std::string text = fmt::format("{}", value);  // shortest round-trip representation
  if (text.find_first_of(".eni") == std::string::npos) text += ".0";  // 3 -> 3.0: stays a float
  return text;
}

std::string format_string(const std::string& value) {
  // Basic "..." strings rather than toml++'s default '...' literals: they are
  // what people write, and they can hold any text (escaped).
  const toml::value<std::string> node(value);
  std::ostringstream os;
  os << toml::toml_formatter{node, toml::toml_formatter::default_flags & ~toml::format_flags::allow_literal_strings &
                                       ~toml::format_flags::allow_multi_line_strings};
  return os.str();
}

bool Range::contains(double x) const {
  if (std::isnan(x) || std::isinf(x)) return false;
  const bool lo_ok = lo_open ? x > lo : x >= lo;
  const bool hi_ok = hi_open ? x < hi : x <= hi;
  return lo_ok && hi_ok;
}

std::string Range::text() const {
  const bool has_lo = std::isfinite(lo), has_hi = std::isfinite(hi);
  if (has_lo && has_hi)
    return fmt::format("in {}{}, {}{}", lo_open ? "(" : "[", lo, hi, hi_open ? ")" : "]");
  if (has_lo) return fmt::format("{} {}", lo_open ? ">" : ">=", lo);
  if (has_hi) return fmt::format("{} {}", hi_open ? "<" : "<=", hi);
  return "finite";
}

Range at_least(double lo) { return interval(lo, false, std::numeric_limits<double>::infinity(), false); }
Range above(double lo) { return interval(lo, true, std::numeric_limits<double>::infinity(), false); }
Range interval(double lo, bool lo_open, double hi, bool hi_open) {
  Range r;
  r.lo = lo;
  r.hi = hi;
  r.lo_open = lo_open;
  r.hi_open = hi_open;
  return r;
}

namespace {

[[noreturn]] void wrong_type(const toml::node& node, const std::string& key, const std::string& origin,
                             const std::string& expected, const std::string& hint = "") {
  fail(origin, key + " = " + render(node) + " has the wrong type: expected " + expected + ", got " +
                   type_name(node) + hint);
}

void check_range(const toml::node& node, double value, const std::string& key, const std::string& origin,
                 Range range) {
  if (!range.contains(value))
    fail(origin, key + " = " + render(node) + " is out of range: must be " + range.text());
}

}  // namespace

std::int64_t read_integer(const toml::node& node, const std::string& key, const std::string& origin, Range range) {
  if (const auto* real = node.as_floating_point()) {
    // Refused rather than truncated: 2.5 units is a mistake, not a request for 2.
    const double v = real->get();
    const std::string hint =
        std::isfinite(v) && v == std::floor(v) ? fmt::format(" (write {} without the decimal point)", v) : "";
    wrong_type(node, key, origin, "an integer", hint);
  }
  const auto* integer = node.as_integer();
  if (!integer) wrong_type(node, key, origin, "an integer");
  const std::int64_t value = integer->get();
  check_range(node, static_cast<double>(value), key, origin, range);
  return value;
}

double read_real(const toml::node& node, const std::string& key, const std::string& origin, Range range) {
  double value = 0;
  if (const auto* integer = node.as_integer())
    value = static_cast<double>(integer->get());
  else if (const auto* real = node.as_floating_point())
    value = real->get();
  else
    wrong_type(node, key, origin, "a number");
  check_range(node, value, key, origin, range);
  return value;
}

bool read_bool(const toml::node& node, const std::string& key, const std::string& origin) {
  const auto* boolean = node.as_boolean();
  if (!boolean) wrong_type(node, key, origin, "a boolean (true or false)");
  return boolean->get();
}

std::string read_string(const toml::node& node, const std::string& key, const std::string& origin) {
  const auto* string = node.as_string();
  if (!string) wrong_type(node, key, origin, "a string");
  return string->get();
}

std::size_t read_choice(const toml::node& node, const std::string& key, const std::string& origin,
                        const std::vector<std::string>& allowed) {
  const auto* string = node.as_string();
  if (!string) wrong_type(node, key, origin, "a string, one of " + join(allowed));
  const std::string& value = string->get();
  const auto it = std::find(allowed.begin(), allowed.end(), value);
  if (it == allowed.end())
    fail(origin, key + " = " + render(node) + " is not allowed: must be one of " + join(allowed) +
                     did_you_mean(value, allowed));
  return static_cast<std::size_t>(it - allowed.begin());
}

std::vector<std::string> read_choice_list(const toml::node& node, const std::string& key,
                                          const std::string& origin, const std::vector<std::string>& allowed) {
  const auto* array = node.as_array();
  if (!array) wrong_type(node, key, origin, "an array of strings among " + join(allowed));
  std::vector<std::string> out;
  for (const auto& element : *array) {
    const auto* string = element.as_string();
    if (!string) wrong_type(node, key, origin, "an array of strings among " + join(allowed));
    const std::string& value = string->get();
    if (std::find(allowed.begin(), allowed.end(), value) == allowed.end())
      fail(origin, key + " = " + render(node) + ": '" + value + "' is not allowed: each must be one of " +
                       join(allowed) + did_you_mean(value, allowed));
    if (std::find(out.begin(), out.end(), value) == out.end()) out.push_back(value);
  }
  return out;
}

std::string join(const std::vector<std::string>& items, const std::string& separator) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? separator : "") + items[i];
  return out;
}

}  // namespace rnnlab::config_detail
