"""The PostgreSQL gradebook: a parallel autograde writing to a real server on loopback
gives, cell for cell, the grades of the same cohort graded with the embedded SQLite one."""
from __future__ import annotations

import pytest

import postgres
from graded_sample import cell_scores, graded_course
from nbcourse.gradebook import real_db_url

pytestmark = [
    pytest.mark.xdist_group("class-scale"),
    pytest.mark.skipif(not postgres.available()[0], reason=postgres.available()[1]),
]


def test_parallel_autograde_into_postgresql_equals_sqlite(tmp_path):
    with postgres.postgres_server() as url:
        on_postgres, _ = graded_course(tmp_path / "pg", url)
        assert real_db_url(on_postgres) == url
        pg_scores = cell_scores(url)
    on_sqlite, _ = graded_course(tmp_path / "sqlite", None)
    assert real_db_url(on_sqlite).startswith("sqlite:///")
    sqlite_scores = cell_scores(real_db_url(on_sqlite))
    assert pg_scores == sqlite_scores
    assert len(pg_scores) == 5 * 3  # five students, two test cells and one written answer each
    assert pg_scores[("solution", "test_mse")] == (3.0, 3.0)
    assert pg_scores[("mistake-1", "test_mse")] == (0.0, 3.0)
