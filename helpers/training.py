"""The training loop: mini-batches, an optimizer, L2, dropout and learning-rate decay together.

``train`` puts together the pieces of the other modules (``nn`` for the network,
``optimizers`` for the updates and the mini-batches, ``regularization`` for L2 and
dropout); it lives in its own module so that those modules never import one another
back.

The objective is the cost over the whole training set of m examples,

    J = (1/m) sum_i L(a[L](i), y(i)) + (lambd / (2m)) sum_l ||W[l]||_F^2,

and each mini-batch of m_b examples gives the gradient estimate

    (1/m_b) sum_{i in batch} grad L(i) + (lambd / m) W[l],

whose expected value over the shuffle is grad J, whatever the batch size: the L2 term
is scaled by the training-set size m, not by m_b. Keras's
``kernel_regularizer=L2(lambd / (2m))`` (m the training-set size) adds the same penalty
to its mean loss, so it trains the same network with any batch size.
"""

import warnings

import numpy as np

from ._checks import (
    check_choice,
    check_examples,
    check_layer_dims,
    check_learning_rate,
    check_positive_int,
    check_scalar,
)
from .nn import L_model_backward, L_model_forward, _cross_entropy, initialize_parameters
from .optimizers import OPTIMIZERS, initialize_optimizer_state, optimizer_step, random_mini_batches
from .regularization import (
    L_model_backward_with_dropout,
    L_model_forward_with_dropout,
    _hidden_keep_probs,
    add_l2_gradient,
    l2_cost,
)

__all__ = ["train"]


def _check_train_arguments(X, Y, layer_dims, optimizer, learning_rate, num_epochs, mini_batch_size, lambd,
                           keep_prob, decay):
    """Validate train's arguments; returns (X, Y, dims, learning_rate0, num_epochs, lambd, keep_probs)."""
    X, Y = check_examples(X, Y)
    dims = check_layer_dims(layer_dims)
    if dims[0] != X.shape[0]:
        raise ValueError(f"layer_dims[0] is {dims[0]} but X has {X.shape[0]} features (rows); they must be equal")
    check_choice("optimizer", optimizer, OPTIMIZERS)
    learning_rate0 = check_learning_rate(learning_rate)
    num_epochs = check_positive_int("num_epochs", num_epochs)
    if mini_batch_size is not None:
        check_positive_int("mini_batch_size", mini_batch_size)
    lambd = check_scalar("lambd", lambd, low=0.0)
    keep_probs = _hidden_keep_probs(keep_prob, len(dims) - 2)
    if decay is not None and not callable(decay):
        raise ValueError(
            f"decay must be None or a function decay(learning_rate0, epoch_num) -> learning_rate, got {decay!r}; "
            "e.g. functools.partial(inverse_time_decay, decay_rate=1)"
        )
    return X, Y, dims, learning_rate0, num_epochs, lambd, keep_probs


def _batch_cost_and_gradients(X_batch, Y_batch, parameters, m, lambd, keep_probs, rng, hidden_activation):
    """Forward, cost and backward on one mini-batch; (NaN, None) if the forward pass overflowed.

    cost  = (1/m_b) sum_batch L + (lambd / (2m)) sum_l ||W[l]||_F^2
    dW[l] = (from backprop, a mean over the batch) + (lambd / m) W[l]
    with m the training-set size (see the module docstring). Inverted dropout runs on
    the hidden layers when some keep probability is below 1.
    """
    if any(k < 1.0 for k in keep_probs):
        AL, caches = L_model_forward_with_dropout(X_batch, parameters, keep_probs, rng=rng,
                                                  hidden_activation=hidden_activation)
        backward = lambda: L_model_backward_with_dropout(AL, Y_batch, caches, keep_probs,  # noqa: E731
                                                         hidden_activation=hidden_activation)
    else:
        AL, caches = L_model_forward(X_batch, parameters, hidden_activation=hidden_activation)
        backward = lambda: L_model_backward(AL, Y_batch, caches, hidden_activation=hidden_activation)  # noqa: E731
    if not np.isfinite(AL).all():
        return np.nan, None
    grads = backward()
    cost = _cross_entropy(AL, Y_batch)
    if lambd > 0:
        cost += l2_cost(parameters, lambd, m)
        grads = add_l2_gradient(grads, parameters, lambd, m)
    return cost, grads


def _run_epoch(batches, parameters, state, t, learning_rate, optimizer, hyper, m, lambd, keep_probs, rng,
               hidden_activation):
    """One pass over the mini-batches: one optimizer step per batch.

    Returns (parameters, state, t, epoch_cost): t counts the updates so far (from 1,
    across epochs), epoch_cost is the batch-size-weighted mean of the batch costs, each
    taken before its batch's update, or NaN if the pass or the weights overflowed (the
    epoch then stops at that batch).
    """
    total_cost = 0.0
    for X_batch, Y_batch in batches:
        # overflow is detected below and reported once, instead of as a stream of NumPy warnings
        with np.errstate(over="ignore", invalid="ignore"):
            cost, grads = _batch_cost_and_gradients(X_batch, Y_batch, parameters, m, lambd, keep_probs, rng,
                                                    hidden_activation)
            if np.isfinite(cost):
                t += 1
                parameters, state = optimizer_step(optimizer, parameters, grads, state, t, learning_rate, **hyper)
        if not np.isfinite(cost) or not all(np.isfinite(value).all() for value in parameters.values()):
            return parameters, state, t, np.nan
        total_cost += cost * X_batch.shape[1]
    return parameters, state, t, total_cost / m


