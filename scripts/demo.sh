#!/usr/bin/env bash
# Starts SENA Workbench on its built-in demo. With a display: the desktop workbench. Without one
# (a server, CI, ssh): a headless demo with the `sena` CLI.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
build="${SENA_BUILD_DIR:-build}"
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/sena-ccache}"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j "$(nproc)" --target sena sena-workbench
fixture="$(cd .. && pwd)/shared/fixtures/hf/tiny-llava-llama-clip"
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ "${SENA_HEADLESS:-0}" != 1 ]; then
  exec "$build/app/workbench/sena-workbench" "$@"
fi
echo "No display: running the headless demo (set DISPLAY for the desktop workbench)."
"$build/app/cli/sena" info --model "$fixture"
"$build/app/cli/sena" parity "$fixture"
