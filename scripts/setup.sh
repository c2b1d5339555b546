#!/usr/bin/env bash
# Installs the Debian packages Mnemosyne needs. Idempotent: when everything is
# already there it only checks (about a second) and installs nothing.
# Usage: scripts/setup.sh [--checks]
#   --checks  also what CI's extra checks need: Clang with its sanitizer
#             runtime (scripts/sanitize.sh) and clang-format
#             (scripts/check_format.sh)
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libmujoco-dev libqhull-dev libeigen3-dev libyaml-cpp-dev
  libglfw3-dev libimgui-dev libstb-dev libgl-dev
  doctest-dev libcli11-dev libspdlog-dev nlohmann-json3-dev
  gnuplot-nox libopenmpi-dev openmpi-bin python3
  xvfb xauth libgl1-mesa-dri
  pybind11-dev python3-dev python3-numpy python3-pytest python3-matplotlib
)
case "${1:-}" in
  "") ;;
  --checks) packages+=(clang-14 libclang-rt-14-dev clang-format-14) ;;
  *) echo "setup: unknown option '$1' (use --checks or nothing)" >&2; exit 2 ;;
esac

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi

echo "setup: installing ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
