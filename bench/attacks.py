"""What each known attack on the autograder achieves with plain nbgrader and with ours.

The cohort is built from the tiny fixture assignment (``tests/fixtures``: ``square``
worth 1 point, ``row_means`` worth 2). Every cheating student carries the *wrong*
answers (``square`` returns ``2 * x``, ``row_means`` averages the wrong axis), so an
honest grader gives each of them 0 of 3; whatever more they get is what the attack won.

    python bench/attacks.py            # both graders, a table; ~4 minutes on 2 cores
    python bench/attacks.py --cost     # the sandbox's cost per notebook, with vs without

The same cohort drives ``tests/test_security_attacks.py``.
"""
from __future__ import annotations

import copy
import hashlib
import secrets
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from nbcourse.authoring import Mistake, apply_mistake, fill_answers  # noqa: E402

ASSIGNMENT = "00_fixture"
FIXTURE_SOURCE = REPO / "tests" / "fixtures" / "source"
WRONG = (Mistake("square computed as 2x", "square", "return x ** 2", "return 2 * x"),
         Mistake("row means over the wrong axis", "row_means", "axis=1", "axis=0"))
# A per-cell timeout short enough for the infinite-loop student (the course uses 180 s).
CELL_TIMEOUT = 10

# --- the attacks: code a student puts in a cell of their own, right after the imports ----

PATCH_COMPARISONS = """
import numpy as np, helpers.testing
def _always_true(*args, **kwargs):
    return True
def _never_fails(*args, **kwargs):
    return None
assert_close = assert_shape = _never_fails
np.allclose = np.array_equal = _always_true
np.isclose = lambda a, b, *args, **kwargs: np.ones(np.shape(a), dtype=bool)
np.testing.assert_allclose = np.testing.assert_array_equal = np.testing.assert_equal = _never_fails
try:  # helpers.testing may refuse to be patched
    helpers.testing.assert_close = helpers.testing.assert_shape = _never_fails
except AttributeError:
    pass
"""

EMPTY_LATER_CELLS = """
get_ipython().input_transformers_cleanup.append(lambda lines: [])
"""

SWALLOW_ERRORS = """
def _swallow(shell, etype, value, tb, tb_offset=None):
    return []
get_ipython().set_custom_exc((Exception,), _swallow)
"""

STRIP_ASSERTS = """
import ast
class _NoChecks(ast.NodeTransformer):
    def visit_Module(self, node):
        node.body = [ast.Pass()] if any('assert' in ast.unparse(n) for n in node.body) else node.body
        return node
get_ipython().ast_transformers.append(_NoChecks())
"""

KEEP_ONLY_PROOF = """
# knows the grader: blanks its reset cells and keeps only the proof line of each test
def _keep_proof(lines):
    if any('.enter(' in line for line in lines):
        return []
    return [line for line in lines if '.proof(' in line] or lines
get_ipython().input_transformers_cleanup.append(_keep_proof)
"""

REPATCH_EVERY_CELL = """
import numpy as np, helpers.testing
def _never_fails(*args, **kwargs):
    return None
def _repatch(*args):
    get_ipython().user_ns['assert_close'] = get_ipython().user_ns['assert_shape'] = _never_fails
    np.allclose = lambda *args, **kwargs: True
get_ipython().events.register('pre_run_cell', _repatch)
_repatch()
"""

VANDALIZE_COURSE = """
import glob, os
from pathlib import Path
for folder in [Path.cwd(), *Path.cwd().parents]:
    for path in glob.glob(str(folder / 'source' / '*' / '*.ipynb')):
        try:
            Path(path).write_text('{"vandalized": true}')
        except OSError as error:
            print('cannot write', path, error)
    for path in glob.glob(str(folder / 'submitted' / '*' / '*' / '*.ipynb')):
        if 'vandal' not in path:
            try:
                Path(path).write_text('{"vandalized": true}')
            except OSError as error:
                print('cannot write', path, error)
    for path in glob.glob(str(folder / 'gradebook.db')):
        print('gradebook visible at', path)
"""

READ_HIDDEN_TESTS = """
import glob
from pathlib import Path
for folder in [Path.cwd(), *Path.cwd().parents]:
    for path in [*glob.glob(str(folder / 'source' / '*' / '*.ipynb')), *glob.glob(str(folder / '*.ipynb'))]:
        text = Path(path).read_text()
        if 'BEGIN HIDDEN TESTS' in text:
            print('LEAKED HIDDEN TESTS from', path)
"""

