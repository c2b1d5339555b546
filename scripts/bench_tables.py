#!/usr/bin/env python3
"""Regenerates the measured tables of docs/BENCHMARKS.md and README.md from
the committed CSVs in docs/bench/, so that the docs cannot drift from them.

Each table sits between two marker comments in a doc:

    <!-- bench_tables:begin NAME -->
    ...generated: a line naming the command, commit, date and CSV, then the table...
    <!-- bench_tables:end NAME -->

NAME is a key of TABLES below, which says which CSV, which rows and which
columns make the table, and which command, commit and date made the CSV.

    scripts/bench_tables.py          rewrites the tables in place
    scripts/bench_tables.py --check  exits 1 (and names the tables) if a doc
                                     differs from what it would generate

Python 3 standard library only. Run it from anywhere; paths are relative to
the repository root.
"""

import argparse
import csv
import math
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOCS = ["docs/BENCHMARKS.md", "README.md"]

ACCEPTANCE = dict(
    csv="docs/bench/mnemosyne_vs_ars.csv",
    command="build/mnemo bench configs/bench/mnemosyne_vs_ars.yaml",
    commit="c58d2fd (results ddd4d5f)",
    date="2026-12-05",
    note="full-length episodes, v5 action semantics; the `mnemosyne` rows ran as "
    "`mnemosyne_v2` with the same weights file, then named "
    "configs/weights/mnemosyne_v2.weights",
)
LOCOMOTION = dict(
    csv="docs/bench/locomotion.csv",
    command="build/mnemo bench configs/bench/locomotion.yaml --tasks {task}",
    date="2026-11-29",
    note="clipped actions (`policy.clip_actions: true` semantics); the CSV was "
    "transcribed from this page at commit 832af53 (the bench's results.csv was not committed)",
)
QUICK = dict(
    csv="docs/bench/quick.csv",
    command="build/mnemo bench configs/bench/quick.yaml",
    commit="66a00a0 (OpenAI-ES rows 05f5d44)",
    date="2026-11-29",
    note="clipped actions (`policy.clip_actions: true` semantics); the CSV was "
    "transcribed from this page at commit 832af53 (the bench's results.csv was not committed)",
)
RESULT_COLUMNS = ["success", "episodes", "final", "wall", "steps"]

TABLES = {
    # README: the product's comparison, one row per task.
    "readme_summary": dict(ACCEPTANCE, kind="summary", methods=["ars_v2t", "mnemosyne"],
                           link="docs/BENCHMARKS.md"),
    # docs/BENCHMARKS.md
    "acceptance": dict(ACCEPTANCE, kind="results", decimals=0, task_column=True,
                       columns=["success", "episodes", "final", "mean"]),
    "acceptance_seeds": dict(ACCEPTANCE, kind="seeds", csv="docs/bench/mnemosyne_vs_ars_seeds.csv",
                             note="mean return over the run / final return, per seed; the CSV "
                             "was transcribed from this page at commit 832af53"),
    "locomotion_swimmer": dict(LOCOMOTION, kind="results", task="Swimmer", decimals=1,
                               columns=RESULT_COLUMNS,
                               commit="66d1711 (OpenAI-ES row 05f5d44)"),
    "locomotion_hopper": dict(LOCOMOTION, kind="results", task="Hopper", decimals=1,
                              columns=RESULT_COLUMNS, commit="e14b7ad"),
    "locomotion_half_cheetah": dict(LOCOMOTION, kind="results", task="HalfCheetah", decimals=1,
                                    columns=RESULT_COLUMNS, commit="b2112d7"),
    "locomotion_cost": dict(kind="verbatim", csv="docs/bench/locomotion_cost.csv",
                            command="upper bounds from the `mnemo rollout-bench` speeds below",
                            commit="5e74d6a", date="2026-11-29",
                            note="a bound, not a measurement: every episode counted at 1000 steps"),
    "quick_swimmer": dict(QUICK, kind="results", task="Swimmer", decimals=1,
                          columns=RESULT_COLUMNS),
    "quick_half_cheetah": dict(QUICK, kind="results", task="HalfCheetah", decimals=1,
                               columns=RESULT_COLUMNS),
    "bench_jobs": dict(kind="verbatim", csv="docs/bench/bench_jobs.csv",
                       command="build/mnemo bench configs/bench/quick.yaml --jobs 2 | --jobs 1",
                       commit="66a00a0", date="2026-11-29",
                       note="a 2-core virtual machine shared with other work"),
    "mpi_balance": dict(kind="verbatim", csv="docs/bench/mpi_balance.csv",
                        command="scripts/mpi_balance.sh", commit="f408f62", date="2026-12-05",
                        note="2 cores: K = 4 puts two ranks on each core"),
    "mpi_projection": dict(kind="verbatim", csv="docs/bench/mpi_projection.csv",
                           command="the model below, from the measured step rates and bytes",
                           commit="2cc2892", date="2026-12-05",
                           note="a projection, not a measurement"),
    "rollout_bench": dict(kind="verbatim", csv="docs/bench/rollout_bench.csv",
                          command="build/mnemo rollout-bench --seconds 2", commit="8de9658",
                          date="2026-11-29",
                          note="the second of two runs; a 2-core virtual machine"),
    "updater_bench": dict(kind="verbatim", csv="docs/bench/updater_bench.csv",
                          command="build/updater_bench", commit="c13349b", date="2026-11-29",
                          note="a 2-core machine under load: only the ratios mean much"),
}

