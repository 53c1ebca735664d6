"""Run the student's cells in their kernel, and check each test cell outside it.

nbgrader's :class:`~nbgrader.preprocessors.Execute` sends every cell, tests included, to
the kernel and lets its outputs decide the score. Here:

- every cell that is not a test cell runs in the student's kernel, as nbgrader runs it;
- before the first cell, the kernel gets the servant (:mod:`nbcourse.kernel_servant`)
  that answers the checker's requests;
- a **test cell is never sent to the kernel**: the source notebook's test code runs in
  this process (:class:`nbcourse.checker.Checker`), calling the student's functions in
  the kernel for their values. Its outputs are what the test printed, what the
  student's code printed meanwhile (warnings included: shown, never fatal), and the
  failure, if any. A test cell has the time limit of any cell (nbgrader's
  ``Execute.timeout``, ``c.ExecutePreprocessor.timeout`` in nbgrader_config.py; None: no
  limit, as nbclient reads it). The verdict goes to ``resources`` for
  :class:`~nbcourse.preprocessors.save_verdicts.SaveVerdicts`, and into the notebook's
  metadata for the grading report.

Kept from plain execution, because they make grading finish whatever the student's
code does: output beyond :data:`MAX_OUTPUT_BYTES` per cell is dropped with a note; a
kernel that dies (``os._exit``, a segfault, a resource limit) gives the running cell a
``KernelDied`` error and every later test cell ``NotRun``, and the notebook is still
scored; the kernel is ended at once when the last cell has replied.
"""
from __future__ import annotations

import asyncio
import json
import os
import signal
from datetime import datetime, timezone
from pathlib import Path

from jupyter_client import BlockingKernelClient
from nbclient.exceptions import DeadKernelError
from nbclient.util import run_sync
from nbformat.v4 import new_output
from nbgrader.preprocessors import Execute

from .. import kernel_servant, values
from ..cells import METADATA_KEY, RESOURCES_KEY, grade_id_of, is_test_cell
from ..checker import MAX_OUTPUT_BYTES, TRUNCATED, Checker, Verdict, add_stream
from ..checker_service import SOCKET_ENV, ServiceChecker
from ..remote import KernelChannel

_SERVANT_SOURCES = (Path(values.__file__).read_text(), Path(kernel_servant.__file__).read_text())


