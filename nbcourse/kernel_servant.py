"""Runs inside the student's kernel while it is graded: answers the checker's requests.

The hidden tests do not run in the student's kernel. The checker (:mod:`nbcourse.remote`,
outside the sandbox) runs them and, whenever a test calls a student's function or reads
a student's object, sends one request here as a silent ``execute_request``::

    __nbcourse_servant__.serve('{"op": "call", "target": 3, "args": ...}')

The servant performs it on the kernel's own objects and publishes the result, encoded by
:mod:`nbcourse.values`, as one ``display_data`` of type :data:`REPLY_MIME`. Objects that
are not values stay here, in :attr:`Servant.objects`, and travel as handles.

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
_OWN_FILES = ("<nbcourse-values>", "<nbcourse-servant>")


class Servant:
    """Performs the checker's requests on the objects of ``namespace`` (the notebook's globals)."""

    def __init__(self, namespace, publish):
        self.namespace = namespace
        self.publish = publish
        self.objects = {}

    def serve(self, request_text):
        try:
            request = json.loads(request_text)
            result = getattr(self, "op_" + request["op"])(request)
            reply = {"ok": True, "value": encode(result, self.handle_of)}
        except BaseException as error:  # noqa: BLE001 -- every failure is the checker's to judge
            reply = {"ok": False, "ename": type(error).__name__, "evalue": str(error)[:4000],
                     "traceback": _students_frames(error)}
        self.publish({REPLY_MIME: json.dumps(reply)}, metadata={})

    def handle_of(self, obj):
        number = id(obj)
        self.objects[number] = obj
        return {"handle": number}

    def value(self, data):
        return decode(data, self.objects.__getitem__, make_tensor=_make_tensor, resolve=_resolve,
                      callback_of=lambda number: _Callback(self, number))

    # --- the operations ----------------------------------------------------------------
    def op_name(self, request):
        name = request["name"]
        if name not in self.namespace:
            raise NameError(f"name {name!r} is not defined")
        return self.namespace[name]

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


def install(namespace):
    """Make the servant (name :data:`SERVANT_NAME`) in the notebook's namespace."""
    from IPython.display import publish_display_data

    namespace[SERVANT_NAME] = Servant(namespace, publish_display_data)
