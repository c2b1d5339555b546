#!/usr/bin/env bash
# Measures what sharing a training run over MPI ranks costs on this machine:
# for each task and rank count K, a short run of `mnemo train` under
# `mpirun -np K` (oversubscribed: one rollout thread per rank), then the
# ranks' own timings from the run's ranks.csv: payload bytes each rank sent
# per iteration, and the fraction of its time it waited for the others
# (uneven episode lengths, scheduling). Prints a Markdown table, and the
# single-thread step rate of each task (mnemo rollout-bench) for projections.
# Usage: scripts/mpi_balance.sh [--out DIR] [--ranks "2 4"] [TASK:ITERATIONS ...]
#   default tasks: HalfCheetah:10 Hopper:40 Humanoid:3 (ARS configs, full episodes)
# Run it on an otherwise idle machine: other work shows up as waiting.
set -euo pipefail
cd "$(dirname "$0")/.."
out=runs/mpi-balance
ranks="2 4"
tasks=()
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --ranks) ranks="$2"; shift 2 ;;
    -*) echo "mpi_balance: unknown option '$1'" >&2; exit 2 ;;
    *) tasks+=("$1"); shift ;;
  esac
done
[ ${#tasks[@]} -gt 0 ] || tasks=(HalfCheetah:10 Hopper:40 Humanoid:3)
command -v mpirun > /dev/null || { echo "mpi_balance: mpirun not found (scripts/setup.sh)" >&2; exit 2; }
rm -rf "$out"
mkdir -p "$out"

# The ARS config of a task: configs/train/<snake_case>_ars.yaml.
config_of() {
  local snake
  snake=$(echo "$1" | sed -E 's/([a-z0-9])([A-Z])/\1_\2/g' | tr '[:upper:]' '[:lower:]')
  echo "configs/train/${snake}_ars.yaml"
}

echo "| task | ranks | iterations | episodes per rank (min-max) | bytes sent per iteration per rank | idle fraction per rank | wall s |"
echo "|---|---|---|---|---|---|---|"
for entry in "${tasks[@]}"; do
  task=${entry%%:*}
  iterations=${entry##*:}
  config=$(config_of "$task")
  for k in $ranks; do
    run="$out/${task}-k$k"
    start=$(date +%s.%N)
    # Waiting ranks yield the core instead of spinning (ranks share cores).
    mpirun --oversubscribe --allow-run-as-root --bind-to none --mca mpi_yield_when_idle 1 \
      -np "$k" build/mnemo train "$config" --set train.threads=1 \
      --set train.max_iterations="$iterations" --set train.max_episodes=0 --out "$run" \
      > "$run.log" 2>&1
    wall=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')
    awk -F, -v task="$task" -v k="$k" -v it="$iterations" -v wall="$wall" '
      NR > 1 {
        ep[$2] = $5; bytes[$2] = $11; idle[$2] = $12
        if (min == "" || $5 < min) min = $5
        if ($5 > max) max = $5
      }
      END {
        b = ""; f = ""
        for (r = 0; r < k; ++r) {
          b = b (r ? " / " : "") sprintf("%.0f", bytes[r])
          f = f (r ? " / " : "") sprintf("%.3f", idle[r])
        }
        printf "| %s | %d | %d | %d-%d | %s | %s | %.1f |\n", task, k, it, min, max, b, f, wall
      }' "$run/ranks.csv"
  done
done
echo
echo "Single-thread step rates (mnemo rollout-bench --threads 1 --seconds 5; env/s = environment steps):"
header=1
for entry in "${tasks[@]}"; do
  task=${entry%%:*}
  build/mnemo rollout-bench --task "$task" --threads 1 --seconds 5 2>/dev/null |
    awk -v task="$task" -v header="$header" '($1 == "task" && header) || $1 == task'
  header=0
done
