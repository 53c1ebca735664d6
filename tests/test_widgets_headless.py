"""The five explorers driven without a browser: every control moved, the figure's data checked
against the helpers reference and independent facts (pandas, numerical differences, the slides)."""

import base64
import collections
import subprocess
import sys
import threading

import ipywidgets
import numpy as np
import pandas as pd
import pytest
from matplotlib.axis import YAxis
from matplotlib.contour import ContourSet
from matplotlib.lines import Line2D
from matplotlib.backend_bases import MouseEvent

import helpers
import helpers.data
from helpers.widgets import (
    EXPLORERS,
    dropout_explorer,
    ewma_explorer,
    initialization_explorer,
    optimizer_explorer,
    perceptron_explorer,
)
from helpers.widgets._base import GridSlider, exercise
from helpers.widgets.landscapes import BOX, LANDSCAPES
from tests.support.explorers import build


def moved(explorer):
    """Move every control of ``explorer`` through its range, yielding after each change."""
    for name, control in explorer.controls.items():
        for value in exercise(control):
            yield name, value


# --------------------------------------------------------------------------- shared plumbing


def sliders_off_their_page_grid(explorer):
    """Sliders of ``explorer`` whose value the page would send back changed: a float slider of
    ipywidgets (its page moves a value onto its own float grid and sends the result back when it
    differs in the last bit: see ``GridSlider``), a ``GridSlider`` whose value is not its option
    bit for bit, an IntSlider between its steps."""
    wrong = []
    for name, control in explorer.controls.items():
        if isinstance(control, (ipywidgets.FloatSlider, ipywidgets.FloatLogSlider)):
            wrong.append(f"{name}: an ipywidgets float slider")
        elif isinstance(control, GridSlider) and control.grid[control.index] != control.value:
            wrong.append(f"{name} = {control.value!r}, the page holds {control.grid[control.index]!r}")
        elif isinstance(control, ipywidgets.IntSlider) and (control.value - control.min) % control.step:
            wrong.append(f"{name} = {control.value}, between steps of {control.step}")
    return wrong


@pytest.mark.parametrize("name", list(EXPLORERS))
def test_every_value_an_explorer_sets_is_one_its_slider_shows(name):
    """Issue 16: after a preset, the page sent an older value back after the kernel's last one
    (a learning rate of 0.4 on a log slider of step 0.1 came back as 0.398, keep_prob 0.8 as
    0.7999999999999999) and the explorer ended on settings nobody chose.  Every value an
    explorer sets itself (its start, each preset, each menu choice that moves other controls,
    such as a landscape's start and rate) must be one its slider's page holds exactly."""
    explorer = build(name)
    assert sliders_off_their_page_grid(explorer) == [], "at the start"
    for control_name, control in explorer.controls.items():
        if control_name.startswith("preset "):
            control.click()
            assert sliders_off_their_page_grid(explorer) == [], control_name
        elif isinstance(control, ipywidgets.Dropdown):
            for _ in exercise(control):
                assert sliders_off_their_page_grid(explorer) == [], f"{control_name} = {control.value}"


def test_a_value_off_a_sliders_grid_is_refused_with_the_nearest_ones():
    explorer = dropout_explorer()
    with pytest.raises(ValueError, match=r"keep_prob = 0.72 is not on its slider \(steps of 0.05\): "
                                         r"the nearest values are 0.7 and 0.75"):
        explorer.controls["keep_prob"].value = 0.72
    with pytest.raises(ValueError, match=r"rate = 1.1 is not on its slider \(steps of 0.1 in the exponent of 10\): "
                                         r"the nearest values are 1 and 1.3"):
        optimizer_explorer(learning_rates={"gd": 1.1})
    explorer.controls["keep_prob"].value = 0.1 + 0.2 + 0.15  # 0.45000000000000007: within rounding, 0.45
    assert explorer.controls["keep_prob"].value == 0.45
    assert explorer.controls["keep_prob"].label == "0.45"
    with pytest.raises(ValueError, match=r"iterations must be 5 plus a multiple of 5, got 102"):
        optimizer_explorer(iterations=102)



