"""The way out to PyTorch and back (rnnlab.torch_export): Network.to_torch() runs
the same map as simulate(), its autograd gradients equal the hand-written BPTT,
and from_torch takes modules back or refuses what it cannot represent."""
import numpy as np
import pytest

import rnnlab
from conftest import random_network
from reference import autograd_and_hand_gradients, masked_mse

torch = pytest.importorskip("torch", reason="python3-torch (installed by scripts/install-deps.sh)")

ARRAYS = ("w_in", "w_rec", "w_out", "b", "b_out", "x0")


def batch(seed=1, steps=40, trials=3, i=2, o=2):
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(steps, trials, i)), rng.normal(size=(steps, trials, o)),
            (rng.random((steps, trials)) < 0.7).astype(float))


@pytest.mark.parametrize("activation,alpha", [("tanh", 0.1), ("tanh", 1.0), ("softplus", 0.3), ("relu", 0.5),
                                              ("sigmoid", 0.2), ("retanh", 0.7), ("linear", 0.1)])
def test_to_torch_matches_simulate(activation, alpha):
    net = random_network(activation=activation, alpha=alpha)
    net.x0 = np.random.default_rng(5).normal(size=net.units)  # x0 != 0 exercises the first step
    u, _, _ = batch()
    module = net.to_torch()
    with torch.no_grad():
        y, x = module(torch.from_numpy(u))
    sim = net.simulate(u)
    assert y.dtype == torch.float64
    np.testing.assert_allclose(x.numpy(), sim.states, rtol=0, atol=1e-13)
    np.testing.assert_allclose(y.numpy(), sim.outputs, rtol=0, atol=1e-13)
    assert np.abs(sim.outputs).max() > 0.05  # a network that responds: not a trivial match


def test_to_torch_rec_noise_enters_like_the_numpy_model():
    net = random_network(alpha=0.2)
    u, _, _ = batch(steps=6)
    noise = np.random.default_rng(3).normal(size=(6, 3, net.units)) * 0.1
    with torch.no_grad():
        _, x = net.to_torch()(torch.from_numpy(u), torch.from_numpy(noise))
    # The same recurrence written out in NumPy, noise added to x_t after the step.
    xs, xt = [], np.tile(net.x0, (3, 1))
    for t in range(6):
        xt = (1 - net.alpha) * xt + net.alpha * (np.tanh(xt) @ net.w_rec.T + u[t] @ net.w_in.T + net.b) + noise[t]
        xs.append(xt)
    np.testing.assert_allclose(x.numpy(), np.stack(xs), atol=1e-13)


@pytest.mark.parametrize("alpha", [0.1, 1.0])
def test_torch_autograd_equals_loss_and_grad(alpha):
    """An independent check of the hand-written backward pass: PyTorch's autograd
    through to_torch()'s forward gives the same gradients."""
    net = random_network(alpha=alpha)
    u, y, m = batch()
    loss_t, module, loss, grads = autograd_and_hand_gradients(net, u, y, m)
    assert loss == pytest.approx(loss_t, rel=1e-12)
    assert loss == pytest.approx(masked_mse(net.simulate(u).outputs, y, m), rel=1e-12)
    for name in ARRAYS:
        np.testing.assert_allclose(grads[name], getattr(module, name).grad.numpy(), rtol=1e-9, atol=1e-13,
                                   err_msg=name)


def test_round_trips():
    net = random_network(alpha=0.25)
    net.dt = 5.0
    back = rnnlab.from_torch(net.to_torch())
    for name in ARRAYS:
        np.testing.assert_array_equal(getattr(back, name), getattr(net, name), err_msg=name)
    assert (back.alpha, back.dt, back.activation) == (net.alpha, net.dt, net.activation)
    again = rnnlab.from_torch(net.state_dict(), dt=5.0, tau=20.0)
    for name in ARRAYS:
        np.testing.assert_array_equal(getattr(again, name), getattr(net, name), err_msg=name)
    assert again.alpha == 0.25


