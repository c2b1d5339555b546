"""Run folders from Python: mnemo.train (the CLI's trainer), mnemo.load_run
and mnemo.load_config. Reading never writes: a run folder is changed only by
train, which holds its lock as `mnemo train` does."""

import csv
import io
import json
import os
import re
import stat

import numpy as np

from . import _mnemo
from .policy import load_policy


def _read_text(path):
    """The text of the regular file at path (never through a link or from a
    FIFO, as the C++ readers); None when it does not exist."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        return None
    except OSError as e:
        raise ValueError(f"{path}: cannot open file: {e.strerror}") from None
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
            raise ValueError(f"{path}: not a regular file")
        return f.read().decode("utf-8", errors="replace")


def _metrics(text):
    """metrics.csv's columns as numpy arrays (a DataFrame when pandas is
    importable); a row cut short by a killed run is left out."""
    rows = list(csv.reader(io.StringIO(text)))
    header, body = (rows[0], rows[1:]) if rows else ([], [])
    body = [r for r in body if len(r) == len(header)]
    columns = {}
    for i, name in enumerate(header):
        values = [float(r[i]) if r[i] not in ("", "null") else np.nan for r in body]
        integral = name in ("iteration", "episodes", "env_steps", "unstable_episodes")
        columns[name] = np.array(values, dtype=np.int64 if integral else np.float64)
    try:
        import pandas
    except ImportError:
        return columns
    return pandas.DataFrame(columns)


class Run:
    """A training run folder: dir, config (the resolved config, a dict),
    metrics (metrics.csv), summary (summary.json, None while running),
    policies ("best", "latest": mnemo.Policy), checkpoints (iteration ->
    path; checkpoint(iteration) loads one)."""

    def __init__(self, path):
        self.dir = str(path)
        config_path = os.path.join(self.dir, "config.yaml")
        if _read_text(config_path) is None:
            if not os.path.isdir(self.dir):
                raise FileNotFoundError(f"{self.dir}: no such run folder")
            raise ValueError(f"{self.dir}: not a run folder (no config.yaml)")
        self.config = _mnemo.load_config(config_path, [])
        self.metrics = _metrics(_read_text(os.path.join(self.dir, "metrics.csv")) or "")
        summary = _read_text(os.path.join(self.dir, "summary.json"))
        self.summary = json.loads(summary) if summary else None
        self.policies = {}
        for name in ("best", "latest"):
            path = os.path.join(self.dir, f"policy_{name}.json")
            if os.path.lexists(path):
                self.policies[name] = load_policy(path)
        self.checkpoints = {}
        folder = os.path.join(self.dir, "checkpoints")
        for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
            match = re.fullmatch(r"policy_(\d+)\.json", name)
            if match:
                self.checkpoints[int(match.group(1))] = os.path.join(folder, name)

    def checkpoint(self, iteration):
        """The policy checkpointed at ``iteration``."""
        if iteration not in self.checkpoints:
            raise ValueError(f"{self.dir}: no checkpoint of iteration {iteration} "
                             f"(there are {sorted(self.checkpoints)})")
        return load_policy(self.checkpoints[iteration])

    def __repr__(self):
        return f"mnemo.Run({self.dir!r})"


def load_run(path):
    """The run folder at ``path`` (see Run)."""
    return Run(path)


def load_config(path=None, overrides=()):
    """The training config at ``path`` (None: the default config) with
    ``overrides`` ("key=value"), resolved and checked as ``mnemo train``
    does, as a dict."""
    return _mnemo.load_config("" if path is None else str(path), list(overrides))


def train(config=None, overrides=(), out=None, resume=None, callback=None):
    """Runs ``mnemo train CONFIG --set OVERRIDE... --out OUT`` (or ``--resume
    RESUME``) in this process: the same trainer and run folder, the GIL
    released. ``callback(report)`` gets each iteration's report (a dict).
    Ctrl-C abandons the iteration under way (the folder keeps the last
    whole one, and resumes exactly) and raises KeyboardInterrupt. Returns
    summary.json's contents with ``run_dir`` added."""
    summary, run_dir = _mnemo.train_core("" if config is None else str(config), list(overrides),
                                         "" if out is None else str(out),
                                         "" if resume is None else str(resume), callback)
    result = json.loads(summary)
    result["run_dir"] = run_dir
    return result
