// Analyses of one network: spectrum (+ theory), linearisation, weight
// statistics, fixed points. Each returns a dict of NumPy arrays and numbers
// that rnnlab/analysis.py turns into a dataclass. Fixed points use the layout
// of the experiment file's analysis/fixed_points/points group (rows = points),
// so a result computed here and one read from a file look the same.
#include <pybind11/complex.h>
#include <pybind11/eigen.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>

#include "analysis/fixed_points.hpp"
#include "analysis/linearise.hpp"
#include "analysis/spectrum.hpp"
#include "analysis/weight_stats.hpp"
#include "io/config.hpp"
#include "network_dict.hpp"
#include "util/error.hpp"

namespace rnnlab::py_bind {

namespace py = pybind11;

namespace {

py::dict mode_dict(const EigenMode& m) {
  py::dict d;
  d["eigenvalue"] = m.eigenvalue;
  d["step_eigenvalue"] = m.step_eigenvalue;
  d["continuous"] = m.continuous;
  d["time_constant_ms"] = m.time_constant_ms;
  d["frequency_hz"] = m.frequency_hz;
  return d;
}

py::dict spectrum_dict(const Spectrum& s) {
  py::dict d;
  d["matrix"] = s.is_step_map ? "jacobian" : "w_rec";
  d["alpha"] = s.alpha;
  d["dt"] = s.dt;
  d["eigenvalues"] = s.eigenvalues;
  d["spectral_radius"] = s.spectral_radius;
  d["outside_unit_circle"] = s.outside_unit_circle;
  d["leading"] = mode_dict(s.leading);
  d["leading_complex"] = s.has_complex_pair ? py::object(mode_dict(s.leading_complex)) : py::none();
  d["frobenius_norm"] = s.frobenius_norm;
  d["henrici"] = s.henrici;
  d["symmetric_eigenvalues"] = s.symmetric_eigenvalues;
  d["antisymmetric_eigenvalues"] = s.antisymmetric_eigenvalues;
  d["singular_values"] = s.singular_values;
  return d;
}

py::dict theory_dict(const SpectrumTheory& t) {
  py::dict d;
  d["circular_radius"] = t.circular_radius;
  d["spec_bulk_radius"] = t.spec_bulk_radius;
  d["spec_outlier"] = t.spec_outlier;
  d["rajan_abbott_radius"] = t.rajan_abbott_radius;
  d["rajan_abbott_outlier"] = t.rajan_abbott_outlier;
  d["quantile_radius"] = t.quantile_radius;
  d["measured_bulk_radius"] = t.measured_bulk_radius;
  d["outliers"] = t.outliers;
  const auto& p = t.measured_parameters;
  d["e_fraction"] = p.e_fraction;
  d["mu_e"] = p.mu_e;
  d["sigma_e"] = p.sigma_e;
  d["mu_i"] = p.mu_i;
  d["sigma_i"] = p.sigma_i;
  return d;
}

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
  Spectrum s;
  SpectrumTheory t;
  {
    py::gil_scoped_release release;
    s = recurrent_spectrum(net);
    t = spectrum_theory(net, s, spec);
  }
  py::dict d = spectrum_dict(s);
  d["theory"] = theory_dict(t);
  return d;
}

py::dict linearise(const py::dict& net_dict, const Eigen::VectorXd& x) {
  const Network net = network_from_dict(net_dict);
  if (x.size() != net.units())
    throw InputError("x must have shape (N,) = (" + std::to_string(net.units()) + ",), got (" +
                     std::to_string(x.size()) + ",)");
  py::dict d;
  d["jacobian"] = jacobian_state(net, x);
  d["input_jacobian"] = jacobian_input(net);
  d["spectrum"] = spectrum_dict(linearised_spectrum(net, x));
  return d;
}

py::dict moments_dict(const Moments& m) {
  py::dict d;
  d["count"] = m.count;
  d["mean"] = m.mean;
  d["sd"] = m.sd;
  d["skewness"] = m.skewness;
  d["excess_kurtosis"] = m.excess_kurtosis;
  return d;
}

py::dict stats_dict(const WeightStats& s) {
  py::dict d;
  d["all"] = moments_dict(s.all);
  d["excitatory"] = moments_dict(s.excitatory);
  d["inhibitory"] = moments_dict(s.inhibitory);
  d["w_rec_norm"] = s.w_rec_norm;
  d["w_in_norm"] = s.w_in_norm;
  d["w_out_norm"] = s.w_out_norm;
  return d;
}

py::dict weight_stats_of(const py::dict& net_dict, const Eigen::MatrixXd& mask, const py::object& initial) {
  const Network net = network_from_dict(net_dict);
  py::dict d = stats_dict(weight_stats(net, mask));
  if (!initial.is_none()) {
    const WeightChange c = weight_change(network_from_dict(initial.cast<py::dict>()), net, mask);
    py::dict ch;
    ch["w_rec_change_norm"] = c.w_rec_change_norm;
    ch["w_rec_relative_change"] = c.w_rec_relative_change;
    ch["w_in_change_norm"] = c.w_in_change_norm;
    ch["w_out_change_norm"] = c.w_out_change_norm;
    ch["w_rec_correlation"] = c.w_rec_correlation;
    d["change"] = ch;
  }
  return d;
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
  {
    py::gil_scoped_release release;
    r = find_fixed_points(net, u, starts, opt);
  }
  const long p = static_cast<long>(r.points.size()), k = static_cast<long>(r.starts.size());
  const long nin = net.inputs(), ev = p ? static_cast<long>(r.points[0].eigenvectors.cols()) : 0;
  py::array_t<double> x({p, n}), q({p}), speed({p}), perror({p}), jac({p, n, n}), ijac({p, n, nin}), dist({p});
  py::array_t<std::complex<double>> eig({p, n}), ceig({p, n}), vec({p, ev, n});
  py::array_t<long> count({p}), unstable({p}), marginal({p});
  py::array_t<bool> outlier({p});
  py::list kind, stability;
  for (long i = 0; i < p; ++i) {
    const FixedPoint& fp = r.points[i];
    for (long a = 0; a < n; ++a) {
      x.mutable_at(i, a) = fp.x(a);
      eig.mutable_at(i, a) = fp.eigenvalues(a);
      ceig.mutable_at(i, a) = fp.continuous_eigenvalues(a);
      for (long b = 0; b < n; ++b) jac.mutable_at(i, a, b) = fp.jacobian_state(a, b);
      for (long b = 0; b < nin; ++b) ijac.mutable_at(i, a, b) = fp.jacobian_input(a, b);
      for (long j = 0; j < ev; ++j) vec.mutable_at(i, j, a) = fp.eigenvectors(a, j);
    }
    q.mutable_at(i) = fp.q;
    speed.mutable_at(i) = fp.speed;
    perror.mutable_at(i) = fp.position_error;
    dist.mutable_at(i) = fp.distance_to_starts;
    count.mutable_at(i) = fp.count;
    unstable.mutable_at(i) = fp.unstable_directions;
    marginal.mutable_at(i) = fp.marginal_directions;
    outlier.mutable_at(i) = fp.outlier;
    kind.append(to_string(fp.kind));
    stability.append(to_string(fp.stability));
  }
  py::array_t<double> sx({k, n}), sq({k}), sspeed({k});
  py::array_t<long> siter({k}), spoint({k});
  py::list skind;
  for (long i = 0; i < k; ++i) {
    const StartResult& s = r.starts[i];
    for (long a = 0; a < n; ++a) sx.mutable_at(i, a) = s.x(a);
    sq.mutable_at(i) = s.q;
    sspeed.mutable_at(i) = s.speed;
    siter.mutable_at(i) = s.iterations;
    spoint.mutable_at(i) = s.point;
    skind.append(to_string(s.kind));
  }
  py::dict points;
  points["x"] = x;
  points["q"] = q;
  points["speed"] = speed;
  points["position_error"] = perror;
  points["kind"] = kind;
  points["count"] = count;
  points["stability"] = stability;
  points["unstable_directions"] = unstable;
  points["marginal_directions"] = marginal;
  points["eigenvalues"] = eig;
  points["continuous_eigenvalues"] = ceig;
  points["eigenvectors"] = vec;
  points["jacobian"] = jac;
  points["input_jacobian"] = ijac;
  points["distance_to_starts"] = dist;
  points["outlier"] = outlier;
  py::dict start_d;
  start_d["initial"] = py::array(py::cast(Eigen::MatrixXd(starts.transpose())));
  start_d["x"] = sx;
  start_d["q"] = sq;
  start_d["speed"] = sspeed;
  start_d["iterations"] = siter;
  start_d["kind"] = skind;
  start_d["point"] = spoint;
  const auto& s = r.summary;
  py::dict summary;
  summary["starts"] = s.starts;
  summary["fixed_starts"] = s.fixed_starts;
  summary["slow_starts"] = s.slow_starts;
  summary["local_minimum_starts"] = s.local_minimum_starts;
  summary["not_converged"] = s.not_converged;
  summary["fixed_points"] = s.fixed_points;
  summary["slow_points"] = s.slow_points;
  summary["local_minima"] = s.local_minima;
  summary["stable"] = s.stable;
  summary["saddles"] = s.saddles;
  summary["unstable"] = s.unstable;
  summary["marginal"] = s.marginal;
  summary["outliers"] = s.outliers;
  summary["unpolished"] = s.unpolished;
  py::dict d;
  d["points"] = points;
  d["starts"] = start_d;
  d["summary"] = summary;
  const Eigen::VectorXd input = u.size() ? u : Eigen::VectorXd(Eigen::VectorXd::Zero(net.inputs()));
  d["input"] = input;
  return d;
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
