"""Initialization explorer (assignment 05): how the initial weights make each layer's activations
and gradients vanish, explode or stay steady."""

import functools
import inspect

import ipywidgets as widgets
import matplotlib.ticker
import numpy as np

from ..initialization import (
    activation_statistics,
    initialize_parameters_he,
    initialize_parameters_random,
    initialize_parameters_xavier,
    initialize_parameters_zeros,
)
from ._base import (Explorer, StrictIntSlider, call_student, color_key, new_figure, set_limits,
                    student_difference, student_note, tidy)
from ._limits import DEPTH_RANGE, INIT_ACTIVATIONS, INIT_METHODS, WIDTHS

INPUTS, EXAMPLES, SEED = 32, 100, 0
#: Histograms cover [-HIST_RANGE, HIST_RANGE]; values beyond land in the end bins.
HIST_RANGE = 3.0
BINS = np.linspace(-HIST_RANGE, HIST_RANGE, 41)
#: Zero (a zero init's activations and gradients) cannot sit on a log axis: drawn at FLOOR.
FLOOR = 1e-12

INITIALIZERS = {
    "zeros": lambda dims: initialize_parameters_zeros(dims),
    "small random": lambda dims: initialize_parameters_random(dims, scale=0.01, seed=SEED),
    "large random": lambda dims: initialize_parameters_random(dims, scale=10, seed=SEED),
    "He": lambda dims: initialize_parameters_he(dims, seed=SEED),
    "Xavier": lambda dims: initialize_parameters_xavier(dims, seed=SEED),
}
assert tuple(INITIALIZERS) == INIT_METHODS


def network_inputs():
    """The fixed batch every network sees: X (INPUTS, EXAMPLES) standard normal, Y (1, EXAMPLES) 0/1."""
    rng = np.random.default_rng(SEED)
    return rng.standard_normal((INPUTS, EXAMPLES)), (rng.random((1, EXAMPLES)) < 0.5).astype(float)


def layer_dims(depth, width):
    """[n_x, width, ..., width, 1] with ``depth`` hidden layers."""
    return [INPUTS] + [width] * depth + [1]


#: The menu's entry for the student's initializer.
STUDENT = "yours"


def reference_for(function):
    """The reference method a student's initializer is compared with, from its name
    (initialize_parameters_he -> "He", ..._xavier -> "Xavier", ..._zeros -> "zeros",
    ..._random -> "large random", whose default scale is 10); "He" otherwise."""
    name = getattr(function, "__name__", "").lower()
    for word, method in (("xavier", "Xavier"), ("zeros", "zeros"), ("random", "large random"), ("he", "He")):
        if name.endswith(word) or f"_{word}_" in name:
            return method
    return "He"


def _statistics(parameters, depth, activation):
    X, Y = network_inputs()
    with np.errstate(over="ignore", invalid="ignore"):
        stats, values = activation_statistics(X, parameters, activation, Y=Y, return_activations=True)
        hidden = values["A"][:depth]
        histograms = np.array([np.histogram(np.clip(A, BINS[0], BINS[-1]), BINS)[0] for A in hidden])
        return {
            "histograms": histograms,
            "A_std": np.sqrt(stats["A_variance"][:depth]),
            "dW_norm": np.array([np.linalg.norm(dW) for dW in values["dW"]]),
        }


@functools.lru_cache(maxsize=256)
def layer_statistics(method, depth, width, activation):
    """One forward and one backward pass (``helpers.activation_statistics``) of a fresh network.

    Returns a dict: "histograms" (depth, len(BINS) - 1) counts of each hidden layer's
    activations A[l] (clipped into the histogram range), "A_std" (depth,) their standard
    deviation and "dW_norm" (depth + 1,) the Frobenius norm of every layer's dW[l].
    Cached: moving a control back to a setting seen before costs nothing.
    """
    return _statistics(INITIALIZERS[method](layer_dims(depth, width)), depth, activation)


