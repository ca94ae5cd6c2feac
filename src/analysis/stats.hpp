#pragma once
// Exact tests for comparing groups of networks (a sweep's factor levels):
// Fisher's exact test on a 2 x 2 table of counts, and the Mann-Whitney U
// (Wilcoxon rank-sum) test on a continuous measure, with their effect sizes.
// Formulas: Fisher (1922); Mann & Whitney (1947); the rank-biserial
// correlation of Kerby (2014). Two-sided p-values throughout.
#include <vector>

namespace rnnlab {

struct FisherResult {
  double p_value = 1.0;     // two-sided: the sum of the probabilities of all tables
                            // with the same margins that are no more likely than this one
  double odds_ratio = 0.0;  // (a d) / (b c); +inf when b c = 0 < a d, NaN when both are 0
  double risk_difference = 0.0;  // a / (a + b) - c / (c + d): the difference in proportions
};

// The 2 x 2 table  [a b]  (rows: the two groups; columns: has / has not the property).
//                  [c d]
FisherResult fisher_exact(long a, long b, long c, long d);

struct MannWhitneyResult {
  double u = 0.0;        // U of the first sample: pairs (x_i, y_j) with x_i > y_j, ties counted 1/2
  double p_value = 1.0;  // two-sided; exact (the permutation distribution of U) when there are
                         // no ties and n_x * n_y <= 2500, else the normal approximation with
                         // the tie correction and a continuity correction
  bool exact = false;
  double rank_biserial = 0.0;  // 2 U / (n_x n_y) - 1 in [-1, 1]: +1 when every x exceeds every y
};

// InputError if either sample is empty or holds a NaN.
MannWhitneyResult mann_whitney(const std::vector<double>& x, const std::vector<double>& y);

}  // namespace rnnlab
