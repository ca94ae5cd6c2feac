#include "model/constraints.hpp"

#include <algorithm>
#include <cmath>

namespace rnnlab {

Constraints Constraints::from_spec(const ModelSpec& spec, Rng& rng) {
  const int n = spec.units;
  Constraints c;
  if (spec.dale) {
    // The first round(f N) units are excitatory: sorted E/I blocks make
    // connectivity plots readable and the choice carries no information.
    const int n_e = static_cast<int>(std::lround(spec.e_fraction * n));
    c.sign = Eigen::VectorXd::Constant(n, -1.0);
    c.sign.head(n_e).setOnes();
  }
  c.mask_rec = Eigen::MatrixXd::Ones(n, n);
  if (spec.connectivity < 1.0)
    for (int j = 0; j < n; ++j)
      for (int i = 0; i < n; ++i) c.mask_rec(i, j) = rng.bernoulli(spec.connectivity) ? 1.0 : 0.0;
  if (!spec.autapses) c.mask_rec.diagonal().setZero();

  c.input_nonnegative = spec.input_nonnegative;
  c.readout_excitatory = spec.readout_excitatory && spec.dale;
  c.bias = spec.bias;
  c.learn_x0 = spec.x0 == X0Mode::learned;
  auto frozen = [&](const char* name) {
    return std::find(spec.freeze.begin(), spec.freeze.end(), name) != spec.freeze.end();
  };
  c.train_w_in = !frozen("w_in");
  c.train_w_rec = !frozen("w_rec");
  c.train_w_out = !frozen("w_out");
  c.train_b = spec.bias && !frozen("b");
  c.train_b_out = !frozen("b_out");
  if (frozen("x0")) c.learn_x0 = false;
  return c;
}

template <class S>
Weights<S> Constraints::effective(const Weights<S>& theta) const {
  Weights<S> w = theta;
  const MatrixX<S> mask = mask_rec.cast<S>();
  if (dale()) {
    w.w_rec = (mask.array() * theta.w_rec.array().abs()).matrix() * sign.cast<S>().asDiagonal();
  } else {
    w.w_rec = (mask.array() * theta.w_rec.array()).matrix();
  }
  if (input_nonnegative) w.w_in = theta.w_in.array().abs().matrix();
  if (readout_excitatory) w.w_out = theta.w_out * (sign.array() > 0).cast<S>().matrix().asDiagonal();
  if (!bias) w.b.setZero();
  return w;
}

template <class S>
Weights<S> Constraints::chain_to_theta(const Weights<S>& theta, const Weights<S>& g) const {
  Weights<S> d = g;
  const MatrixX<S> mask = mask_rec.cast<S>();
  if (dale()) {
    // W = M |Theta| diag(s): dTheta = M * (dW diag(s)) * sign(Theta)
    MatrixX<S> signed_grad = g.w_rec * sign.cast<S>().asDiagonal();
    d.w_rec = (mask.array() * signed_grad.array() * theta.w_rec.array().sign()).matrix();
  } else {
    d.w_rec = (mask.array() * g.w_rec.array()).matrix();
  }
  if (input_nonnegative) d.w_in = (g.w_in.array() * theta.w_in.array().sign()).matrix();
  if (readout_excitatory) d.w_out = g.w_out * (sign.array() > 0).cast<S>().matrix().asDiagonal();
  if (!train_w_in) d.w_in.setZero();
  if (!train_w_rec) d.w_rec.setZero();
  if (!train_w_out) d.w_out.setZero();
  if (!train_b) d.b.setZero();
  if (!train_b_out) d.b_out.setZero();
  if (!learn_x0) d.x0.setZero();
  return d;
}

template Weights<float> Constraints::effective(const Weights<float>&) const;
template Weights<double> Constraints::effective(const Weights<double>&) const;
template Weights<float> Constraints::chain_to_theta(const Weights<float>&, const Weights<float>&) const;
template Weights<double> Constraints::chain_to_theta(const Weights<double>&, const Weights<double>&) const;

std::string to_string(InitKind kind) {
  switch (kind) {
    case InitKind::normal: return "normal";
    case InitKind::orthogonal: return "orthogonal";
    case InitKind::ei: return "ei";
    case InitKind::keras: return "keras";
  }
  return "?";
}

std::string to_string(X0Mode mode) {
  switch (mode) {
    case X0Mode::zero: return "zero";
    case X0Mode::fixed: return "fixed";
    case X0Mode::learned: return "learned";
  }
  return "?";
}

}  // namespace rnnlab
