"""Trains HalfCheetah with ARS V2-t from Python: an ask/tell loop over the C++
rollout engine, the same numbers as `mnemo train configs/train/half_cheetah_ars.yaml`.
Usage: PYTHONPATH=build/python python3 examples/train_half_cheetah.py [ITERATIONS [KEY=VALUE...]]"""
import os
import sys

import mnemo

config = os.path.join(os.path.dirname(__file__), "..", "configs", "train", "half_cheetah_ars.yaml")
search = mnemo.Search.from_config(config, overrides=sys.argv[2:])
task, seed = search.config["task"]["name"], search.config["train"]["seed"]
options = {"max_episode_steps": search.config["task"]["max_episode_steps"]}
stats = mnemo.RunningStats(mnemo.make(task).observation_space.shape[0])  # ARS V2's normalizer
for it in range(int(sys.argv[1]) if len(sys.argv) > 1 else 200):
    batch = mnemo.rollout(task, search.ask(), seed=seed, batch=it, train=True, obs_stats=stats,
                          **options)
    batch.merge_obs_stats(stats)
    search.tell(batch.shifted_returns[:, 0], task_returns=batch.returns[:, 0])
    if (it + 1) % 10 == 0 or it == 0:
        score = mnemo.rollout(task, search.theta, episodes_per_candidate=5, seed=seed,
                              batch=it + 1, obs_stats=stats, **options)
        print(f"iteration {it + 1}: evaluation return {score.returns.mean():.1f}", flush=True)
mnemo.Policy(task, search.theta, obs_stats=stats, **options).save("half_cheetah_policy.json")
print("policy: half_cheetah_policy.json")
