"""Builder of the assignment 03_optimization: optimization algorithms.

Lesson section 05 and task 03: exponentially weighted averages on real temperatures,
bias correction, batch / stochastic / mini-batch gradient descent, momentum, RMSprop,
Adam (checked step by step against Keras), learning-rate decay, and every optimizer
trained on the same data set. Run ``python authoring/03_optimization.py`` to write
``source/03_optimization/03_optimization.ipynb``.
"""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from nbcourse.authoring import answer, code, md, tests, write_notebook, written  # noqa: E402

NAME = "03_optimization"
NOTEBOOK = ROOT / "source" / NAME / f"{NAME}.ipynb"

# --------------------------------------------------------------------------------------
# Introduction and set-up
# --------------------------------------------------------------------------------------
INTRO = [
    md(r"""
    # Optimization algorithms

    Gradient descent tells you *which way* is downhill. This assignment is about *how to walk*:
    how big a step to take, how much to trust one noisy gradient, and how to remember the
    gradients you have already seen. By the end you will have written, from scratch in NumPy,
    the optimizers that train almost every network today, and checked your Adam against the one
    in Keras.

    | part | you write | points |
    | --- | --- | --- |
    | 1. Exponentially weighted averages | `ewma` | 3 |
    | 2. Mini-batch gradient descent | `random_mini_batches` | 2 |
    | 3. Momentum | `update_parameters_with_momentum` | 2 |
    | 4. RMSprop | `update_parameters_with_rmsprop` | 2 |
    | 5. Adam | `update_parameters_with_adam`, `adam_descent` | 3 + 2 |
    | 6. Learning-rate decay | `schedule_lr_decay` | 2 |
    | 7. All optimizers on one data set | `train_with_your_optimizer` | 3 |
    | written answers | three short answers | 2 + 1 + 2 |

    Conventions are those of the earlier assignments: one example per column (`X` has shape
    `(n_x, m)`), `parameters = {"W1", "b1", ...}`, `grads = {"dW1", "db1", ...}`. The optimizer
    states `v` and `s` use the gradient keys (`"dW1"`, `"db1"`, ...).

    Run the cell below first. Each exercise is followed by a test cell: run it for quick
    feedback. More tests are hidden and run when your notebook is graded, so make your function
    correct in general, not only for the visible example.
    """),
    code(r"""
    import os
    import math
    import functools

    import numpy as np
    import matplotlib.pyplot as plt
    import tensorflow as tf   # for the comparison with Keras' Adam

    import helpers as H
    from helpers import testing as T
    # Graded functions must be your own: called from inside a function you write, the
    # helpers reference of an exercise refuses to run (in the notebook and when graded).
    H.own_work("03_optimization")

    # Demonstrations (training runs, plots, widgets) are skipped while the autograder runs.
    GRADING = bool(os.environ.get("NBGRADER_EXECUTION"))

    np.set_printoptions(precision=4, suppress=True)
    plt.rcParams["figure.figsize"] = (7, 3)
    """),
]

# --------------------------------------------------------------------------------------
# Part 1: exponentially weighted averages
# --------------------------------------------------------------------------------------
EWMA = [
    md(r"""
    ## 1. Exponentially weighted averages

    Every optimizer after plain gradient descent is built on one small idea: keep a running
    average that forgets the old values slowly. To see it on something you can picture, we
    first smooth a year of real daily temperatures $\theta_1, \theta_2, \dots$ (the daily
    highs of Seattle in 2012).

    The **exponentially weighted (moving) average** starts at zero and mixes in one new
    value per day:

    $$V_0 = 0, \qquad V_t = \beta\, V_{t-1} + (1 - \beta)\, \theta_t .$$

    Unrolling the recursion shows what $V_t$ is: a weighted sum of all past days whose weights
    shrink by a factor $\beta$ per day back,

    $$V_t = (1-\beta)\left(\theta_t + \beta\,\theta_{t-1} + \beta^2\,\theta_{t-2} + \dots + \beta^{t-1}\theta_1\right).$$

    Since $\beta^{1/(1-\beta)} \approx 1/e \approx 0.37$, a day more than about
    $\frac{1}{1-\beta}$ days back weighs at most about a third as much as today: $V_t$ averages
    **roughly the last $\frac{1}{1-\beta}$ days**. So $\beta = 0.5$ averages about 2 days, $\beta = 0.9$ about 10 days and
    $\beta = 0.98$ about 50 days.
    """),
    code(r"""
    # Daily highs in Seattle in 2012, in degrees Celsius (real measurements, shipped offline).
    dates, temperatures = H.load_temperatures(year=2012, kind="max")
    print("days:", temperatures.shape[0], " first week:", temperatures[:7])

    # The rule of thumb: after 1/(1 - beta) days a value's weight has dropped to about 1/e.
    for beta in (0.5, 0.9, 0.98):
        days = 1 / (1 - beta)
        print(f"beta = {beta}: averages about {days:.0f} days; weight left after them: {beta ** days:.3f}"
              f"  (1/e = {1 / math.e:.3f})")
    """),
    md(r"""
    ### Worked example: the first days by hand, and why they are too cold

    With $\beta = 0.9$, the first three averages are computed below straight from the formula.
    Notice that $V_1$ is only a tenth of the first day's temperature: starting from $V_0 = 0$
    drags the first averages towards zero.

    **Bias correction** fixes that start. The slides work it out for $\beta = 0.98$:

    $$V_1 = 0.02\,\theta_1, \qquad V_2 = 0.98\cdot 0.02\,\theta_1 + 0.02\,\theta_2 = 0.0196\,\theta_1 + 0.02\,\theta_2 .$$

    The weights add up to $0.0396 = 1 - 0.98^2$, not to 1. Dividing by that sum gives a true
    weighted average:

    $$\hat V_t = \frac{V_t}{1 - \beta^t}, \qquad \hat V_2 = \frac{0.0196\,\theta_1 + 0.02\,\theta_2}{0.0396}.$$

    As $t$ grows, $\beta^t \to 0$ and the correction fades away by itself.
    """),
    code(r"""
    beta = 0.9
    theta_1, theta_2, theta_3 = temperatures[:3]
    V_1 = beta * 0 + (1 - beta) * theta_1
    V_2 = beta * V_1 + (1 - beta) * theta_2
    V_3 = beta * V_2 + (1 - beta) * theta_3
    print(f"temperatures: {theta_1:.1f} {theta_2:.1f} {theta_3:.1f}")
    print(f"V_1..V_3 (beta=0.9): {V_1:.2f} {V_2:.2f} {V_3:.2f}   <- far too cold")

    # The slide's example, beta = 0.98 and t = 2.
    beta = 0.98
    V_2 = 0.0196 * theta_1 + 0.02 * theta_2
    print(f"1 - beta**2 = {1 - beta ** 2:.4f}")
    print(f"V_2 = {V_2:.3f}, corrected V_2 = {V_2 / (1 - beta ** 2):.2f}"
          f"  (the two days were {theta_1:.1f} and {theta_2:.1f})")
    """),
    md(r"""
    ### Exercise 1: `ewma` (3 points)

    Write the exponentially weighted average of a whole sequence. Loop over the days with
    $t = 1, 2, \dots, n$ (the exponent of the bias correction counts from 1), keep the running
    value $V_t$, and store either $V_t$ or $V_t / (1 - \beta^t)$ in `V[t - 1]`.
    """),
    answer("ewma", r'''
    def ewma(theta, beta=0.9, bias_correction=False):
        """Exponentially weighted moving average of a sequence.

        V_0 = 0,  V_t = beta * V_{t-1} + (1 - beta) * theta_t   for t = 1, ..., n;
        with bias_correction=True each V_t is divided by (1 - beta^t).

        Arguments:
        theta -- the sequence theta_1 ... theta_n: a list or an array of shape (n,)
        beta -- how much of the past is kept each step, in [0, 1)
        bias_correction -- whether to divide V_t by (1 - beta^t), which undoes the pull
                           of V_0 = 0 on the first values

        Returns:
        V -- array of shape (n,); V[t - 1] holds V_t (corrected if asked)
        """
        theta = np.asarray(theta, dtype=float)
        V = np.zeros(theta.shape)
        ### BEGIN SOLUTION
        v = 0.0
        for t in range(1, len(theta) + 1):
            v = beta * v + (1 - beta) * theta[t - 1]
            V[t - 1] = v / (1 - beta ** t) if bias_correction else v
        ### END SOLUTION
        return V
    '''),
    tests("test_ewma", 3, r'''
    # The slide's example: beta = 0.98 and two days, theta_1 = 10 and theta_2 = 20.
    V = ewma([10.0, 20.0], beta=0.98)
    T.assert_shape("ewma([10, 20], beta=0.98)", V, (2,))
    T.assert_close("V_1", V[0], 0.02 * 10,
                   hint="V_1 = beta * V_0 + (1 - beta) * theta_1, starting from V_0 = 0")
    T.assert_close("V_2", V[1], 0.0196 * 10 + 0.02 * 20,
                   hint="are beta and (1 - beta) the right way round?")
    V = ewma([10.0, 20.0], beta=0.98, bias_correction=True)
    T.assert_close("bias-corrected V_2", V[1], (0.0196 * 10 + 0.02 * 20) / 0.0396,
                   hint="divide V_t by 1 - beta**t, with t counted from 1")
    print("Visible tests passed.")
    ### BEGIN HIDDEN TESTS
    rng = np.random.default_rng(2031)
    for beta in (0.5, 0.9, 0.98, float(rng.uniform(0.6, 0.95))):
        n = int(rng.integers(5, 40))
        theta = rng.normal(15.0, 5.0, size=n)
        # Independent reference: the unrolled sum V_t = (1 - beta) * sum_i beta^(t - i) * theta_i.
        t = np.arange(1, n + 1)
        lag = t[:, None] - t[None, :]
        weights = np.where(lag >= 0, (1 - beta) * beta ** np.maximum(lag, 0).astype(float), 0.0)
        unrolled = weights @ theta
        T.assert_close(f"ewma(theta, beta={beta:.3g}) for a random theta of length {n}",
                       ewma(theta, beta), unrolled,
                       hint="V_t = beta * V_(t-1) + (1 - beta) * theta_t")
        T.assert_close(f"ewma(theta, beta={beta:.3g}, bias_correction=True) for a random theta",
                       ewma(theta, beta, bias_correction=True), unrolled / (1 - beta ** t),
                       hint="day t (counted from 1) is divided by 1 - beta**t")
        T.assert_close(f"ewma(theta, beta={beta:.3g}, bias_correction=True) against helpers.ewma",
                       ewma(list(theta), beta, bias_correction=True),
                       H.ewma(theta, beta, bias_correction=True))
    # A constant signal: the corrected average equals the constant from the first day on.
    c = float(rng.uniform(-10.0, 30.0))
    T.assert_close("bias-corrected EWMA of a constant sequence", ewma(np.full(12, c), 0.9, True),
                   np.full(12, c), hint="the weights of V_t add up to 1 - beta**t")
    ### END HIDDEN TESTS
    '''),
    md(r"""
    ### The three betas on a year of temperatures

    Below, your `ewma` smooths the real temperatures with the three values of $\beta$ from
    the slides. Look at how smooth each curve is, and at how late it reacts when the weather
    turns.
    """),
    code(r"""
    if not GRADING:
        fig, ax = plt.subplots()
        ax.plot(dates, temperatures, ".", color="0.75", markersize=3, label="daily high")
        for beta, color in ((0.5, "tab:green"), (0.9, "tab:red"), (0.98, "tab:blue")):
            ax.plot(dates, ewma(temperatures, beta, bias_correction=True), color=color,
                    label=f"beta = {beta} (~{1 / (1 - beta):.0f} days)")
        ax.set_ylabel("temperature (°C)")
        ax.set_title("Seattle, 2012", fontsize=10)
        ax.legend(fontsize=8)
        plt.show()
    """),
    code(r"""
    if not GRADING:
        days = np.arange(1, len(temperatures) + 1)
        first = slice(0, 60)
        fig, ax = plt.subplots()
        ax.plot(days[first], temperatures[first], ".", color="0.6", label="daily high")
        ax.plot(days[first], ewma(temperatures, 0.98)[first], color="tab:purple",
                label="beta = 0.98, no correction")
        ax.plot(days[first], ewma(temperatures, 0.98, bias_correction=True)[first], color="tab:blue",
                label="beta = 0.98, bias-corrected")
        ax.set_title("The first two months: V_0 = 0 drags the uncorrected average down", fontsize=10)
        ax.set_xlabel("day")
        ax.legend(fontsize=8)
        plt.show()
    """),
    md(r"""
    ### Explore: the EWMA explorer

    Move the $\beta$ slider and toggle the bias correction. Try $\beta = 0.5$, $0.9$ and
    $0.98$ and count how many days each curve needs to catch up with a change of weather.
    Then push $\beta$ towards $0.999$: what happens to the uncorrected curve?
    """),
    code(r"""
    # Interactive explorer (skipped while grading)
    if not GRADING:
        from helpers.widgets import ewma_explorer
        display(ewma_explorer(temperatures, student_ewma=ewma))   # the same year as above; your ewma dotted
    """),
    md(r"""
    ### Written answer 1 (2 points)

    Leave the weather: you log the cost of every mini-batch while a network trains, and you
    want a curve smooth enough to read that still follows a change of trend within about 100
    mini-batches.

    1. Which $\beta$ do you choose, and why?
    2. Without bias correction, what does your curve show over the first hundred mini-batches
       of a run whose cost starts near 0.7 and falls slowly? What might you wrongly conclude?
    3. A colleague prefers $\beta = 0.999$ "to be safe". At mini-batch 5000 the cost suddenly
       starts to climb (training diverges). Roughly how long before their curve has gone half
       of the way to the new level?
    """),
    written("ewma_tradeoff", 2, r"""
    1. The average covers about $1/(1-\beta)$ values, so $\beta = 0.99$ (about 100
       mini-batches): smoother than the raw costs, yet a change of trend shows within about a
       hundred mini-batches.
    2. With $V_0 = 0$ the uncorrected average starts at $V_1 = 0.01 \cdot 0.7 = 0.007$ and
       climbs towards the cost over the first hundred or so mini-batches ($1 - 0.99^{100}
       \approx 63\,\%$ of the way after 100). The curve *rises* at the start although the cost
       is falling: one could conclude that training diverges at first, or that the first cost was
       tiny. Dividing by $1 - 0.99^t$ starts the curve at the true first cost.
    3. After a jump, the average closes a fraction $1 - \beta^k$ of the gap in $k$ steps; half
       the gap needs $k = \ln 2 / (-\ln 0.999) \approx 690$ mini-batches (after 100 it has
       closed only $1 - 0.999^{100} \approx 9.5\,\%$). Their curve reports the divergence
       hundreds of mini-batches late: a long memory is smooth, and slow for the same reason.

    **Rubric (2 points).** 0.5 point: $\beta \approx 0.99$ from $1/(1-\beta) \approx 100$.
    0.5 point: the uncorrected curve starts near 0 and rises although the cost falls, with
    the misleading conclusion. 1 point: the lag of $\beta = 0.999$, estimated (several hundred
    mini-batches, any sound estimate such as $\ln 2 \cdot 1000$ or "about 1000") and
    explained by the long memory.
    """),
]

