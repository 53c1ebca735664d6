"""Limits of the grading run that an instructor sets, as nbgrader settings (traitlets).

One configuration path, the course's ``nbgrader_config.py``, read the way nbgrader reads
its own (``c.<Class>.<setting> = value``); an environment variable named in a trait's
``env`` tag overrides the file for one run. Today: :class:`SandboxLimits`, the memory
and CPU-time limits of each sandboxed grading kernel (:mod:`nbcourse.sandbox`).

The other grading limits stay where they are: the per-cell wall time is nbgrader's own
``c.ExecutePreprocessor.timeout`` and the per-submission time ``autograde --timeout``;
the output cap (``nbcourse.checker.MAX_OUTPUT_BYTES``) and the message bounds between
grader and kernel (``nbcourse.values``, ``nbcourse.remote``) protect the grader's
process and are not settings.
"""
from __future__ import annotations

import os
from pathlib import Path

from traitlets import Integer, TraitError
from traitlets.config import Config, Configurable

from .course import CONFIG_FILE, CourseError, read_config


class PositiveInteger(Integer):
    """An ``Integer`` trait that accepts only integers above 0 (not ``True``, not ``"4096"``).

    The error names the setting and the bad value: ``SandboxLimits.memory_mb must be a
    positive integer, got 0``.
    """

    def validate(self, obj, value):
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise TraitError(f"{type(obj).__name__}.{self.name} must be a positive integer, got {value!r}")
        return value


class SandboxLimits(Configurable):
    """Resource limits of one notebook's grading kernel (each kernel gets its own).

    Read like nbgrader's own settings, from the course's ``nbgrader_config.py``::

        c.SandboxLimits.memory_mb = 8192
        c.SandboxLimits.cpu_seconds = 1800

    An environment variable, when set, overrides the config for one run (the trait's
    ``env`` tag names it: ``NBCOURSE_SANDBOX_MEMORY_MB``, ``NBCOURSE_SANDBOX_CPU_SECONDS``).
    Without either, the defaults: generous for the course's small TensorFlow models.
    :meth:`load` applies all three in that order.
    """

    memory_mb = PositiveInteger(
        4096, help="Memory limit of a grading kernel, in MB (RLIMIT_DATA: an allocation past it "
                   "raises MemoryError). Overridden by $NBCOURSE_SANDBOX_MEMORY_MB.",
    ).tag(config=True, env="NBCOURSE_SANDBOX_MEMORY_MB")
    cpu_seconds = PositiveInteger(
        900, help="CPU-time limit of a grading kernel, in seconds (RLIMIT_CPU: past it the kernel "
                  "is killed, its notebook still scored). Overridden by $NBCOURSE_SANDBOX_CPU_SECONDS.",
    ).tag(config=True, env="NBCOURSE_SANDBOX_CPU_SECONDS")

    @classmethod
    def load(cls, course_root: str | Path | None = None, environ=None) -> "SandboxLimits":
        """The limits for a run: ``c.SandboxLimits`` of ``<course_root>/nbgrader_config.py``
        (none without ``course_root``), then the environment variables (``environ``, default
        ``os.environ``) over them.

        A value that is not a positive integer, in either place, raises CourseError naming
        the setting (and the file or variable) and the value.
        """
        path = Path(course_root) / CONFIG_FILE if course_root is not None else None
        try:
            limits = cls(config=read_config(path) if path is not None else Config())
        except TraitError as error:
            raise CourseError(f"{path}: {error}") from None
        environ = os.environ if environ is None else environ
        for name, trait in cls.class_traits(config=True).items():
            variable = trait.metadata.get("env")
            if not variable or variable not in environ:
                continue
            raw = environ[variable]
            try:
                value = int(raw)
            except ValueError:
                value = raw  # refused below, named
            try:
                setattr(limits, name, value)
            except TraitError:
                raise CourseError(f"environment variable {variable} (overrides {cls.__name__}.{name}) "
                                  f"must be a positive integer, got {raw!r}") from None
        return limits
