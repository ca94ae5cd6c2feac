"""Figures people publish about trained rate networks (matplotlib).

Every function takes `ax=` (an Axes, or for multi-panel figures a sequence of
Axes) and returns the Figure. Nothing is shown: call plt.show() or save it.

    python3 -m rnnlab.plot RESULTS.h5 -o DIR [--seed S | --all]     (or rnnlab-plot, once installed)

writes the standard figure set of a results file as PNG (300 dpi) and SVG and
prints the paths: the training curves of every network and the spectra of
every network in a grid; per chosen network eigenvalues, connectivity, weight
histograms, task trials and trajectories with fixed points; when the file
holds a census, the census bar chart and the similarity heatmaps; in a sweep,
one figure per swept key (its factor marginal).

Colours: a task condition (e.g. "final_0 = 1") has the same colour in every
figure (`condition_colors`: the PALETTE in the order of the condition's sorted
values), and groups (sweep points, categories) take PALETTE's 20 distinct
colours before any repeats.
"""
from __future__ import annotations

import argparse
import os
import sys

import numpy as np

from .analysis import FixedPoints, fixed_points, spectrum
from .network import Network

STABILITY_STYLE = {  # marker, face colour, label
    "stable": ("o", "black", "stable"),
    "saddle": ("X", "tab:red", "saddle"),
    "unstable": ("o", "white", "unstable"),
    "marginal": ("D", "tab:purple", "marginal"),
}


# The one palette of every categorical colour (conditions, groups, categories):
# matplotlib's tab10 and then the lighter tab20 tones, 20 colours before any
# repeats. src/report/page.js uses the same first ten in the same order, so a
# condition has one colour in the figures and in the report.
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
           "#17becf", "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94", "#f7b6d2", "#c7c7c7",
           "#dbdb8d", "#9edae5")


def group_colors(n: int) -> list:
    """n distinct colours: PALETTE's, and beyond 20 evenly spaced along a colour map (never reused)."""
    if n <= len(PALETTE):
        return list(PALETTE[:n])
    cmap = _plt().get_cmap("turbo")
    return [cmap(x) for x in np.linspace(0.05, 0.95, n)]


def _sorted_values(values) -> list:
    """Distinct values in numeric order when they are numbers, else text order."""
    distinct = set(np.asarray(values).tolist())
    try:
        return sorted(distinct, key=float)
    except (TypeError, ValueError):
        return sorted(distinct, key=str)


def condition_label(name: str | None, value) -> str:
    """How a condition is named in every legend and title: "final_0 = 1"."""
    v = f"{value:g}" if isinstance(value, (float, np.floating)) else str(value)
    return f"{name} = {v}" if name else v


def condition_colors(values, name: str | None = None) -> dict:
    """{condition label: colour} for the conditions among `values` (one per trial):
    the k-th smallest value takes PALETTE[k], so the same trials give every figure
    (and the report) the same colour for the same condition."""
    ordered = _sorted_values(values)
    return {condition_label(name, v): c for v, c in zip(ordered, group_colors(len(ordered)))}


def choose_condition(batch, preferred: str | None = None) -> str | None:
    """The condition trials are grouped by: `preferred` (e.g. the dynamics
    analysis's stored @condition) when the batch has it, else, as the dynamics
    analysis chooses (choose_condition in src/analysis/network_dynamics.cpp), the
    one with the fewest distinct values, at least 2. None: the task has none."""
    names = list(getattr(batch, "condition_names", []) or [])
    if preferred in names:
        return preferred
    best, best_count = None, 0
    for c, name in enumerate(names):
        distinct = len(np.unique(np.asarray(batch.conditions)[:, c]))
        if distinct >= 2 and (best is None or distinct < best_count):
            best, best_count = name, distinct
    return best


def describe_input(u) -> str:
    """The constant input fixed points were found at, in words."""
    u = np.asarray(u if u is not None else [], dtype=float).ravel()
    if u.size == 0 or not np.any(u):
        return "zero input"
    return "constant input u = (" + ", ".join(f"{v:g}" for v in u) + ")"


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

def _stability_boundary(a, alpha: float) -> None:
    circle = np.exp(1j * np.linspace(0, 2 * np.pi, 400))
    boundary = (1 - 1 / alpha) + circle / alpha
    label = "unit circle (stability)" if alpha == 1 else f"stability: |1 - a + aλ| = 1 (a = {alpha:.3g})"
    a.plot(boundary.real, boundary.imag, color="0.6", lw=1, ls="--", label=label)


