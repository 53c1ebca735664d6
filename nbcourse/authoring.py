"""Build nbgrader notebooks from plain Python, so that cell metadata is never hand-edited.

Each assignment has a builder script in ``authoring/`` that lists its cells with the
functions below and calls :func:`write_notebook`. ``make notebooks`` runs every builder;
the result is ``source/<assignment>/<assignment>.ipynb``, which ``nbgrader
generate_assignment`` turns into the student version.

Cell kinds (nbgrader metadata schema 3):

- :func:`md` / :func:`code`: ordinary cells (explanations, worked examples, demos);
  ``locked=True`` makes them read-only in the student's notebook.
- :func:`answer`: an autograded answer cell; the body must contain
  ``### BEGIN SOLUTION`` / ``### END SOLUTION`` (the region is replaced by
  ``raise NotImplementedError()`` in the release).
- :func:`tests`: a locked, graded test cell worth ``points``; hidden parts sit between
  ``### BEGIN HIDDEN TESTS`` and ``### END HIDDEN TESTS``.
- :func:`written`: a manually graded markdown answer (the model answer is replaced by
  "YOUR ANSWER HERE" in the release).
"""
from __future__ import annotations

import textwrap
from pathlib import Path

import nbformat

SCHEMA_VERSION = 3
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def _clean(text: str) -> str:
    return textwrap.dedent(text).strip("\n")


def _nbgrader(grade_id, *, grade=False, solution=False, locked=False, points=None):
    meta = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": SCHEMA_VERSION,
        "solution": solution,
        "task": False,
    }
    if grade:
        meta["points"] = points
    return {"nbgrader": meta}


def md(text: str, *, grade_id: str | None = None, locked: bool = False):
    """A markdown cell; give ``grade_id`` and ``locked=True`` to make it read-only."""
    cell = nbformat.v4.new_markdown_cell(_clean(text))
    if locked:
        cell.metadata.update(_nbgrader(grade_id, locked=True))
    return cell


def code(source: str, *, grade_id: str | None = None, locked: bool = False):
    """A code cell (explanation, worked example or demo); optionally read-only."""
    cell = nbformat.v4.new_code_cell(_clean(source))
    if locked:
        cell.metadata.update(_nbgrader(grade_id, locked=True))
    return cell


def answer(grade_id: str, source: str):
    """An autograded answer cell. ``source`` must hold one solution region."""
    body = _clean(source)
    if "### BEGIN SOLUTION" not in body or "### END SOLUTION" not in body:
        raise ValueError(f"answer cell {grade_id!r} has no ### BEGIN SOLUTION / ### END SOLUTION region")
    cell = nbformat.v4.new_code_cell(body)
    cell.metadata.update(_nbgrader(grade_id, solution=True))
    return cell


def tests(grade_id: str, points: float, source: str):
    """A locked, autograded test cell worth ``points``."""
    if points <= 0:
        raise ValueError(f"test cell {grade_id!r} must be worth a positive number of points, got {points}")
    cell = nbformat.v4.new_code_cell(_clean(source))
    cell.metadata.update(_nbgrader(grade_id, grade=True, locked=True, points=points))
    return cell


def written(grade_id: str, points: float, model_answer: str):
    """A manually graded markdown answer; ``model_answer`` stays in source/ only."""
    cell = nbformat.v4.new_markdown_cell(_clean(model_answer))
    cell.metadata.update(_nbgrader(grade_id, grade=True, solution=True, points=points))
    return cell


def _require_python(cell, index: int, path: Path) -> None:
    """A code cell that does not parse fails here, at ``make notebooks``, not in a kernel or the checker."""
    import ast

    from IPython.core.inputtransformer2 import TransformerManager

    try:
        ast.parse(TransformerManager().transform_cell(cell.source))
    except SyntaxError as error:
        name = cell.metadata.get("nbgrader", {}).get("grade_id") or f"cell {index}"
        raise ValueError(f"{path.name}: {name} is not valid Python: {error.msg} "
                         f"(line {error.lineno}: {(error.text or '').strip()})") from None


