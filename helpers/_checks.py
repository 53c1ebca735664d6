"""Input validation shared by every module of ``helpers``.

Each check raises a ``ValueError`` whose message names the argument, what
was received and what was expected, so that a student reading the message
knows which line of their code to look at.  The checks return the value
they validated (converted to a float64 array where that makes sense), so a
public function can write ``X = as_float_array("X", X)`` and move on.
"""

import numbers

import numpy as np

__all__ = []  # private module: nothing here is part of the public contract


def _describe(value):
    """A short description of a value for an error message."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    return repr(value)


def as_float_array(name, value, ndim=None, allow_nan=False):
    """``value`` as a float64 array, refusing NaN and a wrong number of dimensions.

    ``ndim`` is an int or a tuple of accepted ints.
    """
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be numeric, got {_describe(value)} ({error})") from None
    if ndim is not None:
        accepted = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if array.ndim not in accepted:
            wanted = " or ".join(f"{d}-D" for d in accepted)
            raise ValueError(f"{name} must be {wanted}, got an array of shape {array.shape}")
    if not allow_nan and np.isnan(array).any():
        where = tuple(int(i) for i in np.argwhere(np.isnan(array))[0])
        raise ValueError(f"{name} contains NaN (first at index {where}); check the code that produced it")
    return array


def check_scalar(name, value, low=None, high=None, low_open=False, high_open=False):
    """A real number inside ``[low, high]`` (ends opened by ``low_open``/``high_open``)."""
    # Update rules check several scalars on every step: a plain float (the usual case) skips
    # the abstract-class check, which costs more than the rest of this function.
    if type(value) is not float:
        if isinstance(value, np.ndarray) and value.ndim == 0:
            value = value.item()
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise ValueError(f"{name} must be a number, got {_describe(value)}")
    if value != value:  # NaN is the one number not equal to itself
        raise ValueError(f"{name} is NaN")
    too_low = low is not None and (value <= low if low_open else value < low)
    too_high = high is not None and (value >= high if high_open else value > high)
    if (too_low or too_high) and high is None:
        raise ValueError(f"{name} must be {'>' if low_open else '>='} {low:g}, got {value!r}")
    if too_low or too_high:
        left = "(" if low_open else "["
        right = ")" if high_open else "]"
        low_text = "-inf" if low is None else f"{low:g}"
        high_text = "inf" if high is None else f"{high:g}"
        raise ValueError(f"{name} must lie in {left}{low_text}, {high_text}{right}, got {value!r}")
    return float(value)


def check_keep_prob(keep_prob, name="keep_prob"):
    """A probability of keeping a unit: 0 < keep_prob <= 1."""
    return check_scalar(name, keep_prob, low=0.0, high=1.0, low_open=True)


def check_learning_rate(learning_rate, name="learning_rate"):
    """A non-negative learning rate."""
    return check_scalar(name, learning_rate, low=0.0)


def check_beta(beta, name="beta"):
    """An averaging coefficient: 0 <= beta < 1 (beta = 1 would never forget the start)."""
    return check_scalar(name, beta, low=0.0, high=1.0, high_open=True)


def check_positive_int(name, value):
    """A whole number >= 1."""
    if type(value) is int and value >= 1:  # the usual case, without the abstract-class check
        return value
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name} must be a whole number >= 1, got {_describe(value)}")
    return int(value)


def check_choice(name, value, choices):
    """``value`` must be one of ``choices``; the message lists them."""
    if value not in choices:
        valid = ", ".join(repr(c) for c in choices)
        raise ValueError(f"unknown {name} {value!r}; valid choices are {valid}")
    return value


def check_layer_dims(layer_dims):
    """A list of at least two positive layer sizes ``[n_x, n_1, ..., n_L]``."""
    try:
        dims = list(layer_dims)
    except TypeError:
        raise ValueError(f"layer_dims must be a list of layer sizes, got {_describe(layer_dims)}") from None
    if len(dims) == 0:
        raise ValueError("layer_dims is empty; give the sizes [n_x, n_1, ..., n_L] (at least two numbers)")
    if len(dims) < 2:
        raise ValueError(
            f"layer_dims = {dims} has only the input size; add at least one layer, e.g. [{dims[0]}, 1]"
        )
    for index, size in enumerate(dims):
        check_positive_int(f"layer_dims[{index}]", size)
    return [int(size) for size in dims]


def check_parameters(parameters):
    """The number of layers L of a ``{"W1", "b1", ..., "WL", "bL"}`` dict, checking the shapes chain."""
    if not isinstance(parameters, dict) or "W1" not in parameters:
        raise ValueError('parameters must be a dict {"W1": ..., "b1": ..., ..., "WL": ..., "bL": ...}')
    num_layers = 0
    while f"W{num_layers + 1}" in parameters:
        num_layers += 1
    for l in range(1, num_layers + 1):
        W = parameters[f"W{l}"]
        if f"b{l}" not in parameters:
            raise ValueError(f'parameters has "W{l}" but no "b{l}"')
        b = parameters[f"b{l}"]
        if np.ndim(W) != 2:
            raise ValueError(f"W{l} must be 2-D (n[{l}], n[{l - 1}]), got shape {np.shape(W)}")
        if np.shape(b) != (np.shape(W)[0], 1):
            raise ValueError(f"b{l} has shape {np.shape(b)} but should be {(np.shape(W)[0], 1)} to match W{l}")
        if l > 1:
            W_prev_shape = np.shape(parameters[f"W{l - 1}"])
            if np.shape(W)[1] != W_prev_shape[0]:
                raise ValueError(
                    f"W{l} has shape {np.shape(W)} but A{l - 1} has {W_prev_shape[0]} rows "
                    f"(W{l - 1} has shape {W_prev_shape}); W{l} needs {W_prev_shape[0]} columns"
                )
    return num_layers


def check_gradients(parameters, grads, prefix="d", grads_name="grads"):
    """``grads`` (or an optimizer state ``v``/``s``) holds ``dW[l]``/``db[l]`` shaped like ``W[l]``/``b[l]``."""
    num_layers = check_parameters(parameters)
    if not isinstance(grads, dict):
        raise ValueError(f"{grads_name} must be a dict with keys dW1, db1, ..., got {_describe(grads)}")
    for l in range(1, num_layers + 1):
        for name in (f"W{l}", f"b{l}"):
            key = prefix + name
            if key not in grads:
                raise ValueError(f'{grads_name} has no "{key}" (parameters has "{name}")')
            if np.shape(grads[key]) != np.shape(parameters[name]):
                raise ValueError(
                    f'{grads_name}["{key}"] has shape {np.shape(grads[key])} but {name} has shape '
                    f"{np.shape(parameters[name])}; they must match"
                )
    return num_layers


def check_matmul(W_name, W, A_name, A):
    """``W @ A`` must be defined: W's columns equal A's rows."""
    if W.shape[1] != A.shape[0]:
        raise ValueError(
            f"{W_name} has shape {W.shape} but {A_name} has {A.shape[0]} rows; "
            f"{W_name} @ {A_name} needs {W_name} to have {A.shape[0]} columns"
        )


def check_same_shape(name, value, reference_name, reference):
    """``value`` must have exactly the shape of ``reference``."""
    if type(value) is np.ndarray and type(reference) is np.ndarray and value.shape == reference.shape:
        return  # the usual case, without np.shape's dispatch (update rules check every array on every step)
    if np.shape(value) != np.shape(reference):
        raise ValueError(
            f"{name} has shape {np.shape(value)} but {reference_name} has shape {np.shape(reference)}; "
            "they must match"
        )


def check_labels(Y, AL, Y_name="Y", AL_name="AL"):
    """Labels ``Y`` with the shape of the predictions ``AL``, as floats."""
    Y = as_float_array(Y_name, Y)
    check_same_shape(Y_name, Y, AL_name, AL)
    return Y


def check_examples(X, Y, X_name="X", Y_name="Y"):
    """``X`` (n_x, m) and ``Y`` (1, m) hold the same number of examples (columns)."""
    X = as_float_array(X_name, X, ndim=2)
    Y = as_float_array(Y_name, Y, ndim=2)
    if X.shape[1] != Y.shape[1]:
        raise ValueError(
            f"{X_name} has {X.shape[1]} examples (columns) but {Y_name} has {Y.shape[1]}; "
            f"{X_name} is (n_x, m) and {Y_name} is (1, m)"
        )
    return X, Y
