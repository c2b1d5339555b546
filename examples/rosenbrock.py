"""Minimises the Rosenbrock function, a numpy objective, with ES steps made by
Mnemosyne (the learned optimizer, its shipped weights) and by Adam from the
same ARS gradient estimates, and plots both curves with matplotlib.
Usage: PYTHONPATH=build/python python3 examples/rosenbrock.py [ITERATIONS [OUT.png]]"""
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import mnemo  # noqa: E402


def rosenbrock(x):
    """The Rosenbrock function of each row of x (its minimum 0 at (1, 1))."""
    x = np.atleast_2d(x)
    return (1 - x[:, 0]) ** 2 + 100 * (x[:, 1] - x[:, 0] ** 2) ** 2


iterations = int(sys.argv[1]) if len(sys.argv) > 1 else 300
out = sys.argv[2] if len(sys.argv) > 2 else "rosenbrock.png"
weights = os.path.join(os.path.dirname(__file__), "..", "configs", "weights", "mnemosyne.weights")
optimizers = {"Mnemosyne": {"type": "mnemosyne", "weights": weights},
              "Adam": {"type": "adam", "lr": 0.02}}
for label, optimizer in optimizers.items():
    search = mnemo.Search("ars", dim=2, optimizer=optimizer, theta=[-1.5, 2.0], directions=8,
                          sigma=0.05, step_size=0.02, max_iterations=iterations)
    curve = []
    for _ in range(iterations):
        search.tell(-rosenbrock(search.ask()))  # fitness: larger is better
        curve.append(rosenbrock(search.theta)[0])
    print(f"{label}: f = {curve[-1]:.3g} at {np.round(search.theta, 3)}")
    plt.semilogy(curve, label=label)
plt.xlabel("ES iteration (16 evaluations each)")
plt.ylabel("Rosenbrock f(theta)")
plt.legend()
plt.savefig(out, dpi=100)
print(f"plot: {out}")
