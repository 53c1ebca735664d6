"""Grade one submission with ``nbgrader autograde`` in a private working copy of the course.

Why a private copy: nbgrader's gradebook is one SQLite file, and SQLite does not like
several autograde processes writing to it at once. So each submission gets its own small
course directory (layout below) with its own gradebook holding only the assignment and
that one student; ``nbgrader autograde`` runs there; the coordinator
(:mod:`nbcourse.autograde`) alone copies the scores into the real gradebook afterwards.
The private copy is also what the sandbox and the trusted pipeline build on: they change
the run through :class:`nbcourse.overrides.Overrides` (environment of the nbgrader
process, config lines appended to the private ``nbgrader_config.py``, extra files).

Private copy (``workdir``)::

    nbgrader_config.py            the course's config + pinned root/db/exchange + overrides' config lines
    gradebook.db                  the assignment's cells (copied from the real gradebook) + this student
    source/<a>/                   the assignment's source folder (nbgrader copies its data files next to the notebook)
    submitted/<student>/<a>/      the submission as collected (notebooks, timestamp.txt, other files; links refused)
    refused-files.json            what of the submission was refused (nbcourse.submission_files)
    autograded/<student>/<a>/     nbgrader's output; the kernel's working directory while tests run
    runtime/                      JUPYTER_RUNTIME_DIR (kernel connection files)
    autograde.log                 everything nbgrader printed
    <overrides.files>             written last, relative to workdir

The nbgrader process is forked from a server that has imported nbgrader already (the
standard library's ``forkserver``), so a submission does not pay nbgrader's several
seconds of imports; it is nonetheless a separate process, in its own process group,
which is killed whole (kernel included) on timeout.
"""
from __future__ import annotations

import shutil
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import nbgrader_process
from .course import Course, nbgrader_env, private_copy
from .overrides import Overrides, config_lines, merge
from .private_gradebook import PRIVATE_GRADEBOOK_ENV
from .submission_files import copy_for_grading, refused_notes

TEMPLATE_DB = "template-gradebook.db"


@dataclass
class GradeResult:
    """What happened to one submission in its private copy.

    ok:          nbgrader autograde finished with exit status 0
    reason:      why not, in words (empty when ok)
    seconds:     wall time of the nbgrader process
    workdir:     the private copy; its gradebook.db holds the scores when ok
    """

    assignment: str
    student: str
    workdir: Path
    ok: bool
    reason: str = ""
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    @property
    def autograded_dir(self) -> Path:
        """``autograded/<student>/<assignment>/`` inside the private copy."""
        return self.workdir / "autograded" / self.student / self.assignment

    @property
    def log(self) -> Path:
        return self.workdir / "autograde.log"

    @property
    def db_url(self) -> str:
        return "sqlite:///" + str(self.workdir / "gradebook.db")


def build_template_gradebook(course: Course, assignment: str, path: Path) -> Path:
    """A new SQLite gradebook at ``path`` holding ``assignment`` exactly as the real gradebook has it.

    Notebooks, grade/solution/task cells and the locked source cells are copied, so the
    private run restores locked cells and scores against the same checksums as a plain
    ``nbgrader autograde`` on the real gradebook would. Built once per autograde run and
    copied into every private copy, so that no submission pays for making it.
    """
    from nbgrader.api import Gradebook, MissingEntry

    from .gradebook import course_id, new_sqlite_gradebook, real_db_url

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()
    new_sqlite_gradebook(path)
    with Gradebook(real_db_url(course), course_id(course)) as real:
        try:
            original = real.find_assignment(assignment)
        except MissingEntry:
            from .course import CourseError

            raise CourseError(
                f"assignment {assignment!r} is not in the gradebook; run `python -m nbcourse generate {assignment}`"
            ) from None
        with Gradebook("sqlite:///" + str(path), course_id(course)) as copy:
            copy.add_assignment(assignment, duedate=original.duedate)
            for notebook in original.notebooks:
                copy.add_notebook(notebook.name, assignment, kernelspec=notebook.kernelspec)
                for cell in notebook.grade_cells:
                    copy.add_grade_cell(cell.name, notebook.name, assignment,
                                        max_score=cell.max_score, cell_type=cell.cell_type)
                for cell in notebook.solution_cells:
                    copy.add_solution_cell(cell.name, notebook.name, assignment)
                for cell in notebook.task_cells:
                    copy.add_task_cell(cell.name, notebook.name, assignment,
                                       max_score=cell.max_score, cell_type=cell.cell_type)
                for cell in notebook.source_cells:
                    copy.add_source_cell(cell.name, notebook.name, assignment, cell_type=cell.cell_type,
                                         locked=cell.locked, source=cell.source, checksum=cell.checksum)
    return path


