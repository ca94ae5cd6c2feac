"""Lyapunov exponents, PCA and attractors against independent computations
(docs/ground-truths.md, docs/dynamics.md)."""
import numpy as np
import pytest

import rnnlab


def linear(w_rec, alpha=1.0, inputs=1):
    n = len(w_rec)
    return rnnlab.Network(w_in=np.zeros((n, inputs)), w_rec=w_rec, w_out=np.eye(n), alpha=alpha, dt=10.0,
                          activation="linear")


def test_lyapunov_of_a_diagonal_linear_network_is_log_of_its_step_eigenvalues():
    w = np.array([0.5, -0.3, 0.9, -1.5])
    a = 0.2
    ly = rnnlab.lyapunov(linear(np.diag(w), alpha=a), x0=np.ones(4), exponents=0)
    expected = np.sort(np.log(np.abs(1 - a + a * w)))[::-1]  # J = (1 - a) I + a W, constant
    np.testing.assert_allclose(ly.per_step, expected, atol=1e-9)
    np.testing.assert_allclose(ly.per_tau, expected / a, atol=1e-8)
    assert ly.leading == pytest.approx(np.log(0.98) / a, abs=1e-8)
    assert ly.per_step.shape == (4,) and np.isnan(ly.mean_log_det_per_step)


def test_lyapunov_of_a_contracting_random_linear_network_matches_its_eigenvalues():
    # g < 1: ln|1 + a mu| / a for the eigenvalues mu of -I + W (docs/ground-truths.md); complex
    # pairs share a modulus, so they give one exponent twice.
    rng = np.random.default_rng(4)
    n, a = 6, 0.5
    w = 0.6 * rng.normal(size=(n, n)) / np.sqrt(n)
    mu = np.linalg.eigvals(-np.eye(n) + w)
    expected = np.sort(np.log(np.abs(1 + a * mu)) / a)[::-1]
    ly = rnnlab.lyapunov(linear(w, alpha=a), x0=np.ones(n), exponents=0, transient=200, steps=20000)
    np.testing.assert_allclose(ly.per_tau, expected, atol=2e-3)


def test_lyapunov_sum_is_the_mean_log_det_of_the_jacobian_along_the_run():
    rng = np.random.default_rng(1)
    n, a, transient, steps = 8, 0.3, 20, 200
    w = 1.8 * rng.normal(size=(n, n)) / np.sqrt(n)
    b = 0.1 * rng.normal(size=n)
    net = rnnlab.Network(w_in=np.zeros((n, 1)), w_rec=w, w_out=np.eye(n), b=b, alpha=a, activation="tanh")
    x0 = rng.normal(size=n)
    ly = rnnlab.lyapunov(net, x0=x0, exponents=0, transient=transient, steps=steps, log_det=True)
    # The same run in NumPy: J(x) = (1 - a) I + a W diag(1 - tanh(x)^2) before each step.
    x, logdet = x0.copy(), []
    for t in range(transient + steps):
        j = (1 - a) * np.eye(n) + a * w * (1 - np.tanh(x) ** 2)[None, :]
        if t >= transient:
            logdet.append(np.log(abs(np.linalg.det(j))))
        x = (1 - a) * x + a * (w @ np.tanh(x) + b)
    np.testing.assert_allclose(ly.final_state, x, atol=1e-12)
    assert ly.mean_log_det_per_step == pytest.approx(np.mean(logdet), abs=1e-10)
    assert ly.per_step.sum() == pytest.approx(np.mean(logdet), abs=1e-9)
    # k < N: the k leading ones only, and the same leading exponent
    assert rnnlab.lyapunov(net, x0=x0, exponents=3, transient=transient, steps=steps).per_step.shape == (3,)


