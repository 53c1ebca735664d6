"""``autograde``: every submission of an assignment, N at a time, each in its own private copy.

The coordinator (this module, in the instructor's process) hands submissions to
``--workers`` threads; each thread runs :func:`nbcourse.grading.grade_submission`, which
grades in a private copy with its own gradebook. As results arrive, in whatever order,
the coordinator alone, one at a time:

1. copies the scores into the real gradebook (:func:`nbcourse.gradebook.record_submission`);
2. replaces ``autograded/<student>/<a>/`` with the private copy's output;
3. records the outcome in the grading log ``reports/autograde/<a>.json`` (status,
   reason of a failure, seconds, per-cell execution times, the grader's notes, and the
   test cells an answer failed by calling a withheld reference).

A submission that crashes, hangs or gets killed is logged as failed and leaves the
gradebook as it was; the others carry on. See docs/grading-internals.md.

Ctrl-C or SIGTERM stops the run within seconds (:class:`nbcourse.stop_request.StopRequest`):
every process it started is ended, what is scored stays, the rest is logged as
"interrupted", and :class:`GradingInterrupted` says so. The next ``autograde`` of the
assignment first ends what a coordinator killed outright left running, then resumes:
it grades the interrupted submissions and keeps the scored ones (unless ``regrade``).
"""
from __future__ import annotations

import json
import secrets
import shutil
import sys
import tempfile
from concurrent.futures import FIRST_COMPLETED, wait
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

from tqdm import tqdm

from . import checker_service, nbgrader_process, sandbox, trusted_grading
from .cells import METADATA_KEY
from .cluster import attempt_workdir, grading_pool
from .course import Course, CourseError
from .gradebook import record_submission, record_zero_submission
from .grading import TEMPLATE_DB, GradeResult, build_template_gradebook, grade_submission
from .limits import SandboxLimits
from .outcome import Outcome, Status
from .pages import render
from .stop_request import GradingInterrupted, StopRequest

# Seconds the coordinator waits, once a stop is asked and the run's processes are killed,
# for the grading threads (or Dask futures) to give up; the whole stop must take under 5 s.
STOP_WAIT = 3.0


def sandbox_status() -> tuple[bool, str]:
    """(available, reason) of the grading sandbox."""
    status = sandbox.check()
    return bool(status.available), str(status.reason)


def grading_features(workdir: Path, helpers_view: Path, *, sandboxed: bool, checker_socket: str | None = None,
                     limits: SandboxLimits | None = None) -> list:
    """The overrides every submission's run gets: the trusted pipeline (test cells checked
    outside the kernel, by the run's checker service at ``checker_socket`` if given, with
    ``helpers_view`` in the kernel) and, if ``sandboxed``, the sandbox for the private copy
    at ``workdir``, its kernels held to ``limits`` (default: :meth:`SandboxLimits.load`
    without a course: the defaults under the environment variables)."""
    if not sandboxed:
        return [trusted_grading.overrides(helpers_view, checker_socket)]
    return [trusted_grading.overrides(checker_socket=checker_socket),
            sandbox.overrides(workdir, helpers_view=helpers_view, limits=limits)]


