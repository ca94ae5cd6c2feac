#pragma once
// The spectrum analysis of every network of an experiment, computed before
// anything is written (analysis/spectrum_io.cpp writes the results). The
// networks are independent, so they are analysed on threads; each result has
// its own slot, in the file's order, so the bits do not depend on the number
// of threads.
#include <optional>
#include <string>
#include <vector>

#include "analysis/spectrum.hpp"
#include "analysis/weight_stats.hpp"
#include "io/config.hpp"
#include "io/experiment_file.hpp"

namespace rnnlab {

// One set of weights: W_rec's spectrum, its theory, and the step map at the origin.
struct WeightsSpectrum {
  Spectrum w_rec;
  SpectrumTheory theory;
  Spectrum origin;  // J0 = (1 - a) I + a W_rec phi'(0)
};

struct NetworkSpectrum {
  std::uint64_t seed = 0;
  // Why the network was not analysed ("" when it was): unusable weights
  // (unusable_reason) or a numerical failure; the other networks go on.
  std::string skipped;
  std::optional<WeightsSpectrum> initial;  // when the record has initial weights
  WeightsSpectrum trained;
  // With initial weights: the statistics of both and the change; without, the trained ones alone.
  std::optional<WeightChange> change;
  WeightStats trained_stats;
};

// The spectrum of one set of weights; `spec` is what the initialiser promised
// (for the theory), when known.
WeightsSpectrum weights_spectrum(const Network& net, const std::optional<ModelSpec>& spec);

// Every network of `experiment`, in its order, on `threads` threads (0: one
// per core; at most two per network, one for each weight set). `config` is the file's, when it parses:
// each network's spec is its sweep point's.
std::vector<NetworkSpectrum> compute_spectra(const Experiment& experiment,
                                             const std::optional<ExperimentConfig>& config, int threads = 0);

}  // namespace rnnlab
