"""Files that point elsewhere: links in a submission are never followed (issue 12, point 5).

Written as students would, on the fixture assignment (3 points), every attacker with
``square`` right (1 point: the rest of the submission is graded) and ``row_means`` wrong
(so that its solution is a secret the feedback must not show):

- ``linker`` hands in, straight into ``submitted/``, ``notes.txt`` -> the instructor's
  source notebook, ``course`` -> the course's ``source/`` folder and ``grades.db`` -> the
  gradebook, and a cell that prints whatever it can read through them;
- ``sneak`` submits through the exchange, then adds to its ``inbound/`` folder the same
  links, a hard link to a file of the instructor's (the exchange is writable by students;
  the folder belongs to the student, uid 12345 here) and a named pipe;
- ``whole`` makes its whole ``inbound/`` submission folder a link to ``source/00_fixture``.

``collect``, ``autograde`` (sandboxed if the machine can) and ``feedback`` run as the
instructor. Nothing they write may hold the source notebook's solutions or hidden tests,
the refusals must be reported, and the rest of each submission graded.
"""
import html
import json
import os
import re
from pathlib import Path

import nbformat
import pytest

from nbcourse import exchange, sandbox
from nbcourse.authoring import apply_mistake
from nbcourse.course import Course
from nbcourse.hub import ensure_user
from nbcourse.submission_files import refused_at_collect
from nbgrader_harness import secret_lines
from tests.support import attacks

pytestmark = pytest.mark.xdist_group("links")

A = attacks.ASSIGNMENT
STUDENT = "sneak"   # a Unix user of its own: collect takes only submissions their student owns
# The attackers get square right (1 point) and row_means wrong: the solution of row_means
# is then a secret their feedback must not show, and 1 point says the rest was graded.
ROW_MEANS_WRONG = attacks.WRONG[1]
PRINT_THROUGH_LINKS = """
import glob, os
for name in ["notes.txt", "grades.db", "hard.txt", *glob.glob("course/**", recursive=True)]:
    try:
        with open(name, errors="replace") as handle:
            print("READ", name, handle.read())
    except OSError as error:
        print("nothing:", name, type(error).__name__)
"""


def _links(folder: Path, root: Path) -> None:
    """The student's links to the instructor's files, made in ``folder``."""
    os.symlink(root / "source" / A / f"{A}.ipynb", folder / "notes.txt")
    os.symlink(root / "source", folder / "course")
    os.symlink(root / "gradebook.db", folder / "grades.db")


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """The three attackers collected, graded and given feedback: (harness course, outcomes, secret lines)."""
    from nbcourse.autograde import autograde
    from nbcourse.feedback import feedback

    tmp = tmp_path_factory.mktemp("links")
    harness = attacks.new_course(tmp / "course")
    root = harness.root
    real = Course.at(root)
    release = nbformat.read(root / "release" / A / f"{A}.ipynb", as_version=4)
    source = nbformat.read(root / "source" / A / f"{A}.ipynb", as_version=4)
    correct = attacks.build_cohort(release, source)[0].notebook
    reader = attacks._with_cell(apply_mistake(correct, ROW_MEANS_WRONG), PRINT_THROUGH_LINKS)

    box = tmp / "exchange"
    exchange.release(real, A, box)
    sneak = exchange.submit_as(real, A, STUDENT, {A: reader}, box)
    _links(sneak, root)
    secret = tmp / "instructor-only.txt"
    secret.write_text(json.dumps(source))  # root's file, holding the solutions
    os.link(secret, sneak / "hard.txt")
    os.mkfifo(sneak / "pipe")
    student_uid = ensure_user(STUDENT).pw_uid
    for path in [sneak, *sneak.iterdir()]:
        if not path.is_symlink() and path.name != "hard.txt":
            os.chown(path, student_uid, student_uid)
    whole = exchange.submit_as(real, A, "whole", {A: correct}, box)
    for path in whole.iterdir():
        path.unlink()
    whole.rmdir()
    os.symlink(root / "source" / A, whole)
    collected = exchange.collect(real, A, box)

    linker = harness.submit(A, "linker", {A: reader})
    _links(linker, root)

    outcomes = {outcome.student: outcome for outcome in autograde(
        real, A, workers=2, progress=False, unsafe_no_sandbox=not sandbox.check().available)}
    feedback(real, A, progress=False)
    return harness, collected, outcomes, secret_lines(source)


def _every_file(folder: Path):
    return [path for path in folder.rglob("*") if path.is_file() or path.is_symlink()]


def test_collect_copies_no_link_and_reports_each(course):
    harness, collected, _, secrets = course
    assert collected == ["sneak", "whole"]
    folder = harness.root / "submitted" / "sneak" / A
    assert sorted(path.name for path in _every_file(folder)) == [f"{A}.ipynb", "timestamp.txt"]
    assert not os.path.lexists(harness.root / "submitted" / "whole" / A), "a linked submission folder was copied"
    refused = refused_at_collect(harness.root, A)
    assert len(refused["sneak"]) == 5, refused
    for name, why in [("notes.txt", "symbolic link"), ("course", "symbolic link"), ("grades.db", "symbolic link"),
                      ("hard.txt", "hard link"), ("pipe", "named pipe")]:
        assert any(note.startswith(f"{name}: ") and why in note for note in refused["sneak"]), (name, refused)
    assert refused["whole"] and "symbolic link" in refused["whole"][0]


