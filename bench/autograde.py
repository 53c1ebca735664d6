"""Benchmark: our parallel autograde vs plain serial ``nbgrader autograde``, and vs the floor.

    python bench/autograde.py [--submissions 40] [--workers 2] [--assignment A ...] [--floor-samples 2]

1. Builds a throw-away course with the assignments present in ``source/`` (or the
   built-in 00_sample when there is none) and a cohort of ``--submissions`` full-solution
   submissions spread over them.
2. Throughput: plain ``nbgrader autograde A --force`` (one process per assignment, every
   student in turn) in one copy, vs ``nbcourse autograde --workers N`` in another copy.
3. Per-submission cost: for ``--floor-samples`` submissions per assignment, one
   submission graded alone as ``nbcourse autograde`` grades each (private copy, nbgrader,
   the same grading features: sandbox, test cells checked outside the kernel) vs the *floor*: start a
   kernel, run the notebook's import lines, then its answer and test cells only (what
   grading cannot avoid).

Prints the figures; docs/instructor-guide.md quotes them.
"""
from __future__ import annotations

import argparse
import ast
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from nbcourse import nbgrader_process  # noqa: E402
from nbcourse.authoring import fill_answers  # noqa: E402
from nbcourse.autograde import autograde  # noqa: E402
from nbcourse.course import Course, nbgrader_env, private_copy  # noqa: E402
from nbcourse.generate import generate  # noqa: E402
from nbcourse.grading import build_template_gradebook, grade_submission  # noqa: E402
from tests.support.sample import SAMPLE, write_sample  # noqa: E402


def build_course(dest: Path, assignments: list[str], per_assignment: dict[str, int]) -> Course:
    """A course copy at ``dest`` with ``assignments`` generated and full-solution submissions."""
    real = Course.at(REPO)
    course = private_copy(real, dest, [a for a in assignments if a != SAMPLE])
    if SAMPLE in assignments:
        write_sample(course)
    generate(course, assignments, progress=False)
    for assignment in assignments:
        release_dir, source_dir = course.release / assignment, course.source / assignment
        for index in range(per_assignment[assignment]):
            folder = course.submitted / f"s{index:03d}" / assignment
            folder.mkdir(parents=True)
            for path in release_dir.glob("*.ipynb"):
                filled = fill_answers(nbformat.read(path, as_version=4),
                                      nbformat.read(source_dir / path.name, as_version=4))
                nbformat.write(filled, folder / path.name)
    return course


