#!/usr/bin/python3
"""The GEMM bound of one training iteration, from single-core BLAS at its shapes.

One iteration of bench_train / torch_train.py (N units, batch B = 64, T = 200
steps, 3 inputs, 3 outputs) does these matrix products (multiply-add = 2 flops):

    W_in U          (N x 3)(3 x TB)        once      W_out R        (3 x N)(N x TB)   once
    W_rec r_{t-1}   (N x N)(N x B)         T - 1     W_out^T dY     (N x 3)(3 x TB)   once
    W_rec^T d_{t+1} (N x N)(N x B)         T - 1     dW_rec = D R^T (N x TB)(TB x N)  once
    dW_in = D U^T   (N x TB)(TB x 3)       once      dW_out = dY R^T (3 x TB)(TB x N) once

(rnnlab's step 0 is a matrix-vector product from the shared x0, not counted.)
Each shape is timed alone with numpy's matmul, which hands float32 (sgemm) and
float64 (dgemm) products to the BLAS numpy was built against (OpenBLAS on
Debian), on one thread (OPENBLAS_NUM_THREADS=1 is set before numpy is
imported). The time of a shape is the smallest over `--rounds` rounds of CPU
time (time.process_time) per product, so preemption on a shared machine does
not inflate it. The bound is sum(count x time): the time one iteration would
take if it did nothing but these products at the measured speed of one core.

Prints per shape the GFLOP/s, then a line
"RESULT gemm_bound N=.. dtype=.. bound_ms=.. gflop=.. gflops=.."
"""
import argparse
import os
import sys
import time

os.environ["OPENBLAS_NUM_THREADS"] = "1"
os.environ["OMP_NUM_THREADS"] = "1"
import numpy as np  # noqa: E402

BATCH, STEPS, INPUTS, OUTPUTS = 64, 200, 3, 3


def shapes(n):
    """(name, m, k, n_cols, count): an (m x k)(k x n_cols) product done `count` times per iteration."""
    tb = STEPS * BATCH
    return [
        ("W_rec r (per step)", n, n, BATCH, STEPS - 1),
        ("W_rec^T d (per step)", n, n, BATCH, STEPS - 1),
        ("dW_rec = D R^T", n, tb - BATCH, n, 1),
        ("W_in U", n, INPUTS, tb, 1),
        ("W_out R", OUTPUTS, n, tb, 1),
        ("W_out^T dY", n, OUTPUTS, tb, 1),
        ("dW_in = D U^T", n, tb, INPUTS, 1),
        ("dW_out = dY R^T", OUTPUTS, tb, n, 1),
    ]


def time_product(m, k, ncols, dtype, rounds, min_cpu=0.05):
    rng = np.random.default_rng(1)
    a = rng.standard_normal((m, k)).astype(dtype)
    b = rng.standard_normal((k, ncols)).astype(dtype)
    out = np.empty((m, ncols), dtype)
    np.matmul(a, b, out=out)
    reps = 1
    while True:  # enough products per round for ~min_cpu of CPU time
        c0 = time.process_time()
        for _ in range(reps):
            np.matmul(a, b, out=out)
        if time.process_time() - c0 >= min_cpu:
            break
        reps *= 2
    best = float("inf")
    for _ in range(rounds):
        c0 = time.process_time()
        for _ in range(reps):
            np.matmul(a, b, out=out)
        best = min(best, (time.process_time() - c0) / reps)
    return best


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="64,128,256,512")
    ap.add_argument("--dtypes", default="float32", help="comma-separated: float32 (sgemm), float64 (dgemm)")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--quiet", action="store_true", help="only the RESULT lines")
    args = ap.parse_args()
    for n in (int(s) for s in args.sizes.split(",")):
        for dtype in args.dtypes.split(","):
            total_s, total_flop = 0.0, 0.0
            for name, m, k, ncols, count in shapes(n):
                t = time_product(m, k, ncols, np.dtype(dtype), args.rounds)
                flop = 2.0 * m * k * ncols
                total_s += count * t
                total_flop += count * flop
                if not args.quiet:
                    print(f"# N={n} {dtype} {name:22s} ({m}x{k})({k}x{ncols}) x{count}: "
                          f"{t * 1e6:9.1f} us each, {flop / t * 1e-9:6.1f} GFLOP/s, {count * t * 1e3:7.2f} ms/iteration")
            print(f"RESULT gemm_bound N={n} dtype={dtype} bound_ms={total_s * 1e3:.3f} gflop={total_flop * 1e-9:.4f} "
                  f"gflops={total_flop / total_s * 1e-9:.1f}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
