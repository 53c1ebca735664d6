"""Plumbing shared by every explorer: the figure and its canvas, strict controls,
the static PNG fallback, and the list of values a test or benchmark moves a control to.

An explorer is an ``ipywidgets.VBox`` holding rows of controls above a matplotlib
figure.  The figure sits on a plain Agg canvas; the page shows it through a
``FigureView`` (``_view.py``), which replays matplotlib's drawing calls on a <canvas>.
Headless (pytest, a script) the explorer is driven the same way: set a control's
``value`` and read the figure's data (or the frame the page was sent) back.

Because nbconvert and nbgrader's feedback cannot run widgets, displaying an explorer
also attaches a PNG of its figure (``image/png`` beside the widget view): JupyterLab
shows the live widget, a static export shows the picture.
"""

import base64
import bisect
import contextlib
import html
import io
import functools
import math
import os
import threading

import ipywidgets as widgets
import matplotlib
import matplotlib.ticker
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from traitlets import validate

from .._checks import check_scalar

#: Dots per inch of every explorer figure: small figures redraw fast.
DPI = 80

#: Held while an explorer updates its artists or draws them: ipykernel 7 may handle comm
#: messages on a thread of its own while the main thread runs a control's callback, and a
#: drawing while the artists change would send the page a picture of half the change.
#: Re-entrant: a callback's refresh draws.
RENDER_LOCK = threading.RLock()


def serialized(method):
    """``method`` run while holding :data:`RENDER_LOCK`."""

    @functools.wraps(method)
    def locked(*args, **kwargs):
        with RENDER_LOCK:
            return method(*args, **kwargs)

    return locked


def _figure_first(refresh):
    """``refresh`` with the status line's and the controls' state messages sent after the figure."""

    @functools.wraps(refresh)
    def figure_first(self, *args, **kwargs):
        with self._sent_after_the_figure():
            return refresh(self, *args, **kwargs)

    return figure_first


def grading():
    """True while nbgrader executes the notebook (it sets NBGRADER_EXECUTION)."""
    return bool(os.environ.get("NBGRADER_EXECUTION"))


#: Rasterized text lines an explorer figure keeps (see ``ExplorerFigure``).
TEXT_CACHE_SIZE = 512


