"""Checks that autograder test cells call, with messages a student can act on.

Every check raises :class:`AssertionError` whose message names the variable (or the
dictionary key), says what was expected and what was received, and, for arrays, gives
the first differing entry and the largest difference::

    dW1 is not correct: 12 of 12 entries differ.
      first difference at index (0, 2): got 0.8124, expected 0.2031
      largest absolute difference: 0.6093 (tolerance: |got - expected| <= 1e-08 + 1e-06 * |expected|)
      got is 4 times the expected value everywhere: a missing or extra factor?
      hint: did you forget the 1/m factor?

The checks:

- :func:`assert_shape` -- the value is an array of the expected shape.
- :func:`assert_close` -- numbers or arrays agree within ``rtol``/``atol``.
- :func:`assert_dict_close` -- dictionaries of arrays (``parameters``, ``grads``, ``v``):
  which key is missing, unexpected or wrong.
- :func:`assert_equal` -- exact equality (strings, integers, tuples of shapes).
- :func:`assert_true` -- any other condition, with the message to show.
- :func:`assert_raises` -- a call refuses bad input with the expected exception.

and the builders of randomized cases for hidden tests, grouped in :data:`random_case`
(``random_case.layer``, ``random_case.parameters``, ``random_case.grads``, ...).

Why the NumPy functions are captured at import
----------------------------------------------
A student's code runs in the same kernel before the test cells. It could, on purpose or
by accident, replace ``np.allclose``, ``np.isclose``, ``np.testing.assert_allclose``,
``np.array_equal`` or ``np.random.default_rng``. This module therefore never looks those
names up while checking: it keeps references, taken when it is imported, to the
ufuncs it needs (whose ``reduce`` methods cannot be replaced) and to ``np.asarray``. A
student who replaces NumPy's comparison functions after ``import helpers`` cannot make a
wrong answer pass. Values are converted with ``np.asarray``, which drops ndarray
subclasses, so an array subclass with a doctored ``__eq__`` or ``__array_ufunc__`` does
not reach the comparison either. This protects the student's own notebook, where tests run
in the student's kernel; while a submission is graded, the tests run in the grader's
process, which the student's code cannot reach at all (``nbcourse.checker``).
"""
from __future__ import annotations

import numbers
from types import SimpleNamespace

import numpy as np

# --- NumPy references captured at import (see the module docstring) -------------------
_asarray = np.asarray
_ndarray = np.ndarray
_generic = np.generic
_subtract = np.subtract
_add = np.add
_multiply = np.multiply
_divide = np.divide
_absolute = np.absolute
_less_equal = np.less_equal
_equal = np.equal
_isfinite = np.isfinite
_isnan = np.isnan
_maximum = np.maximum
_minimum = np.minimum
_logical_and = np.logical_and
_logical_or = np.logical_or
_logical_not = np.logical_not
_default_rng = np.random.default_rng
_Generator = np.random.Generator
_unravel_index = np.unravel_index
_where = np.where
_sqrt = np.sqrt

DEFAULT_RTOL = 1e-6
DEFAULT_ATOL = 1e-8


class _Fail(AssertionError):
    """An AssertionError whose text is built from lines (first line: what is wrong)."""

    def __init__(self, lines, hint=None):
        lines = [line for line in lines if line]
        if hint:
            lines.append(f"hint: {hint}")
        super().__init__("\n  ".join(lines))


# --- Turning what a student returned into an array, or saying why it cannot be --------

def _describe_wrong_type(name, value, expected_kind):
    """The message for a value that is not a number/array at all, or None if it is one."""
    if value is None:
        return (f"{name} is None, but {expected_kind} was expected: did you finish the "
                f"function and `return` the result?")
    if isinstance(value, tuple):
        return (f"{name} is a tuple of {len(value)} items, but {expected_kind} was expected: "
                f"did you return several values, e.g. (A, cache), where only one belongs?")
    if isinstance(value, list):
        advice = "" if "dictionary" in expected_kind else ": build it with NumPy (or wrap it in np.array(...))"
        return f"{name} is a Python list, but {expected_kind} was expected{advice}."
    if isinstance(value, (dict, str, bytes, set)):
        return f"{name} is a {type(value).__name__}, but {expected_kind} was expected."
    if callable(value) and not hasattr(value, "shape"):
        return (f"{name} is a function, but {expected_kind} was expected: "
                f"did you forget the parentheses of a call?")
    return None


