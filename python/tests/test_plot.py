"""Every plot runs headless on a real results file, draws a non-empty image,
and shows what it says: one curve per network, one legend entry and one colour
per condition (the same in every figure), labelled axes, the moments the file
holds, one figure per swept key."""
import io
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import rnnlab  # noqa: E402
from rnnlab import plot  # noqa: E402


def png_bytes(fig) -> int:
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    data = buf.getvalue()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return len(data)


@pytest.fixture(scope="module")
def loaded(cli_results):
    exp = rnnlab.load(cli_results)
    rec = exp.networks[0]
    batch = exp.task().batch(8, seed=2)
    return exp, rec, batch


def test_each_plot_function(loaded):
    exp, rec, batch = loaded
    sim = rec.trained.simulate(batch.inputs)
    fps = rnnlab.fixed_points(rec.trained, trajectories=sim.states, n_starts=32, noise=0.01)
    figs = {
        "eigenvalues": plot.eigenvalues(rec.initial, rec.trained),
        "task": plot.task_trials(rec.trained, batch.inputs, batch.targets, batch.mask, trials=2),
        "traj2": plot.trajectories(sim.states, fps, dims=2),
        "traj3": plot.trajectories(sim.states, fps, dims=3),
        "connectivity": plot.connectivity(rec.trained),
        "weights": plot.weight_histograms(rec.initial, rec.trained),
        "curves": plot.training_curves(exp.networks),
        "grid": plot.spectra_grid(exp.networks),
    }
    for name, fig in figs.items():
        assert len(fig.axes) >= 1, name
        assert png_bytes(fig) > 5000, name


def test_plots_draw_into_given_axes(loaded):
    exp, rec, _ = loaded
    fig, axes = plt.subplots(1, 4)
    assert plot.eigenvalues(rec.initial, rec.trained, ax=axes[:2]) is fig
    assert plot.training_curves(rec, ax=axes[2:]) is fig
    # the eigenvalue panel holds N points, the unit circle and the theory circle
    assert axes[0].collections[0].get_offsets().shape == (rec.initial.units, 2)
    assert len(axes[0].lines) >= 2
    plt.close(fig)


def test_command_line_writes_the_standard_set(cli_results, tmp_path):
    out = subprocess.run([sys.executable, "-m", "rnnlab.plot", str(cli_results), "-o", str(tmp_path)],
                         capture_output=True, text=True, check=True).stdout.split()
    names = {p.rsplit("/", 1)[1] for p in out}
    for stem in ("training_curves", "spectra_all", "eigenvalues_seed3", "connectivity_seed3", "weights_seed3", "task_seed3",
                 "trajectories2d_seed3", "trajectories3d_seed3"):
        assert {stem + ".png", stem + ".svg"} <= names, stem
    assert all((tmp_path / n).stat().st_size > 2000 for n in names)
    # Print resolution, with the whole figure inside the saved box (a tight box
    # is never wider than the 6-inch canvas at 300 dpi, and keeps the labels).
    from PIL import Image
    with Image.open(tmp_path / "training_curves.png") as im:
        assert im.info["dpi"] == pytest.approx((300, 300), abs=0.5)
        assert 0.8 * 10 * 300 < im.size[0] <= 10 * 300 + 200


def test_connectivity_sorts_excitatory_first():
    cfg = {"task": {"name": "flipflop", "bits": 1, "duration": 200},
           "model": {"units": 20, "dale": True, "e_fraction": 0.75},
           "train": {"iterations": 5, "validate_every": 5, "checkpoint_every": 0, "validation_trials": 8}}
    (rec,) = rnnlab.train(cfg, progress=False)
    net = rec.trained
    order = plot.ei_order(net)
    assert (net.sign[order][:15] == 1).all() and (net.sign[order][15:] == -1).all()
    fig = plot.connectivity(net)
    image = fig.axes[0].images[0].get_array()
    assert (image[:, :15] >= 0).all() and (image[:, 15:] <= 0).all()  # Dale: the sign lives in the column
    assert "15 E | 5 I" in fig.axes[0].get_title()
    assert png_bytes(fig) > 5000


