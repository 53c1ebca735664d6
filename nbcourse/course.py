"""The course directory: where each step of the nbgrader cycle reads and writes.

A course is a directory holding ``nbgrader_config.py`` and nbgrader's standard folders::

    source/<assignment>/<assignment>.ipynb      instructor version (solutions, hidden tests)
    release/<assignment>/                       student version (``generate``)
    submitted/<student>/<assignment>/           collected submissions (``collect``)
    autograded/<student>/<assignment>/          executed, scored notebooks (``autograde``)
    feedback/<student>/<assignment>/            HTML feedback (``feedback``)
    reports/                                    CSV exports, the HTML report, grading logs
    exchange/                                   nbgrader's exchange (``release``/``collect``)
    gradebook.db                                SQLite gradebook (unless NBGRADER_DB_URL is set)

Every nbgrader command runs as a subprocess in the course root, so the course's own
``nbgrader_config.py`` decides everything (database, exchange, ignore patterns).
"""
from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

CONFIG_FILE = "nbgrader_config.py"
SYSTEM_PATH = "/usr/local/bin:/usr/bin:/bin"  # PATH of a clean environment (a sandbox, another user)


def path_with_bin(path: str | None = None, bin_dir=None) -> str:
    """``path`` (default: this process's PATH) with ``bin_dir`` (default: the folder of this
    Python, where ``alembic``, ``jupyter`` and ``nbgrader`` are installed) first, and only there.

    The one place that puts the virtualenv on a PATH: this process's own (``nbcourse/__init__.py``),
    every nbgrader subprocess's, the sandbox's, the hub's and each hub user's.
    """
    first = str(bin_dir or os.path.dirname(sys.executable))
    path = os.environ.get("PATH", "") if path is None else path
    return os.pathsep.join([first] + [folder for folder in path.split(os.pathsep) if folder and folder != first])


class CourseError(Exception):
    """A problem the instructor can fix (missing file, unknown assignment, ...)."""


