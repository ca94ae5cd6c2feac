"""Analyses of one network, computed in C++ (float64), returned as plain
dataclasses of NumPy arrays. Definitions: src/analysis/*.hpp and
docs/ground-truths.md. Lyapunov exponents, PCA, attractors and the dynamics analysis
are in rnnlab/dynamics.py, the census of an ensemble in rnnlab/census.py.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _core, results
from ._check import array
from ._core import InputError
from .network import Network


# The result classes come from their one declaration in C++
# (src/analysis/spectrum_schema.cpp, fixed_points_schema.cpp): see results.py.
Mode = results.declared("Mode")
Theory = results.declared("Theory")
MatrixSpectrum = results.declared("MatrixSpectrum")
Spectrum = results.declared("Spectrum")
SpectrumAnalysis = results.declared("SpectrumAnalysis")
Moments = results.declared("Moments")
WeightChange = results.declared("WeightChange")


def spectrum(net: Network) -> Spectrum:
    """Spectrum of W_rec with its theory (from the network's training config when it has one)."""
    return Spectrum.from_dict(_core.spectrum(net._as_dict(), net.config))


@dataclass
class Linearisation:
    x: np.ndarray               # (N,) the state
    jacobian: np.ndarray        # (N, N) dF/dx = (1 - a) I + a W_rec diag(phi'(x))
    input_jacobian: np.ndarray  # (N, I) dF/du = a W_in
    spectrum: MatrixSpectrum    # of the jacobian


def linearise(net: Network, x) -> Linearisation:
    """The step map F(x, u) = (1-a) x + a (W_rec phi(x) + W_in u + b) linearised at the state x (N,)."""
    x = array("x", x, (net.units,), ("N",))
    d = _core.linearise(net._as_dict(), x)
    return Linearisation(x=x, jacobian=d["jacobian"], input_jacobian=d["input_jacobian"],
                         spectrum=MatrixSpectrum.from_dict(d["spectrum"]))


@results.register
@dataclass(kw_only=True, repr=False, eq=False)
class WeightStats(results.declared("WeightStats")):
    change: object = None  # WeightChange from initial=, else None


def weight_stats(net: Network, initial: Network | None = None, mask=None) -> WeightStats:
    """Weight statistics of `net`; with `initial`, also how W moved from it. `mask`
    (N, N) of 0/1 defaults to the network's own mask_rec (dense when it has none)."""
    m = net.mask_rec if mask is None else array("mask", mask, (net.units, net.units), ("N", "N"))
    d = _core.weight_stats(net._as_dict(), np.zeros((0, 0)) if m is None else m,
                           None if initial is None else initial._as_dict())
    ws = WeightStats.from_dict(d["trained"])
    ws.change = WeightChange.from_dict(d.get("change"))
    return ws


# What a start ended at / what a point is (PointKind in src/analysis/fixed_points.hpp):
# "fixed" (a root of F(x) - x), "slow" (a local minimum of q with speed <= slow_speed),
# "local_minimum" (a local minimum of q faster than that: the start converged, to a
# ghost too fast to call slow), "not_converged" (starts only: stalled or diverged).
# Files written before "local_minimum" existed hold a subset of these.
POINT_KINDS = ("fixed", "slow", "local_minimum", "not_converged")


@results.register
@dataclass(kw_only=True, repr=False, eq=False)
class FixedPoints(results.declared("FixedPoints")):
    # The columns of `points` (x, q, kind, stability, eigenvalues, jacobian, ...)
    # read directly too: fps.x is fps.points.x.
    def __getattr__(self, name):
        points = self.__dict__.get("points")
        if points is not None and name in points.keys():
            return getattr(points, name)
        raise AttributeError(f"FixedPoints has no field {name!r}")

    def __post_init__(self):
        points = self.points
        if points is not None and points.kind is not None:
            unknown = set(points.kind) - set(POINT_KINDS)
            if unknown:
                raise InputError(f"fixed points: unknown point kind(s) {sorted(unknown)} "
                                 f"(kinds: {', '.join(POINT_KINDS)})")
            # Files from before speeds were stored: speed from q and alpha (q = 1/2 alpha^2 speed^2).
            if points.speed is None and self.alpha:
                points.speed = np.sqrt(2.0 * np.asarray(points.q)) / float(self.alpha)
            if points.position_error is None:
                points.position_error = np.zeros(len(points.q))

    @property
    def summary(self) -> dict:
        """The counts over starts and points, by their names in the file (starts, fixed_points, stable, ...)."""
        return {f["stored_as"]: (getattr(self, f["name"]) or 0) for f in results.SCHEMAS["FixedPoints"]["fields"]
                if f["part"] == "FixedPointSummary"}

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
    return FixedPoints.from_dict(_core.fixed_points(net._as_dict(), s, uu, options))
