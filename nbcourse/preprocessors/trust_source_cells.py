"""Cell roles, and the code of every test cell, from the instructor's source notebook.

A submission is a notebook file its author controls entirely, metadata included. Here
nothing of it but the cells' text counts: every cell's metadata is dropped except
nbgrader's, and nbgrader's role flags (grade, solution, locked, points) are taken from
the source notebook's cell of the same grade id; a grade id the source does not have,
or one used twice, makes an ordinary cell. Test cells the student deleted are put back
at their place. The test code that :class:`~nbcourse.preprocessors.checked_execute.CheckedExecute`
runs is the source notebook's, handed over in ``resources``.

nbgrader's own sanitize pass (``OverwriteCells``, ``CheckCellMetadata``) reads the
submission's metadata before any of this, and stops the whole submission on metadata it
finds inconsistent (a test cell re-marked as an answer, a graded cell with a grade id the
gradebook lacks). So the same step runs first in that pass too
(:class:`SourceRolesBeforeSanitize`); its notes reach the execution pass through this
process's memory, never through the notebook.
"""
from __future__ import annotations

import copy
import os
from pathlib import Path

import nbformat
from nbgrader.preprocessors import NbGraderPreprocessor

from ..cells import RESOURCES_KEY, METADATA_KEY, grade_id_of, is_test_cell

_ROLE_KEYS = ("grade", "solution", "locked", "task", "points", "grade_id", "schema_version")
# Notes of the sanitize pass, by (assignment, notebook, student), until the execution pass
# of the same notebook in the same nbgrader process takes them.
_SANITIZE_NOTES: dict[tuple, list[str]] = {}


def _notebook_key(resources) -> tuple:
    info = resources.get("nbgrader", {})
    return info.get("assignment"), info.get("notebook"), info.get("student")


class TrustSourceCells(NbGraderPreprocessor):
    """Before execution: metadata from the source notebook, deleted test cells put back."""

    def source_path(self, resources) -> Path:
        """``<course>/source/<assignment>/<notebook>.ipynb`` of the notebook being graded."""
        course = self.config.get("CourseDirectory", {})
        root = Path(course.get("root", os.getcwd()))
        info = resources["nbgrader"]
        return root / course.get("source_directory", "source") / info["assignment"] / f"{info['notebook']}.ipynb"

    def preprocess(self, nb, resources):
        source_nb = nbformat.read(self.source_path(resources), as_version=4)
        source_cells = {grade_id_of(cell): cell for cell in source_nb.cells if grade_id_of(cell)}
        notes, seen = [], set()
        nb.metadata.pop(METADATA_KEY, None)
        for cell in nb.cells:
            nbgrader_meta = cell.get("metadata", {}).get("nbgrader")
            cell.metadata = {}
            grade_id = (nbgrader_meta or {}).get("grade_id")
            source = source_cells.get(grade_id)
            if source is None or grade_id in seen or source.cell_type != cell.cell_type:
                if nbgrader_meta and grade_id and grade_id not in seen and source is None:
                    notes.append(f"a cell claimed grade id {grade_id!r}, which the assignment does not have; "
                                 "it was graded as an ordinary cell")
                continue
            seen.add(grade_id)
            trusted = dict(nbgrader_meta)
            trusted.update({key: source.metadata["nbgrader"][key] for key in _ROLE_KEYS
                            if key in source.metadata["nbgrader"]})
            for key in _ROLE_KEYS:
                if key not in source.metadata["nbgrader"]:
                    trusted.pop(key, None)
            cell.metadata["nbgrader"] = trusted
        notes += _restore_deleted_tests(nb, source_nb, seen)
        notes = _SANITIZE_NOTES.pop(_notebook_key(resources), []) + notes
        resources[RESOURCES_KEY] = {
            "source_notebook": source_nb,
            "source_path": str(self.source_path(resources)),
            "tests": {grade_id_of(cell): cell.source for cell in source_nb.cells if is_test_cell(cell)},
            "notes": notes,
        }
        return nb, resources


class SourceRolesBeforeSanitize(TrustSourceCells):
    """The same step, first in nbgrader's sanitize pass: its metadata checks then see the source's roles."""

    def preprocess(self, nb, resources):
        nb, resources = super().preprocess(nb, resources)
        _SANITIZE_NOTES[_notebook_key(resources)] = list(resources[RESOURCES_KEY]["notes"])
        return nb, resources


def _restore_deleted_tests(nb, source_nb, present: set) -> list[str]:
    """Insert the source's test cells missing from ``nb`` after the cell that precedes them there."""
    notes, previous_id = [], None
    for source_cell in source_nb.cells:
        grade_id = grade_id_of(source_cell)
        if is_test_cell(source_cell) and grade_id not in present:
            restored = copy.deepcopy(source_cell)
            restored.outputs, restored.execution_count = [], None
            position = next((index + 1 for index, cell in enumerate(nb.cells)
                             if previous_id is not None and grade_id_of(cell) == previous_id), 0)
            nb.cells.insert(position, restored)
            present.add(grade_id)
            notes.append(f"test cell {grade_id} was missing from the submission; it was put back and run")
        if grade_id in present:
            previous_id = grade_id
    return notes
