// Fisher's exact test, the Mann-Whitney U test and the sweep-factor table
// (src/analysis/stats.cpp, sweep_factors.cpp) against closed forms, brute-force
// enumeration and values computed independently with SciPy 1.10
// (scipy.stats.fisher_exact, scipy.stats.mannwhitneyu).
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <vector>

#include "analysis/stats.hpp"
#include "analysis/sweep_factors.hpp"
#include "util/error.hpp"

namespace {

using namespace rnnlab;

TEST(Fisher, LadyTastingTea) {
  // [[3, 1], [1, 3]]: the tables with the same margins have probabilities
  // 1, 16, 36, 16, 1 over 70; the two-sided p sums those no more likely than 16/70.
  const FisherResult r = fisher_exact(3, 1, 1, 3);
  EXPECT_NEAR(r.p_value, 34.0 / 70.0, 1e-12);
  EXPECT_DOUBLE_EQ(r.odds_ratio, 9.0);
  EXPECT_DOUBLE_EQ(r.risk_difference, 0.5);
}

TEST(Fisher, LimitCyclesWithAndWithoutNoiseAsInTheIssue) {
  // 1 of 32 networks with recurrent noise are limit cycles against 9 of 32
  // without: SciPy gives p = 0.012702890622195692, odds ratio 0.0824.
  const FisherResult r = fisher_exact(1, 31, 9, 23);
  EXPECT_NEAR(r.p_value, 0.012702890622195692, 1e-12);
  EXPECT_NEAR(r.odds_ratio, 23.0 / 279.0, 1e-15);
  EXPECT_NEAR(r.risk_difference, -8.0 / 32.0, 1e-15);
  EXPECT_NEAR(fisher_exact(9, 23, 1, 31).p_value, r.p_value, 1e-15);  // symmetric in the rows
}

TEST(Fisher, NoDifferenceAndEmptyTables) {
  EXPECT_NEAR(fisher_exact(5, 5, 5, 5).p_value, 1.0, 1e-12);
  EXPECT_EQ(fisher_exact(0, 0, 0, 0).p_value, 1.0);
  EXPECT_TRUE(std::isinf(fisher_exact(4, 0, 0, 4).odds_ratio));
  EXPECT_NEAR(fisher_exact(4, 0, 0, 4).p_value, 2.0 / 70.0, 1e-12);
  EXPECT_THROW(fisher_exact(-1, 0, 0, 0), InputError);
}

// The exact two-sided p of U by enumerating every split of the pooled ranks.
double brute_force_p(const std::vector<double>& x, const std::vector<double>& y) {
  std::vector<double> pooled(x);
  pooled.insert(pooled.end(), y.begin(), y.end());
  const int n = static_cast<int>(pooled.size()), nx = static_cast<int>(x.size());
  auto u_of = [&](const std::vector<bool>& is_x) {
    double u = 0;
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j)
        if (is_x[i] && !is_x[j] && pooled[i] > pooled[j]) u += 1;
    return u;
  };
  std::vector<bool> obs(n, false);
  for (int i = 0; i < nx; ++i) obs[i] = true;
  const double u_obs = u_of(obs), mean = 0.5 * nx * (n - nx);
  double extreme = 0, total = 0;
  for (unsigned mask = 0; mask < (1u << n); ++mask) {
    if (__builtin_popcount(mask) != nx) continue;
    std::vector<bool> is_x(n);
    for (int i = 0; i < n; ++i) is_x[i] = (mask >> i) & 1u;
    total += 1;
    if (std::abs(u_of(is_x) - mean) >= std::abs(u_obs - mean) - 1e-9) extreme += 1;
  }
  return extreme / total;
}

TEST(MannWhitney, ExactAgainstEnumerationAndSciPy) {
  const MannWhitneyResult separated = mann_whitney({1, 2, 3}, {4, 5, 6});
  EXPECT_TRUE(separated.exact);
  EXPECT_EQ(separated.u, 0.0);
  EXPECT_NEAR(separated.p_value, 0.1, 1e-12);  // 2 of the C(6, 3) = 20 splits are as extreme
  EXPECT_EQ(separated.rank_biserial, -1.0);

  const std::vector<double> x{1.1, 2.2, 3.3, 4.4, 5.5}, y{2.5, 6, 7, 8};
  const MannWhitneyResult r = mann_whitney(x, y);
  EXPECT_EQ(r.u, 3.0);
  EXPECT_NEAR(r.p_value, 0.1111111111111111, 1e-12);  // SciPy, method="exact"
  EXPECT_NEAR(r.p_value, brute_force_p(x, y), 1e-12);
  const std::vector<double> a{0.3, -1.2, 2.5, 0.9, 1.7, -0.4, 3.1}, b{1.0, 4.2, 2.8, 3.9, 0.1, 5.0};
  EXPECT_NEAR(mann_whitney(a, b).p_value, brute_force_p(a, b), 1e-12);
  EXPECT_NEAR(mann_whitney(b, a).p_value, mann_whitney(a, b).p_value, 1e-12);
  EXPECT_NEAR(mann_whitney(b, a).rank_biserial, -mann_whitney(a, b).rank_biserial, 1e-15);
}

