"""helpers.testing: the checks the autograder's test cells call, and the random cases."""
import numpy as np
import pytest

from helpers import testing
from helpers.testing import (
    assert_close, assert_dict_close, assert_equal, assert_raises, assert_shape, assert_true,
    random_case,
)


def failure(check, *args, **kwargs) -> str:
    """The message of the AssertionError that ``check`` must raise."""
    with pytest.raises(AssertionError) as info:
        check(*args, **kwargs)
    return str(info.value)


EXPECTED = np.arange(1.0, 13.0).reshape(3, 4)


# --- assert_close: what passes and what fails -----------------------------------------

def test_assert_close_agrees_with_numpy_isclose_on_random_pairs():
    # np.isclose is the independent reference: same formula |a - b| <= atol + rtol |b|.
    rng = np.random.default_rng(0)
    for _ in range(200):
        expected = rng.standard_normal((2, 3))
        got = expected + rng.choice([0.0, 1e-9, 1e-7, 1e-5]) * rng.standard_normal((2, 3))
        reference = bool(np.isclose(got, expected, rtol=1e-6, atol=1e-8).all())
        try:
            assert_close("x", got, expected)
            passed = True
        except AssertionError:
            passed = False
        assert passed == reference


def test_assert_close_accepts_plain_numbers_and_zero_d_arrays():
    assert_close("cost", 0.693147, np.log(2), rtol=1e-5)
    assert_close("cost", np.float32(0.5), 0.5)
    assert_close("cost", np.array(0.5), 0.5)
    assert_close("count", 3, 3)


def test_failure_message_names_variable_first_difference_largest_difference_and_hint():
    got = EXPECTED.copy()
    got[1, 2] = 100.0
    message = failure(assert_close, "dW2", got, EXPECTED, hint="did you forget the 1/m factor?")
    assert message.startswith("dW2 is not correct: 1 of 12 entries differ.")
    assert "first difference at index (1, 2): got 100, expected 7" in message
    assert "largest absolute difference: 93" in message
    assert "hint: did you forget the 1/m factor?" in message


def test_constant_factor_and_sign_are_pointed_out():
    assert "4 times the expected value" in failure(assert_close, "dW1", 4 * EXPECTED, EXPECTED)
    assert "wrong sign" in failure(assert_close, "cost", -0.7, 0.7)
    assert "wrong places" in failure(assert_close, "A", EXPECTED[::-1], EXPECTED)


def test_scalar_failure_gives_both_values():
    message = failure(assert_close, "cost", 0.6, 0.5)
    assert message.startswith("cost is not correct: got 0.6, expected 0.5.")
    assert "times the expected" not in message  # any number is a multiple of another


@pytest.mark.parametrize("got, expected, words", [
    (np.ones(3), np.ones((3, 1)), "has shape (3,), but shape (3, 1) was expected (same entries, different number of axes: did you forget keepdims=True"),
    (EXPECTED.T, EXPECTED, "has shape (4, 3), but shape (3, 4) was expected (the transpose"),
    (np.ones((3, 5)), EXPECTED, "axis 1 differs"),
    (np.array([[0.5]]), 0.5, "a single number: use float(...)"),
])
def test_wrong_shape_says_which_shape_and_a_likely_cause(got, expected, words):
    assert words in failure(assert_close, "value", got, expected)


@pytest.mark.parametrize("got, words", [
    (None, "is None, but an array of shape (3, 4) was expected: did you finish the function and `return`"),
    ((EXPECTED, {}), "is a tuple of 2 items"),
    ([[1.0, 2.0]], "is a Python list"),
    ("0.5", "is a str"),
    (np.array(["a"] * 12).reshape(3, 4), "holds <U1 values, but numbers were expected"),
    (len, "is a function"),
])
def test_wrong_type_is_refused_with_a_clear_message(got, words):
    assert words in failure(assert_close, "A1", got, EXPECTED)


def test_nan_and_inf_are_refused_with_their_position():
    got = EXPECTED.copy()
    got[2, 1] = np.nan
    message = failure(assert_close, "AL", got, EXPECTED)
    assert "AL contains NaN (first at index (2, 1))" in message and "log(0)" in message
    got[2, 1] = -np.inf
    assert "AL contains infinity (first at index (2, 1))" in failure(assert_close, "AL", got, EXPECTED)


def test_non_finite_reference_values_must_be_matched_exactly():
    expected = np.array([1.0, np.inf, np.nan])
    assert_close("x", np.array([1.0, np.inf, np.nan]), expected)
    assert "1 of 3 entries differ" in failure(assert_close, "x", np.array([1.0, -np.inf, np.nan]), expected)
    assert "1 of 3 entries differ" in failure(assert_close, "x", np.array([1.0, np.inf, 0.0]), expected)


