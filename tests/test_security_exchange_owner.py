"""Attacks on a shared exchange by students who are Unix users, and the collect that stops them.

On a JupyterHub every student can write into ``inbound/``; a submission's folder name is
the only thing that says whose it is. Each test below is an attack played by a real Unix
user (``runuser``), then the instructor's ``collect`` (nbcourse.submission_owner).
Needs root (to create the users ``dlt-alice`` and ``dlt-carol`` and act as them).
"""
from __future__ import annotations

import os
import shlex
import shutil
import tempfile
from pathlib import Path

import pytest

from nbcourse import exchange
from nbcourse.generate import generate
from nbcourse.hub import as_user, ensure_user
from tests.support.sample import SAMPLE, sample_course
from nbcourse.submission_files import refused_at_collect
from nbcourse.submission_owner import ownership_problem

ALICE, CAROL = "dlt-alice", "dlt-carol"
LATER = "2099-01-01 00:00:00.000000 UTC"
EARLIER = "2026-01-01 00:00:00.000000 UTC"


@pytest.fixture
def shared(tmp_path):
    """(course, exchange root) with 00_sample released into an exchange the test users can reach."""
    if os.geteuid() != 0:
        pytest.skip("needs root: creates Unix users and acts as them")
    for name in (ALICE, CAROL):
        ensure_user(name)
    root = Path(tempfile.mkdtemp(prefix="nbcourse-exchange-test-", dir="/srv"))
    os.chmod(root, 0o755)
    try:
        course = sample_course(tmp_path / "course")
        generate(course, progress=False)
        exchange.release(course, SAMPLE, root / "exchange")
        yield course, root / "exchange"
    finally:
        shutil.rmtree(root)


def _inbound(root: Path) -> Path:
    return root / "dl-intro" / "inbound"


def _hand_in(root: Path, user: str, named: str, stamp: str, notebook_command: str) -> Path:
    """As ``user``: a submission folder named for ``named`` at ``stamp``; ``notebook_command`` fills it."""
    folder = _inbound(root) / f"{named}+{SAMPLE}+{stamp}+{user[-5:]}"
    quoted = shlex.quote(str(folder))
    script = (f"mkdir {quoted} && cd {quoted} && {notebook_command} && "
              f"echo {shlex.quote(stamp)} > timestamp.txt")
    result = as_user(user, ["bash", "-c", script], Path("/usr/bin"), check=False)
    assert result.returncode == 0, result.stderr
    return folder


def _released(root: Path) -> str:
    return shlex.quote(str(root / "dl-intro" / "outbound" / SAMPLE / f"{SAMPLE}.ipynb"))


def _answered(root: Path, marker: str) -> str:
    """A shell command writing the released notebook with ``marker`` appended to its first cell's text."""
    return (f"sed 's/Sample assignment/Sample assignment {marker}/' {_released(root)} > {SAMPLE}.ipynb")


def test_a_submission_forged_in_a_classmates_name_is_refused_and_hers_collected(shared):
    course, root = shared
    _hand_in(root, ALICE, ALICE, EARLIER, _answered(root, "by-alice"))
    forged = _hand_in(root, CAROL, ALICE, LATER, f"cp {_released(root)} .")  # blank, and newer

    refusals = exchange.refuse_foreign(course, SAMPLE, root)
    assert [(r.student, r.folder.name) for r in refusals] == [(ALICE, f".refused-{forged.name}")]
    assert f"owned by {CAROL}, not by {ALICE}" in refusals[0].reason
    assert not forged.exists() and refusals[0].folder.is_dir()  # set aside, not lost

    assert exchange.collect(course, SAMPLE, root) == [ALICE]
    collected = (course.submitted / ALICE / SAMPLE / f"{SAMPLE}.ipynb").read_text()
    assert "by-alice" in collected


def test_a_symbolic_link_to_the_instructors_solution_is_refused(shared):
    course, root = shared
    solution = course.source / SAMPLE / f"{SAMPLE}.ipynb"
    _hand_in(root, CAROL, CAROL, EARLIER, _answered(root, "by-carol"))
    # The instructor's collect would copy the file the link points to: the solution, as Carol's work.
    linked = _hand_in(root, CAROL, CAROL, LATER, f"ln -s {shlex.quote(str(solution))} {SAMPLE}.ipynb")

    assert exchange.collect(course, SAMPLE, root) == [CAROL]
    # Her newest submission is collected without the link (refused and reported): no
    # notebook reaches submitted/, and nothing collected holds the solution.
    assert linked.exists() and not (course.submitted / CAROL / SAMPLE / f"{SAMPLE}.ipynb").exists()
    refused = refused_at_collect(course.root, SAMPLE)[CAROL]
    assert any(f"{SAMPLE}.ipynb" in note and "symbolic link" in note for note in refused), refused
    assert not any("BEGIN SOLUTION" in path.read_text(errors="replace")
                   for path in (course.submitted / CAROL).rglob("*") if path.is_file())


def test_nbgraders_own_collect_refuses_too(shared):
    """`nbgrader collect` with the course's config (and so the formgrader's Collect button) obeys the rule."""
    course, root = shared
    _hand_in(root, ALICE, ALICE, EARLIER, _answered(root, "by-alice"))
    forged = _hand_in(root, CAROL, ALICE, LATER, f"cp {_released(root)} .")
    result = course.nbgrader("collect", SAMPLE, f"--Exchange.root={root}")
    assert "REFUSED a submission in dlt-alice's name" in result.stdout
    assert not forged.exists()
    assert "by-alice" in (course.submitted / ALICE / SAMPLE / f"{SAMPLE}.ipynb").read_text()


def test_the_instructors_own_submissions_for_a_simulated_cohort_are_accepted(shared):
    course, root = shared
    folder = _inbound(root) / f"demo-01+{SAMPLE}+{EARLIER}+abc"
    folder.mkdir()
    shutil.copy(root / "dl-intro" / "outbound" / SAMPLE / f"{SAMPLE}.ipynb", folder)
    assert ownership_problem(folder, "demo-01") is None
    assert "owned by root, not by dlt-alice" in ownership_problem(folder, ALICE)
