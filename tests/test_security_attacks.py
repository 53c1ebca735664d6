"""Adversarial cohorts graded by the real pipeline (``nbcourse.autograde``, sandboxed).

Two cohorts from ``tests/support/attacks.py``, each graded in one autograde run (2 workers):

- the fixture cohort: honest students (right, blank, wrong, right with warnings), then
  one student per attack, on plain nbgrader and on this grader (the servant forged or
  replaced, json/NumPy/helpers/builtins patched, trace and profile hooks, a signal
  handler, a background thread, input transformers, forged linecache, fake verdicts on
  stdout, fds 1 and 2, as reply display_data and execute_result, lying objects, forged
  cell and notebook metadata), each carrying wrong answers (or, for the crash students,
  right ones: they must keep the credit they earned before crashing). Plain nbgrader
  grades the honest students alone, for comparison.
- the delegation cohort on ``05_initialization``: every graded function handed to the
  ``helpers`` reference by one route each; the grade must be the blank notebook's, and
  the report must list every delegation. And 02's ``L_model_backward`` (the issue's
  example) handed to ``helpers.L_model_backward`` or to its private layer steps.

And the student's own lab: in a plain kernel, after ``H.own_work``, a graded function that
calls the reference by any route fails while a top-level call works. About 10 minutes on 2 busy cores (three autograde runs).
"""
import ast
import json

import nbformat
import pytest

from nbcourse import sandbox
from nbcourse.flags import scan_notebook
from tests.support import attacks

pytestmark = [
    pytest.mark.xdist_group("attacks"),
    pytest.mark.skipif(not sandbox.check().available, reason=f"no sandbox here: {sandbox.check().reason}"),
]

# Graded by plain nbgrader too: these must get exactly plain nbgrader's grades.
HONEST = ("correct", "blank", "wrong", "wrong_stderr")
# Categories of flags the static scan must raise for each classic attack's notebook.
EXPECTED_FLAGS = {
    "patch_numpy": "namespace", "empty_cells": "ipython", "swallow": "ipython", "strip_asserts": "ipython",
    "repatch": "ipython", "vandal": "filesystem", "reader": "network",
    "os_exit": "process", "segfault": "process",
}


def _definition(gradebook, assignment):
    """The assignment as the gradebook defines it (what a student could try to rewrite)."""
    found = gradebook.find_assignment(assignment)
    return [(cell.name, cell.max_score, cell.cell_type) for notebook in found.notebooks
            for cell in notebook.grade_cells] + [(cell.name, cell.source, cell.checksum)
                                                 for notebook in found.notebooks for cell in notebook.source_cells]


def _autograded(course, student, assignment=attacks.ASSIGNMENT):
    path = course.root / "autograded" / student / assignment / f"{assignment}.ipynb"
    return nbformat.read(path, as_version=4) if path.exists() else None


