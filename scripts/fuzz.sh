#!/usr/bin/env bash
# Long fuzzing runs of the loaders (docs/FUZZING.md): builds the fuzz
# targets as libFuzzer programs under AddressSanitizer and
# UndefinedBehaviorSanitizer (Clang 14, in build-fuzz/) and runs each on a
# copy of its corpus, new inputs it finds kept in runs/fuzz/<target>/corpus
# and its log in runs/fuzz/<target>.log.
# Usage:
#   scripts/fuzz.sh [--runs N] [--seconds S] [TARGET...]
#       run each TARGET (default: all) for N inputs (default 1000000) or S
#       seconds, whichever ends first (default: no time limit)
#   scripts/fuzz.sh --seeds
#       regenerate tests/fuzz/corpus from the shipped files (with build/)
set -euo pipefail
cd "$(dirname "$0")/.."
targets_all=(config policy weights state run_folder)
runs=1000000
seconds=0
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --seeds)
      cmake --build build --target $(printf 'fuzz_%s ' "${targets_all[@]}")
      for t in "${targets_all[@]}"; do
        rm -rf "tests/fuzz/corpus/$t"
        "build/tests/fuzz/fuzz_$t" --write-seeds "tests/fuzz/corpus/$t"
      done
      exit 0 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) targets+=("$1"); shift ;;
  esac
done
[ ${#targets[@]} -eq 0 ] && targets=("${targets_all[@]}")
if [ ! -f build-fuzz/build.ninja ]; then
  CC=clang-14 CXX=clang++-14 cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DMNEMO_FUZZ=ON -DMNEMO_SANITIZE=address,undefined -DMNEMO_BUILD_VIEWER=OFF
fi
cmake --build build-fuzz --target $(printf 'fuzz_%s ' "${targets[@]}")
export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
mkdir -p runs/fuzz
for t in "${targets[@]}"; do
  corpus="runs/fuzz/$t/corpus"
  mkdir -p "$corpus" "runs/fuzz/$t/findings"
  cp -n "tests/fuzz/corpus/$t/"* "tests/fuzz/reproducers/$t/"* "$corpus/" 2>/dev/null || true
  echo "fuzz_$t: $runs inputs (log runs/fuzz/$t.log)"
  "build-fuzz/tests/fuzz/fuzz_$t" -runs="$runs" -max_total_time="$seconds" -timeout=20 \
    -rss_limit_mb=4096 -artifact_prefix="runs/fuzz/$t/findings/" -print_final_stats=1 \
    "$corpus" > "runs/fuzz/$t.log" 2>&1 || { echo "fuzz_$t: finding, see runs/fuzz/$t.log"; exit 1; }
  grep -E "stat::number_of_executed_units|Done " "runs/fuzz/$t.log" | tail -2
done
