"""Setting up data and fighting overfitting: splits, bias/variance, L2, dropout.

Shapes follow ``helpers.nn``: X (n[0], m), Y (1, m), W[l] (n[l], n[l-1]).
"""

import numpy as np

from ._checks import as_float_array, check_examples, check_gradients, check_keep_prob, check_parameters, check_scalar
from .nn import (
    _check_backward_inputs,
    _check_forward_inputs,
    _linear_activation_backward,
    _model_forward,
    _output_layer_backward,
    compute_cost,
    L_model_backward,
)

__all__ = [
    "l2_cost",
    "compute_cost_with_regularization",
    "add_l2_gradient",
    "backward_propagation_with_regularization",
    "l1_cost",
    "add_l1_gradient",
    "dropout_forward",
    "dropout_backward",
    "L_model_forward_with_dropout",
    "L_model_backward_with_dropout",
    "shift_images",
    "flip_images",
    "train_dev_test_split",
    "diagnose_bias_variance",
]


# --------------------------------------------------------------------------- L2


def l2_cost(parameters, lambd, m):
    """L2 penalty: (1/m) (lambd/2) sum_l ||W[l]||_F^2 (the biases are not penalized).

    Shapes: parameters {"W1", "b1", ...}; lambd >= 0; m the number of examples -> a float.
    """
    num_layers = check_parameters(parameters)
    lambd = check_scalar("lambd", lambd, low=0.0)
    m = check_scalar("m", m, low=0.0, low_open=True)
    squared_norms = sum(np.sum(np.square(parameters[f"W{l}"])) for l in range(1, num_layers + 1))
    return float(lambd / (2.0 * m) * squared_norms)


def compute_cost_with_regularization(AL, Y, parameters, lambd):
    """J_regularized = cross-entropy(AL, Y) + (1/m)(lambd/2) sum_l ||W[l]||_F^2.

    Shapes: AL (1, m), Y (1, m) -> a float. AL is clipped as in ``compute_cost``.
    """
    cost = compute_cost(AL, Y)
    return cost + l2_cost(parameters, lambd, np.shape(Y)[1])


def _add_penalty_gradient(grads, parameters, lambd, m, shape_of_penalty):
    """A new grads dict with dW[l] + (lambd/m) shape_of_penalty(W[l]); every other entry unchanged."""
    num_layers = check_gradients(parameters, grads)
    lambd = check_scalar("lambd", lambd, low=0.0)
    m = check_scalar("m", m, low=0.0, low_open=True)
    regularized = dict(grads)
    for l in range(1, num_layers + 1):
        regularized[f"dW{l}"] = grads[f"dW{l}"] + (lambd / m) * shape_of_penalty(parameters[f"W{l}"])
    return regularized


def add_l2_gradient(grads, parameters, lambd, m):
    """The gradient of the L2 penalty added to backprop's: dW[l] + (lambd/m) W[l].

    db[l] and dA[l] are unchanged (biases are not regularized).
    Shapes: grads as from ``L_model_backward`` -> a new grads dict of the same shapes.
    """
    return _add_penalty_gradient(grads, parameters, lambd, m, lambda W: W)


def backward_propagation_with_regularization(
    AL, Y, caches, parameters, lambd, hidden_activation="relu", output_activation="sigmoid"
):
    """Backprop of J_regularized: as ``L_model_backward``, then dW[l] += (lambd/m) W[l].

    With gradient descent this is "weight decay":
    W[l] = (1 - alpha lambd / m) W[l] - alpha (dW[l] from backprop).

    Shapes: AL (1, m), Y (1, m), caches from ``L_model_forward`` -> grads like ``L_model_backward``.
    """
    grads = L_model_backward(AL, Y, caches, hidden_activation, output_activation)
    return add_l2_gradient(grads, parameters, lambd, np.shape(Y)[1])


# --------------------------------------------------------------------------- L1


def l1_cost(parameters, lambd, m):
    """L1 penalty: (lambd/m) sum_l sum_kj |W[l]_kj| (the biases are not penalized).

    Shapes: parameters {"W1", "b1", ...}; lambd >= 0; m the number of training examples -> a float.
    Keras's ``regularizers.L1(factor)`` adds factor * sum |W|, so factor = lambd / m matches it.
    """
    num_layers = check_parameters(parameters)
    lambd = check_scalar("lambd", lambd, low=0.0)
    m = check_scalar("m", m, low=0.0, low_open=True)
    absolute_sums = sum(np.sum(np.abs(parameters[f"W{l}"])) for l in range(1, num_layers + 1))
    return float(lambd / m * absolute_sums)


def add_l1_gradient(grads, parameters, lambd, m):
    """The (sub)gradient of the L1 penalty added to backprop's: dW[l] + (lambd/m) sign(W[l]).

    |w| has no derivative at w = 0; sign(0) = 0 is the subgradient used there (as TensorFlow's).
    Every other entry (db[l], dA[l]) is unchanged.
    Shapes: grads as from ``L_model_backward`` -> a new grads dict of the same shapes.
    """
    return _add_penalty_gradient(grads, parameters, lambd, m, np.sign)


