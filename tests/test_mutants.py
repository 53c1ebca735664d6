"""The mutation operators of `check-tests`: each change is made, inside the solution only."""
import nbformat

from nbcourse.authoring import answer, write_notebook
from nbcourse.authoring import tests as graded_tests
from nbcourse import mutants as mutation
from nbcourse.mutants import apply_mutant, mutate_source, notebook_mutants

BACKWARD = '''def linear_backward(dZ, A_prev, W):
    """dW = (1/m) dZ A_prev^T; db = (1/m) sum(dZ, axis=1, keepdims=True)."""
    scale = 3 * 2
    ### BEGIN SOLUTION
    m = A_prev.shape[1]
    dW = (1 / m) * dZ @ A_prev.T
    db = np.sum(dZ, axis=1, keepdims=True) / m
    dA_prev = W.T @ dZ
    kept = D < keep_prob
    ### END SOLUTION
    return dA_prev, dW, db
'''


def _changes(grade_id="lb", source=BACKWARD):
    return {(m.operator, m.before, m.after) for m in mutate_source(grade_id, source)}


def test_the_course_spec_mistakes_are_among_the_mutants():
    changes = _changes()
    assert ("drop-left-term", "(1 / m) * dZ", "(dZ)") in changes  # dW without 1/m
    assert ("flip-axis", "axis=1", "axis=0") in changes  # db summed over the wrong axis
    assert ("flip-keepdims", "keepdims=True", "keepdims=False") in changes
    assert ("drop-transpose", "W.T", "W") in changes  # dA_prev with W instead of W.T
    assert ("flip-comparison", "D < keep_prob", "(D > keep_prob)") in changes  # > instead of <
    assert ("swap-operator", "1 / m", "(1 * m)") in changes


def test_code_outside_the_solution_region_is_never_mutated():
    for mutant in mutate_source("lb", BACKWARD):
        assert "scale = 3 * 2" in mutant.source
        assert mutant.source.count("return dA_prev, dW, db") == 1
        assert mutant.source.splitlines()[0] == BACKWARD.splitlines()[0]


def test_every_mutant_is_valid_python_differs_from_the_original_and_has_a_unique_id():
    mutants = mutate_source("lb", BACKWARD)
    assert len(mutants) > 10
    assert len({m.id for m in mutants}) == len(mutants)
    assert len({m.source for m in mutants}) == len(mutants)
    for mutant in mutants:
        compile(mutant.source, mutant.id, "exec")
        assert mutant.source != BACKWARD


def test_ids_survive_edits_elsewhere_in_the_cell():
    shifted = BACKWARD.replace('    scale = 3 * 2\n', '    scale = 3 * 2\n    # a new comment line\n')
    assert {m.id for m in mutate_source("lb", BACKWARD)} == {m.id for m in mutate_source("lb", shifted)}


def test_a_cell_that_does_not_parse_gives_no_mutants():
    assert mutate_source("bad", "def f(:\n    ### BEGIN SOLUTION\n    x = 1\n    ### END SOLUTION\n") == []


def test_notebook_mutants_cover_answer_cells_and_map_them_to_their_tests(tmp_path):
    path = write_notebook(tmp_path / "a.ipynb", [
        answer("ans-one", "def f(x):\n    ### BEGIN SOLUTION\n    return x + 1\n    ### END SOLUTION"),
        graded_tests("test-one", 1, "assert f(1) == 2"),
        graded_tests("test-one-more", 1, "assert f(2) == 3"),
        answer("ans-two", "def g(x):\n    ### BEGIN SOLUTION\n    return x * 2\n    ### END SOLUTION"),
        graded_tests("test-two", 2, "assert g(2) == 4"),
    ])
    nb = nbformat.read(path, as_version=4)
    mutants = notebook_mutants(nb)
    assert {m.grade_id for m in mutants} == {"ans-one", "ans-two"}
    assert mutation.tests_of_answer(nb) == {"ans-one": ["test-one", "test-one-more"], "ans-two": ["test-two"]}
    mutated = apply_mutant(nb, mutants[0])
    assert mutated.cells[0].source == mutants[0].source
    assert nb.cells[0].source != mutants[0].source  # the original is untouched
