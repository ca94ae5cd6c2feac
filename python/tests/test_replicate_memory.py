"""The memory-length row of replications/replicate.py: how a network's memory
length is read from its held-memory accuracies, and the rank correlation that
decides the trend (worked by hand in the comments)."""
import pathlib
import runpy

import numpy as np
import pytest

REPLICATE = runpy.run_path(str(pathlib.Path(__file__).parents[2] / "replications" / "replicate.py"))


def test_memory_length_is_the_longest_hold_before_the_first_failure():
    length = REPLICATE["memory_length"]
    assert length({1.0: 1.0, 2.0: 0.95, 5.0: 0.5}) == 2.0
    assert length({5.0: 0.9, 1.0: 1.0, 2.0: 1.0}) == 5.0  # order of the keys does not matter; 0.9 holds
    assert length({1.0: 0.5, 2.0: 1.0, 5.0: 1.0}) == 0.0  # failed at the trained length: no memory
    assert length({1.0: 1.0, 2.0: 0.5, 5.0: 1.0}) == 1.0  # a failure ends it, a later success does not count


def test_rank_correlation_with_ties():
    rho = REPLICATE["rank_correlation"]
    # N = 2, 2, 16, 16 against lengths 5, 0, 5, 5: ranks (0.5, 0.5, 2.5, 2.5) and (2, 0, 2, 2);
    # centred (-1, -1, 1, 1) and (0.5, -1.5, 0.5, 0.5): covariance 2 / (2 sqrt 3) = 1/sqrt 3.
    assert rho([2, 2, 16, 16], [5, 0, 5, 5]) == pytest.approx(1 / np.sqrt(3))
    assert rho([1, 2, 3], [30, 20, 10]) == pytest.approx(-1.0)
    assert rho([1, 2, 3], [5, 5, 5]) == 0.0  # constant: no trend either way
