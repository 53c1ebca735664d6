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

# collect takes only submissions owned by the student they name (nbcourse/submission_owner.py):
# on a shared machine inbound/ is writable by every student.
c.ExchangeFactory.collect = "nbcourse.submission_owner.OwnerCheckedCollect"
