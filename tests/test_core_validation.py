"""Bad input is refused with a message a student can act on; inputs are never mutated;
no function touches NumPy's global random state."""

import copy
import fractions
import re
import warnings

import numpy as np
import pytest

import helpers
from helpers import (
    L_model_backward,
    L_model_forward,
    compute_cost,
    diagnose_bias_variance,
    dropout_backward,
    dropout_forward,
    ewma,
    gradient_check,
    initialize_adam,
    initialize_parameters,
    initialize_velocity,
    inverse_time_decay,
    linear_forward,
    perceptron_forward,
    random_mini_batches,
    sigmoid,
    sqrt_decay,
    train,
    update_parameters,
    update_parameters_with_adam,
    update_parameters_with_momentum,
    update_parameters_with_rmsprop,
)
from helpers.testing import random_data, random_grads, random_parameters


@pytest.fixture
def case():
    parameters = random_parameters([4, 5, 3, 1], seed=0)
    X, Y = random_data(4, 6, seed=1)
    return parameters, X, Y


# --------------------------------------------------------------------------- clear errors


def test_shape_mismatch_names_both_arrays(case):
    parameters, X, _ = case
    broken = {**parameters, "W2": np.zeros((3, 4))}  # A1 has 5 rows
    with pytest.raises(ValueError, match=r"W2 has shape \(3, 4\) but A1 has 5 rows"):
        L_model_forward(X, broken)
    with pytest.raises(ValueError, match=r"W1 has shape \(5, 4\) but X has 3 rows"):
        L_model_forward(X[:3], parameters)
    with pytest.raises(ValueError, match=r"W has shape \(2, 3\) but A_prev has 4 rows"):
        linear_forward(np.ones((4, 2)), np.ones((2, 3)), np.ones((2, 1)))
    with pytest.raises(ValueError, match=r"b has shape \(1, 2\) but W has 2 rows; b must be \(2, 1\)"):
        linear_forward(np.ones((3, 2)), np.ones((2, 3)), np.ones((1, 2)))


def test_bias_of_wrong_shape_in_parameters(case):
    parameters, X, _ = case
    with pytest.raises(ValueError, match=r"b1 has shape \(1, 5\) but should be \(5, 1\)"):
        L_model_forward(X, {**parameters, "b1": np.zeros((1, 5))})


@pytest.mark.parametrize("keep_prob", [0, -0.5, 1.5])
def test_keep_prob_outside_0_1_is_refused(keep_prob):
    with pytest.raises(ValueError, match=r"keep_prob must lie in \(0, 1\]"):
        dropout_forward(np.ones((2, 3)), keep_prob)
    with pytest.raises(ValueError, match=r"keep_prob must lie in \(0, 1\]"):
        dropout_backward(np.ones((2, 3)), np.ones((2, 3)), keep_prob)


def test_negative_learning_rate_is_refused(case):
    parameters, _, _ = case
    grads = random_grads(parameters, seed=2)
    with pytest.raises(ValueError, match="learning_rate must be >= 0, got -0.1"):
        update_parameters(parameters, grads, -0.1)
    with pytest.raises(ValueError, match="learning_rate must be >= 0"):
        update_parameters_with_momentum(parameters, grads, initialize_velocity(parameters), 0.9, -1)


@pytest.mark.parametrize("beta", [1.0, -0.1, 2])
def test_beta_outside_0_1_is_refused(case, beta):
    parameters, _, _ = case
    grads = random_grads(parameters, seed=2)
    with pytest.raises(ValueError, match=r"beta must lie in \[0, 1\)"):
        ewma([1, 2, 3], beta=beta)
    with pytest.raises(ValueError, match=r"beta must lie in \[0, 1\)"):
        update_parameters_with_momentum(parameters, grads, initialize_velocity(parameters), beta, 0.1)
    with pytest.raises(ValueError, match=r"beta2 must lie in \[0, 1\)"):
        update_parameters_with_adam(parameters, grads, *initialize_adam(parameters), 1, beta2=beta)



@pytest.mark.parametrize("rate, message", [
    (float("nan"), "learning_rate is NaN"), (np.float64("nan"), "learning_rate is NaN"),
    (np.array(np.nan), "learning_rate is NaN"), (True, "learning_rate must be a number, got True"),
    ("0.1", "learning_rate must be a number, got '0.1'"), (np.array([0.1]), "must be a number, got an array"),
])
def test_a_learning_rate_that_is_not_a_number_is_refused(case, rate, message):
    parameters, _, _ = case
    grads = random_grads(parameters, seed=2)
    with pytest.raises(ValueError, match=re.escape(message)):
        update_parameters_with_adam(parameters, grads, *initialize_adam(parameters), 1, learning_rate=rate)


