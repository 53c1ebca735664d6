"""How :mod:`nbcourse.similarity` scores the course's own answers: the figures behind its thresholds.

For every answer cell of every assignment in ``source/``: the size of the solution's own
code (tokens, once the release's starting code is subtracted), the score of a renamed,
reordered and recommented copy of it (what a copier hands in), the scores of the
one-edit variants of ``authoring/mistakes_<a>.py`` (the same code changed in one place),
and the score of the solution against the ``helpers`` function of the same name.

Then the time :func:`nbcourse.similarity.similar_pairs` takes over a simulated class (the
``make demo`` cohort, mostly identical answers: the most pairs a class can give).

    python bench/similarity.py              # one line per answer cell, a summary, 40 students; ~20 s
    python bench/similarity.py --class 200  # the timing with 200 students per assignment
"""
from __future__ import annotations

import argparse
import ast
import sys
import tempfile
import time
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from nbcourse import similarity  # noqa: E402
from nbcourse.authoring import apply_mistake, fill_answers, load_mistakes  # noqa: E402
from nbcourse.course import Course  # noqa: E402


def disguise(code: str) -> str:
    """``code`` as a copier hands it in: every variable and parameter renamed, each pair of
    adjacent independent assignments swapped, reformatted, a comment and a blank line
    after every line."""
    tree = ast.parse(code)
    functions = {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}
    bound = similarity._bound_names(tree) - functions

    class Rename(ast.NodeTransformer):
        def visit_Name(self, node):
            node.id = f"my_{node.id.lower()}_value" if node.id in bound else node.id
            return node

        def visit_arg(self, node):
            node.arg = f"my_{node.arg.lower()}_value" if node.arg in bound else node.arg
            return node

    def names(node, context):
        return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, context)}

    tree = Rename().visit(tree)
    for node in ast.walk(tree):
        for body in (getattr(node, "body", None), getattr(node, "orelse", None)):
            if not isinstance(body, list):
                continue
            index = 0
            while index + 1 < len(body):
                first, second = body[index], body[index + 1]
                independent = (all(isinstance(s, (ast.Assign, ast.AugAssign)) for s in (first, second))
                               and not names(first, ast.Store) & names(second, ast.Load)
                               and not names(second, ast.Store) & (names(first, ast.Load) | names(first, ast.Store)))
                if independent:
                    body[index], body[index + 1] = second, first
                index += 2 if independent else 1
    lines = []
    for line in ast.unparse(tree).splitlines():
        indent = " " * (len(line) - len(line.lstrip()) + (4 if line.rstrip().endswith(":") else 0))
        lines += [line, f"{indent}# step (my own words)", ""]
    return "\n".join(lines)

# Honest answers written independently of the solution (by the author of this module, not
# from the source notebook): the same function, another way. Each is compared with the
# course's solution: an honest pair, which should stay below the threshold.
INDEPENDENT = {
    ("02_backprop", "compute_cost"): '''
def compute_cost(AL, Y):
    m = Y.shape[1]
    log_likelihood = np.dot(Y, np.log(AL).T) + np.dot(1 - Y, np.log(1 - AL).T)
    return float(-log_likelihood.item() / m)
''',
    ("02_backprop", "L_model_forward"): '''
def L_model_forward(X, parameters):
    L = len(parameters) // 2
    caches = []
    A = X
    for layer in range(1, L + 1):
        kind = "sigmoid" if layer == L else "relu"
        A, layer_cache = linear_activation_forward(A, parameters["W" + str(layer)], parameters["b" + str(layer)], kind)
        caches += [layer_cache]
    return A, caches
''',
    ("02_backprop", "update_parameters"): '''
def update_parameters(parameters, grads, learning_rate):
    L = len(parameters) // 2
    updated = {}
    updated = {key: value - learning_rate * grads["d" + key] for key, value in parameters.items()}
    return updated
''',
    ("04_regularization", "l2_regularization_cost"): '''
def l2_regularization_cost(parameters, lambd, m):
    total = 0.0
    for key, W in parameters.items():
        if key.startswith("W"):
            total += (W * W).sum()
    cost = total * lambd / m / 2
    return float(cost)
''',
}


