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

#include "model/init.hpp"
#include "model/spec.hpp"
#include "spec/train_spec.hpp"
#include "spec/training_curves.hpp"
#include "tasks/task.hpp"
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

// Everything needed to continue training a network later (and, with the
// network's initial model, to make its record: train/record.hpp).
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

// Trains one network from what it needs: the model, the training options,
// its initial parameters and constraints (model/init.hpp: the initialiser's
// draw, or train.init_from's network: train/warm_start.hpp), the task and the
// seed of its random streams. It knows nothing of config files or experiment
// files; train/ensemble.hpp makes trainers from a config, and
// train/record.hpp turns a finished NetworkState into the file's record.
// One stage of a curriculum as the trainer runs it (spec/curriculum_spec.hpp).
struct TrainingStage {
  std::shared_ptr<const Task> task;
  long iterations = 0;          // the most iterations of the stage
  double until_accuracy = 0.0;  // > 0: ends at the first validation with accuracy >= this
};

class NetworkTrainer {
 public:
  NetworkTrainer(const ModelSpec& model, const TrainSpec& train, InitialModel init, std::shared_ptr<const Task> task,
                 std::uint64_t seed);

  // Trains through `stages` in order instead of on the one task for
  // train.iterations (docs/training.md "Curricula"). Call before
  // initial_state(); every stage's task must have the network's inputs and outputs.
  void set_curriculum(std::vector<TrainingStage> stages);

  // Threads for the chunks of each batch (Objective::set_threads); the same bits for any count.
  void set_threads(int threads) { objective_.set_threads(threads); }

  // Iteration 0: the initial model's parameters.
  NetworkState initial_state() const;
  const InitialModel& initial_model() const { return init_; }
  // Trains until the iteration budget or the target loss is reached, or the
  // network blows up (collapsed / diverged). `checkpoint` is called every
  // train.checkpoint_every iterations.
  void run(NetworkState& state, const std::function<void(const NetworkState&)>& checkpoint,
           ProgressSink* progress);
  // Validation loss and accuracy of `theta` on the fixed validation trials
  // (of the stage in force, with a curriculum).
  std::pair<double, double> validate(const Weights<float>& theta);

 private:
  // Makes stage `stage` the one in force: its task, and its validation trials
  // (drawn once, on the first entry).
  void enter_stage(std::size_t stage);

  ModelSpec model_;
  TrainSpec train_;
  std::uint64_t seed_;
  std::shared_ptr<const Task> task_;
  InitialModel init_;
  Objective objective_;
  TrialBatch validation_;
  // With a curriculum: its stages and each one's validation trials (empty
  // until drawn); without, empty.
  std::vector<TrainingStage> stages_;
  std::vector<TrialBatch> stage_validation_;
};

}  // namespace rnnlab
