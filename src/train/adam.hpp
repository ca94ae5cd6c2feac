#pragma once
// Adam (Kingma & Ba 2015) with clipping of the global gradient norm.
// The optimiser knows nothing of networks or tasks: it updates a Weights<float>
// given its gradient (the objective lives in train/objective.hpp).
#include <cmath>

#include "model/weights.hpp"

namespace rnnlab {

struct AdamOptions {
  double learning_rate = 1e-3;
  double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;
  double clip = 1.0;  // largest global gradient norm; 0 = no clipping
};

struct AdamState {
  Weights<float> m, v;  // first and second moment estimates
  long step = 0;        // updates taken so far
};

inline double global_norm(Weights<float>& g) {
  double sq = 0;
  g.for_each([&](const auto& a) { sq += static_cast<double>(a.squaredNorm()); });
  return std::sqrt(sq);
}

// One update of `theta` from `grad` (clipped in place). Returns the gradient
// norm before clipping, which the trainer records and checks for NaN.
inline double adam_step(const AdamOptions& opt, AdamState& state, Weights<float>& theta, Weights<float>& grad) {
  if (state.step == 0) {
    state.m = theta.zeros_like();
    state.v = state.m;
  }
  const double norm = global_norm(grad);
  if (opt.clip > 0 && norm > opt.clip) {
    const float scale = static_cast<float>(opt.clip / norm);
    grad.for_each([&](auto& a) { a *= scale; });
  }
  ++state.step;
  const float b1 = static_cast<float>(opt.beta1), b2 = static_cast<float>(opt.beta2);
  // Bias corrections folded into the step size (the paper's efficient form).
  const double correction = std::sqrt(1.0 - std::pow(opt.beta2, state.step)) / (1.0 - std::pow(opt.beta1, state.step));
  const float lr = static_cast<float>(opt.learning_rate * correction);
  const float eps = static_cast<float>(opt.epsilon);
  auto update = [&](auto& param, auto& m, auto& v, const auto& g) {
    m = b1 * m + (1.0f - b1) * g;
    v = b2 * v + (1.0f - b2) * g.cwiseProduct(g);
    param.array() -= lr * m.array() / (v.array().sqrt() + eps);
  };
  update(theta.w_in, state.m.w_in, state.v.w_in, grad.w_in);
  update(theta.w_rec, state.m.w_rec, state.v.w_rec, grad.w_rec);
  update(theta.w_out, state.m.w_out, state.v.w_out, grad.w_out);
  update(theta.b, state.m.b, state.v.b, grad.b);
  update(theta.b_out, state.m.b_out, state.v.b_out, grad.b_out);
  update(theta.x0, state.m.x0, state.v.x0, grad.x0);
  update(theta.log_tau, state.m.log_tau, state.v.log_tau, grad.log_tau);
  return norm;
}

}  // namespace rnnlab
