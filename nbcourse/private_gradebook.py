"""The private copy's gradebook is written without waiting for the disk.

Each submission is graded in a private copy whose ``gradebook.db`` (SQLite) nbgrader
commits to once per graded cell, 40 to 60 times per submission; with SQLite's default
``synchronous=FULL`` each commit waits for the disk (7.8 ms per commit on this machine's
disk under load, 0.2 ms with ``synchronous=OFF``: 40 one-row commits in a row).
That copy is a scratch file: if the machine dies mid-run, the submission is graded again,
and only :func:`nbcourse.gradebook.record_submission` writes the course's gradebook (with
SQLite's defaults). So the grading process sets ``synchronous=OFF`` on that one file,
named by :data:`PRIVATE_GRADEBOOK_ENV` in its environment, and on no other database.
"""
from __future__ import annotations

import os
import sqlite3

PRIVATE_GRADEBOOK_ENV = "NBCOURSE_PRIVATE_GRADEBOOK"


def install() -> None:
    """Make every SQLAlchemy connection of this process to the file named by
    ``$NBCOURSE_PRIVATE_GRADEBOOK`` skip waiting for the disk (others are left as they are)."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    if not event.contains(Engine, "connect", _skip_fsync_in_private_copy):
        event.listen(Engine, "connect", _skip_fsync_in_private_copy)


def _skip_fsync_in_private_copy(dbapi_connection, _record) -> None:
    private = os.environ.get(PRIVATE_GRADEBOOK_ENV)
    if not private or not isinstance(dbapi_connection, sqlite3.Connection):
        return
    files = {row[2] for row in dbapi_connection.execute("PRAGMA database_list")}
    if os.path.realpath(private) in {os.path.realpath(path) for path in files if path}:
        dbapi_connection.execute("PRAGMA synchronous=OFF")
