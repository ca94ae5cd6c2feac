#include "analysis/census.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <limits>
#include <map>
#include <sstream>

#include "analysis/pca.hpp"
#include "util/error.hpp"

namespace rnnlab {

namespace {
constexpr double kNan = std::numeric_limits<double>::quiet_NaN();

// Squared Euclidean distances between rows.
Eigen::MatrixXd row_distances(const Eigen::MatrixXd& x) {
  const Eigen::Index n = x.rows();
  Eigen::MatrixXd d(n, n);
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = 0; j < n; ++j) d(i, j) = (x.row(i) - x.row(j)).norm();
  return d;
}

// Lloyd's k-means from deterministic farthest-point seeds.
std::vector<int> kmeans(const Eigen::MatrixXd& x, int k, int iterations) {
  const Eigen::Index n = x.rows();
  const Eigen::RowVectorXd mean = x.colwise().mean();
  std::vector<Eigen::Index> seeds;
  Eigen::Index first = 0;
  (x.rowwise() - mean).rowwise().squaredNorm().minCoeff(&first);
  seeds.push_back(first);
  while (static_cast<int>(seeds.size()) < k) {
    Eigen::Index best = 0;
    double best_d = -1;
    for (Eigen::Index i = 0; i < n; ++i) {
      double d = INFINITY;
      for (Eigen::Index s : seeds) d = std::min(d, (x.row(i) - x.row(s)).squaredNorm());
      if (d > best_d) best_d = d, best = i;  // strict: ties keep the lowest index
    }
    seeds.push_back(best);
  }
  Eigen::MatrixXd centres(k, x.cols());
  for (int c = 0; c < k; ++c) centres.row(c) = x.row(seeds[c]);
  std::vector<int> label(n, -1);
  for (int it = 0; it < iterations; ++it) {
    bool changed = false;
    for (Eigen::Index i = 0; i < n; ++i) {
      Eigen::Index c = 0;
      (centres.rowwise() - x.row(i)).rowwise().squaredNorm().minCoeff(&c);
      if (label[i] != c) label[i] = static_cast<int>(c), changed = true;
    }
    if (!changed) break;
    for (int c = 0; c < k; ++c) {
      Eigen::RowVectorXd sum = Eigen::RowVectorXd::Zero(x.cols());
      int count = 0;
      for (Eigen::Index i = 0; i < n; ++i)
        if (label[i] == c) sum += x.row(i), ++count;
      if (count > 0) centres.row(c) = sum / count;  // an emptied cluster keeps its centre
    }
  }
  return label;
}

// Mean silhouette; a singleton's silhouette is 0 (Rousseeuw's convention).
double silhouette(const Eigen::MatrixXd& dist, const std::vector<int>& label, int k) {
  const Eigen::Index n = dist.rows();
  double total = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    std::vector<double> sum(k, 0.0);
    std::vector<int> count(k, 0);
    for (Eigen::Index j = 0; j < n; ++j)
      if (j != i) sum[label[j]] += dist(i, j), ++count[label[j]];
    if (count[label[i]] == 0) continue;
    const double a = sum[label[i]] / count[label[i]];
    double b = INFINITY;
    for (int c = 0; c < k; ++c)
      if (c != label[i] && count[c] > 0) b = std::min(b, sum[c] / count[c]);
    if (!std::isfinite(b)) continue;
    const double m = std::max(a, b);
    total += m > 0 ? (b - a) / m : 0.0;
  }
  return n > 0 ? total / static_cast<double>(n) : 0.0;
}

// Renumber labels in order of first appearance, so that the numbering does not
// depend on the seeding order.
int canonical_labels(std::vector<int>& label) {
  std::map<int, int> renumber;
  for (int& l : label) {
    auto [it, inserted] = renumber.emplace(l, static_cast<int>(renumber.size()));
    l = it->second;
  }
  return static_cast<int>(renumber.size());
}

// The top-k PC coordinates, M x k, centred.
Eigen::MatrixXd top_pcs(const Eigen::MatrixXd& states, int k) {
  const Pca p = pca(states);
  return project(p, states, k).transpose();
}

double pearson(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
  const Eigen::VectorXd ac = a.array() - a.mean(), bc = b.array() - b.mean();
  const double d = std::sqrt(ac.squaredNorm() * bc.squaredNorm());
  return d > 0 ? ac.dot(bc) / d : kNan;
}
}  // namespace

