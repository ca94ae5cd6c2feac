#pragma once
// Internal to the config parser: the keys of [model], [train], [ensemble] and
// [output], each bound to its struct member with its type and allowed range.
// One list serves reading, validation, "did you mean" and writing the
// effective config back out, so the four can never disagree.
#include <functional>
#include <string>
#include <vector>

#include "io/config.hpp"
#include "io/config_values.hpp"

namespace rnnlab::config_detail {

template <class S>
struct Field {
  std::string key;
  // Validates `node` (the value of `dotted`, from `origin`) and stores it in `spec`.
  std::function<void(S& spec, const toml::node& node, const std::string& dotted, const std::string& origin)> read;
  // The member's value as TOML text.
  std::function<std::string(const S& spec)> write;
};

const std::vector<Field<ModelSpec>>& model_fields();
const std::vector<Field<TrainSpec>>& train_fields();
const std::vector<Field<EnsembleSpec>>& ensemble_fields();
const std::vector<Field<OutputSpec>>& output_fields();

template <class S>
std::vector<std::string> keys_of(const std::vector<Field<S>>& fields) {
  std::vector<std::string> keys;
  for (const auto& f : fields) keys.push_back(f.key);
  return keys;
}

}  // namespace rnnlab::config_detail
