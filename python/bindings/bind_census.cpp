// The census of networks analysed one by one (rnnlab.dynamics results):
// counts per group, solution families, CCA / Procrustes similarity of their
// trajectories, spectral features against the dynamics class, computed by
// src/analysis/census.hpp exactly as `rnnlab analyze --dynamics` does for a
// file (dynamics_io.cpp: the census part of analyze_dynamics_file).
#include <pybind11/eigen.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <functional>
#include <string>
#include <vector>

#include "analysis/census.hpp"
#include "analysis/signature.hpp"
#include "dynamics_options.hpp"
#include "util/error.hpp"

namespace rnnlab::py_bind {

namespace py = pybind11;

namespace {

// The signature back from its feature vector (signature_features' layout:
// the numbers, then one indicator per attractor type).
Signature signature_from(const Eigen::VectorXd& f) {
  const auto& types = attractor_types();
  const Eigen::Index numbers = static_cast<Eigen::Index>(signature_feature_names().size() - types.size());
  if (f.size() != static_cast<Eigen::Index>(signature_feature_names().size()))
    throw InputError("a signature has " + std::to_string(signature_feature_names().size()) + " features, got " +
                     std::to_string(f.size()));
  Signature s;
  s.stable_points = static_cast<int>(f(0));
  s.saddles = static_cast<int>(f(1));
  s.leading_modulus = f(2);
  s.leading_oscillation = f(3);
  s.outside_unit_circle = static_cast<int>(f(4));
  s.leading_lyapunov = f(5);
  s.dimensionality = f(6);
  s.attracting_points = static_cast<int>(f(7));
  s.marginal_attractors = static_cast<int>(f(8));
  s.limit_cycles = static_cast<int>(f(9));
  s.chaotic = static_cast<int>(f(10));
  for (std::size_t i = 0; i < types.size(); ++i)
    if (f(numbers + static_cast<Eigen::Index>(i)) > 0.5) s.attractor = types[i];
  return s;
}

JarneClass jarne_from(const std::string& name) {
  for (JarneClass c : jarne_classes())
    if (to_string(c) == name) return c;
  throw InputError("unknown Jarne class '" + name + "' (oscillatory, mixed, ramping)");
}

std::vector<std::string> strings(const Eigen::Index n, const std::function<std::string(Eigen::Index)>& f) {
  std::vector<std::string> out;
  for (Eigen::Index i = 0; i < n; ++i) out.push_back(f(i));
  return out;
}

// entries: dicts {seed, group, features, jarne[, attractor_set, key]} (key: the
// family key, signature_key; when absent it is made from the features and
// attractor_set); states: one N_i x M matrix per
// entry (the same M columns: the same steps of the same trials), or empty to
// skip the similarity.
// by_group: the groups are sweep points; the table gets each point's families
// and a row for all networks, as the file's census of a sweep.
py::dict census(const py::list& entries_in, const std::vector<Eigen::MatrixXd>& states, int pcs,
                const py::dict& options, bool by_group) {
  const ClusterOptions o = cluster_options(options);
  if (pcs < 1) throw InputError("pcs must be >= 1, got " + std::to_string(pcs));
  std::vector<CensusEntry> entries;
  for (const auto& item : entries_in) {
    const py::dict d = item.cast<py::dict>();
    CensusEntry e;
    e.seed = d["seed"].cast<std::uint64_t>();
    e.group = d["group"].cast<std::string>();
    e.signature = signature_from(d["features"].cast<Eigen::VectorXd>());
    e.jarne = jarne_from(d["jarne"].cast<std::string>());
    if (d.contains("attractor_set")) e.signature.attractor_set = d["attractor_set"].cast<std::string>();
    if (d.contains("key")) e.family_key = d["key"].cast<std::string>();
    entries.push_back(e);
  }
  if (entries.empty()) throw InputError("census needs at least one network");
  if (!states.empty() && states.size() != entries.size())
    throw InputError("census: " + std::to_string(states.size()) + " state matrices for " +
                     std::to_string(entries.size()) + " networks");
  for (const auto& s : states)
    if (s.cols() != states[0].cols())
      throw InputError("census: the networks' states cover different numbers of steps x trials (" +
                       std::to_string(states[0].cols()) + " and " + std::to_string(s.cols()) +
                       "): similarity needs the same trials of the same task");

  const Eigen::Index n = static_cast<Eigen::Index>(entries.size());
  CensusTable table;
  Eigen::MatrixXd features(n, static_cast<Eigen::Index>(signature_feature_names().size()));
  Families families;
  Similarity sim;
  SpectralDynamics sd;
  {
    py::gil_scoped_release release;
    table = census_table(entries);
    for (Eigen::Index i = 0; i < n; ++i) features.row(i) = signature_features(entries[i].signature).transpose();
    families = families_by_key(entries);
    if (by_group) table = sweep_table(table, families_by_group(table, entries, features, o), families);
    if (!states.empty()) sim = trajectory_similarity(states, pcs);
    sd = spectral_dynamics(entries);
  }
  py::dict d;
  std::vector<std::uint64_t> seeds;
  for (const auto& e : entries) seeds.push_back(e.seed);
  d["seeds"] = seeds;
  d["network_group"] = strings(n, [&](Eigen::Index i) { return entries[i].group; });
  d["network_attractor"] = strings(n, [&](Eigen::Index i) { return to_string(entries[i].signature.attractor); });
  d["network_jarne"] = strings(n, [&](Eigen::Index i) { return to_string(entries[i].jarne); });
  d["network_attractor_set"] = strings(n, [&](Eigen::Index i) { return entries[i].signature.attractor_set; });
  d["groups"] = table.groups;
  std::vector<std::string> types, classes;
  for (AttractorType t : attractor_types()) types.push_back(to_string(t));
  for (JarneClass c : jarne_classes()) classes.push_back(to_string(c));
  d["attractor_types"] = types;
  d["jarne_classes"] = classes;
  d["attractor_counts"] = table.attractor_counts;
  d["jarne_counts"] = table.jarne_counts;
  d["table"] = table.text();
  if (by_group) {
    d["group_families"] = table.families;
    d["group_silhouettes"] = table.silhouettes;
  }
  d["networks"] = n;
  py::dict f;
  f["k"] = families.k;
  f["silhouette"] = families.silhouette;
  f["max_k"] = o.max_k;
  f["min_silhouette"] = o.min_silhouette;
  f["label"] = families.label;
  f["representatives"] = families.representative;
  std::vector<std::uint64_t> reps;
  for (int r : families.representative) reps.push_back(entries[r].seed);
  f["representative_seeds"] = reps;
  f["features"] = features;
  f["feature_names"] = signature_feature_names();
  f["standardised"] = families.standardised;
  f["keys"] = families.keys;
  d["families"] = f;
  if (!states.empty()) {
    py::dict s;
    s["pcs"] = pcs;
    s["cca"] = sim.cca;
    s["procrustes"] = sim.procrustes;
    const FamilySimilarity by_family = similarity_by_family(sim, families.label);
    s["cca_within_families"] = by_family.cca_within;
    s["cca_between_families"] = by_family.cca_between;
    s["procrustes_within_families"] = by_family.procrustes_within;
    s["procrustes_between_families"] = by_family.procrustes_between;
    d["similarity"] = s;
  } else {
    d["similarity"] = py::none();
  }
  py::dict c;
  c["features"] = sd.features;
  c["classes"] = sd.classes;
  c["correlation"] = sd.correlation;
  c["class_mean"] = sd.class_mean;
  d["spectral_dynamics"] = c;
  return d;
}

}  // namespace

void bind_census(py::module_& m) {
  m.def("census", &census, py::arg("entries"), py::arg("states"), py::arg("pcs"), py::arg("options"),
        py::arg("by_group") = false);
  m.def("signature_feature_names", [] { return signature_feature_names(); });
}

}  // namespace rnnlab::py_bind
