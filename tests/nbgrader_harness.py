"""Run the real nbgrader commands on a throwaway copy of the course.

Tests that need nbgrader itself (generate, autograde, export) build a :class:`Course` in
their own ``tmp_path``, so that they never touch the repository's gradebook or
``submitted/`` folder and can run in parallel under pytest-xdist::

    from nbgrader_harness import Course, standard_cohort

    course = Course(tmp_path, ["01_perceptron"])           # copies config + source/01_perceptron
    release = course.generate("01_perceptron")             # {"01_perceptron": NotebookNode}
    course.submit("01_perceptron", "alice", {"01_perceptron": notebook})
    course.autograde("01_perceptron")                      # ONE nbgrader call for all students
    course.scores("01_perceptron")     # {"alice": {"test_sigmoid": 2.0, ...}}  (auto scores)
    course.max_scores("01_perceptron") # {"test_sigmoid": 2.0, ...}
    course.export()                    # rows of nbgrader's grades.csv, as dicts

``Course(root, assignments, source_root=..., config=...)``
    Copies ``nbgrader_config.py`` and ``<source_root>/<assignment>/`` for each
    assignment into ``root`` (``source_root`` defaults to the repository's ``source/``;
    the fixture in ``tests/fixtures/source`` is used the same way). The config finds its
    course root with ``os.path.dirname(__file__)``, so the copy is a course of its own.
``.run(*args)``
    ``nbgrader <args>`` in the course directory; raises :class:`NbgraderError` with the
    captured log on a non-zero exit, returns the log otherwise. The environment has the
    interpreter's ``bin`` first on PATH (nbgrader shells out to ``alembic``),
    ``TF_CPP_MIN_LOG_LEVEL=2``, the repository on ``PYTHONPATH`` (the kernels import this
    working tree's ``helpers``), and no ``NBGRADER_*`` variable from the caller (no
    outside database, exchange, or ``NBGRADER_EXECUTION``).
``.source(assignment)`` / ``.release(assignment)``
    ``{notebook name: NotebookNode}`` of the instructor / student version.
``.generate(assignment)``
    ``nbgrader generate_assignment <a> --force`` through ``nbcourse.generate`` (which makes
    a new gradebook itself, 3 s faster than nbgrader); returns ``.release(assignment)``.
``.submit(assignment, student, {name: NotebookNode}, timestamp=None)``
    Writes ``submitted/<student>/<a>/<name>.ipynb`` and ``timestamp.txt``.
``.autograde(assignment)``
    ``nbgrader autograde <a> --force`` for every submitted student at once (a kernel per
    notebook is the slow part; one call lets nbgrader reuse its set-up).
``.scores(assignment)`` / ``.max_scores(assignment)`` / ``.export()``
    Read through ``nbgrader.api.Gradebook`` and ``nbgrader export``; also ``.grades``
    (every ``Grade.to_dict()``), ``.test_cells`` (ids of the autograded test cells) and
    ``.autograded(assignment, student)`` (the executed notebooks; :func:`cell_error`
    pulls a test cell's error out of them).

:func:`standard_cohort` builds the usual students from a generated release: ``solution``
(every answer filled from the source), ``blank`` (the release untouched) and one per
:class:`nbcourse.authoring.Mistake`. :func:`grade_cohort` runs the whole round trip
(generate, submit the cohort, one autograde, scores and export) and returns a
:class:`CohortResult`; :func:`solution_and_blank_problems`, :func:`mistake_problems` and
:func:`export_problems` list, in words, everything about it that is wrong (empty: all good)::

    result = grade_cohort(Course(tmp_path, [a]), a, load_mistakes(a))
    assert not mistake_problems(result), "\n".join(mistake_problems(result))

Static checks of a notebook, no nbgrader run needed: :func:`metadata_problems` (nbgrader
cell metadata), :func:`leaks` (solutions or hidden tests in a released notebook) and
:func:`notebook_differences` (a committed release against a fresh one).
"""
from __future__ import annotations

import copy
import csv
import datetime
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from nbcourse.authoring import Mistake, apply_mistake, fill_answers
from nbcourse.cells import grade_id_of, is_test_cell
from nbcourse.course import nbgrader_env as course_nbgrader_env
from nbcourse.outcome import Status
from tests.support.sample import write_submission

REPO = Path(__file__).resolve().parent.parent
NBGRADER_TIMEOUT = 1500  # seconds for one nbgrader command: autograde of a whole cohort


