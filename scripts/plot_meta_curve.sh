#!/bin/sh
# Plots meta-training curves (metrics.csv of `mnemo meta-train` run folders)
# into a PNG with gnuplot: the training meta-loss (a moving average over 50
# meta-iterations) and the held-in and held-out evaluations.
#   scripts/plot_meta_curve.sh OUT.png LABEL1 RUN_DIR1 [LABEL2 RUN_DIR2 ...]
set -eu
if [ $# -lt 3 ]; then
  echo "usage: $0 OUT.png LABEL RUN_DIR [LABEL RUN_DIR ...]" >&2
  exit 2
fi
out=$1
shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
plots=""
evals=""
i=0
# Per run: light (training), dark (held-in), middle (held-out) shades.
light="#9ecae1 #fdae6b #a1d99b #bcbddc"
dark="#08519c #a63603 #006d2c #54278f"
mid="#3182bd #e6550d #31a354 #756bb1"
pick() { echo "$1" | cut -d' ' -f$(( $2 % 4 + 1 )); }
while [ $# -ge 2 ]; do
  label=$1
  csv=$2/metrics.csv
  shift 2
  # Moving average of the meta-loss (column 2) over the last 50 rows.
  awk -F, 'NR > 1 && $2 != "" { n++; v[n % 50] = $2; s = 0; c = 0;
             for (k in v) { s += v[k]; c++ } print $1, s / c }' "$csv" \
    > "$tmp/train$i.dat"
  # Evaluation rows: iteration, held-in, held-out.
  awk -F, 'NR > 1 && $8 != "" { print $1, $8, ($9 == "" ? "NaN" : $9) }' \
    "$csv" > "$tmp/eval$i.dat"
  plots="$plots${plots:+, }'$tmp/train$i.dat' using 1:2 with lines lw 1 lc rgb '$(pick "$light" $i)' title '$label meta-loss (training, avg 50)'"
  evals="$evals, '$tmp/eval$i.dat' using 1:2 with linespoints lw 2 pt 7 lc rgb '$(pick "$dark" $i)' title '$label held-in', '$tmp/eval$i.dat' using 1:3 with linespoints lw 2 pt 5 dt 2 lc rgb '$(pick "$mid" $i)' title '$label held-out'"
  i=$((i + 1))
done
gnuplot <<GP
set terminal pngcairo size 960,600 font "sans,11" noenhanced
set output '$out'
set xlabel 'meta-iteration'
set ylabel 'normalized loss: ln(loss / initial loss) (lower is better)'
set key outside bottom center horizontal maxrows 3
set grid
plot $plots$evals
GP
echo "wrote $out"
