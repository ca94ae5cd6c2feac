#pragma once
// The parameters of one rate network (docs/model.md, "The equation"):
//
//   x_t = (1 - alpha) x_{t-1} + alpha (W_rec r_{t-1} + W_in u_t + b) + noise_t
//   r_t = phi(x_t),   y_t = W_out r_t + b_out,   x_{-1} = x0
//
// Convention everywhere: W[i, j] is the weight FROM unit j TO unit i.
#include <Eigen/Dense>

namespace rnnlab {

template <class S>
using MatrixX = Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic>;
template <class S>
using VectorX = Eigen::Matrix<S, Eigen::Dynamic, 1>;

// One set of arrays with the shapes of the model. Used for the trained
// parameters (Theta), the effective weights (constraints applied) and gradients.
template <class S>
struct Weights {
  MatrixX<S> w_in;   // N x I
  MatrixX<S> w_rec;  // N x N
  MatrixX<S> w_out;  // O x N
  VectorX<S> b;      // N
  VectorX<S> b_out;  // O
  VectorX<S> x0;     // N, the state at t = -1
  // N or empty: the learned time constants' parameter theta_i, tau_i =
  // max(tau_min, model.tau exp(theta_i)) (model/time_constants.hpp). Trained
  // parameters and their gradients only, and only with train.learn_tau; empty
  // everywhere else (a Network carries its time constants as Network::unit_tau).
  VectorX<S> log_tau;

  int units() const { return static_cast<int>(w_rec.rows()); }
  int inputs() const { return static_cast<int>(w_in.cols()); }
  int outputs() const { return static_cast<int>(w_out.rows()); }

  static Weights zeros(int units, int inputs, int outputs) {
    Weights w;
    w.w_in = MatrixX<S>::Zero(units, inputs);
    w.w_rec = MatrixX<S>::Zero(units, units);
    w.w_out = MatrixX<S>::Zero(outputs, units);
    w.b = VectorX<S>::Zero(units);
    w.b_out = VectorX<S>::Zero(outputs);
    w.x0 = VectorX<S>::Zero(units);
    return w;
  }

  template <class T>
  Weights<T> cast() const {
    return {w_in.template cast<T>(), w_rec.template cast<T>(), w_out.template cast<T>(),
            b.template cast<T>(),    b_out.template cast<T>(), x0.template cast<T>(),
            log_tau.template cast<T>()};
  }

  // The same arrays, every entry zero (log_tau included when it is there).
  Weights zeros_like() const {
    Weights w = zeros(units(), inputs(), outputs());
    w.log_tau = VectorX<S>::Zero(log_tau.size());
    return w;
  }

  // Apply f(array_of_this, array_of_other) to each of the seven arrays in turn.
  template <class F>
  void for_each(F&& f) {
    f(w_in); f(w_rec); f(w_out); f(b); f(b_out); f(x0); f(log_tau);
  }
  template <class F>
  void for_each(const Weights& other, F&& f) {
    f(w_in, other.w_in); f(w_rec, other.w_rec); f(w_out, other.w_out);
    f(b, other.b); f(b_out, other.b_out); f(x0, other.x0); f(log_tau, other.log_tau);
  }
};

}  // namespace rnnlab
