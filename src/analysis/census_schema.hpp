#pragma once
// The declaration of the stored census (util/result_schema.hpp): what
// `rnnlab analyze --dynamics` and `rnnlab run` store for the ensemble under
// /analysis/census/ (docs/dynamics.md "Census", the layout in
// docs/file-format.md). The record holds the file's values as stored; the
// writer (pipeline/dynamics_io.cpp) fills it from the census.
#include <Eigen/Dense>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "util/result_schema.hpp"

namespace rnnlab {

// Solution families over the networks (of the ensemble, or of one sweep point).
struct StoredFamilies {
  long k = 0;
  double silhouette = 0;
  std::optional<long> max_k;
  std::optional<double> min_silhouette;
  std::vector<double> label, representative_seeds;
  std::optional<std::vector<std::string>> keys;
  std::optional<Eigen::MatrixXd> features;  // networks x features
  std::optional<std::vector<std::string>> feature_names;
};

// Trajectory similarity between the networks, with its means within and between families.
struct StoredSimilarity {
  std::optional<long> pcs;
  std::optional<double> cca_within_families, cca_between_families, procrustes_within_families,
      procrustes_between_families;
  std::optional<long> pairs_within_families, pairs_between_families;
  Eigen::MatrixXd cca, procrustes;  // networks x networks
};

struct StoredSpectralDynamics {
  std::vector<std::string> features, classes;
  Eigen::MatrixXd correlation, class_mean;  // features x classes
};

// The census within one sweep point.
struct StoredGroupCensus {
  std::string group;
  long sweep_point = -1;
  long networks = 0;
  std::vector<double> seeds;
  StoredFamilies families;
  StoredSimilarity similarity;
};

struct CensusRecord {
  std::optional<std::vector<std::string>> network_attractor_set;
  std::vector<double> seeds;
  std::vector<std::string> network_group, network_attractor, network_jarne, groups, attractor_types, jarne_classes;
  Eigen::MatrixXd attractor_counts, jarne_counts;  // groups x types, groups x classes
  std::string table;
  std::optional<std::vector<double>> group_families, group_silhouettes;
  long networks = 0;
  StoredFamilies families;
  StoredSimilarity similarity;
  StoredSpectralDynamics spectral_dynamics;
  std::map<std::string, StoredGroupCensus> by_group;  // a sweep: by row of groups, "0", "1", ...
};

const schema::Declaration<CensusRecord>& census_schema();

}  // namespace rnnlab
