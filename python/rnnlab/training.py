"""rnnlab.train: train networks from Python with the C++ trainer.

    nets = rnnlab.train({"task": {"name": "flipflop"}, "model": {"units": 64}}, seeds=4)
    nets = rnnlab.train("examples/flipflop.toml", progress=False)
    nets = rnnlab.train(cfg, data=(inputs, targets, mask))          # arrays (T, B, .)
    nets = rnnlab.train(cfg, data=lambda size, seed: make_batch(size, seed))
    nets = rnnlab.train(cfg, task=MyTask(), seeds=4, output="my.h5")  # an rnnlab.Task (rnnlab.task)

The config goes through the same parser as `rnnlab train` (every key checked,
the same messages), and every network trains through the same ensemble code
(threads, checkpoints, resume, output files): with a registry task exactly as
on the command line (same bits for the same seeds). With `task`, an
rnnlab.Task, its own batches, accuracy rule, name and parameters
(rnnlab.task). With `data`:

  * arrays (inputs (T, P, I), targets (T, P, O)[, mask (T, P)]): each batch of
    train.batch trials is drawn from the P trials with replacement, and so are
    the train.validation_trials validation trials.
  * a callable fn(size, seed) -> (inputs, targets[, mask]), arrays (T, size, .):
    called for every batch with the GIL held; `seed` comes from the trainer's
    stream, so the run is reproducible when fn is a pure function of it.
  * either as a dict {"inputs", "targets", "mask" (optional), "classes" (optional)}
    instead of the tuple (the arrays, or what the callable returns).

  The mask is (T, B), or (T, B, O) to score each output at its own steps.
  Targets may be integer class labels (T, B) instead of (T, B, O): they become
  one-hot targets over `classes` outputs (default for arrays: the largest
  label + 1; a callable returning labels must say "classes" in its dict),
  the form train.loss = "cross_entropy" expects (docs/model.md "Training, in brief").

  Accuracy for data (no task rule is known): a trial counts as right when, for
  every output whose mean target over the trial's masked steps is non-zero,
  the mean output over those steps has the same sign; with train.loss =
  "cross_entropy", when the largest output is the target's class at every
  scored step.

The config needs no [task] section with task= or data=; one it has is
replaced: the config as run (and the file) names the task from Python,
[task] name = "python:<name>" (python:arrays, python:callable for data), which
the command line refuses to analyse (docs/training.md "Tasks written in Python").
"""
from __future__ import annotations

import os
import sys
import time
import warnings

import numpy as np

from . import _core
from .experiment import records_from
from .task import Task, native, one_hot


# The one TOML writer (src/io/toml_writer.hpp): {"section": {"key": value}} -> TOML text.
dict_to_toml = _core.to_toml


_DATA_KEYS = ("inputs", "targets", "mask", "classes")


def _data_arrays(data, what, callable_result=False):
    """(inputs, targets[, mask]) from a tuple or dict; integer labels (T, B) become one-hot targets."""
    classes = None
    if isinstance(data, dict):
        unknown = sorted(set(data) - set(_DATA_KEYS))
        if unknown or "inputs" not in data or "targets" not in data:
            raise _core.InputError(f"{what}: a dict needs 'inputs' and 'targets' (and may have 'mask', 'classes'); "
                                   f"got keys {sorted(data)}")
        classes = data.get("classes")
        data = (data["inputs"], data["targets"]) + ((data["mask"],) if data.get("mask") is not None else ())
    if not isinstance(data, (tuple, list)):
        return data
    data = tuple(data)
    if len(data) >= 2:
        targets = np.asarray(data[1])
        if targets.ndim == 2 and np.issubdtype(targets.dtype, np.integer):
            if callable_result and classes is None:
                raise _core.InputError(f"{what}: integer labels from a callable need the number of classes: "
                                       "return a dict with 'classes'")
            data = (data[0], one_hot(targets, classes, what)) + data[2:]
    return data


