#!/usr/bin/env bash
# Runs every benchmark of bench/ side by side on this machine and prints the
# table of bench/README.md (ratios against the PyTorch baselines and the GEMM bound).
#
#   bench/run.sh [BUILD_DIR]          (default: build; `make bench` calls it)
#
# Environment knobs: REPEATS (default 5: Google Benchmark repetitions and
# Python repeats; medians are reported), SIZES (default "64 128 256 512"),
# NO_BUILD=1 (run the binaries already in BUILD_DIR), TORCH_THREADS (default "1 2"), FP_TORCH_THREADS (default: TORCH_THREADS), SKIP_OPENBLAS=1, SKIP_FP=1, SKIP_TRAIN=1,
# FP_MAX_ITERS (Adam iteration cap, default 5000 as FixedPointFinder).
#
# Builds what it needs in BUILD_DIR: the targets rnnlab, bench_train and
# bench_fixed_points (CMake), and BUILD_DIR/bench/bench_train_openblas: the
# same bench_train with Eigen's products handed to OpenBLAS (-DEIGEN_USE_BLAS,
# -lopenblas), compiled here by a direct command line derived from CMake's
# compile_commands.json (see "OpenBLAS variant" in bench/README.md).
# Writes raw results to BUILD_DIR/bench/ (JSON from Google Benchmark,
# RESULT lines from the Python scripts) and the table to BUILD_DIR/bench/table.md.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-build}"
case "$build" in /*) ;; *) build="$root/$build" ;; esac
out="$build/bench"
mkdir -p "$out"
PY=/usr/bin/python3
REPEATS="${REPEATS:-5}"
SIZES="${SIZES:-64 128 256 512}"
TORCH_THREADS="${TORCH_THREADS:-1 2}"
FP_MAX_ITERS="${FP_MAX_ITERS:-5000}"
FP_TORCH_THREADS="${FP_TORCH_THREADS:-$TORCH_THREADS}"
jobs="$(nproc)"

log() { echo "[bench] $*" >&2; }

# --- build (NO_BUILD=1: use the binaries already in BUILD_DIR) -----------------
if [[ "${NO_BUILD:-0}" != 1 ]]; then
# Configure again even when configured: a build dir configured before
# bench/*.cpp existed has no bench targets (the glob is re-run only by CMake).
if [[ -f "$build/CMakeCache.txt" ]]; then
  cmake -S "$root" -B "$build" >/dev/null
else
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DPython3_EXECUTABLE=$PY >/dev/null
fi
targets=(bench_train bench_fixed_points)
# rnnlab is needed only to train the fixed-point network once.
if [[ "${SKIP_FP:-0}" != 1 && ! -f "$out/fp_flipflop.h5" ]]; then targets+=(rnnlab); fi
cmake --build "$build" -j "$jobs" --target "${targets[@]}"
fi
if [[ ! -x "$build/bench_train" ]]; then
  echo "bench/run.sh: $build/bench_train was not built (is libbenchmark-dev installed? scripts/install-deps.sh)" >&2
  exit 1
fi

if [[ "${SKIP_OPENBLAS:-0}" != 1 && "${NO_BUILD:-0}" != 1 ]]; then
  # The OpenBLAS variant: bench_train.cpp and the translation units that hold
  # the training products (bptt, objective, constraints) recompiled with
  # -DEIGEN_USE_BLAS and listed before librnnlab_core.a, so that their
  # definitions (and the BLAS-backed Eigen product specialisations) win the link.
  $PY - "$build" "$root" "$out" "$jobs" <<'EOF'
import json, os, shlex, subprocess, sys
from concurrent.futures import ThreadPoolExecutor
build, root, out, jobs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
odir = os.path.join(out, "openblas")
os.makedirs(odir, exist_ok=True)
entries = json.load(open(os.path.join(build, "compile_commands.json")))
wanted = ["src/train/bptt.cpp", "src/train/objective.cpp", "src/model/constraints.cpp", "bench/bench_train.cpp"]
def compile_one(rel):
    e = next(e for e in entries if os.path.normpath(e["file"]) == os.path.join(root, rel))
    args = shlex.split(e["command"]) if "command" in e else list(e["arguments"])
    i = args.index("-o")
    obj = os.path.join(odir, rel.replace("/", "_") + ".o")
    src = os.path.join(root, rel)
    if os.path.exists(obj) and os.path.getmtime(obj) > max(os.path.getmtime(src), os.path.getmtime(os.path.join(build, "compile_commands.json"))):
        return obj
    args[i + 1] = obj
    args.insert(1, "-DEIGEN_USE_BLAS")
    subprocess.run(args, cwd=e["directory"], check=True)
    return obj
with ThreadPoolExecutor(jobs) as ex:
    objs = list(ex.map(compile_one, wanted))
link = open(os.path.join(build, "CMakeFiles", "bench_train.dir", "link.txt")).read().split()
exe = os.path.join(out, "bench_train_openblas")
cmd = [link[0]]
skip = False
for a in link[1:]:
    if skip: skip = False; cmd += ["-o", exe]; continue
    if a == "-o": skip = True; continue
    if a.endswith(".o"): continue  # CMake's bench_train.cpp.o
    cmd.append(a)
cmd[1:1] = objs
cmd += ["-lopenblas"]
subprocess.run(cmd, cwd=build, check=True)
EOF
  if ! nm -C "$out/bench_train_openblas" | grep -q " U sgemm_"; then
    log "warning: bench_train_openblas does not call sgemm_"
  fi
fi

# --- machine -------------------------------------------------------------------
{
  echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
  lscpu | grep -E "^(Model name|CPU\(s\)|Thread\(s\) per core|Core\(s\) per socket|L2 cache|L3 cache)" | sed 's/  */ /g'
  echo "flags: $(grep -o -w -E 'avx2|avx512f|fma' /proc/cpuinfo | sort -u | tr '\n' ' ')"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "g++: $(g++ --version | head -1)"
  echo "torch: $($PY -c 'import torch; print(torch.__version__)' 2>/dev/null || echo missing)"
} > "$out/machine.txt"
cat "$out/machine.txt" >&2