EXIT_KERNEL = """
import os
os._exit(0)
"""

SEGFAULT = """
import ctypes
ctypes.string_at(0)
"""

EAT_MEMORY = """
hoard = []
while True:
    hoard.append(bytearray(256 * 1024 * 1024))
"""

INFINITE_LOOP = """
while True:
    pass
"""

OUTPUT_FLOOD = """
for line in range(60_000):
    print('flood ' * 20)
"""

NETWORK = """
import socket
try:
    socket.create_connection(('1.1.1.1', 53), timeout=3).close()
    print('NETWORK REACHABLE')
except OSError as error:
    print('no network:', error)
"""


@dataclass
class Student:
    """One submission of the cohort and what an honest grader owes it."""

    name: str
    description: str
    notebook: object            # NotebookNode, or raw text for a malformed file, or None: no file
    honest_score: float         # the points its answers earn without any cheating
    attack: bool = True
    extra_files: dict = field(default_factory=dict)


def _cell_index(nb, grade_id):
    return next(i for i, cell in enumerate(nb.cells) if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def _with_cell(nb, source, *, after="imports"):
    """A copy of ``nb`` with a student code cell after the imports (or after a grade id)."""
    nb = copy.deepcopy(nb)
    index = 2 if after == "imports" else _cell_index(nb, after) + 1
    nb.cells.insert(index, nbformat.v4.new_code_cell(source.strip("\n")))
    return nb


def build_cohort(release_nb, source_nb) -> list[Student]:
    """The adversarial cohort: honest students, then one student per attack."""
    correct = fill_answers(release_nb, source_nb)
    wrong = correct
    for mistake in WRONG:
        wrong = apply_mistake(wrong, mistake)
    edited = copy.deepcopy(wrong)
    for cell in edited.cells:
        if cell.metadata.get("nbgrader", {}).get("grade") and not cell.metadata["nbgrader"].get("solution"):
            cell.source = "pass  # the student emptied this test"
    deleted = copy.deepcopy(correct)
    deleted.cells = [cell for cell in deleted.cells
                     if cell.metadata.get("nbgrader", {}).get("grade_id") != "test_row_means"]
    syntax = copy.deepcopy(correct)
    syntax.cells[_cell_index(syntax, "square")].source = "def square(x)\n    return x ** 2"
    return [
        Student("correct", "every answer right", correct, 3.0, attack=False),
        Student("blank", "the release untouched", copy.deepcopy(release_nb), 0.0, attack=False),
        Student("wrong", "both answers wrong", wrong, 0.0, attack=False),
        Student("patch_numpy", "replaces np.allclose & co. and the test helpers", _with_cell(wrong, PATCH_COMPARISONS), 0.0),
        Student("empty_cells", "input transformer empties every later cell", _with_cell(wrong, EMPTY_LATER_CELLS), 0.0),
        Student("swallow", "set_custom_exc swallows every exception", _with_cell(wrong, SWALLOW_ERRORS), 0.0),
        Student("strip_asserts", "AST transformer drops the checks", _with_cell(wrong, STRIP_ASSERTS), 0.0),
        Student("keep_proof", "transformer skips the grader's reset, keeps only the proof line", _with_cell(wrong, KEEP_ONLY_PROOF), 0.0),
        Student("repatch", "pre_run_cell callback re-patches the helpers before each cell",
                _with_cell(wrong, REPATCH_EVERY_CELL), 0.0),
        Student("vandal", "overwrites source/ and other students' submissions", _with_cell(wrong, VANDALIZE_COURSE), 0.0),
        Student("reader", "reads the hidden tests from source/, opens a network connection",
                _with_cell(wrong, READ_HIDDEN_TESTS + NETWORK), 0.0),
        Student("os_exit", "correct, then os._exit(0) after the first test",
                _with_cell(correct, EXIT_KERNEL, after="test_square"), 1.0),
        Student("segfault", "correct, then a segfault through ctypes after the first test",
                _with_cell(correct, SEGFAULT, after="test_square"), 1.0),
        Student("memory", "correct, and a cell that eats all memory", _with_cell(correct, EAT_MEMORY), 3.0),
        Student("loop", "correct, and an infinite loop", _with_cell(correct, INFINITE_LOOP), 3.0),
        Student("flood", "correct, and 7 MB of output", _with_cell(correct, OUTPUT_FLOOD), 3.0),
        Student("syntax", "a syntax error in the first answer", syntax, 2.0),
        Student("edited_tests", "wrong answers, test cells emptied", edited, 0.0),
        Student("deleted_test", "correct, the second test cell deleted", deleted, 3.0),
        Student("shadow_numpy", "wrong answers and a numpy.py next to the notebook", wrong, 0.0,
                extra_files={"numpy.py": "def allclose(*a, **k):\n    return True\n"}),
        Student("malformed", "the notebook file is not JSON", '{"cells": [', 0.0),
        Student("missing", "no notebook handed in", None, 0.0),
    ]


# --- handing in and reading back ------------------------------------------------------------

def hand_in(course, students) -> None:
    """Write every student's files into ``submitted/`` of the harness course."""
    for student in students:
        folder = course.submit(ASSIGNMENT, student.name, {})
        path = folder / f"{ASSIGNMENT}.ipynb"
        if isinstance(student.notebook, str):
            path.write_text(student.notebook)
        elif student.notebook is not None:
            nbformat.write(student.notebook, path)
        for name, text in student.extra_files.items():
            (folder / name).write_text(text)


def new_course(root: Path):
    """A harness course on the fixture assignment, generated, with the plain config."""
    from nbgrader_harness import Course

    course = Course(root, [ASSIGNMENT], source_root=FIXTURE_SOURCE)
    with open(course.root / "nbgrader_config.py", "a") as config:
        config.write(f"\nc.ExecutePreprocessor.timeout = {CELL_TIMEOUT}\n")
    course.generate(ASSIGNMENT)
    return course


def fingerprint(root: Path, exclude=()) -> dict:
    """sha256 of every file under ``source/`` and ``submitted/`` and of the gradebook."""
    files = [*sorted((root / "source").rglob("*")), *sorted((root / "submitted").rglob("*"))]
    return {str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in files if path.is_file() and not any(part in exclude for part in path.parts)}


def private_scores(workdir: Path, problems: list[str]) -> dict:
    """``{grade_id: score}`` of a private copy's gradebook, cells named in ``problems`` zeroed."""
    from nbgrader.api import Gradebook, MissingEntry

    named = {problem.split(":", 1)[0] for problem in problems}
    scores = {}
    with Gradebook(f"sqlite:///{workdir / 'gradebook.db'}", course_id="dl-intro") as gradebook:
        assignment = gradebook.find_assignment(ASSIGNMENT)
        for cell in assignment.notebooks[0].grade_cells:
            if cell.cell_type != "code":
                continue
            try:
                grade = gradebook.find_grade(cell.name, ASSIGNMENT, ASSIGNMENT, workdir.name)
                score = grade.auto_score or 0.0
            except MissingEntry:
                score = 0.0
            scores[cell.name] = 0.0 if cell.name in named else score
    return scores


# --- the two graders ------------------------------------------------------------------------------

def grade_plain(course, students) -> dict:
    """Plain ``nbgrader autograde`` for the whole cohort: ``{student: total or None}``."""
    from nbgrader_harness import NbgraderError

    try:
        course.autograde(ASSIGNMENT)
    except NbgraderError:
        pass  # some submissions broke the run; the others still have scores
    scores = course.scores(ASSIGNMENT)
    return {student.name: (sum(v or 0 for k, v in scores[student.name].items() if k.startswith("test_"))
                           if student.name in scores else None) for student in students}


def grade_ours(course, students, workroot: Path, *, sandboxed: bool = True) -> dict:
    """Each submission through ``nbcourse.grading.grade_submission`` with sandbox and integrity.

    Returns ``{student: GradedStudent-like dict}`` with total, per-cell scores, problems,
    the run's ok/reason.
    """
    from nbcourse import grading, integrity, sandbox

    token = secrets.token_hex(16)
    results = {}
    template = grading.build_template_gradebook(_course_model(course.root), ASSIGNMENT, workroot / "template.db")
    for student in students:
        workdir = workroot / student.name
        features = [integrity.overrides(token)]
        if sandboxed:
            features.append(sandbox.overrides(workdir))
        result = grading.grade_submission(course.root, ASSIGNMENT, student.name, workdir, features,
                                          template_db=template, timeout=300)
        notebook = workdir / "autograded" / student.name / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        problems = integrity.verify(notebook, token) if result.ok else []
        cells = private_scores(workdir, [p for p in problems if not p.startswith("note:")])
        results[student.name] = {"total": sum(cells.values()), "cells": cells, "problems": problems,
                                 "ok": result.ok, "reason": result.reason, "seconds": result.seconds,
                                 "notebook": notebook}
    return results


def _course_model(root):
    from nbcourse.course import Course

    return Course.at(root)


def measure_sandbox_cost(repeats: int = 5) -> None:
    """Seconds to grade one notebook (the correct student) with and without the sandbox.

    Each run is a whole private ``nbgrader autograde`` (kernel start, the notebook, the
    integrity checks); the two kinds alternate so that load from other processes hits
    both alike. Prints the median and the spread.
    """
    import statistics

    from nbcourse import grading, integrity, sandbox

    with tempfile.TemporaryDirectory(prefix="nbcourse-cost-") as tmp:
        tmp = Path(tmp)
        course = new_course(tmp / "course")
        release = nbformat.read(course.root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
        source = nbformat.read(course.root / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
        hand_in(course, [build_cohort(release, source)[0]])
        template = grading.build_template_gradebook(_course_model(course.root), ASSIGNMENT, tmp / "template.db")
        token = secrets.token_hex(16)
        seconds = {"without sandbox": [], "with sandbox": []}
        for run in range(repeats):
            for kind in seconds:
                workdir = tmp / "work" / f"correct-{kind.split()[0]}-{run}"
                features = [integrity.overrides(token)]
                if kind == "with sandbox":
                    features.append(sandbox.overrides(workdir))
                result = grading.grade_submission(course.root, ASSIGNMENT, "correct", workdir, features,
                                                  template_db=template, timeout=300)
                assert result.ok, result.reason
                seconds[kind].append(result.seconds)
    for kind, values in seconds.items():
        print(f"{kind:<16} median {statistics.median(values):5.2f} s per notebook "
              f"(min {min(values):.2f}, max {max(values):.2f}, {repeats} runs)")
    extra = statistics.median(seconds["with sandbox"]) - statistics.median(seconds["without sandbox"])
    print(f"sandbox cost: {extra:+.2f} s per notebook")


def main() -> None:
    from nbcourse import sandbox

    if "--cost" in sys.argv[1:]:
        measure_sandbox_cost()
        return

    status = sandbox.check()
    print(f"sandbox: {'available' if status.available else 'NOT available'} ({status.reason})")
    with tempfile.TemporaryDirectory(prefix="nbcourse-attacks-") as tmp:
        tmp = Path(tmp)
        plain = new_course(tmp / "plain")
        release = nbformat.read(plain.root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
        source = nbformat.read(plain.root / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
        students = build_cohort(release, source)
        hand_in(plain, students)
        before = fingerprint(plain.root)
        started = time.perf_counter()
        plain_totals = grade_plain(plain, students)
        plain_seconds = time.perf_counter() - started
        changed = sorted(name for name, digest in fingerprint(plain.root).items() if before.get(name) != digest)

        ours_course = new_course(tmp / "ours")
        hand_in(ours_course, students)
        before_ours = fingerprint(ours_course.root)
        started = time.perf_counter()
        ours = grade_ours(ours_course, students, tmp / "work", sandboxed=status.available)
        ours_seconds = time.perf_counter() - started
        changed_ours = sorted(name for name, digest in fingerprint(ours_course.root).items()
                              if before_ours.get(name) != digest)

    print(f"\n{'student':<14} {'honest':>6} {'plain':>6} {'ours':>6}  attack / what happened here")
    for student in students:
        mine = ours[student.name]
        plain_total = plain_totals[student.name]
        note = mine["reason"] or "; ".join(p for p in mine["problems"])[:110]
        print(f"{student.name:<14} {student.honest_score:>6.1f} "
              f"{'-' if plain_total is None else f'{plain_total:.1f}':>6} {mine['total']:>6.1f}  "
              f"{student.description}{' | ' + note if note else ''}")
    print(f"\nfiles of source/ and submitted/ changed by the plain run: {len(changed)}")
    for name in changed:
        print(f"  {name}")
    print(f"files changed by our run: {len(changed_ours)}")
    print(f"\nwall time: plain {plain_seconds:.0f} s (one nbgrader call), ours {ours_seconds:.0f} s "
          f"({len(students)} private runs, one after the other)")


if __name__ == "__main__":
    main()
