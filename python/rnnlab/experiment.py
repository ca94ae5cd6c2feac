"""Experiments: what rnnlab.load() reads from a results file and rnnlab.train() returns.

The weights and curves come through the C++ reader (the same code as the
command line); the analysis groups are read with h5py as nested dicts
(groups -> dict, datasets -> NumPy arrays, attributes -> values under the
same dict, string arrays -> lists of str), following docs/file-format.md.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import _core
from .network import Network


@dataclass
class NetworkRecord:
    seed: int
    status: str                 # trained | collapsed | diverged | failed | missing | imported
    status_reason: str
    origin: str                 # rnnlab, python:..., keras:<file>, ...
    iterations: int
    trained: Network | None     # the weights with the best validation loss (docs/training.md)
    initial: Network | None     # None for imports
    curves: dict = field(default_factory=dict)    # iteration, loss, val_loss, val_accuracy, wall_time: arrays
    analysis: dict = field(default_factory=dict)  # analysis groups from the file (empty after train())
    # Its place in a sweep (docs/config.md "[sweep]"). In a swept file `seed` is
    # the network's index (its group /networks/<index>) and sweep_seed the seed.
    sweep_point: int = -1                         # -1 without a sweep
    sweep: dict = field(default_factory=dict)     # {"model.units": "64", ...}: values as TOML text
    sweep_seed: int = 0
    # Best and last weights (docs/training.md). best_iteration is the iteration
    # `trained` comes from (-1 in files written before it was recorded, and for
    # networks that diverged before any validation: there `trained` is the last).
    best_iteration: int = -1
    best_val_loss: float = float("nan")
    best_val_accuracy: float = float("nan")
    final_val_loss: float = float("nan")      # validation of the last weights
    final_val_accuracy: float = float("nan")
    final_weights: Network | None = None      # stored only when not the best ones

    @property
    def final(self) -> Network | None:
        """The weights at the end of training: `final_weights` when they differ
        from the best ones, else `trained` (which then is the last)."""
        return self.final_weights if self.final_weights is not None else self.trained

    @property
    def dynamics(self):
        """The stored dynamics analysis (rnnlab.Dynamics), or None if the file has none."""
        from .dynamics import Dynamics

        return Dynamics.from_file(self.analysis.get("dynamics"), network_seed=self.seed)

    @property
    def fixed_points(self):
        """The stored fixed points (rnnlab.FixedPoints), or None if the file has none."""
        from .analysis import FixedPoints

        return FixedPoints.from_dict(self.analysis.get("fixed_points"))

    @property
    def spectrum(self):
        """The stored spectra and weight statistics (rnnlab.SpectrumAnalysis: initial,
        trained, weight_stats), or None if the file has none (`rnnlab analyze --spectrum`)."""
        from .analysis import SpectrumAnalysis

        return SpectrumAnalysis.from_dict(self.analysis.get("spectrum"))

    def __repr__(self) -> str:
        if self.sweep_point >= 0:
            point = ", ".join(f"{k}={v}" for k, v in sorted(self.sweep.items()))
            parts = [f"network {self.seed}", f"seed {self.sweep_seed}", f"sweep point {self.sweep_point} ({point})",
                     self.status, f"{self.iterations} iterations"]
        else:
            parts = [f"seed {self.seed}", self.status, f"{self.iterations} iterations"]
        if 0 <= self.best_iteration != self.iterations:
            parts.append(f"best at iteration {self.best_iteration}")
        if self.origin != "rnnlab":
            parts.append(f"from {self.origin}")
        if self.best_iteration >= 0:  # the stored weights' validation
            parts.append(f"val loss {self.best_val_loss:.4g}")
            parts.append(f"val accuracy {self.best_val_accuracy:.3f}")
        elif len(self.curves.get("val_loss", ())):
            parts.append(f"val loss {self.curves['val_loss'][-1]:.4g}")
            parts.append(f"val accuracy {self.curves['val_accuracy'][-1]:.3f}")
        if self.trained is not None:
            parts.append(f"N={self.trained.units}")
        if self.analysis:
            parts.append("analysis: " + ", ".join(sorted(self.analysis)))
        return "NetworkRecord(" + ", ".join(parts) + ")"


@dataclass
class Experiment:
    path: str
    config: str                 # TOML text as run (or the import record)
    rnnlab_version: str
    networks: list
    analysis: dict = field(default_factory=dict)  # the file's /analysis groups (census), as nested dicts

    @property
    def census(self):
        """The stored census of the ensemble (rnnlab.Census), or None if the file has none
        (`rnnlab run` and `rnnlab analyze --dynamics` write one)."""
        from .census import Census

        return Census.from_file(self.analysis.get("census"))

    def network(self, seed: int) -> NetworkRecord:
        for rec in self.networks:
            if rec.seed == seed:
                return rec
        raise KeyError(f"no network with seed {seed} (seeds: {[r.seed for r in self.networks]})")

    def task(self, **changes):
        """The config's task (rnnlab.tasks.Task), or None for an import without one."""
        return task_of_config(self.config, **changes)

    def __repr__(self) -> str:
        head = f"Experiment({self.path!r}, rnnlab {self.rnnlab_version}, {len(self.networks)} networks"
        summary = _summary(self.config)
        if summary:
            head += f", task {summary['task']}, N={summary['units']}, dt={summary['dt']:g} ms, tau={summary['tau']:g} ms"
        if self.analysis:
            head += ", analysis: " + ", ".join(sorted(self.analysis))
        lines = [head + ")"] + ["  " + repr(r) for r in self.networks]
        return "\n".join(lines)


