#pragma once
// Trains one network: the loop of batches, Adam updates, validation,
// divergence checks and checkpoints. Everything random comes from streams
// named by (seed, purpose, iteration), so a run stopped at a checkpoint and
// resumed ends with the same weights as an uninterrupted one.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "io/config.hpp"
#include "io/experiment_file.hpp"
#include "model/init.hpp"
#include "train/adam.hpp"
#include "train/objective.hpp"

namespace rnnlab {

// Everything needed to continue training a network later.
struct NetworkState {
  std::uint64_t seed = 0;
  long iteration = 0;            // Adam updates done
  Weights<float> theta;          // trained parameters
  AdamState adam;
  TrainingCurves curves;
  std::string status = "running";  // running | trained | diverged | failed
  std::string reason;              // for diverged / failed
  double wall_time = 0.0;          // seconds of training so far, across resumes

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

  NetworkState initial_state() const;
  // Trains until the iteration budget or the target loss is reached, or the
  // network diverges. `checkpoint` is called every train.checkpoint_every iterations.
  void run(NetworkState& state, const std::function<void(const NetworkState&)>& checkpoint,
           ProgressSink* progress);
  // Validation loss and accuracy of `theta` on the fixed validation trials.
  std::pair<double, double> validate(const Weights<float>& theta);
  // The network's entry for the experiment file.
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
