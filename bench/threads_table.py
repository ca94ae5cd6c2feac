"""The table of bench/README.md, "One network on several threads", from the
RESULT lines of bench_threads (bench/run.sh writes them to BUILD/bench/threads.txt).

    python3 bench/threads_table.py BUILD/bench/threads.txt

Per (N, batch), over the rounds (median [min-max] of per-round values):
CPU ms per iteration with the batch whole, cut into chunks (1 thread), and
on 2 threads (process CPU); the cost of chunking (chunked / whole); the
2-thread critical path, max(CPU of the calling thread, CPU of the pool's
other thread), and the speed-up it allows on a machine with a free core for
each thread, 1-thread chunked CPU / critical path; wall-clock ms of each.
"""
import statistics
import sys
from collections import defaultdict


def cell(values, digits=1, suffix=""):
    if not values:
        return "-"
    if len(values) == 1:
        return f"{values[0]:.{digits}f}{suffix}"
    return f"{statistics.median(values):.{digits}f}{suffix} [{min(values):.{digits}f}-{max(values):.{digits}f}]"


def main(path):
    rows = [dict(kv.split("=", 1) for kv in line.split()[1:]) for line in open(path) if line.startswith("RESULT")]
    by = defaultdict(dict)  # (N, batch, steps) -> {(setting, round): row}
    for r in rows:
        by[(int(r["units"]), int(r["batch"]), int(r["steps"]))][(r["setting"], r["round"])] = r
    print("| N | batch | steps | whole, 1 thr (CPU ms) | chunked, 1 thr (CPU ms) | chunking cost | 2 thr: CPU ms (all threads) "
          "| 2 thr: critical path (CPU ms) | **speed-up allowed** | wall ms: whole / chunked / 2 thr |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for (n, batch, steps), runs in sorted(by.items()):
        rounds = sorted({k[1] for k in runs})
        threaded = next((s for s, _ in runs if s.startswith("threads=")), None)
        get = lambda s, key: [float(runs[(s, r)][key]) for r in rounds if (s, r) in runs]
        whole, chunked = get("whole", "cpu_ms"), get("chunked", "cpu_ms")
        cost = [runs[("chunked", r)] and float(runs[("chunked", r)]["cpu_ms"]) / float(runs[("whole", r)]["cpu_ms"])
                for r in rounds if ("chunked", r) in runs and ("whole", r) in runs]
        path_ms, speedup, total = [], [], []
        for r in rounds:
            t = runs.get((threaded, r))
            if not t:
                continue
            path = max(float(t["main_cpu_ms"]), float(t["other_cpu_ms"]))
            path_ms.append(path)
            total.append(float(t["cpu_ms"]))
            if ("chunked", r) in runs:
                speedup.append(float(runs[("chunked", r)]["cpu_ms"]) / path)
        walls = " / ".join(cell(get(s, "wall_ms"), 0) for s in ("whole", "chunked", threaded))
        print(f"| {n} | {batch} | {steps} | {cell(whole)} | {cell(chunked)} | {cell(cost, 2, 'x')} | {cell(total)} | "
              f"{cell(path_ms)} | **{cell(speedup, 2, 'x')}** | {walls} |")


if __name__ == "__main__":
    main(sys.argv[1])