# --------------------------------------------------------------------------------------
# Part 2: mini-batches
# --------------------------------------------------------------------------------------
MINI_BATCHES = [
    md(r"""
    ## 2. Batch, stochastic and mini-batch gradient descent

    Plain (**batch**) gradient descent looks at all $m$ examples before it takes one step.
    With millions of examples that one step is slow. **Mini-batch** gradient descent splits
    the training set into small batches $X^{\{1\}}, X^{\{2\}}, \dots$ (with labels
    $Y^{\{1\}}, Y^{\{2\}}, \dots$) and takes one step per batch; one pass through all batches
    is an **epoch**.

    | mini-batch size | name | each step | the cost curve |
    | --- | --- | --- | --- |
    | $m$ | batch gradient descent | slow, exact gradient | goes down at every step |
    | 1 | stochastic gradient descent | fast, very noisy gradient, no vectorization | noisy, never settles at the minimum |
    | in between (64 to 512, often a power of 2) | mini-batch gradient descent | fast and vectorized | noisy but trends down |

    With a small training set (a couple of thousand examples) batch gradient descent is fine.

    Building the batches takes two steps:

    1. **Shuffle**: draw one random permutation of the column indices $0, \dots, m-1$ and
       reorder the columns of `X` **and** of `Y` with it, so that each example keeps its label.
    2. **Partition**: cut the shuffled columns into batches of `mini_batch_size`. If $m$ is not
       a multiple of the size, the last batch is smaller: it holds the
       $m - \text{size}\cdot\lfloor m/\text{size}\rfloor$ examples left over. Dropping it would
       throw those examples away every epoch.

    ### Worked example: one permutation for both arrays
    """),
    code(r"""
    # Seven examples with one feature; example j has the value 10*j and the label j % 2.
    X_small = 10.0 * np.arange(7).reshape(1, 7)
    Y_small = (np.arange(7) % 2).reshape(1, 7)
    permutation = np.random.default_rng(0).permutation(7)
    print("permutation:", permutation)
    print("X shuffled: ", X_small[:, permutation])
    print("Y shuffled: ", Y_small[:, permutation], " (still each x's own label)")
    print("batches of 3 take columns", [list(range(7))[k:k + 3] for k in range(0, 7, 3)])
    """),
    md(r"""
    ### Exercise 2: `random_mini_batches` (2 points)

    Use the generator `rng` that the function creates (so the same `seed` gives the same
    batches, and your batches match the reference): `rng.permutation(m)` gives the shuffle.
    Return a list of `(X_batch, Y_batch)` pairs in order.
    """),
    answer("random_mini_batches", r'''
    def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
        """Shuffle the m examples of (X, Y) with one permutation and cut them into mini-batches.

        Arguments:
        X -- inputs, shape (n_x, m), one example per column
        Y -- labels, shape (1, m)
        mini_batch_size -- number of examples in each full mini-batch
        seed -- seed of the random generator: the same seed gives the same batches

        Returns:
        mini_batches -- list of (X_batch, Y_batch) with shapes (n_x, size) and (1, size);
                        every batch holds mini_batch_size examples except possibly the last,
                        which holds the m - mini_batch_size * floor(m / mini_batch_size) left over
        """
        m = X.shape[1]
        rng = np.random.default_rng(seed)
        mini_batches = []
        ### BEGIN SOLUTION
        permutation = rng.permutation(m)
        X_shuffled = X[:, permutation]
        Y_shuffled = Y[:, permutation]
        for start in range(0, m, mini_batch_size):
            end = start + mini_batch_size
            mini_batches.append((X_shuffled[:, start:end], Y_shuffled[:, start:end]))
        ### END SOLUTION
        return mini_batches
    '''),
    tests("test_random_mini_batches", 2, r'''
    # Ten examples; the label of example j is j and its first feature is j too, so each
    # mini-batch shows whether every x kept its own label.
    X = np.vstack([np.arange(10.0), 100.0 + np.arange(10.0)])
    Y = np.arange(10.0).reshape(1, 10)
    batches = random_mini_batches(X, Y, mini_batch_size=4, seed=0)
    T.assert_equal("number of mini-batches for m=10 and size 4", len(batches), 3,
                   hint="two full batches of 4, then a last batch with the 2 examples left over")
    for k, (X_b, Y_b) in enumerate(batches):
        size = (4, 4, 2)[k]
        T.assert_shape(f"X of mini-batch {k}", X_b, (2, size))
        T.assert_shape(f"Y of mini-batch {k}", Y_b, (1, size))
        T.assert_close(f"labels of mini-batch {k} (each must be its own x's)", Y_b[0], X_b[0],
                       hint="shuffle X and Y with the same permutation")
    T.assert_close("all labels of all mini-batches, sorted",
                   np.sort(np.concatenate([Y_b[0] for _, Y_b in batches])), np.arange(10.0),
                   hint="every example must land in exactly one mini-batch")
    print("Visible tests passed.")
    ### BEGIN HIDDEN TESTS
    rng = np.random.default_rng(4242)
    for m, size in ((37, 8), (64, 16), (5, 64), (23, 1)):
        n_x = int(rng.integers(1, 5))
        X = rng.normal(size=(n_x, m))
        X[0] = np.arange(m)                       # the first feature is the example's number
        Y = np.arange(m, dtype=float).reshape(1, m)
        seed = int(rng.integers(1000))
        batches = random_mini_batches(X, Y, mini_batch_size=size, seed=seed)
        expected_sizes = [size] * (m // size) + ([m % size] if m % size else [])
        T.assert_equal(f"sizes of the mini-batches for m={m}, mini_batch_size={size}",
                       [int(np.shape(Y_b)[1]) for _, Y_b in batches], expected_sizes,
                       hint="the last batch holds the examples left over; no batch may be empty")
        X_all = np.hstack([X_b for X_b, _ in batches])
        Y_all = np.hstack([Y_b for _, Y_b in batches])
        T.assert_close(f"labels after shuffling (m={m})", Y_all[0], X_all[0],
                       hint="use one permutation for X and Y")
        T.assert_close(f"the shuffled columns of X (m={m})", X_all, X[:, Y_all[0].astype(int)],
                       hint="move whole columns (examples), not single entries")
        if m > 20:
            T.assert_true(bool(np.any(Y_all[0] != np.arange(m))),
                          f"the examples come out in their original order for m={m}: shuffle them first")
        again = random_mini_batches(X, Y, mini_batch_size=size, seed=seed)
        T.assert_close("the labels of a second call with the same seed", np.hstack([Y_b for _, Y_b in again]),
                       Y_all, hint="draw the permutation from rng = np.random.default_rng(seed)")
        reference = H.random_mini_batches(X, Y, mini_batch_size=size, seed=seed)
        T.assert_close(f"the labels, in order, against helpers.random_mini_batches (seed={seed})",
                       Y_all, np.hstack([Y_b for _, Y_b in reference]),
                       hint="draw the permutation with rng.permutation(m)")
    ### END HIDDEN TESTS
    '''),
    md(r"""
    ### Mini-batch gradient descent in a few lines

    Here is the whole training loop of mini-batch gradient descent, with your
    `random_mini_batches` inside: per epoch, shuffle and cut the data, then one forward pass,
    one backward pass and one step per mini-batch. Forward and backward propagation come from
    `helpers` (you wrote them in the previous assignment). The loop records the cost of every
    mini-batch. In part 7 you write its general form, with every optimizer of this assignment
    and a learning-rate schedule.
    """),
    code(r"""
    def minibatch_gd(X, Y, layer_dims, learning_rate, mini_batch_size, num_epochs, seed=1):
        # Returns (parameters, costs): the trained network and the cost of every mini-batch.
        parameters = H.initialize_parameters(layer_dims, method="he", seed=seed)
        costs = []
        for epoch in range(1, num_epochs + 1):
            for X_b, Y_b in random_mini_batches(X, Y, mini_batch_size, seed=seed + epoch):
                AL, caches = H.L_model_forward(X_b, parameters)
                costs.append(H.compute_cost(AL, Y_b))
                grads = H.L_model_backward(AL, Y_b, caches)
                parameters = H.update_parameters_with_gd(parameters, grads, learning_rate)
        return parameters, np.array(costs)
    """),
    md(r"""
    The same network is trained below on the two moons data set with the three batch sizes,
    for the same number of epochs. The horizontal axis counts epochs, so the three runs have
    seen the same examples at the same place on the axis; stochastic gradient descent takes
    $m$ steps per epoch, batch gradient descent one. The thin curve is the cost of each
    mini-batch; the thick one is its bias-corrected EWMA, computed with your `ewma`.
    """),
    code(r"""
    LAYERS = [2, 16, 8, 1]
    if not GRADING:  # the moons data feed only the demonstrations, which grading skips
        X_moons, Y_moons = H.load_planar("moons", m=300, noise=0.2, seed=0)
        print("X:", X_moons.shape, " Y:", Y_moons.shape)

        m = X_moons.shape[1]
        fig, axes = plt.subplots(1, 3, figsize=(10, 3), sharey=True)
        for ax, (size, title) in zip(axes, ((m, f"batch (size {m})"), (1, "stochastic (size 1)"),
                                            (32, "mini-batch (size 32)"))):
            _, costs = minibatch_gd(X_moons, Y_moons, LAYERS, learning_rate=0.05,
                                    mini_batch_size=size, num_epochs=20)
            epochs = np.arange(1, len(costs) + 1) / (len(costs) / 20)   # 20 epochs of equal steps
            ax.plot(epochs, costs, color="0.7", linewidth=0.5)
            smoothing = 0.98 if size < m else 0.0     # beta = 0 keeps the (already exact) batch costs
            ax.plot(epochs, ewma(costs, smoothing, bias_correction=True), color="tab:blue")
            ax.set_title(f"{title}: {len(costs)} steps", fontsize=9)
            ax.set_xlabel("epoch")
        axes[0].set_ylabel("cost")
        axes[0].set_ylim(0, 1.5)
        plt.show()
    """),
    md(r"""
    ### Written answer 2 (1 point)

    Your training set grows from 300 to 5,000,000 examples. With mini-batches of 512, how many
    updates does one epoch make, and how many examples are in the last mini-batch? Then say
    what each extreme would cost at that size: batch gradient descent (size $m$) and
    stochastic gradient descent (size 1).
    """),
    written("minibatch_size", 1, r"""
    $5{,}000{,}000 / 512 = 9765.6$: 9765 full mini-batches and a last one of
    $5{,}000{,}000 - 9765 \cdot 512 = 320$ examples, so **9766 updates per epoch**.

    Batch gradient descent would make **one** update per pass over the five million
    examples: each step is exact, but the mini-batch run has made nearly ten thousand steps
    in the same computation, each with a gradient good enough to go downhill. Stochastic
    gradient descent makes five million updates per epoch, one example at a time: it loses
    vectorization (the cost per example is dominated by per-step overhead), and its gradient
    is so noisy that the cost jumps around and never settles without a decaying rate.

    **Rubric (1 point).** 0.5 point: 9766 updates with a last batch of 320 (9765 and 320, or
    "9765 plus a partial batch", is fine). 0.5 point: one slow exact step per epoch for size
    $m$ against cheap, noisy, unvectorized steps for size 1.
    """),
]