HEADERS = {
    "success": "success",
    "episodes": "episodes to threshold, median [Q1, Q3]",
    "final": "final return, median [Q1, Q3]",
    "mean": "mean return over the run, median [Q1, Q3]",
    "wall": "wall time per run",
    "steps": "env steps/s",
}
# Which value is best per column (for bold), and the CSV field it reads.
BEST = {"success": max, "episodes": min, "final": max, "mean": max}
FIELD = {"success": "success_rate", "episodes": "episodes_to_threshold_median",
         "final": "final_return_median", "mean": "mean_return_median"}


def read_csv(path):
    with open(os.path.join(ROOT, path), newline="") as f:
        return list(csv.reader(f))


def read_rows(path):
    rows = read_csv(path)
    return [dict(zip(rows[0], r)) for r in rows[1:]]


def number(text):
    return float(text) if text not in ("inf", "") else math.inf


def round_half_up(x):
    return math.copysign(math.floor(abs(x) + 0.5), x)


def fmt_return(x, decimals):
    if decimals == 0:
        if x != 0 and abs(x) < 1:
            return "%.1f" % x
        return "%d" % round_half_up(x)
    return "%.*f" % (decimals, x)


def fmt_episodes(x):
    return "never" if math.isinf(x) else "%d" % x


def fmt_quartiles(row, prefix, fmt):
    med, q1, q3 = (number(row[prefix + s]) for s in ("_median", "_q1", "_q3"))
    return "%s [%s, %s]" % (fmt(med), fmt(q1), fmt(q3))


def success(row):
    seeds = int(row["seeds"])
    return "%d/%d" % (round_half_up(float(row["success_rate"]) * seeds), seeds)


def cell(row, column, decimals):
    if column == "success":
        return success(row)
    if column == "episodes":
        return fmt_quartiles(row, "episodes_to_threshold", fmt_episodes)
    if column == "final":
        return fmt_quartiles(row, "final_return", lambda x: fmt_return(x, decimals))
    if column == "mean":
        return fmt_quartiles(row, "mean_return", lambda x: fmt_return(x, decimals))
    if column == "wall":
        return "%.1f s" % float(row["wall_seconds_median"])
    if column == "steps":
        return "%d" % round_half_up(float(row["env_steps_per_second"]))
    raise ValueError("unknown column " + column)


def bold_if_best(rows, column, decimals):
    """The cells of `column`, the best one in bold when it is the only best."""
    cells = [cell(r, column, decimals) for r in rows]
    if column not in BEST:
        return cells
    values = [number(r[FIELD[column]]) for r in rows]
    best = BEST[column](values)
    if values.count(best) != 1 or len(rows) < 2:
        return cells
    i = values.index(best)
    head, sep, tail = cells[i].partition(" [")
    cells[i] = "**%s**%s%s" % (head, sep, tail)
    return cells


