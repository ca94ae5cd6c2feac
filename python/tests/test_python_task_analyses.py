"""perturb, psychometric, timing_curve and evaluate on a task written in
Python (an rnnlab.Task), given as the object, also for a network whose file
records [task] name = "python:<Name>"; and evaluate's loss is the network's own
(cross-entropy for a cross_entropy network), checked by hand."""
import numpy as np
import pytest

import rnnlab

STEPS = 10


class SignMemory(rnnlab.Task):
    """A pulse of amplitude c, one of +-0.5, +-0.75, +-1, on steps 0..1; report sign(c) on the last 3 steps."""

    inputs, outputs = 1, 1

    def __init__(self, conditions=True):
        self.params = {}
        self.with_conditions = conditions
        self.last = {}  # size -> the last batch of that size, as given

    def batch(self, size, seed):
        rng = np.random.default_rng(seed)
        c = rng.choice([-1.0, -0.75, -0.5, 0.5, 0.75, 1.0], size)
        u = np.zeros((STEPS, size, 1))
        u[0:2, :, 0] = c
        y = np.zeros((STEPS, size, 1))
        y[-3:, :, 0] = np.sign(c)
        m = np.zeros((STEPS, size))
        m[-3:] = 1.0
        d = {"inputs": u, "targets": y, "mask": m}
        if self.with_conditions:
            d.update(conditions=c[:, None], condition_names=["coherence"])
        self.last[size] = d
        return d

    def accuracy(self, outputs, batch):
        report = outputs[-3:, :, 0].mean(axis=0)
        return float((np.sign(report) == batch["targets"][-1, :, 0]).mean())


def memory_network():
    """One linear unit with a self-loop of 1 (alpha 1): it holds the pulse's sum,
    2c, and reads it out plus a small bias; without the loop it holds nothing and
    reports the bias's sign (+1) on every trial."""
    return rnnlab.Network(w_in=[[1.0]], w_rec=[[1.0]], w_out=[[1.0]], b_out=[1e-3], alpha=1.0, dt=10.0,
                          activation="linear")


def test_perturb_level_zero_is_the_tasks_own_accuracy_and_pruning_everything_is_chance():
    task = SignMemory()
    net = memory_network()
    curves = rnnlab.perturb(net, task=task, prune=[0.0, 1.0], trials=200, seed=4)
    curve = curves["prune_magnitude"]
    batch = task.last[200]  # the trials the curve ran on
    own = task.accuracy(net.simulate(batch["inputs"]).outputs, batch)
    assert own == 1.0
    assert curve.accuracy[0] == own
    # Pruned, the output is the bias (+1e-3) on every trial: right exactly on the +1 trials.
    positive = float((batch["targets"][-1, :, 0] > 0).mean())
    assert 0.3 < positive < 0.7
    assert curve.accuracy[1] == pytest.approx(positive, abs=1e-12)
    assert curve.removed[1] == 1


def test_a_file_with_a_python_task_is_perturbed_with_the_task_object(tmp_path):
    config = {"model": {"units": 8, "dt": 10.0, "tau": 20.0},
              "train": {"iterations": 20, "batch": 8, "validate_every": 10, "validation_trials": 16,
                        "checkpoint_every": 0, "seed": 2}}
    rnnlab.train(config, task=SignMemory(), progress=False, output=tmp_path / "m.h5")
    rec = rnnlab.load(tmp_path / "m.h5").networks[0]
    with pytest.raises(rnnlab.InputError, match="python:SignMemory"):
        rnnlab.perturb(rec, prune=[0.0])  # the file's task is Python: only the object makes its trials
    task = SignMemory()
    curve = rnnlab.perturb(rec, task=task, prune=[0.0], trials=64)["prune_magnitude"]
    batch = task.last[64]
    assert curve.accuracy[0] == task.accuracy(rec.trained.simulate(batch["inputs"]).outputs, batch)
    assert rnnlab.evaluate(rec, task=SignMemory(), trials=64)["accuracy"] == curve.accuracy[0]


