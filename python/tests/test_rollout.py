"""mnemo.rollout: the C++ engine's batches, the same whatever the thread
count, the same episodes as `mnemo eval`, and Ctrl-C."""

import json
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

import mnemo
from conftest import python_env, run_mnemo


def test_same_results_on_one_thread_and_two():
    params = np.random.default_rng(1).normal(scale=0.2, size=(5, 11 * 3))
    one = mnemo.rollout("Hopper", params, episodes_per_candidate=2, seed=4, threads=1)
    two = mnemo.rollout("Hopper", params, episodes_per_candidate=2, seed=4, threads=2)
    assert one.returns.shape == (5, 2) and one.lengths.dtype == np.int64
    np.testing.assert_array_equal(one.returns, two.returns)
    np.testing.assert_array_equal(one.lengths, two.lengths)
    np.testing.assert_array_equal(one.reward_terms, two.reward_terms)
    assert len(one.obs_stats) == 10 and one.obs_stats[3].count == one.lengths[1, 1]
    merged = one.merge_obs_stats(mnemo.RunningStats(11))
    assert merged.count == one.lengths.sum()
    np.testing.assert_allclose(one.reward_terms.sum(axis=2), one.returns)


def test_equals_mnemo_eval(tmp_path):
    rng = np.random.default_rng(2)
    stats = mnemo.rollout("HalfCheetah", np.zeros((2, 102)), max_steps=200).merge_obs_stats(
        mnemo.RunningStats(17))
    policy = mnemo.Policy("HalfCheetah", rng.normal(scale=0.1, size=102), obs_stats=stats)
    policy.save(tmp_path / "policy.json")
    cli = json.loads(run_mnemo("eval", tmp_path / "policy.json", "--episodes", 3, "--seed", 5,
                               "--max-steps", 300, "--json").stdout)
    loaded = mnemo.load_policy(tmp_path / "policy.json")
    np.testing.assert_array_equal(loaded.params, policy.params)
    ours = mnemo.rollout("HalfCheetah", loaded.params[None], policy=loaded,
                         episodes_per_candidate=3, seed=5, max_episode_steps=300)
    assert ours.returns[0].tolist() == cli["returns"]  # bit for bit
    assert ours.lengths[0].tolist() == cli["lengths"]


def test_bad_params():
    with pytest.raises(ValueError, match=r"params has shape \(2, 5\), expected \(K, 33\)"):
        mnemo.rollout("Hopper", np.zeros((2, 5)))
    with pytest.raises(ValueError, match=r"params\[4\] is inf"):
        mnemo.rollout("Hopper", np.r_[np.zeros(4), np.inf, np.zeros(28)])
    with pytest.raises(ValueError, match="unknown policy"):
        mnemo.rollout("Hopper", np.zeros(33), policy="quadratic")


def test_ctrl_c_abandons_a_batch():
    script = ("import numpy as np, mnemo\n"
              "print('started', flush=True)\n"
              "try:\n"
              "    mnemo.rollout('HalfCheetah', np.zeros((400, 102)), threads=2)\n"
              "except KeyboardInterrupt:\n"
              "    print('interrupted', flush=True)\n"
              "print(mnemo.rollout('Hopper', np.zeros(33), max_steps=5).lengths[0, 0])\n")
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True,
                             env=python_env())
    assert child.stdout.readline() == "started\n"
    time.sleep(0.5)  # 400 episodes of 1000 steps take seconds
    child.send_signal(signal.SIGINT)
    out, _ = child.communicate(timeout=30)
    assert out.split() == ["interrupted", "5"]  # and the module still works
