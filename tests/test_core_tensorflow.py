"""helpers (NumPy, column-per-example) against TensorFlow / Keras 3 (row-per-example).

Conventions translated in every test: a Keras Dense kernel is (n_in, n_out) = W.T,
its bias is b.ravel(), and Keras takes examples as rows, so X goes in as X.T and
AL comes out as AL.T. TensorFlow is imported once for the whole file.
"""

import numpy as np
import pytest

from helpers import (
    L_model_forward,
    compute_cost,
    dropout_forward,
    initialize_parameters,
    initialize_parameters_he,
    initialize_parameters_xavier,
    leaky_relu,
    leaky_relu_derivative,
    relu,
    relu_derivative,
    sigmoid,
    sigmoid_derivative,
    tanh,
    tanh_derivative,
    update_parameters_with_adam,
    update_parameters_with_rmsprop,
    initialize_adam,
    initialize_rmsprop,
)
from helpers.testing import random_data, random_parameters, random_probabilities

tf = pytest.importorskip("tensorflow")
keras = tf.keras

pytestmark = pytest.mark.xdist_group("tensorflow")  # one worker pays the TensorFlow import

Z_VALUES = np.concatenate([np.linspace(-8, 8, 161), [-1000.0, -30.0, 0.0, 30.0, 1000.0]])
# tf.nn.leaky_relu stores alpha as a float32 attribute (0.01 becomes 0.0099999998), so the
# comparison uses that exact value on our side too
ALPHA = float(np.float32(0.01))


# --------------------------------------------------------------------------- activations


@pytest.mark.parametrize(
    "ours, reference",
    [
        (sigmoid, tf.math.sigmoid),
        (tanh, tf.math.tanh),
        (relu, tf.nn.relu),
        (lambda z: leaky_relu(z, ALPHA), lambda z: tf.nn.leaky_relu(z, alpha=ALPHA)),
    ],
    ids=["sigmoid", "tanh", "relu", "leaky_relu"],
)
def test_activation_matches_tensorflow(ours, reference):
    expected = reference(tf.constant(Z_VALUES, dtype=tf.float64)).numpy()
    np.testing.assert_allclose(ours(Z_VALUES), expected, rtol=1e-14, atol=1e-300)


@pytest.mark.parametrize(
    "derivative, function",
    [
        (sigmoid_derivative, tf.math.sigmoid),
        (tanh_derivative, tf.math.tanh),
        (relu_derivative, tf.nn.relu),  # TF's ReLU gradient is 0 at z = 0, as ours
        (lambda z: leaky_relu_derivative(z, ALPHA), lambda z: tf.nn.leaky_relu(z, alpha=ALPHA)),  # alpha at 0
    ],
    ids=["sigmoid", "tanh", "relu", "leaky_relu"],
)
def test_activation_derivative_matches_gradient_tape(derivative, function):
    z = tf.Variable(Z_VALUES, dtype=tf.float64)
    with tf.GradientTape() as tape:
        total = tf.reduce_sum(function(z))  # d(sum g(z_i)) / dz_i = g'(z_i)
    expected = tape.gradient(total, z).numpy()
    np.testing.assert_allclose(derivative(Z_VALUES), expected, rtol=1e-12, atol=1e-15)


# --------------------------------------------------------------------------- forward pass and cost


def keras_copy(parameters, hidden_activation, output_activation="sigmoid"):
    """A float64 Sequential model carrying the same weights (kernel = W.T, bias = b.ravel())."""
    num_layers = len(parameters) // 2
    layers = [keras.Input(shape=(parameters["W1"].shape[1],), dtype="float64")]
    for l in range(1, num_layers + 1):
        units = parameters[f"W{l}"].shape[0]
        activation = hidden_activation if l < num_layers else output_activation
        layers.append(keras.layers.Dense(units, activation=activation, dtype="float64"))
    model = keras.Sequential(layers)
    for l, layer in enumerate(model.layers, start=1):
        layer.set_weights([parameters[f"W{l}"].T, parameters[f"b{l}"].ravel()])
    return model


