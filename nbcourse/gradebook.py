"""The real gradebook: where it is, and how one private run's scores get into it.

Only the coordinator calls :func:`record_submission`, one submission at a time, so the
real gradebook (SQLite by default, PostgreSQL through NBGRADER_DB_URL) never sees two
writers from this tool.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .course import CONFIG_FILE, Course, read_config


# What this module reads of the course's config, as an nbgrader command reads it.
_READ = {"CourseDirectory": ("db_url", "course_id"), "Exchange": ("root",)}
_CHILD = """import json, sys
from traitlets.config.loader import PyFileConfigLoader
config = PyFileConfigLoader(sys.argv[1], path=sys.argv[2]).load_config()
print(json.dumps({section: {name: config[section][name] for name in names if name in config[section]}
                  for section, names in json.loads(sys.argv[3]).items()}))
"""


@lru_cache(maxsize=None)
def _course_config(config_path: str, env_key: tuple, db_url: str | None = None) -> dict:
    """``{section: {name: value}}`` of :data:`_READ` in the config at ``config_path``.

    The config reads its environment (NBGRADER_DB_URL, NBGRADER_EXCHANGE: ``env_key``, the
    cache key). With ``db_url`` (a course's ``--db``) it is read as the nbgrader commands of
    that course read it, in a process whose environment holds ``NBGRADER_DB_URL=db_url``:
    this process's own environment is never changed.
    """
    path = Path(config_path)
    if db_url is None:
        config = read_config(path)
        return {section: {name: config[section][name] for name in names if name in config[section]}
                for section, names in _READ.items()}
    import json
    import subprocess
    import sys

    from .course import CourseError, nbgrader_env

    result = subprocess.run([sys.executable, "-c", _CHILD, path.name, str(path.parent), json.dumps(_READ)],
                            cwd=path.parent, env=nbgrader_env({"NBGRADER_DB_URL": db_url}),
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise CourseError(f"cannot read {path}:\n{result.stderr.strip()[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _config(course: Course) -> dict:
    import os

    env_key = (os.environ.get("NBGRADER_DB_URL"), os.environ.get("NBGRADER_EXCHANGE"))
    return _course_config(str(course.root / CONFIG_FILE), env_key, course.db_url)


def real_db_url(course: Course) -> str:
    """The gradebook URL the course's ``nbgrader_config.py`` selects (default: SQLite in the root)."""
    section = _config(course).get("CourseDirectory", {})
    return section.get("db_url") or "sqlite:///" + str(course.root / "gradebook.db")


def new_sqlite_gradebook(path: Path) -> None:
    """Create an empty nbgrader gradebook, SQLite, at ``path`` (which must not exist yet).

    The gradebook nbgrader makes for a new database: its tables, stamped with the revision
    its alembic migrations end at, so that ``nbgrader db upgrade`` knows where it stands.
    ``nbgrader.api.Gradebook`` asks for that revision with a subprocess (``alembic heads``:
    3.0 s here, once per new gradebook, on the path of every grading run before this); read
    in this process through alembic's ``ScriptDirectory``, it costs 0.03 s.
    """
    import sqlalchemy
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from nbgrader.api import Base
    from nbgrader.dbutil import ALEMBIC_DIR

    path = Path(path)
    if path.exists():
        raise FileExistsError(f"{path} exists: a new gradebook must not replace one")
    engine = sqlalchemy.create_engine(f"sqlite:///{path}")
    try:
        Base.metadata.create_all(engine)
        with engine.begin() as connection:
            MigrationContext.configure(connection).stamp(ScriptDirectory(ALEMBIC_DIR), "head")
    finally:
        engine.dispose()


def course_id(course: Course) -> str:
    """``CourseDirectory.course_id`` of the course (nbgrader's default when unset)."""
    return _config(course).get("CourseDirectory", {}).get("course_id") or "default_course"


def exchange_root(course: Course) -> Path:
    """``Exchange.root`` of the course (default: ``exchange/`` inside the course)."""
    root = _config(course).get("Exchange", {}).get("root")
    return Path(root) if root else course.root / "exchange"


def record_submission(course: Course, assignment: str, student: str, private_db_url: str) -> None:
    """Copy ``student``'s scores for ``assignment`` from a private gradebook into the real one.

    Replaces whatever the real gradebook held for this submission (re-grading is
    idempotent), with nbgrader's own rules: ``auto_score`` and ``auto_comment`` come from
    the run; a TA's manual score, manual comment and extra credit are kept, and a cell
    keeps needing manual grading when it has a manual score or no automatic one.
    All scores are written in one commit.
    """
    from nbgrader.api import Comment, Grade, Gradebook

    with Gradebook(private_db_url, course_id(course)) as private, \
            Gradebook(real_db_url(course), course_id(course)) as real:
        graded = private.find_submission(assignment, student)
        target = _submission_of(real, assignment, student)
        target.timestamp = graded.timestamp
        target.extension = graded.extension
        notebooks = {notebook.name: notebook for notebook in target.notebooks}
        for graded_notebook in graded.notebooks:
            notebook = notebooks[graded_notebook.name]
            notebook.flagged = graded_notebook.flagged
            notebook.late_submission_penalty = graded_notebook.late_submission_penalty
        grades = _by_cell(real, Grade, assignment, student)
        for cell, graded_grade in _by_cell(private, Grade, assignment, student).items():
            grade = _entry(grades, cell, "grade")
            grade.auto_score = graded_grade.auto_score
            grade.needs_manual_grade = grade.manual_score is not None or grade.auto_score is None
        comments = _by_cell(real, Comment, assignment, student)
        for cell, graded_comment in _by_cell(private, Comment, assignment, student).items():
            _entry(comments, cell, "comment").auto_comment = graded_comment.auto_comment
        real.db.commit()


def _by_cell(gradebook, model, assignment: str, student: str) -> dict:
    """``{(notebook, cell name): row}`` of every ``model`` row (nbgrader's ``Grade`` or
    ``Comment``) of ``student``'s submission of ``assignment``, in one query.

    (nbgrader's ``find_grade`` is one query per cell, and each row's ``name`` another:
    about 85 queries for one of 01's submissions, which made recording cost the
    coordinator more CPU than anything else it does per submission.)
    """
    from nbgrader.api import Assignment, BaseCell, Notebook, SubmittedAssignment, SubmittedNotebook

    rows = gradebook.db.query(Notebook.name, BaseCell.name, model) \
        .join(BaseCell, BaseCell.id == model.cell_id) \
        .join(SubmittedNotebook, SubmittedNotebook.id == model.notebook_id) \
        .join(Notebook, Notebook.id == SubmittedNotebook.notebook_id) \
        .join(SubmittedAssignment, SubmittedAssignment.id == SubmittedNotebook.assignment_id) \
        .join(Assignment, Assignment.id == SubmittedAssignment.assignment_id) \
        .filter(Assignment.name == assignment, SubmittedAssignment.student_id == student)
    return {(notebook, cell): row for notebook, cell, row in rows}


def _entry(rows: dict, cell: tuple[str, str], kind: str):
    from nbgrader.api import MissingEntry

    if cell not in rows:
        raise MissingEntry(f"the gradebook has no {kind} for cell {cell[1]!r} of {cell[0]!r}: "
                           "regenerate the assignment (`python -m nbcourse generate`)")
    return rows[cell]


def record_zero_submission(course: Course, assignment: str, student: str) -> None:
    """Record ``student``'s submission of ``assignment`` with 0 on every graded cell.

    For a submission the grader cannot run at all (a notebook missing, or not valid
    notebook JSON): the student still appears in the gradebook, the CSVs and the report,
    with zero where nothing could be earned. A TA's manual scores are kept, as in
    :func:`record_submission`.
    """
    from nbgrader.api import Gradebook

    with Gradebook(real_db_url(course), course_id(course)) as real:
        target = _submission_of(real, assignment, student)
        for notebook in target.notebooks:
            for grade in notebook.grades:
                grade.auto_score = 0.0
                grade.needs_manual_grade = grade.manual_score is not None
        real.db.commit()


def _submission_of(gradebook, assignment: str, student: str):
    """The student's submission in ``gradebook``, created (with the student) if there is none yet."""
    import warnings

    from nbgrader.api import MissingEntry
    from sqlalchemy.exc import SAWarning

    gradebook.update_or_create_student(student)
    try:
        return gradebook.find_submission(assignment, student)
    except MissingEntry:
        with warnings.catch_warnings():  # nbgrader's add_submission trips SQLAlchemy's autoflush warning
            warnings.simplefilter("ignore", SAWarning)
            return gradebook.add_submission(assignment, student)