std::string CensusEntry::key() const { return family_key.empty() ? signature_key(signature) : family_key; }

Families families_by_key(const std::vector<CensusEntry>& entries) {
  Families f;
  std::map<std::string, int> index;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const auto [it, inserted] = index.emplace(entries[i].key(), static_cast<int>(index.size()));
    if (inserted) {
      f.keys.push_back(it->first);
      f.representative.push_back(static_cast<int>(i));
    }
    f.label.push_back(it->second);
  }
  f.k = static_cast<int>(f.keys.size());
  return f;
}

CensusTable census_table(const std::vector<CensusEntry>& entries) {
  CensusTable t;
  for (const CensusEntry& e : entries) t.groups.push_back(e.group);
  std::sort(t.groups.begin(), t.groups.end());
  t.groups.erase(std::unique(t.groups.begin(), t.groups.end()), t.groups.end());
  const auto& types = attractor_types();
  const auto& classes = jarne_classes();
  t.attractor_counts = Eigen::MatrixXi::Zero(static_cast<Eigen::Index>(t.groups.size()), static_cast<Eigen::Index>(types.size()));
  t.jarne_counts = Eigen::MatrixXi::Zero(static_cast<Eigen::Index>(t.groups.size()), static_cast<Eigen::Index>(classes.size()));
  for (const CensusEntry& e : entries) {
    const auto g = std::lower_bound(t.groups.begin(), t.groups.end(), e.group) - t.groups.begin();
    const auto a = std::find(types.begin(), types.end(), e.signature.attractor) - types.begin();
    const auto j = std::find(classes.begin(), classes.end(), e.jarne) - classes.begin();
    ++t.attractor_counts(g, a);
    ++t.jarne_counts(g, j);
  }
  return t;
}

CensusTable with_total_row(CensusTable t, const std::string& name) {
  t.groups.push_back(name);
  const Eigen::Index rows = t.attractor_counts.rows();
  t.attractor_counts.conservativeResize(rows + 1, Eigen::NoChange);
  t.attractor_counts.row(rows) = t.attractor_counts.topRows(rows).colwise().sum();
  t.jarne_counts.conservativeResize(rows + 1, Eigen::NoChange);
  t.jarne_counts.row(rows) = t.jarne_counts.topRows(rows).colwise().sum();
  return t;
}

std::vector<GroupFamilies> families_by_group(const CensusTable& table, const std::vector<CensusEntry>& entries,
                                             const Eigen::MatrixXd&, const ClusterOptions&) {
  std::vector<GroupFamilies> out;
  for (const std::string& name : table.groups) {
    GroupFamilies g;
    std::vector<CensusEntry> members;
    for (std::size_t i = 0; i < entries.size(); ++i)
      if (entries[i].group == name) g.members.push_back(i), members.push_back(entries[i]);
    g.families = families_by_key(members);
    out.push_back(std::move(g));
  }
  return out;
}

CensusTable sweep_table(CensusTable table, const std::vector<GroupFamilies>& groups, const Families& all) {
  table.families.clear();
  table.silhouettes.clear();
  for (const GroupFamilies& g : groups) {
    table.families.push_back(g.families.k);
    table.silhouettes.push_back(g.families.silhouette);
  }
  table = with_total_row(table, "all networks");
  table.families.push_back(all.k);
  table.silhouettes.push_back(all.silhouette);
  return table;
}

std::string CensusTable::text() const {
  const bool with_families = !families.empty() && families.size() == groups.size();
  std::ostringstream out;
  out << "group";
  for (AttractorType a : attractor_types()) out << " | " << to_string(a);
  for (JarneClass j : jarne_classes()) out << " | jarne:" << to_string(j);
  if (with_families) out << " | families";
  out << '\n';
  for (std::size_t g = 0; g < groups.size(); ++g) {
    out << groups[g];
    for (Eigen::Index c = 0; c < attractor_counts.cols(); ++c) out << " | " << attractor_counts(g, c);
    for (Eigen::Index c = 0; c < jarne_counts.cols(); ++c) out << " | " << jarne_counts(g, c);
    if (with_families) {
      out << " | " << families[g];
      if (g < silhouettes.size() && families[g] > 1)
        out << " (silhouette " << std::setprecision(2) << silhouettes[g] << ")";
    }
    out << '\n';
  }
  return out.str();
}

