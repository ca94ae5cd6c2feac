#pragma once
// The finite-difference side of the gradient tests (test_gradient.cpp,
// test_loss.cpp): central differences of a loss on every entry of every
// array, and the comparison with the analytic gradient, array by array.
#include <gtest/gtest.h>

#include <algorithm>

#include "model/weights.hpp"

namespace rnnlab {

// d loss / d w by central differences with step h; `loss` takes the weights.
// Entries whose gradient is structurally zero (masked, frozen) come out zero.
template <class Loss>
Weights<double> numeric_gradient(Weights<double> w, const Loss& loss, double h = 1e-6) {
  Weights<double> grad = w;
  auto probe = [&](auto& param, auto& out) {
    for (Eigen::Index i = 0; i < param.size(); ++i) {
      const double saved = param.data()[i];
      param.data()[i] = saved + h;
      const double up = loss(w);
      param.data()[i] = saved - h;
      const double down = loss(w);
      param.data()[i] = saved;
      out.data()[i] = (up - down) / (2 * h);
    }
  };
  probe(w.w_in, grad.w_in);
  probe(w.w_rec, grad.w_rec);
  probe(w.w_out, grad.w_out);
  probe(w.b, grad.b);
  probe(w.b_out, grad.b_out);
  probe(w.x0, grad.x0);
  probe(w.log_tau, grad.log_tau);
  return grad;
}

// Each array of `analytic` within relative error `tolerance` of `numeric`
// (copies: Weights::for_each visits mutable arrays).
inline void expect_gradients_agree(Weights<double> analytic, Weights<double> numeric,
                                   double tolerance = 1e-6) {
  const char* names[] = {"w_in", "w_rec", "w_out", "b", "b_out", "x0", "log_tau"};
  int k = 0;
  analytic.for_each(numeric, [&](const auto& a, const auto& n) {
    const double scale = std::max({a.norm(), n.norm(), 1e-8});
    EXPECT_LT((a - n).norm() / scale, tolerance) << names[k] << "\nanalytic\n" << a << "\nnumeric\n" << n;
    ++k;
  });
}

}  // namespace rnnlab
