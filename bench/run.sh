#!/usr/bin/env bash
# Runs every benchmark of bench/ side by side on this machine and prints the
# tables of bench/README.md: rnnlab's training iteration against the PyTorch
# baselines (bench/torch_train.py: eager and TorchScript, 1 and 2 threads) and
# against the GEMM bound (bench/gemm_peak.py: single-core BLAS at the
# iteration's shapes), the ensemble, and the fixed points.
#
#   bench/run.sh [BUILD_DIR]          (default: build; `make bench` calls it)
#
# Training is measured in ROUNDS rounds; each round runs, per size, every side
# once (rnnlab, the OpenBLAS variant, COMPARE_BUILD's rnnlab, each PyTorch
# setting), so that load drift on a shared machine hits every column alike.
# The tables give CPU time per iteration, median and [min-max] over the rounds,
# and the rnnlab/PyTorch ratio of each round (median [range]).
#
# Environment knobs: ROUNDS (default 3), REPEATS (default 3: repetitions of the
# ensemble and fixed-point benchmarks), SIZES (default "64 128 256 512"),
# TORCH_THREADS (default "1 2"), TORCH_VARIANTS (default "eager,script"),
# TORCH_MALLOC (default "default tuned": every PyTorch run with glibc's allocator
# as it comes and tuned for PyTorch, bench/torch_malloc.py; "+mallopt" in the tables),
# TORCH_MT_SIZES (default "128": the sizes at which PyTorch also runs with more
# than one thread, 2 iterations after 2 of warm-up; on a loaded machine its
# OpenMP threads spin-wait for a core and one iteration takes 10 s or more,
# "all" = every size),
# COMPARE_BUILD=DIR (a second build, e.g. one configured with
# -DRNNLAB_NATIVE=ON, whose bench_train joins the rounds: the cost of
# portability; and whose bench_threads joins the one-network headline), NO_BUILD=1 (run the binaries already in BUILD_DIR),
# FP_TORCH_THREADS (default: TORCH_THREADS), SKIP_OPENBLAS=1, SKIP_FP=1,
# SKIP_TRAIN=1, FP_MAX_ITERS (Adam iteration cap, default 5000 as FixedPointFinder),
# SKIP_THREADS=1, THREAD_SIZES (default "64 128 256 512 1024"), THREAD_BATCHES
# (default "16 32 64 128 256"), THREAD_STEPS (default 100): one network on 1 and
# 2 threads (bench_threads; every size at batch 64 and every batch at N = 128),
# FP_SIZES (default "100 400 1000": the networks of bench/fp_flipflop.toml,
# fp_flipflop_400.toml and fp_flipflop_1000.toml; PyTorch only at N = 100),
# SKIP_PROFILE=1 (the PyTorch profile), SKIP_SCALING=1, SCALING_NETWORKS (default 4:
# networks per rank, bench/weak_scaling.sh), SKIP_LARGE=1 (N = 2000, bench/n2000.toml),
# SKIP_THROUGHPUT=1, THROUGHPUT_NETWORKS (default 4), THROUGHPUT_TASKS (default
# "flipflop,simple_dm"): networks trained to criterion per core-hour,
# bench/throughput.py (needs the Python package: target _core).
#
# Builds what it needs in BUILD_DIR: the targets rnnlab, bench_train and
# bench_fixed_points (CMake), and BUILD_DIR/bench/bench_train_openblas: the
# same bench_train with Eigen's products handed to OpenBLAS (-DEIGEN_USE_BLAS,
# -lopenblas), compiled here by a direct command line derived from CMake's
# compile_commands.json (see "OpenBLAS behind Eigen" in bench/README.md).
# Writes raw results to BUILD_DIR/bench/ (JSON from Google Benchmark,
# RESULT lines from the Python scripts) and the tables to BUILD_DIR/bench/table.md.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-build}"
case "$build" in /*) ;; *) build="$root/$build" ;; esac
out="$build/bench"
mkdir -p "$out"
PY=/usr/bin/python3
REPEATS="${REPEATS:-3}"
ROUNDS="${ROUNDS:-3}"
TORCH_VARIANTS="${TORCH_VARIANTS:-eager,script}"
TORCH_MALLOC="${TORCH_MALLOC:-default tuned}"
COMPARE_BUILD="${COMPARE_BUILD:-}"
TORCH_MT_SIZES="${TORCH_MT_SIZES:-128}"
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
# rnnlab trains the fixed-point networks, the throughput ensembles and the
# large networks; the Python package (_core) gives the PyTorch side of the
# throughput its tasks.
targets=(bench_train bench_fixed_points bench_threads rnnlab)
if [[ "${SKIP_THROUGHPUT:-0}" != 1 ]]; then targets+=(_core); fi
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
native_of() { grep -E "^RNNLAB_NATIVE:BOOL=" "$1/CMakeCache.txt" 2>/dev/null | cut -d= -f2 || true; }
{
  echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
  lscpu | grep -E "^(Model name|CPU\(s\)|Thread\(s\) per core|Core\(s\) per socket|L2 cache|L3 cache)" | sed 's/  */ /g'
  echo "flags: $(grep -o -w -E 'avx2|avx512f|fma' /proc/cpuinfo | sort -u | tr '\n' ' ')"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "g++: $(g++ --version | head -1)"
  echo "build: $build (RNNLAB_NATIVE=$(native_of "$build"))"
  if [[ -n "$COMPARE_BUILD" ]]; then echo "compare build: $COMPARE_BUILD (RNNLAB_NATIVE=$(native_of "$COMPARE_BUILD"))"; fi
  echo "torch: $($PY -c 'import torch; print(torch.__version__)' 2>/dev/null || echo missing)"
} > "$out/machine.txt"
cat "$out/machine.txt" >&2

