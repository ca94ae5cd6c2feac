#pragma once
// The census of an ensemble (docs/dynamics.md "Census"): which solutions
// appear and how often, solution families, trajectory similarity between
// networks, and how spectral features go with the dynamics class.
#include <Eigen/Dense>
#include <cstdint>
#include <string>
#include <vector>

#include "analysis/attractor.hpp"
#include "analysis/jarne_class.hpp"
#include "analysis/signature.hpp"

namespace rnnlab {

// One network as the census sees it.
struct CensusEntry {
  std::uint64_t seed = 0;
  std::string group;  // what networks are compared within, e.g. "flipflop | dale=false connectivity=1"
  Signature signature;
  JarneClass jarne = JarneClass::mixed;
  std::string family_key;  // signature_key(signature) when empty
  std::string key() const;
};

// Counts per group: rows are `groups` (sorted), columns attractor_types() / jarne_classes().
struct CensusTable {
  std::vector<std::string> groups;
  Eigen::MatrixXi attractor_counts;
  Eigen::MatrixXi jarne_counts;
  // Optional, one per row when set (the file census sets them for a sweep):
  // the number of solution families within the row's networks and their
  // silhouette (cluster_signatures); text() then shows a families column.
  std::vector<int> families;
  std::vector<double> silhouettes;
  // The table as text, one line per group, for printing and the summary.
  std::string text() const;
};
CensusTable census_table(const std::vector<CensusEntry>& entries);
// `table` with one more row, `name`, counting every network (the column sums).
CensusTable with_total_row(CensusTable table, const std::string& name);

// Solution families, topology first: networks whose family keys
// (signature_key: the attractor set and the fixed points' stability counts)
// are identical form one family. Families are numbered by first member, which
// is also the representative; silhouette 0. `keys` holds each family's key.
// cluster_signatures below (k-means on the features) stays available for the
// geometry of the features within and across families.
struct Families;
Families families_by_key(const std::vector<CensusEntry>& entries);

// Clustering of signature features: standardised (z-scores; a
// constant feature is left out), k-means for k = 2 .. max_k (deterministic
// farthest-point seeding from the point nearest the mean, Lloyd iterations),
// the k of highest mean silhouette kept if that silhouette is >= min_silhouette,
// else one family. Ties go to the smaller k.
struct ClusterOptions {
  int max_k = 6;
  double min_silhouette = 0.5;
  int iterations = 100;
};
struct Families {
  int k = 1;
  std::vector<int> label;           // per network, 0 .. k-1 (families numbered by first member)
  std::vector<int> representative;  // per family: the network closest to the family centroid
  double silhouette = 0.0;          // of the chosen k (0 for one family)
  Eigen::MatrixXd standardised;     // networks x features, what was clustered (k-means only)
  std::vector<std::string> keys;    // per family, its key (families_by_key only)
};
Families cluster_signatures(const Eigen::MatrixXd& features, const ClusterOptions& options = {});

// The census of each group of `table` (in its order; for a sweep, each sweep
// point): which rows of `entries` / `features` are its members, and their
// families (families_by_key). sweep_table() adds it to the table with the row
// for all networks.
struct GroupFamilies {
  std::vector<std::size_t> members;
  Families families;
};
std::vector<GroupFamilies> families_by_group(const CensusTable& table, const std::vector<CensusEntry>& entries,
                                             const Eigen::MatrixXd& features, const ClusterOptions& options = {});
// A sweep's table: `table` with each group's number of families and silhouette,
// then a row "all networks" with `all` (the families over every network).
CensusTable sweep_table(CensusTable table, const std::vector<GroupFamilies>& groups, const Families& all);

// Trajectory similarity on the same trials. Each argument is one network's
// states (N_i x M, the same M columns = the same steps of the same trials).
// Both reduce each network to its top-k principal components first, so
// networks of different sizes N_i compare in a common k-dimensional space.
//  CCA: the mean of the k canonical correlations of the two projections (1: the
//       same k-dimensional trajectories up to a linear map).
//  Procrustes: the projections centred and scaled to unit Frobenius norm, then
//       min over orthogonal R of |A - B R|_F = sqrt(2 - 2 sum sigma(A^T B))
//       (0: identical up to rotation and scale; at most 2).
double cca_similarity(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b, int k);
double procrustes_distance(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b, int k);
struct Similarity {
  Eigen::MatrixXd cca;         // networks x networks, 1 on the diagonal
  Eigen::MatrixXd procrustes;  // networks x networks, 0 on the diagonal
};
// Pairs whose states have different numbers of columns (trials of different
// lengths, e.g. a swept model.dt) cannot be compared: NaN in both matrices.
Similarity trajectory_similarity(const std::vector<Eigen::MatrixXd>& states, int k);

// Geometry beside topology: the trajectory similarity averaged over pairs of
// networks in the same family and over pairs in different families (`label`:
// Families::label; NaN pairs left out; NaN where there is no pair). Universality
// reads as within ~ between; individuality of families as within > between (CCA)
// and within < between (Procrustes distance).
struct FamilySimilarity {
  double cca_within = 0.0, cca_between = 0.0;
  double procrustes_within = 0.0, procrustes_between = 0.0;
  int pairs_within = 0, pairs_between = 0;
};
FamilySimilarity similarity_by_family(const Similarity& s, const std::vector<int>& label);

// Spectral features against the dynamics class: for each feature (rows:
// leading_modulus, leading_oscillation, outside_unit_circle: of the step map
// at the origin J0, signature.hpp) and each class
// (columns: the attractor types, then the Jarne classes), the point-biserial
// correlation (Pearson correlation of the feature with the class indicator;
// NaN where either is constant) and the mean of the feature over the class's
// networks (NaN for an empty class).
struct SpectralDynamics {
  std::vector<std::string> features;
  std::vector<std::string> classes;
  Eigen::MatrixXd correlation;
  Eigen::MatrixXd class_mean;
};
SpectralDynamics spectral_dynamics(const std::vector<CensusEntry>& entries);

}  // namespace rnnlab
