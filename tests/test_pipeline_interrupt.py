"""Stopping a grading run: Ctrl-C and SIGTERM end it within 5 s and leave nothing running.

A cohort of two honest students and one whose answer loops forever is graded by
``python -m nbcourse autograde``, as an instructor runs it. A few seconds in (the loop
running, an honest submission scored), the run gets SIGINT on its process group (as a
terminal sends Ctrl-C, twice) or SIGTERM on the coordinator. Checked: within 5 s the
coordinator has exited with the signal's status and a one-line summary, and no process
of the run remains (by the process tree and by the run's marker in the environment);
the submissions scored before the signal are in the gradebook once, the others are
"interrupted" in the log and the report; ``autograde`` again grades only those and ends
with the grades of an uninterrupted run. And a coordinator killed with SIGKILL (nothing
can trap it) leaves its processes running: the next ``autograde`` (here of one student)
ends them and says so before it starts grading. A run that ends by itself returns only once
every process it started is gone (checked in a pid namespace of its own). On a Dask cluster,
Ctrl-C ends the run's processes on the workers and leaves the workers running.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import psutil
import pytest
from nbgrader.api import Gradebook

from graded_sample import cell_scores
from nbcourse import nbgrader_process, sandbox
from nbcourse.autograde import autograde, load_log
from nbcourse.generate import generate
from nbcourse.gradebook import real_db_url
from nbcourse.report import build_report
from tests.support.sample import SAMPLE, hand_in, sample_cohort, sample_course, solution_running_first
from nbcourse.stop_request import GradingInterrupted

pytestmark = pytest.mark.xdist_group("pipeline")

LOOP = "a-loop"                       # sorts first, so it is handed out first
HONEST = ["mistake-1", "solution"]    # one mistake, full marks
STARTED = "loop-started.txt"          # written by the looping cell into its working folder
CELL_TIMEOUT = 5                      # after the interruption: the loop's cell is cut off, the cohort completes
STOP_LIMIT = 5.0                      # seconds from the signal until nothing of the run is left
SANDBOXED = sandbox.check().available
SANDBOX_OPTION = [] if SANDBOXED else ["--unsafe-no-sandbox"]


def cohort_course(root):
    """The sample course with the two honest submissions and the looping one handed in."""
    course = sample_course(root)
    generate(course, progress=False)
    cohort = sample_cohort(course)
    looping = solution_running_first(course, f"open({STARTED!r}, 'w').close()\nwhile True:\n    pass")
    hand_in(course, {**{student: cohort[student] for student in HONEST}, LOOP: looping})
    return course


def cut_off_looping_cells(course) -> None:
    """A cell timeout short enough that the looping submission is graded (0 on its loop) in seconds."""
    with open(course.root / "nbgrader_config.py", "a") as config:
        config.write(f"\nc.ExecutePreprocessor.timeout = {CELL_TIMEOUT}\n")


def autograde_command(course, work) -> list[str]:
    return [sys.executable, "-m", "nbcourse", "autograde", SAMPLE, "--course", str(course.root),
            "--workdir", str(work), *SANDBOX_OPTION]


def wait_until_looping_and_one_scored(course, work, coordinator: psutil.Process) -> None:
    """Until the looping cell runs and an honest submission is in the grading log."""
    deadline = time.monotonic() + 240
    while not (list(work.glob(f"{LOOP}/**/{STARTED}")) and load_log(course, SAMPLE)):
        assert coordinator.is_running() and coordinator.status() != psutil.STATUS_ZOMBIE, "the run ended early"
        assert time.monotonic() < deadline, "the looping submission never started"
        time.sleep(0.1)


def alive(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def describe(process: psutil.Process) -> str:
    """pid, state, name and command line of a process, for an assertion's message."""
    try:
        return f"{process.pid} {process.status()} {process.name()} {' '.join(process.cmdline())[:200]}"
    except psutil.Error as error:
        return f"{process.pid} {error}"


def marked_by(owner_pid: int) -> list[int]:
    """The processes whose run marker names ``owner_pid`` (in this pid namespace) as their owner."""
    return [pid for pid, tag in nbgrader_process.env_values(nbgrader_process.RUN_TAG).items()
            if tag.split("@")[0] == str(owner_pid)]