# --------------------------------------------------------------------------------------
# Part 3: momentum
# --------------------------------------------------------------------------------------
MOMENTUM = [
    md(r"""
    ## 3. Gradient descent with momentum

    On a long narrow valley the gradient points mostly across the valley, so gradient descent
    zig-zags from wall to wall and moves slowly along it. **Momentum** steps along an
    exponentially weighted average of the recent gradients instead of the current one: the
    zig-zags cancel in the average, the steady direction adds up.

    On iteration $t$, with $dW, db$ computed on the current mini-batch:

    $$v_{dW} = \beta\, v_{dW} + (1-\beta)\, dW, \qquad v_{db} = \beta\, v_{db} + (1-\beta)\, db,$$
    $$W = W - \alpha\, v_{dW}, \qquad b = b - \alpha\, v_{db}.$$

    The velocities start at zero, and $\beta = 0.9$ (an average over about 10 steps) is the
    usual choice. This is exactly your `ewma`, applied to gradients.

    ### Worked example: one step from rest
    """),
    code(r"""
    W = np.array([[1.0, -2.0]])
    dW = np.array([[0.5, -1.0]])
    v_dW = np.zeros_like(W)                  # what helpers.initialize_velocity returns
    beta, alpha = 0.9, 0.1
    v_dW = beta * v_dW + (1 - beta) * dW     # only a tenth of the gradient on the first step
    print("v_dW =", v_dW, "   new W =", W - alpha * v_dW)
    velocities = H.initialize_velocity({"W1": W, "b1": np.zeros((1, 1))})
    print("velocities start as zeros with the gradients' keys:", list(velocities))
    """),
    md(r"""
    ### Exercise 3: `update_parameters_with_momentum` (2 points)

    Loop over the parameter names (`"W1"`, `"b1"`, ...): the gradient and the velocity of
    parameter `name` sit under the key `"d" + name`. An update rule works parameter by
    parameter, so do not assume the shapes chain into a network (`{"W1": (2, 3), "W2": (3, 3)}`
    is a fine dict to update). Build new arrays (`parameters[name] = parameters[name] - ...`)
    rather than updating in place with `-=`: the arrays the caller passed in must stay as they
    were (exercise 6 keeps every point of a path).
    """),
    answer("update_parameters_with_momentum", r'''
    def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
        """One step of gradient descent with momentum.

        For every parameter P of every layer (W1, b1, W2, ...):
            v_dP = beta * v_dP + (1 - beta) * dP
            P    = P - learning_rate * v_dP

        Arguments:
        parameters -- dict {"W1", "b1", ..., "WL", "bL"}: W[l] of shape (n[l], n[l-1]), b[l] of (n[l], 1)
        grads -- dict {"dW1", "db1", ...}, each shaped like its parameter
        v -- velocities, dict {"dW1", "db1", ...}, shaped like the gradients (zeros at first)
        beta -- the momentum, in [0, 1)
        learning_rate -- the step size alpha

        Returns:
        parameters -- the updated parameters (a new dict)
        v -- the updated velocities (a new dict)
        """
        parameters, v = dict(parameters), dict(v)  # new dicts: the caller's stay as they were
        ### BEGIN SOLUTION
        for name in parameters:                     # "W1", "b1", "W2", ...
            d = "d" + name                          # the key of its gradient and velocity
            v[d] = beta * v[d] + (1 - beta) * grads[d]
            parameters[name] = parameters[name] - learning_rate * v[d]
        ### END SOLUTION
        return parameters, v
    '''),
    tests("test_update_parameters_with_momentum", 2, r'''
    parameters = {"W1": np.array([[1.0, -2.0, 0.5], [0.0, 3.0, -1.0]]), "b1": np.array([[0.5], [-0.5]])}
    grads = {"dW1": np.array([[0.2, -0.4, 1.0], [-1.0, 0.0, 0.6]]), "db1": np.array([[0.1], [-0.3]])}
    v = {"dW1": np.zeros((2, 3)), "db1": np.zeros((2, 1))}
    expected = {name: parameters[name] - 0.1 * 0.1 * grads["d" + name] for name in parameters}
    new_parameters, new_v = update_parameters_with_momentum(parameters, grads, v, beta=0.9, learning_rate=0.1)
    T.assert_dict_close("v after one step from zero", new_v, {d: 0.1 * g for d, g in grads.items()},
                        hint="v = beta * v + (1 - beta) * dW: from v = 0 that is 0.1 * dW")
    T.assert_dict_close("parameters after one step", new_parameters, expected,
                        hint="W = W - learning_rate * v, with the new v")
    print("Visible tests passed.")
    ### BEGIN HIDDEN TESTS
    rng = np.random.default_rng(303)
    layer_dims = T.random_case.layer_dims(seed=rng)
    parameters = T.random_case.parameters(layer_dims, seed=rng)
    v, v_ref = H.initialize_velocity(parameters), H.initialize_velocity(parameters)
    p, p_ref = parameters, {name: value.copy() for name, value in parameters.items()}
    beta, alpha = float(rng.uniform(0.5, 0.95)), float(rng.uniform(0.01, 0.2))
    for step in range(1, 5):
        grads = T.random_case.grads(parameters, seed=rng)
        p, v = update_parameters_with_momentum(p, grads, v, beta, alpha)
        p_ref, v_ref = H.update_parameters_with_momentum(p_ref, grads, v_ref, beta, alpha)
        T.assert_dict_close(f"v after step {step} (layers {layer_dims}, beta={beta:.3f})", v, v_ref)
        T.assert_dict_close(f"parameters after step {step} (layers {layer_dims})", p, p_ref)
    # An independent fact: with a constant gradient g, after k steps from rest v = (1 - beta^k) g,
    # the bias-free EWMA of a constant.
    g = T.random_case.grads(parameters, seed=rng)
    v = H.initialize_velocity(parameters)
    p = parameters
    for step in range(1, 31):
        p, v = update_parameters_with_momentum(p, g, v, beta, alpha)
    T.assert_dict_close("v after 30 steps with the same gradient g", v,
                        {d: (1 - beta ** 30) * g[d] for d in g},
                        hint="with a constant gradient the velocity tends to g itself, not to g / (1 - beta)")
    # The deeplearning.ai test case's shapes: W2 (3, 3) does not chain after W1 (2, 3). An update
    # rule works parameter by parameter, so such a dict must update like any other.
    odd = {name: rng.normal(size=shape) for name, shape in
           {"W1": (2, 3), "b1": (2, 1), "W2": (3, 3), "b2": (3, 1)}.items()}
    odd_grads, odd_state = ({"d" + name: rng.normal(size=value.shape) for name, value in odd.items()}
                            for _ in range(2))
    got = update_parameters_with_momentum(odd, odd_grads, odd_state, beta, alpha)
    reference = H.update_parameters_with_momentum(odd, odd_grads, odd_state, beta, alpha)
    for k, label in enumerate(("parameters", "v")):
        T.assert_dict_close(f"{label} after a momentum step on W1 (2, 3), b1, W2 (3, 3), b2", got[k],
                            reference[k], hint="update every parameter the dict holds, whatever its shape")
    ### END HIDDEN TESTS
    '''),
]

