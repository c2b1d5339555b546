"""What the Python tests share: the repository, the mnemo program of the same
build, and running it."""

import os
import subprocess
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.environ.get("MNEMO_BINARY_DIR", os.path.join(REPO, "build"))
MNEMO = os.path.join(BUILD, "mnemo")

# A HalfCheetah ARS run of a few seconds: short episodes, few directions.
SMALL_RUN = ["task.max_episode_steps=60", "search.directions=4", "search.top_directions=2",
             "train.max_iterations=4", "train.max_episodes=0", "train.eval_every=2",
             "train.eval_episodes=2", "train.threads=2", "train.checkpoint_every=2",
             "train.snapshot_every=2"]


def run_mnemo(*args, check=True):
    """Runs build's mnemo with args in the repository; the finished process."""
    done = subprocess.run([MNEMO, *map(str, args)], cwd=REPO, capture_output=True, text=True)
    if check and done.returncode != 0:
        raise AssertionError(f"mnemo {' '.join(map(str, args))}: {done.stderr}")
    return done


def cli_error(*args):
    """The one-line message `mnemo args` fails with (after "mnemo: error: ")."""
    done = run_mnemo(*args, check=False)
    assert done.returncode == 2, done.stderr
    line = done.stderr.strip().splitlines()[-1]
    assert line.startswith("mnemo: error: "), line
    return line[len("mnemo: error: "):]


def python_env():
    """The environment of a child Python that imports this mnemo module."""
    import mnemo

    return dict(os.environ, PYTHONPATH=os.path.dirname(os.path.dirname(mnemo.__file__)))


def run_python(script, *args, cwd=REPO, timeout=120):
    """Runs a Python script with this interpreter and this mnemo module; the
    finished process."""
    return subprocess.run([sys.executable, script, *map(str, args)], cwd=cwd, env=python_env(),
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture(autouse=True)
def _in_repository(monkeypatch):
    """Tests run in the repository, as the CLI's do (configs/ by relative path)."""
    monkeypatch.chdir(REPO)
