"""Answer cells that look copied: from another student, or from the ``helpers`` reference.

:func:`similar_pairs` reads every submission of an assignment
(``submitted/<student>/<a>/<a>.ipynb``, else ``autograded/``), takes the code each student
wrote in each answer cell, and compares it with every other student's code for the same
cell and with the source of the ``helpers`` function of the same name as the graded
function (``L_model_backward`` against ``helpers.nn.L_model_backward``). Each pair scoring
at least :data:`THRESHOLD` is returned as a :class:`SimilarPair`; the report lists them
with the two cells side by side. A pair is a reason for a person to read both cells, never
a verdict: two honest students can write the same lines.

How code is compared
--------------------
Only what the student wrote counts. Each cell is parsed and cut into statements (a
compound statement such as ``for`` or ``if`` contributes its header; its body gives
statements of its own); docstrings, comments and blank lines are gone with the parse.
Statements that the release notebook already gives in that cell (the signature, the
docstring, ``m = Y.shape[1]``, ``return Z, cache``, ``raise NotImplementedError()``) are
subtracted, once each: what is left is the student's own code.

Each own statement becomes a sequence of tokens from its syntax tree, with every name the
cell binds (parameters, assignments, loop variables) written ``V`` and every literal
written as its type, so renaming variables or changing constants changes nothing, while
free names (``range``, ``linear_forward``) and attributes (``.T``, ``.shape``) are kept as
written; a module's function reads as its own name (``np.exp``, ``exp`` and
``H.relu``, ``relu``), so neither aliasing a module nor importing from it hides a copy. A statement's fingerprints are its token :data:`K`-grams (the whole statement if
shorter), MOSS-style but within one statement: reordering independent lines changes no
fingerprint. Answer cells hold tens of tokens, not the thousands MOSS was built for, so
every k-gram is kept (no winnowing). The score of two cells is the multiset overlap of
their fingerprints divided by the smaller count (a copy padded with extra lines still
scores high). A cell that does not parse is read without the lines the parser rejects
(up to :data:`MAX_BLANKED`), else tokenized line by line with the same rules,
approximately (names not followed by ``(`` or ``.`` count as variables).

Why these thresholds
--------------------
Small answers (``return 1 / (1 + np.exp(-z))``, ``dZ = dA * (Z > 0)``) are identical
across honest students: there is one way to write them. No pair is reported unless both
sides have at least :data:`MIN_TOKENS` tokens of own code. ``python bench/similarity.py``
measures the course's own answers (the solutions of the mistakes cohort): their own code
is 8 to 17 tokens for the 14 short answers (one or two short lines), then 27 to 112 for
the 32 others, with nothing in between: :data:`MIN_TOKENS` = 22 sits in the middle of that
gap. A renamed, reordered, recommented copy of every solution scores 1.00; the solution
changed in one place (each of ``authoring/mistakes_*.py``) scores at least
:data:`THRESHOLD` = 0.8 in 54 of 56 cases, so a copy edited once is still listed;
independent honest rewrites of four answers score 0.04 to 0.22 against the solution. The
figures are in ``docs/security.md`` ("Copies").
"""
from __future__ import annotations

import ast
import copy
import functools
import importlib
import inspect
import io
import keyword
import re
import tokenize
from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations

import nbformat
from nbgrader.utils import is_grade, is_solution

from .course import Course
from .flags import _python_only  # one home for "the cell without IPython-only lines"

K = 4
THRESHOLD = 0.8
MIN_TOKENS = 22
MAX_BLANKED = 10  # lines blanked to make a broken cell parse before reading it line by line
REFERENCE_PACKAGE = "helpers"