def test_psychometric_on_a_python_task_varies_its_condition():
    psy = rnnlab.psychometric(memory_network(), task=SignMemory(), trials=300, seed=2)
    assert psy.condition == "coherence" and psy.task == "python:SignMemory"
    x, p = np.asarray(psy.levels), np.asarray(psy.p_positive)
    # The intact memory reports sign(c): P(+1) is 0 for c < 0 and 1 for c > 0, a step at 0.
    assert list(x) == [-1.0, -0.75, -0.5, 0.5, 0.75, 1.0]
    assert np.all(p[x < 0] == 0.0) and np.all(p[x > 0] == 1.0)
    assert psy.step and psy.trials == 300


def test_psychometric_refuses_a_python_task_without_conditions_saying_what_to_add():
    with pytest.raises(rnnlab.InputError, match="condition_names"):
        rnnlab.psychometric(memory_network(), task=SignMemory(conditions=False))


class TwoClass(rnnlab.Task):
    """Two classes as labels: class 0 when the input is positive, scored on the last 2 of 4 steps."""

    inputs, outputs = 1, 2
    params = {}

    def batch(self, size, seed):
        rng = np.random.default_rng(seed)
        # float32 values: the C++ side keeps trials in float32, the hand computation gets the same inputs.
        u = np.repeat(rng.normal(size=(1, size, 1)).astype(np.float32).astype(float), 4, axis=0)
        labels = np.where(u[:, :, 0] > 0, 0, 1)
        m = np.zeros((4, size))
        m[2:] = 1.0
        self.last = {"inputs": u, "targets": labels, "mask": m}
        return self.last

    def accuracy(self, outputs, batch):
        return float((outputs[-1].argmax(axis=1) == batch["targets"][-1]).mean())


def test_evaluate_reports_the_cross_entropy_of_a_cross_entropy_network_by_hand():
    rng = np.random.default_rng(0)
    net = rnnlab.Network(w_in=rng.normal(size=(3, 1)), w_rec=0.3 * rng.normal(size=(3, 3)),
                         w_out=rng.normal(size=(2, 3)), b_out=[0.1, -0.2], alpha=0.5, dt=10.0,
                         config='[train]\nloss = "cross_entropy"\n')
    task = TwoClass()
    e = rnnlab.evaluate(net, task=task, trials=40, seed=3)
    y = net.simulate(task.last["inputs"]).outputs                     # (T, B, 2)
    log_p = y - np.log(np.exp(y).sum(axis=2, keepdims=True))
    picked = np.take_along_axis(log_p, task.last["targets"][:, :, None], axis=2)[:, :, 0]
    m = task.last["mask"]
    assert e["loss_kind"] == "cross_entropy" and e["loss_name"] == "cross-entropy loss"
    assert e["loss"] == pytest.approx(-(picked * m).sum() / m.sum(), rel=1e-12)
    # The same network without train.loss in its config is judged by its MSE.
    net.config = ""
    mse = rnnlab.evaluate(net, task=task, trials=40, seed=3)
    one_hot = np.eye(2)[task.last["targets"]]
    assert mse["loss_kind"] == "mse"
    assert mse["loss"] == pytest.approx((((y - one_hot) ** 2).sum(axis=2) * m).sum() / (2 * m.sum()), rel=1e-12)


def test_train_from_a_dict_runs_its_curriculum():
    config = {"task": {"name": "perceptual_dm", "fixation": 20, "stimulus": 100, "delay": 200, "decision": 100,
                       "grace": 20},
              "model": {"units": 8, "dt": 20.0, "tau": 100.0},
              "train": {"iterations": 30, "batch": 8, "validate_every": 5, "validation_trials": 16,
                        "checkpoint_every": 0},
              "curriculum": [{"delay": 0, "iterations": 10}, {"iterations": 15}]}
    (rec,) = rnnlab.train(config, progress=False)
    assert list(rec.curves["stage_start"]) == [0.0, 10.0]
    assert rec.iterations == 25
    with pytest.raises(rnnlab.InputError, match=r"curriculum\[1\]\.delai"):
        rnnlab.train({**config, "curriculum": [{"iterations": 5}, {"delai": 5}]}, progress=False)
