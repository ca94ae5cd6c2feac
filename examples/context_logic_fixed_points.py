"""How the context input of context_logic reorganises a network's fixed points.

    PYTHONPATH=build/python python3 examples/context_logic_fixed_points.py [FILE.h5] [--rnnlab build/rnnlab]

FILE.h5 is a trained context_logic experiment; when it does not exist it is
trained first with `rnnlab train examples/context_logic.toml` (4 networks,
about 15 s). For every network the script:

1. finds the fixed points of the noiseless map at the constant input of each
   context, u = (0, 0, c) (inputs: operand a, operand b, context), c = -1 (OR),
   0 (XOR: no context pulse, also the input of every delay) and +1 (AND), from
   starts drawn from the network's own task trajectories, and counts them
   (fixed / stable / saddle; stability from the step map's Jacobian
   J = (1-a)I + a W_rec diag(phi'(x*)), |lambda| > 1 unstable);
2. follows the points as c moves from -1 to +1 in steps of 0.05
   (continuation: each step is warm-started from the previous step's points,
   plus the same fresh starts), and says whether every point moves
   continuously across the contexts or whether points are born or vanish
   (saddle-node bifurcations: the topology changes between contexts).

The counts and the continuation use rnnlab.fixed_points (the finder of
`rnnlab analyze --fixed-points`); python/tests/test_context_fixed_points.py
checks the counts against an independent NumPy root search.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

import rnnlab

HERE = Path(__file__).resolve().parent
CONTEXTS = {-1.0: "OR", 0.0: "XOR", 1.0: "AND"}  # the task's coding (src/tasks/context_logic.cpp)
CONTEXT_INPUT = 2                                 # the context is input 2; 0 and 1 are the operands


def context_input(net: rnnlab.Network, c: float) -> np.ndarray:
    u = np.zeros(net.inputs)
    u[CONTEXT_INPUT] = c
    return u


@dataclass
class Counts:
    fixed: int
    stable: int
    saddles: int
    points: np.ndarray  # (fixed, N): the fixed points' states
    stability: list = field(default_factory=list)


def fixed_points_at(net: rnnlab.Network, u: np.ndarray, starts: np.ndarray) -> Counts:
    """The fixed points (not slow points) at constant input u, from starts (N, K)."""
    fps = rnnlab.fixed_points(net, starts, u, threads=1)
    fixed = np.asarray(fps.points.kind) == "fixed" if fps.points.kind is not None else np.zeros(0, bool)
    stability = [s for s, f in zip(fps.points.stability, fixed) if f] if fixed.any() else []
    x = np.asarray(fps.points.x)[fixed] if fixed.any() else np.zeros((0, net.units))
    return Counts(int(fixed.sum()), stability.count("stable"), stability.count("saddle"), x, stability)


def per_context(net: rnnlab.Network, starts: np.ndarray, contexts=tuple(CONTEXTS)) -> dict:
    """{c: Counts} at the input of each context c."""
    return {c: fixed_points_at(net, context_input(net, c), starts) for c in contexts}


@dataclass
class Followed:
    values: np.ndarray   # the context values c visited, ascending
    counts: list         # fixed points at each c
    through: int         # points at the first c whose branch reaches the last c
    events: list         # (c, "born" | "vanished", stability) where a branch starts or ends,
                         # (c, "changed", "stable->saddle") where a branch's stability changes


def follow(net: rnnlab.Network, starts: np.ndarray, lo=-1.0, hi=1.0, step=0.05) -> Followed:
    """Continuation in the context value: a point at c continues a point at the
    previous c when the two are each other's nearest fixed point (a point that
    vanishes in a saddle-node must not be taken for its distant survivor)."""
    values = np.round(np.arange(lo, hi + step / 2, step), 10)
    prev, prev_branch, alive_from_start = None, [], set()
    counts, events, next_branch = [], [], 0
    for k, c in enumerate(values):
        warm = starts if prev is None else np.hstack([prev.points.T, starts])
        now = fixed_points_at(net, context_input(net, c), warm)
        branch = [-1] * now.fixed
        if prev is not None:
            if prev.fixed and now.fixed:
                d = np.linalg.norm(prev.points[:, None, :] - now.points[None, :, :], axis=2)
                for i in range(prev.fixed):
                    j = int(d[i].argmin())
                    if int(d[:, j].argmin()) == i:
                        branch[j] = prev_branch[i]
                        if prev.stability[i] != now.stability[j]:  # one branch, its stability changed
                            events.append((float(c), "changed", f"{prev.stability[i]}->{now.stability[j]}"))
            for i in range(prev.fixed):
                if prev_branch[i] not in branch:
                    events.append((float(c), "vanished", prev.stability[i]))
        for j in range(now.fixed):
            if branch[j] < 0:
                branch[j], next_branch = next_branch, next_branch + 1
                if k > 0:
                    events.append((float(c), "born", now.stability[j]))
        if k == 0:
            alive_from_start = set(branch)
        counts.append(now.fixed)
        prev, prev_branch = now, branch
    return Followed(values, counts, len(alive_from_start & set(prev_branch)), events)


def trajectory_starts(net: rnnlab.Network, task, n_starts=256, trials=64, seed=1) -> np.ndarray:
    """Starting states (N, K) sampled from the noiseless states of `trials` task trials."""
    batch = task.batch(trials, seed=seed)
    states = net.simulate(batch.inputs).states
    rng = np.random.default_rng(seed)
    flat = states.reshape(-1, net.units)
    return np.ascontiguousarray(flat[rng.integers(0, len(flat), n_starts)].T)


def describe(counts: dict, followed: Followed) -> str:
    head = "; ".join(f"{CONTEXTS.get(c, c)} (c={c:+g}) {n.fixed} fixed ({n.stable} stable, {n.saddles} saddles)"
                     for c, n in counts.items())
    if not followed.events:
        tail = f"all {followed.counts[0]} points move continuously from c=-1 to c=+1 (no bifurcation)"
    else:
        kinds = {}
        for c, kind, stab in followed.events:
            kinds.setdefault(f"{kind} {stab}", []).append(c)
        shown = ", ".join(f"{len(cs)} {k} (c {min(cs):+.2f}..{max(cs):+.2f})" for k, cs in sorted(kinds.items()))
        tail = (f"{followed.through} of {followed.counts[0]} points at c=-1 reach c=+1 on one branch; "
                f"most points at one c: {max(followed.counts)}; topology changes: {shown}")
    return f"{head}\n    continuation: {tail}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file", nargs="?", default="out/context_logic.h5")
    ap.add_argument("--rnnlab", default=str(HERE.parent / "build" / "rnnlab"))
    ap.add_argument("--starts", type=int, default=256)
    args = ap.parse_args()
    path = Path(args.file)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([args.rnnlab, "train", str(HERE / "context_logic.toml"), "-o", str(path), "--quiet"],
                       check=True)
    exp = rnnlab.load(str(path))
    task = exp.task()
    for rec in exp.networks:
        net = rec.trained
        starts = trajectory_starts(net, task, args.starts)
        counts = per_context(net, starts)
        followed = follow(net, starts)
        print(f"network {rec.seed}: {describe(counts, followed)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
