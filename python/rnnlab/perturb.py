"""Damage and perturbation, and the non-normal structure of a matrix, computed
in C++ (float64). Definitions: src/analysis/perturb.hpp, src/analysis/nonnormal.hpp
and docs/perturbation.md.

    curves = rnnlab.perturb(net, prune=[0, 0.25, 0.5, 1], by="magnitude")
    curves["prune_magnitude"].accuracy          # one number per level
    rnnlab.schur_structure(net.w_rec).henrici      # also pseudospectrum, transient_amplification

`rnnlab perturb FILE` computes the same curves for every network of a file
and stores them under /networks/<id>/analysis/perturbation/<group>/;
Perturbation.from_file reads one back from NetworkRecord.analysis.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _core, results
from ._check import array
from ._core import InputError
from .network import Network
from .task import Task as UserTask, native as native_task


# ---- damage and the degradation curve --------------------------------------------

@dataclass
class Perturbation:
    """Accuracy (the task's rule) and loss (masked MSE) against the damage level,
    all levels on the same fresh trials (`rnnlab eval --trials T --seed S`'s):
    level 0 is eval's accuracy exactly."""

    kind: str                   # prune | ablate_units | weight_noise | kick
    method: str                 # magnitude | random | excitatory | inhibitory | any | gaussian | random_direction
    group: str                  # its group in the file: prune_<by>, ablate_units_<units>, weight_noise, kick
    task: str
    levels: np.ndarray          # fractions (prune, ablate_units), sigmas (weight_noise) or kick norms (kick)
    accuracy: np.ndarray
    loss: np.ndarray
    removed: np.ndarray         # connections pruned / units ablated per level (0 for noise)
    candidates: int             # connections / units the fractions are of (N^2 for noise)
    trials: int
    seed: int
    # Spectral radius of the damaged W_rec and of its step map at the origin
    # (per step), over the surviving units; None unless spectrum=True.
    spectral_radius_w_rec: np.ndarray | None = None
    spectral_radius_step_map: np.ndarray | None = None
    # A kick's step and time (kick_step * dt ms); None for the other kinds.
    kick_step: int | None = None
    kick_ms: float | None = None

    @classmethod
    def from_file(cls, g: dict, group: str = "") -> "Perturbation":
        """From a stored group, as NetworkRecord.analysis["perturbation"][group] holds it."""
        def get(name):
            return np.asarray(g[name], dtype=float) if name in g else None

        return cls(kind=g["perturbation"], method=g["method"], group=group, task=g["task"], levels=get("levels"),
                   accuracy=get("accuracy"), loss=get("loss"), removed=get("removed"),
                   candidates=int(g["candidates"]), trials=int(g["trials"]), seed=int(g["seed"]),
                   spectral_radius_w_rec=get("spectral_radius_w_rec"),
                   spectral_radius_step_map=get("spectral_radius_step_map"),
                   kick_step=int(g["kick_step"]) if "kick_step" in g else None,
                   kick_ms=float(g["kick_ms"]) if "kick_ms" in g else None)


Perturbation.__doc__ += ("\n\n    In the file (/networks/<seed>/analysis/perturbation/<group>/, read and shape-checked by "
                         "the declared C++ reader):\n\n" + results.declared("PerturbationCurve").__doc__)


def _network(net) -> Network:
    if hasattr(net, "trained") and not isinstance(net, Network):  # a NetworkRecord
        net = net.trained
    if not isinstance(net, Network):
        raise InputError(f"expected an rnnlab.Network (or a NetworkRecord), got {type(net).__name__}")
    return net


def _task_spec(net: Network, task, what: str) -> tuple:
    """(task, params) for the C++ side (python/bindings/network_task.hpp): ("", {}) means the
    network's training config's task; an rnnlab.Task goes as its adapter, which makes its own trials."""
    if isinstance(task, UserTask):
        return native_task(task), {}
    if task is None:
        if not net.config:
            raise InputError(f"{what} needs a task: this network has no training config "
                             "(pass task='flipflop', task=rnnlab.tasks.make(...) or task=MyTask(), an rnnlab.Task)")
        return "", {}
    if isinstance(task, str):
        return task, {}
    if hasattr(task, "params") and hasattr(task, "name"):
        return task.name, dict(task.params)
    raise InputError(f"task must be a task name, an rnnlab.tasks.Task or an rnnlab.Task, got {type(task).__name__}")


def _levels(name: str, values) -> list:
    if values is None:
        return []
    v = np.atleast_1d(np.asarray(values, dtype=float))
    if v.ndim != 1:
        raise InputError(f"{name}= takes a list of levels, got an array of shape {v.shape}")
    return [float(x) for x in v]


def perturb(net, task=None, *, prune=None, by: str = "magnitude", ablate_units=None, units: str = "any",
            weight_noise=None, kick=None, kick_at=None, trials: int = 512, seed: int = 1,
            spectrum: bool = False) -> dict:
    """Degradation curves of one network: {group: Perturbation}, as `rnnlab perturb`.

    prune: fractions of W_rec's connections (nonzero entries) removed, by
    "magnitude" (smallest |w| first), "random", "excitatory" or "inhibitory"
    (random among the connections from E or I units; needs Dale's law).
    ablate_units: fractions of the units removed (row and column of W_rec,
    W_in row, W_out column set to 0), among `units` "any", "excitatory" or
    "inhibitory". weight_noise: sigmas, W_rec + sigma * rms(W_rec) * N(0, 1).
    kick: sizes (Euclidean norm) of a displacement of the state, in a random
    direction per trial, at kick_at ms from the trial start (None: mid-trial).
    The levels of a curve share one random order (or one noise matrix) drawn
    from `seed`, which also draws the `trials` evaluation trials.

    task: None (the network's training config), a task name or an
    rnnlab.tasks.Task, made at the network's dt, or an rnnlab.Task (a task
    written in Python, which makes its own trials and scores them by its own
    accuracy; needed for a network trained on one, whose file says
    [task] name = "python:<Name>").
    """
    net = _network(net)
    name, params = _task_spec(net, task, "perturb")
    plans = [("prune", _levels("prune", prune)), ("ablate_units", _levels("ablate_units", ablate_units)),
             ("weight_noise", _levels("weight_noise", weight_noise)), ("kick", _levels("kick", kick))]
    plans = [(kind, levels) for kind, levels in plans if levels]
    if not plans:
        raise InputError("nothing to do: give prune=, ablate_units=, weight_noise= or kick= with levels")
    if kick_at is not None and not kick:
        raise InputError("kick_at= sets when kick= displaces the state; give kick= too")
    if kick_at is not None and not (np.isfinite(kick_at) and kick_at >= 0):
        raise InputError(f"kick_at={kick_at}: must be a time in ms from the trial start, >= 0")
    kick_at_ms = -1.0 if kick_at is None else float(kick_at)
    out = {}
    for kind, levels in plans:
        d = _core.perturbation_curve(net._as_dict(), name, params, net.config, kind, levels, by, units, int(trials),
                                     int(seed), bool(spectrum), kick_at_ms)
        out[d["group"]] = Perturbation(**d)
    return out


def prune_connections(net: Network, fraction: float, by: str = "magnitude", seed: int = 1) -> Network:
    """A copy of `net` with `fraction` of W_rec's connections removed (see perturb)."""
    net = _network(net)
    d, _ = _core.prune_connections(net._as_dict(), float(fraction), by, int(seed))
    return _copy_with(net, d)


def ablate_units(net: Network, fraction: float, units: str = "any", seed: int = 1) -> tuple:
    """(a copy of `net` with `fraction` of the `units` removed, the removed unit indices)."""
    net = _network(net)
    d, damage = _core.ablate_units(net._as_dict(), float(fraction), units, int(seed))
    return _copy_with(net, d), np.asarray(damage["ablated_units"], dtype=int)


def add_weight_noise(net: Network, sigma: float, seed: int = 1) -> Network:
    """A copy of `net` with W_rec + sigma * rms(W_rec) * N(0, 1)."""
    net = _network(net)
    return _copy_with(net, _core.add_weight_noise(net._as_dict(), float(sigma), int(seed)))


def _copy_with(net: Network, d: dict) -> Network:
    return Network._from_dict(d, mask_rec=net.mask_rec, config=net.config, sigma_rec=net.sigma_rec,
                              sigma_in=net.sigma_in)


# ---- non-normal structure ----------------------------------------------------------

def _square(name: str, a) -> np.ndarray:
    m = np.asarray(a, dtype=float)
    if m.ndim != 2 or m.shape[0] != m.shape[1]:
        raise InputError(f"{name} must be a square matrix, got shape {m.shape}")
    return np.ascontiguousarray(m)


@dataclass
class SchurStructure:
    """A = Q T Q^T (real Schur form). T's block diagonal holds the eigenvalues
    (2x2 blocks for complex pairs); what lies above it is the feed-forward part."""

    q: np.ndarray
    t: np.ndarray
    block_diagonal_norm: float   # Frobenius norm of T's block diagonal
    strictly_upper_norm: float   # ... of the rest of T
    relative_upper: float        # strictly_upper_norm / block_diagonal_norm
    frobenius_norm: float        # ||A||_F
    henrici: float               # sqrt(||A||_F^2 - sum |l|^2) / ||A||_F: 0 iff normal


def schur_structure(a) -> SchurStructure:
    return SchurStructure(**_core.schur_structure(_square("a", a)))


@dataclass
class Pseudospectrum:
    """sigma_min(zI - A) at z = re[j] + i im[i]: sigma_min has shape (len(im), len(re)),
    so plt.contour(re, im, np.log10(sigma_min), levels=...) draws the eps-pseudospectra."""

    re: np.ndarray
    im: np.ndarray
    sigma_min: np.ndarray


def pseudospectrum(a, re=None, im=None, *, points: int = 41, margin: float = 0.5, threads: int = 0) -> Pseudospectrum:
    """On the grid re x im, or (both None) on points x points over the eigenvalues'
    bounding box widened by margin * max(spectral radius, 1). threads: worker
    threads (0: one per hardware thread); the values do not depend on it."""
    m = _square("a", a)
    if (re is None) != (im is None):
        raise InputError("give both re and im, or neither")
    if re is None:
        r, i, s = _core.pseudospectrum_auto(m, int(points), float(margin), int(threads))
    else:
        r, i, s = _core.pseudospectrum_grid(m, array("re", re, (None,)), array("im", im, (None,)), int(threads))
    return Pseudospectrum(re=r, im=i, sigma_min=s)


@dataclass
class AmplificationCurve:
    t: np.ndarray
    norm: np.ndarray             # ||exp(t A)||_2, or ||J^k||_2 at t = k
    max_norm: float              # > 1: transient amplification
    t_at_max: float


@dataclass
class TransientAmplification:
    alpha: float
    per_tau: AmplificationCurve   # ||exp(t (J - I)/a)||_2, t in tau
    per_step: AmplificationCurve  # ||J^k||_2, t in steps


def transient_amplification(step_map, alpha: float, *, t_max_tau: float = 20.0,
                            points: int = 200) -> TransientAmplification:
    """For a step map J (e.g. rnnlab.linearise(net, x).jacobian, with alpha = net.alpha):
    ||exp(t A_c)||_2 for A_c = (J - I)/alpha over t in [0, t_max_tau] (units of tau),
    and ||J^k||_2 over the steps that cover the same time."""
    d = _core.transient_amplification(_square("step_map", step_map), float(alpha), float(t_max_tau), int(points))
    return TransientAmplification(alpha=d["alpha"], per_tau=AmplificationCurve(**d["per_tau"]),
                                  per_step=AmplificationCurve(**d["per_step"]))


def continuous_amplification(a, t_max: float, steps: int = 200) -> AmplificationCurve:
    """||exp(t A)||_2 at t = 0, t_max/steps, ..., t_max (t in the units of A's rates)."""
    return AmplificationCurve(**_core.continuous_amplification(_square("a", a), float(t_max), int(steps)))
