"""How fast the explorers answer in the browser: from the input event to the updated pixels.

JupyterLab serves a notebook that builds every explorer as the assignments do (the
student's function passed in); headless Chromium (``/usr/bin/chromium``) runs it, then
every control of every explorer is driven the way a hand drives it: sliders with arrow
keys and with pointer drags (8 of each), menus by choosing an option, check boxes, toggles,
buttons and presets with clicks (8 changes each).  Each change is timed in the page's own
clock, from the input event's timestamp (``keydown``, ``change``, ``pointerdown`` or
``pointermove``) to the first animation frame whose canvas pixels differ from the picture
before the input (read once after each draw of the canvas).
Slider steps go to values the explorer has not shown before (a slider with fewer positions
than steps is walked to one end and back to the other, which revisits values).  Prints, per
control, the median and 95th percentile of keys and drags, of both together to the *whole*
picture (the last changed frame: an explorer sends a second one when the student's code needs
longer than its time before the first, ``optimizer.SECONDS_BEFORE_THE_FIGURE``), and
``bench/widgets.py``'s headless figures (callbacks and every frame, in one process) beside them. The explorers' figure
is the <canvas> of their ``FigureView`` (helpers/widgets/_view.py).

    python bench/widgets_browser.py                 # every explorer
    python bench/widgets_browser.py --only dropout  # explorers whose name contains "dropout"
    python bench/widgets_browser.py --no-headless   # skip the headless column
"""

import argparse
import os
import statistics
import sys
from pathlib import Path
from typing import NamedTuple

import nbformat

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "bench")]

from tests.support.explorer_page import BrowserSession, POLL_MS, explorer_notebook, wait_quiet  # noqa: E402
from widgets import EXPLORER_CALLS, headless_figures, percentile  # noqa: E402

TARGET_MEDIAN_MS, TARGET_P95_MS = 100.0, 200.0

#: The floor: an ipywidgets slider whose value the kernel writes into a label, through the same
#: JupyterLab, kernel and Chromium, with no explorer work at all. Everything a control costs
#: above it is the explorer's (the kernel's work and the page's drawing).
FLOOR_CELL = """import ipywidgets
floor_slider = ipywidgets.IntSlider(0, min=0, max=1000, description="floor")
floor_label = ipywidgets.Label("0")
floor_label.add_class("floor-label")
floor_slider.add_class("floor-slider")
floor_slider.observe(lambda change: setattr(floor_label, "value", str(change["new"])), "value")
display(ipywidgets.VBox([floor_slider, floor_label]))"""
#: Arms the page: keydown to the animation frame after the kernel's value reached the label's
#: text, in ``window.__floor`` (a promise).
FLOOR_JS = """() => { window.__floor = new Promise(resolve => {
    const label = document.querySelector('.floor-label');
    let input = null;
    const seen = new MutationObserver(() => {
        seen.disconnect();
        requestAnimationFrame(() => resolve(performance.now() - input));
    });
    seen.observe(label, {subtree: true, childList: true, characterData: true});
    document.addEventListener('keydown', e => { if (input === null) input = e.timeStamp; }, {capture: true, once: true});
    setTimeout(() => resolve(null), 8000);
}); }"""
FLOOR_STEPS = 12


def floor(page):
    """Milliseconds from an arrow key on the floor slider to its label's new text: a list."""
    handle = page.locator(".floor-slider .noUi-handle").first
    handle.scroll_into_view_if_needed()
    handle.focus()
    times = []
    for _ in range(FLOOR_STEPS):
        page.evaluate(FLOOR_JS)
        page.keyboard.press("ArrowRight")
        times.append(page.evaluate("() => window.__floor"))
        page.wait_for_timeout(200)
    return [t for t in times if t is not None]
#: Arrow-key steps and drag moves per slider.
KEY_STEPS, DRAG_MOVES = 8, 8
#: Timed changes of every other control (a menu's choice, a click on a check box, toggle,
#: button or preset), as many as a slider's key steps: a median of 3 clicks moved by 30 ms
#: between runs of the same code, and a 95th percentile of 3 is their maximum.
CHANGES = KEY_STEPS
#: How long a change may take before it counts as "no picture change".
CHANGE_TIMEOUT_MS = 8000


class Change(NamedTuple):
    """One input's times, ms from the input event: to the first changed frame (``first``: what the
    target is about) and to the last, once the picture has settled (``whole``: later only when the
    explorer sends a second frame, the student's code having needed longer than its time)."""

    first: float
    whole: float


def timed(page, act):
    """The :class:`Change` the input event ``act()`` makes, or None (no change within
    CHANGE_TIMEOUT_MS); then waits for the picture to settle."""
    page.evaluate("() => window.__probe.arm()")
    act()
    try:
        page.wait_for_function("() => window.__probe.result().changedAt !== null", timeout=CHANGE_TIMEOUT_MS,
                               polling=POLL_MS)
    except Exception:
        return None
    result = page.evaluate("() => window.__probe.result()")
    wait_quiet(page)
    if result["input"] is None:
        return None
    settled = page.evaluate("() => window.__probe.result()")
    return Change(result["changedAt"] - result["input"], settled["lastChange"] - result["input"])


