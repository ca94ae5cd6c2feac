#pragma once
// Internals of the fixed-point finder shared by its .cpp files (not public API).
#include <Eigen/Dense>
#include <vector>

#include "analysis/fixed_points.hpp"

namespace rnnlab::detail {

// Fixed points found already, each with the LU of its Jacobian: a start that
// comes near one of them finishes there by chord steps with that LU (2N^2
// flops a step) instead of factorising its own Jacobian at every step.
struct KnownRoots {
  std::vector<Eigen::VectorXd> x;  // polished
  std::vector<double> q, error;    // their q and position errors
  std::vector<Eigen::PartialPivLU<Eigen::MatrixXd>> lu;
};

// The problem: F(., u) for one network and one constant input.
struct QProblem {
  const Network& net;
  Eigen::VectorXd c;  // W_in u + b
  double jacobian_bound = 0.0;  // a (1 + |W_rec|_F): bounds |J|_F where |phi'| <= 1
  double residual_scale = 0.0;  // a (|W_rec|_inf + |c|_inf): g's size before the x term, for its roundoff

  QProblem(const Network& network, const Eigen::VectorXd& u);  // validates shapes

  // g = F(x) - x into g (r = phi(x) as scratch); returns q = 1/2 |g|^2.
  double residual(const Eigen::VectorXd& x, Eigen::VectorXd& r, Eigen::VectorXd& g) const;
  // J = dg/dx = a (W diag(phi'(x)) - I) into j (d = phi'(x) as scratch).
  void jacobian(const Eigen::VectorXd& x, Eigen::VectorXd& d, Eigen::MatrixXd& j) const;
  // |J^T g|_inf / (a (1 + |W_rec|_F) |g|_2): 0 at a stationary point of q.
  double stationarity(const Eigen::MatrixXd& j, const Eigen::VectorXd& g) const;

  StartResult solve(const Eigen::VectorXd& start, const FixedPointOptions& options,
                    const KnownRoots* known = nullptr) const;
};

}  // namespace rnnlab::detail