class ExplorerFigure(Figure):
    """A ``Figure`` that rasterizes each distinct line of text once.

    Text is most of what an explorer redraw costs: Agg renders every glyph of every
    tick label, axis label and title anew on each draw (about 0.1 ms per character),
    although almost all of them are the same from one slider move to the next.  While
    this figure draws on an Agg renderer (the headless canvas, a PNG
    ``savefig``), the renderer's ``draw_text`` is replaced by :meth:`_draw_text`: the
    first time a line of text appears (same string, font, size, angle, dpi and
    sub-pixel position) its coverage mask is rendered by Agg's own ``draw_text`` on a
    scratch canvas; every draw then composites that mask, in the text's colour and under
    its clip box, at the text's position.  Every artist is still drawn on every draw and
    the image is Agg's own up to rounding where glyphs overlap (tests compare it with an
    uncached render); only the glyph rasterization is reused.  Horizontal and vertical
    text is reused this way; mathtext, text at other angles and other renderers (PDF,
    SVG) are drawn as usual.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._text_masks = {}

    def draw(self, renderer):
        if type(renderer) is not RendererAgg or "draw_text" in vars(renderer):
            return super().draw(renderer)
        plain = renderer.draw_text
        renderer.draw_text = lambda *args, **kwargs: self._draw_text(renderer, plain, *args, **kwargs)
        try:
            return super().draw(renderer)
        finally:
            del renderer.draw_text

    def _draw_text(self, renderer, plain, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if ismath or angle not in (0, 90) or not s.strip() or gc.get_hatch() is not None:
            # mathtext, and text at other angles (whose glyphs overlap more), drawn as usual
            return plain(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
        # Agg places glyphs to 1/64 pixel: the mask is made at x, y's fractional part and
        # moved by whole pixels, so a text that does not move is drawn exactly as before.
        left, top = math.floor(x), math.floor(y)
        fx, fy = round(64 * (x - left)), round(64 * (y - top))
        features = getattr(mtext, "get_fontfeatures", lambda: None)()
        language = getattr(mtext, "get_language", lambda: None)()
        key = (s, prop.get_file(), tuple(prop.get_family()), prop.get_style(), prop.get_variant(),
               prop.get_weight(), prop.get_stretch(), prop.get_size_in_points(), angle, renderer.dpi,
               bool(gc.get_antialiased()), fx, fy, tuple(features or ()), language,
               matplotlib.rcParams["text.hinting"], matplotlib.rcParams["text.hinting_factor"])
        mask = self._text_masks.get(key)
        if mask is None:
            if len(self._text_masks) >= TEXT_CACHE_SIZE:
                self._text_masks.clear()
            mask = self._text_masks[key] = _text_mask(renderer, plain, gc, fx / 64, fy / 64, s, prop, angle,
                                                       mtext)
        coverage, row, column = mask
        if coverage is None:
            return
        rgba = gc.get_rgb()
        alpha = gc.get_alpha() if len(rgba) == 3 or gc.get_forced_alpha() else rgba[3]
        image = np.empty(coverage.shape + (4,), np.uint8)
        image[..., :3] = np.round(np.multiply(rgba[:3], 255))
        image[..., 3] = coverage if alpha == 1 else np.round(coverage * alpha).astype(np.uint8)
        # draw_image's y is the image's lower edge, counted upwards from the bottom
        renderer.draw_image(gc, left + column, renderer.height - (top + row + coverage.shape[0]), image)


def _text_mask(renderer, plain, gc, fx, fy, s, prop, angle, mtext):
    """(coverage, row, column): one line of text rendered by Agg at sub-pixel offset (fx, fy)
    from a whole pixel; coverage (h, w) uint8 is its alpha, bottom row first, whose top
    left pixel sits ``row`` pixels below and ``column`` right of that whole pixel
    (coverage None if blank)."""
    em = prop.get_size_in_points() * renderer.dpi / 72
    reach = int(math.ceil(em * (1.2 * len(s) + 2)))  # beyond any line of len(s) characters
    pad = int(math.ceil(2 * em)) + 2
    while True:
        # room around the anchor: left, right, above, below (a small scratch canvas is cheap)
        if angle == 0:
            left, right, up, down = pad, reach, pad, pad
        else:  # 90
            left, right, up, down = pad, pad, reach, pad
        scratch = RendererAgg(left + right, up + down, renderer.dpi)
        scratch_gc = scratch.new_gc()
        scratch_gc.set_foreground((0.0, 0.0, 0.0, 1.0))
        scratch_gc.set_antialiased(gc.get_antialiased())
        plain.__func__(scratch, scratch_gc, left + fx, up + fy, s, prop, angle, ismath=False, mtext=mtext)
        scratch_gc.restore()
        alpha = np.asarray(scratch.buffer_rgba())[..., 3]
        rows, columns = np.flatnonzero(alpha.any(axis=1)), np.flatnonzero(alpha.any(axis=0))
        if rows.size == 0:
            return None, 0, 0
        if rows[0] > 0 and columns[0] > 0 and rows[-1] < alpha.shape[0] - 1 and columns[-1] < alpha.shape[1] - 1:
            break
        pad, reach = 2 * pad, 2 * reach  # touched the edge (an unusually wide glyph): again, larger
    # bottom row first: Agg's draw_image takes an image's rows upwards
    coverage = alpha[rows[-1]:rows[0] - 1:-1, columns[0]:columns[-1] + 1].copy()
    return coverage, int(rows[0]) - up, int(columns[0]) - left


def new_figure(width, height):
    """An ``ExplorerFigure`` of ``width`` x ``height`` inches on an Agg canvas.

    The page sees it through the explorer's ``FigureView`` (``_view.py``); the Agg canvas
    gives its static PNG and its pixels to headless tests.  Constrained layout places the
    axes once (see ``Explorer._finish``); it is then switched off so that redrawing after a
    slider move does not recompute the layout.
    """
    figure = ExplorerFigure(figsize=(width, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def tidy(ax, nbins=3, fontsize=7):
    """Few ticks and small labels, so that small figures stay legible."""
    for axis in (ax.xaxis, ax.yaxis):
        if axis.get_scale() == "linear":
            axis.set_major_locator(matplotlib.ticker.MaxNLocator(nbins))
    ax.tick_params(labelsize=fontsize)
    ax.title.set_fontsize(fontsize + 1)
    ax.xaxis.label.set_fontsize(fontsize)
    ax.yaxis.label.set_fontsize(fontsize)


def set_limits(ax, xlim=None, ylim=None):
    """Set the limits of ``ax`` that differ from ``xlim`` / ``ylim`` (None: leave that one alone).

    Setting a limit marks its axis stale even when the value is the same, and a stale axis is
    drawn again instead of replayed (``_view.DrawnOnce``): callbacks set limits through this.
    """
    if xlim is not None and tuple(ax.get_xlim()) != tuple(xlim):
        ax.set_xlim(*xlim)
    if ylim is not None and tuple(ax.get_ylim()) != tuple(ylim):
        ax.set_ylim(*ylim)


def round_out(low, high, margin=0.03):
    """(low, high) widened by ``margin`` of their span on each side, rounded outwards to a fifth of
    matplotlib's default tick step for that span.

    Round limits stay put while a slider moves the data a little, so the axis (ticks and labels,
    most of what a frame costs to record) is replayed, not redrawn (``set_limits``); the margin
    keeps a curve that reaches the lowest or highest value off the frame's edge.
    """
    if not high > low:
        low, high = low - 1.0, high + 1.0
    margin = margin * (high - low)
    ticks = matplotlib.ticker.AutoLocator().tick_values(low - margin, high + margin)
    grain = (ticks[1] - ticks[0]) / 5
    return float(grain * np.floor((low - margin) / grain)), float(grain * np.ceil((high + margin) / grain))


def color_key(ax, entries, x=0.02, y=0.97, fontsize=7):
    """A legend made of coloured text lines, one per (label, colour): {label: Text}.

    Cheaper to redraw than a matplotlib legend (no boxes to lay out on every draw);
    the returned texts can be changed in place (``set_text``).
    """
    texts = {}
    for row, (label, colour) in enumerate(entries):
        texts[label] = ax.text(x, y - 0.07 * row, label, color=colour, fontsize=fontsize, fontweight="bold",
                               ha="left" if x < 0.5 else "right", va="top", transform=ax.transAxes, zorder=10)
    return texts


def figure_png(figure):
    """The figure rendered as PNG bytes (the static fallback)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=figure.dpi)
    return buffer.getvalue()


