// Analyses of one network: spectrum (+ theory), linearisation, weight
// statistics, fixed points. Each returns its result through its declaration
// (spectrum_schema.hpp, fixed_points_schema.hpp) as nested dicts, which
// rnnlab/results.py turns into the declared dataclass: a result computed here
// and one read from a file are the same object.
#include <pybind11/complex.h>
#include <pybind11/eigen.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <chrono>
#include <optional>

#include "analysis/fixed_points.hpp"
#include "pipeline/fixed_points_io.hpp"
#include "analysis/fixed_points_schema.hpp"
#include "analysis/linearise.hpp"
#include "analysis/spectrum.hpp"
#include "analysis/spectrum_schema.hpp"
#include "analysis/weight_stats.hpp"
#include "io/config.hpp"
#include "network_dict.hpp"
#include "results_py.hpp"
#include "util/error.hpp"

namespace rnnlab::py_bind {

namespace py = pybind11;

namespace {

// Spectrum of W_rec with its theory. `config` (TOML text of a training config,
// may be empty) supplies what the initialiser promised; an import record or a
// config that does not parse leaves the spec-based theory NaN.
py::dict spectrum(const py::dict& net_dict, const std::string& config) {
  const Network net = network_from_dict(net_dict);
  std::optional<ModelSpec> spec;
  if (!config.empty()) {
    try {
      spec = parse_config(config, "<config>").model;
    } catch (const Error&) {
    }
  }
  SpectrumResult r;
  {
    py::gil_scoped_release release;
    r.spectrum = recurrent_spectrum(net);
    r.theory = spectrum_theory(net, r.spectrum, spec);
  }
  return to_python(spectrum_schema(), r);
}

py::dict linearise(const py::dict& net_dict, const Eigen::VectorXd& x) {
  const Network net = network_from_dict(net_dict);
  if (x.size() != net.units())
    throw InputError("x must have shape (N,) = (" + std::to_string(net.units()) + ",), got (" +
                     std::to_string(x.size()) + ",)");
  py::dict d;
  d["jacobian"] = jacobian_state(net, x);
  d["input_jacobian"] = jacobian_input(net);
  d["spectrum"] = to_python(matrix_spectrum_schema(), linearised_spectrum(net, x));
  return d;
}

py::dict weight_stats_of(const py::dict& net_dict, const Eigen::MatrixXd& mask, const py::object& initial) {
  const Network net = network_from_dict(net_dict);
  WeightStatsResult r;
  if (initial.is_none()) {
    r.trained = weight_stats(net, mask);
  } else {
    const WeightChange c = weight_change(network_from_dict(initial.cast<py::dict>()), net, mask);
    r.initial = c.initial;
    r.trained = c.trained;
    r.change = c;
  }
  return to_python(weight_stats_result_schema(), r);
}

// Python's keyword options of rnnlab.fixed_points, on top of the one set of
// defaults (FixedPointOptions). The deprecated slow_tolerance (a threshold on
// q, which scales as alpha^2) becomes slow_speed = sqrt(2 slow_tolerance) / alpha
// for this network, with a DeprecationWarning.
FixedPointOptions options_from(const py::dict& o, const Network& net) {
  FixedPointOptions opt;
  bool speed_given = false;
  std::optional<double> slow_tolerance;
  for (const auto& [k, v] : o) {
    const std::string key = k.cast<std::string>();
    if (key == "tolerance" || key == "fixed_tolerance") opt.fixed_tolerance = v.cast<double>();
    else if (key == "slow_speed") opt.slow_speed = v.cast<double>(), speed_given = true;
    else if (key == "slow_tolerance") slow_tolerance = v.cast<double>();
    else if (key == "stationary_tolerance") opt.stationary_tolerance = v.cast<double>();
    else if (key == "max_iterations") opt.max_iterations = v.cast<int>();
    else if (key == "polish_iterations") opt.polish_iterations = v.cast<int>();
    else if (key == "second_order") opt.second_order = v.cast<bool>();
    else if (key == "newton_first") opt.newton_first = v.cast<bool>();
    else if (key == "first_pass_starts") opt.first_pass_starts = v.cast<int>();
    else if (key == "known_root_radius") opt.known_root_radius = v.cast<double>();
    else if (key == "dedup_tolerance") opt.dedup_tolerance = v.cast<double>();
    else if (key == "outlier_factor") opt.outlier_factor = v.cast<double>();
    else if (key == "marginal_tolerance") opt.marginal_tolerance = v.cast<double>();
    else if (key == "eigenvectors") opt.eigenvectors = v.cast<int>();
    else if (key == "threads") opt.threads = v.cast<int>();
    else
      throw InputError("unknown fixed-point option '" + key +
                       "' (options: tolerance, slow_speed, stationary_tolerance, max_iterations, "
                       "polish_iterations, second_order, newton_first, first_pass_starts, known_root_radius, "
                       "dedup_tolerance, outlier_factor, "
                       "marginal_tolerance, eigenvectors, threads)");
  }
  if (slow_tolerance) {
    if (speed_given) throw InputError("give slow_speed (per tau) only: slow_tolerance is its deprecated form on q");
    if (PyErr_WarnEx(PyExc_DeprecationWarning,
                 "fixed_points: slow_tolerance (a threshold on q, which scales as alpha^2) is deprecated; it is used "
                 "as slow_speed = sqrt(2 slow_tolerance) / alpha. Pass slow_speed (per tau) instead.",
                 1) < 0)
      throw py::error_already_set();  // warnings turned into errors
    opt.slow_speed = speed_from_q(*slow_tolerance, net.alpha);
  }
  return opt;
}

// The finder's defaults, from their one declaration (FixedPointStarts and
// FixedPointOptions in fixed_points.hpp): what rnnlab.fixed_points uses for
// an argument left at None, and what `analyze --fixed-points` uses.
py::dict fixed_point_defaults() {
  const FixedPointStarts s;
  const FixedPointOptions o;
  py::dict d;
  d["n_starts"] = s.starts;
  d["trials"] = s.trials;
  d["noise"] = s.noise;
  d["seed"] = s.seed;
  d["tolerance"] = o.fixed_tolerance;
  d["slow_speed"] = o.slow_speed;
  d["stationary_tolerance"] = o.stationary_tolerance;
  d["max_iterations"] = o.max_iterations;
  d["polish_iterations"] = o.polish_iterations;
  d["second_order"] = o.second_order;
  d["newton_first"] = o.newton_first;
  d["first_pass_starts"] = o.first_pass_starts;
  d["known_root_radius"] = o.known_root_radius;
  d["dedup_tolerance"] = o.dedup_tolerance;
  d["outlier_factor"] = o.outlier_factor;
  d["marginal_tolerance"] = o.marginal_tolerance;
  d["eigenvectors"] = o.eigenvectors;
  d["threads"] = o.threads;
  return d;
}

py::dict fixed_points(const py::dict& net_dict, const Eigen::MatrixXd& starts, const Eigen::VectorXd& u,
                      const py::dict& options) {
  const Network net = network_from_dict(net_dict);
  const long n = net.units();
  if (starts.rows() != n)
    throw InputError("starts must have shape (N, K) = (" + std::to_string(n) + ", K), got (" +
                     std::to_string(starts.rows()) + ", " + std::to_string(starts.cols()) + ")");
  if (u.size() != 0 && u.size() != net.inputs())
    throw InputError("u must have shape (I,) = (" + std::to_string(net.inputs()) + ",), got (" +
                     std::to_string(u.size()) + ",)");
  const FixedPointOptions opt = options_from(options, net);
  FixedPointResult r;
  double seconds = 0.0;
  {
    py::gil_scoped_release release;
    const auto t0 = std::chrono::steady_clock::now();
    r = find_fixed_points(net, u, starts, opt);
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
  const Eigen::VectorXd input = u.size() ? u : Eigen::VectorXd(Eigen::VectorXd::Zero(net.inputs()));
  FixedPointSearch search = search_by(opt, net.alpha, net.dt, seconds);
  search.input_condition = "given";
  search.starts_from = "given";
  return to_python(fixed_points_schema(), fixed_points_record(search, input, starts, r, [&](const Eigen::VectorXd& x) {
                     return readout(net, x);
                   }));
}

Eigen::MatrixXd sample_starts_py(const Eigen::MatrixXd& states, int count, double noise, std::uint64_t seed) {
  if (states.cols() < 1) throw InputError("states must have at least one column (N, M)");
  Rng rng = Rng::stream(seed, Purpose::analysis);
  return sample_starts(states, count, noise, rng);
}

}  // namespace

void bind_analysis(py::module_& m) {
  m.def("spectrum", &spectrum, py::arg("net"), py::arg("config") = "");
  m.def("linearise", &linearise, py::arg("net"), py::arg("x"));
  m.def("weight_stats", &weight_stats_of, py::arg("net"), py::arg("mask") = Eigen::MatrixXd(),
        py::arg("initial") = py::none());
  m.def("fixed_points", &fixed_points, py::arg("net"), py::arg("starts"), py::arg("u"), py::arg("options"));
  m.def("fixed_point_defaults", &fixed_point_defaults);
  m.def("sample_starts", &sample_starts_py, py::arg("states"), py::arg("count"), py::arg("noise"),
        py::arg("seed"));
}

}  // namespace rnnlab::py_bind
