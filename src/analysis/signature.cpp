#include "analysis/signature.hpp"

#include <fmt/format.h>

#include "analysis/linearise.hpp"
#include "analysis/spectrum.hpp"

namespace rnnlab {

OriginSpectrum origin_spectrum(const Network& net) {
  OriginSpectrum o;
  if (net.units() == 0) return o;
  const Eigen::VectorXcd j0 = sorted_eigenvalues(jacobian_state(net, Eigen::VectorXd::Zero(net.units())));
  o.leading = j0(0);
  o.continuous = continuous_eigenvalue(o.leading, net.alpha);
  o.unstable_modes = static_cast<int>((j0.array().abs() > 1.0).count());
  const Eigen::VectorXcd w = sorted_eigenvalues(net.w_rec);
  o.w_rec_leading = w(0);
  o.w_rec_outside_unit_circle = static_cast<int>((w.array().abs() > 1.0).count());
  return o;
}

void set_origin_spectrum(Signature& s, const Network& net) {
  const OriginSpectrum o = origin_spectrum(net);
  s.leading_modulus = std::abs(o.leading);
  const double m = std::abs(o.continuous);
  s.leading_oscillation = m > 0 ? std::abs(o.continuous.imag()) / m : 0.0;
  s.outside_unit_circle = o.unstable_modes;
  s.w_rec_leading_modulus = std::abs(o.w_rec_leading);
  s.w_rec_outside_unit_circle = o.w_rec_outside_unit_circle;
}

void set_attractor_set(Signature& s, const AttractorSet& set) {
  s.attracting_points = set.fixed_points();
  s.marginal_attractors = set.marginal_points();
  s.limit_cycles = set.count(AttractorType::limit_cycle);
  s.chaotic = set.count(AttractorType::chaos);
  s.cycle_periods.clear();
  for (const FoundAttractor& f : set.attractors)
    if (f.run.attractor.type == AttractorType::limit_cycle) s.cycle_periods.push_back(f.run.attractor.period_steps);
  s.attractor_set = set.describe();
}

const std::vector<std::string>& signature_feature_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n{"stable_points", "saddles", "leading_modulus", "leading_oscillation",
                               "outside_unit_circle", "leading_lyapunov", "dimensionality", "attracting_points",
                               "marginal_attractors", "limit_cycles", "chaotic"};
    for (AttractorType t : attractor_types()) n.push_back("is_" + to_string(t));
    return n;
  }();
  return names;
}

Eigen::VectorXd signature_features(const Signature& s) {
  const auto& types = attractor_types();
  constexpr Eigen::Index kNumbers = 11;
  Eigen::VectorXd f(kNumbers + static_cast<Eigen::Index>(types.size()));
  f << s.stable_points, s.saddles, s.leading_modulus, s.leading_oscillation, s.outside_unit_circle,
      s.leading_lyapunov, s.dimensionality, s.attracting_points, s.marginal_attractors, s.limit_cycles, s.chaotic,
      Eigen::VectorXd::Zero(static_cast<Eigen::Index>(types.size()));
  for (std::size_t i = 0; i < types.size(); ++i)
    if (types[i] == s.attractor) f(kNumbers + static_cast<Eigen::Index>(i)) = 1.0;
  return f;
}

std::string signature_key(const Signature& s) {
  const auto topology = [](const std::string& set, int stable, int saddles) {
    return fmt::format("{}; {} stable, {} saddles", set.empty() ? "none" : set, stable, saddles);
  };
  std::string key = topology(s.attractor_set, s.stable_points, s.saddles);
  if (!s.scaffold.empty()) key += "; scaffold " + s.scaffold;
  for (const InputSignature& in : s.operating)
    key += " | " + in.name + ": " + topology(in.attractor_set, in.stable_points, in.saddles);
  return key;
}

}  // namespace rnnlab
