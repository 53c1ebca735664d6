"""`check-tests` on a small assignment whose second test is deliberately weak.

`scale` is judged by values, so every behaviour-changing mutant of it dies. `row_means`
is judged only by the shape of its answer, so exactly the mutants that keep the shape
survive: dividing by m swapped for multiplying, and the division dropped.
"""
import shutil
from pathlib import Path

import pytest

from nbcourse.authoring import answer, code, write_notebook
from nbcourse.authoring import tests as graded_tests
from nbcourse.check_tests import format_report, grade_mutants, summarise, survivors_by_answer
from nbcourse.course import Course

ROOT = Path(__file__).resolve().parent.parent


def _weak_course(root: Path) -> Course:
    shutil.copy(ROOT / "nbgrader_config.py", root / "nbgrader_config.py")
    write_notebook(root / "source" / "00_weak" / "00_weak.ipynb", [
        code("import numpy as np"),
        answer("scale", """
            def scale(x):
                ### BEGIN SOLUTION
                return 2 * x
                ### END SOLUTION
        """),
        graded_tests("test_scale", 1, """
            assert scale(3) == 6
            assert scale(-1.5) == -3.0
        """),
        answer("row_means", """
            def row_means(X):
                ### BEGIN SOLUTION
                return np.sum(X, axis=1, keepdims=True) / X.shape[1]
                ### END SOLUTION
        """),
        graded_tests("test_row_means", 1, """
            # deliberately weak: only the shape is checked
            assert row_means(np.ones((2, 3))).shape == (2, 1)
        """),
    ])
    return Course(root)


@pytest.mark.xdist_group("check-tests")
def test_check_tests_reports_exactly_the_mutants_the_weak_test_lets_through(tmp_path):
    course = _weak_course(tmp_path)
    grading = grade_mutants(course, "00_weak", workers=2, progress=False)
    report = summarise(grading, equivalent={})

    survivors = {(m.grade_id, m.operator, m.after) for m in report.survivors}
    assert survivors == {
        ("row_means", "swap-operator", "(np.sum(X, axis=1, keepdims=True) * X.shape[1])"),
        ("row_means", "drop-right-term", "(np.sum(X, axis=1, keepdims=True))"),
    }
    by_answer = {a.answer: a for a in report.answers}
    assert by_answer["scale"].kill_rate == 1.0 and by_answer["scale"].tests == ["test_scale"]
    assert by_answer["row_means"].killed == by_answer["row_means"].mutants - 2
    assert list(survivors_by_answer(report)) == ["row_means"]
    # every killed mutant names the test cell that caught it
    assert all(killers for mutant_id, killers in report.killers.items()
               if mutant_id not in {m.id for m in report.survivors})

    text = format_report(report)
    assert "Surviving mutants" in text and "* X.shape[1]" in text

    # reviewing one survivor as equivalent takes it out of the count
    reviewed = {report.survivors[0].id: "reviewed in this test"}
    again = summarise(grading, equivalent=reviewed)
    assert len(again.survivors) == 1 and len(again.equivalent) == 1
    assert again.kill_rate > report.kill_rate


def test_equivalent_mutants_need_a_reason(tmp_path):
    from nbcourse.check_tests import equivalent_ids
    from nbcourse.course import CourseError

    (tmp_path / "equivalent_mutants_00_weak.txt").write_text(
        "# reviewed by the author\nrow_means:swap-operator:abc  # epsilon only\n\n")
    assert equivalent_ids("00_weak", tmp_path) == {"row_means:swap-operator:abc": "epsilon only"}
    (tmp_path / "equivalent_mutants_00_weak.txt").write_text("row_means:swap-operator:abc\n")
    with pytest.raises(CourseError, match="say why mutant row_means:swap-operator:abc is equivalent"):
        equivalent_ids("00_weak", tmp_path)
