"""Optimization algorithms: EWMA, mini-batches, momentum, RMSprop, Adam, learning-rate decay.

Optimizer states ``v`` and ``s`` are dicts keyed like the gradients
("dW1", "db1", ...), each entry shaped like the parameter it follows.
The updates work parameter by parameter: they check that the keys agree and that each
gradient and moment has its parameter's shape, nothing more (the shapes need not chain
into a network). Every update returns new dicts; nothing passed in is modified.

Learning-rate schedules count epochs from 1: ``epoch_num`` is 1 during the first pass
through the training set, 2 during the second, ... (``helpers.train`` calls
``decay(learning_rate0, epoch_num)`` that way). That is the count the slides' square-root
schedule k / sqrt(epoch_num) needs; epoch_num = 0 ("before any epoch") gives alpha_0 for
the other three schedules. Keras' ``LearningRateScheduler`` passes a 0-based epoch index:
wrap one of these as ``lambda epoch, lr: schedule(alpha_0, epoch + 1, ...)``.
"""

import numpy as np

from ._checks import (
    as_float_array,
    check_beta,
    check_choice,
    check_examples,
    check_learning_rate,
    check_positive_int,
    check_same_shape,
    check_scalar,
)

__all__ = [
    "OPTIMIZERS",
    "ewma",
    "random_mini_batches",
    "update_parameters_with_gd",
    "initialize_velocity",
    "update_parameters_with_momentum",
    "initialize_rmsprop",
    "update_parameters_with_rmsprop",
    "initialize_adam",
    "update_parameters_with_adam",
    "initialize_optimizer_state",
    "optimizer_step",
    "inverse_time_decay",
    "schedule_lr_decay",
    "exponential_decay",
    "sqrt_decay",
]

#: Names accepted by ``optimizer_step`` and ``helpers.train``.
OPTIMIZERS = ("gd", "momentum", "rmsprop", "adam")


# --------------------------------------------------------------------------- EWMA


def ewma(theta, beta=0.9, bias_correction=False):
    """Exponentially weighted moving average of a sequence theta_1, ..., theta_T.

    V_0 = 0,   V_t = beta V_{t-1} + (1 - beta) theta_t,
    and with ``bias_correction``:  V_t / (1 - beta^t)  (t counted from 1).
    V_t averages roughly the last 1 / (1 - beta) values.

    Shapes: theta (T,) (or (T, ...): averaged along the first axis) -> V of the same shape.
    """
    beta = check_beta(beta)
    theta = as_float_array("theta", theta)
    if theta.ndim == 0 or theta.shape[0] == 0:
        raise ValueError(f"theta must be a non-empty sequence, got shape {theta.shape}")
    V = np.empty_like(theta)
    previous = np.zeros_like(theta[0])
    for t in range(theta.shape[0]):  # a recursion in time: each V_t needs V_{t-1}
        previous = beta * previous + (1.0 - beta) * theta[t]
        V[t] = previous
    if bias_correction:
        t = np.arange(1, theta.shape[0] + 1).reshape((-1,) + (1,) * (theta.ndim - 1))
        V = V / (1.0 - beta**t)
    return V


# --------------------------------------------------------------------------- mini-batches


def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    """Shuffle the examples (one permutation for X and Y) and cut them into mini-batches.

    Shapes: X (n_x, m), Y (1, m) -> a list of (X_batch (n_x, size), Y_batch (1, size));
    every batch holds ``mini_batch_size`` examples except the last, which holds
    the m mod mini_batch_size left over (when that is not 0).
    ``seed`` is an int, None, or a ``numpy.random.Generator`` (used and advanced).
    """
    X, Y = check_examples(X, Y)
    mini_batch_size = check_positive_int("mini_batch_size", mini_batch_size)
    permutation = np.random.default_rng(seed).permutation(X.shape[1])
    X_shuffled, Y_shuffled = X[:, permutation], Y[:, permutation]
    return [
        (X_shuffled[:, start : start + mini_batch_size], Y_shuffled[:, start : start + mini_batch_size])
        for start in range(0, X.shape[1], mini_batch_size)
    ]


# --------------------------------------------------------------------------- update rules


def _parameter_names(parameters):
    """The keys of ``parameters`` ("W1", "b1", ...), after checking it is a non-empty dict.

    An update rule works parameter by parameter, so nothing here asks the shapes to chain
    into a network: {"W1": (2, 3), "W2": (3, 3)} is a fine dict to update.
    """
    if not isinstance(parameters, dict) or not parameters:
        raise ValueError(f'parameters must be a non-empty dict {{"W1": ..., "b1": ...}}, got {parameters!r:.80}')
    return list(parameters)


