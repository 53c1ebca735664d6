"""A JupyterLab page showing the explorers, and a probe that watches their figure (tests, benchmarks).

:class:`BrowserSession` serves a notebook with one cell per explorer, built as the
assignments build them (:func:`explorer_notebook`), runs it in headless Chromium and
installs ``PROBE_JS``: it remembers the last input event's timestamp and, on the animation
frame after each draw of a watched canvas, reads its pixels. ``bench/widgets_browser.py``
times each control with it; ``tests/test_widgets_browser.py`` checks what a burst of
drags leaves on the canvas.
"""
from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

import nbformat
import numpy as np

from helpers.widgets import EXPLORERS
from tests.support.browser import launch
from tests.support.lab_page import run_all_cells
from tests.support.labserver import running_lab

REPO = Path(__file__).resolve().parents[2]
NOTEBOOK = "explorers.ipynb"
#: How long the picture must stay still before the next input, and how often Python polls the page.
SETTLE_MS, POLL_MS = 350, 20

#: Installed once per page: remembers the last input event's timestamp, and watches a
#: canvas, on the animation frame after each draw, for the first pixel that differs from its
#: picture when the watch began (``changedAt``) and for the last frame that changed (``lastChange``).
#: Python polls ``result()`` every ``POLL_MS``: that only decides when the bench moves on, the
#: times themselves are taken in the page.
PROBE_JS = r"""() => {
    if (window.__probe) return;
    window.__lastInput = null;
    const remember = e => {  // the first input event after arm() is the one timed
        if (e.type === 'pointermove' && !e.buttons) return;
        if (window.__lastInput === null) window.__lastInput = e.timeStamp;
    };
    for (const type of ['keydown', 'pointerdown', 'pointermove', 'change']) {
        document.addEventListener(type, remember, true);
    }
    const read = canvas => new Uint32Array(
        canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data.buffer.slice(0));
    const differ = (a, b) => {
        if (a.length !== b.length) return true;
        for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return true;
        return false;
    };
    window.__probe = {
        watch(canvas) {
            if (this.current) { this.current.stopped = true; this.current.observer.disconnect(); }
            const watch = {canvas, base: read(canvas), changedAt: null, input: null, lastChange: performance.now(),
                           stopped: false};
            // Only the explorer's drawFrame paints this canvas, and it numbers each frame it draws
            // (data-frame): after each draw the pixels are read on the next animation frame, the
            // first at which they can show. Nothing runs between draws: a loop reading the canvas on
            // every animation frame kept Chromium drawing frames and took CPU from the kernel.
            let previous = watch.base, pending = false;
            const check = () => {
                // the frame's time is taken before its pixels are read: reading and comparing
                // them (1.5 ms a read and comparison of a 680 x 312 canvas) is the probe's work, not the explorer's
                const frameTime = performance.now();
                pending = false;
                if (watch.stopped) return;
                const now = read(canvas);
                if (watch.changedAt === null && differ(now, watch.base)) {
                    watch.changedAt = frameTime;
                    watch.input = window.__lastInput;
                }
                if (differ(now, previous)) watch.lastChange = frameTime;
                previous = now;
            };
            watch.observer = new MutationObserver(() => {
                if (!pending) { pending = true; requestAnimationFrame(check); }
            });
            watch.observer.observe(canvas, {attributes: true, attributeFilter: ['data-frame']});
            this.current = watch;
        },
        arm() {  // a new input follows: its first changed frame is measured against the picture now
            const watch = this.current;
            watch.base = read(watch.canvas);
            watch.changedAt = null;
            watch.input = null;
            window.__lastInput = null;
        },
        result() {
            const w = this.current;
            return {changedAt: w.changedAt, input: w.input, lastChange: w.lastChange,
                    quietFor: performance.now() - w.lastChange};
        },
    };
}"""


REDO_CELL = """import ipywidgets

def with_redo(explorer):
    \"\"\"The explorer and a "redo in one step" button: it moves every control back to where it
    was when the explorer was built, then to where it is now, each in one step (what a
    browser test compares a burst's picture with).\"\"\"
    def values():
        return {name: control.value for name, control in explorer.controls.items()
                if not isinstance(control, ipywidgets.Button)}

    start = values()
    button = ipywidgets.Button(description="redo in one step")
    button.add_class("redo-in-one-step")

    def redo(_button):
        now = values()
        explorer.apply(**start)
        explorer.apply(**now)

    button.on_click(redo)
    return ipywidgets.VBox([explorer, button])
"""


