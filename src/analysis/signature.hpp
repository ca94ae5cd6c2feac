#pragma once
// A network's solution signature: the few numbers that tell solutions apart
// (docs/dynamics.md "Signature"), as a struct and as the feature vector the
// census clusters.
#include <Eigen/Dense>
#include <string>
#include <vector>

#include "analysis/attractor.hpp"

namespace rnnlab {

struct Signature {
  int stable_points = 0;         // stable fixed points (zero input)
  int saddles = 0;               // saddle fixed points
  double leading_modulus = 0.0;  // |l*| of W_rec's largest-modulus eigenvalue
  double leading_angle = 0.0;    // |arg l*| in radians (0: real, pi/2: pure rotation)
  int outside_unit_circle = 0;   // eigenvalues of W_rec with |l| > 1
  AttractorType attractor = AttractorType::unsettled;
  double leading_lyapunov = 0.0; // per tau
  double dimensionality = 0.0;   // participation ratio of the task states
};

// Names of features(), in order: the seven numbers above, then one indicator
// per attractor type ("is_fixed_point", ...), so that clustering treats the
// type as a category and not as a number.
const std::vector<std::string>& signature_feature_names();
Eigen::VectorXd signature_features(const Signature& s);

}  // namespace rnnlab
