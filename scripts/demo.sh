#!/usr/bin/env bash
# Starts SENA Workbench on its built-in demo: a tiny model taught SENA's prompt formats, generated
# images, a workspace and one generated round (made on first use under $SENA_DEMO_DIR, by default
# ~/.cache/sena-demo). With a display: the desktop workbench. Without one (a server, CI, ssh): the
# same demo headless, with the `sena` CLI.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
build="${SENA_BUILD_DIR:-build}"
demo="${SENA_DEMO_DIR:-$HOME/.cache/sena-demo}"
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/sena-ccache}"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j "$(nproc)" --target sena sena-workbench
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ "${SENA_HEADLESS:-0}" != 1 ]; then
  export SENA_DEMO_DIR="$demo"
  exec "$build/app/workbench/sena-workbench" --demo "$@"
fi
echo "No display: running the demo headless (set DISPLAY for the desktop workbench)."
sena="$build/app/cli/sena"
"$sena" demo "$demo"
"$sena" round status "$demo/workspace"
"$sena" pairs list "$demo/workspace" --passed --limit 10
echo
echo "Try: $sena pairs list $demo/workspace --search circle"
echo "     $sena corrupt $demo/images/\$(ls $demo/images | head -1) --model $demo/model --spec diffusion:t=600 --out /tmp/corrupted.png"
echo "     $sena export $demo/workspace --format trl --out /tmp/pairs.jsonl"
