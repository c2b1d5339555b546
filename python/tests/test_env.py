"""mnemo.make: Gymnasium's API (shapes, dtypes, seeding, v5's terminated and
truncated), bit-for-bit parity with the C++ rollout engine, and errors."""

import numpy as np
import pytest

import mnemo
from conftest import cli_error


def test_tasks_and_spaces():
    assert mnemo.tasks() == ["Ant", "HalfCheetah", "Hopper", "Humanoid", "Swimmer", "Walker2d"]
    env = mnemo.make("HalfCheetah")
    assert env.observation_space.shape == (17,)
    assert env.action_space.shape == (6,)
    assert env.action_space.low.dtype == np.float64
    np.testing.assert_array_equal(env.action_space.low, -np.ones(6))
    np.testing.assert_array_equal(env.action_space.high, np.ones(6))
    obs, info = env.reset(seed=3)
    assert obs.dtype == np.float64 and obs.shape == (17,) and info == {}
    assert env.observation_space.contains(obs)
    assert env.action_space.contains(env.action_space.sample())
    assert mnemo.make("Ant", use_contact_forces=False).observation_space.shape == (27,)


def test_reset_seeding():
    env = mnemo.make("Hopper")
    first, _ = env.reset(seed=5)
    following, _ = env.reset()
    again, _ = env.reset(seed=5)
    np.testing.assert_array_equal(first, again)
    env.reset(seed=5)
    np.testing.assert_array_equal(following, env.reset()[0])
    assert not np.array_equal(first, env.reset(seed=6)[0])
    assert not np.array_equal(first, following)


def test_v5_terminated_and_truncated():
    cheetah = mnemo.make("HalfCheetah", max_episode_steps=20)
    cheetah.reset(seed=1)
    for t in range(20):
        _, reward, terminated, truncated, info = cheetah.step(np.full(6, 0.3))
        assert not terminated and truncated == (t == 19)
        assert set(info) == set(cheetah.reward_terms)
        assert reward == pytest.approx(sum(info.values()))
    with pytest.raises(ValueError, match="call reset"):
        cheetah.step(np.zeros(3 * 2))
    hopper = mnemo.make("Hopper")
    hopper.reset(seed=1)
    for t in range(1000):
        _, _, terminated, truncated, _ = hopper.step(np.ones(3))
        if terminated:
            break
    assert terminated and not truncated and t < 999  # it fell: unhealthy, v5 terminates


@pytest.mark.parametrize("task,steps", [("HalfCheetah", 120), ("Hopper", 1000)])
def test_python_episode_equals_engine_episode(task, steps):
    env = mnemo.make(task, max_episode_steps=steps)
    dim = env.observation_space.shape[0] * env.action_space.shape[0]
    params = np.random.default_rng(0).normal(scale=0.3, size=dim)
    stats = mnemo.RunningStats(env.observation_space.shape[0])
    stats.merge(mnemo.rollout(env, params, seed=9).obs_stats)  # a real normalization
    policy = mnemo.Policy(task, params, obs_stats=stats, max_episode_steps=steps)
    obs, _ = env.reset(seed=12345)
    total, length, done = 0.0, 0, False
    while not done:
        obs, reward, terminated, truncated, _ = env.step(policy(obs))
        total, length, done = total + reward, length + 1, terminated or truncated
    engine = mnemo.rollout(env, params, policy=policy, episode_seeds=[12345], threads=1)
    assert engine.returns[0, 0] == total  # bit for bit
    assert engine.lengths[0, 0] == length


def test_bad_inputs():
    env = mnemo.make("HalfCheetah")
    env.reset(seed=0)
    with pytest.raises(ValueError, match=r"HalfCheetah: action has shape \(5,\), expected \(6,\)"):
        env.step(np.zeros(5))
    with pytest.raises(ValueError, match=r"HalfCheetah: action\[2\] is nan"):
        env.step([0, 0, np.nan, 0, 0, 0])
    with pytest.raises(ValueError) as unknown:
        mnemo.make("HalfCheeta")
    assert str(unknown.value) == cli_error("rollout-bench", "--task", "HalfCheeta")
    with pytest.raises(ValueError, match="max_episode_steps"):
        mnemo.make("Hopper", max_episode_steps=0)
    with pytest.raises(ValueError, match="task.colour: unknown key"):
        mnemo.make("Hopper", colour="red")
    with pytest.raises(FileNotFoundError, match="no_such_robot.xml"):
        mnemo.make("Hopper", xml="no_such_robot.xml")


def test_render_or_clear_error():
    env = mnemo.make("HalfCheetah", width=64, height=48)
    env.reset(seed=0)
    try:
        frame = env.render()
    except RuntimeError as e:
        assert "no OpenGL context" in str(e)
        pytest.skip(str(e))
    assert frame.shape == (48, 64, 3) and frame.dtype == np.uint8
    assert frame.std() > 0  # a picture, not a blank
    env.close()


def test_gymnasium_registration():
    gymnasium = pytest.importorskip("gymnasium")
    assert "mnemo/Hopper-v5" in mnemo.gym.register()
    env = gymnasium.make("mnemo/Hopper-v5")
    obs, _ = env.reset(seed=1)
    assert obs.shape == (11,)
