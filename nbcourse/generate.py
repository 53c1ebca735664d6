"""``generate``: the student versions in ``release/`` from the instructor notebooks in ``source/``.

``nbgrader generate_assignment <a> --force`` strips the solutions and hidden tests and
records the assignment's cells in the gradebook (autograde needs them). ``--check``
regenerates into a temporary private copy and compares it with the committed
``release/``, so CI can tell when someone edited ``source/`` and forgot to regenerate.
"""
from __future__ import annotations

import filecmp
import json
import tempfile
from pathlib import Path

from tqdm import tqdm

from .course import Course, private_copy


def generate(course: Course, assignments: list[str] | None = None, *, progress: bool = True) -> list[str]:
    """Regenerate ``release/<a>/`` for each of ``assignments`` (default: all in ``source/``).

    Returns the assignments generated; an empty list when ``source/`` has none.
    """
    names = _selected(course, assignments)
    _create_sqlite_gradebook(course)
    for assignment in tqdm(names, desc="generate", unit="assignment", disable=not progress or not names):
        course.nbgrader("generate_assignment", assignment, "--force")
    return names


def _create_sqlite_gradebook(course: Course) -> None:
    """Make the course's gradebook if it is an SQLite file that does not exist yet.

    nbgrader would make it in the first command, 3 s slower (:func:`~nbcourse.gradebook.new_sqlite_gradebook`).
    """
    from sqlalchemy.engine import make_url

    from .gradebook import new_sqlite_gradebook, real_db_url

    url = make_url(real_db_url(course))
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:" or url.query:
        return
    path = course.root / url.database  # a relative path is read from the course root, as nbgrader runs there
    if not path.exists() and path.parent.is_dir():
        new_sqlite_gradebook(path)


def stale_release(course: Course, assignments: list[str] | None = None, *, progress: bool = True) -> list[str]:
    """Differences between the committed ``release/`` and a fresh ``generate``; empty when up to date.

    Each difference is one line naming the file (and, for notebooks, the cells) that differ.
    """
    names = _selected(course, assignments)
    with tempfile.TemporaryDirectory(prefix="nbcourse-check-") as tmp:
        fresh = private_copy(course, Path(tmp), names)
        generate(fresh, names, progress=progress)
        problems = []
        for assignment in names:
            problems += _compare_trees(course.release / assignment, fresh.release / assignment,
                                       label=f"release/{assignment}")
    if assignments is None and course.release.is_dir():
        for folder in sorted(course.release.iterdir()):
            if folder.is_dir() and folder.name not in names:
                problems.append(f"release/{folder.name}/ has no source/{folder.name}/{folder.name}.ipynb")
    return problems


def _selected(course: Course, assignments: list[str] | None) -> list[str]:
    if assignments:
        return [course.require_assignment(name) for name in assignments]
    return course.assignments()


def _compare_trees(committed: Path, fresh: Path, label: str) -> list[str]:
    """Lines describing how the directory ``committed`` differs from ``fresh``."""
    if not committed.is_dir():
        return [f"{label}/ is missing (run `python -m nbcourse generate`)"]
    committed_files = {p.relative_to(committed) for p in committed.rglob("*") if p.is_file()}
    fresh_files = {p.relative_to(fresh) for p in fresh.rglob("*") if p.is_file()}
    problems = [f"{label}/{name} is missing" for name in sorted(fresh_files - committed_files)]
    problems += [f"{label}/{name} should not be there" for name in sorted(committed_files - fresh_files)]
    for name in sorted(committed_files & fresh_files):
        if filecmp.cmp(committed / name, fresh / name, shallow=False):
            continue
        if name.suffix == ".ipynb":
            cells = _differing_cells(committed / name, fresh / name)
            problems.append(f"{label}/{name} differs in cells: {', '.join(cells) or 'notebook metadata'}")
        else:
            problems.append(f"{label}/{name} differs")
    return problems


def _differing_cells(committed: Path, fresh: Path) -> list[str]:
    """Ids of the cells whose source or metadata differ between two notebooks."""
    def cells(path):
        return {cell.get("id", str(i)): (cell["source"], cell.get("metadata"))
                for i, cell in enumerate(json.loads(path.read_text())["cells"])}

    old, new = cells(committed), cells(fresh)
    return sorted(key for key in old.keys() | new.keys() if old.get(key) != new.get(key))
