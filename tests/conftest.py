"""Shared test set-up: the repository and ``tests/`` are importable (``nbcourse``,
``helpers``, ``tests.support`` and ``nbgrader_harness``) whatever directory pytest is started from.

Tests that grade the same cohort share an ``xdist_group`` so that ``make test``
(``--dist loadgroup``) grades it once, on one worker. pytest-xdist marks a grouped test by
adding ``@<group>`` to its node id; pytest 9 ignores that edit, and the groups then fall
apart silently (every worker grades every cohort again; pytest 9.2 did this to the 24-minute
run of 2026-12-02). :func:`pytest_collection_modifyitems` stops the run instead.

Groups start longest first (:func:`pytest_xdist_make_scheduler`, :data:`GROUP_SECONDS`), so
that both workers stay busy to the end: xdist's own order is by number of tests, which
would start the one-test hub group last, alone on one worker while the other idles.
"""
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
for folder in (TESTS.parent, TESTS):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))


# Seconds of the longest xdist groups in `make test` (its --durations, setup included) on 2
# busy cores ("name-*": every group whose name starts so). They only order the work: a stale
# figure costs balance, never a result. A group not listed counts a second per test.
GROUP_SECONDS = {
    "hub": 320, "browser": 300, "pipeline": 250, "attacks": 175, "class-scale": 150,
    "nbgrader-02_backprop": 140, "nbgrader-01_perceptron": 135, "nbgrader-03_optimization": 130,
    "nbgrader-04_regularization": 110, "nbgrader-05_initialization": 70,
    "golden-demo": 80, "feedback-01": 80, "execute-*": 60,  # each source notebook run top to bottom
}


def expected_seconds(scope: str, tests: int) -> float:
    """What :data:`GROUP_SECONDS` says of an xdist scope (a group, or one ungrouped test)."""
    for name, seconds in GROUP_SECONDS.items():
        if scope == name or (name.endswith("*") and scope.startswith(name[:-1])):
            return seconds
    return tests


@pytest.hookimpl(optionalhook=True)  # a hook of pytest-xdist: unknown when it is not loaded
def pytest_xdist_make_scheduler(config, log):
    """``--dist loadgroup`` handing out the longest groups first (:data:`GROUP_SECONDS`)."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadGroupScheduling

    class LongestFirst(LoadGroupScheduling):
        ordered = False

        def _assign_work_unit(self, node):
            if not self.ordered:  # the queue is complete before the first unit leaves it
                self.ordered = True
                units = sorted(self.workqueue.items(), key=lambda unit: -expected_seconds(unit[0], len(unit[1])))
                self.workqueue.clear()
                self.workqueue.update(units)
            super()._assign_work_unit(node)

    return LongestFirst(config, log)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """On a ``--dist loadgroup`` worker, every grouped test must carry its group in its id."""
    if not getattr(config.option, "loadgroup", False):
        return
    ungrouped = [item.nodeid for item in items
                 if item.get_closest_marker("xdist_group") and "@" not in item.nodeid]
    if ungrouped:
        raise pytest.UsageError(
            f"pytest-xdist could not group {len(ungrouped)} tests (first: {ungrouped[0]}), so "
            "every worker would grade the same cohorts again; use the pytest that pyproject.toml "
            "pins (make setup)")
