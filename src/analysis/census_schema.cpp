#include "analysis/census_schema.hpp"

namespace rnnlab {

using schema::Declaration;

namespace {

// n: networks, R: families.
const Declaration<StoredFamilies>& families_schema() {
  static const Declaration<StoredFamilies> d = [] {
    using F = StoredFamilies;
    Declaration<F> d("CensusFamilies",
                     "Solution families: networks with identical family keys (attractor set from many starts, "
                     "fixed points' stability counts) form one, numbered by first member, its representative.");
    d.field("k", &F::k, "", "", "families");
    d.field("silhouette", &F::silhouette, "", "", "0 (files from before clustered features by k-means)");
    d.optional_field("max_k", &F::max_k, "", "", "largest k the clustering tried (ClusterOptions)");
    d.optional_field("min_silhouette", &F::min_silhouette, "", "", "silhouette below which k = 1");
    d.field("label", &F::label, "n", "", "family of each network, 0 .. k-1");
    d.field("representative_seeds", &F::representative_seeds, "R", "", "each family's representative network");
    d.optional_field("keys", &F::keys, "R", "", "each family's key");
    d.optional_field("features", &F::features, "n F", "", "signature features, one row per network");
    d.optional_field("feature_names", &F::feature_names, "F", "", "their names");
    d.local_symbols({"R"});
    return d;
  }();
  return d;
}

const Declaration<StoredSimilarity>& similarity_schema() {
  static const Declaration<StoredSimilarity> d = [] {
    using S = StoredSimilarity;
    Declaration<S> d("CensusSimilarity",
                     "Trajectory similarity on the same trials, top pcs principal components of each network.");
    d.optional_field("pcs", &S::pcs, "", "", "principal components compared");
    d.optional_field("cca_within_families", &S::cca_within_families, "", "", "mean CCA over pairs in one family");
    d.optional_field("cca_between_families", &S::cca_between_families, "", "", "over pairs in different ones");
    d.optional_field("procrustes_within_families", &S::procrustes_within_families, "", "",
                     "mean Procrustes distance over pairs in one family");
    d.optional_field("procrustes_between_families", &S::procrustes_between_families, "", "",
                     "over pairs in different ones");
    d.optional_field("pairs_within_families", &S::pairs_within_families, "", "", "pairs in one family");
    d.optional_field("pairs_between_families", &S::pairs_between_families, "", "", "pairs across families");
    d.field("cca", &S::cca, "n n", "", "mean canonical correlation, 1 = the same up to a linear map");
    d.field("procrustes", &S::procrustes, "n n", "", "Procrustes distance, 0 = the same up to rotation and scale");
    return d;
  }();
  return d;
}

const Declaration<StoredSpectralDynamics>& spectral_dynamics_schema() {
  static const Declaration<StoredSpectralDynamics> d = [] {
    using S = StoredSpectralDynamics;
    Declaration<S> d("CensusSpectralDynamics",
                     "How spectral features go with the dynamics class: per feature (rows) and class (columns).");
    d.field("features", &S::features, "X", "", "spectral features");
    d.field("classes", &S::classes, "Q", "", "attractor types, then jarne:<class>");
    d.field("correlation", &S::correlation, "X Q", "", "point-biserial correlation (NaN: either is constant)");
    d.field("class_mean", &S::class_mean, "X Q", "", "the feature's mean over the class (NaN: empty class)");
    return d;
  }();
  return d;
}

const Declaration<StoredGroupCensus>& group_census_schema() {
  static const Declaration<StoredGroupCensus> d = [] {
    using G = StoredGroupCensus;
    Declaration<G> d("GroupCensus", "The census within one sweep point: its networks, families and similarity.");
    d.field("group", &G::group, "", "", "the row of groups");
    d.field("sweep_point", &G::sweep_point, "", "", "the sweep point");
    d.field("networks", &G::networks, "", "", "networks in it");
    d.field("seeds", &G::seeds, "n", "", "the networks' names under /networks");
    d.group("families", &G::families, families_schema(), "families within the point");
    d.group("similarity", &G::similarity, similarity_schema(), "similarity within the point");
    d.local_symbols({"n"});
    return d;
  }();
  return d;
}

}  // namespace

const Declaration<CensusRecord>& census_schema() {
  static const Declaration<CensusRecord> d = [] {
    using C = CensusRecord;
    Declaration<C> d("CensusRecord",
                     "The census of the networks analysed (docs/dynamics.md \"Census\"), as stored; rnnlab.Census "
                     "is built from it. Networks in seeds order (n); one row per group (G).");
    d.optional_field("network_attractor_set", &C::network_attractor_set, "n", "",
                     "each network's attractor set from many starts");
    d.field("seeds", &C::seeds, "n", "", "the networks' names under /networks");
    d.field("network_group", &C::network_group, "n", "", "each network's census group");
    d.field("network_attractor", &C::network_attractor, "n", "", "each network's attractor type");
    d.field("network_jarne", &C::network_jarne, "n", "", "each network's Jarne class");
    d.field("groups", &C::groups, "G", "", "the groups, sorted (a sweep: the points, then \"all networks\")");
    d.field("attractor_types", &C::attractor_types, "Y", "", "column names of attractor_counts");
    d.field("jarne_classes", &C::jarne_classes, "J", "", "column names of jarne_counts");
    d.field("attractor_counts", &C::attractor_counts, "G Y", "", "networks per group and attractor type");
    d.field("jarne_counts", &C::jarne_counts, "G J", "", "networks per group and Jarne class");
    d.field("table", &C::table, "", "", "the counts as text");
    d.optional_field("group_families", &C::group_families, "G", "", "a sweep: families within each row");
    d.optional_field("group_silhouettes", &C::group_silhouettes, "G", "", "a sweep: their silhouette");
    d.field("networks", &C::networks, "", "", "networks analysed");
    d.group("families", &C::families, families_schema(), "solution families over all networks");
    d.group("similarity", &C::similarity, similarity_schema(), "trajectory similarity over all networks");
    d.group("spectral_dynamics", &C::spectral_dynamics, spectral_dynamics_schema(),
            "spectral features against the dynamics class");
    d.group_map("by_group", &C::by_group, group_census_schema(), "a sweep: one census per point, <g>/")
        .optional();
    return d;
  }();
  return d;
}

}  // namespace rnnlab
