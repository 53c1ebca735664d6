"""``feedback``: one HTML page per student and assignment, from the autograded notebooks.

``nbgrader generate_feedback`` writes ``feedback/<student>/<a>/<notebook>.html`` showing
the student's notebook with each test's result and score, hidden tests included.
"""
from __future__ import annotations

import subprocess
import sys
import time

from tqdm import tqdm

from .course import Course, CourseError, log_tail, nbgrader_env


def feedback(course: Course, assignment: str, *, progress: bool = True) -> list[str]:
    """Generate the feedback of every autograded submission of ``assignment``; return the students."""
    course.require_assignment(assignment)
    students = sorted(path.parent.name for path in course.autograded.glob(f"*/{assignment}"))
    if not students:
        raise CourseError(f"no autograded submissions of {assignment!r} in {course.autograded}/ "
                          f"(run `python -m nbcourse autograde {assignment}` first)")
    started = time.time()
    process = subprocess.Popen(
        [sys.executable, "-m", "nbgrader", "generate_feedback", assignment, "--force"],
        cwd=course.root, env=nbgrader_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    # One nbgrader process does every student; the bar follows the HTML files as they appear.
    with tqdm(total=len(students), desc=f"feedback {assignment}", unit="student", disable=not progress) as bar:
        while process.poll() is None:
            time.sleep(0.5)
            bar.update(_written_since(course, assignment, started) - bar.n)
        bar.update(_written_since(course, assignment, started) - bar.n)
    output = process.stdout.read()
    if process.returncode != 0:
        result = subprocess.CompletedProcess(process.args, process.returncode, stdout=output, stderr="")
        raise CourseError(f"nbgrader generate_feedback {assignment} failed:\n{log_tail(result)}")
    return students


def _written_since(course: Course, assignment: str, started: float) -> int:
    pages = course.feedback.glob(f"*/{assignment}/*.html")
    return len({page.parent.parent.name for page in pages if page.stat().st_mtime >= started - 1})
