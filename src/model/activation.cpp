#include "model/activation.hpp"

namespace rnnlab {

const std::vector<std::string>& activation_names() {
  static const std::vector<std::string> names = {"tanh", "relu", "softplus", "sigmoid", "retanh", "linear"};
  return names;
}

std::string to_string(Activation activation) { return activation_names()[static_cast<int>(activation)]; }

std::optional<Activation> parse_activation(std::string_view name) {
  const auto& names = activation_names();
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return static_cast<Activation>(i);
  return std::nullopt;
}

}  // namespace rnnlab