def _summary(config: str):
    """The parsed config (dict), or None when the text is not a training config (imports)."""
    if not config:
        return None
    try:
        return _core.config_summary(config, "<config>", [])
    except (ValueError, RuntimeError):
        return None


def task_of_config(config: str, **changes):
    from . import tasks
    import tomllib
    try:
        table = tomllib.loads(config).get("task")
    except tomllib.TOMLDecodeError:
        return None
    if not table:
        return None
    params = {k: v for k, v in table.items() if k != "name"}
    params.update(changes)
    summary = _summary(config)
    dt = summary["dt"] if summary else float(tomllib.loads(config).get("import", {}).get("dt", 1.0))
    return tasks.make(table["name"], dt=dt, **params)


def records_from(dicts: list, config: str, analysis: dict | None = None) -> list:
    out = []
    for d in dicts:
        own = d.get("config", config)  # a swept network's point config, else the file's
        summary = _summary(own)
        meta = {"config": own if summary else ""}
        if summary:
            meta.update(sigma_rec=summary["sigma_rec"], sigma_in=summary["sigma_in"])
        mask = d.get("mask_rec")
        trained = None if d["trained"] is None else Network._from_dict(d["trained"], mask_rec=mask, **meta)
        initial = None if d["initial"] is None else Network._from_dict(d["initial"], mask_rec=mask, **meta)
        final = None if d.get("final") is None else Network._from_dict(d["final"], mask_rec=mask, **meta)
        out.append(NetworkRecord(seed=int(d["seed"]), status=d["status"], status_reason=d["status_reason"],
                                 origin=d["origin"], iterations=int(d["iterations"]), trained=trained,
                                 initial=initial, curves={k: np.asarray(v, dtype=float) for k, v in d["curves"].items()},
                                 analysis=(analysis or {}).get(int(d["seed"]), {}),
                                 sweep_point=int(d.get("sweep_point", -1)), sweep=dict(d.get("sweep", {})),
                                 sweep_seed=int(d.get("sweep_seed", 0)),
                                 best_iteration=int(d.get("best_iteration", -1)),
                                 best_val_loss=float(d.get("best_val_loss", np.nan)),
                                 best_val_accuracy=float(d.get("best_val_accuracy", np.nan)),
                                 final_val_loss=float(d.get("final_val_loss", np.nan)),
                                 final_val_accuracy=float(d.get("final_val_accuracy", np.nan)),
                                 final_weights=final))
    return out


