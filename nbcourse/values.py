"""The one format in which values cross between the student's kernel and the checker.

JSON, never pickle: decoding must not run code of the sender's choosing. What it holds:

- ``None``, ``bool``, ``int``, ``float`` (NaN and infinities included), ``complex``, ``str``;
- NumPy arrays and scalars of numbers or booleans (dtype kinds ``b i u f c``), sent as raw
  bytes with their dtype and shape; TensorFlow tensors as arrays (marked, so the other
  side can make a tensor of them again);
- ``tuple``, ``list`` and ``dict`` of these (dict keys: ``str``, ``int``, ``float``, ``bool``
  or ``None``), order kept;
- NumPy random generators, by the state of their bit generator (the other side gets a
  generator in the same state: a copy);
- *handles*: an object that is none of the above (a Keras layer, a ``tf.Variable``, a
  dataset, a function of the test's) stays where it lives and the other side gets a
  numbered handle to it (``{"handle": n}``, or ``{"callback": n}`` for a function the
  checker lends to the student's code);
- *references* to functions of well-known modules (``numpy.tanh``), by name.

This module is also sent, as source, into the student's kernel (:mod:`nbcourse.kernel_servant`
uses it there), so it imports nothing from ``nbcourse`` and only NumPy besides the
standard library. Sizes are bounded on decoding (:data:`MAX_ITEMS`, :data:`MAX_DEPTH`).
"""
import base64
import math

import numpy as np

NUMBER_KINDS = "biufc"
BIT_GENERATORS = ("PCG64", "PCG64DXSM", "Philox", "SFC64", "MT19937")
MAX_DEPTH = 64
MAX_ITEMS = 10_000_000          # array entries plus container items in one message


class ValueFormatError(ValueError):
    """A message that is not in this format (or over its limits)."""


def encode(value, handle_of, *, state_as_handles=True, depth=0):
    """``value`` as JSON-ready data; ``handle_of(obj)`` encodes anything else (a handle).

    ``state_as_handles``: a TensorFlow/Keras variable (it has ``assign``) stays behind a
    handle, so that assigning to it changes the original; ``False`` sends its values.
    """
    if depth > MAX_DEPTH:
        raise ValueFormatError(f"nested deeper than {MAX_DEPTH} levels")

    def inner(item):
        return encode(item, handle_of, state_as_handles=state_as_handles, depth=depth + 1)

    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value if abs(value) < 2 ** 53 else {"int": str(value)}
    if isinstance(value, float):
        return value if math.isfinite(value) else {"float": repr(value)}
    if isinstance(value, complex):
        return {"complex": [repr(value.real), repr(value.imag)]}
    if isinstance(value, (np.ndarray, np.generic)) and value.dtype.kind in NUMBER_KINDS:
        return _encode_array(value, scalar=isinstance(value, np.generic))
    if _is_tensor(value, include_state=not state_as_handles):
        return dict(_encode_array(np.asarray(value.numpy())), tensor=True)
    if type(value).__name__ == "TensorShape" and hasattr(value, "as_list") and value.rank is not None:
        return {"tuple": [inner(size) for size in value.as_list()]}
    if isinstance(value, np.random.Generator) and type(value.bit_generator).__name__ in BIT_GENERATORS:
        return {"generator": [type(value.bit_generator).__name__, inner(value.bit_generator.state)]}
    if isinstance(value, (tuple, list)) and type(value) in (tuple, list):
        return {type(value).__name__: [inner(item) for item in value]}
    if type(value) is dict and all(key is None or type(key) in (str, int, float, bool) for key in value):
        return {"dict": [[inner(key), inner(item)] for key, item in value.items()]}
    reference = _reference(value)
    if reference is not None:
        return {"ref": reference}
    return handle_of(value)


