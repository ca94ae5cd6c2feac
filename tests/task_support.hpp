#pragma once
// Helpers shared by the task tests (test_tasks.cpp, test_task_suite.cpp) and
// the tests that run a closed-form network on a task (test_behaviour.cpp,
// test_perturb.cpp).
#include <cstdint>

#include "model/network.hpp"
#include "tasks/task.hpp"
#include "util/rng.hpp"

namespace rnnlab::test {

// `trials` trials of `task` from the training stream of `seed`.
inline TrialBatch draw(const Task& task, int trials, std::uint64_t seed) {
  Rng rng = Rng::stream(seed, Purpose::train, 0);
  return task.batch(trials, rng);
}

// Input `channel` / target `channel` (default 0) at step t of a trial.
inline float in(const TrialBatch& b, int channel, int t, int trial) { return b.inputs(channel, b.col(t, trial)); }
inline float out(const TrialBatch& b, int channel, int t, int trial) { return b.targets(channel, b.col(t, trial)); }
inline float out(const TrialBatch& b, int t, int trial) { return out(b, 0, t, trial); }

// A one-unit linear network with w_rec = 1 (alpha 0.1, dt 10 ms) integrates
// its input exactly: x <- (1 - a) x + a (x + u) = x + a u.
inline Network integrator() {
  Network net;
  static_cast<Weights<double>&>(net) = Weights<double>::zeros(1, 1, 1);
  net.w_rec(0, 0) = 1.0;
  net.w_in(0, 0) = 1.0;
  net.w_out(0, 0) = 1.0;
  net.activation = Activation::linear;
  net.alpha = 0.1;
  net.dt = 10.0;
  return net;
}

}  // namespace rnnlab::test
