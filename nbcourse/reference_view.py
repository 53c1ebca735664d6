"""The ``helpers`` package as a graded kernel sees it: without the assignment's references.

:func:`build` writes a copy of the package in which every function that the assignment
withholds (:func:`helpers.withheld.withheld_names`: the functions its students write, and
the private functions behind them) keeps its signature and docstring, and its body
becomes ``raise WithheldReference("write `name` yourself: ...")``. The sandbox shows this
copy at the package's usual path, in place of the real one, so the student's kernel has
no copy of the reference code at all: not in memory, not on disk. Other functions that
call a withheld one (``train`` calling ``L_model_backward``) fail in the same way. The
checker, in the grader's process, imports the real package.
"""
from __future__ import annotations

import ast
import compileall
import shutil
from pathlib import Path

import helpers
from helpers.withheld import message, withheld_names

PACKAGE_DIR = Path(helpers.__file__).resolve().parent


def build(assignment: str, destination: Path) -> Path:
    """Write the kernel's view of ``helpers`` for ``assignment`` to ``destination/helpers``; return it."""
    target = Path(destination) / "helpers"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(PACKAGE_DIR, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for module_file, names in withheld_names(assignment).items():
        path = target / module_file
        path.write_text(without_bodies(path.read_text(), set(names)))
    # Compiled once here: the graded kernels import the view read-only and with
    # PYTHONDONTWRITEBYTECODE, so without these files each kernel compiled the package
    # again (`import helpers, helpers.testing`: 0.26 s from source, 0.17 s compiled).
    compileall.compile_dir(target, quiet=1)
    return target


def without_bodies(source: str, names: set[str]) -> str:
    """``source`` with the top-level functions ``names`` reduced to signature, docstring and a raise."""
    tree = ast.parse(source)
    missing = set(names)
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name in names:
            missing.discard(node.name)
            docstring = node.body[:1] if ast.get_docstring(node) is not None else []
            refusal = ast.parse(f"from helpers.withheld import WithheldReference\n"
                                f"raise WithheldReference({message(node.name)!r})").body
            node.body = docstring + refusal
            node.decorator_list = []
    if missing:
        raise ValueError(f"no top-level function {sorted(missing)} to withhold")
    return "# The grading view of this module: some references are withheld (nbcourse.reference_view).\n" \
        + ast.unparse(ast.fix_missing_locations(tree)) + "\n"