def _output_text(nb, grade_id=None, stream=None):
    """What the autograded notebook shows as output (of one cell, or of one stream)."""
    if nb is None:
        return ""
    return "\n".join(f"{out.get('text', '')}{out.get('ename', '')}: {out.get('evalue', '')}"
                     for cell in nb.cells if grade_id is None or cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id
                     for out in cell.get("outputs", []) if stream is None or out.get("name") == stream)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The fixture cohort graded by this grader, and its honest students by plain nbgrader."""
    tmp_path = tmp_path_factory.mktemp("attacks")
    course = attacks.new_course(tmp_path / "everyone")
    cohort = attacks.build_cohort(*attacks.release_and_source(course))
    attacks.hand_in(course, cohort)
    before = attacks.fingerprint(course.root)
    with course.gradebook() as gradebook:
        definition = _definition(gradebook, attacks.ASSIGNMENT)
    outcomes = attacks.grade_ours(course)
    honest_only = attacks.new_course(tmp_path / "honest")
    attacks.hand_in(honest_only, [s for s in cohort if s.name in HONEST])
    honest_only.autograde(attacks.ASSIGNMENT)
    return cohort, (course, before, definition, outcomes), honest_only


@pytest.fixture(scope="module")
def delegated(tmp_path_factory):
    """The delegation cohort of ``05_initialization`` graded by this grader."""
    course = attacks.new_course(tmp_path_factory.mktemp("delegation") / "course", attacks.REAL)
    release, source = attacks.release_and_source(course, attacks.REAL)
    cohort = attacks.build_delegation_cohort(release, source)
    attacks.hand_in(course, cohort, attacks.REAL)
    return cohort, course, attacks.grade_ours(course, attacks.REAL), source


# --- the fixture cohort ----------------------------------------------------------------------

def test_every_student_is_graded_and_no_attack_earns_more_than_its_answers(graded):
    cohort, (course, _, _, outcomes), _ = graded
    totals = attacks.totals(course)
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
    totals = attacks.totals(course)
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
        assert _definition(gradebook, attacks.ASSIGNMENT) == definition


def test_honest_students_grade_exactly_as_plain_nbgrader_grades_them(graded):
    _, (course, _, _, _), alone = graded
    with_attackers = course.scores(attacks.ASSIGNMENT)
    assert {name: with_attackers[name] for name in HONEST} == alone.scores(attacks.ASSIGNMENT)


def test_warnings_are_shown_and_cost_nothing(graded):
    _, (course, _, _, _), _ = graded
    assert attacks.totals(course)["warnings"] == 3.0
    graded_nb = _autograded(course, "warnings")
    square_err = _output_text(graded_nb, "test_square", stream="stderr")
    assert "harmless warning" in square_err and "note on stderr" in square_err and "fd 2" in square_err, square_err
    assert "RuntimeWarning" in _output_text(graded_nb, "test_row_means", stream="stderr")
    assert "computing 2x" in _output_text(_autograded(course, "wrong_stderr"), "test_square", stream="stderr")


def test_feedback_says_what_happened(graded):
    _, (course, _, _, outcomes), _ = graded
    expectations = {
        "os_exit": "KernelDied", "segfault": "segmentation fault", "loop": "CellTimeoutError",
        "flood": "Output truncated", "memory": "MemoryError",
        # the hidden test's own message: the forged values were compared, and were wrong
        "forge_servant": "square(x) has shape (2, 1), but shape (3, 4)",
        "lying_objects": "square(3.0) is not correct: got 6, expected 9",
    }
    for student, phrase in expectations.items():
        assert phrase in _output_text(_autograded(course, student)), f"{student}: feedback lacks {phrase!r}"
    reader = _output_text(_autograded(course, "reader"))
    assert "LEAKED HIDDEN TESTS" not in reader and "NETWORK REACHABLE" not in reader and "no network" in reader
    log = json.loads((course.root / "reports" / "autograde" / f"{attacks.ASSIGNMENT}.json").read_text())
    assert "os_exit" in json.dumps(log)


def test_forged_metadata_is_not_trusted(graded):
    _, (course, _, _, outcomes), _ = graded
    scores = course.scores(attacks.ASSIGNMENT)
    # a claimed new grade id earns nothing and is noted; the claimed test_square is the source's test
    assert set(scores["claims_test_id"]) == set(scores["correct"])
    assert any("test_bonus" in note for note in outcomes["claims_test_id"].problems), outcomes["claims_test_id"]
    assert "all tests passed" not in _output_text(_autograded(course, "claims_test_id"), "test_square")
    # the grader's record in a submission is dropped: no forged note, no forged delegation
    forged = outcomes["forged_verdicts"]
    assert forged.delegations == [] and not any("forged" in note for note in forged.problems), forged
    record = _autograded(course, "forged_verdicts").metadata["nbcourse"]
    assert not any(verdict["passed"] for verdict in record["verdicts"].values()), record
    # cells marked as the grader's own stay, output and all; their metadata is not kept
    marked = _autograded(course, "marked_injected")
    assert attacks.STUDENT_CELL_MARK in _output_text(marked)
    assert not any("nbcourse" in cell.metadata for cell in marked.cells)


def test_the_static_scan_flags_each_classic_attack_and_none_of_the_stealthy(graded):
    cohort, _, _ = graded
    for student in cohort:
        if student.name in EXPECTED_FLAGS:
            categories = {flag.category for flag in scan_notebook(student.notebook)}
            assert EXPECTED_FLAGS[student.name] in categories, (student.name, categories)
        elif student.stealth or not student.attack:
            # the stealthy attacks get no help from the scan: only the checker stops them
            assert scan_notebook(student.notebook) == [], student.name


# --- the delegation cohort -------------------------------------------------------------------

def test_delegating_to_the_reference_earns_what_the_blank_notebook_earns(delegated):
    cohort, course, outcomes, _ = delegated
    totals = attacks.totals(course, attacks.REAL)
    assert totals["correct"] == 13.0, (totals, outcomes["correct"])
    assert all(outcomes[student.name].status == "graded" for student in cohort), outcomes
    overpaid = {student.name: (totals[student.name], course.scores(attacks.REAL)[student.name])
                for student in cohort if totals[student.name] != student.honest_score}
    assert not overpaid, f"scored other than their own work: {overpaid}"


def test_every_delegation_is_listed_in_the_log_and_the_report(delegated):
    from nbcourse.course import Course
    from nbcourse.report import build_report

    cohort, course, outcomes, source = delegated
    tests_of = {function: f"test_{function}" for function in attacks.delegated_functions(source)}
    assert outcomes["correct"].delegations == [] and outcomes["blank"].delegations == []
    page = build_report(Course.at(course.root), course.root / "report.html").read_text()
    section = page.split("Answers that called a withheld reference")[1].split("<h2>")[0]
    for student in cohort:
        if not student.name.startswith("via_"):
            continue
        listed = outcomes[student.name].delegations
        expected = set(tests_of.values()) if student.name != "via_other_names" else \
            {f"test_{name}" for name in attacks.OTHER_NAMES_05}
        assert {line.split(":")[0] for line in listed} == expected, (student.name, listed)
        for line in listed:
            assert line.split(":", 1)[1].strip() in section, (student.name, line)
    other = " ".join(outcomes["via_other_names"].delegations)
    assert "helpers._init_factor" in other, other


def test_a_delegating_answer_is_told_why_in_its_feedback(delegated):
    _, course, _, _ = delegated
    text = _output_text(_autograded(course, "via_code_copy", attacks.REAL), "test_initialize_parameters")
    assert "WithheldReference" in text and "write `initialize_parameters` yourself" in text, text


@pytest.fixture(scope="module")
def backprop(tmp_path_factory):
    """02's cohort (the issue's L_model_backward) graded by this grader."""
    course = attacks.new_course(tmp_path_factory.mktemp("backprop") / "course", attacks.BACKPROP)
    cohort = attacks.build_backprop_cohort(*attacks.release_and_source(course, attacks.BACKPROP))
    attacks.hand_in(course, cohort, attacks.BACKPROP)
    return course, attacks.grade_ours(course, attacks.BACKPROP)


def test_L_model_backward_handed_to_the_reference_or_its_private_steps_earns_nothing(backprop):
    course, outcomes = backprop
    totals = attacks.totals(course, attacks.BACKPROP)
    scores = course.scores(attacks.BACKPROP)
    assert all(outcome.status == "graded" for outcome in outcomes.values()), outcomes
    assert scores["missing_backward"]["test_L_model_backward"] == 0.0
    assert totals["missing_backward"] >= 10, totals   # the rest of the work is graded as usual
    for name in ("via_module_backward", "via_private_backward"):
        assert totals[name] <= totals["missing_backward"], (name, scores[name], scores["missing_backward"])
        assert any(line.startswith("test_L_model_backward:") for line in outcomes[name].delegations), outcomes[name]
    assert "helpers.L_model_backward" in " ".join(outcomes["via_module_backward"].delegations)
    assert "helpers._output_layer_backward" in " ".join(outcomes["via_private_backward"].delegations)


# --- the student's own lab ------------------------------------------------------------------------

LAB_SESSION = """
import importlib
import helpers as H
H.own_work("05_initialization")
from helpers.nn import initialize_parameters as imported_after

