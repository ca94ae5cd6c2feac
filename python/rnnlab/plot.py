"""Figures people publish about trained rate networks (matplotlib).

Every function takes `ax=` (an Axes, or for multi-panel figures a sequence of
Axes) and returns the Figure. Nothing is shown: call plt.show() or save it.

    python3 -m rnnlab.plot RESULTS.h5 -o DIR [--seed S | --all]     (or rnnlab-plot, once installed)

writes the standard figure set of a results file as PNG and SVG and prints
the paths: training curves; per network eigenvalues, connectivity, weight
histograms, task trials and trajectories with fixed points; and, when the
file holds a census, the census bar chart and the similarity heatmaps.
"""
from __future__ import annotations

import argparse
import os
import sys

import numpy as np

from .analysis import FixedPoints, fixed_points, fixed_points_from_file, spectrum
from .network import Network

STABILITY_STYLE = {  # marker, face colour, label
    "stable": ("o", "black", "stable"),
    "saddle": ("X", "tab:red", "saddle"),
    "unstable": ("o", "white", "unstable"),
    "marginal": ("D", "tab:purple", "marginal"),
}


def _plt():
    import matplotlib.pyplot as plt

    return plt


def _axes(ax, n: int, figsize, projection=None):
    """`n` axes: the ones given, or a new figure with n side by side."""
    plt = _plt()
    if ax is None:
        fig = plt.figure(figsize=figsize)
        axes = [fig.add_subplot(1, n, k + 1, projection=projection) for k in range(n)]
        return fig, axes
    axes = list(ax) if isinstance(ax, (list, tuple, np.ndarray)) else [ax]
    if len(axes) < n:
        raise ValueError(f"this plot needs {n} axes, got {len(axes)}")
    return axes[0].figure, axes[:n]


def _theory_radius(sp) -> float | None:
    t = sp.theory
    if t is None:
        return None
    for r in (t.circular_radius, t.rajan_abbott_radius):
        if r is not None and np.isfinite(r) and r > 0:
            return float(r)
    return None


# ---- eigenvalues -------------------------------------------------------------

def eigenvalues(initial: Network | None, trained: Network | None = None, ax=None):
    """Eigenvalues of W_rec in the complex plane with the stability boundary and
    the theory radius (circular law / Rajan-Abbott), initial and trained side by side.

    The boundary is where the step map at the origin, (1 - a) + a λ (tanh:
    phi'(0) = 1), has modulus 1: the circle of radius 1/a centred at 1 - 1/a
    (a = alpha = dt / tau). Eigenvalues outside it grow; for a = 1 it is the
    unit circle, for a leaky network it is larger and shifted left, so that
    W_rec's own unit circle says nothing about stability."""
    nets = [(name, n) for name, n in (("initial", initial), ("trained", trained)) if n is not None]
    if not nets:
        raise ValueError("eigenvalues() needs at least one network")
    fig, axes = _axes(ax, len(nets), (5 * len(nets), 5))
    circle = np.exp(1j * np.linspace(0, 2 * np.pi, 400))
    for a, (name, net) in zip(axes, nets):
        sp = spectrum(net)
        ev = sp.eigenvalues
        alpha = float(net.alpha)
        boundary = (1 - 1 / alpha) + circle / alpha
        label = "unit circle (stability)" if alpha == 1 else f"stability: |1 - a + aλ| = 1 (a = {alpha:.3g})"
        a.plot(boundary.real, boundary.imag, color="0.6", lw=1, ls="--", label=label)
        r = _theory_radius(sp)
        if r is not None:
            a.plot(r * circle.real, r * circle.imag, color="tab:orange", lw=1.2, label=f"theory radius {r:.3g}")
        a.scatter(ev.real, ev.imag, s=10, color="tab:blue", alpha=0.8, label="eigenvalues", zorder=3)
        a.axhline(0, color="0.85", lw=0.5)
        a.axvline(0, color="0.85", lw=0.5)
        # Frame the eigenvalues (the boundary circle of a leaky network is far larger).
        lim = 1.2 * max([1.0, r or 0.0] + ([float(np.abs(ev).max())] if len(ev) else []))
        a.set_xlim(-lim, lim)
        a.set_ylim(-lim, lim)
        a.set_aspect("equal", adjustable="box")
        a.set_xlabel("Re λ")
        a.set_ylabel("Im λ")
        a.set_title(f"{name}: spectral radius {sp.spectral_radius:.3g}")
        a.legend(loc="upper right", fontsize=8)
    fig.tight_layout()
    return fig


