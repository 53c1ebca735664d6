"""A submission nbgrader cannot open still gets a grade (0), feedback saying why, and a line
in the report; the honest student beside it is graded as usual."""
import pytest
from nbgrader.api import Gradebook

from nbcourse.autograde import autograde
from nbcourse.generate import generate
from nbcourse.gradebook import real_db_url
from nbcourse.report import build_report
from tests.support.sample import SAMPLE, hand_in, sample_cohort, sample_course

pytestmark = pytest.mark.xdist_group("pipeline")


def test_malformed_and_missing_notebooks_score_zero_with_feedback(tmp_path):
    course = sample_course(tmp_path / "course")
    generate(course, progress=False)
    hand_in(course, {"solution": sample_cohort(course)["solution"]})
    broken = course.submitted / "broken" / SAMPLE
    broken.mkdir(parents=True)
    (broken / f"{SAMPLE}.ipynb").write_text('{"cells": [ this is not json')
    renamed = course.submitted / "renamed" / SAMPLE
    renamed.mkdir(parents=True)
    (renamed / "my_work.ipynb").write_text((course.release / SAMPLE / f"{SAMPLE}.ipynb").read_text())

    outcomes = {o.student: o for o in autograde(course, SAMPLE, workers=2, progress=False, unsafe_no_sandbox=True)}

    assert outcomes["solution"].status == "graded"
    assert outcomes["broken"].status == "unreadable" and "not a readable notebook" in outcomes["broken"].reason
    assert outcomes["renamed"].status == "unreadable" and f"{SAMPLE}.ipynb is missing" in outcomes["renamed"].reason
    with Gradebook(real_db_url(course)) as gradebook:
        assert gradebook.find_submission(SAMPLE, "solution").score == 5  # 2 + 3 autograded, written answer pending
        for student in ("broken", "renamed"):
            grades = [g for nb in gradebook.find_submission(SAMPLE, student).notebooks for g in nb.grades]
            assert {g.name for g in grades} == {"test_sigmoid", "test_mse", "why_sigmoid"}
            assert all(g.score == 0 and not g.needs_manual_grade for g in grades)
    for student in ("broken", "renamed"):
        page = (course.feedback / student / SAMPLE / f"{SAMPLE}.html").read_text()
        assert "could not be graded" in page and outcomes[student].reason.split(" (")[0] in page
    report = build_report(course).read_text()
    assert "<td>broken</td>" in report and "<td>renamed</td>" in report and "unreadable" in report