def test_numbers_of_every_kind_are_accepted_and_lists_shape_checked_too(case):
    parameters, _, _ = case
    grads = random_grads(parameters, seed=2)
    expected = update_parameters(parameters, grads, 0.5)
    for rate in (np.float64(0.5), np.array(0.5), fractions.Fraction(1, 2), np.float32(0.5)):
        for name, value in update_parameters(parameters, grads, rate).items():
            np.testing.assert_array_equal(value, expected[name])
    # a shape check compares lists as it compares arrays (the fast path is for two arrays)
    from helpers._checks import check_same_shape

    check_same_shape("dW", [[1.0, 2.0]], "W", np.zeros((1, 2)))
    with pytest.raises(ValueError, match=re.escape("dW has shape (2,) but W has shape (1, 2)")):
        check_same_shape("dW", [1.0, 2.0], "W", np.zeros((1, 2)))


def test_optimizer_step_wants_the_state_its_optimizer_starts_with(case):
    parameters, _, _ = case
    grads = random_grads(parameters, seed=2)
    with pytest.raises(ValueError, match=re.escape("state must hold the keys ['v'] (what "
                                                   "initialize_optimizer_state('momentum', ...) returns); got []")):
        helpers.optimizer_step("momentum", parameters, grads, {}, 1, 0.1)
    with pytest.raises(ValueError, match=re.escape("state must hold the keys ['s', 'v']")):
        helpers.optimizer_step("adam", parameters, grads, {"v": initialize_velocity(parameters)}, 1, 0.1)
    # one state dict for every optimizer (as a loop over optimizers may keep): each takes its own keys
    v, s = initialize_adam(parameters)
    stepped, state = helpers.optimizer_step("gd", parameters, grads, {"v": v, "s": s}, 1, 0.1)
    assert set(state) == {"v", "s"}


@pytest.mark.parametrize("optimizer", helpers.OPTIMIZERS)
def test_the_explorers_unchecked_step_is_optimizer_steps_arithmetic(case, optimizer):
    """The optimizer explorer steps its reference runs without the checks: same numbers, bit for bit."""
    from helpers.optimizers import _unchecked_optimizer_step

    parameters, _, _ = case
    state = helpers.initialize_optimizer_state(optimizer, parameters)
    checked, unchecked = (parameters, state), (parameters, state)
    for t in range(1, 4):
        grads = random_grads(parameters, seed=t)
        checked = helpers.optimizer_step(optimizer, checked[0], grads, checked[1], t, 0.05, beta=0.8)
        unchecked = _unchecked_optimizer_step(optimizer, unchecked[0], grads, unchecked[1], t, 0.05, beta=0.8)
        for name in parameters:
            np.testing.assert_array_equal(unchecked[0][name], checked[0][name])

def test_adam_step_counter_must_start_at_1(case):
    parameters, _, _ = case
    with pytest.raises(ValueError, match=r"t \(the Adam step counter, 1 on the first update\)"):
        update_parameters_with_adam(parameters, random_grads(parameters, seed=2), *initialize_adam(parameters), 0)


@pytest.mark.parametrize("layer_dims, message", [([], "layer_dims is empty"), ([3], "has only the input size"), ([3, 0, 1], r"layer_dims\[1\]")])
def test_bad_layer_lists_are_refused(layer_dims, message):
    with pytest.raises(ValueError, match=message):
        initialize_parameters(layer_dims)


