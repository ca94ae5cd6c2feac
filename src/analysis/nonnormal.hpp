#pragma once
// Non-normal structure of a square matrix A: how far its eigenvalues are
// from telling the whole story (docs/perturbation.md "Non-normal structure").
//
// A is W_rec, or the step map J = (1-a) I + a W_rec diag(phi'(x)) at a state
// x (analysis/linearise.hpp, jacobian_state). A normal matrix (A A^T = A^T A)
// is unitarily diagonal: its eigenvectors are orthogonal, ||exp(tA)||_2 =
// exp(t max Re l), and sigma_min(zI - A) is the distance from z to the
// spectrum. A non-normal one hides a feed-forward part that none of this sees:
//   Schur form      A = Q T Q^T, Q orthogonal, T quasi-upper-triangular (1x1
//                   blocks for real eigenvalues, 2x2 for complex pairs). The
//                   part of T above its block diagonal is the feed-forward
//                   chain between Schur modes (Jarne's "hidden structure").
//   Henrici         sqrt(||A||_F^2 - sum |l|^2) / ||A||_F: the same thing
//                   measured on the complex Schur form (whose strictly upper
//                   part has exactly that norm); 0 iff A is normal.
//   pseudospectra   sigma_min(zI - A) on a grid of z; the eps-pseudospectrum
//                   is where it is < eps.
//   amplification   max over t of ||exp(t A_c)||_2 (continuous time) and
//                   max over k of ||J^k||_2 (per step of the map): how far a
//                   state perturbation grows before it decays, > 1 only for a
//                   non-normal matrix when the eigenvalues say "stable".
#include <Eigen/Dense>

namespace rnnlab {

struct SchurStructure {
  Eigen::MatrixXd q;  // orthogonal
  Eigen::MatrixXd t;  // quasi-upper-triangular, A = Q T Q^T
  // Frobenius norms of T's block diagonal (its 1x1 and 2x2 eigenvalue blocks)
  // and of everything above it; their squares add up to ||A||_F^2.
  double block_diagonal_norm = 0.0;
  double strictly_upper_norm = 0.0;
  // strictly_upper_norm / block_diagonal_norm (0 when the diagonal is 0 too):
  // the size of the feed-forward part relative to the modes it connects.
  double relative_upper = 0.0;
  double frobenius_norm = 0.0;  // ||A||_F
  // Henrici's departure from normality sqrt(||A||_F^2 - sum |l|^2) / ||A||_F
  // (0 for A = 0). A 2x2 block with unequal off-diagonal entries is itself
  // non-normal, so henrici can exceed strictly_upper_norm / ||A||_F.
  double henrici = 0.0;
};

SchurStructure schur_structure(const Eigen::MatrixXd& a);

// sigma_min(zI - A) at z = re(j) + i im(i): sigma_min is (im.size() x re.size()),
// rows along the imaginary axis, so contour(re, im, sigma_min) draws it.
struct Pseudospectrum {
  Eigen::VectorXd re, im;
  Eigen::MatrixXd sigma_min;
};

// On the given grid, with `threads` worker threads (0: one per hardware
// thread; the values do not depend on it).
Pseudospectrum pseudospectrum(const Eigen::MatrixXd& a, const Eigen::VectorXd& re, const Eigen::VectorXd& im,
                              int threads = 0);
// On a points x points grid over the eigenvalues' bounding box, widened on
// every side by `margin` times max(spectral radius, 1).
Pseudospectrum pseudospectrum(const Eigen::MatrixXd& a, int points = 41, double margin = 0.5, int threads = 0);

// ||exp(t A)||_2 at t = 0, dt, ..., steps * dt (t in the units A's rates are
// in: 1/tau for A_c = (J - I)/a, so t in tau).
struct AmplificationCurve {
  Eigen::VectorXd t;
  Eigen::VectorXd norm;
  double max_norm = 1.0;  // max over the curve (>= 1: t = 0 is on it)
  double t_at_max = 0.0;
};
AmplificationCurve continuous_amplification(const Eigen::MatrixXd& a, double t_max, int steps);

// ||M^k||_2 for k = 0..steps (t = k, in steps of the map).
AmplificationCurve discrete_amplification(const Eigen::MatrixXd& m, int steps);

// Both readings of one step map J with leak a: ||exp(t (J - I)/a)||_2 over
// t in [0, t_max_tau] (units of tau) and ||J^k||_2 for the k = ceil(t_max_tau / a)
// steps covering the same time. For the linear network (J = (1-a)I + a W) the
// first is the limit of the second as dt -> 0.
struct TransientAmplification {
  double alpha = 1.0;
  AmplificationCurve per_tau;   // continuous time, t in tau
  AmplificationCurve per_step;  // the map itself, t in steps
};
TransientAmplification transient_amplification(const Eigen::MatrixXd& step_map, double alpha, double t_max_tau = 20.0,
                                               int points = 200);

}  // namespace rnnlab
