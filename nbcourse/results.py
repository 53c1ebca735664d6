"""The grades as tables: one row per submission, one row per graded cell.

Both the CSV export and the HTML report are built from these rows, so they always
agree: a submission's ``score`` is the sum of its cells' ``score``; ``status`` and the
execution times come from the grading log (``reports/autograde/<a>.json``).
"""
from __future__ import annotations

from .autograde import load_log
from .course import Course
from .gradebook import course_id, real_db_url
from .outcome import Status

SUBMISSION_COLUMNS = ["student", "assignment", "status", "score", "max_score", "percent",
                      "needs_manual_grade", "late_penalty", "timestamp", "seconds", "reason"]
CELL_COLUMNS = ["student", "assignment", "notebook", "cell", "kind", "auto_score", "manual_score",
                "score", "max_score", "passed", "seconds"]


def _percent(score, max_score) -> float:
    return round(100.0 * score / max_score, 2) if max_score else 0.0


def collect_rows(course: Course, assignments: list[str] | None = None) -> tuple[list[dict], list[dict]]:
    """(submission rows, cell rows) for ``assignments`` (default: every assignment in the gradebook).

    ``status`` is the latest autograde's: "graded", "crashed" (its kernel died; scored, the
    tests before the crash count), "failed" or "interrupted" (not scored by the latest run,
    which failed or was stopped; the score column is whatever the gradebook still holds,
    0 if it was never graded), with the reason.
    """
    from nbgrader.api import Gradebook

    submissions, cells = [], []
    with Gradebook(real_db_url(course), course_id(course)) as gradebook:
        names = assignments or sorted(assignment.name for assignment in gradebook.assignments)
        for name in names:
            assignment = gradebook.find_assignment(name)
            log = load_log(course, name)
            graded = {}
            for submission in assignment.submissions:
                graded[submission.student.id] = submission
            for student in sorted(set(graded) | set(log)):
                outcome = log.get(student)
                submission = graded.get(student)
                status = outcome.status if outcome else Status.GRADED
                row = {
                    "student": student, "assignment": name, "status": status,
                    "score": round(submission.score, 4) if submission else 0.0,
                    "max_score": assignment.max_score,
                    "needs_manual_grade": bool(submission and submission.needs_manual_grade),
                    "late_penalty": round(submission.late_submission_penalty or 0.0, 4) if submission else 0.0,
                    "timestamp": submission.timestamp.isoformat() if submission and submission.timestamp else "",
                    "seconds": outcome.seconds if outcome else "",
                    "reason": outcome.reason if outcome else "",
                }
                row["percent"] = _percent(row["score"], row["max_score"])
                submissions.append(row)
                if submission is None:
                    continue
                timings = outcome.cell_seconds if outcome else {}
                for notebook in submission.notebooks:
                    for grade in sorted(notebook.grades, key=lambda g: g.name):
                        cells.append({
                            "student": student, "assignment": name, "notebook": notebook.name,
                            "cell": grade.name,
                            "kind": "manual" if grade.cell.cell_type == "markdown" else "autograded",
                            "auto_score": grade.auto_score, "manual_score": grade.manual_score,
                            "score": grade.score, "max_score": grade.max_score,
                            "passed": grade.score == grade.max_score,
                            "seconds": timings.get(grade.name, ""),
                        })
    return submissions, cells
