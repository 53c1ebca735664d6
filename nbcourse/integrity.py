"""A test cell scores only if it provably ran to its end, as the instructor wrote it.

Plain nbgrader gives a test cell its points when the cell's outputs hold no error. A
student's code runs in the same kernel before the tests, so it can make a failing test
produce no error: an IPython input transformer that empties later cells, a custom
exception handler that swallows the ``AssertionError``, a replaced ``np.allclose``...
This module adds three steps to every autograde run (see ``docs/security.md``):

1. :class:`InjectProofs` (before execution) adds a trusted *guard* cell before any
   student cell, an ``enter`` cell before every test cell, and one last line to every
   test cell::

       __nbcourse_guard__.proof("test_square", "<nonce>")

   The guard, installed before any student code runs, keeps pristine references (NumPy
   and ``helpers`` module namespaces, ``builtins``, IPython's transformer lists, event
   callbacks and exception handlers, the names the instructor's notebook imports).
   ``enter`` puts all of that back before the test cell runs and notes what the
   student had changed. ``proof`` runs only if every line above it ran without an
   exception; it checks that nothing was changed *during* the test, that it is called
   by IPython's own ``run_code`` from the cell's top level, and hashes the source that
   IPython actually compiled. It publishes an HMAC of (grade id, nonce, that hash,
   status) under a key the guard read from a file and deleted before any student code.
2. :class:`CheckProofs` (right after execution, outside the kernel) checks each test
   cell for exactly one valid proof of the expected source; a test cell that shows no
   error but has no valid proof gets an ``IntegrityError`` output, so nbgrader scores
   it 0 and the feedback says why. It removes the injected cells and lines again.
3. :func:`verify` (called by the grader on the autograded notebook) recomputes every
   proof from the run's token and the restored test sources, and names each test cell
   that lacks one.

The nonce of a test cell is unknown to the kernel until that cell is sent, and the
MAC key lives only in the guard's closure. Code in the same kernel can in principle
still dig the key out of that closure and forge a proof; what that takes is written in
``docs/security.md``.
"""
from __future__ import annotations

import ast
import asyncio
import copy
import hashlib
import hmac
import inspect
import json
import os
import re
import secrets
import signal
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_output

from nbcourse.overrides import Overrides

TOKEN_ENV = "NBCOURSE_INTEGRITY_TOKEN"
GUARD_NAME = "__nbcourse_guard__"
KEY_FILE = ".nbcourse-guard-key"
PROOF_MIME = "application/vnd.nbcourse.proof"
NOTE_MIME = "application/vnd.nbcourse.note"
METADATA_KEY = "nbcourse_integrity"
# Output kept per cell while executing; beyond it, output is dropped with a note (an
# output flood must not exhaust the grader's memory). Errors and proofs are always kept.
MAX_OUTPUT_BYTES = 2_000_000

_NBGRADER = "nbgrader.preprocessors."
AUTOGRADE_PREPROCESSORS = [
    "nbcourse.integrity.InjectProofs",
    "nbcourse.integrity.GuardedExecute",
    "nbcourse.integrity.CheckProofs",
    _NBGRADER + "IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    _NBGRADER + "LimitOutput",
    _NBGRADER + "SaveAutoGrades",
    _NBGRADER + "AssignLatePenalties",
    _NBGRADER + "CheckCellMetadata",
]


def overrides(token: str) -> Overrides:
    """Add the proof steps to an autograde run whose secret is ``token`` (hex, >= 32 digits).

    The token reaches the nbgrader process through the environment; :class:`InjectProofs`
    removes it from ``os.environ`` before any kernel starts, so a kernel never inherits it.
    """
    if not re.fullmatch(r"[0-9a-f]{32,}", token or ""):
        raise ValueError("the integrity token must be at least 32 lowercase hex digits (secrets.token_hex(16))")
    return Overrides(env={TOKEN_ENV: token},
                     config={"Autograde": {"autograde_preprocessors": list(AUTOGRADE_PREPROCESSORS)}})


# --- shared by the preprocessors and verify() ------------------------------------------

def is_test_cell(cell) -> bool:
    """An autograded test cell: nbgrader ``grade`` and not ``solution``, code."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.get("cell_type") == "code" and bool(meta.get("grade")) and not meta.get("solution")


def _grade_id(cell) -> str:
    return cell["metadata"]["nbgrader"]["grade_id"]


def kernel_key(token: str, notebook_nonce: str) -> bytes:
    """The MAC key handed to one notebook's kernel: HMAC(token, notebook nonce)."""
    return hmac.new(bytes.fromhex(token), f"kernel-key:{notebook_nonce}".encode(), hashlib.sha256).digest()