def read_group(group, skip=()) -> dict:
    """An h5py group as a nested dict: attributes and datasets side by side,
    leaving out the members named in `skip`. A damaged member (a dangling
    link, an unreadable or absurdly large dataset) is a ValueError naming the
    file and the member."""
    import h5py

    out = {}
    for k in group.attrs.keys():
        try:
            v = group.attrs[k]
        except (OSError, TypeError, ValueError, KeyError, RuntimeError) as e:  # a damaged datatype, say
            raise ValueError(f"{group.file.filename}:{group.name.rstrip('/')}/@{k}: cannot read: {e}") from e
        out[k] = v.decode() if isinstance(v, bytes) else v
    for k in group.keys():
        if k in skip:
            continue
        where = f"{group.file.filename}:{group.name.rstrip('/')}/{k}"
        item = group.get(k)  # None for a dangling link
        if isinstance(item, h5py.Group):
            out[k] = read_group(item)
        elif isinstance(item, h5py.Dataset):
            out[k] = _read_dataset(item, where)
        else:
            raise ValueError(f"{where}: not a readable group or dataset (a dangling link?)")
    return out


def _read_dataset(item, where: str):
    import os

    # A declared shape is only a number in the file: a corrupted one can claim
    # petabytes, refused before NumPy tries to allocate them.
    memory = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    if item.size * item.dtype.itemsize > memory:
        raise ValueError(f"{where}: declared shape {item.shape} needs more than this machine's memory; "
                         "the file is corrupted")
    try:
        if item.dtype.kind in "OS":
            return [s.decode() if isinstance(s, bytes) else s for s in np.asarray(item.asstr()[()]).ravel()]
        return item[()]
    except (OSError, TypeError, ValueError, KeyError, RuntimeError) as e:
        raise ValueError(f"{where}: cannot read: {e}") from e


def _read_analysis(path: str, declared=(), declared_file=()) -> tuple:
    """(per network {seed: analysis dict}, the file's own /analysis dict). The
    groups named in `declared` (per network) and `declared_file` (the file's)
    are not read here, only marked present (None): the C++ reader reads them
    (_read_declared)."""
    import h5py

    out = {}
    try:
        with h5py.File(path, "r") as f:
            for name, net in f.get("networks", {}).items():
                if "analysis" in net:
                    groups = read_group(net["analysis"], skip=declared)
                    groups.update({k: None for k in declared if k in net["analysis"]})
                    out[int(name)] = groups
            root = {}
            if "analysis" in f:
                root = read_group(f["analysis"], skip=declared_file)
                root.update({k: None for k in declared_file if k in f["analysis"]})
    except ValueError:
        raise  # already names the file and the member
    except (OSError, KeyError, RuntimeError, TypeError) as e:
        # HDF5's reason for a damaged file (the weights read fine, the analysis groups do not).
        raise ValueError(f"cannot read the analysis groups of '{path}': {e}") from e
    return out, root


def _read_declared(path: str, raw: dict, analysis: dict, root: dict) -> None:
    """The declared results (results.STORED, results.STORED_FILE) that
    _read_analysis marked present, read by the C++ reader in one opening of
    the file: nested dicts, with every shape checked against the result's
    declaration and the network's sizes."""
    from . import results

    sizes = {}
    for d in raw["networks"]:
        w = (d.get("trained") or {}).get("w_rec")
        if w is not None and (d.get("trained") or {}).get("w_out") is not None:
            sizes[int(d["seed"])] = (w.shape[0], d["trained"]["w_in"].shape[1], d["trained"]["w_out"].shape[0])
    wanted = [(seed, group) for seed, groups in analysis.items() for group in results.STORED if group in groups]
    wanted += [(-1, group) for group in results.STORED_FILE if group in root]
    requests = [(seed, group, *sizes.get(seed, (-1, -1, -1))) for seed, group in wanted]
    for (seed, group), d in zip(wanted, _core.read_results(path, requests)):
        (root if seed < 0 else analysis[seed])[group] = d


def load(path) -> Experiment:
    """Read a results file (rnnlab train / import / analyze) into an Experiment."""
    path = str(path)
    raw = _core.read_experiment(path)
    from . import results

    analysis, root = _read_analysis(path, declared=tuple(results.STORED), declared_file=tuple(results.STORED_FILE))
    _read_declared(path, raw, analysis, root)
    return Experiment(path=path, config=raw["config"], rnnlab_version=raw["rnnlab_version"],
                      networks=records_from(raw["networks"], raw["config"], analysis), analysis=root)
