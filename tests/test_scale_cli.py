"""``--db URL`` chooses the gradebook of one command (``Course.db_url``, handed to nbgrader as
NBGRADER_DB_URL), for that run only."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from nbgrader.api import Gradebook

from nbcourse.cli import build_parser, main
from nbcourse.course import Course
from nbcourse.gradebook import real_db_url
from tests.support.sample import SAMPLE, sample_course

REPO = Path(__file__).resolve().parent.parent


def test_generate_with_db_writes_the_assignment_into_that_gradebook(tmp_path, monkeypatch):
    monkeypatch.delenv("NBGRADER_DB_URL", raising=False)
    course = sample_course(tmp_path / "course")
    shutil.copy(REPO / "nbgrader_config.py", course.root)  # the course's own config (reads NBGRADER_DB_URL)
    elsewhere = "sqlite:///" + str(tmp_path / "elsewhere.db")
    assert main(["generate", SAMPLE, "--course", str(course.root), "--db", elsewhere]) == 0
    with Gradebook(elsewhere) as gradebook:
        assert [a.name for a in gradebook.assignments] == [SAMPLE]
    assert not (course.root / "gradebook.db").exists()   # the default gradebook was not touched
    assert "NBGRADER_DB_URL" not in os.environ            # the option held for that run only
    assert real_db_url(course) == "sqlite:///" + str(course.root / "gradebook.db")
    that_run = Course.at(course.root, db_url=elsewhere)   # what --db builds: the URL travels with the course
    assert real_db_url(that_run) == elsewhere and that_run.nbgrader_env()["NBGRADER_DB_URL"] == elsewhere
    assert "NBGRADER_DB_URL" not in os.environ


def test_db_is_refused_when_the_course_config_ignores_it(tmp_path, capsys):
    course = sample_course(tmp_path / "course")  # its config pins its own SQLite gradebook
    assert main(["export", "--course", str(course.root), "--db", "sqlite:///other.db"]) == 2
    assert "--db has no effect" in capsys.readouterr().err


def test_db_and_scheduler_reach_the_commands_that_use_them():
    parser = build_parser()
    for command in (["autograde", SAMPLE], ["export"], ["report"], ["feedback", SAMPLE], ["generate"]):
        assert parser.parse_args(command + ["--db", "postgresql://h/g"]).db == "postgresql://h/g"
    assert parser.parse_args(["autograde", SAMPLE, "--scheduler", "tcp://h:8786"]).scheduler == "tcp://h:8786"
    assert parser.parse_args(["autograde", SAMPLE]).scheduler is None
