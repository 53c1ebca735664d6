"""Activation functions g(z) and their derivatives g'(z), element-wise.

Every function accepts a number or an array of any shape and returns
float64 values of the same shape (a NumPy scalar for a scalar input).
"""

import numpy as np

from ._checks import check_choice

__all__ = [
    "sigmoid",
    "sigmoid_derivative",
    "tanh",
    "tanh_derivative",
    "relu",
    "relu_derivative",
    "leaky_relu",
    "leaky_relu_derivative",
    "linear",
    "linear_derivative",
    "ACTIVATIONS",
    "get_activation",
]


def _as_float(z):
    return np.asarray(z, dtype=np.float64)


def sigmoid(z):
    """Logistic sigmoid: g(z) = 1 / (1 + e^{-z}).

    Shapes: z any shape -> same shape, values in (0, 1).
    Computed through e^{-|z|}, which never overflows, so ``sigmoid(-1000)``
    is 0 without a warning: for z >= 0 it is 1 / (1 + e^{-z}), for z < 0 the
    equal form e^{z} / (1 + e^{z}).
    """
    z = _as_float(z)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))[()]


def sigmoid_derivative(z):
    """g'(z) = g(z) (1 - g(z)) with g the sigmoid.

    Shapes: z any shape -> same shape, values in (0, 0.25].
    """
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh(z):
    """Hyperbolic tangent: g(z) = (e^z - e^{-z}) / (e^z + e^{-z}).

    Shapes: z any shape -> same shape, values in (-1, 1).
    """
    return np.tanh(_as_float(z))[()]


def tanh_derivative(z):
    """g'(z) = 1 - g(z)^2 with g = tanh.

    Shapes: z any shape -> same shape.
    """
    return 1.0 - tanh(z) ** 2


def relu(z):
    """Rectified linear unit: g(z) = max(0, z).

    Shapes: z any shape -> same shape.
    """
    return np.maximum(_as_float(z), 0.0)[()]


def relu_derivative(z):
    """g'(z) = 1 if z > 0 else 0 (the value at the kink z = 0 is taken as 0).

    Shapes: z any shape -> same shape, values 0.0 or 1.0.
    """
    return (_as_float(z) > 0).astype(np.float64)[()]


def leaky_relu(z, alpha=0.01):
    """Leaky ReLU: g(z) = z if z > 0 else alpha * z.

    Shapes: z any shape -> same shape. ``alpha`` is the slope for z <= 0.
    """
    z = _as_float(z)
    return np.where(z > 0, z, alpha * z)[()]


def leaky_relu_derivative(z, alpha=0.01):
    """g'(z) = 1 if z > 0 else alpha (alpha at the kink z = 0).

    Shapes: z any shape -> same shape.
    """
    return np.where(_as_float(z) > 0, 1.0, alpha)[()]


def linear(z):
    """Identity g(z) = z (no activation), used by the deep linear network demo.

    Shapes: z any shape -> same shape.
    """
    return _as_float(z).copy()[()]


def linear_derivative(z):
    """g'(z) = 1.

    Shapes: z any shape -> same shape.
    """
    return np.ones_like(_as_float(z))[()]


#: Activation name -> (g, g'). Every ``activation=`` argument in ``helpers`` takes one of these names.
ACTIVATIONS = {
    "sigmoid": (sigmoid, sigmoid_derivative),
    "tanh": (tanh, tanh_derivative),
    "relu": (relu, relu_derivative),
    "leaky_relu": (leaky_relu, leaky_relu_derivative),
    "linear": (linear, linear_derivative),
}


def get_activation(name, argument="activation"):
    """The pair (g, g') for an activation name (one of ``ACTIVATIONS``).

    Shapes: both functions map an array of any shape to the same shape.

    Raises ValueError listing the valid names when ``name`` is unknown;
    ``argument`` is the parameter name quoted in that message.
    """
    check_choice(argument, name, tuple(ACTIVATIONS))
    return ACTIVATIONS[name]
