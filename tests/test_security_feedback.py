"""Hidden tests stay hidden: the feedback a student fetches shows each check's verdict and
message, never the hidden tests' code (issue 12, point 3).

One real assignment (01_perceptron), three students graded by ``nbcourse.autograde``:

- ``solution``: every answer right (every hidden test passes);
- ``hard_coder``: two answers return the visible test's expected number, so those visible
  checks pass and the hidden ones fail with their message;
- ``snoop``: the same wrong answers, plus a function that prints the test cell calling it
  (IPython's input history) and a last cell printing the whole history: the hidden tests
  ran in its kernel, so it tries to get them into its own outputs.

``python -m nbcourse feedback`` then writes their pages; every significant line of every
hidden test of the source notebook is looked for in each page's text (HTML tags and
escapes removed). ``c.HideHiddenTests.enabled = False`` must bring nbgrader's full
feedback back. About 2 minutes on 2 busy cores.
"""
import copy
import html
import re

import nbformat
import pytest

from nbcourse import sandbox
from nbcourse.authoring import apply_mistake, fill_answers, load_mistakes
from nbcourse.preprocessors.hide_hidden_tests import plain, significant, split_hidden
from nbgrader_harness import Course

ASSIGNMENT = "01_perceptron"
HARD_CODED = ("perceptron hard-codes the visible test's expected output",
              "cross-entropy hard-codes the visible test's expected output")
FAILING_HIDDEN = ("test_perceptron_forward", "test_binary_cross_entropy")

# The student's function prints the cell that called it; a last cell prints every input.
SNOOP_IN_ANSWER = (
    "    print(get_ipython().user_ns['In'][-1])  # the test cell that is calling me\n"
)
SNOOP_CELL = "print('\\n'.join(get_ipython().user_ns['In']))"

STUDENTS = ("solution", "hard_coder", "snoop")
HARD_CODED_RETURN = "    return 0.4003674356962309"

pytestmark = pytest.mark.xdist_group("feedback-01")


def page_text(path) -> str:
    """What a feedback page says: HTML tags dropped, entities decoded, blanks collapsed."""
    return plain(html.unescape(re.sub(r"<[^>]+>", "", path.read_text())))


