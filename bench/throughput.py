#!/usr/bin/python3
"""Ensemble throughput: networks trained to criterion per core-hour, rnnlab
against the fair PyTorch loop (bench/torch_train.py), one process per core.

    /usr/bin/python3 bench/throughput.py BUILD [--networks 4] [--procs 2]
        [--tasks flipflop,simple_dm] [--sides rnnlab,eager,script]

For each task, bench/throughput_TASK.toml says the model, the training and the
criterion: the validation loss (`train.validation_trials` trials, checked every
`train.validate_every` iterations) below `train.target_loss` within
`train.iterations`. Each side trains --networks networks (different seeds) in
--procs processes at once, one thread each (the ensemble spread over the
cores as one process per core, the way a PyTorch user would run it):

  rnnlab   `BUILD/rnnlab train CONFIG --threads 1`, the networks of a process
           as its ensemble (`ensemble.seeds`);
  eager,   the loop of bench/torch_train.py (eager or TorchScript), float32,
  script   the same model (x_t = (1-a) x_{t-1} + a (W_rec tanh(x_{t-1}) + W_in
           u_t + b), y = W_out tanh(x) + b_out, x_{-1} = 0), the same
           initialisation (model.init = "normal": W_rec ~ N(0, gain^2/N),
           W_in ~ N(0, 1/I), W_out ~ N(0, 1/N), biases 0), loss (masked MSE,
           docs/model.md), clipping, Adam and criterion, on batches of the
           same task drawn by rnnlab.tasks (so the Python package must be
           built: BUILD/python, target _core). OPENBLAS_NUM_THREADS=1.

Prints one line per (task, side): "RESULT task=T side=S networks=K converged=C
procs=P cpu_s=X wall_s=Y per_cpu_hour=C/(X/3600) per_core_hour_wall=
C/(Y*P/3600) mean_iterations=M". cpu_s is the CPU time (user + system) of all
the side's processes (os.wait4): on a shared machine the figure to compare;
the wall-clock figure is meaningful only when the cores were free.
"""
import argparse
import glob
import os
import re
import subprocess
import sys
import tempfile
import time
import tomllib

HERE = os.path.dirname(os.path.abspath(__file__))


def config_path(task):
    return os.path.join(HERE, f"throughput_{task}.toml")


def run_processes(commands, env):
    """Runs the commands at once; returns (their outputs, total CPU s, wall s)."""
    t0 = time.perf_counter()
    procs = [subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, text=True)
             for c in commands]
    outputs, cpu = [], 0.0
    for p in procs:
        out = p.stdout.read()
        _, status, usage = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
        cpu += usage.ru_utime + usage.ru_stime
        if p.returncode != 0:
            sys.exit(f"throughput.py: {' '.join(c for c in p.args)} failed ({p.returncode}):\n{out}")
        outputs.append(out)
    return outputs, cpu, time.perf_counter() - t0


