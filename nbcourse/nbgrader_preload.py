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
