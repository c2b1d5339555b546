#!/usr/bin/env python3
"""The overhead of mnemo.rollout against `mnemo rollout-bench` on the same
work: the same task, thread count, batch (4 x threads episodes of the same
small random linear policies from the same seeds), identity normalization
and observation statistics, timed the same way. Prints each side's
environment steps per second and their ratio, rollout-bench's over
mnemo.rollout's (target: at most 1.05): the median of the repeats' ratios,
and the ratio of each side's best repeat, the one least slowed by other
work on a shared machine.

Usage: PYTHONPATH=build/python python3 python/bench_rollout.py
       [--task HalfCheetah] [--threads 2] [--seconds 3] [--repeats 4] [--mnemo build/mnemo]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import numpy as np

# This folder holds mnemo's sources, not the built package: import the
# package PYTHONPATH names.
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path = [p for p in sys.path if os.path.abspath(p or ".") != HERE]
import mnemo  # noqa: E402


def python_rate(task, threads, seconds):
    """Env steps per second of mnemo.rollout on rollout-bench's batch, and
    the steps of one call."""
    env = mnemo.make(task)
    dim = env.observation_space.shape[0] * env.action_space.shape[0]
    batch = 4 * threads
    params = np.stack([0.05 * mnemo._mnemo.normal_stream(7, 0, i, dim) for i in range(batch)])
    seeds = [1000 + i for i in range(batch)]
    def call():
        return int(mnemo.rollout(task, params, episode_seeds=seeds, threads=threads).lengths.sum())

    per_call = call()  # builds the engine (rollout-bench builds it before timing)
    steps, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        steps += call()
    return steps / (time.perf_counter() - start), per_call


def call_cost(task, threads, calls=200):
    """Seconds of one mnemo.rollout call of rollout-bench's batch cut to one
    step per episode: an upper bound on what Python adds to a call."""
    env = mnemo.make(task)
    params = np.zeros((4 * threads, env.observation_space.shape[0] * env.action_space.shape[0]))
    mnemo.rollout(task, params, threads=threads, max_steps=1)
    start = time.perf_counter()
    for _ in range(calls):
        mnemo.rollout(task, params, threads=threads, max_steps=1)
    return (time.perf_counter() - start) / calls


def cli_rate(program, task, threads, seconds):
    """Env steps per second of the engine on `threads` threads in rollout-bench."""
    out = subprocess.run([program, "rollout-bench", "--task", task, "--threads", str(threads),
                          "--seconds", str(seconds), "--json"], capture_output=True, text=True,
                         check=True).stdout
    return json.loads(out)[0]["engine_n_threads_env_steps_per_s"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--task", default="HalfCheetah")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--repeats", type=int, default=4)
    parser.add_argument("--mnemo", default="build/mnemo")
    args = parser.parse_args()
    ratios, best_cli, best_py = [], 0.0, 0.0
    for r in range(args.repeats):  # alternating, so that a busy spell hits both sides
        if r % 2 == 0:
            cli = cli_rate(args.mnemo, args.task, args.threads, args.seconds)
            py, per_call = python_rate(args.task, args.threads, args.seconds)
        else:
            py, per_call = python_rate(args.task, args.threads, args.seconds)
            cli = cli_rate(args.mnemo, args.task, args.threads, args.seconds)
        ratios.append(cli / py)
        best_cli, best_py = max(best_cli, cli), max(best_py, py)
        print(f"repeat {r + 1}: rollout-bench {cli:.0f} env steps/s, mnemo.rollout {py:.0f} "
              f"env steps/s, ratio {cli / py:.3f}")
    cost = call_cost(args.task, args.threads)
    full = per_call / best_py
    print(f"a call of one step per episode takes {cost * 1e3:.2f} ms, {100 * cost / full:.2f}% of "
          f"a call of the whole batch ({full * 1e3:.0f} ms)")
    print(f"{args.task}, {args.threads} threads, {args.repeats} repeats: overhead ratio "
          f"(rollout-bench / mnemo.rollout) median {statistics.median(ratios):.3f}, best against "
          f"best {best_cli / best_py:.3f} (target <= 1.05)")


if __name__ == "__main__":
    main()