def _normalise_data(data):
    """data= as the C++ trainer takes it: a tuple of arrays or a callable returning one."""
    if data is None:
        return None
    if callable(data) and not isinstance(data, (tuple, list, dict)):
        def batch(size, seed, fn=data):
            return _data_arrays(fn(size, seed), f"data callable (returned for size {size})", callable_result=True)
        return batch
    return _data_arrays(data, "data")


def _config_text(config) -> tuple[str, str]:
    if isinstance(config, dict):
        return dict_to_toml(config), "<dict>"
    path = os.fspath(config)
    if "\n" in path or (not os.path.exists(path) and "=" in path):
        return path, "<text>"
    if not os.path.isfile(path):
        raise _core.InputError(f"cannot read config '{path}': no such file")
    with open(path, encoding="utf-8") as f:
        return f.read(), path


class ProgressPrinter:
    """One progress line, rewritten in place on a terminal or in a notebook
    (both honour \\r), a plain line every few seconds otherwise (logs)."""

    def __init__(self, networks: int, iterations: int, stream=None):
        self.networks, self.iterations = networks, iterations
        self.stream = stream or sys.stdout
        self.latest, self.done, self.failed = {}, set(), []
        self.start = self.last = time.monotonic()
        self.printed = ""
        interactive = "ipykernel" in sys.modules
        self.inplace = interactive or getattr(self.stream, "isatty", lambda: False)()
        self.every = 0.2 if self.inplace else 5.0

    def __call__(self, event, seed, a, b, c):
        if event == "update":
            self.latest[seed] = (a, b, c)  # iteration, loss, accuracy
        else:
            self.done.add(seed)
            if a != "trained":
                self.failed.append(f"network {seed}: {a} ({c})")
        now = time.monotonic()
        if event != "update" or now - self.last >= self.every:
            self.last = now
            self._print()

    def _line(self) -> str:
        el = time.monotonic() - self.start
        if not self.latest:
            return f"[{len(self.done)}/{self.networks} done] {el:.0f}s"
        its = [v[0] for v in self.latest.values()]
        loss = sum(v[1] for v in self.latest.values()) / len(self.latest)
        acc = sum(v[2] for v in self.latest.values()) / len(self.latest)
        return (f"[{len(self.done)}/{self.networks} done] iteration {min(its)}/{self.iterations} "
                f"loss {loss:.4g} accuracy {acc:.3f} {el:.0f}s")

    def _print(self):
        for msg in self.failed:
            self.stream.write(("\r" if self.inplace else "") + msg + "\n")
        self.failed.clear()
        line = self._line()
        if not self.inplace and line == self.printed:
            return  # a log gets each distinct line once
        self.printed = line
        self.stream.write(("\r" + line.ljust(79)) if self.inplace else line + "\n")
        self.stream.flush()

    def close(self):
        self._print()
        if self.inplace:
            self.stream.write("\n")
        self.stream.flush()