# --- training: ROUNDS rounds, every side once per size in each ------------------
# Google Benchmark: one repetition per round (its cpu_time is the benchmark
# thread's CPU time); torch_train.py and gemm_peak.py time CPU with process_time.
gb_args=(--benchmark_format=json --benchmark_min_time=1)
tag() { sed "s/^RESULT /RESULT round=$1 /"; }
if [[ "${SKIP_TRAIN:-0}" != 1 ]]; then
  if [[ -n "$COMPARE_BUILD" && ! -x "$COMPARE_BUILD/bench_train" ]]; then
    echo "bench/run.sh: COMPARE_BUILD=$COMPARE_BUILD has no bench_train (cmake --build $COMPARE_BUILD --target bench_train)" >&2
    exit 1
  fi
  rm -f "$out"/bench_train_*N*_r*.json
  : > "$out/torch_train.txt"
  : > "$out/gemm_peak.txt"
  for round in $(seq 1 "$ROUNDS"); do
    for n in $SIZES; do
      log "round $round/$ROUNDS, N = $n: bench_train"
      "$build/bench_train" "${gb_args[@]}" --benchmark_filter="^BM_(TrainIteration|GemmBound)/N:$n/" \
        > "$out/bench_train_N${n}_r$round.json"
      if [[ -n "$COMPARE_BUILD" ]]; then
        log "round $round/$ROUNDS, N = $n: $COMPARE_BUILD/bench_train"
        "$COMPARE_BUILD/bench_train" "${gb_args[@]}" --benchmark_filter="^BM_(TrainIteration|GemmBound)/N:$n/" \
          > "$out/bench_train_compare_N${n}_r$round.json"
      fi
      if [[ -x "$out/bench_train_openblas" ]]; then
        log "round $round/$ROUNDS, N = $n: bench_train_openblas"
        OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 "$out/bench_train_openblas" "${gb_args[@]}" \
          --benchmark_filter="^BM_TrainIteration/N:$n/" > "$out/bench_train_openblas_N${n}_r$round.json"
      fi
      for t in $TORCH_THREADS; do
        torch_args=(--repeats 1)
        if [[ "$t" != 1 ]]; then
          # Several threads: only at TORCH_MT_SIZES, and briefly (see TORCH_MT_SIZES above).
          [[ "$TORCH_MT_SIZES" == all || " $TORCH_MT_SIZES " == *" $n "* ]] || continue
          torch_args=(--repeats 1 --warmup 2 --iters 2)
        fi
        for m in $TORCH_MALLOC; do
          log "round $round/$ROUNDS, N = $n: torch_train.py ($TORCH_VARIANTS), $t thread(s), allocator $m"
          $PY "$root/bench/torch_train.py" --sizes "$n" --threads "$t" --variants "$TORCH_VARIANTS" --malloc "$m" \
            "${torch_args[@]}" | tag "$round" | tee -a "$out/torch_train.txt" >&2
        done
      done
      log "round $round/$ROUNDS, N = $n: gemm_peak.py"
      $PY "$root/bench/gemm_peak.py" --sizes "$n" --rounds 3 --quiet | tag "$round" | tee -a "$out/gemm_peak.txt" >&2
    done
  done
  log "the parts of an iteration, once per size"
  for n in $SIZES; do
    "$build/bench_train" "${gb_args[@]}" \
      --benchmark_filter="^BM_(TrainIterationNoise|Forward|LossGradient|Constraints|Adam|Tanh)/N:$n/" \
      > "$out/bench_parts_N$n.json"
  done
  log "ensemble: bench_train BM_Ensemble"
  "$build/bench_train" --benchmark_format=json --benchmark_repetitions="$REPEATS" --benchmark_report_aggregates_only=true \
    --benchmark_filter="^BM_Ensemble" > "$out/bench_ensemble.json"