@pytest.mark.parametrize("nonlinearity", ["tanh", "relu"])
def test_from_torch_module_keeps_its_nonlinearity(nonlinearity):
    torch.manual_seed(0)

    class Model(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.rnn = torch.nn.RNN(2, 6, nonlinearity=nonlinearity)
            self.fc = torch.nn.Linear(6, 3)

        def forward(self, u):
            h, _ = self.rnn(u)
            return self.fc(h)

    model = Model().double()
    net = rnnlab.from_torch(model)
    assert net.activation == nonlinearity and net.outputs == 3
    u = np.random.default_rng(1).normal(size=(20, 4, 2))
    with torch.no_grad():
        want = model(torch.from_numpy(u)).numpy()
    np.testing.assert_allclose(net.simulate(u).outputs, want, atol=1e-12)
    with pytest.raises(rnnlab.InputError, match="contradicts"):
        rnnlab.from_torch(model, activation="softplus" if nonlinearity == "tanh" else "tanh")


@pytest.mark.parametrize("make,word", [
    (lambda: torch.nn.GRU(2, 5), "GRU"),
    (lambda: torch.nn.LSTM(2, 5), "LSTM"),
    (lambda: torch.nn.RNN(2, 5, num_layers=2), "num_layers = 2"),
    (lambda: torch.nn.RNN(2, 5, bidirectional=True), "bidirectional"),
])
def test_from_torch_refuses_what_it_cannot_represent(make, word):
    module = make()
    with pytest.raises(rnnlab.InputError, match=word):
        rnnlab.from_torch(module)


@pytest.mark.parametrize("make,word", [(lambda: torch.nn.GRU(2, 5), "GRU"), (lambda: torch.nn.LSTM(2, 5), "LSTM")])
def test_from_torch_refuses_gated_state_dicts_by_name(make, word):
    with pytest.raises(rnnlab.InputError, match=word):
        rnnlab.from_torch(make().state_dict())


def test_one_importer_for_files_and_state_dicts(tmp_path):
    """`rnnlab import --torch FILE` and from_torch(state_dict) apply one set of rules
    (src/io/import.cpp): the same arrays give the same network, and without a
    readout both take the rates as outputs (W_out = I), as nn.RNN outputs h_t."""
    import h5py
    rng = np.random.default_rng(5)
    sd = {"rnn.weight_ih_l0": rng.normal(size=(6, 2)), "rnn.weight_hh_l0": rng.normal(size=(6, 6)) / 3,
          "rnn.bias_ih_l0": rng.normal(size=6), "rnn.bias_hh_l0": rng.normal(size=6)}
    path = tmp_path / "state.h5"
    with h5py.File(path, "w") as f:
        for k, v in sd.items():
            f[k] = v
        f.attrs["nonlinearity"] = "relu"
    from_file = rnnlab.Network._from_dict(rnnlab._core.import_arrays(str(path), True, 2.0, 10.0)["trained"])
    from_dict = rnnlab.from_torch(sd, dt=2.0, tau=10.0, activation="relu")
    for name in ("w_in", "w_rec", "w_out", "b", "b_out", "x0"):
        np.testing.assert_array_equal(getattr(from_file, name), getattr(from_dict, name), err_msg=name)
    assert (from_file.activation, from_file.alpha) == (from_dict.activation, from_dict.alpha) == ("relu", 0.2)
    np.testing.assert_array_equal(from_dict.w_out, np.eye(6))
    u = rng.normal(size=(7, 3, 2))
    sim = from_dict.simulate(u)
    np.testing.assert_array_equal(sim.outputs, sim.rates)


def test_gated_state_dicts_are_named_from_files_too(tmp_path):
    import h5py
    path = tmp_path / "gru.h5"
    with h5py.File(path, "w") as f:
        for k, v in torch.nn.GRU(2, 5).state_dict().items():
            f[k] = v.detach().numpy().astype(np.float64)
    with pytest.raises(rnnlab.InputError, match="GRU"):
        rnnlab._core.import_arrays(str(path), True, 1.0, 1.0)


def test_every_activation_has_a_torch_twin():
    """Python takes the activation names from C++ (_core.activation_names); to_torch
    has a phi for each (test_to_torch_matches_simulate checks each formula)."""
    from rnnlab.torch_export import _phi
    assert rnnlab.network.ACTIVATIONS == tuple(rnnlab._core.activation_names())
    assert set(rnnlab.network.ACTIVATIONS) == {"tanh", "relu", "softplus", "sigmoid", "retanh", "linear"}
    for activation in rnnlab.network.ACTIVATIONS:
        assert callable(_phi(torch, activation))
