"""The task registry as NumPy."""
import numpy as np

import rnnlab


def test_list_and_make():
    names = [t["name"] for t in rnnlab.tasks.list()]
    assert "flipflop" in names and "perceptual_dm" in names
    ff = next(t for t in rnnlab.tasks.list() if t["name"] == "flipflop")
    assert {"name": "bits", "default": 3.0} .items() <= next(p for p in ff["params"] if p["name"] == "bits").items()
    task = rnnlab.tasks.make("flipflop", dt=10.0, bits=2, duration=500)
    assert (task.n_inputs, task.n_outputs, task.steps) == (2, 2, 50)
    inputs, targets, mask, conditions = task.batch(6, seed=3)
    assert inputs.shape == (50, 6, 2) and targets.shape == (50, 6, 2) and mask.shape == (50, 6)
    assert inputs.dtype == np.float64 and set(np.unique(mask)) <= {0.0, 1.0}
    assert conditions.shape[0] == 6
    again = task.batch(6, seed=3)
    np.testing.assert_array_equal(again.inputs, inputs)
    assert not np.array_equal(task.batch(6, seed=4).inputs, inputs)
    # every output holds the sign of its channel's last pulse: perfect outputs score 1
    b = task.batch(16, seed=1)
    assert task.accuracy(b, b.targets) == 1.0
    assert task.accuracy(b, -b.targets) < 0.5
