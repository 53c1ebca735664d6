"""Autograde on a Dask cluster (two local worker processes) into the PostgreSQL gradebook.

One run grades the sample cohort plus a ``slow`` submission that sleeps; while it sleeps,
its worker process gets SIGKILL. Checked: the grades equal a serial SQLite run of the
same cohort; the slow submission is re-run on a worker, in a new private copy, and every
student is recorded exactly once; the dead worker's orphaned nbgrader process and kernel
are killed (by the worker's reaper) long before the sleep would have ended them.
"""
from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path
from unittest import mock

import psutil
import pytest
from nbgrader.api import Gradebook

import postgres
from graded_sample import cell_scores, graded_course
from nbcourse import autograde as autograde_module
from nbcourse.autograde import load_log
from nbcourse.cluster import connect, grading_pool
from nbcourse.course import CourseError
from nbcourse.gradebook import real_db_url
from tests.support.sample import SAMPLE, solution_running_first

pytestmark = [
    pytest.mark.xdist_group("class-scale"),
    pytest.mark.skipif(not postgres.available()[0], reason=postgres.available()[1]),
]

SLOW = "a-slow"  # sorts first, so it is handed out first
STARTED = "slow-started.txt"
SLEEP = 20  # seconds each attempt of the slow submission sleeps; its orphans must die long before
COHORT = ["solution", "blank", "mistake-1"]  # with SLOW: full marks, nothing, one mistake (kept small: time)


def slow_submission(course):
    """The solution, whose first cell writes ``STARTED`` into its working folder (inside the
    private copy, also when sandboxed) and then sleeps ``SLEEP`` seconds."""
    code = f"open({STARTED!r}, 'w').close()\nimport time\ntime.sleep({SLEEP})"
    return {SLOW: solution_running_first(course, code)}


def alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def kill_worker_of_first_attempt(work: Path, cluster, found: dict, run_over: threading.Event) -> None:
    """Once the slow submission's kernel sleeps, SIGKILL the Dask worker process grading it;
    then time how long that attempt's nbgrader process and its descendants survive."""
    while not (started := list(work.glob(f"{SLOW}-*/**/{STARTED}"))):
        if run_over.wait(0.1):
            return
    attempt = work / started[0].relative_to(work).parts[0]
    nbgrader = next(process for process in psutil.process_iter()
                    if _cwd(process) == str(attempt) and process.children())
    orphans = [nbgrader] + nbgrader.children(recursive=True)      # the kernel (and sandbox) under it
    workers = {nanny.process.pid for nanny in cluster.workers.values()}
    worker = next(process for process in nbgrader.parents() if process.pid in workers)
    os.kill(worker.pid, signal.SIGKILL)
    killed = time.monotonic()
    while any(alive(process.pid) for process in orphans) and time.monotonic() - killed < 3 * SLEEP:
        time.sleep(0.1)
    found.update(attempt=attempt.name, orphans=[process.pid for process in orphans],
                 orphans_lived=time.monotonic() - killed)


def _cwd(process) -> str | None:
    try:
        return process.cwd()
    except psutil.Error:
        return None


@pytest.fixture(scope="module")
def cluster():
    import dask
    from dask.distributed import LocalCluster

    with dask.config.set({"distributed.worker.daemon": False}), \
            LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        yield cluster


@pytest.fixture(scope="module")
def cluster_run(cluster, tmp_path_factory):
    root = tmp_path_factory.mktemp("cluster")
    killing, run_over = {}, threading.Event()
    killer = threading.Thread(target=kill_worker_of_first_attempt, args=(root / "work", cluster, killing, run_over),
                              daemon=True)
    recorded = []
    real_record = autograde_module.record_submission

    def counting_record(course, assignment, student, *args, **kwargs):
        recorded.append(student)
        return real_record(course, assignment, student, *args, **kwargs)

    with postgres.postgres_server() as url, mock.patch.object(autograde_module, "record_submission", counting_record):
        killer.start()
        try:
            course, outcomes = graded_course(root / "course", url, slow_submission, COHORT,
                                             scheduler=cluster.scheduler_address, workdir=root / "work",
                                             keep_workdirs=True)
        finally:
            run_over.set()
            killer.join(timeout=60)
        with Gradebook(url) as gradebook:
            submissions = [submission.student.id for submission in gradebook.find_assignment(SAMPLE).submissions]
        scores = cell_scores(url)
    # Returned after the patch ends, so ``recorded`` holds this run's writes only.
    return {"course": course, "outcomes": outcomes, "scores": scores, "db_url": url, "submissions": submissions,
            "recorded": recorded, "killing": killing, "work": root / "work"}


def test_grades_on_the_cluster_equal_a_serial_sqlite_run(cluster_run, tmp_path):
    assert real_db_url(cluster_run["course"]) == cluster_run["db_url"]
    on_sqlite, _ = graded_course(tmp_path / "serial", None, only=COHORT, workers=1)
    serial = cell_scores(real_db_url(on_sqlite))
    on_cluster = dict(cluster_run["scores"])
    slow = {cell: on_cluster.pop((SLOW, cell)) for cell in ("test_sigmoid", "test_mse", "why_sigmoid")}
    assert on_cluster == serial
    assert len(serial) == len(COHORT) * 3
    assert serial[("mistake-1", "test_mse")] == (0.0, 3.0) and serial[("solution", "test_mse")] == (3.0, 3.0)
    assert slow == {cell: serial[("solution", cell)] for cell in slow}  # the slow one is the solution


def test_a_killed_worker_loses_nothing_and_grades_nothing_twice(cluster_run):
    killing = cluster_run["killing"]
    assert "orphans" in killing, f"the slow submission's worker was never found and killed: {killing}"
    students = sorted(outcome.student for outcome in cluster_run["outcomes"])
    assert students == sorted(COHORT + [SLOW])
    assert [o.status for o in cluster_run["outcomes"]] == ["graded"] * len(students)
    assert sorted(cluster_run["recorded"]) == students           # the coordinator wrote each grade once
    assert sorted(cluster_run["submissions"]) == students        # one gradebook submission each
    assert sorted(load_log(cluster_run["course"], SAMPLE)) == students
    attempts = sorted(path.name.rsplit("-", 1)[0] for path in cluster_run["work"].iterdir()
                      if path.is_dir() and path.name != "helpers-view")   # the run's one view of helpers
    assert attempts == sorted(students + [SLOW])                 # its own private copy per attempt
    scored = Path("autograded", SLOW, SAMPLE, f"{SAMPLE}.ipynb")
    reruns = [path for path in cluster_run["work"].glob(f"{SLOW}-*") if path.name != killing["attempt"]]
    assert len(reruns) == 1 and (reruns[0] / scored).exists()      # the re-run scored the notebook


def test_the_dead_workers_orphans_are_killed(cluster_run):
    killing = cluster_run["killing"]
    assert len(killing["orphans"]) >= 2                          # the nbgrader process and its kernel
    assert not any(alive(pid) for pid in killing["orphans"])
    assert killing["orphans_lived"] < SLEEP / 2                  # killed, not ended by the sleep


def test_workers_that_cannot_see_the_course_are_refused(cluster, tmp_path):
    missing = tmp_path / "not-shared"
    with pytest.raises(CourseError, match="cannot see .*not-shared"):
        with grading_pool(2, cluster.scheduler_address, shared_paths=[tmp_path, missing]):
            pass


def test_an_unreachable_scheduler_is_a_clear_error():
    with pytest.raises(CourseError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        connect("tcp://127.0.0.1:9", timeout=2)