TEST(MannWhitney, NormalApproximationWithTiesAndLargeSamples) {
  // Ties: SciPy method="asymptotic", use_continuity=True.
  const MannWhitneyResult tied =
      mann_whitney({1, 2, 2, 3, 3, 3, 4, 5, 6, 7, 8, 9}, {3, 4, 4, 5, 6, 6, 7, 8, 9, 9, 10, 11, 12});
  EXPECT_FALSE(tied.exact);
  EXPECT_EQ(tied.u, 35.0);
  EXPECT_NEAR(tied.p_value, 0.020160833412441157, 1e-12);
  // 60 x 70 pairs, no ties: past the exact limit.
  std::vector<double> x, y;
  for (int i = 0; i < 60; ++i) x.push_back(std::sin(1.3 * i));
  for (int j = 0; j < 70; ++j) y.push_back(std::cos(0.7 * j) + 0.3);
  const MannWhitneyResult big = mann_whitney(x, y);
  EXPECT_FALSE(big.exact);
  EXPECT_EQ(big.u, 1573.0);
  EXPECT_NEAR(big.p_value, 0.013939016044365848, 1e-12);
  EXPECT_NEAR(mann_whitney({1, 1, 1}, {1, 1}).p_value, 1.0, 0.0);  // every value tied
  EXPECT_THROW(mann_whitney({}, {1.0}), InputError);
  EXPECT_THROW(mann_whitney({std::nan("")}, {1.0}), InputError);
}

// A sweep of recurrent noise (2 levels) x units (2 levels), 8 seeds each:
// the noise removes limit cycles and lowers accuracy; units changes nothing.
std::vector<SweepRow> constructed_sweep() {
  std::vector<SweepRow> rows;
  int index = 0;
  for (const char* sigma : {"0.0", "0.1"})
    for (const char* units : {"32", "64"})
      for (int seed = 1; seed <= 8; ++seed) {
        SweepRow r;
        r.network = index++;
        r.seed = static_cast<std::uint64_t>(seed);
        r.factors = {{"model.sigma_rec", sigma}, {"model.units", units}};
        const bool noisy = std::string(sigma) == "0.1";
        r.measures = {{"accuracy", (noisy ? 0.80 : 0.95) + 0.001 * seed}};
        // Without noise seeds 1-6 oscillate; with noise only seed 1.
        r.labels = {{"attractor", seed <= (noisy ? 1 : 6) ? "limit_cycle" : "fixed_point"}};
        rows.push_back(r);
      }
  return rows;
}

TEST(SweepFactors, EachLevelAgainstTheFirstWithTheRightTest) {
  const std::vector<FactorTest> tests = factor_tests(constructed_sweep());
  // Per factor (2 levels): accuracy + 2 categories of attractor = 3 comparisons.
  ASSERT_EQ(tests.size(), 6u);
  const FactorTest* cycles = nullptr;
  const FactorTest* accuracy = nullptr;
  for (const FactorTest& t : tests) {
    if (t.factor == "model.sigma_rec" && t.category == "limit_cycle") cycles = &t;
    if (t.factor == "model.sigma_rec" && t.measure == "accuracy") accuracy = &t;
    EXPECT_EQ(t.n_level, 16);
    EXPECT_EQ(t.n_reference, 16);
  }
  ASSERT_TRUE(cycles && accuracy);
  EXPECT_EQ(cycles->level, "0.1");
  EXPECT_EQ(cycles->reference, "0.0");
  EXPECT_EQ(cycles->test, "fisher");
  EXPECT_DOUBLE_EQ(cycles->value_level, 2.0 / 16);
  EXPECT_DOUBLE_EQ(cycles->value_reference, 12.0 / 16);
  EXPECT_NEAR(cycles->p_value, fisher_exact(2, 14, 12, 4).p_value, 1e-15);
  EXPECT_LT(cycles->p_value, 0.01);
  EXPECT_EQ(accuracy->test, "mann_whitney");
  EXPECT_EQ(accuracy->effect, -1.0);  // every noisy network below every noiseless one
  EXPECT_NEAR(accuracy->value_level, 0.8045, 1e-12);
  EXPECT_NEAR(accuracy->value_reference, 0.9545, 1e-12);
  for (const FactorTest& t : tests)
    if (t.factor == "model.units") {
      EXPECT_NEAR(t.effect, 0.0, 1e-12) << t.measure << " " << t.category;
      EXPECT_GT(t.p_value, 0.9);
    }
}

TEST(SweepFactors, CsvHasOneRowPerNetworkAndQuotesWhatNeedsIt) {
  std::vector<SweepRow> rows = constructed_sweep();
  rows[0].labels[0].second = "odd, \"label\"";
  rows[1].measures[0].second = std::nan("");
  const std::string csv = sweep_rows_csv(rows);
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 1 + 32);
  EXPECT_EQ(csv.substr(0, csv.find('\n')), "network,seed,model.sigma_rec,model.units,accuracy,attractor");
  EXPECT_NE(csv.find("0,1,0.0,32,0.951,\"odd, \"\"label\"\"\"\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\n1,2,0.0,32,,limit_cycle\n"), std::string::npos) << csv;  // NaN: an empty field
  const std::string tests = factor_tests_csv(factor_tests(rows));
  EXPECT_EQ(std::count(tests.begin(), tests.end(), '\n'), 1 + 8);  // 3 attractor categories now
  EXPECT_NE(factor_tests_text(factor_tests(constructed_sweep())).find("* p < 0.05"), std::string::npos);
}

}  // namespace