def test_census_plots(cli_dynamics):
    import dataclasses

    cen = rnnlab.load(cli_dynamics).census
    fig = plot.census_bars(cen)
    assert len(fig.axes) == 3
    for a in fig.axes:  # one group: one bar per class, heights summing to the 2 networks
        heights = [p.get_height() for p in a.patches]
        assert sum(heights) == 2
        # plain words: what is counted, on both axes; no file jargon in the title
        assert a.get_ylabel() == "number of networks" and a.get_xlabel()
        assert "_" not in a.get_title() and "jarne" not in a.get_title()
        # each bar says its count
        assert sorted(float(t.get_text()) for t in a.texts) == sorted(heights)
        if max(heights) == 2:  # both networks in one category: the title says so
            assert "all 2 in one" in a.get_title()
    assert len(fig.axes[0].patches) == len(cen.attractor_types)
    assert png_bytes(fig) > 5000

    # two groups (e.g. two sweep points): bars side by side and a legend
    two = dataclasses.replace(cen, groups=["a", "b"], network_group=["a", "b"],
                              attractor_counts=np.vstack([cen.attractor_counts, cen.attractor_counts]),
                              jarne_counts=np.vstack([cen.jarne_counts, cen.jarne_counts]))
    fig, ax = plt.subplots()
    assert plot.census_bars(two, panels="attractor", ax=ax) is fig
    assert len(ax.patches) == 2 * len(cen.attractor_types)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b"]
    plt.close(fig)
    # 16 groups (a 16-point sweep): 16 distinct colours, the legend beside the axes
    many = [f"sweep point {g}" for g in range(16)]
    sixteen = dataclasses.replace(cen, groups=many, network_group=many[:2],
                                  attractor_counts=np.vstack([cen.attractor_counts] * 16),
                                  jarne_counts=np.vstack([cen.jarne_counts] * 16))
    fig = plot.census_bars(sixteen, panels="attractor")
    fig.canvas.draw()
    a = fig.axes[0]
    colours = {p.get_facecolor() for p in a.patches}
    assert len(colours) == 16
    legend = a.get_legend()
    assert [t.get_text() for t in legend.get_texts()] == many
    renderer = fig.canvas.get_renderer()
    assert legend.get_window_extent(renderer).x0 >= a.get_window_extent(renderer).x1  # outside, hiding no bar
    plt.close(fig)
    fig = plot.census_bars(two, panels=["family"])
    assert sum(p.get_height() for p in fig.axes[0].patches) == 2
    plt.close(fig)
    # a sweep's census ends with the totals row "all networks": not a bar of its own
    swept = dataclasses.replace(two, groups=["a", "b", "all networks"],
                                attractor_counts=np.vstack([two.attractor_counts, 2 * cen.attractor_counts]),
                                jarne_counts=np.vstack([two.jarne_counts, 2 * cen.jarne_counts]))
    fig = plot.census_bars(swept, panels="jarne")
    assert sum(p.get_height() for p in fig.axes[0].patches) == 4
    # a figure of its own: the groups' legend beside the panels, where it hides no bar
    assert [t.get_text() for t in fig.axes[-1].get_legend().get_texts()] == ["a", "b"]
    plt.close(fig)

    fig = plot.similarity(cen)
    images = [a.images[0].get_array() for a in fig.axes if a.images]
    assert len(images) == 2
    np.testing.assert_allclose(images[0], cen.similarity.cca)  # one family: the seed order is kept
    np.testing.assert_allclose(images[1], cen.similarity.procrustes)
    assert png_bytes(fig) > 5000
    with pytest.raises(ValueError, match="unknown census panel"):
        plot.census_bars(cen, panels="families")


# ---- what the figures say ---------------------------------------------------------

