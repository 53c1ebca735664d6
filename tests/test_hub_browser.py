"""A whole assignment on the course's JupyterHub, played by five Unix users in a real browser.

The hub is the one ``make hub`` runs (nbcourse.hub, hub/jupyterhub_config.py: PAM logins,
each user's JupyterLab a local process running as that user, the formgrader a hub
service), on a throw-away state folder under /srv with the fast ``00_sample`` assignment
and test users named ``dlt-*``. Headless Chromium (Debian's, through Playwright) plays:

1. the instructor releases (``python -m nbcourse release``, as the instructor's Unix user);
2. three students log in, fetch, answer (right / partly wrong / blank), Validate, submit;
3. from a student's shell (``runuser``): no listing or reading of classmates' submissions
   or homes, the instructor's source/ or gradebook; a submission forged in a classmate's
   name is refused at collect and the classmate's own is collected;
4. the instructor collects and autogrades (sandboxed, 2 workers);
5. the TA grades the written answer of one submission with a comment in the formgrader;
6. the instructor regrades (the TA's score stays), makes and releases feedback, exports;
7. each student fetches their feedback and sees their own score, and only the student
   the TA graded sees the TA's comment.

Screenshots of each step go to ``test-artifacts/hub/``. Run it alone with ``-m hub``.
"""
from __future__ import annotations

import csv
import json
import os
import pwd
import shlex
import shutil
import signal
import tempfile
from pathlib import Path
from urllib.parse import quote

import pytest

from nbcourse.course import Course
from nbcourse.hub import (SERVICE, HubSite, People, as_user, install_proxy, instructor_command, prepare,
                          running_hub)
from tests.support.browser import CHROMIUM, launch
from tests.support.lab_page import answer_next, open_assignment_list, save, write_answer
from tests.support.labserver import SETTINGS, free_port
from tests.support.sample import SAMPLE, sample_course

pytestmark = [pytest.mark.hub, pytest.mark.xdist_group("hub")]  # its own group: it runs while the explorers do

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "hub"
PEOPLE = People.named("dlt-")
ALICE, BOB, CAROL = PEOPLE.students
SIGMOID = "sigmoid = lambda z: 1 / (1 + np.exp(-z))"
MSE_RIGHT = "mse = lambda y_hat, y: np.mean((y_hat - y) ** 2)"
MSE_WRONG = "mse = lambda y_hat, y: np.sum((y_hat - y) ** 2)"
# student -> (answers typed into the code cells in order, written answer or None)
PLAYS = {
    ALICE: ([SIGMOID, MSE_RIGHT], "It squashes any real number into (0, 1), like a probability."),
    BOB: ([SIGMOID, MSE_WRONG], "Because it is smooth."),
    CAROL: ([], None),
}
AUTO_SCORES = {ALICE: 5.0, BOB: 2.0, CAROL: 0.0}  # test_sigmoid 2 + test_mse 3; why_sigmoid (1) is manual
TA_COMMENT = "Right idea: say also that it is monotonic, so a larger z means a likelier class."


def _reset_test_home(name: str) -> None:
    """Start a test user's home afresh (only the dlt-* users this test owns): no earlier fetch or state."""
    try:
        home = Path(pwd.getpwnam(name).pw_dir)
    except KeyError:
        return
    for leftover in (home / SAMPLE, home / ".local", home / ".jupyter", home / ".cache"):
        if leftover.is_dir():
            shutil.rmtree(leftover)


def _lab_settings(name: str) -> None:
    """Quiet, windowless JupyterLab for a test user (as the browser tests' own servers have)."""
    entry = pwd.getpwnam(name)
    for plugin, values in SETTINGS.items():
        path = Path(entry.pw_dir) / ".jupyter" / "lab" / "user-settings" / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    for dirpath, _, filenames in os.walk(Path(entry.pw_dir) / ".jupyter"):
        os.chown(dirpath, entry.pw_uid, entry.pw_gid)
        for filename in filenames:
            os.chown(os.path.join(dirpath, filename), entry.pw_uid, entry.pw_gid)


def _stop_processes_of(names) -> None:
    """Kill what the hub left running as the test users (servers, kernels): they are this test's."""
    uids = {pwd.getpwnam(name).pw_uid for name in names}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid in uids:
                    os.kill(int(entry.name), signal.SIGKILL)
            except (FileNotFoundError, ProcessLookupError):
                pass


