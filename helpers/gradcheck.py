"""Gradient checking: compare backprop's gradient with two-sided finite differences.

All parameters are flattened into one column vector theta in the order
W1, b1, W2, b2, ..., WL, bL (each array flattened row by row).
"""

import numpy as np

from ._checks import as_float_array, check_gradients, check_layer_dims, check_parameters, check_scalar
from .nn import L_model_forward, compute_cost

__all__ = [
    "dictionary_to_vector",
    "vector_to_dictionary",
    "gradients_to_vector",
    "layer_dims_of",
    "gradient_check",
]


def layer_dims_of(parameters):
    """The layer sizes [n[0], n[1], ..., n[L]] of a parameters dict.

    Shapes: W[l] (n[l], n[l-1]) for l = 1..L -> a list of L + 1 ints.
    """
    num_layers = check_parameters(parameters)
    return [np.shape(parameters["W1"])[1]] + [np.shape(parameters[f"W{l}"])[0] for l in range(1, num_layers + 1)]


def _shapes(layer_dims):
    """[("W1", (n1, n0)), ("b1", (n1, 1)), ...] in vector order."""
    dims = check_layer_dims(layer_dims)
    shapes = []
    for l in range(1, len(dims)):
        shapes += [(f"W{l}", (dims[l], dims[l - 1])), (f"b{l}", (dims[l], 1))]
    return shapes


def dictionary_to_vector(parameters):
    """Stack W1, b1, ..., WL, bL into one column.

    Shapes: parameters -> (theta (n_params, 1), keys), keys a list of n_params
    names telling which parameter each entry of theta came from.
    """
    shapes = _shapes(layer_dims_of(parameters))
    theta = np.concatenate([np.asarray(parameters[name], dtype=np.float64).reshape(-1) for name, _ in shapes])
    keys = [name for name, shape in shapes for _ in range(int(np.prod(shape)))]
    return theta.reshape(-1, 1), keys


def vector_to_dictionary(theta, layer_dims):
    """Inverse of ``dictionary_to_vector``: cut theta back into W1, b1, ..., WL, bL.

    Shapes: theta (n_params, 1) or (n_params,), layer_dims [n[0], ..., n[L]]
    -> {"W{l}": (n[l], n[l-1]), "b{l}": (n[l], 1)}.
    """
    shapes = _shapes(layer_dims)
    theta = as_float_array("theta", theta, ndim=(1, 2)).reshape(-1)
    expected = sum(int(np.prod(shape)) for _, shape in shapes)
    if theta.size != expected:
        raise ValueError(f"theta has {theta.size} entries but layer_dims {list(layer_dims)} needs {expected}")
    parameters, start = {}, 0
    for name, shape in shapes:
        size = int(np.prod(shape))
        parameters[name] = theta[start : start + size].reshape(shape).copy()
        start += size
    return parameters


def gradients_to_vector(grads, layer_dims):
    """Stack dW1, db1, ..., dWL, dbL into one column, in the order of ``dictionary_to_vector``.

    Shapes: grads (any extra keys such as "dA0" are ignored) -> (n_params, 1).
    """
    shapes = _shapes(layer_dims)
    for name, shape in shapes:
        if "d" + name not in grads:
            raise ValueError(f'grads has no "d{name}"')
        if np.shape(grads["d" + name]) != shape:
            raise ValueError(f'grads["d{name}"] has shape {np.shape(grads["d" + name])} but should be {shape}')
    return np.concatenate([np.asarray(grads["d" + name], dtype=np.float64).reshape(-1) for name, _ in shapes]).reshape(
        -1, 1
    )


def _default_cost(parameters, X, Y):
    AL, _ = L_model_forward(X, parameters)
    return compute_cost(AL, Y)


def gradient_check(parameters, grads, X, Y, epsilon=1e-7, cost_fn=None):
    """Relative difference between backprop's gradient and a numerical one.

    For every entry i of theta:
        gradapprox_i = (J(theta + epsilon e_i) - J(theta - epsilon e_i)) / (2 epsilon)
    difference = ||grad - gradapprox||_2 / (||grad||_2 + ||gradapprox||_2).
    Below about 1e-7 the gradient is right; above 1e-3 it is almost surely wrong.

    Shapes: parameters and grads as in ``helpers.nn``; X (n[0], m), Y (1, m) -> a float.
    ``cost_fn(parameters, X, Y) -> float`` is the cost J; by default the
    cross-entropy of ``L_model_forward`` (ReLU hidden layers, sigmoid output).
    It costs two evaluations of J per parameter: use small networks.
    """
    epsilon = check_scalar("epsilon", epsilon, low=0.0, low_open=True)
    check_gradients(parameters, grads)
    cost_fn = _default_cost if cost_fn is None else cost_fn
    layer_dims = layer_dims_of(parameters)
    theta, _ = dictionary_to_vector(parameters)
    grad = gradients_to_vector(grads, layer_dims)
    gradapprox = np.zeros_like(theta)
    for i in range(theta.shape[0]):  # one nudged copy per parameter: inherent to finite differences
        theta_plus, theta_minus = theta.copy(), theta.copy()
        theta_plus[i] += epsilon
        theta_minus[i] -= epsilon
        J_plus = cost_fn(vector_to_dictionary(theta_plus, layer_dims), X, Y)
        J_minus = cost_fn(vector_to_dictionary(theta_minus, layer_dims), X, Y)
        gradapprox[i] = (J_plus - J_minus) / (2.0 * epsilon)
    numerator = np.linalg.norm(grad - gradapprox)
    denominator = np.linalg.norm(grad) + np.linalg.norm(gradapprox)
    if denominator == 0:
        return 0.0
    return float(numerator / denominator)
