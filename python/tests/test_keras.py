"""A network trained in Keras, imported and simulated, against Keras' own equation in NumPy."""
import h5py
import numpy as np

import rnnlab
from conftest import FIXTURES

PATH = FIXTURES / "keras-jarne" / "dm_ortho_nobias_0_final.hdf5"


def keras_arrays(path):
    """K (I, N), R (N, N), b (N,), D (N, O), d (O,) read straight from the file."""
    found = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset) and name.startswith("model_weights/"):
                found[name] = obj[()]
        f.visititems(visit)
    cell = {k.rsplit("/", 1)[1]: v for k, v in found.items() if "simple_rnn" in k}
    dense = {k.rsplit("/", 1)[1]: v for k, v in found.items() if "/dense/" in k}
    n = cell["recurrent_kernel"].shape[0]
    return cell["kernel"], cell["recurrent_kernel"], cell.get("bias", np.zeros(n)), dense["kernel"], dense["bias"]


def test_keras_import_simulates_like_keras():
    K, R, b, D, d = keras_arrays(PATH)
    net = rnnlab.Network.from_keras(PATH)
    assert (net.units, net.inputs, net.outputs, net.alpha) == (100, 1, 1, 1.0)
    rng = np.random.default_rng(0)
    T, B = 60, 4
    u = np.zeros((T, B, 1))
    u[5:15] = rng.choice([-1.0, 1.0], size=(1, B, 1)) * 0.8  # a pulse, as in the decision task
    u += 0.05 * rng.normal(size=u.shape)
    h = np.zeros((B, 100))
    hs, ys = [], []
    for t in range(T):  # Keras: h_t = tanh(u_t K + h_{t-1} R + b), row vectors
        h = np.tanh(u[t] @ K + h @ R + b)
        hs.append(h)
        ys.append(h @ D + d)
    sim = net.simulate(u)
    np.testing.assert_allclose(sim.rates, np.stack(hs), atol=1e-5)
    np.testing.assert_allclose(sim.outputs, np.stack(ys), atol=1e-5)
    assert np.abs(np.stack(ys)).max() > 0.1  # the network responds: not a trivial zero match


def test_from_torch_naming():
    rng = np.random.default_rng(2)
    sd = {"rnn.weight_ih_l0": rng.normal(size=(4, 2)), "rnn.weight_hh_l0": rng.normal(size=(4, 4)),
          "rnn.bias_ih_l0": rng.normal(size=4), "rnn.bias_hh_l0": rng.normal(size=4),
          "fc.weight": rng.normal(size=(3, 4)), "fc.bias": rng.normal(size=3)}
    net = rnnlab.from_torch(sd)
    np.testing.assert_array_equal(net.w_rec, sd["rnn.weight_hh_l0"])
    np.testing.assert_allclose(net.b, sd["rnn.bias_ih_l0"] + sd["rnn.bias_hh_l0"])
    assert (net.outputs, net.alpha) == (3, 1.0)
    u = rng.normal(size=(5, 2, 2))
    h = np.zeros((2, 4))
    for t in range(5):  # nn.RNN: h_t = tanh(W_ih u + b_ih + W_hh h + b_hh)
        h = np.tanh(u[t] @ sd["rnn.weight_ih_l0"].T + sd["rnn.bias_ih_l0"] + h @ sd["rnn.weight_hh_l0"].T + sd["rnn.bias_hh_l0"])
    np.testing.assert_allclose(net.simulate(u).rates[-1], h, atol=1e-12)
