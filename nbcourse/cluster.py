"""Where submissions are graded: local threads, or the workers of a Dask cluster.

``autograde --workers N`` grades N submissions at a time on this machine;
``autograde --scheduler tcp://host:8786`` hands each submission to a worker of a Dask
distributed cluster instead. Both are a :func:`grading_pool` whose ``submit(fn, *args)``
returns a :class:`concurrent.futures.Future`, so the coordinator's loop
(:mod:`nbcourse.autograde`) is the same: it alone writes grades, once per submission,
as results arrive.

What a worker needs: the same Python environment and the same paths as the coordinator
(the course, and the run's folder of private copies, on a shared filesystem). Workers
never open the real gradebook: each grades into the private SQLite gradebook of its copy,
and the coordinator copies the scores into the real one (SQLite or PostgreSQL).

A worker that dies mid-job (machine lost, OOM-killed, SIGKILL) loses nothing: Dask
re-runs its task on another worker, and the coordinator only ever sees the one result.
Two things keep the dead attempt from touching the re-run:

* every attempt grades in its own private copy (:func:`attempt_workdir`), because the
  dead worker's nbgrader process and kernel may still be writing into theirs;
* each worker process starts a *reaper* (``python -m nbcourse.cluster reap``) in its own
  session, holding the read end of a pipe from the worker. When the worker dies the pipe
  closes, and the reaper SIGKILLs every process started for that worker's grading
  (recognised by a marker variable in their environment) and their process groups.
"""
from __future__ import annotations

import multiprocessing
import os
import secrets
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from .course import CourseError
from . import nbgrader_process

# Set in a Dask worker's environment; every nbgrader process and kernel it starts inherits it.
REAPER_MARKER = "NBCOURSE_GRADING_WORKER"


def attempt_workdir(run_dir: Path, student: str, scheduler: str | None) -> Path:
    """The private copy of one grading attempt of ``student``'s submission.

    Locally: ``run_dir/<student>``. On a cluster: ``run_dir/<student>-<8 hex digits>``,
    new for every attempt, since a task re-run after its worker died must not share a
    folder with the dead attempt's orphaned processes.
    """
    if scheduler is None:
        return run_dir / student
    return run_dir / f"{student}-{uuid.uuid4().hex[:8]}"


@contextmanager
def grading_pool(workers: int, scheduler: str | None = None, *, shared_paths=(), sandboxed: bool = False):
    """``workers`` local threads, or the Dask cluster whose scheduler listens at ``scheduler``.

    Yields a pool with ``submit(fn, *args) -> concurrent.futures.Future`` and
    ``stop(run_id)``. On a cluster, ``workers`` is ignored (each worker thread grades one
    submission at a time), and every worker must see ``shared_paths`` and, when
    ``sandboxed``, have a working sandbox; otherwise CourseError says which worker lacks
    what. Leaving the block with an exception cancels the submissions not yet graded.
    """
    if scheduler is None:
        pool = LocalPool(workers)
        try:
            yield pool
        except BaseException:
            pool.executor.shutdown(wait=True, cancel_futures=True)
            raise
        pool.executor.shutdown(wait=True)
        return
    client = connect(scheduler)
    try:
        check_workers(client, shared_paths, sandboxed)
        executor = client.get_executor(pure=False)
        try:
            yield DaskPool(executor, client)
        except BaseException:
            executor.shutdown(wait=False)
            raise
        executor.shutdown(wait=True)
    finally:
        client.close()


class LocalPool:
    """``submit(fn, *args)``: run ``fn(*args)`` in one of ``workers`` threads of this process."""

    def __init__(self, workers: int):
        self.executor = ThreadPoolExecutor(max_workers=workers)

    def submit(self, fn, *args) -> Future:
        return self.executor.submit(fn, *args)

    def stop(self, run_id: str) -> None:
        """Cancel the submissions not started, and end every process of grading run ``run_id``
        (:func:`nbcourse.nbgrader_process.stop`): the threads grading return at once."""
        self.executor.shutdown(wait=False, cancel_futures=True)
        nbgrader_process.stop(run_id)


