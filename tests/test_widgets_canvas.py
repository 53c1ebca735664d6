"""The page's drawing module (helpers/widgets/view.js) against matplotlib's own Agg picture.

Each frame is recorded headless (``FigureView.record``), replayed by ``drawFrame`` on a
<canvas> in a bare page of headless Chromium (no JupyterLab: a few seconds), read back and
compared with the figure that Agg draws. Antialiasing and the browser's text rasterizer
differ a little (docs/widgets.md, "In the page"); shapes, places and colours must not.
"""

import base64
import io
import threading
from pathlib import Path

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

import helpers
import helpers.widgets
from helpers.widgets import EXPLORERS
from helpers.widgets._view import FigureView
from tests.support.browser import CHROMIUM, launch

VIEW_JS = Path(helpers.widgets.__file__).with_name("view.js")

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed")

#: A pixel differs when one of its channels differs by more than this (of 255).
PIXEL_TOLERANCE = 24

DRAW_JS = """([frame, canvasId]) => {
    const bytes = s => Uint8Array.from(atob(s), c => c.charCodeAt(0)).buffer;
    let canvas = document.getElementById(canvasId);
    if (!canvas) {
        canvas = document.createElement('canvas');
        canvas.id = canvasId;
        document.body.appendChild(canvas);
    }
    drawFrame(canvas, {...frame, vertices: bytes(frame.vertices), codes: bytes(frame.codes),
                       pixels: bytes(frame.pixels)});
    return canvas.toDataURL('image/png');
}"""


@pytest.fixture(scope="module")
def page():
    """A bare page with view.js's ``drawFrame`` (the module's export, as a global)."""
    source = VIEW_JS.read_text(encoding="utf-8").replace("export function drawFrame", "function drawFrame")
    source = source.replace("export default { render };", "window.drawFrame = drawFrame;")
    with playwright_api.sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page()
        page.set_content("<html><body style='margin:0'></body></html>")
        page.add_script_tag(content=source)
        yield page
        browser.close()


def drawn(page, frame, canvas_id="figure"):
    """The picture ``drawFrame`` makes of ``frame`` on the page's canvas ``canvas_id``, over
    white (the page's background): an (h, w, 3) int array."""
    from PIL import Image

    sent = {key: (base64.b64encode(value).decode() if isinstance(value, bytes) else value)
            for key, value in frame.items()}
    url = page.evaluate(DRAW_JS, [sent, canvas_id])
    image = Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1]))).convert("RGBA")
    white = Image.new("RGBA", image.size, "white")
    white.alpha_composite(image)
    return np.asarray(white.convert("RGB")).astype(int)


def agg_picture(figure):
    """The figure as Agg draws it: an (h, w, 3) int array."""
    figure.canvas.draw()
    return np.asarray(figure.canvas.buffer_rgba())[..., :3].astype(int)


def differing(a, b):
    """The fraction of pixels whose channels differ by more than PIXEL_TOLERANCE."""
    assert a.shape == b.shape, f"pictures of {a.shape} and {b.shape}"
    return (np.abs(a - b).max(axis=2) > PIXEL_TOLERANCE).mean()


def differing_nearby(a, b):
    """The fraction of pixels of ``a`` that differ (as in :func:`differing`) from every pixel
    of ``b`` at most one pixel away: a marker's edge antialiased on the next pixel is alike,
    a marker missing or in another place is not."""
    assert a.shape == b.shape, f"pictures of {a.shape} and {b.shape}"
    padded = np.pad(b, ((1, 1), (1, 1), (0, 0)), mode="edge")
    height, width = a.shape[:2]
    closest = np.min([np.abs(a - padded[dy:dy + height, dx:dx + width]).max(axis=2)
                      for dy in range(3) for dx in range(3)], axis=0)
    return (closest > PIXEL_TOLERANCE).mean()


PILE = (0.9, -0.8)


def marker_figure(alpha):
    """Markers only: 600 steps of a run that spirals in and then stays on its last point (as an
    optimizer's converged run does: most steps on a few pixels, the last 200 on one), a run
    that never moves (50 steps on PILE, away from the rest), and a second marker style
    crossing the first."""
    figure = Figure(figsize=(3, 2), dpi=80)
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_axis_off()
    steps = np.arange(600)
    settle = np.where(steps < 400, np.exp(-steps / 40.0), 0.0)
    axes.plot(settle * np.cos(steps / 5), settle * np.sin(steps / 5), "o", color="tab:orange", alpha=alpha,
              markersize=5)
    axes.plot(*np.repeat([PILE], 50, axis=0).T, "o", color="tab:orange", alpha=alpha, markersize=5)
    axes.plot(np.linspace(-1, 1, 40), np.linspace(-0.8, 0.8, 40), "s", color="tab:blue", alpha=alpha,
              markeredgecolor="black", markersize=6)
    axes.set(xlim=(-1.2, 1.2), ylim=(-1.1, 1.1))
    return figure