def test_nan_inputs_are_refused(case):
    parameters, X, Y = case
    X_nan = X.copy()
    X_nan[2, 3] = np.nan
    with pytest.raises(ValueError, match=r"X contains NaN \(first at index \(2, 3\)\)"):
        L_model_forward(X_nan, parameters)
    with pytest.raises(ValueError, match="AL contains NaN"):
        compute_cost(np.array([[0.5, np.nan]]), np.array([[1.0, 0.0]]))
    with pytest.raises(ValueError, match="theta contains NaN"):
        ewma([1.0, np.nan])


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda p, X, Y: L_model_forward(X, p, hidden_activation="relu6"), "unknown hidden_activation 'relu6'; valid choices are 'sigmoid', 'tanh', 'relu', 'leaky_relu', 'linear'"),
        (lambda p, X, Y: perceptron_forward([1, 2], 0, [1, 1], activation="softmax"), "unknown activation 'softmax'; valid choices are"),
        (lambda p, X, Y: initialize_parameters([2, 1], method="kaiming"), "unknown method 'kaiming'; valid choices are 'zeros', 'random', 'he', 'xavier', 'glorot'"),
        (lambda p, X, Y: train(X, Y, [4, 1], optimizer="sgd", progress=False), "unknown optimizer 'sgd'; valid choices are 'gd', 'momentum', 'rmsprop', 'adam'"),
    ],
    ids=["activation", "perceptron activation", "init method", "optimizer"],
)
def test_unknown_names_list_the_valid_ones(case, call, message):
    parameters, X, Y = case
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        call(parameters, X, Y)


def test_cost_refuses_logits_and_mismatched_labels():
    with pytest.raises(ValueError, match=r"did you pass Z instead of sigmoid\(Z\)"):
        compute_cost(np.array([[2.0, -1.0]]), np.array([[1.0, 0.0]]))
    with pytest.raises(ValueError, match=r"Y has shape \(3, 1\) but AL has shape \(1, 3\)"):
        compute_cost(np.full((1, 3), 0.5), np.ones((3, 1)))


def test_gradient_shapes_are_checked(case):
    parameters, _, _ = case
    grads = random_grads(parameters, seed=2)
    with pytest.raises(ValueError, match=r'grads\["db2"\] has shape \(1, 3\) but b2 has shape \(3, 1\)'):
        update_parameters(parameters, {**grads, "db2": grads["db2"].T}, 0.1)
    missing = {k: v for k, v in grads.items() if k != "dW3"}
    with pytest.raises(ValueError, match="the keys of grads must be .* missing dW3"):
        update_parameters_with_rmsprop(parameters, missing, initialize_velocity(parameters))


def test_dropout_and_plain_caches_are_not_mixed(case):
    parameters, X, Y = case
    AL, dropout_caches = helpers.L_model_forward_with_dropout(X, parameters, 0.5, rng=0)
    with pytest.raises(ValueError, match="use L_model_backward_with_dropout with the same keep_probs"):
        L_model_backward(AL, Y, dropout_caches)
    AL, caches = L_model_forward(X, parameters)
    with pytest.raises(ValueError, match="these caches have no dropout masks"):
        helpers.L_model_backward_with_dropout(AL, Y, caches, 0.5)


def test_dropout_mask_of_wrong_shape(case):
    with pytest.raises(ValueError, match=r"the dropout mask D has shape \(3, 2\) but A has shape \(2, 3\)"):
        dropout_forward(np.ones((2, 3)), 0.5, D=np.ones((3, 2)))


def test_train_refuses_bad_arguments(case):
    _, X, Y = case
    with pytest.raises(ValueError, match=r"X has 6 examples \(columns\) but Y has 5"):
        train(X, Y[:, :5], [4, 1], progress=False)
    with pytest.raises(ValueError, match="layer_dims\\[0\\] is 3 but X has 4 features"):
        train(X, Y, [3, 1], progress=False)
    with pytest.raises(ValueError, match="keep_prob has 1 entries but the network has 2 hidden layers"):
        train(X, Y, [4, 3, 2, 1], keep_prob=[0.5], progress=False)
    with pytest.raises(ValueError, match=r"keep_prob\[1\] must lie in \(0, 1\]"):
        train(X, Y, [4, 3, 2, 1], keep_prob=[0.5, 0.0], progress=False)
    with pytest.raises(ValueError, match="decay must be None or a function"):
        train(X, Y, [4, 1], decay=0.5, progress=False)
    with pytest.raises(ValueError, match="num_epochs must be a whole number >= 1"):
        train(X, Y, [4, 1], num_epochs=0, progress=False)


def test_decay_and_diagnosis_refuse_impossible_values():
    with pytest.raises(ValueError, match="epoch_num must be >= 1"):
        sqrt_decay(0.1, 0)
    with pytest.raises(ValueError, match="learning_rate0 must be >= 0"):
        inverse_time_decay(-0.1, 1, decay_rate=1)
    with pytest.raises(ValueError, match=r"looks like a percentage; give errors as fractions \(0.15 for 15%\)"):
        diagnose_bias_variance(15, 16)


