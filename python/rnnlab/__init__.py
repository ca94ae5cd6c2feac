"""rnnlab: recurrent rate networks on cognitive tasks, trained and analysed in C++.

    import rnnlab
    exp = rnnlab.load("out/flipflop.h5")          # an experiment file
    net = exp.networks[0].trained                  # rnnlab.Network (NumPy arrays)
    sim = net.simulate(inputs)                     # inputs (T, B, I) -> states, rates, outputs (T, B, .)
    loss, grads = net.loss_and_grad(inputs, targets, mask)
    task = rnnlab.tasks.make("flipflop", dt=10.0, bits=3)
    inputs, targets, mask, conditions = task.batch(64, seed=1)
    nets = rnnlab.train({"task": {"name": "flipflop"}, "model": {"units": 64}}, seeds=2)
    nets = rnnlab.train(config, task=MyTask(), output="my.h5")   # MyTask: a subclass of rnnlab.Task
    rnnlab.spectrum(net), rnnlab.linearise(net, x), rnnlab.weight_stats(net), rnnlab.fixed_points(net, trajectories=sim.states)
    rnnlab.lyapunov(net, x0), rnnlab.pca(sim.states), rnnlab.attractor(net, x0)
    dyn = rnnlab.dynamics(net)                     # what `rnnlab analyze --dynamics` computes per network
    cen = rnnlab.census(exp)                       # ... and over the ensemble; exp.census is the stored one
    result = rnnlab.run("examples/flipflop.toml", "out/run")   # = `rnnlab run CONFIG -o out/run`
    rnnlab.analyze("out/flipflop.h5", "spectrum", "fixed_points")  # = `rnnlab analyze FILE --spectrum --fixed-points`

Conventions: W[i, j] is the weight from unit j to unit i; batches are (time, trials, features).
Errors from the C++ core keep their messages: rnnlab.InputError (a ValueError) when
the input is wrong, rnnlab.Error (a RuntimeError) otherwise.
Figures: rnnlab.plot (and `python3 -m rnnlab.plot RESULTS.h5 -o DIR`).
"""
from . import tasks
from ._core import Error, InputError
from ._core import __version__
from .analysis import (FixedPoints, Linearisation, MatrixSpectrum, Spectrum, SpectrumAnalysis, WeightStats,
                       fixed_points, linearise, spectrum, weight_stats)
from .behaviour import Psychometric, Timing, psychometric, timing_curve
from .census import Census, census
from .dynamics import (Attractor, AttractorSet, Dynamics, InputCondition, Lyapunov, Pca, attractor, attractors, dynamics, lyapunov,
                       participation_ratio, pca)
from .experiment import Experiment, NetworkRecord, load
from .network import Network, Simulation, from_keras, from_torch
from .task import Task
from .perturb import Perturbation, perturb, pseudospectrum, schur_structure, transient_amplification
from .pipeline import AnalysisDone, AnalysisInfo, RunResult, analyses, analyze, run
from .training import evaluate, train

__all__ = [
    "Error", "InputError", "__version__", "tasks", "Network", "Simulation", "from_keras", "from_torch", "load",
    "Experiment", "NetworkRecord", "train", "evaluate", "Task", "spectrum", "linearise", "weight_stats", "fixed_points", "Spectrum", "MatrixSpectrum", "SpectrumAnalysis",
    "Linearisation", "WeightStats", "FixedPoints", "lyapunov", "pca", "participation_ratio", "attractor",
    "attractors", "AttractorSet", "dynamics", "census", "Lyapunov", "Pca", "Attractor", "Dynamics", "InputCondition", "Census",
    "perturb", "Perturbation", "schur_structure", "pseudospectrum", "transient_amplification",
    "psychometric", "timing_curve", "Psychometric", "Timing",
    "run", "analyze", "analyses", "RunResult", "AnalysisDone", "AnalysisInfo",
]
