"""``demo`` (= ``make demo``): the whole cycle on a simulated cohort, in the real course.

For every assignment in ``source/``: generate, release, a dozen simulated students fetch
it and hand in (full solutions, partial work, a blank notebook, the typical mistakes of
``authoring/mistakes_<a>.py``), collect, parallel autograde, feedback, export, report;
then a summary table. The demo students are called ``demo-*``; a rerun replaces exactly
their data (submissions, grades, feedback, log entries) and nobody else's.
"""
from __future__ import annotations

import copy
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat

from .authoring import Mistake, apply_mistake, fill_answers, load_mistakes
from .autograde import autograde, forget, sandbox_status
from .course import Course
from .exchange import collect, release, resolve_exchange, submit_as, withdraw
from .export import export
from .feedback import feedback
from .generate import generate
from .outcome import Status
from .gradebook import course_id, real_db_url
from .report import build_report

PREFIX = "demo-"


@dataclass(frozen=True)
class Persona:
    """A simulated student: who they are and what they hand in."""

    student: str
    kind: str                    # "solution", "partial", "blank", "mistake" or "tamper"
    mistake: Mistake | None = None


# What the "tamper" student runs first: the classic way to fool plain nbgrader (every
# np.allclose check passes). The tests run in the grader's process, not in the student's
# kernel, so the wrong answers still score 0, and the report shows the flag.
TAMPER = "import numpy as np\nnp.allclose = lambda *args, **kwargs: True  # every check passes?\n"


def cohort(assignment: str, size: int = 12) -> list[Persona]:
    """``size`` students: 3 full solutions, 2 partial, 1 blank, 1 who tampers with NumPy
    (blank answers), the rest one typical mistake each.

    Mistakes cycle through ``authoring/mistakes_<assignment>.py``; without any, the rest
    hand in partial work.
    """
    mistakes = load_mistakes(assignment)
    kinds = ["solution"] * 3 + ["partial"] * 2 + ["blank", "tamper"]
    people = []
    for index in range(size):
        student = f"{PREFIX}{index + 1:02d}"
        if index < len(kinds):
            people.append(Persona(student, kinds[index]))
        elif mistakes:
            people.append(Persona(student, "mistake", mistakes[(index - len(kinds)) % len(mistakes)]))
        else:
            people.append(Persona(student, "partial"))
    return people


def hand_in(persona: Persona, release_nb, source_nb):
    """The notebook ``persona`` submits, built from the release and the source notebooks."""
    if persona.kind == "blank":
        return release_nb
    if persona.kind == "tamper":
        tampered = copy.deepcopy(release_nb)
        first_answer = next(cell for cell in tampered.cells
                            if cell.metadata.get("nbgrader", {}).get("solution") and cell.cell_type == "code")
        first_answer.source = TAMPER + first_answer.source
        return tampered
    if persona.kind == "partial":
        answers = [cell.metadata["nbgrader"]["grade_id"] for cell in source_nb.cells
                   if cell.metadata.get("nbgrader", {}).get("solution")]
        return fill_answers(release_nb, source_nb, only=answers[: len(answers) // 2])
    filled = fill_answers(release_nb, source_nb)
    if persona.kind == "mistake" and persona.mistake.grade_id in {
            cell.metadata.get("nbgrader", {}).get("grade_id") for cell in filled.cells}:
        return apply_mistake(filled, persona.mistake)
    return filled


def clear_demo_data(course: Course, assignment: str, students: list[str], exchange) -> None:
    """Remove the demo students' previous submission, grades, feedback and log entries."""
    from nbgrader.api import Gradebook, MissingEntry

    withdraw(course, assignment, students, exchange)
    for student in students:
        for folder in (course.submitted, course.autograded, course.feedback):
            shutil.rmtree(folder / student / assignment, ignore_errors=True)
    with Gradebook(real_db_url(course), course_id(course)) as gradebook:
        for student in students:
            try:
                gradebook.remove_submission(assignment, student)
            except MissingEntry:
                pass
    forget(course, assignment, students)


def run_demo(course: Course, *, size: int = 12, workers: int = 2, exchange=None) -> Path | None:
    """Run the demo; return the report's path (None when ``source/`` has no assignment)."""
    assignments = course.assignments()
    if not assignments:
        print(f"No assignment in {course.source} yet (source/<name>/<name>.ipynb): nothing to demonstrate.")
        return None
    exchange = resolve_exchange(course, exchange)
    sandboxed, why_not = sandbox_status()
    if not sandboxed:
        # The demo grades notebooks it built itself from source/, so no student code runs.
        print(f"note: grading without the sandbox ({why_not}); the demo runs only its own notebooks")
    started = time.perf_counter()
    generate(course, assignments)
    timings = {}
    for assignment in assignments:
        people = cohort(assignment, size)
        students = [persona.student for persona in people]
        clear_demo_data(course, assignment, students, exchange)
        print(f"{assignment}: releasing, {len(people)} simulated students fetch and submit, collecting")
        outbound = release(course, assignment, exchange)
        source_dir = course.source / assignment
        for persona in people:
            # Fetching is copying the released notebooks out of the exchange, as `nbgrader fetch` does.
            notebooks = {path.stem: hand_in(persona, nbformat.read(path, as_version=4),
                                            nbformat.read(source_dir / path.name, as_version=4))
                         for path in sorted(outbound.glob("*.ipynb"))}
            submit_as(course, assignment, persona.student, notebooks, exchange)
        collect(course, assignment, exchange)
        clock = time.perf_counter()
        autograde(course, assignment, workers=workers, students=students, unsafe_no_sandbox=not sandboxed)
        timings[assignment] = time.perf_counter() - clock
        feedback(course, assignment)
    grades_csv, cells_csv = export(course)
    report = build_report(course)
    _print_summary(course, assignments, timings, time.perf_counter() - started)
    print(f"\nCSV:    {grades_csv}\n        {cells_csv}\nReport: {report}")
    return report


def _print_summary(course: Course, assignments: list[str], timings: dict, total: float) -> None:
    from .results import collect_rows

    submissions, _ = collect_rows(course, assignments)
    print(f"\n{'assignment':<22}{'graded':>8}{'failed':>8}{'mean %':>8}{'min %':>7}{'max %':>7}{'grading s':>11}")
    for assignment in assignments:
        rows = [r for r in submissions if r["assignment"] == assignment and r["student"].startswith(PREFIX)]
        graded = [r["percent"] for r in rows if r["status"] != Status.FAILED]
        mean = f"{sum(graded) / len(graded):.1f}" if graded else "-"
        low, high = (f"{min(graded):.0f}", f"{max(graded):.0f}") if graded else ("-", "-")
        print(f"{assignment:<22}{len(graded):>8}{len(rows) - len(graded):>8}{mean:>8}{low:>7}{high:>7}"
              f"{timings[assignment]:>11.1f}")
    print(f"total time: {total:.0f} s")