class CheckedExecute(Execute):
    """nbgrader's Execute, with test cells checked outside the kernel (see the module doc)."""

    def preprocess(self, nb, resources):
        self._trusted = resources.get(RESOURCES_KEY)
        if self._trusted is None:
            raise RuntimeError("CheckedExecute ran without TrustSourceCells (check Autograde.autograde_preprocessors)")
        self._trusted["verdicts"] = {}
        self._checker = self._channel = self._kernel_death = None
        self._truncated_cells = set()
        nb, resources = super().preprocess(nb, resources)
        nb.metadata[METADATA_KEY] = {
            "verdicts": {grade_id: verdict.as_record() for grade_id, verdict in self._trusted["verdicts"].items()},
            "notes": list(self._trusted["notes"]),
        }
        return nb, resources

    # --- one cell -------------------------------------------------------------------------
    def preprocess_cell(self, cell, resources, index):
        if self._kernel_death is not None:
            if cell.cell_type == "code":
                cell.outputs = [_error("NotRun", f"not run: {self._kernel_death} in an earlier cell")] \
                    if is_test_cell(cell) else []
                if is_test_cell(cell):
                    self._record_not_run(cell)
            return cell, resources
        if self._channel is None:
            self._connect()
        if is_test_cell(cell) and grade_id_of(cell) in self._trusted["tests"]:
            return self._check_test_cell(cell), resources
        try:
            return super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            self._note_death(cell)
            return cell, resources

    def _check_test_cell(self, cell):
        grade_id = grade_id_of(cell)
        cell.source = self._trusted["tests"][grade_id]
        cell.outputs, cell.execution_count = [], None
        started = _now()
        streamed = []
        self._channel.on_stream = lambda name, text: add_stream(streamed, name, text)
        try:
            verdict = self._checker.check(grade_id, cell.source, self.timeout, streamed)
        except (OSError, RuntimeError, ValueError) as error:
            if not isinstance(self._checker, ServiceChecker):
                raise
            # the run's checker service is gone (killed, out of memory): check here from now on
            self.log.warning("checker service failed (%s): checking %s in this process", error, grade_id)
            self._checker = Checker(self._trusted["source_notebook"], self._channel, log=self.log)
            streamed.clear()
            verdict = self._checker.check(grade_id, cell.source, self.timeout, streamed)
        if verdict.ename == "CellTimeoutError":
            run_sync(self.km.interrupt_kernel)()
        if verdict.ename == "KernelDied":
            self._kernel_death = _how_the_kernel_died(self.km)
            verdict.message = f"{self._kernel_death} while this test ran; the cells after it were not run"
            streamed[-1] = _error("KernelDied", verdict.message)
        cell.outputs = streamed
        # stamped like nbclient stamps the cells it runs: the report's per-cell times
        cell.metadata["execution"] = {"iopub.status.busy": started, "iopub.status.idle": _now()}
        self._trusted["verdicts"][grade_id] = verdict
        return cell

    def _record_not_run(self, cell):
        self._trusted["verdicts"][grade_id_of(cell)] = Verdict(grade_id_of(cell), passed=False, ename="NotRun",
                                                                message=f"not run: {self._kernel_death}")

    def _note_death(self, cell):
        self._kernel_death = _how_the_kernel_died(self.km)
        self.log.error("kernel died: %s", self._kernel_death)
        cell.outputs.append(_error("KernelDied", f"{self._kernel_death} while this cell ran; "
                                                 "the cells after it were not run"))

    # --- the channel to the kernel -----------------------------------------------------
    def _connect(self):
        client = BlockingKernelClient()
        client.load_connection_info(self.km.get_connection_info())
        client.start_channels(shell=True, iopub=True, stdin=True, hb=False, control=False)
        process = getattr(getattr(self.km, "provisioner", None), "process", None)
        self._channel = KernelChannel(client, is_alive=lambda: process is None or process.poll() is None,
                                      on_stream=lambda name, text: None)
        self._channel.handshake(timeout=self.startup_timeout)
        self._channel.install(*_SERVANT_SOURCES)
        self._checker = self._service_checker(process) or \
            Checker(self._trusted["source_notebook"], self._channel, log=self.log)

    def _service_checker(self, process):
        """The run's checker service (``nbcourse.checker_service``), if there is one to reach."""
        path = os.environ.get(SOCKET_ENV)
        if not path or not os.path.exists(path):
            return None
        try:
            checker = ServiceChecker(path, connection_info=self.km.get_connection_info(),
                                     kernel_pid=getattr(process, "pid", None),
                                     comm_id=self._channel.comm_id,
                                     source_notebook=self._trusted["source_path"])
            self.log.info("test cells checked by the run's checker service (%s)", path)
            return checker
        except OSError as error:
            self.log.warning("checker service at %s not reachable (%s): checking in this process", path, error)
            return None

    # --- output of the student's cells ---------------------------------------------------
    def output(self, outs, msg, display_id, cell_index):
        content = msg.get("content", {})
        data = content.get("data") or {}
        if msg["msg_type"] != "error" and self._size(outs) + len(json.dumps(data or content.get("text", ""))) \
                > MAX_OUTPUT_BYTES:
            if cell_index not in self._truncated_cells:
                self._truncated_cells.add(cell_index)
                outs.append(new_output("stream", name="stdout", text=TRUNCATED))
            return None
        return super().output(outs, msg, display_id, cell_index)

    @staticmethod
    def _size(outputs) -> int:
        return sum(len(json.dumps(out.get("data") or out.get("text") or "")) for out in outputs)

    # --- the end of the kernel ------------------------------------------------------------
    async def _async_cleanup_kernel(self):
        """End the kernel at once: every cell has run and every reply has arrived.

        nbclient's default asks the kernel to shut down and waits up to 2.5 s for it (a
        kernel that imported TensorFlow routinely needs all of that), then closes its
        channels, which, with the kernel gone, waits out zmq's linger on each socket.
        Here the channels close first, while the kernel still listens, and the kernel's
        process group (ipykernel, or the sandbox launcher and ``bwrap``) gets SIGTERM;
        nbclient's own cleanup then kills whatever is still alive and removes the files.

        Why nbclient's private method is overridden (nbclient 0.10, measured with
        ``bench/autograde.py --per-submission-only --assignment 05_initialization
        --submissions 6 --floor-samples 6``, sandbox on, one after the other): with this
        override 4.01 s and 3.83 s per submission (1.99x and 1.94x the floor); with
        nbclient's public ``shutdown_kernel = "graceful"`` and the channels closed after
        it, 4.56 s (2.32x); with ``shutdown_kernel = "immediate"`` 3.34 s and 3.97 s (2.12x
        and 2.20x), but that SIGKILLs the sandbox launcher, which then leaves its scratch
        folder behind (``test_a_sandboxed_run_ends_its_kernel_and_cleans_up`` fails). No
        public setting ends the kernel both at once and cleanly.
        """
        if isinstance(self._checker, ServiceChecker):
            self._checker.close()
        if self._channel is not None:
            self._channel.client.stop_channels()
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


def _now() -> str:
    return datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")


def _how_the_kernel_died(kernel_manager) -> str:
    """In words, from the exit status of the kernel process (or of its sandbox launcher)."""
    process = getattr(getattr(kernel_manager, "provisioner", None), "process", None)
    status = process.poll() if process is not None else None
    if status is None:
        return "the kernel stopped answering"
    number = -status if status < 0 else status - 128 if status > 128 else None
    if number is None:
        return f"the kernel exited with status {status} (os._exit or sys.exit in the code?)"
    try:
        name = signal.Signals(number).name
    except ValueError:
        name = f"signal {number}"
    why = {"SIGSEGV": "it crashed (segmentation fault)", "SIGABRT": "it aborted",
           "SIGKILL": "it was killed (out of memory?)", "SIGXCPU": "it used up its CPU-time limit"}.get(name, name)
    return f"the kernel died: {why}"


def _error(name: str, message: str):
    return new_output("error", ename=name, evalue=message, traceback=[f"{name}: {message}"])
