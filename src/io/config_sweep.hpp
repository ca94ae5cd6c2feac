#pragma once
// Internal to the config parser: the [sweep] table (docs/config.md "[sweep]").
#include <toml++/toml.h>

#include <string>

#include "io/config_values.hpp"
#include "io/sweep.hpp"

namespace rnnlab::config_detail {

// Takes [sweep] out of `root` and checks it: every key must be a [model] or
// [train] key (dotted, "model.units"; nested tables are read as dotted keys),
// every value an array of one or more values, each valid for that key exactly
// as in its own section. Values come back in canonical TOML text. Empty when
// `root` has no [sweep].
Sweep take_sweep(toml::table& root, const Origins& origins);

// `root` with the values of sweep point `p` set in their sections.
void apply_sweep_point(toml::table& root, const Sweep& sweep, int p);

// The [sweep] section as TOML text, for the effective config; "" when empty.
std::string write_sweep(const Sweep& sweep);

}  // namespace rnnlab::config_detail
