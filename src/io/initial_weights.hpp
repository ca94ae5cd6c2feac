#pragma once
// Initial weights that the experiment file need not store (docs/file-format.md
// "Initial weights"). A network trained by rnnlab starts from
// initialise(spec, seed), which is a deterministic function of its config and
// seed: at N = 2000 its W_rec is 32 MB in float64 that the config and the seed
// say in a few bytes. The writer leaves initial/ out when the network qualifies
// (regenerable below) and the weights it regenerates equal the record's bit for
// bit; it stores a checksum of them instead, and the reader regenerates them
// and compares the checksum. Everything else (imports, train.init_from, small
// networks, initialisers that need a matrix decomposition) keeps initial/.
#include <cstdint>
#include <optional>
#include <string>

#include "io/config.hpp"
#include "model/network.hpp"

namespace rnnlab {

// Networks whose W_rec has fewer entries than this keep initial/ in the file
// (1024 x 1024, 8 MB in float64): their files stay self-contained for h5py
// users at no real cost, and only large ones are regenerated.
constexpr long kRegenerateInitialFrom = 1024L * 1024L;

// Whether the initial weights of a network trained with `config` can be
// regenerated cheaply and exactly from the config and its seed: trained from
// scratch (no train.init_from), and an initialiser that is only random draws
// (init = normal or ei, no Dale's law, no spectral_radius rescaling; the
// others need an eigendecomposition or a QR of W_rec, seconds at N = 2000).
bool initial_regenerable(const ExperimentConfig& config);

// The initial effective weights initialise(config.model, seed) gives, as the
// trainer records them (constraints applied, alpha, dt, activation, sign).
Network regenerate_initial(const ExperimentConfig& config, std::uint64_t seed);

// A 64-bit FNV-1a hash of the network's arrays (w_in, w_rec, w_out, b, b_out,
// x0, sign: shapes and bytes) as 16 hex digits: equal checksums mean the same bits.
std::string weights_checksum(const Network& net);

// Whether a and b hold the same arrays bit for bit and the same alpha, dt, activation.
bool same_bits(const Network& a, const Network& b);

}  // namespace rnnlab
