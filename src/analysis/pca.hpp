#pragma once
// Principal components of network states and the participation ratio
// (docs/ground-truths.md; docs/dynamics.md).
//
// States are columns (N x M, as simulate() returns them: one column per
// time step and trial). The covariance is the sample covariance of the
// columns (divided by M - 1); its eigenvalues l_i are the variances along the
// principal axes. The participation ratio PR = (sum l)^2 / sum l^2 counts how
// many axes carry the variance: k equal variances give k, l_i ~ r^i gives
// (1 + r) / (1 - r) in the limit of many axes.
#include <Eigen/Dense>

namespace rnnlab {

struct Pca {
  Eigen::VectorXd mean;             // N: the centre the components are taken about
  Eigen::VectorXd variances;        // N: covariance eigenvalues, descending, clamped at 0
  Eigen::VectorXd explained_ratio;  // variances / their sum (zeros if the states do not move)
  Eigen::MatrixXd components;       // N x N: column i is the axis of variances(i); the sign
                                    // makes its largest-magnitude entry positive (deterministic)
  double participation_ratio = 0.0;
};

// (sum l)^2 / sum l^2 of non-negative variances; 0 when they are all 0.
double participation_ratio(const Eigen::VectorXd& variances);

// PCA of the columns of `states` (N x M, M >= 2).
Pca pca(const Eigen::MatrixXd& states);

// Coordinates of the columns of `states` on the first k axes: k x M.
Eigen::MatrixXd project(const Pca& p, const Eigen::MatrixXd& states, int k);

}  // namespace rnnlab
