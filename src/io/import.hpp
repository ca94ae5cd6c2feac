#pragma once
// Networks trained elsewhere, turned into rnnlab networks (issue 3, "Import").
//
// Keras (`import_keras`): a whole model saved with model.save to HDF5. The
// root attribute model_config (JSON) names the layers; the importer takes the
// one SimpleRNN layer and the one Dense readout after it (a Dense wrapped in
// TimeDistributed counts) and looks for their datasets by name under
// model_weights/<layer name>/ (any depth), so both layouts work:
//   Keras 3: model_weights/simple_rnn/sequential/simple_rnn/simple_rnn_cell/kernel
//   Keras 2: model_weights/simple_rnn/simple_rnn/kernel:0
// (a ":<n>" suffix is dropped). Keras computes h_t = phi(u_t K + h_{t-1} R + b)
// with row vectors, so W_in = K^T, W_rec = R^T, W_out = D^T. Activations:
// tanh, relu, linear (also sigmoid, softplus); the Dense layer must be linear.
//
// Plain arrays (`import_arrays`), HDF5 datasets at the root of the file:
//   our naming:   w_in (N x I), w_rec (N x N), w_out (O x N); optional b (N),
//                 b_out (O), x0 (N). W[i, j] is from j to i.
//   PyTorch naming (torch_naming = true), as nn.RNN's state_dict:
//                 weight_ih_l0 (N x I), weight_hh_l0 (N x N), optional
//                 bias_ih_l0 + bias_hh_l0 (summed into b); readout, optional,
//                 the first found of weight_out/bias_out, fc.weight/fc.bias,
//                 linear.weight/linear.bias, readout.weight/readout.bias,
//                 output.weight/output.bias, out.weight/out.bias (O x N, O);
//                 optional x0 (N). A prefix such as "rnn." or a group
//                 "rnn/" before a name is accepted ("rnn.weight_hh_l0").
//                 Without a readout the outputs are the rates (W_out = I,
//                 O = N), as an nn.RNN's output is its hidden state.
//                 Only one forward layer: weight_hh_l1, *_reverse entries
//                 and GRU/LSTM shapes (3N or 4N rows) are refused by name.
//   Either naming: an optional root attribute "activation" (or "nonlinearity")
//   names the activation (default tanh; the names of src/model/activation.hpp).
// `network_from_arrays` is the arrays -> network step alone, for arrays that
// are not in a file: Python's from_torch(state_dict) calls it, so the command
// line and Python import a state_dict by one set of rules.
//
// Every importer: alpha = dt / tau (default dt = tau = 1 ms, the discrete
// network), x0 = 0 unless given, no Dale sign; the result's `trained` holds
// the network, `initial` is empty, status "imported". Anything wrong with the
// file (not HDF5, no recurrent layer, empty weight groups, shapes that do not
// fit) throws InputError naming the file and what was expected.
#include <map>
#include <string>

#include "io/experiment_file.hpp"
#include "model/network.hpp"

namespace rnnlab {

// origin = "keras:<file name>".
NetworkRecord import_keras(const std::string& path, double dt = 1.0, double tau = 1.0);

// One array by name: rank 2 as rows x cols, rank 1 as an n x 1 column.
struct NamedArray {
  Eigen::MatrixXd value;
  int rank = 2;
};
using NamedArrays = std::map<std::string, NamedArray>;

// `source` names the arrays in messages (a file, "state_dict").
Network network_from_arrays(const std::string& source, const NamedArrays& arrays, bool torch_naming, double dt = 1.0,
                            double tau = 1.0, const std::string& activation = "tanh");

// origin = "arrays:<file name>" or "torch:<file name>".
NetworkRecord import_arrays(const std::string& path, bool torch_naming, double dt = 1.0, double tau = 1.0);

// Writes `net` in PyTorch naming: weight_ih_l0 = W_in, weight_hh_l0 = W_rec,
// bias_ih_l0 = b, bias_hh_l0 = 0, weight_out = W_out, bias_out = b_out, x0,
// all float64, and root attributes activation, alpha, dt. import_arrays(path,
// true, net.dt, net.dt / net.alpha) gives back the same arrays exactly.
void export_torch_arrays(const Network& net, const std::string& path);

}  // namespace rnnlab
