"""Typical mistakes in 05_initialization that the hidden tests must catch.

Each entry replaces ``old`` by ``new`` in one answer cell of the source notebook; the
test cells in ``tests`` must then lose points (``tests/test_mistakes.py``).
"""
from nbcourse.authoring import Mistake

MISTAKES = [
    # --- the course spec's list --------------------------------------------------------
    Mistake(
        "He initialization with sqrt(1/n)",
        "initialize_parameters_he",
        "factor = np.sqrt(2 / layer_dims[l - 1])",
        "factor = np.sqrt(1 / layer_dims[l - 1])",
        tests=("test_initialize_parameters_he",),
    ),
    Mistake(
        "He initialization with n[l] instead of n[l-1]",
        "initialize_parameters_he",
        "factor = np.sqrt(2 / layer_dims[l - 1])",
        "factor = np.sqrt(2 / layer_dims[l])",
        tests=("test_initialize_parameters_he",),
    ),
    Mistake(
        "He initialization with non-zero biases",
        "initialize_parameters_he",
        'parameters[f"b{l}"] = np.zeros((layer_dims[l], 1))',
        'parameters[f"b{l}"] = np.full((layer_dims[l], 1), 0.01)',
        tests=("test_initialize_parameters_he",),
    ),
    Mistake(
        "normalizing the test set with its own mean and variance",
        "normalize_inputs",
        "X_test_n = (X_test - mu) / sigma",
        "X_test_n = (X_test - X_test.mean(axis=1, keepdims=True)) / X_test.std(axis=1, keepdims=True)",
        tests=("test_normalize_inputs",),
    ),
    Mistake(
        "hard-codes the visible test's expected output (He initialization)",
        "initialize_parameters_he",
        "rng = np.random.default_rng(seed)",
        "rng = np.random.default_rng(0)",
        tests=("test_initialize_parameters_he",),
    ),
    Mistake(
        "hard-codes the visible test's expected output (deep linear network)",
        "deep_linear_forward",
        "    for _ in range(L):\n        a = a @ W\n",
        "    a = np.array([0.125, 0.125]) if W[0, 0] == 0.5 else np.array([2.25, 2.25])\n",
        tests=("test_deep_linear_forward",),
    ),
    # --- a few further mistakes this assignment invites (each costs one graded student
    # in tests/test_mistakes.py, so only the likeliest are listed) -----------------------
    Mistake(
        "normalizing by the variance instead of the standard deviation",
        "normalize_inputs",
        "sigma = np.std(X_train, axis=1, keepdims=True)",
        "sigma = np.var(X_train, axis=1, keepdims=True)",
        tests=("test_normalize_inputs",),
    ),
    Mistake(
        "Xavier initialization with sqrt(2/n)",
        "initialize_parameters_xavier",
        "factor = np.sqrt(1 / layer_dims[l - 1])",
        "factor = np.sqrt(2 / layer_dims[l - 1])",
        tests=("test_initialize_parameters_xavier",),
    ),
    Mistake(
        "random initialization ignoring the scale",
        "initialize_parameters_random",
        "rng.standard_normal((layer_dims[l], layer_dims[l - 1])) * scale",
        "rng.standard_normal((layer_dims[l], layer_dims[l - 1])) * 10",
        tests=("test_initialize_parameters_random",),
    ),
]
