"""Shared test set-up: the repository and ``tests/`` are importable (``nbcourse``,
``helpers``, ``tests.support`` and ``nbgrader_harness``) whatever directory pytest is started from.

Tests that grade the same cohort share an ``xdist_group`` so that ``make test``
(``--dist loadgroup``) grades it once, on one worker. pytest-xdist marks a grouped test by
adding ``@<group>`` to its node id; pytest 9 ignores that edit, and the groups then fall
apart silently (every worker grades every cohort again; pytest 9.2 did this to the 24-minute
run of 2026-12-02). :func:`pytest_collection_modifyitems` stops the run instead.
"""
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
for folder in (TESTS.parent, TESTS):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))


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