def _as_array(name, value, expected_kind="a NumPy array", hint=None):
    """``value`` as a plain ndarray of numbers, TensorFlow tensors included."""
    problem = _describe_wrong_type(name, value, expected_kind)
    if problem:
        raise _Fail([problem], hint)
    # TensorFlow tensors and Keras variables: their .numpy() gives the values.
    if not isinstance(value, (_ndarray, _generic, numbers.Number)) and callable(getattr(value, "numpy", None)):
        value = value.numpy()
    if not isinstance(value, (_ndarray, _generic, numbers.Number)):
        raise _Fail([f"{name} is a {type(value).__name__}, but {expected_kind} was expected."], hint)
    array = _asarray(value)  # drops ndarray subclasses
    if array.dtype.kind not in "biufc":
        raise _Fail([f"{name} holds {array.dtype} values, but numbers were expected."], hint)
    return array


def _shape_problem(name, got_shape, expected_shape):
    """Why ``got_shape`` is not ``expected_shape``, in words, with a likely cause."""
    got_shape, expected_shape = tuple(got_shape), tuple(expected_shape)
    line = f"{name} has shape {got_shape}, but shape {expected_shape} was expected"
    if expected_shape == () and len(got_shape) > 0:
        return line + " (a single number: use float(...) or np.squeeze(...))."
    if len(got_shape) != len(expected_shape) and _size(got_shape) == _size(expected_shape):
        return line + " (same entries, different number of axes: did you forget keepdims=True or a reshape?)."
    if got_shape == expected_shape[::-1]:
        return line + " (the transpose: did you swap the order of a product or forget a .T?)."
    if len(got_shape) == len(expected_shape):
        axes = [str(i) for i, (g, e) in enumerate(zip(got_shape, expected_shape)) if g != e]
        return line + f" (axis {', '.join(axes)} differs: check which axis you sum or multiply over)."
    return line + "."


def _size(shape):
    size = 1
    for n in shape:
        size *= n
    return size


def _format_index(flat_position, shape):
    if not shape:
        return "()"
    return str(tuple(int(i) for i in _unravel_index(flat_position, shape)))


def _format_number(x):
    return f"{x:.6g}" if isinstance(x, (float, np.floating)) else str(x)


# --- The checks ------------------------------------------------------------------------

def assert_shape(name, value, expected, *, hint=None):
    """Check that ``value`` is an array (or tensor) of shape ``expected``.

    ``expected``: a tuple such as ``(n_h, m)``; ``()`` for a single number.
    Raises AssertionError naming ``name`` with the received and expected shapes.
    """
    array = _as_array(name, value, f"an array of shape {tuple(expected)}", hint)
    if tuple(array.shape) != tuple(expected):
        raise _Fail([_shape_problem(name, array.shape, expected)], hint)