def submissions_in_gradebook(course) -> list[str]:
    with Gradebook(real_db_url(course)) as gradebook:
        return sorted(submission.student.id for submission in gradebook.find_assignment(SAMPLE).submissions)


@pytest.fixture(scope="module")
def uninterrupted_scores(tmp_path_factory):
    """The cell scores of the same cohort graded in one run that nothing stops."""
    course = cohort_course(tmp_path_factory.mktemp("uninterrupted") / "course")
    cut_off_looping_cells(course)
    outcomes = autograde(course, SAMPLE, workers=2, progress=False, unsafe_no_sandbox=not SANDBOXED)
    assert [outcome.status for outcome in outcomes] == ["graded"] * 3, [(o.student, o.reason) for o in outcomes]
    return cell_scores(real_db_url(course))


@pytest.mark.parametrize("how", ["Ctrl-C twice", "SIGTERM"])
def test_a_signal_stops_the_run_within_seconds_and_autograde_again_resumes(how, tmp_path, uninterrupted_scores):
    course, work = cohort_course(tmp_path / "course"), tmp_path / "work"
    out, err = tmp_path / "stdout.txt", tmp_path / "stderr.txt"
    with open(out, "w") as stdout, open(err, "w") as stderr:
        # A session of its own, as a terminal gives a command its own process group.
        popen = subprocess.Popen(autograde_command(course, work), stdout=stdout, stderr=stderr,
                                 start_new_session=True)
    coordinator = psutil.Process(popen.pid)
    before = []
    try:
        wait_until_looping_and_one_scored(course, work, coordinator)
        before = coordinator.children(recursive=True)
        assert len(before) >= 3  # the forkserver, the looping submission's nbgrader process and its kernel
        signalled = time.monotonic()
        if how == "SIGTERM":
            os.kill(popen.pid, signal.SIGTERM)
        else:
            os.killpg(popen.pid, signal.SIGINT)
            time.sleep(0.2)
            os.killpg(popen.pid, signal.SIGINT)  # the impatient second Ctrl-C, while it stops
        status = popen.wait(timeout=STOP_LIMIT)
        while (any(map(alive, before)) or marked_by(popen.pid)) and time.monotonic() - signalled < STOP_LIMIT:
            time.sleep(0.05)
        assert [describe(process) for process in before if alive(process)] == []
        assert marked_by(popen.pid) == []
    finally:
        popen.kill()
        nbgrader_process.end_processes(process.pid for process in before if alive(process))
        popen.wait()

    signum = signal.SIGTERM if how == "SIGTERM" else signal.SIGINT
    assert status == 128 + signum, err.read_text()
    summary = out.read_text().strip().splitlines()[-1]
    assert summary.startswith(f"{SAMPLE}: stopped by {signum.name}: ") and LOOP in summary, summary
    if how != "SIGTERM":
        assert "already stopping" in err.read_text()
    log = load_log(course, SAMPLE)  # parses: written whole, whatever the second Ctrl-C hit
    scored = sorted(student for student, outcome in log.items() if outcome.status == "graded")
    assert scored and set(scored) <= set(HONEST)
    assert {student: outcome.status for student, outcome in log.items() if student not in scored} == \
        {student: "interrupted" for student in {LOOP, *HONEST} - set(scored)}
    assert f"{len(scored)} scored, 0 failed, {3 - len(scored)} interrupted" in summary
    assert submissions_in_gradebook(course) == scored  # once each, nothing of the others
    report = build_report(course).read_text()
    assert "interrupted" in report and f"<td>{LOOP}</td>" in report

    cut_off_looping_cells(course)
    resumed = subprocess.run(autograde_command(course, tmp_path / "work-2"), capture_output=True, text=True,
                             timeout=600)
    assert resumed.returncode == 0, resumed.stderr
    assert f"{3 - len(scored)} submission(s) to grade, {len(scored)} already graded kept" in resumed.stderr
    after = load_log(course, SAMPLE)
    assert {student: outcome.status for student, outcome in after.items()} == dict.fromkeys([LOOP, *HONEST], "graded")
    assert all(after[student] == log[student] for student in scored)  # kept as they were, not graded again
    assert submissions_in_gradebook(course) == sorted([LOOP, *HONEST])
    assert cell_scores(real_db_url(course)) == uninterrupted_scores


