"""Training from Python: user arrays, a Python callable, a registry task."""
import numpy as np
import pytest

import rnnlab

# A small decision: a pulse of amplitude c in [-1, -0.2] u [0.2, 1] on steps 2..6,
# report sign(c) on the last 6 steps (only those count).
STEPS = 24


def decision_batch(size, seed):
    rng = np.random.default_rng(seed)
    c = rng.uniform(0.2, 1.0, size) * rng.choice([-1.0, 1.0], size)
    inputs = np.zeros((STEPS, size, 1))
    inputs[2:7, :, 0] = c
    targets = np.zeros((STEPS, size, 1))
    targets[-6:, :, 0] = np.sign(c)
    mask = np.zeros((STEPS, size))
    mask[-6:] = 1.0
    return inputs, targets, mask


CONFIG = {
    "model": {"units": 16, "dt": 10.0, "tau": 30.0, "gain": 0.9},
    "train": {"iterations": 300, "batch": 32, "learning_rate": 0.02, "validate_every": 100,
              "validation_trials": 128, "checkpoint_every": 0, "seed": 7},
}


def accuracy_on_fresh(net, seed=123):
    inputs, targets, mask = decision_batch(200, seed)
    y = net.simulate(inputs).outputs[-6:, :, 0].mean(axis=0)
    return float((np.sign(y) == targets[-1, :, 0]).mean())


def test_train_from_arrays_reaches_accuracy():
    data = decision_batch(512, 0)
    (rec,) = rnnlab.train(CONFIG, data=data, progress=False)
    assert rec.status == "trained" and rec.iterations == 300
    assert rec.trained.units == 16 and rec.trained.inputs == 1 and rec.trained.outputs == 1
    assert list(rec.curves["iteration"]) == [100.0, 200.0, 300.0]
    assert rec.curves["val_accuracy"][-1] >= 0.9
    assert rec.curves["val_loss"][-1] < rec.curves["val_loss"][0]
    assert accuracy_on_fresh(rec.trained) >= 0.9
    assert not np.allclose(rec.initial.w_rec, rec.trained.w_rec)


def test_train_from_callable_reaches_accuracy_and_is_reproducible():
    calls = []

    def data(size, seed):
        calls.append((size, seed))
        return decision_batch(size, seed)

    (rec,) = rnnlab.train(CONFIG, data=data, progress=False)
    assert rec.status == "trained"
    assert accuracy_on_fresh(rec.trained) >= 0.9
    # one probe, 128 validation trials, then one batch of 32 per iteration
    assert calls[0] == (2, 0) and calls[1][0] == 128 and len(calls) == 2 + 300
    assert all(size == 32 for size, _ in calls[2:])
    (again,) = rnnlab.train(CONFIG, data=decision_batch, progress=False)
    np.testing.assert_array_equal(rec.trained.w_rec, again.trained.w_rec)


def test_callable_errors_reach_python():
    def broken(size, seed):
        raise KeyError("no such stimulus")

    with pytest.raises(KeyError, match="no such stimulus"):
        rnnlab.train(CONFIG, data=broken, progress=False)

    def wrong(size, seed):
        i, t, m = decision_batch(size, seed)
        return i, t[:, :-1], m

    with pytest.raises(rnnlab.InputError, match=r"targets must have shape \(steps, trials, outputs\)"):
        rnnlab.train(CONFIG, data=wrong, progress=False)


def test_registry_task_progress_and_seeds(capsys):
    events = []
    cfg = {"task": {"name": "flipflop", "bits": 1, "duration": 200},
           "model": {"units": 8}, "train": {"iterations": 20, "validate_every": 10, "checkpoint_every": 0,
                                            "validation_trials": 8}}
    recs = rnnlab.train(cfg, seeds=[4, 5], progress=lambda *e: events.append(e))
    assert [r.seed for r in recs] == [4, 5]
    assert sorted(e[1] for e in events if e[0] == "finished") == [4, 5]
    assert {e[2] for e in events if e[0] == "update"} == {10, 20}
    rnnlab.train(cfg, seeds=1, progress=True)
    assert "1/1 done" in capsys.readouterr().out


def test_bad_config_is_refused_with_the_cli_message():
    with pytest.raises(rnnlab.InputError, match="unknown key 'model.unitz'.*model.units"):
        rnnlab.train({"task": {"name": "flipflop"}, "model": {"unitz": 3}}, progress=False)
    with pytest.raises(ValueError, match="task.bits"):
        rnnlab.train({"task": {"name": "flipflop", "bits": -1}}, progress=False)


def test_output_file_and_noise(tmp_path):
    cfg = {"task": {"name": "flipflop", "bits": 1, "duration": 200},
           "model": {"units": 8, "sigma_rec": 0.1},
           "train": {"iterations": 10, "validate_every": 5, "checkpoint_every": 0, "validation_trials": 8}}
    recs = rnnlab.train(cfg, seeds=2, progress=False, output=tmp_path / "out.h5")
    exp = rnnlab.load(tmp_path / "out.h5")
    assert [r.seed for r in exp.networks] == [1, 2]
    np.testing.assert_array_equal(exp.networks[1].trained.w_rec, recs[1].trained.w_rec)
    net = exp.networks[0].trained
    assert net.sigma_rec == 0.1  # from the file's config
    u = np.zeros((20, 3, 1))
    quiet, a, b = net.simulate(u), net.simulate(u, noise=True, seed=1), net.simulate(u, noise=True, seed=1)
    np.testing.assert_array_equal(a.states, b.states)
    assert np.abs(a.states - quiet.states).max() > 0.01
