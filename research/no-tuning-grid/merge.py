"""Adds collect.py's rows to cells.csv: a row for a run already there
replaces it, and the replaced row stays with its `binary` marked
"before <new binary>: <old>" (summarize.py leaves those out). Usage:
/usr/bin/python3 research/no-tuning-grid/merge.py NEW_ROWS.csv"""
import csv
import os
import sys

path = os.path.join(os.path.dirname(__file__), "cells.csv")
fields = ["task", "method", "seed", "episodes", "mean_return", "final_return", "best_return",
          "binary"]
rows = list(csv.DictReader(open(path)))
new = [dict(zip(fields, line.strip().split(","))) for line in open(sys.argv[1]) if line.strip()]
key = lambda r: (r["task"], r["method"], r["seed"])
for n in new:
    for r in rows:
        if key(r) == key(n) and not r["binary"].startswith("before"):
            if r["binary"] == n["binary"]:
                r["binary"] = "duplicate"
            else:
                r["binary"] = f"before {n['binary']}: {r['binary']}"
rows = [r for r in rows if r["binary"] != "duplicate"] + new
with open(path, "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
