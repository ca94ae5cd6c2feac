#include "pipeline/perturb_file.hpp"

#include <H5Cpp.h>

#include "io/experiment_file.hpp"
#include "io/h5.hpp"

namespace rnnlab {

void write_perturbation(H5::Group& g, const PerturbationCurve& c, const std::string& task_name) {
  h5::write_vector(g, "levels", c.levels);
  h5::write_vector(g, "accuracy", c.accuracy);
  h5::write_vector(g, "loss", c.loss);
  h5::write_vector(g, "removed", c.removed);
  for (const char* name : {"spectral_radius_w_rec", "spectral_radius_step_map"})
    if (h5::exists(g, name)) g.unlink(name);
  if (c.has_spectrum) {
    h5::write_vector(g, "spectral_radius_w_rec", c.spectral_radius_w_rec);
    h5::write_vector(g, "spectral_radius_step_map", c.spectral_radius_step_map);
  }
  h5::write_attr(g, "perturbation", to_string(c.kind));
  h5::write_attr(g, "method", c.method);
  h5::write_attr(g, "level_unit", std::string(c.kind == Perturbation::prune          ? "fraction of connections"
                                              : c.kind == Perturbation::ablate_units ? "fraction of units"
                                              : c.kind == Perturbation::kick ? "norm of the state displacement"
                                                                             : "sigma (x rms of W_rec)"));
  if (c.kind == Perturbation::kick) {
    h5::write_attr(g, "kick_step", static_cast<long>(c.kick_step));
    h5::write_attr(g, "kick_ms", c.kick_ms);
  }
  h5::write_attr(g, "candidates", c.candidates);
  h5::write_attr(g, "trials", static_cast<long>(c.trials));
  h5::write_attr(g, "seed", static_cast<long>(c.seed));
  h5::write_attr(g, "task", task_name);
}

void write_perturbations_file(const std::string& path, const std::vector<NetworkPerturbations>& results,
                              const std::string& task_name) {
  update_experiment(path, [&](H5::H5File& file) {
    for (const NetworkPerturbations& net : results) {
      H5::Group group = file.openGroup("networks/" + std::to_string(net.key));
      H5::Group analysis = h5::require_group(group, "analysis");
      H5::Group perturbation = h5::require_group(analysis, "perturbation");
      for (std::size_t i = 0; i < net.curves.size(); ++i) {
        if (h5::exists(perturbation, net.groups[i])) perturbation.unlink(net.groups[i]);  // a rerun replaces it whole
        H5::Group g = h5::require_group(perturbation, net.groups[i]);
        write_perturbation(g, net.curves[i], task_name);
      }
    }
  });
}

}  // namespace rnnlab
