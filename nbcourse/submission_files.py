"""A student's files, copied with the instructor's rights but never followed where they point.

A submission is a folder the student filled. A symbolic link in it (``notes.txt`` ->
``/course/source/01_perceptron/01_perceptron.ipynb``, or a folder -> ``/course/source``) is
only a name until someone reads it: ``shutil.copytree``, which nbgrader's ``collect`` and
``autograde`` and our private copy all used, reads it with the reader's rights and copies
the instructor's file into the student's graded folder, where the student's code prints
it and the feedback hands it back. So every copy of a submission goes through
:func:`copy_submission`, which copies regular files and folders only:

- a symbolic link (to a file, to a folder, dangling) is refused, whatever it points at;
- a named pipe, socket or device is refused (copying a pipe would also hang the grader);
- a hard link (a file with several names) whose owner is not the owner of the submission
  folder is refused: in the exchange, a student owns the folder and every file they wrote,
  so such a file is someone else's, linked in. (Linux's ``fs.protected_hardlinks = 1``, the
  default, already stops a student from hard-linking a file they cannot both read and
  write; this covers machines where it is off.) Hard links between the student's own
  files, or in ``submitted/`` where the instructor owns everything, are copied as files.

Files are opened relative to their folder's descriptor with ``O_NOFOLLOW``, so a file
swapped for a link while the copy runs is refused too, never followed. A refused entry is
not copied; the rest of the submission is, and each refusal is returned as a
:class:`Refused` that says which file and why, for the grading log and the report.
"""
from __future__ import annotations

import errno
import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path

CHUNK = 1 << 20
# Notes of a private grading copy, read back for the grading log (see grading.py).
REFUSED_NOTES = "refused-files.json"


@dataclass(frozen=True)
class Refused:
    """One entry of a submission that was not copied: its path inside the submission, and why."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device file"
    return "not a regular file"


def copy_submission(src: str | Path, dest: str | Path, *, ignore=None) -> list[Refused]:
    """Copy the folder ``src`` to ``dest`` (created) without following any link; the refused entries.

    ignore: like ``shutil.copytree``'s, ``ignore(folder, names) -> names to skip`` (skipped
    entries are neither copied nor reported). ``src`` itself being a link is refused whole.
    """
    src, dest = os.fspath(src), os.fspath(dest)
    top = os.lstat(src)
    if stat.S_ISLNK(top.st_mode):
        return [Refused(".", f"the submission folder is a symbolic link to {os.readlink(src)}")]
    if not stat.S_ISDIR(top.st_mode):
        return [Refused(".", f"the submission is {_kind(top.st_mode)}, not a folder")]
    os.makedirs(dest, exist_ok=True)
    refused = []
    # fwalk opens each folder once and hands us its descriptor; it does not descend into a
    # link to a folder (that shows among the files, where it is refused below).
    for folder, folders, files, folder_fd in os.fwalk(src, follow_symlinks=False):
        relative = os.path.relpath(folder, src)
        # fwalk lists a link to a folder among the folders (and then does not enter it): move
        # it to the files, where it is refused. Links are reported whatever their name;
        # ``ignore`` (nbgrader's stats what a name points at, to judge its size) sees the rest.
        links = _links(folder_fd, folders)
        folders[:] = [name for name in folders if name not in links]
        files = sorted(links) + files
        links |= _links(folder_fd, files)
        others = [name for name in folders + files if name not in links]
        skipped = set(ignore(folder, others)) if ignore else set()
        folders[:] = [name for name in folders if name not in skipped]
        for name in folders:
            os.makedirs(os.path.join(dest, relative, name), exist_ok=True)
        for name in files:
            if name in skipped:
                continue
            path = os.path.normpath(os.path.join(relative, name))
            problem = _copy_file(folder_fd, name, os.path.join(dest, relative, name), top.st_uid)
            if problem:
                refused.append(Refused(path, problem))
    return refused


def _links(folder_fd: int, names: list[str]) -> set[str]:
    """Those of ``names`` (in the folder open as ``folder_fd``) that are symbolic links."""
    found = set()
    for name in names:
        try:
            if stat.S_ISLNK(os.stat(name, dir_fd=folder_fd, follow_symlinks=False).st_mode):
                found.add(name)
        except FileNotFoundError:  # deleted meanwhile (the student's exchange folder is theirs)
            continue
    return found


def _copy_file(folder_fd: int, name: str, target: str, owner: int) -> str:
    """Copy ``name`` (in the folder open as ``folder_fd``) to ``target``; '' or why it was refused."""
    try:
        info = os.stat(name, dir_fd=folder_fd, follow_symlinks=False)
    except FileNotFoundError:
        return "deleted while the submission was copied"
    if stat.S_ISLNK(info.st_mode):
        return f"a symbolic link to {os.readlink(name, dir_fd=folder_fd)}"
    if not stat.S_ISREG(info.st_mode):
        return _kind(info.st_mode)
    try:
        source = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=folder_fd)
    except OSError as error:
        if error.errno == errno.ELOOP:  # swapped for a link since the stat above
            return "a symbolic link (it replaced a file while the submission was copied)"
        return f"unreadable ({os.strerror(error.errno)})"
    try:
        opened = os.fstat(source)
        if not stat.S_ISREG(opened.st_mode):
            return _kind(opened.st_mode)
        if opened.st_nlink > 1 and opened.st_uid != owner:
            return (f"a hard link to a file of user {opened.st_uid}, not of the submission's owner "
                    f"{owner}")
        with open(target, "wb") as out, os.fdopen(source, "rb", closefd=False) as data:
            while chunk := data.read(CHUNK):
                out.write(chunk)
        os.chmod(target, stat.S_IMODE(opened.st_mode) & 0o777)
        os.utime(target, ns=(opened.st_atime_ns, opened.st_mtime_ns))
        return ""
    finally:
        os.close(source)


def remove_links(folder: str | Path) -> list[Refused]:
    """Delete every symbolic link and special file under ``folder`` (the links themselves, never
    what they point at); what was deleted. For folders the grader wrote and is about to copy
    again with the instructor's rights (``autograded/`` before ``generate_feedback``)."""
    removed = []
    if os.path.islink(folder):
        os.unlink(folder)
        return [Refused(".", "a symbolic link")]
    for current, folders, files, folder_fd in os.fwalk(folder, follow_symlinks=False):
        links = _links(folder_fd, folders)
        folders[:] = [name for name in folders if name not in links]
        for name in sorted(links) + files:
            info = os.stat(name, dir_fd=folder_fd, follow_symlinks=False)
            if stat.S_ISREG(info.st_mode):
                continue
            reason = (f"a symbolic link to {os.readlink(name, dir_fd=folder_fd)}"
                      if stat.S_ISLNK(info.st_mode) else _kind(info.st_mode))
            os.unlink(name, dir_fd=folder_fd)
            removed.append(Refused(os.path.normpath(os.path.join(os.path.relpath(current, folder), name)),
                                   reason))
    return removed