ROUTES = {
    "alias": lambda dims: H.initialize_parameters(dims, "he", seed=0),
    "from_import": lambda dims: imported_after(dims, "he", seed=0),
    "importlib": lambda dims: importlib.import_module("helpers.nn").initialize_parameters(dims, "he", seed=0),
    "other_name": lambda dims: H.initialize_parameters_he(dims, 0),
    "private": lambda dims: H.nn._init_factor("he", dims[0], dims[1], 0),
}
outcomes = {"top_level": sorted(H.initialize_parameters([3, 2], "he", seed=0))}   # a demonstration: allowed
for route, delegate in ROUTES.items():
    def initialize_parameters(layer_dims, method="he", seed=None, scale=0.01):   # the graded function, delegating
        return delegate(layer_dims)
    try:
        initialize_parameters([3, 2])
        outcomes[route] = "ran"
    except H.WithheldReference as error:
        outcomes[route] = str(error)
print(repr(outcomes))
"""


def test_in_the_lab_a_graded_function_cannot_call_the_reference_by_any_route():
    from jupyter_client.manager import start_new_kernel

    from nbgrader_harness import nbgrader_env

    manager, client = start_new_kernel(kernel_name="python3", env=nbgrader_env())
    printed = []
    try:
        reply = client.execute_interactive(LAB_SESSION, timeout=120, output_hook=printed.append)
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    assert reply["content"]["status"] == "ok", reply["content"]
    text = "".join(message["content"].get("text", "") for message in printed if message["msg_type"] == "stream")
    outcomes = ast.literal_eval(text.strip())
    assert outcomes.pop("top_level") == ["W1", "b1"]
    assert all(result.startswith("write `") for result in outcomes.values()), outcomes
    assert "`initialize_parameters`" in outcomes["alias"] and "`_init_factor`" in outcomes["private"]
