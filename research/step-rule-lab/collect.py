"""Collects the summary lines of lab.py logs into CSV on stdout.
Usage: /usr/bin/python3 research/step-rule-lab/collect.py LOG..."""
import sys

print("task,scale,seed,rule,params,episodes,area,final,best,final_gain")
for path in sys.argv[1:]:
    lines = open(path).read().splitlines()
    summary = [l for l in lines if l.startswith("summary ")]
    if not summary:
        continue
    f = dict(kv.split("=", 1) for kv in summary[0][len("summary "):].split(" "))
    episodes = [l.split(":")[0].split()[1] for l in lines if l.startswith("episodes ")][-1]
    print(",".join([f["task"], f["scale"], f["seed"], f["rule"], f'"{f["params"]}"', episodes,
                    f["area"], f["final"], f["best"], f["gain"]]))