@pytest.mark.parametrize("layer_dims", [[5, 1], [5, 4, 1], [6, 5, 4, 3, 1]], ids=["L=1", "L=2", "L=4"])
@pytest.mark.parametrize("hidden_activation", ["relu", "tanh", "sigmoid"])
def test_L_model_forward_matches_keras_sequential(layer_dims, hidden_activation):
    rng = np.random.default_rng(len(layer_dims))
    parameters = random_parameters(layer_dims, seed=rng)
    X, _ = random_data(layer_dims[0], 9, seed=rng)
    AL, _ = L_model_forward(X, parameters, hidden_activation=hidden_activation)
    expected = keras_copy(parameters, hidden_activation)(X.T).numpy().T
    np.testing.assert_allclose(AL, expected, rtol=1e-12)


def test_compute_cost_matches_keras_binary_crossentropy():
    # Keras clips predictions to [1e-7, 1 - 1e-7] and we clip to [1e-12, 1 - 1e-12]; with
    # predictions inside [0.05, 0.95] neither clip acts, so the two must agree to rounding.
    rng = np.random.default_rng(7)
    AL = random_probabilities((1, 50), seed=rng)
    _, Y = random_data(1, 50, seed=rng)
    loss = keras.losses.BinaryCrossentropy(dtype="float64")
    expected = float(loss(Y.T, AL.T))
    assert compute_cost(AL, Y) == pytest.approx(expected, rel=1e-12)


def test_compute_cost_clips_less_than_keras_at_saturated_predictions():
    # A wrong prediction of exactly 1.0: both stay finite, but the cost is -log(eps)/m with
    # eps = 1e-12 here and eps = 1e-7 in Keras, a documented difference.
    AL, Y = np.array([[1.0, 0.5]]), np.array([[0.0, 1.0]])
    expected_ours = (-np.log(1e-12) - np.log(0.5)) / 2
    expected_keras = (-np.log(1e-7) - np.log(0.5)) / 2
    # (rel=1e-4: in float64, 1 - (1 - 1e-12) is 0.99998e-12, not 1e-12)
    assert compute_cost(AL, Y) == pytest.approx(expected_ours, rel=1e-4)
    assert float(keras.losses.BinaryCrossentropy(dtype="float64")(Y.T, AL.T)) == pytest.approx(expected_keras, rel=1e-6)


# --------------------------------------------------------------------------- optimizers


STEPS = 100
# Keras rounds its hyperparameters through float32 (the learning rate is a float32 variable,
# and Python floats such as 1 - beta1 become float32 tensors), which alone would make 0.01 or
# 0.9 differ from ours by ~1e-8 relative. These values are exact in float32, so any remaining
# difference would come from the formulas.
LEARNING_RATE = 2.0**-7
BETA1, BETA2 = 0.875, 1 - 2.0**-9  # Adam's beta1, beta2
RHO = 0.875  # RMSprop's beta (Keras calls it rho)


def gradient_sequence(seed=3):
    """A fixed sequence of STEPS gradients for a (3, 2) W1 and a (3, 1) b1.

    The gradients do not depend on the parameters, so both implementations see the same
    inputs and their states v, s evolve identically; only the update formulas can differ.
    """
    rng = np.random.default_rng(seed)
    return [{"dW1": rng.standard_normal((3, 2)), "db1": rng.standard_normal((3, 1))} for _ in range(STEPS)]


def start():
    return {"W1": np.arange(6.0).reshape(3, 2) / 10, "b1": np.ones((3, 1))}


def keras_trajectory(optimizer, gradients):
    """The parameters after applying each gradient with a Keras optimizer to float64 variables."""
    variables = {name: tf.Variable(value, dtype=tf.float64) for name, value in start().items()}
    for grads in gradients:
        optimizer.apply_gradients([(tf.constant(grads["d" + name]), variables[name]) for name in variables])
    return {name: variable.numpy() for name, variable in variables.items()}


