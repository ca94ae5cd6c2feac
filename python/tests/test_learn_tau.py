"""One time constant per unit (train.learn_tau, docs/model.md "Time constants"):
Network.unit_tau runs a_i = dt / tau_i unit by unit in simulate(), in to_torch()
and in the hand-written gradient, which PyTorch's autograd checks, dL/dtau
included; a uniform unit_tau is the one-tau network."""
import numpy as np
import pytest

import rnnlab
from conftest import random_network
from reference import autograd_and_hand_gradients

torch = pytest.importorskip("torch", reason="python3-torch (installed by scripts/install-deps.sh)")

ARRAYS = ("w_in", "w_rec", "w_out", "b", "b_out", "x0")


def per_unit_network(seed=2):
    net = random_network(alpha=0.2)
    net.dt = 10.0
    taus = np.random.default_rng(seed).uniform(12.0, 120.0, size=net.units)
    return rnnlab.Network(**{k: getattr(net, k) for k in ARRAYS}, dt=10.0, activation=net.activation,
                          unit_tau=taus)


def batch(seed=1, steps=30, trials=3, i=2, o=2):
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(steps, trials, i)), rng.normal(size=(steps, trials, o)),
            (rng.random((steps, trials)) < 0.7).astype(float))


def test_simulate_steps_each_unit_with_its_own_leak():
    net = per_unit_network()
    net.x0 = np.random.default_rng(4).normal(size=net.units)
    u, _, _ = batch(steps=5)
    a = net.dt / net.unit_tau
    xs, xt = [], np.tile(net.x0, (3, 1))
    for t in range(5):  # the recurrence written out in NumPy
        xt = (1 - a) * xt + a * (np.tanh(xt) @ net.w_rec.T + u[t] @ net.w_in.T + net.b)
        xs.append(xt)
    np.testing.assert_allclose(net.simulate(u).states, np.stack(xs), rtol=0, atol=1e-13)
    assert net.alpha == pytest.approx(net.dt / net.unit_tau.mean())
    with torch.no_grad():
        y, x = net.to_torch()(torch.from_numpy(u))
    np.testing.assert_allclose(x.numpy(), np.stack(xs), rtol=0, atol=1e-13)


def test_torch_autograd_equals_loss_and_grad_tau_included():
    net = per_unit_network()
    u, y, m = batch()
    loss_t, module, loss, grads = autograd_and_hand_gradients(net, u, y, m)
    assert loss == pytest.approx(loss_t, rel=1e-12)
    for name in ARRAYS + ("unit_tau",):
        np.testing.assert_allclose(grads[name], getattr(module, name).grad.numpy(), rtol=1e-8, atol=1e-14,
                                   err_msg=name)
    assert np.abs(grads["unit_tau"]).max() > 1e-6


def test_uniform_unit_tau_is_the_one_tau_network():
    base = random_network(alpha=0.25)
    base.dt = 5.0
    same = rnnlab.Network(**{k: getattr(base, k) for k in ARRAYS}, dt=5.0, unit_tau=np.full(base.units, 20.0))
    assert same.unit_tau is None and same.alpha == 0.25
    u, _, _ = batch()
    np.testing.assert_array_equal(same.simulate(u).states, base.simulate(u).states)
    assert "unit_tau" not in same.loss_and_grad(u, *batch()[1:])[1]
    assert not any(name == "unit_tau" for name, _ in same.to_torch().named_parameters())


def test_round_trips_through_torch_and_refuses_tau_below_dt():
    net = per_unit_network()
    back = rnnlab.from_torch(net.to_torch())
    np.testing.assert_array_equal(back.unit_tau, net.unit_tau)
    assert back.alpha == net.alpha
    with pytest.raises(rnnlab.InputError, match="unit_tau"):
        rnnlab.Network(**{k: getattr(net, k) for k in ARRAYS}, dt=10.0, unit_tau=np.full(net.units, 5.0))


def test_trained_file_keeps_tau_per_unit(tmp_path):
    config = {"task": {"name": "flipflop", "bits": 1, "duration": 200},
              "model": {"units": 8, "dt": 10, "tau": 40},
              "train": {"iterations": 20, "validate_every": 10, "learning_rate": 0.02, "learn_tau": True}}
    path = tmp_path / "tau.h5"
    records = rnnlab.train(config, progress=False, output=str(path))
    assert records[0].trained.unit_tau is not None
    net = rnnlab.load(str(path)).networks[0].trained
    np.testing.assert_array_equal(net.unit_tau, records[0].trained.unit_tau)
    assert net.unit_tau.shape == (8,) and net.unit_tau.min() >= 10.0
    assert net.unit_tau.max() - net.unit_tau.min() > 0
