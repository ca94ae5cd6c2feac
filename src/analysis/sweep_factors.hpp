#pragma once
// A sweep as a result (docs/dynamics.md "Sweeps"): one tidy row per network
// (its sweep values, seed and measures) and, per swept factor, the marginal of
// every measure at each level with an exact test of each level against the
// first one: Fisher's exact test for a category's count (e.g. "limit_cycle"
// networks with and without recurrent noise), Mann-Whitney for a continuous
// measure (e.g. accuracy, the leading eigenvalue of the step map).
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace rnnlab {

// One network of a sweep.
struct SweepRow {
  int network = 0;                 // its index in the file (/networks/<index>)
  std::uint64_t seed = 0;
  std::vector<std::pair<std::string, std::string>> factors;  // (key, value) per swept key, as the file stores them
  std::vector<std::pair<std::string, double>> measures;      // continuous; NaN when not available
  std::vector<std::pair<std::string, std::string>> labels;   // categorical, e.g. ("attractor", "limit_cycle")
};

// One comparison of a level of a factor with the factor's reference level (its first value).
struct FactorTest {
  std::string factor, level, reference;
  std::string measure;     // a measure's or a label's name
  std::string category;    // for a label: the category counted ("limit_cycle"); empty for a measure
  int n_level = 0, n_reference = 0;
  // Counts: the fraction of networks in the category; measures: the median.
  double value_level = 0.0, value_reference = 0.0;
  // Counts: the difference in fractions (level - reference); measures: the
  // rank-biserial correlation (+1: every network at the level above every one at the reference).
  double effect = 0.0;
  double p_value = 1.0;
  std::string test;  // "fisher" or "mann_whitney"
};

// Every level (but the first) of every factor against the first level, for
// every measure and for every category of every label that occurs. Levels keep
// the order of first appearance in `rows` (the sweep's own order). Networks
// with NaN in a measure are left out of that measure's test.
std::vector<FactorTest> factor_tests(const std::vector<SweepRow>& rows);

// The rows as CSV: network, seed, one column per factor, per measure, per label.
// Strings are quoted where they hold a comma, a quote or a newline.
std::string sweep_rows_csv(const std::vector<SweepRow>& rows);
// The tests as CSV, one row per FactorTest.
std::string factor_tests_csv(const std::vector<FactorTest>& tests);
// The tests as aligned text for the terminal, with a legend; the comparisons
// with p < 0.05 are marked "*" (no correction for the number of tests: the
// legend says so).
std::string factor_tests_text(const std::vector<FactorTest>& tests);

}  // namespace rnnlab