# ---- task trials --------------------------------------------------------------

def task_trials(net: Network, inputs, targets, mask=None, trials: int = 3, ax=None):
    """Inputs, targets and the network's outputs for the first `trials` trials,
    one panel per trial; grey bands mark steps the loss ignores (mask 0).
    Arrays are (T, B, .) and mask (T, B)."""
    inputs, targets = np.asarray(inputs), np.asarray(targets)
    trials = min(trials, inputs.shape[1])
    outputs = net.simulate(inputs[:, :trials]).outputs
    fig, axes = _axes(ax, trials, (4.5 * trials, 3.2))
    t = np.arange(inputs.shape[0]) * net.dt
    colors = _plt().rcParams["axes.prop_cycle"].by_key()["color"]
    for b, a in enumerate(axes):
        for i in range(inputs.shape[2]):
            a.plot(t, inputs[:, b, i], color="0.7", lw=0.8, label="inputs" if i == 0 else None)
        for o in range(targets.shape[2]):
            c = colors[o % len(colors)]
            a.plot(t, targets[:, b, o], color=c, ls="--", lw=1.2, label="target" if o == 0 else None)
            a.plot(t, outputs[:, b, o], color=c, lw=1.5, label="output" if o == 0 else None)
        if mask is not None:
            m = np.asarray(mask)[:, b]
            a.fill_between(t, 0, 1, where=m == 0, transform=a.get_xaxis_transform(), color="0.9", zorder=0)
        a.set_xlabel("time (ms)")
        a.set_title(f"trial {b}")
    axes[0].legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    return fig


# ---- trajectories -------------------------------------------------------------

def pca(states, k: int = 3):
    """Principal axes of states (T, B, N) or (M, N): (mean (N,), components (k, N), explained variance ratio (k,))."""
    x = np.asarray(states, dtype=float).reshape(-1, np.shape(states)[-1])
    mean = x.mean(axis=0)
    _, s, vt = np.linalg.svd(x - mean, full_matrices=False)
    var = s ** 2
    return mean, vt[:k], var[:k] / var.sum()


