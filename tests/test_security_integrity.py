"""nbcourse.integrity without a kernel: proofs, verify(), the preprocessor list, output limits.

The end-to-end behaviour (a guard in a real kernel against real attacks) is in
tests/test_security_attacks.py.
"""
import hashlib
import hmac
import json

import nbformat
import pytest
from nbgrader.converters.autograde import Autograde

from nbcourse import authoring, integrity

TOKEN = "ab" * 16
NONCE = "cd" * 16
TEST_SOURCE = 'assert_close("square(3.0)", square(3.0), 9.0)'


def signed(key, **fields):
    """A proof as the kernel guard makes it: HMAC-SHA256 over the sorted-key JSON of its fields."""
    payload = {"grade_id": "test_square", "nonce": NONCE, "status": "ok",
               "source_sha256": hashlib.sha256((TEST_SOURCE + "\n" + integrity.proof_line("test_square", NONCE)
                                                + "\n").encode()).hexdigest()}
    payload.update(fields)
    payload["mac"] = hmac.new(key, json.dumps({k: payload[k] for k in sorted(payload)}, sort_keys=True).encode(),
                              hashlib.sha256).hexdigest()
    return payload


def graded_notebook(proofs, *, outputs=(), verdict="proven"):
    """An autograded notebook as CheckProofs leaves it, with one test cell."""
    nb = nbformat.v4.new_notebook()
    cell = authoring.tests("test_square", 1, TEST_SOURCE)
    cell.outputs = list(outputs)
    nb.cells = [cell]
    nb.metadata[integrity.METADATA_KEY] = {
        "notebook_nonce": "ef" * 16, "notes": ["before test test_square, the grader undid: numpy.allclose replaced"],
        "cells": {"test_square": {"nonce": NONCE, "proofs": proofs, "verdict": verdict}}}
    return nb


def write(tmp_path, nb):
    path = tmp_path / "a.ipynb"
    nbformat.write(nb, path)
    return path


def test_a_proof_made_with_the_kernel_key_verifies():
    key = integrity.kernel_key(TOKEN, "ef" * 16)
    assert key == hmac.new(bytes.fromhex(TOKEN), b"kernel-key:" + ("ef" * 16).encode(), hashlib.sha256).digest()
    executed = integrity.with_proof(TEST_SOURCE, "test_square", NONCE)
    assert integrity.check_proof(key, signed(key), "test_square", NONCE, executed) == ""


@pytest.mark.parametrize("change, why", [
    (dict(status="ok", mac="0" * 64), "signature is wrong"),
    (dict(grade_id="test_row_means"), "another cell"),
    (dict(nonce="00" * 16), "another cell"),
    (dict(source_sha256=hashlib.sha256(b"pass\n").hexdigest()), "rewritten before it ran"),
    (dict(status="numpy.allclose replaced"), "tampered with during the test: numpy.allclose replaced"),
])
def test_a_proof_that_does_not_match_says_why(change, why):
    key = integrity.kernel_key(TOKEN, "ef" * 16)
    payload = signed(key, **{k: v for k, v in change.items() if k != "mac"})
    payload.update({k: v for k, v in change.items() if k == "mac"})
    executed = integrity.with_proof(TEST_SOURCE, "test_square", NONCE)
    assert why in integrity.check_proof(key, payload, "test_square", NONCE, executed)


def test_a_proof_signed_with_another_key_is_a_forgery():
    forged = signed(integrity.kernel_key("12" * 16, "ef" * 16))
    key = integrity.kernel_key(TOKEN, "ef" * 16)
    assert "forged" in integrity.check_proof(key, forged, "test_square", NONCE,
                                             integrity.with_proof(TEST_SOURCE, "test_square", NONCE))


def test_verify_accepts_a_proven_cell_and_reports_the_notes(tmp_path):
    key = integrity.kernel_key(TOKEN, "ef" * 16)
    problems = integrity.verify(write(tmp_path, graded_notebook([signed(key)])), TOKEN)
    assert problems == ["note: before test test_square, the grader undid: numpy.allclose replaced"]


