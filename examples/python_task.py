"""A NeuroGym-style environment wrapped into an rnnlab.Task and trained.

    PYTHONPATH=build/python python3 examples/python_task.py [OUT.h5]

NeuroGym environments step through one trial at a time: reset() starts a
trial, step(action) returns (observation, reward, done, info), and
`env.gt` holds the correct action at each step. `PerceptualDecision` below is
such an environment, written out here in a few lines (no neurogym import):
a noisy stimulus favours one of two choices during a stimulus period, and the
network must fixate (action 0) until the decision period, then choose 1 or 2.

`GymTask` turns any such environment into an rnnlab.Task: batch(size, seed)
runs `size` trials and returns their observations as inputs and their correct
actions as integer labels (cross-entropy over one output per action), scored
in the decision period; accuracy is NeuroGym's usual rule, the choice at the
trial's last step.
"""
import sys

import numpy as np

import rnnlab


class PerceptualDecision:
    """Two-alternative decision in NeuroGym's shape: observations (fixation, evidence 1, evidence 2)."""

    fixation, stimulus, decision = 5, 10, 5  # steps of each period
    actions = 3                               # 0: fixate, 1 and 2: the choices

    def __init__(self, coherence=0.5, noise=0.5, seed=0):
        self.coherence, self.noise = coherence, noise
        self.rng = np.random.default_rng(seed)

    def reset(self):
        t = self.fixation + self.stimulus + self.decision
        self.choice = int(self.rng.integers(1, 3))
        self.ob = np.zeros((t, 3))
        self.ob[: t - self.decision, 0] = 1.0  # fixation cue until the decision period
        stim = slice(self.fixation, self.fixation + self.stimulus)
        self.ob[stim, self.choice] += self.coherence
        self.ob[stim, 1:] += self.noise * self.rng.standard_normal((self.stimulus, 2))
        self.gt = np.zeros(t, dtype=int)
        self.gt[t - self.decision:] = self.choice
        self.t = 0
        return self.ob[0]

    def step(self, action):
        self.t += 1
        done = self.t == len(self.gt)
        reward = float(action == self.gt[self.t - 1])
        return (self.ob[min(self.t, len(self.gt) - 1)], reward, done, {"gt": self.gt[self.t - 1]})


class GymTask(rnnlab.Task):
    """Any NeuroGym-style env (reset(), ob, gt, actions) as an rnnlab.Task."""

    def __init__(self, make_env, **params):
        self.make_env, self.params = make_env, params
        probe = make_env(seed=0, **params)
        probe.reset()
        self.name = type(probe).__name__
        self.inputs, self.outputs = probe.ob.shape[1], probe.actions

    def batch(self, size, seed):
        env = self.make_env(seed=seed, **self.params)
        obs, gts = [], []
        for _ in range(size):
            env.reset()
            obs.append(env.ob)
            gts.append(env.gt)
        labels = np.stack(gts, axis=1)  # (T, B) correct actions
        return {"inputs": np.stack(obs, axis=1), "targets": labels,
                "mask": (labels > 0).astype(float),  # scored in the decision period
                "conditions": labels[-1][:, None].astype(float), "condition_names": ["choice"]}

    def accuracy(self, outputs, batch):
        return float((outputs[-1].argmax(-1) == batch["targets"][-1]).mean())


def main(output="python_task.h5"):
    task = GymTask(PerceptualDecision, coherence=0.5, noise=0.5)
    config = {"model": {"units": 32, "dt": 10.0, "tau": 20.0},
              "train": {"loss": "cross_entropy", "iterations": 300, "batch": 32, "learning_rate": 0.01,
                        "validate_every": 50, "validation_trials": 256, "checkpoint_every": 100}}
    records = rnnlab.train(config, task=task, seeds=2, output=output, progress=False)
    for r in records:
        print(f"network {r.seed}: {r.status}, validation accuracy {r.best_val_accuracy:.3f} "
              f"(iteration {r.best_iteration})")
    # The file names the task; analyses take the task object (the command line refuses it).
    dyn = rnnlab.dynamics(rnnlab.load(output).networks[0].trained, task=task, trials=16)
    print(f"dynamics on {dyn.task}: {dyn.attractor}")
    return records


if __name__ == "__main__":
    main(*sys.argv[1:])