class DaskPool:
    """``submit(fn, *args)``: run ``fn(*args)`` on a Dask worker, guarded by that worker's reaper."""

    def __init__(self, executor, client):
        self.executor = executor
        self.client = client

    def submit(self, fn, *args) -> Future:
        return self.executor.submit(run_on_worker, fn, *args)

    def stop(self, run_id: str, timeout: float = 3.0) -> None:
        """Cancel this run's futures and, on every worker, end the processes of grading run
        ``run_id`` (as the reaper does for a lost worker); a worker that does not answer
        within ``timeout`` seconds is left to its reaper."""
        self.executor.shutdown(wait=False)  # cancels every future of this executor
        asking = threading.Thread(target=self._stop_on_workers, args=(run_id,), daemon=True)
        asking.start()
        asking.join(timeout)

    def _stop_on_workers(self, run_id: str) -> None:
        try:
            self.client.run(nbgrader_process.stop, run_id, on_error="return")
        except Exception:  # the scheduler went away: the workers' reapers remain
            pass


def connect(scheduler: str, timeout: float = 20):
    """A ``distributed.Client`` on ``scheduler`` with at least one worker, or CourseError."""
    from distributed import Client

    try:
        client = Client(scheduler, timeout=f"{timeout}s", set_as_default=False)
    except (OSError, TimeoutError) as error:
        raise CourseError(f"cannot reach the Dask scheduler at {scheduler}: {error}") from None
    try:
        client.wait_for_workers(1, timeout=timeout)
    except TimeoutError:
        client.close()
        raise CourseError(f"no Dask worker joined the scheduler at {scheduler} within {timeout:.0f} s "
                          f"(start some: dask worker {scheduler} --nthreads 1 --nworkers N)") from None
    return client


def check_workers(client, shared_paths=(), sandboxed: bool = False) -> None:
    """CourseError listing, per worker, what it lacks to grade: shared paths, child processes, sandbox."""
    problems = client.run(worker_problems, [str(path) for path in shared_paths], sandboxed)
    lines = [f"  {worker}: {problem}" for worker, found in sorted(problems.items()) for problem in found]
    if lines:
        raise CourseError("some Dask workers cannot grade:\n" + "\n".join(lines))


def worker_problems(shared_paths: list[str], sandboxed: bool) -> list[str]:
    """Run on each worker: what stops it from grading, in words (empty list: nothing)."""
    problems = [f"cannot see {path} (the course and --workdir must be on a filesystem shared with the workers)"
                for path in shared_paths if not os.path.isdir(path)]
    if multiprocessing.current_process().daemon:
        problems.append("runs as a daemonic process, which may not start nbgrader processes; "
                        "start the workers with DASK_DISTRIBUTED__WORKER__DAEMON=False")
    if sandboxed:
        from . import sandbox

        status = sandbox.check()
        if not status.available:
            problems.append(f"has no grading sandbox: {status.reason}")
    return problems


# --- on the worker ------------------------------------------------------------------

_reaper = None
_reaper_lock = threading.Lock()


def run_on_worker(fn, *args):
    """``fn(*args)`` in a Dask worker whose reaper is running (started on the first job)."""
    start_reaper()
    return fn(*args)


def start_reaper() -> subprocess.Popen:
    """Start, once per process, the reaper of the processes this one starts (see module docstring).

    The marker goes into this process's environment after the reaper started (so the
    reaper does not carry it) and before any grading, so that the nbgrader forkserver,
    its nbgrader processes and their kernels all carry it.
    """
    global _reaper
    with _reaper_lock:
        if _reaper is None:
            marker = secrets.token_hex(16)
            _reaper = subprocess.Popen([sys.executable, "-m", "nbcourse.cluster", "reap", marker],
                                       stdin=subprocess.PIPE, start_new_session=True)
            os.environ[REAPER_MARKER] = marker
        return _reaper


def reap(marker: str) -> None:
    """Reaper process body: wait until the worker's pipe closes, then kill what carries ``marker``.

    A marked process that leads its process group (the nbgrader process, a kernel) takes
    its whole group with it. Other groups are left alone: the nbgrader forkserver, for
    one, shares the group of the Dask nanny.
    """
    sys.stdin.buffer.read()  # returns only at end of file: the worker exited or was killed
    for _ in range(5):  # a second look catches processes forked while the first sweep ran
        if not nbgrader_process.end_processes_with_env(REAPER_MARKER, marker):
            return
        time.sleep(0.2)


if __name__ == "__main__":
    if sys.argv[1:2] == ["reap"] and len(sys.argv) == 3:
        reap(sys.argv[2])
    else:
        sys.exit("usage: python -m nbcourse.cluster reap MARKER")
