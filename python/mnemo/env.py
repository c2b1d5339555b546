"""mnemo.make: the project's MuJoCo tasks as Gymnasium-style environments,
stepped by the same C++ Env as training (python/src/env_binding.cc)."""

import numpy as np

from . import _mnemo
from .spaces import Box


class Env:
    """One task (Gymnasium API: reset, step, render, close, the spaces).

    ``reset(seed=s)`` starts the episode the C++ rollouts start from episode
    seed s; ``reset()`` without a seed starts the next one after it (seed 0
    when none was ever given). ``step`` returns ``terminated`` when the robot
    is unhealthy (Gymnasium v5's rule; also when the simulation went
    unstable, then ``info["unstable"]``) and ``truncated`` at the time limit;
    ``info`` holds the step's reward terms.
    """

    def __init__(self, task, xml=None, render_mode=None, width=480, height=480, **task_options):
        options = dict(task_options)
        if xml is not None:
            options["xml"] = str(xml)
        self._core = _mnemo.EnvCore(task, options)
        core = self._core
        self.observation_space = Box(-np.inf, np.inf, (core.obs_dim,))
        self.action_space = Box(core.action_low, core.action_high, (core.act_dim,))
        self.render_mode = render_mode
        self.width, self.height = width, height
        self.metadata = {"render_modes": ["rgb_array"], "render_fps": round(1.0 / core.dt)}
        self.spec = None

    @property
    def task(self):
        """The task's name."""
        return self._core.name

    @property
    def task_options(self):
        """The options the task was built with (those of mnemo.make)."""
        return self._core.options

    @property
    def reward_terms(self):
        """The names of the reward terms in a step's info."""
        return self._core.reward_terms

    @property
    def dt(self):
        """Seconds of simulated time per step."""
        return self._core.dt

    @property
    def unwrapped(self):
        return self

    def reset(self, *, seed=None, options=None):
        """Starts an episode; returns (observation, info)."""
        return self._core.reset(seed), {}

    def step(self, action):
        """Applies an action; returns (obs, reward, terminated, truncated, info)."""
        obs, reward, terminated, truncated, info, unstable = self._core.step(action)
        if unstable:
            info["unstable"] = True
        return obs, reward, terminated, truncated, info

    def render(self):
        """The current state as an RGB array [height, width, 3] (uint8), drawn
        by MuJoCo offscreen; RuntimeError when no OpenGL context can be made."""
        return self._core.render(self.width, self.height)

    def close(self):
        """Frees the renderer."""
        self._core.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self):
        return f"mnemo.Env({self.task!r})"


def make(task, xml=None, **task_options):
    """The environment of ``task`` (see mnemo.tasks()), optionally on another
    MJCF file; task_options: max_episode_steps, use_contact_forces,
    reset_noise_scale (as a config's task section), render_mode, width,
    height."""
    return Env(task, xml=xml, **task_options)
