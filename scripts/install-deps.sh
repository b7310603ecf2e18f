#!/usr/bin/env bash
# Installs the Debian 12 packages SENA Workbench builds and tests with. Idempotent: returns at once
# when everything is present. Runs apt-get as root (directly, or through sudo).
set -euo pipefail

packages=(
  cmake ninja-build g++ ccache pkg-config
  qt6-base-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools libqt6svg6-dev libqt6sql6-sqlite
  libqcustomplot-dev
  libtorch-dev libopenblas0-openmp
  libopencv-dev libsqlite3-dev libsentencepiece-dev libpcre2-dev libgloo-dev
  nlohmann-json3-dev libcli11-dev libspdlog-dev
  xvfb xauth fonts-wqy-microhei qt6-translations-l10n
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "Installing ${#missing[@]} Debian packages: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "Run as root or install sudo: these packages are missing: ${missing[*]}" >&2; exit 1; }
  SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
