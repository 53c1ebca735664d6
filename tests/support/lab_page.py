"""What a person does in a JupyterLab page, for the browser tests and the browser benchmark:
run every cell, open nbgrader's assignment list, type answers (Playwright ``page`` objects)."""
from __future__ import annotations

IDLE_JS = """() => document.body.textContent.includes('Kernel status: Idle')"""

STARTED_JS = r"""() => [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')]
    .some(n => /\[(\*|\d+)\]/.test(n.innerText))"""

DONE_JS = """() => {
    if (document.querySelector('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"] pre')
        && [...document.querySelectorAll('.jp-OutputArea-output')].some(n => /Traceback/.test(n.innerText))) {
        return true;  // an error stops Run All: stop waiting, the caller's error check reports it
    }
    const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')].map(n => n.innerText);
    return prompts.length > 0 && prompts.every(text => /\\[\\d+\\]/.test(text));
}"""


def run_all_cells(page, timeout_s: float = 300) -> None:
    """Run > Run All Cells, retried until the first cell starts (a click can land before Lab is
    ready); returns once every cell has run (or one failed), within ``timeout_s`` seconds."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.locator(".jp-Notebook").wait_for(timeout=90_000)
    page.wait_for_function(IDLE_JS, timeout=90_000, polling=500)
    for _attempt in range(3):
        page.locator(".jp-Notebook .jp-Cell").first.click()
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
        try:
            page.wait_for_function(STARTED_JS, timeout=10_000, polling=250)
            break
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    page.wait_for_function(DONE_JS, timeout=timeout_s * 1000, polling=500)


def open_assignment_list(page) -> None:
    """Nbgrader menu -> Assignment List (nbgrader's panel for fetching and submitting)."""
    page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click()
    page.locator(".lm-Menu-itemLabel", has_text="Assignment List").click()


def answer_next(page, text: str) -> None:
    """Replace the first answer cell still holding "YOUR CODE HERE" by typing ``text`` into its editor."""
    cell = page.locator(".jp-Notebook .jp-Cell", has=page.locator(".cm-content", has_text="YOUR CODE HERE")).first
    cell.locator(".cm-content").click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(text)


def write_answer(page, text: str) -> None:
    """Type ``text`` into the first written-answer cell ("YOUR ANSWER HERE") and render it."""
    cell = page.locator(".jp-MarkdownCell", has_text="YOUR ANSWER HERE").first
    cell.dblclick()
    cell.locator(".cm-content").click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(text)
    page.keyboard.press("Shift+Enter")
    page.keyboard.press("Escape")


def save(page) -> None:
    """Save the notebook (and give the save a moment to reach the server)."""
    page.keyboard.press("ControlOrMeta+s")
    page.wait_for_timeout(1500)
