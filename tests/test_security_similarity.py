"""Copies in the report (:mod:`nbcourse.similarity`): an answer copied from another student
or from the ``helpers`` reference is listed however it was disguised; independent honest
answers, tiny answers and the release's own starting code are not; a broken submission
is skipped, never a crash."""
from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import nbformat
import pytest

from nbcourse import authoring
from nbcourse.report import copies_section
from tests.support.sample import SAMPLE, hand_in, sample_course
from nbcourse.similarity import MIN_TOKENS, THRESHOLD, compare, similar_pairs

# Three honest ways to write the sample's mean squared error, each long enough to be compared.
LOOP = '''
def mse(y_hat, y):
    total = 0.0
    count = 0
    for predicted, actual in zip(np.ravel(y_hat), np.ravel(y)):
        difference = predicted - actual
        total += difference * difference
        count += 1
    return total / count
'''
VECTORIZED = '''
def mse(y_hat, y):
    errors = np.asarray(y_hat, dtype=float) - np.asarray(y, dtype=float)
    squared = np.square(errors)
    return float(squared.sum()) / errors.size
'''
COMPREHENSION = '''
def mse(y_hat, y):
    pairs = list(zip(y_hat.ravel().tolist(), y.ravel().tolist()))
    squares = [(a - b) ** 2 for a, b in pairs]
    return sum(squares) / len(pairs)
'''
# LOOP as a copier hands it in: names changed, independent lines swapped, a docstring,
# comments and blank lines added.
LOOP_DISGUISED = '''
def mse(y_hat, y):
    """Mean squared error, my own version."""
    # counters first
    n = 0

    acc = 0.0
    # go through every prediction and its target
    for p, t in zip(np.ravel(y_hat), np.ravel(y)):
        n += 1  # one more example

        d = p - t
        acc += d * d   # squared error
    return acc / n
'''
# helpers.activations.sigmoid, variables renamed and its private _as_float written out.
REFERENCE_COPY = '''
def sigmoid(z):
    # stable for large |z|: worked this out myself
    values = np.asarray(z, dtype=float)
    decay = np.exp(-np.abs(values))
    return np.where(values >= 0, 1.0 / (1.0 + decay), decay / (1.0 + decay))[()]
'''
ONE_LINE_SIGMOID = "def sigmoid(z):\n    return 1 / (1 + np.exp(-z))\n"


def notebook(course, answers: dict[str, str], assignment: str = SAMPLE):
    """The notebook of ``assignment`` as released (nbgrader's ClearSolutions on the source)
    with the answer cells ``answers`` gives (grade id -> code) written in."""
    from nbgrader.preprocessors import ClearSolutions

    nb = nbformat.read(course.source / assignment / f"{assignment}.ipynb", as_version=4)
    nb, _ = ClearSolutions().preprocess(nb, {})
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id].strip("\n")
    return nb


@pytest.fixture
def course(tmp_path):
    return sample_course(tmp_path / "course")


def pairs_by_students(pairs):
    return {(p.cell, p.student, p.other): p for p in pairs}


def test_a_renamed_reordered_recommented_copy_of_another_students_answer_is_listed(course):
    hand_in(course, {"alice": notebook(course, {"mse": LOOP}), "mallory": notebook(course, {"mse": LOOP_DISGUISED})})
    found = pairs_by_students(similar_pairs(course, [SAMPLE]))
    assert set(found) == {("mse", "alice", "mallory")}, found
    pair = found[("mse", "alice", "mallory")]
    assert pair.score == 1.0 and not pair.reference
    assert pair.tokens_a >= MIN_TOKENS and pair.tokens_b >= MIN_TOKENS
    assert "acc += d * d" in pair.code_b                      # the cells as handed in, for the side-by-side view
    common = {pair.code_b.splitlines()[line - 1].strip() for line in pair.common_b}
    assert "acc += d * d   # squared error" in common and '"""Mean squared error, my own version."""' not in common


def test_a_copy_edited_in_one_place_is_still_listed(course):
    edited = LOOP_DISGUISED.replace("return acc / n", "return acc / max(n, 1)")
    hand_in(course, {"alice": notebook(course, {"mse": LOOP}), "mallory": notebook(course, {"mse": edited})})
    assert set(pairs_by_students(similar_pairs(course, [SAMPLE]))) == {("mse", "alice", "mallory")}


