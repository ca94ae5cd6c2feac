#pragma once
// A network's solution signature: the few numbers that tell solutions apart
// (docs/dynamics.md "Signature"), as a struct and as the feature vector the
// census clusters, and the key that names its family.
#include <Eigen/Dense>
#include <complex>
#include <string>
#include <vector>

#include "analysis/attractor.hpp"
#include "model/network.hpp"

namespace rnnlab {

// The step map at the origin, J0 = (1 - a) I + a W_rec diag(phi'(0)): the
// stability of the rest state in the right coordinates for a leaky network
// (the boundary is |l| = 1 for J0, not for W_rec). W_rec's own spectrum is
// kept beside it and labelled as such.
struct OriginSpectrum {
  std::complex<double> leading;     // J0's eigenvalue of largest modulus (per step)
  std::complex<double> continuous;  // its reading per tau, (l - 1) / a
  int unstable_modes = 0;           // eigenvalues of J0 with |l| > 1 (growing modes at the origin)
  std::complex<double> w_rec_leading;  // W_rec's eigenvalue of largest modulus (raw, no stability meaning)
  int w_rec_outside_unit_circle = 0;   // W_rec's eigenvalues with |l| > 1 (raw)
};
OriginSpectrum origin_spectrum(const Network& net);

// The topology at one of the task's operating inputs (network_dynamics.hpp
// InputDynamics): what the family key compares per input condition.
struct InputSignature {
  std::string name;           // "context=0"
  std::string attractor_set;  // AttractorSet::describe() at that input
  int stable_points = 0;      // stable fixed points at that input
  int saddles = 0;
};

struct Signature {
  int stable_points = 0;         // stable fixed points (zero input), from the fixed-point search
  int saddles = 0;               // saddle fixed points
  // Of J0 (OriginSpectrum): |l*| and the oscillation index |Im mu*| / |mu*| of
  // its continuous-time reading mu* = (l* - 1) / a (0: real, 1: pure rotation).
  double leading_modulus = 0.0;
  double leading_oscillation = 0.0;
  int outside_unit_circle = 0;   // growing modes of J0 (|l| > 1)
  AttractorType attractor = AttractorType::unsettled;  // most complex over the conditions' runs
  double leading_lyapunov = 0.0; // per tau
  double dimensionality = 0.0;   // participation ratio of the task states
  // The attractor set from many starts (find_attractors).
  int attracting_points = 0;     // isolated fixed-point attractors reached
  int marginal_attractors = 0;   // line/ring attractors (marginal fixed points, merged)
  int limit_cycles = 0;
  int chaotic = 0;               // chaotic attractors
  std::vector<double> cycle_periods;  // steps, per limit cycle, in the set's order
  std::string attractor_set;     // AttractorSet::describe(), e.g. "limit_cycle + 2 fixed_point"
  // The same at each of the task's operating inputs (none for most tasks); not in the features.
  std::vector<InputSignature> operating;
  // The fixed-point graph at zero input (scaffold.hpp Scaffold::describe()),
  // e.g. "saddle -> {fixed_point, fixed_point}"; not in the features.
  std::string scaffold;
  // W_rec's raw spectrum, labelled as such (not in the features).
  double w_rec_leading_modulus = 0.0;
  int w_rec_outside_unit_circle = 0;
};

// Fills the J0 and W_rec fields of `s` from the network.
void set_origin_spectrum(Signature& s, const Network& net);
// Fills the attractor-set fields of `s`.
void set_attractor_set(Signature& s, const AttractorSet& set);

// Names of features(), in order: the numbers above that enter clustering
// (stable_points, saddles, leading_modulus, leading_oscillation,
// outside_unit_circle, leading_lyapunov, dimensionality, attracting_points,
// marginal_attractors, limit_cycles, chaotic), then one indicator per
// attractor type ("is_fixed_point", ...), so that clustering treats the type
// as a category and not as a number.
const std::vector<std::string>& signature_feature_names();
Eigen::VectorXd signature_features(const Signature& s);

// The family key, topology first: per input condition, the attractor set and
// the fixed points' stability counts, "<attractor set>; <p> stable, <q>
// saddles" at zero input, with "; scaffold <scaffold>" when the scaffold is
// known, then " | <name>: <attractor set>; <p> stable, <q> saddles" for each
// operating input, e.g. "limit_cycle; 0 stable, 0 saddles; scaffold unstable
// -> {limit_cycle} | context=0: fixed_point; 1 stable, 0 saddles". Networks
// with equal keys belong to one family (census.hpp families_by_key).
std::string signature_key(const Signature& s);

}  // namespace rnnlab
