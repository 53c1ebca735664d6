"""The student's side in a real browser: fetch, edit, Validate, submit; the instructor collects.

Two folders stand for two people sharing one exchange directory: the instructor's
course (``python -m nbcourse release`` / ``collect``) and the student's home, served by
JupyterLab with nbgrader's extensions on 127.0.0.1 (random port, token). Headless
Chromium (Debian's /usr/bin/chromium, driven by Playwright) plays the student.
Screenshots of each step go to ``test-artifacts/pipeline-browser/``.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from nbcourse.course import nbgrader_env
from nbcourse.generate import generate
from tests.support.browser import CHROMIUM, launch
from tests.support.lab_page import answer_next, open_assignment_list, save, write_answer
from tests.support.labserver import running_lab
from tests.support.sample import SAMPLE, sample_course

pytestmark = pytest.mark.xdist_group("browser")

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "pipeline-browser"
# One line each, so the editor's auto-indent cannot get in the way.
ANSWERS = {"sigmoid": "sigmoid = lambda z: 1 / (1 + np.exp(-z))",
           "mse": "mse = lambda y_hat, y: np.mean((y_hat - y) ** 2)"}

WRITTEN = "It maps every real number into (0, 1), so the output reads as a probability."


def _course_cli(*args: str) -> str:
    result = subprocess.run([sys.executable, "-m", "nbcourse", *args], env=nbgrader_env(),
                            capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


@pytest.fixture
def lab(tmp_path):
    """JupyterLab serving the student's folder; yields (server, student folder, exchange, course)."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    pytest.importorskip("playwright.sync_api")
    course = sample_course(tmp_path / "instructor")
    generate(course, progress=False)
    exchange = tmp_path / "exchange"
    student = tmp_path / "student"
    student.mkdir()
    (student / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        "c.CourseDirectory.course_id = 'dl-intro'\n"
        f"c.Exchange.root = {str(exchange)!r}\n"
        f"c.Exchange.cache = {str(tmp_path / 'student-cache')!r}\n"
    )
    state = tmp_path / "jupyter"
    with running_lab(student, state, env={"JUPYTER_CONFIG_DIR": str(state / "config")}) as server:
        yield server, student, exchange, course


def test_student_fetches_validates_submits_and_instructor_collects(lab):
    from playwright.sync_api import expect, sync_playwright

    server, student_dir, exchange, course = lab
    _course_cli("release", SAMPLE, "--course", str(course.root), "--exchange", str(exchange))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.set_default_timeout(60_000)
            page.goto(server.page("lab"))
            page.locator(".jp-LabShell").wait_for()

            # nbgrader's Assignments panel lists the released assignment; fetch it.
            open_assignment_list(page)
            released = page.locator("#released_assignments_list .list_item", has_text=SAMPLE)
            expect(released).to_be_visible()
            page.screenshot(path=str(ARTIFACTS / "1-released.png"))
            released.get_by_role("button", name="Fetch").click()
            fetched = page.locator("#fetched_assignments_list .list_item", has_text=SAMPLE).first
            expect(fetched).to_be_visible()
            assert (student_dir / SAMPLE / f"{SAMPLE}.ipynb").is_file()

            # Open the notebook, answer both questions, save.
            page.goto(server.page(f"lab/tree/{SAMPLE}/{SAMPLE}.ipynb"))
            page.locator(".jp-Notebook .jp-Cell").first.wait_for()
            for text in ANSWERS.values():  # the answer cells come in this order
                answer_next(page, text)
            write_answer(page, WRITTEN)
            save(page)
            page.screenshot(path=str(ARTIFACTS / "2-answered.png"))

            # Validate runs the visible tests and says so clearly.
            page.locator(".validate-button").first.click()
            message = page.locator("#validation-message")
            expect(message).to_be_visible(timeout=180_000)
            page.screenshot(path=str(ARTIFACTS / "3-validated.png"))
            expect(message).to_contain_text("Success! Your notebook passes all the tests.")
            page.keyboard.press("Escape")

            # Submit from the Assignments panel.
            page.goto(server.page("lab"))
            page.locator(".jp-LabShell").wait_for()
            open_assignment_list(page)
            fetched = page.locator("#fetched_assignments_list .list_item", has_text=SAMPLE).first
            fetched.get_by_role("button", name="Submit").click()
            expect(page.locator("#submitted_assignments_list .list_item", has_text=SAMPLE).first).to_be_visible()
            page.screenshot(path=str(ARTIFACTS / "4-submitted.png"))
        finally:
            browser.close()

    # The instructor collects the submission, with the student's answers in it.
    output = _course_cli("collect", SAMPLE, "--course", str(course.root), "--exchange", str(exchange))
    submitted = list(course.submitted.glob(f"*/{SAMPLE}/{SAMPLE}.ipynb"))
    assert len(submitted) == 1, output
    text = submitted[0].read_text()
    assert all(line.replace('"', '\\"') in text for line in ANSWERS.values())
    assert WRITTEN in text
