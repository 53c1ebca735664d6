"""Check one test cell in the grader's process, against the student's kernel.

A hidden test is ordinary Python written against the notebook's names (``np``, ``H``,
``T``, the student's ``sigmoid``)::

    z = T.random_case.z((4, 7), seed=101)
    T.assert_close("sigmoid(z)", sigmoid(z), H.sigmoid(z))

While a submission is graded, that code never runs in the student's kernel. The
:class:`Checker` runs it here, in a namespace made of the instructor's imports (the real
``helpers``, NumPy, TensorFlow) in which each name that the assignment's answer cells
define is the student's object in the kernel (:class:`nbcourse.remote.Remote`). So
``sigmoid(z)`` sends ``z`` to the kernel and gets the student's values back, and
``H.sigmoid(z)`` and the comparison run here, where the student's code cannot reach.
The cell passes when its code runs to the end; that is the only way to a verdict.

A failure is reported the way a student can act on it: the failing check's message, the
student's own traceback frames, and where it happened ("a hidden test", or the visible
line, which the student has anyway); never the hidden test's source.
"""
from __future__ import annotations

import ast
import io
import re
import time
from dataclasses import dataclass, field

from nbformat.v4 import new_output

from .remote import GradingStopped, KernelChannel, StudentError

HIDDEN_BEGIN, HIDDEN_END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
# Output kept per cell; beyond it, output is dropped with a note (an output flood must not
# exhaust the grader's memory). Worded like nbgrader's own line limit ("Output truncated"),
# so the feedback reads the same whichever of the two limits a flood hits first.
MAX_OUTPUT_BYTES = 2_000_000
TRUNCATED = f"\n... Output truncated by the grader after {MAX_OUTPUT_BYTES} bytes ...\n"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass
class Verdict:
    """The outcome of one test cell, decided here."""

    grade_id: str
    passed: bool
    ename: str = ""
    message: str = ""
    where: str = ""
    withheld: str = ""                         # the reference a delegating answer called
    requests: int = 0                          # requests sent to the kernel
    student_traceback: list[str] = field(default_factory=list)

    def as_record(self) -> dict:
        return {"passed": self.passed, "ename": self.ename, "message": self.message[:2000],
                "where": self.where, "withheld": self.withheld, "requests": self.requests}


def hidden_lines(source: str) -> set[int]:
    """Line numbers (1-based) inside the cell's hidden-test region, markers included."""
    hidden, inside = set(), False
    for number, line in enumerate(source.splitlines(), start=1):
        if line.strip() == HIDDEN_BEGIN:
            inside = True
        if inside:
            hidden.add(number)
        if line.strip() == HIDDEN_END:
            inside = False
    return hidden


def top_level_names(tree: ast.Module) -> set[str]:
    """Names a cell binds at its top level (functions, classes, imports, assignments)."""
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {alias.asname or alias.name.split(".")[0] for alias in node.names}
        else:
            names |= {target.id for target in ast.walk(node)
                      if isinstance(target, ast.Name) and isinstance(target.ctx, ast.Store)}
    return names


def _parse(source: str):
    from IPython.core.inputtransformer2 import TransformerManager

    try:
        return ast.parse(TransformerManager().transform_cell(source))
    except SyntaxError:
        return None


def answer_names(source_notebook) -> set[str]:
    """Every name that an answer (solution) code cell of the instructor's notebook defines."""
    names = set()
    for cell in source_notebook.cells:
        if cell.cell_type == "code" and cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
            tree = _parse(cell.source)
            if tree is not None:
                names |= top_level_names(tree)
    return names


def instructor_imports(source_notebook) -> list[str]:
    """The import statements of the instructor's own code cells (not answers, not tests).

    They make the checker's namespace: ``np``, ``H``, ``T``, ``tf``... as the notebook
    has them. A name that an answer cell defines is left out, whatever imports it.
    """
    students = answer_names(source_notebook)
    statements = []
    for cell in source_notebook.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.cell_type != "code" or meta.get("solution") or meta.get("grade"):
            continue
        tree = _parse(cell.source)
        for node in tree.body if tree is not None else []:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                node.names = [alias for alias in node.names
                              if (alias.asname or alias.name.split(".")[0]) not in students]
                if node.names and ast.unparse(node) not in statements:
                    statements.append(ast.unparse(node))
    return statements


