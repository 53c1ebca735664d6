"""Runs inside the student's kernel while it is graded: answers the checker's requests.

The hidden tests do not run in the student's kernel. The checker (:mod:`nbcourse.remote`,
outside the sandbox) runs them and, whenever a test calls a student's function or reads
a student's object, sends one request here, as a message on the servant's comm::

    {"request": '{"op": "call", "target": 3, "args": ...}'}

The servant performs it on the kernel's own objects and sends back the result, encoded by
:mod:`nbcourse.values`, as ``{"reply": ...}`` on the same comm. Objects that are not
values stay here, in :attr:`Servant.objects`, and travel as handles.

A comm message reaches the servant without IPython's cell machinery (input transformers,
compilation, execution events, history), which makes a request cheaper than a silent
``execute_request`` (``python bench/kernel_requests.py`` times both; a submission makes
25 to 150 requests). A request that may call back into the test (it carries a function the
test lends, see :class:`_Callback`) goes as a silent ``execute_request`` instead::

    __nbcourse_servant__.serve('{"op": "call", ...}')

because only an executing cell may ask for input on the kernel's stdin channel; its reply
is one ``display_data`` of type :data:`REPLY_MIME`.

Nothing here is trusted. A student can replace or break the servant; all they change is
the values their own functions appear to return, which is what the checker grades. The
checker decides every verdict itself, from those values alone.

This file is executed as source in the kernel, after :mod:`nbcourse.values` (the
checker sends both); it imports nothing from ``nbcourse``.
"""
import importlib
import json
import traceback

REPLY_MIME = "application/vnd.nbcourse.reply+json"
CALLBACK_PROMPT = "nbcourse-callback:"
SERVANT_NAME = "__nbcourse_servant__"
COMM_TARGET = "nbcourse.servant"
_OWN_FILES = ("<nbcourse-values>", "<nbcourse-servant>")


class Servant:
    """Performs the checker's requests on the objects of ``namespace`` (the notebook's globals)."""

    def __init__(self, namespace, publish):
        self.namespace = namespace
        self.publish = publish
        self.objects = {}

    def answer(self, request_text):
        """Perform one request; the reply, as JSON text."""
        try:
            request = json.loads(request_text)
            result = getattr(self, "op_" + request["op"])(request)
            reply = {"ok": True, "value": encode(result, self.handle_of)}
        except BaseException as error:  # noqa: BLE001 -- every failure is the checker's to judge
            reply = {"ok": False, "ename": type(error).__name__, "evalue": str(error)[:4000],
                     "traceback": _students_frames(error)}
        return json.dumps(reply)

    def serve(self, request_text):
        """Answer a request sent as a cell (``execute_request``): the reply is displayed."""
        self.publish({REPLY_MIME: self.answer(request_text)}, metadata={})

    def serve_comm_message(self, comm, message):
        """Answer a request sent on the servant's comm: the reply goes back on it.

        No cell runs, so the kernel's ``input`` is not connected to the stdin channel:
        a student's ``input()`` fails at once, as it does in a cell while grading,
        instead of waiting for a line that never comes.
        """
        import builtins

        saved_input = builtins.input
        builtins.input = _no_input
        try:
            comm.send({"reply": self.answer(message["content"]["data"]["request"])})
        finally:
            builtins.input = saved_input

    def handle_of(self, obj):
        number = id(obj)
        self.objects[number] = obj
        return {"handle": number}

    def value(self, data):
        return decode(data, self.objects.__getitem__, make_tensor=_make_tensor, resolve=_resolve,
                      callback_of=lambda number: _Callback(self, number))

    # --- the operations ----------------------------------------------------------------
    def op_names(self, request):
        return {name: self.namespace[name] for name in request["names"] if name in self.namespace}

    def op_module(self, request):
        return importlib.import_module(request["name"])

    def op_call(self, request):
        target = self.objects[request["target"]]
        args = self.value(request["args"])
        kwargs = self.value(request["kwargs"])
        return target(*args, **kwargs)

    def op_getattr(self, request):
        return getattr(self.objects[request["target"]], request["name"])

    def op_setattr(self, request):
        setattr(self.objects[request["target"]], request["name"], self.value(request["value"]))

    def op_getitem(self, request):
        return self.objects[request["target"]][self.value(request["key"])]

    def op_setitem(self, request):
        self.objects[request["target"]][self.value(request["key"])] = self.value(request["value"])

    def op_len(self, request):
        return len(self.objects[request["target"]])

    def op_iter(self, request):
        return _Iterator(iter(self.objects[request["target"]]))

    def op_next(self, request):
        return next(self.objects[request["target"]])

    def op_array(self, request):
        import numpy

        target = self.objects[request["target"]]
        numpy_method = getattr(target, "numpy", None)
        return numpy.asarray(numpy_method() if callable(numpy_method) else target)

    def op_enter(self, request):
        return self.objects[request["target"]].__enter__()

    def op_exit(self, request):
        return self.objects[request["target"]].__exit__(None, None, None)

    def op_repr(self, request):
        return repr(self.objects[request["target"]])[:2000]


class _Callback:
    """A function the checker lent to the student's code (a test's gradient function):
    calling it asks the checker, through the kernel's stdin channel, for the result."""

    def __init__(self, servant, number):
        self.servant, self.number = servant, number

    def __call__(self, *args, **kwargs):
        request = {"callback": self.number, "args": encode(args, self.servant.handle_of),
                   "kwargs": encode(kwargs, self.servant.handle_of)}
        reply = json.loads(input(CALLBACK_PROMPT + json.dumps(request)))
        if not reply.get("ok"):
            raise RuntimeError(f"the test's function {reply.get('ename')}: {reply.get('evalue')}")
        return self.servant.value(reply["value"])


class _Iterator:
    """An iterator kept as an object (a generator's own type could be taken for a value)."""

    def __init__(self, iterator):
        self.iterator = iterator

    def __next__(self):
        return next(self.iterator)


def _no_input(prompt=""):
    raise RuntimeError("input() is not available while the notebook is graded")


def _make_tensor(array):
    import tensorflow as tf

    return tf.constant(array)


def _resolve(module_name, name):
    module_name = module_name.split(".")[0]
    if module_name not in ("numpy", "math"):
        raise ValueError(f"cannot resolve a reference into {module_name!r}")
    return getattr(importlib.import_module(module_name), name)


def _students_frames(error):
    """The traceback, without the servant's own frames (what the student can act on)."""
    frames = [frame for frame in traceback.extract_tb(error.__traceback__)
              if frame.filename not in _OWN_FILES]
    lines = traceback.format_list(frames)
    lines += traceback.format_exception_only(type(error), error)
    return [line[:2000] for line in lines[-40:]]


def install(namespace, comm_id):
    """Make the servant (name :data:`SERVANT_NAME`) in the notebook's namespace, listening on comm ``comm_id``."""
    import comm
    from IPython.display import publish_display_data

    servant = Servant(namespace, publish_display_data)
    namespace[SERVANT_NAME] = servant
    channel = comm.create_comm(target_name=COMM_TARGET, comm_id=comm_id)
    channel.on_msg(lambda message: servant.serve_comm_message(channel, message))