def _zeros_like_parameters(parameters):
    """{"dP": zeros shaped like P} for every parameter P: the start of an optimizer state."""
    return {"d" + name: np.zeros(np.shape(parameters[name])) for name in _parameter_names(parameters)}


def _check_update(parameters, grads, learning_rate, **states):
    """Check one update's inputs parameter by parameter; returns (learning_rate, names).

    ``grads`` must hold "d" + name for every parameter (other entries, such as the "dA{l}"
    of backpropagation, are ignored); an optimizer state (``v=...``, ``s=...``) must hold
    exactly those keys. Each array must have its parameter's shape. Whether the shapes
    chain into a network is not an update rule's business.
    """
    learning_rate = check_learning_rate(learning_rate)
    names = _parameter_names(parameters)
    expected = {"d" + name for name in names}
    for state_name, state in {"grads": grads, **states}.items():
        if not isinstance(state, dict):
            raise ValueError(f"{state_name} must be a dict with keys dW1, db1, ..., got {type(state).__name__}")
        keys = state.keys()
        missing = sorted(expected - keys)
        extra = [] if state_name == "grads" or keys == expected else sorted(keys - expected)
        if missing or extra:
            problems = [f"missing {', '.join(missing)}"] * bool(missing) + [f"unexpected {', '.join(extra)}"] * bool(extra)
            raise ValueError(
                f"the keys of {state_name} must be 'd' + each parameter's name ({', '.join(sorted(expected))}); "
                + "; ".join(problems)
            )
        for name in names:
            check_same_shape(f'{state_name}["d{name}"]', state["d" + name], name, parameters[name])
    return learning_rate, names


def update_parameters_with_gd(parameters, grads, learning_rate):
    """Gradient descent, parameter by parameter: P = P - alpha dP (W[l], b[l], ...).

    Shapes: grads["dP"] has the shape of P; each entry keeps its shape. Returns a new dict.
    """
    learning_rate, _ = _check_update(parameters, grads, learning_rate)
    return _gd_update(parameters, grads, learning_rate)


def _gd_update(parameters, grads, learning_rate):
    """The arithmetic of ``update_parameters_with_gd``, on inputs already checked."""
    return {name: parameters[name] - learning_rate * grads["d" + name] for name in parameters}


def initialize_velocity(parameters):
    """Momentum state: v["dP"] = zeros shaped like P, for every parameter P ("W1", "b1", ...).

    Shapes: v["dW{l}"] like W[l], v["db{l}"] like b[l]; the shapes need not chain.
    """
    return _zeros_like_parameters(parameters)


def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    """Gradient descent with momentum.

    v_dW = beta v_dW + (1 - beta) dW,   W = W - alpha v_dW   (the same for b).

    Shapes: parameters, grads and v hold arrays shaped like W[l], b[l].
    Returns (parameters, v), both new dicts.
    """
    beta = check_beta(beta)
    learning_rate, _ = _check_update(parameters, grads, learning_rate, v=v)
    return _momentum_update(parameters, grads, v, beta, learning_rate)


def _momentum_update(parameters, grads, v, beta, learning_rate):
    """The arithmetic of ``update_parameters_with_momentum``, on inputs already checked."""
    new_parameters, new_v = {}, {}
    for name in parameters:
        key = "d" + name
        new_v[key] = beta * v[key] + (1.0 - beta) * grads[key]
        new_parameters[name] = parameters[name] - learning_rate * new_v[key]
    return new_parameters, new_v


def initialize_rmsprop(parameters):
    """RMSprop state: s["dP"] = zeros shaped like P, for every parameter P ("W1", "b1", ...).

    Shapes: s["dW{l}"] like W[l], s["db{l}"] like b[l]; the shapes need not chain.
    """
    return _zeros_like_parameters(parameters)


def update_parameters_with_rmsprop(parameters, grads, s, beta=0.9, learning_rate=0.01, epsilon=1e-8):
    """RMSprop.

    s_dW = beta s_dW + (1 - beta) dW^2 (element-wise square),
    W = W - alpha dW / (sqrt(s_dW) + epsilon)   (the same for b).

    Shapes: parameters, grads and s hold arrays shaped like W[l], b[l].
    Returns (parameters, s), both new dicts.
    """
    beta = check_beta(beta)
    epsilon = check_scalar("epsilon", epsilon, low=0.0)
    learning_rate, _ = _check_update(parameters, grads, learning_rate, s=s)
    return _rmsprop_update(parameters, grads, s, beta, learning_rate, epsilon)


