#pragma once
// Loss and accuracy of a network on fresh trials of a task, noise off:
// what "held-out accuracy" means everywhere in rnnlab (tests, `rnnlab eval`).
#include <cstdint>

#include "model/network.hpp"
#include "tasks/task.hpp"
#include "train/bptt.hpp"

namespace rnnlab {

struct Evaluation {
  double loss = 0;      // masked mean squared error
  double accuracy = 0;  // the task's rule
  int trials = 0;
};

// Runs `net` (float64) on `trials` trials drawn from Rng::stream(seed, Purpose::eval).
Evaluation evaluate(const Network& net, const Task& task, int trials, std::uint64_t seed);

// The noiseless rollout of `net` on a batch (states, rates, outputs; float64).
Rollout<double> simulate(const Network& net, const TrialBatch& batch);

}  // namespace rnnlab
