#pragma once
// The experiment file of an ensemble in training, assembled from its
// checkpoint folder (OUT.h5.partial/, train/checkpoint.hpp), which every
// process and thread training the ensemble writes into (docs/cluster.md).
//
// Assembling reads every network file in the folder and writes OUT.h5 (atomically)
// with one record per network of the config (config.networks(): every seed at
// every sweep point), in that order: a finished network
// (trained or diverged) as trained; one that failed with status "failed"; any
// other with status "missing" (no weights, and the reason says how to finish
// it: --resume). So OUT.h5 always holds every network finished by its last
// assembly and names the rest. Assemblies are serialised by an exclusive lock
// (flock) on OUT.h5.partial/lock, shared by every rank of an MPI job (the
// folder must be on a file system all ranks see).
#include <string>
#include <vector>

#include "io/config.hpp"
#include "io/experiment_file.hpp"

namespace rnnlab {

inline constexpr const char* kMissingStatus = "missing";

// One record per network of `config`, from the checkpoints in `dir`.
std::vector<NetworkRecord> records_from_checkpoints(const ExperimentConfig& config, const std::string& dir);

struct AssemblyCount {
  int finished = 0;  // trained, diverged or failed
  int missing = 0;
};

// Writes `output` from the checkpoints in `dir`, under the folder's lock.
AssemblyCount assemble_experiment_file(const ExperimentConfig& config, const std::string& dir,
                                       const std::string& output);

}  // namespace rnnlab
