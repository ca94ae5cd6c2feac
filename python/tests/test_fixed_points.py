"""The fixed-point finder from Python: the CLI's defaults, speeds per tau, the
kinds of old files (docs/analysis.md, "Fixed points and slow points")."""
import math

import numpy as np
import pytest

import rnnlab
import shutil

from rnnlab.analysis import POINT_KINDS, fixed_point_defaults


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


def _write_old_fixed_points(path, seed, n, kinds=("fixed", "slow")):
    """The layout written before local minima were reported: no speed,
    position_error or local-minimum counts; kinds from the old vocabulary."""
    import h5py

    with h5py.File(path, "a") as f:
        g = f.require_group(f"networks/{seed}/analysis").create_group("fixed_points")
        for k, v in dict(alpha=0.1, starts=3, fixed_starts=2, slow_starts=1, not_converged=0, fixed_points=1,
                         slow_points=1, stable=1, saddles=0, unstable=0, marginal=0, outliers=0, input="zero",
                         task="flipflop", starts_from="trajectories", trials=4, noise=0.0, seed=1, tolerance=1e-12,
                         max_iterations=200, dedup_tolerance=1e-6, outlier_factor=2.0, eigenvectors=0, dt_ms=10.0,
                         wall_time_s=0.1).items():
            g.attrs[k] = v
        g["input"] = np.zeros(2)
        p = g.create_group("points")
        p["x"] = np.vstack([np.full(n, 1.9), np.full(n, -0.88)])
        p["q"] = np.array([0.0, 4.5e-6])
        p["kind"] = list(kinds)
        p["stability"] = ["stable", "marginal"]
        p["count"] = np.array([2, 1])
        for name in ("unstable_directions", "marginal_directions"):
            p[name] = np.zeros(2, dtype=np.int64)
        p["eigenvalues"] = p["continuous_eigenvalues"] = np.zeros((2, n), complex)
        p["eigenvectors"] = np.zeros((2, 0, n), complex)
        p["jacobian"] = np.zeros((2, n, n))
        p["input_jacobian"] = np.zeros((2, n, 2))
        p["distance_to_starts"] = np.zeros(2)
        p["outlier"] = np.zeros(2, dtype=np.uint8)
        s = g.create_group("starts")
        s["initial"] = s["x"] = np.zeros((3, n))
        s["q"] = np.zeros(3)
        s["iterations"] = np.ones(3, dtype=np.int64)
        s["kind"] = ["fixed", "fixed", "slow"]
        s["point"] = np.array([0, 0, 1])


def test_an_old_files_kinds_and_speeds_still_read(cli_results, tmp_path):
    # Read through the C++ reader of the result's declaration, as load() does.
    path = tmp_path / "old.h5"
    shutil.copy(cli_results, path)
    rec = rnnlab.load(path).networks[0]
    n = rec.trained.units
    _write_old_fixed_points(path, rec.seed, n)
    fps = rnnlab.load(path).networks[0].fixed_points
    assert fps.kind == ["fixed", "slow"]
    np.testing.assert_allclose(fps.speed, [0.0, 0.03], atol=1e-15)  # sqrt(2 q) / alpha
    assert fps.summary["local_minima"] == 0 and fps.summary["slow_points"] == 1 and fps.summary["starts"] == 3
    assert fps.input_condition == "zero" and fps.starts["kind"] == ["fixed", "fixed", "slow"]
    assert set(POINT_KINDS) >= {"fixed", "slow", "not_converged"}
    bad = tmp_path / "bad.h5"
    shutil.copy(cli_results, bad)
    _write_old_fixed_points(bad, rec.seed, n, kinds=("fixed", "ghost"))
    with pytest.raises(rnnlab.InputError, match="unknown point kind"):
        rnnlab.load(bad).networks[0].fixed_points
    # A shape that disagrees with the network is refused by the reader, naming the dataset.
    wrong = tmp_path / "wrong.h5"
    shutil.copy(cli_results, wrong)
    _write_old_fixed_points(wrong, rec.seed, n + 1)
    message = r"fixed_points/starts/initial: shape \(3, %d\), expected \(K, N\) with N = %d" % (n + 1, n)
    with pytest.raises(rnnlab.InputError, match=message):
        rnnlab.load(wrong)