# --------------------------------------------------------------------------- dropout


def dropout_forward(A, keep_prob, D=None, rng=None):
    """Inverted dropout: D = (rng.random(A.shape) < keep_prob), A_out = A * D / keep_prob.

    Each unit is kept with probability ``keep_prob``; dividing by keep_prob
    keeps the expected value of A_out equal to A, so nothing changes at test
    time (where dropout is simply not applied). Keras's ``Dropout(rate)``
    takes the drop rate: rate = 1 - keep_prob.

    Shapes: A (n, m) (any shape), D None or the same shape as A (a 0/1 or
    boolean mask; given, the function is deterministic) -> (A_out like A, D).
    ``rng`` is None, an int seed or a ``numpy.random.Generator``.
    """
    A = as_float_array("A", A)
    keep_prob = check_keep_prob(keep_prob)
    if D is None:
        D = np.random.default_rng(rng).random(A.shape) < keep_prob
    else:
        D = _check_mask(D, A, "A")
    return A * D / keep_prob, D


def _check_mask(D, A, A_name):
    D = np.asarray(D)
    if D.shape != A.shape:
        raise ValueError(f"the dropout mask D has shape {D.shape} but {A_name} has shape {A.shape}; they must match")
    if D.dtype != bool and not np.isin(D, (0, 1)).all():
        raise ValueError("the dropout mask D must hold only 0/1 (or True/False)")
    return D


def dropout_backward(dA, D, keep_prob):
    """Backward step of inverted dropout: dA_out = dA * D / keep_prob, with the forward pass's mask D.

    Shapes: dA (n, m), D (n, m) -> (n, m).
    """
    dA = as_float_array("dA", dA)
    keep_prob = check_keep_prob(keep_prob)
    D = _check_mask(D, dA, "dA")
    return dA * D / keep_prob


def _hidden_keep_probs(keep_prob, num_hidden):
    """One keep probability per hidden layer, from a number or a list."""
    if np.ndim(keep_prob) == 0:
        return [check_keep_prob(keep_prob)] * num_hidden
    keep_probs = list(keep_prob)
    if len(keep_probs) != num_hidden:
        raise ValueError(
            f"keep_prob has {len(keep_probs)} entries but the network has {num_hidden} hidden layers; "
            "give one per hidden layer (no dropout on the input or the output) or a single number"
        )
    return [check_keep_prob(k, f"keep_prob[{i}]") for i, k in enumerate(keep_probs)]


def L_model_forward_with_dropout(
    X, parameters, keep_probs, rng=None, masks=None, hidden_activation="relu", output_activation="sigmoid"
):
    """``L_model_forward`` with inverted dropout on the output of every hidden layer.

    For l = 1..L-1: A[l] = g(Z[l]) * D[l] / keep_probs[l-1]. No dropout on the
    input X or on the output AL.

    Shapes: X (n[0], m); keep_probs a number (every hidden layer) or a list of
    L-1 numbers in (0, 1]; masks None (drawn with ``rng``) or a list of L-1
    arrays D[l] of shape (n[l], m) -> (AL (n[L], m), caches), where
    caches[l - 1] = ((A_prev, W, b), Z, D) for layer l (D is None for the output layer).
    """
    X, num_layers = _check_forward_inputs(X, parameters, hidden_activation, output_activation)
    keep_probs = _hidden_keep_probs(keep_probs, num_layers - 1)
    if masks is not None and len(masks) != num_layers - 1:
        raise ValueError(f"masks has {len(masks)} entries but the network has {num_layers - 1} hidden layers")
    rng = np.random.default_rng(rng)

    def drop_units(l, A):
        return dropout_forward(A, keep_probs[l - 1], D=None if masks is None else masks[l - 1], rng=rng)

    return _model_forward(X, parameters, num_layers, hidden_activation, output_activation, drop_units)


def L_model_backward_with_dropout(
    AL, Y, caches, keep_probs, hidden_activation="relu", output_activation="sigmoid"
):
    """``L_model_backward`` through a forward pass made by ``L_model_forward_with_dropout``.

    The gradient reaching a hidden layer's output goes through the same mask:
    dA[l] = (W[l+1]^T dZ[l+1]) * D[l] / keep_probs[l-1], then dZ[l] = dA[l] * g'(Z[l]).

    Shapes: AL (1, m), Y (1, m), caches with masks -> grads like ``L_model_backward``
    ("dA{l}" is the gradient with respect to A[l] before its dropout).
    """
    AL, Y = _check_backward_inputs(AL, Y, caches, hidden_activation, output_activation, with_dropout=True)
    num_layers = len(caches)
    keep_probs = _hidden_keep_probs(keep_probs, num_layers - 1)
    grads = {}
    output_linear_cache, output_Z, _ = caches[-1]
    dA, grads[f"dW{num_layers}"], grads[f"db{num_layers}"] = _output_layer_backward(
        AL, Y, (output_linear_cache, output_Z), output_activation
    )
    for l in range(num_layers - 1, 0, -1):
        linear_cache, Z, D = caches[l - 1]
        dA = dropout_backward(dA, D, keep_probs[l - 1])
        grads[f"dA{l}"] = dA
        dA, grads[f"dW{l}"], grads[f"db{l}"] = _linear_activation_backward(dA, (linear_cache, Z), hidden_activation)
    grads["dA0"] = dA
    return grads


