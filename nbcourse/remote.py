"""The checker's side of the conversation with the student's kernel.

While a test cell is checked, its code runs in the grader's process (trusted), and every
name that a student's answer defines stands for a :class:`Remote`: calling it, reading
an attribute, indexing or iterating it sends one request to the kernel
(:mod:`nbcourse.kernel_servant`) and waits for the reply. Replies are *values* in the
format of :mod:`nbcourse.values` (arrays, numbers, tuples, dicts...), or handles to
objects that stay in the kernel, which come back as further :class:`Remote` objects.

Nothing the kernel sends is code, and nothing it sends decides a verdict: the test's
own code, here, compares the values against the reference and the independent facts.

An exception raised by the student's code comes back as :class:`StudentError` (a
subclass of the built-in exception of the same name where there is one, so that
``except ValueError`` and ``T.assert_raises(ValueError, ...)`` work as in the notebook),
carrying the student's own traceback frames.
"""
from __future__ import annotations

import builtins
import functools
import json
import queue
import time
import types
import uuid

import zmq

from . import values
from .kernel_servant import CALLBACK_PROMPT, REPLY_MIME, SERVANT_NAME

# A reply larger than this is refused: the course's largest test value is about 1 MB, and
# the checker (one process for every submission of a run) must not be made to run out of memory.
MAX_REPLY_CHARS = 32_000_000


class StudentError(Exception):
    """An exception raised by the student's code in the kernel (``ename``, their traceback)."""

    ename = "Exception"
    kernel_traceback: list[str] = []


@functools.lru_cache(maxsize=None)
def _student_error_class(ename: str) -> type:
    builtin = getattr(builtins, ename, None)
    if isinstance(builtin, type) and issubclass(builtin, Exception) and builtin is not Exception:
        return type(ename, (StudentError, builtin), {"ename": ename})
    return type(ename if ename.isidentifier() else "StudentError", (StudentError,), {"ename": ename})


def student_error(ename: str, evalue: str, kernel_traceback: list[str]) -> StudentError:
    """The exception the student's code raised, rebuilt on this side (message and frames only)."""
    try:
        error = _student_error_class(str(ename)[:100])(str(evalue))
    except TypeError:  # a built-in exception that needs more arguments (UnicodeDecodeError...)
        error = StudentError(str(evalue))
        error.ename = str(ename)[:100]
    error.kernel_traceback = [str(line) for line in kernel_traceback][:60]
    return error


class GradingStopped(BaseException):
    """The test cell cannot go on (time limit, dead kernel); test code cannot catch it with ``except Exception``."""

    def __init__(self, ename: str, message: str):
        super().__init__(message)
        self.ename = ename