def trajectories(states, fps: FixedPoints | None = None, dims: int = 2, ax=None, max_trials: int = 20,
                 direction_scale: float | None = None):
    """State trajectories (T, B, N) projected on their first 2 or 3 principal
    components, with fixed points marked by stability (stable filled, saddle X,
    unstable open, marginal diamond) and the unstable directions of saddles as
    line segments through them."""
    if dims not in (2, 3):
        raise ValueError("dims must be 2 or 3")
    states = np.asarray(states)
    mean, comps, ratio = pca(states, dims)
    fig, (a,) = _axes(ax, 1, (6, 5), projection="3d" if dims == 3 else None)
    proj = (states - mean) @ comps.T  # (T, B, dims)
    for b in range(min(max_trials, states.shape[1])):
        a.plot(*[proj[:, b, d] for d in range(dims)], color="tab:blue", lw=0.7, alpha=0.5)
    if fps is not None and len(fps.x):
        pts = (np.asarray(fps.x) - mean) @ comps.T
        spread = direction_scale or 0.15 * float(np.ptp(proj.reshape(-1, dims), axis=0).max() or 1.0)
        seen = set()
        for p, (xy, stab) in enumerate(zip(pts, fps.stability)):
            marker, face, label = STABILITY_STYLE.get(stab, ("s", "grey", stab))
            a.scatter(*xy, marker=marker, s=60, facecolor=face, edgecolor="black", zorder=5,
                      label=None if label in seen else label)
            seen.add(label)
            if stab == "saddle" and fps.eigenvectors is not None and len(fps.eigenvectors[p]):
                ev = np.asarray(fps.eigenvalues[p])
                for j in range(min(len(fps.eigenvectors[p]), len(ev))):
                    if abs(ev[j]) <= 1:
                        continue
                    v = np.real(fps.eigenvectors[p][j]) @ comps.T
                    nv = np.linalg.norm(v)
                    if nv > 0:
                        seg = np.stack([xy - spread * v / nv, xy + spread * v / nv])
                        a.plot(*[seg[:, d] for d in range(dims)], color="tab:red", lw=1.5)
        a.legend(loc="best", fontsize=8)
    a.set_xlabel(f"PC1 ({100 * ratio[0]:.0f}%)")
    a.set_ylabel(f"PC2 ({100 * ratio[1]:.0f}%)")
    if dims == 3:
        a.set_zlabel(f"PC3 ({100 * ratio[2]:.0f}%)")
    a.set_title("state trajectories" + (" and fixed points" if fps is not None else ""))
    return fig


# ---- connectivity -------------------------------------------------------------

def ei_order(net: Network) -> np.ndarray:
    """Unit order with excitatory units first (stable within each group); identity without Dale."""
    if net.sign is None:
        return np.arange(net.units)
    return np.argsort(-np.asarray(net.sign), kind="stable")


def connectivity(net: Network, ax=None):
    """W_rec as a heatmap, units sorted E first then I (lines mark the border);
    rows are postsynaptic, columns presynaptic."""
    fig, (a,) = _axes(ax, 1, (6, 5))
    order = ei_order(net)
    w = net.w_rec[np.ix_(order, order)]
    lim = float(np.abs(w).max()) or 1.0
    im = a.imshow(w, cmap="RdBu_r", vmin=-lim, vmax=lim, interpolation="nearest")
    fig.colorbar(im, ax=a, label="weight")
    if net.sign is not None:
        n_e = int((np.asarray(net.sign) > 0).sum())
        a.axhline(n_e - 0.5, color="black", lw=1)
        a.axvline(n_e - 0.5, color="black", lw=1)
        a.set_title(f"W_rec: {n_e} E | {net.units - n_e} I")
    else:
        a.set_title("W_rec")
    a.set_xlabel("from unit (presynaptic)")
    a.set_ylabel("to unit (postsynaptic)")
    return fig


def _existing(net: Network) -> np.ndarray:
    w = net.w_rec
    return w[net.mask_rec > 0] if net.mask_rec is not None else w.ravel()


def weight_histograms(initial: Network | None, trained: Network, ax=None, bins: int = 60):
    """Histograms of the existing W_rec entries, initial vs trained."""
    fig, (a,) = _axes(ax, 1, (6, 4))
    data = [(n, name) for n, name in ((initial, "initial"), (trained, "trained")) if n is not None]
    allw = np.concatenate([_existing(n) for n, _ in data])
    edges = np.linspace(allw.min(), allw.max(), bins + 1) if allw.size and np.ptp(allw) > 0 else bins
    for (n, name), c in zip(data, ("tab:grey", "tab:blue")):
        a.hist(_existing(n), bins=edges, histtype="stepfilled" if name == "initial" else "step", color=c,
               alpha=0.5 if name == "initial" else 1.0, lw=1.5, label=name)
    a.set_xlabel("W_rec entry")
    a.set_ylabel("count")
    a.set_yscale("log")
    a.legend()
    a.set_title("recurrent weights")
    return fig