def train(config, seeds=None, data=None, progress=True, *, task: Task | None = None, threads: int = 0, output=None,
          resume: bool = False, overrides=()):
    """Train networks; returns a list of NetworkRecord (seed, status, initial and
    trained Network, curves).

    config: a dict of sections ({"task": {...}, "model": {...}, "train": {...}})
        or the path of a TOML file (docs/config.md lists every key).
    seeds: None (the config's ensemble), an int (that many, from train.seed on)
        or a list of seeds.
    data: None (the config's task), (inputs, targets[, mask]) arrays of shape
        (T, P, .), or a callable fn(size, seed) -> (inputs, targets[, mask]);
        a dict {"inputs", "targets", "mask", "classes"} for either tuple; mask
        (T, P) or (T, P, O); targets (T, P, O) or integer labels (T, P)
        (module docstring).
    progress: True prints progress (terminal or notebook), False nothing, or a
        callable(event, seed, iteration|status, loss|None, accuracy|reason).
    task: an rnnlab.Task (a task written in Python: rnnlab.task); the file
        records it as [task] name = "python:<name>" with its params, and the
        validation accuracy is its own accuracy(). Not with data=.
    threads: 0 = the config's ensemble.threads / all cores; the same bits for any count.
    output: write the experiment file here as `rnnlab train -o` would, through
        checkpoints in OUTPUT.partial/ (removed once every network is in).
    resume: continue from output's checkpoints, as `rnnlab train --resume`.
    overrides: "section.key=value" strings, as `--set` on the command line.
    """
    text, source = _config_text(config)
    overrides = list(overrides)
    if task is not None and data is not None:
        raise _core.InputError("train: give task= or data=, not both")
    data = _normalise_data(data)
    task = native(task) if task is not None else None
    if (task is not None or data is not None) and any(o.startswith("task.") for o in overrides):
        raise _core.InputError("train: task.* overrides are for registry tasks; a task from Python takes its "
                               "parameters from Python")
    if seeds is None:
        groups = [overrides]
    elif isinstance(seeds, int):
        groups = [overrides + [f"ensemble.seeds={seeds}"]]
    else:
        seeds = [int(s) for s in seeds]
        if seeds and seeds == list(range(seeds[0], seeds[0] + len(seeds))):
            groups = [overrides + [f"train.seed={seeds[0]}", f"ensemble.seeds={len(seeds)}"]]
        else:
            if output:
                raise _core.InputError("output= needs consecutive seeds (one ensemble)")
            groups = [overrides + [f"train.seed={s}", "ensemble.seeds=1"] for s in seeds]
    check = text
    if (task is not None or data is not None) and "[task]" not in text:
        # Only to count networks and check the rest of the config now: _core.train puts the task's own table in.
        check += f'\n[task]\nname = "{_core.PYTHON_TASK_PREFIX}check"\ninputs = 1\noutputs = 1\n'
    summaries = [_core.config_summary(check, source, g) for g in groups]  # refuses a bad config before any work
    printer = None
    if progress is True:
        printer = ProgressPrinter(sum(len(s["seeds"]) for s in summaries), summaries[0]["iterations"])
        callback = printer
    elif callable(progress):
        callback = progress
    else:
        callback = None
    records, config_text = [], text
    try:
        for g in groups:
            out = _core.train(text, source, g, data, task, callback, int(threads),
                              "" if output is None else os.fspath(output), bool(resume))
            config_text = out["config"]
            if out["progress_error"]:
                warnings.warn(f"the progress callback raised: {out['progress_error']}", stacklevel=2)
            records += records_from(out["networks"], config_text)
    finally:
        if printer:
            printer.close()
    return records


def evaluate(net, task=None, *, trials: int = 512, seed: int = 1, sigma_rec: float = 0.0,
             sigma_in: float = 0.0) -> dict:
    """`rnnlab eval` for one network (a Network or NetworkRecord): its loss and
    accuracy on `trials` fresh trials drawn from `seed`, noiseless unless
    sigma_rec / sigma_in (as model.sigma_rec / model.sigma_in) add noise.

    The loss is the one the network was trained with (train.loss of its
    config; mean squared error without one): {"loss", "loss_kind" ("mse" or
    "cross_entropy"), "loss_name" ("mean squared error", "cross-entropy
    loss"), "accuracy" (the task's rule), "task", "trials"}. task as for
    rnnlab.perturb: None (the training config's), a name, an
    rnnlab.tasks.Task or an rnnlab.Task.
    """
    from .perturb import _network, _task_spec
    net = _network(net)
    for name, value in (("sigma_rec", sigma_rec), ("sigma_in", sigma_in)):
        if not (np.isfinite(value) and value >= 0):
            raise _core.InputError(f"{name}={value}: expected a finite number >= 0 (the noise's standard deviation)")
    if int(trials) < 1:
        raise _core.InputError(f"trials={trials}: needs at least 1 trial")
    name, params = _task_spec(net, task, "evaluate")
    return _core.evaluate(net._as_dict(), name, params, net.config, int(trials), int(seed), float(sigma_rec),
                          float(sigma_in))
