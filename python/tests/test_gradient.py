"""Network.simulate and Network.loss_and_grad against an independent NumPy model."""
import numpy as np
import pytest

import rnnlab
from conftest import random_network
from reference import masked_mse, simulate

ARRAYS = ("w_in", "w_rec", "w_out", "b", "b_out", "x0")


def batch(seed=1, steps=7, trials=3, i=2, o=2):
    rng = np.random.default_rng(seed)
    inputs = rng.normal(size=(steps, trials, i))
    targets = rng.normal(size=(steps, trials, o))
    mask = (rng.random((steps, trials)) < 0.7).astype(float)
    mask[0, 0] = 1.0
    return inputs, targets, mask


@pytest.mark.parametrize("activation", ["tanh", "softplus", "sigmoid", "linear"])
def test_simulate_matches_numpy(activation):
    net = random_network(activation=activation)
    inputs, _, _ = batch()
    sim = net.simulate(inputs)
    states, outputs = simulate(net.w_in, net.w_rec, net.w_out, net.b, net.b_out, net.x0, net.alpha, activation, inputs)
    assert sim.states.shape == (7, 3, 5) and sim.outputs.shape == (7, 3, 2)
    np.testing.assert_allclose(sim.states, states, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(sim.rates, __import__("reference").PHI[activation](states), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(sim.outputs, outputs, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("activation,alpha", [("tanh", 0.3), ("tanh", 1.0), ("softplus", 0.5)])
def test_loss_and_grad_equals_finite_differences(activation, alpha):
    net = random_network(activation=activation, alpha=alpha)
    inputs, targets, mask = batch()

    def numpy_loss(n):
        # The loss from the (C++) simulate outputs, computed in NumPy.
        return masked_mse(n.simulate(inputs).outputs, targets, mask)

    loss, grads = net.loss_and_grad(inputs, targets, mask)
    assert loss == pytest.approx(numpy_loss(net), rel=1e-12)
    _, ref_outputs = simulate(net.w_in, net.w_rec, net.w_out, net.b, net.b_out, net.x0, alpha, activation, inputs)
    assert loss == pytest.approx(masked_mse(ref_outputs, targets, mask), rel=1e-10)
    h = 1e-6
    for name in ARRAYS:
        g = grads[name]
        assert g.shape == getattr(net, name).shape, name
        fd = np.zeros_like(g)
        for idx in np.ndindex(g.shape):
            plus, minus = net.copy(), net.copy()
            getattr(plus, name)[idx] += h
            getattr(minus, name)[idx] -= h
            fd[idx] = (numpy_loss(plus) - numpy_loss(minus)) / (2 * h)
        np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-9, err_msg=name)
        assert np.abs(g).max() > 1e-4, f"{name}: a zero gradient would pass trivially"


def test_l2_terms_are_the_trainers():
    net = random_network()
    inputs, targets, mask = batch()
    base, _ = net.loss_and_grad(inputs, targets, mask)
    loss, grads = net.loss_and_grad(inputs, targets, mask, l2_weights=0.5, l2_rates=0.25)
    w2 = np.concatenate([net.w_in.ravel(), net.w_rec.ravel(), net.w_out.ravel()]) ** 2
    r2 = net.simulate(inputs).rates ** 2
    assert loss == pytest.approx(base + 0.5 * w2.mean() + 0.25 * r2.mean(), rel=1e-12)
    _, g0 = net.loss_and_grad(inputs, targets, mask)
    # d/dW of 0.5 * mean(W^2) over all 2*5 + 25 + 10 weights is 0.5 * 2 W / 45 (plus the rate term).
    np.testing.assert_allclose(grads["w_out"] - g0["w_out"], 0.5 * 2 * net.w_out / 45, rtol=1e-10)
