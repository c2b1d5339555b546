#!/usr/bin/env bash
# Builds the project with Clang under AddressSanitizer and
# UndefinedBehaviorSanitizer in build-asan/ (RelWithDebInfo) and runs the
# test suite there: any report fails the test that caused it.
# Usage: scripts/sanitize.sh [ctest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f build-asan/build.ninja ]; then
  CC=clang-14 CXX=clang++-14 cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DMNEMO_SANITIZE=address,undefined
fi
# Without MPI: LeakSanitizer would report OpenMPI's own allocations, which it
# keeps until exit. The MPI test runs in the main build (README's command).
cmake -S . -B build-asan -DMNEMO_MPI=OFF > /dev/null
unset MNEMO_REQUIRE_MPI_TEST
cmake --build build-asan
# Libraries stay loaded (scripts/keep_libraries_loaded.c says why), so leak
# checking is strict with no suppressions.
clang-14 -shared -fPIC -O2 -o build-asan/libkeep_libraries_loaded.so \
  scripts/keep_libraries_loaded.c
export LD_PRELOAD="$PWD/build-asan/libkeep_libraries_loaded.so"
export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
ctest --test-dir build-asan --output-on-failure -j2 "$@"