def decode(data, object_of, make_tensor=None, resolve=None, callback_of=None, depth=0, budget=None):
    """The value ``data`` encodes; ``object_of(handle)`` gives the object behind a handle.

    ``make_tensor(array)`` rebuilds tensors (default: leave them arrays); ``resolve(ref)``
    turns a function reference back into the function, ``callback_of(n)`` a lent function
    into something callable (default for both: refuse them).
    """
    budget = budget if budget is not None else [MAX_ITEMS]
    if depth > MAX_DEPTH:
        raise ValueFormatError(f"nested deeper than {MAX_DEPTH} levels")
    budget[0] -= 1
    if budget[0] < 0:
        raise ValueFormatError(f"more than {MAX_ITEMS} items")
    if data is None or isinstance(data, (bool, str, int, float)):
        return data
    if isinstance(data, list):
        raise ValueFormatError("a bare list (containers are tagged)")
    if not isinstance(data, dict) or len(data) == 0:
        raise ValueFormatError(f"unexpected {type(data).__name__}")

    def inner(item):
        return decode(item, object_of, make_tensor, resolve, callback_of, depth + 1, budget)

    kind = "array" if "dtype" in data else next(iter(data))
    if kind == "array":
        array = _decode_array(data, budget)
        if data.get("tensor") and make_tensor is not None:
            return make_tensor(array)
        return array
    payload = data[kind]
    if kind == "int":
        return int(_text(payload, 4400))
    if kind == "float":
        return float(_text(payload, 10))
    if kind == "complex" and isinstance(payload, list) and len(payload) == 2:
        return complex(float(_text(payload[0], 40)), float(_text(payload[1], 40)))
    if kind in ("tuple", "list") and isinstance(payload, list):
        items = [inner(item) for item in payload]
        return tuple(items) if kind == "tuple" else items
    if kind == "dict" and isinstance(payload, list):
        result = {}
        for pair in payload:
            if not (isinstance(pair, list) and len(pair) == 2):
                raise ValueFormatError("a dict entry that is not a pair")
            key = inner(pair[0])
            if not (key is None or type(key) in (str, int, float, bool)):
                raise ValueFormatError(f"a dict key of type {type(key).__name__}")
            result[key] = inner(pair[1])
        return result
    if kind == "handle" and type(payload) is int:
        return object_of(payload)
    if kind == "callback" and type(payload) is int and callback_of is not None:
        return callback_of(payload)
    if kind == "generator" and isinstance(payload, list) and len(payload) == 2 and payload[0] in BIT_GENERATORS:
        generator = np.random.Generator(getattr(np.random, payload[0])())
        try:
            generator.bit_generator.state = inner(payload[1])
        except (TypeError, ValueError, KeyError) as error:
            raise ValueFormatError(f"a malformed generator state: {error}") from None
        return generator
    if kind == "ref" and isinstance(payload, list) and len(payload) == 2 and resolve is not None:
        return resolve(_text(payload[0], 200), _text(payload[1], 200))
    raise ValueFormatError(f"unknown kind {kind!r}")


def _encode_array(value, scalar=False):
    array = np.array(value, order="C")  # keeps 0-d arrays 0-d (ascontiguousarray does not)
    return {"dtype": array.dtype.str, "shape": list(array.shape), "scalar": scalar,
            "data": base64.b64encode(array.tobytes()).decode("ascii")}


def _decode_array(data, budget):
    try:
        dtype = np.dtype(_text(data["dtype"], 8))
        shape = tuple(int(size) for size in data["shape"])
        raw = base64.b64decode(_text(data["data"], 8 * MAX_ITEMS + 16), validate=True)
    except (KeyError, TypeError, ValueError) as error:
        raise ValueFormatError(f"a malformed array: {error}") from None
    if dtype.kind not in NUMBER_KINDS or dtype.hasobject or any(size < 0 for size in shape):
        raise ValueFormatError(f"an array of dtype {dtype} is not allowed")
    count = math.prod(shape)
    budget[0] -= count
    if budget[0] < 0 or len(raw) != count * dtype.itemsize:
        raise ValueFormatError("an array whose data does not match its shape, or too large")
    array = np.frombuffer(raw, dtype=dtype).reshape(shape).copy()
    return array[()] if data.get("scalar") else array


def _text(value, limit):
    if not isinstance(value, str) or len(value) > limit:
        raise ValueFormatError("a malformed text field")
    return value


def _is_tensor(value, include_state):
    module = type(value).__module__ or ""
    return module.startswith(("tensorflow", "keras")) and callable(getattr(value, "numpy", None)) \
        and (include_state or not hasattr(value, "assign"))


def _reference(value):
    """(module, name) of a NumPy ufunc or a function of numpy/math, else None."""
    if isinstance(value, np.ufunc):
        return ["numpy", value.__name__]
    module = getattr(value, "__module__", None) or ""
    name = getattr(value, "__qualname__", None) or ""
    if callable(value) and module.split(".")[0] in ("numpy", "math") and name and "." not in name:
        return [module, name]
    return None
