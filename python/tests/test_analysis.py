"""Analyses against the ground truths of docs/ground-truths.md."""
import numpy as np
import pytest

import rnnlab


def one_unit(w):
    return rnnlab.Network(w_in=np.zeros((1, 1)), w_rec=[[w]], w_out=[[1.0]], alpha=1.0)


@pytest.mark.parametrize("w,x,mu", [(1.5, 1.287839, -0.605687), (2.0, 1.915008, -0.833628),
                                    (3.0, 2.984705, -0.969487)])
def test_fixed_points_of_one_tanh_unit(w, x, mu):
    fps = rnnlab.fixed_points(one_unit(w), starts=np.linspace(-4, 4, 9)[None, :])
    assert fps.summary["fixed_points"] == 3 and fps.summary["stable"] == 2 and fps.summary["unstable"] == 1
    stable = sorted(fps.x[i, 0] for i, s in enumerate(fps.stability) if s == "stable")
    np.testing.assert_allclose(stable, [-x, x], atol=1e-6)
    k = fps.stability.index("stable")
    assert fps.continuous_eigenvalues[k, 0].real == pytest.approx(mu, abs=1e-6)
    assert fps.x.shape == (3, 1) and fps.jacobian.shape == (3, 1, 1)


def test_decoupled_units_have_3_to_the_n_fixed_points():
    net = rnnlab.Network(w_in=np.zeros((2, 1)), w_rec=2.0 * np.eye(2), w_out=np.eye(2))
    g = np.linspace(-3, 3, 7)
    starts = np.array([[a, b] for a in g for b in g]).T  # (N, K)
    fps = rnnlab.fixed_points(net, starts=starts)
    assert fps.summary["fixed_points"] == 9 and fps.summary["stable"] == 4 and fps.summary["saddles"] == 4


def test_spectrum_linearise_weight_stats():
    rng = np.random.default_rng(0)
    n = 300
    net = rnnlab.Network(w_in=np.zeros((n, 1)), w_rec=rng.normal(size=(n, n)) / np.sqrt(n), w_out=np.zeros((1, n)),
                         alpha=0.5)
    sp = rnnlab.spectrum(net)
    assert sp.eigenvalues.shape == (n,) and np.iscomplexobj(sp.eigenvalues)
    assert sp.spectral_radius == pytest.approx(1.0, abs=0.1)  # circular law, g = 1
    assert sp.henrici == pytest.approx(0.707, abs=0.03)
    lin = rnnlab.linearise(net, np.zeros(n))
    np.testing.assert_allclose(lin.jacobian, 0.5 * np.eye(n) + 0.5 * net.w_rec, atol=1e-15)
    ws = rnnlab.weight_stats(net)
    assert ws.all.count == n * n
    assert ws.all.sd == pytest.approx(net.w_rec.std(), rel=1e-12)
    diag = rnnlab.Network(w_in=np.zeros((2, 1)), w_rec=np.diag([0.5, -2.0]), w_out=np.zeros((1, 2)))
    np.testing.assert_allclose(rnnlab.spectrum(diag).eigenvalues, [-2.0, 0.5])


def test_fixed_points_from_trajectories_of_a_trained_network(cli_results):
    rec = rnnlab.load(cli_results).networks[0]
    b = rnnlab.load(cli_results).task().batch(16, seed=1)
    states = rec.trained.simulate(b.inputs).states
    fps = rnnlab.fixed_points(rec.trained, trajectories=states, n_starts=64, noise=0.01, seed=2)
    assert fps.summary["starts"] == 64
    assert fps.starts["initial"].shape == (64, rec.trained.units)
    # A trained flip-flop network has at least its stable memories: the finder must find points.
    assert len(fps.x) >= 1 and fps.summary["stable"] >= 1, fps.summary
    q = np.array([0.5 * np.sum((rec.trained.w_rec @ np.tanh(x) + rec.trained.b - x) ** 2) * rec.trained.alpha ** 2
                  for x in fps.x])
    np.testing.assert_allclose(fps.q, q, rtol=1e-6, atol=1e-14)