def _eigenvalue_panel(a, net: Network, title: str, legend: bool = True, size: float = 10) -> float:
    """One network's W_rec eigenvalues with the stability boundary and theory radius; returns the frame's half width."""
    sp = spectrum(net)
    ev = sp.eigenvalues
    _stability_boundary(a, float(net.alpha))
    r = _theory_radius(sp)
    if r is not None:
        circle = np.exp(1j * np.linspace(0, 2 * np.pi, 400))
        a.plot(r * circle.real, r * circle.imag, color="tab:orange", lw=1.2, label=f"theory radius {r:.3g}")
    a.scatter(ev.real, ev.imag, s=size, color="tab:blue", alpha=0.8, label="eigenvalues of W_rec", zorder=3)
    a.axhline(0, color="0.85", lw=0.5)
    a.axvline(0, color="0.85", lw=0.5)
    # Frame the eigenvalues (the boundary circle of a leaky network is far larger).
    lim = 1.2 * max([1.0, r or 0.0] + ([float(np.abs(ev).max())] if len(ev) else []))
    a.set_xlim(-lim, lim)
    a.set_ylim(-lim, lim)
    a.set_aspect("equal", adjustable="box")
    a.set_title(title.format(radius=sp.spectral_radius), fontsize=10 if legend else 8)
    if legend:
        a.set_xlabel("Re λ")
        a.set_ylabel("Im λ")
        a.legend(loc="upper right", fontsize=8)
    return lim


def eigenvalues(initial, trained: Network | None = None, ax=None, label: str | None = None):
    """Eigenvalues of W_rec in the complex plane with the stability boundary and
    the theory radius (circular law / Rajan-Abbott).

    eigenvalues(initial, trained) draws the two side by side; eigenvalues(net)
    draws one network, titled "trained" (the network a user has in hand) unless
    `label` says otherwise (eigenvalues(rec.initial, label="initial"));
    eigenvalues(record) takes a NetworkRecord's initial and trained networks.

    The boundary is where the step map at the origin, (1 - a) + a λ (tanh:
    phi'(0) = 1), has modulus 1: the circle of radius 1/a centred at 1 - 1/a
    (a = alpha = dt / tau). Eigenvalues outside it grow; for a = 1 it is the
    unit circle, for a leaky network it is larger and shifted left, so that
    W_rec's own unit circle says nothing about stability."""
    if hasattr(initial, "trained") and trained is None:  # a NetworkRecord
        initial, trained = initial.initial, initial.trained
    elif trained is None:
        initial, trained = None, initial
        label = label or "trained"
    nets = [(name, n) for name, n in (("initial", initial), (label or "trained", trained)) if n is not None]
    if not nets:
        raise ValueError("eigenvalues() needs at least one network")
    fig, axes = _axes(ax, len(nets), (5 * len(nets), 5))
    for a, (name, net) in zip(axes, nets):
        _eigenvalue_panel(a, net, name + ": spectral radius {radius:.3g}")
    fig.tight_layout()
    return fig


def _network_name(rec) -> str:
    """A network as the file names it: its seed, or in a sweep its index and point."""
    if getattr(rec, "sweep_point", -1) >= 0:
        return f"network {rec.seed} (point {rec.sweep_point})"
    return f"seed {rec.seed}"


def spectra_grid(records, max_panels: int = 100, ax=None):
    """Small multiples for an ensemble: the trained W_rec eigenvalues of every
    network (NetworkRecords; the first `max_panels`) in a grid, each with its
    stability boundary, on the same axes limits so that networks compare at a glance."""
    every = [r for r in records if getattr(r, "trained", None) is not None]
    recs = every[:max_panels]
    if not recs:
        raise ValueError("spectra_grid() needs at least one trained network")
    cols = int(np.ceil(np.sqrt(len(recs))))
    rows = int(np.ceil(len(recs) / cols))
    if ax is None:
        plt = _plt()
        fig, grid = plt.subplots(rows, cols, figsize=(2.2 * cols, 2.2 * rows + 0.6), squeeze=False)
        axes = list(grid.ravel())
    else:
        fig, axes = _axes(ax, len(recs), None)
    lim = 0.0
    for a, rec in zip(axes, recs):
        lim = max(lim, _eigenvalue_panel(a, rec.trained, _network_name(rec) + ": ρ {radius:.2g}", legend=False,
                                         size=4))
    for a in axes[:len(recs)]:
        a.set_xlim(-lim, lim)
        a.set_ylim(-lim, lim)
        a.tick_params(labelsize=6)
    for a in axes[len(recs):]:
        a.set_axis_off()
    alphas = sorted({float(r.trained.alpha) for r in recs})
    a_text = f"a = {alphas[0]:.3g}" if len(alphas) == 1 else "a = dt/tau of each network"
    shown = f"{len(recs)} networks" if len(recs) == len(every) else f"the first {len(recs)} of {len(every)} networks"
    fig.suptitle(f"Eigenvalues of the trained W_rec (x: Re λ, y: Im λ), {shown}\n"
                 f"dashed: stability boundary of the step map, {a_text}", fontsize=9)
    fig.tight_layout()
    return fig


