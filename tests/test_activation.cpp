// phi' and phi'' of every activation against central finite differences of
// phi (and of phi'): the training gradient uses phi', the fixed-point
// solver's Hessian uses phi'', and a wrong sign or factor in either would
// pass most end-to-end tests silently.
#include <gtest/gtest.h>

#include <cmath>

#include "model/activation.hpp"

namespace rnnlab {
namespace {

Eigen::VectorXd points() {
  // Both signs, near zero and in saturation; no point exactly at ReLU's kink.
  Eigen::VectorXd x(9);
  x << -4.0, -1.3, -0.45, -0.05, 0.07, 0.3, 0.9, 2.1, 5.0;
  return x;
}

TEST(Activation, DerivativesMatchFiniteDifferences) {
  const Eigen::VectorXd x = points();
  const double h = 1e-5;
  for (const std::string& name : activation_names()) {
    const Activation act = *parse_activation(name);
    Eigen::VectorXd up(x.size()), down(x.size()), d(x.size()), dd(x.size());
    apply_phi(act, (x.array() + h).matrix(), up);
    apply_phi(act, (x.array() - h).matrix(), down);
    apply_dphi(act, x, d);
    const Eigen::VectorXd fd1 = (up - down) / (2 * h);
    EXPECT_LT((d - fd1).cwiseAbs().maxCoeff(), 1e-8) << name << ": phi' against (phi(x+h) - phi(x-h)) / 2h";

    apply_dphi(act, (x.array() + h).matrix(), up);
    apply_dphi(act, (x.array() - h).matrix(), down);
    apply_ddphi(act, x, dd);
    const Eigen::VectorXd fd2 = (up - down) / (2 * h);
    EXPECT_LT((dd - fd2).cwiseAbs().maxCoeff(), 1e-8) << name << ": phi'' against finite differences of phi'";
  }
}

TEST(Activation, NamesRoundTripAndUnknownIsRefused) {
  for (const std::string& name : activation_names()) {
    const auto act = parse_activation(name);
    ASSERT_TRUE(act.has_value()) << name;
    EXPECT_EQ(to_string(*act), name);
  }
  EXPECT_FALSE(parse_activation("gelu").has_value());
  EXPECT_FALSE(parse_activation("Tanh").has_value());
}

}  // namespace
}  // namespace rnnlab
