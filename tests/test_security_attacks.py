"""An adversarial cohort graded by the real pipeline (``nbcourse.autograde``).

The cohort is ``bench/attacks.py``'s: honest students, then one student per known
attack on plain nbgrader, each carrying wrong answers (or, for the crash students,
right ones: they must keep the credit they earned before crashing). One autograde run
grades them all, sandboxed, with the integrity checks; plain nbgrader grades the honest
students alone, for comparison. About 4 minutes on 2 busy cores.
"""
import json
import sys
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

import attacks  # noqa: E402  (bench/attacks.py: the cohort)
from nbcourse import sandbox  # noqa: E402
from nbcourse.flags import scan_notebook  # noqa: E402

pytestmark = [
    pytest.mark.xdist_group("attacks"),
    pytest.mark.skipif(not sandbox.check().available, reason=f"no sandbox here: {sandbox.check().reason}"),
]

HONEST = ("correct", "blank", "wrong")
# Categories of flags the static scan must raise for each attack's notebook.
EXPECTED_FLAGS = {
    "patch_numpy": "namespace", "empty_cells": "ipython", "swallow": "ipython", "strip_asserts": "ipython",
    "keep_proof": "ipython", "repatch": "ipython", "vandal": "filesystem", "reader": "network",
    "os_exit": "process", "segfault": "process",
}


def _run(tmp_path, name, students, monkeypatch):
    """Hand ``students`` in to a fresh fixture course and grade them with the pipeline."""
    from nbcourse.autograde import autograde
    from nbcourse.course import Course

    course = attacks.new_course(tmp_path / name)
    attacks.hand_in(course, students)
    before = attacks.fingerprint(course.root)
    with course.gradebook() as gradebook:
        definition = _definition(gradebook)
    monkeypatch.setenv("NBCOURSE_SANDBOX_MEMORY_MB", "1024")   # the memory eater stops at 1 GB
    outcomes = {outcome.student: outcome
                for outcome in autograde(Course.at(course.root), attacks.ASSIGNMENT, workers=2, progress=False)}
    return course, before, definition, outcomes


def _definition(gradebook):
    """The assignment as the gradebook defines it (what a student could try to rewrite)."""
    assignment = gradebook.find_assignment(attacks.ASSIGNMENT)
    return [(cell.name, cell.max_score, cell.cell_type) for notebook in assignment.notebooks
            for cell in notebook.grade_cells] + [(cell.name, cell.source, cell.checksum)
                                                 for notebook in assignment.notebooks for cell in notebook.source_cells]


def _totals(course):
    return {student: sum(score or 0 for grade_id, score in cells.items() if grade_id.startswith("test_"))
            for student, cells in course.scores(attacks.ASSIGNMENT).items()}


def _feedback_text(course, student):
    """Everything the student's autograded notebook shows as output (errors included)."""
    path = course.root / "autograded" / student / attacks.ASSIGNMENT / f"{attacks.ASSIGNMENT}.ipynb"
    if not path.exists():
        return ""
    return "\n".join(f"{out.get('text', '')}{out.get('ename', '')}: {out.get('evalue', '')}"
                     for cell in nbformat.read(path, as_version=4).cells for out in cell.get("outputs", []))


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    monkeypatch = pytest.MonkeyPatch()
    tmp_path = tmp_path_factory.mktemp("attacks")
    source_course = attacks.new_course(tmp_path / "template")
    release = nbformat.read(source_course.root / "release" / attacks.ASSIGNMENT / f"{attacks.ASSIGNMENT}.ipynb",
                            as_version=4)
    source = nbformat.read(source_course.root / "source" / attacks.ASSIGNMENT / f"{attacks.ASSIGNMENT}.ipynb",
                           as_version=4)
    cohort = attacks.build_cohort(release, source)
    try:
        everyone = _run(tmp_path, "everyone", cohort, monkeypatch)
    finally:
        monkeypatch.undo()
    # The honest students alone, graded by plain nbgrader in one call: what they deserve.
    honest_only = attacks.new_course(tmp_path / "honest")
    attacks.hand_in(honest_only, [s for s in cohort if s.name in HONEST])
    honest_only.autograde(attacks.ASSIGNMENT)
    return cohort, everyone, honest_only


