"""The robustness grid's criteria from cells.csv: per task and method, the
median area over seeds at each m, normalized by ARS V2-t's x1 median (the
acceptance bench's, fixed below); the worst over m; and the runs that end
below half their best evaluation once that best reaches half the task's
threshold. Rows whose `binary` starts with "before" (a rule since
changed) are left out. Usage:
/usr/bin/python3 research/no-tuning-grid/summarize.py"""
import csv
import os
import statistics
from collections import defaultdict

# ARS V2-t's median area at x1 (research/v2-acceptance-bench) and half the
# task's threshold.
ARS_X1 = {"Swimmer": 284, "Hopper": 1631, "HalfCheetah": 2541, "Walker2d": 360, "Ant": 1338}
HALF_THRESHOLD = {"Swimmer": 163, "Hopper": 1560, "HalfCheetah": 1715, "Walker2d": 2195, "Ant": 1790}
SCALES = [("x0.25", "x1/4"), ("", "x1"), ("x4", "x4")]

# Rows of a rule that has since changed (the `binary` column says so).
rows = [r for r in csv.DictReader(open(os.path.join(os.path.dirname(__file__), "cells.csv")))
        if not r["binary"].startswith("before")]
cells = defaultdict(list)
for r in rows:
    method, _, scale = r["method"].partition("_x")
    if method.endswith("_x0.25") or method.endswith("_x4"):
        continue
    cells[(r["task"], method, "x" + scale if scale else "")].append(r)

for base in ["ars_v2t", "nominal_adaptive"]:
    print(f"\n{base}: median area / ARS x1 (seeds), worst over m")
    worsts = []
    for task in ARS_X1:
        parts, values = [], []
        for key, label in SCALES:
            runs = cells.get((task, base, key), [])
            if base == "ars_v2t" and key == "":
                parts.append(f"{label} 1 (acceptance bench)")
                values.append(1.0)
                continue
            if not runs:
                parts.append(f"{label} -")
                continue
            med = statistics.median(float(r["mean_return"]) for r in runs) / ARS_X1[task]
            values.append(med)
            parts.append(f"{label} {med:.2f} ({len(runs)})")
        complete = len(values) == 3
        worst = min(values) if values else float("nan")
        if complete:
            worsts.append(worst)
        print(f"  {task:12s} " + " | ".join(parts) + f" | worst {worst:.2f}" + ("" if complete else " (incomplete)"))
    if len(worsts) == len(ARS_X1):
        print(f"  mean of worst: {statistics.mean(worsts):.2f}")
    falls = [r for r in rows if r["method"].startswith(base)
             and float(r["best_return"]) >= HALF_THRESHOLD[r["task"]]
             and float(r["final_return"]) < 0.5 * float(r["best_return"])]
    print(f"  runs ending below half their best (best >= half threshold): {len(falls)}"
          + "".join(f"\n    {r['task']} {r['method']} s{r['seed']}: final {r['final_return']}, best {r['best_return']}" for r in falls))
