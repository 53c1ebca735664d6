"""Typical mistakes in 05_initialization that the hidden tests must catch.

Each entry replaces ``old`` by ``new`` in one answer cell of the source notebook; the
test cells in ``tests`` must then lose points (``tests/test_mistakes.py``).
"""
from nbcourse.authoring import Mistake

MISTAKES = [
    # --- the course spec's list --------------------------------------------------------
    Mistake(
        "He initialization with sqrt(1/n)",
        "initialize_parameters",
        "factor = np.sqrt(2 / n_prev)",
        "factor = np.sqrt(1 / n_prev)",
        tests=("test_initialize_parameters",),
    ),
    Mistake(
        "He initialization with n[l] instead of n[l-1]",
        "initialize_parameters",
        "factor = np.sqrt(2 / n_prev)",
        "factor = np.sqrt(2 / n)",
        tests=("test_initialize_parameters",),
    ),
    Mistake(
        "initialization with non-zero biases",
        "initialize_parameters",
        'parameters[f"b{l}"] = np.zeros((n, 1))',
        'parameters[f"b{l}"] = np.full((n, 1), 0.01)',
        tests=("test_initialize_parameters",),
    ),
    Mistake(
        "normalizing the test set with its own mean and variance",
        "normalize_inputs",
        "X_test_n = (X_test - mu) / sigma",
        "X_test_n = (X_test - X_test.mean(axis=1, keepdims=True)) / X_test.std(axis=1, keepdims=True)",
        tests=("test_normalize_inputs",),
    ),
    Mistake(
        "hard-codes the visible test's seed (initialization)",
        "initialize_parameters",
        "rng = np.random.default_rng(seed)",
        "rng = np.random.default_rng(0)",
        tests=("test_initialize_parameters",),
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
        "dividing by a zero standard deviation (constant features become NaN)",
        "normalize_inputs",
        "sigma = np.where(sigma > 0, sigma, 1.0)\n",
        "",
        tests=("test_normalize_inputs",),
    ),
    Mistake(
        "a small epsilon instead of sigma = 1 for constant features",
        "normalize_inputs",
        "sigma = np.where(sigma > 0, sigma, 1.0)",
        "sigma = sigma + 1e-8",
        tests=("test_normalize_inputs",),
    ),
    Mistake(
        "the variance rule with Var(x) instead of E[x^2]",
        "relu_layer_moments",
        "np.mean(A_prev ** 2)",
        "np.var(A_prev)",
        tests=("test_relu_layer_moments",),
    ),
    Mistake(
        "ReLU's second moment measured as its variance",
        "relu_layer_moments",
        "mean_square_a = np.mean(A ** 2)",
        "mean_square_a = np.var(A)",
        tests=("test_relu_layer_moments",),
    ),
    Mistake(
        "Xavier initialization with sqrt(2/n)",
        "initialize_parameters",
        "factor = np.sqrt(1 / n_prev)",
        "factor = np.sqrt(2 / n_prev)",
        tests=("test_initialize_parameters",),
    ),
    Mistake(
        "random initialization ignoring the scale",
        "initialize_parameters",
        "factor = scale",
        "factor = 10",
        tests=("test_initialize_parameters",),
    ),
    Mistake(
        "gradient norms ignoring the hidden activation",
        "layer_gradient_norms",
        "grads = H.L_model_backward(AL, Y, caches, hidden_activation=hidden_activation)",
        "grads = H.L_model_backward(AL, Y, caches)",
        tests=("test_layer_gradient_norms",),
    ),
    Mistake(
        "gradient norms of the weights instead of their gradients",
        "layer_gradient_norms",
        'np.linalg.norm(grads[f"dW{l}"])',
        'np.linalg.norm(parameters[f"W{l}"])',
        tests=("test_layer_gradient_norms",),
    ),
]