def _rmsprop_update(parameters, grads, s, beta, learning_rate, epsilon):
    """The arithmetic of ``update_parameters_with_rmsprop``, on inputs already checked."""
    new_parameters, new_s = {}, {}
    for name in parameters:
        key = "d" + name
        new_s[key] = beta * s[key] + (1.0 - beta) * grads[key] ** 2
        new_parameters[name] = parameters[name] - learning_rate * grads[key] / (np.sqrt(new_s[key]) + epsilon)
    return new_parameters, new_s


def initialize_adam(parameters):
    """Adam state: (v, s), two dicts of zeros keyed "dP", shaped like each parameter P.

    Shapes: v["dW{l}"], s["dW{l}"] like W[l]; v["db{l}"], s["db{l}"] like b[l].
    """
    return _zeros_like_parameters(parameters), _zeros_like_parameters(parameters)


def update_parameters_with_adam(
    parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8
):
    """Adam: momentum and RMSprop, both bias-corrected.

    v_dW = beta1 v_dW + (1 - beta1) dW,        s_dW = beta2 s_dW + (1 - beta2) dW^2,
    v_corrected = v_dW / (1 - beta1^t),        s_corrected = s_dW / (1 - beta2^t),
    W = W - alpha v_corrected / (sqrt(s_corrected) + epsilon)   (the same for b).

    ``t`` counts the updates made so far including this one: 1 on the first call.
    Shapes: parameters, grads, v, s hold arrays shaped like W[l], b[l].
    Returns (parameters, v, s, v_corrected, s_corrected), all new dicts.
    """
    beta1 = check_beta(beta1, "beta1")
    beta2 = check_beta(beta2, "beta2")
    epsilon = check_scalar("epsilon", epsilon, low=0.0)
    t = check_positive_int("t (the Adam step counter, 1 on the first update)", t)
    learning_rate, _ = _check_update(parameters, grads, learning_rate, v=v, s=s)
    return _adam_update(parameters, grads, v, s, t, learning_rate, beta1, beta2, epsilon)


def _adam_update(parameters, grads, v, s, t, learning_rate, beta1, beta2, epsilon):
    """The arithmetic of ``update_parameters_with_adam``, on inputs already checked."""
    new_parameters, new_v, new_s, v_corrected, s_corrected = {}, {}, {}, {}, {}
    for name in parameters:
        key = "d" + name
        new_v[key] = beta1 * v[key] + (1.0 - beta1) * grads[key]
        new_s[key] = beta2 * s[key] + (1.0 - beta2) * grads[key] ** 2
        v_corrected[key] = new_v[key] / (1.0 - beta1**t)
        s_corrected[key] = new_s[key] / (1.0 - beta2**t)
        new_parameters[name] = parameters[name] - learning_rate * v_corrected[key] / (
            np.sqrt(s_corrected[key]) + epsilon
        )
    return new_parameters, new_v, new_s, v_corrected, s_corrected


def initialize_optimizer_state(optimizer, parameters):
    """The state ``optimizer_step`` needs: {} for "gd", {"v"} for "momentum",
    {"s"} for "rmsprop", {"v", "s"} for "adam".

    Shapes: each of v, s is a dict of zeros keyed "dW{l}", "db{l}", shaped like W[l], b[l].
    """
    check_choice("optimizer", optimizer, OPTIMIZERS)
    if optimizer == "gd":
        return {}
    if optimizer == "momentum":
        return {"v": initialize_velocity(parameters)}
    if optimizer == "rmsprop":
        return {"s": initialize_rmsprop(parameters)}
    v, s = initialize_adam(parameters)
    return {"v": v, "s": s}


def optimizer_step(
    optimizer, parameters, grads, state, t, learning_rate, beta=0.9, beta1=0.9, beta2=0.999, epsilon=1e-8
):
    """One update with the named optimizer; returns (parameters, state), both new.

    ``state`` comes from ``initialize_optimizer_state`` (or the previous step);
    ``t`` is the update count starting at 1 (used by Adam); ``beta`` is the
    momentum / RMSprop coefficient, ``beta1``, ``beta2`` Adam's.
    Shapes: every array keeps the shape of its parameter.
    """
    check_choice("optimizer", optimizer, OPTIMIZERS)
    wanted = {"gd": [], "momentum": ["v"], "rmsprop": ["s"], "adam": ["s", "v"]}[optimizer]
    if not isinstance(state, dict) or not set(wanted) <= set(state):
        got = sorted(state) if isinstance(state, dict) else type(state).__name__
        raise ValueError(f"state must hold the keys {wanted} (what initialize_optimizer_state({optimizer!r}, ...) "
                         f"returns); got {got}")
    return _step(_CHECKED_RULES, optimizer, parameters, grads, state, t, learning_rate, beta, beta1, beta2, epsilon)