def autograde(course: Course, assignment: str, *, workers: int = 2, students: list[str] | None = None,
              unsafe_no_sandbox: bool = False, timeout: float = 1800, workdir: Path | None = None,
              keep_workdirs: bool = False, progress: bool = True, scheduler: str | None = None,
              regrade: bool = False) -> list[Outcome]:
    """Grade the submissions of ``assignment`` (default: every student in ``submitted/``).

    Refuses (CourseError) when the sandbox is unavailable, unless ``unsafe_no_sandbox``, and
    when the kernels' limits (:class:`~nbcourse.limits.SandboxLimits`: ``c.SandboxLimits`` in
    the course's ``nbgrader_config.py``, environment variables over it) are not positive integers.
    With ``scheduler`` (a Dask scheduler address) each submission is graded on a worker of
    that cluster instead of in one of ``workers`` local threads (see :mod:`nbcourse.cluster`).
    Returns one :class:`Outcome` per submission, in student order.

    First ends the processes a killed earlier run left behind (and says so on stderr).
    After an interrupted run, and without ``students`` or ``regrade``, it resumes: only
    the interrupted submissions, those never graded and those handed in again since are
    graded; the others keep their score and their line in the log. SIGINT or SIGTERM
    during the run stops it and raises :class:`GradingInterrupted`.
    """
    course.require_assignment(assignment)
    if workers < 1:
        raise CourseError(f"--workers must be at least 1, got {workers}")
    submitted = course.students_who_submitted(assignment)
    if not submitted:
        raise CourseError(f"no submissions of {assignment!r} in {course.submitted}/<student>/{assignment}/ "
                          "(run `python -m nbcourse collect` first)")
    if students:
        missing = sorted(set(students) - set(submitted))
        if missing:
            raise CourseError(f"no submission of {assignment!r} from: {', '.join(missing)}")
        submitted = sorted(set(students))

    sandboxed, why_not = sandbox_status()
    if not sandboxed and not unsafe_no_sandbox:
        raise CourseError(
            f"refusing to run students' code without a sandbox: {why_not}.\n"
            "Install the sandbox (bubblewrap) or, on a machine where that risk is acceptable, "
            "pass --unsafe-no-sandbox."
        )
    limits = SandboxLimits.load(course.root)  # a bad value stops the run here, before any grading
    run_id = secrets.token_hex(8)  # names this run's processes, here and on Dask workers

    with StopRequest() as stop:
        end_orphans_of_killed_runs()
        outcomes = {} if students or regrade else scored_before_interruption(course, assignment, submitted)
        if outcomes:
            _say(f"resuming the interrupted run of {assignment}: {len(submitted) - len(outcomes)} submission(s) "
                 f"to grade, {len(outcomes)} already graded kept (--regrade grades them again)")
        to_grade = [student for student in submitted if student not in outcomes]

        run_dir = Path(workdir or tempfile.mkdtemp(prefix=f"nbcourse-{assignment}-")).resolve()
        run_dir.mkdir(parents=True, exist_ok=True)
        checkers = None
        try:
            # First: the service imports TensorFlow meanwhile, on the other core. One server per
            # worker: the hidden tests' work of two submissions must not share one interpreter.
            checkers = checker_service.start(sorted((course.source / assignment).glob("*.ipynb")),
                                             servers=min(workers, len(to_grade)) or 1)
            template = build_template_gradebook(course, assignment, run_dir / TEMPLATE_DB)
            helpers_view = trusted_grading.reference_view(assignment, run_dir)
            checker_socket = checkers.path  # the closure goes to Dask workers: a path, not the process

            def grade(student: str) -> GradeResult:
                private = attempt_workdir(run_dir, student, scheduler)
                with nbgrader_process.grading_run(run_id):
                    return grade_submission(course.root, assignment, student, private,
                                            grading_features(private, helpers_view, sandboxed=sandboxed,
                                                             checker_socket=checker_socket, limits=limits),
                                            template_db=template, timeout=timeout)

            for student in to_grade:
                why = None if stop.requested else unreadable_submission(course, assignment, student)
                if why:  # nothing nbgrader could run: zero, feedback saying why, and a line in the log
                    outcomes[student] = _record_unreadable(course, assignment, student, why)
                    _write_log(course, assignment, [outcomes[student]])
            graders = [student for student in to_grade if student not in outcomes]
            if graders and not stop.requested:
                with grading_pool(workers, scheduler, shared_paths=[course.root, run_dir],
                                  sandboxed=sandboxed) as pool:
                    _grade_all(pool, grade, graders, outcomes, stop, run_id,
                               lambda result: _record(course, result),
                               lambda outcome: _write_log(course, assignment, [outcome]),
                               tqdm(total=len(graders), desc=f"autograde {assignment}", unit="submission",
                                    disable=not progress))
        except Exception:
            if not stop.requested:
                raise
            # Ctrl-C reaches the whole process group: a subprocess of the coordinator itself
            # (nbgrader's alembic, opening a gradebook) may have died of it. Nothing is half
            # written (each write is one commit or one rename); what is not scored is interrupted.
        finally:
            if checkers is not None:
                checkers.stop()
            if not keep_workdirs:
                shutil.rmtree(run_dir, ignore_errors=True)
        if stop.requested:
            nbgrader_process.end_forkserver()  # the last process this run started
            stamp = datetime.now().isoformat(timespec="seconds")
            interrupted = [Outcome(student, Status.INTERRUPTED, graded_at=stamp,
                                   reason=f"not graded: the run was stopped by {stop.name}")
                           for student in submitted if student not in outcomes]
            outcomes.update((outcome.student, outcome) for outcome in interrupted)
            _write_log(course, assignment, interrupted)  # one write: a second Ctrl-C cannot split it
            raise GradingInterrupted(assignment, [outcomes[student] for student in submitted], stop)
    return [outcomes[student] for student in submitted]