# ---- task trials --------------------------------------------------------------

INPUT_STYLES = ("-", "--", "-.", ":")  # with Dark2's colours: input channels told apart in print and on screen


def _condition_of_trials(conditions, condition_name, n):
    """(labels per trial, {label: colour}) or (None, {}) without conditions."""
    if conditions is None:
        return None, {}
    values = np.asarray(conditions).ravel()[:n]
    colors = condition_colors(values, condition_name)
    return [condition_label(condition_name, v) for v in values], colors


def task_trials(net: Network, inputs, targets, mask=None, trials: int = 3, ax=None, conditions=None,
                condition_name: str | None = None):
    """The first `trials` trials, one column each: the input channels on top
    (one colour and line style each, named in the legend) and below them the
    targets (dashed) and the network's outputs (solid); grey bands mark steps
    the loss ignores (mask 0). Arrays are (T, B, .) and mask (T, B).
    `conditions` (B,) with `condition_name` titles each trial with its
    condition, in the condition's colour (condition_colors)."""
    inputs, targets = np.asarray(inputs), np.asarray(targets)
    trials = min(trials, inputs.shape[1])
    outputs = net.simulate(inputs[:, :trials]).outputs
    if ax is None:
        fig, grid = _plt().subplots(2, trials, figsize=(4.2 * trials, 4.6), sharex=True, squeeze=False,
                                    gridspec_kw={"height_ratios": [1, 1.4]})
        tops, bottoms = list(grid[0]), list(grid[1])
    else:
        fig, axes = _axes(ax, 2 * trials, None)
        tops, bottoms = axes[:trials], axes[trials:]
    labels, colors = _condition_of_trials(conditions, condition_name, inputs.shape[1])
    t = np.arange(inputs.shape[0]) * net.dt
    dark = _plt().get_cmap("Dark2").colors
    for b, (top, bottom) in enumerate(zip(tops, bottoms)):
        for i in range(inputs.shape[2]):
            top.plot(t, inputs[:, b, i], color=dark[i % len(dark)], ls=INPUT_STYLES[i // len(dark) % len(INPUT_STYLES)],
                     lw=1.2, label=f"input {i}")
        for o in range(targets.shape[2]):
            c = PALETTE[o % len(PALETTE)]
            bottom.plot(t, targets[:, b, o], color=c, ls="--", lw=1.2, label=f"target {o}")
            bottom.plot(t, outputs[:, b, o], color=c, lw=1.5, label=f"output {o}")
        if mask is not None:
            m = np.asarray(mask)[:, b]
            for a in (top, bottom):
                a.fill_between(t, 0, 1, where=m == 0, transform=a.get_xaxis_transform(), color="0.92", zorder=0)
        bottom.set_xlabel("time (ms)")
        title = f"trial {b}" + (f": {labels[b]}" if labels else "")
        top.set_title(title, fontsize=10, color=colors.get(labels[b], "black") if labels else "black")
    tops[0].set_ylabel("input (a.u.)")
    bottoms[0].set_ylabel("output and target")
    tops[-1].legend(loc="upper left", bbox_to_anchor=(1.02, 1), fontsize=8, title="input channel", title_fontsize=8)
    bottoms[-1].legend(loc="upper left", bbox_to_anchor=(1.02, 1), fontsize=8,
                       title="dashed: target\nsolid: output" + ("\ngrey: not scored" if mask is not None else ""),
                       title_fontsize=8)
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


def _pick_trials(labels, n_trials: int, max_trials: int) -> list:
    """Up to max_trials trial indices, every condition represented (round robin over conditions)."""
    if labels is None:
        return list(range(min(max_trials, n_trials)))
    by_label = {}
    for b in range(n_trials):
        by_label.setdefault(labels[b], []).append(b)
    picked, queues = [], [list(v) for v in by_label.values()]
    while len(picked) < max_trials and any(queues):
        for q in queues:
            if q and len(picked) < max_trials:
                picked.append(q.pop(0))
    return sorted(picked)


def trajectories(states, fps: FixedPoints | None = None, dims: int = 2, ax=None, max_trials: int = 20,
                 direction_scale: float | None = None, conditions=None, condition_name: str | None = None):
    """State trajectories (T, B, N) projected on their first 2 or 3 principal
    components, each trial coloured by its condition (`conditions` (B,), named
    `condition_name`; colours from condition_colors, one legend entry per
    condition) with its start (circle) and end (square) marked; fixed points
    marked by stability (stable filled, saddle X, unstable open, marginal
    diamond) and the unstable directions of saddles as line segments through
    them. The title says at which constant input the fixed points were found
    (fps.input). Up to `max_trials` trials are drawn, every condition among them."""
    if dims not in (2, 3):
        raise ValueError("dims must be 2 or 3")
    states = np.asarray(states)
    mean, comps, ratio = pca(states, dims)
    fig, (a,) = _axes(ax, 1, (6.5, 5), projection="3d" if dims == 3 else None)
    proj = (states - mean) @ comps.T  # (T, B, dims)
    labels, colors = _condition_of_trials(conditions, condition_name, states.shape[1])
    # One legend entry per condition, in the order of the values.
    for label, color in colors.items():
        a.plot(*[[] for _ in range(dims)], color=color, lw=1.5, label=label)
    for k, b in enumerate(_pick_trials(labels, states.shape[1], max_trials)):
        color = colors[labels[b]] if labels else "tab:blue"
        a.plot(*[proj[:, b, d] for d in range(dims)], color=color, lw=0.8, alpha=0.6,
               label="trials" if not labels and k == 0 else None)
        a.scatter(*[proj[:1, b, d] for d in range(dims)], marker="o", s=18, color=color, edgecolor="black", lw=0.4,
                  zorder=4)
        a.scatter(*[proj[-1:, b, d] for d in range(dims)], marker="s", s=18, color=color, edgecolor="black", lw=0.4,
                  zorder=4)
    # Proxies: one legend entry for the start and end markers of every trial.
    a.scatter([], [], marker="o", s=18, color="white", edgecolor="black", label="start of a trial")
    a.scatter([], [], marker="s", s=18, color="white", edgecolor="black", label="end of a trial")
    where = ""
    if fps is not None:
        found = "fixed points at" if len(fps.x) else "no fixed point found at"
        where = f"; {found} {describe_input(getattr(fps, 'input', None))}"
    if fps is not None and len(fps.x):
        pts = (np.asarray(fps.x) - mean) @ comps.T
        spread = direction_scale or 0.15 * float(np.ptp(proj.reshape(-1, dims), axis=0).max() or 1.0)
        seen = set()
        for p, (xy, stab) in enumerate(zip(pts, fps.stability)):
            marker, face, name = STABILITY_STYLE.get(stab, ("s", "grey", stab))
            a.scatter(*xy, marker=marker, s=60, facecolor=face, edgecolor="black", zorder=5,
                      label=None if name in seen else f"{name} fixed point")
            seen.add(name)
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
    a.legend(loc="upper left", bbox_to_anchor=(1.08 if dims == 3 else 1.02, 1), fontsize=8,
             title=f"condition: {condition_name}" if condition_name else None, title_fontsize=8)
    a.set_xlabel(f"PC1 ({100 * ratio[0]:.0f}% of variance)")
    a.set_ylabel(f"PC2 ({100 * ratio[1]:.0f}% of variance)")
    if dims == 3:
        a.set_zlabel(f"PC3 ({100 * ratio[2]:.0f}% of variance)")
    by = f" by {condition_name}" if condition_name else ""
    a.set_title(f"Task trajectories{by}{where}", fontsize=10)
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


MOMENT_NAMES = (("mean", "mean"), ("sd", "sd"), ("skewness", "skewness"), ("excess_kurtosis", "excess kurtosis"))


def _moments_text(moments) -> str:
    """The stored moments of a weight_stats/<which>/all group, in words."""
    if not moments:
        return ""
    parts = [f"{words} {float(moments[key]):.3g}" for key, words in MOMENT_NAMES
             if key in moments and np.isfinite(float(moments[key]))]
    return ", ".join(parts)


def weight_histograms(initial: Network | None, trained: Network, ax=None, bins: int = 60, stats: dict | None = None):
    """Histograms of the existing W_rec entries, initial vs trained. `stats` is
    the file's analysis/spectrum/weight_stats group (rec.analysis["spectrum"]
    ["weight_stats"], written by `rnnlab analyze --spectrum`): its moments
    (mean, sd, skewness, excess kurtosis of all existing entries) are printed
    in the legend, as the file holds them."""
    fig, (a,) = _axes(ax, 1, (6, 4))
    data = [(n, name) for n, name in ((initial, "initial"), (trained, "trained")) if n is not None]
    allw = np.concatenate([_existing(n) for n, _ in data])
    edges = np.linspace(allw.min(), allw.max(), bins + 1) if allw.size and np.ptp(allw) > 0 else bins
    for (n, name), c in zip(data, ("tab:grey", "tab:blue")):
        text = _moments_text(((stats or {}).get(name) or {}).get("all"))
        a.hist(_existing(n), bins=edges, histtype="stepfilled" if name == "initial" else "step", color=c,
               alpha=0.5 if name == "initial" else 1.0, lw=1.5, label=f"{name}: {text}" if text else name)
    a.set_xlabel("W_rec entry (existing connections)")
    a.set_ylabel("number of entries")
    a.set_yscale("log")
    a.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), fontsize=8, frameon=False,
             title="moments as stored in the file" if stats else None, title_fontsize=8)
    a.set_title("Recurrent weights", fontsize=10)
    return fig