fi

# --- the PyTorch baselines profiled (the profile notes of bench/README.md) -------
# torch.profiler at N = 128, 1 thread, T = 100 and 200: a baseline linear in T
# has no O(T^2) pathology (the replaced `indexed` loop had one).
if [[ "${SKIP_TRAIN:-0}" != 1 && "${SKIP_PROFILE:-0}" != 1 ]]; then
  log "the PyTorch baselines profiled: torch_train.py --profile 128 --threads 1"
  : > "$out/profile.txt"
  for m in $TORCH_MALLOC; do
    $PY "$root/bench/torch_train.py" --profile 128 --threads 1 --variants "$TORCH_VARIANTS" --malloc "$m" \
      | tee -a "$out/profile.txt" >&2
  done
fi

# --- one network on several threads ---------------------------------------------
if [[ "${SKIP_THREADS:-0}" != 1 ]]; then
  log "one network on 1 and 2 threads: bench_threads"
  : > "$out/threads.txt"
  thread_steps="${THREAD_STEPS:-100}"
  for n in ${THREAD_SIZES:-64 128 256 512 1024}; do
    "$build/bench_threads" --sizes "$n" --batches 64 --steps "$thread_steps" --threads 2 --rounds "$ROUNDS" \
      --seconds 0.5 | tee -a "$out/threads.txt" >&2
  done
  for b in ${THREAD_BATCHES:-16 32 128 256}; do
    "$build/bench_threads" --sizes 128 --batches "$b" --steps "$thread_steps" --threads 2 --rounds "$ROUNDS" \
      --seconds 0.5 | tee -a "$out/threads.txt" >&2
  done
  # The headline: one network at the training tables' shape (N = 128, batch
  # 64, T = 200) on 1 and 2 threads, wall time, in this build and in
  # COMPARE_BUILD, to set beside PyTorch's best setting.
  log "one network, N = 128, batch 64, T = 200, on 1 and 2 threads"
  "$build/bench_threads" --sizes 128 --batches 64 --steps 200 --threads 2 --rounds "$ROUNDS" --seconds 0.5 \
    | sed 's/^RESULT /RESULT build=this /' | tee "$out/threads_headline.txt" >&2
  if [[ -n "$COMPARE_BUILD" ]]; then
    if [[ -x "$COMPARE_BUILD/bench_threads" ]]; then
      "$COMPARE_BUILD/bench_threads" --sizes 128 --batches 64 --steps 200 --threads 2 --rounds "$ROUNDS" --seconds 0.5 \
        | sed 's/^RESULT /RESULT build=other /' | tee -a "$out/threads_headline.txt" >&2
    else
      log "COMPARE_BUILD=$COMPARE_BUILD has no bench_threads (cmake --build $COMPARE_BUILD --target bench_threads)"
    fi
  fi
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
    for m in $TORCH_MALLOC; do
      log "fixed points: torch Adam, $t thread(s), allocator $m"
      $PY "$root/bench/torch_fixed_points.py" "$net" "$out/fp_starts.npy" "$out/fp_points.npy" \
        --threads "$t" --max-iters "$FP_MAX_ITERS" --malloc "$m" | tee -a "$out/fp.txt" >&2
    done
  done
  for n in ${FP_SIZES:-100 400 1000}; do
    [[ "$n" == 100 ]] && continue
    net_n="$out/fp_flipflop_$n.h5"
    if [[ ! -f "$net_n" ]]; then
      log "training the N = $n fixed-point network (bench/fp_flipflop_$n.toml)"
      "$build/rnnlab" train "$root/bench/fp_flipflop_$n.toml" -o "$net_n" --quiet --force
    fi
    log "fixed points at N = $n: rnnlab (all threads), peak memory by /usr/bin/time"
    /usr/bin/time -f "RESULT method=rnnlab_newton_memory units=$n max_rss_kb=%M" \
      "$build/bench_fixed_points" "$net_n" "$out/fp_starts_$n.npy" "$out/fp_points_$n.npy" --repeats "$REPEATS" \
      2>&1 | tee -a "$out/fp.txt" >&2
  done