def proof_line(grade_id: str, nonce: str) -> str:
    """The statement appended to a test cell: it runs only if every line above it did."""
    return f"{GUARD_NAME}.proof({grade_id!r}, {nonce!r})"


def with_proof(source: str, grade_id: str, nonce: str) -> str:
    """The test cell's source as executed (its own source, then the proof line)."""
    return source.rstrip("\n") + "\n" + proof_line(grade_id, nonce)


def compiled_source(source: str) -> str:
    """The text IPython compiles for a cell (its input transformations applied)."""
    from IPython.core.inputtransformer2 import TransformerManager

    return TransformerManager().transform_cell(source)


def proof_mac(key: bytes, payload: dict) -> str:
    """HMAC-SHA256 over the canonical JSON of the payload's proof fields."""
    fields = {name: payload[name] for name in ("grade_id", "nonce", "source_sha256", "status")}
    return hmac.new(key, json.dumps(fields, sort_keys=True).encode(), hashlib.sha256).hexdigest()


def check_proof(key: bytes, payload, grade_id: str, nonce: str, executed_source: str) -> str:
    """Why ``payload`` does not prove that ``executed_source`` ran to its end ('' if it does)."""
    if not isinstance(payload, dict):
        return "the proof is not a JSON object"
    missing = {"grade_id", "nonce", "source_sha256", "status", "mac"} - set(payload)
    if missing:
        return f"the proof lacks {sorted(missing)}"
    if not hmac.compare_digest(str(payload["mac"]), proof_mac(key, payload)):
        return "the proof's signature is wrong (forged or altered)"
    if payload["grade_id"] != grade_id or payload["nonce"] != nonce:
        return "the proof belongs to another cell or run"
    expected = hashlib.sha256(compiled_source(executed_source).encode()).hexdigest()
    if payload["source_sha256"] != expected:
        return "the code that ran is not the test cell's code (the cell was rewritten before it ran)"
    if payload["status"] != "ok":
        return f"the grading environment was tampered with during the test: {payload['status']}"
    return ""


def has_error(cell) -> bool:
    """nbgrader scores a test cell 0 when it shows an error or writes to stderr."""
    return any(out.get("output_type") == "error"
               or (out.get("output_type") == "stream" and out.get("name") == "stderr")
               for out in cell.get("outputs", []))


# --- the guard (its source runs in the kernel, before any student cell) ----------------

