"""Point an instructor at the lines of a submission that reach beyond the assignment.

:func:`scan_notebook` reads the student's code cells (not the locked and test cells:
nbgrader puts those back from the gradebook) and returns a :class:`Flag` for every line
that touches the grading machinery or the world outside the student's folder:

============== ==========================================================================
category       what the line does
============== ==========================================================================
ipython        ``get_ipython()``, input/AST transformers, events, ``set_custom_exc``,
               ``sys.settrace``/``setprofile``, frame and garbage-collector digging
builtins       ``import builtins``, ``builtins.x = ...``, ``__builtins__``
sys.modules    ``sys.modules[...]``, ``sys.meta_path``, ``sys.path_hooks``, ``sys.excepthook = ...``
namespace      assigning to (or ``setattr``/``delattr`` on) an attribute of NumPy, ``helpers``
               or another imported module: ``np.allclose = ...``, ``helpers.x = ...``
process        ``os._exit``, ``os.kill``, ``ctypes``, ``subprocess``, ``os.system``, shell
               escapes (``!cmd``, ``%%bash``), ``signal``, ``multiprocessing``
network        ``socket``, ``urllib``, ``http``, ``requests``
filesystem     absolute paths or ``..`` in strings, ``os.chdir``, ``shutil.rmtree``...
grader         names of the grader's servant (``__nbcourse_servant__``) or hidden tests
============== ==========================================================================

The scan is static (an AST walk, with the import aliases resolved: ``import numpy as
np`` makes ``np.allclose = f`` a NumPy patch). A cell that does not parse is scanned line
by line with regular expressions instead, so a syntax error hides nothing. A flag is a
reason to look, not a verdict: scores are decided by the checker, outside the student's kernel.
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass

CATEGORIES = ("ipython", "builtins", "sys.modules", "namespace", "process", "network", "filesystem", "grader")

# Calls (dotted names after resolving import aliases) and their category.
CALLS = {
    "get_ipython": "ipython", "IPython.get_ipython": "ipython",
    "sys.settrace": "ipython", "sys.setprofile": "ipython", "threading.settrace": "ipython",
    "sys._getframe": "ipython", "inspect.currentframe": "ipython", "inspect.stack": "ipython",
    "gc.get_objects": "ipython", "gc.get_referrers": "ipython", "gc.get_referents": "ipython",
    "sys.addaudithook": "ipython",
    "os._exit": "process", "os.kill": "process", "os.killpg": "process", "os.abort": "process",
    "os.system": "process", "os.popen": "process", "os.fork": "process", "os.execv": "process",
    "os.execvp": "process", "os.spawnl": "process", "signal.signal": "process", "signal.alarm": "process",
    "os.chdir": "filesystem", "os.remove": "filesystem", "os.unlink": "filesystem",
    "os.rename": "filesystem", "os.replace": "filesystem", "os.rmdir": "filesystem",
    "shutil.rmtree": "filesystem", "shutil.move": "filesystem", "shutil.copy": "filesystem",
    "shutil.copyfile": "filesystem", "shutil.copytree": "filesystem",
}
# Modules whose every use is flagged (importing them is flagged too).
MODULES = {
    "ctypes": "process", "subprocess": "process", "multiprocessing": "process", "signal": "process",
    "pty": "process", "socket": "network", "urllib": "network", "http": "network",
    "requests": "network", "ftplib": "network", "smtplib": "network", "builtins": "builtins",
    "IPython": "ipython", "ipykernel": "ipython", "gc": "ipython",
}
# Attributes whose mention alone is telling, whatever object they hang on.
ATTRIBUTES = {
    "input_transformers_cleanup": "ipython", "input_transformers_post": "ipython",
    "input_transformer_manager": "ipython", "ast_transformers": "ipython", "set_custom_exc": "ipython",
    "custom_exceptions": "ipython", "events": "ipython", "run_cell": "ipython", "run_code": "ipython",
    "showtraceback": "ipython", "user_ns": "ipython", "f_back": "ipython", "f_globals": "ipython",
    "f_locals": "ipython", "__closure__": "ipython", "__code__": "ipython",
    "parents": "filesystem", "parent": "filesystem",
}
# Strings that name the course's folders or files the grader keeps from students.
COURSE_NAMES = {"source", "submitted", "autograded", "feedback", "release", "exchange", "gradebook.db",
                "nbgrader_config.py"}
SYS_HOOKS = {"modules", "meta_path", "path_hooks", "path_importer_cache", "excepthook", "displayhook"}
WATCHED_NAMESPACES = ("numpy", "helpers")

# The same, as line patterns for cells that do not parse.
LINE_PATTERNS = [
    ("ipython", r"get_ipython\s*\(|input_transformers|ast_transformers|set_custom_exc|\.events\.|"
                r"sys\.settrace|sys\.setprofile|_getframe|gc\.get_"),
    ("builtins", r"\bbuiltins\b|__builtins__"),
    ("sys.modules", r"sys\.(modules|meta_path|path_hooks|excepthook|displayhook)"),
    ("namespace", r"^\s*(np|numpy|helpers)(\.\w+)+\s*=[^=]|(setattr|delattr)\s*\(\s*(np|numpy|helpers)\b"),
    ("process", r"os\._exit|os\.kill|\bctypes\b|\bsubprocess\b|os\.system|os\.popen|^\s*!|^\s*%%(bash|sh)"),
    ("network", r"\bsocket\b|\burllib\b|\brequests\b|\bhttp\.client\b"),
    ("filesystem", r"""open\s*\(\s*f?['"](/|\.\./)|['"][^'"]*(^|/)\.\.(/|['"])|os\.chdir|shutil\.rmtree"""),
    ("grader", r"__nbcourse|HIDDEN TESTS"),
]


@dataclass(frozen=True)
class Flag:
    """One suspicious line: its category, the cell (grade id, else cell id or index), line number and text."""

    category: str
    cell: str
    line: int
    text: str
    detail: str = ""

    def __str__(self) -> str:
        return f"[{self.category}] {self.cell}, line {self.line}: {self.text.strip()}" + (
            f"  ({self.detail})" if self.detail else "")


def scan_notebook(nb) -> list[Flag]:
    """Flags for every student code cell of ``nb`` (a NotebookNode or a dict), in cell order."""
    cells = [(index, cell, _text(cell)) for index, cell in enumerate(nb.get("cells", []))
             if cell.get("cell_type") == "code"]
    imported = set()
    for _, _, source in cells:
        imported |= imported_names(source)
    flags = []
    for index, cell, source in cells:
        if not _instructor_cell(cell):
            flags += scan_source(source, _cell_name(cell, index), protected=imported)
    return flags


def scan_path(path) -> list[Flag]:
    """:func:`scan_notebook` of a notebook file; a file that is not a readable notebook
    (malformed JSON, wrong format) is scanned line by line as text, under the cell name
    ``"<unreadable notebook>"``, so a broken file hides nothing either."""
    import json

    text = open(path, encoding="utf-8", errors="replace").read()
    try:
        nb = json.loads(text)
        if not isinstance(nb, dict) or not isinstance(nb.get("cells", []), list):
            raise ValueError("not a notebook")
        return scan_notebook(nb)
    except (ValueError, AttributeError, TypeError):
        return _scan_lines(text.splitlines(), "<unreadable notebook>")


def imported_names(source: str) -> set[str]:
    """Names a cell binds by importing from NumPy or ``helpers`` (``np``, ``assert_close``...)."""
    try:
        tree = ast.parse(_python_only(source))
    except SyntaxError:
        return set()
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.asname or alias.name.split(".")[0] for alias in node.names
                      if alias.name.split(".")[0] in WATCHED_NAMESPACES}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in WATCHED_NAMESPACES:
            names |= {alias.asname or alias.name for alias in node.names if alias.name != "*"}
    return names


def scan_source(source: str, cell: str = "cell", protected: set[str] = frozenset()) -> list[Flag]:
    """Flags for one cell's code: the AST walk, or line patterns if it does not parse.

    ``protected``: names the notebook imports from NumPy or ``helpers``; a student cell
    that rebinds one (``def assert_close(...)``, ``np = ...``) is flagged.
    """
    lines = source.splitlines()
    found = _shell_escapes(lines, cell)
    try:
        tree = ast.parse(_python_only(source))
    except SyntaxError:
        found += _scan_lines(lines, cell)
    else:
        visitor = _Visitor(cell, lines, protected)
        visitor.visit(tree)
        found += visitor.flags
    unique = {}
    for flag in found:
        unique.setdefault((flag.category, flag.line), flag)
    return sorted(unique.values(), key=lambda flag: (flag.line, flag.category))


def _text(cell) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _instructor_cell(cell) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return bool(meta.get("locked") or (meta.get("grade") and not meta.get("solution")))


def _cell_name(cell, index: int) -> str:
    grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
    return grade_id or cell.get("id") or f"cell {index + 1}"


def _python_only(source: str) -> str:
    """The cell with IPython-only lines (``!cmd``, ``%magic``) blanked, line numbers kept."""
    lines = source.splitlines()
    if lines and lines[0].lstrip().startswith("%%"):
        return "\n" * len(lines)
    return "\n".join("" if line.lstrip().startswith(("!", "%")) else line for line in lines)


def _shell_escapes(lines, cell) -> list[Flag]:
    return [Flag("process", cell, number, line, "shell command")
            for number, line in enumerate(lines, start=1)
            if re.match(r"\s*(!|%%(bash|sh|script)|%(system|sx)\b)", line)]


def _scan_lines(lines, cell) -> list[Flag]:
    flags = []
    for number, line in enumerate(lines, start=1):
        for category, pattern in LINE_PATTERNS:
            if re.search(pattern, line):
                flags.append(Flag(category, cell, number, line, "found by pattern: the cell does not parse"))
    return flags


class _Visitor(ast.NodeVisitor):
    """Walks one cell, resolving import aliases to module names."""

    def __init__(self, cell: str, lines: list[str], protected=frozenset()):
        self.cell, self.lines, self.flags = cell, lines, []
        self.aliases: dict[str, str] = {}
        self.protected = set(protected)

    def flag(self, category: str, node, detail: str = "") -> None:
        number = getattr(node, "lineno", 1)
        text = self.lines[number - 1] if 0 < number <= len(self.lines) else ""
        self.flags.append(Flag(category, self.cell, number, text, detail))

    def dotted(self, node) -> str | None:
        """``np.testing.assert_allclose`` -> ``numpy.testing.assert_allclose`` (None if not a name)."""
        parts = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return None
        parts.append(self.aliases.get(node.id, node.id))
        return ".".join(reversed(parts))

    # imports ------------------------------------------------------------------------------
    def visit_Import(self, node):
        for alias in node.names:
            self.aliases[alias.asname or alias.name.split(".")[0]] = alias.name if alias.asname else alias.name.split(".")[0]
            self._flag_module(alias.name, node)

    def visit_ImportFrom(self, node):
        module = node.module or ""
        for alias in node.names:
            self.aliases[alias.asname or alias.name] = f"{module}.{alias.name}"
        self._flag_module(module, node)
        if module == "os" and any(alias.name in ("_exit", "system", "kill") for alias in node.names):
            self.flag("process", node, "imports a process-control function from os")

    def _flag_module(self, module: str, node) -> None:
        root = module.split(".")[0]
        if root in MODULES:
            self.flag(MODULES[root], node, f"imports {module}")

    # writes ---------------------------------------------------------------------------------
    def _check_target(self, target, node) -> None:
        if isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self._check_target(element, node)
            return
        if isinstance(target, ast.Subscript):
            name = self.dotted(target.value) or ""
            if name in ("sys.modules", "builtins.__dict__", "__builtins__"):
                self.flag("sys.modules" if name == "sys.modules" else "builtins", node, f"writes into {name}")
            return
        if isinstance(target, ast.Name) and target.id in self.protected:
            self.flag("namespace", node, f"rebinds {target.id}, which the notebook imports from NumPy or helpers")
            return
        if isinstance(target, ast.Attribute):
            name = self.dotted(target) or ""
            root = name.split(".")[0]
            owner = self.dotted(target.value)
            if root == "builtins" or name.startswith("__builtins__"):
                self.flag("builtins", node, f"replaces {name}")
            elif root == "sys" and target.attr in SYS_HOOKS | {"settrace"}:
                self.flag("sys.modules", node, f"replaces {name}")
            elif root in WATCHED_NAMESPACES or (owner in self.aliases.values() and owner is not None):
                self.flag("namespace", node, f"replaces {name}")

    def visit_Assign(self, node):
        for target in node.targets:
            self._check_target(target, node)
        self.generic_visit(node)

    def visit_AugAssign(self, node):
        self._check_target(node.target, node)
        self.generic_visit(node)

    def visit_AnnAssign(self, node):
        self._check_target(node.target, node)
        self.generic_visit(node)

    def visit_Delete(self, node):
        for target in node.targets:
            self._check_target(target, node)
        self.generic_visit(node)

    def visit_FunctionDef(self, node):
        if node.name in self.protected:
            self.flag("namespace", node, f"redefines {node.name}, which the notebook imports from NumPy or helpers")
        self.generic_visit(node)

    visit_AsyncFunctionDef = visit_FunctionDef
    visit_ClassDef = visit_FunctionDef

    # reads and calls -------------------------------------------------------------------------
    def visit_Call(self, node):
        name = self.dotted(node.func) or ""
        root = name.split(".")[0]
        if name in CALLS:
            self.flag(CALLS[name], node, f"calls {name}")
        elif name in ("setattr", "delattr") and node.args:
            owner = self.dotted(node.args[0]) or ""
            if owner.split(".")[0] in WATCHED_NAMESPACES + ("builtins", "sys") or owner in self.aliases.values():
                self.flag("namespace", node, f"{name} on {owner}")
        elif name in ("open", "io.open", "pathlib.Path", "Path") and node.args:
            self._check_path(node.args[0], node)
        elif root in MODULES and name != root:
            self.flag(MODULES[root], node, f"calls {name}")
        self.generic_visit(node)

    def _check_path(self, argument, node) -> None:
        if isinstance(argument, ast.Constant) and isinstance(argument.value, str) and _outside(argument.value):
            self.flag("filesystem", node, f"opens {argument.value!r}")

    def visit_Constant(self, node):
        if not isinstance(node.value, str) or "\n" in node.value:
            return
        if _outside(node.value):
            self.flag("filesystem", node, f"path {node.value!r}")
        elif node.value in COURSE_NAMES or node.value.endswith(".ipynb"):
            self.flag("filesystem", node, f"names the course's {node.value!r}")
        elif "HIDDEN TESTS" in node.value:
            self.flag("grader", node, "looks for hidden tests")

    def visit_Attribute(self, node):
        if node.attr in ATTRIBUTES:
            self.flag(ATTRIBUTES[node.attr], node, f"uses .{node.attr}")
        self.generic_visit(node)

    def visit_Name(self, node):
        if node.id == "__builtins__":
            self.flag("builtins", node, "uses __builtins__")
        elif node.id.startswith("__nbcourse"):
            self.flag("grader", node, f"uses the grader's {node.id}")


def _outside(text: str) -> bool:
    """A path that leaves the student's folder: absolute, or with a ``..`` component."""
    if re.search(r"(^|[/\\])\.\.([/\\]|$)", text):
        return True
    return bool(re.match(r"/[A-Za-z_.]", text)) and " " not in text
