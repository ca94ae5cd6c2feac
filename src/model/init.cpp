#include "model/init.hpp"

#include <Eigen/Eigenvalues>
#include <cmath>

#include "model/time_constants.hpp"

namespace rnnlab {

namespace {

Eigen::MatrixXd gaussian(int rows, int cols, double sd, Rng& rng) {
  Eigen::MatrixXd m(rows, cols);
  for (Eigen::Index j = 0; j < m.cols(); ++j)
    for (Eigen::Index i = 0; i < m.rows(); ++i) m(i, j) = sd * rng.normal();
  return m;
}

// Haar-distributed orthogonal matrix: QR of a Gaussian matrix, with the signs
// of R's diagonal moved into Q (otherwise the distribution is not uniform).
Eigen::MatrixXd haar_orthogonal(int n, Rng& rng) {
  Eigen::HouseholderQR<Eigen::MatrixXd> qr(gaussian(n, n, 1.0, rng));
  Eigen::MatrixXd q = qr.householderQ();
  const Eigen::MatrixXd r = qr.matrixQR().triangularView<Eigen::Upper>();
  for (int j = 0; j < n; ++j)
    if (r(j, j) < 0) q.col(j) *= -1.0;
  return q;
}

// Glorot & Bengio 2010 as Keras draws it: U(-l, l), l = sqrt(6 / (fan_in + fan_out)),
// which gives variance 2 / (fan_in + fan_out). Our matrices map columns to rows.
Eigen::MatrixXd glorot_uniform(int rows, int cols, Rng& rng) {
  const double limit = std::sqrt(6.0 / std::max(rows + cols, 1));
  Eigen::MatrixXd m(rows, cols);
  for (Eigen::Index j = 0; j < m.cols(); ++j)
    for (Eigen::Index i = 0; i < m.rows(); ++i) m(i, j) = rng.uniform(-limit, limit);
  return m;
}

int excitatory_count(const ModelSpec& spec) { return static_cast<int>(std::lround(spec.e_fraction * spec.units)); }

}  // namespace

double spectral_radius(const Eigen::MatrixXd& w) {
  if (w.size() == 0) return 0.0;
  Eigen::EigenSolver<Eigen::MatrixXd> solver(w, /*computeEigenvectors=*/false);
  return solver.eigenvalues().cwiseAbs().maxCoeff();
}

Eigen::MatrixXd draw_recurrent(const ModelSpec& spec, Rng& rng) {
  const int n = spec.units;
  switch (spec.init) {
    case InitKind::normal:
      return gaussian(n, n, spec.gain / std::sqrt(spec.connectivity * n), rng);
    case InitKind::orthogonal:
    case InitKind::keras:  // Keras's Orthogonal(gain): the same Haar draw
      return spec.gain * haar_orthogonal(n, rng);
    case InitKind::ei: {
      const int n_e = excitatory_count(spec);
      const double f = spec.e_fraction;
      const double mu_i = spec.balance ? -f * spec.mu_e / (1.0 - f) : spec.mu_i;
      const double scale = 1.0 / std::sqrt(static_cast<double>(n));
      Eigen::MatrixXd w(n, n);
      for (int j = 0; j < n; ++j) {
        const bool excitatory = j < n_e;
        const double mean = (excitatory ? spec.mu_e : mu_i) * scale;
        const double sd = (excitatory ? spec.sigma_e : spec.sigma_i) * scale;
        for (int i = 0; i < n; ++i) w(i, j) = mean + sd * rng.normal();
      }
      if (spec.zero_row_sums) w.colwise() -= w.rowwise().mean();
      return w;
    }
  }
  return {};
}

InitialModel initialise(const ModelSpec& spec, std::uint64_t seed) {
  Rng rng = Rng::stream(seed, Purpose::init);
  InitialModel model;
  model.constraints = Constraints::from_spec(spec, rng);
  const Constraints& c = model.constraints;
  const int n = spec.units;

  Eigen::MatrixXd w_rec = draw_recurrent(spec, rng);
  if (c.dale()) {
    // Magnitudes from the initialiser; signs live in the columns (diag(s)).
    Eigen::MatrixXd theta = w_rec.cwiseAbs();
    const Eigen::MatrixXd effective = (c.mask_rec.array() * theta.array()).matrix() * c.sign.asDiagonal();
    const Eigen::ArrayXd column_sums = effective.colwise().sum().transpose().array();
    const double excitation = (c.sign.array() > 0).select(column_sums, 0.0).sum();
    const double inhibition = -(c.sign.array() < 0).select(column_sums, 0.0).sum();
    if (inhibition > 0)
      for (int j = 0; j < n; ++j)
        if (c.sign(j) < 0) theta.col(j) *= excitation / inhibition;
    const double target = spec.spectral_radius > 0 ? spec.spectral_radius : spec.gain;
    const Eigen::MatrixXd balanced = (c.mask_rec.array() * theta.array()).matrix() * c.sign.asDiagonal();
    const double radius = spectral_radius(balanced);
    if (radius > 0) theta *= target / radius;
    w_rec = theta;
  } else if (spec.spectral_radius > 0) {
    const double radius = spectral_radius((c.mask_rec.array() * w_rec.array()).matrix());
    if (radius > 0) w_rec *= spec.spectral_radius / radius;
  }
  // Masked entries of Theta are zeroed too, so Theta itself shows the wiring.
  model.theta.w_rec = (c.mask_rec.array() * w_rec.array()).matrix();

  if (spec.init == InitKind::keras) {
    // Keras's glorot_uniform for SimpleRNN's kernel (I -> N) and Dense's (N -> O).
    model.theta.w_in = spec.input_gain * glorot_uniform(n, spec.inputs, rng);
    model.theta.w_out = glorot_uniform(spec.outputs, n, rng);
  } else {
    model.theta.w_in = gaussian(n, spec.inputs, spec.input_gain / std::sqrt(std::max(spec.inputs, 1)), rng);
    model.theta.w_out = gaussian(spec.outputs, n, 1.0 / std::sqrt(static_cast<double>(n)), rng);
  }
  if (c.input_nonnegative) model.theta.w_in = model.theta.w_in.cwiseAbs();
  model.theta.b = Eigen::VectorXd::Zero(n);
  model.theta.b_out = Eigen::VectorXd::Zero(spec.outputs);
  model.theta.x0 = Eigen::VectorXd::Zero(n);
  if (spec.x0 != X0Mode::zero)
    for (int i = 0; i < n; ++i) model.theta.x0(i) = spec.x0_std * rng.normal();
  return model;
}

Network to_network(const ModelSpec& spec, const Constraints& constraints, const Weights<double>& theta) {
  Network net;
  static_cast<Weights<double>&>(net) = constraints.effective(theta);
  net.alpha = spec.alpha();
  net.dt = spec.dt;
  net.activation = spec.activation;
  net.sign = constraints.sign;
  // Learned time constants become the network's tau_i (all equal: its one tau).
  if (theta.log_tau.size() > 0) net.set_unit_tau(unit_tau(spec, theta.log_tau));
  net.log_tau.resize(0);
  return net;
}

}  // namespace rnnlab
