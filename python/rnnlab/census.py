"""The census of an ensemble (docs/dynamics.md "Census"): which solutions
appear and how often, solution families with representatives, how similar
the networks' trajectories are (CCA, Procrustes), and how spectral features
go with the dynamics class. Computed in C++ (src/analysis/census.hpp) from
per-network rnnlab.dynamics() results, exactly as `rnnlab analyze --dynamics`
computes /analysis/census for a file; Census.from_file reads that group.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _core, results
from ._core import InputError
from .dynamics import Dynamics, dynamics
from .network import Network


@dataclass
class Families:
    """Solution families, topology first: networks with identical family keys
    (the attractor set from many starts and the fixed points' stability
    counts, e.g. "limit_cycle + 2 fixed_point; 2 stable, 1 saddles") form one
    family, numbered by first member, which is also its representative.
    silhouette is 0 (kept for files from before, which clustered features by
    k-means)."""

    k: int
    silhouette: float
    label: np.ndarray                 # (n,) family of each network, 0 .. k-1 (numbered by first member)
    representative_seeds: np.ndarray  # (k,) the member nearest each family's centroid
    features: np.ndarray              # (n, F) signature features (rows: networks)
    feature_names: list
    max_k: int
    min_silhouette: float
    standardised: np.ndarray | None = None  # (n, F') what was clustered (not stored in files)
    keys: list | None = None          # (k,) each family's key (None: a file from before)


@dataclass
class Similarity:
    """Trajectory similarity on the same trials, top `pcs` principal components
    of each network: cca (n, n), 1 = the same trajectories up to a linear map;
    procrustes (n, n), 0 = the same up to rotation and scale, at most 2."""

    cca: np.ndarray
    procrustes: np.ndarray
    pcs: int
    # Means over pairs of networks in the same family / in different families
    # (NaN: no such pair, or a file from before): geometry beside topology.
    cca_within_families: float = float("nan")
    cca_between_families: float = float("nan")
    procrustes_within_families: float = float("nan")
    procrustes_between_families: float = float("nan")


@dataclass
class SpectralDynamics:
    """Per spectral feature (rows) and class (columns: attractor types, then
    jarne:<class>): point-biserial correlation (NaN where either is constant)
    and the feature's mean over the class's networks (NaN for an empty class)."""

    features: list
    classes: list
    correlation: np.ndarray
    class_mean: np.ndarray


@dataclass
class Census:
    """Networks are in `seeds` order everywhere; counts have one row per group."""

    seeds: np.ndarray                 # (n,)
    network_group: list               # (n,)
    network_attractor: list           # (n,)
    network_jarne: list               # (n,)
    groups: list                      # (G,) sorted
    attractor_types: list             # column names of attractor_counts
    jarne_classes: list               # column names of jarne_counts
    attractor_counts: np.ndarray      # (G, types) int
    jarne_counts: np.ndarray          # (G, classes) int
    table: str                        # the counts as text
    families: Families
    similarity: Similarity | None     # None when the states were not available
    spectral_dynamics: SpectralDynamics
    # A sweep (groups = sweep points, then "all networks"): per row, the
    # number of families within it and their silhouette. None otherwise.
    group_families: np.ndarray | None = None
    group_silhouettes: np.ndarray | None = None
    network_attractor_set: list | None = None  # (n,) each network's attractor set (None: a file from before)

    def __repr__(self) -> str:
        fam = f"{self.families.k} famil{'y' if self.families.k == 1 else 'ies'}"
        return f"Census({len(self.seeds)} networks, {fam})\n{self.table.rstrip()}"

    def family_members(self) -> dict:
        """{family: [seeds]}."""
        out = {}
        for s, f in zip(self.seeds, self.families.label):
            out.setdefault(int(f), []).append(int(s))
        return out

    @classmethod
    def from_dict(cls, d: dict) -> "Census":
        f, c = d["families"], d["spectral_dynamics"]
        sim = d.get("similarity")
        return cls(seeds=np.asarray(d["seeds"]).astype(np.int64), network_group=list(d["network_group"]),
                   network_attractor=list(d["network_attractor"]), network_jarne=list(d["network_jarne"]),
                   groups=list(d["groups"]), attractor_types=list(d["attractor_types"]),
                   jarne_classes=list(d["jarne_classes"]),
                   attractor_counts=np.asarray(d["attractor_counts"]).astype(np.int64),
                   jarne_counts=np.asarray(d["jarne_counts"]).astype(np.int64), table=str(d["table"]),
                   families=Families(k=int(f["k"]), silhouette=float(f["silhouette"]),
                                     label=np.asarray(f["label"]).astype(np.int64),
                                     representative_seeds=np.asarray(f["representative_seeds"]).astype(np.int64),
                                     features=np.asarray(f["features"]), feature_names=list(f["feature_names"]),
                                     max_k=int(f["max_k"]), min_silhouette=float(f["min_silhouette"]),
                                     standardised=f.get("standardised"),
                                     keys=None if f.get("keys") is None else list(f["keys"])),
                   similarity=None if sim is None else Similarity(
                       cca=np.asarray(sim["cca"]), procrustes=np.asarray(sim["procrustes"]), pcs=int(sim["pcs"]),
                       **{k: float(sim[k]) for k in ("cca_within_families", "cca_between_families",
                                                     "procrustes_within_families", "procrustes_between_families")
                          if k in sim}),
                   spectral_dynamics=SpectralDynamics(features=list(c["features"]), classes=list(c["classes"]),
                                                      correlation=np.asarray(c["correlation"]),
                                                      class_mean=np.asarray(c["class_mean"])),
                   group_families=None if d.get("group_families") is None
                   else np.asarray(d["group_families"]).astype(np.int64),
                   group_silhouettes=None if d.get("group_silhouettes") is None
                   else np.asarray(d["group_silhouettes"], dtype=float),
                   network_attractor_set=None if d.get("network_attractor_set") is None
                   else list(d["network_attractor_set"]))

    @classmethod
    def from_file(cls, group: dict) -> "Census | None":
        """From a file's /analysis/census group: Experiment.analysis['census'], the nested
        dict load() reads through the declared C++ reader (shapes checked)."""
        if not group or "seeds" not in group:
            return None
        return cls.from_dict(group)


#: The census exactly as the file holds it (src/analysis/census_schema.cpp); Census.from_file builds a Census from it.
CensusRecord = results.declared("CensusRecord")
Census.__doc__ += ("\n\n    In the file (/analysis/census/, read and shape-checked by the declared C++ reader):\n\n"
                   + CensusRecord.__doc__)


def _thin(states: np.ndarray, limit: int) -> np.ndarray:
    """N x M state matrix (column t * B + b) with at most `limit` evenly spaced
    columns: the columns dynamics_io.cpp's thin_columns keeps."""
    m = states.reshape(-1, states.shape[-1]).T
    if limit <= 0 or m.shape[1] <= limit:
        return np.ascontiguousarray(m)
    idx = (np.arange(limit) * m.shape[1]) // limit
    return np.ascontiguousarray(m[:, idx])


