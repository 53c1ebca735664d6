"""The run's checker service: test cells are checked there, and a service that dies does not
cost a grade (the grading process checks in its own process from then on)."""
import os
import signal
from pathlib import Path

import pytest

from graded_sample import cell_scores, graded_course
from nbcourse import checker_service

pytestmark = pytest.mark.xdist_group("sample-service")


def _logs(root):
    return "".join(path.read_text() for path in root.rglob("autograde.log"))


def test_every_submission_is_checked_by_the_runs_service(tmp_path, monkeypatch):
    services, start = [], checker_service.start
    monkeypatch.setattr(checker_service, "start", lambda notebooks: services.append(start(notebooks)) or services[-1])
    course, _ = graded_course(tmp_path / "course", only=["solution", "blank", "partial"],
                              workdir=tmp_path / "work", keep_workdirs=True)
    assert _logs(tmp_path / "work").count("test cells checked by the run's checker service") == 3
    scores = cell_scores(f"sqlite:///{course.root / 'gradebook.db'}")
    assert all(auto == maximum for (student, cell), (auto, maximum) in scores.items()
               if student == "solution" and cell.startswith("test_"))
    # the run's service is gone with its socket folder (other runs' services may be running meanwhile)
    assert len(services) == 1 and not services[0].folder.exists() and services[0].process.poll() is not None


def test_a_dead_service_costs_no_grade(tmp_path, monkeypatch):
    started = checker_service.start

    def start_and_kill(notebooks):
        service = started(notebooks)
        service.process.send_signal(signal.SIGKILL)
        service.process.wait()
        os.close(os.open(service.path, os.O_CREAT))  # a path that exists but answers nobody
        return service

    monkeypatch.setattr(checker_service, "start", start_and_kill)
    course, outcomes = graded_course(tmp_path / "course", only=["solution", "blank"],
                                     workdir=tmp_path / "work", keep_workdirs=True)
    scores = cell_scores(f"sqlite:///{course.root / 'gradebook.db'}")
    assert all(auto == maximum for (student, cell), (auto, maximum) in scores.items()
               if student == "solution" and cell.startswith("test_"))
    assert "checking in this process" in _logs(tmp_path / "work")