@dataclass(frozen=True)
class SimilarPair:
    """Two answers to the same cell that share most of their fingerprints.

    ``other`` is a student id, or ``helpers.<module>.<function>`` when ``reference``;
    ``score`` in [0, 1]; ``tokens_a``/``tokens_b`` the size of each side's own code;
    ``code_a``/``code_b`` the cells as handed in (the reference's source);
    ``common_a``/``common_b`` the 1-based lines of each whose statement occurs in the other;
    ``solution_a``/``solution_b`` the score of each side against the course's own solution
    (two answers that both equal it may well have been written from the same lesson).
    """

    assignment: str
    cell: str
    student: str
    other: str
    reference: bool
    score: float
    tokens_a: int
    tokens_b: int
    code_a: str
    code_b: str
    common_a: frozenset[int] = field(default_factory=frozenset)
    common_b: frozenset[int] = field(default_factory=frozenset)
    solution_a: float = 0.0
    solution_b: float = 0.0


@dataclass(frozen=True)
class _Statement:
    tokens: tuple[str, ...]      # names the code binds as V, literals as their type
    literal: tuple[str, ...]     # names and literals as written
    lines: range


@dataclass(eq=False)
class _Answer:
    code: str
    own: list[_Statement]
    # The multiset of k-grams as a set of (k-gram, occurrence) hashes: set intersection in C
    # then counts the multiset overlap, fast enough for every pair of a large class.
    fingerprints: frozenset[int]
    size: int  # tokens of own code


def similar_pairs(course: Course, assignments: list[str], *, threshold: float = THRESHOLD,
                  min_tokens: int = MIN_TOKENS) -> list[SimilarPair]:
    """Every pair of answers (student and student, student and reference) to one answer
    cell of ``assignments`` scoring at least ``threshold``, both sides with at least
    ``min_tokens`` tokens of own code; highest score first. A submission that is not a
    readable notebook, or a cell missing from it, is skipped (the flags section reports it)."""
    pairs = []
    for assignment in assignments:
        try:
            scaffold, functions, solutions = _answer_cells(course, assignment)
        except (OSError, ValueError, AttributeError):  # no readable source notebook: nothing to locate cells by
            continue
        answers: dict[str, dict[str, _Answer]] = {}
        for student in course.students_who_submitted(assignment):
            cells = _submitted_cells(course, student, assignment, set(scaffold))
            answers[student] = {grade_id: _answer(code, scaffold[grade_id]) for grade_id, code in cells.items()}
        for grade_id in sorted(scaffold):
            solution = _answer(solutions[grade_id], scaffold[grade_id])
            handed_in = {student: cells[grade_id] for student, cells in sorted(answers.items())
                         if grade_id in cells and cells[grade_id].size >= min_tokens}
            for (a, first), (b, second) in combinations(handed_in.items(), 2):
                pair = _pair(assignment, grade_id, a, first, b, second, False, threshold, solution)
                pairs += [pair] if pair else []
            for name, source in _references(functions[grade_id]):
                reference = _answer(source, "")
                if reference.size < min_tokens:
                    continue
                for student, answer in handed_in.items():
                    pair = _pair(assignment, grade_id, student, answer, name, reference, True, threshold, solution)
                    pairs += [pair] if pair else []
    return sorted(pairs, key=lambda p: (-p.score, p.assignment, p.cell, p.student, p.other))


# --- what each side wrote -----------------------------------------------------------------

