"""Mini-batches, update rules, the training loop and the initialization statistics."""

import functools

import numpy as np
import pytest
from sklearn.datasets import load_digits

from helpers import (
    L_model_backward,
    L_model_backward_with_dropout,
    L_model_forward,
    L_model_forward_with_dropout,
    add_l2_gradient,
    compute_cost_with_regularization,
    update_parameters,
    activation_statistics,
    compute_cost,
    dictionary_to_vector,
    gradients_to_vector,
    initialize_adam,
    initialize_optimizer_state,
    initialize_parameters,
    initialize_rmsprop,
    initialize_velocity,
    exponential_decay,
    inverse_time_decay,
    l2_cost,
    optimizer_step,
    predict,
    random_mini_batches,
    schedule_lr_decay,
    sqrt_decay,
    train,
    update_parameters_with_adam,
    update_parameters_with_gd,
    update_parameters_with_momentum,
    update_parameters_with_rmsprop,
    vector_to_dictionary,
)
from helpers.testing import random_grads, random_parameters


@pytest.fixture(scope="module")
def digits():
    """Zeros against the other digits: (64, 1797) pixels in [0, 1] and (1, 1797) labels."""
    data = load_digits()
    return data.data.T / 16.0, (data.target == 0).astype(float).reshape(1, -1)


# --------------------------------------------------------------------------- mini-batches


def test_mini_batches_cover_every_example_once_and_keep_the_pairs():
    m = 150
    X = np.vstack([np.arange(m), -np.arange(m)]).astype(float)
    Y = np.arange(m, dtype=float).reshape(1, m)  # label = original column index
    batches = random_mini_batches(X, Y, mini_batch_size=64, seed=3)
    assert [b[0].shape for b in batches] == [(2, 64), (2, 64), (2, 22)]  # the 22 left over are kept
    seen = np.concatenate([Y_b for _, Y_b in batches], axis=1).ravel()
    assert sorted(seen) == list(range(m))
    assert not np.array_equal(seen, np.arange(m))  # shuffled
    for X_b, Y_b in batches:
        np.testing.assert_array_equal(X_b[0], Y_b[0])  # one permutation for X and Y


def test_mini_batches_without_a_remainder_and_reproducibility():
    X, Y = np.ones((3, 128)), np.arange(128.0).reshape(1, -1)
    assert [b[1].shape[1] for b in random_mini_batches(X, Y, 64, seed=0)] == [64, 64]
    first = random_mini_batches(X, Y, 32, seed=9)
    again = random_mini_batches(X, Y, 32, seed=9)
    assert all(np.array_equal(a[1], b[1]) for a, b in zip(first, again))


# --------------------------------------------------------------------------- update rules by hand


def test_momentum_two_steps_by_hand():
    parameters = {"W1": np.array([[1.0]]), "b1": np.array([[0.0]])}
    g1 = {"dW1": np.array([[2.0]]), "db1": np.array([[1.0]])}
    g2 = {"dW1": np.array([[-1.0]]), "db1": np.array([[1.0]])}
    beta, lr = 0.9, 0.1
    p, v = update_parameters_with_momentum(parameters, g1, initialize_velocity(parameters), beta, lr)
    assert v["dW1"][0, 0] == pytest.approx(0.2)  # (1 - beta) * 2
    assert p["W1"][0, 0] == pytest.approx(1 - 0.1 * 0.2)
    p, v = update_parameters_with_momentum(p, g2, v, beta, lr)
    assert v["dW1"][0, 0] == pytest.approx(0.9 * 0.2 + 0.1 * -1)  # 0.08
    assert p["W1"][0, 0] == pytest.approx(0.98 - 0.1 * 0.08)


