"""The fixed-point finder from Python: the CLI's defaults, speeds per tau, the
kinds of old files (docs/analysis.md, "Fixed points and slow points")."""
import math

import numpy as np
import pytest

import rnnlab
from rnnlab.analysis import POINT_KINDS, fixed_point_defaults, fixed_points_from_file


def tanh_unit(w, b, alpha):
    return rnnlab.Network(w_in=np.zeros((1, 1)), w_rec=[[w]], w_out=[[1.0]], b=[b], alpha=alpha)


def fold(w):
    """(x_f, b_f): where x = w tanh(x) + b loses its two negative roots."""
    x_f = math.acosh(math.sqrt(w))
    return x_f, w * math.tanh(x_f) - x_f


def test_defaults_are_the_clis():
    d = fixed_point_defaults()
    # The documented defaults of `analyze --fixed-points` (docs/analysis.md), read from C++.
    assert (d["n_starts"], d["trials"], d["noise"], d["seed"]) == (1024, 64, 0.0, 1)
    assert d["slow_speed"] == 0.1 and d["dedup_tolerance"] == 1e-6 and d["tolerance"] == 1e-12
    net = tanh_unit(2.0, 0.0, 0.1)
    states = np.linspace(-3, 3, 50)[:, None]  # (M, N)
    fps = rnnlab.fixed_points(net, trajectories=states, threads=1)
    assert fps.summary["starts"] == 1024
    assert fps.summary["fixed_points"] == 3 and fps.summary["stable"] == 2


@pytest.mark.parametrize("alpha", [0.1, 1.0])
def test_ghost_speed_is_per_tau(alpha):
    x_f, b_f = fold(2.0)
    delta = 0.03
    net = tanh_unit(2.0, b_f + delta, alpha)
    starts = np.linspace(-3, 3, 41)[None, :]
    slow = rnnlab.fixed_points(net, starts=starts, slow_speed=0.05)
    ghost = slow.kind.index("slow")
    assert slow.speed[ghost] == pytest.approx(delta, abs=1e-12)
    assert slow.x[ghost, 0] == pytest.approx(-x_f, abs=1e-12)
    fast = rnnlab.fixed_points(net, starts=starts, slow_speed=0.02)
    assert fast.kind == ["fixed", "local_minimum"]
    assert fast.summary["local_minima"] == 1 and fast.summary["not_converged"] == 0
    assert fast.summary["local_minimum_starts"] == fast.count[1]
    # The deprecated threshold on q: q = 1/2 alpha^2 speed^2, so this is slow_speed = 0.05 per tau.
    with pytest.warns(DeprecationWarning, match="slow_tolerance"):
        old = rnnlab.fixed_points(net, starts=starts, slow_tolerance=0.5 * (alpha * 0.05) ** 2)
    assert old.kind == ["fixed", "slow"]


def test_points_are_separated_by_the_merge_radius():
    rng = np.random.default_rng(3)
    n = 12
    net = rnnlab.Network(w_in=np.zeros((n, 1)), w_rec=1.6 * rng.normal(size=(n, n)) / np.sqrt(n),
                         w_out=np.zeros((1, n)), alpha=0.1)
    fps = rnnlab.fixed_points(net, starts=1.5 * rng.normal(size=(n, 600)), threads=1)
    tol = fixed_point_defaults()["dedup_tolerance"]
    inf = np.abs(fps.x).max(axis=1)
    for i in range(len(fps.q)):
        for j in range(i + 1, len(fps.q)):
            radius = tol * (1 + max(inf[i], inf[j])) + fps.position_error[i] + fps.position_error[j]
            assert np.abs(fps.x[i] - fps.x[j]).max() > radius


def test_an_old_files_kinds_and_speeds_still_read():
    # The layout written before local minima were reported: no speed,
    # position_error or local-minimum counts; kinds from the old vocabulary.
    old = {"alpha": 0.1, "starts": 3, "fixed_starts": 2, "slow_starts": 1, "not_converged": 0, "fixed_points": 1,
           "slow_points": 1, "stable": 1, "saddles": 0, "unstable": 0, "marginal": 0, "outliers": 0,
           "input": np.zeros(1),
           "points": {"x": np.array([[1.9], [-0.88]]), "q": np.array([0.0, 4.5e-6]), "kind": ["fixed", "slow"],
                      "stability": ["stable", "marginal"], "count": np.array([2, 1])},
           "starts": {"kind": ["fixed", "fixed", "slow"]}}
    fps = fixed_points_from_file(old)
    assert fps.kind == ["fixed", "slow"]
    np.testing.assert_allclose(fps.speed, [0.0, 0.03], atol=1e-15)  # sqrt(2 q) / alpha
    assert fps.summary["local_minima"] == 0 and fps.summary["slow_points"] == 1
    assert set(POINT_KINDS) >= {"fixed", "slow", "not_converged"}
    bad = dict(old, points=dict(old["points"], kind=["fixed", "ghost"]))
    with pytest.raises(rnnlab.InputError, match="unknown point kind"):
        fixed_points_from_file(bad)
