#include "pipeline/perturb_file.hpp"

#include <H5Cpp.h>

#include "analysis/perturbation_schema.hpp"
#include "io/experiment_file.hpp"
#include "io/h5.hpp"
#include "io/result_file.hpp"

namespace rnnlab {

StoredPerturbation stored_perturbation(const PerturbationCurve& c, const std::string& task_name) {
  StoredPerturbation s;
  s.levels = c.levels;
  s.accuracy.assign(c.accuracy.begin(), c.accuracy.end());
  s.loss.assign(c.loss.begin(), c.loss.end());
  s.removed.assign(c.removed.begin(), c.removed.end());
  if (c.has_spectrum) {
    s.spectral_radius_w_rec = std::vector<double>(c.spectral_radius_w_rec.begin(), c.spectral_radius_w_rec.end());
    s.spectral_radius_step_map =
        std::vector<double>(c.spectral_radius_step_map.begin(), c.spectral_radius_step_map.end());
  }
  s.perturbation = to_string(c.kind);
  s.method = c.method;
  s.level_unit = c.kind == Perturbation::prune          ? "fraction of connections"
                 : c.kind == Perturbation::ablate_units ? "fraction of units"
                 : c.kind == Perturbation::kick         ? "norm of the state displacement"
                                                        : "sigma (x rms of W_rec)";
  if (c.kind == Perturbation::kick) {
    s.kick_step = c.kick_step;
    s.kick_ms = c.kick_ms;
  }
  s.candidates = c.candidates;
  s.trials = c.trials;
  s.seed = static_cast<long>(c.seed);
  s.task = task_name;
  return s;
}

void write_perturbations_file(const std::string& path, const std::vector<NetworkPerturbations>& results,
                              const std::string& task_name) {
  update_experiment(path, [&](H5::H5File& file) {
    for (const NetworkPerturbations& net : results) {
      H5::Group group = file.openGroup("networks/" + std::to_string(net.key));
      H5::Group analysis = h5::require_group(group, "analysis");
      H5::Group perturbation = h5::require_group(analysis, "perturbation");
      // Each curve replaces the one stored under its group whole; the other groups are kept.
      PerturbationRecord r;
      for (std::size_t i = 0; i < net.curves.size(); ++i)
        r.curves[net.groups[i]] = stored_perturbation(net.curves[i], task_name);
      write_result(perturbation, perturbation_schema().schema(), perturbation_schema().write(r));
    }
  });
}

}  // namespace rnnlab