# ---- training curves ----------------------------------------------------------

def training_curves(curves, ax=None, label: str | None = None):
    """Training loss and validation loss (log scale) and validation accuracy
    (right axis) against iteration. `curves` is a NetworkRecord or its curves dict;
    a list of them overlays several networks."""
    items = curves if isinstance(curves, (list, tuple)) else [curves]
    fig, (a,) = _axes(ax, 1, (6, 4))
    acc_ax = a.twinx()
    colors = _plt().rcParams["axes.prop_cycle"].by_key()["color"]
    for k, item in enumerate(items):
        c = getattr(item, "curves", item)
        name = label or (f"seed {item.seed}" if hasattr(item, "seed") else f"run {k}")
        col = colors[k % len(colors)]
        it = np.asarray(c["iteration"])
        a.plot(it, c["loss"], color=col, lw=1, alpha=0.5)
        a.plot(it, c["val_loss"], color=col, lw=1.5, label=name)
        acc_ax.plot(it, c["val_accuracy"], color=col, lw=1, ls=":")
    a.set_yscale("log")
    a.set_xlabel("iteration")
    a.set_ylabel("loss (thin: train, thick: validation)")
    acc_ax.set_ylabel("validation accuracy (dotted)")
    acc_ax.set_ylim(0, 1.02)
    a.legend(loc="upper right", fontsize=8)
    a.set_title("training")
    return fig


# ---- census ---------------------------------------------------------------------

CENSUS_PANELS = ("attractor", "jarne", "family")
ALL_NETWORKS = "all networks"  # the totals row of a sweep's census


def _family_counts(census) -> tuple:
    """(column names, counts (G, k)): networks of each family within each group."""
    k = census.families.k
    reps = list(census.families.representative_seeds)
    # In a swept file networks are named by their index, not their seed.
    who = "network" if any("sweep point" in g for g in census.groups) else "seed"
    names = [f"family {f}\n(rep. {who} {reps[f]})" if f < len(reps) else f"family {f}" for f in range(k)]
    counts = np.zeros((len(census.groups), k), dtype=int)
    for g, f in zip(census.network_group, census.families.label):
        if g in census.groups:
            counts[census.groups.index(g), int(f)] += 1
    return names, counts