def test_boolean_masks_compare_as_numbers():
    mask = np.array([[True, False], [False, True]])
    assert_close("D1", mask.copy(), mask)
    assert_close("D1", mask.astype(float), mask)
    flipped = mask.copy()
    flipped[0, 1] = True
    assert "1 of 4 entries differ" in failure(assert_close, "D1", flipped, mask)
    assert "got 1, expected 2" in failure(assert_close, "n", np.uint8(1), np.uint8(2))  # no wrap-around


def test_tensor_like_values_are_read_through_their_numpy_method():
    class FakeTensor:  # stands for tf.Tensor / tf.Variable, without importing TensorFlow
        def __init__(self, values):
            self.values = values

        def numpy(self):
            return self.values

    assert_close("Z", FakeTensor(EXPECTED.copy()), EXPECTED)
    assert "entries differ" in failure(assert_close, "Z", FakeTensor(EXPECTED + 1), EXPECTED)


# --- A student's code cannot switch the checks off ------------------------------------

@pytest.mark.parametrize("patch", [
    "allclose", "isclose", "array_equal", "all", "any", "abs", "absolute", "max", "subtract",
    "asarray", "isfinite", "less_equal",
])
def test_replacing_numpy_functions_after_import_does_not_make_a_wrong_answer_pass(monkeypatch, patch):
    always_true = lambda *args, **kwargs: True  # noqa: E731
    monkeypatch.setattr(np, patch, always_true)
    monkeypatch.setattr(np.testing, "assert_allclose", lambda *args, **kwargs: None)
    monkeypatch.setattr(np.testing, "assert_array_equal", lambda *args, **kwargs: None)
    assert "12 of 12 entries differ" in failure(assert_close, "dW1", EXPECTED + 1, EXPECTED)
    assert "grads['db1'] is not correct" in failure(
        assert_dict_close, "grads", {"db1": EXPECTED + 1}, {"db1": EXPECTED})


def test_an_array_subclass_that_lies_about_comparisons_is_still_caught():
    class Liar(np.ndarray):
        def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
            return np.zeros(EXPECTED.shape)  # "every difference is zero"

        def __eq__(self, other):
            return np.ones(EXPECTED.shape, dtype=bool)

    wrong = (EXPECTED + 1).view(Liar)
    assert "12 of 12 entries differ" in failure(assert_close, "A", wrong, EXPECTED)


def test_replacing_the_random_generator_does_not_change_the_random_cases(monkeypatch):
    before = random_case.parameters([3, 2, 1], seed=4)
    monkeypatch.setattr(np.random, "default_rng", lambda *args, **kwargs: None)
    after = random_case.parameters([3, 2, 1], seed=4)
    for key in before:
        np.testing.assert_array_equal(after[key], before[key])


# --- Dictionaries, exact values, conditions, exceptions -------------------------------

def test_assert_dict_close_reports_the_missing_extra_or_wrong_key():
    expected = {"dW1": EXPECTED, "db1": np.ones((3, 1))}
    assert_dict_close("grads", {"dW1": EXPECTED.copy(), "db1": np.ones((3, 1))}, expected)
    assert "grads has no key 'db1' (its keys: 'dW1')" in failure(
        assert_dict_close, "grads", {"dW1": EXPECTED}, expected)
    assert "grads has unexpected key 'dA0'" in failure(
        assert_dict_close, "grads", {**expected, "dA0": EXPECTED}, expected)
    assert "grads['db1'] has shape (3,)" in failure(
        assert_dict_close, "grads", {"dW1": EXPECTED, "db1": np.ones(3)}, expected)
    assert "grads is a tuple of 2 items, but a dictionary was expected" in failure(
        assert_dict_close, "grads", (expected, None), expected)
    assert "grads is a Python list, but a dictionary was expected." in failure(assert_dict_close, "grads", [1], expected)


def test_assert_dict_close_with_keys_compares_only_those():
    expected = {"dW1": EXPECTED, "db1": np.ones((3, 1))}
    assert_dict_close("grads", {"dW1": EXPECTED, "dA0": 7}, expected, keys=["dW1"])
    assert "grads['dW1']" in failure(assert_dict_close, "grads", {"dW1": 2 * EXPECTED}, expected, keys=["dW1"])


def test_assert_shape():
    assert_shape("Z1", np.zeros((4, 5)), (4, 5))
    assert "Z1 has shape (5, 4), but shape (4, 5) was expected" in failure(assert_shape, "Z1", np.zeros((5, 4)), (4, 5))
    assert "Z1 is None" in failure(assert_shape, "Z1", None, (4, 5))
    assert "hint: check the order of W and A" in failure(
        assert_shape, "Z1", np.zeros((5, 4)), (4, 5), hint="check the order of W and A")