def _grade_all(pool, grade, students: list[str], outcomes: dict, stop: StopRequest, run_id: str,
               record, log, bar) -> None:
    """Submit ``grade(student)`` for each student and record each result as it arrives, until
    done or a stop is asked; then stop the run's processes and record what finished whole."""
    futures = {pool.submit(grade, student): student for student in students}
    pending = set(futures)

    def take(future) -> None:
        student = futures[future]
        try:
            result = future.result()
        except Exception as error:  # the runner itself broke (disk full, bad feature): log, carry on
            outcomes[student] = Outcome(student, Status.FAILED, reason=f"{type(error).__name__}: {error}")
        else:
            outcomes[student] = record(result)
        log(outcomes[student])
        bar.update()

    try:
        with bar:
            while pending and not stop.requested:
                # A timeout, not a bare wait: the signal handler only sets a flag, looked at here.
                done, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
                for future in done:
                    take(future)
    finally:
        if pending:  # stopped, or recording broke: leaving the pool must not wait for the others
            pool.stop(run_id)  # no new submission starts; every process of the run is killed
    if not pending:
        return
    done, _ = wait(pending, timeout=STOP_WAIT)
    for future in done:
        # Only a run that ended whole on its own counts; one the stop killed is interrupted.
        if not future.cancelled() and future.exception() is None and future.result().ok:
            take(future)


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def end_orphans_of_killed_runs() -> list[str]:
    """End the processes of earlier runs whose coordinator was killed outright, and say so on stderr."""
    ended = nbgrader_process.end_orphans()
    if ended:
        _say(f"ended {len(ended)} process(es) left running by an earlier grading run whose coordinator "
             "was killed:\n" + "\n".join(f"  {line}" for line in ended))
    return ended


def scored_before_interruption(course: Course, assignment: str, submitted: list[str]) -> dict[str, Outcome]:
    """student -> logged outcome, for the submissions a resumed run keeps as they are.

    Empty unless the grading log holds an "interrupted" submission among ``submitted``:
    then every other logged submission is kept, unless a file of it changed after it was
    graded (handed in again since).
    """
    log = load_log(course, assignment)
    if not any(log[student].status == Status.INTERRUPTED for student in submitted if student in log):
        return {}
    return {student: log[student] for student in submitted
            if student in log and log[student].status != Status.INTERRUPTED
            and not _changed_since(course.submitted / student / assignment, log[student].graded_at)}


def _changed_since(folder: Path, stamp: str) -> bool:
    try:
        graded = datetime.fromisoformat(stamp).timestamp()
    except ValueError:
        return True
    # graded_at has whole seconds: a file written within the second it was graded counts as changed.
    return any(path.stat().st_mtime >= graded for path in folder.rglob("*") if path.is_file())


def expected_notebooks(course: Course, assignment: str) -> list[str]:
    """The notebook names (without ``.ipynb``) a submission of ``assignment`` must contain."""
    return sorted(path.stem for path in (course.source / assignment).glob("*.ipynb"))


