#include "analysis/weight_stats.hpp"

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "util/error.hpp"

namespace rnnlab {

namespace {

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();

void check_mask(const Network& net, const Eigen::MatrixXd& mask) {
  if (mask.size() != 0 && (mask.rows() != net.w_rec.rows() || mask.cols() != net.w_rec.cols()))
    throw Error("weight statistics: the mask is " + std::to_string(mask.rows()) + " x " + std::to_string(mask.cols()) +
                ", W_rec " + std::to_string(net.w_rec.rows()) + " x " + std::to_string(net.w_rec.cols()));
}

bool exists(const Eigen::MatrixXd& mask, Eigen::Index i, Eigen::Index j) { return mask.size() == 0 || mask(i, j) != 0; }

// Existing entries of W_rec in the columns `keep(j)` selects, column by column.
template <class Keep>
Eigen::VectorXd entries(const Eigen::MatrixXd& w, const Eigen::MatrixXd& mask, Keep keep) {
  std::vector<double> out;
  out.reserve(static_cast<std::size_t>(w.size()));
  for (Eigen::Index j = 0; j < w.cols(); ++j) {
    if (!keep(j)) continue;
    for (Eigen::Index i = 0; i < w.rows(); ++i)
      if (exists(mask, i, j)) out.push_back(w(i, j));
  }
  return Eigen::Map<Eigen::VectorXd>(out.data(), static_cast<Eigen::Index>(out.size()));
}

}  // namespace

Moments moments(const Eigen::Ref<const Eigen::VectorXd>& values) {
  Moments m;
  m.count = static_cast<long>(values.size());
  if (m.count == 0) {
    m.mean = m.sd = m.skewness = m.excess_kurtosis = kNan;
    return m;
  }
  const double n = static_cast<double>(m.count);
  m.mean = values.mean();
  // Central moments in two passes: numerically safer than raw power sums.
  const Eigen::ArrayXd d = values.array() - m.mean;
  const double m2 = d.square().sum() / n;
  const double m3 = d.cube().sum() / n;
  const double m4 = d.square().square().sum() / n;
  m.sd = std::sqrt(m2);
  if (m2 > 0) {
    m.skewness = m3 / std::pow(m2, 1.5);
    m.excess_kurtosis = m4 / (m2 * m2) - 3.0;
  } else {
    m.skewness = m.excess_kurtosis = kNan;
  }
  return m;
}

WeightStats weight_stats(const Network& net, const Eigen::MatrixXd& mask) {
  check_mask(net, mask);
  WeightStats s;
  s.all = moments(entries(net.w_rec, mask, [](Eigen::Index) { return true; }));
  if (net.sign.size() != 0) {
    if (net.sign.size() != net.w_rec.cols())
      throw Error("weight statistics: the sign vector has " + std::to_string(net.sign.size()) + " entries for " +
                  std::to_string(net.w_rec.cols()) + " units");
    s.excitatory = moments(entries(net.w_rec, mask, [&](Eigen::Index j) { return net.sign(j) > 0; }));
    s.inhibitory = moments(entries(net.w_rec, mask, [&](Eigen::Index j) { return net.sign(j) < 0; }));
  }
  s.w_rec_norm = net.w_rec.norm();
  s.w_in_norm = net.w_in.norm();
  s.w_out_norm = net.w_out.norm();
  return s;
}

WeightChange weight_change(const Network& initial, const Network& trained, const Eigen::MatrixXd& mask) {
  auto same = [](const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) { return a.rows() == b.rows() && a.cols() == b.cols(); };
  if (!same(initial.w_rec, trained.w_rec) || !same(initial.w_in, trained.w_in) || !same(initial.w_out, trained.w_out))
    throw Error("weight change: the initial and trained networks have different shapes");
  WeightChange c;
  c.initial = weight_stats(initial, mask);
  c.trained = weight_stats(trained, mask);
  c.w_rec_change_norm = (trained.w_rec - initial.w_rec).norm();
  const double init_norm = initial.w_rec.norm();
  c.w_rec_relative_change = init_norm > 0 ? c.w_rec_change_norm / init_norm : kNan;
  c.w_in_change_norm = (trained.w_in - initial.w_in).norm();
  c.w_out_change_norm = (trained.w_out - initial.w_out).norm();

  const auto all = [](Eigen::Index) { return true; };
  const Eigen::ArrayXd a = entries(initial.w_rec, mask, all).array();
  const Eigen::ArrayXd b = entries(trained.w_rec, mask, all).array();
  if (a.size() > 0) {
    const Eigen::ArrayXd da = a - a.mean(), db = b - b.mean();
    const double denom = std::sqrt(da.square().sum() * db.square().sum());
    c.w_rec_correlation = denom > 0 ? (da * db).sum() / denom : kNan;
  } else {
    c.w_rec_correlation = kNan;
  }
  return c;
}

}  // namespace rnnlab