class StrictIntSlider(widgets.IntSlider):
    """An IntSlider that raises ValueError for a value outside [min, max] or off its steps.

    ipywidgets silently clamps a value set from Python into [min, max]; an explorer driven by
    code (a test, a notebook cell) should hear about it instead.  A value between two steps
    would be moved to a step by the page, which then sends that value back as if the student
    had moved the slider (see :class:`GridSlider`): it is refused too.
    """

    @validate("value")
    def _validate_value(self, proposal):
        name = self.description.rstrip(": ") or "value"
        value = check_scalar(name, proposal["value"], low=self.min, high=self.max)
        if value != int(value) or (int(value) - self.min) % self.step:
            raise ValueError(f"{name} must be {self.min} plus a multiple of {self.step}, got {proposal['value']!r}")
        return int(value)


def grid_values(low, high, step, log=False):
    """The values a :class:`GridSlider` offers: low, low + step, ..., high, each rounded to the
    step's decimals (0.1 + 0.05 * 14 is 0.8, not 0.8000000000000002); ``log``: 10 to the power
    of each of those, to two significant digits (exponents -1.3, -0.4: rates 0.05, 0.4)."""
    decimals = _decimals(step)
    count = round((high - low) / step)
    values = [round(low + k * step, decimals) for k in range(count + 1)]
    if values[-1] != high:
        raise ValueError(f"[{low}, {high}] is not a whole number of steps of {step}")
    if log:
        values = [float(f"{10.0 ** exponent:.2g}") for exponent in values]
    return tuple(values)


def _decimals(step):
    """Decimal places of ``step`` as written (0.05 -> 2, 0.001 -> 3, 1 -> 0)."""
    text = f"{step:.10f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


