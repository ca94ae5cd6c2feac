#pragma once
// The declaration of the fixed-point result (util/result_schema.hpp): what
// `analyze --fixed-points` stores under /networks/<seed>/analysis/fixed_points
// and what rnnlab.fixed_points() returns in Python. K starts, P distinct
// points, N units, I inputs, O outputs, k kept eigenvectors.
#include <optional>
#include <string>
#include <vector>

#include "analysis/fixed_points.hpp"
#include "util/result_schema.hpp"

namespace rnnlab {

// How a result was searched for.
struct FixedPointSearch {
  std::string input_condition;  // "zero", "mean", "NAME=VALUE", "v1,v2,..." or "given" (Python)
  std::string task;             // "" without one
  std::string starts_from;      // "trajectories" | "box" | "given" (Python)
  std::optional<double> box_half_width;  // box only
  long trials = 0, seed = 0;
  double noise = 0.0;
  double tolerance = 0.0, slow_speed = 0.0, dedup_tolerance = 0.0, outlier_factor = 0.0;
  long max_iterations = 0, eigenvectors = 0;
  double alpha = 1.0, dt_ms = 1.0, wall_time_s = 0.0;
};

// The finder's method as a search records it (tolerances, iterations,
// eigenvectors kept), with the network's alpha and dt and the time taken;
// where the input and starts came from is left to the caller.
FixedPointSearch search_by(const FixedPointOptions& options, double alpha, double dt_ms, double wall_time_s);

// A start as stored: where it began, and what its minimisation gave.
struct StoredStart {
  Eigen::VectorXd initial;
  StartResult result;
};

// A distinct point as stored: with W_out phi(x) + b_out, where it sits in output space.
struct StoredPoint {
  FixedPoint point;
  Eigen::VectorXd readout;
};

struct FixedPointsRecord {
  FixedPointSearch search;
  FixedPointSummary summary;
  Eigen::VectorXd input;  // (I) the constant input searched at
  std::vector<StoredStart> starts;
  std::vector<StoredPoint> points;
};

// The record of a search: `starts` N x K as given to the finder, `readout_of`
// maps a point's x to its readout.
FixedPointsRecord fixed_points_record(const FixedPointSearch& search, const Eigen::VectorXd& input,
                                      const Eigen::MatrixXd& starts, const FixedPointResult& result,
                                      const std::function<Eigen::VectorXd(const Eigen::VectorXd&)>& readout_of);

const schema::Declaration<FixedPointsRecord>& fixed_points_schema();

}  // namespace rnnlab
