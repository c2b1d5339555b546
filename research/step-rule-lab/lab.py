"""A laboratory for step-size rules on top of ARS V2-t: the ARS estimator in
numpy over the C++ rollout engine (mnemo.rollout), and a rule that sets the
gain on ARS's own step each iteration (research/step-rule-lab/README.md).

Usage (from the repository root):
  PYTHONPATH=build/python /usr/bin/python3 research/step-rule-lab/lab.py \
      --task Walker2d --scale 4 --seed 1 --episodes 2400 --rule agree \
      [--param key=value ...] [--trace trace.csv] [--eval-every 400]
Prints one line per evaluation and a final summary line (area = mean
evaluation return over the run, evaluations at 0 and every --eval-every
episodes, 5 episodes each, counted in no budget)."""
import argparse
import math
import os
import sys

import numpy as np

import mnemo

CONFIGS = {
    "Swimmer": "configs/train/swimmer_ars.yaml",
    "Hopper": "configs/train/hopper_ars.yaml",
    "HalfCheetah": "configs/train/half_cheetah_ars.yaml",
    "Walker2d": "configs/train/walker2d_ars.yaml",
    "Ant": "configs/train/ant_ars.yaml",
}


class FixedGain:
    """ARS: the nominal step as it is."""

    def __init__(self, dim, **_):
        self.gain = 1.0

    def observe(self, info):
        return True


class Agreement:
    """The product's adaptive rule, with switches: l += rate * (avg - target),
    avg a moving average of cos(step_t, step_t-1) (times sqrt(dim) when
    zscale), collapse on the shifted or the task's returns."""

    def __init__(self, dim, g0=1.0, rate=0.3, smoothing=0.2, target=0.0, collapse=1.0,
                 collapse_on="shifted", zscale=0, max_gain=8.0, **_):
        self.dim, self.rate, self.smoothing, self.target = dim, rate, smoothing, target
        self.collapse, self.collapse_on, self.zscale = collapse, collapse_on, int(zscale)
        self.max_log = math.log(max_gain)
        self.log_gain = math.log(g0)
        self.avg, self.last, self.best, self.best_spread, self.best_theta = 0.0, None, -1e300, 0.0, None
        self.gain = g0

    def observe(self, info):
        r = info["task_returns"] if self.collapse_on == "task" else info["shifted_returns"]
        mean, spread = float(np.mean(r)), float(np.std(r))
        if self.best_theta is not None and mean < self.best - self.collapse * max(spread, self.best_spread):
            info["restore"] = self.best_theta
            self.log_gain = max(self.log_gain - math.log(2), -self.max_log)
            self.avg, self.last, self.best = 0.0, None, -1e300
            self.gain = math.exp(self.log_gain)
            return False
        if mean > self.best:
            self.best, self.best_spread, self.best_theta = mean, spread, info["theta"].copy()
        step = info["nominal"]
        if self.last is not None:
            c = float(step @ self.last / (np.linalg.norm(step) * np.linalg.norm(self.last) + 1e-300))
            if self.zscale:
                c *= math.sqrt(self.dim)
            info["agreement"] = c
            self.avg = (1 - self.smoothing) * self.avg + self.smoothing * c
            self.log_gain = min(max(self.log_gain + self.rate * (self.avg - self.target), -self.max_log),
                                self.max_log)
        self.last = step
        self.gain = math.exp(self.log_gain)
        return True


def rank_z(new, old):
    """Mann-Whitney z of `new` against `old` (positive: new tends higher)."""
    both = np.concatenate([new, old])
    order = np.argsort(both, kind="stable")
    ranks = np.empty(len(both))
    ranks[order] = np.arange(1, len(both) + 1)
    for v in np.unique(both):  # average ranks of ties
        m = both == v
        if m.sum() > 1:
            ranks[m] = ranks[m].mean()
    n1, n2 = len(new), len(old)
    u = ranks[:n1].sum() - n1 * (n1 + 1) / 2
    return (u - n1 * n2 / 2) / math.sqrt(n1 * n2 * (n1 + n2 + 1) / 12)


