"""``HideHiddenTests``: the student's feedback shows each test's verdict, never the hidden tests.

nbgrader's ``generate_feedback`` renders the autograded notebook as it is: every test cell
with its hidden region (``### BEGIN HIDDEN TESTS`` ... ``### END HIDDEN TESTS``) and
tracebacks whose frames quote the hidden lines that failed. With this preprocessor in
``GenerateFeedback.preprocessors`` (``nbgrader_config.py``), the feedback page instead
shows, for each test cell:

- its visible part (the source the student already had), then a comment saying that
  hidden tests ran;
- its points and score (nbgrader's ``GetGrades``, unchanged);
- for a failure, the error's name and message (the failing check's name, what was
  expected, what came back, the hint) and the traceback frames that are not the test
  cell's own code: the student's functions, the libraries they called.

The hidden lines are taken from the gradebook (the source cells nbgrader saved at
``generate_assignment``), not from the autograded notebook, which the student's code may
have influenced; only a test cell the gradebook lacks is cut at its own markers. Every output of every cell is also cleaned of lines quoting a
hidden line, so a student's function that prints the test calling it shows nothing of it.

The instructor's autograded notebooks are not touched: this runs on the copy nbgrader
renders to HTML. ``c.HideHiddenTests.enabled = False`` gives nbgrader's full feedback.
"""
from __future__ import annotations

import html
import re

from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader import utils
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.preprocessors import ClearHiddenTests, NbGraderPreprocessor
from traitlets import List, Unicode

ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")
TAG = re.compile(r"<[^>]*>")
# Lines too short or too common to name a test (")", "else:", "pass") are not looked for.
MIN_SIGNIFICANT = 4


def plain(text: str) -> str:
    """``text`` without ANSI colour escapes, each run of blanks made one space."""
    return " ".join(ANSI_ESCAPE.sub("", text).split())


def significant(line: str) -> bool:
    """Whether ``line`` is long enough to say something (``)`` or ``pass`` is not)."""
    text = plain(line)
    return len(text) >= MIN_SIGNIFICANT and any(char.isalnum() for char in text) and text != "pass"


def split_hidden(source: str, begin: str, end: str) -> tuple[str, list[str]]:
    """(the source without its hidden regions and markers, the lines inside those regions)."""
    visible, hidden, inside = [], [], False
    for line in source.split("\n"):
        if begin in line:
            inside = True
        elif end in line:
            inside = False
        elif inside:
            hidden.append(line)
        else:
            visible.append(line)
    return "\n".join(visible).rstrip("\n"), hidden


def mentions(text: str, lines: set[str]) -> bool:
    """Whether ``text`` (ANSI escapes and spacing ignored) contains one of the ``plain`` ``lines``."""
    flat = plain(text)
    return any(line in flat for line in lines)


def without_lines(text: str, lines: set[str]) -> str:
    """``text`` without the lines that contain one of ``lines`` (ANSI escapes ignored)."""
    kept = [line for line in text.splitlines(keepends=True) if not mentions(line, lines)]
    return "".join(kept)


class HideHiddenTests(NbGraderPreprocessor):
    """Feedback without hidden tests (module docstring); ``enabled = False`` turns it off."""

    # Declared configurable as nbgrader's GetGrades does, so that the HTML exporter's setting of
    # it for every NbConvertBase is accepted without a warning.
    display_data_priority = List(NbGraderPreprocessor.display_data_priority.default_value).tag(config=True)

    hidden_note = Unicode(
        "# ... and hidden tests, not shown in the feedback",
        help="Line appended to the visible part of each test cell that had hidden tests",
    ).tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        """Load the test cells of this notebook from the gradebook, then clean every cell."""
        info = resources["nbgrader"]
        self._begin, self._end = self._delimiters()
        self._tests = self._test_sources(info["db_url"], info["notebook"], info["assignment"])
        hidden = set()
        for source in self._tests.values():
            hidden.update(plain(line) for line in split_hidden(source, self._begin, self._end)[1]
                          if significant(line))
        self._hidden = hidden
        return super().preprocess(nb, resources)

    def _delimiters(self) -> tuple[str, str]:
        """The hidden-test markers: ClearHiddenTests' defaults, or the course's own from its config."""
        configured = self.config.get("ClearHiddenTests", {})
        defaults = ClearHiddenTests.class_traits()
        return tuple(configured.get(name, defaults[name].default_value)
                     for name in ("begin_test_delimeter", "end_test_delimeter"))

    def _test_sources(self, db_url: str, notebook: str, assignment: str) -> dict[str, str]:
        """grade id -> full source (hidden tests included) of every autograded test cell, as generated."""
        with Gradebook(db_url) as gradebook:
            try:
                found = gradebook.find_notebook(notebook, assignment)
            except MissingEntry:
                return {}
            tests = {cell.name for cell in found.grade_cells if cell.cell_type == "code"}
            return {cell.name: cell.source for cell in found.source_cells if cell.name in tests}

    def preprocess_cell(self, cell: NotebookNode, resources: ResourcesDict, index: int):
        """A test cell keeps its visible part and clean outputs; any other cell, clean outputs."""
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if cell.cell_type != "code":
            return cell, resources
        source = self._tests.get(grade_id)
        if source is None and utils.is_grade(cell) and not utils.is_solution(cell):
            source = cell.source  # a gradebook without this cell's source: what nbgrader ran
        if source is not None:
            visible, hidden = split_hidden(source, self._begin, self._end)
            cell.source = visible + ("\n" + self.hidden_note if hidden else "")
            own_lines = {plain(line) for line in source.split("\n") if significant(line)}
        else:
            # Not a test cell: a line of its source equal to a hidden line is the hidden line
            # (a test cell pasted or put back without its metadata), not the student's idea.
            cell.source = "\n".join(self.hidden_note if significant(line) and plain(line) in self._hidden
                                    else line for line in cell.source.split("\n"))
            own_lines = set()
        cell.outputs = [self._clean(output, own_lines | self._hidden) for output in cell.get("outputs", [])]
        return cell, resources

    def _clean(self, output: NotebookNode, lines: set[str]) -> NotebookNode:
        """One output without traceback frames or text lines that quote ``lines``."""
        kind = output.get("output_type")
        if kind == "error":
            output.evalue = without_lines(output.get("evalue", ""), self._hidden)
            # A frame of the test cell quotes its code around the failing line: drop the frame whole.
            output.traceback = [entry for entry in output.get("traceback", []) if not mentions(entry, lines)]
        elif kind == "stream":
            output.text = without_lines(output.get("text", ""), lines)
        elif kind in ("display_data", "execute_result"):
            data = output.get("data", {})
            for mime in [mime for mime, value in data.items() if mime != "text/plain" and isinstance(value, str)]:
                # HTML, Markdown, JavaScript... escape and wrap the code they quote: judge their
                # text without tags or entities, and keep text/plain (cleaned below) rather than
                # edit markup. (Tags go without a space: highlighting splits a line into spans.)
                if mentions(html.unescape(TAG.sub("", data[mime])), lines):
                    del data[mime]
            if isinstance(data.get("text/plain"), str):
                data["text/plain"] = without_lines(data["text/plain"], lines)
        return output
