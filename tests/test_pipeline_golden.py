"""Golden outputs of ``make demo``: a refactor changes no grade, CSV, feedback page or report.

The test runs the real demo (:func:`nbcourse.demo.run_demo`: generate, release, the demo's
twelve simulated students hand in, collect, autograde, feedback, export, report) on a
private copy of the course holding ``05_initialization``, the quickest assignment to
grade; its cohort has every kind of student the demo simulates (three solutions, two
partial, one blank, one who patches NumPy, five typical mistakes). What varies from run
to run is normalised away (:func:`normalised`): times, dates, the course's path, the kernel's
process id in tracebacks, and the slowest-cells section of the report (timings). The rest is compared
with ``tests/fixtures/golden_demo/``:

- ``grades.csv``, ``cells.csv``: the export, every score of every cell;
- ``autograde_log.json``: status, reason, grader's notes and delegations per student;
- ``report.html``: the report, each plot replaced by the SHA-256 of its PNG;
- ``feedback.json``: per student, the SHA-256 of the feedback page (styles and all) and,
  to read in a review, the scores and error lines it shows.

After an intended change of output, record again and review the diff::

    NBCOURSE_GOLDEN_UPDATE=1 .venv/bin/python -m pytest tests/test_pipeline_golden.py
    git diff tests/fixtures/golden_demo
"""
from __future__ import annotations

import csv
import difflib
import hashlib
import html
import io
import json
import os
import re
from pathlib import Path

import pytest

from nbcourse.course import Course, private_copy
from nbcourse.demo import run_demo

REPO = Path(__file__).resolve().parent.parent
GOLDEN = REPO / "tests" / "fixtures" / "golden_demo"
ASSIGNMENT = "05_initialization"
UPDATE = os.environ.get("NBCOURSE_GOLDEN_UPDATE") == "1"

pytestmark = pytest.mark.xdist_group("golden-demo")

# Columns and log fields that hold times: their values differ on every run.
TIME_COLUMNS = {"timestamp", "seconds"}
TIME_FIELDS = {"seconds", "cell_seconds", "graded_at"}


def _csv(path: Path) -> str:
    rows = list(csv.DictReader(path.open(newline="")))
    out = io.StringIO()
    if rows:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows({key: ("<time>" if key in TIME_COLUMNS and value else value)
                          for key, value in row.items()} for row in rows)
    return out.getvalue()


def _log(path: Path) -> str:
    entries = json.loads(path.read_text())
    kept = {student: {key: value for key, value in entry.items() if key not in TIME_FIELDS}
            for student, entry in entries.items()}
    return json.dumps(kept, indent=1, sort_keys=True) + "\n"


def _png_hash(match) -> str:
    return f'src="png sha256:{hashlib.sha256(match.group(1).encode()).hexdigest()[:16]}"'


def _report(path: Path) -> str:
    page = path.read_text()
    # The slowest cells (plot and table) are timings: their order and numbers change every run.
    page = re.sub(r"(?s)(<h2>Slowest cells</h2>).*?(?=<h2>)", r"\1<p>(timings)</p>", page)
    page = re.sub(r'src="data:image/png;base64,([^"]*)"', _png_hash, page)
    page = re.sub(r"\b\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?\b", "<date>", page)
    return page.replace("><", ">\n<") + "\n"


def _feedback_page(page: str) -> str:
    return re.sub(r"ipykernel_\d+", "ipykernel_<pid>", page)


def _feedback(course: Course) -> str:
    pages = {}
    for path in sorted(course.feedback.glob(f"*/{ASSIGNMENT}/*.html")):
        page = _feedback_page(path.read_text())
        body = re.sub(r"(?s)<(style|script)[^>]*>.*?</\1>", "", page)
        lines = [html.unescape(line).strip() for line in re.sub(r"<[^>]+>", "\n", body).splitlines()]
        pages[f"{path.parts[-3]}/{path.name}"] = {
            "sha256": hashlib.sha256(page.encode()).hexdigest(),
            "scores": [line for line in lines if line.startswith("(Score:") or "(Score:" in line],
            "errors": [line for line in lines if re.match(r"[A-Za-z]+(Error|Exception|Died)\b", line)],
        }
    return json.dumps(pages, indent=1, sort_keys=True) + "\n"


def normalised(course: Course) -> dict[str, str]:
    """File name in the golden folder -> the demo's output in its compared form."""
    outputs = {
        "grades.csv": _csv(course.reports / "grades.csv"),
        "cells.csv": _csv(course.reports / "cells.csv"),
        "autograde_log.json": _log(course.reports / "autograde" / f"{ASSIGNMENT}.json"),
        "report.html": _report(course.reports / "report.html"),
        "feedback.json": _feedback(course),
    }
    return {name: text.replace(str(course.root), "<course>") for name, text in outputs.items()}


@pytest.fixture(scope="session")
def demo_outputs(tmp_path_factory) -> dict[str, str]:
    course = private_copy(Course.at(REPO), tmp_path_factory.mktemp("golden-demo"), [ASSIGNMENT])
    run_demo(course, size=12, workers=2)
    return normalised(course)


@pytest.mark.parametrize("name", ["grades.csv", "cells.csv", "autograde_log.json", "report.html",
                                  "feedback.json"])
def test_demo_output_equals_the_recorded_one(demo_outputs, name):
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(demo_outputs[name])
    assert path.exists(), f"no golden {path}: record it with NBCOURSE_GOLDEN_UPDATE=1"
    recorded = path.read_text()
    if demo_outputs[name] != recorded:
        diff = difflib.unified_diff(recorded.splitlines(), demo_outputs[name].splitlines(),
                                    f"recorded {name}", f"this run's {name}", lineterm="", n=1)
        pytest.fail(f"make demo's {name} changed:\n" + "\n".join(list(diff)[:60]))
