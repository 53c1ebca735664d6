"""``check-tests``: how many small mistakes in the solutions do an assignment's tests catch?

For an author writing or changing an assignment. Every solution region of the source
notebook is mutated one small change at a time (:mod:`nbcourse.mutants`); each mutant is
handed in as a student's notebook and all of them are autograded in parallel by the real
grader, in a private copy of the course. A mutant that still gets full autograded marks
*survives*: it is a mistake the hidden tests miss. The report gives the kill rate per
answer cell (with the test cells that judge it) and the code of every survivor.

Some mutants cannot be caught because they do not change behaviour (``x * 1.0`` for
``x / 1.0``, an epsilon of 2e-8 for 1e-8). After review, list their ids with the reason in
``authoring/equivalent_mutants_<assignment>.txt`` (one ``<id>  # why`` per line); they are
left out of the kill rate and shown apart.
"""
from __future__ import annotations

import argparse
import json
import tempfile
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

import nbformat

from .authoring import AUTHORING_DIR, fill_answers
from .autograde import autograde, sandbox_status
from .course import Course, CourseError, private_copy
from .generate import generate
from .mutants import Mutant, apply_mutant, notebook_mutants, tests_of_answer
from .outcome import Status

SOLUTION_STUDENT = "reference-solution"


@dataclass
class AnswerSummary:
    """Kill statistics of the mutants of one answer cell."""

    answer: str
    tests: list[str]
    mutants: int = 0
    killed: int = 0
    equivalent: int = 0

    @property
    def kill_rate(self) -> float:
        counted = self.mutants - self.equivalent
        return self.killed / counted if counted else 1.0


@dataclass
class CheckReport:
    """The outcome of ``check-tests`` for one assignment."""

    assignment: str
    answers: list[AnswerSummary] = field(default_factory=list)
    survivors: list[Mutant] = field(default_factory=list)
    equivalent: list[Mutant] = field(default_factory=list)
    failed_to_grade: list[str] = field(default_factory=list)
    killers: dict[str, list[str]] = field(default_factory=dict)   # mutant id -> test cells that lost points

    @property
    def kill_rate(self) -> float:
        counted = sum(a.mutants - a.equivalent for a in self.answers)
        return sum(a.killed for a in self.answers) / counted if counted else 1.0


def equivalent_ids(assignment: str, folder: Path = AUTHORING_DIR) -> dict[str, str]:
    """The reviewed equivalent mutants of ``assignment``: id -> reason."""
    path = folder / f"equivalent_mutants_{assignment}.txt"
    if not path.exists():
        return {}
    reviewed = {}
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        mutant_id, _, reason = text.partition("#")
        if not reason.strip():
            raise CourseError(f"{path}:{number}: say why mutant {mutant_id.strip()} is equivalent (`<id>  # why`)")
        reviewed[mutant_id.strip()] = reason.strip()
    return reviewed


def _student(index: int) -> str:
    return f"mutant-{index:04d}"


@dataclass
class MutantGrading:
    """What the grader said about every mutant of one assignment (before any review)."""

    assignment: str
    source_nb: object
    mutants: list[Mutant]
    lost: dict[str, list[str]]      # student -> test cells below full marks
    failed: dict[str, str]          # student -> why grading failed