class RankCollapse(Agreement):
    """Agreement growth; the collapse test is a rank test of this batch's
    returns against the batch before the last step (z below -zc: back one
    step, gain halved)."""

    def __init__(self, dim, zc=3.0, **kw):
        super().__init__(dim, **kw)
        self.zc, self.ref, self.prev_theta = zc, None, None

    def observe(self, info):
        r = info["task_returns"] if self.collapse_on == "task" else info["shifted_returns"]
        if self.ref is not None:
            z = rank_z(r, self.ref)
            info["rank_z"] = z
            if z < -self.zc:
                info["restore"] = self.prev_theta
                self.log_gain = max(self.log_gain - math.log(2), -self.max_log)
                self.avg, self.last = 0.0, None
                self.gain = math.exp(self.log_gain)
                return False
        self.ref, self.prev_theta = r.copy(), info["theta"].copy()
        self.best_theta = None  # the spread test is off
        ok = Agreement.observe(self, info)
        self.best_theta = None
        return ok


class AnchorRank(Agreement):
    """Agreement growth; the collapse test is a rank test of this batch's
    returns against the batch of the best mean since the last collapse (z
    below -zc: back to that point, gain halved, the point re-measured)."""

    def __init__(self, dim, zc=4.0, **kw):
        super().__init__(dim, **kw)
        self.zc, self.anchor = zc, None  # anchor: (returns, mean, theta)

    def observe(self, info):
        r = info["task_returns"] if self.collapse_on == "task" else info["shifted_returns"]
        if self.anchor is not None:
            z = rank_z(r, self.anchor[0])
            info["rank_z"] = z
            if z < -self.zc:
                info["restore"] = self.anchor[2]
                self.log_gain = max(self.log_gain - math.log(2), -self.max_log)
                self.avg, self.last, self.anchor = 0.0, None, None
                self.gain = math.exp(self.log_gain)
                return False
        if self.anchor is None or r.mean() > self.anchor[1]:
            self.anchor = (r.copy(), float(r.mean()), info["theta"].copy())
        self.best_theta = None  # the spread test is off
        ok = Agreement.observe(self, info)
        self.best_theta = None
        return ok


class SlowStart(AnchorRank):
    """AnchorRank, and until its first collapse the gain also grows by a
    factor exp(grow) per iteration (TCP's slow start)."""

    def __init__(self, dim, grow=0.095, **kw):
        super().__init__(dim, **kw)
        self.grow, self.starting = grow, True

    def observe(self, info):
        ok = AnchorRank.observe(self, info)
        if "restore" in info:
            self.starting = False
        elif self.starting:
            self.log_gain = min(self.log_gain + self.grow, self.max_log)
            self.gain = math.exp(self.log_gain)
        info["starting"] = self.starting
        return ok


