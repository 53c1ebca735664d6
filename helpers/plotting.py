"""The two plots every notebook needs: a classifier's decision regions and a cost curve.

Both draw on the Axes given (or on a new figure's) and return that Axes, so a notebook
can place them in subplots and tests can read back what was drawn. matplotlib is
imported inside the functions, which keeps ``import helpers`` quick.
"""
from __future__ import annotations

import numbers

import numpy as np

GRID_POINTS = 300  # per axis: fine enough for a smooth boundary, cheap enough to be live


def _new_axes(ax):
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    return plt.figure().add_subplot()


def plot_decision_boundary(predict_fn, X, Y, ax=None, grid_points=GRID_POINTS, margin=1.0):
    """Shade the plane by ``predict_fn``'s class and scatter the labelled points on top.

    ``predict_fn``: takes points as columns, shape ``(2, k)``, and returns their class
    (0/1) or probability of class 1, shape ``(1, k)`` or ``(k,)``; probabilities are cut
    at 0.5. For example ``lambda P: predict(P, parameters)``.
    ``X``: ``(2, m)`` points; ``Y``: ``(1, m)`` or ``(m,)`` labels.
    ``grid_points``: grid resolution per axis; ``margin``: space around the points.

    Returns the Axes.
    """
    X = np.asarray(X, dtype=float)
    Y = np.asarray(Y).reshape(-1)
    if X.ndim != 2 or X.shape[0] != 2:
        raise ValueError(f"X must have shape (2, m) (one point per column), got {X.shape}")
    if Y.size != X.shape[1]:
        raise ValueError(f"Y must hold one label per column of X ({X.shape[1]}), got {Y.size}")
    ax = _new_axes(ax)

    x_min, x_max = X[0].min() - margin, X[0].max() + margin
    y_min, y_max = X[1].min() - margin, X[1].max() + margin
    xx, yy = np.meshgrid(np.linspace(x_min, x_max, grid_points), np.linspace(y_min, y_max, grid_points))
    grid = np.stack([xx.ravel(), yy.ravel()])  # (2, grid_points**2), one point per column
    predicted = np.asarray(predict_fn(grid), dtype=float).reshape(-1)
    if predicted.size != grid.shape[1]:
        raise ValueError(f"predict_fn returned {predicted.size} values for {grid.shape[1]} points; "
                         f"it must return one class or probability per column")
    classes = (predicted > 0.5).astype(float).reshape(xx.shape)  # a 0/1 label stays itself

    ax.contourf(xx, yy, classes, levels=[-0.5, 0.5, 1.5], cmap="coolwarm", alpha=0.3)
    ax.scatter(X[0], X[1], c=Y, cmap="coolwarm", vmin=0, vmax=1, s=15, edgecolors="k", linewidths=0.3)
    ax.set_xlim(x_min, x_max)
    ax.set_ylim(y_min, y_max)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    return ax


def plot_costs(history, ax=None, xlabel="epoch", ylabel="cost", log_scale=False, title=None):
    """Plot cost curves: one line per series, with a legend when there are several.

    ``history``: a sequence of costs (one per epoch, as ``train`` returns), or a dict of
    such sequences (e.g. ``{"train": [...], "dev": [...]}`` or one per optimizer); a
    dict's entries that are not sequences of numbers are skipped, and so is the
    ``"learning_rate"`` schedule of a ``train`` history (it is not a cost), so
    ``plot_costs(history)`` works straight on what ``helpers.train`` returns.
    ``log_scale``: logarithmic y axis, for costs that fall by orders of magnitude.

    Returns the Axes.
    """
    series = _cost_series(history)
    ax = _new_axes(ax)
    for label, costs in series.items():
        ax.plot(np.arange(len(costs)), costs, label=label)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if log_scale:
        ax.set_yscale("log")
    if title:
        ax.set_title(title)
    if len(series) > 1:
        ax.legend()
    return ax


def _cost_series(history) -> dict:
    def numbers_in(values):
        if isinstance(values, (str, bytes)) or not hasattr(values, "__len__") or len(values) == 0:
            return None
        array = np.asarray(values)
        return array.astype(float).reshape(-1) if array.dtype.kind in "biuf" else None

    if isinstance(history, dict):
        series = {str(key): costs for key, values in history.items()
                  if key != "learning_rate" and (costs := numbers_in(values)) is not None}
        if not series:
            raise ValueError(f"history has no sequence of costs among its keys {list(history)}")
        return series
    costs = numbers_in(history)
    if costs is None or isinstance(history, numbers.Number):
        raise ValueError(f"history must be a sequence of costs or a dict of them, got {type(history).__name__}")
    return {"cost": costs}


__all__ = ["plot_decision_boundary", "plot_costs"]
