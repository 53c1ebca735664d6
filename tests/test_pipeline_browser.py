"""The student's side in a real browser: fetch, edit, Validate, submit; the instructor collects.

Two folders stand for two people sharing one exchange directory: the instructor's
course (``python -m nbcourse release`` / ``collect``) and the student's home, served by
JupyterLab with nbgrader's extensions on 127.0.0.1 (random port, token). Headless
Chromium (Debian's /usr/bin/chromium, driven by Playwright) plays the student.
Screenshots of each step go to ``test-artifacts/pipeline-browser/``.
"""
from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from nbcourse.course import nbgrader_env
from nbcourse.generate import generate
from nbcourse.sample import SAMPLE, sample_course

pytestmark = pytest.mark.xdist_group("browser")

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "pipeline-browser"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
# One line each, so the editor's auto-indent cannot get in the way.
ANSWERS = {"sigmoid": "sigmoid = lambda z: 1 / (1 + np.exp(-z))",
           "mse": "mse = lambda y_hat, y: np.mean((y_hat - y) ** 2)"}

WRITTEN = "It maps every real number into (0, 1), so the output reads as a probability."


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _course_cli(*args: str) -> str:
    result = subprocess.run([sys.executable, "-m", "nbcourse", *args], env=nbgrader_env(),
                            capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


@pytest.fixture
def lab(tmp_path):
    """JupyterLab serving the student's folder; yields (url, token, student folder, exchange, course)."""
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
    token, port = secrets.token_hex(16), _free_port()
    env = nbgrader_env({name: str(tmp_path / "jupyter" / name.lower()) for name in
                        ("JUPYTER_CONFIG_DIR", "JUPYTER_RUNTIME_DIR", "JUPYTERLAB_WORKSPACES_DIR")})
    env.pop("NBGRADER_EXCHANGE", None)
    log = open(tmp_path / "lab.log", "w")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
         f"--ServerApp.port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
         f"--ServerApp.root_dir={student}", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate", "--LabApp.news_url=",
         *(["--allow-root"] if os.geteuid() == 0 else [])],
        cwd=student, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
                break
            except OSError:
                assert server.poll() is None, (tmp_path / "lab.log").read_text()[-3000:]
                assert time.monotonic() < deadline, "JupyterLab did not start within 90 s"
                time.sleep(0.5)
        yield url, token, student, exchange, course
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def _answer_next(page, text: str) -> None:
    """Replace the first answer cell still holding "YOUR CODE HERE" by typing ``text`` into its editor."""
    cell = page.locator(".jp-Notebook .jp-Cell", has=page.locator(".cm-content", has_text="YOUR CODE HERE")).first
    cell.locator(".cm-content").click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(text)


def _open_assignment_list(page) -> None:
    """Nbgrader menu -> Assignment List (nbgrader's panel for fetching and submitting)."""
    page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click()
    page.locator(".lm-Menu-itemLabel", has_text="Assignment List").click()


def test_student_fetches_validates_submits_and_instructor_collects(lab):
    from playwright.sync_api import expect, sync_playwright

    url, token, student_dir, exchange, course = lab
    _course_cli("release", SAMPLE, "--course", str(course.root), "--exchange", str(exchange))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.set_default_timeout(60_000)
            page.goto(f"{url}/lab?token={token}")
            page.locator(".jp-LabShell").wait_for()

            # nbgrader's Assignments panel lists the released assignment; fetch it.
            _open_assignment_list(page)
            released = page.locator("#released_assignments_list .list_item", has_text=SAMPLE)
            expect(released).to_be_visible()
            page.screenshot(path=str(ARTIFACTS / "1-released.png"))
            released.get_by_role("button", name="Fetch").click()
            fetched = page.locator("#fetched_assignments_list .list_item", has_text=SAMPLE).first
            expect(fetched).to_be_visible()
            assert (student_dir / SAMPLE / f"{SAMPLE}.ipynb").is_file()

            # Open the notebook, answer both questions, save.
            page.goto(f"{url}/lab/tree/{SAMPLE}/{SAMPLE}.ipynb?token={token}")
            page.locator(".jp-Notebook .jp-Cell").first.wait_for()
            for text in ANSWERS.values():  # the answer cells come in this order
                _answer_next(page, text)
            written = page.locator(".jp-MarkdownCell", has_text="YOUR ANSWER HERE").first
            written.dblclick()
            written.locator(".cm-content").click()
            page.keyboard.press("ControlOrMeta+a")
            page.keyboard.type(WRITTEN)
            page.keyboard.press("Shift+Enter")
            page.keyboard.press("Escape")
            page.keyboard.press("ControlOrMeta+s")
            page.wait_for_timeout(1500)
            page.screenshot(path=str(ARTIFACTS / "2-answered.png"))

            # Validate runs the visible tests and says so clearly.
            page.locator(".validate-button").first.click()
            message = page.locator("#validation-message")
            expect(message).to_be_visible(timeout=180_000)
            page.screenshot(path=str(ARTIFACTS / "3-validated.png"))
            expect(message).to_contain_text("Success! Your notebook passes all the tests.")
            page.keyboard.press("Escape")

            # Submit from the Assignments panel.
            page.goto(f"{url}/lab?token={token}")
            page.locator(".jp-LabShell").wait_for()
            _open_assignment_list(page)
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