class PooledSlowStart(Agreement):
    """Slow start (gain x exp(grow) per iteration until it ends), agreement
    growth, and a rank-test collapse on pooled samples: the returns of the
    last k batches (k batches hold at least min_n returns) against the
    pooled sample of the best mean since the last collapse. Slow start ends
    at the first collapse or when the agreement falls zexit standard errors
    below its target."""

    def __init__(self, dim, grow=0.095, zc=4.0, min_n=16, zexit=2.0, **kw):
        super().__init__(dim, **kw)
        self.grow, self.zc, self.min_n, self.zexit = grow, zc, int(min_n), zexit
        self.starting, self.window, self.anchor, self.seen = True, [], None, 0

    def observe(self, info):
        r = info["task_returns"] if self.collapse_on == "task" else info["shifted_returns"]
        k = max(1, -(-self.min_n // len(r)))
        self.window = (self.window + [r.copy()])[-k:]
        pooled = np.concatenate(self.window) if len(self.window) == k else None
        if self.anchor is not None and pooled is not None:
            z = rank_z(pooled, self.anchor[0])
            info["rank_z"] = z
            if z < -self.zc:
                info["restore"] = self.anchor[2]
                self.log_gain = max(self.log_gain - math.log(2), -self.max_log)
                self.avg, self.last, self.anchor, self.window = 0.0, None, None, []
                self.starting = False
                self.gain = math.exp(self.log_gain)
                return False
        if pooled is not None and (self.anchor is None or pooled.mean() > self.anchor[1]):
            self.anchor = (pooled, float(pooled.mean()), info["theta"].copy())
        self.best_theta = None  # the spread test is off
        ok = Agreement.observe(self, info)
        self.best_theta = None
        self.seen += 1
        noise = math.sqrt(self.smoothing / (2 - self.smoothing))
        za = math.sqrt(self.dim) * (self.avg - self.target) / noise
        if self.starting and self.seen > 3 and za < -self.zexit:
            self.starting = False
        if self.starting:
            self.log_gain = min(self.log_gain + self.grow, self.max_log)
            self.gain = math.exp(self.log_gain)
        return ok


class Combo(PooledSlowStart):
    """PooledSlowStart with the product's spread test as well: a batch whose
    mean falls more than `collapse` spreads below the best batch mean since
    the last collapse is a collapse too (back to that batch's point)."""

    def __init__(self, dim, evidence=0, confirm=0, **kw):
        super().__init__(dim, **kw)
        self.evidence, self.confirm, self.pending = int(evidence), int(confirm), False

    def observe(self, info):
        r = info["task_returns"] if self.collapse_on == "task" else info["shifted_returns"]
        mean, spread = float(np.mean(r)), float(np.std(r))
        fell = self.best_point is not None and mean < self.best_mean - self.collapse * max(spread, self.best_spread2)
        # confirm=1: a fall is a collapse only when the next batch, at the
        # same theta (no step in between), falls too.
        if self.confirm and fell and not self.pending:
            self.pending = True
            info["suspect"] = 1
            return False
        self.pending = False
        if fell:
            info["restore"] = self.best_point
            info["spread_collapse"] = 1
            # evidence=1: a batch of fewer than min_n returns cuts the gain
            # by only its share of ln 2.
            # evidence=2: such a batch cuts nothing (a restore alone).
            share = 1.0
            if self.evidence in (1, 4):
                share = min(1.0, len(r) / self.min_n)
            elif self.evidence >= 2 and len(r) < self.min_n:
                share = 0.0
            self.log_gain = max(self.log_gain - share * math.log(2), -self.max_log)
            self.avg, self.last, self.anchor, self.window = 0.0, None, None, []
            self.best_point, self.best_mean = None, -1e300
            # evidence=3: as 2, and such a batch does not end the slow start;
            # evidence=4: as 1, and such a batch does not end the slow start.
            if not (self.evidence in (3, 4) and len(r) < self.min_n):
                self.starting = False
            self.gain = math.exp(self.log_gain)
            return False
        ok = PooledSlowStart.observe(self, info)
        if "restore" in info:
            self.best_point, self.best_mean = None, -1e300
        elif mean > self.best_mean:
            self.best_mean, self.best_spread2, self.best_point = mean, spread, info["theta"].copy()
        return ok

    best_point, best_mean, best_spread2, evidence = None, -1e300, 0.0, 0


RULES = {"combo": Combo, "pooled": PooledSlowStart, "ars": FixedGain, "agree": Agreement, "rank": RankCollapse, "anchor": AnchorRank,
         "slow": SlowStart}


def parse_params(items):
    out = {}
    for item in items:
        k, v = item.split("=", 1)
        try:
            out[k] = float(v)
        except ValueError:
            out[k] = v
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--task", required=True)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--episodes", type=int, required=True)
    ap.add_argument("--eval-every", type=int, default=0)
    ap.add_argument("--rule", default="ars")
    ap.add_argument("--param", action="append", default=[])
    ap.add_argument("--trace", default="")
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args()

    cfg = mnemo.load_config(CONFIGS[a.task])
    s, t = cfg["search"], cfg["task"]
    n, b, sigma = int(s["directions"]), int(s["top_directions"]), float(s["sigma"])
    alpha = float(s["step_size"]) * a.scale
    shift = float(t.get("reward_shift", 0.0))
    options = {"max_episode_steps": int(t["max_episode_steps"])}
    env = mnemo.make(a.task)
    obs_dim, act_dim = env.observation_space.shape[0], env.action_space.shape[0]
    dim = obs_dim * act_dim
    stats = mnemo.RunningStats(obs_dim)
    rng = np.random.default_rng(1000 + a.seed)
    theta = np.zeros(dim)
    rule = RULES[a.rule](dim, **parse_params(a.param))
    eval_every = a.eval_every or max(a.episodes // 20, 2 * n)
    evals, episodes, it, next_eval = [], 0, 0, 0
    trace = open(a.trace, "w") if a.trace else None
    if trace:
        trace.write("iteration,episodes,task_mean,task_spread,shifted_mean,gain,agreement,rank_z,restored,"
                    + ",".join(f"cos_lag{k}" for k in range(1, 9)) + "\n")
    history = []  # the last nominal steps, newest last

    def evaluate():
        r = mnemo.rollout(a.task, theta[None, :], episodes_per_candidate=5, seed=a.seed,
                          batch=len(evals) + 1, obs_stats=stats, threads=a.threads, **options)
        evals.append(float(r.returns.mean()))
        print(f"episodes {episodes}: evaluation {evals[-1]:.1f} gain {rule.gain:.3g}", flush=True)

    while episodes < a.episodes:
        if episodes >= next_eval:
            evaluate()
            next_eval += eval_every
        deltas = rng.standard_normal((n, dim))
        xs = np.concatenate([theta + sigma * deltas, theta - sigma * deltas])
        batch = mnemo.rollout(a.task, xs, seed=a.seed, batch=it, train=True, obs_stats=stats,
                              reward_shift=shift, threads=a.threads, **options)
        batch.merge_obs_stats(stats)
        episodes += 2 * n
        task_r, fit = batch.returns[:, 0], batch.shifted_returns[:, 0]
        rp, rm = fit[:n], fit[n:]
        top = np.argsort(-np.maximum(rp, rm), kind="stable")[:b]
        sr = np.std(np.concatenate([rp[top], rm[top]])) or 1.0
        g = ((rp[top] - rm[top])[:, None] * deltas[top]).sum(0) / (b * sr)
        info = {"nominal": alpha * g, "theta": theta, "task_returns": task_r, "shifted_returns": fit,
                "iteration": it, "fraction": episodes / a.episodes}
        moved = rule.observe(info)
        if "restore" in info:
            theta = info["restore"].copy()
        elif moved:
            theta = theta + rule.gain * info["nominal"]
        history = (history + [info["nominal"] / (np.linalg.norm(info["nominal"]) + 1e-300)])[-9:]
        lags = [float(history[-1] @ history[-1 - k]) if len(history) > k else float("nan")
                for k in range(1, 9)]
        if trace:
            trace.write(f"{it},{episodes},{task_r.mean():.2f},{task_r.std():.2f},{fit.mean():.2f},"
                        f"{rule.gain:.4g},{info.get('agreement', float('nan')):.4f},{info.get('rank_z', float('nan')):.3f},"
                        f"{int('restore' in info)}," + ",".join(f"{c:.4f}" for c in lags) + "\n")
        it += 1
    evaluate()
    area = float(np.mean(evals))
    print(f"summary task={a.task} scale={a.scale} seed={a.seed} rule={a.rule} "
          f"params={','.join(a.param)} area={area:.1f} final={evals[-1]:.1f} best={max(evals):.1f} "
          f"gain={rule.gain:.3g}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