def hidden_lines(source_nb) -> set[str]:
    """Significant lines of the hidden tests that appear nowhere else in the source notebook."""
    hidden, elsewhere = set(), set()
    for cell in source_nb.cells:
        visible, secret = split_hidden(cell.source, "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
        hidden.update(plain(line) for line in secret if significant(line))
        elsewhere.update(plain(line) for line in visible.splitlines())
    return hidden - elsewhere


def _cell(nb, grade_id):
    return next(cell for cell in nb.cells if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def _cohort(release, source) -> dict:
    solution = fill_answers(release, source)
    hard_coder = solution
    for mistake in load_mistakes(ASSIGNMENT):
        if mistake.name in HARD_CODED:
            hard_coder = apply_mistake(hard_coder, mistake)
    snoop = copy.deepcopy(hard_coder)
    answer = _cell(snoop, "binary_cross_entropy")
    assert answer.source.count(HARD_CODED_RETURN) == 1, answer.source
    answer.source = answer.source.replace(HARD_CODED_RETURN, SNOOP_IN_ANSWER + HARD_CODED_RETURN)
    snoop.cells.append(nbformat.v4.new_code_cell(SNOOP_CELL))
    return {"solution": solution, "hard_coder": hard_coder, "snoop": snoop}


def _pages(course) -> dict:
    return {student: page_text(course.root / "feedback" / student / ASSIGNMENT / f"{ASSIGNMENT}.html")
            for student in STUDENTS}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The cohort graded, its feedback pages as the course gives them, then with full feedback."""
    from nbcourse import course as nbcourse_course
    from nbcourse.autograde import autograde
    from nbcourse.feedback import feedback

    course = Course(tmp_path_factory.mktemp("feedback"), [ASSIGNMENT])
    release = course.generate(ASSIGNMENT)[ASSIGNMENT]
    source = course.source(ASSIGNMENT)[ASSIGNMENT]
    for student, notebook in _cohort(release, source).items():
        course.submit(ASSIGNMENT, student, {ASSIGNMENT: notebook})
    real = nbcourse_course.Course.at(course.root)
    outcomes = autograde(real, ASSIGNMENT, workers=2, progress=False,
                         unsafe_no_sandbox=not sandbox.check().available)
    assert [outcome.status for outcome in outcomes] == ["graded"] * len(STUDENTS), outcomes
    feedback(real, ASSIGNMENT, progress=False)
    hidden_pages = _pages(course)
    with open(course.root / "nbgrader_config.py", "a") as config:
        config.write("\nc.HideHiddenTests.enabled = False\n")
    feedback(real, ASSIGNMENT, progress=False)
    return course, source, hidden_pages, _pages(course)


def test_no_hidden_test_line_appears_in_any_feedback_page(graded):
    _, source, pages, _ = graded
    secret = hidden_lines(source)
    assert len(secret) > 20, f"too few hidden lines to check: {sorted(secret)}"
    for student, text in pages.items():
        leaked = sorted(line for line in secret if line in text)
        assert not leaked, f"{student}'s feedback shows {len(leaked)} hidden test lines:\n" + "\n".join(leaked)


def test_the_failing_checks_message_and_the_visible_tests_are_in_the_feedback(graded):
    course, source, pages, _ = graded
    for student in ("hard_coder", "snoop"):
        autograded = course.autograded(ASSIGNMENT, student)[ASSIGNMENT]
        for grade_id in FAILING_HIDDEN:
            errors = [output for output in _cell(autograded, grade_id).outputs if output.output_type == "error"]
            assert errors, f"{student}: {grade_id} did not fail in the autograded notebook"
            message = plain(errors[-1].evalue.splitlines()[0])
            assert len(message) > 20 and message in pages[student], (student, grade_id, message)
            visible = split_hidden(_cell(source, grade_id).source, "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")[0]
            first = plain(visible.splitlines()[0])
            assert first in pages[student], f"{student}: the visible test of {grade_id} is not shown"
    # the hidden check that failed is named by its message: which check, what came back
    assert "perceptron_forward for one input" in pages["hard_coder"]
    assert "Score: 0.0 / 2.0" in pages["hard_coder"] and "Score: 2.0 / 2.0" in pages["solution"]


def test_the_instructors_autograded_notebooks_keep_the_hidden_tests(graded):
    course, source, _, _ = graded
    secret = hidden_lines(source)
    for student in STUDENTS:
        notebook = course.autograded(ASSIGNMENT, student)[ASSIGNMENT]
        text = plain("\n".join(cell.source for cell in notebook.cells))
        assert all(line in text for line in secret), f"{student}'s autograded notebook lost hidden tests"


def test_full_feedback_setting_brings_nbgraders_feedback_back(graded):
    _, source, _, full_pages = graded
    secret = hidden_lines(source)
    for student, text in full_pages.items():
        missing = sorted(line for line in secret if line not in text)
        assert not missing, f"{student}: full feedback lacks {len(missing)} hidden lines, e.g. {missing[:3]}"


def test_hidden_lines_are_dropped_from_coloured_frames_highlighted_html_and_streams():
    """The preprocessor alone, on one test cell with every kind of output quoting its hidden part."""
    from nbcourse.preprocessors.hide_hidden_tests import HideHiddenTests

    source = ("assert_close('f(1)', f(1), 2)\n### BEGIN HIDDEN TESTS\nx = secret_input(42)\n"
              "assert_close('f(x)', f(x), 7, hint='add one')\n### END HIDDEN TESTS")
    cell = nbformat.v4.new_code_cell(source, metadata={"nbgrader": {"grade_id": "test_f", "grade": True}})
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stderr", text="Warning: careful\n  x = secret_input(42)\n"),
        nbformat.v4.new_output("display_data", data={
            "text/html": "<pre><span>x</span> <span>=</span> secret_input(<span>42</span>)</pre>",
            "text/plain": "x = secret_input(42)\nkept"}),
        nbformat.v4.new_output("error", ename="_Fail", evalue="f(x) is not correct: got 1, expected 7", traceback=[
            "Cell \x1b[0;32mIn[3], line 4\x1b[0m\n      3 x \x1b[38;5;241m=\x1b[39m secret_input(42)\n----> 4 ...",
            "File ~/answer.py:2, in f(x)\n----> 2 return x + 1",
            "_Fail: f(x) is not correct: got 1, expected 7"]),
    ]
    other = nbformat.v4.new_code_cell("print(In)")
    other.outputs = [nbformat.v4.new_output("stream", name="stdout", text="['', 'x = secret_input(42)']\n")]
    preprocessor = HideHiddenTests()
    preprocessor._test_sources = lambda *args: {"test_f": source}  # the gradebook's copy, without a gradebook
    notebook = nbformat.v4.new_notebook(cells=[cell, other])
    notebook, _ = preprocessor.preprocess(notebook, {"nbgrader": {"db_url": "", "notebook": "n", "assignment": "a"}})
    shown = nbformat.writes(notebook)
    assert "secret_input" not in shown and "add one" not in shown, shown
    stream, display, error = notebook.cells[0].outputs
    assert stream.text == "Warning: careful\n" and display.data == {"text/plain": "kept"}
    assert error.evalue == "f(x) is not correct: got 1, expected 7"
    assert error.traceback[0].startswith("File ~/answer.py:2, in f(x)") and len(error.traceback) == 2
    assert notebook.cells[0].source.startswith("assert_close('f(1)', f(1), 2)\n# ... and hidden tests")


def test_a_test_cell_missing_from_the_gradebook_is_cut_at_its_own_markers():
    from nbcourse.preprocessors.hide_hidden_tests import HideHiddenTests

    source = "assert f(1) == 2\n### BEGIN HIDDEN TESTS\nassert f(secret_case()) == 7\n### END HIDDEN TESTS"
    cell = nbformat.v4.new_code_cell(source, metadata={"nbgrader": {"grade_id": "test_g", "grade": True,
                                                                    "solution": False, "points": 1}})
    cell.outputs = [nbformat.v4.new_output("error", ename="AssertionError", evalue="", traceback=[
        "Cell In[2], line 3\n      1 assert f(1) == 2\n----> 3 assert f(secret_case()) == 7", "AssertionError: "])]
    preprocessor = HideHiddenTests()
    preprocessor._test_sources = lambda *args: {}
    notebook, _ = preprocessor.preprocess(nbformat.v4.new_notebook(cells=[cell]),
                                          {"nbgrader": {"db_url": "", "notebook": "n", "assignment": "a"}})
    assert "secret_case" not in nbformat.writes(notebook)
    assert notebook.cells[0].outputs[0].traceback == ["AssertionError: "]