def census_bars(census, panels=CENSUS_PANELS, ax=None):
    """How many networks found each solution: one panel each for the attractor
    types, Jarne's classes and the solution families (labelled with their
    representative seeds), bars grouped by census group (the config, or the
    sweep point, that networks are compared within; a legend when there are
    several; a sweep's "all networks" totals row is left out). `census` is an
    rnnlab.Census (rnnlab.census() or Experiment.census)."""
    panels = [panels] if isinstance(panels, str) else list(panels)
    for p in panels:
        if p not in CENSUS_PANELS:
            raise ValueError(f"unknown census panel {p!r}: choose from {', '.join(CENSUS_PANELS)}")
    fig, axes = _axes(ax, len(panels), (4.5 * len(panels), 3.8))
    # In a sweep the groups are the sweep points plus a last row "all networks"
    # with the column sums (docs/dynamics.md): the points are the bars.
    rows = [i for i, g in enumerate(census.groups) if not (g == ALL_NETWORKS and len(census.groups) > 1)]
    groups = [census.groups[i] for i in rows]
    colors = _plt().rcParams["axes.prop_cycle"].by_key()["color"]
    for a, panel in zip(axes, panels):
        if panel == "attractor":
            names = [n.replace("_", " ") for n in census.attractor_types]
            counts, title = census.attractor_counts, "attractor of the autonomous run"
        elif panel == "jarne":
            names, counts, title = list(census.jarne_classes), census.jarne_counts, "Jarne class"
        else:
            names, counts = _family_counts(census)
            k = census.families.k
            title = (f"{k} solution families (silhouette {census.families.silhouette:.2f})" if k > 1 else
                     f"one solution family (no split reaches silhouette {census.families.min_silhouette:g})")
        counts = np.asarray(counts)[rows]
        width = 0.8 / max(len(groups), 1)
        x = np.arange(len(names))
        for g, group in enumerate(groups):
            a.bar(x - 0.4 + width * (g + 0.5), counts[g], width=width, color=colors[g % len(colors)],
                  label=group, edgecolor="black", lw=0.5)
        a.set_xticks(x)
        a.set_xticklabels(names, fontsize=8, rotation=30 if len(names) > 3 else 0,
                          ha="right" if len(names) > 3 else "center")
        a.set_ylabel("networks")
        a.set_ylim(0, max(1, int(counts.max(initial=0))) * 1.15)
        a.yaxis.get_major_locator().set_params(integer=True)
        a.set_title(title, fontsize=10)
    if len(groups) > 1 and ax is not None:
        axes[-1].legend(fontsize=7, loc="upper right", title="group", title_fontsize=7)
    elif groups and len(groups) == 1:
        fig.suptitle(f"{len(census.seeds)} networks: {groups[0]}", fontsize=9)
    fig.tight_layout()
    if len(groups) > 1 and ax is None:
        # Below the panels, where it hides no bar.
        columns = 2 if len(groups) > 3 else len(groups)
        fig.legend(*axes[-1].get_legend_handles_labels(), loc="lower center", ncol=columns, fontsize=7,
                   title="group", title_fontsize=7, frameon=False)
        legend_rows = -(-len(groups) // columns) + 1
        fig.subplots_adjust(bottom=0.18 + 0.05 * legend_rows)
    return fig


def _family_order(census) -> np.ndarray:
    """Networks sorted by family (stable), so families show as blocks."""
    return np.argsort(np.asarray(census.families.label), kind="stable")


def similarity(census, measures=("cca", "procrustes"), ax=None, annotate: bool | None = None):
    """Trajectory similarity between networks as heatmaps: CCA (mean canonical
    correlation of the top PCs, 1 = the same up to a linear map) and Procrustes
    distance (0 = the same up to rotation and scale). Networks are labelled by
    seed and sorted by solution family; lines separate the families."""
    measures = [measures] if isinstance(measures, str) else list(measures)
    if census.similarity is None:
        raise ValueError("this census has no similarity matrices (its networks' states were not available)")
    fig, axes = _axes(ax, len(measures), (5 * len(measures), 4.3))
    order = _family_order(census)
    seeds = np.asarray(census.seeds)[order]
    labels = np.asarray(census.families.label)[order]
    n = len(seeds)
    annotate = n <= 12 if annotate is None else annotate
    for a, m in zip(axes, measures):
        if m == "cca":
            mat, cmap, vmin, vmax, name = census.similarity.cca, "viridis", 0.0, 1.0, "CCA similarity"
        elif m == "procrustes":
            mat = census.similarity.procrustes
            top = np.nanmax(mat) if np.isfinite(mat).any() else 1.0
            cmap, vmin, vmax, name = "magma_r", 0.0, max(float(top), 1e-12), "Procrustes distance"
        else:
            raise ValueError(f"unknown similarity measure {m!r}: cca or procrustes")
        mat = np.asarray(mat)[np.ix_(order, order)]
        im = a.imshow(mat, cmap=cmap, vmin=vmin, vmax=vmax, interpolation="nearest")
        fig.colorbar(im, ax=a, fraction=0.046, pad=0.04)
        a.set_xticks(range(n))
        a.set_yticks(range(n))
        a.set_xticklabels(seeds, fontsize=7, rotation=90)
        a.set_yticklabels(seeds, fontsize=7)
        a.set_xlabel("network (seed)")
        a.set_ylabel("network (seed)")
        for b in np.nonzero(np.diff(labels))[0]:
            a.axhline(b + 0.5, color="white", lw=1.5)
            a.axvline(b + 0.5, color="white", lw=1.5)
        if annotate:
            mid = (vmin + vmax) / 2
            for i in range(n):
                for j in range(n):
                    if np.isfinite(mat[i, j]):
                        dark = (mat[i, j] < mid) == (m == "cca")
                        a.text(j, i, f"{mat[i, j]:.2f}", ha="center", va="center", fontsize=6,
                               color="white" if dark else "black")
        a.set_title(f"{name} (top {census.similarity.pcs} PCs)", fontsize=10)
    fig.tight_layout()
    return fig


# ---- the standard set -----------------------------------------------------------

def _fixed_points_for(rec, net, states):
    fps = fixed_points_from_file(rec.analysis.get("fixed_points")) if rec.analysis else None
    if fps is None:
        fps = fixed_points(net, trajectories=states, n_starts=128, noise=0.01, seed=0, threads=1)
    return fps


PAPER_DPI = 300  # the standard figures' resolution: what journals ask for


def standard_figures(experiment, out_dir: str, seeds=None, trials: int = 3) -> list:
    """Writes the standard figure set of each chosen network as PNG and SVG; returns the paths."""
    plt = _plt()
    os.makedirs(out_dir, exist_ok=True)
    paths = []

    def save(fig, name):
        for ext in ("png", "svg"):
            p = os.path.join(out_dir, f"{name}.{ext}")
            # 300 dpi for print; a tight box so that no axis label is cut off.
            fig.savefig(p, dpi=PAPER_DPI, bbox_inches="tight")
            paths.append(p)
        plt.close(fig)

    recs = [r for r in experiment.networks if r.trained is not None]
    if seeds is not None:
        recs = [r for r in recs if r.seed in seeds]
    curves = [r for r in recs if len(r.curves.get("iteration", ()))]
    if curves:
        save(training_curves(curves), "training_curves")
    census = getattr(experiment, "census", None)
    if census is not None:  # `rnnlab run` / `rnnlab analyze --dynamics` wrote one
        save(census_bars(census), "census")
        if census.similarity is not None and len(census.seeds) > 1:
            save(similarity(census), "similarity")
    task = experiment.task()
    for rec in recs:
        net, tag = rec.trained, f"seed{rec.seed}"
        save(eigenvalues(rec.initial, net), f"eigenvalues_{tag}")
        save(connectivity(net), f"connectivity_{tag}")
        save(weight_histograms(rec.initial, net), f"weights_{tag}")
        if task is None or task.n_inputs != net.inputs or task.n_outputs != net.outputs:
            continue  # an import without a task: nothing to run it on
        batch = task.batch(max(trials, 32), seed=1)
        save(task_trials(net, batch.inputs, batch.targets, batch.mask, trials=trials), f"task_{tag}")
        states = net.simulate(batch.inputs).states
        fps = _fixed_points_for(rec, net, states)
        save(trajectories(states, fps, dims=2), f"trajectories2d_{tag}")
        save(trajectories(states, fps, dims=3), f"trajectories3d_{tag}")
    return paths


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m rnnlab.plot",
                                     description="Write the standard figure set of an rnnlab results file (PNG and SVG).")
    parser.add_argument("results", help="experiment file (rnnlab train / import / analyze)")
    parser.add_argument("-o", "--output", required=True, help="directory for the figures")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--seed", type=int, action="append", help="network to plot (repeatable; default: the first)")
    group.add_argument("--all", action="store_true", help="plot every network")
    args = parser.parse_args(argv)

    import matplotlib

    if "MPLBACKEND" not in os.environ:
        matplotlib.use("Agg")
    from .experiment import load

    try:
        exp = load(args.results)
    except (ValueError, RuntimeError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    seeds = None if args.all else (args.seed or [r.seed for r in exp.networks if r.trained is not None][:1])
    for p in standard_figures(exp, args.output, seeds):
        print(p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