def prepare_private_copy(course: Course, assignment: str, student: str, workdir: Path,
                         template_db: Path, overrides: Overrides = Overrides()) -> Path:
    """Lay out the private copy described in the module docstring; return ``workdir``."""
    workdir = Path(workdir).resolve()
    if workdir.exists():
        shutil.rmtree(workdir)
    private_copy(course, workdir, [assignment], extra_config=_overrides_config(overrides))
    shutil.copyfile(template_db, workdir / "gradebook.db")
    copy_for_grading(course.root, assignment, student, workdir)  # never follows a link of the submission
    (workdir / "runtime").mkdir()
    for relative, text in overrides.files.items():
        target = workdir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    return workdir


def _overrides_config(overrides: Overrides) -> str:
    lines = config_lines(overrides)
    return "\n# --- grading features (nbcourse.overrides) ---\n" + lines if lines else ""


def grade_submission(course_root: str | Path, assignment: str, student: str, workdir: str | Path,
                     overrides=(), *, template_db: Path | None = None, timeout: float = 1800) -> GradeResult:
    """Run ``nbgrader autograde ASSIGNMENT --student STUDENT`` in a private copy at ``workdir``.

    course_root: the real course (read only: nothing in it is written)
    overrides:   :class:`Overrides` of the grading features, merged and applied to this run
    template_db: a gradebook from :func:`build_template_gradebook` (built here if omitted)
    timeout:     seconds before the nbgrader process and its kernel are killed

    Returns a :class:`GradeResult`; a crash, a killed process or a timeout is a result
    with ``ok=False`` and the reason, never an exception.
    """
    course = Course.at(course_root)
    workdir = Path(workdir).resolve()
    merged = merge(*overrides)
    if template_db is None:
        template_db = build_template_gradebook(course, assignment, workdir.parent / f"{workdir.name}-{TEMPLATE_DB}")
    prepare_private_copy(course, assignment, student, workdir, template_db, merged)
    refused = refused_notes(workdir)  # read before any student code runs
    env = nbgrader_env({"JUPYTER_RUNTIME_DIR": str(workdir / "runtime"), **merged.env,
                        PRIVATE_GRADEBOOK_ENV: str(workdir / "gradebook.db")})
    # The private copy's config pins the database; a stray NBGRADER_DB_URL must not reach it either.
    env.pop("NBGRADER_DB_URL", None)

    started = time.perf_counter()
    log = workdir / "autograde.log"
    try:
        for _ in range(2):
            exitcode = nbgrader_process.run(["autograde", assignment, "--student", student, "--force"],
                                            cwd=str(workdir), env=env, log_path=str(log), timeout=timeout)
            # The child opens its log before anything else: no log means it never started nbgrader
            # (a failed fork), so no student code ran and trying once more is safe.
            if exitcode in (0, None) or log.exists():
                break
    finally:
        for folder in merged.cleanup:
            shutil.rmtree(folder, ignore_errors=True)
    seconds = time.perf_counter() - started

    result = GradeResult(assignment, student, workdir, ok=False, seconds=seconds, problems=refused)
    if exitcode is None:
        result.reason = f"timed out after {timeout:.0f} s (nbgrader process and kernel killed)"
    elif exitcode < 0:
        result.reason = f"the nbgrader process was killed by signal {signal.Signals(-exitcode).name}"
    elif exitcode != 0:
        result.reason = f"nbgrader autograde failed (exit {exitcode}): {_error_summary(result.log)}"
    elif not any(result.autograded_dir.glob("*.ipynb")):
        result.reason = "nbgrader autograde wrote no autograded notebook"
    else:
        result.ok = True
    return result


def _error_summary(log: Path) -> str:
    """The most telling line of an nbgrader log (its last error), for a one-line reason."""
    if not log.exists():
        return "no log written"
    lines = [line.strip() for line in log.read_text(errors="replace").splitlines() if line.strip()]
    for marker in ("DeadKernelError", "Kernel died", "CellTimeoutError", "[ERROR]", "Error"):
        hits = [line for line in lines if marker in line]
        if hits:
            return hits[-1][:300]
    return (lines[-1] if lines else "empty log")[:300]
