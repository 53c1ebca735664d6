"""The instructor's cycle on a small cohort, with real nbgrader and real kernels.

One temporary course with the 00_sample assignment (tests/support/sample.py) goes through
generate, release, submit (simulated students), collect, parallel autograde, feedback,
export and report. The cohort includes a student whose kernel dies (``os._exit(1)``)
and one whose nbgrader process is killed from outside while it runs.
"""
from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from nbcourse.authoring import apply_mistake, fill_answers
from nbcourse.autograde import autograde, load_log
from nbcourse.course import nbgrader_env
from nbcourse.exchange import collect, release, submit_as
from nbcourse.export import export
from nbcourse.feedback import feedback
from nbcourse.generate import generate
from nbcourse.gradebook import real_db_url
from nbcourse.report import build_report
from tests.support.sample import MISTAKES, SAMPLE, sample_course

pytestmark = pytest.mark.xdist_group("pipeline")

HONEST = ["solution", "partial", "blank", "mistake-sigmoid", "mistake-mse"]
CRASH, KILLED = "crash", "killed"


def _submissions(course) -> dict:
    release_nb = nbformat.read(course.release / SAMPLE / f"{SAMPLE}.ipynb", as_version=4)
    source_nb = nbformat.read(course.source / SAMPLE / f"{SAMPLE}.ipynb", as_version=4)
    solution = fill_answers(release_nb, source_nb)

    def with_first_line(code):  # a solution whose sigmoid cell first runs ``code``
        nb = fill_answers(release_nb, source_nb)
        cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "sigmoid")
        cell.source = code + "\n" + cell.source
        return nb

    return {
        "solution": solution,
        "partial": fill_answers(release_nb, source_nb, only=["sigmoid"]),
        "blank": release_nb,
        "mistake-sigmoid": apply_mistake(solution, MISTAKES[0]),
        "mistake-mse": apply_mistake(solution, MISTAKES[1]),
        CRASH: with_first_line("import os; os._exit(1)"),
        KILLED: with_first_line("import time; time.sleep(120)"),
    }


def _kill_when_running(workdir: Path, stop: threading.Event) -> None:
    """SIGKILL the nbgrader process grading in ``workdir`` (found by its cwd) once it has started a kernel."""
    target = str(workdir.resolve())
    while not stop.is_set():
        for proc in Path("/proc").iterdir():
            try:
                if proc.name.isdigit() and os.readlink(proc / "cwd") == target and _has_children(proc.name):
                    time.sleep(2.0)  # the kernel is up; the submission's cell sleeps for two minutes
                    os.kill(int(proc.name), signal.SIGKILL)
                    return
            except OSError:  # processes come and go while we look
                continue
        time.sleep(0.2)


def _cwd_under(proc: Path, folder: Path) -> bool:
    try:
        return os.readlink(proc / "cwd").startswith(str(folder.resolve()))
    except OSError:
        return False


def _has_children(pid: str) -> bool:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return children.exists() and children.read_text().strip() != ""


@pytest.fixture(scope="module")
def cycle(tmp_path_factory):
    root = tmp_path_factory.mktemp("course")
    course = sample_course(root / "course")
    generate(course, progress=False)
    exchange = root / "exchange"
    release(course, SAMPLE, exchange)
    notebooks = _submissions(course)
    for student, nb in notebooks.items():
        submit_as(course, SAMPLE, student, {SAMPLE: nb}, exchange)
    collected = collect(course, SAMPLE, exchange)

    workdir = root / "work"
    stop = threading.Event()
    killer = threading.Thread(target=_kill_when_running, args=(workdir / KILLED, stop), daemon=True)
    killer.start()
    outcomes = autograde(course, SAMPLE, workers=2, workdir=workdir, keep_workdirs=True, progress=False)
    stop.set()
    feedback(course, SAMPLE, progress=False)
    grades_csv, cells_csv = export(course)
    report = build_report(course)
    return {"course": course, "collected": collected, "outcomes": {o.student: o for o in outcomes},
            "grades_csv": grades_csv, "cells_csv": cells_csv, "report": report, "root": root}


def _auto_scores(db_url: str, students) -> dict:
    """(student, grade id) -> auto score, read from a gradebook."""
    with Gradebook(db_url) as gradebook:
        return {(student, grade.name): grade.auto_score
                for student in students
                for notebook in gradebook.find_submission(SAMPLE, student).notebooks
                for grade in notebook.grades}


def test_collect_finds_every_submission(cycle):
    assert cycle["collected"] == sorted(HONEST + [CRASH, KILLED])


