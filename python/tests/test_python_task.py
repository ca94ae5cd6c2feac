"""rnnlab.Task: a task written in Python trains through the ensemble code
(threads, checkpoints, resume, output files), its file names it and stores
its own accuracy, and every analysis uses it or refuses."""
import pathlib
import runpy
import subprocess
import tomllib

import numpy as np
import pytest

import rnnlab
from conftest import rnnlab_binary

STEPS = 24


class Decision(rnnlab.Task):
    """A pulse of amplitude c, |c| in [low, 1], on steps 2..6; report sign(c) on the last 6 steps."""

    inputs, outputs = 1, 1

    def __init__(self, low=0.2):
        self.params = {"low": low}
        self.calls = []

    def batch(self, size, seed):
        self.calls.append((size, seed))
        rng = np.random.default_rng(seed)
        c = rng.uniform(self.params["low"], 1.0, size) * rng.choice([-1.0, 1.0], size)
        u = np.zeros((STEPS, size, 1))
        u[2:7, :, 0] = c
        y = np.zeros((STEPS, size, 1))
        y[-6:, :, 0] = np.sign(c)
        m = np.zeros((STEPS, size))
        m[-6:] = 1.0
        return {"inputs": u, "targets": y, "mask": m, "conditions": np.sign(c)[:, None], "condition_names": ["sign"]}

    def accuracy(self, outputs, batch):
        # Stricter than the sign rule data= uses: the mean report within 0.001 of the target.
        report = outputs[-6:, :, 0].mean(axis=0)
        return float((np.abs(report - batch["targets"][-1, :, 0]) < 0.001).mean())


CONFIG = {"model": {"units": 16, "dt": 10.0, "tau": 30.0, "gain": 0.9},
          "train": {"iterations": 120, "batch": 16, "learning_rate": 0.02, "validate_every": 40,
                    "validation_trials": 48, "checkpoint_every": 0, "seed": 7}}


def weights(rec):
    return [getattr(rec.trained, k) for k in ("w_in", "w_rec", "w_out", "b", "b_out", "x0")]


def test_file_names_the_task_and_stores_its_own_accuracy(tmp_path):
    task = Decision(low=0.3)
    (rec,) = rnnlab.train(CONFIG, task=task, progress=False, output=tmp_path / "d.h5")
    exp = rnnlab.load(tmp_path / "d.h5")
    table = tomllib.loads(exp.config)["task"]
    assert table == {"name": "python:Decision", "inputs": 1, "outputs": 1, "low": 0.3}
    stored = exp.networks[0]
    np.testing.assert_array_equal(stored.trained.w_rec, rec.trained.w_rec)
    assert stored.best_iteration in (40, 80, 120)
    # The validation trials are the batch drawn at the validation size; the
    # stored accuracy of the stored (best) weights is the task's own rule on them.
    (val_seed,) = [seed for size, seed in task.calls if size == 48]
    batch = task.batch(48, val_seed)
    outputs = stored.trained.simulate(batch["inputs"]).outputs
    recomputed = task.accuracy(outputs, batch)
    assert stored.best_val_accuracy == pytest.approx(recomputed, abs=1e-12)
    assert 0.0 < recomputed < 1.0  # the strict rule leaves some trials out: a number that could be wrong
    sign_rule = float((np.sign(outputs[-6:, :, 0].mean(axis=0)) == batch["targets"][-1, :, 0]).mean())
    assert sign_rule > recomputed  # not the data= default rule


def test_same_bits_with_one_or_two_threads():
    one = rnnlab.train(CONFIG, task=Decision(), seeds=2, progress=False, threads=1)
    two = rnnlab.train(CONFIG, task=Decision(), seeds=2, progress=False, threads=2)
    assert [r.seed for r in one] == [r.seed for r in two] == [7, 8]
    for a, b in zip(one, two):
        for x, y in zip(weights(a), weights(b)):
            np.testing.assert_array_equal(x, y)
        np.testing.assert_array_equal(a.curves["val_accuracy"], b.curves["val_accuracy"])
    assert not np.array_equal(one[0].trained.w_rec, one[1].trained.w_rec)


def test_resume_from_checkpoints_ends_with_the_uninterrupted_weights(tmp_path):
    config = {**CONFIG, "train": {**CONFIG["train"], "checkpoint_every": 40}}
    whole = rnnlab.train(config, task=Decision(), progress=False, output=tmp_path / "whole.h5", threads=1)

    def stop_at_80(event, seed, iteration, *rest):
        if event == "update" and iteration >= 80:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        rnnlab.train(config, task=Decision(), progress=stop_at_80, output=tmp_path / "cut.h5", threads=1)
    assert (tmp_path / "cut.h5.partial" / "7.h5").exists()
    # Another task's parameters are another config: refused, not mixed in.
    with pytest.raises(rnnlab.InputError, match="config differs"):
        rnnlab.train(config, task=Decision(low=0.5), progress=False, output=tmp_path / "cut.h5", resume=True)
    resumed = rnnlab.train(config, task=Decision(), progress=False, output=tmp_path / "cut.h5", resume=True,
                           threads=1)
    assert not (tmp_path / "cut.h5.partial").exists()
    for x, y in zip(weights(whole[0]), weights(resumed[0])):
        np.testing.assert_array_equal(x, y)
    assert tomllib.loads(rnnlab.load(tmp_path / "cut.h5").config)["task"]["name"] == "python:Decision"


