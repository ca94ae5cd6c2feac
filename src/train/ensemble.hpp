#pragma once
// Trains the networks of an ensemble (one per seed, at each sweep point) on a
// pool of threads. A network's result depends only on its seed and its
// point's config: it runs on its own random streams, and the chunks of its
// batches (train/bptt.hpp) are fixed whatever the threads, so 1 or 8
// threads, 1 or 3 processes, alone or in an ensemble, give the same bits.
// Threads go to networks first (each network on its own thread needs no
// synchronisation); only when a share has fewer networks than threads do
// the spare threads go to the networks' batches (plan_threads).
// A network that diverges or fails is recorded as such; the others go on.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "io/config.hpp"
#include "io/experiment_file.hpp"
#include "train/trainer.hpp"

namespace rnnlab {

struct EnsembleOptions {
  int threads = 0;             // 0: config's ensemble.threads, and if that is 0 too, one per core
  std::string checkpoint_dir;  // empty: no checkpoints
  bool resume = false;         // continue from the checkpoints in checkpoint_dir
  ProgressSink* progress = nullptr;  // reports each network under its key (NetworkSlot::key)
  // This process's share when several processes (MPI ranks) split the
  // ensemble: the networks whose index i in config.networks() has i % ranks == rank.
  int rank = 0, ranks = 1;
  // Called from the worker thread once a network trained by this call is
  // finished and its checkpoint saved (not for networks a resume loads
  // finished). Failed networks count too. The argument is the network's key.
  std::function<void(std::uint64_t key)> on_finished;
  // The task each network trains on. Empty: its config's [task], made from
  // the registry. Set: called (from the worker threads, possibly at once)
  // with the network's config (its sweep point's) and seed; Python tasks
  // come this way (python/bindings/bind_train.cpp).
  std::function<std::shared_ptr<const Task>(const ExperimentConfig& point, std::uint64_t seed)> task;
};

// The trainer of network `seed` of `point` (a config without sweep, or a
// sweep point's): its model and training options, its initial model
// (initial_model in train/warm_start.hpp) and `task`, or the config's [task]
// from the registry when `task` is null.
NetworkTrainer make_trainer(const ExperimentConfig& point, std::uint64_t seed,
                            std::shared_ptr<const Task> task = nullptr);

// The networks of this share, ordered as config.networks().
std::vector<NetworkSlot> share_of_networks(const ExperimentConfig& config, int rank, int ranks);

// Puts a record under its slot: the key as its seed and, in a sweep, its
// point, the point's (key, value) pairs and the seed it trained from.
void place_in_job(NetworkRecord& rec, const NetworkSlot& slot, const ExperimentConfig& config);

// Records of this share, ordered as config.networks(). A network that fails
// leaves a failure note in checkpoint_dir (see save_failure).
std::vector<NetworkRecord> train_ensemble(const ExperimentConfig& config, const EnsembleOptions& options);

// The thread budget: requested, else configured, else one per core.
int resolve_threads(int requested, int configured);

// How `threads` are split between `networks`: `networks_at_once` networks
// train side by side, each with `per_network` threads for its batch.
struct ThreadPlan {
  int networks_at_once = 1, per_network = 1;
};
ThreadPlan plan_threads(int threads, int networks);

}  // namespace rnnlab
