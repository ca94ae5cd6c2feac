"""Dynamics of one network, computed in C++ (float64), returned as plain
dataclasses of NumPy arrays: Lyapunov exponents (QR method), PCA and the
participation ratio, the attractor of an autonomous run, and the whole
per-network dynamics analysis of `rnnlab analyze --dynamics`.
Definitions: src/analysis/{lyapunov,pca,attractor,jarne_class,signature}.hpp
and docs/dynamics.md. Layouts follow the file: time along rows, (T, N).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import _core, results
from ._check import array
from ._core import InputError
from .network import Network
from .task import Task as UserTask, native as native_task

NAN = float("nan")


# ---- Lyapunov exponents ---------------------------------------------------------

@dataclass
class Lyapunov:
    """The k leading Lyapunov exponents of x -> F(x, u), descending.

    per_step is in nats per step of the map; per_tau = per_step / alpha in 1/tau
    (in the linear regime ln|1 + alpha mu| / alpha for the eigenvalues mu of
    -I + W_rec). Per millisecond: per_step / dt."""

    per_step: np.ndarray           # (k,)
    per_tau: np.ndarray            # (k,)
    mean_log_det_per_step: float   # mean ln|det J| per step = sum of all N exponents; NaN unless log_det
    final_state: np.ndarray        # (N,) where the trajectory ended
    alpha: float
    steps: int
    transient: int
    # The same exponents over the first and the second half of the averaged
    # steps (1/tau): chaos shows two positive leading exponents that agree.
    first_half_per_tau: np.ndarray | None = None
    second_half_per_tau: np.ndarray | None = None

    @property
    def leading(self) -> float:
        """The largest exponent, per tau (> 0: chaos)."""
        return float(self.per_tau[0])


def lyapunov(net: Network, x0=None, u=None, *, exponents: int = 10, transient: int = 500, steps: int = 2000,
             seed: int = 1, log_det: bool = False) -> Lyapunov:
    """Lyapunov exponents by the QR method along the noiseless run from x0 (N,)
    (default net.x0) at constant input u (I,) (default zero).

    exponents: k leading ones (0 or more than N: all N); the first `transient`
    steps are discarded, the next `steps` averaged; `seed` draws the initial
    tangent vectors; log_det also averages ln|det J| (an O(N^3) check: with all
    N exponents it equals their sum)."""
    x = net.x0 if x0 is None else array("x0", x0, (net.units,), ("N",))
    uu = np.zeros(0) if u is None else array("u", u, (net.inputs,), ("I",))
    d = _core.lyapunov(net._as_dict(), x, uu, {"exponents": exponents, "transient": transient, "steps": steps,
                                               "seed": seed, "log_det": log_det})
    return Lyapunov(**d)


# ---- PCA ----------------------------------------------------------------------

@dataclass
class Pca:
    """Principal components of states about their mean (sample covariance,
    divided by M - 1). Column i of `components` is the axis of variances[i];
    its largest-magnitude entry is positive (a fixed sign)."""

    mean: np.ndarray               # (N,)
    variances: np.ndarray          # (N,) covariance eigenvalues, descending
    explained_ratio: np.ndarray    # (N,) variances / their sum
    components: np.ndarray         # (N, k) axes as columns (k = N unless limited)
    participation_ratio: float     # (sum l)^2 / sum l^2: k equal variances give k

    def project(self, states, k: int | None = None) -> np.ndarray:
        """Coordinates of states (..., N) on the first k axes: (..., k)."""
        s = np.asarray(states, dtype=float)
        n = self.mean.shape[0]
        if s.shape[-1:] != (n,):
            raise InputError(f"states must have shape (..., N={n}), got {tuple(s.shape)}")
        k = self.components.shape[1] if k is None else int(k)
        return (s - self.mean) @ self.components[:, :k]


def _state_rows(name: str, states, n: int | None = None) -> np.ndarray:
    """States (T, B, N) or (M, N) as an (M, N) array; M = T*B rows, t major."""
    s = np.asarray(states)
    if s.ndim == 3:
        s = s.reshape(-1, s.shape[-1])
    if s.ndim != 2:
        raise InputError(f"{name} must have shape (T, B, N) or (M, N), got {tuple(np.shape(states))}")
    return array(name, s, (None, n), ("M", "N"))


def pca(source, inputs=None, *, k: int | None = None) -> Pca:
    """PCA of network states and their participation ratio.

    source: states (T, B, N) or (M, N), or a Network, run noiselessly on
    `inputs` (T, B, I) or a tasks.Batch. k: keep only the first k components
    (all variances are kept)."""
    if isinstance(source, Network):
        if inputs is None:
            raise InputError("pca(net) needs inputs (T, B, I) or a tasks.Batch to run the network on")
        states = source.simulate(getattr(inputs, "inputs", inputs)).states
    else:
        if inputs is not None:
            raise InputError("pca(states) takes no inputs: pass a Network to run one")
        states = source
    x = _state_rows("states", states)
    if x.shape[0] < 2:
        raise InputError(f"pca needs at least 2 states, got {x.shape[0]}")
    d = _core.pca(np.ascontiguousarray(x.T))
    if k is not None:
        d["components"] = d["components"][:, :int(k)]
    return Pca(**d)


def participation_ratio(variances) -> float:
    """(sum l)^2 / sum l^2 of non-negative variances (0 when all are 0)."""
    return float(_core.participation_ratio(array("variances", variances, (None,), ("N",))))


# ---- attractor of an autonomous run ------------------------------------------------

@dataclass
class Attractor:
    """What a long noiseless run settles into (attractor.hpp): type is one of
    fixed_point, limit_cycle, quasi_periodic, chaos, unsettled. Periodicity
    (by recurrence) is tested before chaos; chaos needs a positive leading
    exponent over the whole Lyapunov run and over each half of it."""

    type: str
    fixed_point: int              # fixed_point: index of the matching given point, -1 if none
    fixed_point_distance: float   # to the nearest given point
    period_steps: float           # limit_cycle: period by recurrence (fractional steps), NaN otherwise
    period_ms: float
    amplitude: float              # max over units of (max - min) / 2 over the window
    extent: float                 # max_t |x_t - x_end|_inf over the window
    leading_exponent: float       # per tau, what decided chaos
    window: np.ndarray            # (W, N) the recorded run
    returns: int = 0              # verified returns of the run to its last state
    return_miss: float = NAN      # their largest miss, in local step lengths
    leading_exponent_first: float = NAN   # per tau, first half of the Lyapunov run
    leading_exponent_second: float = NAN  # per tau, second half


def attractor(net: Network, x0=None, u=None, *, fixed_points=None, leading_exponent: float | None = None,
              **options) -> Attractor:
    """Classify the run of F(., u) from x0 (N,) (default net.x0; u default zero).

    fixed_points: a FixedPoints or (P, N) points to match a fixed-point end to.
    leading_exponent (per tau) decides chaos; when None the Lyapunov exponent
    is measured along the same settled run (one transient for both). options:
    transient, window, fixed_point_tolerance, match_distance, chaos_threshold,
    chaos_agreement, return_tolerance, sustained_ratio (AttractorOptions;
    defaults there), and lyapunov_exponents, lyapunov_transient (tangent
    alignment), lyapunov_steps, lyapunov_seed for the Lyapunov run."""
    x = net.x0 if x0 is None else array("x0", x0, (net.units,), ("N",))
    uu = np.zeros(0) if u is None else array("u", u, (net.inputs,), ("I",))
    if fixed_points is None:
        pts = np.zeros((0, net.units))
    else:
        pts = getattr(fixed_points, "x", fixed_points)
        pts = array("fixed_points", pts, (None, net.units), ("P", "N"))
    lead = NAN if leading_exponent is None else float(leading_exponent)
    return Attractor(**_core.attractor(net._as_dict(), x, uu, pts, lead, dict(options)))


@dataclass
class FoundAttractor(Attractor):
    """One distinct attractor of a set: its first run, and its basin."""

    starts: int = 0               # starts that reached it
    first_start: int = 0          # index of the first
    basin: float = 0.0            # starts / all starts
    marginal: bool = False        # a fixed point with a marginal direction (line or ring attractor)
    x: np.ndarray | None = None   # (N,) the end state of its first run


@dataclass
class AttractorSet:
    """Every attractor reached from a set of starts (find_attractors in
    attractor.hpp): coexisting attractors are a result, with the fraction of
    starts (basin) reaching each."""

    attractors: list              # of FoundAttractor, in order of their first start
    start_attractor: np.ndarray   # (S,) index of the attractor each start reached
    description: str              # e.g. "limit_cycle + 2 fixed_point"

    def __repr__(self) -> str:
        basins = ", ".join(f"{a.type} {a.basin:.2f}" for a in self.attractors)
        return f"AttractorSet({self.description}; basins: {basins})"

    @classmethod
    def from_dict(cls, d: dict) -> "AttractorSet":
        found = [FoundAttractor(**a) for a in d["attractors"]]
        return cls(attractors=found, start_attractor=np.asarray(d["start_attractor"], dtype=np.int64),
                   description=str(d["description"]))

    @classmethod
    def from_file(cls, g: dict) -> "AttractorSet | None":
        """From a network's analysis['dynamics']['attractors'] group (files before it: None)."""
        if not g or "type" not in g:
            return None
        x = np.asarray(g["x"])
        found = []
        for i, kind in enumerate(g["type"]):
            found.append(FoundAttractor(type=kind, fixed_point=-1, fixed_point_distance=NAN,
                                        period_steps=float(g["period_steps"][i]), period_ms=NAN,
                                        amplitude=float(g["amplitude"][i]), extent=NAN,
                                        leading_exponent=float(g["leading_exponent"][i]), window=np.zeros((0, 0)),
                                        starts=int(g["starts"][i]), first_start=int(g["first_start"][i]),
                                        basin=float(g["basin"][i]), marginal=bool(g["marginal"][i] > 0.5),
                                        x=x[i] if x.ndim == 2 and len(x) > i else None))
        return cls(attractors=found, start_attractor=np.asarray(g["start_attractor"]).astype(np.int64),
                   description=str(g.get("description", "")))