# --------------------------------------------------------------------------------------
# Part 4: RMSprop
# --------------------------------------------------------------------------------------
RMSPROP = [
    md(r"""
    ## 4. RMSprop

    Momentum averages the gradients themselves. **RMSprop** (root mean square propagation)
    averages their *squares*, which measure how large each coordinate's gradient has recently
    been, and divides the step by the square root of that average:

    $$s_{dW} = \beta\, s_{dW} + (1-\beta)\, dW^2, \qquad s_{db} = \beta\, s_{db} + (1-\beta)\, db^2,$$
    $$W = W - \alpha\, \frac{dW}{\sqrt{s_{dW}} + \varepsilon}, \qquad b = b - \alpha\, \frac{db}{\sqrt{s_{db}} + \varepsilon}.$$

    The square is taken entry by entry. A direction with large, oscillating gradients gets a
    large $s$ and so small steps; a direction with small gradients gets larger steps. Every
    coordinate ends up moving at a similar pace. $\varepsilon = 10^{-8}$ only prevents a
    division by zero; $\beta = 0.9$ as before.

    ### Worked example: a steep and a flat direction
    """),
    code(r"""
    dW = np.array([[10.0, 0.01]])            # steep in the first coordinate, flat in the second
    s_dW = np.zeros_like(dW)
    beta, alpha, epsilon = 0.9, 0.01, 1e-8
    for step in range(1, 4):
        s_dW = beta * s_dW + (1 - beta) * dW ** 2
        rmsprop_step = alpha * dW[0] / (np.sqrt(s_dW[0]) + epsilon)
        print(f"step {step}: plain GD would move {alpha * dW[0]},  RMSprop moves {rmsprop_step}")
    """),
    md(r"""
    Both coordinates move by the same amount although their gradients differ by a factor of
    1000. (The steps are larger than $\alpha$ at first because $s$ still starts from zero; Adam
    will correct that.)

    ### Exercise 4: `update_parameters_with_rmsprop` (2 points)

    The same loop over the parameters as for momentum, with the state `s` in place of `v`.
    """),
    answer("update_parameters_with_rmsprop", r'''
    def update_parameters_with_rmsprop(parameters, grads, s, beta=0.9, learning_rate=0.01, epsilon=1e-8):
        """One step of RMSprop.

        For every parameter P of every layer, entry by entry:
            s_dP = beta * s_dP + (1 - beta) * dP^2
            P    = P - learning_rate * dP / (sqrt(s_dP) + epsilon)

        Arguments:
        parameters -- dict {"W1", "b1", ..., "WL", "bL"}
        grads -- dict {"dW1", "db1", ...}, each shaped like its parameter
        s -- running averages of the squared gradients, dict {"dW1", "db1", ...} (zeros at first)
        beta -- decay of the average, in [0, 1)
        learning_rate -- the step size alpha
        epsilon -- keeps the division finite

        Returns:
        parameters -- the updated parameters (a new dict)
        s -- the updated averages (a new dict)
        """
        parameters, s = dict(parameters), dict(s)
        ### BEGIN SOLUTION
        for name in parameters:
            d = "d" + name
            s[d] = beta * s[d] + (1 - beta) * np.square(grads[d])
            parameters[name] = parameters[name] - learning_rate * grads[d] / (np.sqrt(s[d]) + epsilon)
        ### END SOLUTION
        return parameters, s
    '''),
    tests("test_update_parameters_with_rmsprop", 2, r'''
    parameters = {"W1": np.array([[1.0, -2.0], [0.5, 0.0]]), "b1": np.array([[0.5], [-0.5]])}
    grads = {"dW1": np.array([[0.2, -4.0], [-1.0, 0.01]]), "db1": np.array([[0.1], [-0.3]])}
    s = {"dW1": np.zeros((2, 2)), "db1": np.zeros((2, 1))}
    expected = {name: parameters[name] - 0.01 * grads["d" + name] / (np.sqrt(0.1 * grads["d" + name] ** 2) + 1e-8)
                for name in parameters}
    new_parameters, new_s = update_parameters_with_rmsprop(parameters, grads, s, beta=0.9, learning_rate=0.01)
    T.assert_dict_close("s after one step from zero", new_s, {d: 0.1 * g ** 2 for d, g in grads.items()},
                        hint="s = beta * s + (1 - beta) * dW**2 (the square, entry by entry)")
    T.assert_dict_close("parameters after one step", new_parameters, expected,
                        hint="W = W - learning_rate * dW / (sqrt(s) + epsilon)")
    print("Visible tests passed.")
    ### BEGIN HIDDEN TESTS
    rng = np.random.default_rng(404)
    layer_dims = T.random_case.layer_dims(seed=rng)
    parameters = T.random_case.parameters(layer_dims, seed=rng)
    s, s_ref = H.initialize_rmsprop(parameters), H.initialize_rmsprop(parameters)
    p, p_ref = parameters, {name: value.copy() for name, value in parameters.items()}
    beta, alpha = float(rng.uniform(0.5, 0.99)), float(rng.uniform(0.001, 0.05))
    for step in range(1, 5):
        grads = T.random_case.grads(parameters, seed=rng)
        p, s = update_parameters_with_rmsprop(p, grads, s, beta=beta, learning_rate=alpha, epsilon=1e-8)
        p_ref, s_ref = H.update_parameters_with_rmsprop(p_ref, grads, s_ref, beta=beta, learning_rate=alpha, epsilon=1e-8)
        T.assert_dict_close(f"s after step {step} (layers {layer_dims}, beta={beta:.3f})", s, s_ref)
        T.assert_dict_close(f"parameters after step {step} (layers {layer_dims})", p, p_ref)
    # Independent fact: with a constant gradient g, s = (1 - beta^k) g^2 after k steps, so every
    # entry moves by the same amount alpha / sqrt(1 - beta^k) whatever the size of g.
    g = T.random_case.grads(parameters, seed=rng)
    s = H.initialize_rmsprop(parameters)
    p = parameters
    for step in range(1, 11):
        before = {name: value.copy() for name, value in p.items()}
        p, s = update_parameters_with_rmsprop(p, g, s, beta=beta, learning_rate=alpha, epsilon=1e-12)
    T.assert_dict_close("s after 10 steps with the same gradient g", s, {d: (1 - beta ** 10) * g[d] ** 2 for d in g})
    T.assert_dict_close("the size of step 10 with a constant gradient",
                        {name: np.abs(before[name] - p[name]) for name in p},
                        {name: np.full(p[name].shape, alpha / np.sqrt(1 - beta ** 10)) for name in p},
                        hint="divide by the square root of the average of the SQUARED gradients")
    # The deeplearning.ai test case's shapes: W2 (3, 3) does not chain after W1 (2, 3). An update
    # rule works parameter by parameter, so such a dict must update like any other.
    odd = {name: rng.normal(size=shape) for name, shape in
           {"W1": (2, 3), "b1": (2, 1), "W2": (3, 3), "b2": (3, 1)}.items()}
    odd_grads, odd_state = ({"d" + name: rng.normal(size=value.shape) for name, value in odd.items()}
                            for _ in range(2))
    odd_state = {d: np.abs(value) for d, value in odd_state.items()}   # an average of squares is >= 0
    got = update_parameters_with_rmsprop(odd, odd_grads, odd_state, beta, alpha)
    reference = H.update_parameters_with_rmsprop(odd, odd_grads, odd_state, beta, alpha)
    for k, label in enumerate(("parameters", "s")):
        T.assert_dict_close(f"{label} after an RMSprop step on W1 (2, 3), b1, W2 (3, 3), b2", got[k],
                            reference[k], hint="update every parameter the dict holds, whatever its shape")
    ### END HIDDEN TESTS
    '''),
]

