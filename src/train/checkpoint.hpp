#pragma once
// Checkpoints of an ensemble in training: a folder beside the output file,
// OUT.h5.partial/, holding the config as run (config.toml) and one HDF5 file
// per network (<key>.h5: the seed, or in a sweep the network's index;
// NetworkSlot in io/config.hpp) with its parameters, Adam moments, iteration,
// curves, status and the best parameters so far (with their iteration and validation). Each file is written to a temporary name and renamed.
// `rnnlab train ... --resume` reads them; the folder is removed once the
// experiment file is written.
#include <optional>
#include <string>

#include "train/trainer.hpp"

namespace rnnlab {

std::string checkpoint_dir_for(const std::string& output_path);

// Creates the folder and records the config; on resume, checks it matches.
void prepare_checkpoint_dir(const std::string& dir, const std::string& config_text, bool resume);

// As <key>.h5; the first form uses the state's seed as the key (no sweep).
void save_checkpoint(const std::string& dir, const NetworkState& state);
void save_checkpoint(const std::string& dir, std::uint64_t key, const NetworkState& state);
std::optional<NetworkState> load_checkpoint(const std::string& dir, std::uint64_t key);

// A network that failed (an exception, not a divergence) leaves a note,
// <key>.failed holding the reason, beside its last checkpoint, which it keeps:
// the experiment file reports it failed, and a resume tries it again.
void save_failure(const std::string& dir, std::uint64_t key, const std::string& reason);
std::optional<std::string> load_failure(const std::string& dir, std::uint64_t key);
// Removes the note (a network cut short by its caller, not failed: Python's Ctrl-C).
void clear_failure(const std::string& dir, std::uint64_t key);

}  // namespace rnnlab
