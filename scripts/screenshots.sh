#!/usr/bin/env bash
# Renders every workbench view into PNG files under Xvfb.
#   scripts/screenshots.sh OUT_DIR [WORKSPACE]
# Without WORKSPACE the demo workspace is built (or reused) and opened. Uses the build in
# $SENA_BUILD_DIR when set, else configures and builds build-screenshots/. The demo goes to
# $SENA_DEMO_DIR when set; SENA_SCREENSHOT_LANG=zh_CN renders the Chinese UI.
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
# A fixed window size and locale keep the pictures comparable between runs. SENA_SCREENSHOT_LANG
# (e.g. zh_CN) shows the UI in that translation instead: Qt picks the translation from LANGUAGE.
# Chinese needs a CJK font (e.g. Debian's fonts-wqy-microhei), or the text renders as boxes.
ui_lang="${SENA_SCREENSHOT_LANG:-en_US}"
LC_ALL=C.UTF-8 LANG="$ui_lang.UTF-8" LANGUAGE="$ui_lang" xvfb-run -a -s "-screen 0 1680x1050x24" "$app" "${args[@]}"
