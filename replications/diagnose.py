#!/usr/bin/env python3
"""Measurements behind the replication rows that fall outside the published
numbers (replications/README.md, "Why three rows are outside"):

    PYTHONPATH=build/python python3 replications/diagnose.py [fixed-points] [pruning] [henrici] [--keep DIR]

fixed-points  Sussillo & Barak's 27 = 3^3 fixed points of a 3-bit flip-flop:
              the finder at its defaults, with 8x the starts, with start noise,
              and from targeted starts (the midpoints of every 2, 4 and 8 of the
              stable memories, where the cube's saddles lie); each point labelled
              by its readout (+, -, or 0 for a bit between its memories) so the
              missing labels of the 3^3 cube can be named.
pruning       Jarne & Laje's AND-gate pruning onset: the accuracy onset (the
              row's measure) next to her measure, an output error that grows
              relative to the intact network's, for the row's leaky networks and
              for networks without leak (alpha = 1, as her Keras ones).
henrici       Jarne's Henrici numbers: the number before and after training,
              how far training moved W_rec, and her setting (N = 100, alpha = 1).

Uses the rnnlab command (training) and the Python package (analyses), ~10
minutes of CPU for all three. The numbers printed are the ones quoted in
replications/README.md.
"""
import argparse
import itertools
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

import rnnlab
from rnnlab.perturb import prune_connections

HERE = Path(__file__).resolve().parent
CONFIGS = HERE / "configs"


def train(rnnlab_bin: str, workdir: Path, config: str, name: str, *sets) -> rnnlab.Experiment:
    out = workdir / f"{name}.h5"
    if not out.exists():
        extra = [a for s in sets for a in ("--set", s)]
        subprocess.run([rnnlab_bin, "train", str(CONFIGS / config), "-o", str(out), "--quiet", "--threads", "1",
                        *extra], check=True)
    return rnnlab.load(str(out))


# ---- Sussillo & Barak: which of the 27 points are missing ---------------------

def readout_label(net: rnnlab.Network, x: np.ndarray) -> str:
    """+ / - per bit where the readout is past +-0.5, 0 between: the point's place in the 3^k cube."""
    y = net.w_out @ np.tanh(x) + net.b_out
    return "".join("+" if v > 0.5 else "-" if v < -0.5 else "0" for v in y)


def fixed_only(fps) -> list:
    kinds = np.asarray(fps.points.kind)
    return [(np.asarray(fps.points.x)[i], fps.points.stability[i], int(fps.points.unstable_directions[i]))
            for i in range(len(kinds)) if kinds[i] == "fixed"]


def union(points: list) -> list:
    kept = []
    for p in points:
        if not any(np.abs(p[0] - q[0]).max() < 1e-6 * (1 + np.abs(p[0]).max()) for q in kept):
            kept.append(p)
    return kept


def fixed_points_study(rnnlab_bin: str, workdir: Path) -> None:
    exp = train(rnnlab_bin, workdir, "flipflop_3bit.toml", "flipflop_3bit")
    task = exp.task()
    batch = task.batch(64, seed=1)
    for rec in exp.networks:
        net = rec.trained
        states = net.simulate(batch.inputs).states
        found = {}
        for name, kw in (("defaults (1024 starts)", {}), ("8192 starts", {"n_starts": 8192}),
                         ("1024 starts, noise 0.1", {"noise": 0.1}), ("1024 starts, noise 0.5", {"noise": 0.5})):
            found[name] = fixed_only(rnnlab.fixed_points(net, trajectories=states, threads=1, **kw))
        stable = [p[0] for p in found["defaults (1024 starts)"] if p[1] == "stable"]
        subsets = [c for k in (2, 4, 8) for c in itertools.combinations(range(len(stable)), k)]
        targeted = np.array([np.mean([stable[i] for i in c], axis=0) for c in subsets]).T
        rng = np.random.default_rng(1)
        targeted = np.hstack([targeted] + [targeted + s * rng.standard_normal(targeted.shape) for s in (0.05, 0.2)])
        found[f"targeted ({targeted.shape[1]} midpoints of stable points)"] = fixed_only(
            rnnlab.fixed_points(net, np.ascontiguousarray(targeted), threads=1))
        everything = union([p for pts in found.values() for p in pts])
        print(f"network {rec.seed}:")
        cube = {"".join(t) for t in itertools.product("+0-", repeat=3)}
        for name, pts in found.items():
            missing = sorted(cube - {readout_label(net, p[0]) for p in pts})
            print(f"  {name}: {len(pts)} fixed, {sum(p[1] == 'stable' for p in pts)} stable; "
                  f"missing {missing} (unstable directions {[l.count('0') for l in missing]})")
        labels = [readout_label(net, p[0]) for p in everything]
        by_unstable = {}
        for p in everything:
            by_unstable[p[2]] = by_unstable.get(p[2], 0) + 1
        print(f"  all searches together: {len(everything)} fixed; by unstable directions "
              f"{dict(sorted(by_unstable.items()))} (a 3^3 cube: {{0: 8, 1: 12, 2: 6, 3: 1}})")
        print(f"  cube labels missing: {sorted(cube - set(labels))}; labels outside the cube or repeated: "
              f"{sorted(l for l in labels if l not in cube or labels.count(l) > 1)}")


