"""Only the private copy's gradebook skips waiting for the disk; the course's keeps SQLite's defaults."""
import sqlalchemy

from nbcourse import private_gradebook

FULL, OFF = 2, 0  # PRAGMA synchronous values


def _synchronous(path) -> int:
    engine = sqlalchemy.create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            return connection.exec_driver_sql("PRAGMA synchronous").scalar()
    finally:
        engine.dispose()


def test_only_the_file_named_in_the_environment_skips_fsync(tmp_path, monkeypatch):
    private_gradebook.install()
    private_gradebook.install()  # twice: still one listener
    (tmp_path / "work").mkdir()
    monkeypatch.setenv(private_gradebook.PRIVATE_GRADEBOOK_ENV, str(tmp_path / "work" / ".." / "work" / "gradebook.db"))
    assert _synchronous(tmp_path / "work" / "gradebook.db") == OFF
    assert _synchronous(tmp_path / "gradebook.db") == FULL  # the course's, in the same process
    monkeypatch.delenv(private_gradebook.PRIVATE_GRADEBOOK_ENV)
    assert _synchronous(tmp_path / "work" / "gradebook.db") == FULL
