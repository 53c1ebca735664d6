"""An L-layer neural network from scratch, column-per-example.

Notation (as in the slides and the deeplearning.ai notes):

    X = A[0]: (n[0], m)    W[l]: (n[l], n[l-1])    b[l]: (n[l], 1)
    Z[l] = W[l] A[l-1] + b[l]           A[l] = g[l](Z[l])       Z[l], A[l]: (n[l], m)

``parameters`` is the dict {"W1", "b1", ..., "WL", "bL"}; ``grads`` the dict
{"dW1", "db1", ..., "dA0", ...}. A layer's ``cache`` is
``((A_prev, W, b), Z)``: what its backward step needs.
"""

import numpy as np

from ._checks import (
    as_float_array,
    check_choice,
    check_gradients,
    check_labels,
    check_layer_dims,
    check_learning_rate,
    check_matmul,
    check_parameters,
    check_same_shape,
    check_scalar,
)
from .activations import get_activation

__all__ = [
    "INIT_METHODS",
    "COST_EPSILON",
    "initialize_parameters",
    "linear_forward",
    "linear_activation_forward",
    "L_model_forward",
    "compute_cost",
    "linear_backward",
    "linear_activation_backward",
    "L_model_backward",
    "update_parameters",
    "predict",
]

#: Initialization methods of ``initialize_parameters``.
INIT_METHODS = ("zeros", "random", "he", "xavier", "glorot")

#: ``compute_cost`` clips AL to [COST_EPSILON, 1 - COST_EPSILON] so that log(0) never happens.
COST_EPSILON = 1e-12


def _init_factor(method, n_prev, n, scale):
    """The number randn is multiplied by for layer sizes n[l-1] = n_prev, n[l] = n."""
    return {
        "zeros": 0.0,
        "random": scale,
        "he": np.sqrt(2.0 / n_prev),
        "xavier": np.sqrt(1.0 / n_prev),
        "glorot": np.sqrt(2.0 / (n_prev + n)),
    }[method]


def initialize_parameters(layer_dims, method="he", seed=None, scale=0.01):
    """Weights and biases of an L-layer network.

    W[l] = randn(n[l], n[l-1]) * factor and b[l] = 0, where factor is
        "zeros":  0 (every unit identical: symmetry is never broken)
        "random": scale
        "he":     sqrt(2 / n[l-1])            (for ReLU layers)
        "xavier": sqrt(1 / n[l-1])            (for tanh layers)
        "glorot": sqrt(2 / (n[l-1] + n[l]))

    Shapes: layer_dims = [n[0], n[1], ..., n[L]] -> {"W1": (n[1], n[0]), "b1": (n[1], 1), ...}.
    ``seed`` is None, an int or a ``numpy.random.Generator`` (which is used and advanced).
    """
    dims = check_layer_dims(layer_dims)
    check_choice("method", method, INIT_METHODS)
    scale = check_scalar("scale", scale, low=0.0)
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(dims)):
        shape = (dims[l], dims[l - 1])
        if method == "zeros":
            parameters[f"W{l}"] = np.zeros(shape)
        else:
            parameters[f"W{l}"] = rng.standard_normal(shape) * _init_factor(method, dims[l - 1], dims[l], scale)
        parameters[f"b{l}"] = np.zeros((dims[l], 1))
    return parameters


# --------------------------------------------------------------------------- forward


def linear_forward(A_prev, W, b):
    """Linear part of a layer: Z = W A_prev + b.

    Shapes: A_prev (n[l-1], m), W (n[l], n[l-1]), b (n[l], 1) -> Z (n[l], m).
    Returns (Z, cache) with cache = (A_prev, W, b).
    """
    A_prev = as_float_array("A_prev", A_prev, ndim=2)
    W = as_float_array("W", W, ndim=2)
    b = as_float_array("b", b, ndim=2)
    check_matmul("W", W, "A_prev", A_prev)
    if b.shape != (W.shape[0], 1):
        raise ValueError(f"b has shape {b.shape} but W has {W.shape[0]} rows; b must be {(W.shape[0], 1)}")
    return _linear_forward(A_prev, W, b)


def _linear_forward(A_prev, W, b):
    return W @ A_prev + b, (A_prev, W, b)


def linear_activation_forward(A_prev, W, b, activation):
    """One layer: Z = W A_prev + b, A = g(Z).

    Shapes: A_prev (n[l-1], m), W (n[l], n[l-1]), b (n[l], 1) -> A (n[l], m).
    ``activation`` names g ("sigmoid", "tanh", "relu", "leaky_relu", "linear").
    Returns (A, cache) with cache = ((A_prev, W, b), Z).
    """
    get_activation(activation)
    Z, linear_cache = linear_forward(A_prev, W, b)
    return _activate(Z, linear_cache, activation)


def _activate(Z, linear_cache, activation):
    g, _ = get_activation(activation)
    return g(Z), (linear_cache, Z)