def test_rmsprop_divides_by_the_root_of_the_averaged_square():
    parameters = {"W1": np.array([[1.0, 1.0]]), "b1": np.array([[0.0]])}
    grads = {"dW1": np.array([[3.0, -0.5]]), "db1": np.array([[0.0]])}
    p, s = update_parameters_with_rmsprop(parameters, grads, initialize_rmsprop(parameters), beta=0.9, learning_rate=0.1)
    np.testing.assert_allclose(s["dW1"], 0.1 * np.array([[9.0, 0.25]]))
    np.testing.assert_allclose(p["W1"], 1 - 0.1 * np.array([[3.0, -0.5]]) / (np.sqrt([[0.9, 0.025]]) + 1e-8))


def test_adam_first_step_is_a_step_of_learning_rate_against_the_sign():
    # at t = 1 bias correction gives v_c = g and s_c = g^2, so the step is alpha * g / (|g| + eps)
    parameters = random_parameters([3, 2], seed=0)
    grads = random_grads(parameters, seed=1)
    new, v, s, v_c, s_c = update_parameters_with_adam(parameters, grads, *initialize_adam(parameters), t=1, learning_rate=0.01)
    for name in parameters:
        np.testing.assert_allclose(v_c["d" + name], grads["d" + name], rtol=1e-12)
        np.testing.assert_allclose(s_c["d" + name], grads["d" + name] ** 2, rtol=1e-12)
        np.testing.assert_allclose(new[name], parameters[name] - 0.01 * np.sign(grads["d" + name]), rtol=1e-6)
        np.testing.assert_allclose(v["d" + name], 0.1 * grads["d" + name])  # uncorrected state
        np.testing.assert_allclose(s["d" + name], 0.001 * grads["d" + name] ** 2)


@pytest.mark.parametrize("optimizer", ["gd", "momentum", "rmsprop", "adam"])
def test_optimizer_step_is_the_named_update(optimizer):
    parameters = random_parameters([3, 2, 1], seed=0)
    grads = random_grads(parameters, seed=1)
    state = initialize_optimizer_state(optimizer, parameters)
    stepped, _ = optimizer_step(optimizer, parameters, grads, state, 1, 0.05)
    direct = {
        "gd": lambda: {k: parameters[k] - 0.05 * grads["d" + k] for k in parameters},
        "momentum": lambda: update_parameters_with_momentum(parameters, grads, initialize_velocity(parameters), 0.9, 0.05)[0],
        "rmsprop": lambda: update_parameters_with_rmsprop(parameters, grads, initialize_rmsprop(parameters), 0.9, 0.05)[0],
        "adam": lambda: update_parameters_with_adam(parameters, grads, *initialize_adam(parameters), 1, 0.05)[0],
    }[optimizer]()
    for key in parameters:
        np.testing.assert_allclose(stepped[key], direct[key], rtol=1e-14)


# --------------------------------------------------------------------------- train


@pytest.mark.parametrize(
    "optimizer, learning_rate", [("gd", 0.5), ("momentum", 0.5), ("rmsprop", 0.005), ("adam", 0.005)]
)
def test_train_learns_digits_with_every_optimizer(digits, optimizer, learning_rate):
    X, Y = digits
    parameters, history = train(
        X, Y, [64, 16, 1], optimizer=optimizer, learning_rate=learning_rate, num_epochs=8,
        mini_batch_size=128, seed=0, progress=False,
    )
    assert len(history["cost"]) == 8 and history["learning_rate"] == [learning_rate] * 8
    assert history["cost"][-1] < 0.5 * history["cost"][0]
    assert np.mean(predict(X, parameters) == Y) > 0.97