def write_notebook(path: str | Path, cells: list) -> Path:
    """Write ``cells`` as a validated notebook at ``path`` (parents created).

    Grade ids must be unique and every code cell must parse; cell ids are derived from
    the grade ids (or from the position) so that rebuilding an unchanged builder gives a
    byte-identical file.
    """
    path = Path(path)
    seen = set()
    for index, cell in enumerate(cells):
        if cell.cell_type == "code":
            _require_python(cell, index, path)
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id:
            if grade_id in seen:
                raise ValueError(f"duplicate grade_id {grade_id!r} in {path}")
            seen.add(grade_id)
        cell["id"] = (grade_id or f"cell-{index:03d}").replace("_", "-")
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = {"name": "python"}
    nbformat.validate(nb)
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


# --- Student submissions built from the source notebook ------------------------------
# Tests and the demo cohort both need "a student who wrote the solution", "a student who
# left it blank" and "a student who made this one mistake"; they are built here, once.

import copy
import importlib.util
from dataclasses import dataclass

AUTHORING_DIR = Path(__file__).resolve().parent.parent / "authoring"
_BEGIN, _END = "### BEGIN SOLUTION", "### END SOLUTION"


@dataclass(frozen=True)
class Mistake:
    """One typical mistake: replace ``old`` by ``new`` in the answer cell ``grade_id``.

    ``name`` says the mistake in the course spec's words, e.g.
    "sigmoid derivative computed as sigmoid(z)"; ``tests`` lists the test cells that must
    lose points because of it.
    """

    name: str
    grade_id: str
    old: str
    new: str
    tests: tuple[str, ...] = ()


def load_mistakes(assignment: str) -> list[Mistake]:
    """The ``MISTAKES`` list of ``authoring/mistakes_<assignment>.py`` (empty if absent)."""
    path = AUTHORING_DIR / f"mistakes_{assignment}.py"
    if not path.exists():
        return []
    spec = importlib.util.spec_from_file_location(f"mistakes_{assignment}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return list(module.MISTAKES)


def _cells_by_grade_id(nb):
    return {
        cell.metadata["nbgrader"]["grade_id"]: cell
        for cell in nb.cells
        if cell.metadata.get("nbgrader", {}).get("grade_id")
    }


def _without_markers(source: str) -> str:
    lines = [line for line in source.splitlines() if line.strip() not in (_BEGIN, _END)]
    return "\n".join(lines)


def fill_answers(release_nb, source_nb, *, only=None):
    """A copy of ``release_nb`` whose answer cells hold the source's solutions.

    ``only``: an iterable of grade ids to fill (default: every answer cell, code and
    written). Solution markers are dropped, as a student's notebook would not have them.
    """
    filled = copy.deepcopy(release_nb)
    solutions = _cells_by_grade_id(source_nb)
    for grade_id, cell in _cells_by_grade_id(filled).items():
        if not cell.metadata["nbgrader"].get("solution"):
            continue
        if only is not None and grade_id not in only:
            continue
        cell.source = _without_markers(solutions[grade_id].source)
    return filled


def apply_mistake(nb, mistake: Mistake):
    """A copy of ``nb`` with ``mistake`` made in its answer cell (``old`` must occur once)."""
    mistaken = copy.deepcopy(nb)
    cell = _cells_by_grade_id(mistaken).get(mistake.grade_id)
    if cell is None:
        raise ValueError(f"mistake {mistake.name!r}: no cell with grade_id {mistake.grade_id!r}")
    count = cell.source.count(mistake.old)
    if count != 1:
        raise ValueError(
            f"mistake {mistake.name!r}: {mistake.old!r} occurs {count} times in cell "
            f"{mistake.grade_id!r}, expected exactly once"
        )
    cell.source = cell.source.replace(mistake.old, mistake.new)
    return mistaken