class InitializationExplorer(Explorer):
    """Per-layer activation histograms and gradient norms after one pass of a fresh network.

    Attributes read by tests: ``controls`` ("method", "depth", "width", "activation"),
    ``statistics`` (the dict of :func:`layer_statistics` shown), artists ``ridges``
    (one step line per hidden layer), ``std_line`` and ``grad_line``.  With a
    ``student_initializer``: the menu's "yours" shows the statistics of its parameters,
    ``student_reference`` is the method it is compared with and ``student_verdict``
    (ok, sentence) the comparison for the current depth and width.
    """

    function_name = "initialization_explorer"

    def __init__(self, method, depth, width, activation, student_initializer=None):
        self.student_initializer = student_initializer
        self.student_reference = reference_for(student_initializer) if student_initializer else None
        self.student_verdict = None
        self._student_runs = {}  # (depth, width, activation) -> (statistics or None, verdict)
        self.figure = new_figure(8.5, 3.8)
        self.hist_axes, self.norm_axes = self.figure.subplots(1, 2, width_ratios=[1.2, 1])
        centers = (BINS[:-1] + BINS[1:]) / 2
        self.ridges = []
        for layer in range(1, DEPTH_RANGE[1] + 1):
            (line,) = self.hist_axes.plot(centers, np.full_like(centers, layer), drawstyle="steps-mid",
                                          color="tab:blue", lw=1.2)
            self.ridges.append(line)
        self.hist_axes.set(xlim=(BINS[0], BINS[-1]), xlabel="activation value (clipped to the range)",
                           ylabel="hidden layer")
        self.hist_axes.set_title("histogram of each layer's activations", fontsize=8)
        (self.std_line,) = self.norm_axes.semilogy([], [], "o-", color="tab:blue", ms=4, label="std of A[l]")
        (self.grad_line,) = self.norm_axes.semilogy([], [], "s-", color="tab:red", ms=4, label="||dW[l]||")
        self.norm_axes.set(xlabel="layer", ylim=(FLOOR / 3, 1e12))
        self.norm_axes.set_title("after one backward pass (0 drawn at 1e-12)", fontsize=8)
        color_key(self.norm_axes, [("std of A[l] (circles)", "tab:blue"), ("||dW[l]|| (squares)", "tab:red")])
        for ax in (self.hist_axes, self.norm_axes):
            tidy(ax)
        self.hist_axes.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(5, integer=True))
        self.norm_axes.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(5, integer=True))
        # plain labels at a few powers of ten (the default log labels are slow mathtext)
        powers = [-12, -6, 0, 6, 12]
        self.norm_axes.set_yticks([10.0**p for p in powers], [f"1e{p}" if p else "1" for p in powers])
        self.norm_axes.yaxis.set_minor_locator(matplotlib.ticker.NullLocator())
        self.controls = {
            "method": widgets.Dropdown(options=INIT_METHODS + ((STUDENT,) if student_initializer else ()),
                                       value=method, description="init"),
            "activation": widgets.Dropdown(options=INIT_ACTIVATIONS, value=activation, description="activation"),
            "depth": StrictIntSlider(value=depth, min=DEPTH_RANGE[0], max=DEPTH_RANGE[1], description="hidden layers"),
            "width": widgets.SelectionSlider(options=WIDTHS, value=width, description="units"),
        }
        c = self.controls
        presets = {"He + ReLU, 10 layers: steady": dict(method="He", activation="relu", depth=10),
                   "Xavier + tanh": dict(method="Xavier", activation="tanh", depth=10),
                   "large random: exploding": dict(method="large random", activation="relu", depth=10),
                   "small random + tanh: vanishing": dict(method="small random", activation="tanh", depth=10),
                   "zeros: symmetry": dict(method="zeros", activation="relu", depth=6)}
        self._finish([widgets.HBox([c["method"], c["activation"]]), widgets.HBox([c["depth"], c["width"]])],
                     presets)

    def settings(self):
        c = self.controls
        values = dict(method=c["method"].value, depth=c["depth"].value, width=c["width"].value,
                      activation=c["activation"].value)
        if self.student_initializer is not None:
            values["student_initializer"] = self.student_initializer
        return values

    def _run_student(self, depth, width, activation):
        """(statistics of the student's parameters or None, verdict) for this setting, computed once."""
        key = (depth, width, activation)
        if key not in self._student_runs:
            dims = layer_dims(depth, width)
            function, name = self.student_initializer, getattr(self.student_initializer, "__name__", "initializer")
            try:  # initialize_parameters_zeros takes no seed
                takes_seed = "seed" in inspect.signature(function).parameters
            except (TypeError, ValueError):
                takes_seed = True
            arguments = {"seed": SEED} if takes_seed else {}
            call = f"your {name}({dims}{', seed=%d' % SEED if takes_seed else ''})"
            parameters, error = call_student(name, function, list(dims), **arguments)
            statistics = None
            if error:
                verdict = (False, error)
            else:
                expected = INITIALIZERS[self.student_reference](dims)
                difference = student_difference(call, parameters, expected,
                                                hint=_HINTS[self.student_reference])
                verdict = ((True, f"{call} equals the reference {self.student_reference} initialization")
                           if difference is None else (False, difference))
                try:
                    statistics = _statistics(parameters, depth, activation)
                except Exception as failure:  # unusable parameters: say why, keep the reference
                    verdict = (False, f"{verdict[1]}\nthe network could not run with them: "
                                      f"{type(failure).__name__}: {failure}")
            self._student_runs[key] = (statistics, verdict)
        return self._student_runs[key]

    def refresh(self):
        c = self.controls
        depth = c["depth"].value
        method = c["method"].value
        student_statistics = None
        if self.student_initializer is not None:
            student_statistics, self.student_verdict = self._run_student(depth, c["width"].value,
                                                                         c["activation"].value)
        if method == STUDENT:
            method = self.student_reference if student_statistics is None else method
        self.statistics = (student_statistics if method == STUDENT else
                           layer_statistics(method, depth, c["width"].value, c["activation"].value))
        peak = max(self.statistics["histograms"].max(), 1)
        for layer, line in enumerate(self.ridges, start=1):
            if layer <= depth:
                line.set_ydata(layer + 0.9 * self.statistics["histograms"][layer - 1] / peak)
            line.set_visible(layer <= depth)
        set_limits(self.hist_axes, ylim=(0.8, depth + 1))
        stds = np.nan_to_num(self.statistics["A_std"], nan=np.inf)
        norms = np.nan_to_num(self.statistics["dW_norm"], nan=np.inf)
        self.std_line.set_data(np.arange(1, depth + 1), np.maximum(stds, FLOOR))
        self.grad_line.set_data(np.arange(1, depth + 2), np.maximum(norms, FLOOR))
        set_limits(self.norm_axes, xlim=(0.5, depth + 1.5))
        note = student_note(self.student_verdict)
        self.status.value = (note + "<br>" if note else "") + _diagnosis(self.statistics)
        self.redraw()


