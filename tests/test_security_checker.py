"""The trusted grading pipeline's parts without a kernel: the value format, the checker's
namespace, verdict scoring, cell roles from the source notebook, the output limit."""
import json

import nbformat
import numpy as np
import pytest

from nbcourse import authoring, checker, trusted_grading, values
from nbcourse.cells import RESOURCES_KEY
from nbcourse.checker import MAX_OUTPUT_BYTES
from nbcourse.preprocessors.checked_execute import CheckedExecute
from nbcourse.preprocessors.trust_source_cells import TrustSourceCells


def round_trip(value):
    objects = {}

    def handle_of(obj):
        objects[id(obj)] = obj
        return {"handle": id(obj)}

    data = json.loads(json.dumps(values.encode(value, handle_of)))
    return values.decode(data, objects.__getitem__)


def test_values_keep_types_shapes_and_dtypes():
    value = {"W1": np.arange(6.0).reshape(2, 3), 3: (np.float32(1.5), np.int64(-2), True, None),
             "nested": [np.zeros((0, 4)), {"z": 1 + 2j}], "text": "é", "big": 2 ** 70,
             "special": (float("inf"), float("-inf"))}
    back = round_trip(value)
    assert back.keys() == value.keys()
    np.testing.assert_array_equal(back["W1"], value["W1"])
    assert back["W1"].dtype == np.float64 and back[3][0].dtype == np.float32 and type(back[3][0]) is np.float32
    assert back[3][1:] == (-2, True, None) and type(back[3]) is tuple and type(back["nested"]) is list
    assert back["nested"][0].shape == (0, 4) and back["nested"][1] == {"z": 1 + 2j}
    assert back["text"] == "é" and back["big"] == 2 ** 70 and back["special"] == (float("inf"), float("-inf"))
    assert np.isnan(round_trip(float("nan")))


def test_objects_that_are_not_values_travel_as_handles_and_functions_by_name():
    class Layer:
        pass

    layer = Layer()
    assert round_trip([layer])[0] is layer
    assert values.encode(np.tanh, lambda obj: {"handle": 0}) == {"ref": ["numpy", "tanh"]}
    generator = np.random.default_rng(31)
    copy = round_trip(generator)
    assert copy is not generator and copy.random() == generator.random()


@pytest.mark.parametrize("data, why", [
    ({"dtype": "|O", "shape": [1], "data": ""}, "not allowed"),                    # object arrays: pickle
    ({"dtype": "<f8", "shape": [3], "data": "AAAA"}, "does not match"),           # short data
    ({"dtype": "<f8", "shape": [10 ** 9], "data": ""}, "too large"),
    ({"pickle": "gASVAAA="}, "unknown kind"),
    ([1, 2], "bare list"),
    ({"handle": "1"}, "unknown kind"),
])
def test_malformed_or_dangerous_values_are_refused(data, why):
    with pytest.raises(values.ValueFormatError, match=why):
        values.decode(data, lambda handle: None)


def test_values_refuse_deep_nesting():
    data = 1
    for _ in range(values.MAX_DEPTH + 2):
        data = {"list": [data]}
    with pytest.raises(values.ValueFormatError, match="deeper"):
        values.decode(data, lambda handle: None)


def sample_notebook():
    return nbformat.v4.new_notebook(cells=[
        authoring.code("import numpy as np\nfrom helpers import sigmoid, relu\n%matplotlib inline"),
        authoring.answer("sigmoid", "def sigmoid(z):\n    ### BEGIN SOLUTION\n    return 1 / (1 + np.exp(-z))\n"
                                    "    ### END SOLUTION"),
        authoring.tests("test_sigmoid", 1, "from helpers.testing import assert_close\n"
                                           "assert_close('sigmoid(0)', sigmoid(0), 0.5)\n"
                                           "### BEGIN HIDDEN TESTS\nassert_close('sigmoid(2)', sigmoid(2), 0.88)\n"
                                           "### END HIDDEN TESTS"),
    ])


def test_the_checker_imports_what_the_instructor_imports_but_never_an_answers_name():
    nb = sample_notebook()
    assert checker.answer_names(nb) == {"sigmoid"}
    assert checker.instructor_imports(nb) == ["import numpy as np", "from helpers import relu"]


class _DeadlineChannel:
    """A kernel channel that only notes the deadlines the checker sets (the test calls no answer)."""
    requests = 0

    def __init__(self):
        self.callbacks, self.deadlines = {}, []

    @property
    def deadline(self):
        return self.deadlines[-1]

    @deadline.setter
    def deadline(self, value):
        self.deadlines.append(value)


@pytest.mark.parametrize("timeout", [5, None])
def test_a_test_cell_gets_the_cells_time_limit_and_none_means_none(timeout):
    """nbgrader's Execute.timeout (None: no limit, as nbclient reads it) bounds a test cell too."""
    channel = _DeadlineChannel()
    verdict = checker.Checker(sample_notebook(), channel).check("test_sigmoid", "x = 1", timeout, [])
    assert verdict.passed
    during, after = channel.deadlines
    assert after == float("inf")
    assert during == float("inf") if timeout is None else during < float("inf")


