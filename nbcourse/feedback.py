"""``feedback``: one HTML page per student and assignment, from the autograded notebooks.

``nbgrader generate_feedback`` writes ``feedback/<student>/<a>/<notebook>.html`` showing
the student's notebook with each test cell's points and score and, for a failure, the
failing check's message and the student's own traceback frames. The hidden tests are not
shown: the course's ``nbgrader_config.py`` adds
:class:`nbcourse.preprocessors.hide_hidden_tests.HideHiddenTests` to nbgrader's feedback
pipeline (``c.HideHiddenTests.enabled = False`` gives nbgrader's full feedback back).

nbgrader also copies every other file of ``autograded/<student>/<a>/`` into the feedback
folder, following symbolic links with the instructor's rights; links and special files
are deleted from ``autograded/`` first (:func:`nbcourse.submission_files.remove_links`)
and reported.
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
import time

from tqdm import tqdm

from . import nbgrader_process
from .course import Course, CourseError, log_tail
from .submission_files import remove_links


def feedback(course: Course, assignment: str, *, progress: bool = True) -> list[str]:
    """Generate the feedback of every autograded submission of ``assignment``; return the students."""
    course.require_assignment(assignment)
    students = sorted(path.parent.name for path in course.autograded.glob(f"*/{assignment}"))
    if not students:
        raise CourseError(f"no autograded submissions of {assignment!r} in {course.autograded}/ "
                          f"(run `python -m nbcourse autograde {assignment}` first)")
    for student in students:
        for entry in remove_links(course.autograded / student / assignment):
            print(f"feedback {assignment}: {student}: deleted from autograded/ {entry}", file=sys.stderr)
    started = time.time()
    with tempfile.NamedTemporaryFile("r", prefix="nbgrader-feedback-", suffix=".log") as log:
        process = nbgrader_process.start(["generate_feedback", assignment, "--force"], cwd=str(course.root),
                                         env=course.nbgrader_env(), log_path=log.name)
        # One nbgrader process does every student; the bar follows the HTML files as they appear.
        with tqdm(total=len(students), desc=f"feedback {assignment}", unit="student", disable=not progress) as bar:
            while process.is_alive():
                process.join(0.5)
                bar.update(_written_since(course, assignment, started) - bar.n)
            bar.update(_written_since(course, assignment, started) - bar.n)
        nbgrader_process.kill_group(process.pid)
        if process.exitcode != 0:
            result = subprocess.CompletedProcess(["nbgrader"], process.exitcode, stdout=log.read(), stderr="")
            raise CourseError(f"nbgrader generate_feedback {assignment} failed:\n{log_tail(result)}")
    return students


def _written_since(course: Course, assignment: str, started: float) -> int:
    pages = course.feedback.glob(f"*/{assignment}/*.html")
    return len({page.parent.parent.name for page in pages if page.stat().st_mtime >= started - 1})
