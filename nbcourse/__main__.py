"""``python -m nbcourse``: the instructor's command line (see ``nbcourse.cli``)."""
from .cli import run

run()
