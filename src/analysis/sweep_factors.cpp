#include "analysis/sweep_factors.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "analysis/stats.hpp"

namespace rnnlab {

namespace {

// The names in the order of first appearance over the rows.
template <class Pairs>
std::vector<std::string> names_of(const std::vector<SweepRow>& rows, Pairs SweepRow::*member) {
  std::vector<std::string> names;
  for (const SweepRow& r : rows)
    for (const auto& [name, value] : r.*member)
      if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  return names;
}

template <class Pairs>
const typename Pairs::value_type::second_type* find_value(const Pairs& pairs, const std::string& name) {
  for (const auto& p : pairs)
    if (p.first == name) return &p.second;
  return nullptr;
}

double median(std::vector<double> v) {
  if (v.empty()) return std::nan("");
  std::sort(v.begin(), v.end());
  const std::size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

// The shortest text that reads back as the same double.
std::string csv_number(double v) { return std::isnan(v) ? "" : fmt::format("{}", v); }

}  // namespace

std::vector<FactorTest> factor_tests(const std::vector<SweepRow>& rows) {
  std::vector<FactorTest> tests;
  const std::vector<std::string> factors = names_of(rows, &SweepRow::factors);
  const std::vector<std::string> measures = names_of(rows, &SweepRow::measures);
  const std::vector<std::string> labels = names_of(rows, &SweepRow::labels);
  for (const std::string& factor : factors) {
    std::vector<std::string> levels;
    for (const SweepRow& r : rows)
      if (const auto* v = find_value(r.factors, factor); v && std::find(levels.begin(), levels.end(), *v) == levels.end())
        levels.push_back(*v);
    if (levels.size() < 2) continue;
    const auto at_level = [&](const std::string& level) {
      std::vector<const SweepRow*> out;
      for (const SweepRow& r : rows)
        if (const auto* v = find_value(r.factors, factor); v && *v == level) out.push_back(&r);
      return out;
    };
    const std::vector<const SweepRow*> reference = at_level(levels[0]);
    for (std::size_t l = 1; l < levels.size(); ++l) {
      const std::vector<const SweepRow*> level = at_level(levels[l]);
      for (const std::string& m : measures) {
        std::vector<double> x, y;
        for (const SweepRow* r : level)
          if (const double* v = find_value(r->measures, m); v && !std::isnan(*v)) x.push_back(*v);
        for (const SweepRow* r : reference)
          if (const double* v = find_value(r->measures, m); v && !std::isnan(*v)) y.push_back(*v);
        if (x.empty() || y.empty()) continue;
        const MannWhitneyResult mw = mann_whitney(x, y);
        tests.push_back({factor, levels[l], levels[0], m, "", static_cast<int>(x.size()), static_cast<int>(y.size()),
                         median(x), median(y), mw.rank_biserial, mw.p_value, "mann_whitney"});
      }
      for (const std::string& label : labels) {
        std::set<std::string> categories;
        for (const SweepRow& r : rows)
          if (const auto* v = find_value(r.labels, label)) categories.insert(*v);
        for (const std::string& category : categories) {
          long a = 0, b = 0, c = 0, d = 0;
          for (const SweepRow* r : level) {
            const auto* v = find_value(r->labels, label);
            (v && *v == category) ? ++a : ++b;
          }
          for (const SweepRow* r : reference) {
            const auto* v = find_value(r->labels, label);
            (v && *v == category) ? ++c : ++d;
          }
          const FisherResult f = fisher_exact(a, b, c, d);
          const int n_level = static_cast<int>(a + b), n_ref = static_cast<int>(c + d);
          tests.push_back({factor, levels[l], levels[0], label, category, n_level, n_ref,
                           n_level ? static_cast<double>(a) / n_level : std::nan(""),
                           n_ref ? static_cast<double>(c) / n_ref : std::nan(""), f.risk_difference, f.p_value,
                           "fisher"});
        }
      }
    }
  }
  return tests;
}

std::string sweep_rows_csv(const std::vector<SweepRow>& rows) {
  const std::vector<std::string> factors = names_of(rows, &SweepRow::factors);
  const std::vector<std::string> measures = names_of(rows, &SweepRow::measures);
  const std::vector<std::string> labels = names_of(rows, &SweepRow::labels);
  std::string out = "network,seed";
  for (const auto& names : {factors, measures, labels})
    for (const std::string& n : names) out += "," + csv_field(n);
  out += "\n";
  for (const SweepRow& r : rows) {
    out += fmt::format("{},{}", r.network, r.seed);
    for (const std::string& f : factors) {
      const auto* v = find_value(r.factors, f);
      out += "," + (v ? csv_field(*v) : std::string());
    }
    for (const std::string& m : measures) {
      const double* v = find_value(r.measures, m);
      out += "," + (v ? csv_number(*v) : std::string());
    }
    for (const std::string& l : labels) {
      const auto* v = find_value(r.labels, l);
      out += "," + (v ? csv_field(*v) : std::string());
    }
    out += "\n";
  }
  return out;
}

std::string factor_tests_csv(const std::vector<FactorTest>& tests) {
  std::string out =
      "factor,level,reference,measure,category,n_level,n_reference,value_level,value_reference,effect,p_value,test\n";
  for (const FactorTest& t : tests)
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{}\n", csv_field(t.factor), csv_field(t.level),
                       csv_field(t.reference), csv_field(t.measure), csv_field(t.category), t.n_level, t.n_reference,
                       csv_number(t.value_level), csv_number(t.value_reference), csv_number(t.effect),
                       csv_number(t.p_value), t.test);
  return out;
}

std::string factor_tests_text(const std::vector<FactorTest>& tests) {
  if (tests.empty()) return "";
  std::string out =
      "Sweep factors: each level against the factor's first level.\n"
      "  counts: fraction of networks in the category at the level vs the reference, difference, Fisher's exact p\n"
      "  measures: median at the level vs the reference, rank-biserial r (+1: all higher), Mann-Whitney p\n"
      "  * p < 0.05, not corrected for the number of comparisons\n";
  for (const FactorTest& t : tests) {
    const std::string what = t.category.empty() ? t.measure : t.measure + "=" + t.category;
    const bool count = t.test == "fisher";
    out += fmt::format("  {}={} vs {}: {:<28} {} {:.3g} vs {:.3g} (n {} vs {}), {} {:+.3f}, p = {:.3g}{}\n", t.factor,
                       t.level, t.reference, what, count ? "fraction" : "median", t.value_level, t.value_reference,
                       t.n_level, t.n_reference, count ? "difference" : "r", t.effect, t.p_value,
                       t.p_value < 0.05 ? " *" : "");
  }
  return out;
}

}  // namespace rnnlab