@pytest.fixture(scope="module")
def hub():
    """The course hub on a fresh state folder; yields the HubSite; everything stopped and removed after."""
    if os.geteuid() != 0:
        pytest.skip("the hub starts servers as other Unix users: run as root")
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    pytest.importorskip("playwright.sync_api")
    install_proxy()
    for name in PEOPLE.everyone:
        _reset_test_home(name)
    state = Path(tempfile.mkdtemp(prefix="nbcourse-hub-test-", dir="/srv"))
    ports = [free_port() for _ in range(4)]
    site = HubSite(state, PEOPLE, ip="127.0.0.1", port=ports[0], hub_port=ports[1], proxy_api_port=ports[2],
                   service_port=ports[3])
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        sample_course(site.course_dir)
        prepare(site, Course(site.course_dir), [SAMPLE])
        for name in PEOPLE.everyone:
            _lab_settings(name)
        with running_hub(site, state / "hub.log"):
            yield site
    finally:
        _stop_processes_of(PEOPLE.everyone)
        if (state / "hub.log").exists():
            shutil.copy(state / "hub.log", ARTIFACTS / "hub.log")
        shutil.rmtree(state, ignore_errors=True)


def _login(page, site: HubSite, name: str, next_path: str) -> None:
    """Log in on the hub's login page as ``name``, going on to ``next_path``."""
    page.goto(f"{site.url}/hub/login?next={quote(next_path)}")
    page.fill("#username_input", name)
    page.fill("#password_input", site.passwords[name])
    page.click("#login_submit")


def _student_submits(browser, site: HubSite, name: str):
    """One student's session: log in, fetch, answer, Validate, submit. Returns the page (still logged in)."""
    from playwright.sync_api import expect

    answers, written = PLAYS[name]
    page = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
    page.set_default_timeout(120_000)
    lab = f"/user/{name}/lab"
    _login(page, site, name, f"/hub/spawn/{name}")  # the hub starts the student's own server, then opens Lab
    page.locator(".jp-LabShell").wait_for(timeout=300_000)
    page.screenshot(path=str(ARTIFACTS / f"1-{name}-logged-in.png"))

    open_assignment_list(page)
    released = page.locator("#released_assignments_list .list_item", has_text=SAMPLE)
    expect(released).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / f"2-{name}-released.png"))
    released.get_by_role("button", name="Fetch").click()
    expect(page.locator("#fetched_assignments_list .list_item", has_text=SAMPLE).first).to_be_visible()

    page.goto(f"{site.url}{lab}/tree/{SAMPLE}/{SAMPLE}.ipynb")
    page.locator(".jp-Notebook .jp-Cell").first.wait_for()
    for text in answers:
        answer_next(page, text)
    if written:
        write_answer(page, written)
    save(page)
    page.screenshot(path=str(ARTIFACTS / f"3-{name}-answered.png"))

    page.locator(".validate-button").first.click()
    message = page.locator("#validation-message")
    expect(message).to_be_visible(timeout=180_000)
    page.screenshot(path=str(ARTIFACTS / f"4-{name}-validated.png"))
    if name == ALICE:
        expect(message).to_contain_text("Success! Your notebook passes all the tests.")
    else:
        expect(message).not_to_contain_text("Success!")
    page.keyboard.press("Escape")

    page.goto(f"{site.url}{lab}")
    page.locator(".jp-LabShell").wait_for()
    open_assignment_list(page)
    page.locator("#fetched_assignments_list .list_item", has_text=SAMPLE).first.get_by_role(
        "button", name="Submit").click()
    expect(page.locator("#submitted_assignments_list .list_item", has_text=SAMPLE).first).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / f"5-{name}-submitted.png"))
    return page


def _inbound(site: HubSite) -> Path:
    return site.exchange / "dl-intro" / "inbound"


def _shell(site: HubSite, name: str, command: str):
    """``command`` run by ``bash -c`` as the Unix user ``name``; the CompletedProcess (not checked)."""
    return as_user(name, ["bash", "-c", command], site.bin, check=False, timeout=120)