# --------------------------------------------------------------------------------------
# Part 5: Adam
# --------------------------------------------------------------------------------------
ADAM = [
    md(r"""
    ## 5. Adam

    **Adam** (adaptive moment estimation) combines the two: a momentum average $v$ of the
    gradients with $\beta_1$, an RMSprop average $s$ of their squares with $\beta_2$, and the
    bias correction of part 1 on both, because both start at zero. On iteration $t$
    (counted from **1**):

    $$v_{dW} = \beta_1 v_{dW} + (1-\beta_1)\, dW, \qquad s_{dW} = \beta_2 s_{dW} + (1-\beta_2)\, dW^2,$$
    $$v^{corrected}_{dW} = \frac{v_{dW}}{1-\beta_1^t}, \qquad s^{corrected}_{dW} = \frac{s_{dW}}{1-\beta_2^t},$$
    $$W = W - \alpha\, \frac{v^{corrected}_{dW}}{\sqrt{s^{corrected}_{dW}} + \varepsilon},$$

    and the same for $b$. The usual values are $\beta_1 = 0.9$, $\beta_2 = 0.999$,
    $\varepsilon = 10^{-8}$; the learning rate $\alpha$ still needs tuning.

    ### Worked example: the very first step

    At $t = 1$ the corrections undo the start from zero exactly:
    $v^{corrected} = dW$ and $s^{corrected} = dW^2$, so every entry moves by
    $\alpha\, dW / |dW| = \pm\alpha$, whatever the size of its gradient. Without the correction
    the step would be $\alpha \cdot 0.1\, dW / (\sqrt{0.001}\,|dW|) \approx 3.2\,\alpha$.
    """),
    code(r"""
    dW = np.array([[0.002, -3.0]])
    beta1, beta2, alpha, epsilon, t = 0.9, 0.999, 0.01, 1e-8, 1
    v_dW = (1 - beta1) * dW                  # from zero
    s_dW = (1 - beta2) * dW ** 2
    v_corrected, s_corrected = v_dW / (1 - beta1 ** t), s_dW / (1 - beta2 ** t)
    print("v_corrected =", v_corrected, " s_corrected =", s_corrected)
    print("step with correction:   ", alpha * v_corrected / (np.sqrt(s_corrected) + epsilon))
    print("step without correction:", alpha * v_dW / (np.sqrt(s_dW) + epsilon))
    """),
    md(r"""
    ### Exercise 5: `update_parameters_with_adam` (3 points)

    Besides the new parameters and moments, return the two corrected moments of this step (as
    dicts with the gradient keys): the tests and the comparisons look at them.
    """),
    answer("update_parameters_with_adam", r'''
    def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01,
                                    beta1=0.9, beta2=0.999, epsilon=1e-8):
        """One step of Adam (iteration t, counted from 1).

        For every parameter P of every layer, entry by entry:
            v_dP = beta1 * v_dP + (1 - beta1) * dP            (momentum)
            s_dP = beta2 * s_dP + (1 - beta2) * dP^2          (RMSprop)
            v_corrected = v_dP / (1 - beta1^t),  s_corrected = s_dP / (1 - beta2^t)
            P = P - learning_rate * v_corrected / (sqrt(s_corrected) + epsilon)

        Arguments:
        parameters -- dict {"W1", "b1", ..., "WL", "bL"}
        grads -- dict {"dW1", "db1", ...}, each shaped like its parameter
        v, s -- first and second moments, dicts {"dW1", "db1", ...} (zeros before step 1)
        t -- the number of this step: 1 for the first update
        learning_rate, beta1, beta2, epsilon -- the hyperparameters

        Returns:
        parameters, v, s -- updated (new dicts)
        v_corrected, s_corrected -- the bias-corrected moments of this step, dicts {"dW1", "db1", ...}
        """
        parameters, v, s = dict(parameters), dict(v), dict(s)
        v_corrected, s_corrected = {}, {}
        ### BEGIN SOLUTION
        for name in parameters:
            d = "d" + name
            v[d] = beta1 * v[d] + (1 - beta1) * grads[d]
            s[d] = beta2 * s[d] + (1 - beta2) * np.square(grads[d])
            v_corrected[d] = v[d] / (1 - beta1 ** t)
            s_corrected[d] = s[d] / (1 - beta2 ** t)
            step = learning_rate * v_corrected[d] / (np.sqrt(s_corrected[d]) + epsilon)
            parameters[name] = parameters[name] - step
        ### END SOLUTION
        return parameters, v, s, v_corrected, s_corrected
    '''),
    tests("test_update_parameters_with_adam", 3, r'''
    parameters = {"W1": np.array([[1.0, -2.0, 0.5]]), "b1": np.array([[0.5]])}
    grads = {"dW1": np.array([[0.002, -3.0, 0.5]]), "db1": np.array([[-0.25]])}
    zeros = lambda: {"dW1": np.zeros((1, 3)), "db1": np.zeros((1, 1))}
    expected = {name: parameters[name] - 0.01 * np.sign(grads["d" + name]) for name in parameters}
    new_parameters, v, s, v_corrected, s_corrected = update_parameters_with_adam(
        parameters, grads, zeros(), zeros(), t=1, learning_rate=0.01)
    T.assert_dict_close("v after the first step", v, {d: 0.1 * g for d, g in grads.items()})
    T.assert_dict_close("s after the first step", s, {d: 0.001 * g ** 2 for d, g in grads.items()},
                        hint="s uses beta2 and the squared gradient")
    T.assert_dict_close("v_corrected at t=1", v_corrected, grads,
                        hint="v_corrected = v / (1 - beta1**t); at t = 1 it equals the gradient")
    T.assert_dict_close("s_corrected at t=1", s_corrected, {d: g ** 2 for d, g in grads.items()},
                        hint="s_corrected = s / (1 - beta2**t), with beta2 (not beta1)")
    T.assert_dict_close("parameters after the first step", new_parameters, expected, atol=1e-7,
                        hint="the first Adam step moves every entry by learning_rate against the gradient's sign")
    print("Visible tests passed.")
    ### BEGIN HIDDEN TESTS
    rng = np.random.default_rng(505)
    layer_dims = T.random_case.layer_dims(seed=rng)
    parameters = T.random_case.parameters(layer_dims, seed=rng)
    v, s = H.initialize_adam(parameters)
    v_ref, s_ref = H.initialize_adam(parameters)
    p, p_ref = parameters, {name: value.copy() for name, value in parameters.items()}
    alpha, beta1, beta2 = float(rng.uniform(0.001, 0.05)), float(rng.uniform(0.7, 0.95)), float(rng.uniform(0.95, 0.999))
    for t in range(1, 6):
        grads = T.random_case.grads(parameters, seed=rng)
        p, v, s, v_c, s_c = update_parameters_with_adam(p, grads, v, s, t, learning_rate=alpha, beta1=beta1, beta2=beta2)
        p_ref, v_ref, s_ref, v_c_ref, s_c_ref = H.update_parameters_with_adam(
            p_ref, grads, v_ref, s_ref, t, learning_rate=alpha, beta1=beta1, beta2=beta2)
        where = f"at t={t} (layers {layer_dims}, beta1={beta1:.3f}, beta2={beta2:.4f})"
        T.assert_dict_close(f"v {where}", v, v_ref)
        T.assert_dict_close(f"s {where}", s, s_ref, hint="s = beta2 * s + (1 - beta2) * dW**2")
        T.assert_dict_close(f"v_corrected {where}", v_c, v_c_ref, hint="divide by 1 - beta1**t")
        T.assert_dict_close(f"s_corrected {where}", s_c, s_c_ref, hint="divide by 1 - beta2**t")
        T.assert_dict_close(f"parameters {where}", p, p_ref)
    # Independent fact: with a constant gradient, both corrected moments are exact at every t
    # (v_corrected = g, s_corrected = g^2), so each step has size learning_rate.
    g = T.random_case.grads(parameters, seed=rng)
    v, s = H.initialize_adam(parameters)
    start = {name: value.copy() for name, value in p_ref.items()}
    p = {name: value.copy() for name, value in start.items()}
    for t in range(1, 8):
        p, v, s, v_c, s_c = update_parameters_with_adam(p, g, v, s, t, learning_rate=alpha, beta1=beta1,
                                                        beta2=beta2, epsilon=1e-12)
    T.assert_dict_close("v_corrected after 7 steps with the same gradient g", v_c, g)
    T.assert_dict_close("s_corrected after 7 steps with the same gradient g", s_c, {d: g[d] ** 2 for d in g})
    T.assert_dict_close("parameters after 7 steps with the same gradient g", p,
                        {name: start[name] - 7 * alpha * np.sign(g["d" + name]) for name in p}, atol=1e-6)
    # A weight whose gradient is exactly 0 has v = s = 0 and must stay put: epsilon keeps 0 / 0 out.
    g["dW1"][:, 0] = 0.0
    v, s = H.initialize_adam(start)
    p, *_ = update_parameters_with_adam({name: value.copy() for name, value in start.items()}, g, v, s, 1,
                                        learning_rate=alpha)
    T.assert_close("W1[:, 0] after a step where its gradient is 0", p["W1"][:, 0], start["W1"][:, 0],
                   hint="add epsilon to the square root: for a zero gradient, 0 / sqrt(0) is NaN")
    # The deeplearning.ai test case's shapes: W2 (3, 3) does not chain after W1 (2, 3). An update
    # rule works parameter by parameter, so such a dict must update like any other.
    odd = {name: rng.normal(size=shape) for name, shape in
           {"W1": (2, 3), "b1": (2, 1), "W2": (3, 3), "b2": (3, 1)}.items()}
    odd_grads, odd_state = ({"d" + name: rng.normal(size=value.shape) for name, value in odd.items()}
                            for _ in range(2))
    odd_s = {d: np.abs(value) for d, value in odd_state.items()}
    got = update_parameters_with_adam(odd, odd_grads, odd_state, odd_s, 3)
    reference = H.update_parameters_with_adam(odd, odd_grads, odd_state, odd_s, 3)
    for k, label in enumerate(("parameters", "v", "s", "v_corrected", "s_corrected")):
        T.assert_dict_close(f"{label} after an Adam step (t = 3) on W1 (2, 3), b1, W2 (3, 3), b2", got[k],
                            reference[k], hint="update every parameter the dict holds, whatever its shape")
    ### END HIDDEN TESTS
    '''),
    md(r"""
    ### Exercise 6: `adam_descent`, the loop around the update (2 points)

    An optimizer is a loop: compute the gradients at the current point, take a step, repeat.
    Write that loop for Adam. `grad_fn(parameters)` returns the gradient dict at any point.
    The step counter $t$ must be 1 on the first update: at $t = 0$ the corrections would divide
    by $1 - \beta^0 = 0$. Record every point in `path`, the start included.
    """),
    answer("adam_descent", r'''
    def adam_descent(grad_fn, parameters, num_iterations, learning_rate=0.01,
                     beta1=0.9, beta2=0.999, epsilon=1e-8):
        """Run num_iterations steps of Adam (your update function) from `parameters`.

        Arguments:
        grad_fn -- function: a parameters dict -> its gradients {"dW1", "db1", ...}
        parameters -- the starting point, dict {"W1", "b1", ...}
        num_iterations -- the number of Adam steps
        learning_rate, beta1, beta2, epsilon -- as in update_parameters_with_adam

        Returns:
        path -- list of num_iterations + 1 parameter dicts: path[0] is the start and
                path[k] the point reached after k steps
        """
        v, s = H.initialize_adam(parameters)
        path = [parameters]
        ### BEGIN SOLUTION
        for t in range(1, num_iterations + 1):
            grads = grad_fn(parameters)
            parameters, v, s, _, _ = update_parameters_with_adam(
                parameters, grads, v, s, t, learning_rate, beta1, beta2, epsilon)
            path.append(parameters)
        ### END SOLUTION
        return path
    '''),
    tests("test_adam_descent", 2, r'''
    # J(W1, b1) = 0.5 * ||W1 - target_W||^2 + 0.5 * (b1 - target_b)^2: its gradient is (W1 - target_W, b1 - target_b).
    target = {"W1": np.array([[1.0, -1.0]]), "b1": np.array([[0.5]])}
    def quadratic_grads(parameters):
        return {"d" + name: parameters[name] - target[name] for name in parameters}
    start = {"W1": np.array([[3.0, 2.0]]), "b1": np.array([[-1.0]])}
    path = adam_descent(quadratic_grads, start, num_iterations=3, learning_rate=0.1)
    T.assert_equal("len(path) after 3 iterations", len(path), 4,
                   hint="path[0] is the starting point, then one dict per step")
    T.assert_dict_close("path[0], the starting point", path[0],
                        {"W1": np.array([[3.0, 2.0]]), "b1": np.array([[-1.0]])},
                        hint="if it moved, an update changed the arrays in place (`-=`): write "
                             "parameters[name] = parameters[name] - ... so every point keeps its own arrays")
    T.assert_dict_close("path[1], after the first step", path[1],
                        {"W1": np.array([[2.9, 1.9]]), "b1": np.array([[-0.9]])}, atol=1e-6,
                        hint="count t from 1: the first Adam step moves every entry by learning_rate")
    print("Visible tests passed.")
    ### BEGIN HIDDEN TESTS
    import tensorflow as tf  # already loaded by the first cell
    rng = np.random.default_rng(606)
    shapes = {"W1": (3, 2), "b1": (3, 1), "W2": (1, 3), "b2": (1, 1)}
    target = {name: rng.normal(size=shape) for name, shape in shapes.items()}
    # Start 1 to 2 away from the target in every entry, so no gradient comes near zero in 10
    # steps of at most ~learning_rate each (near-zero gradients would magnify the epsilon
    # difference described in part 6).
    start = {name: target[name] + rng.choice([-1.0, 1.0], size=shape) * rng.uniform(1.0, 2.0, size=shape)
             for name, shape in shapes.items()}
    def quadratic_grads(parameters):
        return {"d" + name: parameters[name] - target[name] for name in parameters}
    alpha, beta1, beta2, n = 0.05, 0.8, 0.99, 10
    path = adam_descent(quadratic_grads, start, num_iterations=n, learning_rate=alpha, beta1=beta1, beta2=beta2)
    T.assert_equal(f"len(path) after {n} iterations", len(path), n + 1)
    # The helpers reference, one update at a time.
    p, (v, s) = start, H.initialize_adam(start)
    for t in range(1, n + 1):
        p, v, s, _, _ = H.update_parameters_with_adam(p, quadratic_grads(p), v, s, t,
                                                      learning_rate=alpha, beta1=beta1, beta2=beta2)
        T.assert_dict_close(f"path[{t}] against helpers.update_parameters_with_adam", path[t], p,
                            hint="t must be 1 on the first step")
    # Keras' Adam on the same gradients, in float64. Keras rounds its hyperparameters to float32
    # and adds epsilon to sqrt(s) before the bias correction (part 6): both move the result by
    # about 1e-5 of a step, far below the tolerance of 0.1 % of a step used here.
    variables = {name: tf.Variable(value) for name, value in start.items()}
    keras_adam = tf.keras.optimizers.Adam(learning_rate=alpha, beta_1=beta1, beta_2=beta2, epsilon=1e-8)
    for t in range(1, n + 1):
        point = {name: var.numpy() for name, var in variables.items()}
        grads = quadratic_grads(point)
        keras_adam.apply_gradients([(tf.constant(grads["d" + name]), var) for name, var in variables.items()])
        T.assert_dict_close(f"path[{t}] against tf.keras.optimizers.Adam", path[t],
                            {name: var.numpy() for name, var in variables.items()}, rtol=0, atol=1e-3 * alpha)
    ### END HIDDEN TESTS
    '''),
]