def markdown(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return lines


def results_table(spec):
    rows = read_rows(spec["csv"])
    if "task" in spec:
        rows = [r for r in rows if r["task"] == spec["task"]]
    columns, decimals = spec["columns"], spec["decimals"]
    out = []
    for task in dict.fromkeys(r["task"] for r in rows):
        group = [r for r in rows if r["task"] == task]
        cells = [bold_if_best(group, c, decimals) for c in columns]
        for i, r in enumerate(group):
            lead = [task, r["label"]] if spec.get("task_column") else [r["label"]]
            out.append(lead + [cells[c][i] for c in range(len(columns))])
    header = (["task", "method"] if spec.get("task_column") else ["method"])
    return markdown(header + [HEADERS[c] for c in columns], out)


def seeds_table(spec):
    rows = read_rows(spec["csv"])
    n = max(int(r["seed"]) for r in rows)
    out = []
    for key in dict.fromkeys((r["task"], r["label"]) for r in rows):
        mine = {int(r["seed"]): r for r in rows if (r["task"], r["label"]) == key}
        out.append(list(key) + ["%s / %s" % (mine[s]["mean_return"], mine[s]["final_return"])
                                if s in mine else "" for s in range(1, n + 1)])
    return markdown(["task", "method"] + ["s%d" % s for s in range(1, n + 1)], out)


def summary_table(spec):
    rows = read_rows(spec["csv"])
    a, b = spec["methods"]
    by = {(r["task"], r["method"]): r for r in rows}
    label_a = next(r["label"] for r in rows if r["method"] == a)
    label_b = next(r["label"] for r in rows if r["method"] == b)
    out = []
    for task in dict.fromkeys(r["task"] for r in rows):
        ra, rb = by[(task, a)], by[(task, b)]
        out.append([task, ra["seeds"]] +
                   ["%s / %s" % (fmt_return(number(ra[f]), 0), fmt_return(number(rb[f]), 0))
                    for f in ("final_return_median", "mean_return_median")])
    header = ["task", "seeds", "final return, median: %s / %s" % (label_a, label_b),
              "mean return over the run, median: %s / %s" % (label_a, label_b)]
    return markdown(header, out) + ["", "Details: [%s](%s)." % (spec["link"], spec["link"])]


def verbatim_table(spec):
    rows = read_csv(spec["csv"])
    return markdown(rows[0], rows[1:])


KINDS = {"results": results_table, "seeds": seeds_table, "summary": summary_table,
         "verbatim": verbatim_table}


def generate(name):
    spec = TABLES[name]
    command = spec["command"].format(task=spec.get("task", ""))
    made = "Made by `%s` at commit %s, %s" % (command, spec["commit"], spec["date"])
    if spec.get("note"):
        made += "; " + spec["note"]
    made += ". Data: `%s`." % spec["csv"]
    return [made, ""] + KINDS[spec["kind"]](spec)


BEGIN = re.compile(r"^<!-- bench_tables:begin (\S+) -->$")


def render(text, path):
    """The doc with every marked table regenerated."""
    lines, out, i = text.split("\n"), [], 0
    while i < len(lines):
        out.append(lines[i])
        m = BEGIN.match(lines[i])
        i += 1
        if not m:
            continue
        name = m.group(1)
        if name not in TABLES:
            sys.exit("%s: unknown table %r (known: %s)" % (path, name, ", ".join(TABLES)))
        end = "<!-- bench_tables:end %s -->" % name
        try:
            j = lines.index(end, i)
        except ValueError:
            sys.exit("%s: table %r has no end marker" % (path, name))
        out += generate(name) + [end]
        i = j + 1
    return "\n".join(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if a doc differs from what would be generated")
    args = parser.parse_args()
    differ = []
    for path in DOCS:
        full = os.path.join(ROOT, path)
        with open(full) as f:
            text = f.read()
        new = render(text, path)
        if new == text:
            continue
        if args.check:
            differ.append(path)
        else:
            with open(full, "w") as f:
                f.write(new)
            print("bench_tables: rewrote " + path)
    if differ:
        print("bench_tables: out of date: %s (run scripts/bench_tables.py)" % ", ".join(differ),
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
