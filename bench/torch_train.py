#!/usr/bin/python3
"""The PyTorch baselines of bench_train: the same model, loss and training step.

    x_t = (1 - a) x_{t-1} + a (W_rec tanh(x_{t-1}) + W_in u_t + b),  y_t = W_out tanh(x_t) + b_out

N in {64, 128, 256, 512}, batch 64, T = 200 steps, alpha 0.1, 3 inputs, 3
outputs, float32 everywhere (parameters, states, gradients, Adam moments), the
initial state x_{-1} = x0 a trained parameter shared by the trials, MSE over
every step, trial and output, gradient-norm clipping at 1, Adam (lr 1e-3) --
what one rnnlab iteration does (bench/bench_train.cpp, BM_TrainIteration), on a
random batch drawn once.

Variants (--variants):
  eager    the loop a PyTorch user writes: the input drive of all steps in one
           batched matmul, split into per-step tensors with .unbind(0), the
           recurrence in a Python loop, tanh once per step (the rates feed both
           the next step and the readout), autograd, clip_grad_norm_, Adam.
  script   the same step loop compiled with torch.jit.script (TorchScript runs
           the loop and records autograd without the Python interpreter).
  indexed  the loop of an earlier version of this file, kept only to reproduce
           why it was replaced (bench/README.md): it read drive[t] of the
           (T, B, N) drive tensor, which requires grad; each such SelectBackward
           scatters its gradient into a fresh (T, B, N) zero tensor, so the
           backward pass costs O(T^2 B N). Not a baseline.

Each configuration is timed over `--iters` iterations (0: about one second's
worth) `--repeats` times after a warm-up; printed as one line per configuration
"RESULT variant=V threads=T N=N it_per_s=X it_per_cpu_s=Y ...": medians of the
repeats, per wall-clock second and per CPU second of the process
(time.process_time: all threads' CPU time; on a shared, loaded machine the
figure that does not depend on how much of a core the scheduler gave us).

Threads: Debian's torch does its matmuls in OpenBLAS (pthreads build), whose
thread pool ignores torch.set_num_threads; left alone it starts one thread per
core next to torch's own, and on a busy 2-core machine a 64x128 @ 128x128
matmul then took ~2.7 ms instead of ~0.1 ms. So, unless --blas-env inherit is
given, OPENBLAS_NUM_THREADS (and OMP_NUM_THREADS) are set to the torch thread
count before torch is imported; each --threads value runs in its own process.

--profile N runs torch.profiler over a few iterations of each variant at
T = 100 and T = 200 and prints the top operators by self CPU time, with the
time per call at both lengths: a fair loop's per-call times do not grow with T
(only the number of calls does).

    /usr/bin/python3 bench/torch_train.py --sizes 128 --threads 1,2
    /usr/bin/python3 bench/torch_train.py --profile 128
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

torch = None  # imported in main(), after OPENBLAS_NUM_THREADS is set

STEPS, BATCH, INPUTS, OUTPUTS, ALPHA = 200, 64, 3, 3, 0.1


def make(n, steps, seed=1):
    g = torch.Generator().manual_seed(seed)
    params = {
        "w_in": torch.randn(n, INPUTS, generator=g) / INPUTS ** 0.5,
        "w_rec": torch.randn(n, n, generator=g) * 0.9 / n ** 0.5,
        "w_out": torch.randn(OUTPUTS, n, generator=g) / n ** 0.5,
        "b": torch.zeros(n),
        "b_out": torch.zeros(OUTPUTS),
        "x0": torch.zeros(n),
    }
    for p in params.values():
        p.requires_grad_(True)
    u = torch.randn(steps, BATCH, INPUTS, generator=g)
    target = torch.randint(0, 2, (steps, BATCH, OUTPUTS), generator=g).float() * 2 - 1
    return params, u, target


def rollout_eager(x0, drive, w_rec, alpha: float):
    """Rates of every step, (T, B, N). drive: (T, B, N), W_in u_t + b."""
    x = x0.expand(drive.shape[1], -1)
    r = torch.tanh(x)
    rates = []
    for d in drive.unbind(0):
        x = (1 - alpha) * x + alpha * (r @ w_rec.t() + d)
        r = torch.tanh(x)
        rates.append(r)
    return torch.stack(rates)


def rollout_indexed(x0, drive, w_rec, alpha: float):
    """The replaced loop: drive[t] on a tensor that requires grad (O(T^2) backward)."""
    x = x0.expand(drive.shape[1], -1)
    rates = []
    for t in range(drive.shape[0]):
        x = (1 - alpha) * x + alpha * (torch.tanh(x) @ w_rec.t() + drive[t])
        rates.append(torch.tanh(x))
    return torch.stack(rates)


_scripted = None


def rollout_script(x0, drive, w_rec, alpha: float):
    global _scripted
    if _scripted is None:
        _scripted = torch.jit.script(rollout_eager)
    return _scripted(x0, drive, w_rec, alpha)


ROLLOUTS = {"eager": rollout_eager, "script": rollout_script, "indexed": rollout_indexed}


def iteration(rollout, params, opt, u, target):
    p = params
    drive = torch.matmul(u, p["w_in"].t()) + p["b"]  # (T, B, N): all steps' input drive in one matmul
    r = rollout(p["x0"], drive, p["w_rec"], ALPHA)
    y = torch.matmul(r, p["w_out"].t()) + p["b_out"]
    loss = torch.mean((y - target) ** 2)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(params.values(), 1.0)
    opt.step()
    return loss


def setup(variant, n, steps, threads):
    torch.set_num_threads(threads)
    params, u, target = make(n, steps)
    opt = torch.optim.Adam(params.values(), lr=1e-3)
    rollout = ROLLOUTS[variant]
    return lambda: iteration(rollout, params, opt, u, target)


def measure(variant, n, threads, iters, repeats, warmup):
    step = setup(variant, n, STEPS, threads)
    for _ in range(warmup):  # TorchScript's profiling executor optimises after two runs
        step()
    if iters <= 0:  # about one second of CPU per repeat
        c0 = time.process_time()
        step()
        iters = max(1, int(1.0 / max(time.process_time() - c0, 1e-3)))
    rates, cpu_rates = [], []
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        for _ in range(iters):
            loss = step()
        rates.append(iters / (time.perf_counter() - t0))
        cpu_rates.append(iters / (time.process_time() - c0))
    return statistics.median(rates), statistics.median(cpu_rates), float(loss), iters


def profile(n, variants, threads, tag="", rounds=3, iters=3):
    """Top operators by self time at T = 100 and T = 200.

    The profiler times operators by the wall clock, which on a loaded machine
    includes time the process spent waiting for a core; so the two lengths are
    profiled alternately `rounds` times and each operator's smallest time per
    iteration is kept (preemption only adds time). The CPU seconds per
    iteration (time.process_time, outside the profiler) are reported beside.
    """
    from torch.profiler import ProfilerActivity, profile as torch_profile
    torch.set_num_threads(threads)
    for variant in variants:
        steps_fns = {steps: setup(variant, n, steps, threads) for steps in (100, 200)}
        for step in steps_fns.values():
            for _ in range(3):  # warm-up (TorchScript optimises the graph on the first runs)
                step()
        per_t = {100: {}, 200: {}}
        cpu = {100: float("inf"), 200: float("inf")}
        for _ in range(rounds):
            for steps, step in steps_fns.items():
                c0 = time.process_time()
                for _ in range(iters):
                    step()
                cpu[steps] = min(cpu[steps], (time.process_time() - c0) / iters)
                with torch_profile(activities=[ProfilerActivity.CPU]) as prof:
                    for _ in range(iters):
                        step()
                for e in prof.key_averages():
                    us, calls = e.self_cpu_time_total / iters, e.count / iters
                    old = per_t[steps].get(e.key)
                    if old is None or us < old[0]:
                        per_t[steps][e.key] = (us, calls)
        total = {t: sum(v[0] for v in ops.values()) for t, ops in per_t.items()}
        print(f"\nPROFILE variant={variant}{tag} N={n} threads={threads}: CPU ms per iteration (process_time) "
              f"{cpu[100] * 1e3:.1f} at T = 100, {cpu[200] * 1e3:.1f} at T = 200 "
              f"(ratio {cpu[200] / cpu[100]:.2f}; 2.00 = linear in T); profiler self time "
              f"{total[100] / 1e3:.1f} and {total[200] / 1e3:.1f} ms (ratio {total[200] / total[100]:.2f})")
        print(f"{'operator':44s} {'% at T=200':>10s} {'calls/it':>9s} {'us/call T=100':>14s} {'us/call T=200':>14s} {'growth':>7s}")
        ops = sorted(per_t[200].items(), key=lambda kv: -kv[1][0])
        worst, worst_key = 0.0, ""
        for key, (us, calls) in ops[:14]:
            us100, calls100 = per_t[100].get(key, (float("nan"), 1))
            per_call_200, per_call_100 = us / max(calls, 1e-9), us100 / max(calls100, 1e-9)
            growth = per_call_200 / per_call_100 if per_call_100 > 0 else float("nan")
            op_ratio = us / us100 if us100 > 0 else float("nan")  # the op's time per iteration, T = 200 over T = 100
            if us > 0.02 * total[200] and op_ratio > worst:
                worst, worst_key = op_ratio, key
            print(f"{key[:44]:44s} {100 * us / total[200]:9.1f}% {calls:9.0f} {per_call_100:14.2f} "
                  f"{per_call_200:14.2f} {growth:6.2f}x")
        print(f"PROFILE_SUMMARY variant={variant}{tag} N={n} cpu_ratio_T200_T100={cpu[200] / cpu[100]:.2f} "
              f"worst_op_ratio_T200_T100={worst:.2f} ({worst_key}; ops with > 2% of the time; 2.00 = linear)", flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="64,128,256,512")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--variants", default="eager,script", help="comma-separated: eager, script, indexed")
    ap.add_argument("--iters", type=int, default=0, help="iterations per repeat (0: about 1 CPU s worth)")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--profile", type=int, default=0, metavar="N", help="profile at this N instead of timing")
    ap.add_argument("--malloc", choices=("default", "tuned"), default="default",
                    help="tuned: glibc's allocator set for PyTorch (bench/torch_malloc.py); "
                         "the variants are then reported as VARIANT+mallopt")
    ap.add_argument("--blas-env", choices=("match", "inherit"), default="match",
                    help="match: OPENBLAS_NUM_THREADS = torch threads; inherit: leave the environment alone")
    args = ap.parse_args()
    thread_list = [int(s) for s in args.threads.split(",")]
    variants = args.variants.split(",")
    for v in variants:
        if v not in ROLLOUTS:
            sys.exit(f"torch_train.py: unknown variant {v!r} (eager, script, indexed)")
    if args.blas_env == "match" and len(thread_list) > 1:
        for t in thread_list:  # one process per thread count: OpenBLAS reads its thread count at load
            subprocess.run([sys.executable, __file__] + sys.argv[1:] + ["--threads", str(t)], check=True)
        return
    if args.blas_env == "match":
        os.environ["OPENBLAS_NUM_THREADS"] = str(thread_list[0])
        os.environ["OMP_NUM_THREADS"] = str(thread_list[0])
    if args.malloc == "tuned":
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        import torch_malloc
        torch_malloc.tune()
    global torch
    import torch as _torch
    torch = _torch
    print(f"# OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', '(unset)')}, torch {torch.__version__}, "
          f"default dtype {torch.get_default_dtype()}", flush=True)
    if args.profile:
        profile(args.profile, variants, thread_list[0], "+mallopt" if args.malloc == "tuned" else "")
        return
    for n in (int(s) for s in args.sizes.split(",")):
        for threads in thread_list:
            for variant in variants:
                it_s, it_cpu_s, loss, iters = measure(variant, n, threads, args.iters, args.repeats, args.warmup)
                tag = variant + ("+mallopt" if args.malloc == "tuned" else "")
                print(f"RESULT variant={tag} blas_env={args.blas_env} threads={threads} N={n} "
                      f"it_per_s={it_s:.4f} it_per_cpu_s={it_cpu_s:.4f} iters={iters} repeats={args.repeats} "
                      f"loss={loss:.4f}", flush=True)


if __name__ == "__main__":
    main()
