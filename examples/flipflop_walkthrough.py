"""The 3-bit flip-flop end to end in Python: train, analyse, plot.

    PYTHONPATH=build/python /usr/bin/python3 examples/flipflop_walkthrough.py [OUT_DIR]

Trains one network with the C++ trainer (well under a minute), checks it on
fresh trials, looks at its spectrum and fixed points (Sussillo & Barak 2013
found 8 stable points, one per memory state, with saddles between them), and
writes the figures to OUT_DIR (default out/walkthrough).
"""
import os
import sys

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402

import rnnlab  # noqa: E402
from rnnlab import plot  # noqa: E402

out_dir = sys.argv[1] if len(sys.argv) > 1 else "out/walkthrough"
os.makedirs(out_dir, exist_ok=True)

# 1. Train. The same config keys as examples/flipflop.toml, a little smaller.
config = {
    "task": {"name": "flipflop", "bits": 3, "duration": 600, "pulse_rate": 3.0},
    "model": {"units": 48, "dt": 10.0, "tau": 50.0, "gain": 0.9},
    "train": {"iterations": 800, "batch": 32, "learning_rate": 0.01, "validate_every": 100,
              "checkpoint_every": 0, "seed": 1},
    "ensemble": {"seeds": 1},
}
(rec,) = rnnlab.train(config)
net = rec.trained
print(rec)

# 2. Check it on fresh trials of its task.
task = rnnlab.tasks.make("flipflop", dt=10.0, bits=3, duration=600, pulse_rate=3.0)
batch = task.batch(128, seed=42)
sim = net.simulate(batch.inputs)
print(f"held-out accuracy {task.accuracy(batch, sim.outputs):.3f}")

# 3. Analyse: the spectrum before and after training, and the fixed points at zero input.
for name, n in (("initial", rec.initial), ("trained", net)):
    sp = rnnlab.spectrum(n)
    print(f"{name}: spectral radius {sp.spectral_radius:.3f} (theory {sp.theory.circular_radius:.3g}), "
          f"henrici {sp.henrici:.3f}")
fps = rnnlab.fixed_points(net, trajectories=sim.states, n_starts=256, noise=0.02, seed=0)
print(fps)
readout = np.tanh(fps.x) @ net.w_out.T + net.b_out
for x_out, stab in zip(readout, fps.stability):
    if stab == "stable":
        print("  stable point, outputs", np.round(x_out, 2))

# 4. Plot.
figures = {
    "training_curves": plot.training_curves(rec),
    "eigenvalues": plot.eigenvalues(rec.initial, net),
    "task": plot.task_trials(net, batch.inputs, batch.targets, batch.mask, trials=3),
    "trajectories3d": plot.trajectories(sim.states, fps, dims=3),
    "trajectories2d": plot.trajectories(sim.states, fps, dims=2),
    "connectivity": plot.connectivity(net),
    "weights": plot.weight_histograms(rec.initial, net),
}
for name, fig in figures.items():
    path = os.path.join(out_dir, name + ".png")
    fig.savefig(path, dpi=120)
    print(path)
