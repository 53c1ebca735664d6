"""nbcourse.sandbox: what a kernel started from the sandbox's kernel spec can and cannot reach.

A fake course (``source/``, a gradebook, other students' folders) holds a private
workdir, as the pipeline lays it out; one sandboxed kernel runs a notebook of probes
in ``autograded/alice/a1`` through nbclient, exactly as nbgrader's Execute would.
"""
import json
import os
import shutil

import nbformat
import pytest
from nbclient import NotebookClient
from traitlets.config import Config

from nbcourse import sandbox
from nbcourse.limits import SandboxLimits
from nbcourse.overrides import Overrides

pytestmark = [
    pytest.mark.xdist_group("sandbox"),
    pytest.mark.skipif(not sandbox.check().available, reason=f"no sandbox here: {sandbox.check().reason}"),
]


def apply(overrides: Overrides, workdir, monkeypatch) -> Config:
    """Do what the pipeline does with a feature's overrides; the config for nbclient."""
    for relative, text in overrides.files.items():
        (workdir / relative).parent.mkdir(parents=True, exist_ok=True)
        (workdir / relative).write_text(text)
    for name, value in overrides.env.items():
        monkeypatch.setenv(name, value)
    config = Config()
    for section, values in overrides.config.items():
        for key, value in values.items():
            config[section][key] = value
    return config


def run_cells(sources, folder, config, timeout=60):
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "language": "python",
                                                           "display_name": "Python 3"}})
    nb.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    NotebookClient(nb, timeout=timeout, config=config, allow_errors=True, interrupt_on_timeout=True,
                   kernel_manager_class="jupyter_client.manager.AsyncKernelManager",
                   resources={"metadata": {"path": str(folder)}}).execute()
    return [_text(cell) for cell in nb.cells]


def _text(cell):
    return "".join(out.get("text", "") if out.output_type == "stream" else
                   f"{out.get('ename')}: {out.get('evalue')}" if out.output_type == "error" else ""
                   for out in cell.outputs)


@pytest.fixture
def course(tmp_path):
    root = tmp_path / "course"
    (root / "source" / "a1").mkdir(parents=True)
    (root / "source" / "a1" / "a1.ipynb").write_text("### BEGIN HIDDEN TESTS secret")
    (root / "gradebook.db").write_text("the real gradebook")
    (root / "submitted" / "bob" / "a1").mkdir(parents=True)
    (root / "submitted" / "bob" / "a1" / "a1.ipynb").write_text("bob's work")
    workdir = root / ".nbcourse-work" / "run" / "alice"
    folder = workdir / "autograded" / "alice" / "a1"
    folder.mkdir(parents=True)
    (folder / "a1.ipynb").write_text("the autograded notebook with hidden tests")
    (folder / "data.csv").write_text("x,y\n1,2\n")
    return root, workdir, folder