Families cluster_signatures(const Eigen::MatrixXd& features, const ClusterOptions& o) {
  const Eigen::Index n = features.rows();
  Families f;
  // Standardise; constant (or non-finite) columns carry nothing and are dropped.
  std::vector<Eigen::Index> keep;
  for (Eigen::Index c = 0; c < features.cols(); ++c) {
    const Eigen::VectorXd col = features.col(c);
    if (!col.allFinite() || n < 2) continue;
    const double sd = std::sqrt((col.array() - col.mean()).square().sum() / static_cast<double>(n - 1));
    if (sd > 1e-12 * std::max(1.0, col.cwiseAbs().maxCoeff())) keep.push_back(c);
  }
  f.standardised.resize(n, static_cast<Eigen::Index>(keep.size()));
  for (std::size_t i = 0; i < keep.size(); ++i) {
    const Eigen::VectorXd col = features.col(keep[i]);
    const double sd = std::sqrt((col.array() - col.mean()).square().sum() / static_cast<double>(n - 1));
    f.standardised.col(static_cast<Eigen::Index>(i)) = (col.array() - col.mean()) / sd;
  }
  f.label.assign(n, 0);
  if (n >= 3 && !keep.empty()) {
    const Eigen::MatrixXd dist = row_distances(f.standardised);
    double best = -INFINITY;
    std::vector<int> best_label;
    for (int k = 2; k <= std::min<int>(o.max_k, static_cast<int>(n) - 1); ++k) {
      std::vector<int> label = kmeans(f.standardised, k, o.iterations);
      const int used = canonical_labels(label);
      if (used < 2) continue;
      const double s = silhouette(dist, label, used);
      if (s > best + 1e-12) best = s, best_label = label;
    }
    if (!best_label.empty() && best >= o.min_silhouette) {
      f.label = best_label;
      f.silhouette = best;
    }
  }
  f.k = canonical_labels(f.label);
  for (int c = 0; c < f.k; ++c) {
    Eigen::RowVectorXd centre = Eigen::RowVectorXd::Zero(f.standardised.cols());
    int count = 0;
    for (Eigen::Index i = 0; i < n; ++i)
      if (f.label[i] == c) centre += f.standardised.row(i), ++count;
    centre /= std::max(count, 1);
    int rep = -1;
    double rep_d = INFINITY;
    for (Eigen::Index i = 0; i < n; ++i) {
      if (f.label[i] != c) continue;
      const double d = (f.standardised.row(i) - centre).squaredNorm();
      if (d < rep_d) rep_d = d, rep = static_cast<int>(i);
    }
    f.representative.push_back(rep);
  }
  return f;
}

double cca_similarity(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b, int k) {
  if (a.cols() != b.cols()) throw Error("cca_similarity: the two networks' states have different numbers of columns");
  const Eigen::MatrixXd pa = top_pcs(a, k), pb = top_pcs(b, k);
  // Orthonormal bases of the (centred) column spaces; the canonical
  // correlations are the singular values of Qa^T Qb.
  auto basis = [](const Eigen::MatrixXd& m) {
    Eigen::JacobiSVD<Eigen::MatrixXd> svd(m, Eigen::ComputeThinU);
    const double tol = 1e-10 * std::max(1.0, svd.singularValues().size() ? svd.singularValues()(0) : 0.0);
    const Eigen::Index rank = (svd.singularValues().array() > tol).count();
    return Eigen::MatrixXd(svd.matrixU().leftCols(rank));
  };
  const Eigen::MatrixXd qa = basis(pa), qb = basis(pb);
  const Eigen::Index r = std::min(qa.cols(), qb.cols());
  if (r == 0) return kNan;
  const Eigen::VectorXd s = Eigen::JacobiSVD<Eigen::MatrixXd>(qa.transpose() * qb).singularValues();
  return s.head(r).cwiseMin(1.0).mean();
}

double procrustes_distance(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b, int k) {
  if (a.cols() != b.cols()) throw Error("procrustes_distance: the two networks' states have different numbers of columns");
  Eigen::MatrixXd pa = top_pcs(a, k), pb = top_pcs(b, k);
  // Pad the narrower to the same width (a network with fewer units than k).
  const Eigen::Index w = std::max(pa.cols(), pb.cols());
  pa.conservativeResizeLike(Eigen::MatrixXd::Zero(pa.rows(), w));
  pb.conservativeResizeLike(Eigen::MatrixXd::Zero(pb.rows(), w));
  const double na = pa.norm(), nb = pb.norm();
  if (na == 0 || nb == 0) return kNan;
  pa /= na;
  pb /= nb;
  const double nuclear = Eigen::JacobiSVD<Eigen::MatrixXd>(pa.transpose() * pb).singularValues().sum();
  return std::sqrt(std::max(0.0, 2.0 - 2.0 * nuclear));
}

