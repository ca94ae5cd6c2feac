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

from . import _core
from .perturb import _network, _task_spec


@dataclass
class Psychometric:
    """Fraction of +1 choices per condition level, and the maximum-likelihood
    cumulative Gaussian P(+1 | x) = Phi(slope * (x - bias)). A choice is the sign
    of the trial's mean output where the task asks for +-1. Choices that x
    separates completely give step=True, slope=+-inf and bias midway."""

    condition: str              # the trials' condition on the x axis (coherence, integral, ...)
    levels: np.ndarray          # distinct condition values (or equal-count bin means)
    p_positive: np.ndarray      # fraction of +1 choices at each level
    counts: np.ndarray          # trials at each level
    bias: float                 # x at P = 0.5, in the condition's units
    slope: float                # per unit of x (1 / the psychometric sd)
    step: bool
    trials: int                 # trials with a choice
    no_choice: int              # trials with nothing to report, or an output of exactly 0
    task: str = ""

    @classmethod
    def from_file(cls, g: dict) -> "Psychometric":
        """From NetworkRecord.analysis["behaviour"]["psychometric"]."""
        return cls(condition=g["condition"], levels=np.asarray(g["levels"], float),
                   p_positive=np.asarray(g["p_positive"], float), counts=np.asarray(g["counts"], float),
                   bias=float(g["bias"]), slope=float(g["slope"]), step=bool(g["step"]), trials=int(g["trials"]),
                   no_choice=int(g["no_choice"]), task=g.get("task", ""))


@dataclass
class Timing:
    """Produced against sample interval (ms), per trial and per sample, with the
    least-squares line produced = slope * sample + intercept_ms; regression to
    the mean is 1 - slope, the indifference point intercept / (1 - slope)."""

    sample_ms: np.ndarray
    produced_ms: np.ndarray     # NaN where the output never reached half the response's height
    levels_ms: np.ndarray
    mean_produced_ms: np.ndarray
    sd_produced_ms: np.ndarray
    counts: np.ndarray
    slope: float                # NaN when the sample does not vary (delayed_pulse)
    intercept_ms: float
    regression: float
    indifference_ms: float
    mean_error_ms: float        # produced - sample
    sd_error_ms: float
    missed: int
    untimed: int
    task: str = ""

    @classmethod
    def from_file(cls, g: dict) -> "Timing":
        """From NetworkRecord.analysis["behaviour"]["timing"]."""
        arrays = ["sample_ms", "produced_ms", "levels_ms", "mean_produced_ms", "sd_produced_ms", "counts"]
        numbers = ["slope", "intercept_ms", "regression", "indifference_ms", "mean_error_ms", "sd_error_ms"]
        return cls(**{k: np.asarray(g[k], float) for k in arrays}, **{k: float(g[k]) for k in numbers},
                   missed=int(g["missed"]), untimed=int(g["untimed"]), task=g.get("task", ""))


def psychometric(net, task=None, *, trials: int = 512, seed: int = 1, condition: str | None = None) -> Psychometric:
    """The psychometric curve of one network (a Network or NetworkRecord).

    task: None (the network's training config), a task name or an
    rnnlab.tasks.Task, made at the network's dt. condition: the trials'
    condition on the x axis (default: coherence, else integral, else the first).
    """
    net = _network(net)
    name, params = _task_spec(net, task, "psychometric")
    d = _core.psychometric(net._as_dict(), name, params, net.config, int(trials), int(seed), condition or "")
    return Psychometric(**d)


def timing_curve(net, task=None, *, trials: int = 512, seed: int = 1) -> Timing:
    """The timing curve of one network on a timing task (ready_set_go,
    delayed_pulse, multi_interval, ...); task as for psychometric."""
    net = _network(net)
    name, params = _task_spec(net, task, "timing_curve")
    return Timing(**_core.timing_curve(net._as_dict(), name, params, net.config, int(trials), int(seed)))


def fit_psychometric(x, choice) -> tuple:
    """(bias, slope, step) of the cumulative Gaussian through choices in {+1, -1}."""
    return _core.fit_psychometric(np.asarray(x, dtype=float), np.asarray(choice, dtype=float))