def assert_close(name, got, expected, *, rtol=DEFAULT_RTOL, atol=DEFAULT_ATOL, hint=None):
    """Check that ``got`` equals ``expected`` entry by entry, within tolerances.

    Entry-wise test (as ``np.allclose``, but computed here with references captured at
    import): ``|got - expected| <= atol + rtol * |expected|``.

    ``got``: what the student's code produced -- a number, a NumPy array or a tensor.
    ``expected``: the reference, same shape. A single-number ``expected`` accepts a
    number or a 0-d array, not a ``(1, 1)`` array. NaN or infinity in ``got`` where
    ``expected`` is finite fails with its position.
    """
    expected_array = _asarray(expected)
    if expected_array.dtype.kind in "biu":  # masks and counts: compare as floats (no uint wrap-around)
        expected_array = expected_array.astype(np.float64)
    kind = "a number" if expected_array.shape == () else f"an array of shape {expected_array.shape}"
    got_array = _as_array(name, got, kind, hint)
    if got_array.shape != expected_array.shape:
        raise _Fail([_shape_problem(name, got_array.shape, expected_array.shape)], hint)
    if got_array.dtype.kind in "biu":
        got_array = got_array.astype(np.float64)

    got_flat = got_array.ravel()
    expected_flat = expected_array.ravel()
    got_finite = _isfinite(got_flat)
    expected_finite = _isfinite(expected_flat)

    # Non-finite values must sit where the reference has the same non-finite value.
    bad = _logical_and(_logical_not(got_finite), expected_finite)
    if _logical_or.reduce(bad, axis=None):
        first = int(bad.nonzero()[0][0])
        what = "NaN" if _isnan(got_flat[first]) else "infinity"
        raise _Fail([
            f"{name} contains {what} (first at index {_format_index(first, got_array.shape)}), "
            f"where {_format_number(expected_flat[first])} was expected.",
            "NaN or inf usually comes from log(0), a division by zero or an overflow in exp.",
        ], hint)

    both_finite = _logical_and(got_finite, expected_finite)
    # Where the reference itself is inf/NaN, only the very same value is accepted.
    same_non_finite = _logical_or(
        _equal(got_flat, expected_flat), _logical_and(_isnan(got_flat), _isnan(expected_flat)))
    safe_got = _where(both_finite, got_flat, 0)  # zeros at non-finite positions
    safe_expected = _where(both_finite, expected_flat, 0)
    difference = _absolute(_subtract(safe_got, safe_expected))
    allowed = _add(atol, _multiply(rtol, _absolute(safe_expected)))
    close = _logical_and(_less_equal(difference, allowed), _logical_or(both_finite, same_non_finite))
    if _logical_and.reduce(close, axis=None):
        return

    wrong = _logical_not(close)
    n_wrong = int(_add.reduce(wrong.astype(np.int64), axis=None))
    first = int(wrong.nonzero()[0][0])
    where = "" if got_array.shape == () else f" at index {_format_index(first, got_array.shape)}"
    if got_array.shape == ():
        first_line = f"{name} is not correct: got {_format_number(got_flat[0])}, expected {_format_number(expected_flat[0])}."
        detail = ""
    else:
        first_line = f"{name} is not correct: {n_wrong} of {got_flat.size} entries differ."
        detail = (f"first difference{where}: got {_format_number(got_flat[first])}, "
                  f"expected {_format_number(expected_flat[first])}")
    largest = float(_maximum.reduce(difference, axis=None))
    raise _Fail([
        first_line,
        detail,
        f"largest absolute difference: {largest:.4g} "
        f"(tolerance: |got - expected| <= {atol:g} + {rtol:g} * |expected|)",
        _pattern_hint(got_flat, expected_flat, both_finite),
    ], hint)


def _pattern_hint(got_flat, expected_flat, both_finite):
    """Spot two common patterns: a constant factor, or the right values in another order."""
    usable = _logical_and(both_finite, _logical_not(_equal(expected_flat, 0)))
    if not _logical_or.reduce(usable, axis=None):
        return ""
    ratios = _divide(got_flat[usable], expected_flat[usable])
    low, high = float(_minimum.reduce(ratios)), float(_maximum.reduce(ratios))
    all_used = bool(_logical_and.reduce(_logical_or(usable, _equal(got_flat, 0))))
    if all_used and high - low <= 1e-6 * max(1.0, abs(high)) and abs(high - 1.0) > 1e-6:
        if abs(high + 1.0) <= 1e-6:
            return "got is the negative of the expected value: a wrong sign?"
        if got_flat.size > 1 and abs(high) > 1e-12:  # one number is always a multiple of another
            return f"got is {high:.6g} times the expected value everywhere: a missing or extra factor?"
    if got_flat.size > 1:
        got_sorted, expected_sorted = got_flat.copy(), expected_flat.copy()
        got_sorted.sort()
        expected_sorted.sort()
        if bool(_logical_and.reduce(_less_equal(
                _absolute(_subtract(got_sorted, expected_sorted)),
                _add(DEFAULT_ATOL, _multiply(DEFAULT_RTOL, _absolute(expected_sorted)))))):
            return "the values are right but in the wrong places: a transpose, a reshape or a mixed-up order?"
    return ""


def assert_dict_close(name, got, expected, *, keys=None, rtol=DEFAULT_RTOL, atol=DEFAULT_ATOL, hint=None):
    """Check a dictionary of arrays (``parameters``, ``grads``, ``v``, ``s``) key by key.

    ``keys``: the keys to compare (default: every key of ``expected``, and then any key
    of ``got`` that ``expected`` lacks is reported as unexpected). Each value is checked
    with :func:`assert_close`, so the message says which key is wrong and how.
    """
    if not isinstance(got, dict):
        problem = _describe_wrong_type(name, got, "a dictionary") or (
            f"{name} is a {type(got).__name__}, but a dictionary was expected.")
        raise _Fail([problem], hint)
    compared = list(expected) if keys is None else list(keys)
    missing = [key for key in compared if key not in got]
    if missing:
        raise _Fail([f"{name} has no key {', '.join(map(repr, missing))} "
                     f"(its keys: {', '.join(map(repr, got)) or 'none'})."], hint)
    if keys is None:
        extra = [key for key in got if key not in expected]
        if extra:
            raise _Fail([f"{name} has unexpected key {', '.join(map(repr, extra))} "
                         f"(expected exactly: {', '.join(map(repr, expected))})."], hint)
    for key in compared:
        assert_close(f"{name}[{key!r}]", got[key], expected[key], rtol=rtol, atol=atol, hint=hint)


