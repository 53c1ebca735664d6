"""Shared test set-up: the repository and ``tests/`` are importable (``nbcourse``,
``helpers`` and ``nbgrader_harness``) whatever directory pytest is started from."""
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent
for folder in (TESTS.parent, TESTS):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