def _answer_cells(course: Course, assignment: str) -> tuple[dict[str, str], dict[str, list[str]], dict[str, str]]:
    """For every code answer cell of the source notebook, by grade id: the release's
    starting code, the names of the functions the solution defines, and the solution
    (its markers dropped)."""
    source = nbformat.read(course.source / assignment / f"{assignment}.ipynb", as_version=4)
    try:
        released = nbformat.read(course.release / assignment / f"{assignment}.ipynb", as_version=4).cells
    except (OSError, ValueError, AttributeError):  # not generated yet (or broken): nbgrader's stubs below
        released = []
    released_cells = {_grade_id(cell): cell.get("source") for cell in released if isinstance(cell, dict)}
    scaffold, functions, solutions = {}, {}, {}
    for cell in source.cells:
        grade_id = _grade_id(cell)
        if cell.cell_type != "code" or not is_solution(cell) or is_grade(cell) or grade_id is None:
            continue
        released_source = released_cells.get(grade_id)
        scaffold[grade_id] = released_source if isinstance(released_source, str) else _without_solution(cell)
        solutions[grade_id] = re.sub(r"(?m)^[ \t]*### (BEGIN|END) SOLUTION[^\n]*\n?", "", cell.source)
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            tree = ast.Module(body=[], type_ignores=[])
        functions[grade_id] = [node.name for node in tree.body if isinstance(node, ast.FunctionDef)]
    return scaffold, functions, solutions


def _submitted_cells(course: Course, student: str, assignment: str, grade_ids: set[str]) -> dict[str, str]:
    """grade id -> source of the student's answer cells; the submission is trusted only to
    say which of its code cells carries which of the source notebook's answer grade ids."""
    for folder in (course.submitted, course.autograded):
        path = folder / student / assignment / f"{assignment}.ipynb"
        if path.is_file():
            break
    else:
        return {}
    try:
        nb = nbformat.read(path, as_version=4)
        cells = list(nb.cells)
    except Exception:  # noqa: BLE001 -- any unreadable file: nothing to compare, the flags section shows it
        return {}
    found = {}
    for cell in cells:
        try:
            grade_id, source, kind = _grade_id(cell), cell.get("source"), cell.get("cell_type")
        except (AttributeError, TypeError):  # a cell that is not a dict, metadata that is not one
            continue
        if kind == "code" and grade_id in grade_ids and isinstance(source, str):
            found.setdefault(grade_id, source)
    return found


def _grade_id(cell) -> str | None:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    grade_id = meta.get("grade_id") if isinstance(meta, dict) else None
    return grade_id if isinstance(grade_id, str) else None


def _without_solution(cell) -> str:
    """The cell as nbgrader releases it (used when ``release/`` has not been generated):
    nbgrader's own ClearSolutions, with its default stubs, on a copy of the cell."""
    from nbgrader.preprocessors import ClearSolutions

    return ClearSolutions().preprocess_cell(copy.deepcopy(cell), {"language": "python"}, 0)[0].source


def _references(functions: list[str]) -> list[tuple[str, str]]:
    """(``helpers.<module>.<name>``, source) of each ``helpers`` function named like one of
    ``functions``; none when ``helpers`` cannot be imported."""
    try:
        package = importlib.import_module(REFERENCE_PACKAGE)
    except ImportError:
        return []
    found = []
    for name in functions:
        function = getattr(package, name, None)
        if not inspect.isfunction(function):
            continue
        try:
            found.append((f"{function.__module__}.{name}", inspect.getsource(function)))
        except (OSError, TypeError):
            continue
    return found


@functools.lru_cache(maxsize=4096)  # a class hands in many identical cells, all against one scaffold
def _answer(code: str, scaffold: str) -> _Answer:
    """``code``'s own statements and their fingerprints. The statements of ``scaffold`` are
    subtracted once each: as written first, then (those a student renamed, such as the
    signature's parameters) by their normalized tokens."""
    given = _statements(scaffold)
    written = Counter(statement.literal for statement in given)
    renamed = Counter(statement.tokens for statement in given)
    kept = []
    for statement in _statements(code):
        if written[statement.literal] > 0:
            written[statement.literal] -= 1
            renamed[statement.tokens] -= 1
        else:
            kept.append(statement)
    own = []
    for statement in kept:
        if renamed[statement.tokens] > 0:
            renamed[statement.tokens] -= 1
        else:
            own.append(statement)
    grams = Counter()
    for statement in own:
        tokens = statement.tokens
        grams.update([tokens] if len(tokens) <= K else [tokens[i:i + K] for i in range(len(tokens) - K + 1)])
    return _Answer(code, own, frozenset(hash((gram, n)) for gram, count in grams.items() for n in range(count)),
                   sum(len(statement.tokens) for statement in own))


