"""Rows for cells.csv from a bench folder's finished runs: task, method,
seed, episodes, the mean evaluation return over the run (area), the final
and the best evaluation, and the commit given as the binary's. Usage:
/usr/bin/python3 research/no-tuning-grid/collect.py runs/bench-no-tuning COMMIT"""
import csv
import glob
import os
import sys

root, binary = sys.argv[1], sys.argv[2]
for summary in sorted(glob.glob(os.path.join(root, "*", "*", "s*", "summary.json"))):
    run = os.path.dirname(summary)
    task, method, seed = run.split(os.sep)[-3:]
    rows = list(csv.DictReader(open(os.path.join(run, "metrics.csv"))))
    evals = [(int(r["episodes"]), float(r["eval_return_mean"])) for r in rows
             if r.get("eval_return_mean") not in (None, "", "nan")]
    if not evals:
        continue
    values = [v for _, v in evals]
    print(f"{task},{method},{seed[1:]},{evals[-1][0]},{sum(values) / len(values):.2f},"
          f"{values[-1]:.2f},{max(values):.2f},{binary}")