def time_class(course: Course, size: int) -> None:
    """Hand in the demo cohort of ``size`` students for every assignment in a scratch copy
    of ``course``, then time :func:`similar_pairs` over all of it."""
    from nbcourse.course import private_copy
    from nbcourse.demo import cohort, hand_in as notebook_of
    from tests.support.sample import hand_in

    with tempfile.TemporaryDirectory() as scratch:
        copy = private_copy(course, Path(scratch) / "course", course.assignments())
        for assignment in course.assignments():
            release = nbformat.read(course.release / assignment / f"{assignment}.ipynb", as_version=4)
            source = nbformat.read(course.source / assignment / f"{assignment}.ipynb", as_version=4)
            hand_in(copy, {p.student: notebook_of(p, release, source) for p in cohort(assignment, size)}, assignment)
        similarity._answer.cache_clear()
        similarity._statements.cache_clear()
        started = time.perf_counter()
        pairs = similarity.similar_pairs(copy, course.assignments())
        seconds = time.perf_counter() - started
    print(f"\n{size} students x {len(course.assignments())} assignments (the demo cohort): {len(pairs)} pairs "
          f"({sum(p.reference for p in pairs)} against the reference) in {seconds:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--class", dest="size", type=int, default=40, help="students in the timed class (default 40)")
    size = parser.parse_args().size
    course = Course.at(REPO)
    print(f"{'assignment':18} {'cell':36} {'own':>4} {'stmts':>5} {'copy':>5} {'one-edit variants':28} reference")
    rows = []
    for assignment in course.assignments():
        source = nbformat.read(course.source / assignment / f"{assignment}.ipynb", as_version=4)
        release = nbformat.read(course.release / assignment / f"{assignment}.ipynb", as_version=4)
        honest = fill_answers(release, source)
        scaffold, functions, _ = similarity._answer_cells(course, assignment)
        solutions = {cell.metadata.nbgrader.grade_id: cell.source for cell in honest.cells
                     if cell.metadata.get("nbgrader", {}).get("grade_id") in scaffold}
        mistakes = load_mistakes(assignment)
        for grade_id, code in solutions.items():
            copy_score, own, _ = similarity.compare(code, disguise(code), scaffold[grade_id])
            variants = [similarity.compare(code, _cell(apply_mistake(honest, m), grade_id), scaffold[grade_id])[0]
                        for m in mistakes if m.grade_id == grade_id]
            references = [(name, similarity.compare(code, text, scaffold[grade_id])[0])
                          for name, text in similarity._references(functions[grade_id])]
            statements = len(similarity._answer(code, scaffold[grade_id]).own)
            rows.append((own, statements, copy_score, variants, references))
            print(f"{assignment:18} {grade_id:36} {own:4} {statements:5} {copy_score:5.2f} "
                  f"{' '.join(f'{v:.2f}' for v in variants):28} "
                  + " ".join(f"{name.split('.')[-2]} {value:.2f}" for name, value in references))
    print("\nIndependent honest answers against the course's solution:")
    honest_scores = []
    for (assignment, grade_id), code in INDEPENDENT.items():
        source = nbformat.read(course.source / assignment / f"{assignment}.ipynb", as_version=4)
        release = nbformat.read(course.release / assignment / f"{assignment}.ipynb", as_version=4)
        scaffold, _, _ = similarity._answer_cells(course, assignment)
        solution = _cell(fill_answers(release, source), grade_id)
        value, own_solution, own_other = similarity.compare(solution, code.strip(), scaffold[grade_id])
        honest_scores.append(value)
        print(f"{assignment:18} {grade_id:36} {value:.2f}  (own code {own_solution} and {own_other} tokens)")
    sizes = sorted(own for own, *_ in rows)
    below = [size for size in sizes if size < similarity.MIN_TOKENS]
    above = [size for size in sizes if size >= similarity.MIN_TOKENS]
    print(f"\nown code of the {len(rows)} solutions, tokens: {below} | {above[:8]} ... {above[-1]}")
    large = [row for row in rows if row[0] >= similarity.MIN_TOKENS]
    edits = [v for row in large for v in row[3]]
    references = [value for row in large for _, value in row[4]]
    print(f"MIN_TOKENS = {similarity.MIN_TOKENS}, THRESHOLD = {similarity.THRESHOLD}: "
          f"{len(large)} of {len(rows)} cells compared; "
          f"copies at or above the threshold: {sum(r[2] >= similarity.THRESHOLD for r in rows)} of {len(rows)} "
          f"(lowest {min(r[2] for r in rows):.2f}); "
          f"one-edit variants at or above it: {sum(v >= similarity.THRESHOLD for v in edits)} of {len(edits)}; "
          f"solutions at or above it against their helpers reference: "
          f"{sum(v >= similarity.THRESHOLD for v in references)} of {len(references)}; "
          f"independent honest answers at or above it: {sum(v >= similarity.THRESHOLD for v in honest_scores)} "
          f"of {len(honest_scores)} (highest {max(honest_scores):.2f})")
    time_class(course, size)


def _cell(nb, grade_id: str) -> str:
    return next(cell.source for cell in nb.cells if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


if __name__ == "__main__":
    main()
