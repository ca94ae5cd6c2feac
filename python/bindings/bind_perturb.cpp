// Damage and perturbation (src/analysis/perturb.hpp) and non-normal structure
// (src/analysis/nonnormal.hpp) for rnnlab/perturb.py: dicts of NumPy arrays.
#include <pybind11/eigen.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <string>

#include "analysis/nonnormal.hpp"
#include "analysis/perturb.hpp"
#include "io/config.hpp"
#include "network_dict.hpp"
#include "network_task.hpp"
#include "util/error.hpp"

namespace py = pybind11;

namespace rnnlab::py_bind {

namespace {

Perturbation perturbation_of(const std::string& kind) {
  for (Perturbation p : {Perturbation::prune, Perturbation::ablate_units, Perturbation::weight_noise, Perturbation::kick})
    if (to_string(p) == kind) return p;
  throw InputError("unknown perturbation " + kind + "; choose prune, ablate_units, weight_noise or kick");
}

py::dict damage_dict(const Damage& d) {
  py::dict out;
  out["removed"] = d.removed;
  out["candidates"] = d.candidates;
  out["ablated_units"] = d.ablated_units;
  return out;
}

// The degradation curve of one network on the task task_for makes of
// `task_arg` (an rnnlab.Task's adapter, a name, or "" for the training config's).
py::dict curve(const py::dict& net_dict, const py::object& task_arg, const py::dict& params,
               const std::string& config, const std::string& kind, const std::vector<double>& levels,
               const std::string& by, const std::string& units, int trials, std::uint64_t seed, bool spectrum,
               double kick_at_ms) {
  const Network net = network_from_dict(net_dict);
  PerturbationOptions o;
  o.kind = perturbation_of(kind);
  o.levels = levels;
  o.by = parse_prune_by(by, "by=");
  o.units = parse_unit_group(units, "units=");
  o.trials = trials;
  o.seed = seed;
  o.spectrum = spectrum;
  if (!config.empty()) o.loss_kind = trained_loss(config, "the network's config");
  o.kick_at_ms = kick_at_ms;
  const std::unique_ptr<Task> task = task_for(net, task_arg, params, config, "perturb");
  PerturbationCurve c;
  {
    py::gil_scoped_release release;
    c = perturbation_curve(net, *task, o);
  }
  py::dict d;
  d["kind"] = to_string(c.kind);
  d["method"] = c.method;
  d["group"] = perturbation_group_name(o);
  d["task"] = task->name();
  d["levels"] = Eigen::VectorXd(Eigen::Map<const Eigen::VectorXd>(c.levels.data(), static_cast<Eigen::Index>(c.levels.size())));
  d["accuracy"] = c.accuracy;
  d["loss"] = c.loss;
  d["removed"] = c.removed;
  d["candidates"] = c.candidates;
  d["trials"] = c.trials;
  d["seed"] = c.seed;
  d["kick_step"] = c.kind == Perturbation::kick ? py::cast(c.kick_step) : py::none();
  d["kick_ms"] = c.kind == Perturbation::kick ? py::cast(c.kick_ms) : py::none();
  d["spectral_radius_w_rec"] = spectrum ? py::cast(c.spectral_radius_w_rec) : py::none();
  d["spectral_radius_step_map"] = spectrum ? py::cast(c.spectral_radius_step_map) : py::none();
  return d;
}

py::dict schur_dict(const Eigen::MatrixXd& a) {
  const SchurStructure s = schur_structure(a);
  py::dict d;
  d["q"] = s.q;
  d["t"] = s.t;
  d["block_diagonal_norm"] = s.block_diagonal_norm;
  d["strictly_upper_norm"] = s.strictly_upper_norm;
  d["relative_upper"] = s.relative_upper;
  d["frobenius_norm"] = s.frobenius_norm;
  d["henrici"] = s.henrici;
  return d;
}

py::dict curve_dict(const AmplificationCurve& c) {
  py::dict d;
  d["t"] = c.t;
  d["norm"] = c.norm;
  d["max_norm"] = c.max_norm;
  d["t_at_max"] = c.t_at_max;
  return d;
}

}  // namespace

void bind_perturb(py::module_& m) {
  m.def("perturbation_curve", &curve, py::arg("net"), py::arg("task"), py::arg("params"), py::arg("config"),
        py::arg("kind"), py::arg("levels"), py::arg("by"), py::arg("units"), py::arg("trials"), py::arg("seed"),
        py::arg("spectrum"), py::arg("kick_at_ms") = -1.0);
  m.def("prune_connections", [](const py::dict& net, double fraction, const std::string& by, std::uint64_t seed) {
    Damage d;
    const Network out = prune_connections(network_from_dict(net), fraction, parse_prune_by(by, "by="), seed, &d);
    return py::make_tuple(network_to_dict(out), damage_dict(d));
  });
  m.def("ablate_units", [](const py::dict& net, double fraction, const std::string& units, std::uint64_t seed) {
    Damage d;
    const Network out = ablate_units(network_from_dict(net), fraction, parse_unit_group(units, "units="), seed, &d);
    return py::make_tuple(network_to_dict(out), damage_dict(d));
  });
  m.def("add_weight_noise", [](const py::dict& net, double sigma, std::uint64_t seed) {
    return network_to_dict(add_weight_noise(network_from_dict(net), sigma, seed));
  });
  m.def("schur_structure", &schur_dict, py::arg("a"));
  m.def("pseudospectrum_grid", [](const Eigen::MatrixXd& a, const Eigen::VectorXd& re, const Eigen::VectorXd& im,
                                  int threads) {
    Pseudospectrum p;
    {
      py::gil_scoped_release release;
      p = pseudospectrum(a, re, im, threads);
    }
    return py::make_tuple(p.re, p.im, p.sigma_min);
  });
  m.def("pseudospectrum_auto", [](const Eigen::MatrixXd& a, int points, double margin, int threads) {
    Pseudospectrum p;
    {
      py::gil_scoped_release release;
      p = pseudospectrum(a, points, margin, threads);
    }
    return py::make_tuple(p.re, p.im, p.sigma_min);
  });
  m.def("transient_amplification", [](const Eigen::MatrixXd& j, double alpha, double t_max_tau, int points) {
    const TransientAmplification t = transient_amplification(j, alpha, t_max_tau, points);
    py::dict d;
    d["alpha"] = t.alpha;
    d["per_tau"] = curve_dict(t.per_tau);
    d["per_step"] = curve_dict(t.per_step);
    return d;
  });
  m.def("continuous_amplification", [](const Eigen::MatrixXd& a, double t_max, int steps) {
    return curve_dict(continuous_amplification(a, t_max, steps));
  });
}

}  // namespace rnnlab::py_bind
