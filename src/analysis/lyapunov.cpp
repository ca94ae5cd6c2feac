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

  Eigen::VectorXd x = x0, log_r = Eigen::VectorXd::Zero(k);
  double log_det = 0.0;
  for (int t = 0; t < options.transient + options.steps; ++t) {
    const Eigen::MatrixXd j = jacobian_state(net, x);
    Eigen::HouseholderQR<Eigen::MatrixXd> qr(j * q);
    q = qr.householderQ() * Eigen::MatrixXd::Identity(n, k);
    const bool averaging = t >= options.transient;
    // Householder QR leaves signs free: |R_ii| is what grows.
    for (int i = 0; i < k; ++i) {
      const double r = std::abs(qr.matrixQR()(i, i));
      if (averaging) log_r(i) += r > 0 ? std::log(r) : -std::numeric_limits<double>::infinity();
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
  if (options.log_det) res.mean_log_det_per_step = log_det / options.steps;
  res.final_state = x;
  res.alpha = net.alpha;
  res.steps = options.steps;
  res.transient = options.transient;
  return res;
}

}  // namespace rnnlab