def test_every_student_is_graded_and_no_attack_earns_more_than_its_answers(graded):
    cohort, (course, _, _, outcomes), _ = graded
    totals = _totals(course)
    report = {s.name: (outcomes[s.name].status, outcomes[s.name].reason, totals.get(s.name)) for s in cohort}
    for student in cohort:
        assert student.name in outcomes, f"{student.name} has no outcome: {report}"
        assert totals.get(student.name, 0.0) <= student.honest_score, (student.name, report[student.name])
    for student in cohort:
        if student.notebook is None or isinstance(student.notebook, str):
            continue  # a missing or unreadable notebook: see the next test
        expected = "crashed" if student.name in ("os_exit", "segfault") else "graded"
        assert outcomes[student.name].status == expected, (student.name, report[student.name])
        assert totals[student.name] == student.honest_score, (student.name, report[student.name])
    assert "segmentation fault" in outcomes["segfault"].reason


def test_unreadable_or_missing_notebooks_are_reported_and_earn_nothing(graded):
    _, (course, _, _, outcomes), _ = graded
    totals = _totals(course)
    for name in ("malformed", "missing"):
        outcome = outcomes[name]
        assert outcome.status == "unreadable" and outcome.reason, (name, outcome)
        assert totals[name] == 0.0, f"{name} must be in the gradebook, with 0"
        feedback = list((course.root / "feedback" / name).glob("*/*.html"))
        assert feedback and "could not be graded" in feedback[0].read_text(), f"{name}: no feedback saying why"


def test_no_student_code_touched_source_submissions_or_gradebook_definition(graded):
    _, (course, before, definition, _), _ = graded
    assert attacks.fingerprint(course.root) == before
    with course.gradebook() as gradebook:
        assert _definition(gradebook) == definition


def test_honest_grades_do_not_depend_on_the_attackers(graded):
    _, (course, _, _, _), alone = graded
    with_attackers = course.scores(attacks.ASSIGNMENT)
    without = alone.scores(attacks.ASSIGNMENT)
    assert {name: with_attackers[name] for name in HONEST} == without


def test_feedback_says_what_happened(graded):
    _, (course, _, _, outcomes), _ = graded
    expectations = {
        "os_exit": "KernelDied", "segfault": "segmentation fault", "loop": "CellTimeoutError",
        "flood": "Output truncated", "memory": "MemoryError",
        "empty_cells": "IntegrityError", "keep_proof": "rewritten before it ran",
    }
    for student, phrase in expectations.items():
        assert phrase in _feedback_text(course, student), f"{student}: feedback lacks {phrase!r}"
    assert "LEAKED HIDDEN TESTS" not in _feedback_text(course, "reader")
    assert "NETWORK REACHABLE" not in _feedback_text(course, "reader")
    assert "no network" in _feedback_text(course, "reader")
    assert any("numpy.allclose" in problem for problem in outcomes["patch_numpy"].problems)
    assert any(problem.startswith("test_square:") for problem in outcomes["empty_cells"].problems)
    log = json.loads((course.root / "reports" / "autograde" / f"{attacks.ASSIGNMENT}.json").read_text())
    assert "os_exit" in json.dumps(log)


def test_the_static_scan_flags_each_attack(graded):
    cohort, _, _ = graded
    for student in cohort:
        if student.name in EXPECTED_FLAGS:
            categories = {flag.category for flag in scan_notebook(student.notebook)}
            assert EXPECTED_FLAGS[student.name] in categories, (student.name, categories)
        elif not student.attack:
            assert scan_notebook(student.notebook) == [], student.name