def attractors(net: Network, starts, u=None, *, fixed_points=None, threads: int = 1, **options) -> AttractorSet:
    """Every attractor reached from `starts` (S, N) at constant input u (I,)
    (default zero), with its basin (fraction of starts). Each start runs as in
    attractor(); fixed points are told apart by distance (match_distance),
    cycles by lying on a known one with the same period, other runs by their
    statistics. options as for attractor() (the Lyapunov run keeps 1 exponent
    unless lyapunov_exponents is given)."""
    s = array("starts", np.atleast_2d(starts), (None, net.units), ("S", "N"))
    uu = np.zeros(0) if u is None else array("u", u, (net.inputs,), ("I",))
    if fixed_points is None:
        pts = np.zeros((0, net.units))
    else:
        pts = array("fixed_points", getattr(fixed_points, "x", fixed_points), (None, net.units), ("P", "N"))
    return AttractorSet.from_dict(_core.attractor_set(net._as_dict(), s, uu, pts, dict(options),
                                                      int(threads)))


# ---- the per-network dynamics analysis ------------------------------------------

@dataclass
class Jarne:
    """Jarne's class (jarne_class.hpp): oscillatory, mixed or ramping. The
    spectral label from the growing modes of the step map at the origin J0
    (none: ramping), the activity label from PC1 of single trials over the
    delay window (a condition's label: more than half its trials), reported
    separately; the final label where both agree, else mixed."""

    label: str
    spectral_label: str
    activity_label: str
    oscillation_index: float       # the largest |Im mu| / |mu| over J0's growing modes, mu = (l - 1) / alpha
    condition_labels: list         # per group
    peak_to_median: np.ndarray     # per group (median over its trials)
    peak_cycles: np.ndarray
    time_correlation: np.ndarray
    leading_eigenvalue: complex | None = None  # J0's, per step (not stored in files)
    unstable_modes: int | None = None          # eigenvalues of J0 with |l| > 1 (None: a file from before)


