"""rnnlab.Task: a task written in Python, trained and analysed like a registry task.

    class Decision(rnnlab.Task):
        inputs, outputs = 1, 1
        params = {"steps": 24}

        def batch(self, size, seed):
            ...                                   # arrays (T, B, .)
            return {"inputs": u, "targets": y, "mask": m}

        def accuracy(self, outputs, batch):
            return float((np.sign(outputs[-1, :, 0]) == batch["targets"][-1, :, 0]).mean())

    recs = rnnlab.train(config, task=Decision(), seeds=4, output="decision.h5")
    dyn = rnnlab.dynamics(recs[0].trained, task=Decision())

A subclass says:

  name      the task's name (default: the class name); the file records it as
            [task] name = "python:<name>", with `params` beside it.
  inputs, outputs   how many input and output channels its trials have.
  params    optional dict of numbers, booleans and strings (what makes this
            task different from another of its kind), recorded in the file.
  batch(size, seed) -> dict with
            inputs  (T, size, inputs),
            targets (T, size, outputs), or integer class labels (T, size) for
                    train.loss = "cross_entropy" (one class per output),
            mask    optional, (T, size) or (T, size, outputs): where the loss counts,
            conditions, condition_names   optional per-trial labels (size, C)
                    and their C names (the analyses group trials by them).
            The same (size, seed) must give the same trials: the trainer draws
            `seed` from its own streams, so training is reproducible.
  accuracy(outputs, batch) -> float in [0, 1]: the fraction of trials of
            `batch` (as batch() returned it, labels as labels) that `outputs`
            (T, size, outputs) get right. The file's validation accuracy is this.
  conditions() -> optional {name: input vector (inputs,)}: constant inputs the
            network works under besides zero (a context cue held on), at which
            the dynamics analysis also looks for attractors (docs/dynamics.md
            "Input conditions").

The command line cannot make a Python task's trials: `rnnlab eval` or
`rnnlab analyze --dynamics` on such a file refuse (exit 2) and say to analyse
it from Python with task= (docs/training.md "Tasks written in Python").
"""
from __future__ import annotations

import math

import numpy as np

from . import _core

_BATCH_KEYS = ("inputs", "targets", "mask", "conditions", "condition_names")


class Task:
    """Base class of a task written in Python (module docstring)."""

    name: str = ""
    inputs: int = 0
    outputs: int = 0
    params: dict = {}

    def batch(self, size: int, seed: int) -> dict:
        raise NotImplementedError(f"{type(self).__name__}.batch(size, seed) must return a dict of arrays")

    def accuracy(self, outputs: np.ndarray, batch: dict) -> float:
        raise NotImplementedError(f"{type(self).__name__}.accuracy(outputs, batch) must return a float in [0, 1]")

    def conditions(self) -> dict:
        return {}

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v!r}" for k, v in dict(self.params or {}).items())
        return f"{type(self).__name__}({params})"


def one_hot(labels, classes, what):
    """Integer labels (T, B) -> one-hot float targets (T, B, classes)."""
    labels = np.asarray(labels)
    if classes is None:
        classes = int(labels.max()) + 1 if labels.size else 0
    classes = int(classes)
    if labels.size and (labels.min() < 0 or labels.max() >= classes):
        raise _core.InputError(f"{what}: labels must be classes 0 .. {classes - 1}, got {labels.min()} .. {labels.max()}")
    if classes < 1:
        raise _core.InputError(f"{what}: classes must be at least 1, got {classes}")
    return np.eye(classes)[labels]


def _count(task, attr) -> int:
    value = getattr(task, attr, None)
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise _core.InputError(f"{type(task).__name__}.{attr} must be a positive integer (the number of "
                               f"{attr} channels), got {value!r}")
    return int(value)


