#!/usr/bin/env bash
# Installs every Debian package that building and testing rnnlab needs.
# Safe to run again: it only asks apt for what is missing.
# Usage: scripts/install-deps.sh [--bench]   (--bench is kept for old scripts; it adds nothing now)
set -euo pipefail

packages=(
  g++ cmake make pkg-config
  libeigen3-dev libopenblas-dev libhdf5-dev libtomlplusplus-dev libcli11-dev libfmt-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libopenmpi-dev openmpi-bin
  pybind11-dev python3-dev python3-pybind11 python3-numpy python3-h5py python3-matplotlib python3-pytest
  # PyTorch, for comparisons only: the tests check Network.to_torch() and the
  # hand-written backward pass against autograd, and bench/ times it.
  python3-torch
  # rnnlab report: JSON writing (C++), and Debian's Chromium for its browser test.
  nlohmann-json3-dev chromium
)
# Node.js and npm fetch plotly.js (inlined into report pages) and puppeteer-core
# (drives Chromium in the report's test); Debian's own only where none is on PATH.
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} > 0)); then
  echo "rnnlab: installing missing packages: ${missing[*]}"
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# npm packages (third_party/package.json, versions pinned by its lock file)
# into third_party/node_modules, only when one is missing or at another version.
third_party="$(cd "$(dirname "$0")/.." && pwd)/third_party"
npm_ok=$(cd "$third_party" && node -e '
  const want = require("./package.json").dependencies;
  let ok = true;
  for (const [name, version] of Object.entries(want)) {
    try { ok = ok && require("./node_modules/" + name + "/package.json").version === version; } catch (e) { ok = false; }
  }
  console.log(ok ? "yes" : "no");')
if [[ "$npm_ok" != yes ]]; then
  echo "rnnlab: installing npm packages into third_party/node_modules (plotly.js-dist-min, puppeteer-core)"
  npm ci --prefix "$third_party" --no-audit --no-fund --loglevel=error >/dev/null
fi