def source_assignments(source_root=REPO / "source") -> list[str]:
    """The assignments under ``source_root``: folders holding at least one notebook."""
    return sorted(folder.name for folder in Path(source_root).iterdir()
                  if folder.is_dir() and any(folder.glob("*.ipynb")))


def assignment_params(group_prefix: str, source_root=REPO / "source") -> list:
    """One ``pytest.param`` per assignment, in the xdist group ``<group_prefix>-<assignment>``.

    With no assignment yet the list is empty and pytest reports the test as skipped.
    """
    import pytest

    return [pytest.param(assignment, id=assignment,
                         marks=pytest.mark.xdist_group(f"{group_prefix}-{assignment}"))
            for assignment in source_assignments(source_root)]


class NbgraderError(RuntimeError):
    """An nbgrader command exited with an error; the message holds its log."""


def nbgrader_env() -> dict:
    """The environment for nbgrader subprocesses (see the module docstring)."""
    env = {key: value for key, value in course_nbgrader_env({"TF_CPP_MIN_LOG_LEVEL": "2"}).items()
           if not key.startswith("NBGRADER_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH", "")]))
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # quiets a debugger warning per kernel
    return env


def _read_notebooks(folder: Path) -> dict:
    return {path.stem: nbformat.read(path, as_version=4) for path in sorted(folder.glob("*.ipynb"))}