# ---- training curves ----------------------------------------------------------

def _median_curve(items, key: str):
    """(iterations, median over the networks that recorded each iteration)."""
    by_iteration = {}
    for c in items:
        for it, v in zip(np.asarray(c["iteration"]), np.asarray(c[key], dtype=float)):
            by_iteration.setdefault(float(it), []).append(v)
    its = np.array(sorted(by_iteration))
    return its, np.array([np.nanmedian(by_iteration[i]) for i in its])


def training_curves(curves, ax=None, label: str | None = None):
    """Training of every network given: validation loss (log scale, left) and
    validation accuracy (right) against iteration, one thin line per network
    and the median over networks thick (dashed: the median training loss).
    `curves` is a NetworkRecord, its curves dict, or a list of them; `ax` two
    Axes. Each network's lines carry gid "network:<seed>" (or "network:<k>")."""
    items = curves if isinstance(curves, (list, tuple)) else [curves]
    items = [i for i in items if len(getattr(i, "curves", i).get("iteration", ()))]
    if not items:
        raise ValueError("training_curves() needs at least one network with recorded curves")
    fig, (loss_ax, acc_ax) = _axes(ax, 2, (10, 3.8))
    dicts = [getattr(i, "curves", i) for i in items]
    color = "tab:blue"
    for k, (item, c) in enumerate(zip(items, dicts)):
        gid = f"network:{item.seed}" if hasattr(item, "seed") else f"network:{k}"
        it = np.asarray(c["iteration"])
        first = k == 0
        many = f"each network (n = {len(items)})" if len(items) > 1 else (label or "validation")
        loss_ax.plot(it, c["val_loss"], color=color, lw=0.8, alpha=0.45, gid=gid, label=many if first else None)
        acc_ax.plot(it, c["val_accuracy"], color=color, lw=0.8, alpha=0.45, gid=gid, label=many if first else None)
    its, med = _median_curve(dicts, "loss")
    loss_ax.plot(its, med, color="0.3", lw=1.2, ls="--", label="training loss, median" if len(items) > 1 else
                 "training loss")
    if len(items) > 1:
        for a, key in ((loss_ax, "val_loss"), (acc_ax, "val_accuracy")):
            its, med = _median_curve(dicts, key)
            a.plot(its, med, color="black", lw=2.2, label="median over networks")
    # A [[curriculum]]'s stage boundaries (the first network's): the curves jump there by design.
    for start in np.asarray(dicts[0].get("stage_start", ()))[1:]:
        for a in (loss_ax, acc_ax):
            a.axvline(start, color="0.6", lw=0.8, ls=":", gid="stage_start")
    loss_ax.set_yscale("log")
    loss_ax.set_ylabel("validation loss (MSE, log scale)")
    acc_ax.set_ylabel("validation accuracy (fraction of trials)")
    acc_ax.set_ylim(0, 1.02)
    for a, title in ((loss_ax, "Validation loss"), (acc_ax, "Validation accuracy")):
        a.set_xlabel("training iteration")
        a.set_title(title, fontsize=10)
        a.legend(fontsize=8, loc="best")
    fig.tight_layout()
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