def _can_make_pid_namespaces() -> tuple[bool, str]:
    try:
        done = subprocess.run(["unshare", "--pid", "--fork", "--mount-proc", "true"], capture_output=True,
                              text=True, timeout=30)
    except OSError as error:
        return False, f"unshare cannot run: {error}"
    return done.returncode == 0, f"unshare --pid --mount-proc fails here: {done.stderr.strip()}"


@pytest.mark.skipif(not _can_make_pid_namespaces()[0], reason=_can_make_pid_namespaces()[1])
def test_a_run_that_ends_leaves_nothing_running(tmp_path):
    """``autograde`` returns once every process it started is gone: its forkserver (which, left
    to exit by itself, tore down its imports for seconds after the command had returned) and the
    checker service's servers (killed, but still freeing their memory) among them. In a pid
    namespace of its own, whose first process outlives the command and adopts what it leaves."""
    course, status = cohort_course(tmp_path / "course"), tmp_path / "status.txt"
    namespace = subprocess.Popen(["unshare", "--pid", "--fork", "--mount-proc", "--kill-child", "--",
                                  "sh", "-c", '"$@" >/dev/null 2>&1; echo $? >"$STATUS"; exec sleep 3600', "sh",
                                  *autograde_command(course, tmp_path / "work"), "--student", "solution"],
                                 env={**os.environ, "STATUS": str(status)})
    try:
        deadline = time.monotonic() + 600
        while not status.exists() or not status.read_text().strip():
            assert time.monotonic() < deadline and namespace.poll() is None, "the run did not end"
            time.sleep(0.05)
        init, = psutil.Process(namespace.pid).children()  # the shell, now sleep: it adopts orphans
        left = [describe(child) for child in init.children(recursive=True) if alive(child)]
    finally:
        namespace.kill()
        namespace.wait()
    assert status.read_text().strip() == "0"
    assert left == []
    assert load_log(course, SAMPLE)["solution"].status == "graded"


@pytest.mark.skipif(not _can_make_pid_namespaces()[0], reason=_can_make_pid_namespaces()[1])
def test_the_next_run_ends_what_a_killed_coordinator_left_running(tmp_path):
    """Both runs happen in a pid namespace of their own, so that no other test's autograde,
    running meanwhile, ends the orphans first (orphans are judged per pid namespace)."""
    course, work = cohort_course(tmp_path / "course"), tmp_path / "work"
    out, err = tmp_path / "stdout.txt", tmp_path / "stderr.txt"
    # Its pid 1 (sleep) outlives the coordinator, as init does; --kill-child ends it all at the end.
    namespace = subprocess.Popen(["unshare", "--pid", "--fork", "--mount-proc", "--kill-child", "--",
                                  "sh", "-c", '"$@" >"$OUT" 2>"$ERR" & exec sleep 3600', "sh",
                                  *autograde_command(course, work)],
                                 env={**os.environ, "OUT": str(out), "ERR": str(err)})
    try:
        deadline = time.monotonic() + 60
        while not (init := psutil.Process(namespace.pid).children()) or not init[0].children():
            assert time.monotonic() < deadline, "the coordinator did not start"
            time.sleep(0.1)
        init = init[0]
        coordinator = init.children()[0]
        wait_until_looping_and_one_scored(course, work, coordinator)
        left = coordinator.children(recursive=True)
        coordinator.kill()
        time.sleep(1)
        # What the issue saw: the run's processes, the looping kernel among them, outlive their coordinator.
        assert sum(map(alive, left)) >= 3, [describe(process) for process in left]

        next_run = subprocess.run(["nsenter", "--target", str(init.pid), "--pid", "--mount", "--",
                                   *autograde_command(course, tmp_path / "work-2"), "--student", "solution"],
                                  capture_output=True, text=True, timeout=600)
        assert next_run.returncode == 0, next_run.stderr
        assert [describe(process) for process in left if alive(process)] == []
        assert [describe(child) for child in init.children(recursive=True) if alive(child)] == []
    finally:
        namespace.kill()
        namespace.wait()
    report = next_run.stderr
    assert "left running by an earlier grading run whose coordinator was killed" in report
    assert report.index("whose coordinator was killed") < report.index(f"autograde {SAMPLE}:")  # before it starts
    assert "multiprocessing.forkserver" in report  # the forkserver and the looping submission's nbgrader process
    assert "sandbox.py launch" in report or not SANDBOXED
    assert load_log(course, SAMPLE)["solution"].status == "graded"