def test_pca_against_numpy_svd():
    rng = np.random.default_rng(2)
    t, b, n = 30, 5, 6
    states = rng.normal(size=(t, b, n)) * np.array([5.0, 3.0, 2.0, 1.0, 0.5, 0.1]) + 7.0
    p = rnnlab.pca(states)
    x = states.reshape(-1, n)
    centred = x - x.mean(axis=0)
    _, s, vt = np.linalg.svd(centred, full_matrices=False)
    var = s ** 2 / (len(x) - 1)  # sample covariance
    np.testing.assert_allclose(p.mean, x.mean(axis=0), atol=1e-12)
    np.testing.assert_allclose(p.variances, var, rtol=1e-10)
    np.testing.assert_allclose(p.explained_ratio, var / var.sum(), rtol=1e-10)
    assert p.participation_ratio == pytest.approx(var.sum() ** 2 / (var ** 2).sum(), rel=1e-10)
    for i in range(n):  # the same axes up to sign; the sign makes the largest entry positive
        v = p.components[:, i]
        assert abs(v @ vt[i]) == pytest.approx(1.0, abs=1e-8)
        assert v[np.argmax(np.abs(v))] > 0
    np.testing.assert_allclose(p.project(states, 2), (states - p.mean) @ p.components[:, :2], atol=1e-12)
    # (M, N) rows give the same, and k= keeps the first k axes only
    q = rnnlab.pca(x, k=3)
    assert q.components.shape == (n, 3) and q.variances.shape == (n,)
    np.testing.assert_allclose(q.components, p.components[:, :3])


def test_participation_ratio_ground_truths():
    assert rnnlab.participation_ratio(np.ones(5)) == pytest.approx(5.0)
    r = 0.7
    assert rnnlab.participation_ratio(r ** np.arange(400)) == pytest.approx((1 + r) / (1 - r), rel=1e-9)
    assert rnnlab.participation_ratio(np.zeros(3)) == 0.0


def test_pca_of_a_network_runs_it_on_the_inputs():
    from conftest import random_network

    net = random_network()
    u = np.random.default_rng(0).normal(size=(20, 3, 2))
    np.testing.assert_allclose(rnnlab.pca(net, u).variances, rnnlab.pca(net.simulate(u).states).variances)
    with pytest.raises(rnnlab.InputError, match=r"needs inputs"):
        rnnlab.pca(net)


def test_attractor_of_a_rotation_is_a_limit_cycle_with_its_period():
    theta = 2 * np.pi / 25
    rot = np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])
    net = linear(rot)
    att = rnnlab.attractor(net, x0=[0.8, 0.0], transient=100, window=500)
    assert att.type == "limit_cycle"
    assert att.period_steps == pytest.approx(25.0, abs=0.05)
    assert att.period_ms == pytest.approx(250.0, abs=0.5)
    # the recorded window is the run itself: x_t = R^t x0 after the transient
    x = np.array([0.8, 0.0])
    run = []
    for t in range(600):
        x = rot @ x
        run.append(x)
    run = np.array(run[100:])
    np.testing.assert_allclose(att.window, run, atol=1e-12)
    assert att.amplitude == pytest.approx(((run.max(0) - run.min(0)) / 2).max(), rel=1e-12)
    assert att.amplitude == pytest.approx(0.8, abs=0.8 * (1 - np.cos(np.pi / 25)))  # the radius, sampled
    assert abs(att.leading_exponent) < 1e-6                # a rotation neither grows nor shrinks


def test_attractor_of_a_contraction_is_the_fixed_point_given():
    net = linear(0.5 * np.eye(3))
    att = rnnlab.attractor(net, x0=[1.0, -2.0, 0.5], fixed_points=np.array([[1.0, 1, 1], [0.0, 0, 0]]),
                           transient=200, window=100)
    assert att.type == "fixed_point" and att.fixed_point == 1
    assert att.fixed_point_distance < 1e-12 and att.extent < 1e-12