def _outside_legend(fig, a, n: int, title: str | None) -> None:
    """A legend of n entries beside the axes, in columns of at most 20, so that it hides no data."""
    a.legend(loc="upper left", bbox_to_anchor=(1.02, 1), fontsize=7, ncol=max(1, -(-n // 20)), title=title,
             title_fontsize=7, frameon=False)


# Each census panel in plain words: (title, what the x axis lists). The counts are networks.
CENSUS_WORDS = {
    "attractor": ("Where each network settles when left alone",
                  "attractor reached from the end of a trial with zero input"),
    "jarne": ("Kind of dynamics (Jarne's classes)",
              "class: growing modes at the origin + delay activity (docs/dynamics.md)"),
    "family": ("Solution families: networks with similar dynamics", "family (and its most typical network)"),
}


def census_bars(census, panels=CENSUS_PANELS, ax=None):
    """How many networks found each solution: one panel each for the attractor
    types, Jarne's classes and the solution families (labelled with their
    representative seeds), titled in plain words (CENSUS_WORDS), each bar
    labelled with its count; bars grouped by census group (the config, or the
    sweep point, that networks are compared within: PALETTE's distinct colours
    and a legend beside the panels when there are several; a sweep's "all
    networks" totals row is left out). When one category holds every network
    the panel says so. `census` is an rnnlab.Census (rnnlab.census() or
    Experiment.census)."""
    panels = [panels] if isinstance(panels, str) else list(panels)
    for p in panels:
        if p not in CENSUS_PANELS:
            raise ValueError(f"unknown census panel {p!r}: choose from {', '.join(CENSUS_PANELS)}")
    # In a sweep the groups are the sweep points plus a last row "all networks"
    # with the column sums (docs/dynamics.md): the points are the bars.
    rows = [i for i, g in enumerate(census.groups) if not (g == ALL_NETWORKS and len(census.groups) > 1)]
    groups = [census.groups[i] for i in rows]
    fig, axes = _axes(ax, len(panels), (4.8 * len(panels) + (2.5 if len(groups) > 1 else 0), 4.2))
    colors = group_colors(len(groups)) if len(groups) > 1 else ["tab:blue"]
    for a, panel in zip(axes, panels):
        title, xlabel = CENSUS_WORDS[panel]
        if panel == "attractor":
            names = [n.replace("_", " ") for n in census.attractor_types]
            counts = census.attractor_counts
        elif panel == "jarne":
            names, counts = [n.replace("_", " ") for n in census.jarne_classes], census.jarne_counts
        else:
            names, counts = _family_counts(census)
            k = census.families.k
            xlabel = (f"{k} families (silhouette {census.families.silhouette:.2f}: how well they separate)" if k > 1
                      else f"one family (no split separates them; silhouette below {census.families.min_silhouette:g})")
        counts = np.asarray(counts)[rows]
        width = 0.8 / max(len(groups), 1)
        x = np.arange(len(names))
        for g, group in enumerate(groups):
            bars = a.bar(x - 0.4 + width * (g + 0.5), counts[g], width=width, color=colors[g], label=group,
                         edgecolor="black", lw=0.5)
            if len(groups) <= 4:
                a.bar_label(bars, fontsize=7, padding=1)
        a.set_xticks(x)
        a.set_xticklabels(names, fontsize=8, rotation=30 if len(names) > 3 else 0,
                          ha="right" if len(names) > 3 else "center")
        a.set_ylabel("number of networks")
        a.set_xlabel(xlabel, fontsize=8)
        a.set_ylim(0, max(1, int(counts.max(initial=0))) * 1.2)
        a.yaxis.get_major_locator().set_params(integer=True)
        total = counts.sum(axis=0)
        full = np.nonzero(total == total.sum())[0] if total.sum() > 0 else []
        if len(full) == 1:
            title += f"\n(all {int(total.sum())} in one: {names[full[0]].splitlines()[0]})"
        a.set_title(title, fontsize=9)
    if len(groups) > 1:
        _outside_legend(fig, axes[-1], len(groups), "group (sweep point)" if any("sweep point" in g for g in groups)
                        else "group")
    elif groups:
        fig.suptitle(f"{len(census.seeds)} networks: {groups[0]}", fontsize=9)
    fig.tight_layout()
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


# ---- sweep factors -------------------------------------------------------------

def _csv_rows(text: str) -> list:
    import csv
    import io

    return list(csv.DictReader(io.StringIO(text or "")))


def sweep_table(experiment) -> tuple:
    """(factors, rows, tests) of a swept results file: the swept keys, the per-network
    table (the `networks_csv` of /analysis/sweep_factors, = DIR/sweep_networks.csv) and
    the factor tests (`tests_csv`, = DIR/sweep_factors.csv), rows as dicts of text.
    Empty when the file has no sweep or `rnnlab run` did not store the tables."""
    group = (getattr(experiment, "analysis", None) or {}).get("sweep_factors") or {}
    rows, tests = _csv_rows(group.get("networks_csv", "")), _csv_rows(group.get("tests_csv", ""))
    factors = []
    for rec in experiment.networks:
        factors += [k for k in sorted(getattr(rec, "sweep", {}) or {}) if k not in factors]
    factors = [f for f in factors if rows and f in rows[0]]
    return factors, rows, tests


def _number(text) -> float:
    try:
        return float(text)
    except (TypeError, ValueError):
        return float("nan")


MEASURE_WORDS = {  # the per-network measures of sweep_networks.csv (docs/dynamics.md), in words
    "accuracy": "validation accuracy",
    "j0_leading_modulus": "|leading eigenvalue| of the step map at the origin (per step)",
    "j0_unstable_modes": "growing modes of the step map at the origin",
    "henrici": "departure from normality of W_rec (Henrici)",
    "stable_points": "stable fixed points",
    "leading_lyapunov_per_tau": "leading Lyapunov exponent (1/tau)",
    "participation_ratio": "participation ratio (dimensions)",
}


def _with_p(level: str, tests: list, factor: str, measure: str) -> str:
    """A level's tick label, with its test's p-value against the first level when the file has one."""
    test = [t for t in tests if t["factor"] == factor and t["level"] == level and t["measure"] == measure]
    p = _number(test[0]["p_value"]) if test else float("nan")
    return f"{level}\n(p = {p:.2g})" if np.isfinite(p) else level


def sweep_factor(experiment, factor: str, measure: str = "accuracy", label: str = "attractor", ax=None):
    """The marginal of one swept key (docs/dynamics.md "sweep factors"), networks
    at the other keys' values pooled: left, `measure` per network at each value
    of the key (a dot per network, a bar at the median; under each value the
    p-value of its Mann-Whitney test against the first value, from the file's
    tests); right, how many networks at each value fall in each category of
    `label` (attractor, family or status; stacked, distinct colours, legend
    beside the axes)."""
    factors, rows, tests = sweep_table(experiment)
    if factor not in factors:
        raise ValueError(f"{factor!r} is not a swept key of this file (swept: {', '.join(factors) or 'none'}; "
                         "`rnnlab run` stores the sweep's table)")
    if rows and label not in rows[0]:
        label = "status"
    levels = _sorted_values([r[factor] for r in rows])
    fig, (left, right) = _axes(ax, 2, (10.5, 4))
    rng = np.random.default_rng(0)  # jitter only: where dots sit within their column
    for x, level in enumerate(levels):
        values = np.array([_number(r.get(measure)) for r in rows if r[factor] == level])
        values = values[np.isfinite(values)]
        left.scatter(x + rng.uniform(-0.15, 0.15, len(values)), values, s=14, color="tab:blue", alpha=0.7,
                     edgecolor="none", gid=f"level:{level}")
        if len(values):
            left.plot([x - 0.3, x + 0.3], [np.median(values)] * 2, color="black", lw=2,
                      label="median" if x == 0 else None)
    left.set_xticks(range(len(levels)))
    left.set_xticklabels([_with_p(level, tests, factor, measure) for level in levels])
    left.set_xlabel(factor)
    left.set_ylabel(MEASURE_WORDS.get(measure, measure))
    left.legend(fontsize=7, loc="lower right")
    left.set_title(f"{MEASURE_WORDS.get(measure, measure)} by {factor}\n"
                   "(p: Mann-Whitney against the first value, uncorrected)", fontsize=9)
    categories = _sorted_values([r.get(label, "") for r in rows])
    colors = group_colors(len(categories))
    bottom = np.zeros(len(levels))
    for cat, color in zip(categories, colors):
        counts = np.array([sum(1 for r in rows if r[factor] == lv and r.get(label, "") == cat) for lv in levels])
        right.bar(range(len(levels)), counts, bottom=bottom, color=color, edgecolor="black", lw=0.5,
                  label=(cat or "(none)").replace("_", " "))
        bottom += counts
    right.set_xticks(range(len(levels)))
    right.set_xticklabels(levels)
    right.set_xlabel(factor)
    right.set_ylabel("number of networks")
    right.yaxis.get_major_locator().set_params(integer=True)
    right.set_title(f"{label} of the networks at each value of {factor}", fontsize=9)
    _outside_legend(fig, right, len(categories), label)
    fig.suptitle(f"Sweep factor {factor}: {len(rows)} networks, the other swept keys pooled", fontsize=10)
    fig.tight_layout()
    return fig


def sweep_factor_figures(experiment, **kwargs) -> dict:
    """{swept key: sweep_factor figure}, one per swept key; {} without a sweep."""
    return {f: sweep_factor(experiment, f, **kwargs) for f in sweep_table(experiment)[0]}


# ---- the standard set -----------------------------------------------------------

def _fixed_points_for(rec, net, states):
    fps = rec.fixed_points if rec.analysis else None
    if fps is None:
        fps = fixed_points(net, trajectories=states, n_starts=128, noise=0.01, seed=0, threads=1)
    return fps


PAPER_DPI = 300  # the standard figures' resolution: what journals ask for


def _file_name(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in text)


def standard_figures(experiment, out_dir: str, seeds=None, trials: int = 3) -> list:
    """Writes the standard figure set as PNG and SVG; returns the paths. The
    ensemble figures (training curves, the spectra grid, census, sweep factors)
    show every network of the file; the per-network figures the chosen `seeds`
    (None: all)."""
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

    every = [r for r in experiment.networks if r.trained is not None]
    recs = [r for r in every if seeds is None or r.seed in seeds]
    curves = [r for r in every if len(r.curves.get("iteration", ()))]
    if curves:
        save(training_curves(curves), "training_curves")
    if len(every) > 1:
        save(spectra_grid(every), "spectra_all")
    census = getattr(experiment, "census", None)
    if census is not None:  # `rnnlab run` / `rnnlab analyze --dynamics` wrote one
        save(census_bars(census), "census")
        if census.similarity is not None and len(census.seeds) > 1:
            save(similarity(census), "similarity")
    for factor, fig in sweep_factor_figures(experiment).items():
        save(fig, "sweep_factor_" + _file_name(factor))
    task = experiment.task()
    for rec in recs:
        net, tag = rec.trained, f"seed{rec.seed}"
        save(eigenvalues(rec.initial, net), f"eigenvalues_{tag}")
        save(connectivity(net), f"connectivity_{tag}")
        stats = ((rec.analysis or {}).get("spectrum") or {}).get("weight_stats")
        save(weight_histograms(rec.initial, net, stats=stats), f"weights_{tag}")
        if task is None or task.n_inputs != net.inputs or task.n_outputs != net.outputs:
            continue  # an import without a task: nothing to run it on
        batch = task.batch(max(trials, 32), seed=1)
        # Group trials by the condition the dynamics analysis used, when it ran.
        name = choose_condition(batch, ((rec.analysis or {}).get("dynamics") or {}).get("condition"))
        cond = None if name is None else np.asarray(batch.conditions)[:, batch.condition_names.index(name)]
        save(task_trials(net, batch.inputs, batch.targets, batch.mask, trials=trials, conditions=cond,
                         condition_name=name), f"task_{tag}")
        states = net.simulate(batch.inputs).states
        fps = _fixed_points_for(rec, net, states)
        for dims in (2, 3):
            save(trajectories(states, fps, dims=dims, conditions=cond, condition_name=name),
                 f"trajectories{dims}d_{tag}")
    return paths


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m rnnlab.plot",
                                     description="Write the standard figure set of an rnnlab results file (PNG and SVG).")
    parser.add_argument("results", help="experiment file (rnnlab train / import / analyze)")
    parser.add_argument("-o", "--output", required=True, help="directory for the figures")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--seed", type=int, action="append",
                       help="network whose own figures to draw (repeatable; default: the first); "
                            "the ensemble figures show every network")
    group.add_argument("--all", action="store_true", help="draw every network's own figures")
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
    # Per-network figures for the chosen networks; the ensemble figures always show all.
    seeds = None if args.all else (args.seed or [r.seed for r in exp.networks if r.trained is not None][:1])
    for p in standard_figures(exp, args.output, seeds):
        print(p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