_HINTS = {
    "He": "W[l] = randn(n[l], n[l-1]) * sqrt(2 / n[l-1]) with np.random.default_rng(seed), b[l] = 0",
    "Xavier": "W[l] = randn(n[l], n[l-1]) * sqrt(1 / n[l-1]) with np.random.default_rng(seed), b[l] = 0",
    "zeros": "every W[l] and b[l] all zeros, W[l] of shape (n[l], n[l-1])",
    "large random": "W[l] = randn(n[l], n[l-1]) * scale (default 10) with np.random.default_rng(seed), b[l] = 0",
}


def _diagnosis(statistics):
    """One sentence on what the statistics show (vanishing, exploding, symmetric or steady)."""
    norms, stds = statistics["dW_norm"], statistics["A_std"]
    ratio = norms[0] / norms[-2] if norms[-2] > 0 else np.inf
    if not np.isfinite(norms).all() or not np.isfinite(stds).all():
        return "The activations overflowed: exploding."
    if np.all(stds[1:] == 0):
        return "Every hidden unit computes the same (zero) output: nothing breaks the symmetry."
    return (f"Activation std goes from {stds[0]:.2g} (layer 1) to {stds[-1]:.2g} (layer {len(stds)}); "
            f"the first layer's gradient norm is {ratio:.2g} times the last hidden layer's.")