# ---- Jarne & Laje: pruning onset, her measure and ours -------------------------

def output_error(net: rnnlab.Network, batch) -> float:
    """Mean squared output error on the scored steps (her measure is an output distance, ours the accuracy)."""
    y = net.simulate(batch.inputs).outputs
    m = np.ones(y.shape[:2]) if batch.mask is None else np.asarray(batch.mask).reshape(y.shape[:2])
    return float((m[..., None] * (y - batch.targets) ** 2).sum() / (m.sum() * y.shape[2]))


def pruning_study(rnnlab_bin: str, workdir: Path) -> None:
    levels = [0, 0.02, 0.04, 0.06, 0.08, 0.1, 0.14, 0.2, 0.3, 0.5]
    for label, sets in (("row's networks (N = 64, alpha = 0.1)", ()),
                        ("no leak (N = 64, alpha = 1, dt = tau = 10 ms)", ("model.tau=10", "train.learning_rate=0.002", "train.iterations=1500")),
                        ("no leak, N = 16", ("model.tau=10", "train.learning_rate=0.002", "train.iterations=1500", "model.units=16"))):
        exp = train(rnnlab_bin, workdir, "logic_and.toml", "and_" + "_".join(s.split("=")[1] for s in sets), *sets)
        task = exp.task()
        batch = task.batch(256, seed=7)
        print(f"{label}:")
        for rec in exp.networks:
            acc, err = [], []
            for lv in levels:
                damaged = prune_connections(rec.trained, lv)
                acc.append(task.accuracy(batch, damaged.simulate(batch.inputs).outputs))
                err.append(output_error(damaged, batch))
            w = np.abs(rec.trained.w_rec).ravel()
            w2 = np.sort(w ** 2)
            share = {lv: w2[: int(lv * len(w2))].sum() / w2.sum() for lv in (0.06, 0.14, 0.5)}
            ratio = [e / err[0] for e in err]
            first = lambda cond: next((f"{100 * lv:g}%" for lv, r in zip(levels, ratio) if cond(r)), "none <= 50%")
            print(f"  seed {rec.seed}: accuracy {' '.join(f'{a:.2f}' for a in acc)}")
            print(f"    error / intact {' '.join(f'{r:.2f}' for r in ratio)} (intact MSE {err[0]:.2e}); "
                  f"error 1.7x at {first(lambda r: r >= 1.7)}, 6x at {first(lambda r: r >= 6)}")
            print(f"    share of ||W_rec||_F^2 in the smallest 6 / 14 / 50% of |w|: "
                  + " / ".join(f"{100 * v:.2f}%" for v in share.values()))
    print(f"  (levels: {', '.join(f'{100 * lv:g}%' for lv in levels)})")


# ---- Jarne: Henrici number before and after training ----------------------------

def henrici(w: np.ndarray) -> float:
    """sqrt(||W||_F^2 - sum |lambda_i|^2) / ||W||_F: 0 for a normal matrix, -> 1/sqrt(2) for a large
    random normal (Ginibre) one, whose eigenvalues fill a disc of radius g with mean |lambda|^2 = g^2 / 2."""
    f2 = float((w ** 2).sum())
    return float(np.sqrt(max(0.0, f2 - (np.abs(np.linalg.eigvals(w)) ** 2).sum()) / f2))


def henrici_study(rnnlab_bin: str, workdir: Path) -> None:
    rng = np.random.default_rng(0)
    for n in (64, 100, 1000):
        print(f"random normal W (N = {n}, variance 1/N): H = {henrici(rng.standard_normal((n, n)) / np.sqrt(n)):.3f}")
    for label, sets in (("row's networks (N = 64, alpha = 1, 1500 iterations, lr 0.005)", ()),
                        ("N = 100", ("model.units=100",)),
                        ("N = 100, lr 0.001", ("model.units=100", "train.learning_rate=0.001"))):
        name = "henrici_" + "_".join(s.split("=")[1] for s in sets)
        exp = train(rnnlab_bin, workdir, "integration_normal.toml", name, *sets)
        print(f"{label}:")
        for rec in exp.networks:
            w0, w = rec.initial.w_rec, rec.trained.w_rec
            moved = np.linalg.norm(w - w0) / np.linalg.norm(w0)
            print(f"  seed {rec.seed}: H initial {henrici(w0):.3f}, trained {henrici(w):.3f}; "
                  f"||W - W0||_F / ||W0||_F = {moved:.2f}; best iteration {rec.best_iteration}, "
                  f"validation accuracy {rec.best_val_accuracy:.2f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("studies", nargs="*", default=["fixed-points", "pruning", "henrici"],
                    choices=["fixed-points", "pruning", "henrici"])
    ap.add_argument("--rnnlab", default=str(HERE.parent / "build" / "rnnlab"))
    ap.add_argument("--keep", help="keep (and reuse) the trained files in this folder")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(args.keep or tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        study = {"fixed-points": fixed_points_study, "pruning": pruning_study, "henrici": henrici_study}
        for name in args.studies:
            print(f"== {name}")
            study[name](args.rnnlab, workdir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
