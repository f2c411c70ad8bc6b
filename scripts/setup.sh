#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks, then configures and builds Tokenstorm in build/.
# Extra CMake arguments can be passed in TOKENSTORM_CMAKE_ARGS (CI adds -DTOKENSTORM_WERROR=ON).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake ninja-build ccache pkg-config
  qt6-base-dev qt6-base-private-dev qt6-charts-dev libqt6opengl6-dev qt6-svg-dev qt6-tools-dev qt6-l10n-tools
  qt6-translations-l10n qcoro-qt6-dev nlohmann-json3-dev qtkeychain-qt6-dev libxkbcommon-dev
  fonts-noto-cjk fonts-wqy-microhei poppler-utils xvfb xauth imagemagick
  clang libclang-rt-14-dev
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
fi

# shellcheck disable=SC2086
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo ${TOKENSTORM_CMAKE_ARGS:-}
cmake --build build --parallel "$(nproc)"
