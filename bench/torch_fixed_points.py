#!/usr/bin/python3
"""The baseline of bench_fixed_points (issue 4): Adam minimisation of q, as the existing tools do it.

    F(x) = (1 - a) x + a (W_rec tanh(x) + W_in u + b),   q(x) = 1/2 |F(x) - x|^2,  u = 0

What Golub & Sussillo's FixedPointFinder does (its PyTorch version, method
"joint", defaults): all starting states as one batch, the mean of q over the
batch minimised with torch.optim.Adam (lr_init = 1.0), the learning rate
reduced by 0.95 when the mean q has not improved for 5 iterations
(ReduceLROnPlateau, patience 5, cooldown 0), until every q < tol_q = 1e-12, the
change of the mean q is below tol_dq = 1e-20, or max_iters (5000 by default).
In float64 here, since q < 1e-12 is out of float32's reach for N = 100.

Then the points with q < 1e-12 are de-duplicated exactly as rnnlab does it
(greedy in increasing q; x joins the group of representative y if
|x - y|_inf <= tol * max(1, |y|_inf), tol = 1e-6), and again at
FixedPointFinder's own tol_unique = 1e-3. With POINTS.npy (rnnlab's fixed
points, from bench_fixed_points) it also says how many of those Adam found
(an Adam point within 1e-3 relative, inf-norm).

    /usr/bin/python3 bench/torch_fixed_points.py NETWORK.h5 STARTS.npy [POINTS.npy] [--max-iters M] [--threads T]

The weights are read with h5py from the first network of NETWORK.h5
(networks/<seed>/trained/...). Prints "RESULT key=value ..." lines.
"""
import argparse
import os
import sys
import time


def dedup(points, q, tol):
    """rnnlab::deduplicate: representatives in increasing q."""
    import numpy as np
    order = np.argsort(q, kind="stable")
    reps = []
    for i in order:
        x = points[i]
        for y in reps:
            if np.max(np.abs(x - y)) <= tol * max(1.0, np.max(np.abs(y))):
                break
        else:
            reps.append(x)
    return reps


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("network")
    ap.add_argument("starts")
    ap.add_argument("points", nargs="?")
    ap.add_argument("--max-iters", type=int, default=5000)
    ap.add_argument("--tol-q", type=float, default=1e-12)
    ap.add_argument("--tol-dq", type=float, default=1e-20)
    ap.add_argument("--lr", type=float, default=1.0)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--repeats", type=int, default=1)
    ap.add_argument("--dedup-tol", type=float, default=1e-6)
    ap.add_argument("--malloc", choices=("default", "tuned"), default="default",
                    help="tuned: glibc's allocator set for PyTorch (bench/torch_malloc.py)")
    args = ap.parse_args()
    if args.malloc == "tuned":
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        import torch_malloc
        torch_malloc.tune()
    # See torch_train.py: OpenBLAS's own pool must match torch's thread count.
    os.environ["OPENBLAS_NUM_THREADS"] = str(args.threads)
    os.environ["OMP_NUM_THREADS"] = str(args.threads)
    import h5py
    import numpy as np
    import torch
    torch.set_num_threads(args.threads)

    with h5py.File(args.network, "r") as f:
        seed = sorted(f["networks"].keys(), key=int)[0]
        g = f["networks"][seed]
        alpha = float(g.attrs["alpha"])
        activation = g.attrs["activation"]
        activation = activation.decode() if isinstance(activation, bytes) else activation
        if activation != "tanh":
            sys.exit(f"torch_fixed_points: only tanh networks, not {activation}")
        w_rec = torch.tensor(g["trained/w_rec"][()], dtype=torch.float64)
        b = torch.tensor(g["trained/b"][()], dtype=torch.float64)
    starts = torch.tensor(np.load(args.starts), dtype=torch.float64)  # K x N
    n = w_rec.shape[0]
    assert starts.shape[1] == n, (starts.shape, n)

    def q_of(x):
        dx = alpha * (torch.tanh(x) @ w_rec.t() + b - x)  # F(x) - x, u = 0
        return 0.5 * torch.sum(dx * dx, dim=1)

    times, cpu_times = [], []
    for _ in range(args.repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        x = starts.clone().requires_grad_(True)
        opt = torch.optim.Adam([x], lr=args.lr)
        sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.95, patience=5, cooldown=0)
        prev = None
        iters = 0
        for iters in range(1, args.max_iters + 1):
            opt.zero_grad(set_to_none=True)
            q = q_of(x)
            mean_q = q.mean()
            mean_q.backward()
            opt.step()
            sched.step(mean_q.item())
            qmax = q.max().item()
            mq = mean_q.item()
            if qmax < args.tol_q:
                break
            if prev is not None and abs(prev - mq) < args.tol_dq:
                break
            prev = mq
        with torch.no_grad():
            q_final = q_of(x).numpy()
        times.append(time.perf_counter() - t0)
        cpu_times.append(time.process_time() - c0)
    seconds = sorted(times)[len(times) // 2]
    cpu_seconds = sorted(cpu_times)[len(cpu_times) // 2]

    xs = x.detach().numpy()
    fixed = q_final < args.tol_q
    pts, qs = xs[fixed], q_final[fixed]
    t1, c1 = time.perf_counter(), time.process_time()
    reps = dedup(pts, qs, args.dedup_tol)
    dedup_s = time.perf_counter() - t1
    dedup_cpu = time.process_time() - c1
    reps_loose = dedup(pts, qs, 1e-3)
    found_of_rnnlab = -1
    rnnlab_points = 0
    if args.points:
        ref = np.load(args.points)
        rnnlab_points = ref.shape[0]
        found_of_rnnlab = 0
        for y in ref:
            lim = 1e-3 * max(1.0, np.max(np.abs(y)))
            if len(pts) and np.min(np.max(np.abs(pts - y), axis=1)) <= lim:
                found_of_rnnlab += 1
    print(f"RESULT method=torch_adam malloc={args.malloc} threads={args.threads} units={n} starts={starts.shape[0]} "
          f"median_s={seconds + dedup_s:.4f} cpu_s={cpu_seconds + dedup_cpu:.4f} adam_s={seconds:.4f} dedup_s={dedup_s:.4f} iterations={iters} "
          f"fixed_starts={int(fixed.sum())} fixed_points={len(reps)} fixed_points_tol1e-3={len(reps_loose)} "
          f"rnnlab_points_found={found_of_rnnlab}/{rnnlab_points} "
          f"q_median={float(np.median(q_final)):.3e} q_max={float(q_final.max()):.3e}", flush=True)


if __name__ == "__main__":
    main()