def test_check_reports_a_missing_bwrap(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    status = sandbox.check()
    assert not status.available
    assert "bwrap" in status.reason and "bubblewrap" in status.reason


def test_overrides_select_the_sandboxed_kernel_spec_and_ipc(tmp_path):
    overrides = sandbox.overrides(tmp_path, limits=SandboxLimits(memory_mb=512, cpu_seconds=30))
    spec = json.loads(overrides.files[".jupyter-data/kernels/python3/kernel.json"])
    assert spec["argv"][-2:] == ["-f", "{connection_file}"]
    assert spec["argv"][spec["argv"].index("--memory-mb") + 1] == "512"
    assert spec["interrupt_mode"] == "message"
    assert overrides.env["JUPYTER_PATH"] == str(tmp_path / ".jupyter-data")
    assert overrides.config["KernelManager"]["transport"] == "ipc"


def test_the_kernel_sees_only_its_private_copy(course, monkeypatch):
    root, workdir, folder = course
    monkeypatch.setenv("NBCOURSE_INTEGRITY_TOKEN", "0" * 32)
    limits = SandboxLimits(memory_mb=1024, cpu_seconds=60)
    config = apply(sandbox.overrides(workdir, limits=limits), workdir, monkeypatch)
    outputs = run_cells([
        "import os; print(sorted(os.listdir('.')))",
        f"print(os.path.exists({str(root / 'source')!r}), os.path.exists({str(root / 'gradebook.db')!r}), "
        f"os.path.exists({str(root / 'submitted')!r}), sorted(os.listdir({str(root)!r})))",
        "open('data.csv', 'w').write('overwritten'); open('new.txt', 'w').write('x'); print('written')",
        f"open({str(root / 'gradebook.db')!r}, 'w').write('vandalized'); print('wrote in the sandbox')",
        "import socket\ntry:\n    socket.create_connection(('1.1.1.1', 53), timeout=3)\n"
        "except OSError as error:\n    print('no network')",
        "print('NBCOURSE_INTEGRITY_TOKEN' in os.environ, os.getpid())",
        "import helpers.testing, numpy; print('imports ok')",
        "hoard = bytearray(2 * 1024 ** 3)",
        "import time; time.sleep(30)",
        "print('still alive')",
    ], folder, config, timeout=8)
    assert outputs[0] == "['data.csv']\n"                       # no notebook: they hold hidden tests
    # of the course root, only the empty skeleton leading to the bound folders is visible
    assert outputs[1] == "False False False ['.nbcourse-work']\n"
    assert outputs[2] == "written\n"
    assert outputs[3] == "wrote in the sandbox\n"               # ... into the sandbox's own /tmp, see below
    assert outputs[4] == "no network\n"
    assert outputs[5].startswith("False ")                      # the grader's secret never reaches the kernel
    assert outputs[6] == "imports ok\n"
    assert outputs[7].startswith("MemoryError")                 # 2 GB > the 1 GB limit
    assert outputs[8].startswith(("KeyboardInterrupt", "CellTimeoutError"))
    assert outputs[9] == "still alive\n"                        # the interrupt reached the kernel
    assert (folder / "data.csv").read_text() == "x,y\n1,2\n"   # the kernel wrote to its copy only
    assert not (folder / "new.txt").exists()
    assert (root / "gradebook.db").read_text() == "the real gradebook"
    assert not list((workdir / sandbox.SCRATCH_DIR).iterdir())  # the copy is removed when the kernel stops


def test_the_launcher_refuses_a_folder_outside_its_workdir(course, tmp_path, monkeypatch):
    _, workdir, _ = course
    monkeypatch.chdir(tmp_path)
    status = sandbox.launch(["--workdir", str(workdir), "--ipc-dir", str(tmp_path), "--memory-mb", "1024",
                             "--cpu-seconds", "60", "--", "-f", str(workdir / "kernel.json")])
    assert status == 2
    assert shutil.which("bwrap")
    assert os.getcwd() == str(tmp_path)


def test_the_kernel_reads_the_graders_font_cache(course, monkeypatch):
    """The kernel's /tmp is new each time; matplotlib's font list comes in read-only
    instead of being rebuilt from the system's fonts in every graded notebook."""
    root, workdir, folder = course
    font_cache = sandbox.matplotlib_font_cache()
    assert font_cache is not None and font_cache.is_file()
    config = apply(sandbox.overrides(workdir), workdir, monkeypatch)
    inside = f"{sandbox.MPL_CONFIG_DIR}/{font_cache.name}"
    outputs = run_cells([
        "import io, logging\nlog = io.StringIO()\nlogger = logging.getLogger('matplotlib.font_manager')\n"
        "logger.addHandler(logging.StreamHandler(log)); logger.setLevel(logging.INFO)\n"
        "import matplotlib.font_manager\n"
        "print('rebuilt' if 'generated new fontManager' in log.getvalue() else 'read from the cache')",
        f"try:\n    open({inside!r}, 'a')\nexcept OSError:\n    print('read-only')",
    ], folder, config)
    assert outputs == ["read from the cache\n", "read-only\n"]


def test_a_sandboxed_run_ends_its_kernel_and_cleans_up(tmp_path):
    """Grading does not wait for the kernel to exit on its own (a student's atexit handler
    that sleeps must not hold it up), and leaves no process or socket folder behind."""
    from graded_sample import graded_course
    from tests.support.sample import solution_running_first

    def lingering(course):
        # nbclient says at DEBUG level when a kernel does not exit in time after a shutdown request
        with open(course.root / "nbgrader_config.py", "a") as config:
            config.write("\nc.Application.log_level = 'DEBUG'\n")
        return {"lingering": solution_running_first(course, "import atexit, time\natexit.register(time.sleep, 600)")}

    course, outcomes = graded_course(tmp_path / "course", extra_submissions=lingering, only=["solution"],
                                     workers=1, workdir=tmp_path / "work", keep_workdirs=True)
    assert {o.student: o.status for o in outcomes} == {"solution": "graded", "lingering": "graded"}
    lingering_log = next((tmp_path / "work").rglob("lingering*/autograde.log")).read_text()
    assert next((tmp_path / "work").rglob("lingering*/.jupyter-data/kernels/python3/kernel.json"))  # sandboxed
    assert "Executing cell" in lingering_log                 # the DEBUG log
    assert "taking too long" not in lingering_log           # nbclient's graceful wait was not used
    for spec in (tmp_path / "work").rglob("kernels/python3/kernel.json"):
        argv = json.loads(spec.read_text())["argv"]
        assert not os.path.exists(argv[argv.index("--ipc-dir") + 1])  # each run's socket folder is removed
    assert not list((tmp_path / "work").rglob(f"{sandbox.SCRATCH_DIR}/kernel-*"))
