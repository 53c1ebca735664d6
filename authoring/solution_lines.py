"""How much solution code each notebook asks students to write.

The solution lines of a notebook are the lines between ``### BEGIN SOLUTION`` and
``### END SOLUTION`` in the answer cells of its source notebook that are neither blank
nor only a comment. One solution region is one exercise; a one-liner is a region with
exactly one such line. The course's targets, per notebook:

    solution lines >= 40        one-liners <= 25 % of the exercises

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


@dataclass
class Count:
    """The solution code of one notebook: ``regions`` holds each exercise's line count."""

    name: str
    regions: list[int]

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
    """Count the solution regions of the answer (code) cells of the notebook at ``path``."""
    path = Path(path)
    notebook = nbformat.read(path, as_version=4)
    regions = []
    for cell in notebook.cells:
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("solution"):
            regions += region_line_counts(cell.source)
    return Count(path.stem, regions)


def table(counts: list[Count]) -> str:
    """A markdown table of the counts against the targets."""
    rows = ["| notebook | exercises | solution lines | one-liners | share | on target |",
            "| --- | ---: | ---: | ---: | ---: | --- |"]
    for c in counts:
        rows.append(f"| {c.name} | {len(c.regions)} | {c.lines} | {c.one_liners} | "
                    f"{c.one_liner_share:.0%} | {'yes' if c.on_target else 'no'} |")
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