def run_adam(gradients, epsilon_at):
    """Our Adam over the sequence; returns the parameters and the (t, v_corrected, s_corrected) of every step."""
    parameters, (v, s), steps = start(), initialize_adam(start()), []
    for t, grads in enumerate(gradients, start=1):
        parameters, v, s, v_corrected, s_corrected = update_parameters_with_adam(
            parameters, grads, v, s, t, learning_rate=LEARNING_RATE, beta1=BETA1, beta2=BETA2, epsilon=epsilon_at(t)
        )
        steps.append((t, v_corrected, s_corrected))
    return parameters, steps


def keras_adam(epsilon):
    return keras.optimizers.Adam(learning_rate=LEARNING_RATE, beta_1=BETA1, beta_2=BETA2, epsilon=epsilon)


def test_adam_matches_keras_when_epsilon_is_placed_alike():
    # Keras Adam computes alpha_t = lr sqrt(1 - beta2^t) / (1 - beta1^t) and W -= alpha_t v / (sqrt(s) + eps):
    # its epsilon is added to the *uncorrected* sqrt(s). Dividing through by sqrt(1 - beta2^t), that is
    # the slides' formula with eps_t = eps / sqrt(1 - beta2^t). Fed that eps_t, ours must match to rounding.
    gradients, epsilon = gradient_sequence(), 2.0**-10  # a large eps makes its placement visible
    ours, _ = run_adam(gradients, epsilon_at=lambda t: epsilon / np.sqrt(1 - BETA2**t))
    expected = keras_trajectory(keras_adam(epsilon), gradients)
    for name in expected:
        np.testing.assert_allclose(ours[name], expected[name], rtol=1e-12, atol=1e-13)
    # with the same eps in both formulas the trajectories do differ, by far more than rounding
    plain, _ = run_adam(gradients, epsilon_at=lambda t: epsilon)
    assert np.abs(plain["W1"] - expected["W1"]).max() > 1e-5


def test_adam_with_default_epsilon_agrees_with_keras_to_the_bound_its_placement_implies():
    # With eps = 1e-8 in both, step t of the two differs by exactly
    # lr * v_c * (1/(sqrt(s_c) + eps) - 1/(sqrt(s_c) + eps_t)),  eps_t = eps / sqrt(1 - beta2^t),
    # and since the moments are the same in both, the trajectories differ by the sum of those.
    gradients, epsilon = gradient_sequence(), 1e-8
    ours, steps = run_adam(gradients, epsilon_at=lambda t: epsilon)
    expected = keras_trajectory(keras_adam(epsilon), gradients)
    for name in expected:
        key = "d" + name
        bound = sum(
            LEARNING_RATE
            * np.abs(v_c[key])
            * np.abs(1 / (np.sqrt(s_c[key]) + epsilon) - 1 / (np.sqrt(s_c[key]) + epsilon / np.sqrt(1 - BETA2**t)))
            for t, v_c, s_c in steps
        )
        assert (np.abs(ours[name] - expected[name]) <= bound * (1 + 1e-6) + 1e-14).all()
        assert bound.max() < 1e-5  # and that is tiny: with eps = 1e-8 the two are practically equal


def run_rmsprop(gradients, epsilon):
    parameters, s = start(), initialize_rmsprop(start())
    for grads in gradients:
        parameters, s = update_parameters_with_rmsprop(
            parameters, grads, s, beta=RHO, learning_rate=LEARNING_RATE, epsilon=epsilon
        )
    return parameters


def test_rmsprop_matches_keras_without_epsilon():
    # Keras RMSprop (momentum=0, centered=False): s = rho s + (1 - rho) g^2, W -= lr g / sqrt(s + eps);
    # the slides put eps outside the root, sqrt(s) + eps. With eps = 0 the formulas are the same.
    gradients = gradient_sequence()
    ours = run_rmsprop(gradients, epsilon=0.0)
    keras_rmsprop = keras.optimizers.RMSprop(learning_rate=LEARNING_RATE, rho=RHO, momentum=0.0, epsilon=0.0)
    expected = keras_trajectory(keras_rmsprop, gradients)
    for name in expected:
        np.testing.assert_allclose(ours[name], expected[name], rtol=1e-12, atol=1e-13)