def test_command_line_refuses_a_python_task_file_and_python_analyses_take_the_task(tmp_path):
    rnnlab.train(CONFIG, task=Decision(), progress=False, output=tmp_path / "d.h5")
    for args in (["eval", "d.h5"], ["analyze", "d.h5", "--dynamics"]):
        r = subprocess.run([str(rnnlab_binary()), *args], cwd=tmp_path, capture_output=True, text=True)
        assert r.returncode == 2, r.stderr
        assert 'task.name = "python:Decision" is a task written in Python' in r.stderr
        assert "rnnlab.dynamics(record.trained, task=Decision())" in r.stderr
    exp = rnnlab.load(tmp_path / "d.h5")
    net = exp.networks[0].trained
    with pytest.raises(rnnlab.InputError, match="task written in Python"):
        rnnlab.dynamics(net)  # never the flip-flop or an autonomous run
    with pytest.raises(rnnlab.InputError, match="task written in Python"):
        rnnlab.census(exp)
    with pytest.raises(rnnlab.InputError, match="task written in Python"):
        exp.task()
    dyn = rnnlab.dynamics(net, task=Decision(), trials=8)
    assert dyn.task == "python:Decision" and dyn.condition_names == ["sign"]
    assert sorted(np.unique(dyn.trial_conditions)) == [-1.0, 1.0]
    assert rnnlab.census(exp, task=Decision(), trials=8).groups[0].startswith("python:Decision (dale=false")


class Labels(rnnlab.Task):
    """Two classes from the sign of a pulse, as integer labels (NeuroGym's form) for cross-entropy."""

    name, inputs, outputs = "labels", 1, 2
    seen = []

    def batch(self, size, seed):
        rng = np.random.default_rng(seed)
        c = rng.choice([-1.0, 1.0], size)
        u = np.zeros((10, size, 1))
        u[1:3, :, 0] = c
        return {"inputs": u, "targets": np.tile((c > 0).astype(int), (10, 1))}

    def accuracy(self, outputs, batch):
        self.seen.append(batch["targets"].dtype)
        return float((outputs[-1].argmax(-1) == batch["targets"][-1]).mean())


def test_integer_labels_reach_the_accuracy_as_labels():
    cfg = {"model": {"units": 8}, "train": {"iterations": 20, "validate_every": 10, "validation_trials": 16,
                                            "checkpoint_every": 0, "loss": "cross_entropy"}}
    (rec,) = rnnlab.train(cfg, task=Labels(), progress=False)
    assert rec.trained.outputs == 2 and Labels.seen and all(np.issubdtype(d, np.integer) for d in Labels.seen)
    assert len(rec.curves["val_accuracy"]) == 2


def test_errors_of_the_task_reach_python():
    class Breaks(Decision):
        def batch(self, size, seed):
            if len(self.calls) == 5:
                raise KeyError("no such stimulus")
            return super().batch(size, seed)

    with pytest.raises(KeyError, match="no such stimulus"):
        rnnlab.train(CONFIG, task=Breaks(), progress=False)

    class Overconfident(Decision):
        def accuracy(self, outputs, batch):
            return 2.0

    with pytest.raises(rnnlab.InputError, match=r"Overconfident.accuracy must return a number in \[0, 1\], got 2.0"):
        rnnlab.train(CONFIG, task=Overconfident(), progress=False)

    bad = Decision()
    bad.params = {"low": 0.2, "inputs": 3}
    with pytest.raises(rnnlab.InputError, match="the names name, inputs and outputs"):
        rnnlab.train(CONFIG, task=bad, progress=False)
    with pytest.raises(rnnlab.InputError, match="task= or data=, not both"):
        rnnlab.train(CONFIG, task=Decision(), data=Decision().batch, progress=False)


def test_the_neurogym_style_example_learns(tmp_path):
    example = runpy.run_path(str(pathlib.Path(__file__).parents[2] / "examples" / "python_task.py"))
    records = example["main"](str(tmp_path / "p.h5"))
    assert [r.status for r in records] == ["trained", "trained"]
    assert all(r.best_val_accuracy >= 0.9 for r in records)  # chance is 0.5
    assert tomllib.loads(rnnlab.load(tmp_path / "p.h5").config)["task"]["name"] == "python:PerceptualDecision"
