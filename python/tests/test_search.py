"""mnemo.Search and mnemo.Optimizer: ask/tell on numpy objectives, exact
state round trips, learned weights checked, and a Python loop over
mnemo.rollout that reproduces `mnemo train`'s metrics bit for bit."""

import shutil

import numpy as np
import pytest

import mnemo
from conftest import SMALL_RUN, run_mnemo

WEIGHTS = "configs/weights/mnemosyne.weights"


def sphere(xs):
    """Fitness (larger is better) of each row: minus its squared distance to 1."""
    return -((np.atleast_2d(xs) - 1.0) ** 2).sum(axis=1)


def test_ask_tell_on_a_numpy_objective():
    for optimizer in ("nominal", {"type": "mnemosyne", "weights": WEIGHTS}):
        search = mnemo.Search("ars", dim=5, optimizer=optimizer, directions=8, sigma=0.1,
                              step_size=0.05, max_iterations=150)
        start = sphere(search.theta)[0]
        for _ in range(150):
            xs = search.ask()
            assert xs.shape == (16, 5)
            search.tell(sphere(xs))
        assert sphere(search.theta)[0] > 0.1 * start and search.iteration == 150
    cma = mnemo.Search("cma_es", dim=3, sigma=0.5, population=8)
    for _ in range(40):
        cma.tell(sphere(cma.ask()))
    assert sphere(cma.theta)[0] > -1e-2 and cma.sigma is None


def test_state_dict_continues_exactly():
    a = mnemo.Search("openai_es", dim=4, optimizer="adam", directions=6, sigma=0.2, seed=3)
    for _ in range(3):
        a.tell(sphere(a.ask()))
    b = mnemo.Search("openai_es", dim=4, optimizer="adam", directions=6, sigma=0.2)
    b.load_state_dict(a.state_dict())
    for _ in range(3):
        a.tell(sphere(a.ask()))
        b.tell(sphere(b.ask()))
    np.testing.assert_array_equal(a.theta, b.theta)
    with pytest.raises(ValueError, match="a state of openai_es"):
        mnemo.Search("ars", dim=4).load_state_dict(a.state_dict())


def test_bad_search_input():
    search = mnemo.Search("ars", dim=2, directions=2)
    with pytest.raises(ValueError, match="call ask"):
        search.tell(np.zeros(4))
    search.ask()
    with pytest.raises(ValueError, match=r"fitness has shape \(3,\), expected \(4,\)"):
        search.tell(np.zeros(3))
    with pytest.raises(ValueError, match=r"fitness\[1\] is nan"):
        search.tell([0, np.nan, 0, 0])
    with pytest.raises(ValueError, match="unknown search method 'arz'"):
        mnemo.Search("arz", dim=2)
    with pytest.raises(ValueError, match="search.directions"):
        mnemo.Search("ars", dim=2, directions=0)


def test_optimizers_on_their_own(tmp_path):
    for name, hyper in [("adam", {"lr": 0.1}), ("mnemosyne", {"weights": WEIGHTS})]:
        opt = mnemo.Optimizer(name, dim=3, theta=np.full(3, 4.0), **hyper)
        for _ in range(100):
            opt.step(-2 * opt.theta, sigma=0.1)  # minimise |theta|^2
        assert np.abs(opt.theta).max() < 4.0 and opt.iteration == 100
    damaged = tmp_path / "damaged.weights"
    data = bytearray(open(WEIGHTS, "rb").read())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))
    with pytest.raises(ValueError, match="damaged.weights"):
        mnemo.Optimizer("mnemosyne", dim=3, weights=damaged)
    with pytest.raises(FileNotFoundError, match="missing.weights"):
        mnemo.Optimizer("mnemosyne", dim=3, weights=tmp_path / "missing.weights")


