"""mnemo.Search and mnemo.Optimizer: the project's search methods as
ask/tell over any objective, and its updaters stepped on their own."""

from . import _mnemo


class Search:
    """Ask/tell search: ``xs = s.ask()`` gives candidates [K, dim],
    ``s.tell(fitness)`` (larger is better) moves ``s.theta``.

    ``Search(method, dim, optimizer="nominal", seed=1, theta=None,
    max_iterations=0, max_evaluations=0, **hyper)``: ``method`` a search
    type (ars, openai_es, cma_es) with its config keys as ``hyper``
    (directions, top_directions, sigma, step_size, ...); ``optimizer`` an
    updater name or a config section as a dict (e.g. ``{"type": "mnemosyne",
    "weights": "configs/weights/mnemosyne.weights"}``); the budgets give the
    budget fraction a learned updater sees. ``Search.from_config(path,
    overrides)`` builds the search of a training config, which then asks
    what ``mnemo train`` asks. Also: sigma (None for CMA-ES), iteration,
    evaluations, method, config (from_config), state_dict(),
    load_state_dict().
    """

    def __init__(self, method, dim, optimizer="nominal", seed=1, theta=None, max_iterations=0,
                 max_evaluations=0, **hyper):
        self._core = _mnemo.SearchCore(method, dim, optimizer, seed, theta, max_iterations,
                                       max_evaluations, hyper)
        self.config = None

    @classmethod
    def from_config(cls, path, overrides=()):
        """The search of the training config at ``path`` with ``overrides``
        ("key=value", as ``mnemo train --set``); ``config`` holds the
        resolved config."""
        search = cls.__new__(cls)
        search._core = _mnemo.SearchCore.from_config(str(path), list(overrides))
        search.config = _mnemo.load_config(str(path), list(overrides))
        return search

    def ask(self):
        """This iteration's candidates [K, dim] (the same until tell)."""
        return self._core.ask()

    def tell(self, fitness, budget_fraction=None, task_returns=None):
        """Moves theta from the candidates' fitness; returns ascent_norm and
        step_norm (as metrics.csv). ``task_returns``: the candidates' own
        returns where the fitness is shaped (a rollout's ``returns`` beside
        its ``shifted_returns``), as training passes them to the updater."""
        return self._core.tell(fitness, budget_fraction, task_returns)

    def state_dict(self):
        """Everything needed to continue exactly (a dict of plain values)."""
        return self._core.state_dict()

    def load_state_dict(self, state):
        """Continues from a state_dict() of a search of the same method and dim."""
        self._core.load_state_dict(state)

    def __getattr__(self, name):
        if name == "_core":
            raise AttributeError(name)
        return getattr(self._core, name)

    def __repr__(self):
        return f"mnemo.Search({self.method!r}, dim={self.dim}, iteration={self.iteration})"


class Optimizer:
    """An updater on its own: ``Optimizer(name, dim, theta=None, **hyper)``
    (name: sgd, momentum, adam, nominal, mnemosyne, mnemosyne_coordinatewise,
    lstm; hyper: its config keys, e.g. ``lr`` or ``weights``).
    ``opt.step(ascent, sigma=1.0, ...)`` moves ``opt.theta`` along the
    ascent direction (minus a gradient, to minimise) and returns the step.
    A learned one also has ``opt.meta_params`` (settable), ``opt.meta_layout``
    ({tensor name: (offset, rows, cols)}) and ``opt.save_weights(path)``.
    """

    def __init__(self, name, dim, theta=None, **hyper):
        if "weights" in hyper:
            hyper["weights"] = str(hyper["weights"])
        self._core = _mnemo.OptimizerCore(name, dim, theta, hyper)

    def step(self, ascent, sigma=1.0, nominal_step=None, fitness=None, budget_fraction=0.0):
        """One step from the signal: the ascent direction, the step unit
        sigma, the estimator's own step (default sigma * ascent), the
        candidates' fitness if any, the budget fraction spent."""
        return self._core.step(ascent, sigma, nominal_step, fitness, budget_fraction)

    @property
    def theta(self):
        return self._core.theta

    @theta.setter
    def theta(self, value):
        self._core.theta = value

    @property
    def meta_params(self):
        return self._core.meta_params

    @meta_params.setter
    def meta_params(self, value):
        self._core.meta_params = value

    def save_weights(self, path):
        """Writes a learned optimizer's weights file."""
        self._core.save_weights(str(path))

    def __getattr__(self, name):
        if name == "_core":
            raise AttributeError(name)
        return getattr(self._core, name)

    def __repr__(self):
        return f"mnemo.Optimizer({self.name!r}, dim={len(self.theta)})"
