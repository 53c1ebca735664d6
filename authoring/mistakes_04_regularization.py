"""Typical mistakes in 04_regularization that the hidden tests must catch.

Each entry replaces ``old`` by ``new`` in one answer cell of the source notebook; the
test cells in ``tests`` must then lose points (``tests/test_mistakes.py``).
"""
from nbcourse.authoring import Mistake

MISTAKES = [
    # --- the course spec's list --------------------------------------------------------
    Mistake(
        "L2 cost with lambda/m instead of lambda/(2m)",
        "l2_regularization_cost",
        "lambd / (2 * m)",
        "lambd / m",
        tests=("test_l2_regularization_cost",),
    ),
    Mistake(
        "L2 cost with the biases regularized",
        "l2_regularization_cost",
        'sum(np.sum(np.square(parameters[f"W{l}"])) for l in range(1, L + 1))',
        "sum(np.sum(np.square(value)) for value in parameters.values())",
        tests=("test_l2_regularization_cost",),
    ),
    Mistake(
        "L2 gradient without (lambda/m) W",
        "add_l2_gradient",
        'grads[f"dW{l}"] + (lambd / m) * parameters[f"W{l}"]',
        'grads[f"dW{l}"]',
        tests=("test_add_l2_gradient",),
    ),
    Mistake(
        "dropout without the 1/keep_prob scaling",
        "dropout_forward",
        "A_out = A * D / keep_prob",
        "A_out = A * D",
        tests=("test_dropout_forward",),
    ),
    Mistake(
        "dropout mask with > instead of <",
        "dropout_forward",
        "D = rng.random(A.shape) < keep_prob",
        "D = rng.random(A.shape) > keep_prob",
        tests=("test_dropout_forward",),
    ),
    Mistake(
        "dropout applied at inference",
        "dropout_forward",
        "    if not training:\n        return A, np.ones(A.shape, dtype=bool)\n",
        "",
        tests=("test_dropout_forward",),
    ),
    Mistake(
        "dropout backward without the same mask",
        "dropout_backward",
        "dA_in = dA * D / keep_prob",
        "dA_in = dA * (np.random.default_rng().random(dA.shape) < keep_prob) / keep_prob",
        tests=("test_dropout_backward",),
    ),
    Mistake(
        "hard-codes the visible test's expected output (L2 cost)",
        "l2_regularization_cost",
        "cost = lambd / (2 * m) * squared_norms",
        "cost = 0.19",
        tests=("test_l2_regularization_cost",),
    ),
    # --- a few further mistakes this assignment invites (each costs one graded student
    # in tests/test_mistakes.py, so only the likeliest are listed) -----------------------
    Mistake(
        "X and Y shuffled with different permutations",
        "split_train_dev_test",
        "X, Y = X[:, permutation], Y[:, permutation]",
        "X, Y = X[:, permutation], Y[:, np.random.default_rng().permutation(m)]",
        tests=("test_split_train_dev_test",),
    ),
    Mistake(
        "weight decay applied to the biases",
        "update_parameters_with_weight_decay",
        'parameters[f"b{l}"] - learning_rate',
        'decay * parameters[f"b{l}"] - learning_rate',
        tests=("test_update_parameters_with_weight_decay",),
    ),
    Mistake(
        "early stopping counts a tie as an improvement",
        "early_stopping",
        "if cost < best_cost:",
        "if cost <= best_cost:",
        tests=("test_early_stopping",),
    ),
    Mistake(
        "L1 gradient with W instead of sign(W) (the L2 pull)",
        "l1_regularization",
        '(lambd / m) * np.sign(parameters[f"W{l}"])',
        '(lambd / m) * parameters[f"W{l}"]',
        tests=("test_l1_regularization",),
    ),
    Mistake(
        "L1 cost with lambda/(2m) copied from L2",
        "l1_regularization",
        "cost = lambd / m * sum(",
        "cost = lambd / (2 * m) * sum(",
        tests=("test_l1_regularization",),
    ),
    Mistake(
        "dropout in the network still on at test time",
        "forward_propagation_with_dropout",
        "rng=rng, training=training)",
        "rng=rng)",
        tests=("test_forward_propagation_with_dropout",),
    ),
    Mistake(
        "the network's forward pass keeps no mask in the cache",
        "forward_propagation_with_dropout",
        "caches.append(cache + (D,))",
        "caches.append(cache + (np.ones(A.shape, dtype=bool),))",
        tests=("test_forward_propagation_with_dropout",),
    ),
    Mistake(
        "backward pass without the dropout masks",
        "backward_propagation_with_dropout",
        "dA = dropout_backward(dA, D, keep_probs[l - 1])",
        "dA = dA",
        tests=("test_backward_propagation_with_dropout",),
    ),
    Mistake(
        "training draws the dropout masks from a fresh generator",
        "train_with_dropout",
        "forward_propagation_with_dropout(X, parameters, keep_probs, rng=rng)",
        "forward_propagation_with_dropout(X, parameters, keep_probs)",
        tests=("test_train_with_dropout",),
    ),
    Mistake(
        "shifting with np.roll (pixels wrap around)",
        "shift_images",
        "shifted[:, top:top + height, left:left + width] = images[:, row:row + height, column:column + width]",
        "shifted = np.roll(images, (dy, dx), axis=(1, 2))",
        tests=("test_shift_images",),
    ),
]