@dataclass
class Signature:
    """A network's solution signature (signature.hpp), and as the feature
    vector the census clusters (features, named by feature_names).
    leading_modulus, leading_oscillation and outside_unit_circle are of the
    step map at the origin J0 = (1 - a) I + a W_rec phi'(0) (growing modes:
    |l| > 1); W_rec's raw spectrum is in w_rec_*. key names the family."""

    stable_points: int
    saddles: int
    leading_modulus: float
    leading_oscillation: float
    outside_unit_circle: int
    attractor: str
    leading_lyapunov: float
    dimensionality: float
    features: np.ndarray
    feature_names: list
    attracting_points: int = 0
    marginal_attractors: int = 0
    limit_cycles: int = 0
    chaotic: int = 0
    cycle_periods: list = field(default_factory=list)
    attractor_set: str = ""
    key: str = ""
    scaffold: str = ""             # the fixed-point graph at zero input, e.g. "saddle -> {fixed_point, fixed_point}"
    w_rec_leading_modulus: float = NAN
    w_rec_outside_unit_circle: int = -1

    @classmethod
    def from_features(cls, features, names, attractor_set: str = "", key: str = "", scaffold: str = "") -> "Signature":
        """From the stored feature vector. Files from before the step-map
        features (leading_angle of W_rec) read NaN for leading_oscillation."""
        f = dict(zip(names, np.asarray(features, dtype=float)))
        kind = [n[3:] for n in names if n.startswith("is_") and f[n] > 0.5]
        return cls(stable_points=int(f["stable_points"]), saddles=int(f["saddles"]),
                   leading_modulus=f["leading_modulus"], leading_oscillation=f.get("leading_oscillation", NAN),
                   outside_unit_circle=int(f["outside_unit_circle"]), attractor=kind[0] if kind else "unsettled",
                   leading_lyapunov=f["leading_lyapunov"], dimensionality=f["dimensionality"],
                   features=np.asarray(features, dtype=float), feature_names=list(names),
                   attracting_points=int(f.get("attracting_points", 0)),
                   marginal_attractors=int(f.get("marginal_attractors", 0)),
                   limit_cycles=int(f.get("limit_cycles", 0)), chaotic=int(f.get("chaotic", 0)),
                   attractor_set=attractor_set, key=key, scaffold=scaffold)


