"""Box: the observation and action spaces of mnemo's environments, shaped as
Gymnasium's ``gymnasium.spaces.Box`` (shape, low, high, dtype, sample,
contains) without needing gymnasium."""

import numpy as np


class Box:
    """The numbers between ``low`` and ``high`` (arrays of ``shape``)."""

    def __init__(self, low, high, shape, dtype=np.float64):
        self.shape = tuple(shape)
        self.dtype = np.dtype(dtype)
        self.low = np.broadcast_to(np.asarray(low, dtype=self.dtype), self.shape).copy()
        self.high = np.broadcast_to(np.asarray(high, dtype=self.dtype), self.shape).copy()
        self.np_random = np.random.default_rng()

    def seed(self, seed=None):
        """Seeds sample()."""
        self.np_random = np.random.default_rng(seed)
        return [seed]

    def sample(self):
        """A random member: uniform where both bounds are finite, else normal."""
        bounded = np.isfinite(self.low) & np.isfinite(self.high)
        x = self.np_random.normal(size=self.shape)
        u = self.np_random.uniform(np.where(bounded, self.low, 0), np.where(bounded, self.high, 1))
        return np.where(bounded, u, x).astype(self.dtype)

    def contains(self, x):
        """Whether x has the shape and lies within the bounds."""
        x = np.asarray(x)
        return x.shape == self.shape and bool(np.all(x >= self.low) and np.all(x <= self.high))

    def __contains__(self, x):
        return self.contains(x)

    def __repr__(self):
        return f"Box({self.low.min()}, {self.high.max()}, {self.shape}, {self.dtype})"