def _kernel_guard(key_file, instructor_imports):  # pragma: no cover - runs inside the kernel
    """Build the guard object; runs in the grading kernel as the first cell.

    key_file: file holding the hex MAC key (deleted once read)
    instructor_imports: the import statements of the instructor's notebook
    """
    import builtins
    import hashlib
    import hmac
    import json
    import linecache
    import os
    import sys
    import threading

    ip = get_ipython()  # noqa: F821  (IPython's global)
    with open(key_file) as handle:
        key = bytes.fromhex(handle.read().strip())
    os.remove(key_file)

    # Import the instructor's modules with the notebook folder off sys.path, so that a
    # submitted numpy.py or helpers.py cannot stand in for the real package.
    cwd = os.getcwd()
    saved_path = list(sys.path)
    sys.path[:] = [entry for entry in sys.path if entry not in ("", ".", cwd)]
    pristine_names = {}
    for statement in instructor_imports:
        try:
            exec(statement, pristine_names)
        except Exception:  # a missing optional module: the notebook will report it itself
            pass
    pristine_names.pop("__builtins__", None)
    for extra in ("numpy", "numpy.testing", "helpers", "helpers.testing"):
        try:
            __import__(extra)
        except Exception:
            pass
    sys.path[:] = saved_path

    def watched(value):  # data (caches, counters) may change legitimately; code may not
        return callable(value) or isinstance(value, type(sys))

    watched_roots = ("numpy", "helpers")
    modules = {name: module for name, module in sys.modules.items()
               if module is not None and name.split(".")[0] in watched_roots}
    module_dicts = {name: {attr: value for attr, value in vars(module).items()
                           if watched(value) and not attr.startswith("__")}
                    for name, module in modules.items()}
    builtins_dict = {attr: value for attr, value in vars(builtins).items()
                     if watched(value) and not attr.startswith("_")}
    import_function = builtins.__import__
    sys_hooks = {"displayhook": sys.displayhook, "excepthook": sys.excepthook}
    manager = ip.input_transformer_manager
    shell_lists = {name: list(getattr(ip, name))
                   for name in ("input_transformers_cleanup", "input_transformers_post", "ast_transformers")}
    manager_lists = {name: list(getattr(manager, name))
                     for name in ("cleanup_transforms", "line_transforms", "token_transformers")}
    custom_exc = (ip.custom_exceptions, ip.CustomTB)
    events = {name: list(callbacks) for name, callbacks in ip.events.callbacks.items()}
    shell_objects = {"compile": ip.compile, "displayhook": ip.displayhook, "display_pub": ip.display_pub,
                     "input_transformer_manager": manager, "events": ip.events,
                     "InteractiveTB": ip.InteractiveTB}
    watched_objects = [ip, *shell_objects.values(), getattr(ip, "kernel", None)]
    class_dicts = {}
    instance_keys = {}
    for obj in watched_objects:
        if obj is None:
            continue
        instance_keys[id(obj)] = set(vars(obj))
        for cls in type(obj).__mro__:
            if cls.__module__ != "builtins":
                class_dicts[cls] = {attr: value for attr, value in vars(cls).items()
                                    if callable(value) or isinstance(value, (classmethod, staticmethod, property))}
    run_code = type(ip).run_code.__code__
    publish = ip.display_pub.publish
    user_ns = ip.user_ns
    mac_new, sha256, dumps, getlines, getframe = hmac.new, hashlib.sha256, json.dumps, linecache.getlines, sys._getframe
    gettrace, getprofile, settrace, setprofile = sys.gettrace, sys.getprofile, sys.settrace, sys.setprofile
    sys_modules, setattr_, delattr_, dict_ = sys.modules, setattr, delattr, dict
    state = {"entered": None, "student_events": None}

    method_type = type(ip.run_code)

    def same(current, pristine):
        """Identity, except that the kernel re-binds some hooks as fresh bound methods."""
        return current is pristine or (
            type(current) is method_type and type(pristine) is method_type
            and current.__self__ is pristine.__self__ and current.__func__ is pristine.__func__)

    def compare(fix):
        """What differs from the pristine state (put back when ``fix``)."""
        changes = []
        for name, module in modules.items():
            if sys_modules.get(name) is not module:
                changes.append(f"sys.modules[{name!r}] replaced")
                if fix:
                    sys_modules[name] = module
            current = vars(module)
            for attr, value in module_dicts[name].items():
                if same(current.get(attr, changes), value):
                    continue
                changes.append(f"{name}.{attr} replaced")
                if fix:
                    current[attr] = value
        current = vars(builtins)
        for attr, value in builtins_dict.items():
            if not same(current.get(attr, changes), value):
                changes.append(f"builtins.{attr} replaced")
                if fix:
                    current[attr] = value
        if current.get("__import__") is not import_function:
            changes.append("builtins.__import__ replaced")
            if fix:
                current["__import__"] = import_function
        for attr, value in sys_hooks.items():
            if not same(getattr(sys, attr), value):
                changes.append(f"sys.{attr} replaced")
                if fix:
                    setattr_(sys, attr, value)
        if gettrace() is not None or getprofile() is not None:
            changes.append("a trace or profile function is set")
            if fix:
                settrace(None)
                setprofile(None)
        if getattr(threading, "_trace_hook", None) or getattr(threading, "_profile_hook", None):
            changes.append("a thread trace or profile hook is set")
            if fix:
                threading.settrace(None)
                threading.setprofile(None)
        for attr, value in shell_objects.items():
            if not same(getattr(ip, attr), value):
                changes.append(f"the shell's {attr} replaced")
                if fix:
                    setattr_(ip, attr, value)
        for attr, value in shell_lists.items():
            if list(getattr(ip, attr)) != value:
                changes.append(f"IPython {attr} changed")
                if fix:
                    getattr(ip, attr)[:] = value
        for attr, value in manager_lists.items():
            if list(getattr(manager, attr)) != value:
                changes.append(f"IPython input_transformer_manager.{attr} changed")
                if fix:
                    getattr(manager, attr)[:] = value
        if (ip.custom_exceptions, ip.CustomTB) != custom_exc:
            changes.append("a custom exception handler is set (set_custom_exc)")
            if fix:
                ip.custom_exceptions, ip.CustomTB = custom_exc
        for obj in watched_objects:
            if obj is None:
                continue
            for attr in set(vars(obj)) - instance_keys[id(obj)]:
                if callable(getattr(type(obj), attr, None)):
                    changes.append(f"method {type(obj).__name__}.{attr} overridden on the instance")
                    if fix:
                        delattr_(obj, attr)
        for cls, saved in class_dicts.items():
            current = vars(cls)
            for attr, value in saved.items():
                if not same(current.get(attr, changes), value):
                    changes.append(f"method {cls.__name__}.{attr} replaced")
                    if fix:
                        setattr_(cls, attr, value)
        for name, value in pristine_names.items():
            if user_ns.get(name, changes) is not value:
                if user_ns.get(name, changes) is not changes:  # a name not yet imported is no change
                    changes.append(f"the notebook's name {name!r} rebound")
                if fix:
                    user_ns[name] = value
        return changes

    class Guard:
        """The grader's hands in the kernel: ``enter`` before a test cell, ``proof`` at its end."""

        __slots__ = ()

        def enter(self, grade_id):
            changes = compare(fix=True)
            student_events = {name: list(callbacks) for name, callbacks in ip.events.callbacks.items()}
            if state["student_events"] is None:
                state["student_events"] = student_events
            for name, callbacks in ip.events.callbacks.items():
                callbacks[:] = events.get(name, [])
            state["entered"] = grade_id
            if changes:
                publish({"application/vnd.nbcourse.note": dumps({"grade_id": grade_id, "restored": changes})}, {})

        def proof(self, grade_id, nonce):
            problems = []
            frame = getframe(1)
            if state["entered"] != grade_id:
                problems.append("the test cell was not prepared by the grader")
            if (frame.f_code.co_name != "<module>" or frame.f_back is None
                    or frame.f_back.f_code is not run_code or frame.f_trace is not None):
                problems.append("the proof was not requested by the test cell itself")
            source = "".join(getlines(frame.f_code.co_filename))
            problems += compare(fix=False)
            # Callbacks registered during the test fire after this proof: they cannot change
            # it. Give the student's callbacks back, with any the test itself added (pyplot's).
            state["entered"] = None
            for name, callbacks in (state["student_events"] or {}).items():
                added = [callback for callback in ip.events.callbacks[name] if callback not in events.get(name, [])]
                ip.events.callbacks[name][:] = callbacks + [callback for callback in added if callback not in callbacks]
            state["student_events"] = None
            payload = {"grade_id": grade_id, "nonce": nonce, "status": "; ".join(problems) or "ok",
                       "source_sha256": sha256(source.encode()).hexdigest()}
            fields = {name: payload[name] for name in ("grade_id", "nonce", "source_sha256", "status")}
            payload["mac"] = mac_new(key, dumps(fields, sort_keys=True).encode(), "sha256").hexdigest()
            publish({"application/vnd.nbcourse.proof": dumps(payload)}, {})

    return Guard()


