"""examples/flipflop_walkthrough.ipynb runs top to bottom and finds what the
3-bit flip-flop is known for; it is the walkthrough script cell for cell."""
import importlib.util
import json
import pathlib

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

EXAMPLES = pathlib.Path(__file__).resolve().parents[2] / "examples"
NOTEBOOK = EXAMPLES / "flipflop_walkthrough.ipynb"


def load_notebook() -> dict:
    nb = json.loads(NOTEBOOK.read_text())
    assert nb["nbformat"] == 4
    return nb


def code_cells(nb) -> list:
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]


def test_notebook_is_the_walkthrough_script():
    spec = importlib.util.spec_from_file_location("make_notebook", EXAMPLES / "make_notebook.py")
    make = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make)
    script = [text for kind, text in make.cells_of((EXAMPLES / "flipflop_walkthrough.py").read_text())
              if kind == "code"]
    assert code_cells(load_notebook()) == script, \
        "the notebook is out of date: /usr/bin/python3 examples/make_notebook.py"


@pytest.mark.slow
def test_notebook_runs_and_finds_the_eight_memories(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("RNNLAB_WALKTHROUGH_OUT", str(tmp_path / "figures"))
    monkeypatch.chdir(tmp_path)
    ns = {"__name__": "__notebook__"}
    for k, source in enumerate(code_cells(load_notebook())):
        exec(compile(source, f"{NOTEBOOK.name} cell {k}", "exec"), ns)  # noqa: S102 - the notebook is ours
    plt.close("all")
    printed = capsys.readouterr().out

    assert ns["accuracy"] > 0.9
    fps = ns["fps"]
    assert fps.summary["stable"] >= 8, fps  # one stable point per memory (2^3)
    assert fps.summary["saddles"] >= 1
    assert ns["ly"].per_tau.max() < 0        # a memory attracts: every exponent negative
    assert ns["pc"].explained_ratio[:3].sum() > 0.5
    dyn = ns["dyn"]
    assert dyn.attractor == "fixed_point" and len(dyn.conditions) == 2
    assert all(c.attractor.type == "fixed_point" for c in dyn.conditions)
    assert "held-out accuracy" in printed and "stable point, outputs" in printed
    for name in ns["figures"]:
        assert (tmp_path / "figures" / f"{name}.png").stat().st_size > 5000, name