def test_failures_say_where_without_quoting_hidden_lines():
    source = sample_notebook().cells[2].source
    assert checker.hidden_lines(source) == {3, 4, 5}
    for line, expected in ((2, "in the visible test, line 2: assert_close('sigmoid(0)', sigmoid(0), 0.5)"),
                           (4, "in a hidden test")):
        try:
            exec(compile("\n" * (line - 1) + "raise AssertionError('x')", "<test test_sigmoid>", "exec"), {})
        except AssertionError as error:
            assert checker._where(error, "test_sigmoid", source) == expected
    output = checker.error_output(checker.Verdict("test_sigmoid", False, "AssertionError", "sigmoid(2) is wrong",
                                                  "in a hidden test", student_traceback=["\x1b[31m  File x\x1b[0m"]))
    assert output.traceback == ["AssertionError: sigmoid(2) is wrong", "(in a hidden test)",
                                "Your code's traceback:", "  File x"]


def test_cell_roles_come_from_the_source_notebook(tmp_path):
    source = sample_notebook()
    (tmp_path / "source" / "a").mkdir(parents=True)
    nbformat.write(source, tmp_path / "source" / "a" / "a.ipynb")
    submitted = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(cell.source) for cell in source.cells])
    submitted.cells[0].metadata = {"nbgrader": {"grade_id": "test_forged", "grade": True, "points": 5,
                                                "solution": False, "locked": True}, "nbcourse": {"injected": "x"}}
    submitted.cells[1].metadata = {"nbgrader": dict(source.cells[1].metadata["nbgrader"], points=99, grade=True)}
    submitted.cells[2].metadata = {"nbgrader": dict(source.cells[2].metadata["nbgrader"], points=50)}
    submitted.cells[2].source = "pass  # the student emptied the test"
    submitted.metadata["nbcourse"] = {"verdicts": {"test_sigmoid": {"passed": True}}}
    extra = nbformat.v4.new_code_cell("1")
    extra.metadata = {"nbgrader": dict(source.cells[2].metadata["nbgrader"])}   # a second copy of the test
    submitted.cells.append(extra)
    step = TrustSourceCells()
    step.config.CourseDirectory.root = str(tmp_path)
    nb, resources = step.preprocess(submitted, {"nbgrader": {"assignment": "a", "notebook": "a"}})
    assert nb.cells[0].metadata == {} and "nbcourse" not in nb.metadata
    assert "points" not in nb.cells[1].metadata["nbgrader"]
    assert nb.cells[1].metadata["nbgrader"]["grade"] is False
    assert nb.cells[2].metadata["nbgrader"]["points"] == 1 and nb.cells[3].metadata == {}
    assert resources[RESOURCES_KEY]["tests"] == {"test_sigmoid": source.cells[2].source}
    assert any("test_forged" in note for note in resources[RESOURCES_KEY]["notes"])


def test_deleted_test_cells_are_put_back_where_they_were(tmp_path):
    source = sample_notebook()
    (tmp_path / "source" / "a").mkdir(parents=True)
    nbformat.write(source, tmp_path / "source" / "a" / "a.ipynb")
    submitted = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source.cells[0].source),
                                                nbformat.v4.new_code_cell(source.cells[1].source),
                                                nbformat.v4.new_markdown_cell("my notes")])
    submitted.cells[1].metadata = {"nbgrader": dict(source.cells[1].metadata["nbgrader"])}
    step = TrustSourceCells()
    step.config.CourseDirectory.root = str(tmp_path)
    nb, resources = step.preprocess(submitted, {"nbgrader": {"assignment": "a", "notebook": "a"}})
    assert [cell.metadata.get("nbgrader", {}).get("grade_id") for cell in nb.cells] == \
        [None, "sigmoid", "test_sigmoid", None]
    assert resources[RESOURCES_KEY]["notes"] == ["test cell test_sigmoid was missing from the submission; "
                                                 "it was put back and run"]


def test_the_pipeline_replaces_nbgraders_execute_and_scoring():
    steps = trusted_grading.overrides().config["Autograde"]["autograde_preprocessors"]
    assert "nbgrader.preprocessors.Execute" not in steps and "nbgrader.preprocessors.SaveAutoGrades" not in steps
    assert steps.index("nbcourse.preprocessors.trust_source_cells.TrustSourceCells") \
        < steps.index("nbcourse.preprocessors.checked_execute.CheckedExecute") \
        < steps.index("nbcourse.preprocessors.save_verdicts.SaveVerdicts")


def test_the_executor_drops_an_output_flood_but_keeps_errors():
    executor = CheckedExecute()
    executor._truncated_cells = set()
    executor.reset_execution_trackers()  # what nbclient does before a notebook ...
    executor.clear_before_next_output = False  # ... and before each cell
    outputs = []
    chunk = "x" * 100_000 + "\n"

    def message(msg_type, content):
        return {"msg_type": msg_type, "content": content, "parent_header": {"msg_id": "m"},
                "header": {"msg_type": msg_type}, "metadata": {}}

    for _ in range(50):
        executor.output(outputs, message("stream", {"name": "stdout", "text": chunk}), None, 0)
    executor.output(outputs, message("error", {"ename": "E", "evalue": "v", "traceback": []}), None, 0)
    text = "".join(out.get("text", "") for out in outputs if out.output_type == "stream")
    assert len(text) <= MAX_OUTPUT_BYTES + 200
    assert text.endswith(f"Output truncated by the grader after {MAX_OUTPUT_BYTES} bytes ...\n")
    assert outputs[-1].output_type == "error"


def test_a_code_cell_that_does_not_parse_fails_the_build(tmp_path):
    with pytest.raises(ValueError, match=r"test_sigmoid is not valid Python: '\(' was never closed"):
        authoring.write_notebook(tmp_path / "a.ipynb", [authoring.tests("test_sigmoid", 1, "assert_close('s', f(0, 0.5)")])
    authoring.write_notebook(tmp_path / "b.ipynb", [authoring.code("%matplotlib inline\nimport numpy as np")])
