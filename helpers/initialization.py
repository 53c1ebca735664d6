"""Normalizing inputs, vanishing/exploding signals, and weight initialization.

The initializers are named shortcuts for ``helpers.nn.initialize_parameters``
(the slides' table: He sqrt(2 / n[l-1]) for ReLU, Xavier sqrt(1 / n[l-1]) for tanh).
"""

import numpy as np

from ._checks import as_float_array, check_positive_int
from .nn import L_model_backward, L_model_forward, initialize_parameters

__all__ = [
    "initialize_parameters_zeros",
    "initialize_parameters_random",
    "initialize_parameters_he",
    "initialize_parameters_xavier",
    "normalize_inputs",
    "deep_linear_forward",
    "activation_statistics",
]


def initialize_parameters_zeros(layer_dims):
    """W[l] = 0 and b[l] = 0: every unit of a layer computes the same thing and gets
    the same update, so the symmetry is never broken.

    Shapes: layer_dims [n[0], ..., n[L]] -> {"W{l}": (n[l], n[l-1]), "b{l}": (n[l], 1)}.
    """
    return initialize_parameters(layer_dims, method="zeros")


def initialize_parameters_random(layer_dims, scale=10, seed=None):
    """W[l] = randn(n[l], n[l-1]) * scale, b[l] = 0 (large by default: the exploding case).

    Shapes: as ``initialize_parameters_zeros``. ``seed``: None, int or numpy Generator.
    """
    return initialize_parameters(layer_dims, method="random", seed=seed, scale=scale)


def initialize_parameters_he(layer_dims, seed=None):
    """He initialization: W[l] = randn(n[l], n[l-1]) * sqrt(2 / n[l-1]), b[l] = 0.

    Keeps Var(Z[l]) steady through ReLU layers. Shapes: as ``initialize_parameters_zeros``.
    """
    return initialize_parameters(layer_dims, method="he", seed=seed)


def initialize_parameters_xavier(layer_dims, seed=None):
    """Xavier initialization: W[l] = randn(n[l], n[l-1]) * sqrt(1 / n[l-1]), b[l] = 0.

    Suited to tanh layers. Shapes: as ``initialize_parameters_zeros``.
    """
    return initialize_parameters(layer_dims, method="xavier", seed=seed)


def normalize_inputs(X_train, X_test):
    """Standardize both sets with the TRAINING set's statistics.

    mu = (1/m) sum_i x(i),   sigma = sqrt((1/m) sum_i (x(i) - mu)^2)   (per feature, on X_train),
    X_n = (X - mu) / sigma for X_train and X_test alike (never the test set's own statistics).
    A feature that is constant in the training set (sigma = 0, e.g. an always-blank
    pixel) is only centred: its sigma is reported as 1.

    Shapes: X_train (n, m_train), X_test (n, m_test) -> (X_train_n (n, m_train),
    X_test_n (n, m_test), mu (n, 1), sigma (n, 1)).
    """
    X_train = as_float_array("X_train", X_train, ndim=2)
    X_test = as_float_array("X_test", X_test, ndim=2)
    if X_test.shape[0] != X_train.shape[0]:
        raise ValueError(
            f"X_test has {X_test.shape[0]} features (rows) but X_train has {X_train.shape[0]}; they must match"
        )
    mu = X_train.mean(axis=1, keepdims=True)
    sigma = X_train.std(axis=1, keepdims=True)
    sigma = np.where(sigma > 0, sigma, 1.0)
    return (X_train - mu) / sigma, (X_test - mu) / sigma, mu, sigma


def deep_linear_forward(x, W, L):
    """Output of a deep linear network with the same weights in every layer: y_hat = x W^L.

    With g(z) = z, b = 0 and W[1] = ... = W[L] = W (the slides' row-vector
    convention, a[l] = a[l-1] W), the output is x W W ... W. For W = 0.5 I it
    shrinks like 0.5^L (vanishing), for W = 1.5 I it grows like 1.5^L (exploding).

    Shapes: x (n,) or (m, n) (one example per row), W (n, n), L >= 1 -> the shape of x.
    """
    x = as_float_array("x", x, ndim=(1, 2))
    W = as_float_array("W", W, ndim=2)
    L = check_positive_int("L", L)
    if W.shape[0] != W.shape[1]:
        raise ValueError(f"W must be square (n, n) to be applied L times, got shape {W.shape}")
    if x.shape[-1] != W.shape[0]:
        raise ValueError(f"x has {x.shape[-1]} features but W has shape {W.shape}; x W needs {W.shape[0]} features")
    return x @ np.linalg.matrix_power(W, L)


def activation_statistics(
    X, parameters, activation, Y=None, output_activation="sigmoid", return_activations=False
):
    """Per-layer mean and variance of the activations A[l] and of the gradients dW[l].

    Runs one forward pass (``activation`` in every hidden layer, ``output_activation``
    at the end) and one backward pass of the cross-entropy cost against ``Y``
    (all-zero labels when Y is None, which still sends a gradient AL - 0 back).

    Shapes: X (n[0], m), Y (n[L], m) or None. Returns ``stats``, a dict of
    arrays of shape (L,), entry l - 1 for layer l:
        "layer":       1, 2, ..., L
        "A_mean", "A_variance":    mean and variance of all entries of A[l]
        "dW_mean", "dW_variance":  mean and variance of all entries of dW[l]
    With ``return_activations=True`` returns (stats, values), values a dict of
    lists of length L holding the raw arrays: "Z" and "A" ((n[l], m) each) and
    "dW" ((n[l], n[l-1])), for histograms.
    """
    AL, caches = L_model_forward(X, parameters, hidden_activation=activation, output_activation=output_activation)
    Y = np.zeros_like(AL) if Y is None else Y
    grads = L_model_backward(AL, Y, caches, hidden_activation=activation, output_activation=output_activation)
    num_layers = len(caches)
    # caches[l] holds A[l] as the input of layer l + 1; the last activation is AL itself
    values = {
        "Z": [cache[1] for cache in caches],
        "A": [cache[0][0] for cache in caches[1:]] + [AL],
        "dW": [grads[f"dW{l}"] for l in range(1, num_layers + 1)],
    }
    stats = {"layer": np.arange(1, num_layers + 1)}
    for name in ("A", "dW"):
        stats[f"{name}_mean"] = np.array([np.mean(v) for v in values[name]])
        stats[f"{name}_variance"] = np.array([np.var(v) for v in values[name]])
    if return_activations:
        return stats, values
    return stats