def test_assert_equal_assert_true_and_assert_raises():
    assert_equal("diagnosis", "high bias", "high bias")
    assert "got 'high variance', expected 'high bias'" in failure(assert_equal, "diagnosis", "high variance", "high bias")
    assert "diagnosis is None" in failure(assert_equal, "diagnosis", None, "high bias")
    assert_equal("count", np.int64(3), 3)

    assert_true(True, "unused")
    assert_true(np.bool_(True), "unused")
    assert failure(assert_true, 1 > 2, "the cost must decrease", hint="lower the rate") == \
        "the cost must decrease\n  hint: lower the rate"
    with pytest.raises(TypeError):
        assert_true(1, "a number is not a condition")

    def refuse(keep_prob):
        if not 0 < keep_prob <= 1:
            raise ValueError(f"keep_prob must be in (0, 1], got {keep_prob}")
        return keep_prob

    error = assert_raises(ValueError, refuse, 1.5, match="keep_prob")
    assert "1.5" in str(error)
    assert "returned normally" in failure(assert_raises, ValueError, refuse, 0.5)
    assert "does not mention 'beta'" in failure(assert_raises, ValueError, refuse, 2, match="beta")
    assert "but it raised TypeError" in failure(assert_raises, ValueError, refuse, "x")


# --- Random cases ----------------------------------------------------------------------

def test_random_layer_and_parameters_have_the_course_shapes():
    A_prev, W, b = random_case.layer(3, 4, 5, seed=1)
    assert (A_prev.shape, W.shape, b.shape) == ((3, 5), (4, 3), (4, 1))
    parameters = random_case.parameters([5, 4, 3, 1], seed=2)
    assert {key: value.shape for key, value in parameters.items()} == {
        "W1": (4, 5), "b1": (4, 1), "W2": (3, 4), "b2": (3, 1), "W3": (1, 3), "b3": (1, 1)}
    assert all(np.abs(parameters[f"b{l}"]).min() > 0 for l in (1, 2, 3))  # biases matter
    grads = random_case.grads(parameters, seed=3)
    assert {key: value.shape for key, value in grads.items()} == {
        f"d{key}": value.shape for key, value in parameters.items()}
    with pytest.raises(ValueError, match="layer_dims"):
        random_case.parameters([3], seed=0)


def test_random_cases_are_reproducible_by_seed_and_leave_the_global_state_alone():
    np.random.seed(123)
    expected_next = np.random.rand()
    np.random.seed(123)
    first = random_case.layer(2, 3, 4, seed=7)
    again = random_case.layer(2, 3, 4, seed=np.random.default_rng(7))
    other = random_case.layer(2, 3, 4, seed=8)
    assert np.random.rand() == expected_next
    for a, b in zip(first, again):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first[0], other[0])


def test_random_data_probabilities_z_and_layer_dims():
    X, Y = random_case.data(4, 10, seed=0)
    assert X.shape == (4, 10) and Y.shape == (1, 10)
    assert set(np.unique(Y)) == {0.0, 1.0}
    AL = random_case.probabilities((1, 50), seed=0)
    assert AL.shape == (1, 50) and AL.min() >= 0.05 and AL.max() <= 0.95
    Z = random_case.z((3, 4), seed=0)
    assert Z.shape == (3, 4) and (Z == 0).any() and (Z > 0).any() and (Z < 0).any()
    for seed in range(20):
        dims = random_case.layer_dims(seed=seed, n_layers=(2, 4), sizes=(2, 7), n_x=12)
        assert dims[0] == 12 and dims[-1] == 1 and 3 <= len(dims) <= 5
        assert all(2 <= n <= 7 for n in dims[1:-1])
    assert len({tuple(random_case.layer_dims(seed=s)) for s in range(20)}) > 5


def test_helpers_reexports_the_checks():
    import helpers
    assert helpers.assert_close is testing.assert_close
    assert helpers.random_case is testing.random_case


def test_the_checks_cannot_be_replaced_through_the_module():
    with pytest.raises(AttributeError, match="read-only"):
        testing.assert_close = lambda *args, **kwargs: None
    with pytest.raises(AttributeError, match="read-only"):
        del testing.assert_dict_close
    with pytest.raises(AttributeError, match="read-only"):
        testing._asarray = lambda value: np.zeros(())
    assert "entries differ" in failure(testing.assert_close, "A", EXPECTED + 1, EXPECTED)
