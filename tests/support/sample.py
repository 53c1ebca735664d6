"""A tiny assignment and a throw-away course around it, for tests, the benchmark and the browser check.

The assignment ``00_sample`` imports only NumPy, so a submission grades in about a second:
what is measured is the pipeline, not a lesson's TensorFlow start-up.
"""
from __future__ import annotations

from pathlib import Path

import nbformat

from nbcourse import authoring as nb
from nbcourse.authoring import Mistake, apply_mistake, fill_answers
from nbcourse.course import Course, private_copy

SAMPLE = "00_sample"

MISTAKES = [
    Mistake("sigmoid computed as exp(-z)", "sigmoid", "1 / (1 + np.exp(-z))", "np.exp(-z)", ("test_sigmoid",)),
    Mistake("mean squared error without the 1/m", "mse", "np.mean((y_hat - y) ** 2)", "np.sum((y_hat - y) ** 2)",
            ("test_mse",)),
]


def sample_cells() -> list:
    """The cells of ``00_sample``: two functions, their tests, one written answer."""
    return [
        nb.md("# Sample assignment\n\nTwo small functions, to try the grading cycle end to end."),
        nb.code("import numpy as np", grade_id="imports", locked=True),
        nb.md("**1.** The sigmoid $\\sigma(z) = 1 / (1 + e^{-z})$, element-wise."),
        nb.answer("sigmoid", """
            def sigmoid(z):
                ### BEGIN SOLUTION
                return 1 / (1 + np.exp(-z))
                ### END SOLUTION
        """),
        nb.tests("test_sigmoid", 2, """
            assert abs(sigmoid(0.0) - 0.5) < 1e-12, "sigmoid(0) should be 0.5"
            ### BEGIN HIDDEN TESTS
            z = np.linspace(-5, 5, 11)
            assert np.allclose(sigmoid(z) + sigmoid(-z), 1), "sigmoid(z) + sigmoid(-z) should be 1"
            ### END HIDDEN TESTS
        """),
        nb.md("**2.** The mean squared error $\\frac{1}{m}\\sum_i (\\hat y_i - y_i)^2$."),
        nb.answer("mse", """
            def mse(y_hat, y):
                ### BEGIN SOLUTION
                return np.mean((y_hat - y) ** 2)
                ### END SOLUTION
        """),
        nb.tests("test_mse", 3, """
            assert mse(np.array([1.0, 3.0]), np.array([1.0, 1.0])) == 2.0, "mse([1, 3], [1, 1]) should be 2"
            ### BEGIN HIDDEN TESTS
            y = np.arange(10.0)
            assert np.isclose(mse(y + 3, y), 9.0), "shifting every prediction by 3 costs 9"
            ### END HIDDEN TESTS
        """),
        nb.written("why_sigmoid", 1, "It maps any real number into (0, 1), so it reads as a probability."),
    ]


def write_sample(course: Course) -> Path:
    """Write ``source/00_sample/00_sample.ipynb`` into ``course``."""
    return nb.write_notebook(course.source / SAMPLE / f"{SAMPLE}.ipynb", sample_cells())


def sample_course(dest: str | Path, real_course: Course | None = None) -> Course:
    """A new course at ``dest`` with the real course's config and only ``00_sample`` in it.

    The copy has its own gradebook and exchange (see :func:`nbcourse.course.private_copy`).
    """
    real_course = real_course or Course.at(Path(__file__).resolve().parents[2])
    course = private_copy(real_course, Path(dest), assignments=[])
    write_sample(course)
    return course


def sample_cohort(course: Course) -> dict:
    """Student id -> submitted notebook of ``00_sample``, one of each kind a grader meets.

    ``solution`` (full marks), ``blank`` (the release untouched), ``partial`` (only
    ``mse`` answered) and ``mistake-<i>`` (the solution with ``MISTAKES[i]``).
    Needs ``release/00_sample`` (run :func:`nbcourse.generate.generate` first).
    """
    release_nb, source_nb = _release_and_source(course)
    solution = fill_answers(release_nb, source_nb)
    cohort = {"solution": solution, "blank": release_nb, "partial": fill_answers(release_nb, source_nb, only=["mse"])}
    cohort.update({f"mistake-{index}": apply_mistake(solution, mistake) for index, mistake in enumerate(MISTAKES)})
    return cohort


def solution_running_first(course: Course, code: str):
    """The full solution of ``00_sample`` whose ``sigmoid`` answer cell runs ``code`` first
    (a submission that sleeps, crashes or reports where it runs)."""
    filled = fill_answers(*_release_and_source(course))
    cell = next(c for c in filled.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "sigmoid")
    cell.source = code + "\n" + cell.source
    return filled


def write_submission(submitted: Path, assignment: str, student: str, notebooks: dict, timestamp: str) -> Path:
    """Write ``<submitted>/<student>/<assignment>/<name>.ipynb`` for each name -> notebook and
    ``timestamp.txt``, as ``collect`` leaves a submission; return the folder."""
    folder = Path(submitted) / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    for name, notebook in notebooks.items():
        nbformat.write(notebook, folder / f"{name}.ipynb")
    (folder / "timestamp.txt").write_text(timestamp)
    return folder


def hand_in(course: Course, submissions: dict, assignment: str = SAMPLE,
            timestamp: str = "2026-11-01 12:00:00.000000 UTC") -> list[str]:
    """Write each student's notebook (student -> notebook) as ``submitted/<student>/<assignment>/<assignment>.ipynb``
    with :func:`write_submission`; return the students, sorted."""
    for student, notebook in submissions.items():
        write_submission(course.submitted, assignment, student, {assignment: notebook}, timestamp)
    return sorted(submissions)


def _release_and_source(course: Course):
    return (nbformat.read(course.release / SAMPLE / f"{SAMPLE}.ipynb", as_version=4),
            nbformat.read(course.source / SAMPLE / f"{SAMPLE}.ipynb", as_version=4))
