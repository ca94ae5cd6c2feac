"""The code in the docs runs: docs/other-languages.md's h5py block, on a real
results file, gives the numbers the file and the C++ spectrum give."""
import pathlib
import re

import numpy as np

import rnnlab

REPO = pathlib.Path(__file__).resolve().parents[2]


def python_blocks(doc: pathlib.Path):
    return re.findall(r"```python\n(.*?)```", doc.read_text(), flags=re.S)


def test_h5py_example_of_other_languages_runs_and_is_right(cli_results, capsys):
    blocks = python_blocks(REPO / "docs" / "other-languages.md")
    assert len(blocks) == 1
    scope = {"path": str(cli_results)}
    exec(compile(blocks[0], "docs/other-languages.md", "exec"), scope)
    printed = capsys.readouterr().out.split()
    assert printed[0] == "trained"
    net = rnnlab.load(cli_results).networks[0].trained
    # The orientation the doc promises: the same matrix as rnnlab.load's (w_rec[i, j] from j to i).
    np.testing.assert_array_equal(scope["w_rec"], net.w_rec)
    np.testing.assert_array_equal(scope["w_in"], net.w_in)
    assert scope["alpha"] == net.alpha and float(printed[1]) == net.alpha
    # The stored eigenvalues are those of w_rec, and the doc's step-map eigenvalues those of J0.
    want = np.sort_complex(np.linalg.eigvals(net.w_rec))
    np.testing.assert_allclose(np.sort_complex(scope["eig"]), want, atol=1e-10)
    np.testing.assert_allclose(np.sort_complex(scope["step_eig"]), np.sort_complex(np.linalg.eigvals(scope["j0"])),
                               atol=1e-10)
    assert "[task]" in scope["config_toml"]
