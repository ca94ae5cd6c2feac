"""Files written by the hand-written writers of earlier versions
(tests/fixtures/old-layouts/README.md) load through the declared C++ reader:
the dynamics, the census and the perturbation curves read the values h5py
finds in the file."""
import shutil

import h5py
import numpy as np
import pytest

import rnnlab
from rnnlab import results
from rnnlab.perturb import Perturbation

from conftest import FIXTURES

OLD = FIXTURES / "old-layouts" / "analyses.h5"


@pytest.fixture(scope="module")
def old():
    return rnnlab.load(OLD)


def test_dynamics_of_an_old_file_read_what_h5py_reads(old):
    with h5py.File(OLD, "r") as f:
        for rec in old.networks:
            g = f[f"networks/{rec.seed}/analysis/dynamics"]
            d = rec.dynamics
            assert d.attractor == g.attrs["attractor"] and d.task == g.attrs["task"]
            np.testing.assert_array_equal(d.pca.components, g["pca/components"][()])
            np.testing.assert_array_equal(d.conditions[1].mean_states, g["conditions/1/mean_states"][()])
            assert len(d.conditions) == len(g["conditions"])
            np.testing.assert_array_equal(d.signature.features, g["signature"][()])
            assert d.attractors.description == g["attractors"].attrs["description"]
            assert [c.name for c in d.inputs] == [s.decode() for s in g["inputs/names"][()]]
            assert d.jarne.unstable_modes == g["jarne"].attrs["unstable_modes"]


def test_census_of_an_old_file_reads_what_h5py_reads(old):
    c = old.census
    with h5py.File(OLD, "r") as f:
        g = f["analysis/census"]
        np.testing.assert_array_equal(c.seeds, g["seeds"][()].astype(np.int64))
        np.testing.assert_array_equal(c.similarity.cca, g["similarity/cca"][()])
        assert c.table == g.attrs["table"] and c.families.k == g["families"].attrs["k"]
        assert c.families.feature_names == [s.decode() for s in g["families/feature_names"][()]]


def test_perturbation_curves_named_at_run_time_read_from_an_old_file(old):
    rec = old.network(3)
    assert sorted(rec.analysis["perturbation"]) == ["kick", "prune_magnitude"]
    prune = Perturbation.from_file(rec.analysis["perturbation"]["prune_magnitude"], "prune_magnitude")
    with h5py.File(OLD, "r") as f:
        g = f["networks/3/analysis/perturbation/prune_magnitude"]
        np.testing.assert_array_equal(prune.accuracy, g["accuracy"][()])
        np.testing.assert_array_equal(prune.spectral_radius_step_map, g["spectral_radius_step_map"][()])
    kick = Perturbation.from_file(rec.analysis["perturbation"]["kick"], "kick")
    assert kick.kind == "kick" and kick.kick_step == 10 and kick.spectral_radius_w_rec is None
    # The declared class: the map's entries by group name, the old name `kind` kept.
    stored = results.read(OLD, 3, "perturbation")
    assert sorted(stored.curves) == ["kick", "prune_magnitude"]
    assert stored.curves["kick"].kind == stored.curves["kick"].perturbation == "kick"


def test_a_wrong_shape_in_an_old_file_is_refused_naming_the_dataset(tmp_path):
    bad = tmp_path / "bad.h5"
    shutil.copy(OLD, bad)
    with h5py.File(bad, "a") as f:
        g = f["networks/4/analysis/perturbation/prune_magnitude"]
        del g["loss"]
        g["loss"] = np.zeros(5)  # 3 levels
    with pytest.raises(rnnlab.InputError, match="perturbation/prune_magnitude/loss"):
        rnnlab.load(bad)


def test_help_shows_the_stored_layout():
    assert "spectral_radius_step_map: float64 (L) [per step]" in Perturbation.__doc__
    assert "conditions: DynamicsCondition (dict of them" in rnnlab.Dynamics.__doc__
    assert "similarity: CensusSimilarity" in rnnlab.Census.__doc__
