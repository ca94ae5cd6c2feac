"""Writes flipflop_walkthrough.ipynb from flipflop_walkthrough.py, so the
script and the notebook are one text (python/tests/test_notebook.py checks
that they agree and runs the notebook).

    /usr/bin/python3 examples/make_notebook.py

The script is in the "percent" format: a line `# %%` starts a code cell,
`# %% [markdown]` a markdown cell whose lines are comments.
"""
import json
import pathlib

HERE = pathlib.Path(__file__).resolve().parent


def cells_of(script: str) -> list:
    """[(kind, source text)] of a percent-format script."""
    cells = []
    for line in script.splitlines():
        if line.startswith("# %%"):
            cells.append(("markdown" if "[markdown]" in line else "code", []))
        elif cells:
            cells[-1][1].append(line)
    out = []
    for kind, lines in cells:
        if kind == "markdown":
            lines = [l[2:] if l.startswith("# ") else l.lstrip("#") for l in lines]
        text = "\n".join(lines).strip("\n")
        if text:
            out.append((kind, text))
    return out


def notebook(cells: list) -> dict:
    def cell(kind, text):
        lines = text.split("\n")
        source = [l + "\n" for l in lines[:-1]] + [lines[-1]]
        c = {"cell_type": kind, "metadata": {}, "source": source}
        if kind == "code":
            c.update(execution_count=None, outputs=[])
        return c

    return {
        "cells": [cell(k, t) for k, t in cells],
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python", "pygments_lexer": "ipython3"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def main():
    script = (HERE / "flipflop_walkthrough.py").read_text()
    nb = notebook(cells_of(script))
    # nbformat 4.5 wants a unique id per cell
    for i, c in enumerate(nb["cells"]):
        c["id"] = f"cell-{i}"
    path = HERE / "flipflop_walkthrough.ipynb"
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n")
    print(path)


if __name__ == "__main__":
    main()