@dataclass(frozen=True)
class Course:
    """A course directory; ``root`` holds ``nbgrader_config.py``."""

    root: Path
    # This run's gradebook (``--db``), handed to every nbgrader command as NBGRADER_DB_URL (which
    # the course's config reads); None: the gradebook the config selects by itself.
    db_url: str | None = None

    @classmethod
    def at(cls, root: str | Path | None = None, db_url: str | None = None) -> "Course":
        """The course at ``root`` (default: the current directory), checked to be one; ``db_url``:
        this run's gradebook instead of the config's."""
        root = Path(root or os.getcwd()).resolve()
        if not root.is_dir():
            raise CourseError(f"course directory {root} does not exist")
        if not (root / CONFIG_FILE).is_file():
            raise CourseError(
                f"{root} is not a course directory: it has no {CONFIG_FILE} "
                "(run from the course root or pass --course DIR)"
            )
        return cls(root, db_url)

    # -- folders --------------------------------------------------------------------
    @property
    def source(self) -> Path:
        return self.root / "source"

    @property
    def release(self) -> Path:
        return self.root / "release"

    @property
    def submitted(self) -> Path:
        return self.root / "submitted"

    @property
    def autograded(self) -> Path:
        return self.root / "autograded"

    @property
    def feedback(self) -> Path:
        return self.root / "feedback"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    # -- assignments and submissions --------------------------------------------------
    def assignments(self) -> list[str]:
        """Names of the assignments in ``source/`` (those with ``<name>/<name>.ipynb``)."""
        if not self.source.is_dir():
            return []
        return sorted(
            folder.name
            for folder in self.source.iterdir()
            if folder.is_dir() and (folder / f"{folder.name}.ipynb").is_file()
        )

    def require_assignment(self, assignment: str) -> str:
        """``assignment`` if it exists in ``source/``; otherwise a CourseError listing the known ones."""
        known = self.assignments()
        if assignment not in known:
            listing = ", ".join(known) if known else "none yet"
            raise CourseError(
                f"unknown assignment {assignment!r}: no {self.source / assignment / (assignment + '.ipynb')} "
                f"(assignments in source/: {listing})"
            )
        return assignment

    def students_who_submitted(self, assignment: str) -> list[str]:
        """Student ids with a ``submitted/<student>/<assignment>/`` folder, sorted."""
        if not self.submitted.is_dir():
            return []
        return sorted(
            student.name
            for student in self.submitted.iterdir()
            if (student / assignment).is_dir()
        )

    # -- running nbgrader ---------------------------------------------------------------
    def nbgrader_env(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        """:func:`nbgrader_env` for an nbgrader command on this course (with this run's gradebook)."""
        return nbgrader_env({**({"NBGRADER_DB_URL": self.db_url} if self.db_url else {}), **(extra or {})})

    def nbgrader(self, *args: str, env: dict[str, str] | None = None, check: bool = True,
                 timeout: float | None = None) -> subprocess.CompletedProcess:
        """Run ``nbgrader <args>`` in the course root; its output is the result's ``stdout``.

        The process is forked from a server that has imported nbgrader already
        (:mod:`nbcourse.nbgrader_process`). With ``check=True`` a non-zero exit raises
        CourseError carrying the end of nbgrader's log.
        """
        import tempfile

        from . import nbgrader_process

        with tempfile.NamedTemporaryFile("r", prefix="nbgrader-", suffix=".log") as log:
            code = nbgrader_process.run(list(args), cwd=str(self.root), env=self.nbgrader_env(env),
                                        log_path=log.name, timeout=timeout)
            result = subprocess.CompletedProcess(["nbgrader", *args], -1 if code is None else code,
                                                 stdout=log.read(), stderr="")
        if check and result.returncode != 0:
            raise CourseError(
                f"nbgrader {' '.join(args)} failed (exit {result.returncode}):\n{log_tail(result)}"
            )
        return result


def nbgrader_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for an nbgrader subprocess.

    nbgrader shells out to ``alembic``, which lives next to this Python, so its
    directory goes first on PATH whatever the caller's PATH is.
    """
    env = dict(os.environ)
    env["PATH"] = path_with_bin(env.get("PATH", ""))
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.update(extra or {})
    return env


def read_config(path: str | Path):
    """The traitlets ``Config`` that the config file at ``path`` (a course's
    ``nbgrader_config.py``) builds, loaded in this process as nbgrader loads it."""
    from traitlets.config.loader import PyFileConfigLoader

    path = Path(path)
    return PyFileConfigLoader(path.name, path=str(path.parent)).load_config()


def log_tail(result: subprocess.CompletedProcess, lines: int = 25) -> str:
    """The last ``lines`` lines of a finished process's output (stderr first: nbgrader logs there)."""
    text = (result.stderr or "") + (result.stdout or "")
    return "\n".join(text.strip().splitlines()[-lines:])


def private_copy(course: Course, dest: Path, assignments: list[str], extra_config: str = "") -> Course:
    """A working copy of ``course`` at ``dest`` that nbgrader can run in without touching the original.

    It holds the course's ``nbgrader_config.py`` followed by lines that pin the copy's root,
    its own SQLite gradebook and its own exchange (so neither NBGRADER_DB_URL nor
    NBGRADER_EXCHANGE can reach the real ones), then ``extra_config``; and ``source/<a>/`` of
    each of ``assignments``.
    """
    import shutil

    dest = Path(dest).resolve()
    dest.mkdir(parents=True, exist_ok=True)
    pinned = (
        "\n# --- private working copy: never touch the real course ---\n"
        f"c.CourseDirectory.root = {str(dest)!r}\n"
        f"c.CourseDirectory.db_url = {'sqlite:///' + str(dest / 'gradebook.db')!r}\n"
        f"c.Exchange.root = {str(dest / 'exchange')!r}\n"
    )
    config = (course.root / CONFIG_FILE).read_text() + pinned + extra_config
    (dest / CONFIG_FILE).write_text(config)
    for assignment in assignments:
        shutil.copytree(course.source / assignment, dest / "source" / assignment,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"),
                        dirs_exist_ok=True)
    return Course(dest)
