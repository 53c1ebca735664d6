"""The lesson's worked examples and known values, and independent references (pandas)."""

import functools

import numpy as np
import pandas as pd
import pytest

from helpers import (
    deep_linear_forward,
    diagnose_bias_variance,
    ewma,
    exponential_decay,
    inverse_time_decay,
    multi_output_forward,
    normalize_inputs,
    perceptron_forward,
    schedule_lr_decay,
    sigmoid,
    sqrt_decay,
    train_dev_test_split,
)

# --------------------------------------------------------------------------- perceptron


def test_perceptron_slide_example_is_g_of_minus_6():
    # y_hat = g(1 + 3 x1 - 2 x2) at x = (-1, 2): 1 - 3 - 4 = -6. (One slide writes g(-9) after
    # substituting -2 for x1; with x1 = -1 the value is g(-6).)
    assert perceptron_forward([-1, 2], 1, [3, -2], activation="linear") == pytest.approx(-6.0)
    assert perceptron_forward([-1, 2], 1, [3, -2]) == pytest.approx(1 / (1 + np.exp(6)), rel=1e-12)
    assert perceptron_forward([-1, 2], 1, [3, -2]) == pytest.approx(0.0024726231566347743, rel=1e-12)


def test_perceptron_on_several_inputs_gives_one_output_per_column():
    X = np.array([[-1.0, 0.0, 2.0], [2.0, 0.0, 1.0]])  # three inputs as columns
    expected_z = 1 + 3 * X[0] - 2 * X[1]  # -6, 1, 5
    np.testing.assert_allclose(perceptron_forward(X, 1, [3, -2]), sigmoid(expected_z))
    column = perceptron_forward(X, 1, np.array([[3.0], [-2.0]]))
    assert column.shape == (3, 1)
    np.testing.assert_allclose(column[:, 0], sigmoid(expected_z))


def test_multi_output_perceptron_is_one_perceptron_per_row_of_W():
    rng = np.random.default_rng(0)
    X, W, b = rng.standard_normal((4, 6)), rng.standard_normal((3, 4)), rng.standard_normal((3, 1))
    Y = multi_output_forward(X, W, b, activation="tanh")
    assert Y.shape == (3, 6)
    for i in range(3):
        np.testing.assert_allclose(Y[i], perceptron_forward(X, b[i, 0], W[i], activation="tanh"), rtol=1e-12)


# --------------------------------------------------------------------------- EWMA


def test_ewma_bias_correction_slide_example():
    # beta = 0.98: V2 = 0.98 * 0.02 theta1 + 0.02 theta2 = 0.0196 theta1 + 0.02 theta2,
    # corrected by 1 - 0.98^2 = 0.0396.
    theta1, theta2 = 10.0, 14.0
    V = ewma([theta1, theta2], beta=0.98)
    assert V[1] == pytest.approx(0.0196 * theta1 + 0.02 * theta2, rel=1e-12)
    corrected = ewma([theta1, theta2], beta=0.98, bias_correction=True)
    assert corrected[1] == pytest.approx((0.0196 * theta1 + 0.02 * theta2) / 0.0396, rel=1e-12)
    assert corrected[0] == pytest.approx(theta1)  # V1 / (1 - beta) = theta1: no start-up bias


@pytest.mark.parametrize("beta", [0.5, 0.9, 0.98])
def test_ewma_with_bias_correction_is_pandas_adjusted_ewm(beta):
    theta = np.random.default_rng(1).normal(20, 5, size=200)
    expected = pd.Series(theta).ewm(alpha=1 - beta, adjust=True).mean().to_numpy()
    np.testing.assert_allclose(ewma(theta, beta=beta, bias_correction=True), expected, rtol=1e-12)


@pytest.mark.parametrize("beta", [0.5, 0.9, 0.98])
def test_ewma_without_correction_is_pandas_recursive_ewm_started_at_zero(beta):
    # pandas adjust=False starts at the first value; putting V_0 = 0 in front reproduces our start
    theta = np.random.default_rng(2).normal(20, 5, size=200)
    expected = pd.Series(np.concatenate([[0.0], theta])).ewm(alpha=1 - beta, adjust=False).mean().to_numpy()[1:]
    np.testing.assert_allclose(ewma(theta, beta=beta), expected, rtol=1e-12)