fi

# --- ensemble throughput: networks trained to criterion per core-hour -----------
if [[ "${SKIP_THROUGHPUT:-0}" != 1 ]]; then
  log "throughput: rnnlab and PyTorch (eager, script), ${THROUGHPUT_NETWORKS:-4} networks per task, one process per core"
  $PY "$root/bench/throughput.py" "$build" --networks "${THROUGHPUT_NETWORKS:-4}" --procs "$jobs" \
    --tasks "${THROUGHPUT_TASKS:-flipflop,simple_dm}" | tee "$out/throughput.txt" >&2
fi
# --- weak scaling across MPI ranks (bench/weak_scaling.sh) -----------------------
if [[ "${SKIP_SCALING:-0}" != 1 ]]; then
  if command -v mpirun > /dev/null; then
    log "weak scaling: 1 rank x ${SCALING_NETWORKS:-4} networks against 2 ranks x $(( 2 * ${SCALING_NETWORKS:-4} ))"
    "$root/bench/weak_scaling.sh" "$build" "${SCALING_NETWORKS:-4}" | tee "$out/weak_scaling.txt" >&2 \
      || log "weak scaling failed"
  else
    log "weak scaling skipped: mpirun not found"
  fi
fi

# --- large networks: N = 2000 (issue #13; bench/n2000.toml) ----------------------
# File size, `info` and `analyze --spectrum` at a size where one float64 W_rec
# is 32 MB; wall, CPU (user + system) and peak memory by /usr/bin/time.
if [[ "${SKIP_LARGE:-0}" != 1 ]]; then
  large="$out/n2000.h5"
  : > "$out/large.txt"
  timed() {  # timed NAME COMMAND...: one RESULT line in large.txt
    local name="$1"; shift
    if /usr/bin/time -o "$out/time.txt" -f "wall_s=%e user_s=%U sys_s=%S max_rss_kb=%M" "$@" > "$out/large_$name.log" 2>&1; then
      echo "RESULT step=$name $(cat "$out/time.txt")" | tee -a "$out/large.txt" >&2
    else
      log "large networks: $name failed (see $out/large_$name.log)"
    fi
  }
  log "large networks: training four N = 2000 networks (bench/n2000.toml)"
  timed train "$build/rnnlab" train "$root/bench/n2000.toml" -o "$large" --quiet --force
  [[ -f "$large" ]] && echo "RESULT step=file bytes=$(stat -c %s "$large")" | tee -a "$out/large.txt" >&2
  log "large networks: info, then analyze --spectrum"
  timed info "$build/rnnlab" info "$large"
  timed spectrum "$build/rnnlab" analyze "$large" --spectrum
  rm -f "$large" "$out/time.txt"
fi
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/machine.txt"

# --- the table -------------------------------------------------------------------
$PY - "$out" "$SIZES" "$ROUNDS" <<'PYEOF' | tee "$out/table.md"
import json, os, statistics, sys
out, sizes, rounds = sys.argv[1], [int(s) for s in sys.argv[2].split()], int(sys.argv[3])
machine = open(os.path.join(out, "machine.txt")).read().splitlines()
print("Produced by `make bench` (`bench/run.sh BUILD`); " + "; ".join(l for l in machine if l.startswith(("date", "load"))) + ".\n")

def gb(path):
    """name -> {seconds, cpu_seconds, counters}: a Google Benchmark JSON (median aggregate if repeated)."""
    if not os.path.exists(path): return {}
    runs = json.load(open(path))["benchmarks"]
    if any(b.get("aggregate_name") == "median" for b in runs):
        runs = [b for b in runs if b.get("aggregate_name") == "median"]
    res = {}
    for b in runs:
        unit = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[b["time_unit"]]
        name = b["run_name"].replace("/process_time", "").replace("/real_time", "")
        res[name] = dict(b, seconds=b["real_time"] * unit, cpu_seconds=b["cpu_time"] * unit)
    return res