class GridSlider(widgets.SelectionSlider):
    """A slider over a fixed grid of numbers (``grid_values(low, high, step, log)``) whose page
    side holds the grid *position*: what comes back from the page is always a value the kernel
    has, bit for bit.

    Why not ``FloatSlider`` or ``FloatLogSlider``: their page side (noUiSlider) moves every value
    it receives onto its own grid, computed in floating point, and when the result differs from
    the kernel's value even in the last bit it sends it back as if the student had moved the
    slider (ipywidgets 8.1: the view's ``updateSliderValue`` sets noUiSlider, whose "update"
    event reaches ``handleSliderChanged``, which sets and sends the model's value; only a value
    equal to the one being received is dropped).  keep_prob 0.8 comes back as
    0.7999999999999999, a rate of 0.4 on a log slider of step 0.1 as 0.398.  When the kernel
    sets two values in one callback (a landscape's rate, then a preset's), the page's echo of
    the first reaches the kernel after the second and wins: the explorer ends on a setting
    nobody chose.  A selection slider's page side holds an integer index: the echo of an index
    is that index, dropped by ipywidgets, and the number itself never leaves the kernel.

    A value off the grid is refused with the nearest two values (the page could not show it);
    one within a millionth of a step of a grid value (0.1 + 0.2 + 0.6) is that value.  Out of
    [low, high] is refused like any strict control.  ``low``, ``high``, ``step``,
    ``logarithmic`` and ``grid`` (the values) are attributes; the readout shows ``fmt`` (".1e" for ``log``, else
    the step's decimals).
    """

    def __init__(self, value, low, high, step, *, log=False, fmt=None, **kwargs):
        # not ``self.log``: that is every widget's logger
        self.low, self.high, self.step, self.logarithmic = low, high, step, log
        self.grid = grid_values(low, high, step, log)
        fmt = fmt or (".1e" if log else f".{_decimals(step)}f")
        name = kwargs.get("description", "value")
        super().__init__(options=[(format(v, fmt), v) for v in self.grid], value=self._on_grid(value, name),
                         **kwargs)

    @validate("value")
    def _validate_value(self, proposal):
        return self._on_grid(proposal["value"], self.description)

    def _on_grid(self, value, name):
        name = name.rstrip(": ") or "value"
        value = check_scalar(name, value, low=self.grid[0], high=self.grid[-1])
        above = bisect.bisect_left(self.grid, value)
        neighbours = self.grid[max(above - 1, 0):above + 1]
        nearest = min(neighbours, key=lambda v: abs(v - value))
        tolerance = 1e-6 * (abs(nearest) * (10**self.step - 1) if self.logarithmic else self.step)
        if abs(value - nearest) <= tolerance:
            return nearest
        raise ValueError(f"{name} = {value:g} is not on its slider (steps of {self.step:g}"
                         f"{' in the exponent of 10' if self.logarithmic else ''}): the nearest values are "
                         f"{' and '.join(f'{v:g}' for v in neighbours)}")


def call_student(label, function, *args, **kwargs):
    """(result, None) from ``function(*args, **kwargs)``, or (None, message) if it raised.

    The student's code runs inside an explorer's callback: an exception must not stop
    the explorer, so it becomes a sentence under the figure ("your ewma raised ...").
    """
    try:
        return function(*args, **kwargs), None
    except Exception as error:  # the student's code: report it, keep the explorer alive
        return None, f"your {label} raised {type(error).__name__}: {error}"


def student_difference(name, got, expected, *, where=None, hint=None, rtol=1e-6, atol=1e-8):
    """None if the student's ``got`` equals the reference ``expected`` (an array, or a dict of
    arrays such as ``parameters``), else the message of ``helpers.testing`` that the visible
    tests would print (what differs, what was expected, a hint).  ``where(i)`` names the
    first differing entry (flat index i) in the lesson's words, e.g. "on day 4"."""
    from ..testing import assert_close, assert_dict_close

    check = assert_dict_close if isinstance(expected, dict) else assert_close
    try:
        check(name, got, expected, rtol=rtol, atol=atol, hint=hint)
    except AssertionError as failure:
        message = str(failure)
    else:
        return None
    if where is not None:
        try:
            got_array, expected_array = np.asarray(got, dtype=float), np.asarray(expected, dtype=float)
        except (TypeError, ValueError):  # not numbers at all: helpers.testing's message says so
            return message
        if got_array.shape == expected_array.shape:
            with np.errstate(invalid="ignore"):
                close = np.isclose(got_array, expected_array, rtol=rtol, atol=atol, equal_nan=True)
            first = int(np.flatnonzero(~close.ravel())[0])
            # the lesson's words for where, instead of helpers.testing's array index
            lines = [line for line in message.split("\n  ") if not line.startswith("first difference")]
            lines.insert(1, f"first difference {where(first)}: got {got_array.ravel()[first]:.6g}, "
                            f"expected {expected_array.ravel()[first]:.6g}")
            message = "\n  ".join(lines)
    return message


