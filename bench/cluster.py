"""Benchmark: autograde throughput on a local Dask cluster of 1, then 2, worker processes.

    python bench/cluster.py [--submissions 16] [--workers 1 2]

For each worker count: a new sample course (``00_sample``, NumPy only) with
``--submissions`` submissions (the sample cohort -- solution, blank, partial, mistakes --
repeated), a ``LocalCluster`` of that many worker processes with one thread each, and
``autograde(..., scheduler=cluster.scheduler_address)`` timed from the call to its return
(cluster start-up excluded; each worker's first job pays its nbgrader import). Prints
submissions per minute and the ratio of each count to one worker. docs/scale.md quotes it.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from nbcourse.autograde import autograde, sandbox_status  # noqa: E402
from nbcourse.generate import generate  # noqa: E402
from tests.support.sample import SAMPLE, hand_in, sample_cohort, sample_course  # noqa: E402


def cohort_course(dest: Path, submissions: int):
    """A sample course at ``dest`` with ``submissions`` handed in (the sample cohort, repeated)."""
    course = sample_course(dest)
    generate(course, progress=False)
    kinds = list(sample_cohort(course).values())
    hand_in(course, {f"s{index:03d}": kinds[index % len(kinds)] for index in range(submissions)})
    return course


def submissions_per_minute(workers: int, submissions: int, tmp: Path) -> float:
    """Grade a new cohort on a LocalCluster of ``workers`` processes; return submissions per minute."""
    import dask
    from dask.distributed import LocalCluster

    course = cohort_course(tmp / f"course-{workers}", submissions)
    with dask.config.set({"distributed.worker.daemon": False}), \
            LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        started = time.perf_counter()
        outcomes = autograde(course, SAMPLE, scheduler=cluster.scheduler_address, unsafe_no_sandbox=True,
                             progress=False, workdir=tmp / f"work-{workers}")
        seconds = time.perf_counter() - started
    failed = [outcome.student for outcome in outcomes if outcome.status != "graded"]
    if failed:
        raise SystemExit(f"{len(failed)} submissions failed with {workers} worker(s): {failed}")
    print(f"{workers} worker process(es): {submissions} submissions in {seconds:6.1f} s = "
          f"{60 * submissions / seconds:5.1f} submissions/minute", flush=True)
    return 60 * submissions / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--submissions", type=int, default=16)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="worker counts to try, first = baseline")
    args = parser.parse_args()
    print(f"cohort: {args.submissions} submissions of {SAMPLE}; sandbox: {'on' if sandbox_status()[0] else 'off'}")
    with tempfile.TemporaryDirectory(prefix="bench-cluster-") as tmp:
        rates = {workers: submissions_per_minute(workers, args.submissions, Path(tmp)) for workers in args.workers}
    baseline = args.workers[0]
    for workers, rate in rates.items():
        if workers != baseline:
            print(f"throughput ratio {workers} vs {baseline} worker(s): {rate / rates[baseline]:.2f}x")


if __name__ == "__main__":
    main()