def unreadable_submission(course: Course, assignment: str, student: str) -> str:
    """Why ``student``'s submission cannot be graded at all ('' when it can).

    A notebook of the assignment that is missing, or that is not valid notebook JSON, gives
    nbgrader nothing to run; such a submission is scored 0 without starting a kernel.
    """
    import nbformat

    folder = course.submitted / student / assignment
    problems = []
    for name in expected_notebooks(course, assignment):
        path = folder / f"{name}.ipynb"
        if not path.is_file():
            problems.append(f"{name}.ipynb is missing from the submission")
            continue
        try:
            nbformat.validate(nbformat.read(path, as_version=4))
        except Exception as error:  # any reason the file is not a notebook: JSON, schema, encoding
            first_line = (str(error).strip().splitlines() or [""])[0][:200]
            problems.append(f"{name}.ipynb is not a readable notebook ({type(error).__name__}: {first_line})")
    return "; ".join(problems)


UNREADABLE_PAGE = (
    "<!DOCTYPE html><html><head><meta charset='utf-8'>"
    "<title>{{ assignment }}: {{ notebook }}</title></head><body>"
    "<h1>{{ assignment }}: your submission could not be graded</h1>"
    "<p><strong>What went wrong:</strong> {{ reason }}.</p>"
    "<p>The grader could not open your notebook, so none of its tests could run and every "
    "question scores 0. Open the notebook in JupyterLab (File &gt; Open), check that it "
    "loads, run <em>Validate</em>, and submit it again; if the file was lost, fetch the "
    "assignment again and ask your instructor about the deadline.</p>"
    "</body></html>\n"
)


def write_unreadable_feedback(course: Course, assignment: str, student: str, notebooks: list[str],
                              reason: str) -> list:
    """Feedback pages for a submission that could not be graded: what was wrong, and what it means.

    nbgrader has no autograded notebook to render for such a submission, so the page
    ``feedback/<student>/<assignment>/<notebook>.html`` is written here instead.
    """
    folder = course.feedback / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    pages = []
    for name in notebooks:
        page = folder / f"{name}.html"
        page.write_text(render(UNREADABLE_PAGE, assignment=assignment, notebook=name, reason=reason))
        pages.append(page)
    return pages


def _record_unreadable(course: Course, assignment: str, student: str, why: str) -> Outcome:
    """Zero in the gradebook, a feedback page saying why, and the outcome for the log (coordinator only)."""
    record_zero_submission(course, assignment, student)
    shutil.rmtree(course.autograded / student / assignment, ignore_errors=True)  # no stale graded copy
    write_unreadable_feedback(course, assignment, student, expected_notebooks(course, assignment), why)
    return Outcome(student, Status.UNREADABLE, reason=why, graded_at=datetime.now().isoformat(timespec="seconds"))


def _record(course: Course, result: GradeResult) -> Outcome:
    """Put one finished private run into the real course (coordinator only)."""
    stamp = datetime.now().isoformat(timespec="seconds")
    if not result.ok:
        return Outcome(result.student, Status.FAILED, reason=result.reason, seconds=round(result.seconds, 3),
                       graded_at=stamp)
    notebooks = sorted(result.autograded_dir.glob("*.ipynb"))
    problems, delegations = list(result.problems), []   # files refused when the copy was made
    for notebook in notebooks:
        notes, delegated = grader_record(notebook)
        problems += notes
        delegations += delegated
    record_submission(course, result.assignment, result.student, result.db_url)
    destination = course.autograded / result.student / result.assignment
    if destination.exists():
        shutil.rmtree(destination)
    shutil.copytree(result.autograded_dir, destination)
    cell_seconds, deaths = {}, []
    for notebook in notebooks:
        cell_seconds.update(cell_execution_seconds(notebook))
        deaths += kernel_deaths(notebook)
    # A kernel that died mid-notebook still leaves a scored notebook (the tests before it count).
    return Outcome(result.student, Status.CRASHED if deaths else Status.GRADED, reason="; ".join(deaths),
                   seconds=round(result.seconds, 3), cell_seconds=cell_seconds, problems=problems,
                   delegations=delegations, graded_at=stamp)