def grade_mutants(course: Course, assignment: str, *, workers: int = 2, workdir: Path | None = None,
                  progress: bool = True) -> MutantGrading:
    """Autograde the unmutated solutions and every mutant of ``assignment``, ``workers`` at a time.

    Raises CourseError if the unmutated solutions do not get full marks (the tests
    themselves are broken, so counting survivors would mean nothing).
    """
    course.require_assignment(assignment)
    source_nb = nbformat.read(course.source / assignment / f"{assignment}.ipynb", as_version=4)
    mutants = notebook_mutants(source_nb)
    if not mutants:
        raise CourseError(f"{assignment} has no solution region to mutate")
    sandboxed, _ = sandbox_status()
    with tempfile.TemporaryDirectory(prefix="nbcourse-mutants-", dir=workdir) as tmp:
        private = private_copy(course, Path(tmp) / "course", [assignment])
        generate(private, [assignment], progress=False)
        release_nb = nbformat.read(private.release / assignment / f"{assignment}.ipynb", as_version=4)
        solution_nb = fill_answers(release_nb, source_nb)
        submissions = {SOLUTION_STUDENT: solution_nb}
        for index, mutant in enumerate(mutants, start=1):
            submissions[_student(index)] = apply_mutant(solution_nb, mutant)
        for student, nb in submissions.items():
            folder = private.submitted / student / assignment
            folder.mkdir(parents=True)
            nbformat.write(nb, folder / f"{assignment}.ipynb")
            (folder / "timestamp.txt").write_text("2026-01-01 00:00:00.000000 UTC")
        # Mutants are the author's own code, not students': no sandbox needed where none exists.
        outcomes = autograde(private, assignment, workers=workers, unsafe_no_sandbox=not sandboxed,
                             progress=progress)
        lost = _lost_points(private, assignment)
    failed = {o.student: o.reason for o in outcomes if o.status != Status.GRADED}
    if SOLUTION_STUDENT in failed or lost.get(SOLUTION_STUDENT):
        why = failed.get(SOLUTION_STUDENT) or f"it lost points in {lost[SOLUTION_STUDENT]}"
        raise CourseError(f"the unmutated solutions of {assignment} do not get full marks ({why}): fix the tests first")
    return MutantGrading(assignment, source_nb, mutants, lost, failed)


def check_tests(course: Course, assignment: str, *, workers: int = 2, equivalent: dict[str, str] | None = None,
                workdir: Path | None = None, progress: bool = True) -> CheckReport:
    """Autograde every mutant of ``assignment``'s solutions and report the survivors.

    ``equivalent``: reviewed equivalent mutants (default: read from ``authoring/``).
    """
    equivalent = equivalent_ids(assignment) if equivalent is None else equivalent
    grading = grade_mutants(course, assignment, workers=workers, workdir=workdir, progress=progress)
    return summarise(grading, equivalent)


def _lost_points(course: Course, assignment: str) -> dict[str, list[str]]:
    """student -> the autograded test cells where they scored below the maximum."""
    from nbgrader.api import Gradebook

    from .gradebook import course_id, real_db_url

    lost = {}
    with Gradebook(real_db_url(course), course_id(course)) as gradebook:
        for submission in gradebook.find_assignment(assignment).submissions:
            lost[submission.student.id] = sorted(
                grade.name
                for notebook in submission.notebooks
                for grade in notebook.grades
                if grade.cell.cell_type == "code" and (grade.score or 0) < grade.max_score
            )
    return lost


def summarise(grading: MutantGrading, equivalent: dict[str, str]) -> CheckReport:
    """Kill rates and survivors, leaving out the mutants reviewed as ``equivalent``."""
    owners = tests_of_answer(grading.source_nb)
    summaries = {answer: AnswerSummary(answer, tests) for answer, tests in owners.items()}
    report = CheckReport(grading.assignment)
    lost, failed = grading.lost, grading.failed
    for index, mutant in enumerate(grading.mutants, start=1):
        student = _student(index)
        summary = summaries[mutant.grade_id]
        summary.mutants += 1
        if mutant.id in equivalent:
            summary.equivalent += 1
            report.equivalent.append(mutant)
            continue
        # A mutant that crashes the whole notebook is caught too: the student would get no marks.
        killers = ["(notebook failed to run)"] if student in failed else lost.get(student, [])
        report.killers[mutant.id] = killers
        if killers:
            summary.killed += 1
        else:
            report.survivors.append(mutant)
    report.answers = [summaries[answer] for answer in owners if summaries[answer].mutants]
    report.failed_to_grade = sorted(failed)
    return report