def test_train_is_the_loop_of_the_slides_written_out(digits):
    # the same run by hand from the public pieces: one Adam update per mini-batch, t counting
    # updates from 1 across epochs, the generator shared by initialization and shuffling
    X, Y = digits[0][:, :300], digits[1][:, :300]
    trained, history = train(X, Y, [64, 8, 1], optimizer="adam", learning_rate=0.01, num_epochs=3,
                             mini_batch_size=64, seed=2, progress=False)
    rng = np.random.default_rng(2)
    parameters = initialize_parameters([64, 8, 1], method="he", seed=rng)
    v, s = initialize_adam(parameters)
    t, costs = 0, []
    for _ in range(3):
        epoch_cost = 0.0
        for X_batch, Y_batch in random_mini_batches(X, Y, 64, seed=rng):
            AL, caches = L_model_forward(X_batch, parameters)
            epoch_cost += compute_cost(AL, Y_batch) * X_batch.shape[1]
            t += 1
            parameters, v, s, _, _ = update_parameters_with_adam(
                parameters, L_model_backward(AL, Y_batch, caches), v, s, t, learning_rate=0.01
            )
        costs.append(epoch_cost / 300)
    assert t == 3 * 5  # 300 examples: four batches of 64 and one of 44, per epoch
    np.testing.assert_allclose(history["cost"], costs, rtol=1e-12)
    for key in parameters:
        np.testing.assert_allclose(trained[key], parameters[key], rtol=1e-12)


def test_train_with_dropout_l2_and_decay_written_out(digits):
    X, Y = digits[0][:, :200], digits[1][:, :200]
    decay = functools.partial(inverse_time_decay, decay_rate=0.5)
    trained, history = train(X, Y, [64, 8, 4, 1], learning_rate=0.3, num_epochs=2, mini_batch_size=100,
                             lambd=0.5, keep_prob=[0.8, 0.6], decay=decay, seed=3, progress=False)
    rng = np.random.default_rng(3)
    parameters = initialize_parameters([64, 8, 4, 1], method="he", seed=rng)
    costs = []
    for epoch in (1, 2):
        epoch_cost = 0.0
        for X_batch, Y_batch in random_mini_batches(X, Y, 100, seed=rng):
            AL, caches = L_model_forward_with_dropout(X_batch, parameters, [0.8, 0.6], rng=rng)
            # the L2 term is scaled by the training-set size (200), not the batch size (100)
            epoch_cost += (compute_cost(AL, Y_batch) + l2_cost(parameters, 0.5, 200)) * 100
            grads = add_l2_gradient(L_model_backward_with_dropout(AL, Y_batch, caches, [0.8, 0.6]), parameters, 0.5, 200)
            parameters = update_parameters(parameters, grads, 0.3 / (1 + 0.5 * epoch))
        costs.append(epoch_cost / 200)
    np.testing.assert_allclose(history["cost"], costs, rtol=1e-12)
    for key in parameters:
        np.testing.assert_allclose(trained[key], parameters[key], rtol=1e-12)


def test_train_is_reproducible_with_a_seed_and_random_without(digits):
    X, Y = digits[0][:, :300], digits[1][:, :300]
    options = dict(num_epochs=3, mini_batch_size=64, keep_prob=0.8, optimizer="adam", learning_rate=0.01, progress=False)
    first, history_first = train(X, Y, [64, 8, 1], seed=4, **options)
    again, history_again = train(X, Y, [64, 8, 1], seed=4, **options)
    other, _ = train(X, Y, [64, 8, 1], seed=5, **options)
    assert history_first == history_again
    np.testing.assert_array_equal(first["W1"], again["W1"])
    assert not np.array_equal(first["W1"], other["W1"])


def test_full_batch_gd_cost_matches_the_forward_pass(digits):
    X, Y = digits[0][:, :200], digits[1][:, :200]
    _, history = train(X, Y, [64, 5, 1], num_epochs=1, seed=0, progress=False)
    # train draws the initial weights first from default_rng(seed): the same weights as here
    initial = initialize_parameters([64, 5, 1], method="he", seed=np.random.default_rng(0))
    assert history["cost"][0] == pytest.approx(compute_cost(L_model_forward(X, initial)[0], Y), rel=1e-12)


