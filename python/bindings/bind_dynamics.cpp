// Dynamics of one network: Lyapunov exponents, PCA and participation ratio,
// the attractor of an autonomous run, and the whole per-network dynamics
// analysis (src/analysis/network_dynamics.hpp). Each returns a dict of NumPy arrays that
// rnnlab/dynamics.py turns into a dataclass. Layouts follow the file
// (docs/dynamics.md): time along rows, (T, N); PCA components N x k (column i
// is axis i).
#include <pybind11/complex.h>
#include <pybind11/eigen.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cmath>
#include <string>

#include "analysis/attractor.hpp"
#include "pipeline/dynamics_io.hpp"
#include "analysis/lyapunov.hpp"
#include "analysis/network_dynamics.hpp"
#include "analysis/pca.hpp"
#include "analysis/signature.hpp"
#include "convert.hpp"
#include "io/config.hpp"
#include "dynamics_options.hpp"
#include "network_dict.hpp"
#include "python_tasks.hpp"
#include "task_params.hpp"
#include "util/error.hpp"

namespace rnnlab::py_bind {

namespace {

// The census group of a network with training config `config` (TOML text,
// may be empty) outside a sweep, or at sweep point `sweep_point` of
// `sweep_points` with its (key, value) pairs; census_group in dynamics_io.hpp.
std::string group_of(const std::string& task_name, const std::string& config, int sweep_point,
                     const std::vector<std::pair<std::string, std::string>>& sweep, int sweep_points) {
  if (sweep_point >= 0 || config.empty()) return census_group(task_name, nullptr, sweep_point, sweep, sweep_points);
  try {
    const ModelSpec model = parse_config(config, "config").model;
    return census_group(task_name, &model);
  } catch (const Error&) {
    return task_name;  // a config this version cannot read: the task alone
  }
}

void check_vector(const Eigen::VectorXd& v, long size, const char* name, const char* letter, bool empty_ok) {
  if ((empty_ok && v.size() == 0) || v.size() == size) return;
  throw InputError(std::string(name) + " must have shape (" + letter + ",) = (" + std::to_string(size) + ",), got (" +
                   std::to_string(v.size()) + ",)");
}

py::dict lyapunov_dict(const LyapunovResult& r) {
  py::dict d;
  d["per_step"] = r.per_step;
  d["per_tau"] = r.per_tau;
  d["mean_log_det_per_step"] = r.mean_log_det_per_step;
  d["first_half_per_tau"] = r.first_half_per_tau;
  d["second_half_per_tau"] = r.second_half_per_tau;
  d["final_state"] = r.final_state;
  d["alpha"] = r.alpha;
  d["steps"] = r.steps;
  d["transient"] = r.transient;
  return d;
}

py::dict pca_dict(const Pca& p) {
  py::dict d;
  d["mean"] = p.mean;
  d["variances"] = p.variances;
  d["explained_ratio"] = p.explained_ratio;
  d["components"] = p.components;
  d["participation_ratio"] = p.participation_ratio;
  return d;
}

py::dict attractor_dict(const Attractor& a) {
  py::dict d;
  d["type"] = to_string(a.type);
  d["fixed_point"] = a.fixed_point;
  d["fixed_point_distance"] = a.fixed_point_distance;
  d["period_steps"] = a.period_steps;
  d["period_ms"] = a.period_ms;
  d["amplitude"] = a.amplitude;
  d["extent"] = a.extent;
  d["leading_exponent"] = a.leading_exponent;
  d["leading_exponent_first"] = a.leading_exponent_first;
  d["leading_exponent_second"] = a.leading_exponent_second;
  d["returns"] = a.returns;
  d["return_miss"] = a.return_miss;
  d["window"] = Eigen::MatrixXd(a.window.transpose());  // window x N
  return d;
}

py::dict attractor_set_dict(const AttractorSet& set) {
  py::list found;
  for (const FoundAttractor& f : set.attractors) {
    py::dict a = attractor_dict(f.run.attractor);
    a["starts"] = f.starts;
    a["first_start"] = f.first_start;
    a["basin"] = f.basin;
    a["marginal"] = f.marginal;
    a["x"] = Eigen::VectorXd(f.run.attractor.window.col(f.run.attractor.window.cols() - 1));
    found.append(a);
  }
  py::dict d;
  d["attractors"] = found;
  d["start_attractor"] = set.start_attractor;
  d["description"] = set.describe();
  return d;
}

py::dict lyapunov(const py::dict& net_dict, const Eigen::VectorXd& x0, const Eigen::VectorXd& u,
                  const py::dict& options) {
  const Network net = network_from_dict(net_dict);
  check_vector(x0, net.units(), "x0", "N", false);
  check_vector(u, net.inputs(), "u", "I", true);
  const LyapunovOptions o = lyapunov_options(options);
  LyapunovResult r;
  {
    py::gil_scoped_release release;
    r = lyapunov_spectrum(net, x0, u, o);
  }
  return lyapunov_dict(r);
}

// states: N x M, one state per column (the C++ convention; Python transposes).
py::dict pca_of(const Eigen::MatrixXd& states) {
  if (states.cols() < 2) throw InputError("pca needs at least 2 states, got " + std::to_string(states.cols()));
  return pca_dict(pca(states));
}

// The known fixed points (P x N, one per row; empty: none) as vectors.
std::vector<Eigen::VectorXd> known_points(const Eigen::MatrixXd& fixed_points, const Network& net) {
  if (fixed_points.size() && fixed_points.cols() != net.units())
    throw InputError("fixed_points must have shape (P, N) = (P, " + std::to_string(net.units()) + "), got (" +
                     std::to_string(fixed_points.rows()) + ", " + std::to_string(fixed_points.cols()) + ")");
  std::vector<Eigen::VectorXd> points;
  for (Eigen::Index i = 0; i < fixed_points.rows() && fixed_points.size(); ++i)
    points.push_back(fixed_points.row(i).transpose());
  return points;
}

// The attractor run's options; those named "lyapunov_*" go to the Lyapunov
// run (one exponent unless "lyapunov_exponents" says otherwise).
std::pair<AttractorOptions, LyapunovOptions> split_attractor_options(const py::dict& options) {
  py::dict own, ly;
  for (const auto& [k, v] : options) {
    const std::string key = k.cast<std::string>();
    if (key.rfind("lyapunov_", 0) == 0) ly[py::str(key.substr(9))] = v; else own[k] = v;
  }
  LyapunovOptions lo = lyapunov_options(ly);
  if (!ly.contains("exponents")) lo.exponents = 1;
  return {attractor_options(own), lo};
}

py::dict attractor(const py::dict& net_dict, const Eigen::VectorXd& x0, const Eigen::VectorXd& u,
                   const Eigen::MatrixXd& fixed_points, double leading_exponent, const py::dict& options) {
  const Network net = network_from_dict(net_dict);
  check_vector(x0, net.units(), "x0", "N", false);
  check_vector(u, net.inputs(), "u", "I", true);
  const std::vector<Eigen::VectorXd> points = known_points(fixed_points, net);
  const auto [o, lo] = split_attractor_options(options);
  Attractor a;
  {
    py::gil_scoped_release release;
    // Without a given exponent: one run, one transient for both measures.
    a = std::isnan(leading_exponent) ? run_attractor(net, x0, u, points, o, lo).attractor
                                     : classify_attractor(net, x0, u, points, leading_exponent, o);
  }
  return attractor_dict(a);
}

// The attractor set from the starts (S x N, one per row).
py::dict attractor_set(const py::dict& net_dict, const Eigen::MatrixXd& starts, const Eigen::VectorXd& u,
                       const Eigen::MatrixXd& fixed_points, const py::dict& options, int threads) {
  const Network net = network_from_dict(net_dict);
  check_vector(u, net.inputs(), "u", "I", true);
  if (starts.cols() != net.units() || starts.rows() == 0)
    throw InputError("starts must have shape (S, N) = (S, " + std::to_string(net.units()) + ") with S >= 1, got (" +
                     std::to_string(starts.rows()) + ", " + std::to_string(starts.cols()) + ")");
  const std::vector<Eigen::VectorXd> points = known_points(fixed_points, net);
  const auto [o, lo] = split_attractor_options(options);
  if (threads < 0) throw InputError("threads must be >= 0, got " + std::to_string(threads));
  AttractorSetOptions so;
  so.threads = threads;
  AttractorSet set;
  {
    py::gil_scoped_release release;
    set = find_attractors(net, starts.transpose(), u, points, o, lo, so);
  }
  return attractor_set_dict(set);
}

py::dict signature_dict(const Signature& s) {
  py::dict d;
  d["stable_points"] = s.stable_points;
  d["saddles"] = s.saddles;
  d["leading_modulus"] = s.leading_modulus;
  d["leading_oscillation"] = s.leading_oscillation;
  d["outside_unit_circle"] = s.outside_unit_circle;
  d["attracting_points"] = s.attracting_points;
  d["marginal_attractors"] = s.marginal_attractors;
  d["limit_cycles"] = s.limit_cycles;
  d["chaotic"] = s.chaotic;
  d["cycle_periods"] = s.cycle_periods;
  d["attractor_set"] = s.attractor_set;
  d["scaffold"] = s.scaffold;
  d["key"] = signature_key(s);
  d["w_rec_leading_modulus"] = s.w_rec_leading_modulus;
  d["w_rec_outside_unit_circle"] = s.w_rec_outside_unit_circle;
  d["attractor"] = to_string(s.attractor);
  d["leading_lyapunov"] = s.leading_lyapunov;
  d["dimensionality"] = s.dimensionality;
  d["features"] = signature_features(s);
  d["feature_names"] = signature_feature_names();
  return d;
}

py::dict jarne_dict(const JarneResult& j) {
  py::dict d;
  d["label"] = to_string(j.label);
  d["spectral_label"] = to_string(j.spectral.label);
  d["activity_label"] = to_string(j.activity);
  d["oscillation_index"] = j.spectral.oscillation_index;
  d["unstable_modes"] = j.spectral.unstable_modes;
  d["leading_eigenvalue"] = j.spectral.leading;
  py::list labels;
  Eigen::VectorXd ratio(j.conditions.size()), cycles(j.conditions.size()), corr(j.conditions.size());
  for (std::size_t i = 0; i < j.conditions.size(); ++i) {
    labels.append(to_string(j.conditions[i].label));
    ratio(i) = j.conditions[i].peak_to_median;
    cycles(i) = j.conditions[i].peak_cycles;
    corr(i) = j.conditions[i].time_correlation;
  }
  d["condition_labels"] = labels;
  d["peak_to_median"] = ratio;
  d["peak_cycles"] = cycles;
  d["time_correlation"] = corr;
  return d;
}

// The input conditions as the file stores them under inputs/ (dynamics_io.cpp):
// zero input first, then the task's operating inputs.
py::list input_conditions(const NetworkDynamics& r, const Network& net) {
  py::list out;
  const auto one = [&](const std::string& name, const Eigen::VectorXd& u, const FixedPointResult& fp,
                       const AttractorSet& set) {
    py::dict d;
    d["name"] = name;
    d["input"] = u;
    d["attractors"] = attractor_set_dict(set);
    d["stable"] = fp.summary.stable;
    d["saddles"] = fp.summary.saddles;
    out.append(d);
  };
  one("zero", Eigen::VectorXd::Zero(net.inputs()), r.fixed_points, r.attractors);
  for (const InputDynamics& d : r.operating) one(d.name, d.u, d.fixed_points, d.attractors);
  return out;
}

// The per-network dynamics analysis. The task is `task_arg`: an rnnlab.Task's
// adapter (python/rnnlab/task.py), or a name with `params` at the network's
// dt, or, when the name is empty, the task of the training config `config`;
// with neither (autonomous = true: an imported network with no task) the
// analysis is autonomous: runs at zero input from a box of starts.
py::dict dynamics(const py::dict& net_dict, const py::object& task_arg, const py::dict& params,
                  const std::string& config, const py::dict& options, bool autonomous) {
  const Network net = network_from_dict(net_dict);
  const DynamicsOptions o = dynamics_options(options);
  std::unique_ptr<Task> task;
  const std::string task_name = py::isinstance<py::str>(task_arg) ? task_arg.cast<std::string>() : "";
  if (!py::isinstance<py::str>(task_arg)) {
    task = std::make_unique<PythonTask>(task_arg);
  } else if (!task_name.empty()) {
    task = make_task(task_name, params_from(params), net.dt);
  } else if (!config.empty()) {
    const ExperimentConfig c = parse_config(config, "the network's config");
    task = make_task(c.task.name, c.task.params, net.dt);
  } else if (!autonomous) {
    throw InputError("dynamics needs a task: this network has no training config (pass task=, or "
                     "task='autonomous' for the network left alone)");
  }
  NetworkDynamics r;
  {
    py::gil_scoped_release release;
    r = analyse_network_dynamics(net, task.get(), o);
  }
  const int k = std::min<int>(o.pcs, net.units());
  py::dict d;
  d["task"] = task ? r.task : "autonomous";
  d["group"] = group_of(task ? r.task : "autonomous", config, -1, {}, 0);
  d["inputs"] = input_conditions(r, net);
  d["condition"] = r.condition;
  d["delay_window_from"] = r.window_from;
  d["delay_window_to"] = r.window_to;
  d["attractor"] = to_string(r.signature.attractor);
  d["leading_lyapunov_per_tau"] = r.signature.leading_lyapunov;
  d["participation_ratio"] = r.pca.participation_ratio;
  d["alpha"] = net.alpha;
  d["dt_ms"] = net.dt;
  py::dict p = pca_dict(r.pca);
  p["components"] = Eigen::MatrixXd(r.pca.components.leftCols(k));  // N x k, as stored in the file
  d["pca"] = p;
  d["jarne"] = jarne_dict(r.jarne);
  py::list conds;
  for (const ConditionDynamics& c : r.conditions) {
    py::dict cd = attractor_dict(c.attractor);
    cd["attractor"] = cd["type"];
    cd["value"] = c.value;
    cd["trials"] = c.trials;
    cd["mean_states"] = Eigen::MatrixXd(c.mean_states.transpose());  // T x N
    cd["mean_states_pcs"] = Eigen::MatrixXd(project(r.pca, c.mean_states, k).transpose());
    cd["autonomous"] = cd["window"];
    cd["autonomous_pcs"] = Eigen::MatrixXd(project(r.pca, c.attractor.window, k).transpose());
    cd["lyapunov_per_step"] = c.lyapunov.per_step;
    cd["lyapunov_per_tau"] = c.lyapunov.per_tau;
    conds.append(cd);
  }
  d["conditions"] = conds;
  Eigen::MatrixXd x(static_cast<Eigen::Index>(r.fixed_points.points.size()), net.units());
  py::list stability, kind;
  for (std::size_t i = 0; i < r.fixed_points.points.size(); ++i) {
    x.row(static_cast<Eigen::Index>(i)) = r.fixed_points.points[i].x.transpose();
    stability.append(to_string(r.fixed_points.points[i].stability));
    kind.append(to_string(r.fixed_points.points[i].kind));
  }
  py::dict fp;
  fp["x"] = x;
  fp["stability"] = stability;
  fp["kind"] = kind;
  d["fixed_points"] = fp;
  d["signature"] = signature_dict(r.signature);
  d["attractors"] = attractor_set_dict(r.attractors);
  d["states"] = matrix_to_batch(r.states, r.batch.steps, r.batch.trials);
  d["trial_conditions"] = r.batch.conditions;
  d["condition_names"] = r.batch.condition_names;
  return d;
}

}  // namespace

void bind_dynamics(py::module_& m) {
  m.def("lyapunov", &lyapunov, py::arg("net"), py::arg("x0"), py::arg("u"), py::arg("options"));
  m.def("pca", &pca_of, py::arg("states"));
  m.def("participation_ratio", [](const Eigen::VectorXd& v) { return participation_ratio(v); }, py::arg("variances"));
  m.def("attractor", &attractor, py::arg("net"), py::arg("x0"), py::arg("u"), py::arg("fixed_points"),
        py::arg("leading_exponent"), py::arg("options"));
  m.def("attractor_set", &attractor_set, py::arg("net"), py::arg("starts"), py::arg("u"), py::arg("fixed_points"),
        py::arg("options"), py::arg("threads"));
  m.def("census_group", &group_of, py::arg("task"), py::arg("config"), py::arg("sweep_point"), py::arg("sweep"),
        py::arg("sweep_points"));
  m.def("dynamics", &dynamics, py::arg("net"), py::arg("task"), py::arg("params"), py::arg("config"),
        py::arg("options"), py::arg("autonomous") = false);
}

}  // namespace rnnlab::py_bind
