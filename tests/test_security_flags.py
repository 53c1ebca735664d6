"""nbcourse.flags: the static scan that points an instructor at suspicious lines."""
import nbformat
import pytest

from nbcourse import authoring
from nbcourse.flags import CATEGORIES, Flag, scan_notebook, scan_path, scan_source


def categories(source, **kwargs):
    return {(flag.category, flag.line) for flag in scan_source(source, "c", **kwargs)}


@pytest.mark.parametrize("line, category", [
    ("get_ipython().input_transformers_cleanup.append(lambda lines: [])", "ipython"),
    ("get_ipython().set_custom_exc((Exception,), handler)", "ipython"),
    ("ip.events.register('pre_run_cell', f)", "ipython"),
    ("ip.ast_transformers.append(t)", "ipython"),
    ("import sys; sys.settrace(tracer)", "ipython"),
    ("import builtins; builtins.print = fake", "builtins"),
    ("__builtins__['len'] = fake", "builtins"),
    ("import sys; sys.modules['helpers.testing'] = fake", "sys.modules"),
    ("import sys; sys.excepthook = hook", "sys.modules"),
    ("import numpy as np; np.allclose = lambda *a, **k: True", "namespace"),
    ("import numpy; numpy.testing.assert_allclose = f", "namespace"),
    ("import helpers; helpers.testing.assert_close = f", "namespace"),
    ("import numpy as np; setattr(np, 'isclose', f)", "namespace"),
    ("from helpers import testing as t; t.assert_close = f", "namespace"),
    ("import os; os._exit(0)", "process"),
    ("from os import _exit", "process"),
    ("import ctypes", "process"),
    ("import subprocess as sp; sp.run(['ls'])", "process"),
    ("!rm -rf ~", "process"),
    ("import socket", "network"),
    ("open('/etc/passwd').read()", "filesystem"),
    ("open('../../source/a/a.ipynb')", "filesystem"),
    ("from pathlib import Path; Path.cwd().parents[2]", "filesystem"),
    ("print(__nbcourse_guard__)", "grader"),
])
def test_each_kind_of_reach_is_flagged_with_its_line(line, category):
    source = "x = 1\n" + line.replace("; ", "\n")
    found = scan_source(source, "answer_1")
    assert category in {flag.category for flag in found}, found
    flag = next(flag for flag in found if flag.category == category)
    assert flag.cell == "answer_1"
    assert source.splitlines()[flag.line - 1] == flag.text
    assert flag.category in CATEGORIES


def test_honest_numpy_code_raises_no_flag():
    source = """
import numpy as np
def sigmoid(z):
    s = 1 / (1 + np.exp(-z))
    return s
A = np.zeros((3, 1))
A.shape = (1, 3)          # an array's own attribute, not NumPy's namespace
cache = {"A": A}
print(f"{A.mean():.3f}")
"""
    assert scan_source(source) == []


def test_a_cell_that_does_not_parse_is_scanned_line_by_line():
    source = "def square(x)\n    return x ** 2\nnp.allclose = lambda *a: True\nimport os; os._exit(0)"
    found = scan_source(source, "square")
    assert {(flag.category, flag.line) for flag in found} == {("namespace", 3), ("process", 4)}
    assert all("does not parse" in flag.detail for flag in found)


def test_rebinding_a_name_the_notebook_imports_from_helpers_is_flagged():
    assert categories("def assert_close(*args, **kwargs):\n    pass", protected={"assert_close"}) == {("namespace", 1)}
    assert categories("np = FakeNumpy()", protected={"np"}) == {("namespace", 1)}
    assert categories("def square(x):\n    return x ** 2", protected={"assert_close"}) == set()


def test_scan_notebook_skips_locked_and_test_cells_and_names_the_cell():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        authoring.code("import numpy as np\nfrom helpers.testing import assert_close"),
        authoring.answer("square", "def square(x):\n    ### BEGIN SOLUTION\n    return x ** 2\n    ### END SOLUTION"),
        authoring.tests("test_square", 1, "import os\nos._exit(0)  # the instructor's own cell is not scanned"),
        nbformat.v4.new_code_cell("assert_close = print\nimport ctypes"),
    ]
    found = scan_notebook(nb)
    assert [(flag.cell, flag.category, flag.line) for flag in found] == [
        (nb.cells[3].id, "namespace", 1), (nb.cells[3].id, "process", 2)]
    assert str(found[1]).startswith("[process] ")
    assert isinstance(found[0], Flag)


def test_scan_path_reads_notebooks_and_scans_broken_files_as_text(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import socket")]
    good = tmp_path / "good.ipynb"
    nbformat.write(nb, good)
    assert [(flag.category, flag.line) for flag in scan_path(good)] == [("network", 1)]
    broken = tmp_path / "broken.ipynb"
    broken.write_text('{"cells": [{"source": "import os; os._exit(0)"')
    found = scan_path(broken)
    assert [(flag.cell, flag.category) for flag in found] == [("<unreadable notebook>", "process")]
