#pragma once
// "Did you mean ...?" for misspelt names: the nearest candidate by edit
// distance, offered only when it is close enough to be a plausible typo.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rnnlab {

// Optimal-string-alignment distance: insertions, deletions, substitutions and
// swaps of two neighbouring characters each cost 1 ("tua" -> "tau" is 1).
// Case-insensitive, since "Units" for "units" is a typo, not a new name.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate nearest to `given`, if it is within the typo threshold
// (1 edit for names up to 4 characters, 2 up to 8, 3 beyond). Ties go to the
// earlier candidate, so list candidates in the order you would prefer them.
std::optional<std::string> nearest_name(std::string_view given, const std::vector<std::string>& candidates);

// "; did you mean 'x'?" with `prefix` before x (e.g. "model."), or "" when
// nothing is close. Ready to append to an error message.
std::string did_you_mean(std::string_view given, const std::vector<std::string>& candidates,
                         std::string_view prefix = "");

}  // namespace rnnlab