def test_importing_helpers_loads_no_widget_library():
    code = ("import sys, helpers, helpers.widgets; "
            "print(sorted(m for m in ('anywidget', 'ipywidgets', 'ipympl', 'matplotlib') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
    assert helpers.ewma_explorer is ewma_explorer


@pytest.mark.parametrize("name", list(EXPLORERS))
def test_display_carries_a_png_of_the_figure(name):
    bundle = getattr(helpers.widgets, name)()._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert base64.b64decode(bundle["image/png"]).startswith(b"\x89PNG\r\n\x1a\n")


def test_html_export_without_a_widget_front_end_shows_the_png():
    import nbformat
    from nbconvert import HTMLExporter

    bundle = perceptron_explorer()._repr_mimebundle_()
    cell = nbformat.v4.new_code_cell("display(perceptron_explorer())", outputs=[
        nbformat.v4.new_output("display_data", data=bundle)])
    html, _ = HTMLExporter().from_notebook_node(nbformat.v4.new_notebook(cells=[cell]))
    assert f'src="data:image/png;base64,{bundle["image/png"]}"' in html


def _frame_pixels(frame, operation):
    """The RGBA image of one "image" operation of a frame, (h, w, 4)."""
    size = operation["w"] * operation["h"] * 4
    pixels = np.frombuffer(frame["pixels"], np.uint8)[operation["at"]:operation["at"] + size]
    return pixels.reshape(operation["h"], operation["w"], 4)


def test_the_page_is_sent_the_figure_as_matplotlib_draws_it():
    """The frame the page replays holds the figure's own text, lines and images, in canvas pixels
    (y downwards), one frame per change, and leaves matplotlib's backend alone."""
    import matplotlib

    before = dict.__getitem__(matplotlib.rcParams, "backend")
    explorer = perceptron_explorer()
    assert explorer.view in explorer.children
    assert dict.__getitem__(matplotlib.rcParams, "backend") == before
    frames = explorer.view.frames
    explorer.controls["w0"].value = -2.0
    assert explorer.view.frames == frames + 1
    frame = explorer.view.frame
    texts = [op["s"] for op in frame["ops"] if op["op"] == "text"]
    assert explorer.plane.get_title() in texts and "x1" in texts and "z = w0 + w1 x1 + w2 x2" in texts
    # the heat map: the same pixels as Agg draws at the same place
    explorer.figure.canvas.draw()
    agg = np.asarray(explorer.figure.canvas.buffer_rgba())
    image = next(op for op in frame["ops"] if op["op"] == "image")
    assert (image["w"], image["h"]) == (101, 101)  # the data's pixels, placed by a matrix ("none")
    assert np.array_equal(_frame_pixels(frame, image), explorer.image.to_rgba(explorer.image.get_array(), bytes=True))
    # scaled as the page scales it (nearest neighbour: the image pixel under each page pixel's
    # centre), the heat map is what Agg draws, inside the axes
    a, b, c, d, e, f = image["matrix"]
    left, top, width, height = (round(v) for v in image["clip"])
    rows, columns = np.mgrid[top:top + height, left:left + width] + 0.5
    to_image = np.linalg.inv([[a, c, e], [b, d, f], [0, 0, 1]])
    u = to_image[0, 0] * columns + to_image[0, 1] * rows + to_image[0, 2]
    v = to_image[1, 0] * columns + to_image[1, 1] * rows + to_image[1, 2]
    inside = (u >= 0) & (u < image["w"]) & (v >= 0) & (v < image["h"])
    assert inside.mean() > 0.9
    scaled = _frame_pixels(frame, image)[v[inside].astype(int), u[inside].astype(int)].astype(int)
    drawn = agg[top:top + height, left:left + width][inside].astype(int)
    assert np.abs(drawn - scaled).mean() < 3
    # the decision line: its vertices, back in data coordinates, lie on w0 + w1 x1 + w2 x2 = 0
    vertices = np.frombuffer(frame["vertices"], np.float32).reshape(-1, 2)
    height = frame["height"]
    lines = [op for op in frame["ops"] if op["op"] == "path" and op["n"] == 2]
    on_line = []
    for op in lines:
        points = vertices[op["v"] // 2:op["v"] // 2 + 2].astype(float)
        data = explorer.plane.transData.inverted().transform(np.column_stack([points[:, 0], height - points[:, 1]]))
        on_line.append(np.abs(-2.0 + 3.0 * data[:, 0] - 2.0 * data[:, 1]).max())
    assert min(on_line) < 0.05


def test_a_click_on_the_page_reaches_the_figure():
    explorer = optimizer_explorer()
    x, y = explorer.contour_axes.transData.transform((1.0, -0.5))
    # what view.js sends: canvas pixels from the top left
    explorer.view._on_message(explorer.view, {"type": "click", "x": x, "y": explorer.figure.bbox.height - y}, [])
    assert (explorer.controls["w1"].value, explorer.controls["w2"].value) == pytest.approx((1.0, -0.5), abs=0.011)


def _plain_render(figure):
    """The figure rendered by matplotlib's own Figure.draw (no rasterized-text reuse), as an array."""
    from matplotlib.figure import Figure

    renderer = figure.canvas.get_renderer()
    renderer.clear()
    Figure.draw(figure, renderer)
    return np.asarray(renderer.buffer_rgba()).copy()


@pytest.mark.parametrize("name", list(EXPLORERS))
def test_fast_redraws_show_what_matplotlib_draws(name):
    """Reused text rasters and kept ticks change nothing: after each control has moved, the
    drawn image equals a plain matplotlib render (up to rounding where glyphs overlap), and
    every kept tick position and label equals what the axis's locator and formatter give now."""
    from helpers.widgets._base import _LastLabels, _LastTicks

    explorer = getattr(helpers.widgets, name)()
    figure = explorer.figure
    wrapped = [axis for ax in figure.axes for axis in (ax.xaxis, ax.yaxis)
               if isinstance(axis.get_major_locator(), _LastTicks)]
    assert wrapped
    for name, control in explorer.controls.items():
        for _ in exercise(control):
            figure.canvas.draw()
            for axis in wrapped:
                if not isinstance(axis.get_major_locator(), _LastTicks):
                    continue  # the explorer gave this axis other ticks since
                locs = axis.get_major_locator().locator()
                np.testing.assert_array_equal(axis.get_majorticklocs(), locs, err_msg=name)
                formatter = axis.get_major_formatter()
                if isinstance(formatter, _LastLabels):
                    assert [t.get_text() for t in axis.get_majorticklabels()] == \
                        formatter.formatter.format_ticks(locs), name
        fast = np.asarray(figure.canvas.buffer_rgba()).copy()
        plain = _plain_render(figure)
        difference = np.abs(fast.astype(int) - plain.astype(int)).max(axis=2)
        assert difference.max() <= 3, name
        assert np.count_nonzero(difference) <= 0.001 * difference.size, name
    assert figure._text_masks  # the text rasters were made and reused


@pytest.mark.parametrize("name", list(EXPLORERS))
def test_replayed_axes_send_what_a_fresh_recording_sends(name):
    """Axes drawn once and replayed while unchanged (``DrawnOnce``) change nothing the page is
    sent: after every move of every control, the frame sent equals the figure recorded anew
    on a fresh renderer (every axis drawn again), operation for operation and byte for byte."""
    from matplotlib.axis import Axis

    from helpers.widgets._base import every_axes
    from helpers.widgets._view import DrawnOnce, RecordingRenderer

    explorer = getattr(helpers.widgets, name)()
    figure, view = explorer.figure, explorer.view
    kept = [artist for ax in every_axes(figure) for artist in ax.artists if isinstance(artist, DrawnOnce)]
    assert sum(isinstance(artist.artist, Axis) for artist in kept) == 2 * len(every_axes(figure))
    replayed = 0
    for control_name, control in explorer.controls.items():
        for _ in exercise(control):
            sent = dict(view.frame)
            replayed += sum(not artist.artist.stale and artist._kept is not None for artist in kept)
            width, height = figure.canvas.get_width_height(physical=True)
            fresh = RecordingRenderer(width, height, figure.dpi, view._renderer._measure)
            figure.draw(fresh)
            again = fresh.frame()
            assert sent["ops"] == again["ops"], control_name
            for part in ("vertices", "codes", "pixels"):
                assert sent[part] == again[part], (control_name, part)
            view.show()  # the next frame is made with the view's own renderer again
    assert replayed


@pytest.mark.parametrize("name", list(EXPLORERS))
def test_every_frame_is_what_matplotlib_draws_without_replaying(name, monkeypatch):
    """Every artist of an explorer is drawn by a ``DrawnOnce`` (``_view.draw_once``), set
    animated and drawn in its place. Moved through every control, the explorer sends the
    frames, operation for operation and byte for byte, of the same explorer built without
    them (matplotlib's axes drawing each artist themselves, in their own order)."""
    from helpers.widgets import _view

    replaying = getattr(helpers.widgets, name)()
    monkeypatch.setattr(_view, "draw_once", lambda axes: None)
    plain = getattr(helpers.widgets, name)()
    frames = 0
    for control_name in replaying.controls:
        for _ in zip(exercise(replaying.controls[control_name]), exercise(plain.controls[control_name])):
            sent, expected = replaying.view.frame, plain.view.frame
            assert sent["ops"] == expected["ops"], control_name
            for part in ("vertices", "codes", "pixels"):
                assert sent[part] == expected[part], (control_name, part)
            frames += 1
    assert frames >= len(replaying.controls)


def test_artists_of_one_z_order_keep_their_order_when_replayed():
    """Artists an axes draws at the same z-order are drawn in the order they were added,
    whether ``draw_once`` replays them (lines, patches, texts) or draws them every time
    (a collection, an image, an inset axes): the frame is the plain figure's, and still is
    once the limits have moved everything in data coordinates."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import LineCollection
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    from helpers.widgets._view import FigureView, draw_once

    def frame(replayed):
        figure = Figure(figsize=(3, 2), dpi=80)
        FigureCanvasAgg(figure)
        ax = figure.add_subplot()
        ax.plot([0, 1], [0, 1], color="red", lw=8, zorder=2)
        ax.add_collection(LineCollection([[(0, 1), (1, 0)]], colors="blue", linewidths=8, zorder=2))
        ax.add_patch(Rectangle((0.2, 0.2), 0.5, 0.5, color="green", zorder=2))
        ax.imshow([[0, 1], [1, 0]], extent=(0, 0.5, 0, 0.5), zorder=2, interpolation="none")
        ax.text(0.5, 0.5, "on top", zorder=2)
        ax.annotate("here", (0.3, 0.3), xytext=(5, 5), textcoords="offset points", zorder=2)
        inset = ax.inset_axes([0.6, 0.6, 0.3, 0.3])
        inset.plot([0, 1], [1, 0])
        ax.set(xlim=(0, 1), ylim=(0, 1))
        view = FigureView(figure, threading.RLock())
        if replayed:
            draw_once([ax, inset])
            view.record()  # recorded once: the first frame below is replayed
        frames = [view.record()]
        ax.set(xlim=(0, 2), ylim=(-1, 1))  # moves what is in data coordinates; marks none of it stale
        frames.append(view.record())
        return frames

    for plain, replayed in zip(frame(False), frame(True)):
        assert [op["op"] for op in replayed["ops"]] == [op["op"] for op in plain["ops"]]
        assert replayed["ops"] == plain["ops"]
        for part in ("vertices", "codes", "pixels"):
            assert replayed[part] == plain[part], part


@pytest.mark.parametrize("name", list(EXPLORERS))
def test_an_unchanged_figure_is_replayed_without_drawing_an_artist(name, monkeypatch):
    """Recording a figure again with nothing changed draws no line, patch or text (spines,
    titles, tick labels, colour keys): each is replayed from its last recording. (An empty
    text, such as an axes' unused left title, draws nothing and is asked again each time.)"""
    from matplotlib.patches import Patch
    from matplotlib.text import Text

    from helpers.widgets._base import every_axes

    explorer = getattr(helpers.widgets, name)()
    drawn = []
    for kind in (Line2D, Patch, Text):
        monkeypatch.setattr(kind, "draw", lambda artist, renderer, draw=kind.draw: (
            drawn.append(artist), draw(artist, renderer))[1])
    first = explorer.view.record()
    drawn.clear()
    again = explorer.view.record()
    assert again["ops"] == first["ops"] and again["vertices"] == first["vertices"]
    # what figures and axes draw themselves before their artists: their backgrounds
    backgrounds = [explorer.figure.patch] + [ax.patch for ax in every_axes(explorer.figure)
                                             if ax.axison and ax.get_frame_on()]
    drawn = [artist for artist in drawn if not (isinstance(artist, Text) and artist.get_text() == "")]
    assert sorted(map(id, drawn)) == sorted(map(id, backgrounds)), [type(artist).__name__ for artist in drawn]


def collections_figure():
    """Collections of every kind the explorers draw, and some they do not yet: points of
    several colours and sizes (one of them at NaN), lines of several widths and dashes, a
    contour set, and patches without edges."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import LineCollection, PatchCollection
    from matplotlib.figure import Figure
    from matplotlib.patches import Circle

    figure = Figure(figsize=(3, 2), dpi=80)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    rng = np.random.default_rng(0)
    points = rng.normal(size=(30, 2))
    points[3] = np.nan
    axes.scatter(points[:, 0], points[:, 1], c=np.arange(30), s=rng.uniform(5, 40, 30), edgecolors="black",
                 linewidths=[0.5, 1.0])
    axes.add_collection(LineCollection(rng.normal(size=(12, 2, 2)), linewidths=[0.5, 1, 2],
                                       linestyles=["-", "--"], colors=["tab:blue", "tab:red", (0, 0, 0, 0.3)]))
    grid = np.linspace(-2, 2, 30)
    axes.contour(grid, grid, np.add.outer(grid ** 2, grid ** 2), levels=5)
    axes.add_collection(PatchCollection([Circle((0, 0), 0.5), Circle((1, 1), 0.3)], facecolors="tab:green",
                                        edgecolors="none", alpha=0.5))
    return figure


@pytest.mark.parametrize("name", [*EXPLORERS, "collections"])
def test_a_collection_is_written_down_as_matplotlibs_own_loop_writes_it(name, monkeypatch):
    """``RecordingRenderer.draw_path_collection`` transforms each distinct path once and adds
    each element's offset; the frame must equal the one matplotlib's default loop (a
    ``draw_path`` per element) writes, operation for operation, vertices to float32's
    rounding."""
    from matplotlib.backend_bases import RendererBase

    from helpers.widgets._view import FigureView, RecordingRenderer

    if name == "collections":
        view = FigureView(collections_figure(), threading.RLock())
    else:
        view = getattr(helpers.widgets, name)().view
    ours = view.record()
    monkeypatch.setattr(RecordingRenderer, "draw_path_collection", RendererBase.draw_path_collection)
    matplotlibs = view.record()
    assert ours["ops"] == matplotlibs["ops"]
    assert ours["codes"] == matplotlibs["codes"] and ours["pixels"] == matplotlibs["pixels"]
    np.testing.assert_allclose(np.frombuffer(ours["vertices"], np.float32),
                               np.frombuffer(matplotlibs["vertices"], np.float32), rtol=0, atol=1e-3)


def test_an_axes_turned_off_shows_no_axis():
    """``set_axis_off()`` hides an axes' ticks and labels; the axis drawn in its place
    (``DrawnOnce``) must not bring them back (it did: the dropout explorer's network diagram
    showed ticks 0 to 3). The frame's texts must be those of the figure recorded without it."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from helpers.widgets._view import FigureView, draw_once

    def figure_texts(drawn_once):
        figure = Figure(figsize=(4, 2), dpi=80)
        FigureCanvasAgg(figure)
        shown, hidden = figure.subplots(1, 2)
        for axes in (shown, hidden):
            axes.plot([0, 3], [0, 1])
        hidden.set_axis_off()
        if drawn_once:
            draw_once(figure.axes)
        return sorted(op["s"] for op in FigureView(figure, threading.RLock()).record()["ops"] if op["op"] == "text")

    plain = figure_texts(drawn_once=False)
    assert len(plain) >= 6  # the shown axes' tick labels, on both of its axes
    assert figure_texts(drawn_once=True) == plain


@pytest.mark.parametrize("name", list(EXPLORERS))
def test_the_static_png_draws_each_replayed_artist_once_per_figure_draw(name):
    """While a figure is saved, its axes draw their animated artists themselves; the artist
    drawn in their place (``DrawnOnce``) then draws nothing. It drew them a second time over
    the first (tick labels antialiased twice look bolder in the notebook's static PNG)."""
    from helpers.widgets._base import every_axes, figure_png
    from helpers.widgets._view import DrawnOnce

    explorer = getattr(helpers.widgets, name)()
    draws = collections.Counter()

    def counted(artist, label):
        draw = artist.draw
        artist.draw = lambda renderer, *args, **kwargs: (draws.update([label]), draw(renderer, *args, **kwargs))[1]

    counted(explorer.figure, "figure")
    replayed = [artist.artist for ax in every_axes(explorer.figure) for artist in ax.artists
                if isinstance(artist, DrawnOnce)]
    for index, artist in enumerate(replayed):
        counted(artist, index)
    figure_png(explorer.figure)
    assert draws["figure"] >= 1
    shown = [index for index, artist in enumerate(replayed) if artist.get_visible() and artist.axes.axison]
    assert shown and all(draws[index] == draws["figure"] for index in shown), draws


def test_sliders_refuse_out_of_range_values_instead_of_clamping():
    explorer = ewma_explorer()
    with pytest.raises(ValueError, match=r"beta must lie in \[0.5, 0.999\], got 1.2"):
        explorer.controls["beta"].value = 1.2
    with pytest.raises(ValueError, match="beta is NaN"):
        explorer.set_beta(float("nan"))
    assert explorer.controls["beta"].value == 0.9


# --------------------------------------------------------------------------- perceptron


def test_perceptron_default_is_the_slide_example():
    explorer = perceptron_explorer()
    assert explorer.point_z == pytest.approx(-6.0)
    assert explorer.point_output == pytest.approx(1 / (1 + np.exp(6.0)))
    assert "g(-6)" in explorer.point_label.get_text()


def test_perceptron_figure_follows_every_control():
    explorer = perceptron_explorer()
    for _ in moved(explorer):
        c = explorer.controls
        w0, W, g = c["w0"].value, np.array([c["w1"].value, c["w2"].value]), c["activation"].value
        expected = helpers.perceptron_forward(explorer.grid, w0, W, g)
        np.testing.assert_array_equal(explorer.image.get_array(), expected.reshape(explorer.grid_shape))
        x1, x2 = explorer.line.get_data()
        if W.any():
            np.testing.assert_allclose(w0 + W[0] * np.asarray(x1) + W[1] * np.asarray(x2), 0, atol=1e-9)
        else:
            assert len(x1) == 0
        assert explorer.point_z == pytest.approx(w0 - W[0] + 2 * W[1])
        # the colour scale spans exactly the heat map's colour limits
        assert explorer.scale_axes.get_ylim() == pytest.approx(explorer.image.get_clim(), rel=0, abs=0)
        assert explorer.scale_image.get_extent()[2:] == pytest.approx(explorer.image.get_clim(), rel=0, abs=0)


def test_perceptron_refuses_bad_arguments():
    with pytest.raises(ValueError, match="W must hold two numbers"):
        perceptron_explorer(W=[1, 2, 3])
    with pytest.raises(ValueError, match="w0 must lie in"):
        perceptron_explorer(w0=50)
    with pytest.raises(ValueError, match="unknown activation 'softmax'"):
        perceptron_explorer(activation="softmax")


# --------------------------------------------------------------------------- EWMA


def test_ewma_lines_equal_the_reference_and_pandas():
    explorer = ewma_explorer()
    _dates, temperatures = helpers.data.load_temperatures()
    np.testing.assert_array_equal(explorer.temperatures, temperatures)
    t = np.arange(1, len(temperatures) + 1)
    for _ in moved(explorer):
        beta = explorer.controls["beta"].value
        np.testing.assert_array_equal(explorer.lines["ewma"].get_ydata(), helpers.ewma(temperatures, beta))
        pandas_mean = pd.Series(temperatures).ewm(alpha=1 - beta, adjust=True).mean().to_numpy()
        np.testing.assert_allclose(explorer.lines["corrected"].get_ydata(), pandas_mean, rtol=1e-9)
        # V_t = (1 - beta^t) * corrected: the plain EWMA starts at 0
        np.testing.assert_allclose(explorer.average, (1 - beta**t) * pandas_mean, rtol=1e-9)
        assert explorer.lines["corrected"].get_visible() == explorer.controls["bias_correction"].value
        assert explorer.window_patch.get_width() == pytest.approx(min(1 / (1 - beta), explorer.window_end - 0.5))
        # momentum's velocity is update_parameters_with_momentum's, bit for bit, and the EWMA of the gradients
        np.testing.assert_array_equal(explorer.velocities, public_momentum_velocities(explorer.gradients, beta))
        np.testing.assert_allclose(explorer.velocities, helpers.ewma(explorer.gradients, beta), rtol=1e-12)
        np.testing.assert_array_equal(explorer.lines["velocity"].get_ydata(), explorer.velocities)


def test_ewma_presets_are_the_slides_betas():
    explorer = ewma_explorer()
    for beta, days in ((0.5, 2), (0.9, 10), (0.98, 50)):
        explorer.controls[f"preset {beta:g}"].click()
        assert explorer.controls["beta"].value == beta
        assert explorer.window == pytest.approx(days)


def test_ewma_refuses_bad_temperatures():
    with pytest.raises(ValueError, match="at least 2 daily values, got 0"):
        ewma_explorer(temperatures=[])
    with pytest.raises(ValueError, match="temperatures contains NaN"):
        ewma_explorer(temperatures=[1.0, float("nan"), 3.0])
    with pytest.raises(ValueError, match="temperatures must be 1-D"):
        ewma_explorer(temperatures=np.ones((3, 3)))
    with pytest.raises(ValueError, match=r"beta must lie in \[0.5, 0.999\]"):
        ewma_explorer(beta=0.2)


# --------------------------------------------------------------------------- optimizer landscapes


@pytest.mark.parametrize("name", list(LANDSCAPES))
def test_landscape_gradient_matches_two_sided_differences(name):
    landscape = LANDSCAPES[name]
    rng = np.random.default_rng(0)
    w1, w2 = rng.uniform(-BOX, BOX, size=(2, 50))
    h = 1e-6
    numeric = ((landscape.cost(w1 + h, w2) - landscape.cost(w1 - h, w2)) / (2 * h),
               (landscape.cost(w1, w2 + h) - landscape.cost(w1, w2 - h)) / (2 * h))
    for analytic, approx in zip(landscape.gradient(w1, w2), numeric):
        np.testing.assert_allclose(analytic, approx, rtol=1e-5, atol=1e-5)


def public_momentum_velocities(gradients, beta):
    """v_dW after each call of the public ``update_parameters_with_momentum`` on one 1 x 1 weight."""
    parameters = {"W1": np.zeros((1, 1)), "b1": np.zeros((1, 1))}
    v = helpers.initialize_velocity(parameters)
    velocities = []
    for gradient in gradients:
        grads = {"dW1": np.full((1, 1), gradient), "db1": np.zeros((1, 1))}
        parameters, v = helpers.update_parameters_with_momentum(parameters, grads, v, beta, learning_rate=0.1)
        velocities.append(v["dW1"][0, 0])
    return np.array(velocities)


def reference_trajectory(landscape, start, iterations, learning_rate, decay, optimizer):
    """The contract's update rules applied step by step (independent of the explorer's loop)."""
    parameters = {"W1": np.array([start], dtype=float), "b1": np.zeros((1, 1))}
    v = helpers.initialize_velocity(parameters)
    s = helpers.initialize_rmsprop(parameters)
    adam_v, adam_s = helpers.initialize_adam(parameters)
    path = [np.array(start, dtype=float)]
    for t in range(1, iterations + 1):
        rate = learning_rate / (1 + decay * (t - 1))
        w1, w2 = parameters["W1"][0]
        d1, d2 = landscape.gradient(w1, w2)
        grads = {"dW1": np.array([[d1, d2]]), "db1": np.zeros((1, 1))}
        if optimizer == "gd":
            parameters = helpers.update_parameters_with_gd(parameters, grads, rate)
        elif optimizer == "momentum":
            parameters, v = helpers.update_parameters_with_momentum(parameters, grads, v, 0.9, rate)
        elif optimizer == "rmsprop":
            parameters, s = helpers.update_parameters_with_rmsprop(parameters, grads, s, 0.9, rate)
        else:
            parameters, adam_v, adam_s, _, _ = helpers.update_parameters_with_adam(
                parameters, grads, adam_v, adam_s, t, rate)
        path.append(parameters["W1"][0].copy())
        if np.abs(path[-1]).max() > BOX:
            break
    return np.array(path)


def test_trajectories_equal_the_reference_update_rules_for_every_control():
    explorer = optimizer_explorer()
    for _ in moved(explorer):
        c = explorer.controls
        landscape = LANDSCAPES[c["landscape"].value]
        start = (c["w1"].value, c["w2"].value)
        for optimizer in ("gd", "momentum", "rmsprop", "adam"):
            if not c[optimizer].value:
                assert optimizer not in explorer.runs
                assert len(explorer.paths[optimizer].get_xdata()) == 0
                continue
            expected = reference_trajectory(landscape, start, c["iterations"].value, c[optimizer + " lr"].value,
                                            c[optimizer + " decay"].value, optimizer)
            # the same float64 arithmetic, bit for bit (the explorer runs w1 and w2 as two scalars)
            np.testing.assert_array_equal(explorer.runs[optimizer].path, expected)
            np.testing.assert_array_equal(explorer.paths[optimizer].get_xdata(), expected[:, 0])


def test_diverging_run_is_marked_with_the_step_it_left():
    explorer = optimizer_explorer(landscape="convex bowl")
    explorer.controls["gd lr"].value = 1.3  # w <- w - 2.6 w = -1.6 w: grows by 1.6 each step
    w1, w2 = explorer.controls["w1"].value, explorer.controls["w2"].value
    expected_step = next(t for t in range(1, 100) if max(abs(w1), abs(w2)) * 1.6**t > BOX)
    run = explorer.runs["gd"]
    assert run.left_at == expected_step
    assert len(run.path) == expected_step + 1
    assert len(explorer.exits["gd"].get_xdata()) == 1
    assert f"left the plot at step {expected_step}" in explorer.legend_texts["gd"].get_text()
    assert f"GD left the plot at step {expected_step}" in explorer.status.value
    explorer.controls["gd lr"].value = 0.1
    assert explorer.runs["gd"].left_at is None and len(explorer.exits["gd"].get_xdata()) == 0
    assert explorer.legend_texts["gd"].get_text() == "GD"


def test_the_cost_plot_shows_every_cost_and_a_rate_slider_rarely_redraws_its_axis(monkeypatch):
    explorer = optimizer_explorer(student_update=helpers.update_parameters_with_adam)
    explorer.controls["iterations"].value = 330
    drawn = []
    draw = YAxis.draw
    monkeypatch.setattr(YAxis, "draw", lambda axis, renderer: (drawn.append(axis), draw(axis, renderer)))
    for name in ("adam lr", "gd lr"):
        slider, drawn[:] = explorer.controls[name], []
        positions = np.linspace(1, len(slider.grid) - 2, 11).astype(int)  # over the whole range
        for index in positions:
            slider.value = slider.grid[index]
            low, high = explorer.cost_axes.get_ylim()
            costs = np.concatenate([line.get_ydata() for line in explorer.cost_lines.values()])
            assert low < costs.min() and costs.max() < high  # a margin: no run lies on the frame
            assert high - low < 1.25 * (costs.max() - costs.min()) + 0.5  # and it stays small
        # the cost axis keeps its limits, so its recorded ticks are replayed, not drawn again
        assert drawn.count(explorer.cost_axes.yaxis) <= len(positions) // 2, name


def test_a_run_that_did_not_change_is_replayed_not_recorded_again(monkeypatch):
    """A rate slider records again only the lines of the runs it moves: the others (the
    student's run, made anew, included) are sent as recorded before."""
    explorer = optimizer_explorer(student_update=helpers.update_parameters_with_adam)
    drawn = []
    draw = Line2D.draw
    monkeypatch.setattr(Line2D, "draw", lambda line, renderer: (drawn.append(line), draw(line, renderer)))
    for slider, moves in (("gd lr", ["gd"]), ("adam lr", ["adam", "yours"]), ("adam decay", ["adam", "yours"])):
        control, drawn[:] = explorer.controls[slider], []
        control.value = control.grid[control.grid.index(control.value) - 3]
        for name, path in explorer.paths.items():
            expected = int(name in moves)  # recorded once, or replayed
            assert (drawn.count(path), drawn.count(explorer.exits[name])) == (expected, expected), (slider, name)
        frame = explorer.view.frame
        explorer.view.show()  # the same figure, sent again: every line replayed
        assert explorer.view.frame["ops"] == frame["ops"] and explorer.view.frame["vertices"] == frame["vertices"]


def test_each_landscapes_contours_are_recorded_once_when_the_explorer_is_built(monkeypatch):
    explorer = optimizer_explorer()
    drawn = []
    draw = ContourSet.draw
    monkeypatch.setattr(ContourSet, "draw", lambda contours, renderer: (drawn.append(contours),
                                                                        draw(contours, renderer)))
    menu, frames = explorer.controls["landscape"], {}
    for name in [*menu.options[1:], *menu.options]:
        menu.value = name
        frame = explorer.view.frame
        assert frames.setdefault(name, frame)["vertices"] == frame["vertices"], name  # again: the same picture
    assert len({frame["vertices"] for frame in frames.values()}) == len(menu.options)  # each its own lines
    assert drawn == []  # every one replayed from the recording made when the explorer was built


def test_click_on_the_contour_plot_sets_the_start():
    explorer = optimizer_explorer()
    explorer.figure.canvas.draw()
    x, y = explorer.contour_axes.transData.transform((1.0, -0.5))
    event = MouseEvent("button_press_event", explorer.figure.canvas, x, y, button=1)
    explorer.figure.canvas.callbacks.process("button_press_event", event)
    assert (explorer.controls["w1"].value, explorer.controls["w2"].value) == pytest.approx((1.0, -0.5), abs=0.011)
    np.testing.assert_allclose(explorer.runs["adam"].path[0], (explorer.controls["w1"].value,
                                                               explorer.controls["w2"].value))


def test_student_update_runs_beside_the_reference_adam():
    good = optimizer_explorer(student_update=helpers.update_parameters_with_adam)
    np.testing.assert_array_equal(good.runs["yours"].path, good.runs["adam"].path)
    assert "follows the reference Adam" in good.status.value

    def adam_without_bias_correction(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999,
                                     epsilon=1e-8):
        v = {k: beta1 * v[k] + (1 - beta1) * grads[k] for k in grads}
        s = {k: beta2 * s[k] + (1 - beta2) * grads[k] ** 2 for k in grads}
        new = {k: parameters[k] - learning_rate * v["d" + k] / (np.sqrt(s["d" + k]) + epsilon) for k in parameters}
        return new, v, s, v, s

    buggy = optimizer_explorer(student_update=adam_without_bias_correction)
    assert "departs from the reference Adam at step 1" in buggy.status.value

    def broken(*args, **kwargs):
        raise NotImplementedError()

    crashed = optimizer_explorer(student_update=broken)
    assert crashed.student_error == "NotImplementedError: "
    assert "your update raised NotImplementedError" in crashed.status.value
    with pytest.raises(ValueError, match="student_update must be a function"):
        optimizer_explorer(student_update="adam")
    with pytest.raises(ValueError, match="unknown landscape 'moon'"):
        optimizer_explorer(landscape="moon")


def test_the_students_update_runs_again_only_when_its_own_settings_change():
    """Another optimizer's slider leaves the student's run alone; more iterations continue it;
    its rate, start or landscape start it again; a run an error cut short resumes at that step."""
    steps = []
    failing = {"at": None}

    def counted_adam(parameters, grads, v, s, t, learning_rate=0.01, **kwargs):
        steps.append(t)
        if failing["at"] == t:
            raise FloatingPointError("step %d" % t)
        return helpers.update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=learning_rate,
                                                   **kwargs)

    explorer = optimizer_explorer(student_update=counted_adam, iterations=50)
    assert steps == list(range(1, 51))
    steps.clear()
    explorer.controls["gd lr"].value = 0.1
    explorer.controls["momentum decay"].value = 0.05
    assert steps == []
    explorer.controls["iterations"].value = 60
    assert steps == list(range(51, 61))
    np.testing.assert_array_equal(explorer.runs["yours"].path, explorer.runs["adam"].path)
    steps.clear()
    explorer.controls["iterations"].value = 40  # the first 40 of the 60 already made
    assert steps == [] and len(explorer.runs["yours"].path) == 41
    explorer.controls["adam lr"].value = 0.1
    assert steps == list(range(1, 41))
    np.testing.assert_array_equal(explorer.runs["yours"].path, explorer.runs["adam"].path)
    steps.clear()
    failing["at"] = 7
    explorer.controls["w1"].value = 1.0
    assert explorer.student_error == "FloatingPointError: step 7" and "yours" not in explorer.runs
    failing["at"] = None
    steps.clear()
    explorer.controls["gd lr"].value = 0.2  # same student settings: the cut-short run tries step 7 again
    assert steps == list(range(7, 41)) and explorer.student_error is None
    np.testing.assert_array_equal(explorer.runs["yours"].path, explorer.runs["adam"].path)


# --------------------------------------------------------------------------- dropout


def test_dropout_masks_outputs_and_diagram_follow_the_controls():
    explorer = dropout_explorer()
    a = explorer.activations
    for name, _ in moved(explorer):
        keep_prob = explorer.controls["keep_prob"].value
        if explorer.controls["mode"].value == "inference":
            assert explorer.masks.all() and explorer.layer2_mask.all()
            np.testing.assert_allclose(explorer.mean_output, a[:, 0], rtol=1e-12)
            np.testing.assert_array_equal([bar.get_height() for bar in explorer.after_bars], a[:, 0])
            continue
        # kept fraction near keep_prob: 16,000 Bernoulli draws, tolerance > 6 standard deviations
        assert abs(explorer.masks.mean() - keep_prob) < 6 * np.sqrt(keep_prob * (1 - keep_prob) / explorer.masks.size) + 1e-12
        expected, _ = helpers.dropout_forward(np.repeat(a, explorer.masks.shape[1], axis=1), keep_prob, D=explorer.masks)
        np.testing.assert_array_equal(explorer.dropped, expected)
        heights = [bar.get_height() for bar in explorer.after_bars]
        np.testing.assert_array_equal(heights, a[:, 0] * explorer.masks[:, 0] / keep_prob)
        # the first hidden layer's units drawn grey are those the mask drops, and only those
        grey = {tuple(point) for point in np.column_stack(explorer.nodes[False].get_data())}
        assert explorer.nodes[False].get_markerfacecolor() == "0.85"
        np.testing.assert_array_equal([tuple(unit) in grey for unit in explorer.positions[1]], ~explorer.masks[:, 0])
    # the mean over many masks stays at a (inverted dropout), 5 standard deviations at keep_prob 0.8
    explorer.controls["keep_prob"].value = 0.8
    spread = a[:, 0] * np.sqrt(0.2 / 0.8 / explorer.masks.shape[1])
    assert np.all(np.abs(explorer.mean_output - a[:, 0]) <= 5 * spread + 1e-12)


def test_new_mask_button_draws_a_new_mask():
    explorer = dropout_explorer(keep_prob=0.5)
    before = explorer.masks.copy()
    explorer.controls["new mask"].click()
    assert not np.array_equal(before, explorer.masks)


def test_dropout_boundary_comes_from_networks_trained_with_and_without_dropout():
    from helpers.widgets.dropout import TRAINING, _grid, nearest_trained, planar_split

    assert nearest_trained(0.72) == 0.7
    explorer = dropout_explorer(keep_prob=0.7)
    assert explorer.trained_keep_prob == 0.7
    X_train, Y_train, X_dev, Y_dev = planar_split("moons")
    parameters, _ = helpers.train(X_train, Y_train, keep_prob=0.7, progress=False, **TRAINING)
    assert explorer.trained["train_accuracy"] == np.mean(helpers.predict(X_train, parameters) == Y_train)
    assert explorer.trained["dev_accuracy"] == np.mean(helpers.predict(X_dev, parameters) == Y_dev)
    assert "keep_prob 0.7" in explorer.boundary_axes.get_title()
    # the line is the 0.5 level of that network: every vertex sits between grid nodes on both sides of 0.5
    x1, x2, grid = _grid(X_train)
    probabilities = helpers.L_model_forward(grid, parameters)[0][0]
    spacing = np.array([x1[0, 1] - x1[0, 0], x2[1, 0] - x2[0, 0]])
    boundary = explorer.boundary_lines["with"].get_xydata()
    vertices = boundary[np.isfinite(boundary).all(axis=1)]
    assert len(vertices) > 10
    for vertex in vertices:
        near = np.all(np.abs(grid.T - vertex) <= 1.001 * spacing, axis=1)
        assert probabilities[near].min() <= 0.5 <= probabilities[near].max()


def test_dropout_skips_training_while_grading(monkeypatch):
    from helpers.widgets import dropout

    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    monkeypatch.setattr(dropout, "trained_network", lambda *a: pytest.fail("trained while grading"))
    explorer = dropout_explorer()
    assert explorer.trained is None
    explorer.controls["keep_prob"].value = 0.5
    with pytest.raises(ValueError, match=r"keep_prob must lie in \(0, 1\]"):
        dropout_explorer(keep_prob=0)
    with pytest.raises(ValueError, match=r"keep_prob must lie in \[0.1, 1\]"):
        explorer.controls["keep_prob"].value = 0.05


# --------------------------------------------------------------------------- initialization


def test_histograms_and_norms_come_from_activation_statistics():
    from helpers.widgets.initialization import BINS, FLOOR, INITIALIZERS, layer_dims, network_inputs

    explorer = initialization_explorer()
    X, Y = network_inputs()
    for _ in moved(explorer):
        c = explorer.controls
        depth = c["depth"].value
        parameters = INITIALIZERS[c["method"].value](layer_dims(depth, c["width"].value))
        with np.errstate(over="ignore", invalid="ignore"):
            _, values = helpers.activation_statistics(X, parameters, c["activation"].value, Y=Y,
                                                      return_activations=True)
            for layer in range(depth):
                counts, _ = np.histogram(np.clip(values["A"][layer], BINS[0], BINS[-1]), BINS)
                np.testing.assert_array_equal(explorer.statistics["histograms"][layer], counts)
            norms = [np.linalg.norm(dW) for dW in values["dW"]]
        np.testing.assert_array_equal(explorer.grad_line.get_ydata(), np.maximum(np.nan_to_num(norms, nan=np.inf), FLOOR))
        assert sum(line.get_visible() for line in explorer.ridges) == depth


@pytest.mark.parametrize("method, activation, verdict", [
    ("He", "relu", "steady"), ("Xavier", "tanh", "steady"),
    ("small random", "relu", "vanishing"), ("large random", "relu", "exploding"),
])
def test_initialization_shows_vanishing_and_exploding(method, activation, verdict):
    explorer = initialization_explorer(method=method, depth=8, width=64, activation=activation)
    std = explorer.statistics["A_std"]
    growth = std[-1] / std[0]
    if verdict == "steady":
        assert 0.1 < growth < 10
    elif verdict == "vanishing":
        assert growth < 1e-6
    else:
        assert growth > 1e6


def test_zeros_initialization_is_symmetric_and_refusals():
    explorer = initialization_explorer(method="zeros")
    assert np.all(explorer.statistics["A_std"] == 0)
    assert "symmetry" in explorer.status.value
    with pytest.raises(ValueError, match="unknown width 100"):
        initialization_explorer(width=100)
    with pytest.raises(ValueError, match=r"depth must lie in \[2, 10\]"):
        initialization_explorer(depth=30)
    with pytest.raises(ValueError, match=r"hidden layers must lie in \[2, 10\]"):
        explorer.controls["depth"].value = 11
