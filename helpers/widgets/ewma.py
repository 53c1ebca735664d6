"""EWMA explorer (assignment 03): V_t = beta V_{t-1} + (1 - beta) theta_t on real temperatures,
bias correction, and the same average applied to gradients (momentum)."""

import ipywidgets as widgets
import numpy as np
from matplotlib.patches import Rectangle

from ..optimizers import _momentum_update, ewma
from ._limits import BETA_PRESETS, BETA_RANGE
from ._base import (Explorer, PythonName, GridSlider, call_student, color_key, new_figure, set_limits,
                    student_difference, student_note, tidy)

GRADIENT_STEPS = 150


def noisy_gradients(steps=GRADIENT_STEPS, seed=3):
    """A made-up gradient sequence dW_t: a slowly turning true gradient plus mini-batch noise.

    Shape (steps,).  Stands for what a mini-batch optimizer sees at each step.
    """
    rng = np.random.default_rng(seed)
    t = np.arange(steps)
    return np.cos(2 * np.pi * t / steps) + 0.8 * rng.standard_normal(steps)


def momentum_velocities(gradients, beta):
    """v_dW after each step of momentum (``update_parameters_with_momentum``'s arithmetic) fed
    ``gradients`` (shape (T,)).

    The parameter is a single weight, updated as a float64 scalar: the same numbers as a
    1 x 1 array, without the checks and the arrays of the public function (150 steps: 0.3 ms,
    not 4.7). The learning rate does not change v.
    """
    parameters, v = {"W": np.float64(0.0)}, {"dW": np.float64(0.0)}
    velocities = np.empty(len(gradients))
    for t, gradient in enumerate(np.asarray(gradients, dtype=float).tolist()):
        parameters, v = _momentum_update(parameters, {"dW": gradient}, v, beta, learning_rate=0.1)
        velocities[t] = v["dW"]
    return velocities


