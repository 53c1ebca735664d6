"""A grading process whose fork never started nbgrader is started once more.

Seen once under load: "nbgrader autograde failed (exit 1): no log written". The child
opens its log before anything else, so no log means no student code ran: retrying is
safe, and a student must not lose a grade to the grader's own hiccup. A run that did
start (it wrote its log) and failed is not retried: its failure is the submission's.
"""
import pytest

from graded_sample import graded_course
from nbcourse import nbgrader_process

pytestmark = pytest.mark.xdist_group("pipeline")


def _fail_first_autograde(monkeypatch, *, write_log: bool):
    real_run, calls = nbgrader_process.run, []

    def flaky_run(args, *, cwd, env, log_path, timeout=None):
        if args[0] == "autograde":
            calls.append(args)
            if len(calls) == 1:
                if write_log:
                    with open(log_path, "w") as log:
                        log.write("[AutogradeApp | ERROR] something the submission did\n")
                return 1
        return real_run(args, cwd=cwd, env=env, log_path=log_path, timeout=timeout)

    monkeypatch.setattr(nbgrader_process, "run", flaky_run)
    return calls


def test_a_fork_that_never_started_nbgrader_is_retried(tmp_path, monkeypatch):
    calls = _fail_first_autograde(monkeypatch, write_log=False)
    _, outcomes = graded_course(tmp_path / "course", only=["solution"], workers=1)
    assert [o.status for o in outcomes] == ["graded"]
    assert len(calls) == 2


def test_a_run_that_started_and_failed_is_not_retried(tmp_path, monkeypatch):
    calls = _fail_first_autograde(monkeypatch, write_log=True)
    with pytest.raises(AssertionError, match="something the submission did"):
        graded_course(tmp_path / "course", only=["solution"], workers=1)
    assert len(calls) == 1


def test_the_forkserver_preload_starts_no_thread():
    """Every grading process is forked from the server that imported the preload modules;
    a fork keeps only the thread that forked, so a thread started there would be a lock
    held forever in every child."""
    import subprocess
    import sys

    code = ("import multiprocessing.forkserver, threading, nbcourse.nbgrader_process as p\n"
            "p._forkserver()\n"
            "preload = multiprocessing.forkserver._forkserver._preload_modules\n"
            "for name in preload: __import__(name)\n"
            "print(threading.active_count(), sorted(preload))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    count, modules = done.stdout.split(" ", 1)
    assert count == "1"
    assert "nbcourse.nbgrader_preload" in modules


def test_an_exit_status_the_forkserver_lost_is_taken_from_the_process_itself(tmp_path):
    """Seen once under load: an autograde whose log ended whole came back as "exit 255",
    multiprocessing's value for a status the forkserver never passed on, and an honest
    submission was marked failed. Here the forkserver is killed while nbgrader runs a
    notebook: the command still reports nbgrader's own exit status, 0."""
    import subprocess
    import sys
    import textwrap

    import nbformat

    started = tmp_path / "started"
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        f"import pathlib, time\npathlib.Path({str(started)!r}).touch()\ntime.sleep(2)")])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, tmp_path / "slow.ipynb")
    code = textwrap.dedent(f"""
        import os, pathlib, threading, time
        import psutil
        from nbcourse import nbgrader_process

        def kill_the_forkserver_once_the_notebook_runs():
            while not pathlib.Path({str(started)!r}).exists():
                time.sleep(0.01)
            server, = [child for child in psutil.Process().children()
                       if "multiprocessing.forkserver" in " ".join(child.cmdline())]
            server.kill()

        threading.Thread(target=kill_the_forkserver_once_the_notebook_runs, daemon=True).start()
        print(nbgrader_process.run(["validate", "slow.ipynb"], cwd={str(tmp_path)!r}, env=dict(os.environ),
                                   log_path={str(tmp_path / "validate.log")!r}, timeout=120))
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert started.exists()
    assert done.stdout.strip() == "0", (tmp_path / "validate.log").read_text()