# --------------------------------------------------------------------------------------
# Part 5b: Keras
# --------------------------------------------------------------------------------------
KERAS = [
    md(r"""
    ### Your Adam against Keras, step by step

    `tf.keras.optimizers.Adam` implements the same algorithm, written differently. Per step it
    computes

    $$\alpha_t = \alpha\,\frac{\sqrt{1-\beta_2^t}}{1-\beta_1^t}, \qquad W = W - \alpha_t\,\frac{v}{\sqrt{s} + \hat\varepsilon},$$

    with the *uncorrected* moments. Multiply out and you get the slides' formula, except for
    where $\varepsilon$ sits: Keras adds $\hat\varepsilon$ to $\sqrt{s}$, the slides add
    $\varepsilon$ to $\sqrt{s^{corrected}} = \sqrt{s}/\sqrt{1-\beta_2^t}$. Keras' $\hat\varepsilon$
    therefore acts like our $\varepsilon = \hat\varepsilon/\sqrt{1-\beta_2^t}$, which is
    $\sqrt{1000}\approx 32$ times larger at $t=1$ with $\beta_2 = 0.999$ and shrinks to
    $\hat\varepsilon$ as $t$ grows. Keras' default is also $\hat\varepsilon = 10^{-7}$, not
    $10^{-8}$.

    How much does that change a step? Dividing by $\sqrt{s^{c}} + \varepsilon_1$ instead of
    $\sqrt{s^{c}} + \varepsilon_2$ changes the step by a relative
    $|\varepsilon_1 - \varepsilon_2| / \sqrt{s^{c}}$, and $\sqrt{s^{c}}$ is about the size of
    the gradient: with $\varepsilon = 10^{-8}$ at $t = 1$ that is $3\cdot 10^{-6}$ for a gradient
    of 0.1 and $3\cdot 10^{-4}$ for a gradient of 0.001. Keras also keeps $\beta_1, \beta_2$ and
    $\alpha$ in float32, which changes a step by a relative $10^{-5}$ or so even when the weights
    are float64. So the two paths agree to **a small fraction of one step** (the hidden test
    allows 0.1 % of a step, with gradients kept away from zero), and would differ visibly only
    when some gradients are as small as $\varepsilon$ itself.

    The cell below runs both from the same start on the gradients of a small network, first with
    $\varepsilon = 10^{-8}$, then with $\varepsilon = 10^{-12}$ where the placement hardly
    matters and only the float32 rounding is left.
    """),
    code(r"""
    # One small network on the moons data; its gradients at any point come from helpers.
    def moons_grads(parameters):
        AL, caches = H.L_model_forward(X_moons, parameters)
        return H.L_model_backward(AL, Y_moons, caches)

    if not GRADING:
        start = H.initialize_parameters([2, 4, 1], method="he", seed=3)

        def gap_to_keras(epsilon, num_iterations=20, learning_rate=0.01):
            # The largest |yours - Keras| over all weights after each step, from the same start.
            path = adam_descent(moons_grads, start, num_iterations, learning_rate, epsilon=epsilon)
            keras_adam = tf.keras.optimizers.Adam(learning_rate=learning_rate, beta_1=0.9, beta_2=0.999,
                                                  epsilon=epsilon)
            variables = {name: tf.Variable(value) for name, value in start.items()}  # float64, as ours
            gaps = []
            for t in range(1, num_iterations + 1):
                point = {name: var.numpy() for name, var in variables.items()}
                grads = moons_grads(point)
                keras_adam.apply_gradients([(tf.constant(grads["d" + name]), var)
                                            for name, var in variables.items()])
                gaps.append(max(np.max(np.abs(path[t][name] - var.numpy()))
                                for name, var in variables.items()))
            return gaps

        smallest = min(np.min(np.abs(g)) for name, g in moons_grads(start).items() if name[1] in "Wb")
        print(f"smallest gradient entry at the start: {smallest:.1e}; "
              "one step moves a weight by up to 1e-2")
        for epsilon in (1e-8, 1e-12):
            gaps = gap_to_keras(epsilon)
            print(f"epsilon = {epsilon:g}: largest |yours - Keras| after steps 1, 5, 20:",
                  ", ".join(f"{gaps[i]:.1e}" for i in (0, 4, 19)))
    """),
]

# --------------------------------------------------------------------------------------
# Part 6: learning-rate decay
# --------------------------------------------------------------------------------------
DECAY = [
    md(r"""
    ## 6. Learning-rate decay

    Near a minimum, mini-batch noise makes a constant-step optimizer wander around it instead
    of settling. Shrinking $\alpha$ as training goes on lets it take big steps early and small
    steps late. The slides list these schedules, where $\alpha_0$ is the learning rate the
    schedule starts from and $\mathrm{epoch\_num}$ counts the passes through the data **from 1**:
    it is 1 during the first epoch, 2 during the second, and so on. That is the only count the
    square-root schedule allows ($k/\sqrt{0}$ is undefined), so this course uses it for every
    schedule, in your functions, in `helpers.train` and in the training loop of part 7.
    (Keras' `LearningRateScheduler` passes an epoch index that starts at 0: to use one of these
    schedules there, give it `epoch + 1`.)

    | schedule | formula | `helpers` |
    | --- | --- | --- |
    | inverse time | $\alpha = \dfrac{1}{1 + \mathrm{decay\_rate}\cdot\mathrm{epoch\_num}}\,\alpha_0$ | `inverse_time_decay` |
    | exponential | $\alpha = 0.95^{\mathrm{epoch\_num}}\,\alpha_0$ | `exponential_decay` |
    | square root | $\alpha = \dfrac{k}{\sqrt{\mathrm{epoch\_num}}}\,\alpha_0$ | `sqrt_decay` |
    | stepwise ("schedule") | $\alpha = \dfrac{1}{1 + \mathrm{decay\_rate}\cdot\lfloor \mathrm{epoch\_num} / \mathrm{time\_interval}\rfloor}\,\alpha_0$ | you write it |

    (The slide writes the exponential schedule as $0.95\,e^{\mathrm{epoch\_num}}$; the intended
    formula is $0.95^{\mathrm{epoch\_num}}$, which shrinks.)

    ### Worked example: inverse-time decay, and why it can be too fast

    With $\alpha_0 = 0.2$ and a decay rate of 1, epochs 1 to 4 run at 0.1, 0.067, 0.05, 0.04:
    with epochs counted from 1 even the first epoch already runs at a decayed rate.
    Over thousands of epochs the rate collapses towards zero long before training is over.
    The stepwise schedule keeps $\alpha$ constant for `time_interval` epochs at a time, so the
    same formula decays much more slowly.
    """),
    code(r"""
    if not GRADING:  # helpers' schedules are withheld while this assignment is graded
        for epoch in range(1, 5):
            by_hand = 0.2 / (1 + 1.0 * epoch)
            from_helpers = H.inverse_time_decay(0.2, epoch, 1.0)
            print(f"epoch {epoch}: alpha = {by_hand:.4f}  (helpers: {from_helpers:.4f})")
        print("after 1000 epochs:", H.inverse_time_decay(0.2, 1000, 1.0))
    """),
    md(r"""
    ### Exercise 7: `schedule_lr_decay` (2 points)

    The rate drops only when the epoch number reaches a multiple of `time_interval`: epochs 1 to
    `time_interval - 1` run at $\alpha_0$, the first drop comes at epoch `time_interval`. Use
    `np.floor` (or `//`).
    """),
    answer("schedule_lr_decay", r'''
    def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
        """Stepwise learning-rate decay: the rate drops once every time_interval epochs.

        learning_rate = learning_rate0 / (1 + decay_rate * floor(epoch_num / time_interval))

        Arguments:
        learning_rate0 -- the initial learning rate alpha_0
        epoch_num -- the current epoch, counted from 1 (1 during the first pass through the data)
        decay_rate -- how much the rate drops at each interval
        time_interval -- the number of epochs between two drops

        Returns:
        learning_rate -- the decayed learning rate (a float)
        """
        ### BEGIN SOLUTION
        learning_rate = learning_rate0 / (1 + decay_rate * np.floor(epoch_num / time_interval))
        ### END SOLUTION
        return learning_rate
    '''),
    tests("test_schedule_lr_decay", 2, r'''
    for epoch, expected in ((1, 0.5), (99, 0.5), (100, 0.5 / 1.3), (250, 0.5 / 1.6)):
        T.assert_close(f"schedule_lr_decay(0.5, {epoch}, 0.3, time_interval=100)",
                       schedule_lr_decay(0.5, epoch, 0.3, time_interval=100), expected,
                       hint="the rate changes only every time_interval epochs: use floor(epoch_num / time_interval)")
    print("Visible tests passed.")
    ### BEGIN HIDDEN TESTS
    rng = np.random.default_rng(707)
    for _ in range(20):
        lr0, rate = float(rng.uniform(0.001, 1.0)), float(rng.uniform(0.1, 3.0))
        interval, epoch = int(rng.integers(1, 500)), int(rng.integers(1, 5000))
        expected = lr0 / (1 + rate * math.floor(epoch / interval))
        got = schedule_lr_decay(lr0, epoch, rate, time_interval=interval)
        T.assert_close(f"schedule_lr_decay({lr0:.4f}, {epoch}, {rate:.3f}, time_interval={interval})", got, expected)
        T.assert_close("the same call against helpers.schedule_lr_decay", got,
                       H.schedule_lr_decay(lr0, epoch, rate, time_interval=interval))
    # The default interval of 1000 epochs, and a constant rate inside one interval.
    T.assert_close("schedule_lr_decay(0.1, 2500, 1.0) with the default time_interval",
                   schedule_lr_decay(0.1, 2500, 1.0), 0.1 / 3)
    T.assert_close("schedule_lr_decay(0.1, 1999, 1.0) (same interval as epoch 1000)",
                   schedule_lr_decay(0.1, 1999, 1.0), schedule_lr_decay(0.1, 1000, 1.0))
    ### END HIDDEN TESTS
    '''),
    md(r"""
    ### The four schedules side by side

    The plot below draws all four over 300 epochs, with hyperparameters chosen so that each
    roughly halves the rate somewhere in that range. Stepwise decay (yours) is the staircase.
    """),
    code(r"""
    if not GRADING:
        epochs = np.arange(1, 301)
        alpha0 = 0.1
        schedules = {
            "inverse time (decay_rate 0.01)": [H.inverse_time_decay(alpha0, e, 0.01) for e in epochs],
            "stepwise (decay_rate 0.5, every 50 epochs)":
                [schedule_lr_decay(alpha0, e, 0.5, time_interval=50) for e in epochs],
            "exponential (base 0.995)": [H.exponential_decay(alpha0, e, base=0.995) for e in epochs],
            "square root (k = 1)": [H.sqrt_decay(alpha0, e, k=1.0) for e in epochs],
        }
        fig, ax = plt.subplots()
        for label, rates in schedules.items():
            ax.plot(epochs, rates, label=label)
        ax.set_xlabel("epoch")
        ax.set_ylabel("learning rate")
        ax.legend(fontsize=8)
        plt.show()
    """),
]

