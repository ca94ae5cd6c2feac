#pragma once
// The rate function phi and its derivative, for every activation of docs/model.md.
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

}  // namespace rnnlab
