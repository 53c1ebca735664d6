"""The grading round trip of every assignment, through the course's own pipeline
(`nbcourse.autograde`: real nbgrader, test cells checked outside the kernel) and `nbgrader export`.

Per assignment, ONE autograde run grades a whole cohort built from the source notebook
(tests/nbgrader_harness.py, :func:`standard_cohort`); the tests below read its results:

- ``solution``: the source's solutions filled into the release -- full marks on every
  autograded test cell;
- ``blank``: the release handed in untouched -- graded without crashing, zero on every
  autograded test cell;
- every mistake of ``authoring/mistakes_<assignment>.py`` (one test each, named after the
  mistake) -- below full marks on the test cells that judge it, and below full on every
  test cell the mistake lists. Several mistakes share a submission when their windows
  (answer cell to last listed test) do not overlap, with the solution's state restored after
  each; the harness checks every such combination in the same run and grades a mistake
  alone, as its own student, wherever a check fails (``grade_cohort(..., combine=True)``);
- the export CSV agrees with the gradebook.

All tests of one assignment share an xdist group, so they run on one worker and the
cohort is graded once per assignment.
"""
import re

import pytest

from nbcourse.authoring import load_mistakes
from nbgrader_harness import (
    Course, CohortResult, export_problems, grade_cohort, mistake_problems,
    solution_and_blank_problems, source_assignments,
)

ASSIGNMENTS = source_assignments()


def _group(assignment):
    return pytest.mark.xdist_group(f"nbgrader-{assignment}")


def _slug(text):
    return re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_")


ASSIGNMENT_PARAMS = [pytest.param(a, id=a, marks=_group(a)) for a in ASSIGNMENTS]
def _load_all_mistakes():
    """``{assignment: [Mistake, ...]}``, read once so that the tests and the graded cohort
    use the same list; a broken mistakes file gives an empty list here and fails
    ``test_every_assignment_lists_its_mistakes``, not the whole collection."""
    mistakes = {}
    for a in ASSIGNMENTS:
        try:
            mistakes[a] = load_mistakes(a)
        except Exception:  # noqa: BLE001
            mistakes[a] = []
    return mistakes


MISTAKES = _load_all_mistakes()
MISTAKE_PARAMS = [
    pytest.param(a, index, id=f"{a}-{_slug(mistake.name)}", marks=_group(a))
    for a in ASSIGNMENTS for index, mistake in enumerate(MISTAKES[a])
]


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """``graded(assignment)`` -> the CohortResult, computed once per assignment and worker."""
    results: dict = {}

    def get(assignment) -> CohortResult:
        if assignment not in results:
            try:
                course = Course(tmp_path_factory.mktemp(f"course-{assignment}"), [assignment])
                results[assignment] = grade_cohort(course, assignment, MISTAKES[assignment], combine=True)
            except Exception as error:  # every test of the assignment reports the same failure
                results[assignment] = error
        if isinstance(results[assignment], Exception):
            raise results[assignment]
        return results[assignment]

    return get


def _only(result: CohortResult, label: str) -> CohortResult:
    """``result`` restricted to one mistake (for a per-mistake verdict)."""
    return CohortResult(**{**vars(result), "mistakes": {label: result.mistakes[label]}})


@pytest.mark.parametrize("assignment", ASSIGNMENT_PARAMS)
def test_solution_gets_full_marks_and_blank_gets_zero(graded, assignment):
    problems = solution_and_blank_problems(graded(assignment))
    assert not problems, f"{assignment}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("assignment, index", MISTAKE_PARAMS)
def test_mistake_loses_points(graded, assignment, index):
    result = graded(assignment)
    student = f"mistake_{index + 1:02d}"
    problems = mistake_problems(_only(result, student))
    others = [problem for problem in mistake_problems(result) if problem not in problems]
    assert not problems, "\n  ".join(problems + ["other mistakes of this assignment that survived:"]
                                     + (others or ["none"]))


@pytest.mark.parametrize("assignment", ASSIGNMENT_PARAMS)
def test_export_agrees_with_the_gradebook(graded, assignment):
    problems = export_problems(graded(assignment))
    assert not problems, f"{assignment}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("assignment", [pytest.param(a, id=a) for a in ASSIGNMENTS])
def test_every_assignment_lists_its_mistakes(assignment):
    mistakes = load_mistakes(assignment)
    assert mistakes, f"authoring/mistakes_{assignment}.py is missing or its MISTAKES list is empty"
    names = [mistake.name for mistake in mistakes]
    assert len(set(names)) == len(names), f"{assignment}: two mistakes share a name"
    without_tests = [mistake.name for mistake in mistakes if not mistake.tests]
    assert not without_tests, f"{assignment}: mistakes that list no test cell to fail: {without_tests}"