def _students_cannot_reach_each_other(site: HubSite) -> None:
    """Point 3 of the issue, from Carol's shell: what she may not list, read, change or forge."""
    alice = next(_inbound(site).glob(f"{ALICE}+{SAMPLE}+*"))
    alice_submission = shlex.quote(str(alice))  # its name holds spaces (nbgrader's timestamp)
    course = site.course_dir
    denied = {
        "list the inbound submissions": f"ls {_inbound(site)}",
        "read Alice's submission (even knowing its secret name)": f"cat {alice_submission}/{SAMPLE}.ipynb",
        "change Alice's submission": f"echo x > {alice_submission}/{SAMPLE}.ipynb",
        "add a file to Alice's submission": f"touch {alice_submission}/extra.py",
        "move Alice's submission away": f"mv {alice_submission} {_inbound(site)}/{CAROL}+{SAMPLE}+x+y",
        "delete Alice's submission": f"rm -rf {alice_submission}",
        "list Alice's home": f"ls /home/{ALICE}",
        "read Alice's notebook at home": f"cat /home/{ALICE}/{SAMPLE}/{SAMPLE}.ipynb",
        "read the instructor's source/": f"cat {course}/source/{SAMPLE}/{SAMPLE}.ipynb",
        "read the gradebook": f"cat {course}/gradebook.db",
        "list the course directory": f"ls {course}",
        "read the repository's solutions": f"ls {Path(__file__).resolve().parent.parent / 'source'}",
    }
    allowed = []
    for what, command in denied.items():
        result = _shell(site, CAROL, command)
        if result.returncode == 0:
            allowed.append(f"{what}: `{command}` succeeded")
    assert not allowed, "a student could:\n" + "\n".join(allowed)
    assert (alice / f"{SAMPLE}.ipynb").read_text().count("np.exp(-z)"), "Alice's submission was changed"
    assert sorted(path.name for path in alice.iterdir()) == [f"{SAMPLE}.ipynb", "submission_secret.txt",
                                                             "timestamp.txt"]

    # Carol forges a blank submission in Alice's name, later than Alice's, as the attack did.
    outbound = site.exchange / "dl-intro" / "outbound" / SAMPLE / f"{SAMPLE}.ipynb"
    forged = f"{_inbound(site)}/{ALICE}+{SAMPLE}+2099-01-01 00:00:00.000000 UTC+forged"
    result = _shell(site, CAROL, f"mkdir '{forged}' && cp {outbound} '{forged}/' && "
                                 f"echo '2099-01-01 00:00:00.000000 UTC' > '{forged}/timestamp.txt'")
    assert result.returncode == 0, result.stderr  # inbound/ is writable: the defence is at collect


def _gradebook_rows(site: HubSite) -> dict[str, dict]:
    instructor_command(site, "export", SAMPLE)
    with open(site.course_dir / "reports" / "grades.csv") as handle:
        return {row["student"]: row for row in csv.DictReader(handle)}


def _saved(response, api: str) -> bool:
    """Whether ``response`` answers the formgrader's PUT that saves one field through ``api``."""
    return api in response.url and response.request.method == "PUT"


def _ta_grades_alice(browser, site: HubSite) -> None:
    """The TA opens the formgrader through the hub and grades Alice's written answer with a comment."""
    from nbgrader.api import Gradebook
    from playwright.sync_api import expect

    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    page.set_default_timeout(120_000)
    formgrader = f"/services/{SERVICE}/formgrader"
    _login(page, site, PEOPLE.ta, f"{formgrader}/gradebook/{SAMPLE}/{SAMPLE}")
    expect(page.locator("body")).to_contain_text("Submission #", timeout=120_000)
    page.screenshot(path=str(ARTIFACTS / "7-ta-submissions.png"))
    with Gradebook(f"sqlite:///{site.course_dir / 'gradebook.db'}", "dl-intro") as gradebook:
        submission_id = gradebook.find_submission_notebook(SAMPLE, SAMPLE, ALICE).id
    page.goto(f"{site.url}{formgrader}/submissions/{submission_id}/")
    score = page.locator("input.score#why_sigmoid")
    expect(score).to_be_visible()
    expect(page.locator("body")).to_contain_text(PLAYS[ALICE][1])
    # The formgrader binds its save handlers only once the page has loaded and its grades and
    # comments have come back from the API; a value typed before then is never saved (CI, slow).
    page.wait_for_function(
        "() => window.formgrader && formgrader.grades && formgrader.grades.loaded"
        " && formgrader.comments && formgrader.comments.loaded")
    # The formgrader saves each field on change with a PUT of its own; the test goes on once
    # both have been answered, however long a loaded machine takes (a fixed wait was not enough).
    with page.expect_response(lambda response: _saved(response, "/api/grade/")) as grade_saved:
        score.fill("1")
        score.press("Tab")
    comment = page.locator("textarea#why_sigmoid-comment")
    with page.expect_response(lambda response: _saved(response, "/api/comment/")) as comment_saved:
        comment.fill(TA_COMMENT)
        comment.press("Tab")
    assert grade_saved.value.ok and comment_saved.value.ok, (grade_saved.value.status, comment_saved.value.status)
    page.screenshot(path=str(ARTIFACTS / "8-ta-grades.png"))
    page.context.close()


