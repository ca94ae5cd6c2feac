#include "pipeline/behaviour_file.hpp"

#include <H5Cpp.h>

#include "io/experiment_file.hpp"
#include "io/h5.hpp"

namespace rnnlab {

// ---- the file -----------------------------------------------------------------

void write_psychometric(H5::Group& g, const PsychometricCurve& c) {
  h5::write_vector(g, "levels", c.levels);
  h5::write_vector(g, "p_positive", c.p_positive);
  h5::write_vector(g, "counts", c.counts);
  h5::write_attr(g, "condition", c.condition);
  h5::write_attr(g, "bias", c.fit.bias);
  h5::write_attr(g, "slope", c.fit.slope);
  h5::write_attr(g, "step", static_cast<long>(c.fit.step));
  h5::write_attr(g, "trials", static_cast<long>(c.trials));
  h5::write_attr(g, "no_choice", static_cast<long>(c.no_choice));
}

void write_timing(H5::Group& g, const TimingCurve& c) {
  h5::write_vector(g, "sample_ms", c.sample_ms);
  h5::write_vector(g, "produced_ms", c.produced_ms);
  h5::write_vector(g, "levels_ms", c.levels_ms);
  h5::write_vector(g, "mean_produced_ms", c.mean_produced_ms);
  h5::write_vector(g, "sd_produced_ms", c.sd_produced_ms);
  h5::write_vector(g, "counts", c.counts);
  h5::write_attr(g, "slope", c.slope);
  h5::write_attr(g, "intercept_ms", c.intercept_ms);
  h5::write_attr(g, "regression", c.regression);
  h5::write_attr(g, "indifference_ms", c.indifference_ms);
  h5::write_attr(g, "mean_error_ms", c.mean_error_ms);
  h5::write_attr(g, "sd_error_ms", c.sd_error_ms);
  h5::write_attr(g, "missed", static_cast<long>(c.missed));
  h5::write_attr(g, "untimed", static_cast<long>(c.untimed));
}

void write_behaviour_file(const std::string& path, const std::vector<NetworkBehaviour>& results,
                          const std::string& task_name, int trials, std::uint64_t seed) {
  update_experiment(path, [&](H5::H5File& file) {
    for (const NetworkBehaviour& net : results) {
      H5::Group group = file.openGroup("networks/" + std::to_string(net.key));
      H5::Group analysis = h5::require_group(group, "analysis");
      H5::Group behaviour = h5::require_group(analysis, "behaviour");
      auto fresh = [&](const std::string& name) {
        if (h5::exists(behaviour, name)) behaviour.unlink(name);  // a rerun replaces it whole
        H5::Group g = h5::require_group(behaviour, name);
        h5::write_attr(g, "task", task_name);
        h5::write_attr(g, "trials_drawn", static_cast<long>(trials));
        h5::write_attr(g, "seed", static_cast<long>(seed));
        return g;
      };
      if (net.has_psychometric) {
        H5::Group g = fresh("psychometric");
        write_psychometric(g, net.psychometric);
      }
      if (net.has_timing) {
        H5::Group g = fresh("timing");
        write_timing(g, net.timing);
      }
    }
  });
}

}  // namespace rnnlab