def grader_record(notebook: Path) -> tuple[list[str], list[str]]:
    """(notes, delegations) that the grading pipeline wrote into an autograded notebook.

    The record is written by the grader's own process after execution (a submission's
    notebook metadata is dropped before it), so it can be read as the grader's word.
    """
    try:
        record = json.loads(Path(notebook).read_text()).get("metadata", {}).get(METADATA_KEY) or {}
    except ValueError:
        return [f"the autograded notebook {Path(notebook).name} cannot be read"], []
    delegations = [f"{grade_id}: called helpers.{verdict['withheld']} (withheld while graded)"
                   for grade_id, verdict in sorted(record.get("verdicts", {}).items()) if verdict.get("withheld")]
    return [str(note) for note in record.get("notes", [])], delegations


def kernel_deaths(notebook: Path) -> list[str]:
    """How the kernel died, for each ``KernelDied`` error in an autograded notebook (empty: it did not).

    The grader's executor (``CheckedExecute``) writes that error into the cell that was
    running when the kernel died, scores the later tests 0 and lets nbgrader finish the notebook.
    """
    return [output.get("evalue", "the kernel died")
            for cell in json.loads(Path(notebook).read_text())["cells"]
            for output in cell.get("outputs", [])
            if output.get("output_type") == "error" and output.get("ename") == "KernelDied"]


def cell_execution_seconds(notebook: Path) -> dict[str, float]:
    """Seconds each code cell ran (kernel busy -> idle), keyed by grade id or cell id.

    nbclient stamps ``metadata.execution`` on every executed cell; nbgrader keeps it.
    """
    timings = {}
    for index, cell in enumerate(json.loads(Path(notebook).read_text())["cells"]):
        stamps = cell.get("metadata", {}).get("execution", {})
        if "iopub.status.busy" not in stamps or "iopub.status.idle" not in stamps:
            continue
        busy = datetime.fromisoformat(stamps["iopub.status.busy"].replace("Z", "+00:00"))
        idle = datetime.fromisoformat(stamps["iopub.status.idle"].replace("Z", "+00:00"))
        name = cell["metadata"].get("nbgrader", {}).get("grade_id") or cell.get("id") or f"cell-{index}"
        timings[name] = round((idle - busy).total_seconds(), 4)
    return timings


# --- the grading log -------------------------------------------------------------------

def log_path(course: Course, assignment: str) -> Path:
    """``reports/autograde/<assignment>.json``: the latest outcome of every student's submission."""
    return course.reports / "autograde" / f"{assignment}.json"


def load_log(course: Course, assignment: str) -> dict[str, Outcome]:
    """student -> latest :class:`Outcome` for ``assignment`` (empty if never autograded here)."""
    path = log_path(course, assignment)
    if not path.exists():
        return {}
    return {student: Outcome(**entry) for student, entry in json.loads(path.read_text()).items()}


def _write_log(course: Course, assignment: str, outcomes: list[Outcome]) -> None:
    """Put ``outcomes`` into the grading log, replacing those students' lines, in one atomic write."""
    if not outcomes:
        return
    entries = {student: asdict(entry) for student, entry in load_log(course, assignment).items()}
    entries.update((outcome.student, asdict(outcome)) for outcome in outcomes)
    path = log_path(course, assignment)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".json.partial")
    partial.write_text(json.dumps(entries, indent=1, sort_keys=True))
    partial.replace(path)  # atomic: a crash never leaves half a log


def forget(course: Course, assignment: str, students: list[str]) -> None:
    """Drop ``students`` from the grading log of ``assignment`` (used when the demo rebuilds its cohort)."""
    path = log_path(course, assignment)
    if path.exists():
        entries = json.loads(path.read_text())
        for student in students:
            entries.pop(student, None)
        path.write_text(json.dumps(entries, indent=1, sort_keys=True))

