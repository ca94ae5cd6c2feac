"""Shared fixtures: where things are, and a small real results file written by
the command line tool (trained once per test session)."""
import os
import pathlib
import shutil
import subprocess

import numpy as np
import pytest

import rnnlab
from rnnlab import _core

REPO = pathlib.Path(__file__).resolve().parents[2]
# Networks trained elsewhere, in the repository with their licence and provenance
# (tests/fixtures/keras-jarne/README.md); the C++ tests get the same folder as RNNLAB_FIXTURES_DIR.
FIXTURES = REPO / "tests" / "fixtures"


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: takes seconds, not milliseconds (still part of make test)")


def rnnlab_binary() -> pathlib.Path:
    """The command line tool of the build this package was imported from
    (build/python/rnnlab/_core*.so -> build/rnnlab), or $RNNLAB_BINARY."""
    if os.environ.get("RNNLAB_BINARY"):
        return pathlib.Path(os.environ["RNNLAB_BINARY"])
    return pathlib.Path(_core.__file__).resolve().parents[2] / "rnnlab"


TINY_FLIPFLOP = """
[task]
name = "flipflop"
bits = 2
duration = 400
pulse_rate = 4.0

[model]
units = 24
dt = 10.0
tau = 50.0
gain = 0.9

[train]
iterations = 120
batch = 16
learning_rate = 0.01
validate_every = 40
validation_trials = 32
checkpoint_every = 0
seed = 3

[ensemble]
seeds = 2
threads = 1
"""


@pytest.fixture(scope="session")
def cli_results(tmp_path_factory) -> pathlib.Path:
    """A results file from `rnnlab train` (2 seeds) with `rnnlab analyze --spectrum` run on it."""
    exe = rnnlab_binary()
    if not exe.exists():
        pytest.skip(f"command line tool not built at {exe}")
    d = tmp_path_factory.mktemp("cli")
    cfg = d / "tiny.toml"
    cfg.write_text(TINY_FLIPFLOP)
    out = d / "tiny.h5"
    subprocess.run([str(exe), "train", str(cfg), "-o", str(out), "--threads", "1"], check=True,
                   capture_output=True, text=True)
    subprocess.run([str(exe), "analyze", str(out), "--spectrum"], check=True, capture_output=True, text=True)
    return out


@pytest.fixture(scope="session")
def cli_dynamics(cli_results, tmp_path_factory) -> pathlib.Path:
    """A copy of cli_results with `rnnlab analyze --dynamics` run on it: per-network
    dynamics and the census of its 2 networks (what `rnnlab run` writes)."""
    out = tmp_path_factory.mktemp("dyn") / "tiny_dynamics.h5"
    shutil.copy(cli_results, out)
    subprocess.run([str(rnnlab_binary()), "analyze", str(out), "--dynamics"], check=True, capture_output=True,
                   text=True)
    return out


def random_network(n=5, i=2, o=2, alpha=0.3, activation="tanh", seed=0, gain=1.2):
    rng = np.random.default_rng(seed)
    return rnnlab.Network(
        w_in=rng.normal(size=(n, i)), w_rec=gain * rng.normal(size=(n, n)) / np.sqrt(n),
        w_out=rng.normal(size=(o, n)) / np.sqrt(n), b=0.1 * rng.normal(size=n), b_out=0.1 * rng.normal(size=o),
        x0=0.3 * rng.normal(size=n), alpha=alpha, dt=10.0, activation=activation)