# --------------------------------------------------------------------------- data augmentation


def _as_images(X, image_shape):
    X = as_float_array("X", X, ndim=2)
    height, width = image_shape
    if X.shape[0] != height * width:
        raise ValueError(f"X has {X.shape[0]} rows but images of shape {image_shape} have {height * width} pixels")
    return X.T.reshape(-1, height, width)


def shift_images(X, dx, dy, image_shape=(8, 8)):
    """Move every image dx pixels right and dy pixels down; pixels moved in from outside are 0.

    out[r, c] = image[r - dy, c - dx] where that pixel exists, else 0
    (negative dx moves left, negative dy up; what leaves the frame is lost).

    Shapes: X (height * width, m), one flattened image per column (row-major, as the
    digits) -> (height * width, m).
    """
    images = _as_images(X, image_shape)
    height, width = image_shape
    dx, dy = int(dx), int(dy)
    shifted = np.zeros_like(images)
    if abs(dx) < width and abs(dy) < height:
        shifted[:, max(dy, 0) : height + min(dy, 0), max(dx, 0) : width + min(dx, 0)] = images[
            :, max(-dy, 0) : height + min(-dy, 0), max(-dx, 0) : width + min(-dx, 0)
        ]
    return shifted.reshape(-1, height * width).T


def flip_images(X, image_shape=(8, 8)):
    """Mirror every image left to right: out[r, c] = image[r, width - 1 - c].

    Shapes: X (height * width, m) -> (height * width, m).
    """
    images = _as_images(X, image_shape)
    return images[:, :, ::-1].reshape(-1, image_shape[0] * image_shape[1]).T


# --------------------------------------------------------------------------- splitting and diagnosing


def train_dev_test_split(X, Y, fractions=(0.98, 0.01, 0.01), seed=None):
    """Shuffle the examples and split them into train, dev and test sets.

    The dev and test sets get round(fraction * m) examples each, the train
    set the rest. One permutation serves X and Y, so pairs stay together.

    Shapes: X (n_x, m), Y (1, m) -> (X_train, Y_train, X_dev, Y_dev, X_test, Y_test),
    each X_* (n_x, m_*) and Y_* (1, m_*).
    ``fractions`` = (train, dev, test), non-negative, summing to 1.
    """
    X, Y = check_examples(X, Y)
    if len(fractions) != 3:
        raise ValueError(f"fractions must be (train, dev, test), got {fractions!r}")
    train_fraction, dev_fraction, test_fraction = (
        check_scalar(f"fractions[{i}]", f, low=0.0, high=1.0) for i, f in enumerate(fractions)
    )
    if not np.isclose(train_fraction + dev_fraction + test_fraction, 1.0):
        raise ValueError(f"fractions must add up to 1, got {fractions!r} (sum {sum(fractions):g})")
    m = X.shape[1]
    m_dev, m_test = int(round(dev_fraction * m)), int(round(test_fraction * m))
    m_train = m - m_dev - m_test
    order = np.random.default_rng(seed).permutation(m)
    train, dev, test = order[:m_train], order[m_train : m_train + m_dev], order[m_train + m_dev :]
    return X[:, train], Y[:, train], X[:, dev], Y[:, dev], X[:, test], Y[:, test]


def diagnose_bias_variance(train_error, dev_error, bayes_error=0.0, tolerance=0.05):
    """Name the problem from the errors, as in the slides' bias/variance table.

    avoidable bias = train_error - bayes_error,   variance = dev_error - train_error;
    each is "high" when it exceeds ``tolerance``.
    Shapes: errors are numbers, fractions in [0, 1] (0.15 for 15%) -> a string.

    Returns one of "high bias", "high variance", "high bias and high variance",
    "low bias and low variance". The slides' four scenarios (train/dev):
    1%/16% high variance, 15%/16% high bias, 15%/30% both, 0.5%/1% neither.
    """
    errors = {"train_error": train_error, "dev_error": dev_error, "bayes_error": bayes_error}
    for name, value in errors.items():
        if isinstance(value, (int, float)) and 1.0 < value <= 100.0:
            raise ValueError(f"{name} = {value!r} looks like a percentage; give errors as fractions (0.15 for 15%)")
        errors[name] = check_scalar(name, value, low=0.0, high=1.0)
    tolerance = check_scalar("tolerance", tolerance, low=0.0)
    high_bias = errors["train_error"] - errors["bayes_error"] > tolerance
    high_variance = errors["dev_error"] - errors["train_error"] > tolerance
    if high_bias and high_variance:
        return "high bias and high variance"
    if high_bias:
        return "high bias"
    if high_variance:
        return "high variance"
    return "low bias and low variance"
