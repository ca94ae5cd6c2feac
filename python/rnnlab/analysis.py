"""Analyses of one network, computed in C++ (float64), returned as plain
dataclasses of NumPy arrays. Definitions: src/analysis/*.hpp and
docs/ground-truths.md. Lyapunov exponents, PCA, attractors and the dynamics analysis
are in rnnlab/dynamics.py, the census of an ensemble in rnnlab/census.py.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _core
from ._check import array
from ._core import InputError
from .network import Network


@dataclass
class Mode:
    """One eigenvalue read in continuous time (spectrum.hpp)."""

    eigenvalue: complex        # of the matrix analysed
    step_eigenvalue: complex   # of the step map
    continuous: complex        # (l_d - 1) / alpha, in 1/tau
    time_constant_ms: float    # -tau / Re(continuous); inf when not decaying
    frequency_hz: float        # |arg(l_d)| / (2 pi dt)


@dataclass
class Theory:
    """Random-matrix theory beside the measured bulk (spectrum.hpp SpectrumTheory).
    spec_* and circular_radius are NaN without a training config (imports)."""

    circular_radius: float
    spec_bulk_radius: float
    spec_outlier: float
    rajan_abbott_radius: float
    rajan_abbott_outlier: float
    quantile_radius: float
    measured_bulk_radius: float
    outliers: np.ndarray       # complex
    e_fraction: float
    mu_e: float
    sigma_e: float
    mu_i: float
    sigma_i: float


@dataclass
class Spectrum:
    matrix: str                # "w_rec" or "jacobian"
    alpha: float
    dt: float
    eigenvalues: np.ndarray    # (N,) complex, |l| descending, conjugate pairs +Im first
    spectral_radius: float
    outside_unit_circle: int
    leading: Mode
    leading_complex: Mode | None
    frobenius_norm: float
    henrici: float             # departure from normality, 0 normal, ~0.707 Gaussian
    symmetric_eigenvalues: np.ndarray
    antisymmetric_eigenvalues: np.ndarray
    singular_values: np.ndarray
    theory: Theory | None = None


def _spectrum_from(d: dict) -> Spectrum:
    d = dict(d)
    d["leading"] = Mode(**d["leading"])
    d["leading_complex"] = None if d["leading_complex"] is None else Mode(**d["leading_complex"])
    if "theory" in d:
        d["theory"] = Theory(**d["theory"])
    return Spectrum(**d)


def spectrum(net: Network) -> Spectrum:
    """Spectrum of W_rec with its theory (from the network's training config when it has one)."""
    return _spectrum_from(_core.spectrum(net._as_dict(), net.config))


@dataclass
class Linearisation:
    x: np.ndarray               # (N,) the state
    jacobian: np.ndarray        # (N, N) dF/dx = (1 - a) I + a W_rec diag(phi'(x))
    input_jacobian: np.ndarray  # (N, I) dF/du = a W_in
    spectrum: Spectrum          # of the jacobian (no theory)


def linearise(net: Network, x) -> Linearisation:
    """The step map F(x, u) = (1-a) x + a (W_rec phi(x) + W_in u + b) linearised at the state x (N,)."""
    x = array("x", x, (net.units,), ("N",))
    d = _core.linearise(net._as_dict(), x)
    return Linearisation(x=x, jacobian=d["jacobian"], input_jacobian=d["input_jacobian"],
                         spectrum=_spectrum_from(d["spectrum"]))


@dataclass
class Moments:
    count: int
    mean: float
    sd: float
    skewness: float
    excess_kurtosis: float


@dataclass
class WeightStats:
    """Moments of the existing W_rec entries (mask 1), per population under Dale."""

    all: Moments
    excitatory: Moments
    inhibitory: Moments
    w_rec_norm: float
    w_in_norm: float
    w_out_norm: float
    change: dict | None = None  # with initial=: w_rec_change_norm, w_rec_relative_change, ..., w_rec_correlation


def weight_stats(net: Network, initial: Network | None = None, mask=None) -> WeightStats:
    """Weight statistics of `net`; with `initial`, also how W moved from it. `mask`
    (N, N) of 0/1 defaults to the network's own mask_rec (dense when it has none)."""
    m = net.mask_rec if mask is None else array("mask", mask, (net.units, net.units), ("N", "N"))
    d = _core.weight_stats(net._as_dict(), np.zeros((0, 0)) if m is None else m,
                           None if initial is None else initial._as_dict())
    return WeightStats(all=Moments(**d["all"]), excitatory=Moments(**d["excitatory"]),
                       inhibitory=Moments(**d["inhibitory"]), w_rec_norm=d["w_rec_norm"],
                       w_in_norm=d["w_in_norm"], w_out_norm=d["w_out_norm"], change=d.get("change"))


# What a start ended at / what a point is (PointKind in src/analysis/fixed_points.hpp):
# "fixed" (a root of F(x) - x), "slow" (a local minimum of q with speed <= slow_speed),
# "local_minimum" (a local minimum of q faster than that: the start converged, to a
# ghost too fast to call slow), "not_converged" (starts only: stalled or diverged).
# Files written before "local_minimum" existed hold a subset of these.
POINT_KINDS = ("fixed", "slow", "local_minimum", "not_converged")


@dataclass
class FixedPoints:
    """Distinct fixed points, slow points and local minima of q (rows), as in the
    file's analysis/fixed_points/points.

    speed = |F(x) - x| / alpha = tau |dx/dt|, in state units per tau (the same for
    every alpha; q = 1/2 alpha^2 speed^2). P points, N units, I inputs, k kept eigenvectors."""

    x: np.ndarray                    # (P, N)
    q: np.ndarray                    # (P,) 1/2 |F(x) - x|^2
    kind: list                       # P of "fixed" | "slow" | "local_minimum"
    stability: list                  # P of "stable" | "saddle" | "unstable" | "marginal"
    count: np.ndarray                # (P,) starts that reached it
    unstable_directions: np.ndarray  # (P,)
    marginal_directions: np.ndarray  # (P,)
    eigenvalues: np.ndarray          # (P, N) complex, discrete, |l| descending
    continuous_eigenvalues: np.ndarray  # (P, N) complex, (l - 1)/alpha in 1/tau
    eigenvectors: np.ndarray         # (P, k, N) complex: eigenvectors[p, j] belongs to eigenvalues[p, j]
    jacobian: np.ndarray             # (P, N, N) dF/dx
    input_jacobian: np.ndarray       # (P, N, I) dF/du
    distance_to_starts: np.ndarray   # (P,)
    outlier: np.ndarray              # (P,) bool
    input: np.ndarray                # (I,) the constant input searched at
    starts: dict                     # per start: initial (K, N), x (K, N), q, speed, iterations, kind, point
    summary: dict                    # counts: starts, fixed_points, stable, saddles, local_minima, ...
    speed: np.ndarray | None = None  # (P,) |F(x) - x| / alpha, per tau
    position_error: np.ndarray | None = None  # (P,) estimated distance to the exact point (0 in old files)

    def __repr__(self) -> str:
        s = self.summary
        return (f"FixedPoints({s['fixed_points']} fixed ({s['stable']} stable, {s['saddles']} saddles, "
                f"{s['unstable']} unstable, {s['marginal']} marginal), {s['slow_points']} slow, "
                f"{s.get('local_minima', 0)} local minima, "
                f"from {s['starts']} starts)")


def fixed_point_defaults() -> dict:
    """The finder's defaults, from their one declaration in C++ (FixedPointStarts and
    FixedPointOptions, src/analysis/fixed_points.hpp), shared with
    `rnnlab analyze --fixed-points`: n_starts, trials, noise, seed and every option."""
    return dict(_core.fixed_point_defaults())


def fixed_points(net: Network, starts=None, u=None, *, trajectories=None, n_starts: int | None = None,
                 noise: float | None = None, seed: int | None = None, **options) -> FixedPoints:
    """Fixed points, slow points and local minima of q of the noiseless map at constant
    input u (I,) (zero when None).

    Starting states: `starts` (N, K), one state per column (the C++ convention),
    or `trajectories`: visited states (T, B, N) or (M, N), from which `n_starts`
    are sampled with replacement plus N(0, noise^2) per coordinate (seeded).
    n_starts, noise and seed left at None take the defaults of
    `rnnlab analyze --fixed-points` (fixed_point_defaults(): 1024, 0.0, 1).
    `options` are FixedPointOptions (src/analysis/fixed_points.hpp): tolerance,
    slow_speed (per tau: a local minimum of q moving slower than this is "slow"),
    stationary_tolerance, max_iterations, polish_iterations, second_order,
    newton_first, first_pass_starts, known_root_radius, dedup_tolerance (the one
    merge tolerance), outlier_factor, marginal_tolerance, eigenvectors, threads.
    The deprecated slow_tolerance (on q) is turned into slow_speed with a warning.
    """
    defaults = fixed_point_defaults()
    n_starts = defaults["n_starts"] if n_starts is None else n_starts
    noise = defaults["noise"] if noise is None else noise
    seed = defaults["seed"] if seed is None else seed
    n = net.units
    if (starts is None) == (trajectories is None):
        raise InputError("fixed_points needs exactly one of starts (N, K) or trajectories (T, B, N)")
    if starts is not None:
        s = array("starts", starts, (n, None), ("N", "K"))
    else:
        t = np.asarray(trajectories)
        t = array("trajectories", t.reshape(-1, t.shape[-1]) if t.ndim == 3 else t, (None, n), ("M", "N"))
        s = _core.sample_starts(np.ascontiguousarray(t.T), int(n_starts), float(noise), int(seed))
    uu = np.zeros(0) if u is None else array("u", u, (net.inputs,), ("I",))
    d = _core.fixed_points(net._as_dict(), s, uu, options)
    p = d["points"]
    return FixedPoints(**{k: (np.asarray(v) if not isinstance(v, list) else v) for k, v in p.items()},
                       input=np.asarray(d["input"]), starts=d["starts"], summary=d["summary"])


def fixed_points_from_file(group: dict) -> FixedPoints | None:
    """A FixedPoints from an experiment's analysis['fixed_points'] dict (as load() reads it)."""
    if not group or "points" not in group:
        return None
    p = group["points"]
    keys = ("x", "q", "kind", "stability", "count", "unstable_directions", "marginal_directions", "eigenvalues",
            "continuous_eigenvalues", "eigenvectors", "jacobian", "input_jacobian", "distance_to_starts", "outlier")
    summary_keys = ("starts", "fixed_starts", "slow_starts", "local_minimum_starts", "not_converged", "fixed_points",
                    "slow_points", "local_minima", "stable", "saddles", "unstable", "marginal", "outliers", "unpolished")
    fields = {k: p.get(k) for k in keys}
    for k in ("kind", "stability"):  # strings, whatever the reader gave (bytes in some h5py versions)
        if fields[k] is not None:
            fields[k] = [v.decode() if isinstance(v, bytes) else str(v) for v in fields[k]]
    unknown = set(fields["kind"] or ()) - set(POINT_KINDS)
    if unknown:
        raise InputError(f"fixed points: unknown point kind(s) {sorted(unknown)} (kinds: {', '.join(POINT_KINDS)})")
    # Files from before speeds were stored: speed from q and alpha (q = 1/2 alpha^2 speed^2).
    speed = p.get("speed")
    if speed is None and p.get("q") is not None and "alpha" in group:
        speed = np.sqrt(2.0 * np.asarray(p["q"])) / float(group["alpha"])
    return FixedPoints(**fields, input=np.asarray(group.get("input", [])),
                       starts=group.get("starts", {}), summary={k: group.get(k, 0) for k in summary_keys},
                       speed=None if speed is None else np.asarray(speed),
                       position_error=np.asarray(p.get("position_error", np.zeros(len(p.get("q", []))))))