class _Adapter:
    """What the C++ side calls (python/bindings/python_tasks.hpp PythonTask):
    the task's batches as arrays it takes, its accuracy on batches as it gave
    them, its conditions() as (name, vector) pairs. Checks what the task returns
    and names the task and the key in every message."""

    def __init__(self, task: Task):
        if not isinstance(task, Task):
            raise _core.InputError(f"task= takes an rnnlab.Task (a subclass of it), got {type(task).__name__}")
        self.task = task
        self.name = str(task.name or type(task).__name__)
        if not self.name or any(c.isspace() for c in self.name):
            raise _core.InputError(f"{type(task).__name__}.name must be a word without spaces, got {self.name!r}")
        self.inputs, self.outputs = _count(task, "inputs"), _count(task, "outputs")
        params = task.params if task.params is not None else {}
        if not isinstance(params, dict):
            raise _core.InputError(f"{self.name}.params must be a dict, got {type(params).__name__}")
        for key, value in params.items():
            if not isinstance(key, str) or not isinstance(value, (bool, int, float, str, np.number)):
                raise _core.InputError(f"{self.name}.params[{key!r}] must be a number, boolean or string "
                                       f"(recorded in the file's [task] table), got {type(value).__name__}")
        self.params = {k: (v.item() if isinstance(v, np.generic) else v) for k, v in params.items()}
        self.labels = None  # whether the task gives integer labels; known from its first batch

    def batch(self, size, seed):
        """(inputs, targets, mask, conditions, condition_names) as the C++ side takes them."""
        what = f"{self.name}.batch({size}, {seed})"
        d = self.task.batch(int(size), int(seed))
        if not isinstance(d, dict):
            raise _core.InputError(f"{what} must return a dict with 'inputs' and 'targets', got {type(d).__name__}")
        unknown = sorted(set(d) - set(_BATCH_KEYS))
        if unknown or "inputs" not in d or "targets" not in d:
            raise _core.InputError(f"{what}: the dict needs 'inputs' and 'targets' and may have 'mask', "
                                   f"'conditions', 'condition_names'; got keys {sorted(d)}")
        inputs, targets = np.asarray(d["inputs"], dtype=float), np.asarray(d["targets"])
        labels = targets.ndim == 2 and np.issubdtype(targets.dtype, np.integer)
        if self.labels is not None and labels != self.labels:
            raise _core.InputError(f"{what}: targets must be labels in every batch or in none")
        self.labels = labels
        if labels:
            targets = one_hot(targets, self.outputs, what)
        if inputs.ndim != 3 or inputs.shape[1:] != (size, self.inputs):
            raise _core.InputError(f"{what}: inputs must have shape (T, {size}, {self.inputs}), got {inputs.shape}")
        if targets.ndim != 3 or targets.shape != inputs.shape[:2] + (self.outputs,):
            raise _core.InputError(f"{what}: targets must have shape (T, {size}, {self.outputs}) = "
                                   f"{inputs.shape[:2] + (self.outputs,)}, or integer labels (T, {size}); "
                                   f"got {np.shape(d['targets'])}")
        conditions = d.get("conditions")
        names = list(d.get("condition_names", []))
        if conditions is not None:
            conditions = np.asarray(conditions, dtype=float).reshape(size, -1)
            if len(names) != conditions.shape[1]:
                raise _core.InputError(f"{what}: condition_names must name the {conditions.shape[1]} columns of "
                                       f"conditions, got {len(names)} names")
        return inputs, np.asarray(targets, dtype=float), d.get("mask"), conditions, names

    def accuracy(self, outputs, batch):
        """The task's accuracy on a batch the C++ side drew from batch() (its arrays, labels as labels)."""
        b = dict(batch)
        if self.labels:
            b["targets"] = np.argmax(b["targets"], axis=-1)
        if b["conditions"] is not None and np.size(b["conditions"]) == 0:
            b["conditions"], b["condition_names"] = None, []
        value = self.task.accuracy(outputs, b)
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise _core.InputError(f"{self.name}.accuracy must return a number in [0, 1], got "
                                   f"{type(value).__name__}") from None
        if not (math.isfinite(value) and 0.0 <= value <= 1.0):
            raise _core.InputError(f"{self.name}.accuracy must return a number in [0, 1], got {value!r}")
        return value

    def operating_inputs(self):
        out = []
        for name, u in dict(self.task.conditions() or {}).items():
            u = np.asarray(u, dtype=float).reshape(-1)
            if u.shape != (self.inputs,):
                raise _core.InputError(f"{self.name}.conditions()[{name!r}] must be an input vector of "
                                       f"{self.inputs} numbers, got shape {u.shape}")
            out.append((str(name), u))
        return out


def native(task: Task) -> _Adapter:
    """The object the C++ side trains and analyses on (checked)."""
    return _Adapter(task)