# --- statements as tokens -----------------------------------------------------------------

@functools.lru_cache(maxsize=4096)
def _statements(code: str) -> tuple[_Statement, ...]:
    """The statements of ``code`` in line order, each as normalized and as literal tokens
    (the literal ones recognise the release's own lines)."""
    lines = _python_only(code).splitlines()
    for _ in range(MAX_BLANKED):
        try:
            return tuple(_tree_statements(ast.parse("\n".join(lines))))
        except SyntaxError as error:
            # Blank the offending line and parse again, so that a copy with a stray
            # syntax error is still read like the cell it was copied from.
            if not error.lineno or not 0 < error.lineno <= len(lines) or not lines[error.lineno - 1].strip():
                break
            lines[error.lineno - 1] = ""
        except (ValueError, RecursionError, MemoryError):  # the last two: nesting too deep for the parser
            break
    return tuple(_line_statements(code))


def _tree_statements(tree) -> list[_Statement]:
    bound = _bound_names(tree)
    statements = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.stmt) or _is_docstring(node):
            continue
        tokens, literal = tuple(_tokens(node, bound, False)), tuple(_tokens(node, set(), True))
        body = [child for name in ("body", "orelse", "finalbody", "handlers") for child in getattr(node, name, [])
                if isinstance(child, (ast.stmt, ast.excepthandler))]
        last = min(child.lineno for child in body) - 1 if body else node.end_lineno
        statements.append(_Statement(tokens, literal, range(node.lineno, max(last, node.lineno) + 1)))
    return sorted(statements, key=lambda statement: statement.lines.start)


def _is_docstring(node) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)


def _bound_names(tree) -> set[str]:
    """Names the code binds: parameters, assignment and loop targets, imports' aliases excepted."""
    bound = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            bound.add(node.id)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
    return bound


_SKIP = (ast.Load, ast.Store, ast.Del, ast.expr_context)
_BODIES = ("body", "orelse", "finalbody", "handlers")


def _tokens(node, bound: set[str], literal: bool):
    """Pre-order node types of one statement (nested statements left out), names and constants normalized."""
    if isinstance(node, _SKIP):
        return
    if isinstance(node, ast.Name):
        yield "V" if node.id in bound else node.id
        return
    if isinstance(node, ast.arg):
        yield "V" if not literal else node.arg
        return
    if isinstance(node, ast.Constant):
        yield repr(node.value) if literal else type(node.value).__name__
        return
    if _is_docstring(node):
        return
    if (not literal and isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
            and node.value.id not in bound):
        # A module's function by its own name: H.relu, helpers.relu, np.exp, exp after
        # `from numpy import exp` all read the same, so aliasing a module hides nothing.
        yield node.attr
        return
    yield type(node).__name__
    if isinstance(node, ast.Attribute):
        yield node.attr
    elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        yield node.name if literal or node.name not in bound else "V"
    for name, value in ast.iter_fields(node):
        if name in _BODIES and isinstance(node, ast.stmt):
            continue
        if name == "decorator_list" or isinstance(node, ast.Attribute) and name == "attr":
            continue
        children = value if isinstance(value, list) else [value]
        for child in children:
            if isinstance(child, ast.AST):
                yield from _tokens(child, bound, literal)


_WORD = re.compile(r"[A-Za-z_]\w*")


