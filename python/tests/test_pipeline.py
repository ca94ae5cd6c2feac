"""rnnlab.run and rnnlab.analyze are the command's pipeline (src/pipeline/): the same
files from Python as from `rnnlab run` / `rnnlab analyze`, and the one TOML writer."""
import math
import os
import re
import subprocess
import tomllib

import h5py
import numpy as np
import pytest

import rnnlab
from rnnlab import _core
from rnnlab.training import dict_to_toml

from conftest import rnnlab_binary

SMALL_RUN = """
[task]
name = "flipflop"
bits = 1
duration = 300

[model]
units = 12

[train]
iterations = 40
validate_every = 20

[ensemble]
seeds = 2
"""


def _cli(*args, cwd):
    exe = rnnlab_binary()
    if not exe.exists():
        pytest.skip(f"command line tool not built at {exe}")
    return subprocess.run([str(exe), *map(str, args)], cwd=cwd, capture_output=True, text=True)


def _weights(path):
    """Every stored weight array of every network (initial/, trained/, final/), by its HDF5 path."""
    arrays = {}
    with h5py.File(path, "r") as f:
        def visit(name, item):
            parts = name.split("/")
            if isinstance(item, h5py.Dataset) and parts[1] in ("initial", "trained", "final"):
                arrays[name] = item[()]
        f["networks"].visititems(visit)
    return arrays


@pytest.fixture(scope="module")
def both_runs(tmp_path_factory):
    """The same config through `rnnlab run CONFIG -o out` and rnnlab.run(CONFIG, "out"), each
    from its own folder, so the results' path in the summary reads the same."""
    root = tmp_path_factory.mktemp("pipeline")
    cfg = root / "small.toml"
    cfg.write_text(SMALL_RUN)
    (root / "cli").mkdir()
    (root / "py").mkdir()
    cli = _cli("run", cfg, "-o", "out", "--threads", "2", "--quiet", cwd=root / "cli")
    assert cli.returncode == 0, cli.stdout + cli.stderr
    here = os.getcwd()
    os.chdir(root / "py")
    try:
        result = rnnlab.run(cfg, "out", threads=1, progress=False)
    finally:
        os.chdir(here)
    return root, cli, result


def test_run_from_python_writes_what_the_command_writes(both_runs):
    root, cli, result = both_runs
    assert result.results == "out/results.h5" and result.summary_path == "out/summary.txt"
    assert not result.failures
    cli_summary = (root / "cli/out/summary.txt").read_text()
    py_summary = (root / "py/out/summary.txt").read_text()
    assert py_summary == cli_summary
    assert result.summary == py_summary and str(result) == py_summary
    assert cli_summary in cli.stdout  # the command prints the summary it wrote
    # Bit for bit the same weights (2 threads on the command line, 1 from Python: threads do not change bits).
    cli_w, py_w = _weights(root / "cli/out/results.h5"), _weights(root / "py/out/results.h5")
    assert cli_w and sorted(cli_w) == sorted(py_w)
    assert any(name.endswith("w_rec") for name in cli_w)
    for name, value in cli_w.items():
        assert np.array_equal(value, py_w[name]), name
    # Every analysis of the registry ran from Python too, and the report was written.
    with h5py.File(root / "py/out/results.h5", "r") as f:
        for seed in f["networks"]:
            for a in rnnlab.analyses():
                assert f"networks/{seed}/analysis/{a.group}" in f, (seed, a.name)
        assert "analysis/census" in f
    # The same report page, but for the measured wall times of training and of the fixed-point search.
    assert result.report == "out/report.html" and not result.report_error
    def page(side):
        text = (root / side / "out/report.html").read_bytes()
        return re.sub(rb'"wall_time(_s)?":(\{"data":\[[^\]]*\]|[-0-9.e+]+)', b"", text)
    assert len(page("py")) > 10000 and page("py") == page("cli")


def test_run_refuses_an_existing_result_and_a_bad_config(both_runs, monkeypatch):
    root, _, _ = both_runs
    monkeypatch.chdir(root / "py")
    with pytest.raises(rnnlab.InputError, match="exists; use --force"):
        rnnlab.run(root / "small.toml", "out", progress=False)
    with pytest.raises(rnnlab.InputError, match="model.unitz"):
        rnnlab.run({"task": {"name": "flipflop"}, "model": {"unitz": 3}}, "elsewhere", progress=False)
    assert not (root / "py/elsewhere").exists()
    with pytest.raises(rnnlab.InputError, match="seeds"):
        rnnlab.run(root / "small.toml", "elsewhere", seeds=0, progress=False)


