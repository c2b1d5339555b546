"""Mnemosyne from Python: the toolkit's C++ code (environments, rollouts,
search methods, updaters, the trainer, run folders) with the same numbers
as the ``mnemo`` CLI. docs/PYTHON.md describes it; make it importable with
``PYTHONPATH=build/python``."""

from . import _mnemo
from ._mnemo import RunningStats, tasks, updaters
from .env import Env, make
from .policy import Policy, load_policy
from .rollouts import Rollouts, rollout
from .runs import Run, load_config, load_run, train
from .search import Optimizer, Search
from . import gym

__all__ = ["Env", "Optimizer", "Policy", "Rollouts", "Run", "RunningStats", "Search", "gym",
           "load_config", "load_policy", "load_run", "make", "rollout", "tasks", "train",
           "updaters"]
