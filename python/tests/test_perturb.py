"""rnnlab.perturb and the non-normal structure from Python: the same numbers as
`rnnlab perturb` (and `rnnlab eval` at level 0), and closed forms."""
import json
import shutil
import subprocess

import numpy as np
import pytest

import rnnlab
from rnnlab.perturb import Perturbation, ablate_units, add_weight_noise, continuous_amplification, prune_connections

from conftest import random_network, rnnlab_binary


def _cli(*args):
    r = subprocess.run([str(rnnlab_binary()), *map(str, args)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


@pytest.mark.slow
def test_perturb_equals_the_command_line_and_eval(cli_results, tmp_path):
    path = tmp_path / "perturbed.h5"
    shutil.copy(cli_results, path)
    out = _cli("perturb", path, "--prune", "0,0.5,1", "--by", "random", "--weight-noise", "0,0.3", "--trials", 64,
               "--seed", 3, "--spectrum", "--json")
    evaluated = _cli("eval", path, "--trials", 64, "--seed", 3, "--json")
    exp = rnnlab.load(path)
    assert len(exp.networks) == 2
    for rec, cli_net, ev in zip(exp.networks, out["networks"], evaluated["networks"]):
        assert cli_net["seed"] == rec.seed == ev["seed"]
        curves = rnnlab.perturb(rec, prune=[0, 0.5, 1], by="random", weight_noise=[0, 0.3], trials=64, seed=3,
                                spectrum=True)
        assert sorted(curves) == ["prune_random", "weight_noise"]
        for cli_curve in cli_net["perturbations"]:
            mine = curves[cli_curve["group"]]
            stored = Perturbation.from_file(rec.analysis["perturbation"][cli_curve["group"]], cli_curve["group"])
            for name in ("levels", "accuracy", "loss", "removed", "spectral_radius_w_rec"):
                np.testing.assert_array_equal(getattr(mine, name), cli_curve[name])
                np.testing.assert_array_equal(getattr(stored, name), cli_curve[name])
            # Level 0 is eval's accuracy and loss, exactly.
            assert mine.accuracy[0] == ev["accuracy"]
            assert mine.loss[0] == ev["loss"]
        prune = curves["prune_random"]
        assert prune.candidates == np.count_nonzero(rec.trained.w_rec)
        assert prune.removed[-1] == prune.candidates
        assert prune.spectral_radius_w_rec[-1] == 0.0
        # No recurrence: the step map is (1 - a) I.
        assert prune.spectral_radius_step_map[-1] == pytest.approx(1 - rec.trained.alpha, abs=1e-14)


def test_damaged_copies():
    net = random_network(n=8, seed=2)
    assert np.count_nonzero(prune_connections(net, 1.0).w_rec) == 0
    half = prune_connections(net, 0.5, by="magnitude")
    kept = np.abs(net.w_rec[half.w_rec != 0])
    removed = np.abs(net.w_rec[half.w_rec == 0])
    assert len(removed) == 32 and removed.max() < kept.min()
    np.testing.assert_array_equal(add_weight_noise(net, 0.0).w_rec, net.w_rec)
    noisy = add_weight_noise(net, 0.5, seed=4)
    assert not np.array_equal(noisy.w_rec, net.w_rec)
    np.testing.assert_array_equal(noisy.w_in, net.w_in)
    damaged, units = ablate_units(net, 0.25, seed=1)
    assert len(units) == 2
    for u in units:
        assert not damaged.w_rec[u].any() and not damaged.w_rec[:, u].any()
        assert not damaged.w_out[:, u].any() and not damaged.w_in[u].any()


def test_bad_input_names_the_problem():
    net = random_network(n=6, i=3, o=3, seed=1)
    with pytest.raises(ValueError, match="Dale"):
        prune_connections(net, 0.5, by="excitatory")
    with pytest.raises(ValueError, match="by= sized"):
        prune_connections(net, 0.5, by="sized")
    with pytest.raises(ValueError, match="needs a task"):
        rnnlab.perturb(net, prune=[0, 1])
    with pytest.raises(ValueError, match="outside"):
        rnnlab.perturb(net, "flipflop", prune=[0, 2])
    with pytest.raises(ValueError, match="nothing to do"):
        rnnlab.perturb(net, "flipflop")
    curves = rnnlab.perturb(net, "flipflop", ablate_units=[0, 1], trials=8)
    assert list(curves) == ["ablate_units_any"]
    assert curves["ablate_units_any"].removed.tolist() == [0, 6]


def test_jordan_closed_forms():
    w = 4.0
    a = np.array([[-1.0, w], [0.0, -1.0]])
    s = rnnlab.schur_structure(a)
    assert s.henrici == pytest.approx(w / np.sqrt(2 + w * w), abs=1e-12)
    assert s.relative_upper == pytest.approx(w / np.sqrt(2), abs=1e-12)
    np.testing.assert_allclose(s.q @ s.t @ s.q.T, a, atol=1e-12)
    # ||exp(tA)||_2 = e^-t (w t + sqrt(w^2 t^2 + 4)) / 2.
    c = continuous_amplification(a, 5.0, 100)
    truth = np.exp(-c.t) * (w * c.t + np.sqrt(w * w * c.t ** 2 + 4)) / 2
    np.testing.assert_allclose(c.norm, truth, rtol=1e-10)
    assert c.max_norm == pytest.approx(truth.max(), rel=1e-10) and c.max_norm > 1.4
    # The same matrix as the continuous part of a step map, (J - I)/a = A.
    alpha = 0.2
    j = np.eye(2) + alpha * a
    t = rnnlab.transient_amplification(j, alpha, t_max_tau=5.0, points=100)
    np.testing.assert_allclose(t.per_tau.norm, truth, rtol=1e-10)
    assert len(t.per_step.t) == 26  # 5 tau = 25 steps


def test_pseudospectrum_grid_orientation():
    # A rotation generator is normal with eigenvalues +-i: sigma_min = distance to them.
    a = np.array([[0.0, -1.0], [1.0, 0.0]])
    re = np.array([-1.0, 0.0, 1.0, 2.0])
    im = np.array([0.0, 1.0])
    p = rnnlab.pseudospectrum(a, re, im)
    assert p.sigma_min.shape == (2, 4)
    z = re[None, :] + 1j * im[:, None]
    truth = np.minimum(np.abs(z - 1j), np.abs(z + 1j))
    np.testing.assert_allclose(p.sigma_min, truth, atol=1e-12)
    auto = rnnlab.pseudospectrum(a, points=9)
    assert auto.sigma_min.shape == (9, 9)
    np.testing.assert_array_equal(rnnlab.pseudospectrum(a, points=9, threads=1).sigma_min, auto.sigma_min)
    with pytest.raises(ValueError, match="square"):
        rnnlab.pseudospectrum(np.zeros((2, 3)))


def test_kick_level_zero_is_eval_and_a_kick_is_kept_by_an_integrator():
    # x <- x + a u integrates: a kick stays in the state, so a kick of 100 at
    # 750 ms (inside the decision period) sets every choice to the kick's sign.
    net = rnnlab.Network(w_in=[[1.0]], w_rec=[[1.0]], w_out=[[1.0]], alpha=0.1, dt=10.0, activation="linear")
    task = rnnlab.tasks.make("perceptual_dm", dt=10.0, noise=0.0)
    curves = rnnlab.perturb(net, task, kick=[0, 0.01, 100], kick_at=750, trials=64, seed=4)
    kick = curves["kick"]
    assert kick.kind == "kick" and kick.method == "random_direction"
    assert kick.kick_step == 75 and kick.kick_ms == 750.0
    assert kick.accuracy[0] == kick.accuracy[1] == 1.0
    assert 0.2 < kick.accuracy[2] < 0.8
    with pytest.raises(ValueError, match="kick_at= sets when"):
        rnnlab.perturb(net, task, prune=[0], kick_at=10)
    with pytest.raises(ValueError, match="--kick-at"):
        rnnlab.perturb(net, task, kick=[1], kick_at=1e6)
