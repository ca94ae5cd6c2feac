#pragma once
// Statistics of the weights (issue 3): the distribution of W_rec entries, per
// population under Dale's law, how it moved from the initial to the trained
// weights, and the sizes of the input and output weights.
//
// Which entries count: the entries of W_rec that exist, i.e. where the
// connectivity mask is 1 (every entry when there is no mask). Masked entries
// are structural zeros and would swamp the moments of a sparse network; an
// existing connection whose weight happens to be 0 still counts, because it is
// a weight the training could change. Under Dale's law the excitatory entries
// are those of columns with sign > 0 (presynaptic unit excitatory), the
// inhibitory ones those with sign < 0.
//
// Moments are population moments (divisor n, not n - 1): sd = sqrt(m2),
// skewness = m3 / m2^(3/2), excess kurtosis = m4 / m2^2 - 3 (0 for a Gaussian),
// with m_k the k-th central moment. With fewer than 1 entry all are NaN; with
// zero variance skewness and kurtosis are NaN.
#include <Eigen/Dense>

#include "model/network.hpp"

namespace rnnlab {

struct Moments {
  long count = 0;
  double mean = 0.0, sd = 0.0, skewness = 0.0, excess_kurtosis = 0.0;
};

// Moments of a list of numbers (definitions in the header comment).
Moments moments(const Eigen::Ref<const Eigen::VectorXd>& values);

struct WeightStats {
  Moments all;           // every existing entry of W_rec
  Moments excitatory;    // entries of excitatory columns (Dale only; count 0 otherwise)
  Moments inhibitory;    // entries of inhibitory columns (Dale only; count 0 otherwise)
  double w_rec_norm = 0.0;  // Frobenius norms
  double w_in_norm = 0.0;
  double w_out_norm = 0.0;
};

// `mask` is N x N of 0/1, or empty for a dense network.
WeightStats weight_stats(const Network& net, const Eigen::MatrixXd& mask = {});

// From initial to trained weights.
struct WeightChange {
  WeightStats initial, trained;
  double w_rec_change_norm = 0.0;    // ||W_trained - W_initial||_F
  double w_rec_relative_change = 0.0;  // the same / ||W_initial||_F (NaN if that is 0)
  double w_in_change_norm = 0.0;
  double w_out_change_norm = 0.0;
  // Pearson correlation between initial and trained entries of W_rec (existing
  // entries): near 1 when training only nudged the initial matrix.
  double w_rec_correlation = 0.0;
};

// Both networks must have the same shapes (Error otherwise).
WeightChange weight_change(const Network& initial, const Network& trained, const Eigen::MatrixXd& mask = {});

}  // namespace rnnlab
