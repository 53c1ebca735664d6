"""Every backward function of helpers against two-sided numerical gradients (float64).

The reference is computed here, independently of ``helpers.gradcheck``:
dJ/dx_i ~ (J(x + eps e_i) - J(x - eps e_i)) / (2 eps), entry by entry. Biases
are random (non-zero) so that no pre-activation sits exactly on the ReLU kink,
where a finite difference and the derivative legitimately disagree.
"""

import numpy as np
import pytest

from helpers import (
    L_model_backward,
    L_model_backward_with_dropout,
    L_model_forward,
    L_model_forward_with_dropout,
    add_l1_gradient,
    backward_propagation_with_regularization,
    compute_cost,
    compute_cost_with_regularization,
    dropout_backward,
    dropout_forward,
    gradient_check,
    linear_activation_backward,
    linear_activation_forward,
    linear_backward,
    l1_cost,
    linear_forward,
)
from helpers.testing import random_data, random_parameters

EPSILON = 1e-6
TOLERANCE = 1e-7  # relative difference accepted between backprop and finite differences
NETWORKS = {1: [4, 1], 2: [4, 5, 1], 4: [4, 6, 5, 3, 1]}  # depth L -> layer_dims
HIDDEN_ACTIVATIONS = ["relu", "leaky_relu", "tanh", "sigmoid"]
M = 8  # examples


def numerical_gradients(cost, arrays, epsilon=EPSILON):
    """Two-sided differences of ``cost(arrays)`` with respect to every entry of every array."""
    gradients = {}
    for name, value in arrays.items():
        gradient = np.zeros_like(value)
        for index in np.ndindex(value.shape):
            plus, minus = value.copy(), value.copy()
            plus[index] += epsilon
            minus[index] -= epsilon
            gradient[index] = (cost({**arrays, name: plus}) - cost({**arrays, name: minus})) / (2 * epsilon)
        gradients[name] = gradient
    return gradients


def relative_difference(analytic, numeric):
    """||a - n|| / (||a|| + ||n||) over all the entries of the listed keys."""
    a = np.concatenate([np.ravel(analytic[key]) for key in numeric])
    n = np.concatenate([np.ravel(numeric[key]) for key in numeric])
    return np.linalg.norm(a - n) / (np.linalg.norm(a) + np.linalg.norm(n))


def parameter_gradients(grads, parameters):
    """grads renamed to the parameter names ("dW1" -> "W1"), to compare with ``numerical_gradients``."""
    return {name: grads["d" + name] for name in parameters}


@pytest.fixture
def rng():
    return np.random.default_rng(20240509)


# --------------------------------------------------------------------------- one layer


def test_linear_backward_matches_finite_differences(rng):
    A_prev, W, b = rng.standard_normal((5, M)), rng.standard_normal((3, 5)), rng.standard_normal((3, 1))
    upstream = rng.standard_normal((3, M))  # J = sum(upstream * Z) has dJ/dZ = upstream

    def cost(arrays):
        Z, _ = linear_forward(arrays["A_prev"], arrays["W"], arrays["b"])
        return np.sum(upstream * Z)

    _, cache = linear_forward(A_prev, W, b)
    dA_prev, dW, db = linear_backward(upstream, cache)
    numeric = numerical_gradients(cost, {"A_prev": A_prev, "W": W, "b": b})
    # linear_backward returns dW, db averaged over the m examples (J/m) but dA_prev per example (J)
    assert relative_difference({"A_prev": dA_prev}, {"A_prev": numeric["A_prev"]}) < TOLERANCE
    assert relative_difference({"W": dW * M, "b": db * M}, {"W": numeric["W"], "b": numeric["b"]}) < TOLERANCE
    assert dW.shape == W.shape and db.shape == b.shape and dA_prev.shape == A_prev.shape


@pytest.mark.parametrize("activation", HIDDEN_ACTIVATIONS)
def test_linear_activation_backward_matches_finite_differences(rng, activation):
    A_prev, W, b = rng.standard_normal((4, M)), rng.standard_normal((3, 4)), rng.standard_normal((3, 1))
    upstream = rng.standard_normal((3, M))

    def cost(arrays):
        A, _ = linear_activation_forward(arrays["A_prev"], arrays["W"], arrays["b"], activation)
        return np.sum(upstream * A)

    _, cache = linear_activation_forward(A_prev, W, b, activation)
    dA_prev, dW, db = linear_activation_backward(upstream, cache, activation)
    numeric = numerical_gradients(cost, {"A_prev": A_prev, "W": W, "b": b})
    analytic = {"A_prev": dA_prev, "W": dW * M, "b": db * M}
    assert relative_difference(analytic, numeric) < TOLERANCE


