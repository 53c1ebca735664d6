"""The instructor's command line: ``python -m nbcourse <step>`` (also installed as ``course``).

The steps of one grading cycle, in order::

    generate    source/ -> release/ (student versions)
    release     release/<a> -> exchange (students can fetch it)
    collect     exchange -> submitted/<student>/<a>
    autograde   submitted/ -> autograded/ + gradebook, in parallel, one private copy per submission
    feedback    autograded/ -> feedback/<student>/<a>/*.html
    release-feedback  feedback/<student>/<a> -> exchange (each student fetches their own)
    export      gradebook -> reports/grades.csv and reports/cells.csv
    report      gradebook + grading logs -> reports/report.html
    demo        all of the above on a simulated cohort
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .course import Course, CourseError
from .outcome import Status
from .stop_request import GradingInterrupted


def _shared_options() -> tuple[argparse.ArgumentParser, argparse.ArgumentParser]:
    """The options several steps share, as argparse ``parents``: (course, exchange)."""
    course = argparse.ArgumentParser(add_help=False)
    course.add_argument("--course", metavar="DIR", default=None,
                        help="course directory holding nbgrader_config.py (default: current directory)")
    course.add_argument("--db", metavar="URL", default=None,
                        help="gradebook database URL for this run, e.g. postgresql://user@host/gradebook "
                             "(given to each nbgrader command as NBGRADER_DB_URL, which the course's "
                             "nbgrader_config.py reads; the environment variable does the same for every run)")
    exchange = argparse.ArgumentParser(add_help=False)
    exchange.add_argument("--exchange", metavar="DIR", default=None,
                          help="nbgrader exchange directory (default: the course config's Exchange.root, "
                               "i.e. $NBGRADER_EXCHANGE or exchange/ inside the course)")
    return course, exchange


def _cmd_generate(args) -> int:
    from .generate import generate, stale_release

    course = _course(args)
    if args.check:
        problems = stale_release(course, args.assignments or None)
        if problems:
            print("release/ is stale; run `python -m nbcourse generate`:", file=sys.stderr)
            for problem in problems:
                print("  " + problem, file=sys.stderr)
            return 1
        print("release/ is up to date with source/")
        return 0
    names = generate(course, args.assignments or None)
    if not names:
        print(f"no assignments in {course.source} (expected source/<name>/<name>.ipynb)")
    else:
        print(f"generated release/ for: {', '.join(names)}")
    return 0


def _cmd_autograde(args) -> int:
    from .autograde import autograde

    course = _course(args)
    outcomes = autograde(course, args.assignment, workers=args.workers, students=args.student or None,
                         unsafe_no_sandbox=args.unsafe_no_sandbox, timeout=args.timeout,
                         workdir=args.workdir, keep_workdirs=args.keep_workdirs, scheduler=args.scheduler,
                         regrade=args.regrade)
    failed = [outcome for outcome in outcomes if outcome.status == Status.FAILED]
    crashed = [outcome for outcome in outcomes if outcome.status == Status.CRASHED]
    print(f"{args.assignment}: {len(outcomes) - len(failed)} scored ({len(crashed)} of them after their kernel died), "
          f"{len(failed)} failed")
    for outcome in crashed + failed:
        print(f"  {outcome.status.upper()} {outcome.student}: {outcome.reason}")
    return 1 if failed else 0


def _for_each_assignment(args, step, say) -> int:
    """Run ``step(course, assignment)`` for each of ``args.assignments``; print ``say(course, assignment, result)``."""
    course = _course(args)
    for assignment in args.assignments:
        print(say(course, assignment, step(course, assignment)))
    return 0


def _cmd_release(args) -> int:
    from .exchange import release

    return _for_each_assignment(args, lambda course, a: release(course, a, args.exchange),
                                lambda course, a, outbound: f"released {a} -> {outbound}")


def _cmd_collect(args) -> int:
    from .exchange import collect, refuse_foreign
    from .submission_files import refused_at_collect

    course = _course(args)
    for refusal in refuse_foreign(course, args.assignment, args.exchange):
        print(f"REFUSED a submission in {refusal.student}'s name: {refusal.reason} (renamed {refusal.folder})",
              file=sys.stderr)
    students = collect(course, args.assignment, args.exchange)
    print(f"collected {args.assignment} from {len(students)} student(s) into {course.submitted}: {', '.join(students)}")
    for student, notes in refused_at_collect(course.root, args.assignment).items():
        if student in students:
            print(f"  {student}: not copied: " + "; ".join(notes))
    return 0


def _cmd_feedback(args) -> int:
    from .feedback import feedback

    return _for_each_assignment(args, feedback, lambda course, a, students: (
        f"feedback for {a}: {len(students)} student(s) in {course.feedback}/<student>/{a}/"))


def _cmd_release_feedback(args) -> int:
    from .exchange import release_feedback

    return _for_each_assignment(args, lambda course, a: release_feedback(course, a, args.exchange),
                                lambda course, a, outbound: f"released the feedback of {a} -> {outbound}")


def _cmd_export(args) -> int:
    from .export import export

    course = _course(args)
    grades, cells = export(course, args.out, args.assignments or None)
    print(f"wrote {grades} (one row per student and assignment) and {cells} (one row per graded cell)")
    return 0


def _cmd_report(args) -> int:
    from .report import build_report

    course = _course(args)
    print(f"wrote {build_report(course, args.out)}")
    return 0


def _cmd_demo(args) -> int:
    from .demo import run_demo

    run_demo(_course(args), size=args.students, workers=args.workers, exchange=args.exchange)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m nbcourse",
        description="Run the course's nbgrader cycle: generate, release, collect, autograde, "
                    "feedback, export, report (or all of it on a simulated cohort: demo).",
    )
    steps = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    course, exchange = _shared_options()

    p = steps.add_parser("generate", parents=[course], help="regenerate release/ from source/",
                         description="Run `nbgrader generate_assignment --force` for each assignment "
                                     "(default: every source/<a>/<a>.ipynb). With --check, regenerate "
                                     "into a temporary copy instead and fail listing the differences "
                                     "if the committed release/ is stale.")
    p.add_argument("assignments", nargs="*", metavar="ASSIGNMENT", help="assignments to generate (default: all)")
    p.add_argument("--check", action="store_true", help="only check that release/ is up to date; exit 1 if not")
    p.set_defaults(run=_cmd_generate)

    p = steps.add_parser("release", parents=[exchange, course],
                         help="put release/<a> into the exchange for students to fetch",
                         description="Run `nbgrader release_assignment --force` for each ASSIGNMENT, creating the "
                                     "exchange directory with the permissions nbgrader requires (0777).")
    p.add_argument("assignments", nargs="+", metavar="ASSIGNMENT")
    p.set_defaults(run=_cmd_release)

    p = steps.add_parser("collect", parents=[exchange, course],
                         help="copy students' submissions from the exchange into submitted/",
                         description="Run `nbgrader collect --update`: the newest submission of each student "
                                     "goes to submitted/<student>/ASSIGNMENT/. Fails if the exchange holds none.")
    p.add_argument("assignment", metavar="ASSIGNMENT")
    p.set_defaults(run=_cmd_collect)

    p = steps.add_parser("autograde", parents=[course],
                         help="grade every submission of an assignment, in parallel",
                         description="Grade submitted/<student>/ASSIGNMENT/ of every student (or --student), "
                                     "each by its own `nbgrader autograde` in a private copy of the course, "
                                     "WORKERS at a time; scores go into the real gradebook, scored notebooks "
                                     "into autograded/, outcomes into reports/autograde/ASSIGNMENT.json. "
                                     "A submission that fails (or whose kernel dies) is reported and the others "
                                     "carry on (exit status 1 if any could not be scored). Ctrl-C or SIGTERM "
                                     "stops the run within seconds, keeping what is scored; running the same "
                                     "command again resumes it (grades only what was interrupted).")
    p.add_argument("assignment", metavar="ASSIGNMENT")
    p.add_argument("--workers", type=int, default=2, help="submissions graded at once (default: 2)")
    p.add_argument("--student", action="append", metavar="ID", help="grade only this student (repeatable)")
    p.add_argument("--timeout", type=float, default=1800, help="seconds per submission before it is killed")
    p.add_argument("--unsafe-no-sandbox", action="store_true",
                   help="run students' code without the sandbox (refused otherwise when no sandbox is available)")
    p.add_argument("--workdir", type=Path, default=None,
                   help="where the private copies go (default: a new temporary directory)")
    p.add_argument("--keep-workdirs", action="store_true", help="keep the private copies (to debug a failure)")
    p.add_argument("--regrade", action="store_true",
                   help="after an interrupted run, grade every submission again instead of resuming "
                        "(by default only the interrupted ones, and those handed in since, are graded)")
    p.add_argument("--scheduler", metavar="ADDRESS", default=None,
                   help="grade on the workers of this Dask scheduler (tcp://host:8786) instead of local threads; "
                        "the course and --workdir must be on a filesystem the workers share (docs/scale.md)")
    p.set_defaults(run=_cmd_autograde)

    p = steps.add_parser("feedback", parents=[course],
                         help="HTML feedback per student from the autograded notebooks",
                         description="Run `nbgrader generate_feedback --force`: feedback/<student>/ASSIGNMENT/"
                                     "<notebook>.html for every autograded submission.")
    p.add_argument("assignments", nargs="+", metavar="ASSIGNMENT")
    p.set_defaults(run=_cmd_feedback)

    p = steps.add_parser("release-feedback", parents=[exchange, course],
                         help="put feedback/<student>/<a> into the exchange for students to fetch",
                         description="Run `nbgrader release_feedback` for each ASSIGNMENT: each student fetches "
                                     "their own feedback from nbgrader's Assignments panel (Fetch Feedback).")
    p.add_argument("assignments", nargs="+", metavar="ASSIGNMENT")
    p.set_defaults(run=_cmd_release_feedback)

    p = steps.add_parser("export", parents=[course], help="grades as CSV: per submission and per graded cell",
                         description="Write grades.csv (one row per student and assignment: score, maximum, "
                                     "percent, status of the last autograde) and cells.csv (one row per student, "
                                     "assignment and graded cell: score, passed, execution seconds).")
    p.add_argument("assignments", nargs="*", metavar="ASSIGNMENT", help="only these (default: all in the gradebook)")
    p.add_argument("--out", type=Path, default=None, help="output folder (default: reports/)")
    p.set_defaults(run=_cmd_export)

    p = steps.add_parser("report", parents=[course], help="one self-contained HTML report of the grading",
                         description="Write an HTML page (plots embedded): summary, score distribution per "
                                     "assignment, pass rate per test cell, slowest cells, submissions that failed "
                                     "to run, delegations to withheld references, the grader's notes and flags.")
    p.add_argument("--out", type=Path, default=None, help="output file (default: reports/report.html)")
    p.set_defaults(run=_cmd_report)

    p = steps.add_parser("demo", parents=[exchange, course],
                         help="the whole cycle on a simulated cohort (make demo)",
                         description="For every assignment in source/: generate, release, simulated students "
                                     "(full, partial, blank, typical mistakes) fetch and submit, collect, "
                                     "autograde in parallel, feedback; then export and report, and print a "
                                     "summary. Students are named demo-NN; a rerun replaces only their data.")
    p.add_argument("--students", type=int, default=12, help="simulated students per assignment (default: 12)")
    p.add_argument("--workers", type=int, default=2, help="parallel autograde workers (default: 2)")
    p.set_defaults(run=_cmd_demo)

    from .check_tests import add_command as add_check_tests
    add_check_tests(steps, parents=[course])

    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m nbcourse`` and of the ``course`` console script."""
    args = build_parser().parse_args(argv)
    try:
        _use_gradebook(args)
        return args.run(args)
    except CourseError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except GradingInterrupted as stopped:  # Ctrl-C or SIGTERM during autograde (or the demo's)
        print(stopped)
        return stopped.exit_status
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def run() -> None:
    """``python -m nbcourse`` and the ``course`` script: :func:`main`, then exit with its status.

    After Ctrl-C or SIGTERM (an exit status above 128) the process ends at once, its output
    flushed: everything is written by then, and the interpreter's clean-up of nbgrader's
    imports, which saves nothing, takes seconds on a busy machine while the instructor
    waits for the terminal.
    """
    status = main()
    if status > 128:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
    raise SystemExit(status)


def _course(args) -> Course:
    """The course of ``--course``, with the gradebook of ``--db`` for this run (the commands that have it)."""
    return Course.at(args.course, db_url=getattr(args, "db", None))


def _use_gradebook(args) -> None:
    """``--db URL``: CourseError if the course's config ignores NBGRADER_DB_URL, which carries it to nbgrader."""
    if getattr(args, "db", None):
        from .gradebook import real_db_url

        course = _course(args)
        if real_db_url(course) != args.db:
            raise CourseError(f"--db has no effect: {course.root}/nbgrader_config.py sets CourseDirectory.db_url "
                              "without reading NBGRADER_DB_URL (set the URL there instead)")