def train(
    X,
    Y,
    layer_dims,
    optimizer="gd",
    learning_rate=0.0075,
    num_epochs=500,
    mini_batch_size=None,
    lambd=0.0,
    keep_prob=1.0,
    init="he",
    decay=None,
    seed=None,
    progress=True,
    *,
    hidden_activation="relu",
    beta=0.9,
    beta1=0.9,
    beta2=0.999,
    epsilon=1e-8,
):
    """Train an L-layer binary classifier; returns (parameters, history).

    Each epoch: shuffle the columns into mini-batches (``random_mini_batches``;
    ``mini_batch_size=None`` means one full batch), and for each batch run
    forward (with inverted dropout on hidden layers if ``keep_prob < 1``),
    the cost (1/m_b) sum_batch L + (lambd / (2m)) sum_l ||W[l]||_F^2, backward
    (plus (lambd/m) W[l] on dW[l]), then one optimizer step. Here m_b is the
    batch size and m the number of training examples (columns of X): the
    penalty belongs to the whole-training-set cost J, so every batch's gradient
    estimates grad J whatever m_b is, and Keras's ``L2(lambd / (2m))`` matches.

    Arguments:
        X (n[0], m), Y (1, m); layer_dims [n[0], ..., n[L]] with n[0] = rows of X.
        optimizer: "gd", "momentum" (uses ``beta``), "rmsprop" (uses ``beta``
            as the decay of the squared gradients) or "adam" (``beta1``, ``beta2``);
            ``epsilon`` for rmsprop and adam.
        learning_rate: alpha_0, the starting learning rate.
        lambd: L2 strength lambda (0 = none).
        keep_prob: probability of keeping a hidden unit; a number for every
            hidden layer or a list with one per hidden layer (1 = no dropout).
            Keras's ``Dropout(rate)`` takes the drop rate, rate = 1 - keep_prob.
        init: a method of ``initialize_parameters`` ("he", "xavier", ...).
        decay: None for a constant rate, or a callable
            ``decay(learning_rate0, epoch_num) -> learning_rate`` called at the
            start of every epoch with epoch_num = 1, 2, ..., num_epochs, e.g.
            ``functools.partial(inverse_time_decay, decay_rate=1)``.
        seed: None, an int or a numpy Generator; drives the initialization,
            the shuffling and the dropout masks (same seed, same result).
        progress: show a tqdm progress bar (False to hide it).

    Returns:
        parameters: {"W1", "b1", ...}, shapes as ``initialize_parameters``.
        history: {"cost": [J per epoch], "learning_rate": [alpha per epoch]};
            the epoch cost is the mean of the mini-batch costs weighted by
            batch size, each computed before that batch's update.

    Training stops early with a RuntimeWarning if the forward pass overflows
    to NaN or infinity (a learning rate far too large makes the weights
    explode); the epoch where that happened gets the cost NaN in ``history``.
    """
    X, Y, dims, learning_rate0, num_epochs, lambd, keep_probs = _check_train_arguments(
        X, Y, layer_dims, optimizer, learning_rate, num_epochs, mini_batch_size, lambd, keep_prob, decay
    )
    rng = np.random.default_rng(seed)
    parameters = initialize_parameters(dims, method=init, seed=rng)
    state = initialize_optimizer_state(optimizer, parameters)
    hyper = {"beta": beta, "beta1": beta1, "beta2": beta2, "epsilon": epsilon}
    history = {"cost": [], "learning_rate": []}
    m = X.shape[1]
    t = 0  # number of updates so far (Adam's bias correction counts from 1)

    epochs = range(1, num_epochs + 1)
    if progress:
        from tqdm.auto import tqdm  # imported on use: tqdm.auto may pull in ipywidgets

        epochs = tqdm(epochs, desc=f"train ({optimizer})", unit="epoch")
    for epoch in epochs:
        learning_rate = learning_rate0 if decay is None else check_learning_rate(decay(learning_rate0, epoch))
        batches = [(X, Y)] if mini_batch_size is None else random_mini_batches(X, Y, mini_batch_size, seed=rng)
        parameters, state, t, epoch_cost = _run_epoch(
            batches, parameters, state, t, learning_rate, optimizer, hyper, m, lambd, keep_probs, rng, hidden_activation
        )
        history["cost"].append(epoch_cost)
        history["learning_rate"].append(learning_rate)
        if progress:
            epochs.set_postfix(cost=f"{epoch_cost:.4f}", refresh=False)
        if not np.isfinite(epoch_cost):
            warnings.warn(
                f"training stopped at epoch {epoch}: the cost or the weights became NaN/infinite; "
                f"the learning rate ({learning_rate:g}) is probably too large",
                RuntimeWarning,
                stacklevel=2,
            )
            break
    if progress:
        epochs.close()
    return parameters, history