class KernelChannel:
    """Requests to the servant in one kernel, over a blocking client of its own.

    ``is_alive()`` says whether the kernel process still runs; ``on_stream(name, text)``
    receives what the student's code prints meanwhile. Past :attr:`deadline` a request
    stops with ``CellTimeoutError`` (the caller interrupts the kernel).
    """

    def __init__(self, client, *, is_alive, on_stream, comm_id: str | None = None):
        self.client = client
        self.is_alive = is_alive
        self.on_stream = on_stream
        self.comm_id = comm_id  # the servant's comm (:meth:`install` opens it; another client may share it)
        self.deadline = float("inf")
        self.requests = 0
        self.callbacks = {}
        self.poller = zmq.Poller()
        for channel in (client.iopub_channel, client.stdin_channel):
            self.poller.register(channel.socket, zmq.POLLIN)

    def handshake(self, timeout: float = 60) -> None:
        """Make sure this client hears the kernel on IOPub before the first request.

        A new subscriber can miss the first messages published after it connects (ZeroMQ's
        subscriptions travel asynchronously); a request whose reply was missed would wait
        forever. So: ``kernel_info`` until its reply *and* its status message on IOPub arrive.
        (jupyter_client's ``wait_for_ready`` does the same and then drains IOPub for 0.2 s.)
        """
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            msg_id = self.client.kernel_info()
            heard = time.monotonic() + 0.5
            while time.monotonic() < heard:
                try:
                    message = self.client.get_iopub_msg(timeout=0.05)
                except queue.Empty:
                    self._check_still_going()
                    continue
                if message.get("parent_header", {}).get("msg_id") == msg_id:
                    self._drain_shell()
                    return
        raise GradingStopped("KernelDied", "the kernel did not answer the grader")

    def install(self, values_source: str, servant_source: str) -> None:
        """Start the servant in the kernel (before any student cell runs), listening on a new comm."""
        self.comm_id = uuid.uuid4().hex
        code = ("(lambda ns: (exec(compile({values!r}, '<nbcourse-values>', 'exec'), ns), "
                "exec(compile({servant!r}, '<nbcourse-servant>', 'exec'), ns), "
                "ns['install'](get_ipython().user_ns, {comm_id!r})))({{'__name__': 'nbcourse_servant'}})"
                ).format(values=values_source, servant=servant_source, comm_id=self.comm_id)
        self._execute(code, expect_reply=False)

    def names(self, names: list[str]) -> dict:
        """The student's objects called ``names``, in one request (a name not defined is left out)."""
        found = self.request({"op": "names", "names": list(names)})
        if not isinstance(found, dict):
            raise student_error("GraderError", "your kernel's answer could not be read", [])
        return {name: found[name] for name in names if name in found}

    def module(self, name: str):
        """The kernel's own import of module ``name``, as a :class:`Remote`."""
        return self.request({"op": "module", "name": name})

    def request(self, request: dict):
        """Send one request to the servant and wait for its reply (see :mod:`nbcourse.kernel_servant`)."""
        self.requests += 1
        if self.comm_id is None or self.callbacks:
            # A lent function is called back over the stdin channel, which only an executing cell has.
            code = f"{SERVANT_NAME}.serve({json.dumps(request)!r})"
            return self._decode(self._execute(code, expect_reply=True))
        message = self.client.session.msg("comm_msg", {"comm_id": self.comm_id,
                                                       "data": {"request": json.dumps(request)}})
        self.client.shell_channel.send(message)
        return self._decode(self._await(message["header"]["msg_id"], expect_reply=True))

    def send(self, value):
        """``value`` as request data: Remote objects by handle, tensors and variables as arrays,
        the test's own functions lent as callbacks."""
        def handle_of(obj):
            if isinstance(obj, Remote) and object.__getattribute__(obj, "_channel") is self:
                return {"handle": object.__getattribute__(obj, "_handle")}
            if isinstance(obj, (types.FunctionType, types.MethodType, functools.partial)):
                self.callbacks[id(obj)] = obj
                return {"callback": id(obj)}
            raise TypeError(f"a {type(obj).__module__}.{type(obj).__qualname__} cannot be sent to the "
                            "student's kernel: make it there (T.student_side) or send its values")
        return values.encode(value, handle_of, state_as_handles=False)

    def _answer_callback(self, prompt: str) -> str:
        """Run a lent function for the student's code; its result, encoded, as the input reply."""
        try:
            request = json.loads(prompt[len(CALLBACK_PROMPT):])
            function = self.callbacks[request["callback"]]
            def decode(data):
                return values.decode(data, lambda handle: Remote(self, handle))
            result = function(*decode(request["args"]), **decode(request["kwargs"]))
            return json.dumps({"ok": True, "value": self.send(result)})
        except GradingStopped:
            raise
        except Exception as error:  # noqa: BLE001 -- reported to the student's code as an error
            return json.dumps({"ok": False, "ename": type(error).__name__, "evalue": str(error)[:2000]})

    def _decode(self, reply: dict):
        if reply.get("ok") is True:
            return values.decode(reply.get("value"), lambda handle: Remote(self, handle))
        raise student_error(reply.get("ename", "Exception"), reply.get("evalue", ""),
                            reply.get("traceback") or [])

    def _execute(self, code: str, *, expect_reply: bool):
        msg_id = self.client.execute(code, silent=True, store_history=False, allow_stdin=True,
                                     stop_on_error=False)
        return self._await(msg_id, expect_reply=expect_reply)

    def _await(self, msg_id: str, *, expect_reply: bool):
        """Follow the kernel's messages about request ``msg_id`` until it is idle again; the reply."""
        reply_text, error = None, None
        while True:
            ready = dict(self.poller.poll(50))
            if self.client.stdin_channel.socket in ready:
                self._serve_stdin(msg_id)
            if self.client.iopub_channel.socket not in ready:
                self._check_still_going()
                continue
            try:
                message = self.client.get_iopub_msg(timeout=0)
            except queue.Empty:
                continue
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = message["msg_type"], message.get("content", {})
            if kind == "stream":
                self.on_stream(content.get("name", "stdout"), str(content.get("text", "")))
            elif kind == "display_data" and reply_text is None and REPLY_MIME in content.get("data", {}):
                reply_text = content["data"][REPLY_MIME]
            elif kind == "comm_msg" and reply_text is None and content.get("comm_id") == self.comm_id \
                    and isinstance(content.get("data"), dict):
                reply_text = content["data"].get("reply")
            elif kind == "error" and error is None:
                error = (content.get("ename", "Exception"), content.get("evalue", ""), content.get("traceback", []))
            elif kind == "status" and content.get("execution_state") == "idle":
                break
        self._drain_shell()
        if not expect_reply:
            if error:
                raise student_error(*error)
            return None
        if not isinstance(reply_text, str) or len(reply_text) > MAX_REPLY_CHARS:
            if error:
                raise student_error(*error)
            raise student_error("GraderError", "your kernel gave no answer to the grader's request "
                                "(was something in the notebook's namespace replaced?)", [])
        try:
            reply = json.loads(reply_text)
        except (ValueError, RecursionError):
            reply = None
        if not isinstance(reply, dict):
            raise student_error("GraderError", "your kernel's answer could not be read", [])
        return reply

    def _serve_stdin(self, msg_id: str) -> None:
        """Answer the kernel's input requests: a lent function's call, or nothing (a student's input())."""
        while True:
            try:
                message = self.client.get_stdin_msg(timeout=0)
            except queue.Empty:
                return
            if message.get("msg_type") != "input_request":
                continue
            prompt = str(message.get("content", {}).get("prompt", ""))
            own = message.get("parent_header", {}).get("msg_id") == msg_id and prompt.startswith(CALLBACK_PROMPT)
            self.client.input(self._answer_callback(prompt) if own else "")

    def _check_still_going(self) -> None:
        if not self.is_alive():
            raise GradingStopped("KernelDied", "the kernel died")
        if time.monotonic() > self.deadline:
            self.deadline = float("inf")
            raise GradingStopped("CellTimeoutError", "the test took longer than the time limit")

    def _drain_shell(self) -> None:
        while True:
            try:
                self.client.get_shell_msg(timeout=0)
            except queue.Empty:
                return


