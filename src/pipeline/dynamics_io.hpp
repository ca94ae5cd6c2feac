#pragma once
// The dynamics analysis of every network of an experiment file and the
// census of the ensemble, written into the file (docs/dynamics.md).
//
//   /networks/<seed>/analysis/dynamics/   per network (layout in docs/dynamics.md)
//   /analysis/census/                     over the networks analysed
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "analysis/census.hpp"
#include "analysis/network_dynamics.hpp"
#include "model/spec.hpp"

namespace rnnlab {

// For every network with finite weights: trajectories on the task's trials
// (noise off), per condition the mean trajectory and an autonomous run (zero
// input) from the end of its first trial, PCA and participation ratio of the
// task states, Lyapunov exponents and the attractor of each autonomous run,
// Jarne's classes, the signature; then the census over those networks.
// Written through update_experiment (a failure leaves the file as it was); a
// previous result is replaced whole. Returns the census table.
CensusTable analyze_dynamics_file(const std::string& path, const DynamicsOptions& options = {});

// The census group of a network: networks are compared within a group. In a
// sweep it is the sweep point, "flipflop (sweep point 03: model.dale=true,
// model.units=64)", the index zero-padded to the width of sweep_points - 1 so
// that tables list the points in order; otherwise the task and the model's
// constraints, "flipflop (dale=false, connectivity=1, sigma_rec=0,
// activation=tanh)"; without a model (an import, or a task given in place of
// the file's) "<task> (imported)". No "|" inside: the census table uses it
// between columns.
std::string census_group(const std::string& task_name, const ModelSpec* model, int sweep_point = -1,
                         const std::vector<std::pair<std::string, std::string>>& sweep = {}, int sweep_points = 0);

// One line for a network whose dynamics are stored in the file: attractor,
// Jarne class, leading Lyapunov exponent, participation ratio.
std::string dynamics_summary(const std::string& path, std::uint64_t seed);

}  // namespace rnnlab