def test_dropout_backward_matches_finite_differences(rng):
    A = rng.standard_normal((4, M))
    D = rng.random((4, M)) < 0.6
    upstream = rng.standard_normal((4, M))

    def cost(arrays):
        return np.sum(upstream * dropout_forward(arrays["A"], 0.6, D=D)[0])

    numeric = numerical_gradients(cost, {"A": A})
    assert relative_difference({"A": dropout_backward(upstream, D, 0.6)}, numeric) < TOLERANCE


# --------------------------------------------------------------------------- whole networks


@pytest.mark.parametrize("depth", sorted(NETWORKS))
@pytest.mark.parametrize("hidden_activation", HIDDEN_ACTIVATIONS)
def test_L_model_backward_matches_finite_differences(rng, depth, hidden_activation):
    parameters = random_parameters(NETWORKS[depth], seed=rng)
    X, Y = random_data(NETWORKS[depth][0], M, seed=rng)

    def cost(params):
        AL, _ = L_model_forward(X, params, hidden_activation=hidden_activation)
        return compute_cost(AL, Y)

    AL, caches = L_model_forward(X, parameters, hidden_activation=hidden_activation)
    grads = L_model_backward(AL, Y, caches, hidden_activation=hidden_activation)
    numeric = numerical_gradients(cost, parameters)
    assert relative_difference(parameter_gradients(grads, parameters), numeric) < TOLERANCE


@pytest.mark.parametrize("output_activation", ["tanh", "relu"])
def test_L_model_backward_through_a_non_sigmoid_output(rng, output_activation):
    # the general dAL = -(Y/AL - (1-Y)/(1-AL)) branch; outputs kept inside (0, 1)
    parameters = random_parameters([3, 4, 1], seed=rng)
    parameters["W2"] *= 0.1
    parameters["b2"] = np.full((1, 1), 0.5)
    X, Y = random_data(3, M, seed=rng)

    def cost(params):
        return compute_cost(L_model_forward(X, params, output_activation=output_activation)[0], Y)

    AL, caches = L_model_forward(X, parameters, output_activation=output_activation)
    assert 0 < AL.min() and AL.max() < 1
    grads = L_model_backward(AL, Y, caches, output_activation=output_activation)
    assert relative_difference(parameter_gradients(grads, parameters), numerical_gradients(cost, parameters)) < TOLERANCE


def test_dA0_is_the_gradient_with_respect_to_the_input(rng):
    parameters = random_parameters(NETWORKS[2], seed=rng)
    X, Y = random_data(NETWORKS[2][0], M, seed=rng)
    AL, caches = L_model_forward(X, parameters)
    grads = L_model_backward(AL, Y, caches)
    # as in the deeplearning.ai notes, dZ[L] = AL - Y carries no 1/m, so the dA[l] are gradients of
    # the summed loss m * J; only dW and db are averaged
    numeric = numerical_gradients(lambda a: compute_cost(L_model_forward(a["X"], parameters)[0], Y), {"X": X})
    assert relative_difference({"X": grads["dA0"] / M}, numeric) < TOLERANCE


@pytest.mark.parametrize("depth", sorted(NETWORKS))
@pytest.mark.parametrize("hidden_activation", HIDDEN_ACTIVATIONS)
def test_backward_with_L2_matches_finite_differences(rng, depth, hidden_activation):
    parameters = random_parameters(NETWORKS[depth], seed=rng)
    X, Y = random_data(NETWORKS[depth][0], M, seed=rng)
    lambd = 0.7

    def cost(params):
        AL, _ = L_model_forward(X, params, hidden_activation=hidden_activation)
        return compute_cost_with_regularization(AL, Y, params, lambd)

    AL, caches = L_model_forward(X, parameters, hidden_activation=hidden_activation)
    grads = backward_propagation_with_regularization(
        AL, Y, caches, parameters, lambd, hidden_activation=hidden_activation
    )
    assert relative_difference(parameter_gradients(grads, parameters), numerical_gradients(cost, parameters)) < TOLERANCE


@pytest.mark.parametrize("depth", [1, 4])
def test_backward_with_L1_matches_finite_differences(rng, depth):
    # |w| is differentiable wherever w != 0, which random weights are (all |w| >> EPSILON)
    parameters = random_parameters(NETWORKS[depth], seed=rng)
    X, Y = random_data(NETWORKS[depth][0], M, seed=rng)
    lambd = 0.7
    assert min(np.abs(parameters[f"W{l}"]).min() for l in range(1, depth + 1)) > 100 * EPSILON

    def cost(params):
        AL, _ = L_model_forward(X, params)
        return compute_cost(AL, Y) + l1_cost(params, lambd, M)

    AL, caches = L_model_forward(X, parameters)
    grads = add_l1_gradient(L_model_backward(AL, Y, caches), parameters, lambd, M)
    assert relative_difference(parameter_gradients(grads, parameters), numerical_gradients(cost, parameters)) < TOLERANCE


