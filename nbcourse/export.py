"""``export``: the gradebook as two CSV files a spreadsheet or an LMS can read.

- ``grades.csv``: one row per student and assignment (score, maximum, percent, status).
- ``cells.csv``: one row per student, assignment and graded cell (score, passed, seconds).
"""
from __future__ import annotations

import csv
from pathlib import Path

from .course import Course, CourseError
from .results import CELL_COLUMNS, SUBMISSION_COLUMNS, collect_rows


def write_csv(path: Path, columns: list[str], rows: list[dict]) -> Path:
    """Write ``rows`` (dicts keyed by ``columns``) as a CSV file with a header line."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def export(course: Course, out_dir: Path | None = None, assignments: list[str] | None = None) -> tuple[Path, Path]:
    """Write ``grades.csv`` and ``cells.csv`` into ``out_dir`` (default ``reports/``); return their paths."""
    for name in assignments or []:
        course.require_assignment(name)
    submissions, cells = collect_rows(course, assignments)
    if not submissions:
        raise CourseError("the gradebook has no submissions yet: run `python -m nbcourse autograde ASSIGNMENT` first")
    out_dir = Path(out_dir or course.reports)
    return (write_csv(out_dir / "grades.csv", SUBMISSION_COLUMNS, submissions),
            write_csv(out_dir / "cells.csv", CELL_COLUMNS, cells))
