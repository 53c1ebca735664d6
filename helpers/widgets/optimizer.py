"""Optimizer explorer (assignment 03): gradient descent, momentum, RMSprop and Adam on 2-D cost
landscapes, and the student's own Adam beside the reference."""

import functools
import time
from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np

from ..optimizers import (
    initialize_adam,
    initialize_optimizer_state,
    inverse_time_decay,
    _unchecked_optimizer_step,
)
from ._base import (
    Explorer,
    student_note,
    color_key,
    GridSlider,
    StrictIntSlider,
    new_figure,
    round_out,
    set_limits,
    tidy,
)
from ._view import DrawnOnce, placement_key
from .landscapes import BOX, LANDSCAPES

#: Reference optimizers (names of ``helpers.optimizers.optimizer_step``) and their colours.
OPTIMIZERS = {"gd": ("GD", "tab:blue"), "momentum": ("Momentum", "tab:orange"),
              "rmsprop": ("RMSprop", "tab:green"), "adam": ("Adam", "tab:red")}
STUDENT = "yours"
STUDENT_STYLE = ("your Adam", "black")
GRID_POINTS = 121
#: Student runs an explorer keeps (see ``OptimizerExplorer.refresh``).
STUDENT_RUNS_KEPT = 64
#: Seconds from a change to the end of the runs its figure shows: the student's update runs in
#: what the reference runs leave of them.  A student's run not finished by then is drawn as far
#: as it got, then finished and drawn whole: the reference runs follow the hand whatever the
#: student's code costs (400 steps of the checked reference Adam take 15 to 40 ms).
SECONDS_BEFORE_THE_FIGURE = 0.010
#: A student's run that would end within this many seconds more is finished before the figure,
#: not drawn again in a second one: recording a figure costs about as much (7 to 12 ms).
SECONDS_A_FIGURE_COSTS = 0.008


@dataclass(frozen=True)
class Run:
    """One optimization run: ``path`` (k + 1, 2) of (w1, w2) from the start, ``costs`` (k + 1,),
    and ``left_at``: the step that left the plotted square (or went non-finite), else None."""

    path: np.ndarray
    costs: np.ndarray
    left_at: int | None


def start_parameters(w1, w2):
    """The course's parameter dict for the point (w1, w2): {"W1": [[w1, w2]], "b1": [[0.]]}.

    The bias b1 is there because the update rules walk through W1 and b1; its
    gradient is always 0, so it never moves.
    """
    return {"W1": np.array([[w1, w2]], dtype=float), "b1": np.zeros((1, 1))}


