"""Shared by the class-scale tests: a sample course whose cohort is handed in and autograded,
and the per-cell scores of a gradebook, to compare two ways of grading the same cohort."""
from __future__ import annotations

from nbgrader.api import Gradebook

from nbcourse.autograde import autograde
from nbcourse.generate import generate
from tests.support.sample import SAMPLE, hand_in, sample_cohort, sample_course


def graded_course(root, db_url: str | None = None, extra_submissions=None, only=None, **autograde_options):
    """A sample course at ``root`` (on the gradebook ``db_url`` if given) whose cohort
    (:func:`tests.support.sample.sample_cohort`, or its students ``only``, plus
    ``extra_submissions(course)``, a dict) is handed in and autograded with
    ``autograde_options`` (default: 2 local workers).

    Returns (course, outcomes); every submission must have been graded.
    """
    course = sample_course(root)
    if db_url:
        with open(course.root / "nbgrader_config.py", "a") as config:
            config.write(f"\nc.CourseDirectory.db_url = {db_url!r}\n")
    generate(course, progress=False)
    submissions = {student: nb for student, nb in sample_cohort(course).items() if only is None or student in only}
    submissions.update(extra_submissions(course) if extra_submissions else {})
    hand_in(course, submissions)
    options = {"workers": 2, "progress": False, "unsafe_no_sandbox": True, **autograde_options}
    outcomes = autograde(course, SAMPLE, **options)
    assert all(o.status == "graded" for o in outcomes), [(o.student, o.reason) for o in outcomes]
    return course, outcomes


def cell_scores(db_url: str) -> dict:
    """(student, grade id) -> (auto score, max score) of every graded cell of 00_sample."""
    with Gradebook(db_url) as gradebook:
        return {
            (submission.student.id, grade.name): (grade.auto_score, grade.max_score)
            for submission in gradebook.find_assignment(SAMPLE).submissions
            for notebook in submission.notebooks
            for grade in notebook.grades
        }
