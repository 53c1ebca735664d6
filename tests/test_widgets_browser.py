"""The explorers in a real browser: JupyterLab on 127.0.0.1, headless Chromium, run all cells,
drag a slider, and check that the explorer's figure (its <canvas>) redraws and no error appears.

Covers a small notebook that embeds every explorer with the cell given in docs/widgets.md,
and every assignment notebook under source/ that embeds one.  Screenshots go to
test-artifacts/widgets/ (git-ignored).
"""

import json
import re
import shutil
import time
import urllib.request
from pathlib import Path

import nbformat
import numpy as np
import pytest

from helpers.widgets import EXPLORERS
from tests.support import explorer_page
from tests.support.browser import CHROMIUM, launch
from tests.support.lab_page import run_all_cells
from tests.support.labserver import running_lab

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts" / "widgets"
DEMO = "widgets_demo.ipynb"
ASSIGNMENTS = sorted(
    path.relative_to(ROOT).as_posix()
    for path in ROOT.glob("source/*/*.ipynb")
    if "_explorer(" in path.read_text(encoding="utf-8")
)
# A guard against a hung page, not a speed check: Run All of 01 takes about 35 s alone and took
# 171 s once while the rest of the suite loaded both cores (a 150 s guard failed that CI run).
RUN_TIMEOUT_S = 600
EXPLORER_CALL = r"\b(?:" + "|".join(EXPLORERS) + r")\("

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = [
    pytest.mark.xdist_group("browser"),
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed"),
]


def demo_notebook():
    """One cell per explorer, each the cell a notebook embeds (docs/widgets.md), then a plain plot."""
    cells = [nbformat.v4.new_code_cell(
        "import os\nimport matplotlib.pyplot as plt\nimport helpers\n"
        "GRADING = bool(os.environ.get(\"NBGRADER_EXECUTION\"))")]
    for name, call in EXPLORERS.items():
        cells.append(nbformat.v4.new_code_cell(
            f"# Interactive explorer (skipped while grading)\nif not GRADING:\n"
            f"    from helpers.widgets import {name}\n    display({call})"))
    # a later ordinary plot must still come out as a static image (the explorers leave the backend alone)
    cells.append(nbformat.v4.new_code_cell("plt.plot([0, 1], [1, 0])\nplt.show()"))
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python",
                                       "name": "python3"}
    return notebook


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab on a temporary copy of the course: the notebooks with explorers and nbgrader_config.py."""
    base = tmp_path_factory.mktemp("lab")
    course = base / "course"
    course.mkdir()
    shutil.copy(ROOT / "nbgrader_config.py", course)
    for notebook in ASSIGNMENTS:
        (course / notebook).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / notebook, course / notebook)
    nbformat.write(demo_notebook(), course / DEMO)
    with running_lab(course, base / "state") as server:
        yield {"url": server.url, "token": server.token}


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        chromium = launch(p)
        yield chromium
        chromium.close()


ERRORS_JS = """() => {
    // an exception's traceback (error outputs render as stderr) or a widget that failed to show
    const stderr = [...document.querySelectorAll(
        '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')].map(n => n.innerText);
    const all = [...document.querySelectorAll('.jp-OutputArea-output')].map(n => n.innerText);
    return [...stderr.filter(t => /Traceback \\(most recent call last\\)/.test(t)),
            ...all.filter(t => /Error displaying widget/.test(t))];
}"""

def drag_first_slider(page, explorer):
    """Drag the explorer's first slider handle 40 pixels to the right."""
    handle = explorer.locator(".noUi-handle").first
    handle.scroll_into_view_if_needed()
    box = handle.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 20, y, steps=4)
    page.mouse.move(x + 40, y, steps=4)
    page.mouse.up()


@pytest.mark.parametrize("notebook", [DEMO, *ASSIGNMENTS])
def test_explorers_render_and_redraw_in_jupyterlab(lab, browser, notebook):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    stem = Path(notebook).stem
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        # ?reset: a fresh workspace, so only this notebook is open
        page.goto(f"{lab['url']}/lab/tree/{notebook}?token={lab['token']}&reset", timeout=60_000)
        run_all_cells(page, timeout_s=RUN_TIMEOUT_S)
        page.screenshot(path=str(ARTIFACTS / f"{stem}-run.png"), full_page=True)
        assert page.evaluate(ERRORS_JS) == []
        figures = page.locator("canvas.explorer-view")
        figures.first.wait_for(timeout=30_000)
        expected = len(EXPLORERS) if notebook == DEMO else notebook_explorer_count(notebook)
        assert figures.count() == expected
        for index in range(figures.count()):
            canvas = figures.nth(index)
            explorer = canvas.locator("xpath=ancestor::div[contains(@class, 'widget-vbox')][1]")
            before = canvas.screenshot(path=str(ARTIFACTS / f"{stem}-{index}-before.png"))
            drag_first_slider(page, explorer)
            deadline, after = time.monotonic() + 20, before
            while after == before and time.monotonic() < deadline:
                time.sleep(0.3)
                after = canvas.screenshot(path=str(ARTIFACTS / f"{stem}-{index}-after.png"))
            assert after != before, f"explorer {index} of {notebook}: the figure did not change after a slider move"
        assert page.evaluate(ERRORS_JS) == []
        if notebook == DEMO:  # the plain plot after the explorers is still a static image
            last_output = page.locator(".jp-CodeCell").last.locator(".jp-OutputArea-output")
            assert last_output.locator("img").count() == 1
    finally:
        page.screenshot(path=str(ARTIFACTS / f"{stem}-final.png"), full_page=True)
        page.close()
        shut_down_kernels(lab)


