"""Small mutations of solution code, to measure how strong an assignment's hidden tests are.

A *mutant* is the source notebook with one small change inside one solution region: an
arithmetic operator swapped, a constant changed, a term dropped, an axis flipped, a
``keepdims`` or a comparison flipped, a transpose removed. A good test suite *kills* every
mutant that changes behaviour (the mutant loses points); a mutant that keeps full marks
shows a mistake the hidden tests miss.

Mutations are made on the syntax tree and written back into the cell text at the mutated
node's exact position, so everything else in the cell (comments, layout) stays as written.
"""
from __future__ import annotations

import ast
import copy
import hashlib
from dataclasses import dataclass
from typing import Iterator

_BEGIN, _END = "### BEGIN SOLUTION", "### END SOLUTION"

# Operator swaps: each maps to the mistakes students actually make (+ for -, * for /, ...).
_BINOP_SWAPS = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.Div,
    ast.Div: ast.Mult,
    ast.Pow: ast.Mult,
    ast.FloorDiv: ast.Div,
    ast.MatMult: ast.Mult,
}
_CMPOP_SWAPS = {
    ast.Lt: ast.Gt,
    ast.Gt: ast.Lt,
    ast.LtE: ast.Lt,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
}


@dataclass(frozen=True)
class Mutant:
    """One mutation of one answer cell.

    ``grade_id``: the answer cell; ``operator``: the kind of change; ``line``/``column``:
    where, inside the cell (1-based line); ``line_text``: that line as written;
    ``before``/``after``: the mutated expression as written and as changed; ``source``: the
    whole mutated cell.
    """

    grade_id: str
    operator: str
    line: int
    column: int
    line_text: str
    before: str
    after: str
    source: str

    @property
    def id(self) -> str:
        """A stable name: the same change of the same line keeps its id when other lines move."""
        key = f"{self.operator}|{self.line_text}|{self.column}|{self.before}|{self.after}"
        return f"{self.grade_id}:{self.operator}:{hashlib.sha1(key.encode()).hexdigest()[:10]}"


def solution_lines(source: str) -> set[int]:
    """The 1-based line numbers strictly inside the solution region(s) of a cell."""
    inside, lines = False, set()
    for number, text in enumerate(source.splitlines(), start=1):
        stripped = text.strip()
        if stripped == _BEGIN:
            inside = True
        elif stripped == _END:
            inside = False
        elif inside:
            lines.add(number)
    return lines


def _replacements(node: ast.AST) -> Iterator[tuple[str, ast.AST]]:
    """(operator name, replacement node) for every mutation that applies to ``node``."""
    if isinstance(node, ast.BinOp):
        swap = _BINOP_SWAPS.get(type(node.op))
        if swap:
            yield "swap-operator", ast.BinOp(left=node.left, op=swap(), right=node.right)
        if isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.Div)):
            yield "drop-right-term", node.left
            yield "drop-left-term", node.right
    elif isinstance(node, ast.Compare) and len(node.ops) == 1:
        swap = _CMPOP_SWAPS.get(type(node.ops[0]))
        if swap:
            yield "flip-comparison", ast.Compare(left=node.left, ops=[swap()], comparators=node.comparators)
    elif isinstance(node, ast.Constant) and type(node.value) in (int, float):
        value = node.value
        changed = value + 1 if value in (0, 1) or isinstance(value, int) else value * 2
        yield "change-constant", ast.Constant(changed)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        yield "drop-minus", node.operand
    elif isinstance(node, ast.Attribute) and node.attr == "T":
        yield "drop-transpose", node.value
    elif isinstance(node, ast.keyword) and node.arg == "axis" and isinstance(node.value, ast.Constant):
        if node.value.value in (0, 1):
            yield "flip-axis", ast.keyword(arg="axis", value=ast.Constant(1 - node.value.value))
    elif isinstance(node, ast.keyword) and node.arg == "keepdims" and isinstance(node.value, ast.Constant):
        yield "flip-keepdims", ast.keyword(arg="keepdims", value=ast.Constant(not node.value.value))


def _offset(line_starts: list[int], lineno: int, col: int) -> int:
    return line_starts[lineno - 1] + col


def mutate_source(grade_id: str, source: str) -> list[Mutant]:
    """Every single-change mutant of the solution region(s) of one answer cell.

    Cells that do not parse (rare: IPython magics) produce no mutants.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    region = solution_lines(source)
    lines = source.splitlines(keepends=True)
    line_starts, total = [], 0
    for text in lines:
        line_starts.append(total)
        total += len(text.encode())
    encoded = source.encode()

    mutants, seen = [], set()
    for node in ast.walk(tree):
        if not hasattr(node, "lineno") or node.end_lineno is None:
            continue
        if not set(range(node.lineno, node.end_lineno + 1)) <= region:
            continue
        start = _offset(line_starts, node.lineno, node.col_offset)
        end = _offset(line_starts, node.end_lineno, node.end_col_offset)
        before = encoded[start:end].decode()
        for operator, replacement in _replacements(node):
            after = ast.unparse(replacement)
            if isinstance(node, ast.expr) and not isinstance(node, (ast.Constant, ast.Name, ast.Attribute)):
                after = f"({after})"  # keep precedence when splicing into a larger expression
            mutated = (encoded[:start] + after.encode() + encoded[end:]).decode()
            if mutated == source or mutated in seen:
                continue
            try:
                ast.parse(mutated)
            except SyntaxError:
                continue
            seen.add(mutated)
            line_text = lines[node.lineno - 1].strip()
            mutants.append(
                Mutant(grade_id, operator, node.lineno, node.col_offset, line_text, before, after, mutated)
            )
    return sorted(mutants, key=lambda m: (m.line, m.operator, m.after))


def notebook_mutants(source_nb) -> list[Mutant]:
    """Every mutant of every autograded answer cell of a source notebook."""
    mutants = []
    for cell in source_nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("solution") and not meta.get("grade"):
            mutants.extend(mutate_source(meta["grade_id"], cell.source))
    return mutants


def apply_mutant(nb, mutant: Mutant):
    """A copy of ``nb`` whose answer cell ``mutant.grade_id`` holds the mutated source."""
    mutated = copy.deepcopy(nb)
    for cell in mutated.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == mutant.grade_id:
            cell.source = mutant.source
            return mutated
    raise ValueError(f"mutant {mutant.id}: the notebook has no cell {mutant.grade_id!r}")


def tests_of_answer(source_nb) -> dict[str, list[str]]:
    """Answer grade_id -> the test cells that follow it (up to the next answer cell)."""
    owners, current = {}, None
    for cell in source_nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("solution") and not meta.get("grade"):
            current = meta["grade_id"]
            owners[current] = []
        elif cell.cell_type == "code" and meta.get("grade") and current is not None:
            owners[current].append(meta["grade_id"])
    return owners
