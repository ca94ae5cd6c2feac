"""Argument checks shared by the package: every array that goes to C++ passes
here, so a wrong shape or dtype is refused in Python with a message that names
the expected shape (C++ would only see a mismatch deep inside)."""
from __future__ import annotations

import numpy as np

from ._core import InputError


def _shape_text(shape) -> str:
    parts = [str(s) for s in shape]
    return "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"


def array(name: str, value, expected: tuple, names: tuple | None = None) -> np.ndarray:
    """`value` as a C-contiguous float64 array of shape `expected`.

    `expected` holds ints (required sizes) or None (any size). `names` gives
    a letter per dimension for the message, e.g. ("T", "B", "I"). Integer and
    float inputs are converted; complex, bool-less object or string arrays are
    refused rather than silently cast.
    """
    a = np.asarray(value)
    labels = names or tuple("?" for _ in expected)
    want = tuple(f"{l}={s}" if s is not None else l for l, s in zip(labels, expected))
    if a.dtype.kind not in "biuf":
        raise InputError(f"{name} must be a real numeric array of shape {_shape_text(want)}, got dtype {a.dtype}")
    if a.ndim != len(expected) or any(s is not None and s != d for s, d in zip(expected, a.shape)):
        raise InputError(f"{name} must have shape {_shape_text(want)}, got {_shape_text(a.shape)}")
    return np.ascontiguousarray(a, dtype=np.float64)
