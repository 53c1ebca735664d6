"""The grading pipeline in which only the student's work earns points.

:func:`overrides` configures one submission's ``nbgrader autograde`` run (see
``docs/security.md``):

- cell roles and test code come from the source notebook (``TrustSourceCells``, also
  first in nbgrader's sanitize pass, whose checks would otherwise trust the submission);
- the student's cells run in the kernel; each test cell runs in the grader's process
  against the kernel's values (``CheckedExecute``, :mod:`nbcourse.checker`);
- scores come from those verdicts alone (``SaveVerdicts``).

The test cells of every submission of a run are checked by one checker service
(:mod:`nbcourse.checker_service`, started by ``autograde``), so that TensorFlow and the
references are imported once per run.

:func:`reference_view` is the ``helpers`` package the kernel sees for the assignment
(its references withheld); the sandbox binds it in place of the real package, and
without the sandbox it goes first on the kernel's ``PYTHONPATH``.
"""
from __future__ import annotations

from pathlib import Path

from . import checker_service
from . import reference_view as _reference_view
from .overrides import Overrides

_NBGRADER = "nbgrader.preprocessors."
# nbgrader's sanitize pass, with the cells' roles taken from the source before its checks.
SANITIZE_PREPROCESSORS = [
    _NBGRADER + "ClearOutput",
    _NBGRADER + "DeduplicateIds",
    _NBGRADER + "OverwriteKernelspec",
    "nbcourse.preprocessors.trust_source_cells.SourceRolesBeforeSanitize",
    _NBGRADER + "OverwriteCells",
    _NBGRADER + "CheckCellMetadata",
]
AUTOGRADE_PREPROCESSORS = [
    "nbcourse.preprocessors.trust_source_cells.TrustSourceCells",
    "nbcourse.preprocessors.checked_execute.CheckedExecute",
    _NBGRADER + "IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    _NBGRADER + "LimitOutput",
    "nbcourse.preprocessors.save_verdicts.SaveVerdicts",
    _NBGRADER + "AssignLatePenalties",
    _NBGRADER + "CheckCellMetadata",
]


def overrides(helpers_view: Path | None = None, checker_socket: str | None = None) -> Overrides:
    """The autograde preprocessors of the trusted pipeline.

    ``helpers_view``: for an unsandboxed kernel, the grading view of ``helpers`` to put first
    on its ``PYTHONPATH``. ``checker_socket``: the run's checker service, if it has one.
    """
    env = {"PYTHONPATH": str(Path(helpers_view).resolve().parent)} if helpers_view else {}
    if checker_socket:
        env[checker_service.SOCKET_ENV] = checker_socket
    return Overrides(env=env, config={"Autograde": {"sanitize_preprocessors": list(SANITIZE_PREPROCESSORS),
                                                      "autograde_preprocessors": list(AUTOGRADE_PREPROCESSORS)}})


def reference_view(assignment: str, run_dir: Path) -> Path:
    """Build, once per run, the ``helpers`` package the graded kernels see; return its folder."""
    return _reference_view.build(assignment, Path(run_dir) / "helpers-view")