class _Runner:
    """One optimization run from ``start`` on ``landscape`` that can be continued: ``run(k)``
    gives the first k updates as a :class:`Run`, computing only the updates not made yet (the
    first k updates of a run do not depend on how many follow, so a run of k steps is the
    start of a longer one).

    ``optimizer`` names a reference rule ("gd", "momentum", "rmsprop", "adam": the arithmetic
    of ``helpers.optimizers.optimizer_step``, with its default betas); ``update``
    instead gives a function with the signature of ``update_parameters_with_adam``:
    ``update(parameters, grads, v, s, t, learning_rate) -> (parameters, v, s, ...)``.
    At step t (1, 2, ...) the rate is ``inverse_time_decay(learning_rate, t - 1, decay_rate)``.
    The run stops at the first point outside [-BOX, BOX]^2 or not finite (``left_at``).
    """

    def __init__(self, landscape, start, learning_rate, decay_rate=0.0, optimizer="gd", update=None):
        self.landscape, self.learning_rate, self.decay_rate = landscape, learning_rate, decay_rate
        self.optimizer, self.update = optimizer, update
        if update is None:
            # Each rule updates every parameter on its own: the reference updates w1 and w2 as two
            # scalar parameters, the same arithmetic on the same float64 numbers as on the course's
            # W1 = [[w1, w2]] (and b1, whose gradient is 0): Adam's arithmetic 3 us a step, not 17.
            self.parameters = {"w1": np.float64(start[0]), "w2": np.float64(start[1])}
            self.state = initialize_optimizer_state(optimizer, self.parameters)
        else:  # the student's update gets the course's parameters
            self.parameters = start_parameters(*start)
            self.state = initialize_adam(self.parameters)
        self.path, self.left_at = [tuple(np.asarray(start, dtype=float).tolist())], None  # (w1, w2) per step

    def finished(self, iterations):
        """Whether the first ``iterations`` updates are made (or the run has left the plot)."""
        return self.left_at is not None or len(self.path) - 1 >= iterations

    def _reference_step(self, t, rate):
        """Step t of the reference rule at ``rate``; the new (w1, w2)."""
        w1, w2 = self.parameters["w1"], self.parameters["w2"]
        d1, d2 = self.landscape.gradient(w1, w2)
        # inverse_time_decay checked the rates; the start and betas are ours
        self.parameters, self.state = _unchecked_optimizer_step(self.optimizer, self.parameters,
                                                                {"dw1": d1, "dw2": d2}, self.state, t, rate)
        return self.parameters["w1"], self.parameters["w2"]

    def _student_step(self, t, rate):
        """Step t of the student's update at ``rate``; the new (w1, w2)."""
        grads = self.landscape.grads(self.parameters)
        parameters, v, s = self.update(self.parameters, grads, *self.state, t, learning_rate=rate)[:3]
        w1, w2 = np.asarray(parameters["W1"], dtype=float).reshape(-1)[:2].tolist()
        self.parameters, self.state = parameters, (v, s)
        return w1, w2

    def _advance(self, iterations, deadline=None, finish_within=0.0):
        done = len(self.path) - 1
        if self.finished(iterations):
            return
        step = self._reference_step if self.update is None else self._student_step
        # the rates of steps done + 1 ... iterations, from the reference schedule in one call
        rates = np.atleast_1d(inverse_time_decay(self.learning_rate, np.arange(done, iterations), self.decay_rate))
        started = time.perf_counter()
        for t, rate in zip(range(done + 1, iterations + 1), rates.tolist()):
            if deadline is not None and (now := time.perf_counter()) > deadline:
                made = t - 1 - done
                if not made or (iterations - made - done) * (now - started) / made > finish_within:
                    return  # the updates made so far; run() again continues from here
                deadline = None  # nearly there at the pace so far: finish now
            # each step is kept as soon as it is made: a student's update that raises at step t
            # leaves the run at step t - 1, and the next run() tries step t again
            w1, w2 = step(t, rate)
            self.path.append((w1, w2))
            if not (-BOX <= w1 <= BOX and -BOX <= w2 <= BOX):  # False for inf and NaN too
                self.left_at = t
                break

    def run(self, iterations, deadline=None, finish_within=0.0):
        """The first ``iterations`` updates as a :class:`Run`; with ``deadline`` (a
        ``time.perf_counter()`` value) only those made before it passes (``finished`` tells),
        unless the rest would take at most ``finish_within`` seconds more at the pace so far."""
        self._advance(iterations, deadline, finish_within)
        path = np.array(self.path[:iterations + 1], dtype=float)
        with np.errstate(over="ignore", invalid="ignore"):
            costs = self.landscape.cost(path[:, 0], path[:, 1])
        left_at = self.left_at if self.left_at is not None and self.left_at <= iterations else None
        return Run(path, costs, left_at)


@functools.lru_cache(maxsize=512)
def _reference_runner(landscape_name, start, learning_rate, decay_rate, optimizer):
    return _Runner(LANDSCAPES[landscape_name], start, learning_rate, decay_rate, optimizer)


@functools.lru_cache(maxsize=512)
def _reference_run(landscape_name, start, iterations, learning_rate, decay_rate, optimizer):
    """Cached reference runs: moving one optimizer's slider reruns only that optimizer, and
    more iterations continue the run already made instead of starting it again."""
    return _reference_runner(landscape_name, start, learning_rate, decay_rate, optimizer).run(iterations)


@functools.lru_cache(maxsize=8)
def _cost_grid(landscape_name):
    axis = np.linspace(-BOX, BOX, GRID_POINTS)
    w1, w2 = np.meshgrid(axis, axis)
    return w1, w2, LANDSCAPES[landscape_name].cost(w1, w2)


