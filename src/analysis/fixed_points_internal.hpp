#pragma once
// Internals of the fixed-point finder shared by its .cpp files (not public API).
#include <Eigen/Dense>
#include <memory>
#include <mutex>
#include <vector>

#include "analysis/dense_decompositions.hpp"
#include "analysis/fixed_points.hpp"

namespace rnnlab::detail {

// Fixed points found already, each with the LU of its Jacobian: a start that
// comes near one of them finishes there by chord steps with that LU (2N^2
// flops a step) instead of factorising its own Jacobian at every step.
struct KnownRoots {
  std::vector<Eigen::VectorXd> x;  // polished
  std::vector<double> q, error;    // their q and position errors
  std::vector<DenseLU> lu;
};

struct Work;  // one start's scratch (fixed_point_solver.cpp)

// The problem: F(., u) for one network and one constant input.
struct QProblem {
  const Network& net;
  Eigen::VectorXd c;  // W_in u + b
  double jacobian_bound = 0.0;  // a (1 + |W_rec|_F): bounds |J|_F where |phi'| <= 1
  double residual_scale = 0.0;  // a (|W_rec|_inf + |c|_inf): g's size before the x term, for its roundoff

  QProblem(const Network& network, const Eigen::VectorXd& u);  // validates shapes
  ~QProblem();

  // g = F(x) - x into g (r = phi(x) as scratch); returns q = 1/2 |g|^2.
  double residual(const Eigen::VectorXd& x, Eigen::VectorXd& r, Eigen::VectorXd& g) const;
  // J = dg/dx = a (W diag(phi'(x)) - I) into j (d = phi'(x) as scratch).
  void jacobian(const Eigen::VectorXd& x, Eigen::VectorXd& d, Eigen::MatrixXd& j) const;
  // |J^T g|_inf / (a (1 + |W_rec|_F) |g|_2): 0 at a stationary point of q.
  double stationarity(const Eigen::MatrixXd& j, const Eigen::VectorXd& g) const;

  StartResult solve(const Eigen::VectorXd& start, const FixedPointOptions& options,
                    const KnownRoots* known = nullptr) const;

 private:
  // Scratch reused by the starts that follow each other on a thread: fresh
  // N x N work matrices for every start cost page faults (the allocator hands
  // their memory back to the system in between) as large as the LU itself
  // at N = 400. A start takes a set, or makes one, and gives it back; the
  // sets live as long as the problem.
  mutable std::mutex scratch_mutex_;
  mutable std::vector<std::unique_ptr<Work>> scratch_;
};

}  // namespace rnnlab::detail