# --- training: interleaved per size, so that load drift hits all columns alike ---
gb_args=(--benchmark_repetitions="$REPEATS" --benchmark_report_aggregates_only=true --benchmark_format=json)
if [[ "${SKIP_TRAIN:-0}" != 1 ]]; then
  : > "$out/torch_train.txt"
  for n in $SIZES; do
    log "N = $n: bench_train"
    "$build/bench_train" "${gb_args[@]}" \
      --benchmark_filter="^BM_(TrainIteration|TrainIterationNoise|GemmBound|Forward|LossGradient|Constraints|Adam|Tanh)/N:$n/" \
      > "$out/bench_train_N$n.json"
    if [[ -x "$out/bench_train_openblas" ]]; then
      log "N = $n: bench_train_openblas"
      OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 "$out/bench_train_openblas" "${gb_args[@]}" \
        --benchmark_filter="^BM_(TrainIteration|GemmBound)/N:$n/" > "$out/bench_train_openblas_N$n.json"
    fi
    for t in $TORCH_THREADS; do
      log "N = $n: torch_train.py, $t thread(s)"
      $PY "$root/bench/torch_train.py" --sizes "$n" --threads "$t" --repeats "$REPEATS" | tee -a "$out/torch_train.txt" >&2
    done
  done
  log "ensemble: bench_train BM_Ensemble"
  "$build/bench_train" "${gb_args[@]}" --benchmark_filter="^BM_Ensemble" > "$out/bench_ensemble.json"
fi

# --- fixed points ---------------------------------------------------------------
if [[ "${SKIP_FP:-0}" != 1 ]]; then
  net="$out/fp_flipflop.h5"
  if [[ ! -f "$net" ]]; then
    log "training the fixed-point network (bench/fp_flipflop.toml)"
    "$build/rnnlab" train "$root/bench/fp_flipflop.toml" -o "$net" --quiet --force
  fi
  "$build/rnnlab" info "$net" >&2 || true
  log "fixed points: rnnlab (all threads, then 1 thread)"
  "$build/bench_fixed_points" "$net" "$out/fp_starts.npy" "$out/fp_points.npy" --repeats "$REPEATS" | tee "$out/fp.txt" >&2
  "$build/bench_fixed_points" "$net" "$out/fp_starts.npy" --repeats "$REPEATS" --threads 1 | tee -a "$out/fp.txt" >&2
  for t in $FP_TORCH_THREADS; do
    log "fixed points: torch Adam, $t thread(s)"
    $PY "$root/bench/torch_fixed_points.py" "$net" "$out/fp_starts.npy" "$out/fp_points.npy" \
      --threads "$t" --max-iters "$FP_MAX_ITERS" | tee -a "$out/fp.txt" >&2
  done