def guard_cell_source(instructor_imports: list[str]) -> str:
    """The first cell of the executed notebook: defines and installs the guard."""
    return (inspect.getsource(_kernel_guard)
            + f"\n{GUARD_NAME} = _kernel_guard({KEY_FILE!r}, {instructor_imports!r})\ndel _kernel_guard\n")


def instructor_imports(source_notebook) -> list[str]:
    """Top-level import statements of the instructor's non-solution code cells.

    Names that a solution cell defines are left out: a student asked to write
    ``sigmoid`` must be tested on their own ``sigmoid``, not on an imported reference.
    """
    instructor_trees, student_names = [], set()
    for cell in source_notebook.cells:
        if cell.cell_type != "code":
            continue
        try:
            tree = ast.parse(compiled_source(cell.source))
        except SyntaxError:
            continue
        if cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
            student_names |= _top_level_names(tree)
        else:
            instructor_trees.append(tree)
    statements = []
    for tree in instructor_trees:
        for node in tree.body:
            if not isinstance(node, (ast.Import, ast.ImportFrom)):
                continue
            node.names = [alias for alias in node.names
                          if (alias.asname or alias.name.split(".")[0]) not in student_names]
            if node.names and ast.unparse(node) not in statements:
                statements.append(ast.unparse(node))
    return statements