def slider_info(handle):
    """(value, low, high) of a noUiSlider handle, from its aria attributes."""
    return tuple(float(handle.get_attribute(a)) for a in ("aria-valuenow", "aria-valuemin", "aria-valuemax"))


def drive_slider(page, control, steps_per_unit):
    """Arrow keys, then pointer drags, towards the side with more room (fresh values): two lists of ms."""
    handle = control.locator(".noUi-handle").first
    handle.scroll_into_view_if_needed()
    value, low, high = slider_info(handle)
    key = "ArrowRight" if high - value >= value - low else "ArrowLeft"
    room = round(max(high - value, value - low) * steps_per_unit)  # steps to the farther end
    handle.focus()
    keys = [timed(page, lambda: page.keyboard.press(key)) for _ in range(min(KEY_STEPS, room))]
    if len(keys) < KEY_STEPS:  # a slider of few positions: on to the other end (values shown before)
        back = "ArrowLeft" if key == "ArrowRight" else "ArrowRight"
        positions = round((high - low) * steps_per_unit)
        keys += [timed(page, lambda: page.keyboard.press(back)) for _ in range(min(KEY_STEPS - len(keys), positions))]
    value, low, high = slider_info(handle)
    direction = 1 if high - value >= value - low else -1
    track = control.locator(".noUi-target").first.bounding_box()
    room = (high - value) if direction > 0 else (value - low)
    # each move crosses at least one step of the slider, and all moves fit in the room left
    per_step = track["width"] / max((high - low) * steps_per_unit, 1)
    distance = max(per_step * 1.2, min(track["width"] * 0.06, room / max(high - low, 1e-12) * track["width"]
                                       / (DRAG_MOVES + 1)))
    box = handle.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()  # pressing on the handle's centre moves nothing
    drags = []
    for _ in range(DRAG_MOVES):
        if not track["x"] <= x + direction * distance <= track["x"] + track["width"]:
            break  # the end of the track
        x += direction * distance
        drags.append(timed(page, lambda: page.mouse.move(x, y)))
    page.mouse.up()
    wait_quiet(page)
    return keys, drags


def drive_select(page, control):
    """The other options of a drop-down in turn, ``CHANGES`` choices, ending on the first one.

    Chromium draws an open <select>'s list outside the page, where no pointer event
    reaches it, and JupyterLab keeps arrow keys for the notebook: the option is chosen
    the way the list does it, and timed from the select's ``change`` event.
    """
    select = control.locator("select").first
    select.scroll_into_view_if_needed()
    count = select.locator("option").count()
    start = select.evaluate("s => s.selectedIndex")
    cycle = [i for i in range(count) if i != start] + [start]
    order = (cycle * CHANGES)[:CHANGES - 1] + [start]  # the next choice always differs from the last
    if order[-2] == start:
        order[-2] = cycle[0]
    return [timed(page, lambda i=i: select.select_option(index=i)) for i in order], []


def drive_clicks(page, targets):
    """A click on each target in turn."""
    times = []
    for target in targets:
        target.scroll_into_view_if_needed()
        times.append(timed(page, lambda target=target: target.click()))
    return times, []


def drive_preset(page, explorer_element, control_name):
    """``CHANGES`` timed clicks on a preset, each after an untimed click on another preset (a
    preset clicked twice changes nothing the second time)."""
    from helpers.widgets._base import control_class

    presets = explorer_element.locator("[class*='control-preset-']")
    target = explorer_element.locator(f".{control_class(control_name)}").first
    others = [presets.nth(i) for i in range(presets.count())
              if control_class(control_name) not in (presets.nth(i).get_attribute("class") or "")]
    times = []
    for other in others[:1] * CHANGES:
        other.click()
        try:
            page.wait_for_function("() => window.__probe.result().quietFor < 200", timeout=CHANGE_TIMEOUT_MS,
                                   polling=POLL_MS)
        except Exception:
            pass
        wait_quiet(page)
        times.append(timed(page, lambda: target.click()))
    return times, []


def drive(page, explorer_element, control_name, control):
    """Drive one control the way a hand does: (key or click ms list, drag ms list)."""
    import ipywidgets as widgets

    from helpers.widgets._base import control_class

    element = explorer_element.locator(f".{control_class(control_name)}").first
    if isinstance(control, widgets.Button) and control_name.startswith("preset "):
        return drive_preset(page, explorer_element, control_name)
    if isinstance(control, widgets.Button):
        return drive_clicks(page, [element] * CHANGES)
    if isinstance(control, widgets.Checkbox):
        return drive_clicks(page, [element.locator("input").first] * CHANGES)
    if isinstance(control, widgets.ToggleButtons):
        buttons = element.locator("button")
        return drive_clicks(page, [buttons.nth(i % buttons.count()) for i in range(1, CHANGES + 1)])
    if isinstance(control, widgets.Dropdown):
        return drive_select(page, element)
    # the page's slider counts a grid slider's (or any selection slider's) positions, an IntSlider its values
    steps_per_unit = 1 if isinstance(control, widgets.SelectionSlider) else 1 / control.step
    return drive_slider(page, element, steps_per_unit)


