// The experiment file: read every network (analysis groups are read in Python
// with h5py, rnnlab/experiment.py).
#include <pybind11/pybind11.h>

#include "io/experiment_file.hpp"
#include "network_dict.hpp"

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
        py::list nets;
        for (const auto& r : e.networks) nets.append(record_to_dict(r));
        d["networks"] = nets;
        return d;
      },
      py::arg("path"));
}

}  // namespace rnnlab::py_bind