def shut_down_kernels(lab):
    """Stop the notebook's kernel so the next notebook has the CPU to itself."""
    api = f"{lab['url']}/api/kernels"
    headers = {"Authorization": f"token {lab['token']}"}
    with urllib.request.urlopen(urllib.request.Request(api, headers=headers), timeout=10) as response:
        kernels = json.load(response)
    for kernel in kernels:
        request = urllib.request.Request(f"{api}/{kernel['id']}", headers=headers, method="DELETE")
        urllib.request.urlopen(request, timeout=30).close()


def notebook_explorer_count(notebook):
    """How many explorers the notebook builds: one per call of an explorer function."""
    cells = nbformat.read(ROOT / notebook, as_version=4).cells
    return sum(len(re.findall(EXPLORER_CALL, cell.source)) for cell in cells if cell.cell_type == "code")


# --------------------------------------------------------------------------- a burst of drags


#: Pixels whose channels differ by more than this count as different ...
PIXEL_TOLERANCE = 24
#: ... and at most this fraction of the canvas may differ (antialiasing at a sub-pixel
#: offset); a missing title or tick label alone differs in more than 0.3% of the pixels.
DIFFERING_FRACTION = 0.001


@pytest.fixture(scope="module")
def burst_session(browser):
    with explorer_page.BrowserSession(explorer_page.explorer_notebook(redo=True), browser=browser) as session:
        yield session


def burst(page, explorer):
    """Drag every slider of ``explorer`` in one fast burst: press, six quick moves, release, next."""
    handles = explorer.locator(".noUi-handle")
    for index in range(handles.count()):
        handle = handles.nth(index)
        handle.scroll_into_view_if_needed()
        track = handle.locator("xpath=ancestor::div[contains(@class, 'noUi-target')][1]").bounding_box()
        box = handle.bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        direction = 1 if x < track["x"] + track["width"] / 2 else -1
        page.mouse.move(x, y)
        page.mouse.down()
        for step in range(1, 7):
            page.mouse.move(x + direction * step * 0.07 * track["width"], y + (step % 2))
        page.mouse.up()


@pytest.mark.parametrize("name", EXPLORERS)
def test_a_burst_of_drags_ends_on_the_picture_of_its_settings(burst_session, name):
    """After a burst of drags on every slider, the picture must be the one the settings reached
    give when set in one step (text included): the "redo in one step" button moves every
    control back to its start and then to these settings, each in one step."""
    page = burst_session.page
    explorer = burst_session.explorer(name)
    explorer.scroll_into_view_if_needed()
    page.evaluate("c => window.__probe.watch(c)", burst_session.canvas(explorer).element_handle())
    before = burst_session.pixels(explorer)
    burst(page, explorer)
    explorer_page.wait_idle(page)  # every value the burst sent has been handled and drawn
    after = burst_session.pixels(explorer)
    assert (after != before).any(), f"{name}: the burst changed nothing"
    redo = explorer.locator("xpath=..").locator(".redo-in-one-step").first
    canvas = burst_session.canvas(explorer)
    drawn = int(canvas.get_attribute("data-frame"))
    redo.click()
    # The redo draws twice (back to the start, then forward to the settings): wait for both frames
    # by their numbers. Not for a visible change: on a busy machine both frames can land in one
    # animation frame, and the picture never shows the start (a 30 s wait for it once failed).
    page.wait_for_function("([c, n]) => Number(c.dataset.frame) >= n", arg=[canvas.element_handle(), drawn + 2],
                           timeout=60_000, polling=explorer_page.POLL_MS)
    explorer_page.wait_idle(page)
    reference = burst_session.pixels(explorer)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    from PIL import Image

    Image.fromarray(after).save(ARTIFACTS / f"burst-{name}.png")
    Image.fromarray(reference).save(ARTIFACTS / f"burst-{name}-one-step.png")
    assert after.shape == reference.shape
    differing = (np.abs(after.astype(int) - reference.astype(int)).max(axis=2) > PIXEL_TOLERANCE).mean()
    assert differing <= DIFFERING_FRACTION, (
        f"{name}: after the burst {differing:.2%} of the canvas differs from the same settings set in one step; "
        f"see {ARTIFACTS}/burst-{name}*.png")
