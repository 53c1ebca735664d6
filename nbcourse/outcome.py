"""What a grading run says about each submission: its :class:`Status` and its :class:`Outcome`
(one line of the grading log ``reports/autograde/<assignment>.json``).

The statuses are strings too (``Status.GRADED == "graded"``), so the log, the CSV export
and the report keep the words they always had.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Status(str, Enum):
    """How the latest autograde of a submission ended."""

    GRADED = "graded"            # scored
    CRASHED = "crashed"          # scored, but its kernel died: the tests before the crash count
    FAILED = "failed"            # no score (it did not run to the end)
    UNREADABLE = "unreadable"    # a notebook missing or not valid JSON: scored 0, no kernel run
    INTERRUPTED = "interrupted"  # the run was stopped before it was scored: no new score

    def __str__(self) -> str:
        return self.value


# Statuses of a submission that got no score from its latest run.
UNSCORED = (Status.FAILED, Status.INTERRUPTED)


@dataclass
class Outcome:
    """One submission's line in the grading log."""

    student: str
    status: Status
    reason: str = ""                 # why it failed or crashed
    seconds: float = 0.0             # wall time of its nbgrader process
    cell_seconds: dict[str, float] = field(default_factory=dict)   # grade_id (or cell id) -> seconds
    problems: list[str] = field(default_factory=list)              # the grader's notes (restored cells...)
    delegations: list[str] = field(default_factory=list)           # "test_x: called helpers.f (withheld)"
    graded_at: str = ""

    def __post_init__(self) -> None:
        self.status = Status(self.status)  # a log read back from JSON holds the plain word