@dataclass
class ConditionDynamics:
    """One group of trials (one value of the grouping condition)."""

    value: float
    trials: int                    # trials in the group
    attractor: Attractor           # of the autonomous run from the end of the group's first trial
    mean_states: np.ndarray        # (T, N) the group's mean trajectory
    mean_states_pcs: np.ndarray    # (T, pcs) on the network's principal axes
    autonomous_pcs: np.ndarray     # (W, pcs) the autonomous run (attractor.window) on them
    lyapunov_per_step: np.ndarray  # (k,) along the autonomous run
    lyapunov_per_tau: np.ndarray
    trial_indices: np.ndarray | None = None  # which trials (not stored in files)


@dataclass
class InputCondition:
    """The long-run dynamics at one constant input (docs/dynamics.md "Input
    conditions"): zero input, or one of the task's operating inputs (a
    context cue held on)."""

    name: str                      # "zero" or the task's name for it, e.g. "context=0"
    input: np.ndarray              # (I,)
    attractors: "AttractorSet | None"  # from the same starts as at zero input
    stable: int                    # stable fixed points at this input
    saddles: int

    @classmethod
    def from_dict(cls, d: dict) -> "InputCondition":
        return cls(name=d["name"], input=np.asarray(d["input"]), attractors=AttractorSet.from_dict(d["attractors"]),
                   stable=int(d["stable"]), saddles=int(d["saddles"]))

    @classmethod
    def list_from_file(cls, g: dict) -> list:
        """From a stored dynamics group's inputs/ (empty for files from before)."""
        inputs = g.get("inputs") or {}
        if "names" not in inputs:
            return []
        out = []
        for c, name in enumerate(inputs["names"]):
            att = g.get("attractors") if c == 0 else inputs.get(str(c), {}).get("attractors")
            out.append(cls(name=str(name), input=np.asarray(inputs["input"])[c], attractors=AttractorSet.from_file(att),
                           stable=int(inputs["stable"][c]), saddles=int(inputs["saddles"][c])))
        return out