def test_train_calls_decay_with_epochs_counted_from_1(digits):
    X, Y = digits[0][:, :100], digits[1][:, :100]
    calls = []

    def decay(learning_rate0, epoch_num):
        calls.append((learning_rate0, epoch_num))
        return inverse_time_decay(learning_rate0, epoch_num, decay_rate=1)

    _, history = train(X, Y, [64, 1], learning_rate=0.2, num_epochs=4, decay=decay, progress=False)
    assert calls == [(0.2, 1), (0.2, 2), (0.2, 3), (0.2, 4)]
    np.testing.assert_allclose(history["learning_rate"], [0.1, 0.2 / 3, 0.05, 0.04])
    _, partial_history = train(
        X, Y, [64, 1], learning_rate=0.2, num_epochs=4, decay=functools.partial(inverse_time_decay, decay_rate=1),
        progress=False,
    )
    assert partial_history["learning_rate"] == history["learning_rate"]


def test_l2_shrinks_the_weights(digits):
    X, Y = digits[0][:, :300], digits[1][:, :300]
    plain, _ = train(X, Y, [64, 10, 1], learning_rate=0.3, num_epochs=40, seed=1, progress=False)
    # weight decay alone multiplies W by (1 - alpha lambd / m)^40 = (1 - 0.3 * 20 / 300)^40 ~ 0.45
    decayed, _ = train(X, Y, [64, 10, 1], learning_rate=0.3, num_epochs=40, lambd=20.0, seed=1, progress=False)
    assert np.linalg.norm(decayed["W1"]) < 0.8 * np.linalg.norm(plain["W1"])


def test_dropout_per_layer_list_and_progress_bar(digits, capsys):
    X, Y = digits[0][:, :200], digits[1][:, :200]
    _, history = train(X, Y, [64, 8, 4, 1], keep_prob=[0.9, 0.7], num_epochs=2, seed=0, progress=True)
    assert len(history["cost"]) == 2 and all(np.isfinite(history["cost"]))
    assert "train (gd)" in capsys.readouterr().err  # tqdm writes to stderr


def test_train_stops_with_a_warning_when_it_diverges(digits):
    X, Y = digits[0][:, :200], digits[1][:, :200]
    with pytest.warns(RuntimeWarning) as record:
        _, history = train(X, Y, [64, 32, 32, 1], learning_rate=1e200, num_epochs=50, init="random", progress=False)
    # one clear warning, not a stream of NumPy overflow warnings
    assert [str(w.message) for w in record] == [
        f"training stopped at epoch {len(history['cost'])}: the cost or the weights became NaN/infinite; "
        "the learning rate (1e+200) is probably too large"
    ]
    assert len(history["cost"]) < 50 and np.isnan(history["cost"][-1])


def test_zero_initialization_never_breaks_symmetry(digits):
    X, Y = digits[0][:, :200], digits[1][:, :200]
    parameters, _ = train(X, Y, [64, 6, 1], init="zeros", learning_rate=0.5, num_epochs=20, progress=False)
    np.testing.assert_allclose(parameters["W1"], parameters["W1"][[0]] * np.ones((6, 1)))  # all rows equal


# --------------------------------------------------------------------------- gradcheck vectors, initialization statistics


def test_dictionary_vector_round_trip():
    parameters = random_parameters([3, 4, 2], seed=0)
    theta, keys = dictionary_to_vector(parameters)
    assert theta.shape == (4 * 3 + 4 + 2 * 4 + 2, 1)
    assert keys[:12] == ["W1"] * 12 and keys[-2:] == ["b2", "b2"]
    back = vector_to_dictionary(theta, [3, 4, 2])
    for key in parameters:
        np.testing.assert_array_equal(back[key], parameters[key])
    grads = {"d" + k: v for k, v in parameters.items()}
    np.testing.assert_array_equal(gradients_to_vector(grads, [3, 4, 2]), theta)