def _student_reads_feedback(site: HubSite, page, name: str) -> str:
    """The student fetches their feedback in the Assignments panel and opens it; returns its text."""
    from playwright.sync_api import expect

    lab = f"/user/{name}/lab"
    page.goto(f"{site.url}{lab}")
    page.locator(".jp-LabShell").wait_for()
    open_assignment_list(page)
    submitted = page.locator("#submitted_assignments_list .list_item", has_text=SAMPLE).first
    submitted.get_by_role("button", name="Fetch Feedback").click()
    home = Path(pwd.getpwnam(name).pw_dir)
    expect(page.locator("#submitted_assignments_list", has_text="view feedback")).to_be_visible()
    pages = sorted((home / SAMPLE / "feedback").glob("*/*.html"))
    assert [p.name for p in pages] == [f"{SAMPLE}.html"], pages  # their own, one submission: one page
    page.goto(f"{site.url}/user/{name}/files/{SAMPLE}/feedback/{pages[0].parent.name}/{SAMPLE}.html")
    page.wait_for_load_state()
    page.screenshot(path=str(ARTIFACTS / f"10-{name}-feedback.png"), full_page=True)
    return page.locator("body").inner_text()


def test_a_whole_assignment_on_the_hub(hub):
    from playwright.sync_api import sync_playwright

    site = hub
    output = instructor_command(site, "release", SAMPLE).stdout
    assert "released" in output
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            pages = {name: _student_submits(browser, site, name) for name in PLAYS}

            _students_cannot_reach_each_other(site)

            collected = instructor_command(site, "collect", SAMPLE)
            assert f"REFUSED a submission in {ALICE}'s name" in collected.stderr, collected.stderr
            assert f"owned by {CAROL}, not by {ALICE}" in collected.stderr
            alice_nb = (site.course_dir / "submitted" / ALICE / SAMPLE / f"{SAMPLE}.ipynb").read_text()
            assert "np.exp(-z)" in alice_nb and PLAYS[ALICE][1] in alice_nb  # her own, not the forged blank
            assert sorted(p.name for p in (site.course_dir / "submitted").iterdir()) == sorted(PLAYS)

            graded = instructor_command(site, "autograde", SAMPLE, "--workers", "2")
            assert "3 scored" in graded.stdout, graded.stdout
            rows = _gradebook_rows(site)
            assert {name: float(rows[name]["score"]) for name in PLAYS} == AUTO_SCORES

            _ta_grades_alice(browser, site)
            rows = _gradebook_rows(site)
            assert float(rows[ALICE]["score"]) == AUTO_SCORES[ALICE] + 1, rows[ALICE]

            # A regrade by the instructor keeps the TA's score.
            instructor_command(site, "autograde", SAMPLE, "--workers", "2")
            rows = _gradebook_rows(site)
            assert {name: float(rows[name]["score"]) for name in PLAYS} == {**AUTO_SCORES, ALICE: 6.0}

            instructor_command(site, "feedback", SAMPLE)
            instructor_command(site, "release-feedback", SAMPLE)
            instructor_command(site, "report")
            result = _shell(site, CAROL, f"ls {site.exchange}/dl-intro/feedback")
            assert result.returncode != 0, "a student could list everyone's feedback"

            texts = {name: _student_reads_feedback(site, pages[name], name) for name in PLAYS}
        finally:
            browser.close()
    assert TA_COMMENT in texts[ALICE]
    for name in (BOB, CAROL):
        assert TA_COMMENT not in texts[name] and PLAYS[ALICE][1] not in texts[name]
    assert PLAYS[BOB][1] in texts[BOB] and PLAYS[BOB][1] not in texts[ALICE]
    for name, total in {**AUTO_SCORES, ALICE: 6.0}.items():
        assert f"{SAMPLE} (Score: {total:.1f} / 6.0)" in texts[name], (name, texts[name][:500])
