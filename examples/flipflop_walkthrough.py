# %% [markdown]
# # The 3-bit flip-flop, end to end in Python
#
# Train one network with the C++ trainer (seconds), check it on fresh trials,
# then take it apart: the spectrum of its connectivity, its fixed points
# (Sussillo & Barak 2013 found 8 stable points, one per memory state, with
# saddles between them), the principal components of its trajectories, its
# Lyapunov exponents and the dynamics analysis that `rnnlab analyze --dynamics`
# runs; and draw the figures.
#
# As a script: `PYTHONPATH=build/python /usr/bin/python3 examples/flipflop_walkthrough.py`.
# The same code is `examples/flipflop_walkthrough.ipynb` (cells split at the
# `# %%` lines; regenerate it with `/usr/bin/python3 examples/make_notebook.py`).
# Figures go to `$RNNLAB_WALKTHROUGH_OUT` (default `out/walkthrough`).

# %%
import os
import sys

import matplotlib
import numpy as np

if "ipykernel" not in sys.modules:  # a script: write the figures, open no windows
    matplotlib.use("Agg")

import rnnlab
from rnnlab import plot

out_dir = os.environ.get("RNNLAB_WALKTHROUGH_OUT", "out/walkthrough")
os.makedirs(out_dir, exist_ok=True)

# %% [markdown]
# ## 1. Train
# The same config keys as `examples/flipflop.toml`, a little smaller.

# %%
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

# %% [markdown]
# ## 2. Check it on fresh trials of its task

# %%
task = rnnlab.tasks.make("flipflop", dt=10.0, bits=3, duration=600, pulse_rate=3.0)
batch = task.batch(128, seed=42)
sim = net.simulate(batch.inputs)
accuracy = task.accuracy(batch, sim.outputs)
print(f"held-out accuracy {accuracy:.3f}")

# %% [markdown]
# ## 3. The spectrum of W_rec before and after training
# The initial weights are N(0, g^2/N): the eigenvalues fill a disk of radius g
# (the circular law). Training pushes a few out of the unit circle.

# %%
for name, n in (("initial", rec.initial), ("trained", net)):
    sp = rnnlab.spectrum(n)
    print(f"{name}: spectral radius {sp.spectral_radius:.3f} (theory {sp.theory.circular_radius:.3g}), "
          f"henrici {sp.henrici:.3f}, {sp.outside_unit_circle} eigenvalues outside the unit circle")

# %% [markdown]
# ## 4. Fixed points at zero input
# Searched from states on the trajectories; the stable ones are the memories:
# read out, they sit near the corners of {-1, +1}^3.

# %%
fps = rnnlab.fixed_points(net, trajectories=sim.states, n_starts=256, noise=0.02, seed=0)
print(fps)
readout = np.tanh(fps.x) @ net.w_out.T + net.b_out
for x_out, stab in zip(readout, fps.stability):
    if stab == "stable":
        print("  stable point, outputs", np.round(x_out, 2))

# %% [markdown]
# ## 5. Principal components of the trajectories
# How many dimensions the activity uses: the participation ratio
# (sum l)^2 / sum l^2 of the covariance eigenvalues.

# %%
pc = rnnlab.pca(sim.states)
print(f"variance explained by PC1-3: {np.round(pc.explained_ratio[:3], 3)}, "
      f"participation ratio {pc.participation_ratio:.2f}")
corners = pc.project(fps.x[[s == "stable" for s in fps.stability]], 3)
print(f"stable points in PC1-3 (first 3 of {len(corners)}):\n{np.round(corners[:3], 2)}")

# %% [markdown]
# ## 6. Lyapunov exponents
# Left alone from the end of a trial the network falls into a memory: every
# exponent is negative (in units of 1/tau).

# %%
ly = rnnlab.lyapunov(net, x0=sim.states[-1, 0], exponents=5)
print(f"leading Lyapunov exponents per tau: {np.round(ly.per_tau, 3)}")

# %% [markdown]
# ## 7. The dynamics analysis of `rnnlab analyze --dynamics`
# Trials grouped by a condition (here the last bit), the attractor of the
# autonomous run from each group's end state, Jarne's class, the solution
# signature. `rnnlab.census([...])` compares several networks this way.

# %%
dyn = rnnlab.dynamics(net)
print(dyn)
for c in dyn.conditions:
    print(f"  {dyn.condition} = {c.value:+g}: {c.attractor.type}, leading exponent {c.lyapunov_per_tau[0]:.3f}/tau")
print("signature:", dict(zip(dyn.signature.feature_names[:7], np.round(dyn.signature.features[:7], 3))))

# %% [markdown]
# ## 8. Figures

# %%
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
