#!/usr/bin/env bash
# Renders every workbench view into PNG files under Xvfb.
#   scripts/screenshots.sh OUT_DIR [WORKSPACE]
# Without WORKSPACE the demo workspace is built (or reused) and opened. Uses the build in
# $SENA_BUILD_DIR when set, else configures and builds build-screenshots/.
set -euo pipefail
out="${1:?usage: scripts/screenshots.sh OUT_DIR [WORKSPACE]}"
workspace="${2:-}"
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${SENA_BUILD_DIR:-$root/build-screenshots}"
if [[ -z "${SENA_BUILD_DIR:-}" ]]; then
  cmake -S "$root" -B "$build" -G Ninja -DSENA_BUILD_BENCH=OFF >/dev/null
  ninja -C "$build" -j2 sena-workbench
fi
app="$build/app/workbench/sena-workbench"
[[ -x "$app" ]] || { echo "no workbench binary at $app" >&2; exit 1; }
mkdir -p "$out"
args=(--screenshots "$out")
if [[ -n "$workspace" ]]; then args+=("$workspace"); else args+=(--demo); fi
# A fixed window size and locale keep the pictures comparable between runs.
LC_ALL=C.UTF-8 LANG=en_US.UTF-8 xvfb-run -a -s "-screen 0 1680x1050x24" "$app" "${args[@]}"
