"""mnemo.gym.register(): the tasks as Gymnasium environments
("mnemo/HalfCheetah-v5", ...) when gymnasium is importable (it is not a
Debian package, so this is optional)."""

import numpy as np

from . import _mnemo
from .env import Env


def make_gym_env(task, render_mode=None, **task_options):
    """A gymnasium.Env of ``task`` (gymnasium.make calls this)."""
    import gymnasium

    class GymEnv(gymnasium.Env):
        """mnemo.Env with gymnasium's spaces."""

        def __init__(self):
            self.env = Env(task, render_mode=render_mode, **task_options)
            self.metadata = self.env.metadata
            self.render_mode = render_mode
            core = self.env
            self.observation_space = gymnasium.spaces.Box(
                -np.inf, np.inf, core.observation_space.shape, np.float64)
            self.action_space = gymnasium.spaces.Box(
                core.action_space.low, core.action_space.high, core.action_space.shape,
                np.float64)

        def reset(self, *, seed=None, options=None):
            super().reset(seed=seed)
            return self.env.reset(seed=seed, options=options)

        def step(self, action):
            return self.env.step(action)

        def render(self):
            return self.env.render()

        def close(self):
            self.env.close()

    return GymEnv()


def register(prefix="mnemo/"):
    """Registers every task as ``<prefix><Task>-v5``; returns the ids ([]
    when gymnasium is not importable)."""
    try:
        import gymnasium
    except ImportError:
        return []
    ids = []
    for task in _mnemo.tasks():
        env_id = f"{prefix}{task}-v5"
        if env_id not in gymnasium.registry:
            gymnasium.register(id=env_id, entry_point="mnemo.gym:make_gym_env",
                               kwargs={"task": task})
        ids.append(env_id)
    return ids