class Checker:
    """Runs the test cells of one notebook against one kernel (through ``channel``)."""

    def __init__(self, source_notebook, channel: KernelChannel, *, log=None):
        self.channel = channel
        self.answers = answer_names(source_notebook)
        self.namespace = {"__name__": "__nbcourse_checker__"}
        self.log = log
        # Run lazily, when a test first uses a name they bind: TensorFlow costs seconds to
        # import and most assignments' tests never touch it.
        self.imports = {statement: top_level_names(ast.parse(statement))
                        for statement in instructor_imports(source_notebook)}

    def _import_for(self, names: set[str]) -> None:
        for statement, binds in list(self.imports.items()):
            if binds & names:
                del self.imports[statement]
                try:
                    exec(compile(statement, "<instructor's imports>", "exec"), self.namespace)
                except Exception as error:  # noqa: BLE001 -- a missing optional import fails only its tests
                    if self.log is not None:
                        self.log.warning("checker: %s failed: %s", statement, error)

    def check(self, grade_id: str, source: str, timeout: float | None, outputs: list) -> Verdict:
        """Run the test code ``source`` of cell ``grade_id``; append its outputs to ``outputs``.

        Past ``timeout`` seconds (None: no limit) the test fails with ``CellTimeoutError``.
        """
        from helpers import testing

        printed = io.StringIO()
        code = compile(source, f"<test {grade_id}>", "exec")
        used = self._names_used(code)
        self._import_for(used)
        namespace = dict(self.namespace)
        namespace["print"] = lambda *args, **kwargs: print(*args, **{**kwargs, "file": printed})
        namespace["zip"] = strict_zip
        self.channel.deadline = float("inf") if timeout is None else time.monotonic() + timeout
        requests_before = self.channel.requests
        testing._student_side.hook = lambda module: self.channel.module(module.__name__)
        try:
            # A name the student did not define stays undefined: the test fails with NameError, as in the notebook.
            namespace.update(self.channel.names(sorted(used & self.answers)) if used & self.answers else {})
            exec(code, namespace)
            verdict = Verdict(grade_id, passed=True)
        except GradingStopped as stop:
            verdict = Verdict(grade_id, passed=False, ename=stop.ename, message=str(stop))
        except (KeyboardInterrupt, SystemExit):
            raise  # the instructor stopping the run, not a verdict
        except BaseException as error:  # noqa: BLE001 -- any failure of the test code fails the cell
            verdict = self._failure(grade_id, source, error)
        finally:
            testing._student_side.hook = None
            self.channel.deadline = float("inf")
            self.channel.callbacks.clear()  # a function lent by this test is not the next one's to call
        verdict.requests = self.channel.requests - requests_before
        if printed.getvalue():
            outputs.insert(0, new_output("stream", name="stdout", text=printed.getvalue()))
        if not verdict.passed:
            outputs.append(error_output(verdict))
        return verdict

    @staticmethod
    def _names_used(code) -> set[str]:
        names = set(code.co_names)
        for constant in code.co_consts:
            if hasattr(constant, "co_names"):
                names |= Checker._names_used(constant)
        return names

    def _failure(self, grade_id: str, source: str, error: BaseException) -> Verdict:
        ename = getattr(error, "ename", None) or type(error).__name__
        where = _where(error, grade_id, source)
        withheld = ""
        if ename == "WithheldReference":
            withheld = re.search(r"`([^`]+)`", str(error)).group(1) if "`" in str(error) else "?"
        student_frames = list(error.kernel_traceback) if isinstance(error, StudentError) else []
        return Verdict(grade_id, passed=False, ename=ename, message=str(error), where=where,
                       withheld=withheld, student_traceback=student_frames)


def strict_zip(*iterables, strict=True):
    """``zip`` as hidden tests see it: iterables of different lengths fail (``strict=False`` to allow).

    A student's function can return an object of its own (it reaches the test as a handle)
    that iterates as empty, or short, while it indexes as the answer; a plain ``zip`` of it
    with the expected values would end the comparison early, skipping its checks.
    """
    return zip(*iterables, strict=strict)


def _where(error: BaseException, grade_id: str, source: str) -> str:
    """"in a hidden test" or "in the visible test, line N: ..." from the innermost test-code frame."""
    line_number, traceback = None, error.__traceback__
    while traceback is not None:
        if traceback.tb_frame.f_code.co_filename == f"<test {grade_id}>":
            line_number = traceback.tb_lineno
        traceback = traceback.tb_next
    if line_number is None:
        return ""
    if line_number in hidden_lines(source):
        return "in a hidden test"
    line = source.splitlines()[line_number - 1].strip()
    return f"in the visible test, line {line_number}: {line}"


def add_stream(outputs: list, name: str, text: str) -> None:
    """Append what the student's code printed on ``name`` (stdout, stderr) to a test cell's outputs, capped."""
    size = sum(len(out.get("text", "")) for out in outputs if out.get("output_type") == "stream")
    if size > MAX_OUTPUT_BYTES:
        return
    if size + len(text) > MAX_OUTPUT_BYTES:
        name, text = "stdout", TRUNCATED
    if outputs and outputs[-1].get("output_type") == "stream" and outputs[-1].get("name") == name:
        outputs[-1]["text"] += text
    else:
        outputs.append(new_output("stream", name=name, text=text))


def error_output(verdict: Verdict):
    """The error output a failed test cell shows: message, where, the student's frames."""
    header = f"{verdict.ename}: {verdict.message}"
    lines = [header]
    if verdict.where:
        lines.append(f"({verdict.where})")
    if verdict.student_traceback:
        lines.append("Your code's traceback:")
        lines += [_ANSI.sub("", line).rstrip("\n") for line in verdict.student_traceback]
    return new_output("error", ename=verdict.ename, evalue=verdict.message, traceback=lines)
