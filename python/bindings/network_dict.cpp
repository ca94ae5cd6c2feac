#include "network_dict.hpp"

#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include "util/error.hpp"

namespace rnnlab::py_bind {

namespace py = pybind11;

namespace {

template <class M>
M get(const py::dict& d, const char* key) {
  if (!d.contains(key)) throw InputError(std::string("network dict lacks '") + key + "'");
  return d[key].cast<M>();
}

py::object array_or_none(const Eigen::MatrixXd& m) {
  if (m.size() == 0) return py::none();
  return py::cast(m);
}

}  // namespace

Network network_from_dict(const py::dict& d) {
  Network net;
  net.w_in = get<Eigen::MatrixXd>(d, "w_in");
  net.w_rec = get<Eigen::MatrixXd>(d, "w_rec");
  net.w_out = get<Eigen::MatrixXd>(d, "w_out");
  net.b = get<Eigen::VectorXd>(d, "b");
  net.b_out = get<Eigen::VectorXd>(d, "b_out");
  net.x0 = get<Eigen::VectorXd>(d, "x0");
  if (d.contains("sign") && !d["sign"].is_none()) net.sign = d["sign"].cast<Eigen::VectorXd>();
  net.alpha = get<double>(d, "alpha");
  net.dt = get<double>(d, "dt");
  // One time constant per unit (train.learn_tau); set after dt, which a_i = dt / tau_i needs.
  if (d.contains("unit_tau") && !d["unit_tau"].is_none()) net.set_unit_tau(d["unit_tau"].cast<Eigen::VectorXd>());
  const auto name = get<std::string>(d, "activation");
  const auto activation = parse_activation(name);
  if (!activation) throw InputError("unknown activation '" + name + "'");
  net.activation = *activation;
  const long n = net.w_rec.rows();
  // The model equation needs these to fit; the Python layer has already said
  // which shape it expected, this only guards direct callers of _core.
  if (net.w_rec.cols() != n || net.w_in.rows() != n || net.w_out.cols() != n || net.b.size() != n ||
      net.x0.size() != n || net.b_out.size() != net.w_out.rows() || (net.sign.size() && net.sign.size() != n) ||
      (net.unit_tau.size() && net.unit_tau.size() != n))
    throw InputError("network arrays do not fit together (N = " + std::to_string(n) + ")");
  return net;
}

py::dict network_to_dict(const Network& net) {
  py::dict d;
  d["w_in"] = net.w_in;
  d["w_rec"] = net.w_rec;
  d["w_out"] = net.w_out;
  d["b"] = net.b;
  d["b_out"] = net.b_out;
  d["x0"] = net.x0;
  d["sign"] = net.sign.size() ? py::cast(net.sign) : py::none();
  d["alpha"] = net.alpha;
  d["dt"] = net.dt;
  d["activation"] = to_string(net.activation);
  d["unit_tau"] = net.per_unit_tau() ? py::cast(net.unit_tau) : py::none();
  return d;
}

py::dict record_to_dict(const NetworkRecord& rec) {
  py::dict d;
  d["seed"] = rec.seed;
  d["status"] = rec.status;
  d["status_reason"] = rec.status_reason;
  d["origin"] = rec.origin;
  d["iterations"] = rec.iterations;
  d["initial"] = rec.initial.w_rec.size() ? py::object(network_to_dict(rec.initial)) : py::none();
  d["trained"] = rec.trained.w_rec.size() ? py::object(network_to_dict(rec.trained)) : py::none();
  d["mask_rec"] = array_or_none(rec.mask_rec);
  // Best and final weights (docs/training.md); -1, NaN and None where not recorded.
  d["final"] = rec.final_weights.w_rec.size() ? py::object(network_to_dict(rec.final_weights)) : py::none();
  d["best_iteration"] = rec.best_iteration;
  d["best_val_loss"] = rec.best_val_loss;
  d["best_val_accuracy"] = rec.best_val_accuracy;
  d["final_val_loss"] = rec.final_val_loss;
  d["final_val_accuracy"] = rec.final_val_accuracy;
  py::dict curves;
  curves["iteration"] = py::array(py::cast(rec.curves.iteration));
  curves["loss"] = py::array(py::cast(rec.curves.loss));
  curves["val_loss"] = py::array(py::cast(rec.curves.val_loss));
  curves["val_accuracy"] = py::array(py::cast(rec.curves.val_accuracy));
  curves["wall_time"] = py::array(py::cast(rec.curves.wall_time));
  // A [[curriculum]]: the iteration each stage began at (absent without one).
  if (!rec.curves.stage_start.empty()) curves["stage_start"] = py::array(py::cast(rec.curves.stage_start));
  d["curves"] = curves;
  // Its place in a sweep (docs/config.md "[sweep]"): -1, {} and 0 without one.
  d["sweep_point"] = rec.sweep_point;
  py::dict sweep;
  for (const auto& [key, value] : rec.sweep) sweep[py::str(key)] = value;
  d["sweep"] = sweep;
  d["sweep_seed"] = rec.sweep_seed;
  return d;
}

}  // namespace rnnlab::py_bind
