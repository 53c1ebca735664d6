"""What a notebook cell is to the grader, and where the grader keeps its own records.

Roles come from nbgrader's metadata (``nbgrader.utils``); a *test cell* is a code cell
that is graded and is not an answer.
"""
from nbgrader.utils import is_grade, is_solution

# Key of the grader's record in an autograded notebook's metadata (verdicts, notes).
METADATA_KEY = "nbcourse"
# Key under which the grading preprocessors pass trusted data along in ``resources``.
RESOURCES_KEY = "nbcourse"


def grade_id_of(cell) -> str | None:
    """The cell's nbgrader grade id, or None."""
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def is_test_cell(cell) -> bool:
    """An autograded test cell: a code cell that is graded and is not an answer."""
    return cell.get("cell_type") == "code" and "nbgrader" in cell.get("metadata", {}) \
        and is_grade(cell) and not is_solution(cell)
