#pragma once
// train.init_from = "FILE.h5:N": training starts from network N of an
// experiment file (its trained/ weights: the best ones) instead of the
// initialiser's draw (docs/training.md "Warm start"). Every network of the
// job starts from that one network; their training batches still differ by seed.
//
// The source must be the config's model: the same units, inputs, outputs,
// activation and alpha (dt / tau), and its weights must satisfy the config's
// constraints unchanged. Its Dale signs and connectivity mask are taken over,
// so that the constrained weights equal the source's exactly at iteration 0.
#include <cstdint>
#include <string>

#include "io/config.hpp"
#include "model/init.hpp"

namespace rnnlab {

struct InitFrom {
  std::string path;
  std::uint64_t network = 0;  // the group /networks/<network> of the file
};

// "FILE.h5:N" split at the last ':'; InputError naming train.init_from otherwise.
InitFrom parse_init_from(const std::string& value);

// The initial model of a network trained with config.train.init_from: the
// source network's parameters with its constraints. InputError (exit 2) naming
// train.init_from when the file or network is missing or does not fit the model.
InitialModel warm_start(const ExperimentConfig& config, const InitialModel& drawn);

// The initial model of network `seed` of `config` (a sweep point's): the
// initialiser's draw, or train.init_from's network when that is set.
InitialModel initial_model(const ExperimentConfig& config, std::uint64_t seed);

// Checks config.train.init_from of every sweep point before any training
// (nothing to do when it is empty), so a bad source stops the job at once.
void check_init_from(const ExperimentConfig& config);

}  // namespace rnnlab