def _finite(net: Network) -> bool:
    return bool(np.isfinite(net.w_rec).all() and np.isfinite(net.w_in).all() and np.isfinite(net.b).all())


def _sweep_of(record, points: int):
    """(point, [(key, value), ...], points) of a swept record, else None."""
    if getattr(record, "sweep_point", -1) < 0:
        return None
    return record.sweep_point, sorted(record.sweep.items()), points


def _items(source) -> list:
    """(network or Dynamics, seed or None, sweep or None) from an Experiment,
    records, Networks or Dynamics results. Diverged networks of an Experiment
    are skipped, as the command line does. A swept record keeps its point, so
    that the census groups by sweep point as the command line does."""
    if hasattr(source, "networks") and hasattr(source, "config"):  # an Experiment
        records = [r for r in source.networks if r.trained is not None and r.trained.units and _finite(r.trained)]
        points = max([r.sweep_point + 1 for r in source.networks] + [0])
        return [(r.trained, r.seed, _sweep_of(r, points)) for r in records]
    out = []
    items = list(source)
    points = max([getattr(i, "sweep_point", -1) + 1 for i in items] + [0])
    for item in items:
        if isinstance(item, (Network, Dynamics)):
            out.append((item, getattr(item, "network_seed", None), None))
        elif hasattr(item, "trained") and hasattr(item, "seed"):  # a NetworkRecord
            if item.trained is None:
                raise InputError(f"network {item.seed} has no trained weights")
            out.append((item.trained, item.seed, _sweep_of(item, points)))
        else:
            raise InputError("census takes an Experiment or a list of Network, NetworkRecord or Dynamics, "
                             f"got a {type(item).__name__}")
    return out


def census(source, task=None, *, seeds=None, pcs: int = 3, similarity_columns: int = 2000, max_k: int = 6,
           min_silhouette: float = 0.5, iterations: int = 100, **dynamics_options) -> Census:
    """The census of several networks.

    source: an Experiment (every finite trained network, as `rnnlab analyze
    --dynamics`), or a list of Network, NetworkRecord or Dynamics (results of
    rnnlab.dynamics() are used as they are; networks are analysed with
    dynamics(net, task, pcs=pcs, **dynamics_options)). For the similarity
    matrices every network must have run on the same trials (same task,
    trials and seed): Dynamics read from a file have no states, and then
    similarity is None. seeds: names for the networks (default: the records'
    seeds, else 0, 1, ...). max_k, min_silhouette, iterations: the families'
    clustering (ClusterOptions). An experiment whose config has no usable task
    (an import) needs task=.
    """
    items = _items(source)
    if not items:
        raise InputError("census needs at least one network")
    if task is None and hasattr(source, "networks") and hasattr(source, "task"):
        if not any(net.config for net, _, _ in items if isinstance(net, Network)):
            task = source.task()  # an import: the task it recorded, if any
    results = []
    for net, seed, sweep in items:
        d = net if isinstance(net, Dynamics) else dynamics(net, task, pcs=pcs, network_seed=seed, **dynamics_options)
        if sweep is not None:  # grouped by its sweep point, named as the command line names it
            d.group = _core.census_group(d.task, "", *sweep)
        results.append(d)
    if seeds is None:
        known = [d.network_seed for d in results]
        seeds = known if all(s is not None for s in known) else list(range(len(results)))
    seeds = [int(s) for s in seeds]
    if len(seeds) != len(results):
        raise InputError(f"seeds has {len(seeds)} entries for {len(results)} networks")
    entries = []
    for s, d in zip(seeds, results):
        e = {"seed": s, "group": d.group or d.task, "features": d.signature.features, "jarne": d.jarne.label,
             "attractor_set": d.signature.attractor_set}
        if d.signature.key:
            e["key"] = d.signature.key
        entries.append(e)
    states = []
    if all(d.states is not None for d in results):
        shapes = {d.states.shape[:2] for d in results}
        if len(shapes) > 1:
            raise InputError(f"census: the networks ran on different trials (steps, trials) = {sorted(shapes)}: "
                             "similarity needs the same task, trials and seed for every network")
        states = [_thin(d.states, similarity_columns) for d in results]
    d = _core.census(entries, states, int(pcs),
                     {"max_k": max_k, "min_silhouette": min_silhouette, "iterations": iterations},
                     any(sweep is not None for _, _, sweep in items))
    return Census.from_dict(d)
