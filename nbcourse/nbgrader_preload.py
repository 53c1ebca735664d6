"""What every forked nbgrader run would otherwise compute for itself, done once in the forkserver.

:mod:`nbcourse.nbgrader_process` forks each ``nbgrader`` command from a server that has
imported this module. Anything here is paid once per grading run instead of once per
submission: the modules the grading preprocessors import, nbformat's compiled notebook
schema, the kernel provisioners found through entry points. Nothing here starts a
thread or opens a file a forked child could share by mistake.
"""
import sqlite3  # noqa: F401  (every private copy's gradebook is SQLite)

import IPython.core.inputtransformer2  # noqa: F401  (the checker reads cells as IPython compiles them)
import ipykernel.kernelspec  # noqa: F401  (kernel spec lookup)
import nbformat
import sqlalchemy.dialects.sqlite  # noqa: F401
from jupyter_client.provisioning import KernelProvisionerFactory

import nbcourse.preprocessors.checked_execute  # noqa: F401  (the grading preprocessors)
import nbcourse.preprocessors.save_verdicts  # noqa: F401
import nbcourse.preprocessors.trust_source_cells  # noqa: F401
from nbcourse.private_gradebook import install as install_private_gradebook

# The private copy's gradebook skips waiting for the disk (nbcourse/private_gradebook.py).
install_private_gradebook()
# Reading and writing a notebook compiles nbformat's JSON schema validator (cached per process).
nbformat.reads(nbformat.writes(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")])), as_version=4)
# Scans the installed packages' entry points for kernel provisioners (cached per process).
KernelProvisionerFactory.instance()


def _warm_gradebook() -> None:
    """Make, once, the gradebook calls every grading run makes.

    SQLAlchemy configures nbgrader's mappers and builds its queries' structures on first
    use, in every process: a forked run paid for that in its first gradebook calls (05,
    one submission: 0.35 s from "Creating/updating student" to the submission's rows, of
    which 0.15 s is first use; ``nbgrader.api.Gradebook`` timed cold and warm in one process).
    """
    import tempfile

    from nbgrader.api import Gradebook

    from nbcourse.gradebook import new_sqlite_gradebook

    with tempfile.TemporaryDirectory() as scratch:  # gone before any child is forked
        # An existing gradebook, as in every private copy (for a new one, nbgrader asks
        # alembic for its version in a subprocess).
        new_sqlite_gradebook(f"{scratch}/gradebook.db")
        with Gradebook(f"sqlite:///{scratch}/gradebook.db") as gradebook:
            gradebook.add_assignment("a")
            gradebook.add_notebook("n", "a")
            gradebook.add_grade_cell("test", "n", "a", max_score=1, cell_type="code")
            gradebook.add_solution_cell("answer", "n", "a")
            gradebook.add_source_cell("answer", "n", "a", cell_type="code", source="x = 1", checksum="")
            gradebook.update_or_create_student("s")
            gradebook.find_assignment("a")
            gradebook.update_or_create_submission("a", "s")
            gradebook.find_source_cell("answer", "n", "a")
            gradebook.find_graded_cell("test", "n", "a")
            gradebook.find_submission_notebook("n", "a", "s")
            gradebook.find_grade("test", "n", "a", "s").auto_score = 1.0
            gradebook.find_comment("answer", "n", "a", "s")
            gradebook.db.commit()


_warm_gradebook()
