"""`pip install ./python` gives a working package: every module plus _core.

pip cannot reach PyPI here, so it runs offline (--no-build-isolation: the
system's setuptools and pybind11) into a fresh --target folder. To stay quick
it reuses the CMake build this test run imported rnnlab from
(RNNLAB_BUILD_DIR: only _core is brought up to date, normally a no-op), and it
installs from a copy of python/ so that pip's in-tree build files do not land
in the repository.
"""
import os
import pathlib
import shutil
import subprocess
import sys

import numpy as np
import pytest

import rnnlab
from rnnlab import _core

PACKAGE = pathlib.Path(__file__).resolve().parents[1]  # python/

# A tiny simulate and a Lyapunov spectrum, printed for comparison with this process.
PROBE = """
import sys, numpy as np, rnnlab
net = rnnlab.Network(w_in=[[1.0], [0.0]], w_rec=[[0.5, -1.0], [1.0, 0.5]], w_out=[[1.0, 1.0]], alpha=0.5)
u = np.linspace(-1, 1, 10).reshape(10, 1, 1)
print(rnnlab.__file__)
print(repr(float(net.simulate(u).outputs.sum())))
print(repr(float(rnnlab.lyapunov(net, x0=[0.1, 0.2], steps=50, transient=10).per_step[0])))
import rnnlab.plot, rnnlab.census, rnnlab.dynamics
"""


@pytest.mark.slow
def test_pip_install_into_a_fresh_folder(tmp_path):
    build = pathlib.Path(_core.__file__).resolve().parents[2]  # <build>/python/rnnlab/_core*.so
    if not (build / "CMakeCache.txt").exists():
        pytest.skip(f"rnnlab was not imported from a CMake build ({_core.__file__})")
    source = tmp_path / "src"
    shutil.copytree(PACKAGE, source, ignore=shutil.ignore_patterns("tests", "__pycache__", "build", "*.egg-info"))
    target = tmp_path / "site"
    env = dict(os.environ, RNNLAB_BUILD_DIR=str(build), CMAKE_BUILD_PARALLEL_LEVEL="1", PIP_NO_INDEX="1",
               PIP_DISABLE_PIP_VERSION_CHECK="1")
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--no-build-isolation", "--no-deps", "--target",
                           str(target), str(source)], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]

    installed = target / "rnnlab"
    modules = {p.name for p in (PACKAGE / "rnnlab").glob("*.py")}
    assert modules <= {p.name for p in installed.glob("*.py")}, "pip left out modules"
    assert list(installed.glob("_core*.so")), "pip left out the C++ core"
    assert not any(p.is_symlink() for p in installed.iterdir()), "the install must hold files, not build links"
    assert list(target.glob("rnnlab-*.dist-info")), "no package metadata"
    assert "from rnnlab.plot import main" in (target / "bin" / "rnnlab-plot").read_text(), "no rnnlab-plot"

    # Import it in a clean process: only the target on the path, run from elsewhere.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(PYTHONPATH=str(target), MPLBACKEND="Agg")
    run = subprocess.run([sys.executable, "-c", PROBE], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    path, total, leading = run.stdout.split()
    assert pathlib.Path(path).resolve().parent == installed.resolve()
    net = rnnlab.Network(w_in=[[1.0], [0.0]], w_rec=[[0.5, -1.0], [1.0, 0.5]], w_out=[[1.0, 1.0]], alpha=0.5)
    u = np.linspace(-1, 1, 10).reshape(10, 1, 1)
    assert float(total) == float(net.simulate(u).outputs.sum())
    assert float(leading) == rnnlab.lyapunov(net, x0=[0.1, 0.2], steps=50, transient=10).per_step[0]

    # the console script runs the installed package
    plot = subprocess.run([str(target / "bin" / "rnnlab-plot"), "--help"], env=env, capture_output=True, text=True)
    assert plot.returncode == 0 and "standard figure set" in plot.stdout, plot.stderr
