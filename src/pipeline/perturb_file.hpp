#pragma once
// Perturbation curves in the experiment file, /networks/<key>/analysis/perturbation/ (docs/analysis.md).
#include <cstdint>
#include <string>
#include <vector>

#include "analysis/perturb.hpp"
#include "analysis/perturbation_schema.hpp"

namespace rnnlab {

// A curve as its declaration (analysis/perturbation_schema.hpp) stores it.
StoredPerturbation stored_perturbation(const PerturbationCurve& curve, const std::string& task_name);

// One network's curves, to be written under /networks/<key>/analysis/perturbation/.
struct NetworkPerturbations {
  std::uint64_t key = 0;                       // the network's group name
  std::vector<std::string> groups;             // perturbation_group_name of each curve
  std::vector<PerturbationCurve> curves;
};
// Writes every network's curves into the file at `path` in one atomic update
// (io/experiment_file.hpp update_experiment: all or nothing); a curve already
// stored under the same group is replaced, other groups are kept.
void write_perturbations_file(const std::string& path, const std::vector<NetworkPerturbations>& results,
                              const std::string& task_name);

}  // namespace rnnlab