def test_a_copy_of_the_helpers_reference_is_listed_against_the_reference(course):
    hand_in(course, {"mallory": notebook(course, {"sigmoid": REFERENCE_COPY})})
    found = pairs_by_students(similar_pairs(course, [SAMPLE]))
    assert set(found) == {("sigmoid", "mallory", "helpers.activations.sigmoid")}, found
    pair = found[("sigmoid", "mallory", "helpers.activations.sigmoid")]
    assert pair.reference and pair.score >= THRESHOLD
    assert "def sigmoid(z):" in pair.code_b and "_as_float" in pair.code_b   # the reference's own source


# helpers.nn.L_model_backward as a student adapts it from `H.L_model_backward??`: the
# release's first lines kept, the reference's loop pasted below with every name changed,
# its private helpers called through the module.
L_MODEL_BACKWARD_COPY = '''
def L_model_backward(AL, Y, caches):
    """Backward pass."""
    grads = {}
    L = len(caches)
    dAL = -(Y / AL - (1 - Y) / (1 - AL))
    # walk back through the layers
    depth = len(caches)
    result = {}
    upstream, result[f"dW{depth}"], result[f"db{depth}"] = H._output_layer_backward(AL, Y, caches[-1], "sigmoid")
    result[f"dA{depth - 1}"] = upstream
    for k in range(depth - 1, 0, -1):
        upstream, result[f"dW{k}"], result[f"db{k}"] = H._linear_activation_backward(upstream, caches[k - 1], "relu")
        result[f"dA{k - 1}"] = upstream
    return result
'''


def test_a_copy_of_L_model_backward_from_helpers_is_listed_against_helpers_nn(tmp_path):
    """On the course's own 02_backprop: the adapted reference is listed against
    helpers.nn.L_model_backward; the course's solution to that cell is not."""
    import shutil

    from nbcourse.course import Course, private_copy

    real = Course.at(Path(__file__).resolve().parents[1])
    assignment = "02_backprop"
    course = private_copy(real, tmp_path / "course", [assignment])
    shutil.copytree(real.release / assignment, course.release / assignment)
    release_nb = nbformat.read(course.release / assignment / f"{assignment}.ipynb", as_version=4)
    honest = authoring.fill_answers(release_nb, nbformat.read(course.source / assignment / f"{assignment}.ipynb",
                                                              as_version=4))
    copier = copy.deepcopy(honest)
    next(c for c in copier.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "L_model_backward").source = (
        L_MODEL_BACKWARD_COPY.strip())
    hand_in(course, {"honest": honest, "copier": copier}, assignment)
    found = {key: pair for key, pair in pairs_by_students(similar_pairs(course, [assignment])).items()
             if key[0] == "L_model_backward"}
    assert set(found) == {("L_model_backward", "copier", "helpers.nn.L_model_backward")}, found


def test_independent_honest_answers_are_not_listed(course):
    hand_in(course, {"alice": notebook(course, {"mse": LOOP}), "bob": notebook(course, {"mse": VECTORIZED}),
                     "carol": notebook(course, {"mse": COMPREHENSION})})
    assert similar_pairs(course, [SAMPLE]) == []
    # ... although each is long enough to be compared, so the test can fail
    scaffold = "def mse(y_hat, y):\n    raise NotImplementedError()\n"
    for first, second in [(LOOP, VECTORIZED), (LOOP, COMPREHENSION), (VECTORIZED, COMPREHENSION)]:
        score, size_a, size_b = compare(first, second, scaffold)
        assert min(size_a, size_b) >= MIN_TOKENS and score < THRESHOLD, (score, size_a, size_b)


def test_tiny_identical_answers_are_not_listed(course):
    hand_in(course, {student: notebook(course, {"sigmoid": ONE_LINE_SIGMOID}) for student in ("alice", "bob")})
    assert similar_pairs(course, [SAMPLE]) == []
    assert [p.student for p in similar_pairs(course, [SAMPLE], min_tokens=1)] == ["alice"]  # identical, only small


def test_the_releases_starting_code_does_not_count(course):
    """Two students who add the same one line to a long scaffold wrote one line each."""
    assignment = "00_scaffold"
    authoring.write_notebook(course.source / assignment / f"{assignment}.ipynb", [
        authoring.code("import numpy as np", grade_id="imports", locked=True),
        authoring.answer("normalize", '''
            def normalize(X):
                """Zero mean, unit variance per feature (rows): (X - mu) / sigma.

                X: (n, m). Returns (X_norm, mu, sigma).
                """
                mu = np.mean(X, axis=1, keepdims=True)
                sigma = np.std(X, axis=1, keepdims=True)
                sigma = np.where(sigma > 0, sigma, 1.0)
                ### BEGIN SOLUTION
                X_norm = (X - mu) / sigma
                ### END SOLUTION
                return X_norm, mu, sigma
        '''),
        authoring.tests("test_normalize", 1, "assert normalize(np.ones((2, 3)))[0].shape == (2, 3)"),
    ])
    source_nb = nbformat.read(course.source / assignment / f"{assignment}.ipynb", as_version=4)
    handed = authoring.fill_answers(notebook(course, {}, assignment), source_nb)
    hand_in(course, {"alice": handed, "bob": copy.deepcopy(handed)}, assignment)
    assert similar_pairs(course, [assignment]) == []
    (pair,) = similar_pairs(course, [assignment], min_tokens=1)
    assert pair.tokens_a == pair.tokens_b < 12            # X_norm = (X - mu) / sigma, not the scaffold's lines


