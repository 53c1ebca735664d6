"""``release`` and ``collect``: moving assignments through nbgrader's exchange directory.

The exchange is a folder students and instructors share (on one machine, a JupyterHub or
a network mount)::

    <exchange>/<course_id>/outbound/<a>/      released assignment, students fetch it
    <exchange>/<course_id>/inbound/<student>+<a>+<time>+<id>/   a submission

nbgrader insists on its permissions: the root must be world-writable (0777), ``inbound``
writable but not listable by students (0733), ``outbound`` readable (0755). We create
the root with the right mode before nbgrader sees it, and turn a permission problem into
a message naming the folder and the command that fixes it.
"""
from __future__ import annotations

import os
import secrets
import stat
from datetime import datetime, timezone
from pathlib import Path

from . import submission_owner
from .course import Course, CourseError
from .gradebook import course_id, exchange_root

ROOT_MODE = 0o777


def resolve_exchange(course: Course, exchange: str | Path | None) -> Path:
    """The exchange root to use: ``exchange`` if given, else the course config's (``exchange/`` in the course)."""
    return Path(exchange).resolve() if exchange else exchange_root(course)


def ensure_exchange(root: Path) -> Path:
    """Create ``root`` with mode 0777, or fix the mode of an existing one; clear error if we cannot."""
    try:
        root.mkdir(parents=True, exist_ok=True)
        if stat.S_IMODE(root.stat().st_mode) != ROOT_MODE:
            os.chmod(root, ROOT_MODE)  # mkdir's mode is masked by the umask; nbgrader wants exactly 0777
    except PermissionError:
        raise CourseError(
            f"the exchange directory {root} must be world-writable (mode 0777) and we may not change it: "
            f"ask its owner to run `chmod 0777 {root}`, or pass --exchange DIR"
        ) from None
    return root


def release(course: Course, assignment: str, exchange: str | Path | None = None) -> Path:
    """Put ``release/<assignment>/`` into the exchange (replacing an earlier release); return its folder there."""
    course.require_assignment(assignment)
    if not (course.release / assignment).is_dir():
        raise CourseError(f"release/{assignment}/ does not exist: run `python -m nbcourse generate {assignment}` first")
    root = ensure_exchange(resolve_exchange(course, exchange))
    course.nbgrader("release_assignment", assignment, "--force", f"--Exchange.root={root}")
    return root / course_id(course) / "outbound" / assignment


def release_feedback(course: Course, assignment: str, exchange: str | Path | None = None) -> Path:
    """Put ``feedback/<student>/<assignment>/`` of every student into the exchange, where only they can fetch it.

    nbgrader names each page in ``<exchange>/<course>/feedback/`` (mode 0711: not listable)
    by a hash of the student's own submission, so a student finds only their own.
    """
    course.require_assignment(assignment)
    if not any(course.feedback.glob(f"*/{assignment}")):
        raise CourseError(f"no feedback of {assignment!r} in {course.feedback}/: "
                          f"run `python -m nbcourse feedback {assignment}` first")
    root = ensure_exchange(resolve_exchange(course, exchange))
    course.nbgrader("release_feedback", assignment, f"--Exchange.root={root}")
    return root / course_id(course) / "feedback"


def inbound_entries(course: Course, assignment: str, root: Path) -> list[tuple[str, Path]]:
    """(student, folder) of every submission of ``assignment`` waiting in the exchange's inbound folder."""
    inbound = root / course_id(course) / "inbound"
    if not inbound.is_dir():
        return []
    entries = []
    for folder in sorted(inbound.iterdir()):
        # <student>+<assignment>+<timestamp>+<random>; student ids may contain "+", so split from the right.
        # Hidden names are not submissions (nbgrader skips them; refused ones are renamed so).
        parts = folder.name.rsplit("+", 3)
        if not folder.name.startswith(".") and len(parts) == 4 and parts[1] == assignment:
            entries.append((parts[0], folder))
    return entries


