"""mnemo.Policy and mnemo.load_policy: a policy at its parameters, callable
on raw observations (normalized with its own statistics, then the C++
policy's Act), the same numbers as training and `mnemo eval`."""

from . import _mnemo


class Policy:
    """A policy of ``kind`` (linear, mlp, toeplitz) for ``task`` at ``params``.

    ``policy(obs)`` gives the action. ``obs_stats`` (a RunningStats, or None
    for none yet) normalizes observations when ``normalize``. Attributes:
    task, kind, hidden, params, obs_stats, normalize, clip_actions, obs_dim,
    act_dim, task_options (a loaded policy's run's), path (a loaded one's).
    """

    def __init__(self, task, params, kind="linear", hidden=(), obs_stats=None, normalize=True,
                 clip_actions=False, xml=None, **task_options):
        if xml is not None:
            task_options["xml"] = str(xml)
        self._core = _mnemo.PolicyCore(task, task_options, params, kind, list(hidden), obs_stats,
                                       normalize, clip_actions)

    @classmethod
    def _of(cls, core):
        policy = cls.__new__(cls)
        policy._core = core
        return policy

    def __call__(self, obs):
        return self._core(obs)

    def __getattr__(self, name):
        if name == "_core":
            raise AttributeError(name)
        return getattr(self._core, name)

    def save(self, path):
        """Writes the policy file (the format of a run folder's policies)."""
        self._core.save(str(path))

    def __repr__(self):
        return f"mnemo.Policy({self.task!r}, kind={self.kind!r}, {len(self.params)} params)"


def load_policy(path):
    """The policy in a policy file (e.g. RUN/policy_best.json), with the task
    options of the run it lies in."""
    return Policy._of(_mnemo.load_policy_core(str(path)))
