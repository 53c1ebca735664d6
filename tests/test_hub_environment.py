"""The hub users' Python environment leads nowhere back into the clone or the virtualenv.

``make setup`` installs ``helpers`` and ``nbcourse`` in editable mode: site-packages holds a
finder that imports them from the clone by its absolute path. A clone made in a folder
other users cannot enter (``mktemp -d`` makes mode 0700; /root is 0700) then broke the hub:
the instructor's ``python -m nbcourse generate``, run as the instructor's Unix user, failed
with PermissionError on ``<clone>/nbcourse/__init__.py``. The users' view of the
virtualenv now holds its own copies of the packages and of share/ and etc/; this test runs
the view as ``nobody`` and checks where everything comes from.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from nbcourse.hub import REPO, VENV, as_user, users_environment

pytestmark = pytest.mark.xdist_group("hub-environment")

PROBE = """
import json, os, helpers, nbcourse, nbcourse.cli, helpers.widgets, nbgrader
from jupyter_core.paths import jupyter_path
labextensions = [p for p in jupyter_path("labextensions") if os.path.isdir(p)]
print(json.dumps({"helpers": helpers.__file__, "nbcourse": nbcourse.__file__, "nbgrader": nbgrader.__file__,
                  "labextensions": labextensions,
                  "extensions": sorted(os.listdir(labextensions[0])) if labextensions else []}))
"""


@pytest.fixture(scope="module")
def view_state():
    if os.geteuid() != 0:
        pytest.skip("runs the view as another Unix user: run as root")
    state = Path(tempfile.mkdtemp(prefix="nbcourse-view-test-", dir="/srv"))
    os.chmod(state, 0o755)
    try:
        yield state, users_environment(state)
    finally:
        shutil.rmtree(state, ignore_errors=True)


def test_another_user_imports_the_course_packages_from_the_view(view_state):
    state, bin_dir = view_state
    result = as_user("nobody", [str(bin_dir / "python"), "-c", PROBE], bin_dir, cwd=state, timeout=120)
    found = json.loads(result.stdout.strip().splitlines()[-1])
    for package in ("helpers", "nbcourse", "nbgrader"):
        assert Path(found[package]).is_relative_to(state), (package, found[package])
    assert found["labextensions"] and Path(found["labextensions"][0]).is_relative_to(state), found
    assert "@jupyter-widgets" in found["extensions"], found["extensions"]


def test_nothing_in_the_view_is_a_link_into_the_clone_or_the_virtualenv(view_state):
    state, _ = view_state
    view = state / "venv"
    assert not any(view.glob("lib/*/site-packages/__editable__*")), "the editable finder points into the clone"
    for folder in ("share", "etc"):
        if (VENV / folder).is_dir():
            assert (view / folder).is_dir() and not (view / folder).is_symlink(), folder
    for entry in view.rglob("*"):
        if entry.is_symlink():
            target = Path(os.path.realpath(entry))
            assert not target.is_relative_to(REPO) and not target.is_relative_to(VENV.resolve()), (entry, target)


def test_the_view_copies_the_clones_current_packages(view_state):
    """A second set-up (``make hub`` again after an edit) brings the packages up to date."""
    state, _ = view_state
    copied = next((state / "venv").glob("lib/*/site-packages/helpers/__init__.py"))
    assert copied.read_text() == (REPO / "helpers" / "__init__.py").read_text()
    copied.write_text("raise ImportError('stale copy')\n")
    users_environment(state)
    assert copied.read_text() == (REPO / "helpers" / "__init__.py").read_text()
    assert oct(copied.stat().st_mode & 0o777) == oct(0o644)