class Remote:
    """An object that lives in the student's kernel; every use is a request to it."""

    __slots__ = ("_channel", "_handle")

    def __init__(self, channel: KernelChannel, handle: int):
        object.__setattr__(self, "_channel", channel)
        object.__setattr__(self, "_handle", handle)

    def _request(self, op, **fields):
        channel = object.__getattribute__(self, "_channel")
        return channel.request({"op": op, "target": object.__getattribute__(self, "_handle"), **fields})

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)  # NumPy and copy probe dunders; they are not the student's
        return self._request("getattr", name=name)

    def __setattr__(self, name, value):
        self._request("setattr", name=name, value=object.__getattribute__(self, "_channel").send(value))

    def __call__(self, *args, **kwargs):
        channel = object.__getattribute__(self, "_channel")
        return self._request("call", args=channel.send(args), kwargs=channel.send(kwargs))

    def __getitem__(self, key):
        return self._request("getitem", key=object.__getattribute__(self, "_channel").send(key))

    def __setitem__(self, key, value):
        channel = object.__getattribute__(self, "_channel")
        self._request("setitem", key=channel.send(key), value=channel.send(value))

    def __len__(self):
        return int(self._request("len"))

    def __iter__(self):
        iterator = self._request("iter")
        while True:
            try:
                yield iterator._request("next")
            except StopIteration:
                return

    def __array__(self, dtype=None, copy=None):
        import numpy as np

        array = np.asarray(self._request("array"))
        return array.astype(dtype) if dtype is not None else array

    def __float__(self):
        return float(self.__array__())

    def __int__(self):
        return int(self.__array__())

    def __index__(self):
        return int(self.__array__())

    def __bool__(self):
        return bool(self.__array__())

    def __enter__(self):
        return self._request("enter")

    def __exit__(self, *exc_info):
        self._request("exit")
        return False

    def __repr__(self):
        try:
            return f"<student's object: {self._request('repr')}>"
        except StudentError:
            return "<student's object>"
