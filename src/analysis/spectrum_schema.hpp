#pragma once
// The declarations of the spectrum results (util/result_schema.hpp): what
// `analyze --spectrum` stores under /networks/<seed>/analysis/spectrum, what
// rnnlab.spectrum() returns in Python, with each field's shape, units and
// meaning. The HDF5 writer and reader, the Python dataclasses and their
// docstrings all come from these.
#include <optional>

#include "analysis/spectrum.hpp"
#include "analysis/weight_stats.hpp"
#include "util/result_schema.hpp"

namespace rnnlab {

// The spectrum of one set of weights as the file holds it: W_rec's spectrum,
// the random-matrix theory beside it, and the spectrum of the step map at
// the origin.
struct SpectrumResult {
  Spectrum spectrum;
  std::optional<SpectrumTheory> theory;
  std::optional<Spectrum> linearised_origin;
};

// The weight statistics of a network: of its trained weights, and with the
// initial ones present, of those and of the change.
struct WeightStatsResult {
  std::optional<WeightStats> initial;
  WeightStats trained;
  std::optional<WeightChange> change;  // its initial/trained members are not stored here (see above)
};

// Everything `analyze --spectrum` stores for one network.
struct SpectrumAnalysis {
  std::optional<SpectrumResult> initial;  // when the file has initial weights
  SpectrumResult trained;
  WeightStatsResult weight_stats;
};

const schema::Declaration<EigenMode>& eigen_mode_schema();
const schema::Declaration<Spectrum>& matrix_spectrum_schema();
const schema::Declaration<SpectrumTheory>& spectrum_theory_schema();
const schema::Declaration<SpectrumResult>& spectrum_schema();
const schema::Declaration<Moments>& moments_schema();
const schema::Declaration<WeightStats>& weight_stats_schema();
const schema::Declaration<WeightChange>& weight_change_schema();
const schema::Declaration<WeightStatsResult>& weight_stats_result_schema();
const schema::Declaration<SpectrumAnalysis>& spectrum_analysis_schema();

}  // namespace rnnlab