def student_note(verdict):
    """HTML for one line about the student's function: a plain line when it matches,
    the difference (or the exception) in red, line breaks kept, when it does not."""
    if verdict is None:
        return ""
    ok, text = verdict
    text = html.escape(text).replace("\n", "<br>")
    return text if ok else f"<span style='color:#b00'>{text}</span>"


def slider_values(control, count=7):
    """``count`` values spread over a slider's range, ending where it started."""
    grid = control.grid if isinstance(control, GridSlider) else range(control.min, control.max + 1, control.step)
    positions = np.unique(np.round(np.linspace(0, len(grid) - 1, count)).astype(int))
    return [grid[i] for i in positions.tolist()] + [control.value]


# ipywidgets' controls that choose one of their options (a GridSlider is walked as a slider).
_CHOICES = (widgets.Dropdown, widgets.RadioButtons, widgets.Select, widgets.ToggleButtons, widgets.SelectionSlider)


def exercise(control, clicks=2):
    """Move one control through its range; yields after each change (for tests and benchmarks).

    Sliders visit values spread over their range, drop-downs every option, check boxes
    and toggles both states, buttons are clicked ``clicks`` times.  The control ends where it began.
    """
    if isinstance(control, widgets.Button):
        for _ in range(clicks):
            control.click()
            yield "click"
    elif isinstance(control, (widgets.Checkbox, widgets.ToggleButton)):
        for value in (not control.value, control.value):
            control.value = value
            yield value
    elif isinstance(control, _CHOICES) and not isinstance(control, GridSlider):
        start = control.index  # menus, toggles, selection sliders: every option, chosen by its place
        for index in [*(i for i in range(len(control.options)) if i != start), start]:
            control.index = index
            yield control.value
    else:
        for value in slider_values(control):
            control.value = value
            yield value


def every_axes(figure):
    """The figure's axes and, after each, the axes inside it (an inset such as the perceptron's
    colour scale is not in ``figure.axes``: matplotlib draws it as a child of its axes)."""
    def with_children(ax):
        yield ax
        for child in ax.child_axes:
            yield from with_children(child)

    return [each for ax in figure.axes for each in with_children(ax)]


def _pin_labels(figure):
    """Keep every axis label and title where the first draw put them.

    By default matplotlib measures all tick labels on every draw to place the axis
    labels and titles beside them, a good part of a redraw's cost; explorer figures
    never change size, so the first placement is kept.
    """
    for ax in every_axes(figure):
        for axis in (ax.xaxis, ax.yaxis):
            # even an empty label is placed on every draw (its neighbours measured): pin it too
            where = axis.label.get_transform().transform(axis.label.get_position())
            axis.set_label_coords(*ax.transAxes.inverted().transform(where))
        # a title given an explicit height is no longer re-placed on each draw
        ax.set_title(ax.get_title(), y=1.0, fontsize=ax.title.get_fontsize())


class _LastTicks(matplotlib.ticker.Locator):
    """A locator that gives its wrapped locator's ticks, asking it again only when the
    axis's view interval changed since the last call: axes whose limits a control never
    moves keep their ticks without recomputing them on every draw."""

    def __init__(self, locator):
        self.locator = locator
        self._interval = self._locs = None

    def set_axis(self, axis):
        super().set_axis(axis)
        self.locator.set_axis(axis)

    def __call__(self):
        interval = tuple(self.axis.get_view_interval())
        if interval != self._interval:
            self._locs, self._interval = self.locator(), interval
        return self._locs

    def tick_values(self, vmin, vmax):
        return self.locator.tick_values(vmin, vmax)

    def nonsingular(self, v0, v1):
        return self.locator.nonsingular(v0, v1)

    def view_limits(self, vmin, vmax):
        return self.locator.view_limits(vmin, vmax)