def _check_forward_inputs(X, parameters, hidden_activation, output_activation):
    get_activation(hidden_activation, "hidden_activation")
    get_activation(output_activation, "output_activation")
    num_layers = check_parameters(parameters)
    X = as_float_array("X", X, ndim=2)
    check_matmul("W1", np.asarray(parameters["W1"]), "X", X)
    return X, num_layers


def L_model_forward(X, parameters, hidden_activation="relu", output_activation="sigmoid"):
    """Forward propagation through L layers: [LINEAR -> hidden g] * (L-1) -> LINEAR -> output g.

    A[0] = X;  for l = 1..L:  Z[l] = W[l] A[l-1] + b[l],  A[l] = g[l](Z[l]).

    Shapes: X (n[0], m) -> AL (n[L], m); ``caches`` is a list of L layer caches
    ((A_prev, W, b), Z), caches[l - 1] belonging to layer l.
    """
    X, num_layers = _check_forward_inputs(X, parameters, hidden_activation, output_activation)
    return _model_forward(X, parameters, num_layers, hidden_activation, output_activation)


def _model_forward(X, parameters, num_layers, hidden_activation, output_activation, transform_hidden=None):
    """The layer loop of the forward pass. ``transform_hidden(l, A) -> (A, D)``, if given,
    is applied to each hidden layer's output (dropout) and D is appended to that layer's cache."""
    A = X
    caches = []
    for l in range(1, num_layers + 1):
        activation = hidden_activation if l < num_layers else output_activation
        Z, linear_cache = _linear_forward(A, parameters[f"W{l}"], parameters[f"b{l}"])
        A, cache = _activate(Z, linear_cache, activation)
        if transform_hidden is not None:
            A, D = transform_hidden(l, A) if l < num_layers else (A, None)
            cache = cache + (D,)
        caches.append(cache)
    return A, caches


# --------------------------------------------------------------------------- cost


def _check_probabilities(AL):
    AL = as_float_array("AL", AL, ndim=2)
    if AL.min() < 0 or AL.max() > 1:
        raise ValueError(
            f"AL must hold probabilities in [0, 1] but ranges over [{AL.min():.3g}, {AL.max():.3g}]; "
            "did you pass Z instead of sigmoid(Z)?"
        )
    return AL


def _cross_entropy(AL, Y):
    AL = np.clip(AL, COST_EPSILON, 1.0 - COST_EPSILON)
    m = Y.shape[1]
    return float(-np.sum(Y * np.log(AL) + (1.0 - Y) * np.log(1.0 - AL)) / m)


def compute_cost(AL, Y):
    """Binary cross-entropy: J = -(1/m) sum_i [ y_i log(a_i) + (1 - y_i) log(1 - a_i) ].

    Shapes: AL (1, m) predicted probabilities, Y (1, m) labels 0/1 -> a Python float.
    AL is clipped to [COST_EPSILON, 1 - COST_EPSILON] (COST_EPSILON = 1e-12)
    before the logarithms, so a saturated prediction gives a large finite cost
    instead of inf or NaN. Keras's BinaryCrossentropy does the same with 1e-7.
    """
    AL = _check_probabilities(AL)
    Y = check_labels(Y, AL)
    return _cross_entropy(AL, Y)


# --------------------------------------------------------------------------- backward


def linear_backward(dZ, cache):
    """Backward step of Z = W A_prev + b.

    dW = (1/m) dZ A_prev^T,   db = (1/m) sum(dZ, axis=1, keepdims=True),   dA_prev = W^T dZ.

    Shapes: dZ (n[l], m), cache = (A_prev (n[l-1], m), W (n[l], n[l-1]), b (n[l], 1))
    -> (dA_prev (n[l-1], m), dW (n[l], n[l-1]), db (n[l], 1)).
    """
    A_prev, W, _ = cache
    dZ = as_float_array("dZ", dZ, ndim=2)
    expected = (W.shape[0], A_prev.shape[1])
    if dZ.shape != expected:
        raise ValueError(f"dZ has shape {dZ.shape} but the cached layer gives Z the shape {expected}")
    return _linear_backward(dZ, cache)


def _linear_backward(dZ, cache):
    A_prev, W, _ = cache
    m = A_prev.shape[1]
    dW = dZ @ A_prev.T / m
    db = np.sum(dZ, axis=1, keepdims=True) / m
    dA_prev = W.T @ dZ
    return dA_prev, dW, db


def linear_activation_backward(dA, cache, activation):
    """Backward step of one layer A = g(W A_prev + b).

    dZ = dA * g'(Z), then ``linear_backward``: dW = (1/m) dZ A_prev^T,
    db = (1/m) sum(dZ, axis=1, keepdims=True), dA_prev = W^T dZ.

    Shapes: dA (n[l], m), cache = ((A_prev, W, b), Z) -> (dA_prev (n[l-1], m),
    dW (n[l], n[l-1]), db (n[l], 1)).
    """
    get_activation(activation)
    _, Z = cache
    dA = as_float_array("dA", dA, ndim=2)
    check_same_shape("dA", dA, "Z", Z)
    return _linear_activation_backward(dA, cache, activation)