class Course:
    """A copy of the course in ``root`` on which nbgrader commands run (see module docstring)."""

    def __init__(self, root, assignments=(), *, source_root=REPO / "source",
                 config=REPO / "nbgrader_config.py"):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        shutil.copy(config, self.root / "nbgrader_config.py")
        for assignment in assignments:
            origin = Path(source_root) / assignment
            if not origin.is_dir():
                raise FileNotFoundError(f"no assignment folder {origin}")
            shutil.copytree(origin, self.root / "source" / assignment,
                            ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))

    # -- commands -------------------------------------------------------------------------

    def run(self, *args: str, timeout: float = NBGRADER_TIMEOUT) -> str:
        """``nbgrader *args`` in the course; the log (stdout + stderr) or NbgraderError."""
        command = [sys.executable, "-m", "nbgrader", *args]
        result = subprocess.run(command, cwd=self.root, env=nbgrader_env(), timeout=timeout,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if result.returncode != 0:
            raise NbgraderError(f"`nbgrader {' '.join(args)}` exited with {result.returncode} "
                                f"in {self.root}:\n{result.stdout}")
        return result.stdout

    def generate(self, assignment: str) -> dict:
        """Generate the student version; ``{notebook name: NotebookNode}`` of the release."""
        from nbcourse.course import Course as CourseTool
        from nbcourse.generate import generate

        generate(CourseTool.at(self.root), [assignment], progress=False)
        return self.release(assignment)

    def submit(self, assignment: str, student: str, notebooks: dict, timestamp=None) -> Path:
        """Hand in ``notebooks`` (``{name: NotebookNode}``) as ``student``; returns the folder."""
        if not re.fullmatch(r"[A-Za-z0-9_.-]+", student):
            raise ValueError(f"student id {student!r} must be letters, digits, '_', '.' or '-'")
        when = timestamp or datetime.datetime.now(datetime.timezone.utc)
        return write_submission(self.root / "submitted", assignment, student, notebooks,
                                when.strftime("%Y-%m-%d %H:%M:%S.%f %Z"))

    def autograde(self, assignment: str) -> str:
        """Autograde every submitted student of ``assignment`` in one plain nbgrader call; the log."""
        return self.run("autograde", assignment, "--force")

    def grade(self, assignment: str, workers: int = 2, students=None, tolerate=()) -> list:
        """Autograde ``students`` (default: every submitted student) of ``assignment`` with the
        course's own pipeline (``nbcourse.autograde``: sandboxed where possible, tests checked
        outside the kernel); the outcomes. A submission that failed to run raises NbgraderError,
        unless its student is in ``tolerate``."""
        from nbcourse.autograde import autograde
        from nbcourse.course import Course as CourseTool

        outcomes = autograde(CourseTool.at(self.root), assignment, workers=workers, progress=False,
                             unsafe_no_sandbox=True, students=students)
        failed = [f"{outcome.student}: {outcome.reason}" for outcome in outcomes
                  if outcome.status == Status.FAILED and outcome.student not in tolerate]
        if failed:
            raise NbgraderError(f"autograde of {assignment} failed for " + "; ".join(failed))
        return outcomes

    def export(self) -> list[dict]:
        """``nbgrader export`` as a list of CSV rows (dicts keyed by the header)."""
        destination = self.root / "grades.csv"
        self.run("export", f"--to={destination}")
        with open(destination, newline="") as handle:
            return list(csv.DictReader(handle))

    # -- notebooks and scores ------------------------------------------------------------

    def source(self, assignment: str) -> dict:
        return _read_notebooks(self.root / "source" / assignment)

    def release(self, assignment: str) -> dict:
        return _read_notebooks(self.root / "release" / assignment)

    def autograded(self, assignment: str, student: str) -> dict:
        """The executed notebooks of one student (outputs show each test cell's error)."""
        return _read_notebooks(self.root / "autograded" / student / assignment)

    def gradebook(self):
        """An ``nbgrader.api.Gradebook`` on the copy's database (use it in a ``with``)."""
        from nbgrader.api import Gradebook

        return Gradebook(f"sqlite:///{self.root / 'gradebook.db'}", course_id="dl-intro")

    def grades(self, assignment: str) -> list[dict]:
        """Every grade of ``assignment`` as ``nbgrader.api.Grade.to_dict()`` rows."""
        with self.gradebook() as gradebook:
            return [grade.to_dict()
                    for submission in gradebook.assignment_submissions(assignment)
                    for notebook in submission.notebooks
                    for grade in notebook.grades]

    def scores(self, assignment: str) -> dict:
        """``{student: {grade_id: auto_score}}`` (``None`` for an answer awaiting a human)."""
        scores: dict = {}
        for grade in self.grades(assignment):
            per_student = scores.setdefault(grade["student"], {})
            if grade["name"] in per_student:
                raise ValueError(f"grade id {grade['name']!r} occurs in two notebooks of {assignment}")
            per_student[grade["name"]] = grade["auto_score"]
        return scores

    def max_scores(self, assignment: str) -> dict:
        """``{grade_id: points}`` of every graded cell of ``assignment``."""
        with self.gradebook() as gradebook:
            return {cell.name: cell.max_score
                    for notebook in gradebook.find_assignment(assignment).notebooks
                    for cell in notebook.grade_cells}

    def test_cells(self, assignment: str) -> list[str]:
        """The grade ids of the autograded test cells (graded code cells) of ``assignment``."""
        with self.gradebook() as gradebook:
            return [cell.name
                    for notebook in gradebook.find_assignment(assignment).notebooks
                    for cell in notebook.grade_cells if cell.cell_type == "code"]


def standard_cohort(release: dict, source: dict, mistakes=(), unusable=None) -> dict:
    """The usual students: ``{student id: (description, {notebook name: NotebookNode})}``.

    ``solution`` fills every answer from the source; ``blank`` hands the release in
    untouched; ``mistake_01``, ``mistake_02``, ... are the solution with one
    :class:`Mistake` each (made in whichever notebook holds its answer cell).
    ``unusable``: a dict that collects ``{student: error}`` for mistakes that cannot be
    made (their ``old`` text is not in the answer once); without it they raise ValueError.
    """
    solution = {name: fill_answers(release[name], source[name]) for name in release}
    cohort = {"solution": ("the source's solutions", solution),
              "blank": ("the release, untouched", dict(release))}
    for number, mistake in enumerate(mistakes, start=1):
        student = f"mistake_{number:02d}"
        try:
            cohort[student] = (mistake.name, _with_mistake(solution, mistake))
        except ValueError as error:
            if unusable is None:
                raise
            unusable[student] = str(error)
    return cohort


def _with_mistake(notebooks: dict, mistake: Mistake) -> dict:
    holders = [name for name, notebook in notebooks.items()
               if any(cell.metadata.get("nbgrader", {}).get("grade_id") == mistake.grade_id
                      for cell in notebook.cells)]
    if len(holders) != 1:
        raise ValueError(f"mistake {mistake.name!r}: answer cell {mistake.grade_id!r} is in "
                         f"{len(holders)} notebooks, expected one")
    return {name: apply_mistake(notebook, mistake) if name == holders[0] else notebook
            for name, notebook in notebooks.items()}


# --- The round trip: generate, submit the cohort, autograde once, read scores back ------

@dataclass
class CohortResult:
    """What one graded cohort produced (see :func:`grade_cohort`)."""

    assignment: str
    descriptions: dict  # student -> what the student did
    mistakes: dict  # mistake label ("mistake_01", ...) -> Mistake
    scores: dict  # student -> {grade_id: auto_score}
    max_scores: dict  # grade_id -> points
    test_cells: list  # grade ids of the autograded test cells
    export: list  # nbgrader export rows of this assignment
    course: Course
    unusable: dict  # mistake label -> why the mistake could not be made (not submitted)
    # mistake label -> the student whose scores judge it (absent: the label is the student)
    graded_as: dict = field(default_factory=dict)
    # mistake label -> the test cells that judge it (absent: every test cell)
    judged_by: dict = field(default_factory=dict)


def grade_cohort(course: Course, assignment: str, mistakes=(), *, combine: bool = False) -> CohortResult:
    """Generate ``assignment``, submit :func:`standard_cohort`, grade it with the course's pipeline.

    ``combine``: carry several mistakes per submission (:func:`combined_cohort`), each judged
    on its own window; a submission whose combination cannot be trusted is graded again
    with one mistake per student. Without it, one student per mistake.
    """
    release = course.generate(assignment)
    source = course.source(assignment)
    unusable: dict = {}
    cohort = standard_cohort(release, source, () if combine else mistakes, unusable)
    labels = {f"mistake_{number:02d}": mistake for number, mistake in enumerate(mistakes, start=1)}
    plan = combined_cohort(cohort["solution"][1], labels, unusable) if combine else CombinedCohort()
    cohort.update(plan.students)
    for student, (_, notebooks) in cohort.items():
        course.submit(assignment, student, notebooks)
    outcomes = course.grade(assignment, tolerate=set(plan.carriers) | {plan.control})
    graded_as, judged_by = {}, {}
    if combine:
        scores, max_scores = course.scores(assignment), course.max_scores(assignment)
        trusted = plan.trusted_carriers({outcome.student: outcome.status for outcome in outcomes},
                                        scores, max_scores)
        for carrier, carried in plan.carriers.items():
            for label in carried:
                if carrier in trusted:
                    graded_as[label], judged_by[label] = carrier, plan.windows[label]
        alone = {label: (labels[label].name, _with_mistake(cohort["solution"][1], labels[label]))
                 for label in labels if label not in graded_as and label not in unusable}
        for student, (_, notebooks) in alone.items():
            course.submit(assignment, student, notebooks)
        if alone:
            course.grade(assignment, students=sorted(alone))
        cohort.update(alone)
    return CohortResult(
        assignment=assignment,
        descriptions={student: description for student, (description, _) in cohort.items()},
        mistakes=labels,
        scores=course.scores(assignment),
        max_scores=course.max_scores(assignment),
        test_cells=course.test_cells(assignment),
        export=[row for row in course.export() if row["assignment"] == assignment],
        course=course,
        unusable=unusable,
        graded_as=graded_as,
        judged_by=judged_by,
    )


# --- Several mistakes in one submission ---------------------------------------------------
#
# Grading a submission costs a kernel, TensorFlow's import and the whole notebook (about
# 10 s); an assignment has 15 to 30 mistakes. A notebook runs top to bottom, so a mistake
# made in answer cell A can only change the test cells after A. Its *window* runs from A to
# the last test cell the mistake lists. A carrier submission holds several mistakes whose
# windows do not overlap; right after each window a *restore*: copies of every code cell of
# the solution above that point (test cells excepted: they never run in the kernel), which
# define the solution's functions and recompute its data again. So each window starts from
# the solution's state and holds exactly one mistake, and its test cells score what they
# would score with that mistake alone.
#
# Trusted only when checked, in the same autograde run:
# - ``restored`` (the control): the solution with a restore after every window of every
#   carrier must get full marks on every test cell -- restoring by itself costs no test;
# - each carrier must be graded (kernel alive to the end) with full marks on every test cell
#   outside its windows -- each restore really did bring the solution's state back.
# A carrier that fails either check (or the control) has its mistakes graded again, one
# student each, as without ``combine``.

RESTORE_HEADER = "# restore (tests/nbgrader_harness.py): the solution's cell, run again\n"


@dataclass
class CombinedCohort:
    """The carrier submissions of :func:`combined_cohort` and what checks them."""

    students: dict = field(default_factory=dict)  # student -> (description, {name: NotebookNode})
    carriers: dict = field(default_factory=dict)  # carrier student -> [mistake labels]
    windows: dict = field(default_factory=dict)  # mistake label -> test cells of its window
    tests: tuple = ()  # every test cell of the assignment
    control: str = "restored"

    def trusted_carriers(self, statuses: dict, scores: dict, max_scores: dict) -> set:
        """The carriers whose checks (see the comment above) hold."""
        def full_marks(student, tests) -> bool:
            return statuses.get(student) == Status.GRADED and all(
                scores.get(student, {}).get(grade_id) == max_scores[grade_id] for grade_id in tests)

        if not self.carriers or not full_marks(self.control, self.tests):
            return set()
        return {carrier for carrier, labels in self.carriers.items()
                if full_marks(carrier, [grade_id for grade_id in self.tests
                                        if not any(grade_id in self.windows[label] for label in labels)])}


def combined_cohort(solution: dict, mistakes: dict, unusable: dict) -> CombinedCohort:
    """Carriers for ``mistakes`` (``{label: Mistake}``) made in ``solution`` (``{name: NotebookNode}``).

    Windows are placed first fit, in notebook order; a mistake whose answer or a listed test
    is not found in one notebook gets no carrier (it is graded alone), one that cannot be
    made goes to ``unusable``.
    """
    plan = CombinedCohort()
    windows = {}  # label -> (notebook, first cell, last cell)
    for label, mistake in mistakes.items():
        try:
            _with_mistake(solution, mistake)
        except ValueError as error:
            unusable[label] = str(error)
            continue
        for name, notebook in solution.items():
            where = {grade_id_of(cell): index for index, cell in enumerate(notebook.cells) if grade_id_of(cell)}
            if mistake.grade_id in where and mistake.tests and all(test in where for test in mistake.tests):
                last = max(where[test] for test in mistake.tests)
                if last > where[mistake.grade_id]:
                    windows[label] = (name, where[mistake.grade_id], last)
    placed: list[list[str]] = []
    for label in sorted(windows, key=lambda label: windows[label][1:]):
        name, first, _ = windows[label]
        for carried in placed:
            if all(windows[other][0] == name and windows[other][2] < first for other in carried):
                carried.append(label)
                break
        else:
            placed.append([label])
    plan.tests = tuple(grade_id_of(cell) for notebook in solution.values() for cell in notebook.cells
                       if is_test_cell(cell))
    for label, (name, first, last) in windows.items():
        plan.windows[label] = tuple(grade_id_of(cell) for cell in solution[name].cells[first:last + 1]
                                    if is_test_cell(cell))
    for number, carried in enumerate(placed, start=1):
        student = f"carrier_{number:02d}"
        plan.carriers[student] = carried
        plan.students[student] = (f"mistakes {', '.join(carried)}, each followed by a restore",
                                  _carrying(solution, [(mistakes[label], windows[label]) for label in carried]))
    every_window = [(None, windows[label]) for carried in placed for label in carried]
    plan.students[plan.control] = ("the solution with a restore after every window", _carrying(solution, every_window))
    return plan


def _carrying(solution: dict, made: list) -> dict:
    """``solution`` with each ``(mistake or None, (notebook, first, last))`` made and restored after ``last``."""
    carrier = {name: copy.deepcopy(notebook) for name, notebook in solution.items()}
    for mistake, _ in made:
        if mistake is not None:
            carrier = _with_mistake(carrier, mistake)
    # From the bottom up, so that the cell numbers above each insertion stay valid.
    for name, last in sorted({(name, last) for _, (name, _, last) in made}, key=lambda where: -where[1]):
        restore = [nbformat.v4.new_code_cell(RESTORE_HEADER + cell.source)
                   for cell in solution[name].cells[:last + 1]
                   if cell.cell_type == "code" and not is_test_cell(cell)]
        carrier[name].cells[last + 1:last + 1] = restore
    return carrier


def cell_error(course: Course, assignment: str, student: str, grade_id: str) -> str:
    """The error a graded cell raised in a student's autograded notebook ('' if none)."""
    for notebook in course.autograded(assignment, student).values():
        for cell in notebook.cells:
            if cell.metadata.get("nbgrader", {}).get("grade_id") != grade_id:
                continue
            errors = [f"{output.get('ename')}: {output.get('evalue')}".rstrip(": ")
                      for output in cell.get("outputs", []) if output.get("output_type") == "error"]
            return "; ".join(errors)
    return ""


def solution_and_blank_problems(result: CohortResult) -> list[str]:
    """Full marks on every test cell for ``solution``, zero on every one for ``blank``."""
    problems = []
    for student, wanted in (("solution", "full"), ("blank", "zero")):
        scores = result.scores.get(student)
        if scores is None:
            problems.append(f"{student}: no grades in the gradebook")
            continue
        for grade_id in result.test_cells:
            score, points = scores.get(grade_id), result.max_scores[grade_id]
            target = points if wanted == "full" else 0.0
            if score != target:
                error = cell_error(result.course, result.assignment, student, grade_id)
                problems.append(f"{student}: {grade_id} scored {score} of {points}, expected {target}"
                                + (f" ({error})" if error else ""))
    return problems


def mistake_problems(result: CohortResult) -> list[str]:
    """Every mistake that survived: full marks on the tests that judge it (every test cell,
    or its window in a carrier), or full marks on a test it lists."""
    problems = []
    for label, mistake in result.mistakes.items():
        if label in result.unusable:
            problems.append(f"{mistake.name!r} ({label}) could not be made: {result.unusable[label]}")
            continue
        student = result.graded_as.get(label, label)
        scores = result.scores.get(student, {})
        unknown = [grade_id for grade_id in mistake.tests if grade_id not in result.test_cells]
        if unknown:
            problems.append(f"{mistake.name!r}: lists {unknown}, which are not test cells "
                            f"(test cells: {result.test_cells})")
        judges = result.judged_by.get(label, result.test_cells)
        where = f"{label}" if student == label else f"{label}, carried by {student}"
        total = sum(scores.get(grade_id) or 0.0 for grade_id in judges)
        full_total = sum(result.max_scores[grade_id] for grade_id in judges)
        if total >= full_total:
            problems.append(f"{mistake.name!r} ({where}) survived: {total} of {full_total} points"
                            + ("" if student == label else f" on its window {list(judges)}"))
            continue
        kept = [grade_id for grade_id in mistake.tests
                if grade_id in result.test_cells and scores.get(grade_id) == result.max_scores[grade_id]]
        if kept:
            problems.append(f"{mistake.name!r} ({where}) kept full marks on {kept}")
    return problems


def export_problems(result: CohortResult) -> list[str]:
    """Rows of ``nbgrader export`` that disagree with the gradebook's scores."""
    problems = []
    rows = {row["student_id"]: row for row in result.export}
    full = sum(result.max_scores.values())
    for student, scores in result.scores.items():
        row = rows.get(student)
        if row is None:
            problems.append(f"export has no row for {student}")
            continue
        expected = sum(score or 0.0 for score in scores.values())
        if abs(float(row["score"]) - expected) > 1e-9 or abs(float(row["max_score"]) - full) > 1e-9:
            problems.append(f"export row of {student}: score {row['score']} / {row['max_score']}, "
                            f"gradebook {expected} / {full}")
    return problems


# --- Static checks of a notebook's nbgrader cells ----------------------------------------

MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION", "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")
# Lines that may sit inside a solution region and still appear in the release.
TRIVIAL_LINES = {"", "pass", "return", "else:", "try:", "finally:", ")", "]", "}", '"""', "'''"}


def nbgrader_meta(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


def cell_kind(cell) -> str:
    """'answer' (autograded code answer), 'written' (manually graded markdown answer),
    'test' (autograded test cell) or 'other'."""
    meta = nbgrader_meta(cell)
    if meta.get("solution"):
        return "answer" if cell.cell_type == "code" else "written"
    if meta.get("grade") and cell.cell_type == "code":
        return "test"
    return "other"


def metadata_problems(nb, *, min_answers=1, min_written=0) -> list[str]:
    """Everything wrong with a source notebook's nbgrader metadata, in words.

    Schema 3; unique grade ids; test cells locked, worth points > 0, with a visible part
    and a ``### BEGIN HIDDEN TESTS`` part; written answers graded; answer cells with a
    solution region and a test cell before the next answer cell; at least
    ``min_answers`` autograded answers and ``min_written`` written answers.
    """
    problems, seen = [], set()
    for index, cell in enumerate(nb.cells):
        meta = nbgrader_meta(cell)
        if not meta:
            continue
        where = f"cell {index} ({meta.get('grade_id')!r})"
        if meta.get("schema_version") != 3:
            problems.append(f"{where}: schema_version {meta.get('schema_version')}, expected 3")
        if not meta.get("grade_id"):
            problems.append(f"{where}: no grade_id")
        elif meta["grade_id"] in seen:
            problems.append(f"{where}: grade_id used twice")
        seen.add(meta.get("grade_id"))
        kind = cell_kind(cell)
        if kind == "test":
            if not meta.get("locked"):
                problems.append(f"{where}: test cell is not locked")
            if not (meta.get("points") or 0) > 0:
                problems.append(f"{where}: test cell is worth {meta.get('points')} points")
            if "### BEGIN HIDDEN TESTS" not in cell.source:
                problems.append(f"{where}: test cell has no hidden part (### BEGIN HIDDEN TESTS)")
            elif not cell.source.split("### BEGIN HIDDEN TESTS")[0].strip():
                problems.append(f"{where}: test cell has no visible part before its hidden tests")
        if kind == "written" and not (meta.get("grade") and (meta.get("points") or 0) > 0):
            problems.append(f"{where}: written answer is not graded with points > 0")
        if kind == "answer" and ("### BEGIN SOLUTION" not in cell.source or "### END SOLUTION" not in cell.source):
            problems.append(f"{where}: answer cell without a ### BEGIN/END SOLUTION region")

    kinds = [cell_kind(cell) for cell in nb.cells]
    for index, kind in enumerate(kinds):
        if kind != "answer":
            continue
        following = kinds[index + 1:]
        until_next = following[:following.index("answer")] if "answer" in following else following
        if "test" not in until_next:
            problems.append(f"answer cell {nbgrader_meta(nb.cells[index])['grade_id']!r} "
                            f"has no test cell before the next answer cell")
    if kinds.count("answer") < min_answers:
        problems.append(f"{kinds.count('answer')} autograded answer cells, at least {min_answers} expected")
    if kinds.count("written") < min_written:
        problems.append(f"{kinds.count('written')} written answers, at least {min_written} expected")
    return problems


def secret_lines(source_nb) -> set:
    """Lines of solutions, hidden tests and model answers that appear nowhere else in the source."""
    inside, outside = set(), set()
    for cell in source_nb.cells:
        if cell_kind(cell) == "written":
            inside.update(line.strip() for line in cell.source.splitlines())
            continue
        region = None
        for line in cell.source.splitlines():
            stripped = line.strip()
            if stripped in ("### BEGIN SOLUTION", "### BEGIN HIDDEN TESTS"):
                region = stripped
            elif stripped in ("### END SOLUTION", "### END HIDDEN TESTS"):
                region = None
            else:
                (inside if region else outside).add(stripped)
    return inside - outside - TRIVIAL_LINES


def leaks(release_nb, source_nb) -> list[str]:
    """Markers and secret lines (see :func:`secret_lines`) found in a released notebook."""
    secrets = secret_lines(source_nb)
    found = []
    for index, cell in enumerate(release_nb.cells):
        for line in cell.source.splitlines():
            stripped = line.strip()
            if stripped in MARKERS or stripped in secrets:
                found.append(f"cell {index} ({nbgrader_meta(cell).get('grade_id')!r}): {stripped!r}")
    return found


def comparable(nb) -> dict:
    """What must not differ between two releases: cell types, ids, sources, metadata."""
    return {
        "metadata": dict(nb.metadata),
        "cells": [{"cell_type": cell.cell_type, "id": cell.get("id"), "source": cell.source,
                   "metadata": dict(cell.metadata)} for cell in nb.cells],
    }


def notebook_differences(old, new, limit=10) -> list[str]:
    """Where two notebooks differ in :func:`comparable` terms, cell by cell, in words."""
    old, new = comparable(old), comparable(new)
    found = []
    if old["metadata"] != new["metadata"]:
        found.append("notebook metadata differs")
    if len(old["cells"]) != len(new["cells"]):
        found.append(f"{len(old['cells'])} cells vs {len(new['cells'])}")
    for index, (a, b) in enumerate(zip(old["cells"], new["cells"])):
        fields = [field for field in a if a[field] != b[field]]
        if fields:
            found.append(f"cell {index} ({a['id']}): changed {', '.join(fields)}")
    return found[:limit] + ([f"... and {len(found) - limit} more"] if len(found) > limit else [])
