#pragma once
// Trains the networks of an ensemble (one per seed) on a pool of threads.
// A network's result depends only on its seed: each runs single-threaded on its
// own random streams, so 1 or 8 threads, alone or in an ensemble, give the same
// bits. A network that diverges or fails is recorded as such; the others go on.
#include <cstdint>
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
  ProgressSink* progress = nullptr;
};

// Records ordered as config.seeds().
std::vector<NetworkRecord> train_ensemble(const ExperimentConfig& config, const EnsembleOptions& options);

int resolve_threads(int requested, int configured, int jobs);

}  // namespace rnnlab
