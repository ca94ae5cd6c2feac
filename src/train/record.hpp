#pragma once
// A trained network's entry for the experiment file, made from its training
// state and initial model alone: no trainer and no trials, so assembling a
// file from checkpoints (train/ensemble_file.hpp) costs one read per network.
#include "io/experiment_file.hpp"
#include "model/init.hpp"
#include "model/spec.hpp"
#include "train/trainer.hpp"

namespace rnnlab {

// The best parameters as trained/, the last ones as final/ when they differ,
// the initial model's as initial/; the seed is the state's (the ensemble then
// places the record in its job: place_in_job).
NetworkRecord network_record(const ModelSpec& model, const InitialModel& init, const NetworkState& state);

}  // namespace rnnlab
