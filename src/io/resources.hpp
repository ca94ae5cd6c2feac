#pragma once
// What a training job will need, estimated from its config before any work
// starts (docs/config.md "Memory and file size"): a job that cannot fit in
// memory is refused with exit 2 naming the keys that make it large, instead
// of failing later with std::bad_alloc (or worse) in the middle of a run.
#include <string>

#include "io/config.hpp"

namespace rnnlab {

struct ResourceEstimate {
  // Bytes, for one network in training (the largest sweep point's): the
  // rollout of a batch and its gradient (states, rates, noise and
  // back-propagated errors: T * batch * N floats each), the batch, and the
  // weights with their Adam moments.
  double training_bytes = 0;
  // The validation set (train.validation_trials trials, kept for the whole
  // run) and the rollout over it.
  double validation_bytes = 0;
  // Everything in memory at once: (training + validation) times the networks
  // trained together (threads).
  double memory_bytes = 0;
  // The experiment file: initial and trained weights in float64 and the curves.
  double file_bytes = 0;
};

// `concurrent`: how many networks one process trains at the same time.
ResourceEstimate estimate_resources(const ExperimentConfig& config, int concurrent);

// The memory a job may use: $RNNLAB_MEMORY_LIMIT when set (bytes, or with a
// suffix K, M, G, T: "64G"; "0" or "none" turns the check off), else the
// memory available now (MemAvailable in /proc/meminfo, or a smaller cgroup
// limit, as SLURM sets). An unreadable value is an InputError naming the variable.
double memory_limit_bytes();

// Refuses (InputError, exit 2) a job whose estimate exceeds memory_limit_bytes(),
// naming the keys that make it large and by how much; returns the estimate.
ResourceEstimate check_resources(const ExperimentConfig& config, int concurrent);

// "1.23 GB": a size as messages write it.
std::string bytes_text(double bytes);

}  // namespace rnnlab