def test_ewma_of_a_constant_reaches_it_and_bias_correction_removes_the_lag():
    V = ewma(np.full(100, 7.0), beta=0.9)
    assert V[0] == pytest.approx(0.7) and V[-1] == pytest.approx(7.0, rel=1e-4)
    np.testing.assert_allclose(ewma(np.full(100, 7.0), beta=0.9, bias_correction=True), 7.0, rtol=1e-12)


# --------------------------------------------------------------------------- learning-rate decay


def test_inverse_time_decay_known_values():
    # alpha_0 = 0.2, decay_rate = 1: epochs 1, 2, 3, 4 give 0.1, 0.0667, 0.05, 0.04
    np.testing.assert_allclose(inverse_time_decay(0.2, np.arange(1, 5), decay_rate=1), [0.1, 0.2 / 3, 0.05, 0.04])
    assert inverse_time_decay(0.2, 0, decay_rate=1) == pytest.approx(0.2)


def test_schedule_lr_decay_steps_every_time_interval():
    epochs = np.array([0, 999, 1000, 1999, 2000, 5500])
    # floor(epoch / 1000) = 0, 0, 1, 1, 2, 5
    np.testing.assert_allclose(schedule_lr_decay(0.5, epochs, decay_rate=0.3), 0.5 / (1 + 0.3 * np.array([0, 0, 1, 1, 2, 5])))
    assert schedule_lr_decay(0.5, 25, decay_rate=1, time_interval=10) == pytest.approx(0.5 / 3)


def test_exponential_and_sqrt_decay_known_values():
    assert exponential_decay(0.1, 0) == pytest.approx(0.1)
    assert exponential_decay(0.1, 2) == pytest.approx(0.95**2 * 0.1)
    assert exponential_decay(0.1, 3, base=0.5) == pytest.approx(0.0125)
    assert sqrt_decay(0.1, 4) == pytest.approx(0.05)
    assert sqrt_decay(0.1, 9, k=1.5) == pytest.approx(0.05)


def test_decay_functions_plug_into_train_as_callables():
    decay = functools.partial(inverse_time_decay, decay_rate=1)
    assert decay(0.2, 3) == pytest.approx(0.05)


# --------------------------------------------------------------------------- bias and variance


@pytest.mark.parametrize(
    "train_error, dev_error, expected",
    [
        (0.01, 0.16, "high variance"),  # scenario 1 of the slides' table (1% / 16%)
        (0.01, 0.11, "high variance"),  # the same diagnosis with an 11% dev error
        (0.15, 0.16, "high bias"),  # scenario 2
        (0.15, 0.30, "high bias and high variance"),  # scenario 3
        (0.005, 0.01, "low bias and low variance"),  # scenario 4
    ],
)
def test_diagnose_bias_variance_on_the_slides_scenarios(train_error, dev_error, expected):
    assert diagnose_bias_variance(train_error, dev_error) == expected


def test_diagnose_bias_variance_measures_bias_against_bayes_error():
    # 15% train error is not high bias when humans (Bayes) also make 14% errors
    assert diagnose_bias_variance(0.15, 0.16, bayes_error=0.14) == "low bias and low variance"


# --------------------------------------------------------------------------- splitting data


def test_mismatched_distribution_shuffle_puts_about_148_target_images_in_dev():
    # 100k web images + 8k target (mobile) images, shuffled into 104k / 2k / 2k: the dev set
    # expects 2000 * 8 / 108 = 148 target images (hypergeometric std ~ 11.7; we allow 5 std).
    is_target = np.concatenate([np.zeros(100_000), np.ones(8_000)]).reshape(1, -1)
    X = np.arange(108_000, dtype=float).reshape(1, -1)
    _, _, X_dev, Y_dev, X_test, Y_test = train_dev_test_split(X, is_target, (104 / 108, 2 / 108, 2 / 108), seed=0)
    assert X_dev.shape == (1, 2000) and X_test.shape == (1, 2000)
    assert abs(Y_dev.sum() - 2000 * 8 / 108) < 5 * 11.7
    # pairs stay together: the label of each example is still the one of its column index
    np.testing.assert_array_equal(Y_dev, (X_dev >= 100_000).astype(float))


