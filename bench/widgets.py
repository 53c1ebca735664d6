"""How fast the explorers answer: time from a control's value change to a rendered figure.

Every control of every explorer is moved headless through its range (the values the
tests use, ``helpers.widgets._base.exercise``); each change is timed from setting the
value, through the explorer's callbacks, to the end of ``figure.canvas.draw()`` (a full
Agg render; ``draw_idle()`` would render nothing without a browser).  Prints the median
and the maximum per control and per explorer; the target is a median <= 50 ms.  The
wall-clock time counts waiting for a CPU on a shared machine, so the CPU time this
process spent on the same work is printed beside it.

    python bench/widgets.py            # Agg canvas (what the browser's image is made from)
    python bench/widgets.py --ipympl   # ipympl canvas: Agg render plus the PNG it sends
"""

import argparse
import os
import statistics
import time

from helpers.widgets import (
    _base,
    dropout_explorer,
    ewma_explorer,
    initialization_explorer,
    optimizer_explorer,
    perceptron_explorer,
)

EXPLORERS = {
    "perceptron_explorer": perceptron_explorer,
    "ewma_explorer": ewma_explorer,
    "optimizer_explorer": optimizer_explorer,
    "dropout_explorer": dropout_explorer,
    "initialization_explorer": initialization_explorer,
}
TARGET_MS = 50.0


def time_control(explorer, control):
    """(wall, cpu) milliseconds from each value change of ``control`` to the end of the render."""
    wall, cpu = [], []
    changes = _base.exercise(control)
    while True:
        start, start_cpu = time.perf_counter(), time.thread_time()
        try:
            next(changes)  # sets the value; the explorer's callbacks run inside
        except StopIteration:
            return wall, cpu
        explorer.figure.canvas.draw()
        wall.append(1000 * (time.perf_counter() - start))
        cpu.append(1000 * (time.thread_time() - start_cpu))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ipympl", action="store_true", help="time the ipympl canvas instead of Agg")
    args = parser.parse_args()
    os.environ.pop("NBGRADER_EXECUTION", None)
    _base.USE_IPYMPL = args.ipympl

    print(f"canvas: {'ipympl' if args.ipympl else 'Agg'}; load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} CPUs; target median <= {TARGET_MS:.0f} ms")
    print(f"{'explorer / control':34s} {'changes':>7s} {'median ms':>10s} {'max ms':>8s} {'median cpu ms':>14s}")
    summary = []
    for name, build in EXPLORERS.items():
        start = time.perf_counter()
        explorer = build()
        build_ms = 1000 * (time.perf_counter() - start)
        print(f"{name} (built in {build_ms:.0f} ms)")
        all_wall, all_cpu = [], []
        for control_name, control in explorer.controls.items():
            wall, cpu = time_control(explorer, control)
            all_wall += wall
            all_cpu += cpu
            print(f"  {control_name:32s} {len(wall):7d} {statistics.median(wall):10.1f} {max(wall):8.1f} "
                  f"{statistics.median(cpu):14.1f}")
        summary.append((name, statistics.median(all_wall), max(all_wall), statistics.median(all_cpu)))
    print(f"\nper explorer (all controls), load average now {os.getloadavg()[0]:.1f}:")
    for name, median, worst, cpu in summary:
        verdict = "ok" if median <= TARGET_MS else "over target"
        print(f"  {name:26s} median {median:6.1f} ms   max {worst:7.1f} ms   median cpu {cpu:5.1f} ms   {verdict}")


if __name__ == "__main__":
    main()