def assert_equal(name, got, expected, *, hint=None):
    """Check exact equality of plain values (a string, an integer, a tuple of shapes)."""
    if type(got) is not type(expected) and not (
            isinstance(got, numbers.Number) and isinstance(expected, numbers.Number)):
        problem = _describe_wrong_type(name, got, f"a {type(expected).__name__}")
        raise _Fail([problem or f"{name} is a {type(got).__name__}, but a "
                     f"{type(expected).__name__} ({expected!r}) was expected."], hint)
    if not got == expected:
        raise _Fail([f"{name} is not correct: got {got!r}, expected {expected!r}."], hint)


def assert_true(condition, message, *, hint=None):
    """Fail with ``message`` (plus ``hint``) unless ``condition`` is true.

    ``condition`` must be a ``bool`` (or NumPy bool): an object of the student's making
    could claim to be true whatever it holds, so anything else is refused with TypeError.
    """
    if not isinstance(condition, (bool, np.bool_)):
        raise TypeError(f"assert_true needs a bool condition, got {type(condition).__name__}")
    if not condition:
        raise _Fail([message], hint)


def assert_raises(exception, function, *args, match=None, message=None, hint=None, **kwargs):
    """Check that ``function(*args, **kwargs)`` raises ``exception``; returns the exception.

    ``match``: a substring the exception's text must contain (e.g. the argument's name).
    """
    what = message or f"{getattr(function, '__name__', 'the call')} should refuse this input"
    try:
        function(*args, **kwargs)
    except exception as error:
        if match is not None and match not in str(error):
            raise _Fail([f"{what}: it raised {type(error).__name__}, but its message "
                         f"{str(error)!r} does not mention {match!r}."], hint) from None
        return error
    except Exception as error:  # noqa: BLE001 -- reported as the wrong kind of error
        raise _Fail([f"{what} with {exception.__name__}, but it raised "
                     f"{type(error).__name__}: {error}"], hint) from None
    raise _Fail([f"{what} with {exception.__name__}, but it returned normally."], hint)


# --- Objects a student's function receives from its own world ---------------------------

# While a submission is graded, test cells run in the grader's process, not in the
# student's kernel (see nbcourse.checker); the grader sets ``hook`` for the thread that
# checks a test cell, meanwhile.
import threading as _threading  # noqa: E402

_student_side = _threading.local()


def student_side(module):
    """``module`` as the student's code sees it: in the notebook, ``module`` itself.

    While graded, a test's own objects live outside the student's kernel; a test that must
    hand a student's function an object to work on in place (a Keras model to train, an
    optimizer) makes it with the kernel's own copy of the library::

        keras = T.student_side(tf).keras
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
        train_step(model, ...)
    """
    hook = getattr(_student_side, "hook", None)
    return hook(module) if hook is not None else module


# --- Randomized cases for hidden tests -------------------------------------------------
# Values are moderate (|entries| mostly below 2) so sigmoid and tanh do not saturate and a
# wrong formula shows up as a clear difference; biases are non-zero so that bias mistakes
# (wrong shape, regularized, forgotten) change the result.

def _rng(seed):
    if isinstance(seed, _Generator):
        return seed
    return _default_rng(seed)


def random_layer(n_prev, n, m, seed=None):
    """``(A_prev, W, b)`` for one layer: shapes ``(n_prev, m)``, ``(n, n_prev)``, ``(n, 1)``."""
    rng = _rng(seed)
    A_prev = rng.standard_normal((n_prev, m))
    W = rng.standard_normal((n, n_prev)) / _sqrt(n_prev)
    b = 0.5 * rng.standard_normal((n, 1))
    return A_prev, W, b


def random_parameters(layer_dims, seed=None):
    """``{"W1", "b1", ..., "WL", "bL"}`` with ``W[l]`` of shape ``(n[l], n[l-1])`` and ``b[l]`` of ``(n[l], 1)``.

    ``W[l] ~ N(0, 1/n[l-1])`` (activations stay of order one), ``b[l] ~ N(0, 0.25)``.
    """
    rng = _rng(seed)
    layer_dims = list(layer_dims)
    if len(layer_dims) < 2:
        raise ValueError(f"layer_dims needs at least an input and an output size, got {layer_dims}")
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters[f"W{l}"] = rng.standard_normal((layer_dims[l], layer_dims[l - 1])) / _sqrt(layer_dims[l - 1])
        parameters[f"b{l}"] = 0.5 * rng.standard_normal((layer_dims[l], 1))
    return parameters