@dataclass
class Dynamics:
    """The dynamics analysis of one network (docs/dynamics.md "Per network"),
    as computed by rnnlab.dynamics() or stored by `rnnlab analyze --dynamics`.
    From a file, states / trial_conditions are None (the file keeps only
    the per-group means)."""

    task: str
    group: str                     # what the census compares networks within
    condition: str                 # the grouping condition ("" if none)
    delay_window: tuple            # (from, to) steps of Jarne's activity test
    attractor: str                 # the most complex type over the groups
    leading_lyapunov_per_tau: float  # the largest over the groups
    participation_ratio: float
    alpha: float
    dt_ms: float
    pca: Pca
    jarne: Jarne
    conditions: list               # of ConditionDynamics
    fixed_points: dict             # zero input: x (P, N), stability (P), kind (P) when computed here
    signature: Signature
    attractors: AttractorSet | None = None      # zero input, from many starts (None: a file from before)
    states: np.ndarray | None = None            # (T, B, N) every trial's states
    trial_conditions: np.ndarray | None = None  # (B, C) task condition labels per trial
    condition_names: list = field(default_factory=list)
    network_seed: int | None = None             # the network's seed, when known
    # Zero input, then each of the task's operating inputs (InputCondition);
    # empty for files from before.
    inputs: list = field(default_factory=list)

    def __repr__(self) -> str:
        s = self.signature
        seed = f"seed {self.network_seed}: " if self.network_seed is not None else ""
        return (f"Dynamics({seed}{self.attractor}, Jarne {self.jarne.label}, leading Lyapunov "
                f"{self.leading_lyapunov_per_tau:.3g}/tau, PR {self.participation_ratio:.2f}, "
                f"{s.stable_points} stable / {s.saddles} saddles, {len(self.conditions)} condition groups)")

    @classmethod
    def from_file(cls, g: dict, network_seed: int | None = None) -> "Dynamics | None":
        """From a network's stored dynamics: analysis['dynamics'], the nested dict
        load() reads through the declared C++ reader (shapes checked)."""
        if not g or "signature" not in g:
            return None
        p = g["pca"]
        pc = Pca(mean=np.asarray(p["mean"]), variances=np.asarray(p["explained_variance"]),
                 explained_ratio=np.asarray(p["explained_ratio"]), components=np.asarray(p["components"]),
                 participation_ratio=float(g["participation_ratio"]))
        j = g["jarne"]
        jarne = Jarne(label=j["label"], spectral_label=j["spectral_label"], activity_label=j["activity_label"],
                      oscillation_index=float(j["oscillation_index"]), condition_labels=list(j["condition_labels"]),
                      peak_to_median=np.asarray(j["peak_to_median"]), peak_cycles=np.asarray(j["peak_cycles"]),
                      time_correlation=np.asarray(j["time_correlation"]),
                      unstable_modes=int(j["unstable_modes"]) if "unstable_modes" in j else None)
        conds = []
        for key in sorted(g.get("conditions", {}), key=int):
            c = g["conditions"][key]
            per_tau = np.asarray(c["lyapunov_per_tau"])
            att = Attractor(type=c["attractor"], fixed_point=int(c["fixed_point"]),
                            fixed_point_distance=float(c["fixed_point_distance"]),
                            period_steps=float(c["period_steps"]), period_ms=float(c["period_ms"]),
                            amplitude=float(c["amplitude"]), extent=float(c["extent"]),
                            leading_exponent=float(per_tau[0]) if per_tau.size else NAN,
                            window=np.asarray(c["autonomous"]), returns=int(c.get("returns", 0)),
                            return_miss=float(c.get("return_miss", NAN)),
                            leading_exponent_first=float(c.get("leading_exponent_first", NAN)),
                            leading_exponent_second=float(c.get("leading_exponent_second", NAN)))
            conds.append(ConditionDynamics(value=float(c["value"]), trials=int(c["trials"]), attractor=att,
                                           mean_states=np.asarray(c["mean_states"]),
                                           mean_states_pcs=np.asarray(c["mean_states_pcs"]),
                                           autonomous_pcs=np.asarray(c["autonomous_pcs"]),
                                           lyapunov_per_step=np.asarray(c["lyapunov_per_step"]),
                                           lyapunov_per_tau=per_tau))
        fp = g.get("fixed_points", {})
        return cls(task=g["task"], group="", condition=g["condition"],
                   delay_window=(int(g["delay_window_from"]), int(g["delay_window_to"])), attractor=g["attractor"],
                   leading_lyapunov_per_tau=float(g["leading_lyapunov_per_tau"]),
                   participation_ratio=float(g["participation_ratio"]), alpha=float(g["alpha"]),
                   dt_ms=float(g["dt_ms"]), pca=pc, jarne=jarne, conditions=conds,
                   fixed_points={"x": np.asarray(fp.get("x", np.zeros((0, len(pc.mean))))),
                                 "stability": list(fp.get("stability", []))},
                   signature=Signature.from_features(g["signature"], list(g["signature_names"]),
                                                     attractor_set=str(g.get("attractor_set", "")),
                                                     key=str(g.get("family_key", "")),
                                                     scaffold=str(g.get("scaffold", {}).get("description", ""))),
                   attractors=AttractorSet.from_file(g.get("attractors", {})), network_seed=network_seed,
                   inputs=InputCondition.list_from_file(g))


