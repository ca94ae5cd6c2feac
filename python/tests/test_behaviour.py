"""rnnlab.psychometric and rnnlab.timing_curve: closed forms (an integrating
network is the ideal observer of perceptual_dm), the same numbers as
`rnnlab behaviour`, and what is stored in the file (docs/behaviour.md)."""
import json
import subprocess

import h5py
import numpy as np
import pytest

import rnnlab
from rnnlab.behaviour import fit_psychometric

from conftest import random_network, rnnlab_binary


def _integrator():
    """x <- (1 - a) x + a (x + u) = x + a u: the ideal integrator of its input."""
    return rnnlab.Network(w_in=[[1.0]], w_rec=[[1.0]], w_out=[[1.0]], alpha=0.1, dt=10.0, activation="linear")


def test_an_integrating_network_has_the_ideal_observers_slope():
    # perceptual_dm at dt = 10: 50 stimulus steps of noise sd 0.5, so
    # P(+1 | c) = Phi(c sqrt(50) / 0.5): slope sqrt(50) / 0.5 = 14.14, bias 0.
    task = rnnlab.tasks.make("perceptual_dm", dt=10.0, coherence=0.1)
    psy = rnnlab.psychometric(_integrator(), task, trials=4000, seed=3)
    assert psy.condition == "coherence" and psy.task == "perceptual_dm"
    assert psy.slope == pytest.approx(np.sqrt(50) / 0.5, rel=0.12)  # standard error 2.8%
    assert abs(psy.bias) < 0.005
    assert not psy.step and psy.trials == 4000 and psy.counts.sum() == 4000
    assert np.all(np.diff(psy.p_positive) >= 0)  # more evidence, more +1 choices (6 levels)


def test_fit_of_separated_choices_is_a_step():
    bias, slope, step = fit_psychometric([-2, -1, 1, 2], [-1, -1, 1, 1])
    assert step and np.isinf(slope) and slope > 0 and bias == 0.0
    with pytest.raises(ValueError, match="more than one condition value"):
        fit_psychometric([1, 1], [1, -1])


def test_timing_needs_a_timing_task_and_names_bad_input():
    net = random_network(n=6, i=2, o=1, seed=2)
    tim = rnnlab.timing_curve(net, "ready_set_go", trials=16)
    assert tim.sample_ms.shape == (16 - tim.untimed,)
    assert set(tim.sample_ms) <= set(range(400, 810, 10))  # the sample intervals of ready_set_go at dt = 10
    with pytest.raises(ValueError, match="needs a task"):
        rnnlab.psychometric(net)
    with pytest.raises(ValueError, match="known: interval_ms"):
        rnnlab.psychometric(net, "ready_set_go", condition="coherence")


def test_behaviour_equals_the_command_line_and_is_stored(cli_results, tmp_path):
    path = tmp_path / "behaviour.h5"
    path.write_bytes(cli_results.read_bytes())
    r = subprocess.run([str(rnnlab_binary()), "behaviour", str(path), "--psychometric", "--trials", "64", "--seed",
                        "2", "--json"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    exp = rnnlab.load(path)
    for rec, cli_net in zip(exp.networks, out["networks"]):
        mine = rnnlab.psychometric(rec, trials=64, seed=2)
        stored = rnnlab.Psychometric.from_file(rec.analysis["behaviour"]["psychometric"])
        assert cli_net["psychometric"]["p_positive"] == mine.p_positive.tolist() == stored.p_positive.tolist()
        assert stored.condition == mine.condition == cli_net["psychometric"]["condition"]
        assert stored.step == mine.step
    with h5py.File(path) as f:
        assert f["networks"][str(exp.networks[0].seed)]["analysis/behaviour/psychometric"].attrs["trials_drawn"] == 64