def test_mini_batch_arguments(case):
    _, X, Y = case
    with pytest.raises(ValueError, match="mini_batch_size must be a whole number >= 1, got 0"):
        random_mini_batches(X, Y, 0)
    with pytest.raises(ValueError, match=r"X has 6 examples \(columns\) but Y has 4"):
        random_mini_batches(X, Y[:, :4])


# --------------------------------------------------------------------------- purity


def test_no_function_mutates_its_inputs(case):
    parameters, X, Y = case
    grads = random_grads(parameters, seed=3)
    v, s = initialize_adam(parameters)
    originals = copy.deepcopy((parameters, X, Y, grads, v, s))

    AL, caches = L_model_forward(X, parameters)
    L_model_backward(AL, Y, caches)
    update_parameters(parameters, grads, 0.1)
    update_parameters_with_momentum(parameters, grads, v, 0.9, 0.1)
    update_parameters_with_rmsprop(parameters, grads, s)
    update_parameters_with_adam(parameters, grads, v, s, 1)
    helpers.add_l2_gradient(grads, parameters, 0.5, 6)
    helpers.backward_propagation_with_regularization(AL, Y, caches, parameters, 0.5)
    helpers.L_model_forward_with_dropout(X, parameters, 0.5, rng=0)
    helpers.normalize_inputs(X, X)
    gradient_check(parameters, grads, X, Y)
    random_mini_batches(X, Y, 4)
    helpers.train_dev_test_split(X, Y, (0.5, 0.25, 0.25), seed=0)

    for before, after in zip(originals, (parameters, X, Y, grads, v, s)):
        if isinstance(before, dict):
            assert before.keys() == after.keys()
            for key in before:
                np.testing.assert_array_equal(before[key], after[key])
        else:
            np.testing.assert_array_equal(before, after)


def test_updates_return_new_dicts(case):
    parameters, _, _ = case
    grads = random_grads(parameters, seed=3)
    v = initialize_velocity(parameters)
    new_parameters, new_v = update_parameters_with_momentum(parameters, grads, v, 0.9, 0.1)
    assert new_parameters is not parameters and new_v is not v
    assert not np.shares_memory(new_parameters["W1"], parameters["W1"])


def test_nothing_touches_the_global_random_state(case):
    _, X, Y = case
    np.random.seed(12345)
    _, before_keys, before_position, _, _ = np.random.get_state()
    initialize_parameters([4, 3, 1], seed=None)
    initialize_parameters([4, 3, 1], seed=7)
    random_mini_batches(X, Y, 2, seed=3)
    dropout_forward(np.ones((3, 3)), 0.5)
    helpers.train_dev_test_split(X, Y, (0.5, 0.25, 0.25))
    train(X, Y, [4, 3, 1], num_epochs=3, mini_batch_size=2, keep_prob=0.8, progress=False)
    train(X, Y, [4, 3, 1], num_epochs=3, mini_batch_size=2, keep_prob=0.8, seed=5, progress=False)
    _, keys, position, _, _ = np.random.get_state()
    np.testing.assert_array_equal(keys, before_keys)
    assert position == before_position


def test_sigmoid_is_stable_without_warnings():
    # overflow (the naive 1 / (1 + exp(1000))) would warn; underflow to 0 is exact enough and silent
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        assert sigmoid(-1000.0) == 0.0
        assert sigmoid(1000.0) == 1.0
        np.testing.assert_allclose(sigmoid(np.array([-745.0, 0.0, 745.0])), [np.exp(-745.0), 0.5, 1.0])


def test_import_helpers_does_not_import_tensorflow():
    import subprocess
    import sys

    code = (
        "import sys, helpers; "
        "heavy = [m for m in ('tensorflow', 'keras') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert result.stdout.strip() == "", f"import helpers pulled in: {result.stdout.strip()}"


def test_every_public_name_is_exported_at_the_top_level():
    for module in (
        helpers.activations,
        helpers.perceptron,
        helpers.nn,
        helpers.gradcheck,
        helpers.optimizers,
        helpers.regularization,
        helpers.training,
        helpers.initialization,
    ):
        for name in module.__all__:
            assert getattr(helpers, name) is getattr(module, name), f"helpers.{name} is not {module.__name__}.{name}"
    assert helpers.update_parameters_with_adam is update_parameters_with_adam
