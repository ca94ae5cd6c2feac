#include "pipeline/behaviour_file.hpp"

#include "analysis/behaviour_schema.hpp"

#include <H5Cpp.h>

#include "io/experiment_file.hpp"
#include "io/h5.hpp"
#include "io/result_file.hpp"

namespace rnnlab {

void write_behaviour_file(const std::string& path, const std::vector<NetworkBehaviour>& results,
                          const std::string& task_name, int trials, std::uint64_t seed) {
  update_experiment(path, [&](H5::H5File& file) {
    for (const NetworkBehaviour& net : results) {
      H5::Group group = file.openGroup("networks/" + std::to_string(net.key));
      H5::Group analysis = h5::require_group(group, "analysis");
      H5::Group behaviour = h5::require_group(analysis, "behaviour");
      // Each curve asked for replaces its group whole; the other curve stays.
      auto fresh = [&](const std::string& name) {
        if (h5::exists(behaviour, name)) behaviour.unlink(name);
        return behaviour.createGroup(name);
      };
      const BehaviourTrials drawn{task_name, trials, static_cast<long>(seed)};
      if (net.has_psychometric) {
        H5::Group g = fresh("psychometric");
        const auto& d = psychometric_schema();
        write_result(g, d.schema(), d.write({net.psychometric, drawn}));
      }
      if (net.has_timing) {
        H5::Group g = fresh("timing");
        const auto& d = timing_schema();
        write_result(g, d.schema(), d.write({net.timing, drawn}));
      }
    }
  });
}

}  // namespace rnnlab
