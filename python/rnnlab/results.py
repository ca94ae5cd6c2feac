"""The result classes, built from their one declaration in C++.

Each result (a spectrum, the fixed points of a network, ...) is declared once
in C++ (src/analysis/*_schema.cpp): every field's name, type, shape, units
and meaning. The HDF5 writer and reader, the binding and the classes here all
derive from that list, so a field added there appears here, in the file and
in `help()` at once. Reading a stored result goes through the C++ reader,
which checks every array's shape (`read`).

Every class is a dataclass (fields in declaration order, keyword arguments),
with dict-style access (`r["x"]`, `r.get("x")`) and a short repr; groups are
nested result objects; a table (one row per point, per start) is an object
whose fields are the columns, with the rows as the first axis; a map of
groups (children named at run time) is a dict of result objects by name.
"""
from __future__ import annotations

import dataclasses

import numpy as np

from . import _core

_DECLARED = _core.result_schemas()
#: Every declared result type by class name: {"doc", "row_symbol", "fields": [...]}.
SCHEMAS: dict = _DECLARED["schemas"]
#: The results stored per network, by group under /networks/<seed>/analysis: class name.
STORED: dict = _DECLARED["stored"]
#: The file's own results (the census), by group under /analysis: class name.
STORED_FILE: dict = _DECLARED["stored_file"]

_generated: dict = {}
_registered: dict = {}


class Result:
    """Base of the declared results."""

    _schema_name = ""

    def __getitem__(self, key):
        try:
            return getattr(self, key)
        except AttributeError:
            raise KeyError(key) from None

    def get(self, key, default=None):
        return getattr(self, key, default)

    def keys(self):
        return [f.name for f in dataclasses.fields(self)]

    def __contains__(self, key) -> bool:
        return key in self.keys()

    @classmethod
    def from_dict(cls, d: dict | None):
        """The result from the nested dicts the C++ side hands out (None stays None)."""
        if d is None:
            return None
        values = {}
        fields = SCHEMAS[cls._schema_name]["fields"]
        for f in fields:
            v = d.get(f["name"])
            if f["kind"] == "map" and f["in_place"]:  # entries beside the other members
                v = {k: e for k, e in d.items() if k not in {g["name"] for g in fields}}
            if v is not None and f["kind"] == "map":
                v = {key: result_class(f["schema"]).from_dict(entry) for key, entry in v.items()}
            elif v is not None and f["kind"] != "value":
                v = result_class(f["schema"]).from_dict(v)
            values[f["name"]] = v
        return cls(**values)

    def __repr__(self) -> str:
        parts = []
        for f in dataclasses.fields(self):
            v = getattr(self, f.name)
            if v is None:
                continue
            if isinstance(v, np.ndarray):
                parts.append(f"{f.name}=<{v.dtype} {v.shape}>")
            elif isinstance(v, list):
                parts.append(f"{f.name}=<{len(v)} str>")
            elif isinstance(v, Result):
                parts.append(f"{f.name}={type(v).__name__}(...)")
            else:
                parts.append(f"{f.name}={v!r}")
        return f"{type(self).__name__}({', '.join(parts)})"


def _describe(field: dict, row_symbol: str) -> str:
    shape = field["shape"].split()
    if row_symbol:
        shape = [row_symbol] + shape
    kind = field["kind"]
    if kind == "value":
        what = f"{field['type']}" + (f" ({', '.join(shape)})" if shape else "")
    else:
        what = field["schema"] + {"table": " (table, one row per entry)",
                                  "map": " (dict of them, keyed by their group names)"}.get(kind, "")
    unit = f" [{field['unit']}]" if field["unit"] else ""
    optional = " May be None." if field["optional"] else ""
    return f"    {field['name']}: {what}{unit}. {field['doc']}{optional}"


def declared(name: str) -> type:
    """The dataclass generated for the declared result `name` (e.g. "Spectrum")."""
    if name in _generated:
        return _generated[name]
    schema = SCHEMAS[name]
    row_symbol = schema["row_symbol"]
    cls = dataclasses.make_dataclass(
        name, [(f["name"], object, dataclasses.field(default=None)) for f in schema["fields"]],
        bases=(Result,), kw_only=True, repr=False, eq=False)
    cls._schema_name = name
    cls.__module__ = __name__
    lines = [schema["doc"], "", "Fields" + (f" (columns; {row_symbol} rows)" if row_symbol else "") + ":"]
    lines += [_describe(f, row_symbol) for f in schema["fields"]]
    aliases = [f for f in schema["fields"] if f["alias"]]
    if aliases:
        lines += ["", "Older names, kept as read-only properties: " +
                  ", ".join(f"{f['alias']} = {f['name']}" for f in aliases) + "."]
    cls.__doc__ = "\n".join(lines)
    for f in aliases:
        setattr(cls, f["alias"], property(lambda self, n=f["name"]: getattr(self, n)))
    _generated[name] = cls
    return cls


def register(cls: type) -> type:
    """Use `cls` (a subclass of declared(name) with methods of its own) for the result `name`."""
    declared_doc = declared(cls._schema_name).__doc__
    own = cls.__dict__.get("__doc__")
    # @dataclass writes the signature as the docstring of a class without one.
    cls.__doc__ = declared_doc if not own or own.startswith(cls.__name__ + "(") else own + "\n\n" + declared_doc
    _registered[cls._schema_name] = cls
    return cls


def result_class(name: str) -> type:
    return _registered.get(name) or declared(name)


def read(path: str, seed: int, group: str, network=None):
    """The result stored under /networks/<seed>/analysis/<group> of the file at `path`
    (None if absent), read by the C++ reader with shapes checked against the
    declaration and, with `network`, against its sizes."""
    sizes = (-1, -1, -1) if network is None else (network.units, network.inputs, network.outputs)
    d = _core.read_results(str(path), [(int(seed), group, *sizes)])[0]
    return None if d is None else result_class(STORED[group]).from_dict(d)
