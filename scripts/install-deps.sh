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
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then exit 0; fi

echo "rnnlab: installing missing packages: ${missing[*]}"
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