def test_activation_statistics_structure_and_values():
    rng = np.random.default_rng(0)
    X, Y = rng.standard_normal((5, 40)), (rng.random((1, 40)) < 0.5).astype(float)
    parameters = random_parameters([5, 4, 3, 1], seed=1)
    stats, values = activation_statistics(X, parameters, "tanh", Y=Y, return_activations=True)
    np.testing.assert_array_equal(stats["layer"], [1, 2, 3])
    AL, caches = L_model_forward(X, parameters, hidden_activation="tanh")
    A1 = np.tanh(parameters["W1"] @ X + parameters["b1"])
    np.testing.assert_allclose(values["A"][0], A1)
    np.testing.assert_allclose(values["A"][-1], AL)
    assert stats["A_mean"][0] == pytest.approx(A1.mean()) and stats["A_variance"][0] == pytest.approx(A1.var())
    assert [dW.shape for dW in values["dW"]] == [(4, 5), (3, 4), (1, 3)]
    assert stats["dW_variance"][2] == pytest.approx(np.var(values["dW"][2]))
    assert activation_statistics(X, parameters, "tanh", Y=Y)["dW_mean"] == pytest.approx(stats["dW_mean"])


def test_he_keeps_relu_activations_alive_where_small_random_weights_vanish():
    X = np.random.default_rng(0).standard_normal((100, 200))
    dims = [100] + [100] * 10 + [1]
    he = activation_statistics(X, initialize_parameters(dims, "he", seed=1), "relu")
    small = activation_statistics(X, initialize_parameters(dims, "random", seed=1, scale=0.01), "relu")
    # He: E[A^2] stays ~1 layer after layer (variance of the ReLU output ~ 1 - 1/pi ~ 0.66 / 2)
    assert 0.1 < he["A_variance"][9] < 2.0 and 0.1 < he["A_variance"][0] < 2.0
    # 0.01 * randn: each layer multiplies the scale by ~0.01 * sqrt(100 / 2) ~ 0.07
    assert small["A_variance"][9] < 1e-20
    # and the first layer's gradients vanish with them
    assert small["dW_variance"][0] < 1e-10 * he["dW_variance"][0]


def test_mini_batch_l2_gradients_average_to_the_full_gradient_whatever_the_batch_size():
    # J = (1/m) sum L + lambd/(2m) sum ||W||^2: the L2 term of each batch's gradient is (lambd/m) W
    # with m the training-set size, so the mean of the batch gradients over an equal partition
    # is exactly the full-batch gradient of J, whatever the batch size
    from helpers.training import _batch_cost_and_gradients

    rng = np.random.default_rng(3)
    X = rng.standard_normal((4, 120))
    Y = (rng.random((1, 120)) < 0.5).astype(float)
    parameters = random_parameters([4, 6, 3, 1], seed=rng)
    lambd, m = 2.5, 120
    AL, caches = L_model_forward(X, parameters)
    full_cost = compute_cost_with_regularization(AL, Y, parameters, lambd)
    full = add_l2_gradient(L_model_backward(AL, Y, caches), parameters, lambd, m)
    for batch_size in (10, 30, 120):
        costs, grads = zip(*(_batch_cost_and_gradients(X[:, i:i + batch_size], Y[:, i:i + batch_size], parameters,
                                                       m, lambd, [1.0, 1.0], rng, "relu")
                             for i in range(0, m, batch_size)))
        assert np.mean(costs) == pytest.approx(full_cost, rel=1e-12)
        for key in ("dW1", "db1", "dW3"):
            np.testing.assert_allclose(np.mean([g[key] for g in grads], axis=0), full[key], rtol=1e-10)


# --------------------------------------------------------------------------- update rules, one parameter at a time


def _unchained():
    """The deeplearning.ai test case's shapes: W2 (3, 3) does not chain after W1 (2, 3)."""
    rng = np.random.default_rng(11)
    shapes = {"W1": (2, 3), "b1": (2, 1), "W2": (3, 3), "b2": (3, 1)}
    parameters = {name: rng.normal(size=shape) for name, shape in shapes.items()}
    grads = {"d" + name: rng.normal(size=shape) for name, shape in shapes.items()}
    return parameters, grads