def test_rmsprop_with_default_epsilons_agrees_with_keras_to_the_bound_their_placement_implies():
    # Ours: eps = 1e-8 outside the root; Keras's default: eps = 1e-7 inside. Per step the updates
    # differ by lr |g| |1/(sqrt(s) + 1e-8) - 1/sqrt(s + 1e-7)|, computed here from the gradient
    # sequence (s evolves identically in both); the trajectories may differ by at most the sum.
    gradients = gradient_sequence()
    ours = run_rmsprop(gradients, epsilon=1e-8)
    expected = keras_trajectory(keras.optimizers.RMSprop(learning_rate=LEARNING_RATE, rho=RHO), gradients)
    for name in expected:
        s, bound = np.zeros_like(expected[name]), np.zeros_like(expected[name])
        for grads in gradients:
            g = grads["d" + name]
            s = RHO * s + (1 - RHO) * g**2
            bound += LEARNING_RATE * np.abs(g) * np.abs(1 / (np.sqrt(s) + 1e-8) - 1 / np.sqrt(s + 1e-7))
        assert (np.abs(ours[name] - expected[name]) <= bound * (1 + 1e-6) + 1e-14).all()
        assert bound.max() < 1e-3  # and the bound itself is small: the two are practically the same


# --------------------------------------------------------------------------- dropout and initializers


def test_inverted_dropout_matches_keras_dropout_semantics():
    # Keras Dropout(rate) with rate = 1 - keep_prob: in training the survivors are scaled by
    # 1 / keep_prob (the slide's Dropout(0.2): kept values become x / 0.8); at inference it is the identity.
    keep_prob = 0.8
    x = np.random.default_rng(11).uniform(0.5, 2.0, size=(200, 50))  # no zeros: a zero output means dropped
    layer = keras.layers.Dropout(rate=1 - keep_prob, seed=5, dtype="float64")
    dropped = layer(x, training=True).numpy()
    keras_mask = dropped != 0
    ours, mask = dropout_forward(x, keep_prob, D=keras_mask)
    np.testing.assert_allclose(ours, dropped, rtol=1e-15)
    np.testing.assert_array_equal(layer(x, training=False).numpy(), x)
    # the share of kept units: 10,000 Bernoulli(0.8) draws, std 0.004; both within 5 std of 0.8
    for kept in (keras_mask, dropout_forward(x, keep_prob, rng=5)[1]):
        assert abs(kept.mean() - keep_prob) < 0.02


@pytest.mark.parametrize(
    "ours, keras_initializer, fan_in, fan_out",
    [
        (lambda dims, seed: initialize_parameters_he(dims, seed=seed), keras.initializers.HeNormal, 300, 200),
        (lambda dims, seed: initialize_parameters_xavier(dims, seed=seed), keras.initializers.LecunNormal, 300, 200),
        (lambda dims, seed: initialize_parameters_xavier(dims, seed=seed), keras.initializers.GlorotNormal, 250, 250),
        (lambda dims, seed: initialize_parameters(dims, "glorot", seed=seed), keras.initializers.GlorotNormal, 300, 200),
    ],
    ids=["he~HeNormal", "xavier~LecunNormal", "xavier~GlorotNormal(square)", "glorot~GlorotNormal"],
)
def test_initializer_variance_matches_keras(ours, keras_initializer, fan_in, fan_out):
    # Keras draws from a normal truncated at 2 standard deviations, with the stddev enlarged by
    # 1/0.8796 so that the variance after truncation is still the target (2/fan_in for He,
    # 1/fan_in for LeCun, 2/(fan_in + fan_out) for Glorot). We draw an untruncated normal with
    # that variance. With 60,000 weights the sample variance has a relative standard error of
    # about sqrt(2/60000) = 0.6% (less for the truncated law), so 4% is a safe margin that still
    # separates a factor of 2 (sqrt(1/n) instead of sqrt(2/n)) or the wrong fan.
    W = ours([fan_in, fan_out], 0)["W1"]
    kernel = keras_initializer(seed=0)(shape=(fan_in, fan_out), dtype="float64").numpy()
    assert W.shape == kernel.T.shape
    assert np.var(W) == pytest.approx(np.var(kernel), rel=0.04)
    assert abs(np.mean(W)) < 0.02 * np.std(W)  # 5 standard errors of the mean
    assert np.abs(kernel).max() <= 2 * np.std(kernel) / 0.87 * 1.01  # Keras truncates; ours does not need to