def test_verify_names_cells_whose_proof_is_missing_forged_or_doubled(tmp_path):
    key = integrity.kernel_key(TOKEN, "ef" * 16)
    for proofs in ([], [signed(integrity.kernel_key("12" * 16, "ef" * 16))], [signed(key), signed(key)]):
        problems = integrity.verify(write(tmp_path, graded_notebook(proofs)), TOKEN)
        assert problems[0].startswith("test_square: "), proofs
    assert integrity.verify(write(tmp_path, graded_notebook([signed(key)])), "34" * 16)[0].startswith("test_square:")


def test_verify_leaves_failed_cells_alone_and_names_unproven_ones(tmp_path):
    error = nbformat.v4.new_output("error", ename="AssertionError", evalue="wrong", traceback=[])
    assert integrity.verify(write(tmp_path, graded_notebook([], outputs=[error], verdict="failed")), TOKEN)[0] \
        .startswith("note:")
    unproven = graded_notebook([], outputs=[error], verdict="unproven: found 0 proofs")
    assert integrity.verify(write(tmp_path, unproven), TOKEN)[0] == "test_square: unproven: found 0 proofs"


def test_verify_without_a_record_names_every_test_cell_that_shows_no_error(tmp_path):
    nb = graded_notebook([])
    del nb.metadata[integrity.METADATA_KEY]
    assert integrity.verify(write(tmp_path, nb), TOKEN) == [
        "test_square: no integrity record (the proof check did not run)"]
    (tmp_path / "broken.ipynb").write_text("{not json")
    assert "cannot be read" in integrity.verify(tmp_path / "broken.ipynb", TOKEN)[0]


def test_overrides_keep_every_nbgrader_step_and_wrap_execution():
    overrides = integrity.overrides(TOKEN)
    steps = overrides.config["Autograde"]["autograde_preprocessors"]
    nbgrader_steps = [f"{step.__module__.rsplit('.', 1)[0]}.{step.__name__}"
                      for step in Autograde.class_traits()["autograde_preprocessors"].default()]
    kept = [step for step in steps if not step.startswith("nbcourse.")]
    assert kept == [step for step in nbgrader_steps if not step.endswith(".Execute")]
    assert steps.index("nbcourse.integrity.InjectProofs") < steps.index("nbcourse.integrity.GuardedExecute") \
        < steps.index("nbcourse.integrity.CheckProofs") < steps.index("nbgrader.preprocessors.LimitOutput")
    assert overrides.env == {integrity.TOKEN_ENV: TOKEN}
    with pytest.raises(ValueError, match="hex"):
        integrity.overrides("short")


def test_instructor_imports_leave_out_names_the_student_must_write():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        authoring.code("import numpy as np\nfrom helpers import sigmoid, relu\n%matplotlib inline"),
        authoring.answer("sigmoid", "def sigmoid(z):\n    ### BEGIN SOLUTION\n    return 1 / (1 + np.exp(-z))\n"
                                    "    ### END SOLUTION"),
        authoring.tests("test_sigmoid", 1, "from helpers.testing import assert_close\nassert_close('s', sigmoid(0), 0.5)"),
    ]
    assert integrity.instructor_imports(nb) == [
        "import numpy as np", "from helpers import relu", "from helpers.testing import assert_close"]


def test_the_executor_drops_an_output_flood_but_keeps_errors_and_proofs():
    executor = integrity.GuardedExecute()
    executor.reset_execution_trackers()  # what nbclient does before a notebook ...
    executor.clear_before_next_output = False  # ... and before each cell
    outputs = []
    chunk = "x" * 100_000 + "\n"

    def message(msg_type, content):
        return {"msg_type": msg_type, "content": content, "parent_header": {"msg_id": "m"},
                "header": {"msg_type": msg_type},
                "metadata": {}}

    for _ in range(50):
        executor.output(outputs, message("stream", {"name": "stdout", "text": chunk}), None, 0)
    executor.output(outputs, message("display_data", {"data": {integrity.PROOF_MIME: "{}"}, "metadata": {}}), None, 0)
    executor.output(outputs, message("error", {"ename": "E", "evalue": "v", "traceback": []}), None, 0)
    text = "".join(out.get("text", "") for out in outputs if out.output_type == "stream")
    assert len(text) <= integrity.MAX_OUTPUT_BYTES + 200
    assert text.endswith(f"Output truncated by the grader after {integrity.MAX_OUTPUT_BYTES} bytes ...\n")
    assert [out.output_type for out in outputs][-2:] == ["display_data", "error"]