#: The stored dynamics exactly as the file holds them (src/analysis/dynamics_schema.cpp):
#: rnnlab.results.read(path, seed, "dynamics") gives one; Dynamics.from_file builds a Dynamics from it.
DynamicsRecord = results.declared("DynamicsRecord")
Dynamics.__doc__ += ("\n\n    In the file (/networks/<seed>/analysis/dynamics/, read and shape-checked by the "
                     "declared C++ reader):\n\n" + DynamicsRecord.__doc__)


def _task_args(net: Network, task) -> tuple:
    """(name, params) for the C++ side; ("", {}) means the network's own config."""
    if task is None:  # the network's own config; none (an import): the network left alone
        return "", {}
    if isinstance(task, str):
        return task, {}
    if isinstance(task, UserTask):  # a task written in Python: its own trials (rnnlab.task)
        return native_task(task), {}
    if hasattr(task, "params") and hasattr(task, "name"):  # rnnlab.tasks.Task; made again at the network's dt
        return task.name, dict(task.params)
    raise InputError(f"task must be a task name, an rnnlab.tasks.Task or an rnnlab.Task, got {type(task).__name__}")


def _condition_from(c: dict) -> ConditionDynamics:
    att = Attractor(**{k: c[k] for k in ("type", "fixed_point", "fixed_point_distance", "period_steps", "period_ms",
                                         "amplitude", "extent", "leading_exponent", "window", "returns",
                                         "return_miss", "leading_exponent_first", "leading_exponent_second")})
    trials = np.asarray(c["trials"], dtype=int)
    return ConditionDynamics(value=float(c["value"]), trials=len(trials), attractor=att,
                             mean_states=c["mean_states"], mean_states_pcs=c["mean_states_pcs"],
                             autonomous_pcs=c["autonomous_pcs"], lyapunov_per_step=c["lyapunov_per_step"],
                             lyapunov_per_tau=c["lyapunov_per_tau"], trial_indices=trials)


def dynamics(net: Network, task=None, *, trials: int = 32, seed: int = 1, network_seed: int | None = None,
             **options) -> Dynamics:
    """The per-network dynamics analysis of `rnnlab analyze --dynamics`: the
    same trials, groups, thresholds and numbers for the same network.

    task: None (the network's training config, as for networks from load() or
    train(); a network with none, e.g. an import, is analysed autonomously:
    `trials` runs at zero input from a box of starts, `autonomous_steps` steps
    each), a task name (at its defaults) or an rnnlab.tasks.Task (its
    parameters), made at the network's dt, or an rnnlab.Task (a task written
    in Python, which a network trained on one needs: its config names it). `trials` noiseless trials are drawn
    from the analysis stream of `seed` (the file's @seed; it also seeds the
    fixed-point starts). network_seed: only recorded (the census names
    networks by it).

    options, named as the file's attributes (docs/dynamics.md): autonomous_steps, condition,
    delay_start, delay_end, pcs, fixed_point_starts, trajectory_starts,
    random_starts, threads, lyapunov_exponents, lyapunov_transient,
    lyapunov_steps, attractor_transient, attractor_window,
    fixed_point_tolerance, match_distance, chaos_threshold, chaos_agreement,
    return_tolerance, sustained_ratio, jarne_spectral_oscillatory,
    jarne_spectral_mixed, jarne_peak_to_median, jarne_min_cycles,
    jarne_ramp_correlation.
    """
    name, params = _task_args(net, task)
    opts = dict(options, trials=trials, seed=seed)
    d = _core.dynamics(net._as_dict(), name, params, net.config, opts, autonomous=task is None)
    p = d["pca"]
    j = d["jarne"]
    return Dynamics(task=d["task"], group=d["group"], condition=d["condition"],
                    delay_window=(d["delay_window_from"], d["delay_window_to"]), attractor=d["attractor"],
                    leading_lyapunov_per_tau=d["leading_lyapunov_per_tau"],
                    participation_ratio=d["participation_ratio"], alpha=d["alpha"], dt_ms=d["dt_ms"],
                    pca=Pca(**p), jarne=Jarne(**j), conditions=[_condition_from(c) for c in d["conditions"]],
                    fixed_points=d["fixed_points"], signature=Signature(**d["signature"]),
                    attractors=AttractorSet.from_dict(d["attractors"]), states=d["states"],
                    trial_conditions=np.asarray(d["trial_conditions"]), condition_names=list(d["condition_names"]),
                    network_seed=network_seed, inputs=[InputCondition.from_dict(c) for c in d["inputs"]])