def _condition_batch(exp, trials=24):
    batch = exp.task().batch(trials, seed=2)
    name = plot.choose_condition(batch)
    return batch, name, np.asarray(batch.conditions)[:, batch.condition_names.index(name)]


def _legend_colours(ax) -> dict:
    """{legend label: colour} of an Axes' legend."""
    import matplotlib.colors as mcolors

    legend = ax.get_legend()
    handles = legend.legend_handles if hasattr(legend, "legend_handles") else legend.legendHandles
    out = {}
    for h, t in zip(handles, legend.get_texts()):
        colour = h.get_color() if hasattr(h, "get_color") and not hasattr(h, "get_facecolor") else h.get_facecolor()
        out[t.get_text()] = mcolors.to_hex(np.asarray(colour).reshape(-1, 4)[0] if np.ndim(colour) else colour)
    return out


def test_a_condition_has_one_colour_in_every_figure(loaded):
    exp, _, _ = loaded
    batch, name, cond = _condition_batch(exp)
    # the flip-flop's grouping condition, as the dynamics analysis chooses it: the one with fewest values
    assert name in batch.condition_names and len(np.unique(cond)) >= 2
    labels = [plot.condition_label(name, v) for v in sorted(np.unique(cond))]
    expected = plot.condition_colors(cond, name)
    assert list(expected) == labels and list(expected.values()) == list(plot.PALETTE[:len(labels)])
    seen = []
    for rec in exp.networks:  # two networks, 2D and 3D: the same colour per condition each time
        states = rec.trained.simulate(batch.inputs).states
        for dims in (2, 3):
            fig = plot.trajectories(states, dims=dims, conditions=cond, condition_name=name)
            colours = _legend_colours(fig.axes[0])
            assert {k: colours[k] for k in labels} == expected, (rec.seed, dims)
            seen.append(colours)
            plt.close(fig)
    fig = plot.task_trials(exp.networks[0].trained, batch.inputs, batch.targets, batch.mask, trials=3,
                           conditions=cond, condition_name=name)
    import matplotlib.colors as mcolors
    for b, a in enumerate(fig.axes[:3]):  # each trial's title names its condition, in that condition's colour
        label = plot.condition_label(name, cond[b])
        assert label in a.get_title() and mcolors.to_hex(a.title.get_color()) == expected[label]
    plt.close(fig)
    # Breaking the rule (colours by order of appearance) would give trials of a
    # reversed batch other colours: the mapping depends on the values only.
    assert plot.condition_colors(cond[::-1], name) == expected


def test_trajectories_mark_starts_ends_and_the_input_of_the_fixed_points(loaded):
    exp, rec, _ = loaded
    batch, name, cond = _condition_batch(exp)
    states = rec.trained.simulate(batch.inputs).states
    fps = rnnlab.fixed_points(rec.trained, trajectories=states, n_starts=32, noise=0.01)
    fig = plot.trajectories(states, fps, dims=2, conditions=cond, condition_name=name, max_trials=6)
    a = fig.axes[0]
    legend = [t.get_text() for t in a.get_legend().get_texts()]
    conditions = [plot.condition_label(name, v) for v in sorted(np.unique(cond))]
    assert legend[:len(conditions)] == conditions  # one entry per condition
    assert "start of a trial" in legend and "end of a trial" in legend
    assert "fixed points at zero input" in a.get_title() and name in a.get_title()
    # 6 trials drawn, every condition among them; a start and an end marker each
    starts = [c for c in a.collections if c.get_offsets().shape == (1, 2)]
    drawn = [l for l in a.lines if len(l.get_xdata()) == states.shape[0]]
    assert len(drawn) == 6 and len(starts) == 2 * 6 + len(fps.x)
    for line in drawn:  # its start marker sits on its first point, its end marker on its last
        first = np.array([line.get_xdata()[0], line.get_ydata()[0]])
        last = np.array([line.get_xdata()[-1], line.get_ydata()[-1]])
        offsets = np.array([c.get_offsets()[0] for c in starts])
        assert np.isclose(offsets, first).all(axis=1).any() and np.isclose(offsets, last).all(axis=1).any()
    assert a.get_xlabel().startswith("PC1") and a.get_ylabel().startswith("PC2")
    plt.close(fig)
    # fixed points searched at a held input: the title says which
    held = rnnlab.fixed_points(rec.trained, u=np.array([1.0, 0.0]), trajectories=states, n_starts=16, noise=0.01)
    fig = plot.trajectories(states, held, dims=3, conditions=cond, condition_name=name)
    assert "constant input u = (1, 0)" in fig.axes[0].get_title()
    plt.close(fig)