@pytest.mark.parametrize("alpha", [1.0, 0.1], ids=["opaque", "translucent"])
def test_markers_land_where_agg_puts_them(page, alpha):
    """Markers are stamped (drawn once, copied to each point on a whole pixel), and an opaque
    one only where no later one covers it: the picture must still be Agg's, piles of
    translucent markers as dark as Agg makes them."""
    figure = marker_figure(alpha)
    frame = FigureView(figure, threading.RLock()).record()
    counts = [op["count"] for op in frame["ops"] if op["op"] == "markers"]
    assert counts == [600, 50, 40]
    page_picture, agg = drawn(page, frame), agg_picture(figure)
    # 1.7% (opaque) and 0.2% (translucent) today: the squares' 1.1-pixel edges, which Agg
    # snaps to whole pixels; painting every marker's curves, as before, gave 3.6% and 1.1%
    assert differing_nearby(page_picture, agg) < 0.03
    assert differing_nearby(agg, page_picture) < 0.03
    ink = page_picture.sum(axis=2) < 700  # pixels with a marker on them
    assert abs(ink.mean() - (agg.sum(axis=2) < 700).mean()) < 0.01
    # where 50 steps pile up on one point: as dark as Agg makes 50 translucent markers (one
    # of them alone is a pale orange), the opaque marker's colour
    column, row = (round(v) for v in figure.axes[0].transData.transform(PILE))
    row = agg.shape[0] - row  # pictures count rows from the top
    pile = (slice(row - 2, row + 3), slice(column - 2, column + 3))
    assert np.abs(page_picture[pile].mean(axis=(0, 1)) - agg[pile].mean(axis=(0, 1))).max() <= PIXEL_TOLERANCE


def test_a_marker_far_off_the_plot_draws_nothing(page):
    """A diverging run's points lie millions of pixels away; one exactly 2**32 pixels to the
    right must not come back onto the plot (stamp positions once wrapped in an int32)."""
    def picture(far):
        figure = Figure(figsize=(3, 2), dpi=80)
        FigureCanvasAgg(figure)
        axes = figure.add_axes((0, 0, 1, 1))
        axes.set_axis_off()
        axes.set(xlim=(0, 1), ylim=(0, 1))
        axes.plot([0.5], [0.5], "o", color="tab:orange")
        if far:  # x on the canvas: 240 pixels per unit of x from 0, so 2**32 pixels is x = 2**32 / 240
            axes.plot([2 ** 32 / 240, 0.5], [0.5, 0.5], "o", color="tab:blue")
        else:
            axes.plot([0.5], [0.5], "o", color="tab:blue")
        return drawn(page, FigureView(figure, threading.RLock()).record(), canvas_id=f"far-{far}")

    assert (picture(far=True) == picture(far=False)).all()


@pytest.mark.parametrize("name", EXPLORERS)
def test_the_page_draws_each_explorer_as_agg_does(page, name):
    """Every explorer's frame replayed in the page against its Agg picture: edges antialiased
    at other sub-pixel positions and the browser's text differ (3 to 7% of the pixels);
    a missing curve, title or panel is more."""
    explorer = eval(EXPLORERS[name], {"helpers": helpers, **vars(helpers.widgets)})
    pictures = [(explorer.view.frame, explorer.figure)]
    if name == "optimizer_explorer":  # long runs: 2000 markers, most on a few pixels
        explorer.controls["iterations"].value = 400
        pictures.append((explorer.view.frame, explorer.figure))
    for frame, figure in pictures:
        assert differing(drawn(page, frame, canvas_id=name), agg_picture(figure)) < 0.08


def test_a_canvas_takes_each_frames_size(page):
    """A frame of another height on the same canvas: nothing of the taller picture may stay
    below it (drawFrame once checked only the width)."""
    tall, short = marker_figure(1.0), marker_figure(1.0)
    short.set_size_inches(3, 1.5)
    lock = threading.RLock()
    drawn(page, FigureView(tall, lock).record(), canvas_id="shared")
    again = drawn(page, FigureView(short, lock).record(), canvas_id="shared")
    fresh = drawn(page, FigureView(short, lock).record(), canvas_id="fresh")
    assert again.shape == fresh.shape == (120, 240, 3)
    assert (again == fresh).all()
