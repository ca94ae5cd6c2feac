#pragma once
// Options of the dynamics analyses from Python keyword arguments. The keys are
// the attribute names `rnnlab analyze --dynamics` writes into the file
// (docs/dynamics.md "What is stored"), so what a notebook passes and what a
// file records read the same. Unknown keys and values out of range are
// refused with the list of keys.
#include <pybind11/pybind11.h>

#include "analysis/attractor.hpp"
#include "analysis/census.hpp"
#include "pipeline/dynamics_io.hpp"
#include "analysis/lyapunov.hpp"

namespace rnnlab::py_bind {

// exponents, transient, steps, seed, log_det.
LyapunovOptions lyapunov_options(const pybind11::dict& d);
// transient, window, fixed_point_tolerance, match_distance, chaos_threshold,
// chaos_agreement, return_tolerance, sustained_ratio.
AttractorOptions attractor_options(const pybind11::dict& d);
// trials, seed, condition, delay_start, delay_end, pcs, fixed_point_starts,
// trajectory_starts, random_starts, threads, lyapunov_* (exponents, transient, steps), attractor_* (transient,
// window) and the thresholds above, jarne_* (spectral_oscillatory,
// spectral_mixed, peak_to_median, min_cycles, ramp_correlation).
DynamicsOptions dynamics_options(const pybind11::dict& d);
// max_k, min_silhouette, iterations.
ClusterOptions cluster_options(const pybind11::dict& d);

}  // namespace rnnlab::py_bind