def test_attractor_of_a_strongly_coupled_random_network_is_chaos():
    rng = np.random.default_rng(0)
    n = 100
    net = rnnlab.Network(w_in=np.zeros((n, 1)), w_rec=3.0 * rng.normal(size=(n, n)) / np.sqrt(n),
                         w_out=np.zeros((1, n)), alpha=1.0)  # g = 3: chaotic (Sompolinsky et al. 1988)
    x0 = rng.normal(size=n)
    ly = rnnlab.lyapunov(net, x0=x0, exponents=3, transient=200, steps=1000)
    assert ly.leading > 0.1
    att = rnnlab.attractor(net, x0=x0, leading_exponent=ly.leading, transient=200, window=400)
    assert att.type == "chaos"


def test_dynamics_arguments_are_checked():
    net = linear(0.5 * np.eye(3), inputs=2)
    with pytest.raises(rnnlab.InputError, match=r"x0 must have shape \(N=3,\), got \(2,\)"):
        rnnlab.lyapunov(net, x0=[1.0, 2.0])
    with pytest.raises(rnnlab.InputError, match=r"u must have shape \(I=2,\)"):
        rnnlab.lyapunov(net, x0=np.ones(3), u=[1.0])
    with pytest.raises(rnnlab.InputError, match=r"steps = 0 is out of range: must be >= 1"):
        rnnlab.lyapunov(net, x0=np.ones(3), steps=0)
    with pytest.raises(rnnlab.InputError, match=r"fixed_points must have shape \(P, N=3\)"):
        rnnlab.attractor(net, x0=np.ones(3), fixed_points=np.zeros((2, 2)), leading_exponent=0.0)
    with pytest.raises(rnnlab.InputError, match=r"unknown attractor option 'windw'.*window"):
        rnnlab.attractor(net, x0=np.ones(3), leading_exponent=0.0, windw=10)
    with pytest.raises(rnnlab.InputError, match=r"states must have shape \(T, B, N\) or \(M, N\)"):
        rnnlab.pca(np.zeros(5))
    with pytest.raises(rnnlab.InputError, match=r"dtype complex"):
        rnnlab.pca(np.zeros((4, 3), dtype=complex))
    with pytest.raises(rnnlab.InputError, match=r"unknown dynamics option 'lyapunov_step'"):
        rnnlab.dynamics(net, "flipflop", lyapunov_step=10)
    with pytest.raises(rnnlab.InputError, match=r"task flipflop has 3 inputs but the network takes 2"):
        rnnlab.dynamics(net, "flipflop")


def test_a_period_two_flip_is_a_limit_cycle_of_period_two():
    # x -> -2 tanh(x) at alpha = 1: the orbit flips between +-x*, x* = 2 tanh x*;
    # an autocorrelation peak would read it as quasi-periodic, recurrence as period 2.
    net = rnnlab.Network(w_in=np.zeros((1, 1)), w_rec=[[-2.0]], w_out=np.eye(1), alpha=1.0)
    att = rnnlab.attractor(net, x0=[0.3])
    assert att.type == "limit_cycle" and att.period_steps == 2.0 and att.returns >= 2
    xs = 2.0
    for _ in range(200):
        xs = 2 * np.tanh(xs)
    assert np.abs(att.window[:, 0]) == pytest.approx(np.full(len(att.window), xs), abs=1e-9)
    assert att.leading_exponent < -0.5  # the orbit attracts: ln(2 sech^2 x*) per step


def test_attractors_of_a_bistable_unit_and_their_basins():
    # w = 2: x = 2 tanh x has stable roots +-x*; starts below 0 go to -x*, above to +x*.
    net = rnnlab.Network(w_in=np.zeros((1, 1)), w_rec=[[2.0]], w_out=np.eye(1), alpha=0.1)
    starts = np.array([[-3.0], [-1.0], [-0.2], [0.1], [0.5], [2.0], [4.0], [1.0]])
    found = rnnlab.attractors(net, starts)
    assert found.description == "2 fixed_point"
    assert [a.type for a in found.attractors] == ["fixed_point"] * 2
    ends = np.array([a.x[0] for a in found.attractors])
    assert np.sign(ends).tolist() == [-1.0, 1.0]  # in order of their first start
    assert [a.starts for a in found.attractors] == [3, 5]
    assert [a.basin for a in found.attractors] == pytest.approx([3 / 8, 5 / 8])
    assert found.start_attractor.tolist() == [0, 0, 0, 1, 1, 1, 1, 1]


