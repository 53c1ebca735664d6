"""nbcourse.limits: the sandboxed kernel's memory and CPU-time limits as nbgrader settings.

One path: ``c.SandboxLimits`` in the course's ``nbgrader_config.py``, then the environment
variables NBCOURSE_SANDBOX_MEMORY_MB / NBCOURSE_SANDBOX_CPU_SECONDS over it, then the kernel
spec's launcher argv. No kernel starts here: a temporary course, no sandbox needed.
"""
import json
import shutil
from pathlib import Path

import pytest

from nbcourse import autograde as autograde_module
from nbcourse import sandbox
from nbcourse.cli import main
from nbcourse.course import Course, CourseError
from nbcourse.limits import SandboxLimits

REPO = Path(__file__).resolve().parent.parent
MEMORY, CPU = "NBCOURSE_SANDBOX_MEMORY_MB", "NBCOURSE_SANDBOX_CPU_SECONDS"


def course_with(tmp_path: Path, *lines: str) -> Path:
    """A course root whose nbgrader_config.py holds ``lines`` after ``c = get_config()``."""
    root = tmp_path / "course"
    root.mkdir()
    (root / "nbgrader_config.py").write_text("\n".join(["c = get_config()  # noqa: F821", *lines]) + "\n")
    return root


def launcher_limits(limits: SandboxLimits | None, workdir: Path) -> tuple[str, str]:
    """(--memory-mb, --cpu-seconds) of the kernel spec that ``sandbox.overrides`` writes."""
    overrides = sandbox.overrides(workdir, limits=limits)
    for folder in overrides.cleanup:
        shutil.rmtree(folder, ignore_errors=True)
    argv = json.loads(overrides.files[".jupyter-data/kernels/python3/kernel.json"])["argv"]
    return argv[argv.index("--memory-mb") + 1], argv[argv.index("--cpu-seconds") + 1]


@pytest.fixture(autouse=True)
def no_limit_variables(monkeypatch):
    monkeypatch.delenv(MEMORY, raising=False)
    monkeypatch.delenv(CPU, raising=False)


def test_the_defaults_without_config_or_environment(tmp_path):
    assert (SandboxLimits().memory_mb, SandboxLimits().cpu_seconds) == (4096, 900)
    for limits in (SandboxLimits.load(), SandboxLimits.load(course_with(tmp_path)), SandboxLimits.load(REPO)):
        assert (limits.memory_mb, limits.cpu_seconds) == (4096, 900)
    assert launcher_limits(None, tmp_path) == ("4096", "900")


def test_the_courses_config_reaches_the_launcher(tmp_path):
    root = course_with(tmp_path, "c.SandboxLimits.memory_mb = 1536", "c.SandboxLimits.cpu_seconds = 60")
    assert launcher_limits(SandboxLimits.load(root), tmp_path) == ("1536", "60")
    features = autograde_module.grading_features(tmp_path, tmp_path, sandboxed=True,
                                                 limits=SandboxLimits.load(root))
    for folder in features[-1].cleanup:
        shutil.rmtree(folder, ignore_errors=True)
    assert '"1536"' in features[-1].files[".jupyter-data/kernels/python3/kernel.json"]


def test_the_environment_overrides_the_config(tmp_path, monkeypatch):
    root = course_with(tmp_path, "c.SandboxLimits.memory_mb = 1536", "c.SandboxLimits.cpu_seconds = 60")
    monkeypatch.setenv(MEMORY, "2048")
    assert launcher_limits(SandboxLimits.load(root), tmp_path) == ("2048", "60")
    monkeypatch.setenv(CPU, " 120 ")
    assert launcher_limits(SandboxLimits.load(root), tmp_path) == ("2048", "120")
    assert launcher_limits(None, tmp_path) == ("2048", "120")  # no course: defaults, then the environment


@pytest.mark.parametrize("bad", ["0", "-1", "'lots'", "True", "2.5"])
def test_a_bad_value_in_the_config_is_named(tmp_path, bad):
    root = course_with(tmp_path, f"c.SandboxLimits.cpu_seconds = {bad}")
    with pytest.raises(CourseError) as error:
        SandboxLimits.load(root)
    assert str(error.value) == (f"{root / 'nbgrader_config.py'}: SandboxLimits.cpu_seconds "
                                f"must be a positive integer, got {bad}")


@pytest.mark.parametrize("bad", ["0", "-1", "lots", "", "4096MB"])
def test_a_bad_value_in_the_environment_is_named(tmp_path, monkeypatch, bad):
    monkeypatch.setenv(MEMORY, bad)
    for load in (lambda: SandboxLimits.load(course_with(tmp_path)), SandboxLimits.load):
        with pytest.raises(CourseError) as error:
            load()
        assert str(error.value) == (f"environment variable {MEMORY} (overrides SandboxLimits.memory_mb) "
                                    f"must be a positive integer, got {bad!r}")


def test_autograde_refuses_bad_limits_before_grading(tmp_path, monkeypatch, capsys):
    root = course_with(tmp_path, "c.SandboxLimits.memory_mb = 0")
    (root / "source" / "a1").mkdir(parents=True)
    (root / "source" / "a1" / "a1.ipynb").write_text("{}")
    (root / "submitted" / "alice" / "a1").mkdir(parents=True)
    monkeypatch.setattr(autograde_module, "sandbox_status", lambda: (True, "bwrap (pretended)"))
    monkeypatch.setattr(autograde_module, "end_orphans_of_killed_runs",
                        lambda: pytest.fail("autograde went on to grade with a bad limit"))
    assert main(["autograde", "a1", "--course", str(root)]) == 2
    assert capsys.readouterr().err == (f"error: {root / 'nbgrader_config.py'}: "
                                       "SandboxLimits.memory_mb must be a positive integer, got 0\n")
    (root / "nbgrader_config.py").write_text("c = get_config()  # noqa: F821\n")
    monkeypatch.setenv(MEMORY, "lots")
    with pytest.raises(CourseError, match=f"{MEMORY} .* got 'lots'"):
        autograde_module.autograde(Course.at(root), "a1", progress=False)