def shares(networks, procs):
    """Networks per process, as even as possible."""
    counts = [networks // procs + (1 if p < networks % procs else 0) for p in range(procs)]
    return [k for k in counts if k > 0]


def rnnlab_side(build, task, networks, procs, tmp):
    commands = []
    for p, k in enumerate(shares(networks, procs)):
        commands.append([os.path.join(build, "rnnlab"), "train", config_path(task), "--threads", "1",
                         "--set", f"ensemble.seeds={k}", "--set", f"train.seed={1 + 1000 * p}",
                         "-o", os.path.join(tmp, f"{task}_{p}.h5")])
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    outputs, cpu, wall = run_processes(commands, env)
    # `rnnlab train`'s summary line per network: iterations run and the best
    # validation loss; below the target means it stopped there.
    with open(config_path(task), "rb") as f:
        target = float(tomllib.load(f)["train"]["target_loss"])
    hits = [int(it) for out in outputs
            for it, loss in re.findall(r"^network\s+\d+: trained\s+(\d+) iterations\s+val_loss (\S+)", out, re.M)
            if float(loss) < target]
    return len(hits), hits, cpu, wall


def torch_side(variant, build, task, networks, procs):
    commands = []
    for p, k in enumerate(shares(networks, procs)):
        base, _, tuned = variant.partition("+")
        commands.append([sys.executable, os.path.abspath(__file__), "--worker", base, "--task", task,
                         build, "--seeds", ",".join(str(1 + 1000 * p + i) for i in range(k))]
                        + (["--malloc", "tuned"] if tuned == "mallopt" else []))
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1",
               PYTHONPATH=os.path.join(os.path.abspath(build), "python") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    outputs, cpu, wall = run_processes(commands, env)
    hits = [int(m) for out in outputs for m in re.findall(r"^WORKER converged=1 iterations=(\d+)", out, re.M)]
    return len(hits), hits, cpu, wall


def worker(variant, task, seeds, malloc):
    """Trains one network per seed with PyTorch, one thread; prints a WORKER line each."""
    sys.path.insert(0, HERE)
    if malloc == "tuned":
        import torch_malloc
        torch_malloc.tune()
    import numpy as np
    import torch
    import rnnlab.tasks

    import torch_train
    torch_train.torch = torch
    torch.set_num_threads(1)
    rollout = torch_train.ROLLOUTS[variant]

    with open(config_path(task), "rb") as f:
        cfg = tomllib.load(f)
    params = {k: v for k, v in cfg["task"].items() if k != "name"}
    model, train = cfg["model"], cfg["train"]
    assert model.get("init", "normal") == "normal" and model.get("activation", "tanh") == "tanh"
    dt, tau, n, gain = float(model["dt"]), float(model["tau"]), int(model["units"]), float(model.get("gain", 1.0))
    alpha = dt / tau
    spec = rnnlab.tasks.make(cfg["task"]["name"], dt=dt, **params)
    inputs, outputs = spec.n_inputs, spec.n_outputs

    def tensors(batch):
        u = torch.from_numpy(np.ascontiguousarray(batch.inputs, dtype=np.float32))
        t = torch.from_numpy(np.ascontiguousarray(batch.targets, dtype=np.float32))
        m = torch.from_numpy(np.ascontiguousarray(batch.mask, dtype=np.float32))
        return u, t, m

    def loss_of(p, u, t, m):
        drive = torch.matmul(u, p["w_in"].t()) + p["b"]
        r = rollout(p["x0"], drive, p["w_rec"], alpha)
        y = torch.matmul(r, p["w_out"].t()) + p["b_out"]
        # docs/model.md: sum_{t,b} m_tb sum_o (y - target)^2 / (O sum m)
        return (m.unsqueeze(-1) * (y - t) ** 2).sum() / (outputs * m.sum())

    for seed in seeds:
        g = torch.Generator().manual_seed(seed)
        p = {
            "w_in": torch.randn(n, inputs, generator=g) / inputs ** 0.5,
            "w_rec": torch.randn(n, n, generator=g) * gain / n ** 0.5,
            "w_out": torch.randn(outputs, n, generator=g) / n ** 0.5,
            "b": torch.zeros(n),
            "b_out": torch.zeros(outputs),
        }
        for v in p.values():
            v.requires_grad_(True)
        p["x0"] = torch.zeros(n)  # model.x0 = "zero": not trained
        trained = [v for k, v in p.items() if k != "x0"]
        opt = torch.optim.Adam(trained, lr=float(train["learning_rate"]))
        validation = tensors(spec.batch(int(train.get("validation_trials", 256)), seed=10_000_000 + seed))
        converged, it = 0, 0
        for it in range(1, int(train["iterations"]) + 1):
            u, t, m = tensors(spec.batch(int(train["batch"]), seed=seed * 1_000_000 + it))
            loss = loss_of(p, u, t, m)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(trained, float(train["clip"]))
            opt.step()
            if it % int(train["validate_every"]) == 0:
                with torch.no_grad():
                    val = float(loss_of(p, *validation))
                if val < float(train["target_loss"]):
                    converged = 1
                    break
        print(f"WORKER converged={converged} iterations={it} seed={seed}", flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("build", nargs="?", default="build")
    ap.add_argument("--networks", type=int, default=4)
    ap.add_argument("--procs", type=int, default=os.cpu_count())
    ap.add_argument("--tasks", default="flipflop,simple_dm")
    ap.add_argument("--sides", default="rnnlab,eager,script,eager+mallopt,script+mallopt",
                    help="rnnlab, and PyTorch's loops: eager, script, each also with +mallopt "
                         "(glibc's allocator tuned, bench/torch_malloc.py)")
    ap.add_argument("--worker", choices=("eager", "script"), help=argparse.SUPPRESS)
    ap.add_argument("--malloc", choices=("default", "tuned"), default="default", help=argparse.SUPPRESS)
    ap.add_argument("--task", help=argparse.SUPPRESS)
    ap.add_argument("--seeds", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.worker:
        worker(a.worker, a.task, [int(s) for s in a.seeds.split(",")], a.malloc)
        return
    with tempfile.TemporaryDirectory() as tmp:
        for task in a.tasks.split(","):
            for side in a.sides.split(","):
                if side == "rnnlab":
                    converged, its, cpu, wall = rnnlab_side(a.build, task, a.networks, a.procs, tmp)
                elif not glob.glob(os.path.join(a.build, "python", "rnnlab", "_core*.so")):
                    print(f"throughput.py: no PyTorch side '{side}': {a.build}/python has no rnnlab._core "
                          f"(cmake --build {a.build} --target _core)", file=sys.stderr)
                    continue
                else:
                    converged, its, cpu, wall = torch_side(side, a.build, task, a.networks, a.procs)
                procs = len(shares(a.networks, a.procs))
                mean_its = sum(its) / len(its) if its else float("nan")
                print(f"RESULT task={task} side={side} networks={a.networks} converged={converged} procs={procs} "
                      f"cpu_s={cpu:.2f} wall_s={wall:.2f} per_cpu_hour={converged / (cpu / 3600):.1f} "
                      f"per_core_hour_wall={converged / (wall * procs / 3600):.1f} mean_iterations={mean_its:.0f} "
                      f"load={os.getloadavg()[0]:.1f}", flush=True)


if __name__ == "__main__":
    main()
