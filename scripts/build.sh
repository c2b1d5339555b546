#!/usr/bin/env bash
# Configures (once) and builds Mnemosyne in ./build (Release, Ninja).
# Usage: scripts/build.sh [extra cmake --build arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f build/build.ninja ]; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
fi
cmake --build build "$@"
