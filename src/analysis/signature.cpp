#include "analysis/signature.hpp"

namespace rnnlab {

const std::vector<std::string>& signature_feature_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n{"stable_points", "saddles", "leading_modulus", "leading_angle",
                               "outside_unit_circle", "leading_lyapunov", "dimensionality"};
    for (AttractorType t : attractor_types()) n.push_back("is_" + to_string(t));
    return n;
  }();
  return names;
}

Eigen::VectorXd signature_features(const Signature& s) {
  const auto& types = attractor_types();
  Eigen::VectorXd f(7 + static_cast<Eigen::Index>(types.size()));
  f << s.stable_points, s.saddles, s.leading_modulus, s.leading_angle, s.outside_unit_circle,
      s.leading_lyapunov, s.dimensionality, Eigen::VectorXd::Zero(static_cast<Eigen::Index>(types.size()));
  for (std::size_t i = 0; i < types.size(); ++i)
    if (types[i] == s.attractor) f(7 + static_cast<Eigen::Index>(i)) = 1.0;
  return f;
}

}  // namespace rnnlab