def test_links_handed_straight_in_are_not_followed_and_the_rest_is_graded(course):
    harness, _, outcomes, secrets = course
    assert outcomes["linker"].status == "graded" and outcomes["sneak"].status == "graded", outcomes
    totals = {student: sum(score or 0 for grade_id, score in cells.items() if grade_id.startswith("test_"))
              for student, cells in harness.scores(A).items()}
    assert totals["linker"] == 1.0 and totals["sneak"] == 1.0, totals
    for student in ("linker", "sneak"):
        folder = harness.root / "autograded" / student / A
        assert sorted(path.name for path in _every_file(folder)) == [f"{A}.ipynb", "timestamp.txt"]
        printed = "".join(output.get("text", "") for cell in nbformat.read(folder / f"{A}.ipynb", as_version=4).cells
                          for output in cell.get("outputs", []))
        assert "READ" not in printed, f"{student}'s answer cell read through a link:\n{printed[:2000]}"
        assert "nothing: notes.txt FileNotFoundError" in printed, printed


def test_feedback_carries_no_solution_and_no_hidden_test(course):
    harness, _, _, secrets = course
    for student in ("linker", "sneak"):
        handed_in = nbformat.read(harness.root / "submitted" / student / A / f"{A}.ipynb", as_version=4)
        own = {line.strip() for cell in handed_in.cells for line in cell.source.splitlines()}
        unknown = secrets - own  # the hidden tests, row_means' solution
        assert "return np.mean(A, axis=1, keepdims=True)" in unknown and len(unknown) > 3, unknown
        folder = harness.root / "feedback" / student / A
        assert sorted(path.name for path in _every_file(folder)) == [f"{A}.html", "timestamp.txt"]
        text = (folder / f"{A}.html").read_text()
        flat = " ".join(html.unescape(re.sub(r"<[^>]+>", "", text)).split())
        leaked = [line for line in unknown if " ".join(line.split()) in flat]
        assert not leaked, f"{student}'s feedback holds {leaked}"


def test_the_grading_run_reports_what_it_refused(course, tmp_path):
    """The private grading copy refuses the links it finds itself and repeats what collect refused."""
    from nbcourse import trusted_grading
    from nbcourse.autograde import grading_features
    from nbcourse.grading import grade_submission

    harness, _, _, _ = course
    helpers_view = trusted_grading.reference_view(A, tmp_path / "run")
    for student, expected in (("linker", ["notes.txt", "course", "grades.db"]),
                              ("sneak", ["notes.txt", "course", "grades.db", "hard.txt", "pipe"])):
        workdir = tmp_path / student
        features = grading_features(workdir, helpers_view, sandboxed=sandbox.check().available)
        result = grade_submission(harness.root, A, student, workdir, features, timeout=300)
        assert result.ok, result.reason
        for name in expected:
            assert any(f"refused {name}: " in note for note in result.problems), (student, name, result.problems)


def test_the_grading_log_and_the_report_say_which_files_were_dropped(course):
    from nbcourse.report import build_report

    harness, _, outcomes, _ = course
    assert any("refused notes.txt: a symbolic link" in note for note in outcomes["linker"].problems)
    assert any("collect refused hard.txt: a hard link" in note for note in outcomes["sneak"].problems)
    page = build_report(Course.at(harness.root)).read_text()
    assert "notes.txt: a symbolic link" in page and "hard.txt: a hard link" in page


def test_copy_submission_refuses_links_at_any_depth_and_copies_the_rest(tmp_path):
    """The copy alone: nested and dangling links, a link to a folder, ignored names, contents kept."""
    from nbcourse.submission_files import copy_submission

    secret = tmp_path / "secret.txt"
    secret.write_text("SOLUTIONS")
    src = tmp_path / "hand-in"
    (src / "data" / "deeper").mkdir(parents=True)
    (src / "data" / "deeper" / "points.csv").write_text("1,2\n")
    (src / ".ipynb_checkpoints").mkdir()
    os.symlink(secret, src / "data" / "deeper" / "notes.txt")
    os.symlink(tmp_path, src / "data" / "up")
    os.symlink(tmp_path / "gone", src / "dangling")
    refused = copy_submission(src, tmp_path / "copy", ignore=lambda folder, names: {".ipynb_checkpoints"} & set(names))
    assert sorted(entry.path for entry in refused) == ["dangling", "data/deeper/notes.txt", "data/up"]
    copied = sorted(str(path.relative_to(tmp_path / "copy")) for path in (tmp_path / "copy").rglob("*"))
    assert copied == ["data", "data/deeper", "data/deeper/points.csv"]
    assert (tmp_path / "copy" / "data" / "deeper" / "points.csv").read_text() == "1,2\n"
    assert not any(path.is_symlink() for path in (tmp_path / "copy").rglob("*"))