class _LastLabels(matplotlib.ticker.Formatter):
    """A formatter that gives its wrapped formatter's tick labels, formatting again only
    when the ticks or the view interval changed since the last call (the wrapped
    formatter's offset then still belongs to these ticks)."""

    def __init__(self, formatter):
        self.formatter = formatter
        self._key = self._labels = None

    def set_axis(self, axis):
        super().set_axis(axis)
        self.formatter.set_axis(axis)

    def format_ticks(self, values):
        key = (tuple(values), tuple(self.axis.get_view_interval()))
        if key != self._key:
            self._labels, self._key = self.formatter.format_ticks(values), key
        return self._labels

    def set_locs(self, locs):
        self._key = None
        self.formatter.set_locs(locs)

    def __call__(self, x, pos=None):
        return self.formatter(x, pos)

    def format_data(self, value):
        return self.formatter.format_data(value)

    def format_data_short(self, value):
        return self.formatter.format_data_short(value)

    def get_offset(self):
        return self.formatter.get_offset()


def _keep_ticks(figure):
    """Wrap every axis's major locator and formatter in :class:`_LastTicks` and
    :class:`_LastLabels`: tick positions and labels are recomputed only when a control
    changes the axis's limits (a colour bar re-installs its own locator when updated)."""
    for ax in every_axes(figure):
        for axis in (ax.xaxis, ax.yaxis):
            locator, formatter = axis.get_major_locator(), axis.get_major_formatter()
            if type(locator) in (matplotlib.ticker.MaxNLocator, matplotlib.ticker.AutoLocator):
                axis.set_major_locator(_LastTicks(locator))
            if type(formatter) is matplotlib.ticker.ScalarFormatter:
                axis.set_major_formatter(_LastLabels(formatter))


def control_class(name):
    """The CSS class of the control ``name`` in the page: "control-" and its name's letters and digits."""
    return "control-" + "-".join("".join(c if c.isalnum() else " " for c in name.lower()).split())


class PythonName:
    """A value written as a bare name in a line of Python (a notebook's variable or function)."""

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return self.name


def python_value(value):
    """``value`` as it reads in a line of Python: floats to 10 significant digits (a
    slider's 0.30000000000000004 reads 0.3), functions by their name, tuples kept."""
    if isinstance(value, PythonName):
        return value
    if callable(value):
        return PythonName(getattr(value, "__name__", "your_function"))
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (float, np.floating)):
        return float(f"{float(value):.10g}")
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (tuple, list, np.ndarray)):
        return tuple(python_value(item) for item in value)
    if isinstance(value, dict):
        return {key: python_value(item) for key, item in value.items()}
    return value