def test_split_sizes_and_partition():
    X = np.arange(30.0).reshape(3, 10)
    Y = np.arange(10.0).reshape(1, 10)
    X_train, Y_train, X_dev, Y_dev, X_test, Y_test = train_dev_test_split(X, Y, (0.6, 0.2, 0.2), seed=1)
    assert [Y_train.shape[1], Y_dev.shape[1], Y_test.shape[1]] == [6, 2, 2]
    assert sorted(np.concatenate([Y_train, Y_dev, Y_test], axis=1).ravel()) == list(range(10))
    np.testing.assert_array_equal(X_train[0], Y_train[0])  # column i of X still matches label i


# --------------------------------------------------------------------------- normalizing, deep linear network


def test_normalize_inputs_uses_the_training_statistics_for_both_sets():
    rng = np.random.default_rng(3)
    X_train = rng.normal([[5.0], [-2.0]], [[3.0], [0.5]], size=(2, 500))
    X_test = rng.normal([[6.0], [-2.5]], [[2.0], [1.0]], size=(2, 100))
    X_train_n, X_test_n, mu, sigma = normalize_inputs(X_train, X_test)
    np.testing.assert_allclose(X_train_n.mean(axis=1), 0, atol=1e-12)
    np.testing.assert_allclose(X_train_n.var(axis=1), 1, rtol=1e-12)
    np.testing.assert_allclose(mu[:, 0], X_train.mean(axis=1))
    np.testing.assert_allclose(X_test_n, (X_test - X_train.mean(axis=1, keepdims=True)) / X_train.std(axis=1, keepdims=True))
    assert abs(X_test_n.mean(axis=1)).max() > 0.1  # the test set is NOT re-centred on its own mean


def test_normalize_inputs_leaves_constant_features_centred_not_nan():
    X_train = np.array([[0.0, 0.0, 0.0], [1.0, 2.0, 3.0]])
    X_train_n, X_test_n, _, sigma = normalize_inputs(X_train, np.array([[1.0], [2.0]]))
    assert np.isfinite(X_train_n).all() and sigma[0, 0] == 1.0
    assert X_test_n[0, 0] == 1.0


@pytest.mark.parametrize("w, L", [(0.5, 10), (1.5, 10), (1.0, 7), (0.9, 50)])
def test_deep_linear_network_scales_like_w_to_the_L(w, L):
    # the slides' vanishing/exploding demo: W = w I in every layer gives y_hat = x w^L
    x = np.array([1.0, -2.0])
    np.testing.assert_allclose(deep_linear_forward(x, w * np.eye(2), L), x * w**L, rtol=1e-12)


def test_deep_linear_network_with_a_general_matrix():
    rng = np.random.default_rng(4)
    x, W = rng.standard_normal((5, 3)), rng.standard_normal((3, 3))
    np.testing.assert_allclose(deep_linear_forward(x, W, 3), x @ W @ W @ W, rtol=1e-12)


# --------------------------------------------------------------------------- data augmentation


@pytest.mark.parametrize("dx, dy", [(1, 0), (-1, 0), (0, 1), (0, -1), (2, -3), (-7, 7), (8, 0)])
def test_shift_images_matches_scipy_ndimage_shift(dx, dy):
    from scipy.ndimage import shift

    from helpers import shift_images

    X = np.random.default_rng((dx + 10) * 100 + dy + 10).random((64, 5))
    expected = shift(X.T.reshape(-1, 8, 8), (0, dy, dx), order=0, mode="constant", cval=0.0).reshape(-1, 64).T
    np.testing.assert_array_equal(shift_images(X, dx, dy), expected)


def test_shift_and_flip_by_hand():
    from helpers import flip_images, shift_images

    image = np.zeros((8, 8))
    image[2, 3] = 1.0
    moved = shift_images(image.reshape(64, 1), dx=1, dy=-1).reshape(8, 8)
    assert moved[1, 4] == 1.0 and moved.sum() == 1.0  # one right, one up
    assert shift_images(image.reshape(64, 1), dx=5, dy=0).sum() == 0.0  # column 3 + 5 leaves the frame
    flipped = flip_images(image.reshape(64, 1)).reshape(8, 8)
    assert flipped[2, 4] == 1.0 and flipped.sum() == 1.0  # column 3 -> 7 - 3
