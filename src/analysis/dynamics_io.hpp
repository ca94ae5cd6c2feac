#pragma once
// The dynamics analysis of every network of an experiment file and the
// census of the ensemble, written into the file (docs/dynamics.md).
//
//   /networks/<seed>/analysis/dynamics/   per network (layout in docs/dynamics.md)
//   /analysis/census/                     over the networks analysed
#include <cstdint>
#include <functional>
#include <string>

#include "analysis/attractor.hpp"
#include "analysis/census.hpp"
#include "analysis/jarne_class.hpp"
#include "analysis/lyapunov.hpp"

namespace rnnlab {

struct DynamicsOptions {
  std::string task;        // task name (at its defaults) for files without a usable config, e.g. imports;
                           // when set it also replaces the config's task
  int trials = 32;         // noiseless trials, drawn from Rng::stream(seed, Purpose::analysis)
  std::uint64_t seed = 1;
  // The trial condition the trials are grouped by (a name of the task's
  // condition_names); empty: the condition with the fewest distinct values
  // (at least 2), e.g. a flip-flop's final bit or a decision's sign.
  std::string condition;
  // Jarne's delay window, as fractions of the trial: steps [start * T, end * T).
  double delay_start = 0.5, delay_end = 1.0;
  int pcs = 3;                  // principal components stored and used for CCA / Procrustes
  int fixed_point_starts = 128; // zero-input fixed-point search (signature, attractor matching)
  int similarity_columns = 2000; // at most this many (evenly spaced) state columns enter CCA / Procrustes
  int threads = 1;              // of the fixed-point search
  LyapunovOptions lyapunov;     // on the autonomous run from the end of each condition's first trial
  AttractorOptions attractor;   // the autonomous run's transient and stored window
  JarneOptions jarne;
  ClusterOptions cluster;
  std::function<void(const std::string&)> log;  // one line at a time
};

// For every network with finite weights: trajectories on the task's trials
// (noise off), per condition the mean trajectory and an autonomous run (zero
// input) from the end of its first trial, PCA and participation ratio of the
// task states, Lyapunov exponents and the attractor of each autonomous run,
// Jarne's classes, the signature; then the census over those networks.
// Written through update_experiment (a failure leaves the file as it was); a
// previous result is replaced whole. Returns the census table.
CensusTable analyze_dynamics_file(const std::string& path, const DynamicsOptions& options = {});

// One line for a network whose dynamics are stored in the file: attractor,
// Jarne class, leading Lyapunov exponent, participation ratio.
std::string dynamics_summary(const std::string& path, std::uint64_t seed);

}  // namespace rnnlab