def summary(changes, part="first"):
    """(changes, median, p95, misses) of a list of :class:`Change` (None: no picture change),
    over their ``part``."""
    measured = [getattr(change, part) for change in changes if change is not None]
    if not measured:
        return 0, float("nan"), float("nan"), len(changes)
    return len(measured), statistics.median(measured), percentile(measured, 95), len(changes) - len(measured)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="only explorers whose name contains this")
    parser.add_argument("--no-headless", action="store_true", help="skip the headless figures")
    args = parser.parse_args()
    import helpers
    import helpers.widgets

    names = [name for name in EXPLORER_CALLS if args.only in name]
    calls = {name: EXPLORER_CALLS[name] for name in names}
    headless = {} if args.no_headless else headless_figures()
    load_before = os.getloadavg()[0]
    rows = []
    notebook = explorer_notebook(calls)
    notebook.cells.insert(1, nbformat.v4.new_code_cell(FLOOR_CELL))
    with BrowserSession(notebook) as session:
        page = session.page
        floors = floor(page)
        for name in names:
            # the same explorer built here, headless, tells what each control is
            local = eval(calls[name], {"helpers": helpers, **vars(helpers.widgets)})
            element = session.explorer(name)
            element.scroll_into_view_if_needed()
            page.evaluate("c => window.__probe.watch(c)", session.canvas(element).element_handle())
            wait_quiet(page)
            for control_name, control in local.controls.items():
                keys, drags = drive(page, element, control_name, control)
                rows.append((name, control_name, summary(keys), summary(drags), summary(keys + drags, "whole"),
                             headless.get(name, {}).get("controls", {}).get(control_name)))
                print_row(*rows[-1])
        floors += floor(page)  # the machine can change speed during the run: the floor before and after
    print(f"load average {load_before:.1f} before the browser run, {os.getloadavg()[0]:.1f} after, "
          f"on {os.cpu_count()} CPUs")
    print(f"floor (an ipywidgets slider the kernel copies into a label, no explorer): median "
          f"{statistics.median(floors):.0f} ms, p95 {percentile(floors, 95):.0f} ms over {len(floors)} keys, "
          f"before and after the explorers")
    every = [row for row in rows if row[2][0] or row[3][0]]
    worst_median = max(max(r[2][1] if r[2][0] else 0, r[3][1] if r[3][0] else 0) for r in every)
    worst_p95 = max(max(r[2][2] if r[2][0] else 0, r[3][2] if r[3][0] else 0) for r in every)
    verdict = "met" if worst_median <= TARGET_MEDIAN_MS and worst_p95 <= TARGET_P95_MS else "NOT met"
    print(f"worst control: median {worst_median:.0f} ms, p95 {worst_p95:.0f} ms; target median <= "
          f"{TARGET_MEDIAN_MS:.0f} ms and p95 <= {TARGET_P95_MS:.0f} ms: {verdict}; the worst median is "
          f"{worst_median - statistics.median(floors):.0f} ms above the floor")
    wholes = [row[4] for row in every if row[4][0]]
    print(f"the whole picture (the last frame of a change, the student's whole run included): worst median "
          f"{max(w[1] for w in wholes):.0f} ms, worst p95 {max(w[2] for w in wholes):.0f} ms")


HEADER_PRINTED = []


def print_row(name, control_name, keys, drags, whole, headless):
    if not HEADER_PRINTED:
        print(f"{'explorer / control':46s} {'keys/clicks: n  median  p95':>28s}   {'drags: n  median  p95':>22s}"
              f"   {'whole: median  p95':>19s}   {'headless: median  p95':>22s}   (ms)")
        HEADER_PRINTED.append(True)

    def cell(stats, width):
        n, median, p95, misses = stats
        text = "-" if n == 0 and misses == 0 else f"{n:d}{'+%d?' % misses if misses else ''} {median:6.0f} {p95:6.0f}"
        return f"{text:>{width}s}"

    head = "-" if headless is None else f"{headless['median']:6.1f} {headless['p95']:6.1f}"
    whole_text = "-" if whole[0] == 0 else f"{whole[1]:6.0f} {whole[2]:6.0f}"
    print(f"{name.replace('_explorer', '') + ' / ' + control_name:46s} {cell(keys, 28)}   {cell(drags, 22)}   "
          f"{whole_text:>19s}   {head:>22s}", flush=True)


if __name__ == "__main__":
    main()