def _top_level_names(tree) -> set[str]:
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {alias.asname or alias.name.split(".")[0] for alias in node.names}
        else:
            names |= {target.id for target in ast.walk(node) if isinstance(target, ast.Name)
                      and isinstance(target.ctx, ast.Store)}
    return names


# --- nbgrader preprocessors --------------------------------------------------------------

from nbclient.exceptions import DeadKernelError  # noqa: E402  (imports of the grader side)
from nbclient.util import run_sync  # noqa: E402
from nbgrader.preprocessors import Execute, NbGraderPreprocessor  # noqa: E402

_TOKEN: str | None = None


def _run_token() -> str:
    """The run's token, taken out of the environment the first time (kernels start later)."""
    global _TOKEN
    if _TOKEN is None:
        _TOKEN = os.environ.pop(TOKEN_ENV, None)
        if not _TOKEN:
            raise RuntimeError(f"{TOKEN_ENV} is not set: the integrity preprocessors need integrity.overrides(token)")
    return _TOKEN


def _injected(cell) -> str | None:
    return cell.get("metadata", {}).get(METADATA_KEY, {}).get("injected")


class InjectProofs(NbGraderPreprocessor):
    """Before execution: add the guard cell, an ``enter`` cell per test cell, the proof lines.

    Also puts back test cells the student deleted (from the instructor's source notebook,
    at their place after the preceding cell), so they run and score like any other.
    """

    def _source_notebook(self, resources):
        course = self.config.get("CourseDirectory", {})
        root = Path(course.get("root", os.getcwd()))
        info = resources["nbgrader"]
        path = root / course.get("source_directory", "source") / info["assignment"] / f"{info['notebook']}.ipynb"
        return nbformat.read(path, as_version=4)

    def preprocess(self, nb, resources):
        token = _run_token()
        source_nb = self._source_notebook(resources)
        notes = _restore_deleted_tests(nb, source_nb)
        notebook_nonce = secrets.token_hex(16)
        folder = Path(resources.get("metadata", {}).get("path") or ".")
        (folder / KEY_FILE).write_text(kernel_key(token, notebook_nonce).hex())
        cells = [_mark(new_code_cell(guard_cell_source(instructor_imports(source_nb))), "guard")]
        record = {"notebook_nonce": notebook_nonce, "cells": {}, "notes": notes}
        for cell in nb.cells:
            if is_test_cell(cell):
                grade_id, nonce = _grade_id(cell), secrets.token_hex(16)
                cells.append(_mark(new_code_cell(f"{GUARD_NAME}.enter({grade_id!r})"), "enter"))
                record["cells"][grade_id] = {"nonce": nonce, "original_source": cell.source}
                cell.source = with_proof(cell.source, grade_id, nonce)
            cells.append(cell)
        nb.cells = cells
        resources[METADATA_KEY] = record
        return nb, resources


def _mark(cell, role: str):
    cell.metadata[METADATA_KEY] = {"injected": role}
    return cell


def _restore_deleted_tests(nb, source_nb) -> list[str]:
    """Insert the source's test cells missing from ``nb``; return a note per cell."""
    present = {cell.metadata["nbgrader"].get("grade_id") for cell in nb.cells if "nbgrader" in cell.metadata}
    notes = []
    previous_id = None
    for source_cell in source_nb.cells:
        grade_id = source_cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if is_test_cell(source_cell) and grade_id not in present:
            restored = copy.deepcopy(source_cell)
            restored.outputs, restored.execution_count = [], None
            position = next((i + 1 for i, cell in enumerate(nb.cells)
                             if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == previous_id), 0)
            nb.cells.insert(position, restored)
            present.add(grade_id)
            notes.append(f"test cell {grade_id} was missing from the submission; it was put back and run")
        if grade_id in present:
            previous_id = grade_id
    return notes


