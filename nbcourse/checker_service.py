"""One checker service per grading run, so that TensorFlow is imported once, not per submission.

The hidden tests of four assignments compare against TensorFlow; importing it costs a
few seconds of CPU. Run inside each submission's ``nbgrader autograde`` process, the
checker would pay that for every submission. Instead ``autograde`` starts this service
once per run (:func:`start`), with NumPy, ``helpers`` and TensorFlow imported, and each
grading process's :class:`~nbcourse.preprocessors.checked_execute.CheckedExecute` hands
it its test cells over a Unix socket (:class:`ServiceChecker`). The service talks to the
student's kernel itself, exactly as the in-process :class:`~nbcourse.checker.Checker`
does (it *is* that checker, one per connection).

The service imports once, then forks one *server* per grading worker; each server takes
one connection at a time. Hidden tests that train networks are pure-Python-bound NumPy
work: served by threads of one process they queued on its interpreter lock, and two
workers graded barely faster than one (bench/autograde.py: 314 s for 40 submissions that
take 363 s one by one). Forked servers share the imported modules (copy on write) and
each keeps what its first checks load (scikit-learn's digits, Keras' layers) for the
next submissions. A server that dies is replaced.

The socket lives in a folder only the grader's user can open, outside every sandbox.
Where no service runs (a Dask worker on another machine, a grading process started by
hand), ``CheckedExecute`` checks in its own process.

Protocol (one JSON document per line): the client opens with
``{"kernel": <connection info>, "kernel_pid": n, "comm_id": id, "source_notebook": path}``
(``comm_id``: the comm on which the servant, already installed, listens), then sends
``{"check": grade_id, "timeout": seconds}`` per test cell and reads
``{"verdict": {...}, "outputs": [...]}``.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from .nbgrader_process import kill_group

SOCKET_ENV = "NBCOURSE_CHECKER_SOCKET"
# Everything a connection imports, so that the first submission of a run does not pay for
# it (nbcourse.cells imports nbgrader: about 1 s, measured with python -X importtime).
# scikit-learn's datasets are what the data loaders of `helpers` import on their first call
# (hidden tests of 04 and 05 call them); TensorFlow brings them in anyway, but 05's tests do
# not use TensorFlow, and its first submission took 6.7 s instead of 3.7 s without them here.
_PRELOAD = ("numpy", "helpers", "helpers.testing", "nbformat", "jupyter_client", "nbcourse.cells",
            "nbcourse.checker", "nbcourse.remote", "IPython.core.inputtransformer2", "sklearn.datasets")


# --- the grading process's side ------------------------------------------------------------

class ServiceChecker:
    """A :class:`~nbcourse.checker.Checker` that runs in the service (same ``check`` method)."""

    def __init__(self, path: str, *, connection_info: dict, kernel_pid: int | None, comm_id: str | None,
                 source_notebook: Path):
        self.socket = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.socket.connect(path)
        self.stream = self.socket.makefile("rw", encoding="utf-8")
        info = {key: (value.decode() if isinstance(value, bytes) else value) for key, value in connection_info.items()}
        self._send({"kernel": info, "kernel_pid": kernel_pid, "comm_id": comm_id,
                    "source_notebook": str(source_notebook)})

    def check(self, grade_id: str, source: str, timeout: float | None, outputs: list):
        import nbformat

        from .checker import Verdict

        self._send({"check": grade_id, "timeout": timeout})
        reply = json.loads(self.stream.readline() or "{}")
        if "verdict" not in reply:
            raise RuntimeError(f"the checker service gave no verdict for {grade_id}: {reply.get('error', 'no reply')}")
        outputs += [nbformat.from_dict(output) for output in reply["outputs"]]
        return Verdict(grade_id, **reply["verdict"])

    def close(self):
        self.socket.close()

    def _send(self, message: dict):
        self.stream.write(json.dumps(message) + "\n")
        self.stream.flush()


# --- the coordinator's side --------------------------------------------------------------

class Service:
    """A running checker service: its socket path, and how to stop it."""

    def __init__(self, preload: list[str], servers: int = 1):
        self.folder = Path(tempfile.mkdtemp(prefix="nbcourse-checker-", dir="/tmp" if os.access("/tmp", os.W_OK) else None))
        self.path = str(self.folder / "socket")
        with open(self.folder / "service.log", "wb") as log:  # TensorFlow's start-up chatter, errors
            self.process = subprocess.Popen(
                [sys.executable, "-m", "nbcourse.checker_service", self.path, str(servers), *preload],
                stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True)

    def wait_ready(self, timeout: float = 300) -> None:
        """Wait until the service has imported what it preloads (benchmarks time what follows)."""
        import time

        deadline = time.monotonic() + timeout
        while not (self.folder / "ready").exists():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the checker service did not start: see {self.folder / 'service.log'}")
            time.sleep(0.05)

    def stop(self):
        """End the service and the servers it forked; return once none of them runs."""
        # The servers are the service's children, not ours: kill_group waits for them too.
        kill_group(self.process.pid)
        self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


def start(source_notebooks: list[Path], servers: int = 1) -> Service:
    """Start the service for one grading run of ``source_notebooks`` (their instructor versions),
    with ``servers`` connections checked at once (one per grading worker).

    It listens at once; meanwhile it imports what their tests use (TensorFlow only where a
    test uses ``tf``).
    """
    import nbformat

    from .checker import instructor_imports

    preload = set()
    for path in source_notebooks:
        for statement in instructor_imports(nbformat.read(path, as_version=4)):
            preload |= {word for word in statement.replace(",", " ").split()
                        if word.split(".")[0] in ("tensorflow", "keras")}
    return Service(sorted(preload), servers)


# --- the service --------------------------------------------------------------------------

def _kernel_alive(pid: int | None):
    def alive() -> bool:
        if pid is None:
            return True
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            return False
        return state not in ("Z", "X")
    return alive


def _serve(connection: socket.socket) -> None:
    import nbformat
    from jupyter_client import BlockingKernelClient

    from .cells import grade_id_of, is_test_cell
    from .checker import Checker, add_stream
    from .remote import KernelChannel

    stream = connection.makefile("rw", encoding="utf-8")
    client = None
    try:
        opening = json.loads(stream.readline())
        source_nb = nbformat.read(opening["source_notebook"], as_version=4)
        tests = {grade_id_of(cell): cell.source for cell in source_nb.cells if is_test_cell(cell)}
        client = BlockingKernelClient()
        client.load_connection_info(opening["kernel"])
        client.start_channels(shell=True, iopub=True, stdin=True, hb=False, control=False)
        channel = KernelChannel(client, is_alive=_kernel_alive(opening.get("kernel_pid")),
                                on_stream=lambda name, text: None, comm_id=opening.get("comm_id"))
        channel.handshake()
        checker = Checker(source_nb, channel)
        for line in stream:
            request = json.loads(line)
            outputs = []
            channel.on_stream = lambda name, text, outputs=outputs: add_stream(outputs, name, text)
            verdict = checker.check(request["check"], tests[request["check"]], request["timeout"], outputs)
            record = {key: getattr(verdict, key) for key in
                      ("passed", "ename", "message", "where", "withheld", "requests", "student_traceback")}
            stream.write(json.dumps({"verdict": record, "outputs": outputs}) + "\n")
            stream.flush()
    except Exception as error:  # noqa: BLE001 -- the client reports it and checks in-process
        try:
            stream.write(json.dumps({"error": f"{type(error).__name__}: {error}"}) + "\n")
            stream.flush()
        except OSError:
            pass
    finally:
        if client is not None:
            client.stop_channels()
        connection.close()


def _exit_with_parent() -> None:
    """End this process when the one that started it ends, however it ended (even SIGKILL)."""
    import time

    parent = os.getppid()

    def watch():
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def _server(listener: socket.socket) -> None:
    """A forked server: one connection at a time, until the service ends."""
    _exit_with_parent()
    while True:
        connection, _ = listener.accept()
        _serve(connection)


def main(path: str, servers: int, preload: list[str]) -> None:
    _exit_with_parent()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    os.chmod(path, 0o600)
    listener.listen(64)  # connections made while importing wait here
    for name in (*_PRELOAD, *preload):
        __import__(name)
    Path(path).with_name("ready").touch()
    children = set()
    while True:
        while len(children) < servers:
            pid = os.fork()
            if pid == 0:
                try:
                    _server(listener)
                finally:
                    os._exit(1)
            children.add(pid)
        pid, _ = os.wait()  # a server died (a check crashed it): start another
        children.discard(pid)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3:])
