"""A swept experiment (docs/config.md "[sweep]") read from Python: every record
knows its sweep point and seed and carries its point's config, and the census
computed in Python groups by sweep point as `rnnlab analyze --dynamics` does."""
import subprocess

import numpy as np
import pytest

import rnnlab
from conftest import TINY_FLIPFLOP, rnnlab_binary

SWEEP = TINY_FLIPFLOP.replace("units = 24", "units = 16").replace("iterations = 120", "iterations = 20") + """
[sweep]
"model.units" = [12, 16]
"model.sigma_rec" = [0.0]
"""


@pytest.fixture(scope="module")
def swept(tmp_path_factory):
    exe = rnnlab_binary()
    if not exe.exists():
        pytest.skip(f"command line tool not built at {exe}")
    d = tmp_path_factory.mktemp("sweep")
    cfg = d / "sweep.toml"
    cfg.write_text(SWEEP.replace("sigma_rec\" = [0.0]", "sigma_rec\" = [0.0, 0.05]"))
    out = d / "sweep.h5"
    subprocess.run([str(exe), "train", str(cfg), "-o", str(out), "--threads", "1"], check=True,
                   capture_output=True, text=True)
    subprocess.run([str(exe), "analyze", str(out), "--dynamics"], check=True, capture_output=True, text=True)
    return rnnlab.load(str(out))


def test_records_know_their_point_seed_and_config(swept):
    recs = swept.networks
    assert len(recs) == 8  # 2 units x 2 sigma_rec x 2 seeds
    # network i is seed 3 + i % 2 at point i // 2; the last axis (alphabetical) varies fastest
    assert [r.seed for r in recs] == list(range(8))
    assert [r.sweep_point for r in recs] == [0, 0, 1, 1, 2, 2, 3, 3]
    assert [r.sweep_seed for r in recs] == [3, 4] * 4
    for r in recs:
        units, sigma = int(r.sweep["model.units"]), float(r.sweep["model.sigma_rec"])
        assert r.trained.units == units
        assert r.trained.sigma_rec == pytest.approx(sigma)  # from the point's config, not the shared one
        assert f"units = {units}" in r.trained.config
        assert "[sweep]" not in r.trained.config
        assert f"sweep point {r.sweep_point}" in repr(r)
    # axes in key order, the last varies fastest: point 1 is sigma_rec 0, units 16
    assert (recs[2].sweep["model.sigma_rec"], recs[2].trained.units) == ("0.0", 16)


def test_python_census_groups_by_sweep_point_like_the_file(swept):
    stored = swept.census
    assert stored is not None
    computed = rnnlab.census(swept)
    assert computed.groups == stored.groups
    assert computed.network_group == stored.network_group
    assert len(set(computed.network_group)) == 4 and computed.groups[-1] == "all networks"
    for r, g in zip(swept.networks, computed.network_group):
        assert f"sweep point {r.sweep_point}:" in g and f"model.units={r.sweep['model.units']}" in g
    np.testing.assert_array_equal(computed.attractor_counts, stored.attractor_counts)
    np.testing.assert_array_equal(computed.attractor_counts[-1], computed.attractor_counts[:-1].sum(axis=0))
    np.testing.assert_array_equal(computed.group_families, stored.group_families)
    assert computed.table == stored.table