def test_training_curves_show_every_network_and_the_median(cli_results):
    exp = rnnlab.load(cli_results)
    fig = plot.training_curves(exp.networks)
    loss, acc = fig.axes
    for a in (loss, acc):
        per_network = [l for l in a.lines if (l.get_gid() or "").startswith("network:")]
        assert sorted(l.get_gid() for l in per_network) == sorted(f"network:{r.seed}" for r in exp.networks)
        median = [l for l in a.lines if l.get_label() == "median over networks"]
        assert len(median) == 1
        ys = np.array([l.get_ydata() for l in per_network])
        np.testing.assert_allclose(median[0].get_ydata(), np.median(ys, axis=0))
        assert a.get_ylabel() and a.get_xlabel() == "training iteration"
    plt.close(fig)


def test_task_plot_names_its_axes_and_input_channels(loaded):
    exp, rec, batch = loaded
    fig = plot.task_trials(rec.trained, batch.inputs, batch.targets, batch.mask, trials=2)
    tops = fig.axes[:2]
    assert tops[0].get_ylabel() and fig.axes[2].get_ylabel()
    legend = tops[-1].get_legend()
    n_in = batch.inputs.shape[2]
    assert [t.get_text() for t in legend.get_texts()] == [f"input {i}" for i in range(n_in)]
    styles = {(l.get_color(), l.get_linestyle()) for l in tops[0].lines}
    assert len(styles) == n_in  # every channel looks different
    plt.close(fig)


def test_eigenvalue_titles_say_which_network(loaded):
    _, rec, _ = loaded
    fig = plot.eigenvalues(rec.trained)
    assert fig.axes[0].get_title().startswith("trained")
    plt.close(fig)
    fig = plot.eigenvalues(rec)
    assert [a.get_title().split(":")[0] for a in fig.axes] == ["initial", "trained"]
    plt.close(fig)
    fig = plot.eigenvalues(rec.initial, label="initial")
    assert fig.axes[0].get_title().startswith("initial")
    plt.close(fig)


def test_weight_histograms_print_the_moments_the_file_holds(cli_results):
    import h5py

    exp = rnnlab.load(cli_results)
    rec = exp.networks[0]
    stats = rec.analysis["spectrum"]["weight_stats"]
    fig = plot.weight_histograms(rec.initial, rec.trained, stats=stats)
    texts = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    with h5py.File(cli_results, "r") as f:
        stored = f[f"networks/{rec.seed}/analysis/spectrum/weight_stats/trained/all"].attrs
        trained = next(t for t in texts if t.startswith("trained"))
        for key, words in (("mean", "mean"), ("sd", "sd"), ("skewness", "skewness"), ("excess_kurtosis", "excess kurtosis")):
            assert f"{words} {float(stored[key]):.3g}" in trained
    assert fig.axes[0].get_xlabel() and fig.axes[0].get_ylabel()
    plt.close(fig)


def test_spectra_grid_draws_every_network(cli_results):
    exp = rnnlab.load(cli_results)
    fig = plot.spectra_grid(exp.networks)
    panels = [a for a in fig.axes if a.collections]
    assert len(panels) == len(exp.networks)
    for a, rec in zip(panels, exp.networks):
        assert a.collections[0].get_offsets().shape == (rec.trained.units, 2)
        assert f"seed {rec.seed}" in a.get_title()
    plt.close(fig)


