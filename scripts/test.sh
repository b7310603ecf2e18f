#!/usr/bin/env bash
# The whole test suite on a fresh Debian 12 machine: installs the packages, configures, builds
# (ccache, precompiled LibTorch headers) and runs every test with ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
build="${SENA_BUILD_DIR:-build}"
jobs="$(nproc)"
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/sena-ccache}"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build "$build" -j "$jobs"
ctest --test-dir "$build" --output-on-failure -j "$jobs" "$@"
