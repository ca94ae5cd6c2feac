"""rnnlab.load on damaged files: the results file of the CLI fixture, damaged
in seeded ways (truncations, bit flips, datasets replaced by wrong shapes,
wrong dtypes, absurd declared sizes, dangling links, bad attributes). Whatever
the damage: no crash and no hang, and every refusal is a ValueError or
OSError whose message names the file, and for damage to one dataset or
attribute, that dataset or attribute.

The loads run in a child process (a crash inside libhdf5 would otherwise take
pytest with it); a crash is recorded and the child restarted after it."""
import random
import shutil
import subprocess
import sys

import h5py
import numpy as np
import pytest

pytestmark = pytest.mark.slow

# Arrays a mutation may replace: weights (read by the C++ reader), a curve,
# and analysis results (read with h5py).
DATASETS = [
    "networks/3/trained/w_rec", "networks/3/trained/w_in", "networks/3/trained/w_out", "networks/3/trained/b",
    "networks/4/initial/w_rec", "networks/4/trained/x0", "networks/3/train/loss",
    "networks/4/analysis/spectrum/trained/singular_values",
]

WORKER = r"""
import sys
import rnnlab
for i, path in enumerate(sys.argv[1:]):
    print(f"start {i}", flush=True)
    try:
        rnnlab.load(path)
        print(f"accepted {i}", flush=True)
    except Exception as e:
        message = str(e).replace("\n", " ")
        print(f"refused {i} {type(e).__name__} {message}", flush=True)
"""


def mutate(path, kind, rng):
    """Damages the file at `path`; returns (what, the name a refusal must give, or None
    when the damage may be harmless, e.g. a bit flip in a weight's mantissa)."""
    data = path.read_bytes()
    dataset = rng.choice(DATASETS)
    if kind == 0:
        path.write_bytes(data[:rng.randrange(len(data))])
        return "truncated", None
    if kind == 1:
        b = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            at = rng.randrange(len(b))
            b[at] ^= 1 << rng.randrange(8)
        path.write_bytes(bytes(b))
        return "bit flips", None
    if kind == 6:
        name = rng.choice(["alpha", "dt"])
        value = rng.choice([float("nan"), -1.0, 0.0, float("inf")])
        with h5py.File(path, "r+") as f:
            f[rng.choice(["networks/3", "networks/4"])].attrs[name] = value
        return f"@{name} = {value}", name
    with h5py.File(path, "r+") as f:
        original = f[dataset].shape if dataset in f else None
        del f[dataset]
        if kind == 2:
            shape = tuple(rng.randrange(12) for _ in range(rng.randrange(4)))
            f.create_dataset(dataset, data=np.full(shape, 0.25))
            # Curves may have any length; analysis groups are read as they are (no schema in load).
            harmless = shape == original or "/analysis/" in dataset or ("/train/" in dataset and len(shape) == 1)
            # A square w_rec of another size changes N: the first array that disagrees is named.
            group = dataset.rsplit("/", 1)[0] + "/"
            return f"{dataset} shape {shape}", None if harmless else group
        if kind == 3:
            f.create_dataset(dataset, data=np.array([b"xxxx"] * 8))
            # A string array is a valid analysis dataset for h5py's reader.
            return f"{dataset} strings", None if "/analysis/" in dataset else dataset
        if kind == 4:
            shape = (1 << 40,) if rng.randrange(2) else (1 << 24, 1 << 24)
            f.create_dataset(dataset, shape=shape, chunks=(4,) * len(shape), dtype="f8")
            # A square w_rec declares another N: as for kind 2, the first array that disagrees is named.
            square_w_rec = dataset.endswith("/w_rec") and len(shape) == 2
            return f"{dataset} declared {shape}", dataset.rsplit("/", 1)[0] + "/" if square_w_rec else dataset
        if kind == 5:
            f[dataset] = h5py.SoftLink("/nowhere/at/all")
            return f"{dataset} dangling link", dataset
    raise ValueError(f"no mutation of kind {kind}")


def load_all(paths):
    """{index: (outcome, message)} for each path; 'crashed' or 'hung' when the child died on it."""
    results, start = {}, 0
    while start < len(paths):
        try:
            run = subprocess.run([sys.executable, "-c", WORKER, *map(str, paths[start:])], capture_output=True,
                                 text=True, timeout=120)
            out, died = run.stdout, run.returncode != 0
        except subprocess.TimeoutExpired as e:
            out, died = (e.stdout or b"").decode() if isinstance(e.stdout, bytes) else (e.stdout or ""), True
        last = None
        for line in out.splitlines():
            word, index, *rest = line.split(" ", 2) + [""]
            last = start + int(index)
            if word != "start":
                results[last] = (word, " ".join(rest).strip())
        if not died:
            break
        crashed = last if last is not None else start
        results[crashed] = ("crashed", out[-500:])
        start = crashed + 1
    return results


def test_damaged_files_are_refused_with_a_message_never_crash(cli_results, tmp_path):
    with h5py.File(cli_results, "r") as f:
        missing = [d for d in DATASETS if d not in f]
    assert not missing, f"the fixture lacks {missing}"
    rng = random.Random(20261204)
    paths, mutations = [], []
    for m in range(28):  # four of each of the seven kinds
        path = tmp_path / f"mutant-{m}.h5"
        shutil.copy(cli_results, path)
        mutations.append(mutate(path, m % 7, rng))
        paths.append(path)
    results = load_all(paths)
    refused = 0
    for m, (path, (what, must_name)) in enumerate(zip(paths, mutations)):
        outcome, message = results.get(m, ("missing", ""))
        context = f"mutant {m} ({what}): {outcome} {message}"
        assert outcome in ("accepted", "refused"), context
        if outcome == "accepted":
            assert must_name is None, "an invalid file was accepted: " + context
            continue
        refused += 1
        kind, _, text = message.partition(" ")
        assert kind in ("ValueError", "OSError", "InputError"), context
        assert path.name in text, "the message must name the file: " + context
        if must_name is not None:
            assert must_name in text, f"the message must name {must_name}: " + context
    assert refused > len(paths) // 2
