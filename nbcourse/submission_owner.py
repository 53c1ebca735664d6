"""Who handed a submission in: ``collect`` takes only submissions owned by the student they name.

nbgrader's ``inbound/`` is writable by every student (mode 0733), and a submission is a
folder named ``<student>+<assignment>+<timestamp>+<random>``: nothing but the name says
whose it is. A student who writes a folder named for a classmate, with a later
timestamp, would have it collected as the classmate's newest submission (nbgrader only
logs a warning). On a shared machine every student is a Unix user, so the file system
says who wrote a submission. The rule:

* a submission named for a Unix user must be that user's, through and through: the
  folder and everything in it owned by that user;
* one named for anybody else (a simulated cohort, a single-user exchange) must be the
  collecting instructor's own.

Symbolic links, hard links to other users' files, devices and pipes inside a student's own
submission would let the instructor's ``collect`` copy a file the student could not read
(a solution): the copy refuses each of them and collects the rest
(:class:`~nbcourse.exchange_collect.LinkRefusingCollect`, which this collect extends).

A submission that breaks the rule is renamed ``.refused-<its name>`` inside ``inbound/``,
so that it is neither collected (nbgrader's collect skips hidden names) nor lost, and
reported. It stays in ``inbound/``: moving a folder to another parent needs write access
to the folder itself, which the instructor has not on a student's folder; renaming it in
place needs only ``inbound/``, which is the instructor's.
:class:`OwnerCheckedCollect` applies the rule inside nbgrader's own collect (the course's
``nbgrader_config.py`` selects it), so ``nbgrader collect`` and the formgrader's collect
button obey it too.

:class:`PrivateSubmit` is nbgrader's submit for the students of a shared machine: nbgrader
leaves a submission readable by everyone (and its folder writable by everyone), hidden
only by its unlisted name; this one closes it to everyone but the student, and the
instructor, whom a default ACL on the hub's ``inbound/`` lets read it (nbcourse.hub).
"""
from __future__ import annotations

import os
import pwd
import stat
from dataclasses import dataclass
from pathlib import Path

from nbgrader.exchange.default.submit import ExchangeSubmit

from .exchange_collect import LinkRefusingCollect

REFUSED_PREFIX = ".refused-"
CLASS_PATH = "nbcourse.submission_owner.OwnerCheckedCollect"


@dataclass(frozen=True)
class Refusal:
    student: str      # the student the folder's name claims
    folder: Path      # where the submission is now (inbound/.refused-<its name>)
    reason: str


def _user_name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"


def ownership_problem(folder: Path, student: str, collector_uid: int | None = None) -> str | None:
    """Why ``folder`` may not be collected as ``student``'s submission, or None if it may."""
    collector_uid = os.geteuid() if collector_uid is None else collector_uid
    try:
        owner_uid, owner = pwd.getpwnam(student).pw_uid, student
    except KeyError:
        owner_uid, owner = collector_uid, f"{_user_name(collector_uid)} (the collecting instructor)"
    problems: list[str] = []

    def check(path: str) -> None:
        st = os.lstat(path)
        shown = os.path.relpath(path, folder.parent)
        # Links, hard links and special files are the copy's to refuse, one by one, the rest
        # being collected (nbcourse.exchange_collect); a file of someone else's that is not a
        # link can only have been written there by someone else.
        ordinary = stat.S_ISDIR(st.st_mode) or (stat.S_ISREG(st.st_mode) and st.st_nlink == 1)
        if (ordinary or path == str(folder)) and st.st_uid != owner_uid:
            problems.append(f"{shown} is owned by {_user_name(st.st_uid)}, not by {owner}")

    def unreadable(error: OSError) -> None:
        problems.append(f"{os.path.relpath(error.filename, folder.parent)} cannot be read ({error.strerror})")

    check(str(folder))
    if not problems:
        for dirpath, dirnames, filenames in os.walk(folder, onerror=unreadable):
            for name in dirnames + filenames:
                check(os.path.join(dirpath, name))
                if problems:
                    break
            if problems:
                break
    return problems[0] if problems else None


def refuse_foreign(course_path: Path, assignment: str, collector_uid: int | None = None) -> list[Refusal]:
    """Rename every submission of ``assignment`` in ``course_path/inbound`` that breaks the rule out of collect's way.

    course_path: the course's folder in the exchange (``<exchange>/<course_id>``).
    Returns what was refused. Raises PermissionError if a refused submission cannot be
    renamed (it must not stay where collect would take it).
    """
    inbound = Path(course_path) / "inbound"
    if not inbound.is_dir():
        return []
    refusals = []
    for folder in sorted(inbound.iterdir()):
        parts = folder.name.rsplit("+", 3)  # student ids may contain "+": split from the right
        if folder.name.startswith(".") or len(parts) != 4 or parts[1] != assignment:
            continue
        reason = ownership_problem(folder, parts[0], collector_uid)
        if reason is None:
            continue
        destination = inbound / (REFUSED_PREFIX + folder.name)
        os.rename(folder, destination)
        refusals.append(Refusal(parts[0], destination, reason))
    return refusals


class OwnerCheckedCollect(LinkRefusingCollect):
    """nbgrader's collect, refusing (and logging) submissions not owned by the student they name,
    and copying the others without following links (:class:`LinkRefusingCollect`)."""

    def init_src(self):
        """Set foreign submissions aside first; then nbgrader picks each student's newest."""
        if self.coursedir.course_id:
            course_path = Path(self.root) / self.coursedir.course_id
            try:
                refusals = refuse_foreign(course_path, self.coursedir.assignment_id)
            except PermissionError as error:
                self.fail(f"a submission not owned by its student cannot be set aside in inbound/: {error}")
            for refusal in refusals:
                self.log.error("REFUSED a submission in %s's name: %s; renamed %s",
                               refusal.student, refusal.reason, refusal.folder)
        super().init_src()


class PrivateSubmit(ExchangeSubmit):
    """nbgrader's submit, leaving the submission to its student (and the instructor, by inbound's ACL)."""

    def copy_files(self):
        """Submit as nbgrader does; then folders 2750 and files 0640 (nbgrader makes them 0777 and 0644).

        Under inbound's default ACL the group bits are the ACL's mask: the instructor keeps read access.
        """
        super().copy_files()
        dest = os.path.join(self.inbound_path, self.assignment_filename)
        for dirpath, _, filenames in os.walk(dest):
            os.chmod(dirpath, 0o2750)
            for name in filenames:
                os.chmod(os.path.join(dirpath, name), 0o640)
