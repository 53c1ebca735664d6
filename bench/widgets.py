"""How fast the explorers answer headless: time from a control's value change to the frame sent to the page.

Every control of every explorer is moved through values it has not shown before (sliders
to fresh floats spread over their range, menus and discrete sliders to each other value
once, check boxes and toggles both ways, buttons clicked); each change is timed from
setting the value, through the explorer's callbacks (the student's function included:
each explorer is built with the course's reference as the student's function), to the
last frame the explorer's ``FigureView`` sends the page (matplotlib's drawing calls recorded:
the kernel's whole work for one change, both frames when the optimizer sends the student's
run as far as it got and then whole; ``helpers/widgets/_view.py``).  Prints the median and 95th percentile per control; the CPU time
this process spent is printed beside the wall-clock time, which counts waiting for a CPU
on a shared machine.

    python bench/widgets.py
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

import helpers  # noqa: E402
from helpers.widgets import EXPLORERS, _base  # noqa: E402
from tests.support.explorers import build  # noqa: E402

#: How each explorer is built: as the notebooks build it, with the student's function.
EXPLORER_CALLS = EXPLORERS


#: Changes per slider (fresh values each).
SLIDER_CHANGES = 12


def fresh_changes(control, count=SLIDER_CHANGES, seed=0):
    """Yield after each change of ``control`` to a value it has not had before.

    Sliders over a grid of numbers (``GridSlider``) go to up to ``count`` values spread over
    the grid, each moved by a random fraction of the spacing (nothing the explorer cached
    for one value serves the next; the slider offers no value between its steps); integer
    sliders and menus visit each other value once; check boxes and toggles go both ways;
    buttons are clicked ``3`` times.
    """
    rng = np.random.default_rng(seed)
    if not isinstance(control, _base.GridSlider):
        yield from _base.exercise(control, clicks=3)
        return
    grid, start = control.grid, control.value
    spread = np.linspace(0, len(grid) - 1, count + 2)[1:-1]
    jitter = rng.uniform(-0.3, 0.3, count) * (spread[1] - spread[0])
    positions = dict.fromkeys(np.clip(np.round(spread + jitter), 0, len(grid) - 1).astype(int).tolist())
    for value in [grid[i] for i in positions if grid[i] != start]:
        control.value = value
        yield value
    control.value = start


def time_control(explorer, control):
    """(wall, cpu) milliseconds from each value change of ``control`` to its frame for the page
    (the explorer's callbacks record and send it)."""
    wall, cpu = [], []
    changes = fresh_changes(control)
    while True:
        start, start_cpu = time.perf_counter(), time.thread_time()
        try:
            next(changes)  # sets the value; the explorer's callbacks, frame included, run inside
        except StopIteration:
            return wall, cpu
        wall.append(1000 * (time.perf_counter() - start))
        cpu.append(1000 * (time.thread_time() - start_cpu))


def percentile(values, q):
    """The q-th percentile (0-100) of ``values``, linear interpolation."""
    return float(np.percentile(values, q)) if values else float("nan")


def headless_figures(progress=None):
    """{explorer: {control: dict(changes, median, p95, cpu)}} milliseconds, plus "built" per explorer."""
    os.environ.pop("NBGRADER_EXECUTION", None)
    figures = {}
    for name in EXPLORER_CALLS:
        start = time.perf_counter()
        explorer = build(name)
        figures[name] = {"built": 1000 * (time.perf_counter() - start), "controls": {}}
        for control_name, control in explorer.controls.items():
            wall, cpu = time_control(explorer, control)
            figures[name]["controls"][control_name] = dict(
                changes=len(wall), median=statistics.median(wall), p95=percentile(wall, 95),
                cpu=statistics.median(cpu))
            if progress:
                progress(name, control_name, figures[name]["controls"][control_name])
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args()
    print(f"frames for the page; load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} CPUs; fresh values; milliseconds")
    print(f"{'explorer / control':40s} {'changes':>7s} {'median':>7s} {'p95':>7s} {'median cpu':>10s}")
    current = [None]

    def show(name, control_name, row):
        if current[0] != name:
            print(name)
            current[0] = name
        print(f"  {control_name:38s} {row['changes']:7d} {row['median']:7.1f} {row['p95']:7.1f} {row['cpu']:10.1f}",
              flush=True)

    figures = headless_figures(show)
    print("built in: " + ", ".join(f"{name} {row['built']:.0f} ms" for name, row in figures.items()))
    print(f"load average now {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