def _linear_activation_backward(dA, cache, activation):
    linear_cache, Z = cache
    _, g_prime = get_activation(activation)
    return _linear_backward(dA * g_prime(Z), linear_cache)


def _output_layer_backward(AL, Y, cache, output_activation):
    """(dA[L-1], dW[L], db[L]) of the cross-entropy cost through the output layer.

    For a sigmoid output dZ[L] = AL - Y exactly; that is what
    dAL * sigmoid'(Z) equals, written so that it does not lose the gradient
    when a wrong prediction saturates (AL = 1.0 in float64 makes
    sigmoid'(Z) = 0 while AL - Y is still 1). Other outputs use
    dAL = -(Y / AL - (1 - Y) / (1 - AL)) on AL clipped as in ``compute_cost``.
    """
    if output_activation == "sigmoid":
        return _linear_backward(AL - Y, cache[0])
    AL = np.clip(AL, COST_EPSILON, 1.0 - COST_EPSILON)
    dAL = -(Y / AL - (1.0 - Y) / (1.0 - AL))
    return _linear_activation_backward(dAL, cache, output_activation)


def _check_backward_inputs(AL, Y, caches, hidden_activation, output_activation, with_dropout=False):
    get_activation(hidden_activation, "hidden_activation")
    get_activation(output_activation, "output_activation")
    AL = _check_probabilities(AL)
    Y = check_labels(Y, AL)
    if len(caches) == 0:
        raise ValueError("caches is empty; pass the caches returned by the forward pass")
    # dropout caches carry the mask as a third entry; mixing the two kinds would silently ignore masks
    if with_dropout and len(caches[0]) != 3:
        raise ValueError("these caches have no dropout masks; make them with L_model_forward_with_dropout")
    if not with_dropout and len(caches[0]) != 2:
        raise ValueError(
            "these caches hold dropout masks (from L_model_forward_with_dropout); "
            "use L_model_backward_with_dropout with the same keep_probs"
        )
    check_same_shape("AL", AL, "the last cached Z", caches[-1][1])
    return AL, Y


def L_model_backward(AL, Y, caches, hidden_activation="relu", output_activation="sigmoid"):
    """Backward propagation of the cross-entropy cost through the L layers.

    dZ[L] = AL - Y (sigmoid output; dAL = -(Y/AL - (1-Y)/(1-AL)) in general), then for
    l = L..1:  dW[l] = (1/m) dZ[l] A[l-1]^T,  db[l] = (1/m) sum(dZ[l], axis=1),
    dA[l-1] = W[l]^T dZ[l],  dZ[l-1] = dA[l-1] * g'(Z[l-1]).

    Shapes: AL (1, m), Y (1, m), caches from ``L_model_forward`` -> grads with
    "dW{l}" (n[l], n[l-1]), "db{l}" (n[l], 1) for l = 1..L and "dA{l}" (n[l], m)
    for l = 0..L-1.
    """
    AL, Y = _check_backward_inputs(AL, Y, caches, hidden_activation, output_activation)
    num_layers = len(caches)
    grads = {}
    dA, grads[f"dW{num_layers}"], grads[f"db{num_layers}"] = _output_layer_backward(
        AL, Y, caches[-1], output_activation
    )
    grads[f"dA{num_layers - 1}"] = dA
    for l in range(num_layers - 1, 0, -1):
        dA, grads[f"dW{l}"], grads[f"db{l}"] = _linear_activation_backward(dA, caches[l - 1], hidden_activation)
        grads[f"dA{l - 1}"] = dA
    return grads


# --------------------------------------------------------------------------- update, predict


def update_parameters(parameters, grads, learning_rate):
    """One gradient descent step: W[l] = W[l] - alpha dW[l], b[l] = b[l] - alpha db[l].

    Shapes: every W[l], b[l] keeps its shape. Returns a new dict (the inputs are not changed).
    """
    learning_rate = check_learning_rate(learning_rate)
    num_layers = check_gradients(parameters, grads)
    updated = {}
    for l in range(1, num_layers + 1):
        updated[f"W{l}"] = parameters[f"W{l}"] - learning_rate * grads[f"dW{l}"]
        updated[f"b{l}"] = parameters[f"b{l}"] - learning_rate * grads[f"db{l}"]
    return updated


def predict(X, parameters, threshold=0.5, hidden_activation="relu"):
    """Class predictions: y_hat = 1 where AL > threshold, else 0.

    Shapes: X (n[0], m) -> (1, m) integer array of 0/1.
    """
    threshold = check_scalar("threshold", threshold, low=0.0, high=1.0)
    AL, _ = L_model_forward(X, parameters, hidden_activation=hidden_activation)
    return (AL > threshold).astype(int)