class OptimizerExplorer(Explorer):
    """Trajectories of GD, momentum, RMSprop, Adam (and the student's update) on a landscape.

    Attributes read by tests: ``controls`` ("landscape", "w1", "w2", "iterations", and per
    optimizer "<name>", "<name> lr", "<name> decay"), ``runs`` (name -> :class:`Run`
    shown), artists ``paths``, ``exits``, ``cost_lines``, ``legend_texts``; ``student_update`` and
    ``student_error`` (the message if the student's function raised).
    """

    function_name = "optimizer_explorer"

    def __init__(self, student_update, landscape, start=None, iterations=100, shown=tuple(OPTIMIZERS),
                 learning_rates=None, decay_rates=None):
        self.student_update = student_update
        self.student_error = None
        self._contours = {}  # landscape name -> its ContourSet (hidden unless shown)
        # (landscape, start, rate, decay) -> the student's run, continued when only iterations
        # change: moving another optimizer's slider does not run the student's code again
        self._student_runners = {}
        self.runs = {}
        self._drawn = {}  # name -> the run its lines show (None: no run)

        self.figure = new_figure(8.5, 3.9)
        self.contour_axes, self.cost_axes = self.figure.subplots(1, 2, width_ratios=[1, 1.1])
        self.contour_axes.set(xlim=(-BOX, BOX), ylim=(-BOX, BOX), xlabel="w1", ylabel="w2", aspect="equal")
        self.cost_axes.set(xlabel="iteration", ylabel="cost J")
        names = dict(OPTIMIZERS)
        if student_update is not None:
            names[STUDENT] = STUDENT_STYLE
        # a run's lines are set only when its run changes (``_show_runs``): the others are
        # replayed (every artist is, while unchanged: ``_view.draw_once``)
        self.paths, self.exits, self.cost_lines = {}, {}, {}
        for name, (label, colour) in names.items():
            style = dict(color=colour, lw=1.4, ls="--" if name == STUDENT else "-")
            (self.paths[name],) = self.contour_axes.plot([], [], marker=".", ms=3, **style)
            (self.exits[name],) = self.contour_axes.plot([], [], "X", color=colour, ms=9, mec="black",
                                                         clip_on=False, zorder=5)
            (self.cost_lines[name],) = self.cost_axes.plot([], [], label=label, **style)
        (self.start_marker,) = self.contour_axes.plot([], [], "o", color="red", mec="black", ms=8, zorder=6)
        self.labels = {name: label for name, (label, _) in names.items()}
        # the key's texts change when a run diverges
        key = color_key(self.cost_axes, [(label, colour) for label, colour in names.values()], x=0.98)
        self.legend_texts = dict(zip(names, key.values()))
        for ax in (self.contour_axes, self.cost_axes):
            tidy(ax)

        start = LANDSCAPES[landscape].start if start is None else start
        self.controls = {
            "landscape": widgets.Dropdown(options=list(LANDSCAPES), value=landscape, description="landscape"),
            "w1": GridSlider(start[0], -BOX, BOX, 0.01, description="start w1"),
            "w2": GridSlider(start[1], -BOX, BOX, 0.01, description="start w2"),
            "iterations": StrictIntSlider(value=iterations, min=5, max=400, step=5, description="iterations"),
        }
        rows = [widgets.HBox([self.controls["landscape"], self.controls["iterations"]]),
                widgets.HBox([self.controls["w1"], self.controls["w2"]])]
        rate = LANDSCAPES[landscape].learning_rate
        learning_rates, decay_rates = learning_rates or {}, decay_rates or {}
        for name, (label, _) in OPTIMIZERS.items():
            self.controls[name] = widgets.Checkbox(value=name in shown, description=label, indent=False,
                                                   layout=widgets.Layout(width="110px"))
            # rates 1e-4 to 3.2, ten per decade (0.1 in the exponent): 0.001, 0.1, 0.4 and 1.3 among them
            self.controls[name + " lr"] = GridSlider(learning_rates.get(name, rate), -4, 0.5, 0.1, log=True,
                                                     description="rate")
            self.controls[name + " decay"] = GridSlider(decay_rates.get(name, 0.0), 0.0, 0.2, 0.005,
                                                        description="decay")
            rows.append(widgets.HBox([self.controls[name], self.controls[name + " lr"],
                                      self.controls[name + " decay"]]))
        self.figure.canvas.mpl_connect("button_press_event", self._on_click)
        for name in LANDSCAPES:  # all contours made now: choosing a landscape only shows its own
            self._show_contours(name)
        valley = LANDSCAPES["elongated valley"]
        presets = {
            "valley: momentum and Adam beat GD": dict(landscape="elongated valley", w1=valley.start[0],
                                                      w2=valley.start[1], iterations=100,
                                                      **{f"{o} lr": valley.learning_rate for o in OPTIMIZERS},
                                                      **{f"{o} decay": 0.0 for o in OPTIMIZERS},
                                                      **{o: True for o in OPTIMIZERS}),
            "GD: rate too large": dict(landscape="convex bowl", gd=True, momentum=False, rmsprop=False, adam=False,
                                       **{"gd lr": 1.3, "gd decay": 0.0}),
            "GD with decay": dict(landscape="convex bowl", gd=True, momentum=False, rmsprop=False, adam=False,
                                  **{"gd lr": 1.3, "gd decay": 0.1}),
        }
        self._finish(rows, presets)
        # every landscape's contour lines recorded now, while the student reads the notebook: the
        # first choice of a landscape replays them too (about 10 ms less in the kernel)
        for name in LANDSCAPES:
            self._show_contours(name)
            self.view.record()
        self._show_contours(landscape)

    def settings(self):
        c = self.controls
        values = dict(landscape=c["landscape"].value, start=(c["w1"].value, c["w2"].value),
                      iterations=c["iterations"].value,
                      shown=tuple(name for name in OPTIMIZERS if c[name].value),
                      learning_rates={name: c[name + " lr"].value for name in OPTIMIZERS},
                      decay_rates={name: c[name + " decay"].value for name in OPTIMIZERS})
        if self.student_update is not None:
            values = {"student_update": self.student_update, **values}
        return values

    def apply(self, **values):
        """Set several controls, then redraw once; a new landscape first brings its own start
        point and rate, which the other values then override (what a preset does)."""
        if "landscape" in values:
            values = {"landscape": values["landscape"], **self._landscape_defaults(values["landscape"]), **values}
        super().apply(**values)

    def _on_change(self, change):
        if self._holding:
            return
        if change["owner"] is self.controls["landscape"]:  # a new landscape: its start point and rate
            self.apply(**self._landscape_defaults(change["new"]))
        else:
            self.refresh()

    @staticmethod
    def _landscape_defaults(name):
        """Landscape ``name``'s own start point and learning rate, as control values."""
        landscape = LANDSCAPES[name]
        w1, w2 = landscape.start
        return {"w1": w1, "w2": w2, **{optimizer + " lr": landscape.learning_rate for optimizer in OPTIMIZERS}}

    def set_start(self, w1, w2):
        """Move the start point (what a click on the contour plot does)."""
        self.apply(w1=w1, w2=w2)

    def _on_click(self, event):
        if event.inaxes is self.contour_axes and event.xdata is not None:
            self.set_start(round(event.xdata, 2), round(event.ydata, 2))

    def _show_contours(self, name):
        """Show the contours of landscape ``name``; each landscape's are made once and kept."""
        if name not in self._contours:
            w1, w2, cost = _cost_grid(name)
            levels = np.unique(np.quantile(cost, np.linspace(0.01, 0.95, 14)))
            contours = self.contour_axes.contour(w1, w2, cost, levels=levels, cmap="viridis", linewidths=0.7,
                                                 zorder=1)
            # a landscape's contours never change: the page is sent the calls recorded the first
            # time they showed, whenever they show again
            self.contour_axes.add_artist(DrawnOnce(contours, placement_key, fixed=True))
            self._contours[name] = contours
        for landscape, contours in self._contours.items():
            contours.set_visible(landscape == name)

    def refresh(self):
        began = time.perf_counter()
        c = self.controls
        name = c["landscape"].value
        landscape = LANDSCAPES[name]
        self._show_contours(name)
        start = (c["w1"].value, c["w2"].value)
        iterations = c["iterations"].value
        self.runs = {}
        for optimizer in OPTIMIZERS:
            if c[optimizer].value:
                self.runs[optimizer] = _reference_run(name, start, iterations, c[optimizer + " lr"].value,
                                                      c[optimizer + " decay"].value, optimizer)
        self.student_error = None
        runner = self._student_runner(landscape, start) if self.student_update is not None else None
        self._run_student(runner, iterations, deadline=began + SECONDS_BEFORE_THE_FIGURE)
        unfinished = runner is not None and self.student_error is None and not runner.finished(iterations)
        self._show_runs(landscape, start, compare=not unfinished)
        self.redraw()
        if unfinished:
            # the student's code needs longer: the figure above showed its run so far; now the whole
            self._run_student(runner, iterations)
            self._show_runs(landscape, start)
            self.redraw()

    def _student_runner(self, landscape, start):
        """The student's run for the landscape, start, and Adam's rate and decay set now: the one
        made before for these settings (continued when only the iterations change), else a new one."""
        c = self.controls
        key = (landscape.name, start, c["adam lr"].value, c["adam decay"].value)
        runner = self._student_runners.get(key)
        if runner is None:
            if len(self._student_runners) >= STUDENT_RUNS_KEPT:
                self._student_runners.clear()
            runner = self._student_runners[key] = _Runner(landscape, start, key[2], key[3],
                                                          update=self.student_update)
        return runner

    def _run_student(self, runner, iterations, deadline=None):
        """``runs["yours"]``: the student's run as far as it gets (before ``deadline``), or their
        error in ``student_error``."""
        if runner is None:
            return
        try:
            self.runs[STUDENT] = runner.run(iterations, deadline, finish_within=SECONDS_A_FIGURE_COSTS)
        except Exception as error:  # the student's code: report it, keep the explorer alive
            self.student_error = f"{type(error).__name__}: {error}"
            self.runs.pop(STUDENT, None)  # no line, however far it got before the first figure

    def _set_lines(self, name, run):
        """Set run ``name``'s path, exit mark and cost line to ``run`` (None: empty)."""
        path_line, exit_mark, cost_line = self.paths[name], self.exits[name], self.cost_lines[name]
        if run is None:
            for artist in (path_line, exit_mark, cost_line):
                artist.set_data([], [])
            return
        path_line.set_data(run.path[:, 0], run.path[:, 1])
        inside = _inside(run)
        cost_line.set_data(inside, run.costs[inside])
        if run.left_at is None:
            exit_mark.set_data([], [])
        else:
            exit_point = np.clip(np.nan_to_num(run.path[-1], posinf=BOX, neginf=-BOX), -BOX, BOX)
            exit_mark.set_data([exit_point[0]], [exit_point[1]])

    def _show_runs(self, landscape, start, compare=True):
        """Set the artists to ``runs``; ``compare=False``: the student's run is not finished, and
        the status line does not yet compare it with the reference."""
        self.start_marker.set_data([start[0]], [start[1]])
        notes, finite_costs = [], []
        for name in self.paths:
            run = self.runs.get(name)
            # set_data marks a line changed even with the same numbers: a run that did not change
            # keeps its lines as they are, so they are replayed rather than recorded again
            if not _same_run(run, self._drawn.get(name)):
                self._set_lines(name, run)
            self._drawn[name] = run
            if run is None:
                continue
            finite_costs.append(run.costs[_inside(run)])
            label = self.labels[name]
            if run.left_at is not None:
                notes.append(f"{label} left the plot at step {run.left_at}")
                label = f"{label}: diverged, left the plot at step {run.left_at}"
            self.legend_texts[name].set_text(label)
        if compare and STUDENT in self.runs and "adam" in self.runs:
            notes.append(student_note(_compare(self.runs[STUDENT], self.runs["adam"])))
        if self.student_error:
            notes.append(student_note((False, f"your update raised {self.student_error}")))
        costs = np.concatenate(finite_costs) if finite_costs else np.zeros(1)
        set_limits(self.cost_axes, (0, self.controls["iterations"].value), round_out(costs.min(), costs.max()))
        self.contour_axes.set_title(landscape.name, fontsize=8)
        self.status.value = "<br>".join([landscape.description, *notes])


