#include "io/sweep.hpp"

namespace rnnlab {

int Sweep::points() const {
  int n = 1;
  for (const SweepAxis& axis : axes) n *= static_cast<int>(axis.values.size());
  return n;
}

std::vector<std::pair<std::string, std::string>> Sweep::point(int p) const {
  std::vector<std::pair<std::string, std::string>> pairs(axes.size());
  for (std::size_t a = axes.size(); a-- > 0;) {
    const int size = static_cast<int>(axes[a].values.size());
    pairs[a] = {axes[a].key, axes[a].values[static_cast<std::size_t>(p % size)]};
    p /= size;
  }
  return pairs;
}

std::string Sweep::label(int p) const { return sweep_label(point(p)); }

std::string sweep_label(const std::vector<std::pair<std::string, std::string>>& pairs) {
  std::string text;
  for (const auto& [key, value] : pairs) text += (text.empty() ? "" : ", ") + key + "=" + value;
  return text;
}

}  // namespace rnnlab
