"""examples/context_logic_fixed_points.py: fixed points counted per context input,
checked against an independent NumPy root search on a constructed network whose
count changes with the context (so a wrong input index or a lost point shows)."""
import itertools
import pathlib
import runpy

import numpy as np
import pytest

import rnnlab

EXAMPLE = runpy.run_path(str(pathlib.Path(__file__).parents[2] / "examples" / "context_logic_fixed_points.py"))


def constructed_network() -> rnnlab.Network:
    """Three bistable tanh units (self weight 2) with a weak coupling. The context
    (input 2) pushes unit 1 by 0.3 c and unit 2 by 1.0 c: x = 2 tanh(x) + h has three
    roots for |h| < 0.533 and one beyond, so c = 0 gives 3^3 = 27 fixed points
    (2^3 = 8 stable) and c = +-1 gives 3^2 = 9 (4 stable). The operands (inputs 0,
    1) do not: input 0 pushes every unit by 1 (one fixed point at +-1), input 1
    none (27), so taking the wrong input for the context changes the counts."""
    coupling = 0.05 * np.array([[0.0, 1.0, -0.5], [-0.8, 0.0, 0.6], [0.4, -1.0, 0.0]])
    w_in = np.array([[1.0, 0.0, 0.0], [1.0, 0.0, 0.3], [1.0, 0.0, 1.0]])
    return rnnlab.Network(w_in, 2.0 * np.eye(3) + coupling, np.ones((1, 3)), alpha=0.5)


def numpy_fixed_points(net: rnnlab.Network, u: np.ndarray):
    """Roots of -x + W_rec tanh(x) + W_in u + b by Newton's method from a 9^3 grid
    of starts in [-3, 3]^3, merged at 1e-6; stability from the step map's
    eigenvalues |(1 - a) + a lambda(W_rec diag(1 - tanh^2 x))| < 1."""
    h = net.w_in @ u + net.b
    x = np.array(list(itertools.product(np.linspace(-3, 3, 9), repeat=3)))  # (starts, 3)
    for _ in range(60):  # every start at once
        g = -x + np.tanh(x) @ net.w_rec.T + h
        jac = -np.eye(3) + net.w_rec[None, :, :] * (1 - np.tanh(x) ** 2)[:, None, :]
        x = x - np.linalg.solve(jac, g[:, :, None])[:, :, 0]
    residual = np.linalg.norm(-x + np.tanh(x) @ net.w_rec.T + h, axis=1)
    roots = []
    for r in x[residual < 1e-10]:
        if not any(np.abs(r - q).max() < 1e-6 for q in roots):
            roots.append(r)
    step = [(1 - net.alpha) * np.eye(3) + net.alpha * net.w_rec * (1 - np.tanh(r) ** 2)[None, :] for r in roots]
    stable = sum(np.abs(np.linalg.eigvals(j)).max() < 1 for j in step)
    return np.array(roots), stable


def grid_starts(n=6, lo=-3.0, hi=3.0) -> np.ndarray:
    return np.array(list(itertools.product(np.linspace(lo, hi, n), repeat=3))).T.copy()


def test_counts_per_context_match_a_numpy_root_search():
    net = constructed_network()
    counts = EXAMPLE["per_context"](net, grid_starts())
    expected = {0.0: (27, 8), -1.0: (9, 4), 1.0: (9, 4)}
    for c, n in counts.items():
        roots, stable = numpy_fixed_points(net, np.array([0.0, 0.0, c]))  # inputs: a, b, context
        assert (len(roots), stable) == expected[c]  # the construction's counts (docstring)
        assert (n.fixed, n.stable, n.saddles) == (len(roots), stable, len(roots) - stable - (c == 0.0))
        # the same points, not only as many
        for r in roots:
            assert np.abs(n.points - r).max(axis=1).min() < 1e-8


def test_continuation_sees_the_saddle_nodes():
    """From c = -1 to +1 unit 2's input crosses -0.533, where its upper pair (a
    stable root and the middle one) is born, and +0.533, where its lower root
    meets the middle one and both vanish: 9 x 2 points each way. Every point at
    c = -1 has unit 2 low, so none of them reaches c = +1: the topology changes."""
    net = constructed_network()
    f = EXAMPLE["follow"](net, grid_starts(), step=0.05)
    assert f.counts[0] == 9 and f.counts[-1] == 9 and max(f.counts) == 27
    born = [e for e in f.events if e[1] == "born"]
    vanished = [e for e in f.events if e[1] == "vanished"]
    assert len(born) == 18 and len(vanished) == 18  # 9 points x (one pair of unit 2) each way
    # at +-0.533 for uncoupled units; the coupling moves each point's fold by up to ~0.1
    assert all(-0.7 < c < -0.4 for c, _, _ in born) and all(0.4 < c < 0.7 for c, _, _ in vanished)
    assert f.through == 0
