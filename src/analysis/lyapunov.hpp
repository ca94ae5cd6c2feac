#pragma once
// Lyapunov exponents of the noiseless map x -> F(x, u) at a constant input u,
// by the QR method (Benettin et al. 1980; docs/dynamics.md).
//
// k orthonormal tangent vectors Q ride along a trajectory: each step they are
// pushed through the step Jacobian J(x_t) = (1-a) I + a W_rec diag(phi'(x_t))
// and re-orthonormalised, J Q = Q' R; the exponents are the time averages of
// ln|R_ii|, the first `transient` steps discarded (the trajectory settles and
// Q aligns with the leading directions).
//
// Units. `per_step` is in nats per step of the map. `per_tau` divides by
// alpha = dt / tau (one step lasts alpha tau), so it is in 1/tau and compares
// directly with continuous-time rates: in the linear regime the exponents are
// ln|1 + a mu| / a for the eigenvalues mu of (-I + W_rec), which tends to
// Re(mu) as a -> 0. Per millisecond: per_tau / tau = per_step / dt.
#include <Eigen/Dense>
#include <cstdint>
#include <limits>

#include "model/network.hpp"

namespace rnnlab {

struct LyapunovOptions {
  int exponents = 10;    // k leading exponents; 0 or more than N: all N
  int transient = 500;   // steps run (state and Q) before averaging starts
  int steps = 2000;      // steps averaged
  std::uint64_t seed = 1;  // of the random initial tangent vectors
  // Also average ln|det J| (an O(N^3) LU per step: off by default, for checks).
  bool log_det = false;
};

struct LyapunovResult {
  Eigen::VectorXd per_step;  // k exponents, descending, nats per step
  Eigen::VectorXd per_tau;   // per_step / alpha, in 1/tau
  // Mean of ln|det J(x_t)| over the averaged steps: the sum of ALL N exponents
  // per step (Liouville); equals per_step.sum() when k = N. NaN unless options.log_det.
  double mean_log_det_per_step = std::numeric_limits<double>::quiet_NaN();
  // The same exponents over the first and the second half of the averaged
  // steps (each sorted descending, 1/tau): a chaotic attractor gives two
  // positive leading exponents of about the same size; a run still leaving an
  // unstable rest state, or still settling, does not (docs/dynamics.md "Attractors").
  Eigen::VectorXd first_half_per_tau, second_half_per_tau;
  Eigen::VectorXd final_state;  // where the trajectory ended
  double alpha = 1.0;
  int steps = 0, transient = 0;
};

// From x0 with constant input u (empty: zero input).
LyapunovResult lyapunov_spectrum(const Network& net, const Eigen::VectorXd& x0, const Eigen::VectorXd& u,
                                 const LyapunovOptions& options = {});

}  // namespace rnnlab