fi
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/machine.txt"

# --- the table -------------------------------------------------------------------
$PY - "$out" "$SIZES" <<'EOF' | tee "$out/table.md"
import glob, json, os, re, sys
out, sizes = sys.argv[1], [int(s) for s in sys.argv[2].split()]

def gb(path):
    """name -> median real time (s) and median counters, from a Google Benchmark JSON."""
    if not os.path.exists(path): return {}
    res = {}
    runs = json.load(open(path))["benchmarks"]
    # Medians of the repetitions; with REPEATS=1 there are no aggregates: the single runs.
    if any(b.get("aggregate_name") == "median" for b in runs):
        runs = [b for b in runs if b.get("aggregate_name") == "median"]
    for b in runs:
        unit = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[b["time_unit"]]
        name = b["run_name"].replace("/process_time", "").replace("/real_time", "")
        res[name] = dict(b, seconds=b["real_time"] * unit, cpu_seconds=b["cpu_time"] * unit)
    return res

def results(path):
    if not os.path.exists(path): return []
    return [dict(kv.split("=", 1) for kv in line.split()[1:]) for line in open(path) if line.startswith("RESULT")]

print("## Training: iterations/s per network (median of repetitions)\n")
print("Per CPU second of the measured thread/process (robust to a shared machine) and, in brackets, per wall-clock second.\n")
torch = results(os.path.join(out, "torch_train.txt"))
print("| N | rnnlab | GEMM bound | rnnlab time / bound | torch 1 thr | torch 2 thr | **rnnlab / torch best** | rnnlab + OpenBLAS | Eigen time / OpenBLAS time | rnnlab, sigma_rec 0.1 |")
print("|---|---|---|---|---|---|---|---|---|---|")
def both(b):
    return (1 / b["cpu_seconds"], 1 / b["seconds"]) if b else (None, None)
def f(v, d=2):
    return "-" if v is None else f"{v:.{d}f}"
for n in sizes:
    r = gb(os.path.join(out, f"bench_train_N{n}.json"))
    ob = gb(os.path.join(out, f"bench_train_openblas_N{n}.json"))
    it = r.get(f"BM_TrainIteration/N:{n}")
    if not it: continue
    c, w = both(it)
    bc, bw = both(r.get(f"BM_GemmBound/N:{n}"))
    nc, nw = both(r.get(f"BM_TrainIterationNoise/N:{n}"))
    oc, ow = both(ob.get(f"BM_TrainIteration/N:{n}"))
    t_cpu = {int(x["threads"]): float(x["it_per_cpu_s"]) for x in torch if int(x["N"]) == n}
    t_wall = {int(x["threads"]): float(x["it_per_s"]) for x in torch if int(x["N"]) == n}
    # torch's best per network: per CPU second that is its 1-thread figure unless 2 threads do more work per CPU second
    best_c = max(t_cpu.values()) if t_cpu else None
    best_w = max(t_wall.values()) if t_wall else None
    ratio = lambda a, b: None if a is None or b is None else a / b
    print(f"| {n} | {f(c)} ({f(w)}) | {f(bc)} ({f(bw)}) | {f(ratio(bc, c))}x ({f(ratio(bw, w))}x) | "
          f"{f(t_cpu.get(1), 3)} ({f(t_wall.get(1), 3)}) | {f(t_cpu.get(2), 3)} ({f(t_wall.get(2), 3)}) | "
          f"**{f(ratio(c, best_c), 1)}x** ({f(ratio(w, best_w), 1)}x) | {f(oc)} ({f(ow)}) | {f(ratio(oc, c))}x ({f(ratio(ow, w))}x) | "
          f"{f(nc)} ({f(nw)}) |")

