"""How much solution code each notebook asks students to write.

The solution lines of a notebook are the lines between ``### BEGIN SOLUTION`` and
``### END SOLUTION`` in the answer cells of its source notebook that are neither blank
nor only a comment. One solution region is one exercise; a one-liner is a region with
exactly one such line. The course's targets, per notebook:

    solution lines >= 40        one-liners <= 25 % of the exercises

It also estimates the time a student needs for the notebook, by a stated rule of thumb
(not a measurement with students; the course aims at 2 to 3 hours per notebook):

    minutes = words of the notebook's markdown / 80          (careful reading, with formulas)
            + 2 * solution lines      (reading the docstring, writing, running the visible test, fixing)
            + 10 * written questions
            + 1 * other code cells    (worked examples and demonstrations: run them, read the output)

Run ``python authoring/solution_lines.py`` (from anywhere) to print the table for every
notebook under ``source/``; add ``--check`` to exit with status 1 when a notebook misses
a target; pass notebook paths to count only those.
"""
from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
MIN_LINES = 40
MAX_ONE_LINER_SHARE = 0.25
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
WORDS_PER_MINUTE = 80
MINUTES_PER_SOLUTION_LINE = 2
MINUTES_PER_WRITTEN_QUESTION = 10
MINUTES_PER_OTHER_CODE_CELL = 1


@dataclass
class Count:
    """The solution code of one notebook: ``regions`` holds each exercise's line count;
    ``words``, ``written`` and ``other_code`` are the markdown words (written answers
    excluded), the written questions and the code cells that are neither answers nor tests."""

    name: str
    regions: list[int]
    words: int = 0
    written: int = 0
    other_code: int = 0

    @property
    def lines(self) -> int:
        return sum(self.regions)

    @property
    def one_liners(self) -> int:
        return sum(1 for n in self.regions if n == 1)

    @property
    def one_liner_share(self) -> float:
        return self.one_liners / len(self.regions) if self.regions else 0.0

    @property
    def minutes(self) -> float:
        """The estimated student time, by the rule of thumb of the module's docstring."""
        return (self.words / WORDS_PER_MINUTE + MINUTES_PER_SOLUTION_LINE * self.lines
                + MINUTES_PER_WRITTEN_QUESTION * self.written + MINUTES_PER_OTHER_CODE_CELL * self.other_code)

    @property
    def on_target(self) -> bool:
        return self.lines >= MIN_LINES and self.one_liner_share <= MAX_ONE_LINER_SHARE


def is_code_line(line: str) -> bool:
    """A line that counts: not blank and not only a comment."""
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def region_line_counts(source: str) -> list[int]:
    """The counted lines of each BEGIN/END SOLUTION region of one cell's source."""
    counts, current = [], None
    for line in source.splitlines():
        marker = line.strip()
        if marker.startswith(BEGIN):
            current = 0
        elif marker.startswith(END):
            if current is not None:
                counts.append(current)
            current = None
        elif current is not None and is_code_line(line):
            current += 1
    return counts


def count_notebook(path: str | Path) -> Count:
    """Count the solution regions of the answer (code) cells of the notebook at ``path``,
    and what the time estimate needs."""
    path = Path(path)
    notebook = nbformat.read(path, as_version=4)
    count = Count(path.stem, [])
    for cell in notebook.cells:
        grading = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and grading.get("solution"):
            count.regions += region_line_counts(cell.source)
        elif cell.cell_type == "code" and not grading.get("grade"):
            count.other_code += 1
        elif cell.cell_type == "markdown" and grading.get("solution"):
            count.written += 1
        elif cell.cell_type == "markdown":
            count.words += len(cell.source.split())
    return count


def table(counts: list[Count]) -> str:
    """A markdown table of the counts against the targets."""
    rows = ["| notebook | exercises | solution lines | one-liners | share | on target "
            "| markdown words | written questions | other code cells | estimated time |",
            "| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |"]
    for c in counts:
        rows.append(f"| {c.name} | {len(c.regions)} | {c.lines} | {c.one_liners} | "
                    f"{c.one_liner_share:.0%} | {'yes' if c.on_target else 'no'} "
                    f"| {c.words} | {c.written} | {c.other_code} | {c.minutes / 60:.1f} h |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="source notebooks (default: every source/*/*.ipynb)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a notebook misses a target")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "source").glob("*/*.ipynb"))
    counts = [count_notebook(p) for p in paths]
    print(table(counts))
    print(f"\ntargets: >= {MIN_LINES} solution lines, <= {MAX_ONE_LINER_SHARE:.0%} one-liners per notebook")
    return 1 if args.check and not all(c.on_target for c in counts) else 0


if __name__ == "__main__":
    sys.exit(main())
