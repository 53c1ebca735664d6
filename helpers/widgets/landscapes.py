"""Cost landscapes J(w1, w2) for the optimizer explorer, each with its analytic gradient.

Every landscape is a pair of plain NumPy functions of two arrays (any matching shape),
the square ``BOX`` the explorer plots, a start point and a learning rate that suits it.
"""

from dataclasses import dataclass
from typing import Callable

import numpy as np

#: Every landscape is drawn on w1, w2 in [-BOX, BOX]; a run that leaves it has diverged.
BOX = 2.5


@dataclass(frozen=True)
class Landscape:
    """A cost J(w1, w2), its gradient (dJ/dw1, dJ/dw2), a start point and a suitable rate."""

    name: str
    cost: Callable
    gradient: Callable
    start: tuple
    learning_rate: float
    description: str

    def grads(self, parameters):
        """The course's grads dict for parameters {"W1": [[w1, w2]], "b1": [[0]]} (b1 has no effect)."""
        w1, w2 = parameters["W1"][0]
        d1, d2 = self.gradient(w1, w2)
        return {"dW1": np.array([[d1, d2]], dtype=float), "db1": np.zeros((1, 1))}


def _bowl_cost(w1, w2):
    return w1**2 + w2**2


def _bowl_gradient(w1, w2):
    return 2 * w1, 2 * w2


# Curvature 0.2 along w1 and 4 along w2: gradient descent zig-zags across the valley.
def _valley_cost(w1, w2):
    return 0.1 * w1**2 + 2 * w2**2


def _valley_gradient(w1, w2):
    return 0.2 * w1, 4 * w2


# A saddle at (0, 0) between two minima at (0, -1) and (0, 1).
def _saddle_cost(w1, w2):
    return 0.5 * w1**2 + 0.25 * w2**4 - 0.5 * w2**2


def _saddle_gradient(w1, w2):
    return w1, w2**3 - w2


def _rosenbrock_cost(w1, w2):
    return (1 - w1) ** 2 + 100 * (w2 - w1**2) ** 2


def _rosenbrock_gradient(w1, w2):
    return -2 * (1 - w1) - 400 * w1 * (w2 - w1**2), 200 * (w2 - w1**2)


# Three Gaussian wells of different depths on a shallow bowl: which one a run ends in
# depends on the start and the optimizer.
_WELLS = ((-1.2, 1.0, 1.0, 0.6), (1.3, 0.8, 0.7, 0.5), (0.2, -1.3, 1.3, 0.7))  # (c1, c2, depth, width)


def _wells_cost(w1, w2):
    cost = 0.05 * (w1**2 + w2**2)
    for c1, c2, depth, width in _WELLS:
        cost = cost - depth * np.exp(-((w1 - c1) ** 2 + (w2 - c2) ** 2) / (2 * width**2))
    return cost


def _wells_gradient(w1, w2):
    d1, d2 = 0.1 * w1, 0.1 * w2
    for c1, c2, depth, width in _WELLS:
        well = depth * np.exp(-((w1 - c1) ** 2 + (w2 - c2) ** 2) / (2 * width**2))
        d1 = d1 + well * (w1 - c1) / width**2
        d2 = d2 + well * (w2 - c2) / width**2
    return d1, d2


LANDSCAPES = {
    landscape.name: landscape
    for landscape in (
        Landscape("convex bowl", _bowl_cost, _bowl_gradient, (-2.0, 1.5), 0.1,
                  "J = w1^2 + w2^2: every method reaches the single minimum"),
        Landscape("elongated valley", _valley_cost, _valley_gradient, (-2.2, 1.0), 0.4,
                  "J = 0.1 w1^2 + 2 w2^2: gradient descent zig-zags, momentum damps it"),
        Landscape("saddle", _saddle_cost, _saddle_gradient, (-2.0, 0.02), 0.1,
                  "J = w1^2/2 + w2^4/4 - w2^2/2: a saddle at (0, 0), minima at (0, +-1)"),
        Landscape("Rosenbrock", _rosenbrock_cost, _rosenbrock_gradient, (-1.5, 2.0), 0.001,
                  "J = (1 - w1)^2 + 100 (w2 - w1^2)^2: a curved narrow valley, minimum at (1, 1)"),
        Landscape("several minima", _wells_cost, _wells_gradient, (-0.2, 0.4), 0.1,
                  "three wells of different depths: the start and the method decide the end"),
    )
}
