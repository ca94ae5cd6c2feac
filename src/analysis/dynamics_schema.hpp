#pragma once
// The declaration of the stored dynamics analysis (util/result_schema.hpp):
// what `rnnlab analyze --dynamics` and `rnnlab run` store for each network
// under /networks/<seed>/analysis/dynamics/ (docs/dynamics.md, the layout in
// docs/file-format.md). The record holds the file's values as stored; the
// writer (pipeline/dynamics_io.cpp) fills it from the analysis.
#include <Eigen/Dense>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analysis/network_dynamics.hpp"
#include "util/result_schema.hpp"

namespace rnnlab {

struct StoredPca {
  Eigen::VectorXd explained_variance, explained_ratio, mean;
  Eigen::MatrixXd components;  // N x K
};

struct StoredJarne {
  std::string label, spectral_label, activity_label;
  double oscillation_index = 0;
  std::optional<long> unstable_modes;
  std::vector<std::string> condition_labels;
  std::vector<double> peak_to_median, peak_cycles, time_correlation;
};

// One group of trials: its mean trajectory and the autonomous run from the
// end of its first trial.
struct StoredCondition {
  double value = 0;
  long trials = 0;
  std::string attractor;
  long fixed_point = -1;
  double fixed_point_distance = 0, period_steps = 0, period_ms = 0, amplitude = 0, extent = 0;
  std::optional<long> returns;
  std::optional<double> return_miss, leading_exponent_first, leading_exponent_second;
  Eigen::MatrixXd mean_states, mean_states_pcs, autonomous, autonomous_pcs;  // time x N or K
  Eigen::VectorXd lyapunov_per_step, lyapunov_per_tau;
};

struct StoredPoints {
  Eigen::MatrixXd x;  // P x N
  std::vector<std::string> stability;
};

// The attractors reached from many starts, one entry per attractor.
struct StoredAttractorSet {
  std::string description;
  std::optional<long> unstable_starts;
  std::vector<std::string> type;
  std::vector<double> period_steps, basin, starts, first_start, leading_exponent, marginal, amplitude;
  Eigen::MatrixXd x;  // A x N
  std::vector<double> start_attractor;
};

// One of the task's operating inputs (rows 1.. of inputs/).
struct StoredInput {
  std::string name;
  StoredPoints fixed_points;
  StoredAttractorSet attractors;
};

struct StoredInputs {
  std::vector<std::string> names, attractor_set;
  Eigen::MatrixXd input;  // C x I
  std::vector<double> stable, saddles;
  std::map<std::string, StoredInput> operating;  // by row index, "1", "2", ...
};

struct StoredScaffold {
  std::string description;
  std::vector<double> point;
  Eigen::MatrixXd reaches;  // E x 2
  std::vector<std::string> link;
};

struct StoredMemory {
  std::string parameter;
  long trials = 0;
  std::vector<double> factor, accuracy;
};

struct DynamicsRecord {
  DynamicsOptions settings;  // those it ran with (the ones stored; the others keep their defaults)
  std::string task, condition;
  long delay_window_from = 0, delay_window_to = 0;
  std::string attractor;
  double leading_lyapunov_per_tau = 0, participation_ratio = 0, alpha = 0, dt_ms = 0;
  std::optional<std::string> attractor_set, family_key;
  std::optional<double> origin_leading_re, origin_leading_im, origin_continuous_re, origin_continuous_im;
  std::optional<long> origin_unstable_modes;
  std::optional<double> w_rec_leading_re, w_rec_leading_im;
  std::optional<long> w_rec_outside_unit_circle;
  StoredPca pca;
  StoredJarne jarne;
  std::map<std::string, StoredCondition> conditions;  // by group index, "0", "1", ...
  std::optional<std::string> fixed_points_from;
  std::optional<StoredPoints> fixed_points;
  std::optional<StoredAttractorSet> attractors;
  std::optional<StoredInputs> inputs;
  std::optional<StoredScaffold> scaffold;
  std::optional<StoredMemory> memory;
  std::optional<Eigen::VectorXd> signature;
  std::optional<std::vector<std::string>> signature_names;
};

const schema::Declaration<DynamicsRecord>& dynamics_schema();

}  // namespace rnnlab