# --------------------------------------------------------------------------- train's L2 against Keras


@pytest.mark.parametrize("mini_batch_size", [None, 16, 40])
def test_train_with_l2_matches_keras_l2_of_lambda_over_2m_with_any_batch_size(mini_batch_size):
    # train's objective is J = (1/m) sum L + lambd / (2m) sum ||W||^2 with m the TRAINING SET size:
    # Keras with kernel_regularizer=L2(lambd / (2m)) on every Dense layer, SGD, the same initial
    # weights and the same batches must give the same batch losses and the same weights.
    from helpers import random_mini_batches, train

    rng = np.random.default_rng(0)
    X = rng.standard_normal((3, 80))
    Y = (X[0:1] * X[1:2] > 0).astype(float)
    dims, lambd, learning_rate, seed, num_epochs = [3, 5, 1], 4.0, 0.1, 7, 3
    m = X.shape[1]
    trained, history = train(X, Y, dims, learning_rate=learning_rate, num_epochs=num_epochs,
                             mini_batch_size=mini_batch_size, lambd=lambd, seed=seed, progress=False)

    # the same initial weights and the same batches, from the same generator
    generator = np.random.default_rng(seed)
    start = initialize_parameters(dims, method="he", seed=generator)
    layers = [keras.Input(shape=(3,), dtype="float64")]
    for l, units in enumerate(dims[1:], start=1):
        layers.append(keras.layers.Dense(units, activation="relu" if l < len(dims) - 1 else "sigmoid",
                                         kernel_regularizer=keras.regularizers.L2(lambd / (2 * m)), dtype="float64"))
    model = keras.Sequential(layers)
    for l, layer in enumerate(model.layers, start=1):
        layer.set_weights([start[f"W{l}"].T, start[f"b{l}"].ravel()])
    optimizer, cross_entropy = keras.optimizers.SGD(learning_rate), keras.losses.BinaryCrossentropy(dtype="float64")

    def keras_step(X_batch, Y_batch):
        """Keras's loss on one batch (mean cross-entropy + the layers' penalties), then one SGD step."""
        with tf.GradientTape() as tape:
            loss = cross_entropy(Y_batch.T, model(X_batch.T, training=True)) + tf.add_n(model.losses)
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables))
        return float(loss)

    epoch_costs = []
    for _ in range(num_epochs):
        batches = [(X, Y)] if mini_batch_size is None else random_mini_batches(X, Y, mini_batch_size, seed=generator)
        # the loss (with the penalty) is taken before its batch's update, as train does
        epoch_costs.append(sum(keras_step(X_b, Y_b) * X_b.shape[1] for X_b, Y_b in batches) / m)
    np.testing.assert_allclose(history["cost"], epoch_costs, rtol=1e-6)
    for l, layer in enumerate(model.layers, start=1):
        kernel, bias = layer.get_weights()
        np.testing.assert_allclose(trained[f"W{l}"], kernel.T, rtol=1e-6, atol=1e-9)
        np.testing.assert_allclose(trained[f"b{l}"], bias.reshape(-1, 1), rtol=1e-6, atol=1e-9)
    # the penalty did something: without it the weights end elsewhere
    plain, _ = train(X, Y, dims, learning_rate=learning_rate, num_epochs=num_epochs,
                     mini_batch_size=mini_batch_size, seed=seed, progress=False)
    assert not np.allclose(plain["W1"], trained["W1"], rtol=1e-3)


def test_l1_cost_is_keras_l1_of_lambda_over_m():
    from helpers import l1_cost

    W = np.random.default_rng(2).standard_normal((4, 6))
    layer = keras.layers.Dense(4, kernel_regularizer=keras.regularizers.L1(0.3 / 50), dtype="float64")
    layer.build((None, 6))
    layer.kernel.assign(W.T)
    assert float(sum(layer.losses)) == pytest.approx(l1_cost({"W1": W, "b1": np.zeros((4, 1))}, 0.3, 50), rel=1e-6)  # Keras keeps the factor in float32