def _inside(run):
    """The steps of ``run`` inside the plot (all but the last, which left it, if it did)."""
    return np.arange(len(run.costs) - (run.left_at is not None))


def _same_run(run, other):
    """Whether two runs (or None) are the same path: the reference's cached runs are the same
    object, the student's are made anew on each change."""
    if run is None or other is None:
        return run is other
    return run is other or (run.left_at == other.left_at and np.array_equal(run.path, other.path, equal_nan=True))


def _compare(student, reference):
    """A sentence on whether the student's trajectory follows the reference Adam's."""
    steps = min(len(student.path), len(reference.path))
    gaps = np.abs(student.path[:steps] - reference.path[:steps]).max(axis=1)
    differing = np.flatnonzero(~(gaps <= 1e-8))
    if differing.size == 0 and len(student.path) == len(reference.path):
        return True, "your Adam follows the reference Adam step for step"
    if differing.size == 0:  # one run left the plot earlier than the other
        who = "your Adam" if len(student.path) < len(reference.path) else "the reference Adam"
        return False, (f"your Adam departs from the reference Adam at step {steps}: {who} left the plot there "
                       "(check that step's update)")
    first = int(differing[0])
    got, expected = student.path[first], reference.path[first]
    return False, (f"your Adam departs from the reference Adam at step {first}: it moved to (w1, w2) = "
                   f"({got[0]:.6g}, {got[1]:.6g}), the reference to ({expected[0]:.6g}, {expected[1]:.6g}) "
                   "(check that step's update: v, s, their bias correction with t counted from 1, epsilon "
                   "outside the square root)")
