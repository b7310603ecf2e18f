#!/usr/bin/env bash
# Run HERE (not on the GPU machine) before a device call: copies what the GPU machine lacks into
# .deps/ (git-ignored), which the device call carries: CLI11 headers, the shared fixtures and the
# Hugging Face anchor scripts. Then call the device tool with carry [".deps"] and the command
# `bash scripts/gpu-check.sh`.
set -euo pipefail
cd "$(dirname "$0")/.."
shared="${SENA_SHARED_DIR:-../shared}"
rm -rf .deps && mkdir -p .deps/include .deps/tools
cp -r /usr/include/CLI .deps/include/
cp -r "$shared/fixtures" .deps/fixtures
cp "$shared"/tools/*.py .deps/tools/
du -sh .deps
