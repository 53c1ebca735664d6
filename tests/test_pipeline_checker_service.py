"""The run's checker service: test cells are checked there, and a service that dies does not
cost a grade (the grading process checks in its own process from then on)."""
import os
import signal
from pathlib import Path

import pytest

from graded_sample import cell_scores, graded_course
from nbcourse import checker_service, sandbox
from tests.support.sample import solution_running_first

pytestmark = pytest.mark.xdist_group("sample-service")


def _logs(root):
    return "".join(path.read_text() for path in root.rglob("autograde.log"))


def test_every_submission_is_checked_by_the_runs_service(tmp_path, monkeypatch):
    services, start = [], checker_service.start
    monkeypatch.setattr(checker_service, "start", lambda notebooks, servers: services.append(start(notebooks, servers)) or services[-1])
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

    def start_and_kill(notebooks, servers):
        service = started(notebooks, servers)
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


def _children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and _running(int(stat.parent.name)):
            found.add(int(stat.parent.name))
    return found


def _running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except (OSError, IndexError):
        return False


def _wait_for(condition, timeout=30.0):
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_one_server_per_worker_a_dead_one_replaced_all_gone_at_stop():
    """Two workers' checks must not share one interpreter: the service forks a server per worker."""
    service = checker_service.start([], servers=2)
    try:
        service.wait_ready()
        _wait_for(lambda: len(_children(service.process.pid)) == 2)
        first = _children(service.process.pid)
        os.kill(min(first), signal.SIGKILL)  # as a check that crashes its server would
        _wait_for(lambda: len(_children(service.process.pid)) == 2 and min(first) not in _children(service.process.pid))
    finally:
        servers = _children(service.process.pid)
        service.stop()
    _wait_for(lambda: not any(map(_running, servers)), timeout=5)
    assert not service.folder.exists()


#: A student who has read checker_service.py: find the run's socket (its environment variable,
#: or the folder name under /tmp) and take a server (each serves one connection at a time), or
#: ask it for verdicts of their own.
REACH_THE_CHECKER = """
import glob, os, socket
_paths = [os.environ.get("NBCOURSE_CHECKER_SOCKET", "")] + glob.glob("/tmp/nbcourse-checker-*/socket")
_reached = []
for _path in filter(None, _paths):
    try:
        _s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        _s.connect(_path)
        _reached.append(_path)
    except OSError:
        pass
print("CHECKER REACHED:", _reached if _reached else "none", "candidates:", len(_paths))
"""


@pytest.mark.skipif(not sandbox.check().available, reason="the sandbox is what keeps the socket out of reach")
def test_the_sandboxed_kernel_cannot_reach_the_checker_service(tmp_path):
    import nbformat

    course, _ = graded_course(tmp_path / "course", only=["solution"], unsafe_no_sandbox=False, workers=1,
                              extra_submissions=lambda course: {"reacher": solution_running_first(course, REACH_THE_CHECKER)})
    notebook = next((course.root / "autograded" / "reacher").rglob("*.ipynb"))
    printed = "".join(output.get("text", "") for cell in nbformat.read(notebook, as_version=4).cells
                      for output in cell.get("outputs", []))
    assert "CHECKER REACHED: none" in printed, printed
    scores = cell_scores(f"sqlite:///{course.root / 'gradebook.db'}")
    # the student after the attacker, on the run's only server, is graded as always
    assert all(auto == maximum for (student, cell), (auto, maximum) in scores.items()
               if student in ("solution", "reacher") and cell.startswith("test_"))