print("\n## Where the time goes (CPU ms per iteration, median)\n")
print("| N | iteration | forward | forward+backward (raw) | constraints (effective+chain) | Adam | tanh+tanh' over T*B | GEMMs alone | GEMM GFLOP/s | noise draws (noise - no noise) |")
print("|---|---|---|---|---|---|---|---|---|---|")
for n in sizes:
    r = gb(os.path.join(out, f"bench_train_N{n}.json"))
    g = lambda k: r.get(f"BM_{k}/N:{n}", {}).get("cpu_seconds", float("nan")) * 1e3
    if not r: continue
    gb_ = r.get(f"BM_GemmBound/N:{n}")
    gf = gb_["GFLOP/s"] * gb_["seconds"] / gb_["cpu_seconds"] if gb_ else float("nan")  # per CPU second
    print(f"| {n} | {g('TrainIteration'):.2f} | {g('Forward'):.2f} | {g('LossGradient'):.2f} | {g('Constraints'):.3f} | "
          f"{g('Adam'):.3f} | {g('Tanh'):.2f} | {g('GemmBound'):.2f} | {gf:.1f} | {g('TrainIterationNoise') - g('TrainIteration'):.2f} |")

ens = gb(os.path.join(out, "bench_ensemble.json"))
if ens:
    print("\n## Ensemble (train_ensemble, flip-flop N = 128, batch 64, 200 steps, 20 iterations x 4 networks)\n")
    print("| threads | networks/s (wall) | iterations/s (wall) | wall speed-up | CPU s used / wall s | iterations per CPU s |")
    print("|---|---|---|---|---|---|")
    base = None
    for t in (1, 2):
        e = ens.get(f"BM_Ensemble/threads:{t}")
        if not e: continue
        base = base or e["seconds"]
        print(f"| {t} | {e['networks/s']:.3f} | {e['it/s']:.2f} | {base / e['seconds']:.2f}x | "
              f"{e['cpu_seconds'] / e['seconds']:.2f} | {80 / e['cpu_seconds']:.2f} |")

fp = results(os.path.join(out, "fp.txt"))
if fp:
    print("\n## Fixed points (1024 starts, trained 3-bit flip-flop, N = 100, q < 1e-12)\n")
    print("| method | threads | wall s (median) | CPU s | distinct fixed points (tol 1e-6) | starts converged | notes |")
    print("|---|---|---|---|---|---|---|")
    rn = [x for x in fp if x["method"] == "rnnlab_newton"]
    th = [x for x in fp if x["method"] == "torch_adam"]
    for x in rn:
        print(f"| rnnlab Newton/LM | {x['threads'] if x['threads'] != '0' else 'all'} | {float(x['median_s']):.3f} | {float(x['cpu_s']):.3f} | "
              f"{x['fixed_points']} | {x['fixed_starts']}/{x['starts']} | stable {x['stable']}, saddles {x['saddles']}, "
              f"unstable {x['unstable']}, slow points {x['slow_points']}, not converged {x['not_converged']}, "
              f"{x['mean_solves']} solves/start |")
    for x in th:
        print(f"| torch Adam (FixedPointFinder) | {x['threads']} | {float(x['median_s']):.3f} | {float(x['cpu_s']):.3f} | {x['fixed_points']} | "
              f"{x['fixed_starts']}/{x['starts']} | {x['iterations']} Adam iterations, {x['fixed_points_tol1e-3']} "
              f"distinct at tol 1e-3, found {x['rnnlab_points_found']} of rnnlab's points, q max {x['q_max']} |")
    if rn and th:
        best_t = min(float(x["median_s"]) for x in th)
        best_c = min(float(x["cpu_s"]) for x in th)
        for x in rn:
            print(f"\nrnnlab ({'all' if x['threads'] == '0' else x['threads']} threads) vs best torch: "
                  f"**{best_c / float(x['cpu_s']):.1f}x less CPU time**, {best_t / float(x['median_s']):.1f}x less wall time")
EOF
echo "raw results and this table: $out/" >&2
