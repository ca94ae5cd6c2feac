#pragma once
// Trains one network: the loop of batches, Adam updates, validation,
// divergence checks and checkpoints. Everything random comes from streams
// named by (seed, purpose, iteration), so a run stopped at a checkpoint and
// resumed ends with the same weights as an uninterrupted one.
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <string>

#include "io/config.hpp"
#include "io/experiment_file.hpp"
#include "model/init.hpp"
#include "train/adam.hpp"
#include "train/objective.hpp"

namespace rnnlab {

// How a blow-up is recognised (docs/training.md "When training blows up").
// The last validation loss more than this many times the best one: the
// network has lost what it learned (a late spike that recovers by the end
// does not count; the weights stored are the best ones either way).
inline constexpr double kCollapseFactor = 10.0;
// A parameter entry larger than this in magnitude: the optimiser has thrown
// the network away. Healthy rate networks have entries of order 1 to 10, and
// Adam moves every entry by up to about learning_rate per update whatever the
// gradient clipping (it divides by the gradient's own running scale), so a
// too-large rate shows here first, while the loss may still be finite.
inline constexpr double kExplodedWeight = 1e4;

// Everything needed to continue training a network later.
struct NetworkState {
  std::uint64_t seed = 0;
  long iteration = 0;            // Adam updates done
  Weights<float> theta;          // trained parameters
  AdamState adam;
  TrainingCurves curves;
  // running | trained | collapsed | diverged | failed (docs/training.md)
  std::string status = "running";
  std::string reason;              // for collapsed / diverged / failed
  double wall_time = 0.0;          // seconds of training so far, across resumes
  // The parameters with the lowest validation loss so far: what the
  // experiment file stores as trained/. best_iteration -1: none validated yet.
  Weights<float> best_theta;
  long best_iteration = -1;
  double best_val_loss = std::numeric_limits<double>::infinity();
  double best_val_accuracy = std::numeric_limits<double>::quiet_NaN();
  // Validation of the last parameters (theta), set when training stops.
  double final_val_loss = std::numeric_limits<double>::quiet_NaN();
  double final_val_accuracy = std::numeric_limits<double>::quiet_NaN();

  bool finished() const { return status != "running"; }
};

// Receives progress from trainers (possibly from several threads).
class ProgressSink {
 public:
  virtual ~ProgressSink() = default;
  virtual void update(std::uint64_t seed, long iteration, double loss, double val_accuracy) = 0;
  virtual void finished(std::uint64_t seed, const std::string& status, const std::string& reason) = 0;
};

class NetworkTrainer {
 public:
  // The task is made from config.task.
  NetworkTrainer(const ExperimentConfig& config, std::uint64_t seed);
  // A task from elsewhere (user data, a Python callable); config.task is ignored.
  NetworkTrainer(const ExperimentConfig& config, std::uint64_t seed, std::shared_ptr<const Task> task);

  // Threads for the chunks of each batch (Objective::set_threads); the same bits for any count.
  void set_threads(int threads) { objective_.set_threads(threads); }

  // Iteration 0: the initialiser's parameters, or train.init_from's network.
  NetworkState initial_state() const;
  // Trains until the iteration budget or the target loss is reached, or the
  // network blows up (collapsed / diverged). `checkpoint` is called every
  // train.checkpoint_every iterations.
  void run(NetworkState& state, const std::function<void(const NetworkState&)>& checkpoint,
           ProgressSink* progress);
  // Validation loss and accuracy of `theta` on the fixed validation trials.
  std::pair<double, double> validate(const Weights<float>& theta);
  // The network's entry for the experiment file: the best parameters as
  // trained/, the last ones as final/ when they differ.
  NetworkRecord record(const NetworkState& state) const;

 private:
  const ExperimentConfig& config_;
  std::uint64_t seed_;
  std::shared_ptr<const Task> task_;
  InitialModel init_;
  Objective objective_;
  TrialBatch validation_;
};

// Effective weights as a float64 Network (what files store and analysis takes).
Network to_network(const ModelSpec& spec, const Constraints& constraints, const Weights<double>& theta);

}  // namespace rnnlab