Similarity trajectory_similarity(const std::vector<Eigen::MatrixXd>& states, int k) {
  const Eigen::Index n = static_cast<Eigen::Index>(states.size());
  Similarity s;
  s.cca = Eigen::MatrixXd::Identity(n, n);
  s.procrustes = Eigen::MatrixXd::Zero(n, n);
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = i + 1; j < n; ++j) {
      if (states[i].cols() != states[j].cols()) {
        s.cca(i, j) = s.cca(j, i) = s.procrustes(i, j) = s.procrustes(j, i) = kNan;
        continue;
      }
      s.cca(i, j) = s.cca(j, i) = cca_similarity(states[i], states[j], k);
      s.procrustes(i, j) = s.procrustes(j, i) = procrustes_distance(states[i], states[j], k);
    }
  return s;
}

FamilySimilarity similarity_by_family(const Similarity& s, const std::vector<int>& label) {
  double cca[2] = {0, 0}, procrustes[2] = {0, 0};
  int pairs[2] = {0, 0};
  const Eigen::Index n = std::min<Eigen::Index>(s.cca.rows(), static_cast<Eigen::Index>(label.size()));
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = i + 1; j < n; ++j) {
      if (!std::isfinite(s.cca(i, j)) || !std::isfinite(s.procrustes(i, j))) continue;
      const int between = label[static_cast<std::size_t>(i)] != label[static_cast<std::size_t>(j)];
      cca[between] += s.cca(i, j);
      procrustes[between] += s.procrustes(i, j);
      ++pairs[between];
    }
  FamilySimilarity f;
  f.pairs_within = pairs[0];
  f.pairs_between = pairs[1];
  f.cca_within = pairs[0] ? cca[0] / pairs[0] : kNan;
  f.cca_between = pairs[1] ? cca[1] / pairs[1] : kNan;
  f.procrustes_within = pairs[0] ? procrustes[0] / pairs[0] : kNan;
  f.procrustes_between = pairs[1] ? procrustes[1] / pairs[1] : kNan;
  return f;
}

SpectralDynamics spectral_dynamics(const std::vector<CensusEntry>& entries) {
  SpectralDynamics r;
  r.features = {"leading_modulus", "leading_oscillation", "outside_unit_circle"};
  std::vector<Eigen::VectorXd> indicators;
  for (AttractorType a : attractor_types()) {
    r.classes.push_back(to_string(a));
    Eigen::VectorXd ind(static_cast<Eigen::Index>(entries.size()));
    for (std::size_t i = 0; i < entries.size(); ++i) ind(i) = entries[i].signature.attractor == a;
    indicators.push_back(ind);
  }
  for (JarneClass j : jarne_classes()) {
    r.classes.push_back("jarne:" + to_string(j));
    Eigen::VectorXd ind(static_cast<Eigen::Index>(entries.size()));
    for (std::size_t i = 0; i < entries.size(); ++i) ind(i) = entries[i].jarne == j;
    indicators.push_back(ind);
  }
  const Eigen::Index n = static_cast<Eigen::Index>(entries.size());
  Eigen::MatrixXd feat(n, 3);
  for (Eigen::Index i = 0; i < n; ++i) {
    const Signature& s = entries[i].signature;
    feat.row(i) << s.leading_modulus, s.leading_oscillation, s.outside_unit_circle;
  }
  const Eigen::Index c = static_cast<Eigen::Index>(indicators.size());
  r.correlation = Eigen::MatrixXd::Constant(3, c, kNan);
  r.class_mean = Eigen::MatrixXd::Constant(3, c, kNan);
  for (Eigen::Index f = 0; f < 3; ++f)
    for (Eigen::Index k = 0; k < c; ++k) {
      if (n >= 2) r.correlation(f, k) = pearson(feat.col(f), indicators[k]);
      const double members = indicators[k].sum();
      if (members > 0) r.class_mean(f, k) = feat.col(f).dot(indicators[k]) / members;
    }
  return r;
}

}  // namespace rnnlab
