"""The task registry as NumPy: rnnlab.tasks.make(name, dt=10.0, **params).batch(size, seed).

Arrays are (T, B, ·): time steps, trials, features. `mask` (T, B) is 1 where
the loss counts. `conditions` (B, C) holds per-trial labels named by
`condition_names` (pulse sign, coherence, ...).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import _core


@dataclass
class Batch:
    """One batch of trials. Unpacks as inputs, targets, mask, conditions."""

    inputs: np.ndarray      # (T, B, I)
    targets: np.ndarray     # (T, B, O)
    mask: np.ndarray        # (T, B)
    conditions: np.ndarray  # (B, C)
    condition_names: list = field(default_factory=list)
    _native: object = field(default=None, repr=False)

    def __iter__(self):
        return iter((self.inputs, self.targets, self.mask, self.conditions))


class Task:
    """A task from the registry at a time step of `dt` ms."""

    def __init__(self, name: str, dt: float = 10.0, **params):
        self._task = _core.Task(name, float(dt), params)
        self.params = dict(params)

    name = property(lambda self: self._task.name)
    dt = property(lambda self: self._task.dt)
    n_inputs = property(lambda self: self._task.n_inputs)
    n_outputs = property(lambda self: self._task.n_outputs)
    steps = property(lambda self: self._task.steps)

    def __repr__(self) -> str:
        return (f"Task({self.name!r}, dt={self.dt:g} ms: {self.steps} steps, {self.n_inputs} inputs, "
                f"{self.n_outputs} outputs)")

    def batch(self, size: int, seed: int = 0) -> Batch:
        """`size` trials drawn from the stream (seed, "user"): the same seed gives the same trials."""
        b = self._task.batch(int(size), int(seed))
        return Batch(b.inputs, b.targets, b.mask, np.asarray(b.conditions), [*b.condition_names], b)

    def accuracy(self, batch: Batch, outputs) -> float:
        """Fraction of the batch's trials that `outputs` (T, B, O) get right, by the task's own rule."""
        if batch._native is None:
            raise ValueError("accuracy needs a Batch drawn by this task's batch()")
        return float(self._task.accuracy(batch._native, np.ascontiguousarray(outputs, dtype=np.float64)))


def make(name: str, dt: float = 10.0, **params) -> Task:
    """The task `name` (see list()) with parameters changed from their defaults by `params`."""
    return Task(name, dt, **params)


def list() -> "list[dict]":  # noqa: A001 - the name the API promises
    """Every task: dicts with name, description and params (name, default, description)."""
    return _core.task_registry()


def names() -> "list[str]":
    return [t["name"] for t in _core.task_registry()]
