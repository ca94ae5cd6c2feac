#include "analysis/pca.hpp"

#include <Eigen/Eigenvalues>
#include <algorithm>

#include "util/error.hpp"

namespace rnnlab {

double participation_ratio(const Eigen::VectorXd& variances) {
  const double sum_sq = variances.squaredNorm();
  if (sum_sq <= 0.0) return 0.0;
  const double sum = variances.sum();
  return sum * sum / sum_sq;
}

Pca pca(const Eigen::MatrixXd& states) {
  if (states.cols() < 2) throw Error("pca: needs at least 2 states, got " + std::to_string(states.cols()));
  const Eigen::Index n = states.rows();
  Pca p;
  p.mean = states.rowwise().mean();
  const Eigen::MatrixXd centred = states.colwise() - p.mean;
  const Eigen::MatrixXd cov = centred * centred.transpose() / static_cast<double>(states.cols() - 1);
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(cov);
  // Eigen returns ascending eigenvalues; reverse to descending.
  p.variances.resize(n);
  p.components.resize(n, n);
  for (Eigen::Index i = 0; i < n; ++i) {
    p.variances(i) = std::max(0.0, eig.eigenvalues()(n - 1 - i));
    Eigen::VectorXd v = eig.eigenvectors().col(n - 1 - i);
    Eigen::Index arg = 0;
    v.cwiseAbs().maxCoeff(&arg);
    if (v(arg) < 0) v = -v;
    p.components.col(i) = v;
  }
  const double total = p.variances.sum();
  p.explained_ratio = total > 0 ? Eigen::VectorXd(p.variances / total) : Eigen::VectorXd::Zero(n);
  p.participation_ratio = participation_ratio(p.variances);
  return p;
}

Eigen::MatrixXd project(const Pca& p, const Eigen::MatrixXd& states, int k) {
  k = std::clamp(k, 0, static_cast<int>(p.components.cols()));
  return p.components.leftCols(k).transpose() * (states.colwise() - p.mean);
}

}  // namespace rnnlab
