"""rnnlab.dynamics and rnnlab.census against what `rnnlab analyze --dynamics`
wrote into a real results file, against NumPy, and on networks whose
solutions are known by construction."""
import numpy as np
import pytest

import rnnlab


@pytest.fixture(scope="module")
def exp(cli_dynamics):
    return rnnlab.load(cli_dynamics)


@pytest.fixture(scope="module")
def computed(exp):
    """rnnlab.dynamics of every network of the file, with the command line's defaults."""
    return [rnnlab.dynamics(rec.trained, network_seed=rec.seed) for rec in exp.networks]


def test_load_exposes_the_stored_dynamics_and_census(exp, cli_results):
    assert "census" in exp.analysis and "analysis: census" in repr(exp)
    cen = exp.census
    assert isinstance(cen, rnnlab.Census)
    assert list(cen.seeds) == [3, 4]
    assert cen.attractor_counts.shape == (1, 5) and cen.jarne_counts.shape == (1, 3)
    assert cen.attractor_counts.sum() == 2 and cen.jarne_counts.sum() == 2
    assert cen.groups == ["flipflop (dale=false, connectivity=1, sigma_rec=0, activation=tanh)"]
    assert cen.similarity.cca.shape == (2, 2) and cen.similarity.cca[0, 0] == 1.0
    dyn = exp.networks[0].dynamics
    assert isinstance(dyn, rnnlab.Dynamics) and dyn.network_seed == 3
    assert dyn.condition and len(dyn.conditions) == 2  # the last flip-flop bit: -1 / +1
    assert dyn.conditions[0].mean_states.shape == (40, 24)
    assert dyn.pca.components.shape == (24, 3)
    assert exp.networks[0].fixed_points is None  # only the spectrum and dynamics were run
    # a file without them
    plain = rnnlab.load(cli_results)
    assert plain.census is None and plain.networks[0].dynamics is None


def test_dynamics_equals_the_command_line(exp, computed):
    for rec, d in zip(exp.networks, computed):
        stored = rec.dynamics
        assert d.task == stored.task == "flipflop"
        assert (d.attractor, d.condition, d.delay_window) == (stored.attractor, stored.condition,
                                                               stored.delay_window)
        assert d.jarne.label == stored.jarne.label and d.jarne.condition_labels == stored.jarne.condition_labels
        np.testing.assert_allclose(d.signature.features, stored.signature.features, rtol=1e-9, atol=1e-12)
        assert d.signature.feature_names == stored.signature.feature_names
        np.testing.assert_allclose(d.pca.variances, stored.pca.variances, rtol=1e-9, atol=1e-14)
        np.testing.assert_allclose(d.pca.components, stored.pca.components, atol=1e-9)
        assert d.participation_ratio == pytest.approx(stored.participation_ratio, rel=1e-10)
        np.testing.assert_allclose(d.fixed_points["x"], stored.fixed_points["x"], atol=1e-9)
        assert d.fixed_points["stability"] == stored.fixed_points["stability"]
        for c, s in zip(d.conditions, stored.conditions):
            assert (c.value, c.trials, c.attractor.type) == (s.value, s.trials, s.attractor.type)
            np.testing.assert_allclose(c.mean_states, s.mean_states, atol=1e-12)
            np.testing.assert_allclose(c.lyapunov_per_tau, s.lyapunov_per_tau, rtol=1e-9, atol=1e-12)
            np.testing.assert_allclose(c.attractor.window, s.attractor.window, atol=1e-12)


