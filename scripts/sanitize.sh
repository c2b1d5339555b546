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
cmake --build build-asan
# Leaks of libraries that are not the project's (the GL driver) are listed in
# .ci/lsan_suppressions.txt; everything else is strict.
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$PWD/.ci/lsan_suppressions.txt:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
ctest --test-dir build-asan --output-on-failure -j2 "$@"
