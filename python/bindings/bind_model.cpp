// Network-level functions: simulate, loss and gradient, Keras import.
#include <pybind11/eigen.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include "convert.hpp"
#include "io/import.hpp"
#include "network_dict.hpp"
#include "train/bptt.hpp"

namespace rnnlab::py_bind {

namespace {

// Forward pass in float64. `rec_noise` (T, B, N) or None: already scaled noise
// added to x each step, exactly as the trainer adds it.
py::dict simulate(const py::dict& net_dict, const Array& inputs, const py::object& rec_noise) {
  const Network net = network_from_dict(net_dict);
  const long steps = inputs.shape(0), trials = inputs.shape(1);
  const Eigen::MatrixXd u = batch_to_matrix<double>(inputs, "inputs", net.inputs());
  Eigen::MatrixXd noise;
  if (!rec_noise.is_none()) noise = batch_to_matrix<double>(rec_noise.cast<Array>(), "noise", net.units());
  Rollout<double> out;
  {
    py::gil_scoped_release release;
    forward(net, u, static_cast<int>(steps), static_cast<int>(trials), noise.size() ? &noise : nullptr, out);
  }
  py::dict d;
  d["states"] = matrix_to_batch(out.x, steps, trials);
  d["rates"] = matrix_to_batch(out.r, steps, trials);
  d["outputs"] = matrix_to_batch(out.y, steps, trials);
  return d;
}

// The trainer's loss (masked MSE or cross-entropy + optional L2 terms) and its
// gradient with respect to every effective array, in float64. The mask is
// (T, B), or (T, B, O) per output.
py::tuple loss_and_grad(const py::dict& net_dict, const Array& inputs, const Array& targets, const Array& mask,
                        double l2_weights, double l2_rates, const std::string& loss_name) {
  const Network net = network_from_dict(net_dict);
  const long steps = inputs.shape(0), trials = inputs.shape(1);
  const Eigen::MatrixXd u = batch_to_matrix<double>(inputs, "inputs", net.inputs());
  const Eigen::MatrixXd y = batch_to_matrix<double>(targets, "targets", net.outputs());
  Eigen::MatrixXd output_mask;
  Eigen::RowVectorXd m = Eigen::RowVectorXd::Ones(steps * trials);
  if (mask.ndim() == 3)
    output_mask = batch_to_matrix<double>(mask, "mask", net.outputs());
  else
    m = mask_to_row<double>(mask, steps, trials);
  const OutputLoss<double> how{parse_loss(loss_name, "loss"), output_mask.size() > 0 ? &output_mask : nullptr};
  Rollout<double> work;
  Weights<double> grad;
  Eigen::VectorXd grad_alpha, grad_tau;
  LossTerms<double> terms;
  {
    py::gil_scoped_release release;
    if (net.per_unit_tau()) {
      // dL/dtau_i = dL/da_i da_i/dtau_i = -(a_i / tau_i) dL/da_i, per ms.
      const Eigen::VectorXd a = net.unit_alpha();
      terms = loss_and_gradient<double>(net, a, net.activation, u, y, m, static_cast<int>(steps),
                                        static_cast<int>(trials), nullptr, Regularisation{l2_weights, l2_rates},
                                        work, grad, grad_alpha, how);
      grad_tau = -(a.array() / net.unit_tau.array() * grad_alpha.array()).matrix();
    } else {
      terms = loss_and_gradient<double>(net, net.alpha, net.activation, u, y, m, static_cast<int>(steps),
                                        static_cast<int>(trials), nullptr, Regularisation{l2_weights, l2_rates},
                                        work, grad, how);
    }
  }
  py::dict g;
  g["w_in"] = grad.w_in;
  g["w_rec"] = grad.w_rec;
  g["w_out"] = grad.w_out;
  g["b"] = grad.b;
  g["b_out"] = grad.b_out;
  g["x0"] = grad.x0;
  if (net.per_unit_tau()) g["unit_tau"] = grad_tau;
  py::dict parts;
  parts["mse"] = terms.output;
  parts["l2_weights"] = terms.l2_weights;
  parts["l2_rates"] = terms.l2_rates;
  return py::make_tuple(terms.total(), g, parts);
}

// A dict of name -> array (rank 0-2; rank > 2 is kept by its rank, so that the
// importer can name it) as the importer's NamedArrays.
NamedArrays named_arrays(const py::dict& d) {
  NamedArrays out;
  for (const auto& [key, value] : d) {
    const Array a = py::cast<Array>(value);
    NamedArray na;
    na.rank = static_cast<int>(a.ndim());
    if (na.rank <= 2) {
      const long rows = na.rank >= 1 ? static_cast<long>(a.shape(0)) : 1;
      const long cols = na.rank == 2 ? static_cast<long>(a.shape(1)) : 1;
      na.value.resize(rows, cols);
      for (long i = 0; i < rows; ++i)
        for (long j = 0; j < cols; ++j) na.value(i, j) = a.data()[i * cols + j];
    }
    out.emplace(py::str(key).cast<std::string>(), std::move(na));
  }
  return out;
}

}  // namespace

void bind_model(py::module_& m) {
  m.def(
      "activation_names",
      [] {
        py::list names;
        for (const std::string& name : activation_names()) names.append(name);
        return names;
      },
      "The activations rnnlab has (src/model/activation.hpp): the one list C++ and Python share.");
  m.def(
      "network_from_arrays",
      [](const py::dict& arrays, bool torch, double dt, double tau, const std::string& activation) {
        return network_to_dict(network_from_arrays("state_dict", named_arrays(arrays), torch, dt, tau, activation));
      },
      py::arg("arrays"), py::arg("torch") = true, py::arg("dt") = 1.0, py::arg("tau") = 1.0,
      py::arg("activation") = "tanh",
      "The importer's arrays -> network rules (those of `rnnlab import --torch`) on a dict of arrays.");
  m.def("simulate", &simulate, py::arg("net"), py::arg("inputs"), py::arg("rec_noise") = py::none());
  m.def("loss_and_grad", &loss_and_grad, py::arg("net"), py::arg("inputs"), py::arg("targets"), py::arg("mask"),
        py::arg("l2_weights") = 0.0, py::arg("l2_rates") = 0.0, py::arg("loss") = "mse");
  m.def(
      "import_keras",
      [](const std::string& path, double dt, double tau) { return record_to_dict(import_keras(path, dt, tau)); },
      py::arg("path"), py::arg("dt") = 1.0, py::arg("tau") = 1.0);
  m.def(
      "import_arrays",
      [](const std::string& path, bool torch, double dt, double tau) {
        return record_to_dict(import_arrays(path, torch, dt, tau));
      },
      py::arg("path"), py::arg("torch") = false, py::arg("dt") = 1.0, py::arg("tau") = 1.0);
}

}  // namespace rnnlab::py_bind