def results(path):
    if not os.path.exists(path): return []
    return [dict(kv.split("=", 1) for kv in line.split()[1:] if "=" in kv) for line in open(path) if line.startswith("RESULT")]

def per_round(prefix, n, bench, key="cpu_seconds"):
    """Milliseconds per iteration of `bench` at N = n, by round."""
    vals = {}
    for r in range(1, rounds + 1):
        b = gb(os.path.join(out, f"{prefix}_N{n}_r{r}.json")).get(f"{bench}/N:{n}")
        if b: vals[r] = b[key] * 1e3
    return vals

def cell(vals, d=1):
    """median [min-max] of a {round: value} dict."""
    v = list(vals.values()) if isinstance(vals, dict) else list(vals)
    if not v: return "-"
    if len(v) == 1: return f"{v[0]:.{d}f}"
    return f"{statistics.median(v):.{d}f} [{min(v):.{d}f}-{max(v):.{d}f}]"

torch = results(os.path.join(out, "torch_train.txt"))
peak = results(os.path.join(out, "gemm_peak.txt"))
settings = sorted({(x["variant"], int(x["threads"])) for x in torch}, key=lambda s: (s[0] != "eager", s))

def torch_ms(n, variant, threads, key):
    return {int(x["round"]): 1e3 / float(x[key]) for x in torch
            if int(x["N"]) == n and x["variant"] == variant and int(x["threads"]) == threads}

def ratio_cells(rn, th):
    """Per round: best PyTorch setting's time over rnnlab's; median [range]."""
    rs = []
    for r, t in rn.items():
        best = [v[r] for v in th if r in v]
        if best: rs.append(min(best) / t)
    return cell(rs, 1) + "x" if rs else "-"

have_compare = any(os.path.exists(os.path.join(out, f"bench_train_compare_N{n}_r1.json")) for n in sizes)
for key, what in (("cpu_seconds", "CPU"), ("seconds", "wall-clock")):
    tkey = "it_per_cpu_s" if key == "cpu_seconds" else "it_per_s"
    print(f"## Training: {what} ms per iteration, median [min-max] over {rounds} rounds\n")
    cols = ["N", "rnnlab"] + (["rnnlab, other build (COMPARE_BUILD)"] if have_compare else []) + \
           ["rnnlab + OpenBLAS"] + [f"torch {v}, {t} thr" for v, t in settings] + \
           ["**best torch / rnnlab**"] + (["best torch / other build"] if have_compare else [])
    if key == "cpu_seconds":
        cols += ["GEMM bound (sgemm, 1 core)", "rnnlab / bound", "Eigen GEMMs alone"]
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    for n in sizes:
        rn = per_round("bench_train", n, "BM_TrainIteration", key)
        if not rn: continue
        cmp_ = per_round("bench_train_compare", n, "BM_TrainIteration", key)
        ob = per_round("bench_train_openblas", n, "BM_TrainIteration", key)
        th = [torch_ms(n, v, t, tkey) for v, t in settings]
        row = [str(n), cell(rn)] + ([cell(cmp_)] if have_compare else []) + [cell(ob)] + [cell(x) for x in th]
        row += ["**" + ratio_cells(rn, th) + "**"] + ([ratio_cells(cmp_, th)] if have_compare else [])
        if key == "cpu_seconds":
            bound = {int(x["round"]): float(x["bound_ms"]) for x in peak if int(x["N"]) == n and x["dtype"] == "float32"}
            rb = [rn[r] / bound[r] for r in rn if r in bound]
            eig = per_round("bench_train", n, "BM_GemmBound", key)
            row += [cell(bound), cell(rb, 2) + ("x" if rb else ""), cell(eig)]
        print("| " + " | ".join(row) + " |")
    print()

gf = {int(x["N"]): (float(x["gflop"]), float(x["gflops"])) for x in peak if x["dtype"] == "float32"}
if gf:
    print("GEMM bound: the iteration's products (" +
          ", ".join(f"N = {n}: {gf[n][0]:.2f} GFLOP" for n in sizes if n in gf) +
          ") at the single-core sgemm speed measured at each shape (numpy's matmul -> OpenBLAS, 1 thread; "
          "overall " + ", ".join(f"{gf[n][1]:.0f}" for n in sizes if n in gf) + " GFLOP/s in the last round).\n")

