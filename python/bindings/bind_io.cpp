// The experiment file: read every network (analysis groups are read in Python
// with h5py, rnnlab/experiment.py). A swept network's record carries its
// point's config ("config"); the others use the file's.
#include <pybind11/pybind11.h>

#include <optional>

#include "io/config.hpp"
#include "io/experiment_file.hpp"
#include "network_dict.hpp"
#include "util/error.hpp"

namespace rnnlab::py_bind {

namespace py = pybind11;

void bind_io(py::module_& m) {
  m.def(
      "read_experiment",
      [](const std::string& path) {
        Experiment e;
        {
          py::gil_scoped_release release;
          e = read_experiment(path);
        }
        py::dict d;
        d["config"] = e.config;
        d["rnnlab_version"] = e.rnnlab_version;
        // In a sweep each network gets its point's full config (what it was
        // trained with), so that its sigma_rec, task and census group are its own.
        std::optional<ExperimentConfig> config;
        if (!e.config.empty()) {
          try {
            config = parse_config(e.config, path + " (config attribute)");
          } catch (const Error&) {
            // an import's config, or one this version cannot read: records keep the file's text
          }
        }
        py::list nets;
        for (const auto& r : e.networks) {
          py::dict rec = record_to_dict(r);
          if (config && r.sweep_point >= 0 && r.sweep_point < static_cast<int>(config->points.size()))
            rec["config"] = config->at(r.sweep_point).toml_text;
          nets.append(rec);
        }
        d["networks"] = nets;
        return d;
      },
      py::arg("path"));
}

}  // namespace rnnlab::py_bind
