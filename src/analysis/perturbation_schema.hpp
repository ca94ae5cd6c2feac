#pragma once
// The declaration of the stored perturbation curves (util/result_schema.hpp):
// what `rnnlab perturb` stores under /networks/<key>/analysis/perturbation/,
// one group per curve named at run time (prune_magnitude, ablate_units_any,
// weight_noise, kick; docs/analysis.md, the layout in docs/file-format.md).
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "util/result_schema.hpp"

namespace rnnlab {

// One degradation curve as stored (pipeline/perturb_file.cpp fills it from a PerturbationCurve).
struct StoredPerturbation {
  std::vector<double> levels, accuracy, loss, removed;
  std::optional<std::vector<double>> spectral_radius_w_rec, spectral_radius_step_map;
  std::string perturbation, method, level_unit;
  std::optional<long> kick_step;
  std::optional<double> kick_ms;
  long candidates = 0, trials = 0, seed = 0;
  std::string task;
};

// A network's curves, by group name.
struct PerturbationRecord {
  std::map<std::string, StoredPerturbation> curves;
};

const schema::Declaration<StoredPerturbation>& perturbation_curve_schema();
const schema::Declaration<PerturbationRecord>& perturbation_schema();

}  // namespace rnnlab
