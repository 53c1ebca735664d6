"""Instructor-side tooling for the course: notebook authoring and the grading pipeline."""
import os as _os
import sys as _sys

# nbgrader's Gradebook shells out to `alembic`, which is installed next to this Python.
# Put that folder on PATH for this process and everything it starts, so that
# `.venv/bin/python -m nbcourse ...` works without activating the virtualenv.
_bin = _os.path.dirname(_sys.executable)
if _bin not in _os.environ.get("PATH", "").split(_os.pathsep):
    _os.environ["PATH"] = _bin + _os.pathsep + _os.environ.get("PATH", "")
