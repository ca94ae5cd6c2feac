#pragma once
// The rate functions phi of docs/model.md with their first and second
// derivatives: the one list of activations for training (phi, phi'), the
// linearisation (phi') and the fixed-point solver's Hessian (phi'').
// Python takes the names from here too (rnnlab._core.activation_names()).
#include <Eigen/Dense>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rnnlab {

enum class Activation { tanh, relu, softplus, sigmoid, retanh, linear };

std::string to_string(Activation activation);
std::optional<Activation> parse_activation(std::string_view name);
const std::vector<std::string>& activation_names();

// r = phi(x), element-wise. Works on matrices and blocks of float or double.
template <class In, class Out>
void apply_phi(Activation activation, const Eigen::MatrixBase<In>& x, Eigen::MatrixBase<Out> const& r_) {
  auto& r = const_cast<Eigen::MatrixBase<Out>&>(r_);
  using S = typename In::Scalar;
  auto a = x.array();
  switch (activation) {
    case Activation::tanh: r.array() = a.tanh(); break;
    case Activation::relu: r.array() = a.max(S(0)); break;
    // log(1 + e^x) = max(x, 0) + log1p(e^-|x|): no overflow for large |x|
    case Activation::softplus: r.array() = a.max(S(0)) + (-a.abs()).exp().log1p(); break;
    case Activation::sigmoid: r.array() = S(1) / (S(1) + (-a).exp()); break;
    case Activation::retanh: r.array() = a.tanh().max(S(0)); break;
    case Activation::linear: r = x; break;
  }
}

// d = phi'(x), element-wise.
template <class In, class Out>
void apply_dphi(Activation activation, const Eigen::MatrixBase<In>& x, Eigen::MatrixBase<Out> const& d_) {
  auto& d = const_cast<Eigen::MatrixBase<Out>&>(d_);
  using S = typename In::Scalar;
  auto a = x.array();
  switch (activation) {
    case Activation::tanh: d.array() = S(1) - a.tanh().square(); break;
    case Activation::relu: d.array() = (a > S(0)).template cast<S>(); break;
    case Activation::softplus: d.array() = S(1) / (S(1) + (-a).exp()); break;
    case Activation::sigmoid: {
      auto s = S(1) / (S(1) + (-a).exp());
      d.array() = s * (S(1) - s);
      break;
    }
    case Activation::retanh: d.array() = (a > S(0)).template cast<S>() * (S(1) - a.tanh().square()); break;
    case Activation::linear: d.setOnes(); break;
  }
}

// dd = phi''(x), element-wise (the fixed-point solver's second-order term).
// ReLU and linear are piecewise linear: phi'' = 0 wherever it exists.
template <class In, class Out>
void apply_ddphi(Activation activation, const Eigen::MatrixBase<In>& x, Eigen::MatrixBase<Out> const& dd_) {
  auto& dd = const_cast<Eigen::MatrixBase<Out>&>(dd_);
  using S = typename In::Scalar;
  auto a = x.array();
  switch (activation) {
    // tanh'' = -2 tanh (1 - tanh^2)
    case Activation::tanh: dd.array() = S(-2) * a.tanh() * (S(1) - a.tanh().square()); break;
    case Activation::retanh:
      dd.array() = (a > S(0)).template cast<S>() * (S(-2) * a.tanh() * (S(1) - a.tanh().square()));
      break;
    // softplus' = sigmoid, so softplus'' = sigmoid (1 - sigmoid)
    case Activation::softplus: {
      auto s = S(1) / (S(1) + (-a).exp());
      dd.array() = s * (S(1) - s);
      break;
    }
    case Activation::sigmoid: {
      auto s = S(1) / (S(1) + (-a).exp());
      dd.array() = s * (S(1) - s) * (S(1) - S(2) * s);
      break;
    }
    case Activation::relu:
    case Activation::linear: dd.setZero(); break;
  }
}

}  // namespace rnnlab