def _line_statements(code: str) -> list[_Statement]:
    """Fallback for a cell that does not parse: one statement per line, Python tokens with
    names followed by neither ``(`` nor ``.`` (and not after a ``.``) counted as variables."""
    statements = []
    for number, line in enumerate(code.splitlines(), start=1):
        try:
            raw = [t for t in tokenize.generate_tokens(io.StringIO(line.strip() + "\n").readline)
                   if t.type in (tokenize.NAME, tokenize.OP, tokenize.NUMBER, tokenize.STRING)]
        except (tokenize.TokenError, IndentationError, SyntaxError):
            raw = [tokenize.TokenInfo(tokenize.OP, word, (1, 0), (1, 0), "") for word in _WORD.findall(line)]
        tokens = []
        for index, token in enumerate(raw):
            after = raw[index + 1].string if index + 1 < len(raw) else ""
            before = raw[index - 1].string if index else ""
            if token.type == tokenize.NUMBER:
                tokens.append("num")
            elif token.type == tokenize.STRING:
                tokens.append("str")
            elif (_WORD.fullmatch(token.string) and not keyword.iskeyword(token.string)
                  and after not in ("(", ".") and before != "."):
                tokens.append("V")
            else:
                tokens.append(token.string)
        if tokens and not (len(tokens) == 1 and tokens[0] in ("str", "num")):
            statements.append(_Statement(tuple(tokens), tuple(t.string for t in raw), range(number, number + 1)))
    return statements


# --- scores --------------------------------------------------------------------------------

def _score(first: _Answer, second: _Answer) -> float:
    """Multiset overlap of the two answers' fingerprints over the smaller count (0 if either is empty)."""
    smaller = min(len(first.fingerprints), len(second.fingerprints))
    return len(first.fingerprints & second.fingerprints) / smaller if smaller else 0.0


def _pair(assignment, cell, a, first, b, second, reference, threshold, solution) -> SimilarPair | None:
    value = _score(first, second)
    if value < threshold:
        return None
    return SimilarPair(assignment, cell, a, b, reference, round(value, 3), first.size, second.size,
                       first.code, second.code, *_details(first, second, solution))


@functools.lru_cache(maxsize=4096)  # answers are cached, so identical pairs are the same arguments
def _details(first: _Answer, second: _Answer, solution: _Answer) -> tuple:
    """(common lines of ``first``, of ``second``, score of each against ``solution``)."""
    shared_a = {statement.tokens for statement in first.own}
    shared_b = {statement.tokens for statement in second.own}
    common_a = frozenset(line for s in first.own if s.tokens in shared_b for line in s.lines)
    common_b = frozenset(line for s in second.own if s.tokens in shared_a for line in s.lines)
    return common_a, common_b, round(_score(solution, first), 3), round(_score(solution, second), 3)


def group_pairs(pairs: list[SimilarPair]) -> list[list[SimilarPair]]:
    """``pairs`` split into groups of one cell whose answers are linked by pairs (A like B,
    B like C: one group), highest score first in each; groups in the order of their best pair.
    A class handing in one answer gives one group to read, not every pair of it."""
    parent: dict[tuple, tuple] = {}

    def root(node):
        while parent.setdefault(node, node) != node:
            node = parent[node]
        return node

    for pair in pairs:
        a, b = (pair.assignment, pair.cell, pair.student), (pair.assignment, pair.cell, pair.other)
        parent[root(a)] = root(b)
    groups: dict[tuple, list[SimilarPair]] = {}
    for pair in pairs:
        groups.setdefault(root((pair.assignment, pair.cell, pair.student)), []).append(pair)
    ordered = [sorted(group, key=lambda p: (-p.score, p.student, p.other)) for group in groups.values()]
    return sorted(ordered, key=lambda group: (-group[0].score, group[0].assignment, group[0].cell, group[0].student))


def compare(code_a: str, code_b: str, scaffold: str = "") -> tuple[float, int, int]:
    """(score, own tokens of ``code_a``, own tokens of ``code_b``) of two versions of one
    answer cell whose release gave ``scaffold``: the measure :func:`similar_pairs` thresholds."""
    first, second = _answer(code_a, scaffold), _answer(code_b, scaffold)
    return _score(first, second), first.size, second.size
