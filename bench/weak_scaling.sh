#!/usr/bin/env bash
# Weak scaling of `rnnlab train` across MPI ranks (docs/cluster.md): the same
# work per rank, 1 rank x N networks against 2 ranks x 2N networks, 1 thread
# each. The 2-rank job is a sweep (2 points x N seeds), as a cluster job would
# be. Prints wall and CPU time of each, their ratio (1.00 = perfect weak
# scaling), the time per network, and what a 1000-network sweep costs.
#
#   bench/weak_scaling.sh [BUILD_DIR] [N]        defaults: build 2
#   CONFIG=examples/flipflop.toml CORES=32 bench/weak_scaling.sh build-sweep 2
#
# The load average is printed before and after: on a shared machine wall time
# says little, and CPU time (user + sys of rnnlab and its ranks) is what one
# network costs on a free core.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
N=${2:-2}
CONFIG=${CONFIG:-examples/flipflop.toml}
CORES=${CORES:-32}        # cores of the node the projection is for
RNNLAB="$BUILD/rnnlab"
[[ -x "$RNNLAB" ]] || { echo "no $RNNLAB: build first (cmake --build $BUILD)" >&2; exit 2; }
command -v mpirun > /dev/null || { echo "mpirun not found (Debian: openmpi-bin)" >&2; exit 2; }
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

echo "machine: $(nproc) cores; config $CONFIG; $N networks per rank, 1 thread per rank"
echo "load before: $(uptime)"

# Runs "$@", prints "wall user+sys" in seconds (children included).
measure() {
  local TIMEFORMAT='%R %U %S' t
  t=$( { time "$@" > "$OUT/log" 2>&1; } 2>&1 ) || { cat "$OUT/log" >&2; exit 1; }
  awk '{ printf "%.2f %.2f\n", $1, $2 + $3 }' <<< "$t"
}

one=$(measure "$RNNLAB" train "$CONFIG" -o "$OUT/one.h5" --seeds "$N" --threads 1 --quiet --force)
two=$(measure mpirun --oversubscribe --allow-run-as-root -n 2 "$RNNLAB" train "$CONFIG" -o "$OUT/two.h5" \
  --seeds "$N" --threads 1 --quiet --force --set 'sweep.model.gain=[1.0, 1.5]')
read -r w1 c1 <<< "$one"
read -r w2 c2 <<< "$two"
echo "load after:  $(uptime)"

awk -v n="$N" -v w1="$w1" -v c1="$c1" -v w2="$w2" -v c2="$c2" -v cores="$CORES" 'BEGIN {
  printf "\n| ranks x threads | networks | wall s | CPU s (user+sys) | wall s per network per rank | CPU s per network |\n"
  printf "|---|---|---|---|---|---|\n"
  printf "| 1 x 1 | %d | %.2f | %.2f | %.2f | %.2f |\n", n, w1, c1, w1 / n, c1 / n
  printf "| 2 x 1 (mpirun, sweep of 2 points) | %d | %.2f | %.2f | %.2f | %.2f |\n", 2 * n, w2, c2, w2 / n, c2 / (2 * n)
  printf "\nweak-scaling ratio, wall(2 ranks, %d networks) / wall(1 rank, %d networks): %.2f (1.00 = perfect)\n", 2 * n, n, w2 / w1
  printf "CPU ratio per network (2 ranks / 1 rank): %.2f\n", (c2 / (2 * n)) / (c1 / n)
  per = c1 / n   # CPU seconds per network on one core, the uncontended figure
  printf "per network: %.2f CPU s on one core -> %.0f networks per core-hour\n", per, 3600 / per
  printf "a 1000-network sweep: %.2f core-hours = %.3f node-hours on a %d-core node (%.0f s), training only\n", \
    1000 * per / 3600, 1000 * per / 3600 / cores, cores, 1000 * per / cores
}'