class Explorer(widgets.VBox):
    """Rows of controls above a figure, with a PNG of the figure as a static fallback.

    Subclasses create ``self.figure`` (with :func:`new_figure`) and its artists, fill
    ``self.controls`` (name -> widget; every control a test or benchmark should move),
    then call ``self._finish(rows, presets)``.  ``refresh()`` recomputes from the controls
    and updates the artists in place; ``settings()`` gives the keyword arguments of the
    public function (``function_name``) that rebuild the current state.
    """

    #: the public function of ``helpers.widgets`` that builds this explorer
    function_name = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # every update of the artists holds the render lock (see RENDER_LOCK), and the page gets
        # the new figure before the status line's new text (see _sent_after_the_figure)
        if "refresh" in vars(cls):
            cls.refresh = _figure_first(serialized(vars(cls)["refresh"]))

    def _finish(self, rows, presets=None):
        """Lay out ``rows`` of controls, the preset buttons (``presets``: label ->
        {control name: value}, each a button "preset <label>" in ``controls``), the figure,
        the status line and the "settings as code" button; then draw once."""
        self.status = widgets.HTML()
        self._holding = False
        self.presets = dict(presets or {})
        buttons = []
        for label, values in self.presets.items():
            button = widgets.Button(description=label, layout=widgets.Layout(width="auto"),
                                    tooltip=", ".join(f"{name} = {value}" for name, value in values.items()))
            button.on_click(lambda _button, values=values: self.apply(**values))
            self.controls[f"preset {label}"] = button
            buttons.append(button)
        code_button = widgets.Button(description="settings as code", icon="code",
                                     layout=widgets.Layout(width="auto"),
                                     tooltip="one line of Python that recreates this explorer as it is now")
        self.code = widgets.HTML()
        code_button.on_click(lambda _button: self.show_code())
        children = [*rows, widgets.HBox([*buttons, code_button])]
        from ._view import FigureView, draw_once

        self.view = FigureView(self.figure, RENDER_LOCK)
        children += [self.view, self.status, self.code]
        super().__init__(children=children)
        # CSS classes name the explorer and each control in the page (the browser benchmark finds them so)
        self.add_class(f"explorer-{self.function_name}")
        code_button.add_class("explorer-settings-code")
        for name, control in self.controls.items():
            control.add_class(control_class(name))
        for control in self.controls.values():
            if not isinstance(control, widgets.Button):
                control.observe(self._on_change, names="value")
        self.refresh()
        self.figure.canvas.draw()  # place the axes once with constrained layout ...
        self.figure.set_layout_engine("none")  # ... and keep them there
        _pin_labels(self.figure)
        _keep_ticks(self.figure)
        draw_once(every_axes(self.figure))
        self.view.show()

    def _on_change(self, change):
        if not self._holding:
            self.refresh()

    def apply(self, **values):
        """Set several controls at once (control name -> value), then redraw once.

        What a preset button does; a value out of a control's range is refused with the
        control's own message, and the controls set before it keep their new values.
        """
        unknown = [name for name in values if name not in self.controls]
        if unknown:
            raise ValueError(f"unknown control {', '.join(map(repr, unknown))}; "
                             f"this explorer has {', '.join(map(repr, self.controls))}")
        with self._sent_after_the_figure():
            self._holding = True
            try:
                for name, value in values.items():
                    self.controls[name].value = value
            finally:
                self._holding = False
            self.refresh()

    @contextlib.contextmanager
    def _sent_after_the_figure(self):
        """Hold the state messages of the controls and the status line until the block ends.

        The kernel, the Jupyter server and the browser share the CPUs of one machine when a
        student's JupyterLab runs beside its kernel (and in the browser benchmark). Every state
        message makes the page update a control (ipywidgets' slider view re-sets its noUiSlider,
        a layout follows), and while it does so the kernel computes the figure on what CPU is left:
        the 11 sliders and check boxes of an optimizer preset, sent as they were set, slowed a
        12 ms refresh to 25-65 ms and brought the figure 66-98 ms after the click.  Held with
        ipywidgets' public ``hold_sync`` (each widget's changes leave in one message when the
        outermost hold ends), they follow the figure's message.
        """
        held = [control for control in self.controls.values() if not isinstance(control, widgets.Button)]
        with contextlib.ExitStack() as stack:
            for widget in [*held, self.status]:
                stack.enter_context(widget.hold_sync())
            yield

    def settings(self):
        """Keyword arguments of ``helpers.widgets.<function_name>`` that rebuild this state (subclasses)."""
        raise NotImplementedError

    def settings_code(self):
        """The current settings as one line of Python, e.g.
        ``perceptron_explorer(w0=1.0, W=(3.0, -2.0), activation='sigmoid', point=(-1.0, 2.0))``."""
        arguments = ", ".join(f"{name}={python_value(value)!r}" for name, value in self.settings().items())
        return f"{self.function_name}({arguments})"

    def show_code(self):
        """Show :meth:`settings_code` under the figure (what the "settings as code" button does)."""
        line = self.settings_code()
        self.code.value = f"<code style='user-select:all'>{html.escape(line)}</code>"
        return line

    def refresh(self):
        """Recompute everything the figure shows from the controls (subclasses)."""
        raise NotImplementedError

    def redraw(self):
        """Send the figure as it is now to the page (``FigureView.show``: matplotlib's drawing
        calls, replayed on a canvas there).  A headless test or benchmark that wants pixels
        calls ``figure.canvas.draw()`` (Agg) itself."""
        if getattr(self, "view", None) is not None:  # None while the explorer is being built
            self.view.show()

    def _snapshot(self):
        """The figure as base64 PNG (the static fallback)."""
        return base64.b64encode(figure_png(self.figure)).decode("ascii")

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        bundle["image/png"] = self._snapshot()
        return bundle