def floor_seconds(notebook_path: Path, cwd: Path) -> float:
    """Kernel start + the notebook's imports + its answer and test cells, nothing else."""
    from jupyter_client.manager import start_new_kernel

    nb = nbformat.read(notebook_path, as_version=4)
    imports, graded = [], []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") or meta.get("grade"):
            graded.append(cell.source)
        else:
            try:
                tree = ast.parse(cell.source)
            except SyntaxError:
                continue
            imports += [ast.unparse(node) for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))]
    started = time.perf_counter()
    manager, client = start_new_kernel(kernel_name="python3", cwd=str(cwd), env=nbgrader_env(
        {"NBGRADER_EXECUTION": "autograde"}))
    try:
        for code in ["\n".join(imports)] + graded:
            reply = client.execute_interactive(code, timeout=600, output_hook=lambda msg: None)
            if reply["content"]["status"] != "ok":  # a floor that skipped work would flatter us
                raise RuntimeError(f"{notebook_path}: a cell failed: {reply['content'].get('evalue')}\n{code[:300]}")
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--submissions", type=int, default=40)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--assignment", action="append", help="only these assignments (default: all present)")
    parser.add_argument("--floor-samples", type=int, default=2, help="submissions per assignment timed alone")
    parser.add_argument("--per-submission-only", action="store_true", help="skip the throughput comparison")
    args = parser.parse_args()

    assignments = args.assignment or Course.at(REPO).assignments() or [SAMPLE]
    per_assignment = {a: args.submissions // len(assignments) + (i < args.submissions % len(assignments))
                      for i, a in enumerate(assignments)}
    from nbcourse import checker_service, trusted_grading
    from nbcourse.autograde import grading_features, sandbox_status

    sandboxed = sandbox_status()[0]
    features = ["sandbox"] * sandboxed + ["tests checked outside the kernel, references withheld"]
    print(f"cohort: {per_assignment}; our grading features: {', '.join(features) or 'none'}")
    with tempfile.TemporaryDirectory(prefix="bench-autograde-") as tmp:
        tmp = Path(tmp)
        ours = build_course(tmp / "ours", assignments, per_assignment)
        if not args.per_submission_only:
            serial = build_course(tmp / "serial", assignments, per_assignment)
            started = time.perf_counter()
            for assignment in assignments:
                subprocess.run([sys.executable, "-m", "nbgrader", "autograde", assignment, "--force"],
                               cwd=serial.root, env=nbgrader_env(), check=True, capture_output=True)
            serial_seconds = time.perf_counter() - started

            started = time.perf_counter()
            failed = 0
            for assignment in assignments:
                outcomes = autograde(ours, assignment, workers=args.workers, unsafe_no_sandbox=True, progress=False)
                failed += sum(outcome.status != "graded" for outcome in outcomes)
            ours_seconds = time.perf_counter() - started

        # The forkserver that every nbgrader run is forked from starts once per autograde run:
        # start it before timing, as it is already running for all but the first submission.
        nbgrader_process.run(["--version"], cwd=str(tmp), env=nbgrader_env(), log_path=str(tmp / "warm-up.log"))
        alone, floor, floor_hidden = [], [], []
        per_notebook = {}
        for assignment in assignments:
            template = build_template_gradebook(ours, assignment, tmp / f"{assignment}-template.db")
            helpers_view = trusted_grading.reference_view(assignment, tmp / f"{assignment}-view")
            # autograde starts one checker service per run, before its first submission, as it
            # starts the forkserver: the service, TensorFlow imported, is running when timing starts
            checkers = checker_service.start(sorted((ours.source / assignment).glob("*.ipynb")))
            checkers.wait_ready()
            for index in range(min(args.floor_samples, per_assignment[assignment])):
                student = f"s{index:03d}"
                workdir = tmp / "alone" / assignment / student
                started = time.perf_counter()  # from laying out the private copy to the scored notebook
                result = grade_submission(ours.root, assignment, student, workdir,
                                          grading_features(workdir, helpers_view, sandboxed=sandboxed,
                                                           checker_socket=checkers.path),
                                          template_db=template)
                alone.append(time.perf_counter() - started)
                if not result.ok:
                    sys.exit(f"{assignment}/{student} failed to grade: {result.reason}")
                submitted = sorted((ours.submitted / student / assignment).glob("*.ipynb"))
                floor.append(sum(floor_seconds(path, tmp) for path in submitted))
                # the same with the hidden tests run in the kernel, as plain nbgrader runs them
                floor_hidden.append(sum(floor_seconds(ours.source / assignment / path.name, tmp) for path in submitted))
                per_notebook.setdefault(assignment, []).append((alone[-1], floor[-1], result.seconds, floor_hidden[-1]))
            checkers.stop()

    n = args.submissions
    if not args.per_submission_only:
        print(f"\nplain serial nbgrader autograde: {serial_seconds:7.1f} s  ({n / serial_seconds:.2f} submissions/s)")
        print(f"nbcourse autograde, {args.workers} workers:   {ours_seconds:7.1f} s  "
              f"({n / ours_seconds:.2f} submissions/s)  failed: {failed}")
        print(f"throughput ratio: {serial_seconds / ours_seconds:.2f}x  (target >= 1.8x on 2 cores)")
    print("\nper submission, alone (ours with the same grading features as above); floor: the"
          "\nsubmitted notebook's imports, answers and visible tests in a bare kernel; with hidden:"
          "\nthe source notebook's (hidden tests, and their imports such as TensorFlow, in the kernel):")
    for assignment, runs in per_notebook.items():
        ours_mean, floor_mean, process_mean, hidden_mean = (statistics.mean(run[i] for run in runs) for i in range(4))
        print(f"  {assignment:22s} ours {ours_mean:5.2f} s (nbgrader process {process_mean:5.2f} s)"
              f"  floor {floor_mean:5.2f} s  {ours_mean / floor_mean:.2f}x"
              f"  with hidden {hidden_mean:5.2f} s  {ours_mean / hidden_mean:.2f}x")
    print(f"  all: ours {statistics.mean(alone):.2f} s, floor {statistics.mean(floor):.2f} s"
          f" -> {statistics.mean(alone) / statistics.mean(floor):.2f}x the floor  (target <= 1.3x);"
          f" with hidden {statistics.mean(floor_hidden):.2f} s -> {statistics.mean(alone) / statistics.mean(floor_hidden):.2f}x")


if __name__ == "__main__":
    main()
