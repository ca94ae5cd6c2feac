"""Every plot runs headless on a real results file and draws a non-empty image."""
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
    }
    for name, fig in figs.items():
        assert len(fig.axes) >= 1, name
        assert png_bytes(fig) > 5000, name


def test_plots_draw_into_given_axes(loaded):
    exp, rec, _ = loaded
    fig, axes = plt.subplots(1, 3)
    assert plot.eigenvalues(rec.initial, rec.trained, ax=axes[:2]) is fig
    assert plot.training_curves(rec, ax=axes[2]) is fig
    # the eigenvalue panel holds N points, the unit circle and the theory circle
    assert axes[0].collections[0].get_offsets().shape == (rec.initial.units, 2)
    assert len(axes[0].lines) >= 2
    plt.close(fig)


def test_command_line_writes_the_standard_set(cli_results, tmp_path):
    out = subprocess.run([sys.executable, "-m", "rnnlab.plot", str(cli_results), "-o", str(tmp_path)],
                         capture_output=True, text=True, check=True).stdout.split()
    names = {p.rsplit("/", 1)[1] for p in out}
    for stem in ("training_curves", "eigenvalues_seed3", "connectivity_seed3", "weights_seed3", "task_seed3",
                 "trajectories2d_seed3", "trajectories3d_seed3"):
        assert {stem + ".png", stem + ".svg"} <= names, stem
    assert all((tmp_path / n).stat().st_size > 2000 for n in names)
    # Print resolution, with the whole figure inside the saved box (a tight box
    # is never wider than the 6-inch canvas at 300 dpi, and keeps the labels).
    from PIL import Image
    with Image.open(tmp_path / "training_curves.png") as im:
        assert im.info["dpi"] == pytest.approx((300, 300), abs=0.5)
        assert 0.8 * 6 * 300 < im.size[0] <= 6 * 300 + 200


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
    fig = plot.census_bars(two, panels=["family"])
    assert sum(p.get_height() for p in fig.axes[0].patches) == 2
    plt.close(fig)
    # a sweep's census ends with the totals row "all networks": not a bar of its own
    swept = dataclasses.replace(two, groups=["a", "b", "all networks"],
                                attractor_counts=np.vstack([two.attractor_counts, 2 * cen.attractor_counts]),
                                jarne_counts=np.vstack([two.jarne_counts, 2 * cen.jarne_counts]))
    fig = plot.census_bars(swept, panels="jarne")
    assert sum(p.get_height() for p in fig.axes[0].patches) == 4
    # a figure of its own: the groups' legend below the panels, where it hides no bar
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["a", "b"]
    plt.close(fig)

    fig = plot.similarity(cen)
    images = [a.images[0].get_array() for a in fig.axes if a.images]
    assert len(images) == 2
    np.testing.assert_allclose(images[0], cen.similarity.cca)  # one family: the seed order is kept
    np.testing.assert_allclose(images[1], cen.similarity.procrustes)
    assert png_bytes(fig) > 5000
    with pytest.raises(ValueError, match="unknown census panel"):
        plot.census_bars(cen, panels="families")


def test_command_line_adds_the_census_figures(cli_dynamics, tmp_path):
    out = subprocess.run([sys.executable, "-m", "rnnlab.plot", str(cli_dynamics), "-o", str(tmp_path)],
                         capture_output=True, text=True, check=True).stdout.split()
    names = {p.rsplit("/", 1)[1] for p in out}
    assert {"census.png", "census.svg", "similarity.png", "similarity.svg"} <= names
    assert (tmp_path / "census.png").stat().st_size > 5000
