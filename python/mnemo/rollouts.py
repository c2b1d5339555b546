"""mnemo.rollout: batches of episodes on the C++ rollout engine (threads,
no Python in the loop, the GIL released), deterministic whatever the
thread count."""

from . import _mnemo
from .env import Env
from .policy import Policy


class Rollouts:
    """The episodes of a batch, K candidates x E episodes each.

    returns, shifted_returns (reward - reward_shift per step), lengths,
    terminated (unhealthy), unstable: arrays [K, E]; reward_terms [K, E, T]
    named by reward_term_names; obs_stats: each episode's observation
    statistics (RunningStats), candidate by candidate.
    """

    def __init__(self, fields):
        self.__dict__.update(fields)

    def merge_obs_stats(self, into):
        """Merges every episode's statistics into ``into`` in order (as
        training does after each batch); returns it."""
        into.merge(self.obs_stats)
        return into

    def __repr__(self):
        k, e = self.returns.shape
        return f"Rollouts({k} candidates x {e} episodes, mean return {self.returns.mean():.1f})"


def rollout(task, params, policy="linear", episodes_per_candidate=1, seed=1, threads=0, *,
            batch=0, train=False, episode_seeds=None, obs_stats=None, normalize=None,
            reward_shift=0.0, max_steps=None, hidden=(), clip_actions=False, xml=None,
            **task_options):
    """Runs ``episodes_per_candidate`` episodes of each row of ``params``
    [K, D] on ``task`` (a name or a mnemo.Env) and returns Rollouts.

    ``policy``: a kind ("linear", "mlp" with ``hidden``, "toeplitz") or a
    mnemo.Policy, whose architecture, statistics and run's task options are
    the defaults. Episode i (candidate by candidate) resets from the seed a
    training run of seed ``seed`` gives episode i of evaluation key
    ``batch`` (``mnemo eval --seed`` uses key 0), or of training batch
    ``batch`` with ``train=True``; or from ``episode_seeds[i]``, as
    ``Env.reset(seed=...)``. Observations are normalized with ``obs_stats``
    (None: none yet) unless ``normalize`` is False. ``threads``: 0 for all
    cores.
    """
    if isinstance(task, Env):
        task_options = {**task.task_options, **task_options}
        task = task.task
    if isinstance(policy, Policy):
        if not task_options and xml is None and policy.task == task:
            task_options = dict(policy.task_options)
        obs_stats = policy.obs_stats if obs_stats is None else obs_stats
        normalize = policy.normalize if normalize is None else normalize
        kind, hidden, clip_actions = policy.kind, policy.hidden, policy.clip_actions
    else:
        kind = policy
    if xml is not None:
        task_options["xml"] = str(xml)
    fields = _mnemo.rollout_core(
        task, task_options, params, kind, list(hidden), clip_actions, threads,
        episodes_per_candidate, seed, batch, train,
        [] if episode_seeds is None else [int(s) for s in episode_seeds], obs_stats,
        True if normalize is None else normalize, reward_shift,
        -1 if max_steps is None else max_steps)
    return Rollouts(fields)