def test_l1_cost_and_gradient_by_hand():
    parameters = {"W1": np.array([[1.0, -2.0], [0.0, 3.0]]), "b1": np.array([[5.0], [5.0]])}
    grads = {"dW1": np.zeros((2, 2)), "db1": np.ones((2, 1))}
    assert l1_cost(parameters, 0.5, 2) == pytest.approx(0.25 * 6)  # biases not penalized
    regularized = add_l1_gradient(grads, parameters, 0.5, 2)
    np.testing.assert_array_equal(regularized["dW1"], 0.25 * np.array([[1.0, -1.0], [0.0, 1.0]]))  # sign(0) = 0
    np.testing.assert_array_equal(regularized["db1"], grads["db1"])


@pytest.mark.parametrize("depth", [2, 4])
@pytest.mark.parametrize("hidden_activation", HIDDEN_ACTIVATIONS)
def test_backward_with_a_fixed_dropout_mask_matches_finite_differences(rng, depth, hidden_activation):
    layer_dims = NETWORKS[depth]
    parameters = random_parameters(layer_dims, seed=rng)
    X, Y = random_data(layer_dims[0], M, seed=rng)
    keep_probs = [0.8, 0.6, 0.9][: depth - 1]
    masks = [rng.random((n, M)) < k for n, k in zip(layer_dims[1:-1], keep_probs)]

    def cost(params):
        AL, _ = L_model_forward_with_dropout(X, params, keep_probs, masks=masks, hidden_activation=hidden_activation)
        return compute_cost(AL, Y)

    AL, caches = L_model_forward_with_dropout(X, parameters, keep_probs, masks=masks, hidden_activation=hidden_activation)
    grads = L_model_backward_with_dropout(AL, Y, caches, keep_probs, hidden_activation=hidden_activation)
    assert relative_difference(parameter_gradients(grads, parameters), numerical_gradients(cost, parameters)) < TOLERANCE


# --------------------------------------------------------------------------- gradient_check itself


def network_case(rng):
    parameters = random_parameters(NETWORKS[2], seed=rng)
    X, Y = random_data(NETWORKS[2][0], M, seed=rng)
    AL, caches = L_model_forward(X, parameters)
    return parameters, L_model_backward(AL, Y, caches), X, Y


def test_gradient_check_passes_a_correct_gradient(rng):
    parameters, grads, X, Y = network_case(rng)
    assert gradient_check(parameters, grads, X, Y) < TOLERANCE


@pytest.mark.parametrize(
    "mistake",
    [
        lambda g: {**g, "dW1": g["dW1"] * 2},  # an extra factor (e.g. 1/m forgotten twice)
        lambda g: {**g, "db2": -g["db2"]},  # a sign error in one bias
        lambda g: {**g, "dW2": g["dW2"] + 1e-3},  # a small constant offset
    ],
    ids=["doubled dW1", "negated db2", "offset dW2"],
)
def test_gradient_check_flags_a_wrong_gradient(rng, mistake):
    parameters, grads, X, Y = network_case(rng)
    assert gradient_check(parameters, mistake(grads), X, Y) > 1e-5


def test_gradient_check_agrees_with_the_independent_reference(rng):
    parameters, grads, X, Y = network_case(rng)
    wrong = {**grads, "dW1": grads["dW1"] * 3}
    numeric = numerical_gradients(lambda p: compute_cost(L_model_forward(X, p)[0], Y), parameters)
    expected = relative_difference(parameter_gradients(wrong, parameters), numeric)
    assert gradient_check(parameters, wrong, X, Y) == pytest.approx(expected, rel=1e-4)


def test_gradient_check_uses_the_given_cost_function(rng):
    parameters, _, X, Y = network_case(rng)
    lambd = 2.0
    AL, caches = L_model_forward(X, parameters)
    grads = backward_propagation_with_regularization(AL, Y, caches, parameters, lambd)

    def regularized(params, X, Y):
        return compute_cost_with_regularization(L_model_forward(X, params)[0], Y, params, lambd)

    assert gradient_check(parameters, grads, X, Y, cost_fn=regularized) < TOLERANCE
    # the same L2 gradients against the unregularized cost must be flagged
    assert gradient_check(parameters, grads, X, Y) > 1e-3