# --------------------------------------------------------------------------------------
# Part 7: comparison
# --------------------------------------------------------------------------------------
COMPARISON = [
    md(r"""
    ## 7. All optimizers on one data set

    Time to race them. First the race track: a training loop that takes any of the four update
    rules and any learning-rate schedule. It is the loop of part 2 with three things added, and
    each is a place where real training code goes wrong:

    1. **The schedule.** At the start of epoch $e = 1, 2, \dots, E$ the rate is
       $\alpha_e = \mathrm{decay}(\alpha_0, e)$, always computed from the *initial* rate
       $\alpha_0$ (feeding $\alpha_{e-1}$ back in would compound the decay), or $\alpha_0$
       itself when there is no schedule.
    2. **The step counter.** Adam's $t$ counts *updates*, not epochs: it is 1 on the very first
       mini-batch and keeps counting across epochs. With $B = \lceil m / \text{size} \rceil$
       mini-batches per epoch, the $k$-th mini-batch of epoch $e$ is update
       $t = (e - 1)\,B + k$.
    3. **The state.** Momentum keeps its velocity $v$, RMSprop its $s$, Adam both, from one
       update to the next and across epochs: they are initialized once, before the loop.

    ### Worked example: the counters of a short run

    With $m = 300$ examples and mini-batches of 32 there are $B = 10$ updates per epoch (nine
    batches of 32 and one of 12). The cell below lists $t$ and the learning rate of the first
    update of a few epochs, for the stepwise schedule used in the race below ($\alpha_0 = 0.2$,
    decay rate 1, a drop every 30 epochs).
    """),
    code(r"""
    m, size, alpha0 = 300, 32, 0.2
    B = math.ceil(m / size)
    print("updates per epoch:", B, "  sizes:", [min(size, m - k) for k in range(0, m, size)])
    for epoch in (1, 2, 29, 30, 60, 150):
        t_first = (epoch - 1) * B + 1
        print(f"epoch {epoch:3d}: first update t = {t_first:4d}, "
              f"learning rate {schedule_lr_decay(alpha0, epoch, 1.0, time_interval=30):.4f}")
    """),
    md(r"""
    ### Exercise 8: `train_with_your_optimizer` (3 points)

    Write the loop. The network and the optimizer states are set up for you (`v` and `s` are
    zeros; momentum uses `v`, RMSprop uses `s`, Adam both). For each epoch, counted from 1:
    set the learning rate, shuffle with your `random_mini_batches(X, Y, mini_batch_size,
    seed=seed + epoch)` (a new shuffle every epoch, reproducible from `seed`), and for each
    mini-batch run `H.L_model_forward`, record `H.compute_cost` **before** the update, run
    `H.L_model_backward`, and update with the rule `optimizer` names: `H.update_parameters_with_gd`
    for `"gd"`, your own functions for the other three (momentum and RMSprop with `beta`,
    Adam with its default $\beta_1, \beta_2, \varepsilon$). Any other name raises a
    `ValueError`.
    """),
    answer("train_with_your_optimizer", r'''
    def train_with_your_optimizer(X, Y, layer_dims, optimizer="gd", learning_rate=0.1,
                                  mini_batch_size=64, num_epochs=100, decay=None, beta=0.9, seed=1):
        """Mini-batch training of an L-layer binary classifier with the chosen update rule.

        For epoch = 1, ..., num_epochs:
            alpha = decay(learning_rate, epoch)   (learning_rate itself if decay is None)
            for each mini-batch (X_b, Y_b) of random_mini_batches(X, Y, mini_batch_size, seed + epoch):
                forward, cost J(X_b, Y_b), backward, t = t + 1, one update with alpha (and t for Adam)

        Arguments:
        X -- inputs, shape (n_x, m); Y -- labels, shape (1, m)
        layer_dims -- [n_x, n[1], ..., 1], the network's layer sizes
        optimizer -- "gd", "momentum", "rmsprop" or "adam"
        learning_rate -- alpha_0, the rate the schedule starts from
        mini_batch_size -- examples per mini-batch
        num_epochs -- passes through the training set
        decay -- None, or a function decay(learning_rate0, epoch_num) -> learning rate,
                 called once per epoch with epoch_num = 1, 2, ..., num_epochs
        beta -- the momentum / RMSprop coefficient
        seed -- seeds the He initialization and (with + epoch) each epoch's shuffle

        Returns:
        parameters -- the trained network {"W1", "b1", ...}
        costs -- array of shape (num_epochs * number of mini-batches per epoch,): the cost of
                 every mini-batch, computed before its update
        """
        parameters = H.initialize_parameters(layer_dims, method="he", seed=seed)
        v, s = H.initialize_adam(parameters)      # zeros; momentum uses v, RMSprop uses s
        t, costs = 0, []
        ### BEGIN SOLUTION
        for epoch in range(1, num_epochs + 1):
            lr = learning_rate if decay is None else decay(learning_rate, epoch)
            for X_b, Y_b in random_mini_batches(X, Y, mini_batch_size, seed=seed + epoch):
                AL, caches = H.L_model_forward(X_b, parameters)
                costs.append(H.compute_cost(AL, Y_b))
                grads = H.L_model_backward(AL, Y_b, caches)
                t += 1
                if optimizer == "gd":
                    parameters = H.update_parameters_with_gd(parameters, grads, lr)
                elif optimizer == "momentum":
                    parameters, v = update_parameters_with_momentum(parameters, grads, v, beta, lr)
                elif optimizer == "rmsprop":
                    parameters, s = update_parameters_with_rmsprop(parameters, grads, s, beta, lr)
                elif optimizer == "adam":
                    parameters, v, s, _, _ = update_parameters_with_adam(parameters, grads, v, s, t, lr)
                else:
                    raise ValueError(f"unknown optimizer {optimizer!r}")
        ### END SOLUTION
        return parameters, np.array(costs)
    '''),
    tests("test_train_with_your_optimizer", 3, r"""
    # A tiny problem: 12 points in 2-D, a 2 -> 3 -> 1 network.
    X = np.array([[0.5, -1.0, 1.5, 0.2, -0.3, 1.1, -1.4, 0.8, 0.0, -0.7, 1.3, -0.2],
                  [1.0, 0.4, -0.6, -1.2, 0.9, 0.3, -0.5, 1.4, -0.9, 0.1, -1.1, 0.6]])
    Y = (X[0:1] + X[1:2] > 0).astype(float)
    dims = [2, 3, 1]
    # One epoch of batch gradient descent (one mini-batch of all 12) is one ordinary step.
    p0 = H.initialize_parameters(dims, method="he", seed=4)
    AL, caches = H.L_model_forward(X, p0)
    expected = H.update_parameters_with_gd(p0, H.L_model_backward(AL, Y, caches), 0.5)
    parameters, costs = train_with_your_optimizer(X, Y, dims, "gd", learning_rate=0.5,
                                                  mini_batch_size=12, num_epochs=1, seed=4)
    T.assert_close("costs after one epoch of batch gradient descent", costs, [H.compute_cost(AL, Y)],
                   hint="record the cost of each mini-batch before its update")
    T.assert_dict_close("parameters after one epoch of batch gradient descent", parameters, expected)
    # Mini-batches of 5: three updates per epoch (5, 5, 2), so 4 epochs give 12 costs.
    _, costs = train_with_your_optimizer(X, Y, dims, "adam", learning_rate=0.01, mini_batch_size=5,
                                         num_epochs=4, seed=4)
    T.assert_equal("number of costs for 4 epochs of 3 mini-batches", len(costs), 12,
                   hint="one cost per mini-batch, every epoch")
    T.assert_true(bool(np.all(np.isfinite(costs))), "Adam gave a NaN or infinite cost: is t 1 on the first update?")
    # The schedule: a decay that stops training after epoch 2 must leave the network of a 2-epoch run.
    def stop_after_two(learning_rate0, epoch_num):
        return learning_rate0 if epoch_num <= 2 else 0.0
    for name in ("gd", "momentum", "rmsprop", "adam"):
        stopped, _ = train_with_your_optimizer(X, Y, dims, name, learning_rate=0.05, mini_batch_size=5,
                                               num_epochs=4, decay=stop_after_two, seed=4)
        two_epochs, _ = train_with_your_optimizer(X, Y, dims, name, learning_rate=0.05, mini_batch_size=5,
                                                  num_epochs=2, seed=4)
        T.assert_dict_close(f"{name}: 4 epochs whose rate is 0 after epoch 2, against 2 epochs", stopped,
                            two_epochs, hint="call decay(learning_rate, epoch) with epoch = 1, 2, ... "
                                             "(the initial rate, not the previous epoch's)")
    print("Visible tests passed.")
    ### BEGIN HIDDEN TESTS
    rng = np.random.default_rng(808)
    m = int(rng.integers(25, 40))
    X = rng.normal(size=(3, m))
    Y = (X[0:1] - X[2:3] + 0.3 * rng.normal(size=(1, m)) > 0).astype(float)
    dims = [3, int(rng.integers(2, 6)), 1]
    seed = int(rng.integers(100))
    rates = {"gd": 0.3, "momentum": 0.3, "rmsprop": 0.01, "adam": 0.01}
    # Independent loop: helpers.train with one full batch (no shuffling), the same seed and rate.
    def inverse_time(learning_rate0, epoch_num):
        return learning_rate0 / (1 + 0.5 * epoch_num)
    for name, lr in rates.items():
        for schedule in (None, inverse_time):
            parameters, costs = train_with_your_optimizer(X, Y, dims, name, learning_rate=lr, mini_batch_size=m,
                                                          num_epochs=5, decay=schedule, seed=seed)
            reference, history = H.train(X, Y, dims, optimizer=name, learning_rate=lr, num_epochs=5, decay=schedule,
                                         mini_batch_size=None, seed=seed, progress=False)
            where = f"{name}, full batch, 5 epochs, {'no decay' if schedule is None else 'decay 1/(1 + 0.5 epoch)'}"
            T.assert_close(f"the costs ({where}) against helpers.train", costs, history["cost"], rtol=1e-9)
            T.assert_dict_close(f"the parameters ({where}) against helpers.train", parameters, reference,
                                rtol=1e-9, atol=1e-12)
    # Mini-batches: the same run written out with the helpers references, t counting across epochs.
    size, epochs = int(rng.integers(6, 12)), 3
    for name, lr in rates.items():
        parameters, costs = train_with_your_optimizer(X, Y, dims, name, learning_rate=lr, mini_batch_size=size,
                                                      num_epochs=epochs, decay=inverse_time, seed=seed)
        p = H.initialize_parameters(dims, method="he", seed=seed)
        v, s = H.initialize_adam(p)
        t, expected_costs = 0, []
        for epoch in range(1, epochs + 1):
            alpha = inverse_time(lr, epoch)
            for X_b, Y_b in H.random_mini_batches(X, Y, size, seed=seed + epoch):
                AL, caches = H.L_model_forward(X_b, p)
                expected_costs.append(H.compute_cost(AL, Y_b))
                grads = H.L_model_backward(AL, Y_b, caches)
                t += 1
                p, state = H.optimizer_step(name, p, grads, {"v": v, "s": s}, t, alpha)
                v, s = state.get("v", v), state.get("s", s)
        where = f"{name}, m={m}, mini-batches of {size}, {epochs} epochs with decay"
        T.assert_close(f"the costs ({where})", costs, expected_costs, rtol=1e-9,
                       hint="shuffle epoch e with seed + e, one cost per mini-batch before its update")
        T.assert_dict_close(f"the parameters ({where})", parameters, p, rtol=1e-9, atol=1e-12,
                            hint="keep v, s and Adam's t across epochs: t counts updates from 1")
    T.assert_raises(ValueError, train_with_your_optimizer, X, Y, dims, "adagrad", num_epochs=1,
                    message='train_with_your_optimizer(..., optimizer="adagrad") should raise a ValueError')
    ### END HIDDEN TESTS
    """),
    md(r"""
    ### The race

    The same network (2 → 16 → 8 → 1, He initialization, the same seed) is trained on the
    moons for 150 epochs with mini-batches of 32, once per optimizer, by your loop; the last
    run is mini-batch gradient descent with your stepwise learning-rate decay. Left: the cost
    (bias-corrected EWMA of the mini-batch costs, computed with your `ewma`). Right: the
    decision boundaries after training.
    """),
    code(r"""
    if not GRADING:
        runs = {
            "gradient descent": dict(optimizer="gd", learning_rate=0.05),
            "momentum": dict(optimizer="momentum", learning_rate=0.05),
            "RMSprop": dict(optimizer="rmsprop", learning_rate=0.005),
            "Adam": dict(optimizer="adam", learning_rate=0.005),
            "GD + stepwise decay": dict(optimizer="gd", learning_rate=0.2,
                                        decay=functools.partial(schedule_lr_decay, decay_rate=1.0,
                                                                time_interval=30)),
        }
        trained = {}
        fig, ax = plt.subplots(figsize=(6, 3.5))
        for label, settings in runs.items():
            parameters, costs = train_with_your_optimizer(X_moons, Y_moons, LAYERS, mini_batch_size=32,
                                                          num_epochs=150, **settings)
            trained[label] = parameters
            accuracy = np.mean(H.predict(X_moons, parameters) == Y_moons)
            epochs = np.arange(1, len(costs) + 1) / (len(costs) / 150)
            ax.plot(epochs, ewma(costs, 0.95, bias_correction=True), label=f"{label} (accuracy {accuracy:.0%})")
        ax.set_xlabel("epoch")
        ax.set_ylabel("cost (smoothed)")
        ax.set_yscale("log")
        ax.legend(fontsize=8)
        plt.show()
    """),
    code(r"""
    if not GRADING:
        fig, axes = plt.subplots(1, len(trained), figsize=(14, 2.8))
        for ax, (label, parameters) in zip(axes, trained.items()):
            H.plot_decision_boundary(lambda X, p=parameters: H.predict(X, p), X_moons, Y_moons, ax=ax)
            ax.set_title(label, fontsize=9)
        plt.show()
    """),
    md(r"""
    What to read in these curves:

    - Gradient descent and momentum with the same $\alpha = 0.05$ crawl along together. With the
      $(1-\beta)$ form, momentum's average step equals gradient descent's; what it adds is the
      damping of zig-zags, which matters in narrow ravines (see the landscape explorer below)
      more than on this easy problem.
    - RMSprop and Adam rescale every weight's step by the size of its recent gradients, so they
      dive down within a few dozen epochs with a learning rate ten times smaller. Adam usually
      needs the least tuning, which is why it is the common default.
    - The stepwise decay lets gradient descent start with a large $\alpha = 0.2$ and take smaller
      steps later: much faster than the constant 0.05. (Run it with a constant 0.2 to compare:
      on this data the epoch costs of the last 30 epochs then jump about ten times more.)

    `helpers.train` is the same loop as `train_with_your_optimizer`, packaged with a progress
    bar, L2, dropout and decay; the reference Adam below should land where yours did.
    """),
    code(r"""
    if not GRADING:
        _, history = H.train(X_moons, Y_moons, LAYERS, optimizer="adam", learning_rate=0.005,
                             num_epochs=150, mini_batch_size=32, seed=1, progress=False)
        H.plot_costs(history["cost"], log_scale=True, title="helpers.train, Adam (cost per epoch)")
        plt.show()
    """),
    md(r"""
    ### Written answer 3 (2 points)

    Take two weights of one network: $w_a$, whose gradient stays around $10^{-4}$ (it connects
    to an input that is rarely non-zero), and $w_b$, whose gradient stays around 1.

    1. How far does each move per step under gradient descent with $\alpha = 0.05$, and under
       Adam with $\alpha = 0.005$ once its moments have settled (gradients of a steady sign)?
    2. What does that tell you about reusing a gradient-descent learning rate when you switch
       to Adam?
    3. The race above gave Adam $\alpha = 0.005$. Predict what its cost curve would look like
       with $\alpha = 0.05$, and say why it might still train well on the moons.
    """),
    written("adam_step_size", 2, r"""
    1. Gradient descent moves a weight by $\alpha\,|g|$: $0.05 \cdot 10^{-4} = 5\cdot 10^{-6}$
       for $w_a$ and $0.05$ for $w_b$, ten thousand times farther. Once Adam's averages have
       settled on a gradient of steady sign, $v^{corrected} \approx g$ and
       $s^{corrected} \approx g^2$, so its step is
       $\alpha\, g / (|g| + \varepsilon) \approx \pm\alpha = 0.005$ for **both** weights
       ($\varepsilon = 10^{-8}$ is negligible next to $10^{-4}$).
    2. Adam's step length is set by $\alpha$ alone, not by $\alpha$ times the gradient. A
       gradient-descent rate is tuned to the size of the gradients (on the race's network their
       median entry is about 0.07 at the start, so $\alpha = 0.05$ gives steps of about
       $3.5\cdot 10^{-3}$); the same $\alpha$ in Adam moves every weight, even those with tiny
       gradients, by about $0.05$, an order of magnitude farther. So a GD rate is no guide:
       start Adam from its usual range ($10^{-3}$ to $10^{-2}$) and tune from there.
    3. Steps about ten times larger: a faster drop at first, then a noisier curve that keeps
       jumping around the minimum instead of settling. Measured on the race's set-up
       (`helpers.train`, 150 epochs): with $\alpha = 0.05$ the epoch cost is already 0.067 at
       epoch 50 (0.091 with 0.005), but over the last 30 epochs it jumps by up to 0.027 from one
       epoch to the next (0.007 with 0.005). The moons are an easy, low-dimensional problem, so
       these jumps stay small next to the cost and the accuracy is the same (98 %); on a harder
       problem the same steps could make it oscillate or diverge, and learning-rate decay would
       be the fix.

    **Rubric (2 points).** 1 point: the step sizes of part 1 with the reason (GD scales with
    $|g|$, Adam's settled step is about $\alpha$ for every weight). 0.5 point: the consequence
    for switching (a GD rate gives Adam steps far too large; pick $\alpha$ afresh, smaller).
    0.5 point: a prediction for $\alpha = 0.05$ that follows from larger steps (faster start,
    noisier or oscillating cost near the minimum) with a sensible reason why an easy problem
    tolerates it. Full marks do not need the measured numbers.
    """),
    md(r"""
    ### Explore: the optimizer landscape

    The slides end with an optimizer playground: a cost surface $J(w_1, w_2)$, a starting
    point, and several optimizers racing downhill. The explorer below runs them live, and
    one of the racers is **your** `update_parameters_with_adam` (dashed: it should lie on top of
    the reference Adam). On the *elongated valley*, watch gradient descent and momentum swing
    across the valley while RMSprop and Adam head for the minimum; drag the start (or move the
    sliders) onto the *saddle* and see who escapes; raise gradient descent's rate until it
    diverges, while Adam's steps stay about $\alpha$ long; try the curved *Rosenbrock* valley
    with a little learning-rate decay.
    """),
    code(r"""
    # Interactive explorer (skipped while grading)
    if not GRADING:
        from helpers.widgets import optimizer_explorer
        display(optimizer_explorer(student_update=update_parameters_with_adam))
    """),
]

