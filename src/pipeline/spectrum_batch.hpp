#pragma once
// The spectrum analysis of every network of an experiment, computed before
// anything is written (spectrum_io.cpp writes the results). The
// networks are independent, so they are analysed on threads; each result has
// its own slot, in the file's order, so the bits do not depend on the number
// of threads.
#include <optional>
#include <string>
#include <vector>

#include "analysis/spectrum.hpp"
#include "analysis/spectrum_schema.hpp"
#include "analysis/weight_stats.hpp"
#include "io/config.hpp"
#include "io/experiment_file.hpp"

namespace rnnlab {

struct NetworkSpectrum {
  std::uint64_t seed = 0;
  // Why the network was not analysed ("" when it was): unusable weights
  // (unusable_reason) or a numerical failure; the other networks go on.
  std::string skipped;
  SpectrumAnalysis analysis;  // what the file stores (spectrum_schema.hpp)
};

// The spectrum of one set of weights: W_rec's, its theory, and the step map
// at the origin J0 = (1 - a) I + a W_rec phi'(0). `spec` is what the
// initialiser promised (for the theory), when known.
SpectrumResult weights_spectrum(const Network& net, const std::optional<ModelSpec>& spec);

// Every network of `experiment`, in its order, on `threads` threads (0: one
// per core; at most two per network, one for each weight set). `config` is the file's, when it parses:
// each network's spec is its sweep point's.
std::vector<NetworkSpectrum> compute_spectra(const Experiment& experiment,
                                             const std::optional<ExperimentConfig>& config, int threads = 0);

}  // namespace rnnlab
