#include "analysis/stats.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "util/error.hpp"

namespace rnnlab {

namespace {

double log_choose(long n, long k) { return std::lgamma(n + 1.0) - std::lgamma(k + 1.0) - std::lgamma(n - k + 1.0); }

// P(X = x) for the hypergeometric count in the top-left cell given the margins.
double log_hypergeometric(long x, long row1, long col1, long n) {
  return log_choose(col1, x) + log_choose(n - col1, row1 - x) - log_choose(n, row1);
}

double normal_two_sided(double z) { return std::erfc(std::abs(z) / std::sqrt(2.0)); }

}  // namespace

FisherResult fisher_exact(long a, long b, long c, long d) {
  if (a < 0 || b < 0 || c < 0 || d < 0) throw InputError("fisher_exact: counts must be >= 0");
  FisherResult r;
  const long row1 = a + b, col1 = a + c, n = a + b + c + d;
  const double ad = static_cast<double>(a) * d, bc = static_cast<double>(b) * c;
  r.odds_ratio = bc > 0 ? ad / bc : (ad > 0 ? std::numeric_limits<double>::infinity() : std::nan(""));
  r.risk_difference = (row1 > 0 ? static_cast<double>(a) / row1 : 0.0) -
                      (c + d > 0 ? static_cast<double>(c) / (c + d) : 0.0);
  if (n == 0) return r;
  const long lo = std::max(0L, row1 + col1 - n), hi = std::min(row1, col1);
  const double observed = log_hypergeometric(a, row1, col1, n);
  // Tables as likely as the observed one, up to roundoff, count as "no more likely".
  const double tolerance = 1e-7;
  double p = 0.0;
  for (long x = lo; x <= hi; ++x) {
    const double lp = log_hypergeometric(x, row1, col1, n);
    if (lp <= observed + tolerance) p += std::exp(lp);
  }
  r.p_value = std::min(1.0, p);
  return r;
}

MannWhitneyResult mann_whitney(const std::vector<double>& x, const std::vector<double>& y) {
  if (x.empty() || y.empty()) throw InputError("mann_whitney: both samples need at least one value");
  const auto has_nan = [](const std::vector<double>& v) {
    return std::any_of(v.begin(), v.end(), [](double e) { return std::isnan(e); });
  };
  if (has_nan(x) || has_nan(y)) throw InputError("mann_whitney: a sample holds NaN");
  const long nx = static_cast<long>(x.size()), ny = static_cast<long>(y.size()), n = nx + ny;

  // Midranks of the pooled sample, and the tie term sum(t^3 - t) for the variance.
  std::vector<std::pair<double, int>> pooled;
  for (double v : x) pooled.push_back({v, 0});
  for (double v : y) pooled.push_back({v, 1});
  std::sort(pooled.begin(), pooled.end());
  double rank_sum_x = 0.0, tie_term = 0.0;
  bool ties = false;
  for (long i = 0; i < n;) {
    long j = i;
    while (j + 1 < n && pooled[j + 1].first == pooled[i].first) ++j;
    const double midrank = 0.5 * static_cast<double>(i + j) + 1.0;
    const double t = static_cast<double>(j - i + 1);
    if (t > 1) ties = true, tie_term += t * t * t - t;
    for (long k = i; k <= j; ++k)
      if (pooled[k].second == 0) rank_sum_x += midrank;
    i = j + 1;
  }
  MannWhitneyResult r;
  r.u = rank_sum_x - 0.5 * static_cast<double>(nx) * (nx + 1);
  const double pairs = static_cast<double>(nx) * ny;
  r.rank_biserial = 2.0 * r.u / pairs - 1.0;

  if (!ties && pairs <= 2500) {
    // The exact null distribution of U: counts of rank arrangements by DP over
    // (how many of the smallest values, how many of them are x's).
    // ways[k][u]: arrangements of k x's among the first m values with U = u.
    const long umax = nx * ny;
    std::vector<std::vector<double>> ways(nx + 1, std::vector<double>(umax + 1, 0.0));
    ways[0][0] = 1.0;
    for (long m = 1; m <= n; ++m) {
      // Adding the m-th smallest value: as an x (k -> k+1), it exceeds the
      // m - 1 - k y's before it; as a y, U does not change.
      for (long k = std::min(m, nx); k >= 1; --k) {
        const long gain = (m - 1) - (k - 1);  // y's among the first m - 1 values
        if (gain > ny || gain < 0) continue;
        for (long u = umax; u >= gain; --u) ways[k][u] += ways[k - 1][u - gain];
      }
    }
    const std::vector<double>& dist = ways[nx];
    const double total = std::accumulate(dist.begin(), dist.end(), 0.0);
    const long u_obs = std::lround(r.u);
    const long u_low = std::min(u_obs, umax - u_obs);  // the distribution is symmetric about umax / 2
    double tail = 0.0;
    for (long u = 0; u <= u_low; ++u) tail += dist[u];
    r.p_value = std::min(1.0, 2.0 * tail / total);
    r.exact = true;
    return r;
  }
  const double mean = 0.5 * pairs;
  const double variance = pairs / 12.0 * ((n + 1.0) - tie_term / (static_cast<double>(n) * (n - 1.0)));
  if (!(variance > 0)) {
    r.p_value = 1.0;  // every value tied: no evidence either way
    return r;
  }
  const double z = (std::abs(r.u - mean) - 0.5) / std::sqrt(variance);
  r.p_value = std::min(1.0, normal_two_sided(std::max(z, 0.0)));
  return r;
}

}  // namespace rnnlab