def _unchecked_optimizer_step(
    optimizer, parameters, grads, state, t, learning_rate, beta=0.9, beta1=0.9, beta2=0.999, epsilon=1e-8
):
    """The arithmetic of ``optimizer_step`` (same arguments and defaults) on inputs already checked.

    For callers that checked once what stays valid for many steps (the optimizer explorer
    runs hundreds of steps per slider move, on two numbers, where the checks cost as much
    as the update).
    """
    return _step(_ARITHMETIC, optimizer, parameters, grads, state, t, learning_rate, beta, beta1, beta2, epsilon)


def _step(rules, optimizer, parameters, grads, state, t, learning_rate, beta, beta1, beta2, epsilon):
    """One update by the rule named ``optimizer`` out of ``rules`` (gd, momentum, rmsprop, adam:
    the checked public functions or their arithmetic, which take the same arguments)."""
    gd, momentum, rmsprop, adam = rules
    if optimizer == "gd":
        return gd(parameters, grads, learning_rate), state
    if optimizer == "momentum":
        parameters, v = momentum(parameters, grads, state["v"], beta, learning_rate)
        return parameters, {"v": v}
    if optimizer == "rmsprop":
        parameters, s = rmsprop(parameters, grads, state["s"], beta, learning_rate, epsilon)
        return parameters, {"s": s}
    parameters, v, s, _, _ = adam(parameters, grads, state["v"], state["s"], t, learning_rate, beta1, beta2, epsilon)
    return parameters, {"v": v, "s": s}


_CHECKED_RULES = (update_parameters_with_gd, update_parameters_with_momentum, update_parameters_with_rmsprop,
                  update_parameters_with_adam)
_ARITHMETIC = (_gd_update, _momentum_update, _rmsprop_update, _adam_update)


# --------------------------------------------------------------------------- learning-rate decay


def _check_decay_inputs(learning_rate0, epoch_num, min_epoch=0):
    """alpha_0 checked, and epoch_num (counted from 1, see the module docstring) as an array >= min_epoch."""
    learning_rate0 = check_learning_rate(learning_rate0, "learning_rate0")
    epoch = as_float_array("epoch_num", epoch_num)
    if epoch.size and epoch.min() < min_epoch:
        raise ValueError(f"epoch_num must be >= {min_epoch}, got {epoch_num!r}")
    return learning_rate0, epoch


def inverse_time_decay(learning_rate0, epoch_num, decay_rate):
    """alpha = alpha_0 / (1 + decay_rate * epoch_num), epoch_num = 1, 2, ... (1 = the first epoch).

    Shapes: ``epoch_num`` a number or an array -> a number or an array of the same shape.
    """
    learning_rate0, epoch = _check_decay_inputs(learning_rate0, epoch_num)
    decay_rate = check_scalar("decay_rate", decay_rate, low=0.0)
    return (learning_rate0 / (1.0 + decay_rate * epoch))[()]


def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    """alpha = alpha_0 / (1 + decay_rate * floor(epoch_num / time_interval)), epoch_num = 1, 2, ...

    The rate drops in steps, once every ``time_interval`` epochs: epochs 1 to
    time_interval - 1 run at alpha_0, the first drop comes at epoch_num = time_interval.
    Shapes: ``epoch_num`` a number or an array -> a number or an array of the same shape.
    """
    learning_rate0, epoch = _check_decay_inputs(learning_rate0, epoch_num)
    decay_rate = check_scalar("decay_rate", decay_rate, low=0.0)
    time_interval = check_positive_int("time_interval", time_interval)
    return (learning_rate0 / (1.0 + decay_rate * np.floor(epoch / time_interval)))[()]


def exponential_decay(learning_rate0, epoch_num, base=0.95):
    """alpha = base^epoch_num * alpha_0, epoch_num = 1, 2, ... (1 = the first epoch).

    ``base`` in (0, 1] for a decay.
    Shapes: ``epoch_num`` a number or an array -> a number or an array of the same shape.
    """
    learning_rate0, epoch = _check_decay_inputs(learning_rate0, epoch_num)
    base = check_scalar("base", base, low=0.0, low_open=True)
    return (base**epoch * learning_rate0)[()]


def sqrt_decay(learning_rate0, epoch_num, k=1.0):
    """alpha = k / sqrt(epoch_num) * alpha_0, epoch_num = 1, 2, ... (undefined at 0: refused).

    Shapes: ``epoch_num`` a number or an array -> a number or an array of the same shape.
    """
    learning_rate0, epoch = _check_decay_inputs(learning_rate0, epoch_num, min_epoch=1)
    k = check_scalar("k", k, low=0.0)
    return (k / np.sqrt(epoch) * learning_rate0)[()]