class GuardedExecute(Execute):
    """nbgrader's Execute, made to finish whatever the student's code does.

    - Output beyond MAX_OUTPUT_BYTES per cell is dropped, with a note (an output flood
      must not exhaust the grader's memory); errors and proofs are always kept.
    - When the kernel dies (``os._exit``, a segfault, the memory or CPU-time limit), the
      cell that was running gets a ``KernelDied`` error saying how, the cells after it
      are not run and each test cell among them gets a ``NotRun`` error: the tests that
      passed before keep their points, the rest score 0, and the notebook is still
      written and scored instead of the whole submission failing.
    """

    def output(self, outs, msg, display_id, cell_index):
        content = msg.get("content", {})
        data = content.get("data") or {}
        exempt = msg["msg_type"] == "error" or PROOF_MIME in data or NOTE_MIME in data
        if not exempt and _size(outs) + len(json.dumps(data or content.get("text", ""))) > MAX_OUTPUT_BYTES:
            truncated = self.__dict__.setdefault("_truncated_cells", set())
            if cell_index not in truncated:
                truncated.add(cell_index)
                # Worded like nbgrader's own line limit ("Output truncated"), so the feedback
                # reads the same whichever of the two limits a flood hits first.
                outs.append(new_output("stream", name="stdout",
                                       text=f"\n... Output truncated by the grader after {MAX_OUTPUT_BYTES} bytes ...\n"))
            return None
        return super().output(outs, msg, display_id, cell_index)

    def preprocess_cell(self, cell, resources, index):
        death = self.__dict__.get("_kernel_death")
        if death is not None:
            if cell.cell_type == "code":
                cell.outputs = [_error("NotRun", f"not run: {death} in an earlier cell")] if is_test_cell(cell) else []
            return cell, resources
        try:
            return super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            self._kernel_death = _how_the_kernel_died(self.km)
            self.log.error("kernel died in cell %d: %s", index, self._kernel_death)
            cell.outputs.append(_error("KernelDied", f"{self._kernel_death} while this cell ran; "
                                                     "the cells after it were not run"))
            return cell, resources

    async def _async_cleanup_kernel(self):
        """End the kernel at once: every cell has run and every reply has arrived.

        nbclient's default asks the kernel to shut down and waits up to 2.5 s for it (a
        kernel that imported TensorFlow routinely needs all of that), then closes its
        channels, which, with the kernel gone, waits out zmq's linger on each socket.
        Here the channels close first, while the kernel still listens, and the kernel's
        process group (ipykernel, or the sandbox launcher and ``bwrap``) gets SIGTERM;
        nbclient's own cleanup then kills whatever is still alive and removes the files.
        """
        if getattr(self, "kc", None) is not None:
            self.kc.stop_channels()
        provisioner = getattr(self.km, "provisioner", None)
        if provisioner is not None and provisioner.has_process:
            await provisioner.terminate()
            deadline = asyncio.get_running_loop().time() + 2
            # polled more often than the provisioner's own wait() (every 100 ms): it is over at once
            while await provisioner.poll() is None:
                if asyncio.get_running_loop().time() > deadline:
                    self.log.warning("the kernel outlived SIGTERM by 2 s; killing it")
                    break
                await asyncio.sleep(0.005)
        await super()._async_cleanup_kernel()

    _cleanup_kernel = run_sync(_async_cleanup_kernel)


def _how_the_kernel_died(kernel_manager) -> str:
    """In words, from the exit status of the kernel process (or of its sandbox launcher)."""
    process = getattr(getattr(kernel_manager, "provisioner", None), "process", None)
    status = process.poll() if process is not None else None
    if status is None:
        return "the kernel stopped answering"
    number = -status if status < 0 else status - 128 if status > 128 else None
    if number is None:
        return f"the kernel exited with status {status} (os._exit or sys.exit in the code?)"
    name = signal.Signals(number).name if number in signal.Signals._value2member_map_ else f"signal {number}"
    why = {"SIGSEGV": "it crashed (segmentation fault)", "SIGABRT": "it aborted",
           "SIGKILL": "it was killed (out of memory?)", "SIGXCPU": "it used up its CPU-time limit"}.get(name, name)
    return f"the kernel died: {why}"


def _error(name: str, message: str):
    return new_output("error", ename=name, evalue=message, traceback=[f"{name}: {message}"])


def _size(outputs) -> int:
    return sum(len(json.dumps(out.get("data") or out.get("text") or "")) for out in outputs)