def test_update_rules_work_on_parameters_that_do_not_chain_into_a_network():
    parameters, grads = _unchained()
    lr, beta, beta1, beta2, eps = 0.01, 0.9, 0.9, 0.999, 1e-8
    v, s = initialize_adam(parameters)
    assert {k: a.shape for k, a in v.items()} == {"d" + k: a.shape for k, a in parameters.items()}
    assert all(not a.any() for a in (*v.values(), *s.values(), *initialize_velocity(parameters).values()))
    gd = update_parameters_with_gd(parameters, grads, lr)
    momentum, v1 = update_parameters_with_momentum(parameters, grads, initialize_velocity(parameters), beta, lr)
    rmsprop, s1 = update_parameters_with_rmsprop(parameters, grads, initialize_rmsprop(parameters), beta, lr, eps)
    adam, *_ = update_parameters_with_adam(parameters, grads, v, s, 1, lr, beta1, beta2, eps)
    for name, P in parameters.items():
        g = grads["d" + name]
        # each rule written out entry by entry, from zero states
        np.testing.assert_allclose(gd[name], P - lr * g)
        np.testing.assert_allclose(v1["d" + name], (1 - beta) * g)
        np.testing.assert_allclose(momentum[name], P - lr * (1 - beta) * g)
        np.testing.assert_allclose(s1["d" + name], (1 - beta) * g**2)
        np.testing.assert_allclose(rmsprop[name], P - lr * g / (np.sqrt((1 - beta) * g**2) + eps))
        np.testing.assert_allclose(adam[name], P - lr * g / (np.abs(g) + eps))  # t = 1: v_c = g, s_c = g^2


def test_update_rules_check_keys_and_shapes_parameter_by_parameter():
    parameters, grads = _unchained()
    with pytest.raises(ValueError, match=r'grads\["dW2"\] has shape \(3, 2\) but W2 has shape \(3, 3\)'):
        update_parameters_with_gd(parameters, {**grads, "dW2": np.zeros((3, 2))}, 0.1)
    without_db2 = {k: g for k, g in grads.items() if k != "db2"}
    with pytest.raises(ValueError, match="the keys of grads must be .*missing db2"):
        update_parameters_with_momentum(parameters, without_db2, initialize_velocity(parameters), 0.9, 0.1)
    v, s = initialize_adam(parameters)
    with pytest.raises(ValueError, match=r"the keys of s must be .*unexpected dW3"):
        update_parameters_with_adam(parameters, grads, v, {**s, "dW3": np.zeros((1, 1))}, 1)
    with pytest.raises(ValueError, match=r's\["db1"\] has shape \(1, 2\) but b1 has shape \(2, 1\)'):
        update_parameters_with_rmsprop(parameters, grads, {**s, "db1": np.zeros((1, 2))})
    with pytest.raises(ValueError, match="parameters must be a non-empty dict"):
        initialize_velocity({})


# --------------------------------------------------------------------------- learning-rate schedules


def test_schedules_count_epochs_from_1():
    # stepwise: epochs 1 .. T-1 at alpha_0, the first drop at epoch T (the slides' formula with floor)
    assert [schedule_lr_decay(0.1, e, 1.0, time_interval=3) for e in (1, 2, 3, 5, 6)] == pytest.approx(
        [0.1, 0.1, 0.05, 0.05, 0.1 / 3]
    )
    # the first epoch already runs at the decayed rate of the continuous schedules
    assert inverse_time_decay(0.2, 1, 1.0) == pytest.approx(0.1)
    assert exponential_decay(0.2, 1) == pytest.approx(0.95 * 0.2)
    assert sqrt_decay(0.2, 1, k=0.5) == pytest.approx(0.1)
    with pytest.raises(ValueError, match="epoch_num must be >= 1"):
        sqrt_decay(0.2, 0)  # k / sqrt(0): the square-root schedule needs epochs counted from 1
