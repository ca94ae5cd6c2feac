#pragma once
// Initialisation of one network from its spec and seed (docs/model.md "Initialisation").
//
//   normal(g):      W_rec ~ N(0, g^2 / (p N))       eigenvalues fill the disk |l| <= g
//   orthogonal(g):  W_rec = g Q, Q Haar-orthogonal    all |l| = g (before masking)
//   ei:             Rajan & Abbott 2006: E columns ~ N(mu_e/sqrt(N), sigma_e^2/N), I columns
//                   ~ N(mu_i/sqrt(N), sigma_i^2/N); balance sets f mu_e + (1-f) mu_i = 0;
//                   zero_row_sums subtracts each row's mean.
// p is the connection probability, so the masked matrix keeps the radius g.
//
// Under Dale's law the trained parameter is Theta with W_rec = M |Theta| diag(s):
// Theta takes the magnitudes of the matrix drawn above, the inhibitory columns
// are scaled so that the mean excitation and inhibition each unit receives
// cancel (otherwise a large real outlier sits at sqrt(N)(f mu_E + (1-f) mu_I)),
// and the result is rescaled to spectral radius `spectral_radius` (or `gain`
// when that is 0). Without Dale, spectral_radius > 0 also rescales.
//
// W_in ~ N(0, input_gain^2 / I) (|.| if inputs are non-negative), W_out ~ N(0, 1/N),
// b = 0, b_out = 0, x0 = 0 or ~ N(0, x0_std^2) for x0 = fixed / learned.
//
//   keras:          Keras's SimpleRNN + Dense defaults: W_rec = g Q as orthogonal(g),
//                   W_in ~ input_gain U(-l, l) with l = sqrt(6 / (I + N)) and
//                   W_out ~ U(-l, l) with l = sqrt(6 / (N + O)) (glorot_uniform).
#include <cstdint>

#include "model/constraints.hpp"
#include "model/network.hpp"
#include "model/spec.hpp"
#include "model/weights.hpp"

namespace rnnlab {

struct InitialModel {
  Constraints constraints;
  Weights<double> theta;  // the trained parameters at iteration 0
};

// Every draw comes from Rng::stream(seed, Purpose::init).
InitialModel initialise(const ModelSpec& spec, std::uint64_t seed);

// The effective weights of `theta` under `constraints` (Dale's signs, the
// mask) as a float64 Network with the spec's alpha, dt and activation: what
// files store and analyses take.
Network to_network(const ModelSpec& spec, const Constraints& constraints, const Weights<double>& theta);

// The recurrent matrix before constraints, for the initialisers alone.
Eigen::MatrixXd draw_recurrent(const ModelSpec& spec, Rng& rng);

double spectral_radius(const Eigen::MatrixXd& w);

}  // namespace rnnlab
