"""Moved to ``tests/support/labserver.py`` (test-only code). This forwarding import keeps
``from nbcourse.labserver import running_lab`` working for the explorers' browser test and
benchmark until they import ``tests.support.labserver``; then delete this file."""
from tests.support.labserver import SETTINGS, Lab, free_port, running_lab  # noqa: F401