def random_grads(parameters, seed=None):
    """``{"dW1", "db1", ...}`` shaped like ``parameters`` (standard normal entries)."""
    rng = _rng(seed)
    return {f"d{key}": rng.standard_normal(value.shape) for key, value in parameters.items()}


def random_data(n_x, m, seed=None):
    """``(X, Y)``: ``X`` of shape ``(n_x, m)`` standard normal, ``Y`` of shape ``(1, m)`` in {0, 1}.

    Both labels occur (for ``m >= 2``), so a cost that ignores one class is caught.
    """
    rng = _rng(seed)
    X = rng.standard_normal((n_x, m))
    Y = (rng.random((1, m)) < 0.5).astype(float)
    if m >= 2:
        Y[0, 0], Y[0, 1] = 0.0, 1.0
    return X, Y


def random_probabilities(shape, seed=None, low=0.05, high=0.95):
    """An array of ``shape`` with entries uniform in ``[low, high]`` (e.g. ``AL`` for a cost)."""
    return _rng(seed).uniform(low, high, size=shape)


def random_z(shape, seed=None, include_zero=True):
    """Pre-activations of ``shape``: normal entries of scale 2, with exact zeros mixed in.

    The zeros (about one in eight, at least one) catch derivatives that are wrong at
    ``z = 0`` (e.g. the ReLU derivative, which is 0 there by the course's convention).
    """
    rng = _rng(seed)
    Z = 2.0 * rng.standard_normal(shape)
    if include_zero and Z.size:
        Z[rng.random(shape) < 0.125] = 0.0
        Z.flat[int(rng.integers(Z.size))] = 0.0
    return Z


def random_layer_dims(seed=None, n_layers=(2, 4), sizes=(2, 7), n_x=None, n_y=1):
    """A random ``layer_dims`` list: ``n_layers`` weight layers (inclusive range) of
    ``sizes`` units (inclusive range), ``n_x`` inputs (random if None) and ``n_y`` outputs.

    Random sizes mean a function that hard-codes a shape from the visible test fails.
    """
    rng = _rng(seed)
    L = int(rng.integers(n_layers[0], n_layers[1] + 1))
    hidden = [int(n) for n in rng.integers(sizes[0], sizes[1] + 1, size=L - 1)]
    first = int(rng.integers(sizes[0], sizes[1] + 1)) if n_x is None else n_x
    return [first, *hidden, n_y]


#: The case builders under one name: ``random_case.layer(3, 4, 5, seed=1)``.
random_case = SimpleNamespace(
    layer=random_layer,
    parameters=random_parameters,
    grads=random_grads,
    data=random_data,
    probabilities=random_probabilities,
    z=random_z,
    layer_dims=random_layer_dims,
)

__all__ = [
    "DEFAULT_RTOL", "DEFAULT_ATOL",
    "assert_shape", "assert_close", "assert_dict_close", "assert_equal", "assert_true", "assert_raises",
    "random_case", "random_layer", "random_parameters", "random_grads", "random_data",
    "random_probabilities", "random_z", "random_layer_dims", "student_side",
]


class _ReadOnlyModule(type(np)):
    """A module whose attributes cannot be reassigned or deleted.

    ``T.assert_close = lambda *args, **kwargs: None`` in a student's cell would
    otherwise switch off every later check; now it raises AttributeError. This stops the
    obvious attempt only: code in the same process can always dig deeper, which is why
    graded tests run outside the student's process (``nbcourse.checker``).
    """

    def __setattr__(self, name, value):
        if name.startswith("__") and name.endswith("__"):  # import machinery (reload, autoreload)
            return super().__setattr__(name, value)
        raise AttributeError(f"helpers.testing.{name} cannot be replaced: the autograder's checks are read-only")

    def __delattr__(self, name):
        raise AttributeError(f"helpers.testing.{name} cannot be deleted: the autograder's checks are read-only")


import sys as _sys  # noqa: E402  (needed only for the lines below)

if __name__ in _sys.modules:  # always, unless the file is executed outside the import system
    _sys.modules[__name__].__class__ = _ReadOnlyModule
