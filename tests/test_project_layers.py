"""The imports of ``nbcourse`` follow the grading flow: source -> release -> submission ->
sandboxed grading -> gradebook -> feedback/report.

:data:`LAYERS` puts every module of ``nbcourse`` in one layer, in the order of the flow;
a module may import modules of its own layer and of earlier ones, never of a later one
(the grader must not depend on the report, a release on the grader). The test reads the
``import`` statements with :mod:`ast` (also those inside functions), so a lazy import counts
too. A new module goes into the layer of the step it serves (docs/code-map.md).
"""
import ast
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "nbcourse"

LAYERS = [
    # Shared by every step: the course's paths and config, nbgrader's cell roles, running
    # nbgrader in a process, config overrides, the typed outcome of a grading run, stop
    # requests, what a submission folder may hold, the one door to the gradebook database, and
    # the HTML templates of the pages the course writes itself.
    ("foundation", {"course", "cells", "nbgrader_process", "overrides", "outcome", "stop_request",
                    "submission_files", "gradebook", "pages"}),
    # source/ and its builders: notebooks written by authoring/, mutants of solutions, release/.
    ("source", {"authoring", "mutants", "generate"}),
    # The exchange: release, students' submissions, collect (and the owner check), and the
    # static scan of submitted code (flags).
    ("submission", {"exchange", "exchange_collect", "submission_owner", "flags"}),
    # Sandboxed grading: the coordinator, one private nbgrader run per submission, the
    # sandbox, the cluster, and the checker process that runs the test cells.
    ("grading", {"autograde", "grading", "sandbox", "limits", "cluster", "trusted_grading", "reference_view",
                 "checker", "checker_service", "remote", "values", "kernel_servant", "nbgrader_preload", "private_gradebook",
                 "preprocessors", "preprocessors.checked_execute", "preprocessors.save_verdicts",
                 "preprocessors.trust_source_cells", "preprocessors.hide_hidden_tests"}),
    # Reading the gradebook and the grading log back: rows per submission and cell, CSV export.
    ("gradebook", {"results", "export"}),
    # What people read: feedback pages, the report and its similarity section.
    ("feedback/report", {"feedback", "similarity", "report"}),
    # Drivers of the whole flow: the command line, the demo, mutation testing, the hub and the
    # Jupyter servers it starts.
    ("drivers", {"__init__", "__main__", "cli", "demo", "check_tests", "hub", "kernel_websocket"}),
]
LAYER_OF = {module: index for index, (_, modules) in enumerate(LAYERS) for module in modules}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts[:-1]) if parts[-1] == "__init__" and len(parts) > 1 else ".".join(parts)


def _imports(path: Path) -> set[str]:
    """The ``nbcourse`` modules ``path`` imports, as names relative to the package."""
    name = _module_name(path)
    package = name.split(".")[:-1] if path.name != "__init__.py" else name.split(".")
    if name == "__init__":
        package = []
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[:len(package) - (node.level - 1)]
            if node.module:
                found.add(".".join(base + [node.module]))
            else:
                found.update(".".join(base + [alias.name]) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("nbcourse."):
            found.add(node.module.removeprefix("nbcourse."))
        elif isinstance(node, ast.Import):
            found.update(alias.name.removeprefix("nbcourse.") for alias in node.names
                         if alias.name.startswith("nbcourse."))
    return found


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def test_every_module_has_one_layer():
    unplaced = sorted(set(_modules()) - set(LAYER_OF))
    assert not unplaced, f"put these modules into a layer of LAYERS: {unplaced}"
    named_twice = [module for module in LAYER_OF
                   if sum(module in modules for _, modules in LAYERS) > 1]
    assert not named_twice, f"modules in two layers: {named_twice}"


def test_no_import_goes_against_the_flow():
    against = []
    for module, path in _modules().items():
        for target in sorted(_imports(path)):
            if target in LAYER_OF and LAYER_OF[target] > LAYER_OF.get(module, -1):
                against.append(f"{module} ({LAYERS[LAYER_OF[module]][0]}) imports {target} "
                               f"({LAYERS[LAYER_OF[target]][0]})")
    assert not against, "imports against the flow:\n  " + "\n  ".join(against)


def test_the_reader_of_imports_sees_them():
    """The test would pass on nothing if it read no import: check it on a known module."""
    assert {"course", "grading", "outcome", "stop_request"} <= _imports(PACKAGE / "autograde.py")
    assert "preprocessors.checked_execute" in _imports(PACKAGE / "nbgrader_preload.py")


def _top_level_imports(path: Path) -> set[str]:
    """The first name of every absolute import in ``path`` (``import a.b`` and ``from a.b import c``: "a")."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            found.add(node.module.split(".")[0])
    return found


def _sys_path_changes(path: Path) -> list[str]:
    """The source of every statement in ``path`` that changes ``sys.path`` (a call of one of its
    methods, or an assignment to it or a slice of it)."""
    text = path.read_text()

    def is_sys_path(node) -> bool:
        return (isinstance(node, ast.Attribute) and node.attr == "path" and isinstance(node.value, ast.Name)
                and node.value.id == "sys")

    changes = []
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and is_sys_path(node.func.value):
            changes.append(ast.get_source_segment(text, node))
        elif isinstance(node, (ast.Assign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(is_sys_path(target.value if isinstance(target, ast.Subscript) else target) for target in targets):
                changes.append(ast.get_source_segment(text, node))
    return changes


def test_shared_code_lives_in_tests_support_and_nothing_ships_it():
    """The benchmarks may use ``tests.support``; the tests never import a benchmark (what both
    need lives in ``tests/support``), and the ``nbcourse`` package never imports ``tests``."""
    benchmarks = {path.stem for path in (REPO / "bench").glob("*.py")}
    assert {"attacks", "widgets_browser"} <= benchmarks  # the names the check looks for exist
    assert _sys_path_changes(REPO / "bench" / "attacks.py")  # and the reader sees a change of sys.path
    into_bench = [f"{path.relative_to(REPO)} imports {sorted(found)}" for path in sorted((REPO / "tests").rglob("*.py"))
                  if (found := _top_level_imports(path) & benchmarks)]
    assert not into_bench, "tests importing a benchmark:\n  " + "\n  ".join(into_bench)
    onto_path = [f"{path.relative_to(REPO)}: {change}" for path in sorted((REPO / "tests").rglob("*.py"))
                 for change in _sys_path_changes(path) if "bench" in change]
    assert not onto_path, f"tests putting bench/ on sys.path: {onto_path}"
    shipping_tests = [str(path.relative_to(REPO)) for path in sorted(PACKAGE.rglob("*.py"))
                      if "tests" in _top_level_imports(path)]
    assert not shipping_tests, f"nbcourse modules importing test code: {shipping_tests}"
