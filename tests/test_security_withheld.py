"""References withheld while an assignment is graded: which ones, and the grading view of helpers."""
import ast
import importlib.util
import py_compile
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from helpers.withheld import EQUIVALENTS, GRADED, withheld_names
from nbcourse import reference_view
from nbgrader_harness import REPO, source_assignments


def answer_definitions(assignment):
    nb = nbformat.read(REPO / "source" / assignment / f"{assignment}.ipynb", as_version=4)
    return [node.name for cell in nb.cells
            if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("solution")
            for node in ast.parse(cell.source).body if isinstance(node, (ast.FunctionDef, ast.ClassDef))]


@pytest.mark.parametrize("assignment", source_assignments())
def test_graded_functions_are_exactly_what_the_answer_cells_define(assignment):
    assert GRADED[assignment] == answer_definitions(assignment)
    from helpers.withheld import _module_functions

    assert set(EQUIVALENTS.get(assignment, [])) <= set(_module_functions())


@pytest.mark.parametrize("assignment", source_assignments())
def test_every_graded_function_that_helpers_implements_is_withheld(assignment):
    import helpers

    withheld = {name for names in withheld_names(assignment).values() for name in names}
    assert {name for name in GRADED[assignment] if hasattr(helpers, name)} <= withheld
    assert set(EQUIVALENTS.get(assignment, [])) <= withheld


def test_the_private_implementation_behind_a_graded_function_is_withheld_too():
    names = withheld_names("02_backprop")["nn.py"]
    assert {"L_model_backward", "_linear_backward", "_linear_activation_backward", "_model_forward"} <= set(names)
    # an equivalent is withheld alone: 03 trains with 02's forward pass, which must keep working
    assert "_linear_forward" not in {n for names in withheld_names("03_optimization").values() for n in names}


def test_the_grading_view_holds_no_reference_code(tmp_path):
    view = reference_view.build("02_backprop", tmp_path)
    nn_source = (view / "nn.py").read_text()
    tree = ast.parse(nn_source)
    bodies = {node.name: node.body for node in tree.body if isinstance(node, ast.FunctionDef)}
    for name in withheld_names("02_backprop")["nn.py"]:
        statements = [statement for statement in bodies[name]
                      if not (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant))]
        assert [type(statement).__name__ for statement in statements] == ["ImportFrom", "Raise"], name
    assert "np.dot(dZ, A_prev.T)" not in nn_source and "dZ @ A_prev.T" not in nn_source
    # The compiled files are those of the view's own sources (none copied from the real package)
    compiled = sorted(view.rglob("*.pyc"))
    assert compiled == sorted(Path(importlib.util.cache_from_source(str(path))) for path in view.rglob("*.py"))
    for source in view.rglob("*.py"):
        fresh = tmp_path / "fresh.pyc"
        py_compile.compile(str(source), cfile=str(fresh), doraise=True)
        assert Path(importlib.util.cache_from_source(str(source))).read_bytes() == fresh.read_bytes(), source
    script = """
import numpy as np
import helpers as H
from helpers.withheld import WithheldReference
for call in (lambda: H.L_model_backward(None, None, None), lambda: H.nn._linear_backward(None, None),
             lambda: H.train(np.zeros((2, 3)), np.zeros((1, 3)), [2, 1])):
    try:
        call()
    except WithheldReference as error:
        print("withheld:", error)
print("sigmoid", H.sigmoid(0.0), "dictionary_to_vector", H.dictionary_to_vector({"W1": np.ones((1, 1)), "b1": np.zeros((1, 1))})[0].ravel())
"""
    result = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True,
                            env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("withheld:") == 3
    assert "write `L_model_backward` yourself: this exercise grades your own implementation" in result.stdout
    assert "sigmoid 0.5" in result.stdout


def test_lab_mode_refuses_a_reference_only_inside_a_graded_function():
    script = """
import numpy as np
import helpers as H
H.own_work("05_initialization")
print("top level:", H.initialize_parameters([2, 1], "he", seed=0)["W1"].shape)
def initialize_parameters(layer_dims, method="he", seed=None, scale=0.01):
    return H.initialize_parameters(layer_dims, method, seed=seed, scale=scale)
try:
    initialize_parameters([2, 1], seed=0)
except H.WithheldReference as error:
    print("refused:", error)
def my_plot_helper():
    return H.initialize_parameters_he([2, 1], seed=0)["W1"].shape
print("other function:", my_plot_helper())
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "top level: (1, 2)" in result.stdout and "other function: (1, 2)" in result.stdout
    assert "refused: write `initialize_parameters` yourself" in result.stdout
