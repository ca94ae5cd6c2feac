"""The result classes come from their one declaration in C++
(src/util/result_schema.hpp): docstrings from it, old Python names kept,
and the documented file layout names every declared field."""
import pathlib

import numpy as np
import pytest

import rnnlab
from rnnlab import results

DOCS = pathlib.Path(__file__).resolve().parents[2] / "docs"


def _fields(name, seen=None):
    seen = set() if seen is None else seen
    if name in seen:
        return
    seen.add(name)
    for f in results.SCHEMAS[name]["fields"]:
        yield name, f
        if f["schema"]:
            yield from _fields(f["schema"], seen)


def test_help_shows_each_fields_meaning_and_units():
    doc = rnnlab.Spectrum.__doc__
    assert "henrici_departure: float64. departure from normality" in doc
    assert "eigenvalues: complex128 (N). sorted by |l| descending" in doc
    fp = rnnlab.FixedPoints.__doc__
    assert "speed: float64 (P) [1/tau]" in results.declared("FixedPointRows").__doc__
    assert "points: FixedPointRows (table, one row per entry)" in fp


def test_old_python_names_still_work():
    net = rnnlab.Network(w_in=np.zeros((2, 1)), w_rec=[[0.0, -1.0], [1.0, 0.0]], w_out=np.zeros((1, 2)), alpha=0.5)
    sp = rnnlab.spectrum(net)
    assert sp.henrici == sp.henrici_departure == pytest.approx(0.0, abs=1e-7)  # a rotation is normal
    assert sp.outside_unit_circle == sp.n_outside_unit_circle == 0
    assert sp.leading_complex is sp.leading_complex_pair
    assert sp.leading_complex.eigenvalue == 1j and sp.leading_complex.continuous == 1j - 1
    assert sp.theory.rajan_abbott_radius == pytest.approx(1.0) and sp.theory.circular_radius is sp.theory.circular_law_radius
    assert sp["matrix"] == "w_rec" and "eigenvalues" in sp
    assert len(repr(sp)) < 2000  # arrays summarised, not printed


def test_the_documented_layout_names_every_declared_field():
    text = (DOCS / "file-format.md").read_text()
    declared = {**results.STORED, **results.STORED_FILE}
    missing = sorted({f"{cls}.{f['stored_as']}" for group, cls in declared.items() for cls, f in _fields(cls)
                      if f["stored_as"] not in text})
    assert not missing, f"docs/file-format.md does not mention: {missing}"