SUMMARY = [
    md(r"""
    ## What you learned

    - An **exponentially weighted average** $V_t = \beta V_{t-1} + (1-\beta)\theta_t$ averages
      about $1/(1-\beta)$ past values: a larger $\beta$ is smoother but lags. Starting from
      $V_0 = 0$ biases the first values towards zero; dividing by $1-\beta^t$ corrects that.
    - **Mini-batches** trade the exact but slow step of batch gradient descent for many cheap,
      noisy steps. Shuffle $X$ and $Y$ with one permutation, and keep the last, smaller batch.
    - **Momentum** steps along the EWMA of the gradients (zig-zags cancel); **RMSprop** divides
      by the root of the EWMA of the squared gradients (every coordinate moves at a similar
      pace); **Adam** does both, with bias correction, and its first step has size $\alpha$.
      Its step counter starts at 1, and a settled Adam step is about $\alpha$ long whatever
      the gradient's size, so its learning rate is not a gradient-descent one.
    - An update rule works parameter by parameter: it needs each gradient and moment shaped
      like its parameter, nothing about how the layers chain.
    - Your Adam matches `tf.keras.optimizers.Adam` to a small fraction of a step; the residue
      comes from where $\varepsilon$ is added and from Keras' float32 hyperparameters.
    - **Learning-rate decay** shrinks $\alpha$ over the epochs (counted from 1): inverse time,
      exponential, square root, or stepwise with $\lfloor \text{epoch}/\text{interval} \rfloor$,
      always computed from the initial rate $\alpha_0$.
    - A **training loop** keeps the optimizer's state and Adam's step counter $t$ across
      epochs: $t$ counts updates, not epochs.
    - On the same network and data, RMSprop and Adam reach a low cost in far fewer epochs than
      gradient descent at a comparable, untuned learning rate; decay lets gradient descent
      start fast and still settle.

    Next: regularization, to make the networks you can now train well also generalize.
    """),
]

CELLS = INTRO + EWMA + MINI_BATCHES + MOMENTUM + RMSPROP + ADAM + KERAS + DECAY + COMPARISON + SUMMARY

if __name__ == "__main__":
    print(write_notebook(NOTEBOOK, CELLS))