def format_report(report: CheckReport) -> str:
    """The report as Markdown: kill rate per answer cell, then each surviving mutant's code."""
    lines = [f"# check-tests: {report.assignment}", "",
             f"Kill rate: **{100 * report.kill_rate:.1f}%** "
             f"({sum(a.killed for a in report.answers)} of "
             f"{sum(a.mutants - a.equivalent for a in report.answers)} mutants; "
             f"{len(report.equivalent)} reviewed as equivalent)", "",
             "| answer cell | judged by | mutants | killed | equivalent | kill rate |",
             "| --- | --- | ---: | ---: | ---: | ---: |"]
    for a in report.answers:
        lines.append(f"| {a.answer} | {', '.join(a.tests) or '-'} | {a.mutants} | {a.killed} | "
                     f"{a.equivalent} | {100 * a.kill_rate:.0f}% |")
    if report.survivors:
        lines += ["", "## Surviving mutants (mistakes the tests miss)", ""]
        for mutant in report.survivors:
            lines += [f"- `{mutant.id}` in `{mutant.grade_id}`, line {mutant.line} ({mutant.operator}):",
                      f"  `{mutant.line_text}`: `{mutant.before}` → `{mutant.after}`"]
    if report.equivalent:
        lines += ["", "## Reviewed as equivalent", ""]
        lines += [f"- `{m.id}`: `{m.before}` → `{m.after}`" for m in report.equivalent]
    return "\n".join(lines) + "\n"


def write_report(course: Course, report: CheckReport) -> tuple[Path, Path]:
    """Write ``reports/check-tests/<a>.md`` and ``.json``; return both paths."""
    folder = course.root / "reports" / "check-tests"
    folder.mkdir(parents=True, exist_ok=True)
    markdown = folder / f"{report.assignment}.md"
    markdown.write_text(format_report(report))
    data = {
        "assignment": report.assignment,
        "kill_rate": report.kill_rate,
        "answers": [dict(asdict(a), kill_rate=a.kill_rate) for a in report.answers],
        "survivors": [dict(asdict(m), id=m.id) for m in report.survivors],
        "equivalent": [m.id for m in report.equivalent],
        "killers": report.killers,
    }
    as_json = folder / f"{report.assignment}.json"
    as_json.write_text(json.dumps(data, indent=2))
    return markdown, as_json


def survivors_by_answer(report: CheckReport) -> dict[str, list[str]]:
    """answer grade_id -> ids of its surviving mutants (handy in tests and reviews)."""
    grouped = defaultdict(list)
    for mutant in report.survivors:
        grouped[mutant.grade_id].append(mutant.id)
    return dict(grouped)


def add_command(steps, parents=()) -> argparse.ArgumentParser:
    """Register ``check-tests`` on the CLI's sub-command parsers, with the shared options of ``parents``."""
    parser = steps.add_parser(
        "check-tests", parents=list(parents), help="mutation-test an assignment's hidden tests (for authors)",
        description="Mutate each solution region of source/ASSIGNMENT one small change at a time (swap an "
                    "operator, change a constant, drop a term, flip an axis, keepdims or a comparison, drop "
                    "a transpose), autograde every mutant in parallel and report the mutants that keep full "
                    "marks, with the kill rate per answer cell. Reviewed equivalent mutants are read from "
                    "authoring/equivalent_mutants_ASSIGNMENT.txt. Writes reports/check-tests/ASSIGNMENT.md "
                    "and .json; exit status 1 if the kill rate is below --min-kill-rate.")
    parser.add_argument("assignment", metavar="ASSIGNMENT")
    parser.add_argument("--workers", type=int, default=2, help="mutants graded at once (default: 2)")
    parser.add_argument("--min-kill-rate", type=float, default=0.9,
                        help="fail below this fraction of killed mutants (default: 0.9)")
    parser.set_defaults(run=_cmd_check_tests)
    return parser


def _cmd_check_tests(args) -> int:
    course = Course.at(args.course, db_url=getattr(args, "db", None))
    report = check_tests(course, args.assignment, workers=args.workers)
    markdown, _ = write_report(course, report)
    print(format_report(report))
    print(f"written: {markdown}")
    return 0 if report.kill_rate >= args.min_kill_rate else 1
