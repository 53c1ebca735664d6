"""The command line: help for every step, clear errors, the sandbox refusal, ``generate --check``."""
from __future__ import annotations

import json
import stat

import pytest

import nbcourse.autograde as autograde_module
from nbcourse.cli import build_parser, main
from nbcourse.exchange import ensure_exchange
from nbcourse.generate import generate
from tests.support.sample import SAMPLE, sample_course

STEPS = ["generate", "release", "collect", "autograde", "feedback", "release-feedback", "export", "report", "demo"]


@pytest.mark.parametrize("step", STEPS)
def test_every_step_has_a_documented_help(step, capsys):
    with pytest.raises(SystemExit) as done:
        main([step, "--help"])
    assert done.value.code == 0
    text = capsys.readouterr().out
    assert "--course" in text and len(text.split()) > 25, f"{step} --help says too little"
    assert step in build_parser().format_help()


def test_missing_course_files_are_named(tmp_path, capsys):
    assert main(["generate", "--course", str(tmp_path)]) == 2
    assert "has no nbgrader_config.py" in capsys.readouterr().err


def test_unknown_assignment_lists_the_known_ones(tmp_path, capsys):
    course = sample_course(tmp_path / "course")
    assert main(["autograde", "99_nope", "--course", str(course.root)]) == 2
    error = capsys.readouterr().err
    assert "unknown assignment '99_nope'" in error and SAMPLE in error


def test_no_submissions_is_an_error(tmp_path, capsys):
    course = sample_course(tmp_path / "course")
    assert main(["autograde", SAMPLE, "--course", str(course.root)]) == 2
    assert "no submissions of '00_sample'" in capsys.readouterr().err
    assert main(["collect", SAMPLE, "--course", str(course.root), "--exchange", str(tmp_path / "x")]) == 2
    assert "no submissions of '00_sample' in the exchange" in capsys.readouterr().err


def test_autograde_refuses_without_a_sandbox(tmp_path, capsys, monkeypatch):
    course = sample_course(tmp_path / "course")
    (course.submitted / "alice" / SAMPLE).mkdir(parents=True)
    monkeypatch.setattr(autograde_module, "sandbox_status", lambda: (False, "bubblewrap is not installed"))
    assert main(["autograde", SAMPLE, "--course", str(course.root)]) == 2
    error = capsys.readouterr().err
    assert "refusing to run students' code without a sandbox: bubblewrap is not installed" in error
    assert "--unsafe-no-sandbox" in error


def test_exchange_gets_the_permissions_nbgrader_requires(tmp_path):
    root = tmp_path / "exchange"
    root.mkdir(mode=0o755)
    ensure_exchange(root)
    assert stat.S_IMODE(root.stat().st_mode) == 0o777


def test_generate_check_lists_stale_cells(tmp_path, capsys):
    course = sample_course(tmp_path / "course")
    generate(course, progress=False)
    assert main(["generate", "--check", "--course", str(course.root)]) == 0
    released = course.release / SAMPLE / f"{SAMPLE}.ipynb"
    notebook = json.loads(released.read_text())
    cell = next(c for c in notebook["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == "test_mse")
    cell["source"] = "assert True"
    released.write_text(json.dumps(notebook))
    assert main(["generate", "--check", "--course", str(course.root)]) == 1
    assert f"release/{SAMPLE}/{SAMPLE}.ipynb differs in cells: test-mse" in capsys.readouterr().err


def test_the_tool_finds_alembic_without_an_activated_virtualenv():
    """Bug fix: `.venv/bin/python bench/autograde.py` died with "No such file or directory: 'alembic'"
    because nbgrader's Gradebook runs alembic from PATH."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "PATH": "/usr/bin:/bin"}
    found = subprocess.run([sys.executable, "-c", "import nbcourse, shutil; print(shutil.which('alembic'))"],
                           env=env, capture_output=True, text=True, check=True).stdout.strip()
    assert found == os.path.join(os.path.dirname(sys.executable), "alembic")