def explorer_notebook(calls=EXPLORERS, redo=False):
    """A notebook with one cell per explorer, each built and displayed as the assignments do
    (``redo``: each with the button of ``REDO_CELL``)."""
    cells = [nbformat.v4.new_code_cell("import helpers\nimport helpers.widgets\nfrom helpers.widgets import *\n"
                                       "explorers = {}")]
    if redo:
        cells.append(nbformat.v4.new_code_cell(REDO_CELL))
    for name, call in calls.items():
        shown = f"with_redo(explorers[{name!r}])" if redo else f"explorers[{name!r}]"
        cells.append(nbformat.v4.new_code_cell(f"explorers[{name!r}] = {call}\ndisplay({shown})"))
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python",
                                       "name": "python3"}
    return notebook


class BrowserSession:
    """JupyterLab on a temporary course folder and headless Chromium with one page on ``notebook``
    (``browser``: a Playwright browser already running, else one is launched and closed here)."""

    def __init__(self, notebook, viewport=(1400, 1000), browser=None):
        self.notebook, self.viewport, self._given_browser = notebook, viewport, browser

    def __enter__(self):
        from playwright.sync_api import sync_playwright

        self.folder = Path(tempfile.mkdtemp(prefix="widgets-browser-"))
        course = self.folder / "course"
        course.mkdir()
        shutil.copy(REPO / "nbgrader_config.py", course)
        nbformat.write(self.notebook, course / NOTEBOOK)
        env = {"PYTHONPATH": str(REPO)}
        self._lab = running_lab(course, self.folder / "state", env=env)
        self.lab = self._lab.__enter__()
        self._playwright = None
        self.browser = self._given_browser
        if self.browser is None:
            self._playwright = sync_playwright().start()
            self.browser = launch(self._playwright, unthrottled=True)
        width, height = self.viewport
        self.page = self.browser.new_page(viewport={"width": width, "height": height})
        self.page.goto(self.lab.page(f"lab/tree/{NOTEBOOK}") + "&reset", timeout=90_000)
        run_all_cells(self.page)
        self.page.evaluate(PROBE_JS)
        return self

    def __exit__(self, *exc):
        try:
            self.page.close()
            if self._playwright is not None:
                self.browser.close()
                self._playwright.stop()
        finally:
            self._lab.__exit__(*exc)
            shutil.rmtree(self.folder, ignore_errors=True)

    def explorer(self, name):
        """The page element of explorer ``name`` (e.g. "perceptron_explorer")."""
        return self.page.locator(f".explorer-{name}").first

    def canvas(self, explorer):
        """The explorer's figure: the <canvas> its ``FigureView`` draws on."""
        return explorer.locator("canvas.explorer-view").first

    def pixels(self, explorer):
        """The explorer's canvas as an (h, w, 4) uint8 array, read in the page."""
        import base64
        import io

        from PIL import Image

        url = self.canvas(explorer).evaluate("c => c.toDataURL('image/png')")
        return np.asarray(Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1]))).convert("RGBA"))


def wait_idle(page, quiet_ms=1000, timeout_ms=120_000):
    """Wait until the kernel is idle (every queued change handled) and the canvas is still."""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        page.wait_for_function("() => document.body.textContent.includes('Kernel status: Idle')",
                               timeout=timeout_ms, polling=100)
        wait_quiet(page, quiet_ms, timeout_ms)
        if page.evaluate("() => document.body.textContent.includes('Kernel status: Idle')"):
            return
        if time.monotonic() > deadline:
            raise TimeoutError("the kernel did not come to rest")


def wait_quiet(page, quiet_ms=SETTLE_MS, timeout_ms=20_000):
    """Wait until the watched canvas has not changed for ``quiet_ms``."""
    page.wait_for_function(f"() => window.__probe.result().quietFor >= {quiet_ms}", timeout=timeout_ms, polling=50)