def test_the_registry_is_what_analyze_accepts(both_runs, tmp_path):
    names = [a.name for a in rnnlab.analyses()]
    assert names == ["spectrum", "fixed_points", "dynamics"]
    assert [a.flag for a in rnnlab.analyses()] == ["--spectrum", "--fixed-points", "--dynamics"]
    root, _, _ = both_runs
    # Every analysis of the registry is a flag of `rnnlab analyze`, with its description as help.
    help_text = _cli("analyze", "--help", cwd=tmp_path).stdout
    for a in rnnlab.analyses():
        assert a.flag in help_text
        assert a.description.split(",")[0] in " ".join(help_text.split())
    # An unknown name is refused naming the allowed ones: from Python ...
    with pytest.raises(rnnlab.InputError, match="spectrum, fixed_points, dynamics"):
        rnnlab.analyze(root / "py/out/results.h5", "spectra")
    with pytest.raises(rnnlab.InputError, match="unknown option 'startz'"):
        rnnlab.analyze(root / "py/out/results.h5", "fixed_points", startz=3)
    # ... and from the command line (exit 2), the file left as it was.
    before = (root / "py/out/results.h5").read_bytes()
    r = _cli("analyze", root / "py/out/results.h5", "--spectra", cwd=tmp_path)
    assert r.returncode == 2, r.stdout + r.stderr
    for a in rnnlab.analyses():
        assert a.flag in r.stderr
    assert (root / "py/out/results.h5").read_bytes() == before


def test_analyze_from_python_says_what_the_command_says(both_runs, tmp_path):
    root, _, _ = both_runs
    cli_file, py_file = tmp_path / "cli.h5", tmp_path / "py.h5"
    for f in (cli_file, py_file):
        f.write_bytes((root / "py/out/results.h5").read_bytes())
    r = _cli("analyze", cli_file, "--fixed-points", "--spectrum", "--starts", "64", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    lines = []
    done = rnnlab.analyze(py_file, "fixed_points", "spectrum", starts=64, progress=lines.append)
    assert list(done) == ["spectrum", "fixed_points"]  # the registry's order
    assert lines, "progress lines reach the callable"
    for name, d in done.items():
        assert sorted(d.lines) == [1, 2]
        assert str(d) in r.stdout.replace(str(cli_file), str(py_file)), name
    with h5py.File(py_file, "r") as f:
        assert f["networks/1/analysis/fixed_points"].attrs["starts"] == 64


def test_one_toml_writer():
    config = {"task": {"name": "flipflop", "bits": 2, "pulse_rate": 4.0},
              "model": {"units": 64, "dale": True, "tau": 1e-05, "gain": 1e16, "x": float("nan"),
                        "widths": [1, 2.5, "a\"b\\c"], "n": np.int64(3), "f": np.float64(0.1)},
              "analysis": {"fixed_points": {"starts": 8, "continuation": {"direction": [1.0, 0.0]}}}}
    text = _core.to_toml(config)
    assert text == ('[task]\nname = "flipflop"\nbits = 2\npulse_rate = 4.0\n\n'
                    '[model]\nunits = 64\ndale = true\ntau = 1e-05\ngain = 1e+16\nx = nan\n'
                    'widths = [1, 2.5, "a\\"b\\\\c"]\nn = 3\nf = 0.1\n\n'
                    '[analysis]\n\n[analysis.fixed_points]\nstarts = 8\n\n'
                    '[analysis.fixed_points.continuation]\ndirection = [1.0, 0.0]\n')
    # The Python writer it replaces (rnnlab.training.dict_to_toml) gave the same text.
    assert text == dict_to_toml(config)
    # What it writes, the config parser reads back as the same values.
    back = tomllib.loads(text)
    assert back["model"]["tau"] == 1e-05 and back["model"]["gain"] == 1e16 and math.isnan(back["model"]["x"])
    assert back["model"]["widths"] == [1, 2.5, 'a"b\\c']
    with pytest.raises(TypeError, match="must be a dict of keys"):
        _core.to_toml({"task": 3})
    with pytest.raises(TypeError, match="cannot write"):
        _core.to_toml({"task": {"x": object()}})


def test_run_tells_a_callable_each_step(tmp_path):
    lines = []
    result = rnnlab.run(SMALL_RUN, tmp_path / "out", seeds=1, progress=lines.append)
    steps = [line for line in lines if line.startswith("run: ")]
    assert steps == [f"run: {a.title} ..." for a in rnnlab.analyses()]
    assert "network    1: trained" in result.summary and "network    2" not in result.summary