def test_chaos_needs_a_stable_positive_exponent_measured_after_the_transient():
    rng = np.random.default_rng(0)
    n = 100
    net = rnnlab.Network(w_in=np.zeros((n, 1)), w_rec=3.0 * rng.normal(size=(n, n)) / np.sqrt(n),
                         w_out=np.zeros((1, n)), alpha=1.0)
    att = rnnlab.attractor(net, x0=rng.normal(size=n), transient=200, window=400, lyapunov_steps=1000)
    assert att.type == "chaos"
    assert att.leading_exponent_first > 0.1 and att.leading_exponent_second > 0.1
    # chaos_agreement = 0 asks the two halves to agree exactly, which they never do: not chaos
    strict = rnnlab.attractor(net, x0=rng.normal(size=n), transient=200, window=400, lyapunov_steps=1000,
                              chaos_agreement=0.0)
    assert strict.type != "chaos"


def test_dynamics_without_a_task_runs_the_network_left_alone():
    # A network with no training config (an import without --task): the trials are
    # autonomous runs from a box of starts, and the attractors are found at zero input.
    flip = rnnlab.Network(w_in=np.zeros((1, 1)), w_rec=[[-2.0]], w_out=np.eye(1), alpha=1.0)
    d = rnnlab.dynamics(flip, trials=4, fixed_point_starts=16)
    assert d.task == "autonomous"
    assert d.attractors.description == "limit_cycle (period 2)"
    assert d.attractor == "limit_cycle"
    assert [c.name for c in d.inputs] == ["zero"]
    assert d.signature.scaffold == "unstable -> {limit_cycle (period 2)}"
    # The stored trials are those runs: 40 steps (20 tau at alpha = 1, at least 40),
    # each flipping sign every step once settled, between +-x*, x* = 2 tanh x*.
    assert d.states.shape == (40, 4, 1)
    np.testing.assert_allclose(d.states[-1], -d.states[-2], atol=1e-9)
    bistable = rnnlab.Network(w_in=np.zeros((1, 1)), w_rec=[[2.0]], w_out=np.eye(1), alpha=0.1)
    b = rnnlab.dynamics(bistable, trials=4, fixed_point_starts=16)
    assert b.attractors.description == "2 fixed_point"
    assert b.signature.stable_points == 2


def test_context_dm_is_analysed_at_zero_input_and_at_each_cue():
    rng = np.random.default_rng(2)
    n = 8
    net = rnnlab.Network(w_in=rng.normal(size=(n, 4)), w_rec=0.5 * rng.normal(size=(n, n)) / np.sqrt(n),
                         w_out=rng.normal(size=(1, n)), alpha=0.1, dt=10.0)
    d = rnnlab.dynamics(net, "context_dm", trials=4, fixed_point_starts=16)
    assert [c.name for c in d.inputs] == ["zero", "context=0", "context=1"]
    np.testing.assert_array_equal(np.array([c.input for c in d.inputs]),
                                  [[0, 0, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]])
    # g = 0.5: one stable point at each input, and it is where a long run at that input ends.
    for c in d.inputs:
        assert [a.type for a in c.attractors.attractors] == ["fixed_point"] and c.stable == 1
        x = np.zeros(n)
        for _ in range(3000):
            x = 0.9 * x + 0.1 * (net.w_rec @ np.tanh(x) + net.w_in @ c.input)
        np.testing.assert_allclose(c.attractors.attractors[0].x, x, atol=1e-6)
    assert d.signature.key.count(" | context=") == 2

