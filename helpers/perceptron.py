"""The perceptron: a weighted sum plus a bias, passed through a non-linearity."""

from ._checks import as_float_array, check_matmul, check_scalar
from .activations import get_activation

__all__ = ["perceptron_forward", "multi_output_forward"]


def perceptron_forward(X, w0, W, activation="sigmoid"):
    """Single perceptron: y_hat = g(w0 + X^T W).

    Shapes:
        X: (n,) for one input, or (n, m) for m inputs as columns.
        w0: a number (the bias).
        W: (n,) or (n, 1).
        returns: a scalar for X of shape (n,); for X of shape (n, m),
        (m,) if W is (n,) and (m, 1) if W is (n, 1).

    ``activation`` names g (see ``helpers.activations.ACTIVATIONS``).
    Slide example: w0 = 1, W = [3, -2], X = [-1, 2] gives g(1 - 3 - 4) = g(-6).
    """
    g, _ = get_activation(activation)
    X = as_float_array("X", X, ndim=(1, 2))
    W = as_float_array("W", W, ndim=(1, 2))
    w0 = check_scalar("w0", w0)
    if W.ndim == 2 and W.shape[1] != 1:
        raise ValueError(f"W must have shape (n,) or (n, 1), got {W.shape}")
    if X.shape[0] != W.shape[0]:
        raise ValueError(
            f"X has {X.shape[0]} features (rows) but W has {W.shape[0]} weights; they must be equal"
        )
    return g(w0 + X.T @ W)


def multi_output_forward(X, W, b, activation="sigmoid"):
    """Multi-output perceptron (one dense layer): y_hat = g(W X + b).

    Shapes:
        X: (n, m), m inputs as columns (or (n,) for one input).
        W: (d, n), one row of weights per output.
        b: (d, 1) (or (d,) when X is (n,)).
        returns: (d, m) (or (d,) when X is (n,)).
    """
    g, _ = get_activation(activation)
    X = as_float_array("X", X, ndim=(1, 2))
    W = as_float_array("W", W, ndim=2)
    b = as_float_array("b", b, ndim=(1, 2))
    check_matmul("W", W, "X", X)
    if X.ndim == 1 and b.shape == (W.shape[0], 1):
        b = b[:, 0]  # one input: a column of biases becomes a vector, like the output
    expected_b = (W.shape[0],) if X.ndim == 1 else (W.shape[0], 1)
    if b.shape != expected_b:
        raise ValueError(f"b has shape {b.shape} but should be {expected_b} (one bias per output)")
    return g(W @ X + b)