def test_a_stopped_cluster_run_ends_its_processes_on_the_workers(tmp_path):
    """On a Dask cluster the coordinator's Ctrl-C cancels the run's futures and ends, on each
    worker, the processes of this run, as the reaper does for a lost worker; the worker stays."""
    import dask
    from dask.distributed import LocalCluster

    course, work = cohort_course(tmp_path / "course"), tmp_path / "work"
    found, run_over = {}, threading.Event()

    def interrupt_once_looping(cluster) -> None:
        while not list(work.glob(f"{LOOP}-*/**/{STARTED}")):
            if run_over.wait(0.1):
                return
        workers = [psutil.Process(nanny.process.pid) for nanny in cluster.workers.values()]
        attempt = str(next(work.glob(f"{LOOP}-*")))
        found["run"] = [process for worker in workers for process in worker.children(recursive=True)
                        if _cwd(process).startswith(attempt)]
        found["workers"] = workers
        found["signalled"] = time.monotonic()
        os.kill(os.getpid(), signal.SIGINT)  # the coordinator is this process: Ctrl-C as a terminal sends it

    with dask.config.set({"distributed.worker.daemon": False}), \
            LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        interrupter = threading.Thread(target=interrupt_once_looping, args=(cluster,), daemon=True)
        interrupter.start()
        try:
            with pytest.raises(GradingInterrupted) as stopped:
                autograde(course, SAMPLE, scheduler=cluster.scheduler_address, workdir=work, progress=False,
                          unsafe_no_sandbox=not SANDBOXED)
        finally:
            run_over.set()
            interrupter.join(timeout=30)
        while any(map(alive, found["run"])) and time.monotonic() - found["signalled"] < STOP_LIMIT:
            time.sleep(0.05)
        assert found["run"], "the looping submission's nbgrader process was not found on the worker"
        assert [describe(process) for process in found["run"] if alive(process)] == []
        assert all(map(alive, found["workers"]))  # the workers themselves carry on
    assert stopped.value.signal_name == "SIGINT"
    assert load_log(course, SAMPLE)[LOOP].status == "interrupted"


def _cwd(process: psutil.Process) -> str:
    try:
        return process.cwd()
    except psutil.Error:
        return ""


def test_orphans_are_judged_by_their_owner_in_this_pid_namespace():
    """Only a process whose owner (pid and start time, in this pid namespace) is gone counts
    as an orphan: not one whose owner lives, nor one from another pid namespace, whose pid
    names some other process here."""
    me = nbgrader_process.start_time(os.getpid())
    namespace = str(os.stat("/proc/self/ns/pid").st_ino)
    owners = {
        "dead": f"{os.getpid()}@{int(me) - 1}@{namespace}",        # this pid, but an earlier process
        "alive": f"{os.getpid()}@{me}@{namespace}",
        "elsewhere": f"{os.getpid()}@{int(me) - 1}@{int(namespace) + 1}",
    }
    sleepers = {kind: subprocess.Popen(["sleep", "60"], env={**os.environ, nbgrader_process.RUN_TAG: f"{owner}/run/x"})
                for kind, owner in owners.items()}
    try:
        deadline = time.monotonic() + 10
        while len(set(nbgrader_process.env_values(nbgrader_process.RUN_TAG)) & {p.pid for p in sleepers.values()}) < 3:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert sleepers["dead"].pid in nbgrader_process.orphans()
        ended = nbgrader_process.end_orphans()
        assert [line.split()[0] for line in ended if line.endswith("sleep 60")] == [str(sleepers["dead"].pid)]
        assert sleepers["dead"].wait(timeout=5) == -signal.SIGKILL
        assert sleepers["alive"].poll() is None and sleepers["elsewhere"].poll() is None
    finally:
        for sleeper in sleepers.values():
            sleeper.kill()
            sleeper.wait()