def test_dynamics_parts_agree_with_numpy_and_the_other_bindings(exp, computed):
    rec, d = exp.networks[0], computed[0]
    net = rec.trained
    t, b, n = d.states.shape
    assert (t, b, n) == (40, 32, 24)
    # the trials are the task's; the states are the noiseless run on them
    x = d.states.reshape(-1, n)
    var = np.linalg.eigvalsh(np.cov(x.T))
    assert d.participation_ratio == pytest.approx(var.sum() ** 2 / (var ** 2).sum(), rel=1e-9)
    col = d.condition_names.index(d.condition)
    for c in d.conditions:
        members = np.flatnonzero(d.trial_conditions[:, col] == c.value)
        np.testing.assert_array_equal(c.trial_indices, members)
        np.testing.assert_allclose(c.mean_states, d.states[:, members].mean(axis=1), atol=1e-12)
        # the autonomous run starts at the end of the group's first trial; the
        # exponents are measured after the attractor's transient (2000 steps),
        # along the same settled run
        x = d.states[-1, members[0]].copy()
        for _ in range(2000):
            x = (1 - net.alpha) * x + net.alpha * (net.w_rec @ np.tanh(x) + net.b)
        ly = rnnlab.lyapunov(net, x0=x, exponents=10)
        np.testing.assert_allclose(c.lyapunov_per_tau, ly.per_tau, rtol=1e-6)
        np.testing.assert_allclose(c.mean_states_pcs, d.pca.project(c.mean_states, 3), atol=1e-10)
    # spectral features of the step map at the origin, J0 = (1 - a) I + a W_rec (tanh'(0) = 1);
    # W_rec's raw spectrum beside them
    j0 = np.linalg.eigvals((1 - net.alpha) * np.eye(n) + net.alpha * net.w_rec)
    lead = j0[np.argmax(np.abs(j0))]
    assert d.signature.leading_modulus == pytest.approx(abs(lead), rel=1e-12)
    mu = (lead - 1) / net.alpha
    assert d.signature.leading_oscillation == pytest.approx(abs(mu.imag) / abs(mu), rel=1e-9, abs=1e-12)
    assert d.signature.outside_unit_circle == int(np.sum(np.abs(j0) > 1))
    sp = rnnlab.spectrum(net)
    assert d.signature.w_rec_leading_modulus == pytest.approx(abs(sp.eigenvalues[0]), rel=1e-12)
    assert d.signature.w_rec_outside_unit_circle == sp.outside_unit_circle
    assert d.leading_lyapunov_per_tau == max(c.lyapunov_per_tau[0] for c in d.conditions)
    # the task given as an object (here the config's own) is the same task
    again = rnnlab.dynamics(net, exp.task(), network_seed=rec.seed)
    np.testing.assert_array_equal(again.signature.features, d.signature.features)
    assert again.group == d.group