class EwmaExplorer(Explorer):
    """Daily temperatures with their EWMA, bias-corrected EWMA and averaging window.

    Attributes read by tests: ``controls`` ("beta", "bias_correction", "preset 0.5", ...),
    ``temperatures`` (T,), ``average`` and ``corrected`` (T,) for the current beta,
    ``window`` = 1 / (1 - beta), ``gradients`` and ``velocities`` (the momentum panel),
    and the artists ``lines`` (name -> Line2D) and ``window_patch``.  With a
    ``student_ewma``: ``student_average`` (T,) (None if it raised or returned no such
    array), drawn as ``lines["yours"]``, and ``student_verdict`` (ok, sentence).
    """

    function_name = "ewma_explorer"

    def __init__(self, temperatures, beta, bias_correction=True, student_ewma=None, temperatures_given=True):
        self.temperatures = temperatures
        self.student_ewma, self.temperatures_given = student_ewma, temperatures_given
        self.student_average = self.student_verdict = None
        self.days = np.arange(1, len(temperatures) + 1)
        self.gradients = noisy_gradients()
        steps = np.arange(1, len(self.gradients) + 1)

        self.figure = new_figure(8.5, 4.6)
        axes = self.figure.subplot_mosaic([["main", "main", "zoom"], ["grad", "grad", "grad"]],
                                          height_ratios=[1.3, 1])
        main, zoom, grad = axes["main"], axes["zoom"], axes["grad"]
        self.lines = {}
        for ax, prefix in ((main, ""), (zoom, "zoom ")):
            (self.lines[prefix + "raw"],) = ax.plot(self.days, temperatures, ".", color="0.6", ms=2.5,
                                                    label="temperature")
            (self.lines[prefix + "ewma"],) = ax.plot(self.days, temperatures, color="tab:red", lw=1.6,
                                                     label="EWMA")
            (self.lines[prefix + "corrected"],) = ax.plot(self.days, temperatures, "--", color="tab:green",
                                                          lw=1.4, label="corrected")
        (self.lines["yours"],) = main.plot([], [], ":", color="black", lw=1.4, label="your ewma")
        (self.lines["zoom yours"],) = zoom.plot([], [], ":", color="black", lw=1.4)
        low, high = temperatures.min(), temperatures.max()
        pad = 0.08 * (high - low)
        main.set(xlim=(1, len(temperatures)), ylim=(low - pad, high + pad))
        zoom.set(ylim=(min(0.0, low) - pad, max(0.0, high) + pad))
        color_key(main, [("daily temperature (dots)", "0.45"), ("EWMA", "tab:red"),
                         ("bias-corrected EWMA (dashed)", "tab:green")]
                  + ([("your ewma (dotted)", "black")] if student_ewma is not None else []))
        # The window V_t mostly averages over: the last 1/(1 - beta) days before the marked day.
        self.window_end = int(0.75 * len(temperatures))
        self.window_patch = Rectangle((0, 0), 0, 1, transform=main.get_xaxis_transform(),
                                      color="tab:orange", alpha=0.25, lw=0)
        main.add_patch(self.window_patch)
        self.window_label = main.text(self.window_end, 0.97, "", ha="right", va="top", fontsize=8,
                                      transform=main.get_xaxis_transform())

        (self.lines["gradients"],) = grad.plot(steps, self.gradients, ".", color="0.6", ms=3,
                                               label="gradient dW")
        (self.lines["gradient ewma"],) = grad.plot(steps, self.gradients, color="tab:red", lw=1.6,
                                                   label="EWMA")
        (self.lines["velocity"],) = grad.plot(steps, self.gradients, "o", color="tab:purple", ms=5,
                                              mfc="none", mew=1.2, markevery=3,
                                              label="momentum v")
        grad.set(xlim=(1, len(steps)))
        grad.set_title("gradients dW (dots), their EWMA (red), momentum's v (circles)", fontsize=8)
        for ax in (main, zoom, grad):
            tidy(ax)
        self.main, self.zoom, self.grad = main, zoom, grad

        self.controls = {
            "beta": GridSlider(beta, *BETA_RANGE, 0.001, description="beta"),
            "bias_correction": widgets.Checkbox(value=bias_correction, description="bias correction",
                                                indent=False),
        }
        c = self.controls
        # the slides' three betas (about 2, 10 and 50 days): buttons "preset 0.5", ...
        self._finish([widgets.HBox([c["beta"], c["bias_correction"]])],
                     {f"{preset:g}": dict(beta=preset) for preset in BETA_PRESETS})

    def set_beta(self, beta):
        """Move the beta slider (refused with a clear message outside its range)."""
        self.controls["beta"].value = beta

    def settings(self):
        values = {"beta": self.controls["beta"].value, "bias_correction": self.controls["bias_correction"].value}
        if self.student_ewma is not None:
            values["student_ewma"] = self.student_ewma
        if self.temperatures_given:  # the notebook's own series, by the name it has there
            return {"temperatures": PythonName("temperatures"), **values}
        return values

    def _student_line(self, beta, corrected):
        """Run the student's ewma as the check box says; set the dotted line and the verdict."""
        name = f"your ewma(temperatures, beta={beta:g}, bias_correction={corrected})"
        got, error = call_student("ewma", self.student_ewma, self.temperatures.copy(), beta,
                                  bias_correction=corrected)
        expected = self.corrected if corrected else self.average
        self.student_average = None
        if error:
            self.student_verdict = (False, error)
        else:
            difference = student_difference(name, got, expected, where=lambda i: f"on day {i + 1} (V_{i + 1})",
                                            hint="V_t = beta V_(t-1) + (1 - beta) theta_t from V_0 = 0; "
                                                 "corrected: V_t / (1 - beta^t) with t counted from 1")
            self.student_verdict = (True, f"your ewma equals the reference for beta = {beta:g}") \
                if difference is None else (False, difference)
            try:
                values = np.asarray(got, dtype=float)
                if values.shape == self.temperatures.shape:
                    self.student_average = values
            except (TypeError, ValueError):
                pass
        for key in ("yours", "zoom yours"):
            if self.student_average is None:
                self.lines[key].set_data([], [])
            else:
                self.lines[key].set_data(self.days, self.student_average)

    def refresh(self):
        beta = self.controls["beta"].value
        show_corrected = self.controls["bias_correction"].value
        self.average = ewma(self.temperatures, beta)
        self.corrected = ewma(self.temperatures, beta, bias_correction=True)
        self.window = 1.0 / (1.0 - beta)
        for prefix in ("", "zoom "):
            self.lines[prefix + "ewma"].set_ydata(self.average)
            self.lines[prefix + "corrected"].set_ydata(self.corrected)
            self.lines[prefix + "corrected"].set_visible(show_corrected)
        start = max(self.window_end - self.window, 0.5)
        self.window_patch.set_bounds(start, 0, self.window_end - start, 1)
        self.window_label.set_text(f"{self.window:.0f} days ")
        # Zoom on the start, where V_t is still pulled towards V_0 = 0.
        zoom_days = int(min(len(self.temperatures), max(20, 3 * self.window)))
        set_limits(self.zoom, xlim=(0.5, zoom_days + 0.5))
        self.zoom.title.set_text(f"first {zoom_days} days")
        self.main.title.set_text(f"daily temperature, beta = {beta:.3f}")

        self.gradient_average = ewma(self.gradients, beta)
        self.velocities = momentum_velocities(self.gradients, beta)
        self.lines["gradient ewma"].set_ydata(self.gradient_average)
        self.lines["velocity"].set_ydata(self.velocities)
        if self.student_ewma is not None:
            self._student_line(beta, show_corrected)
        self.status.value = student_note(self.student_verdict) + ("<br>" if self.student_verdict else "") + (
            f"<b>beta = {beta:.3f}</b>: V<sub>t</sub> averages about the last 1/(1 - beta) = "
            f"{self.window:.0f} days (orange band). Right: the first days, where V<sub>0</sub> = 0 drags "
            "the plain EWMA down and V<sub>t</sub>/(1 - beta<sup>t</sup>) fixes it. Bottom: noisy gradients, "
            "their EWMA, and the velocity v = beta v + (1 - beta) dW of "
            "<code>update_parameters_with_momentum</code>: the same curve, momentum is this EWMA."
        )
        self.redraw()

