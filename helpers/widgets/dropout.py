"""Dropout explorer (assignment 04): inverted dropout on a small network, why the survivors are
divided by keep_prob, and what dropout does to a decision boundary."""

import functools

import contourpy
import ipywidgets as widgets
import numpy as np
from matplotlib import colormaps

from ..nn import L_model_forward, initialize_parameters, linear_activation_forward, predict
from ..training import train
from ..regularization import dropout_forward
from ._base import (Explorer, GridSlider, call_student, color_key, grading, new_figure, set_limits,
                    student_difference, student_note, tidy)
from ._limits import KEEP_PROB_RANGE

#: The network drawn as a diagram; its first hidden layer's activations are the bars.
DIAGRAM_DIMS = (2, 8, 8, 1)
DIAGRAM_INPUT = np.array([[-0.5], [1.0]])
DIAGRAM_SEED = 6  # a draw where 7 of the 8 first-layer units are active for that input
#: Masks averaged to show that E[a * d / keep_prob] = a.
MASKS = 2000
#: keep_prob values a network is trained with; the slider shows the nearest one.
TRAINED_KEEP_PROBS = (0.5, 0.6, 0.7, 0.8, 0.9, 1.0)
TRAINING = dict(layer_dims=[2, 40, 40, 1], optimizer="adam", learning_rate=0.02, num_epochs=300, seed=0)
ACTIVE, DROPPED = "tab:blue", "0.85"
COOLWARM = colormaps["coolwarm"]  # the two classes of the training points


@functools.lru_cache(maxsize=2)
def planar_split(kind="moons"):
    """(X_train, Y_train, X_dev, Y_dev) from ``helpers.data.load_planar``: a small noisy
    training set (100 points, easy to overfit) and a separate dev set (300 points)."""
    from ..data import load_planar

    X_train, Y_train = load_planar(kind, m=100, noise=0.3, seed=0)
    X_dev, Y_dev = load_planar(kind, m=300, noise=0.3, seed=1)
    return X_train, Y_train, X_dev, Y_dev


@functools.lru_cache(maxsize=16)
def trained_network(keep_prob, kind="moons"):
    """A network trained by ``helpers.train`` with ``keep_prob`` on the planar training set.

    Returns a dict: "parameters", "train_accuracy", "dev_accuracy", and "boundary", an
    (k, 2) polyline of the 0.5 level of its output on a grid (NaN rows separate pieces).
    Cached, so each keep_prob is trained once per session (about half a second).
    """
    X_train, Y_train, X_dev, Y_dev = planar_split(kind)
    parameters, _ = train(X_train, Y_train, keep_prob=keep_prob, progress=False, **TRAINING)
    x1, x2, grid = _grid(X_train)
    probabilities = L_model_forward(grid, parameters)[0].reshape(x1.shape)
    lines = contourpy.contour_generator(x1, x2, probabilities).lines(0.5)
    boundary = np.vstack([np.vstack([line, [np.nan, np.nan]]) for line in lines]) if lines else np.empty((0, 2))
    return {
        "parameters": parameters,
        "train_accuracy": float(np.mean(predict(X_train, parameters) == Y_train)),
        "dev_accuracy": float(np.mean(predict(X_dev, parameters) == Y_dev)),
        "boundary": boundary,
    }


def _polyline(segments):
    """(x, y) of segments (n, 2, 2) as one line, each segment followed by a NaN that breaks it."""
    broken = np.concatenate([segments, np.full((len(segments), 1, 2), np.nan)], axis=1)
    return broken.reshape(-1, 2).T


def _grid(X, points=80):
    (low1, low2), (high1, high2) = X.min(axis=1) - 0.5, X.max(axis=1) + 0.5
    x1, x2 = np.meshgrid(np.linspace(low1, high1, points), np.linspace(low2, high2, points))
    return x1, x2, np.vstack([x1.ravel(), x2.ravel()])


def nearest_trained(keep_prob):
    """The keep_prob in TRAINED_KEEP_PROBS closest to ``keep_prob``."""
    return min(TRAINED_KEEP_PROBS, key=lambda trained: abs(trained - keep_prob))


