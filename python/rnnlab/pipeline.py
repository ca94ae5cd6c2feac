"""The command line's jobs from Python, through the same C++ pipeline (src/pipeline/).

    result = rnnlab.run("examples/flipflop.toml", "out/run", seeds=4)   # = rnnlab run CONFIG -o out/run --seeds 4
    print(result.summary)                                                # = out/run/summary.txt
    exp = rnnlab.load(result.results)
    done = rnnlab.analyze("out/imported.h5", "spectrum", "fixed_points", task="flipflop", starts=256)
    [a.name for a in rnnlab.analyses()]                                  # ['spectrum', 'fixed_points', 'dynamics']

rnnlab.run writes exactly what `rnnlab run` writes (results.h5 with the same
weights bit for bit, summary.txt with the same text, report.html, and for a
sweep the CSV tables); rnnlab.analyze writes what `rnnlab analyze` writes.
"""
from __future__ import annotations

import os
import sys
import warnings
from dataclasses import dataclass, field

from . import _core


@dataclass
class RunResult:
    """What rnnlab.run wrote. str(result) is the summary."""
    results: str                 # DIR/results.h5: rnnlab.load(result.results)
    summary_path: str            # DIR/summary.txt
    summary: str                 # its text: the census table, a few lines per network, the legend
    report: str                  # DIR/report.html ("" when it could not be written: report_error says why)
    report_error: str = ""
    sweep_files: list = field(default_factory=list)   # DIR/sweep_networks.csv, DIR/sweep_factors.csv (a sweep)
    failures: list = field(default_factory=list)      # (step, message) of each analysis that failed

    def __str__(self) -> str:
        return self.summary


@dataclass
class AnalysisInfo:
    """One analysis of the registry: rnnlab.analyze(path, name), `rnnlab analyze FILE <flag>`."""
    name: str          # "fixed_points"
    flag: str          # "--fixed-points"
    title: str         # "fixed points" (rnnlab run's progress)
    description: str
    group: str         # results under /networks/<seed>/analysis/<group>/
    uses_task: bool    # takes task=


@dataclass
class AnalysisDone:
    """One analysis rnnlab.analyze ran: its line per network (as `rnnlab analyze` prints them)."""
    name: str
    group: str
    text: str          # printed after it ran (the census table of the dynamics); may be ""
    lines: dict        # seed -> its summary line, or "skipped: WHY"

    def __str__(self) -> str:
        return self.text + "".join(f"network {seed:>4}: {line}\n" for seed, line in self.lines.items())


def analyses() -> list:
    """The analyses `rnnlab analyze` and `rnnlab run` know, in the order they run."""
    return [AnalysisInfo(**d) for d in _core.analysis_registry()]


def _line_sink(progress):
    if progress is True:
        def say(line):
            print(line, file=sys.stderr, flush=True)
        return say
    if callable(progress):
        return progress
    return None


def _config_source(config):
    """(path, text, source): a dict becomes TOML text; a file is read by the C++ side as the command reads it."""
    if isinstance(config, dict):
        return "", _core.to_toml(config), "<dict>"
    path = os.fspath(config)
    if "\n" in path or (not os.path.exists(path) and "=" in path):
        return "", path, "<text>"
    return path, "", path


def run(config, output_dir, *, seeds=None, threads: int = 0, overrides=(), force: bool = False,
        progress=True) -> RunResult:
    """`rnnlab run CONFIG -o OUTPUT_DIR`: train the ensemble, run every analysis and the census,
    write OUTPUT_DIR/results.h5, summary.txt and report.html.

    config: a TOML file, TOML text or a dict of sections (docs/config.md).
    seeds: networks per sweep point (as --seeds); None: the config's ensemble.seeds.
    threads: training threads (as --threads); 0: the config's, else one per core.
    overrides: "section.key=value" strings (as --set).
    force: overwrite an existing OUTPUT_DIR/results.h5 (as --force).
    progress: True prints the training line and the steps on stderr, as the command does;
        False nothing; a callable(line) receives the step lines (and no training line is printed).
    Raises InputError (a ValueError) for a bad config before any work; an analysis that
    fails is warned about and listed in result.failures, and the others still run.
    """
    path, text, source = _config_source(config)
    overrides = list(overrides)
    if seeds is not None:
        if isinstance(seeds, bool) or not isinstance(seeds, int) or seeds < 1:
            raise _core.InputError(f"seeds={seeds!r}: expected a number of networks >= 1 (as --seeds)")
        overrides.append(f"ensemble.seeds={seeds}")  # recorded in the config as run, as --seeds is
    sink = _line_sink(progress)
    out = _core.run_experiment(path, text, source, overrides, os.fspath(output_dir), int(threads), bool(force),
                               progress is not True, sink)
    if out["progress_error"]:
        warnings.warn(f"the progress callback raised: {out['progress_error']}", stacklevel=2)
    result = RunResult(results=out["results"], summary_path=out["summary_path"], summary=out["summary"],
                       report=out["report"] if not out["report_error"] else "", report_error=out["report_error"],
                       sweep_files=list(out["sweep_files"]), failures=[tuple(f) for f in out["failures"]])
    for step, message in result.failures:
        warnings.warn(f"rnnlab.run: {step} failed: {message}", stacklevel=2)
    return result


def analyze(path, *analyses_named, progress=True, **options) -> dict:
    """`rnnlab analyze FILE --<name> ...`: the named analyses (see rnnlab.analyses()) of every
    network of the experiment file, written into it. Returns {name: AnalysisDone}.

    options (as the command's): task (for fixed_points and dynamics), and the fixed-point finder's
    starts, trials, noise, tolerance, max_iterations, threads, input, seed.
    An unknown analysis or option raises InputError naming the allowed ones.
    """
    if not analyses_named:
        names = ", ".join(a.name for a in analyses())
        raise _core.InputError(f"analyze: choose at least one analysis: {names}")
    sink = _line_sink(progress)
    reports = _core.analyze(os.fspath(path), list(analyses_named), dict(options), sink)
    return {r["name"]: AnalysisDone(r["name"], r["group"], r["text"], dict(r["lines"])) for r in reports}
