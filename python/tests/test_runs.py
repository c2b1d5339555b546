"""Run folders: mnemo.train writes what `mnemo train` writes, Ctrl-C keeps the
last whole iteration, load_run and load_policy read them, errors match the
CLI's."""

import fcntl
import filecmp
import json
import os
import shutil
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

import mnemo
from conftest import SMALL_RUN, cli_error, python_env, run_mnemo

CONFIG = "configs/train/half_cheetah_ars.yaml"


def same_except_wall_time(a, b, name):
    """Whether the metrics or summary files `name` of folders a and b agree
    in everything but the wall time."""
    if name == "summary.json":
        x, y = (json.load(open(os.path.join(d, name))) for d in (a, b))
        x.pop("wall_seconds"), y.pop("wall_seconds")
        return x == y
    x, y = (mnemo.load_run(d).metrics for d in (a, b))
    return all(np.array_equal(x[k], y[k], equal_nan=True) for k in x if k != "wall_seconds")


def files_of(folder):
    """The files under folder, relative to it."""
    return sorted(os.path.relpath(os.path.join(d, f), folder)
                  for d, _, files in os.walk(folder) for f in files)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The same small run made by the CLI and by mnemo.train."""
    root = tmp_path_factory.mktemp("runs")
    os.chdir(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    run_mnemo("train", CONFIG, *[a for o in SMALL_RUN for a in ("--set", o)], "--out",
              root / "cli")
    reports = []
    summary = mnemo.train(CONFIG, SMALL_RUN, out=root / "py", callback=reports.append)
    return root / "cli", root / "py", summary, reports


def test_train_writes_the_cli_run_folder(runs):
    cli, py, summary, reports = runs
    assert files_of(cli) == files_of(py)
    varying = {"metrics.csv", "metrics.jsonl", "summary.json", "sessions.csv", "state.bin", ".lock"}
    for name in files_of(cli):
        if name not in varying:
            assert filecmp.cmp(cli / name, py / name, shallow=False), name
    assert same_except_wall_time(cli, py, "metrics.csv")
    assert same_except_wall_time(cli, py, "summary.json")
    assert summary["run_dir"] == str(py) and summary["iterations"] == 4
    assert [r["iteration"] for r in reports] == [1, 2, 3, 4]


def test_load_run_and_policies(runs):
    _, py, summary, _ = runs
    run = mnemo.load_run(py)
    np.testing.assert_array_equal(run.metrics["iteration"], [1, 2, 3, 4])
    assert np.isnan(run.metrics["eval_return_mean"][0])
    assert run.config["task"]["name"] == "HalfCheetah" and run.config["search"]["directions"] == 4
    assert run.summary["final_eval_return"] == summary["final_eval_return"]
    assert sorted(run.checkpoints) == [2, 4]
    latest = run.policies["latest"]
    np.testing.assert_array_equal(latest.params, run.checkpoint(4).params)
    assert latest.task_options["max_episode_steps"] == 60
    assert latest(np.zeros(17)).shape == (6,)
    evaluated = mnemo.rollout("HalfCheetah", latest.params, policy=latest,
                              episodes_per_candidate=2, seed=1, batch=4)
    assert evaluated.returns.mean() == pytest.approx(summary["final_eval_return"], rel=1e-12)


def test_callback_interrupt_keeps_the_last_whole_iteration(runs, tmp_path):
    cli = runs[0]

    def stop_after_two(report):
        if report["iteration"] == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        mnemo.train(CONFIG, SMALL_RUN, out=tmp_path / "run", callback=stop_after_two)
    assert len(mnemo.load_run(tmp_path / "run").metrics["iteration"]) == 2
    mnemo.train(resume=tmp_path / "run")
    assert same_except_wall_time(cli, tmp_path / "run", "metrics.csv")
    assert filecmp.cmp(cli / "policy_latest.json", tmp_path / "run" / "policy_latest.json", False)


def test_ctrl_c_in_training(tmp_path):
    script = ("import mnemo; mnemo.train('%s', ['task.max_episode_steps=1000', "
              "'search.directions=16', 'train.max_iterations=40', 'train.max_episodes=0', "
              "'train.threads=2'], out='%s')" % (CONFIG, tmp_path / "run"))
    child = subprocess.Popen([sys.executable, "-c", script], stderr=subprocess.PIPE, text=True,
                             env=python_env())
    metrics = tmp_path / "run" / "metrics.csv"
    deadline = time.time() + 60
    while time.time() < deadline and (not metrics.exists() or
                                      len(metrics.read_text().splitlines()) < 2):
        time.sleep(0.05)
    child.send_signal(signal.SIGINT)
    _, err = child.communicate(timeout=60)
    assert child.returncode != 0 and "KeyboardInterrupt" in err
    done = len(mnemo.load_run(tmp_path / "run").metrics["iteration"])
    assert 1 <= done < 40
    state = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert state["iterations"] == done  # the folder holds whole iterations only


def folder_bytes(folder):
    """Every file under folder with its bytes."""
    return {name: (folder / name).read_bytes() for name in files_of(folder)}


def test_no_call_changes_a_run_folder_it_may_not_write(runs, tmp_path):
    run = tmp_path / "run"
    shutil.copytree(runs[1], run)
    before = folder_bytes(run)
    # Readers never write.
    loaded = mnemo.load_run(run)
    loaded.checkpoint(2), mnemo.load_policy(run / "policy_best.json")
    assert folder_bytes(run) == before
    # A folder another writer holds is refused, as by the CLI, and left as it was.
    with open(run / ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(ValueError, match="in use by another mnemo process"):
            mnemo.train(resume=run)
    assert folder_bytes(run) == before


def test_errors_are_the_cli_messages(tmp_path):
    missing = tmp_path / "missing.json"
    with pytest.raises(FileNotFoundError) as e:
        mnemo.load_policy(missing)
    assert str(e.value) == cli_error("eval", missing)
    damaged = tmp_path / "damaged.json"
    damaged.write_text('{"task": "HalfCheetah", "kind": "linear"')
    with pytest.raises(ValueError) as e:
        mnemo.load_policy(damaged)
    assert str(e.value) == cli_error("eval", damaged)
    with pytest.raises(ValueError) as e:
        mnemo.train(CONFIG, ["train.sed=3"], out=tmp_path / "never")
    assert str(e.value) == cli_error("train", CONFIG, "--set", "train.sed=3", "--out",
                                     tmp_path / "never")
    assert not (tmp_path / "never").exists()
    with pytest.raises(FileNotFoundError):
        mnemo.load_run(tmp_path / "nowhere")
