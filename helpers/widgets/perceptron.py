"""Perceptron explorer (assignment 01): how w0, w1, w2 and g shape y_hat = g(w0 + w1 x1 + w2 x2)."""

import ipywidgets as widgets
import matplotlib.ticker
import numpy as np

from ..activations import ACTIVATIONS
from ..perceptron import perceptron_forward
from ._limits import WEIGHT_RANGE
from ._base import (Explorer, GridSlider, call_student, new_figure, round_out, set_limits, student_difference,
                    student_note, tidy)

#: The plane shown: x1 and x2 from -LIMIT to LIMIT.
LIMIT = 4.0
#: The activation menu's entry for the student's own function.
STUDENT = "yours"


class PerceptronExplorer(Explorer):
    """The perceptron's output over the plane, its decision line and one marked point.

    Attributes read by tests: ``controls`` ("w0", "w1", "w2", "activation"),
    ``grid`` (2, m) the plane's points as columns, ``output`` (m,) y_hat at those
    points, ``image`` (the heat map), ``line`` (decision line), ``point``,
    ``point_z`` and ``point_output`` (z and g(z) at the marked point).  With a
    ``student_activation``: the menu's "yours" runs it, ``student_curve`` (dashed) draws
    it beside the reference it is compared with (``student_reference``, the activation of
    the same name, else sigmoid), and ``student_verdict`` is (ok, sentence).
    """

    function_name = "perceptron_explorer"

    def __init__(self, w0, W, activation, point, student_activation=None, resolution=101):
        self.student_activation = student_activation
        axis = np.linspace(-LIMIT, LIMIT, resolution)
        x1, x2 = np.meshgrid(axis, axis)
        self.grid = np.vstack([x1.ravel(), x2.ravel()])
        self.grid_shape = x1.shape
        self.point = point
        self.z_axis = np.linspace(-10, 10, 201)

        self.figure = new_figure(8.0, 3.6)
        plane, curve = self.figure.subplots(1, 2, width_ratios=[1.25, 1])
        self.image = plane.imshow(
            np.zeros(self.grid_shape), origin="lower", extent=(-LIMIT, LIMIT, -LIMIT, LIMIT),
            cmap="RdBu_r", aspect="equal", interpolation="none",
            interpolation_stage="data",  # Agg: nearest neighbour, the same pixels as colouring first, 3x faster
        )  # "none": the page gets the 101 x 101 pixels and scales them (_view.RecordingRenderer.option_scale_image)
        # The colour scale: the colour map drawn from the heat map's lower to its upper limit.
        # (A matplotlib colorbar would rebuild its mesh and ticks on every change of the limits.)
        self.scale_axes = plane.inset_axes([1.05, 0.075, 0.05, 0.85])
        self.scale_image = self.scale_axes.imshow(
            np.linspace(0, 1, 256)[:, np.newaxis], origin="lower", extent=(0, 1, 0, 1), aspect="auto",
            cmap=self.image.get_cmap(), vmin=0, vmax=1, interpolation="none", interpolation_stage="data")
        self.scale_axes.set_xticks([])
        self.scale_axes.set_autoscale_on(False)  # its limits are the heat map's (set_limits), not the image's extent
        self.scale_axes.yaxis.tick_right()
        self.scale_axes.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(3))
        self.scale_axes.tick_params(labelsize=7)
        (self.line,) = plane.plot([], [], color="black", lw=1.5, label="decision line z = 0")
        plane.plot(*point, "o", color="gold", mec="black", ms=7, zorder=3)
        self.point_label = plane.annotate("", point, xytext=(6, 6), textcoords="offset points", fontsize=8)
        plane.set(xlim=(-LIMIT, LIMIT), ylim=(-LIMIT, LIMIT), xlabel="x1", ylabel="x2")
        tidy(plane)

        (self.curve,) = curve.plot(self.z_axis, np.zeros_like(self.z_axis), color="tab:blue")
        (self.curve_point,) = curve.plot([], [], "o", color="gold", mec="black", ms=7)
        (self.student_curve,) = curve.plot([], [], "--", color="black", lw=1.2)
        curve.axvline(0, color="grey", lw=0.5)
        curve.set(xlabel="z = w0 + w1 x1 + w2 x2", ylabel="g(z)")
        tidy(curve)
        self.plane, self.curve_axes = plane, curve

        def weight(name, value):
            return GridSlider(value, *WEIGHT_RANGE, 0.1, description=name, continuous_update=True)

        options = list(ACTIVATIONS)
        self.student_verdict = None
        if student_activation is not None:
            options.append(STUDENT)
            self._check_student()
        self.controls = {
            "w0": weight("w0", w0),
            "w1": weight("w1", W[0]),
            "w2": weight("w2", W[1]),
            "activation": widgets.Dropdown(options=options, value=activation, description="g"),
        }
        c = self.controls
        presets = {"slide: g(1 + 3 x1 - 2 x2)": dict(w0=1.0, w1=3.0, w2=-2.0),
                   "same line, weights x 1.5": dict(w0=1.5, w1=4.5, w2=-3.0),
                   "w0 = 0: line through the origin": dict(w0=0.0, w1=3.0, w2=-2.0)}
        self._finish([widgets.HBox([c["w0"], c["activation"]]), widgets.HBox([c["w1"], c["w2"]])], presets)

    def _check_student(self):
        """Compare the student's activation with the reference of the same name on z in [-10, 10]."""
        name = getattr(self.student_activation, "__name__", "")
        self.student_reference = name if name in ACTIVATIONS else "sigmoid"
        expected = ACTIVATIONS[self.student_reference][0](self.z_axis)
        got, error = call_student(name or "activation", self.student_activation, self.z_axis.copy())
        self.student_values = None
        if error:
            self.student_verdict = (False, error)
            return
        difference = student_difference(f"your {name or 'activation'}(z)", got, expected,
                                        where=lambda i: f"at z = {self.z_axis[i]:g}")
        if difference is None:
            self.student_values = np.asarray(got, dtype=float)
            self.student_verdict = (True, f"your {name or 'activation'} equals the reference "
                                          f"{self.student_reference} on z from -10 to 10 (dashed curve)")
        else:
            self.student_verdict = (False, difference)
            try:
                values = np.asarray(got, dtype=float)
                self.student_values = values if values.shape == self.z_axis.shape else None
            except (TypeError, ValueError):
                pass

    def _student_g(self, z):
        """The student's activation at z, or None (the explorer then shows the reference)."""
        values, error = call_student("activation", self.student_activation, z)
        if error:
            return None
        try:
            values = np.asarray(values, dtype=float)
        except (TypeError, ValueError):
            return None
        return values if values.shape == z.shape else None

    def settings(self):
        c = self.controls
        values = dict(w0=c["w0"].value, W=(c["w1"].value, c["w2"].value), activation=c["activation"].value,
                      point=tuple(self.point))
        if self.student_activation is not None:
            values["student_activation"] = self.student_activation
        return values

    def refresh(self):
        c = self.controls
        w0, W, activation = c["w0"].value, np.array([c["w1"].value, c["w2"].value]), c["activation"].value
        yours = activation == STUDENT
        reference = self.student_reference if yours else activation
        output = None
        if yours:  # the student's g on z = w0 + w1 x1 + w2 x2
            output = self._student_g(perceptron_forward(self.grid, w0, W, "linear"))
        self.output = perceptron_forward(self.grid, w0, W, reference) if output is None else output
        self.image.set_data(self.output.reshape(self.grid_shape))
        g, _ = ACTIVATIONS[reference]
        if yours:  # the curve and the marked point follow the student's g too
            reference_g = g

            def g(z):
                z = np.asarray(z, dtype=float)
                values = self._student_g(z)
                return reference_g(z) if values is None else values
        center = g(0.0)  # the output on the decision line sits at the colour map's middle
        # the spread rounded up (round_out, no margin): the colour scale's limits, and so its axis,
        # stay put while a slider moves the outputs a little (sigmoid's 0.49999996 reads 0.52)
        farthest = np.abs(self.output - center).max()
        low, high = round_out(-farthest, farthest, margin=0)
        spread = max(-low, high)
        self.image.set_clim(center - spread, center + spread)
        self.scale_image.set_extent((0, 1, center - spread, center + spread))
        set_limits(self.scale_axes, ylim=(center - spread, center + spread))

        self.line.set_data(*_line_through_plane(w0, W))
        self.point_z = perceptron_forward(np.asarray(self.point), w0, W, "linear")
        self.point_output = float(g(self.point_z))
        self.point_label.set_text(f"x = ({self.point[0]:g}, {self.point[1]:g})\n"
                                  f"y = g({self.point_z:.3g}) = {self.point_output:.4g}")
        self.plane.title.set_text(f"y = {activation}({w0:g} {_signed(W[0])} x1 {_signed(W[1])} x2)")

        curve_values = g(self.z_axis)
        self.curve.set_ydata(curve_values)
        self.curve_point.set_data([self.point_z], [self.point_output])
        low, high = curve_values.min(), curve_values.max()
        margin = 0.05 * (high - low)
        set_limits(self.curve_axes, ylim=(low - margin, high + margin))
        self.curve_axes.title.set_text(f"g = {activation}")
        if self.student_activation is not None and self.student_values is not None:
            self.student_curve.set_data(self.z_axis, self.student_values)
        self.status.value = student_note(self.student_verdict)
        self.redraw()


def _signed(weight):
    """"+ 3" or "- 2": a weight as it reads inside a sum."""
    return f"{'-' if weight < 0 else '+'} {abs(weight):g}"


def _line_through_plane(w0, W):
    """End points of the line w0 + W[0] x1 + W[1] x2 = 0 across the plotted square (empty if W = 0)."""
    if W[0] == 0 and W[1] == 0:
        return [], []
    span = np.array([-LIMIT, LIMIT])
    if abs(W[1]) >= abs(W[0]):
        return span, -(w0 + W[0] * span) / W[1]
    return -(w0 + W[1] * span) / W[0], span
