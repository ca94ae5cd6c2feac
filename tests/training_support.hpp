#pragma once
// Training inside a test: the ensemble on one thread, so that a test's time
// does not depend on how many cores the machine has (its results do not
// either: tests/test_threads.cpp).
#include <vector>

#include "io/config.hpp"
#include "train/ensemble.hpp"

namespace rnnlab::testing_support {

inline std::vector<NetworkRecord> train_on_one_thread(const ExperimentConfig& config, EnsembleOptions options = {}) {
  options.threads = 1;
  return train_ensemble(config, options);
}

}  // namespace rnnlab::testing_support