# --- where refusals are kept between the steps ---------------------------------------

def collect_log(root: str | Path, assignment: str) -> Path:
    """``reports/collect/<assignment>.json``: student -> what ``collect`` refused from their latest submission."""
    return Path(root) / "reports" / "collect" / f"{assignment}.json"


def record_collected(root: str | Path, assignment: str, student: str, refused: list) -> None:
    """Note what ``collect`` refused from ``student``'s submission (:class:`Refused` entries or
    notes already in words; an empty list clears an older note)."""
    path = collect_log(root, assignment)
    entries = json.loads(path.read_text()) if path.exists() else {}
    entries[student] = [str(entry) for entry in refused]
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".json.partial")
    partial.write_text(json.dumps(entries, indent=1, sort_keys=True))
    partial.replace(path)


def refused_at_collect(root: str | Path, assignment: str) -> dict[str, list[str]]:
    """student -> what ``collect`` refused from their latest collected submission (students with refusals only)."""
    path = collect_log(root, assignment)
    entries = json.loads(path.read_text()) if path.exists() else {}
    return {student: notes for student, notes in entries.items() if notes}


def copy_for_grading(course_root: str | Path, assignment: str, student: str, workdir: str | Path) -> list[str]:
    """Copy ``submitted/<student>/<assignment>/`` into the private copy at ``workdir``, refusing links.

    Returns, and notes in ``workdir/refused-files.json`` for :func:`refused_notes`, what
    was refused now and what ``collect`` had refused from the same submission, in words.
    """
    source = Path(course_root) / "submitted" / student / assignment
    target = Path(workdir) / "submitted" / student / assignment
    refused = copy_submission(source, target, ignore=_ignore_checkpoints)
    notes = [f"collect refused {note} (not copied, not graded)"
             for note in refused_at_collect(course_root, assignment).get(student, [])]
    notes += [f"refused {entry} (not copied, not graded)" for entry in refused]
    (Path(workdir) / REFUSED_NOTES).write_text(json.dumps(notes))
    return notes


def refused_notes(workdir: str | Path) -> list[str]:
    """What :func:`copy_for_grading` refused for the private copy at ``workdir`` (none noted: empty)."""
    path = Path(workdir) / REFUSED_NOTES
    return json.loads(path.read_text()) if path.exists() else []


def _ignore_checkpoints(folder, names):
    return {name for name in names if name == ".ipynb_checkpoints"}
