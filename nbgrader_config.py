"""nbgrader configuration of the course. The repository root is the course directory."""
import os

c = get_config()  # noqa: F821  (injected by nbgrader / traitlets)

COURSE_ROOT = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.root = COURSE_ROOT
c.CourseDirectory.course_id = "dl-intro"
# SQLite is the embedded default; point NBGRADER_DB_URL at PostgreSQL for a big class.
c.CourseDirectory.db_url = os.environ.get(
    "NBGRADER_DB_URL", "sqlite:///" + os.path.join(COURSE_ROOT, "gradebook.db")
)
# The exchange lives inside the course by default so that nothing needs /srv.
c.Exchange.root = os.environ.get("NBGRADER_EXCHANGE", os.path.join(COURSE_ROOT, "exchange"))
c.Exchange.assignment_dir = os.environ.get("NBGRADER_ASSIGNMENT_DIR", COURSE_ROOT)

# Never copy caches or checkpoints into the student's release.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", ".*"]

c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# A test cell that hangs must not hang the whole grading run.
c.ExecutePreprocessor.timeout = 180
c.ExecutePreprocessor.interrupt_on_timeout = True
# Each graded notebook's kernel runs in the sandbox with 4096 MB of memory and 900 s of CPU
# time (nbcourse/limits.py, docs/security.md); to change them for the course:
#   c.SandboxLimits.memory_mb = 8192
#   c.SandboxLimits.cpu_seconds = 1800
# NBCOURSE_SANDBOX_MEMORY_MB / NBCOURSE_SANDBOX_CPU_SECONDS override these for one run.

# collect takes only submissions owned by the student they name (on a shared machine
# inbound/ is writable by every student), and copies them without following symbolic links
# (a link to source/ would hand the solutions to the student): nbcourse/submission_owner.py,
# nbcourse/exchange_collect.py.
c.ExchangeFactory.collect = "nbcourse.submission_owner.OwnerCheckedCollect"

# What students see in their feedback (docs/security.md, "What students see in their feedback"):
# for each test cell its points, passed or not, and for a failure the failing check's message
# and the student's own traceback frames; never the hidden tests' code.
# Set `c.HideHiddenTests.enabled = False` for nbgrader's full feedback (hidden tests included).
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor  # noqa: E402
from nbgrader.preprocessors import GetGrades  # noqa: E402

from nbcourse.preprocessors.hide_hidden_tests import HideHiddenTests  # noqa: E402

c.GenerateFeedback.preprocessors = [GetGrades, HideHiddenTests, CSSHTMLHeaderPreprocessor]
c.HideHiddenTests.enabled = True
