"""Wrong shapes, dtypes and values are refused with the expected shape in the message."""
import numpy as np
import pytest

import rnnlab
from conftest import random_network


def test_network_shapes():
    with pytest.raises(rnnlab.InputError, match=r"w_in must have shape \(N=5, I\), got \(4, 2\)"):
        rnnlab.Network(np.zeros((4, 2)), np.zeros((5, 5)), np.zeros((1, 5)))
    with pytest.raises(rnnlab.InputError, match=r"w_out must have shape \(O, N=5\), got \(5,\)"):
        rnnlab.Network(np.zeros((5, 2)), np.zeros((5, 5)), np.zeros(5))
    with pytest.raises(rnnlab.InputError, match=r"b must have shape \(N=5,\), got \(4,\)"):
        rnnlab.Network(np.zeros((5, 2)), np.zeros((5, 5)), np.zeros((1, 5)), b=np.zeros(4))
    with pytest.raises(rnnlab.InputError, match="real numeric array.*complex128"):
        rnnlab.Network(np.zeros((5, 2)), np.zeros((5, 5), complex), np.zeros((1, 5)))
    with pytest.raises(rnnlab.InputError, match="alpha = 1.5 is out of range"):
        rnnlab.Network(np.zeros((5, 2)), np.zeros((5, 5)), np.zeros((1, 5)), alpha=1.5)
    with pytest.raises(ValueError, match="activation = 'tan' is not known"):
        rnnlab.Network(np.zeros((5, 2)), np.zeros((5, 5)), np.zeros((1, 5)), activation="tan")


def test_batch_shapes():
    net = random_network(n=5, i=2, o=2)
    with pytest.raises(rnnlab.InputError, match=r"inputs must have shape \(T, B, I=2\), got \(10, 3\)"):
        net.simulate(np.zeros((10, 3)))
    with pytest.raises(rnnlab.InputError, match=r"inputs must have shape \(T, B, I=2\), got \(10, 3, 1\)"):
        net.simulate(np.zeros((10, 3, 1)))
    with pytest.raises(rnnlab.InputError, match=r"targets must have shape \(T=10, B=3, O=2\), got \(10, 3, 1\)"):
        net.loss_and_grad(np.zeros((10, 3, 2)), np.zeros((10, 3, 1)), np.ones((10, 3)))
    with pytest.raises(rnnlab.InputError, match=r"mask must have shape \(T=10, B=3\), got \(3, 10\)"):
        net.loss_and_grad(np.zeros((10, 3, 2)), np.zeros((10, 3, 2)), np.ones((3, 10)))
    with pytest.raises(rnnlab.InputError, match=r"x must have shape \(N=5,\)"):
        rnnlab.linearise(net, np.zeros(4))
    with pytest.raises(rnnlab.InputError, match=r"starts must have shape \(N=5, K\)"):
        rnnlab.fixed_points(net, starts=np.zeros((3, 5)))


def test_cpp_errors_keep_their_messages(tmp_path):
    assert issubclass(rnnlab.InputError, ValueError)
    with pytest.raises(rnnlab.InputError, match=r"task.bits: 0 is not allowed; expected an integer in \[1, 64\]"):
        rnnlab.tasks.make("flipflop", bits=0)
    with pytest.raises(rnnlab.InputError, match="not a known task"):
        rnnlab.train({"task": {"name": "flipflopp"}}, progress=False)
    with pytest.raises(rnnlab.InputError, match="no_such.hdf5"):
        rnnlab.from_keras(tmp_path / "no_such.hdf5")
    with pytest.raises(rnnlab.InputError, match="unknown fixed-point option 'tolerence'"):
        rnnlab.fixed_points(random_network(), starts=np.zeros((5, 1)), tolerence=1e-3)
