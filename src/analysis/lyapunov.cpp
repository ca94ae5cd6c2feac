#include "analysis/lyapunov.hpp"

#include <Eigen/QR>
#include <algorithm>
#include <functional>
#include <cmath>
#include <limits>

#include "analysis/linearise.hpp"
#include "util/error.hpp"
#include "util/rng.hpp"

namespace rnnlab {

LyapunovResult lyapunov_spectrum(const Network& net, const Eigen::VectorXd& x0, const Eigen::VectorXd& u_in,
                                 const LyapunovOptions& options) {
  const int n = net.units();
  if (x0.size() != n) throw Error("lyapunov_spectrum: x0 has " + std::to_string(x0.size()) + " entries, N = " + std::to_string(n));
  if (options.steps < 1 || options.transient < 0) throw Error("lyapunov_spectrum: steps must be >= 1, transient >= 0");
  const int k = options.exponents <= 0 || options.exponents > n ? n : options.exponents;
  const Eigen::VectorXd u = u_in.size() ? u_in : Eigen::VectorXd::Zero(net.inputs());

  Rng rng = Rng::stream(options.seed, Purpose::analysis, 0x4c79);  // "Ly"
  Eigen::MatrixXd q(n, k);
  for (Eigen::Index j = 0; j < q.size(); ++j) q.data()[j] = rng.normal();
  q = Eigen::HouseholderQR<Eigen::MatrixXd>(q).householderQ() * Eigen::MatrixXd::Identity(n, k);

  Eigen::VectorXd x = x0, log_r = Eigen::VectorXd::Zero(k), log_r_first = Eigen::VectorXd::Zero(k);
  const int first_half = options.steps / 2;
  double log_det = 0.0;
  for (int t = 0; t < options.transient + options.steps; ++t) {
    const Eigen::MatrixXd j = jacobian_state(net, x);
    Eigen::HouseholderQR<Eigen::MatrixXd> qr(j * q);
    q = qr.householderQ() * Eigen::MatrixXd::Identity(n, k);
    const bool averaging = t >= options.transient;
    // Householder QR leaves signs free: |R_ii| is what grows.
    for (int i = 0; i < k; ++i) {
      const double r = std::abs(qr.matrixQR()(i, i));
      if (!averaging) continue;
      const double l = r > 0 ? std::log(r) : -std::numeric_limits<double>::infinity();
      log_r(i) += l;
      if (t - options.transient < first_half) log_r_first(i) += l;
    }
    if (averaging && options.log_det) log_det += std::log(std::abs(j.partialPivLu().determinant()));
    x = net.step(x, u);
    if (!x.allFinite()) throw Error("lyapunov_spectrum: the trajectory diverged (non-finite state)");
  }
  LyapunovResult res;
  res.per_step = log_r / options.steps;
  // The QR order is the growth order only on average; sort to report descending.
  std::sort(res.per_step.data(), res.per_step.data() + k, std::greater<double>());
  res.per_tau = res.per_step / net.alpha;
  const auto sorted_per_tau = [&](Eigen::VectorXd v, int steps) {
    v /= std::max(steps, 1) * net.alpha;
    std::sort(v.data(), v.data() + k, std::greater<double>());
    return v;
  };
  res.first_half_per_tau = sorted_per_tau(log_r_first, first_half);
  res.second_half_per_tau = sorted_per_tau(log_r - log_r_first, options.steps - first_half);
  if (options.log_det) res.mean_log_det_per_step = log_det / options.steps;
  res.final_state = x;
  res.alpha = net.alpha;
  res.steps = options.steps;
  res.transient = options.transient;
  return res;
}

}  // namespace rnnlab