def test_a_malformed_submission_is_skipped_not_a_crash(course):
    hand_in(course, {"alice": notebook(course, {"mse": LOOP}), "mallory": notebook(course, {"mse": LOOP_DISGUISED}),
                     "deep": notebook(course, {"mse": "x = " + "-" * 20000 + "1\n" + LOOP}),
                     "typo": notebook(course, {"mse": LOOP.replace("count = 0", "count = = 0 (")})})
    broken = course.submitted / "broken" / SAMPLE
    broken.mkdir(parents=True)
    (broken / f"{SAMPLE}.ipynb").write_text('{"cells": [ broken')
    strange = course.submitted / "strange" / SAMPLE
    strange.mkdir(parents=True)
    (strange / f"{SAMPLE}.ipynb").write_text(json.dumps({
        "nbformat": 4, "nbformat_minor": 5, "metadata": {},
        "cells": ["a string", 7, {"cell_type": "code", "metadata": {"nbgrader": "mse"}, "source": LOOP},
                  {"cell_type": "code", "metadata": {"nbgrader": {"grade_id": ["mse"]}}, "source": LOOP},
                  {"cell_type": "code", "metadata": {"nbgrader": {"grade_id": "sigmoid"}}, "source": 3}]}))
    (course.submitted / "empty" / SAMPLE).mkdir(parents=True)
    found = pairs_by_students(similar_pairs(course, [SAMPLE]))
    assert ("mse", "alice", "mallory") in found
    assert ("mse", "alice", "typo") in found        # read without its broken line, like the cell it copies
    assert {student for key in found for student in key[1:]} <= {"alice", "mallory", "deep", "typo"}
    assert "mallory" in copies_section(list(found.values()))


def test_the_section_escapes_the_cells_and_says_it_is_not_a_verdict(course):
    sneaky = LOOP_DISGUISED.replace("# counters first", "# </pre><script>alert(1)</script>")
    hand_in(course, {"alice": notebook(course, {"mse": LOOP}), "mallory": notebook(course, {"mse": sneaky})})
    page = copies_section(similar_pairs(course, [SAMPLE]))
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "not a verdict" in page
    assert copies_section([]).count("No pair above the threshold") == 1


@pytest.mark.xdist_group("pipeline")
def test_the_report_shows_copies_side_by_side(tmp_path):
    """The whole report of a graded class: the copy and the reference copy listed, each with
    both cells side by side and the shared lines highlighted; the honest answers absent."""
    from graded_sample import graded_course

    from nbcourse.report import build_report

    def students(course):
        return {"alice": notebook(course, {"mse": LOOP}), "mallory": notebook(course, {"mse": LOOP_DISGUISED}),
                "bob": notebook(course, {"mse": VECTORIZED, "sigmoid": REFERENCE_COPY})}

    course, _ = graded_course(tmp_path / "course", extra_submissions=students, only=["solution"])
    page = build_report(course).read_text()
    copies = page.split("<h2>Copies</h2>", 1)[1]
    assert "not a verdict" in copies
    views = re.findall(r'<table class="side">.*?</table>', copies, flags=re.S)
    assert len(views) == 2, views
    by_heads = {tuple(re.findall(r"<th>(.*?)</th>", view)): view for view in views}
    assert set(by_heads) == {("alice", "mallory"), ("bob", "helpers.activations.sigmoid")}
    copied = by_heads[("alice", "mallory")]
    assert '<span class="common">        acc += d * d   # squared error</span>' in copied
    assert '<span class="common">    total = 0.0</span>' in copied
    reference = by_heads[("bob", "helpers.activations.sigmoid")]
    assert "values &gt;= 0" in reference                     # escaped code
    listed = set(re.findall(r"<tr><td>([^<]*)</td>\s*<td>([^<]*)</td>", copies))
    assert listed == {("alice", "mallory"), ("bob", "helpers.activations.sigmoid (reference)")}, listed
