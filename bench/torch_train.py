#!/usr/bin/python3
"""The baseline of bench_train (issue 2): the same model and training loop in PyTorch.

    x_t = (1 - a) x_{t-1} + a (W_rec tanh(x_{t-1}) + W_in u_t + b),  y_t = W_out tanh(x_t) + b_out

N in {64, 128, 256, 512}, batch 64, 200 steps, alpha 0.1, 3 inputs, 3 outputs,
float32, x_{-1} = 0, MSE on every step, gradient-norm clipping at 1, Adam --
what one rnnlab iteration does (bench/bench_train.cpp, BM_TrainIteration), on a
random batch drawn once. Written as a PyTorch user would write it: eager mode,
autograd, the input drive of all steps in one batched matmul, the recurrence
in a Python loop over steps.

Each configuration is timed `--repeats` times over `--iters` iterations after
a warm-up; the median iterations per wall-clock second (it_per_s) and per
CPU second of the process (it_per_cpu_s: all threads' CPU time, so on a
shared, overloaded machine this is the figure that does not depend on how
much of a core the scheduler gave us) are printed, per thread setting
(torch.set_num_threads), as lines "RESULT threads=T N=N it_per_s=X ...".

Run with Debian's python3-torch: /usr/bin/python3 bench/torch_train.py --threads 1

Debian's torch does its matmuls in OpenBLAS (pthreads build), whose own
thread pool ignores torch.set_num_threads: left alone it starts one thread
per core next to torch's, and on a busy 2-core machine a 64x128 @ 128x128
matmul then takes ~2.7 ms instead of ~0.1 ms (measured). So, unless
--blas-env inherit is given, OPENBLAS_NUM_THREADS is set to the torch thread
count before torch is imported; with several --threads values each runs in
its own process. PyTorch's best setting is the best of these.
"""
import argparse
import os
import statistics
import sys
import time

torch = None  # imported in main(), after OPENBLAS_NUM_THREADS is set

STEPS, BATCH, INPUTS, OUTPUTS, ALPHA = 200, 64, 3, 3, 0.1


def make(n, seed=1):
    g = torch.Generator().manual_seed(seed)
    params = {
        "w_in": torch.randn(n, INPUTS, generator=g) / INPUTS ** 0.5,
        "w_rec": torch.randn(n, n, generator=g) * 0.9 / n ** 0.5,
        "w_out": torch.randn(OUTPUTS, n, generator=g) / n ** 0.5,
        "b": torch.zeros(n),
        "b_out": torch.zeros(OUTPUTS),
    }
    for p in params.values():
        p.requires_grad_(True)
    u = torch.randn(STEPS, BATCH, INPUTS, generator=g)
    target = torch.randint(0, 2, (STEPS, BATCH, OUTPUTS), generator=g).float() * 2 - 1
    return params, u, target


def iteration(params, opt, u, target):
    w_in, w_rec, w_out, b, b_out = (params[k] for k in ("w_in", "w_rec", "w_out", "b", "b_out"))
    drive = torch.matmul(u, w_in.t()) + b  # (T, B, N): the input drive of every step
    x = torch.zeros(BATCH, w_rec.shape[0])
    rates = []
    for t in range(STEPS):
        x = (1 - ALPHA) * x + ALPHA * (torch.tanh(x) @ w_rec.t() + drive[t])
        rates.append(torch.tanh(x))
    r = torch.stack(rates)  # (T, B, N)
    y = torch.matmul(r, w_out.t()) + b_out
    loss = torch.mean((y - target) ** 2)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(params.values(), 1.0)
    opt.step()
    return loss


def measure(n, threads, iters, repeats, warmup):
    torch.set_num_threads(threads)
    params, u, target = make(n)
    opt = torch.optim.Adam(params.values(), lr=1e-3)
    for _ in range(warmup):
        iteration(params, opt, u, target)
    rates, cpu_rates = [], []
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        for _ in range(iters):
            loss = iteration(params, opt, u, target)
        rates.append(iters / (time.perf_counter() - t0))
        cpu_rates.append(iters / (time.process_time() - c0))
    return statistics.median(rates), statistics.median(cpu_rates), float(loss)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="64,128,256,512")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--iters", type=int, default=0, help="iterations per repeat (0: about 1 s worth)")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--blas-env", choices=("match", "inherit"), default="match",
                    help="match: OPENBLAS_NUM_THREADS = torch threads; inherit: leave the environment alone")
    args = ap.parse_args()
    thread_list = [int(s) for s in args.threads.split(",")]
    if args.blas_env == "match" and len(thread_list) > 1:
        import subprocess
        for t in thread_list:
            cmd = [sys.executable, __file__] + [a for a in sys.argv[1:]] + ["--threads", str(t)]
            subprocess.run(cmd, check=True)
        return
    if args.blas_env == "match":
        os.environ["OPENBLAS_NUM_THREADS"] = str(thread_list[0])
        os.environ["OMP_NUM_THREADS"] = str(thread_list[0])
    global torch
    import torch as _torch
    torch = _torch
    print(f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', '(unset)')}; ", end="")
    print(f"torch {torch.__version__}, intra-op threads available {torch.get_num_threads()}, "
          f"parallel info: {torch.__config__.parallel_info().splitlines()[0:3]}", flush=True)
    for n in (int(s) for s in args.sizes.split(",")):
        for threads in thread_list:
            iters = args.iters
            if iters <= 0:  # about one second per repeat
                rate, _, _ = measure(n, threads, 1, 1, 1)
                iters = max(1, int(rate))
            med, cpu, loss = measure(n, threads, iters, args.repeats, args.warmup)
            print(f"RESULT blas_env={args.blas_env} threads={threads} N={n} it_per_s={med:.4f} it_per_cpu_s={cpu:.4f} "
                  f"iters={iters} repeats={args.repeats} loss={loss:.4f}", flush=True)


if __name__ == "__main__":
    main()
