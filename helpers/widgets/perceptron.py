"""Perceptron explorer (assignment 01): how w0, w1, w2 and g shape y_hat = g(w0 + w1 x1 + w2 x2)."""

import ipywidgets as widgets
import matplotlib.ticker
import numpy as np

from ..activations import ACTIVATIONS
from ..perceptron import perceptron_forward
from ._limits import WEIGHT_RANGE
from ._base import Explorer, StrictFloatSlider, new_figure, tidy

#: The plane shown: x1 and x2 from -LIMIT to LIMIT.
LIMIT = 4.0


class PerceptronExplorer(Explorer):
    """The perceptron's output over the plane, its decision line and one marked point.

    Attributes read by tests: ``controls`` ("w0", "w1", "w2", "activation"),
    ``grid`` (2, m) the plane's points as columns, ``output`` (m,) y_hat at those
    points, ``image`` (the heat map), ``line`` (decision line), ``point``,
    ``point_z`` and ``point_output`` (z and g(z) at the marked point).
    """

    def __init__(self, w0, W, activation, point, resolution=101):
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
            cmap="RdBu_r", aspect="equal", interpolation="nearest",
            interpolation_stage="data",  # nearest neighbour: the same pixels as colouring first, 3x faster
        )
        # The colour scale: the colour map drawn from the heat map's lower to its upper limit.
        # (A matplotlib colorbar would rebuild its mesh and ticks on every change of the limits.)
        self.scale_axes = plane.inset_axes([1.05, 0.075, 0.05, 0.85])
        self.scale_image = self.scale_axes.imshow(
            np.linspace(0, 1, 256)[:, np.newaxis], origin="lower", extent=(0, 1, 0, 1), aspect="auto",
            cmap=self.image.get_cmap(), vmin=0, vmax=1, interpolation="nearest", interpolation_stage="data")
        self.scale_axes.set_xticks([])
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
        curve.axvline(0, color="grey", lw=0.5)
        curve.set(xlabel="z = w0 + w1 x1 + w2 x2", ylabel="g(z)")
        tidy(curve)
        self.plane, self.curve_axes = plane, curve

        def weight(name, value):
            return StrictFloatSlider(value=value, min=WEIGHT_RANGE[0], max=WEIGHT_RANGE[1], step=0.1,
                                     description=name, continuous_update=True)

        self.controls = {
            "w0": weight("w0", w0),
            "w1": weight("w1", W[0]),
            "w2": weight("w2", W[1]),
            "activation": widgets.Dropdown(options=list(ACTIVATIONS), value=activation, description="g"),
        }
        c = self.controls
        self._finish([widgets.HBox([c["w0"], c["activation"]]), widgets.HBox([c["w1"], c["w2"]])])

    def refresh(self):
        c = self.controls
        w0, W, activation = c["w0"].value, np.array([c["w1"].value, c["w2"].value]), c["activation"].value
        self.output = perceptron_forward(self.grid, w0, W, activation)
        self.image.set_data(self.output.reshape(self.grid_shape))
        g, _ = ACTIVATIONS[activation]
        center = g(0.0)  # the output on the decision line sits at the colour map's middle
        spread = max(np.abs(self.output - center).max(), 1e-12)
        self.image.set_clim(center - spread, center + spread)
        self.scale_image.set_extent((0, 1, center - spread, center + spread))
        self.scale_axes.set_ylim(center - spread, center + spread)

        self.line.set_data(*_line_through_plane(w0, W))
        self.point_z = perceptron_forward(np.asarray(self.point), w0, W, "linear")
        self.point_output = perceptron_forward(np.asarray(self.point), w0, W, activation)
        self.point_label.set_text(f"x = ({self.point[0]:g}, {self.point[1]:g})\n"
                                  f"y = g({self.point_z:.3g}) = {self.point_output:.4g}")
        self.plane.title.set_text(f"y = {activation}({w0:g} {_signed(W[0])} x1 {_signed(W[1])} x2)")

        curve_values = g(self.z_axis)
        self.curve.set_ydata(curve_values)
        self.curve_point.set_data([self.point_z], [self.point_output])
        low, high = curve_values.min(), curve_values.max()
        margin = 0.05 * (high - low)
        self.curve_axes.set_ylim(low - margin, high + margin)
        self.curve_axes.title.set_text(f"g = {activation}")
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
