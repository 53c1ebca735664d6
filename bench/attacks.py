"""What each known attack on the autograder achieves with plain nbgrader and with ours.

The cohorts of ``tests/support/attacks.py`` (the fixture cohort: honest students and one
per attack, each carrying wrong answers; the delegation cohort on ``05_initialization``;
the backprop cohort on ``02_backprop``), each graded by plain ``nbgrader autograde`` and by
the course's pipeline; one table per cohort: the honest score, plain nbgrader's, ours.

    python bench/attacks.py            # both graders, the three cohorts, tables; ~20 minutes on 2 busy cores
    python bench/attacks.py --cost     # the sandbox's cost per notebook, with vs without
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from tests.support.attacks import (  # noqa: E402
    ASSIGNMENT, BACKPROP, REAL, build_backprop_cohort, build_cohort, build_delegation_cohort, fingerprint,
    grade_ours, grade_plain, hand_in, new_course, release_and_source, totals,
)


def measure_sandbox_cost(repeats: int = 5) -> None:
    """Seconds to grade one notebook (the correct student) with and without the sandbox.

    Each run is a whole private ``nbgrader autograde`` (kernel start, the notebook, the
    checker); the two kinds alternate so that load from other processes hits both alike.
    Prints the median and the spread.
    """
    import statistics

    from nbcourse import grading
    from nbcourse.autograde import grading_features
    from nbcourse.course import Course
    from nbcourse.trusted_grading import reference_view

    with tempfile.TemporaryDirectory(prefix="nbcourse-cost-") as tmp:
        tmp = Path(tmp)
        course = new_course(tmp / "course")
        hand_in(course, [build_cohort(*release_and_source(course))[0]])
        template = grading.build_template_gradebook(Course.at(course.root), ASSIGNMENT, tmp / "template.db")
        view = reference_view(ASSIGNMENT, tmp)
        seconds = {"without sandbox": [], "with sandbox": []}
        for run in range(repeats):
            for kind in seconds:
                workdir = tmp / "work" / f"correct-{kind.split()[0]}-{run}"
                features = grading_features(workdir, view, sandboxed=kind == "with sandbox")
                result = grading.grade_submission(course.root, ASSIGNMENT, "correct", workdir, features,
                                                  template_db=template, timeout=300)
                assert result.ok, result.reason
                seconds[kind].append(result.seconds)
    for kind, values in seconds.items():
        print(f"{kind:<16} median {statistics.median(values):5.2f} s per notebook "
              f"(min {min(values):.2f}, max {max(values):.2f}, {repeats} runs)")
    extra = statistics.median(seconds["with sandbox"]) - statistics.median(seconds["without sandbox"])
    print(f"sandbox cost: {extra:+.2f} s per notebook")


def _compare(tmp: Path, assignment: str, build) -> None:
    """Grade one cohort with both graders and print the table."""
    plain = new_course(tmp / f"plain-{assignment}", assignment)
    students = build(*release_and_source(plain, assignment))
    hand_in(plain, students, assignment)
    before = fingerprint(plain.root)
    started = time.perf_counter()
    plain_totals = grade_plain(plain, students, assignment)
    plain_seconds = time.perf_counter() - started
    changed = sorted(name for name, digest in fingerprint(plain.root).items() if before.get(name) != digest)

    ours_course = new_course(tmp / f"ours-{assignment}", assignment)
    hand_in(ours_course, students, assignment)
    before_ours = fingerprint(ours_course.root)
    started = time.perf_counter()
    outcomes = grade_ours(ours_course, assignment)
    ours_seconds = time.perf_counter() - started
    ours_totals = totals(ours_course, assignment)
    changed_ours = sorted(name for name, digest in fingerprint(ours_course.root).items()
                          if before_ours.get(name) != digest)

    print(f"\n{assignment}\n{'student':<20} {'honest':>6} {'plain':>6} {'ours':>6}  attack / what happened here")
    for student in students:
        outcome = outcomes.get(student.name)
        note = "; ".join(filter(None, [outcome.reason if outcome else "no outcome",
                                       f"{len(outcome.delegations)} delegations listed" if outcome and outcome.delegations
                                       else ""]))
        plain_total, ours_total = plain_totals[student.name], ours_totals.get(student.name)
        honest = "?" if student.honest_score < 0 else f"{student.honest_score:.1f}"
        print(f"{student.name:<20} {honest:>6} "
              f"{'-' if plain_total is None else f'{plain_total:.1f}':>6} "
              f"{'-' if ours_total is None else f'{ours_total:.1f}':>6}  "
              f"{student.description}{' | ' + note[:100] if note else ''}")
    print(f"files of source/ and submitted/ changed by the plain run: {len(changed)}")
    for name in changed:
        print(f"  {name}")
    print(f"files changed by our run: {len(changed_ours)}")
    print(f"wall time: plain {plain_seconds:.0f} s (one nbgrader call), ours {ours_seconds:.0f} s "
          f"({len(students)} submissions, 2 workers)")


def main() -> None:
    from nbcourse import sandbox

    if "--cost" in sys.argv[1:]:
        measure_sandbox_cost()
        return
    status = sandbox.check()
    print(f"sandbox: {'available' if status.available else 'NOT available'} ({status.reason})")
    with tempfile.TemporaryDirectory(prefix="nbcourse-attacks-") as tmp:
        _compare(Path(tmp), ASSIGNMENT, build_cohort)
        _compare(Path(tmp), REAL, build_delegation_cohort)
        _compare(Path(tmp), BACKPROP, build_backprop_cohort)


if __name__ == "__main__":
    main()