class DropoutExplorer(Explorer):
    """Inverted dropout on a diagram, on one layer's activations, and on a trained boundary.

    Attributes read by tests: ``controls`` ("keep_prob", "mode", "new mask"),
    ``activations`` (8, 1) the first hidden layer's a, ``masks`` (8, MASKS) the masks
    D of that layer (column 0 is the one drawn), ``dropped`` (8, MASKS) the outputs
    a * D / keep_prob, ``mean_output`` (8,) their mean, ``layer2_mask`` (8, 1),
    ``trained`` (the dict of :func:`trained_network` shown, None while grading) and the
    artists ``nodes`` and ``edges`` ({True: the kept ones, False: the dropped ones}, each one
    Line2D), ``before_bars``, ``after_bars``, ``mean_marks``,
    ``boundary_lines``.  With a ``student_dropout``: ``student_output`` (8, MASKS) what it
    returned for the same masks (None if it raised or at inference), marked by
    ``student_marks``, and ``student_verdict`` (ok, sentence).
    """

    function_name = "dropout_explorer"

    def __init__(self, keep_prob, kind, mode="train", mask_seed=0, student_dropout=None):
        self.kind = kind
        self.mask_seed = mask_seed
        self.student_dropout = student_dropout
        self.student_output = self.student_verdict = None
        self.parameters = initialize_parameters(list(DIAGRAM_DIMS), method="he", seed=DIAGRAM_SEED)
        self.activations, _ = linear_activation_forward(
            DIAGRAM_INPUT, self.parameters["W1"], self.parameters["b1"], "relu")

        self.figure = new_figure(9.0, 3.4)
        self.diagram_axes, self.bar_axes, self.boundary_axes = self.figure.subplots(
            1, 3, width_ratios=[0.8, 1, 1])
        self._draw_diagram()
        self._draw_bars()
        self._draw_boundary_panel()

        self.controls = {
            "keep_prob": GridSlider(keep_prob, *KEEP_PROB_RANGE, 0.05, description="keep_prob"),
            "mode": widgets.ToggleButtons(options=["train", "inference"], value=mode,
                                          style={"button_width": "80px"}),
            "new mask": widgets.Button(description="new mask", icon="refresh"),
        }
        self.controls["new mask"].on_click(self.new_mask)
        c = self.controls
        presets = {"keep_prob 0.8 (Keras Dropout(0.2))": dict(keep_prob=0.8, mode="train"),
                   "keep_prob 0.5": dict(keep_prob=0.5, mode="train"),
                   "inference": dict(mode="inference")}
        self._finish([widgets.HBox([c["keep_prob"], c["mode"], c["new mask"]])], presets)
        if not grading():  # every network the slider can show, trained now rather than on the slider's path
            for trained in TRAINED_KEEP_PROBS:
                trained_network(trained, self.kind)

    # ---------------------------------------------------------------- static parts
    def _draw_diagram(self):
        ax = self.diagram_axes
        self.positions = []
        for layer, units in enumerate(DIAGRAM_DIMS):
            heights = np.linspace(-1, 1, units) * (units - 1) / 7 if units > 1 else np.zeros(1)
            self.positions.append(np.column_stack([np.full(units, layer), heights]))
        segments, self.edge_units = [], []
        for layer in range(len(DIAGRAM_DIMS) - 1):
            for i, start in enumerate(self.positions[layer]):
                for j, end in enumerate(self.positions[layer + 1]):
                    segments.append([start, end])
                    self.edge_units.append(((layer, i), (layer + 1, j)))
        self.edge_segments = np.array(segments)  # (88, 2, 2): from, to
        self.node_positions = np.vstack(self.positions)  # (19, 2), layer by layer
        # Kept and dropped parts are one line each (segments split by NaN, markers without a
        # line) rather than a collection of 88 lines and 19 points: a collection is written
        # down element by element, and these were half of this explorer's recording.
        self.edges = {kept: ax.plot([], [], color=ACTIVE if kept else DROPPED, lw=0.6, zorder=1.1 if kept else 1)[0]
                      for kept in (False, True)}
        self.nodes = {kept: ax.plot([], [], "o", ls="none", ms=np.sqrt(70), mfc=ACTIVE if kept else DROPPED,
                                    mec="black", mew=0.6, zorder=2)[0]
                      for kept in (False, True)}
        ax.set(xlim=(-0.4, len(DIAGRAM_DIMS) - 0.6), ylim=(-1.15, 1.15))
        ax.set_axis_off()
        self.diagram_title = ax.set_title("", fontsize=8)

    def _draw_bars(self):
        ax = self.bar_axes
        units = np.arange(1, DIAGRAM_DIMS[1] + 1)
        a = self.activations[:, 0]
        self.before_bars = ax.bar(units - 0.2, a, width=0.4, color="lightsteelblue", label="a")
        self.after_bars = ax.bar(units + 0.2, a, width=0.4, color=ACTIVE, label="a * d / keep_prob")
        (self.mean_marks,) = ax.plot(units, a, "_", color="black", ms=11, mew=2,
                                     label=f"mean over {MASKS} masks")
        (self.unscaled_marks,) = ax.plot(units, a, "_", color="tab:red", ms=9, mew=1.5,
                                         label="same, without / keep_prob")
        (self.student_marks,) = ax.plot([], [], "x", color="black", ms=6, mew=1.5, zorder=5)
        ax.set_xlabel("the 8 units of hidden layer 1")
        color_key(ax, [("a (before)", "lightsteelblue"), ("a * d / keep_prob (after)", ACTIVE),
                       (f"mean over {MASKS} masks", "black"), ("mean without / keep_prob", "tab:red")]
                  + ([("your dropout_forward (crosses)", "black")] if self.student_dropout is not None else []),
                  fontsize=6.5)
        tidy(ax, nbins=4)
        ax.set_xticks([])

    def _draw_boundary_panel(self):
        ax = self.boundary_axes
        self.boundary_lines = {}
        if grading():
            self.trained = None
            ax.text(0.5, 0.5, "training skipped while grading", ha="center", transform=ax.transAxes, fontsize=8)
            ax.set_axis_off()
            return
        X_train, Y_train, _, _ = planar_split(self.kind)
        for label, colour in ((0, COOLWARM(0.0)), (1, COOLWARM(1.0))):  # one line of markers per class
            ax.plot(*X_train[:, Y_train[0] == label], "o", ls="none", ms=np.sqrt(10), color=colour, mec="none")
        (self.boundary_lines["without"],) = ax.plot([], [], "--", color="0.3", lw=1.3)
        (self.boundary_lines["with"],) = ax.plot([], [], color="black", lw=1.8)
        x1, x2, _ = _grid(X_train)
        ax.set(xlim=(x1.min(), x1.max()), ylim=(x2.min(), x2.max()), xticks=[], yticks=[])

    def settings(self):
        values = dict(keep_prob=self.controls["keep_prob"].value, kind=self.kind,
                      mode=self.controls["mode"].value, mask_seed=self.mask_seed)
        if self.student_dropout is not None:
            values["student_dropout"] = self.student_dropout
        return values

    # ---------------------------------------------------------------- updates
    def new_mask(self, _button=None):
        """Draw new dropout masks (what the "new mask" button does)."""
        self.mask_seed += 1
        self.refresh()

    def refresh(self):
        keep_prob = self.controls["keep_prob"].value
        training = self.controls["mode"].value == "train"
        rng = np.random.default_rng(self.mask_seed)
        a = self.activations
        if training:
            self.dropped, self.masks = dropout_forward(np.repeat(a, MASKS, axis=1), keep_prob, rng=rng)
            first_output = self.dropped[:, :1]
        else:  # at inference every unit is kept and nothing is rescaled
            self.masks = np.ones((a.shape[0], MASKS), dtype=bool)
            self.dropped = np.repeat(a, MASKS, axis=1)
            first_output = a
        self.mean_output = self.dropped.mean(axis=1)
        layer2, _ = linear_activation_forward(first_output, self.parameters["W2"], self.parameters["b2"], "relu")
        self.layer2_mask = dropout_forward(layer2, keep_prob, rng=rng)[1] if training else np.ones_like(layer2, bool)

        kept = [np.ones(DIAGRAM_DIMS[0], bool), self.masks[:, 0], self.layer2_mask[:, 0],
                np.ones(DIAGRAM_DIMS[-1], bool)]
        node_kept = np.concatenate(kept)
        edge_kept = np.array([kept[l1][i] and kept[l2][j] for (l1, i), (l2, j) in self.edge_units])
        for shown in (False, True):
            self.nodes[shown].set_data(*self.node_positions[node_kept == shown].T)
            self.edges[shown].set_data(*_polyline(self.edge_segments[edge_kept == shown]))
        self.diagram_title.set_text(
            f"{'training' if training else 'inference'}: {int(self.masks[:, 0].sum() + self.layer2_mask.sum())}"
            f" of {2 * DIAGRAM_DIMS[1]} hidden units kept")
        for bar, value in zip(self.after_bars, first_output[:, 0]):
            bar.set_height(value)
        self.mean_marks.set_ydata(self.mean_output)
        set_limits(self.bar_axes, ylim=(0, 1.15 * max(first_output.max(), a.max(), 1e-6)))
        self.unscaled_marks.set_ydata(self.mean_output * (keep_prob if training else 1.0))
        self.bar_axes.set_title(f"keep_prob = {keep_prob:.2f}: survivors divided by {keep_prob:.2f}"
                                if training else "inference: no dropout, no scaling", fontsize=8)
        if self.student_dropout is not None:
            self._run_student(keep_prob, training)
        self.status.value = student_note(self.student_verdict)
        self._show_boundaries(keep_prob)
        self.redraw()

    def _run_student(self, keep_prob, training):
        """The student's dropout_forward on the same activations and masks as the reference."""
        self.student_output = None
        if not training:
            self.student_marks.set_data([], [])
            self.student_verdict = (True, "at inference dropout is not applied: your dropout_forward is not called")
            return
        A = np.repeat(self.activations, MASKS, axis=1)
        got, error = call_student("dropout_forward", self.student_dropout, A.copy(), keep_prob, D=self.masks.copy())
        if error is None and isinstance(got, tuple):
            got = got[0]  # (A_out, D) like the reference: compare A_out
        if error:
            self.student_verdict = (False, error)
        else:
            difference = student_difference(
                f"your dropout_forward(A, keep_prob={keep_prob:g}, D=D)[0]", got, self.dropped,
                where=lambda i: f"at unit {i // MASKS + 1} of the 8, mask {i % MASKS + 1} (kept: "
                                f"{bool(self.masks.ravel()[i])})",
                hint="A_out = A * D / keep_prob: dropped units give 0, kept ones are divided by keep_prob")
            self.student_verdict = (True, f"your dropout_forward equals the reference for keep_prob = "
                                          f"{keep_prob:g} on {MASKS} masks") \
                if difference is None else (False, difference)
            try:
                values = np.asarray(got, dtype=float)
                if values.shape == A.shape:
                    self.student_output = values
            except (TypeError, ValueError):
                pass
        if self.student_output is None:
            self.student_marks.set_data([], [])
        else:
            self.student_marks.set_data(np.arange(1, DIAGRAM_DIMS[1] + 1) + 0.2, self.student_output[:, 0])

    def _show_boundaries(self, keep_prob):
        if not self.boundary_lines:
            return
        self.trained_keep_prob = nearest_trained(keep_prob)
        self.trained = trained_network(self.trained_keep_prob, self.kind)
        baseline = trained_network(1.0, self.kind)
        self.boundary_lines["with"].set_data(*self.trained["boundary"].T)
        self.boundary_lines["without"].set_data(*baseline["boundary"].T)
        self.boundary_lines["with"].set_visible(self.trained_keep_prob < 1.0)
        self.boundary_axes.set_title(
            f"no dropout (dashed): train {baseline['train_accuracy']:.0%}, dev {baseline['dev_accuracy']:.0%}\n"
            f"keep_prob {self.trained_keep_prob:.1f}: train {self.trained['train_accuracy']:.0%}, "
            f"dev {self.trained['dev_accuracy']:.0%}", fontsize=8)
