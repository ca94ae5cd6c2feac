"""Behaviour curves, computed in C++ (float64) on the fresh trials of
`rnnlab eval --trials T --seed S`. Definitions: src/analysis/behaviour.hpp and
docs/behaviour.md.

    psy = rnnlab.psychometric(net)                   # decision tasks: P(+1) vs coherence
    psy.bias, psy.slope                              # fitted Phi(slope * (x - bias))
    tim = rnnlab.timing_curve(net)                   # timing tasks: produced vs sample interval
    tim.slope, tim.regression, tim.indifference_ms

`rnnlab behaviour FILE --psychometric --timing` computes the same for every
network of a file and stores them under /networks/<id>/analysis/behaviour/;
Psychometric.from_file and Timing.from_file read them back from
NetworkRecord.analysis["behaviour"].
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _core, results
from ._core import InputError
from .perturb import _network, _task_spec
from .task import Task as UserTask


# The classes come from the curves' one declaration in C++
# (src/analysis/behaviour_schema.cpp): see results.py and help(Psychometric).
@results.register
@dataclass(kw_only=True, repr=False, eq=False)
class Psychometric(results.declared("Psychometric")):
    @classmethod
    def from_file(cls, g: dict) -> "Psychometric":
        """From NetworkRecord.analysis["behaviour"]["psychometric"]."""
        return cls.from_dict(g)


@results.register
@dataclass(kw_only=True, repr=False, eq=False)
class Timing(results.declared("Timing")):
    @classmethod
    def from_file(cls, g: dict) -> "Timing":
        """From NetworkRecord.analysis["behaviour"]["timing"]."""
        return cls.from_dict(g)


def psychometric(net, task=None, *, trials: int = 512, seed: int = 1, condition: str | None = None) -> Psychometric:
    """The psychometric curve of one network (a Network or NetworkRecord).

    task: None (the network's training config), a task name or an
    rnnlab.tasks.Task, made at the network's dt, or an rnnlab.Task (a task
    written in Python), whose batch() must then label each trial with the
    condition to vary ('conditions' and 'condition_names').
    condition: the trials' condition on the x axis (default: coherence, else
    integral, else the first).
    """
    net = _network(net)
    if isinstance(task, UserTask):
        _check_has_conditions(task)
    name, params = _task_spec(net, task, "psychometric")
    d = _core.psychometric(net._as_dict(), name, params, net.config, int(trials), int(seed), condition or "")
    return Psychometric.from_dict(d)


def _check_has_conditions(task: UserTask) -> None:
    """A psychometric curve plots choices against a per-trial condition: refuse a
    Python task whose trials carry none, saying what to add."""
    probe = task.batch(2, 0)
    if isinstance(probe, dict) and probe.get("conditions") is not None and probe.get("condition_names"):
        return
    name = task.name or type(task).__name__
    raise InputError(f"psychometric needs a condition that varies across trials (e.g. the signed coherence), but "
                     f"{name}.batch() returns no 'conditions': add 'conditions' (size, C) and 'condition_names' "
                     f"(C names, e.g. ['coherence']) to the dict it returns")


def timing_curve(net, task=None, *, trials: int = 512, seed: int = 1) -> Timing:
    """The timing curve of one network on a timing task (ready_set_go,
    delayed_pulse, multi_interval, ...); task as for psychometric (an
    rnnlab.Task included)."""
    net = _network(net)
    name, params = _task_spec(net, task, "timing_curve")
    return Timing.from_dict(_core.timing_curve(net._as_dict(), name, params, net.config, int(trials), int(seed)))


def fit_psychometric(x, choice) -> tuple:
    """(bias, slope, step) of the cumulative Gaussian through choices in {+1, -1}."""
    return _core.fit_psychometric(np.asarray(x, dtype=float), np.asarray(choice, dtype=float))