class CheckProofs(NbGraderPreprocessor):
    """After execution: zero test cells without a valid proof; remove what InjectProofs added."""

    def preprocess(self, nb, resources):
        record = resources.pop(METADATA_KEY, None)
        if record is None:
            raise RuntimeError("CheckProofs ran without InjectProofs (check Autograde.autograde_preprocessors)")
        key = kernel_key(_run_token(), record["notebook_nonce"])
        notes = list(record["notes"])
        kept = []
        for cell in nb.cells:
            role = _injected(cell)
            if role is not None:
                notes += _guard_cell_notes(cell, role, key)
                continue
            if is_test_cell(cell) and _grade_id(cell) in record["cells"]:
                entry = record["cells"][_grade_id(cell)]
                executed = cell.source
                cell.source = entry.pop("original_source")
                proofs = [out for out in cell.outputs if PROOF_MIME in out.get("data", {})]
                cell.outputs = [out for out in cell.outputs
                                if PROOF_MIME not in out.get("data", {}) and NOTE_MIME not in out.get("data", {})]
                entry["proofs"] = [_parse(out.data[PROOF_MIME]) for out in proofs]
                entry["verdict"] = _verdict(cell, entry, key, executed)
                if entry["verdict"].startswith("unproven"):
                    cell.outputs.append(_integrity_error(entry["verdict"]))
            kept.append(cell)
        nb.cells = kept
        record["notes"] = notes
        nb.metadata[METADATA_KEY] = record
        folder = Path(resources.get("metadata", {}).get("path") or ".")
        (folder / KEY_FILE).unlink(missing_ok=True)
        return nb, resources


def _parse(text):
    try:
        return json.loads(text if isinstance(text, str) else "".join(text))
    except ValueError:
        return None


def _verdict(cell, entry, key, executed_source) -> str:
    if has_error(cell):
        return "failed"
    if len(entry["proofs"]) != 1:
        return f"unproven: expected one proof that the test ran to its end, found {len(entry['proofs'])}"
    why = check_proof(key, entry["proofs"][0], _grade_id(cell), entry["nonce"], executed_source)
    return f"unproven: {why}" if why else "proven"


def _integrity_error(verdict: str):
    reason = verdict.split(": ", 1)[-1]
    error = _error("IntegrityError", f"this test cell scores 0: {reason}")
    error.traceback.append("The grader could not confirm that the test ran to its end as written. "
                           "Code that changes IPython, NumPy or the helpers package can cause this.")
    return error


def _guard_cell_notes(cell, role, key) -> list[str]:
    notes = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            notes.append(f"the grader's {role} cell failed: {out.get('ename')}: {out.get('evalue')}")
        payload = _parse(out.get("data", {}).get(NOTE_MIME)) if NOTE_MIME in out.get("data", {}) else None
        if payload:
            notes.append(f"before test {payload.get('grade_id')}, the grader undid: "
                         + ", ".join(payload.get("restored", [])))
    return notes


# --- the grader's check of an autograded notebook ------------------------------------------

def verify(autograded_notebook_path, token: str) -> list[str]:
    """Problems with the proofs of one autograded notebook, recomputed from ``token``.

    A problem about a test cell starts with ``"<grade_id>: "`` (the grader then scores
    that cell 0); other entries are notes for the report (what the guard undid, test
    cells put back). A test cell that shows an error needs no proof (it scores 0 anyway).
    """
    path = Path(autograded_notebook_path)
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as error:  # a notebook we cannot read proves nothing
        return [f"the autograded notebook {path.name} cannot be read: {error}"]
    record = nb.metadata.get(METADATA_KEY)
    tests = [cell for cell in nb.cells if is_test_cell(cell)]
    if not record:
        return [f"{_grade_id(cell)}: no integrity record (the proof check did not run)"
                for cell in tests if not has_error(cell)]
    key = kernel_key(token, record["notebook_nonce"])
    problems = []
    for cell in tests:
        grade_id = _grade_id(cell)
        entry = record["cells"].get(grade_id)
        if entry is not None and entry.get("verdict", "").startswith("unproven"):
            problems.append(f"{grade_id}: {entry['verdict']}")  # zeroed by CheckProofs already
            continue
        if has_error(cell):
            continue
        if entry is None:
            problems.append(f"{grade_id}: the test cell was not run under the proof check")
            continue
        proofs = entry.get("proofs", [])
        if len(proofs) != 1:
            problems.append(f"{grade_id}: expected one proof that the test ran to its end, found {len(proofs)}")
            continue
        why = check_proof(key, proofs[0], grade_id, entry["nonce"], with_proof(cell.source, grade_id, entry["nonce"]))
        if why:
            problems.append(f"{grade_id}: {why}")
    return problems + [f"note: {note}" for note in record.get("notes", [])]
