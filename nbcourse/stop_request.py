"""Ctrl-C and SIGTERM during a grading run: a request to stop, answered between two writes.

``autograde`` runs for minutes; an instructor who started the wrong one presses Ctrl-C
(SIGINT to the terminal's process group) or a scheduler sends SIGTERM. Python's default
(KeyboardInterrupt raised wherever the main thread happens to be) could land in the
middle of copying a submission's scores into the gradebook or of rewriting the grading
log. While a :class:`StopRequest` is entered, both signals only *record* the request;
the coordinator looks at it between two submissions, so every write it makes is whole,
and a second Ctrl-C only says that the run is stopping already. Once stopped, the run
raises :class:`GradingInterrupted`, which the command line turns into a one-line summary
and the exit status of the signal.
"""
from __future__ import annotations

import os
import signal
import threading

from .outcome import Status

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class StopRequest:
    """Context manager: while entered (in the main thread), SIGINT and SIGTERM set :attr:`signum`.

    ``requested`` says whether a stop was asked; ``name`` is the signal's name ("SIGINT");
    ``exit_status`` the shell's convention for it (128 + signal number). Entered from
    another thread (where Python cannot handle signals) it never reports a request.
    """

    def __init__(self):
        self.signum: int | None = None
        self._previous = {}

    def __enter__(self) -> "StopRequest":
        if threading.current_thread() is threading.main_thread():
            self._previous = {signum: signal.signal(signum, self._handle) for signum in SIGNALS}
        return self

    def __exit__(self, *exc) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)
        self._previous = {}

    def _handle(self, signum, frame) -> None:
        # os.write, not print: the handler may run while the main thread is inside a print to stderr.
        if self.signum is None:
            self.signum = signum
            os.write(2, f"\n{signal.Signals(signum).name}: stopping the grading run "
                        "(ending its processes, keeping what is scored)...\n".encode())
        else:
            os.write(2, f"\n{signal.Signals(signum).name}: already stopping; the gradebook and "
                        "the grading log are being left whole.\n".encode())

    @property
    def requested(self) -> bool:
        """Whether SIGINT or SIGTERM arrived while entered."""
        return self.signum is not None

    @property
    def name(self) -> str:
        """The name of the first signal received ("SIGINT", "SIGTERM"); '' if none."""
        return signal.Signals(self.signum).name if self.signum else ""

    @property
    def exit_status(self) -> int:
        """128 + the signal's number, as a shell reports a command ended by it (130 for Ctrl-C)."""
        return 128 + self.signum if self.signum else 0


class GradingInterrupted(Exception):
    """SIGINT or SIGTERM stopped an ``autograde`` run.

    ``outcomes``: one per submission, as :func:`nbcourse.autograde.autograde` would have
    returned them, those not scored with status "interrupted"; ``signal_name`` ("SIGINT");
    ``exit_status`` (128 + the signal's number); ``str()`` is a one-line summary.
    """

    def __init__(self, assignment: str, outcomes: list, stop: StopRequest):
        self.assignment, self.outcomes = assignment, outcomes
        self.signal_name, self.exit_status = stop.name, stop.exit_status
        super().__init__(self.summary())

    def summary(self) -> str:
        """One line: the signal, how many submissions were scored, failed and interrupted (named)."""
        interrupted = [outcome.student for outcome in self.outcomes if outcome.status == Status.INTERRUPTED]
        failed = sum(outcome.status == Status.FAILED for outcome in self.outcomes)
        names = ", ".join(interrupted[:5]) + (f" and {len(interrupted) - 5} more" if len(interrupted) > 5 else "")
        return (f"{self.assignment}: stopped by {self.signal_name}: "
                f"{len(self.outcomes) - failed - len(interrupted)} scored, {failed} failed, "
                f"{len(interrupted)} interrupted (not graded: {names or 'none'}); "
                "run the same command again to grade them")
