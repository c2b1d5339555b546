"""Returns of perturbation policies around theta = 0 under the normalizer
statistics after iterations 1 and 6 of a Walker2d x4 run (research/agreement-target)."""
import sys

import numpy as np
import mnemo

run = sys.argv[1]  # a run folder made with train.checkpoint_every=1
rng = np.random.default_rng(0)
p = {i: mnemo.load_policy(f"{run}/checkpoints/policy_{i:06d}.json") for i in (1, 6)}
D = p[1].params.size
deltas = 0.025 * rng.standard_normal((80, D))
for i in (1, 6):
    r = mnemo.rollout("Walker2d", deltas, policy=p[i], episodes_per_candidate=1, seed=5, threads=2)
    print(i, "mean return %.1f, mean length %.1f" % (r.returns.mean(), r.lengths.mean()))
# Same perturbations around theta_0 = 0 with identity statistics (as at iteration 1's start).
r = mnemo.rollout("Walker2d", deltas, policy="linear", episodes_per_candidate=1, seed=5, threads=2)
print("no normalization: mean return %.1f, mean length %.1f" % (r.returns.mean(), r.lengths.mean()))