def test_failures_are_isolated_and_reported(cycle):
    outcomes = cycle["outcomes"]
    # The kernel's death is caught per cell (CheckedExecute): scored, tests after it get 0.
    assert outcomes[CRASH].status == "crashed" and "exited with status 1" in outcomes[CRASH].reason
    assert outcomes[KILLED].status == "failed" and "SIGKILL" in outcomes[KILLED].reason
    assert {s for s, o in outcomes.items() if o.status == "graded"} == set(HONEST)
    with Gradebook(real_db_url(cycle["course"])) as gradebook:
        graded = {submission.student.id for submission in gradebook.find_assignment(SAMPLE).submissions}
    assert graded == set(HONEST + [CRASH]), "a failed submission must leave no grade behind"
    crashed = _auto_scores(real_db_url(cycle["course"]), [CRASH])
    assert crashed[(CRASH, "test_sigmoid")] == 0 and crashed[(CRASH, "test_mse")] == 0
    page = cycle["report"].read_text()
    for student in (CRASH, KILLED):
        assert f"<td>{student}</td>" in page
    assert "exited with status 1" in page and "SIGKILL" in page
    left = [p for p in Path("/proc").iterdir() if p.name.isdigit() and _cwd_under(p, cycle["root"] / "work")]
    assert not left, "a killed nbgrader process must not leave its kernel (or sandbox launcher) running"


def test_scores_follow_the_answers(cycle):
    scores = _auto_scores(real_db_url(cycle["course"]), HONEST)
    assert scores[("solution", "test_sigmoid")] == 2 and scores[("solution", "test_mse")] == 3
    assert scores[("partial", "test_sigmoid")] == 2 and scores[("partial", "test_mse")] == 0
    assert scores[("blank", "test_sigmoid")] == 0 and scores[("blank", "test_mse")] == 0
    assert scores[("mistake-sigmoid", "test_sigmoid")] == 0 and scores[("mistake-sigmoid", "test_mse")] == 3
    assert scores[("mistake-mse", "test_sigmoid")] == 2 and scores[("mistake-mse", "test_mse")] == 0


def test_parallel_equals_serial_nbgrader(cycle, tmp_path):
    """Plain ``nbgrader autograde`` of the same honest submissions gives the same score in every cell."""
    course = cycle["course"]
    serial = sample_course(tmp_path / "serial")
    subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", SAMPLE, "--force"],
                   cwd=serial.root, env=nbgrader_env(), check=True, capture_output=True)
    for student in HONEST:
        dest = serial.submitted / student / SAMPLE
        dest.mkdir(parents=True)
        for path in (course.submitted / student / SAMPLE).iterdir():
            dest.joinpath(path.name).write_bytes(path.read_bytes())
    run = subprocess.run([sys.executable, "-m", "nbgrader", "autograde", SAMPLE, "--force"],
                         cwd=serial.root, env=nbgrader_env(), capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-2000:]
    ours = _auto_scores(real_db_url(course), HONEST)
    plain = _auto_scores("sqlite:///" + str(serial.root / "gradebook.db"), HONEST)
    assert ours == plain
    assert len(ours) == len(HONEST) * 3  # two test cells and one written answer per student


def test_csvs_report_and_gradebook_agree(cycle):
    course = cycle["course"]
    with open(cycle["grades_csv"]) as handle:
        grades = {row["student"]: row for row in csv.DictReader(handle)}
    with open(cycle["cells_csv"]) as handle:
        cells = list(csv.DictReader(handle))
    assert set(grades) == set(HONEST + [CRASH, KILLED])
    with Gradebook(real_db_url(course)) as gradebook:
        for student in HONEST:
            submission = gradebook.find_submission(SAMPLE, student)
            assert float(grades[student]["score"]) == pytest.approx(submission.score)
            cell_total = sum(float(row["score"]) for row in cells if row["student"] == student)
            assert cell_total == pytest.approx(submission.score)
            assert grades[student]["status"] == "graded"
    assert grades[KILLED]["status"] == "failed" and grades[KILLED]["reason"]
    assert grades[CRASH]["status"] == "crashed" and float(grades[CRASH]["score"]) == 0
    timed = [row for row in cells if row["kind"] == "autograded" and row["student"] in HONEST]
    assert timed and all(float(row["seconds"]) >= 0 for row in timed), "every test cell that ran has a time"
    assert all(row["seconds"] == "" for row in cells if row["student"] == CRASH), "not run after the crash"
    log = load_log(course, SAMPLE)
    assert log["solution"].cell_seconds["test_mse"] == pytest.approx(
        float(next(r["seconds"] for r in cells if r["student"] == "solution" and r["cell"] == "test_mse")))
    page = cycle["report"].read_text()
    assert page.count("data:image/png;base64,") >= 3  # distribution, pass rates, slowest cells
    assert 'src="http' not in page, "the report must be self-contained"


def test_feedback_for_every_graded_student(cycle):
    course = cycle["course"]
    for student in HONEST:
        page = course.feedback / student / SAMPLE / f"{SAMPLE}.html"
        assert page.is_file(), f"no feedback for {student}"
    assert "mse([1, 3], [1, 1]) should be 2" in (course.feedback / "mistake-mse" / SAMPLE / f"{SAMPLE}.html").read_text()


def test_regrading_replaces_the_previous_result(cycle):
    """Grading one student again gives one submission with the same scores (idempotent)."""
    course = cycle["course"]
    before = _auto_scores(real_db_url(course), HONEST)
    autograde(course, SAMPLE, students=["mistake-mse"], workers=1, progress=False)
    assert _auto_scores(real_db_url(course), HONEST) == before
    with Gradebook(real_db_url(course)) as gradebook:
        assert len(gradebook.find_assignment(SAMPLE).submissions) == len(HONEST) + 1  # and the crashed one
