"""Instructor-side tooling for the course: notebook authoring and the grading pipeline."""
import os as _os

# nbgrader's Gradebook shells out to `alembic`, which is installed next to this Python.
# On PATH for this process and everything it starts, so that `.venv/bin/python -m nbcourse ...`
# works without activating the virtualenv.
from .course import path_with_bin as _path_with_bin

_os.environ["PATH"] = _path_with_bin()
