"""The PostgreSQL gradebook: a parallel autograde writing to a real server on loopback
gives, cell for cell, the grades of the same cohort graded with the embedded SQLite one."""
from __future__ import annotations

import nbformat
import pytest
from nbgrader.api import Gradebook

import postgres
from nbcourse.authoring import apply_mistake, fill_answers
from nbcourse.autograde import autograde
from nbcourse.generate import generate
from nbcourse.gradebook import real_db_url
from nbcourse.sample import MISTAKES, SAMPLE, sample_course

pytestmark = [
    pytest.mark.xdist_group("class-scale"),
    pytest.mark.skipif(not postgres.available()[0], reason=postgres.available()[1]),
]


def cohort(course) -> dict:
    release_nb = nbformat.read(course.release / SAMPLE / f"{SAMPLE}.ipynb", as_version=4)
    source_nb = nbformat.read(course.source / SAMPLE / f"{SAMPLE}.ipynb", as_version=4)
    solution = fill_answers(release_nb, source_nb)
    students = {"solution": solution, "blank": release_nb,
                "partial": fill_answers(release_nb, source_nb, only=["mse"])}
    students.update({f"mistake-{i}": apply_mistake(solution, m) for i, m in enumerate(MISTAKES)})
    return students


def graded_course(root, db_url: str | None):
    """A sample course (optionally on ``db_url``), its cohort handed in and autograded by 2 workers."""
    course = sample_course(root)
    if db_url:
        with open(course.root / "nbgrader_config.py", "a") as config:
            config.write(f"\nc.CourseDirectory.db_url = {db_url!r}\n")
    generate(course, progress=False)
    for student, nb in cohort(course).items():
        folder = course.submitted / student / SAMPLE
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / f"{SAMPLE}.ipynb")
        (folder / "timestamp.txt").write_text("2026-11-01 12:00:00.000000 UTC")
    outcomes = autograde(course, SAMPLE, workers=2, progress=False, unsafe_no_sandbox=True)
    assert all(o.status == "graded" for o in outcomes), [(o.student, o.reason) for o in outcomes]
    return course


def cell_scores(db_url: str) -> dict:
    with Gradebook(db_url) as gradebook:
        return {
            (submission.student.id, grade.name): (grade.auto_score, grade.max_score)
            for submission in gradebook.find_assignment(SAMPLE).submissions
            for notebook in submission.notebooks
            for grade in notebook.grades
        }


def test_parallel_autograde_into_postgresql_equals_sqlite(tmp_path):
    with postgres.postgres_server() as url:
        on_postgres = graded_course(tmp_path / "pg", url)
        assert real_db_url(on_postgres) == url
        pg_scores = cell_scores(url)
    on_sqlite = graded_course(tmp_path / "sqlite", None)
    assert real_db_url(on_sqlite).startswith("sqlite:///")
    sqlite_scores = cell_scores(real_db_url(on_sqlite))
    assert pg_scores == sqlite_scores
    assert len(pg_scores) == 5 * 3  # five students, two test cells and one written answer each
    assert pg_scores[("solution", "test_mse")] == (3.0, 3.0)
    assert pg_scores[("mistake-1", "test_mse")] == (0.0, 3.0)