def test_census_equals_the_stored_one(exp, computed):
    stored = exp.census
    for cen in (rnnlab.census(exp), rnnlab.census(computed), rnnlab.census(exp.networks)):
        assert list(cen.seeds) == list(stored.seeds)
        assert cen.groups == stored.groups
        np.testing.assert_array_equal(cen.attractor_counts, stored.attractor_counts)
        np.testing.assert_array_equal(cen.jarne_counts, stored.jarne_counts)
        np.testing.assert_array_equal(cen.families.label, stored.families.label)
        np.testing.assert_allclose(cen.families.features, stored.families.features, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(cen.similarity.cca, stored.similarity.cca, atol=1e-9)
        np.testing.assert_allclose(cen.similarity.procrustes, stored.similarity.procrustes, atol=1e-9)
        np.testing.assert_allclose(cen.spectral_dynamics.correlation, stored.spectral_dynamics.correlation,
                                   atol=1e-9)
        assert cen.table == stored.table


def _top_pcs(states, k):
    x = states.reshape(-1, states.shape[-1])
    x = x - x.mean(axis=0)
    _, _, vt = np.linalg.svd(x, full_matrices=False)
    return x @ vt[:k].T  # M x k


def test_similarity_against_numpy(computed):
    a, b = (_top_pcs(d.states, 3) for d in computed)
    qa, qb = np.linalg.qr(a)[0], np.linalg.qr(b)[0]
    cca = np.linalg.svd(qa.T @ qb, compute_uv=False).mean()
    a, b = a / np.linalg.norm(a), b / np.linalg.norm(b)
    procrustes = np.sqrt(2 - 2 * np.linalg.svd(a.T @ b, compute_uv=False).sum())
    cen = rnnlab.census(computed)
    assert cen.similarity.cca[0, 1] == pytest.approx(cca, abs=1e-9)
    assert cen.similarity.procrustes[0, 1] == pytest.approx(procrustes, abs=1e-9)
    # a network compared with itself: the same trajectories
    same = rnnlab.census([computed[0], computed[0]], seeds=[1, 2])
    assert same.similarity.cca[0, 1] == pytest.approx(1.0, abs=1e-9)
    assert same.similarity.procrustes[0, 1] == pytest.approx(0.0, abs=1e-6)


def diagonal_network(w):
    """Decoupled tanh units with self-weight w (N = 3, flip-flop inputs): w > 1
    stores 2^3 = 8 stable states, w < 1 only the origin."""
    n = 3
    return rnnlab.Network(w_in=np.eye(n), w_rec=w * np.eye(n), w_out=np.eye(n), alpha=0.2, dt=10.0)


def test_census_finds_the_two_families_built_in():
    # Identical networks within a family: their signatures agree exactly, so the
    # clustering has one right answer (z-scores would blow up any small difference).
    nets = [diagonal_network(w) for w in [0.5, 2.0, 0.5, 2.0, 0.5, 2.0]]
    options = dict(trials=16, lyapunov_transient=100, lyapunov_steps=300, attractor_transient=300,
                   attractor_window=200, fixed_point_starts=64)
    cen = rnnlab.census(nets, "flipflop", seeds=[10, 11, 12, 13, 14, 15], **options)
    stable = cen.families.features[:, cen.families.feature_names.index("stable_points")]
    np.testing.assert_array_equal(stable, [1, 8, 1, 8, 1, 8])
    assert cen.families.k == 2 and list(cen.families.label) == [0, 1, 0, 1, 0, 1]
    # families by their keys: one stable point (the origin), or the 8 corners of the cube
    assert cen.families.keys[0] == "fixed_point; 1 stable, 0 saddles; scaffold none"
    assert "fixed_point; 8 stable" in cen.families.keys[1]
    # each saddle found sits between two stable corners: its unstable manifold reaches both
    assert "saddle -> {fixed_point, fixed_point}" in cen.families.keys[1]
    assert cen.family_members() == {0: [10, 12, 14], 1: [11, 13, 15]}
    assert list(cen.families.representative_seeds) == [10, 11]  # ties: the first member
    assert cen.attractor_counts.sum() == 6 and cen.groups == ["flipflop (imported)"]
    assert cen.network_attractor == ["fixed_point"] * 6
    # the same trajectories up to scale within a family
    assert cen.similarity.procrustes[0, 2] == pytest.approx(0.0, abs=1e-6)
    # every network is a fixed point (a constant class): its correlation is NaN
    # and its class mean the mean leading modulus of J0 = 0.8 + 0.2 w: (0.9 + 1.2) / 2
    sd = cen.spectral_dynamics
    k = sd.classes.index("fixed_point")
    assert np.isnan(sd.correlation[0, k])
    assert sd.class_mean[0, k] == pytest.approx(1.05)
    assert np.isnan(sd.class_mean[0, sd.classes.index("chaos")])


def test_census_arguments_are_checked(computed):
    with pytest.raises(rnnlab.InputError, match="at least one network"):
        rnnlab.census([])
    with pytest.raises(rnnlab.InputError, match=r"seeds has 1 entries for 2 networks"):
        rnnlab.census(computed, seeds=[1])
    with pytest.raises(rnnlab.InputError, match="got a str"):
        rnnlab.census(["net"])
    short = rnnlab.dynamics(diagonal_network(0.5), "flipflop", trials=4, lyapunov_steps=50,
                            attractor_window=50, attractor_transient=50)
    with pytest.raises(rnnlab.InputError, match="ran on different trials"):
        rnnlab.census([computed[0], short])