def collect(course: Course, assignment: str, exchange: str | Path | None = None) -> list[str]:
    """Copy every student's latest submission of ``assignment`` into ``submitted/``; return the students.

    nbgrader keeps the newest submission per student (``--update`` replaces an older
    collected copy). A submission not owned by the student it names is set aside
    (renamed ``.refused-<name>``) first (:mod:`nbcourse.submission_owner`; :func:`refuse_foreign`
    reports them). Symbolic links, special files and other users' hard links in a
    submission are not copied (:mod:`nbcourse.exchange_collect`);
    :func:`nbcourse.submission_files.refused_at_collect` says which. Raises CourseError when
    the exchange holds none.
    """
    course.require_assignment(assignment)
    root = resolve_exchange(course, exchange)
    refuse_foreign(course, assignment, exchange)
    waiting = sorted({student for student, _ in inbound_entries(course, assignment, root)})
    if not waiting:
        raise CourseError(
            f"no submissions of {assignment!r} in the exchange {root / course_id(course) / 'inbound'} "
            "(have students submitted? is --exchange right?)"
        )
    from .submission_files import record_collected, refused_at_collect, remove_links

    # The checked collect (owners, then a copy that follows no link), whatever the course's config says.
    course.nbgrader("collect", assignment, "--update", f"--Exchange.root={root}",
                    f"--ExchangeFactory.collect={submission_owner.CLASS_PATH}")
    # And nothing that reached submitted/ is a link: a copy made by other means is cleaned too.
    for student in waiting:
        folder = course.submitted / student / assignment
        removed = remove_links(folder) if os.path.lexists(folder) else []
        if removed:
            earlier = refused_at_collect(course.root, assignment).get(student, [])
            record_collected(course.root, assignment, student, [*earlier, *removed])
    return waiting


def refuse_foreign(course: Course, assignment: str, exchange: str | Path | None = None) -> list:
    """Set aside the submissions of ``assignment`` not owned by the student they name; return them.

    Each is a :class:`nbcourse.submission_owner.Refusal` (student, folder now, reason).
    """
    course_path = resolve_exchange(course, exchange) / course_id(course)
    try:
        return submission_owner.refuse_foreign(course_path, assignment)
    except PermissionError as error:
        raise CourseError(f"a submission not owned by its student cannot be set aside in "
                          f"{course_path / 'inbound'}: {error}") from None


def submit_as(course: Course, assignment: str, student: str, notebooks: dict, exchange: str | Path | None = None,
              when: datetime | None = None) -> Path:
    """Hand in ``notebooks`` (name -> NotebookNode) as ``student`` would with ``nbgrader submit``.

    Writes ``inbound/<student>+<assignment>+<timestamp>+<random>/`` with the notebooks and
    ``timestamp.txt``, in nbgrader's format, without starting an nbgrader process per
    student (simulated cohorts: demo, benchmark). Returns the folder written.
    """
    import nbformat

    root = resolve_exchange(course, exchange)
    inbound = root / course_id(course) / "inbound"
    if not inbound.is_dir():
        raise CourseError(f"the exchange has no {inbound}: release {assignment!r} first")
    stamp = (when or datetime.now(timezone.utc)).strftime("%Y-%m-%d %H:%M:%S.%f %Z")
    folder = inbound / f"{student}+{assignment}+{stamp}+{secrets.token_urlsafe(9)}"
    folder.mkdir()
    for name, notebook in notebooks.items():
        nbformat.write(notebook, folder / f"{name}.ipynb")
    (folder / "timestamp.txt").write_text(stamp)
    return folder


def withdraw(course: Course, assignment: str, students: list[str], exchange: str | Path | None = None) -> None:
    """Delete the exchange's inbound submissions of ``assignment`` by ``students`` (a demo rerun starts clean)."""
    import shutil

    for student, folder in inbound_entries(course, assignment, resolve_exchange(course, exchange)):
        if student in students:
            shutil.rmtree(folder)
