"""``LinkRefusingCollect``: nbgrader's ``collect``, copying submissions without following links.

nbgrader's own collect copies each submission out of the exchange's ``inbound/`` folder
with ``shutil.copytree``, which follows symbolic links with the instructor's rights. Every
student may write into ``inbound/`` (mode 0733), so a submission holding ``notes.txt`` ->
``/course/source/<a>/<a>.ipynb`` (or being itself a link to ``source/<a>``) would become a
``submitted/`` folder holding the solutions. This subclass keeps everything else of
nbgrader's collect (which submission is the latest, ``--update``, the size limits, the
ignore and include patterns, the owner check) and replaces only the copy, by
:func:`nbcourse.submission_files.copy_submission`. What it refuses is logged and noted in
``reports/collect/<assignment>.json``, which the grading log picks up.

Selected by ``c.ExchangeFactory.collect`` in ``nbgrader_config.py`` (so that plain
``nbgrader collect`` and the formgrader's button use it too); ``python -m nbcourse
collect`` also passes it on the command line.
"""
from __future__ import annotations

import os

from nbgrader.exchange.default.collect import ExchangeCollect
from nbgrader.utils import ignore_patterns

from .submission_files import copy_submission, record_collected

PLUGIN = f"{__name__}.LinkRefusingCollect"


class LinkRefusingCollect(ExchangeCollect):
    """nbgrader's default collect whose copy never follows a link (module docstring)."""

    def do_copy(self, src, dest, log=None):
        """Copy one submission folder ``src`` of the exchange to ``dest`` in ``submitted/``."""
        size = self.get_size(src)  # nbgrader's own limit, as its do_copy checks it
        if size > 1000 * self.coursedir.max_dir_size:
            self.log.error("Directory size is too big")
            raise RuntimeError(f"Directory size is too big. Size is {size}, "
                               f"maximum size is {1000 * self.coursedir.max_dir_size}")
        refused = copy_submission(src, dest, ignore=ignore_patterns(
            exclude=self.coursedir.ignore, include=self.coursedir.include,
            max_file_size=self.coursedir.max_file_size, log=self.log))
        student = os.path.basename(src).rsplit("+", 3)[0]
        for entry in refused:
            self.log.warning("Refused from %s's submission %s: %s", student, src, entry)
        record_collected(self.coursedir.root, self.coursedir.assignment_id, student, refused)
        if self.coursedir.groupshared:  # as nbgrader's copy: group members may read and write
            for folder, _, files in os.walk(dest):
                os.chmod(folder, (os.stat(folder).st_mode | 0o2770) & 0o2777)
                for name in files:
                    path = os.path.join(folder, name)
                    os.chmod(path, (os.stat(path).st_mode | 0o660) & 0o777)