def test_a_learned_optimizers_meta_parameters(tmp_path):
    # The run-path controller on the adaptive step: a constant run-level
    # log-gain U = 0.5 (the bias of run.output) multiplies every step by
    # e^0.5; written to a file, it loads as the same optimizer.
    opt = mnemo.Optimizer("mnemosyne", dim=4, adaptive_anchor=True, run_path_only=True)
    plain = mnemo.Optimizer("mnemosyne", dim=4, adaptive_anchor=True, run_path_only=True)
    offset, rows, cols = opt.meta_layout["run.output.bias"]
    assert (rows, cols) == (2, 1)
    p = opt.meta_params
    assert len(p) == 274 and not p[offset:offset + 2].any()
    p[offset] = 0.5
    opt.meta_params = p
    ascent = np.array([1.0, -2.0, 0.5, 3.0])
    step = opt.step(ascent, sigma=0.1, fitness=[1.0, 2.0])
    base = plain.step(ascent, sigma=0.1, fitness=[1.0, 2.0])
    np.testing.assert_allclose(step, np.exp(0.5) * base, rtol=1e-12)
    opt.save_weights(tmp_path / "u.weights")
    loaded = mnemo.Optimizer("mnemosyne", dim=4, weights=tmp_path / "u.weights")
    np.testing.assert_array_equal(loaded.meta_params, p)
    with pytest.raises(ValueError, match="hand-designed: it has no meta-parameters"):
        mnemo.Optimizer("adam", dim=2).meta_params
    with pytest.raises(ValueError, match="meta_params"):
        opt.meta_params = np.zeros(3)
    with pytest.raises(ValueError, match="finite"):
        opt.meta_params = np.full(274, np.nan)


def python_training(config, overrides):
    """The metrics rows `mnemo train config --set overrides` writes, computed
    by an ask/tell loop over mnemo.rollout (wall_seconds left out)."""
    search = mnemo.Search.from_config(config, overrides)
    c = search.config
    task, seed, t = c["task"]["name"], c["train"]["seed"], c["train"]
    options = {"max_episode_steps": c["task"]["max_episode_steps"]}
    normalize = c["policy"]["normalize_observations"]
    stats = mnemo.RunningStats(mnemo.make(task, **options).observation_space.shape[0])
    rows, episodes, env_steps, unstable = [], 0, 0, 0
    for it in range(t["max_iterations"]):
        batch = mnemo.rollout(task, search.ask(), seed=seed, batch=it, train=True, obs_stats=stats,
                              normalize=normalize, reward_shift=c["task"]["reward_shift"],
                              **options)
        if normalize:
            batch.merge_obs_stats(stats)
        step = search.tell(batch.shifted_returns[:, 0], task_returns=batch.returns[:, 0])
        returns = batch.returns[:, 0]
        episodes += len(returns)
        env_steps += int(batch.lengths.sum())
        unstable += int(batch.unstable.sum())
        train_mean = 0.0
        for r in returns:
            train_mean += r / len(returns)
        eval_mean = eval_std = float("nan")
        if (it + 1) % t["eval_every"] == 0 or it + 1 == t["max_iterations"]:
            e = mnemo.rollout(task, search.theta, episodes_per_candidate=t["eval_episodes"],
                              seed=seed, batch=it + 1, obs_stats=stats, normalize=normalize,
                              **options)
            env_steps += int(e.lengths.sum())
            eval_mean = eval_var = 0.0
            for r in e.returns[0]:
                eval_mean += r / t["eval_episodes"]
            for r in e.returns[0]:
                eval_var += (r - eval_mean) * (r - eval_mean) / t["eval_episodes"]
            eval_std = np.sqrt(eval_var)
        rows.append([it + 1, episodes, env_steps, train_mean, returns.max(), eval_mean, eval_std,
                     step["ascent_norm"], step["step_norm"], unstable])
    return rows


# Hopper's adaptive rule reads the unshifted returns beside the shifted
# fitness (a step large enough for its collapse tests to matter).
@pytest.mark.parametrize("config,extra", [
    ("half_cheetah_ars", []), ("half_cheetah_mnemosyne", []),
    ("hopper_ars", ["optimizer={type: nominal_adaptive}", "search.step_size=0.2"])])
def test_python_loop_reproduces_mnemo_train(config, extra, tmp_path):
    path = f"configs/train/{config}.yaml"
    overrides = SMALL_RUN + extra
    run_mnemo("train", path, *[a for o in overrides for a in ("--set", o)], "--out",
              tmp_path / "cli")
    cli = mnemo.load_run(tmp_path / "cli").metrics
    columns = ["iteration", "episodes", "env_steps", "train_return_mean", "train_return_max",
               "eval_return_mean", "eval_return_std", "ascent_norm", "step_norm",
               "unstable_episodes"]
    expected = np.array([cli[k] for k in columns], dtype=float).T
    ours = python_training(path, overrides)
    assert len(ours) == len(expected) == 4
    for a, b in zip(ours, expected):
        np.testing.assert_array_equal(np.array(a, dtype=float), np.array(b))  # NaN == NaN
    shutil.rmtree(tmp_path / "cli")