print("## Where the time goes (CPU ms per iteration, one run)\n")
print("| N | forward | forward+backward (raw) | constraints (effective+chain) | Adam | tanh+tanh' over T*B | noise draws (sigma_rec 0.1 iteration - median iteration) |")
print("|---|---|---|---|---|---|---|")
for n in sizes:
    r = gb(os.path.join(out, f"bench_parts_N{n}.json"))
    if not r: continue
    g = lambda k: r.get(f"BM_{k}/N:{n}", {}).get("cpu_seconds", float("nan")) * 1e3
    it = per_round("bench_train", n, "BM_TrainIteration")
    it_med = statistics.median(it.values()) if it else float("nan")
    print(f"| {n} | {g('Forward'):.2f} | {g('LossGradient'):.2f} | {g('Constraints'):.3f} | {g('Adam'):.3f} | "
          f"{g('Tanh'):.2f} | {g('TrainIterationNoise') - it_med:.2f} |")

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
    print("\n## Fixed points (1024 starts, trained 3-bit flip-flops, q < 1e-12; bench_fixed_points, torch_fixed_points.py)\n")
    memory = {x["units"]: x["max_rss_kb"] for x in fp if x["method"] == "rnnlab_newton_memory"}
    print("| method | N | threads | wall s (median) | CPU s | distinct fixed points (tol 1e-6) | starts converged | notes |")
    print("|---|---|---|---|---|---|---|---|")
    rn = [x for x in fp if x["method"] == "rnnlab_newton"]
    th = [x for x in fp if x["method"] == "torch_adam"]
    for x in rn:
        mem = f", peak memory {int(memory[x['units']]) / 1024:.0f} MB" if x["units"] in memory else ""
        print(f"| rnnlab Newton/LM | {x['units']} | {x['threads'] if x['threads'] != '0' else 'all'} | {float(x['median_s']):.3f} | {float(x['cpu_s']):.3f} | "
              f"{x['fixed_points']} | {x['fixed_starts']}/{x['starts']} | stable {x['stable']}, saddles {x['saddles']}, "
              f"unstable {x['unstable']}, slow points {x['slow_points']}, not converged {x['not_converged']}, "
              f"{x['mean_solves']} factorisations/start{mem} |")
    for x in th:
        label = "torch Adam (FixedPointFinder)" + (", +mallopt" if x.get("malloc") == "tuned" else "")
        print(f"| {label} | 100 | {x['threads']} | {float(x['median_s']):.3f} | {float(x['cpu_s']):.3f} | {x['fixed_points']} | "
              f"{x['fixed_starts']}/{x['starts']} | {x['iterations']} Adam iterations, {x['fixed_points_tol1e-3']} "
              f"distinct at tol 1e-3, found {x['rnnlab_points_found']} of rnnlab's points, q max {x['q_max']} |")
    if rn and th:
        best_t = min(float(x["median_s"]) for x in th)
        best_c = min(float(x["cpu_s"]) for x in th)
        for x in (x for x in rn if x["units"] == "100"):
            print(f"\nrnnlab ({'all' if x['threads'] == '0' else x['threads']} threads) vs best torch: "
                  f"**{best_c / float(x['cpu_s']):.1f}x less CPU time**, {best_t / float(x['median_s']):.1f}x less wall time")