SWEEP = """
[task]
name = "flipflop"
bits = 1
duration = 300

[model]
units = 8
dt = 10.0
tau = 50.0

[train]
iterations = 20
batch = 8
validate_every = 10
validation_trials = 16
checkpoint_every = 0
seed = 1

[ensemble]
seeds = 2

[analysis.fixed_points]
starts = 64
trials = 16

[sweep]
"model.units" = [8, 10]
"train.learning_rate" = [0.01, 0.02]
"""


@pytest.fixture(scope="module")
def swept_run(tmp_path_factory):
    """`rnnlab run` on a 2 x 2 sweep of 2 seeds: 8 networks, the sweep's tables in the file."""
    from conftest import rnnlab_binary

    exe = rnnlab_binary()
    if not exe.exists():
        pytest.skip(f"command line tool not built at {exe}")
    d = tmp_path_factory.mktemp("sweep_run")
    (d / "sweep.toml").write_text(SWEEP)
    subprocess.run([str(exe), "run", str(d / "sweep.toml"), "-o", str(d / "run"), "-q", "--threads", "2"],
                   check=True, capture_output=True, text=True)
    return d / "run" / "results.h5"


def test_a_figure_per_sweep_factor(swept_run):
    exp = rnnlab.load(swept_run)
    factors, rows, tests = plot.sweep_table(exp)
    assert factors == ["model.units", "train.learning_rate"] and len(rows) == 8
    figs = plot.sweep_factor_figures(exp)
    assert list(figs) == factors
    for factor, fig in figs.items():
        left, right = fig.axes
        ticks = [t.get_text() for t in left.get_xticklabels()]
        levels = [t.split("\n")[0] for t in ticks]
        assert len(levels) == 2 and left.get_xlabel() == factor and left.get_ylabel() == "validation accuracy"
        # the second value's tick carries its test against the first, as the file stores it
        stored = next(t for t in tests if t["factor"] == factor and t["level"] == levels[1] and t["measure"] == "accuracy")
        assert ticks[1].endswith(f"(p = {float(stored['p_value']):.2g})") and "p =" not in ticks[0]
        # one dot per network, at its level
        for level in levels:
            dots = [c for c in left.collections if c.get_gid() == f"level:{level}"]
            assert sum(len(c.get_offsets()) for c in dots) == 4
        # the stacked bars count every network once, 4 at each level
        heights = np.zeros(2)
        for p in right.patches:
            heights[int(round(p.get_x() + p.get_width() / 2))] += p.get_height()
        assert list(heights) == [4, 4]
        categories = {r["attractor"] for r in rows}
        legend = right.get_legend()
        assert len(legend.get_texts()) == len(categories)
        assert len({p.get_facecolor() for p in right.patches}) == len(categories)
        assert factor in fig._suptitle.get_text()
        plt.close(fig)
    with pytest.raises(ValueError, match="not a swept key"):
        plot.sweep_factor(exp, "model.tau")


def test_group_colours_never_repeat_up_to_twenty():
    assert len(set(plot.group_colors(20))) == 20
    assert len({tuple(c) for c in plot.group_colors(35)}) == 35


def test_command_line_adds_the_census_and_sweep_figures(swept_run, tmp_path):
    out = subprocess.run([sys.executable, "-m", "rnnlab.plot", str(swept_run), "-o", str(tmp_path)],
                         capture_output=True, text=True, check=True).stdout.split()
    names = {p.rsplit("/", 1)[1] for p in out}
    for stem in ("sweep_factor_model_units", "sweep_factor_train_learning_rate", "spectra_all", "census",
                 "similarity"):
        assert {stem + ".png", stem + ".svg"} <= names, stem
    assert (tmp_path / "census.png").stat().st_size > 5000