tp = results(os.path.join(out, "throughput.txt"))
if tp:
    print("\n## Ensemble throughput: networks trained to criterion per core-hour (bench/throughput.py, one process per core)\n")
    print("| task | side | converged / networks | mean iterations | CPU s | wall s | **per CPU-hour** | per core-hour (wall x processes) | vs rnnlab (CPU) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for task in dict.fromkeys(x["task"] for x in tp):
        rows = [x for x in tp if x["task"] == task]
        base = next((float(x["per_cpu_hour"]) for x in rows if x["side"] == "rnnlab"), None)
        for x in rows:
            rel = f"{float(x['per_cpu_hour']) / base:.2f}" if base else "-"
            print(f"| {task} | {x['side']} | {x['converged']}/{x['networks']} | {x['mean_iterations']} | "
                  f"{float(x['cpu_s']):.1f} | {float(x['wall_s']):.1f} | **{float(x['per_cpu_hour']):.0f}** | "
                  f"{float(x['per_core_hour_wall']):.0f} | {rel} |")
PYEOF
if [[ -s "$out/threads_headline.txt" && -s "$out/torch_train.txt" ]]; then
  $PY - "$out/threads_headline.txt" "$out/torch_train.txt" <<'PYEOF' | tee -a "$out/table.md"
import statistics, sys
rows = [dict(kv.split("=", 1) for kv in l.split()[1:]) for l in open(sys.argv[1]) if l.startswith("RESULT")]
torch = [dict(kv.split("=", 1) for kv in l.split()[1:] if "=" in kv) for l in open(sys.argv[2]) if l.startswith("RESULT")]
# PyTorch's best setting at N = 128 in wall time: the median over rounds of each setting, then the fastest.
settings = {}
for x in torch:
    if int(x["N"]) == 128:
        settings.setdefault((x["variant"], x["threads"]), []).append(1e3 / float(x["it_per_s"]))
best = min(((statistics.median(v), k) for k, v in settings.items()), default=None)
print("\n## One network on 1 and 2 threads against PyTorch's best (N = 128, batch 64, T = 200; wall ms per iteration, median of the rounds)\n")
if best:
    print(f"PyTorch's best setting at N = 128 (training table above, a whole iteration): {best[1][0]}, {best[1][1]} thread(s), "
          f"**{best[0]:.1f} ms**. rnnlab: the forward and backward pass (`bench_threads`; the constraints and Adam add "
          f"under 0.1%, \"Where the time goes\").\n")
print("| build | 1 thread (ms) | 2 threads (ms) | speed-up with 2 threads | **best PyTorch / rnnlab on 2 threads** |")
print("|---|---|---|---|---|")
names = {"this": "this build (BUILD_DIR)", "other": "other build (COMPARE_BUILD)"}
for build in ("this", "other"):
    mine = [r for r in rows if r["build"] == build]
    if not mine: continue
    one = statistics.median(float(r["wall_ms"]) for r in mine if r["setting"] == "chunked")
    two = statistics.median(float(r["wall_ms"]) for r in mine if r["setting"].startswith("threads="))
    ratio = f"**{best[0] / two:.1f}x**" if best else "-"
    print(f"| {names[build]} | {one:.1f} | {two:.1f} | {one / two:.2f}x | {ratio} |")
PYEOF
fi
if [[ -s "$out/weak_scaling.txt" ]]; then
  { echo; echo "## Weak scaling across MPI ranks (bench/weak_scaling.sh, examples/flipflop.toml)"; echo
    grep -v '^load' "$out/weak_scaling.txt"; } | tee -a "$out/table.md"
fi
if [[ -s "$out/large.txt" ]]; then
  $PY - "$out/large.txt" <<'PYEOF' | tee -a "$out/table.md"
import sys
rows = {}
for line in open(sys.argv[1]):
    if line.startswith("RESULT"):
        kv = dict(x.split("=", 1) for x in line.split()[1:])
        rows[kv.pop("step")] = kv
print("\n## Large networks: four N = 2000 flip-flops (bench/n2000.toml; /usr/bin/time)\n")
if "file" in rows:
    print(f"File: {int(rows['file']['bytes']) / 1e6:.0f} MB.\n")
print("| command | wall s | CPU s (user + system) | peak memory (MB) |")
print("|---|---|---|---|")
for step, what in (("train", "rnnlab train (4 iterations each)"), ("info", "rnnlab info"),
                   ("spectrum", "rnnlab analyze --spectrum")):
    if step in rows:
        r = rows[step]
        print(f"| {what} | {float(r['wall_s']):.2f} | {float(r['user_s']) + float(r['sys_s']):.2f} | "
              f"{int(r['max_rss_kb']) / 1024:.0f} |")
PYEOF
fi
if [[ -s "$out/profile.txt" ]]; then
  { echo; echo "## The PyTorch baselines profiled (torch_train.py --profile 128 --threads 1)"; echo
    echo '```'; grep -v '^#' "$out/profile.txt" | sed '/^$/d'; echo '```'; } | tee -a "$out/table.md"
fi
if [[ -s "$out/threads.txt" ]]; then
  { echo; echo "## One network on 1 and 2 threads (bench_threads; see bench/threads_table.py for the columns)"; echo
    $PY "$root/bench/threads_table.py" "$out/threads.txt"; } | tee -a "$out/table.md"
fi
echo "raw results and this table: $out/" >&2
