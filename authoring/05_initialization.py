"""Builder of assignment 05_initialization: normalizing inputs, vanishing/exploding
signals and weight initialization (lesson section 07, task 05).

Run ``python authoring/05_initialization.py`` to write
``source/05_initialization/05_initialization.ipynb``.
"""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from nbcourse.authoring import answer, code, md, tests, write_notebook, written  # noqa: E402

NAME = "05_initialization"

cells = [
    md(r"""
    # Assignment 5: normalizing inputs, vanishing/exploding signals, initialization

    Before the first gradient step, two choices already decide whether training will be
    fast, slow or hopeless: the scale of the **inputs** and the scale of the **initial
    weights**. In this assignment you will

    1. **normalize inputs** with the training set's mean and variance, and see why it
       makes the cost surface round;
    2. watch a **deep linear network** make its output vanish ($W = 0.5I$) or explode
       ($W = 1.5I$) as it gets deeper;
    3. write the **zeros, large random, He and Xavier initializers**, see why zeros can
       never work, and train the four side by side.

    Fill in each function between the comments, run the test cell after it, and answer
    the written questions in two to five sentences. Hidden tests check your functions on
    other inputs when the notebook is graded.
    """),
    code("""
    import os

    import matplotlib.pyplot as plt
    import numpy as np

    import helpers as H
    from helpers import testing as T
    # Graded functions must be your own: called from inside a function you write, the
    # helpers reference of an exercise refuses to run (in the notebook and when graded).
    H.own_work("05_initialization")

    # True while nbgrader grades the notebook: the long demonstrations are skipped then.
    GRADING = bool(os.environ.get("NBGRADER_EXECUTION"))
    np.set_printoptions(precision=4, suppress=True)
    """),

    # ------------------------------------------------------------------ 1. normalizing
    md(r"""
    ## 1. Normalizing the inputs

    When one feature ranges over $[0, 1000]$ and another over $[0, 1]$, the weights that
    multiply them need very different sizes, and the cost $J(w_1, w_2)$ becomes a long,
    narrow valley. Gradient descent then zig-zags across the valley and needs a small
    learning rate. Normalizing makes every feature have mean 0 and variance 1:

    $$\mu = \frac{1}{m}\sum_{i=1}^{m} x^{(i)}, \qquad
      \sigma^2 = \frac{1}{m}\sum_{i=1}^{m} \big(x^{(i)} - \mu\big)^2, \qquad
      x := \frac{x - \mu}{\sigma}$$

    computed per feature (per row of `X`, over the $m$ columns).

    **Rule of thumb: compute $\mu$ and $\sigma$ on the training set only, and use those
    same numbers to normalize the dev and test sets.** The network learned its weights
    for inputs transformed in one particular way; every input it ever sees must go
    through the same transformation. (A test "set" of a single example has a standard
    deviation of 0 of its own: it could not be normalized at all.)
    """),
    code("""
    X_example = np.array([[1.0, 2.0, 3.0, 4.0],
                          [10.0, 20.0, 30.0, 40.0]])
    mu = X_example.mean(axis=1, keepdims=True)
    sigma = X_example.std(axis=1, keepdims=True)   # the 1/m variance of the formula
    print("mu =", mu.ravel(), " sigma =", sigma.ravel())
    print("normalized:\\n", (X_example - mu) / sigma)
    """),
    md(r"""
    ### Exercise 1: `normalize_inputs`

    Return the normalized training set, the test set normalized **with the training
    set's** $\mu$ and $\sigma$, and $\mu$, $\sigma$ themselves as column vectors of shape
    `(n, 1)`. Use the $\frac1m$ variance of the formula (`np.std`'s default).
    """),
    answer("normalize_inputs", '''
    def normalize_inputs(X_train, X_test):
        """Standardize both sets with the training set's statistics.

        mu = mean of X_train over the examples, sigma = its standard deviation (1/m),
        X_n = (X - mu) / sigma for X_train and for X_test.

        Arguments:
        X_train -- shape (n, m_train), one example per column
        X_test -- shape (n, m_test)

        Returns:
        X_train_n -- shape (n, m_train)
        X_test_n -- shape (n, m_test)
        mu, sigma -- shape (n, 1) each, computed on X_train only
        """
        ### BEGIN SOLUTION
        mu = np.mean(X_train, axis=1, keepdims=True)
        sigma = np.std(X_train, axis=1, keepdims=True)
        X_train_n = (X_train - mu) / sigma
        X_test_n = (X_test - mu) / sigma
        ### END SOLUTION
        return X_train_n, X_test_n, mu, sigma
    '''),
    tests("test_normalize_inputs", 2, '''
    X_train = np.array([[1.0, 2.0, 3.0, 4.0], [10.0, 20.0, 30.0, 40.0]])
    X_test = np.array([[5.0, 7.0], [50.0, 70.0]])
    X_train_n, X_test_n, mu, sigma = normalize_inputs(X_train, X_test)
    T.assert_shape("mu", mu, (2, 1))
    T.assert_shape("X_test_n", X_test_n, (2, 2))
    T.assert_close("mu", mu, np.array([[2.5], [25.0]]), hint="average over the examples (axis=1)")
    T.assert_close("sigma", sigma, np.sqrt([[1.25], [125.0]]), hint="use np.std with its default 1/m")
    # (5 - 2.5) / sqrt(1.25) and (7 - 2.5) / sqrt(1.25), the same for the second feature.
    T.assert_close("X_test_n", X_test_n, np.array([[2.2361, 4.0249], [2.2361, 4.0249]]), rtol=1e-4,
                   hint="normalize the test set with the TRAINING set's mu and sigma")
    print("Visible tests passed.")
    ### BEGIN HIDDEN TESTS
    rng = np.random.default_rng(41)
    n = 4
    X_train = rng.normal(loc=rng.uniform(-50, 50, (n, 1)), scale=rng.uniform(0.5, 20, (n, 1)), size=(n, 300))
    X_test = rng.normal(loc=7.0, scale=3.0, size=(n, 25))  # deliberately another distribution
    got = normalize_inputs(X_train, X_test)
    expected = H.normalize_inputs(X_train, X_test)
    for name, g, e in zip(("X_train_n", "X_test_n", "mu", "sigma"), got, expected):
        T.assert_close(name, g, e, hint="mu and sigma come from X_train and serve both sets")
    T.assert_close("the mean of each normalized training feature", got[0].mean(axis=1), np.zeros(n), atol=1e-9)
    T.assert_close("the variance of each normalized training feature", got[0].var(axis=1), np.ones(n))
    T.assert_close("X_test_n * sigma + mu (undoing the normalization)", got[1] * got[3] + got[2], X_test,
                   hint="the test set goes through exactly the training set's transformation")
    ### END HIDDEN TESTS
    '''),
    md(r"""
    ### Why it helps: the shape of the cost

    Take a linear model $\hat y = w_1 x_1 + w_2 x_2$ with a squared-error cost, once on
    raw features (the second feature about eight times the scale of the first) and once
    on normalized ones. The contour lines of $J(w_1, w_2)$ are long thin ellipses
    before and almost circles after: from any starting point the gradient now points
    at the minimum. The scatter plots show the data, with the test points
    (orange) mapped by the training set's $\mu$ and $\sigma$. (Skipped while grading.)
    """),
    code("""
    if not GRADING:
        rng = np.random.default_rng(0)
        X_raw = np.vstack([rng.normal(3.0, 1.0, 200), rng.normal(20.0, 8.0, 200)])
        X_raw_test = np.vstack([rng.normal(3.0, 1.0, 50), rng.normal(20.0, 8.0, 50)])
        y_raw = 1.5 * (X_raw[0] - 3.0) + 0.2 * (X_raw[1] - 20.0)
        X_norm, X_norm_test, mu_raw, sigma_raw = normalize_inputs(X_raw, X_raw_test)

        def cost_surface(X, y, w1, w2):
            # J(w) = 1/(2m) sum (w1 x1 + w2 x2 - y)^2 on a grid, the bias set to its best value
            residual = w1[..., None] * X[0] + w2[..., None] * X[1]
            residual = residual - residual.mean(axis=-1, keepdims=True) - (y - y.mean())
            return 0.5 * np.mean(residual ** 2, axis=-1)

        fig, axes = plt.subplots(1, 4, figsize=(14, 3.3))
        for (X, X_t, title), ax_data, ax_cost in (((X_raw, X_raw_test, "raw"), axes[0], axes[1]),
                                                  ((X_norm, X_norm_test, "normalized"), axes[2], axes[3])):
            ax_data.scatter(X[0], X[1], s=6, label="train")
            ax_data.scatter(X_t[0], X_t[1], s=6, label="test")
            ax_data.set_title(f"{title} inputs", fontsize=10)
            ax_data.set_aspect("equal", adjustable="datalim")
            ax_data.legend(fontsize=7)
            w_best = np.linalg.lstsq((X - X.mean(1, keepdims=True)).T, y_raw - y_raw.mean(), rcond=None)[0]
            span = 1.2 * np.abs(w_best).max()
            w1, w2 = np.meshgrid(np.linspace(w_best[0] - span, w_best[0] + span, 120),
                                 np.linspace(w_best[1] - span, w_best[1] + span, 120))
            ax_cost.contour(w1, w2, cost_surface(X, y_raw, w1, w2), levels=15)
            ax_cost.plot(*w_best, "r*")
            ax_cost.set_aspect("equal")
            ax_cost.set_title(f"cost contours, {title}", fontsize=10)
            ax_cost.set_xlabel("$w_1$")
            ax_cost.set_ylabel("$w_2$")
        plt.tight_layout()
        plt.show()
    """),
    md(r"""
    **Question.** A classmate normalizes the training set with its own $\mu$ and
    $\sigma$, and then the test set with the *test set's* own $\mu$ and $\sigma$. Why is
    that wrong? Give a concrete case where it changes the network's predictions.
    """),
    written("written_normalize_test", 1, r"""
    The weights were learned for inputs transformed by the training statistics; a test
    input must go through the same map $x \mapsto (x - \mu_{train})/\sigma_{train}$, or
    the network sees numbers in different coordinates than those it was trained in.
    With its own statistics the test set is forced to mean 0 and variance 1 whatever it
    contains: if the test images are all a little brighter than the training images, that
    shift is erased; a single test example cannot be normalized at all ($\sigma = 0$); and
    the same example gets a different normalized value, hence possibly a different
    prediction, depending on which other examples happen to be in the test batch.
    """),

    # ------------------------------------------------------------------ 2. deep linear network
    md(r"""
    ## 2. Vanishing and exploding signals

    The slides simplify a deep network as far as possible: every activation is the
    identity $g(z) = z$, every bias is 0, and every layer has the same weight matrix $W$.
    With examples as row vectors (the slides' $Z^{[1]} = xW^{[1]}$):

    $$a^{[1]} = xW, \quad a^{[2]} = xWW, \quad \dots, \quad \hat y = a^{[L]} = x\,W^{L}.$$

    With $W = \begin{bmatrix}0.5 & 0\\ 0 & 0.5\end{bmatrix}$ the output is $0.5^L\,x$:
    after 50 layers it is about $10^{-15}$ times the input (**vanishing**). With
    $W = 1.5I$ it is $1.5^L\,x$, about $6 \cdot 10^{8}$ times the input (**exploding**).
    The gradients travel back through the same $W$'s
    ($\partial \hat y / \partial x = (W^{L})^{T}$), so they vanish or explode in the same way,
    and learning in the first layers either stalls or blows up.

    ### Exercise 2: `deep_linear_forward`

    Apply the $L$ layers one after the other (a loop of `a = a @ W`) and return $\hat y$.
    """),
    answer("deep_linear_forward", '''
    def deep_linear_forward(x, W, L):
        """Output of L identity-activation layers sharing the weights W, without biases.

        a[0] = x, a[l] = a[l-1] W, so y_hat = a[L] = x W^L.

        Arguments:
        x -- input, shape (n,) or (m, n) (one example per row, as on the slides)
        W -- shape (n, n), the same in every layer
        L -- number of layers, >= 1

        Returns:
        y_hat -- the shape of x
        """
        ### BEGIN SOLUTION
        a = x
        for _ in range(L):
            a = a @ W
        ### END SOLUTION
        return a
    '''),
    tests("test_deep_linear_forward", 1, '''
    x = np.array([1.0, 1.0])
    T.assert_close("deep_linear_forward(x, 0.5 I, 3)", deep_linear_forward(x, 0.5 * np.eye(2), 3), np.array([0.125, 0.125]),
                   hint="three layers multiply x by 0.5 three times")
    T.assert_close("deep_linear_forward(x, 1.5 I, 2)", deep_linear_forward(x, 1.5 * np.eye(2), 2), np.array([2.25, 2.25]))
    print("Visible tests passed.")
    ### BEGIN HIDDEN TESTS
    rng = np.random.default_rng(13)
    for L in (1, 7):
        x = rng.standard_normal((5, 3))
        W = rng.standard_normal((3, 3)) / np.sqrt(3)
        got = deep_linear_forward(x, W, L)
        T.assert_close(f"deep_linear_forward with L={L}", got, H.deep_linear_forward(x, W, L),
                       hint="multiply by W once per layer, on the right (a @ W)")
        T.assert_close(f"deep_linear_forward with L={L} against x W^L", got, x @ np.linalg.matrix_power(W, L))
    ### END HIDDEN TESTS
    '''),
    code("""
    if not GRADING:
        depths = np.arange(1, 51)
        x = np.array([1.0, 1.0])
        fig, ax = plt.subplots(figsize=(6, 3.5))
        for scale in (0.5, 1.0, 1.5):
            norms = [np.linalg.norm(deep_linear_forward(x, scale * np.eye(2), L)) for L in depths]
            ax.semilogy(depths, norms, label=f"W = {scale} I")
        ax.set_xlabel("number of layers L")
        ax.set_ylabel("||y_hat|| (log scale)")
        ax.set_title("a deep linear network: vanishing and exploding outputs", fontsize=10)
        ax.legend()
        plt.show()
    """),
    md(r"""
    Only $W = I$ keeps the signal's size, and only because this toy network has no
    non-linearity. A real network needs weights whose scale keeps each layer's
    **variance** steady. That is what the initializers below are designed for.
    """),

    # ------------------------------------------------------------------ 3. initialization
    md(r"""
    ## 3. Initializing the weights

    Two rules of thumb keep the signal alive through many layers:

    1. the **mean** of the activations should be zero;
    2. the **variance** of the activations should stay the same in every layer.

    A unit computes $z = w_1x_1 + \dots + w_nx_n$. With independent, zero-mean inputs
    and weights, $\operatorname{Var}(z) = n \operatorname{Var}(w)\operatorname{Var}(x)$, so
    keeping $\operatorname{Var}(z) = \operatorname{Var}(x)$ asks for
    $\operatorname{Var}(w) = 1/n$, with $n = n^{[l-1]}$ the number of inputs of the layer
    ("fan-in"). ReLU zeroes half of its inputs, halving the variance, so for ReLU layers
    the variance is doubled: $2/n^{[l-1]}$. We draw
    `W[l] = np.random.randn(n[l], n[l-1]) * factor` with

    | activation | ReLU | tanh |
    | --- | --- | --- |
    | factor | $\sqrt{\dfrac{2}{n^{[l-1]}}}$ | $\sqrt{\dfrac{1}{n^{[l-1]}}}$ or $\sqrt{\dfrac{2}{n^{[l-1]} + n^{[l]}}}$ |
    | named after | He et al. | Xavier Glorot and Yoshua Bengio |

    (The slides write the matrix as $(n^{[l-1]}, n^{[l]})$ in their row-vector convention;
    our `W[l]` has shape `(n[l], n[l-1])`. Either way the factor uses the layer's
    **inputs** $n^{[l-1]}$.) The biases can start at 0: the random weights already make
    the units different.

    All four initializers below follow the same recipe, so that your results can be
    compared with the reference number for number: `rng = np.random.default_rng(seed)`,
    then for $l = 1, \dots, L$ in order, `W{l} = rng.standard_normal((n[l], n[l-1])) * factor`
    and `b{l} = np.zeros((n[l], 1))`.
    """),
    md(r"""
    ### Exercise 3: `initialize_parameters_zeros`

    Every weight and every bias 0. (You will see in a moment why this cannot work.)
    """),
    answer("initialize_parameters_zeros", '''
    def initialize_parameters_zeros(layer_dims):
        """W[l] = 0 of shape (n[l], n[l-1]) and b[l] = 0 of shape (n[l], 1).

        Arguments:
        layer_dims -- [n[0], n[1], ..., n[L]]

        Returns:
        parameters -- dict {"W1", "b1", ..., "WL", "bL"}
        """
        ### BEGIN SOLUTION
        parameters = {}
        for l in range(1, len(layer_dims)):
            parameters[f"W{l}"] = np.zeros((layer_dims[l], layer_dims[l - 1]))
            parameters[f"b{l}"] = np.zeros((layer_dims[l], 1))
        ### END SOLUTION
        return parameters
    '''),
    tests("test_initialize_parameters_zeros", 1, '''
    parameters = initialize_parameters_zeros([3, 2, 1])
    T.assert_dict_close("initialize_parameters_zeros([3, 2, 1])", parameters,
                        {"W1": np.zeros((2, 3)), "b1": np.zeros((2, 1)), "W2": np.zeros((1, 2)), "b2": np.zeros((1, 1))},
                        hint="W[l] has shape (n[l], n[l-1]) and b[l] has shape (n[l], 1)")
    print("Visible tests passed.")
    ### BEGIN HIDDEN TESTS
    layer_dims = T.random_layer_dims(seed=3, n_layers=(4, 4))
    T.assert_dict_close(f"initialize_parameters_zeros({layer_dims})", initialize_parameters_zeros(layer_dims),
                        H.initialize_parameters_zeros(layer_dims))
    ### END HIDDEN TESTS
    '''),
    md(r"""
    ### Symmetry: why zeros fail

    If all the weights of a layer start equal, all its units compute the same value,
    receive the same gradient and get the same update: they stay identical forever, and
    a layer of 10 units is no better than one unit. With all zeros it is worse still:
    with ReLU, $A^{[1]} = 0$, so no gradient reaches the hidden weights at all.

    The cell below trains a `[2, 4, 1]` network for 500 steps from two symmetric starts:
    all zeros and all weights $0.5$. Look at the rows of `W1` afterwards, one row per
    hidden unit.
    """),
    code("""
    def train_from(parameters, X, Y, learning_rate=0.1, num_epochs=500):
        \"\"\"Plain gradient descent from the given initial parameters; returns (parameters, costs).\"\"\"
        costs = []
        for _ in range(num_epochs):
            AL, caches = H.L_model_forward(X, parameters)
            costs.append(H.compute_cost(AL, Y))
            parameters = H.update_parameters(parameters, H.L_model_backward(AL, Y, caches), learning_rate)
        return parameters, costs

    if not GRADING:
        X_sym, Y_sym = H.load_planar("moons", m=100, noise=0.2, seed=0)
        zeros_start = initialize_parameters_zeros([2, 4, 1])
        constant_start = {key: np.full_like(value, 0.5) if key.startswith("W") else value
                          for key, value in zeros_start.items()}
        for title, start in (("zeros", zeros_start), ("all weights 0.5", constant_start)):
            trained, costs = train_from(start, X_sym, Y_sym)
            print(f"start from {title}: cost {costs[0]:.4f} -> {costs[-1]:.4f}; W1 after training:\\n{trained['W1']}")
    """),
    md(r"""
    **Question.** The biases may start at zero, but the weights may not. Explain why,
    using what you saw above.
    """),
    written("written_symmetry", 1, r"""
    Units of a layer that start with the same incoming weights compute the same
    activation for every example, receive the same gradient (their outgoing weights are
    equal too) and therefore get the same update: gradient descent can never make them
    differ, so the layer acts like a single unit (the rows of `W1` stayed equal when
    started at 0.5). With all zeros and ReLU it is even worse: the hidden activations are
    0, so `dW1` and `dW2` are 0 and only the output bias learns; the cost stays near
    $\log 2 \approx 0.693$. Random weights break the symmetry; once they differ, the
    units are already distinguishable, so equal (zero) biases do no harm.
    """),
    md(r"""
    ### Exercise 4: `initialize_parameters_random`

    Weights drawn from a standard normal and multiplied by `scale`; biases 0. The default
    `scale=10` is deliberately too large: this is the *exploding* case of section 2.
    Follow the recipe above (one `rng`, the layers in order).
    """),
    answer("initialize_parameters_random", '''
    def initialize_parameters_random(layer_dims, scale=10, seed=None):
        """W[l] = randn(n[l], n[l-1]) * scale, b[l] = 0.

        Arguments:
        layer_dims -- [n[0], n[1], ..., n[L]]
        scale -- standard deviation of the weights
        seed -- seed of np.random.default_rng

        Returns:
        parameters -- dict {"W1", "b1", ..., "WL", "bL"}
        """
        ### BEGIN SOLUTION
        rng = np.random.default_rng(seed)
        parameters = {}
        for l in range(1, len(layer_dims)):
            parameters[f"W{l}"] = rng.standard_normal((layer_dims[l], layer_dims[l - 1])) * scale
            parameters[f"b{l}"] = np.zeros((layer_dims[l], 1))
        ### END SOLUTION
        return parameters
    '''),
    tests("test_initialize_parameters_random", 1, '''
    parameters = initialize_parameters_random([3, 2, 1], seed=0)
    rng = np.random.default_rng(0)
    W1 = rng.standard_normal((2, 3)) * 10
    W2 = rng.standard_normal((1, 2)) * 10
    T.assert_dict_close("initialize_parameters_random([3, 2, 1], seed=0)", parameters,
                        {"W1": W1, "b1": np.zeros((2, 1)), "W2": W2, "b2": np.zeros((1, 1))},
                        hint="one rng = np.random.default_rng(seed); W{l} = rng.standard_normal((n[l], n[l-1])) * scale, layer by layer")
    print("Visible tests passed.")
    ### BEGIN HIDDEN TESTS
    for seed, scale in ((5, 10), (6, 0.3)):
        layer_dims = T.random_layer_dims(seed=seed, n_layers=(3, 4))
        got = initialize_parameters_random(layer_dims, scale=scale, seed=seed)
        T.assert_dict_close(f"initialize_parameters_random({layer_dims}, scale={scale})", got,
                            H.initialize_parameters_random(layer_dims, scale=scale, seed=seed))
    big = initialize_parameters_random([300, 400, 1], scale=3.0, seed=9)["W1"]
    T.assert_close("the standard deviation of W1 with scale=3", float(np.std(big)), 3.0, rtol=0.02,
                   hint="multiply the standard normal draws by scale")
    ### END HIDDEN TESTS
    '''),
    md(r"""
    ### Exercise 5: `initialize_parameters_he`

    He initialization, for ReLU layers: `factor = np.sqrt(2 / n[l-1])`, the number of
    units of the **previous** layer (the inputs of layer $l$).
    """),
    answer("initialize_parameters_he", '''
    def initialize_parameters_he(layer_dims, seed=None):
        """He initialization: W[l] = randn(n[l], n[l-1]) * sqrt(2 / n[l-1]), b[l] = 0.

        Arguments:
        layer_dims -- [n[0], n[1], ..., n[L]]
        seed -- seed of np.random.default_rng

        Returns:
        parameters -- dict {"W1", "b1", ..., "WL", "bL"}
        """
        ### BEGIN SOLUTION
        rng = np.random.default_rng(seed)
        parameters = {}
        for l in range(1, len(layer_dims)):
            factor = np.sqrt(2 / layer_dims[l - 1])
            parameters[f"W{l}"] = rng.standard_normal((layer_dims[l], layer_dims[l - 1])) * factor
            parameters[f"b{l}"] = np.zeros((layer_dims[l], 1))
        ### END SOLUTION
        return parameters
    '''),
    tests("test_initialize_parameters_he", 3, '''
    parameters = initialize_parameters_he([3, 2, 1], seed=0)
    rng = np.random.default_rng(0)
    W1 = rng.standard_normal((2, 3)) * np.sqrt(2 / 3)
    W2 = rng.standard_normal((1, 2)) * np.sqrt(2 / 2)
    T.assert_dict_close("initialize_parameters_he([3, 2, 1], seed=0)", parameters,
                        {"W1": W1, "b1": np.zeros((2, 1)), "W2": W2, "b2": np.zeros((1, 1))},
                        hint="factor sqrt(2 / n[l-1]): 2 over the number of INPUTS of the layer; biases 0")
    print("Visible tests passed.")
    ### BEGIN HIDDEN TESTS
    for seed in (4, 8):
        layer_dims = T.random_layer_dims(seed=seed, n_layers=(3, 4), sizes=(2, 9))
        T.assert_dict_close(f"initialize_parameters_he({layer_dims})", initialize_parameters_he(layer_dims, seed=seed),
                            H.initialize_parameters_he(layer_dims, seed=seed))
    # Independent facts on large layers whose sizes differ a lot (800 inputs, 40 units).
    parameters = initialize_parameters_he([800, 40, 1], seed=2)
    T.assert_close("the standard deviation of W1 for n[0] = 800", float(np.std(parameters["W1"])),
                   np.sqrt(2 / 800), rtol=0.03, hint="He uses sqrt(2 / n[l-1]), with n[l-1] the layer's inputs")
    T.assert_close("the standard deviation of W2 for n[1] = 40", float(np.std(parameters["W2"])),
                   np.sqrt(2 / 40), rtol=0.25)
    T.assert_close("b1", parameters["b1"], np.zeros((40, 1)), hint="start the biases at zero")
    # The point of He: the activations of a deep ReLU network keep their size.
    X = np.random.default_rng(3).standard_normal((100, 500))
    deep = initialize_parameters_he([100] * 11 + [1], seed=3)
    stats = H.activation_statistics(X, deep, "relu")
    second_moment = stats["A_variance"][:-1] + stats["A_mean"][:-1] ** 2
    T.assert_true(bool(np.all((second_moment > 0.3) & (second_moment < 3.0))),
                  f"with your He weights the mean square of the ReLU activations drifts across 10 layers: "
                  f"{np.round(second_moment, 3).tolist()} (He keeps it near 1)")
    ### END HIDDEN TESTS
    '''),
    md(r"""
    ### Exercise 6: `initialize_parameters_xavier`

    Xavier initialization, for tanh layers: `factor = np.sqrt(1 / n[l-1])`.
    """),
    answer("initialize_parameters_xavier", '''
    def initialize_parameters_xavier(layer_dims, seed=None):
        """Xavier initialization: W[l] = randn(n[l], n[l-1]) * sqrt(1 / n[l-1]), b[l] = 0.

        Arguments:
        layer_dims -- [n[0], n[1], ..., n[L]]
        seed -- seed of np.random.default_rng

        Returns:
        parameters -- dict {"W1", "b1", ..., "WL", "bL"}
        """
        ### BEGIN SOLUTION
        rng = np.random.default_rng(seed)
        parameters = {}
        for l in range(1, len(layer_dims)):
            factor = np.sqrt(1 / layer_dims[l - 1])
            parameters[f"W{l}"] = rng.standard_normal((layer_dims[l], layer_dims[l - 1])) * factor
            parameters[f"b{l}"] = np.zeros((layer_dims[l], 1))
        ### END SOLUTION
        return parameters
    '''),
    tests("test_initialize_parameters_xavier", 2, '''
    parameters = initialize_parameters_xavier([4, 2, 1], seed=1)
    rng = np.random.default_rng(1)
    W1 = rng.standard_normal((2, 4)) * np.sqrt(1 / 4)
    W2 = rng.standard_normal((1, 2)) * np.sqrt(1 / 2)
    T.assert_dict_close("initialize_parameters_xavier([4, 2, 1], seed=1)", parameters,
                        {"W1": W1, "b1": np.zeros((2, 1)), "W2": W2, "b2": np.zeros((1, 1))},
                        hint="factor sqrt(1 / n[l-1]); biases 0")
    print("Visible tests passed.")
    ### BEGIN HIDDEN TESTS
    layer_dims = T.random_layer_dims(seed=12, n_layers=(4, 4), sizes=(3, 9))
    T.assert_dict_close(f"initialize_parameters_xavier({layer_dims})", initialize_parameters_xavier(layer_dims, seed=12),
                        H.initialize_parameters_xavier(layer_dims, seed=12))
    W1 = initialize_parameters_xavier([600, 30, 1], seed=5)["W1"]
    T.assert_close("the standard deviation of W1 for n[0] = 600", float(np.std(W1)), np.sqrt(1 / 600), rtol=0.03,
                   hint="Xavier uses sqrt(1 / n[l-1])")
    ### END HIDDEN TESTS
    '''),
    md(r"""
    ### Activations layer by layer

    Ten hidden layers of 100 units, one forward and one backward pass on random inputs,
    for four initializations. The plot shows the mean square of each layer's activations
    (log scale; `H.activation_statistics` gives the per-layer mean and variance). Small
    random weights ($0.01$) make the signal vanish geometrically, standard normal weights
    make it explode, He keeps ReLU layers level, and Xavier keeps tanh layers nearly level
    (the variance drifts down slowly, as tanh squashes its input a little).
    (Skipped while grading.)
    """),
    code("""
    if not GRADING:
        X_deep = np.random.default_rng(0).standard_normal((100, 300))
        dims = [100] * 11 + [1]
        runs = {"random, scale 0.01 (ReLU)": (initialize_parameters_random(dims, scale=0.01, seed=1), "relu"),
                "random, scale 1 (ReLU)": (initialize_parameters_random(dims, scale=1.0, seed=1), "relu"),
                "He (ReLU)": (initialize_parameters_he(dims, seed=1), "relu"),
                "Xavier (tanh)": (initialize_parameters_xavier(dims, seed=1), "tanh")}
        fig, ax = plt.subplots(figsize=(6.5, 3.8))
        for label, (params, activation) in runs.items():
            with np.errstate(all="ignore"):
                stats = H.activation_statistics(X_deep, params, activation)
            mean_square = stats["A_variance"][:-1] + stats["A_mean"][:-1] ** 2
            ax.semilogy(stats["layer"][:-1], mean_square, marker="o", label=label)
        ax.set_xlabel("hidden layer")
        ax.set_ylabel("mean of A[l]^2 (log scale)")
        ax.legend(fontsize=8)
        plt.show()
    """),
    md(r"""
    ### The four initializations trained side by side

    The same `[2, 10, 5, 1]` ReLU network, trained with plain gradient descent on the
    *circles* data set from each of your four initializations, 1,000 steps each. Zeros
    never leaves $\log 2 \approx 0.693$. Large random weights start with a huge cost: the
    output sigmoid saturates at 0 or 1, and a confidently wrong prediction costs up to
    $-\log 10^{-12} \approx 28$; the network then settles in a poor solution. He and
    Xavier start at a cost near $\log 2$ and learn the circle. Change the seed to see
    how much the large random start depends on luck. (Skipped while grading.)
    """),
    code("""
    if not GRADING:
        X_circles, Y_circles = H.load_planar("circles", m=300, noise=0.1, seed=1)
        dims = [X_circles.shape[0], 10, 5, 1]
        starts = {"zeros": initialize_parameters_zeros(dims),
                  "random, scale 10": initialize_parameters_random(dims, seed=1),
                  "He": initialize_parameters_he(dims, seed=1),
                  "Xavier": initialize_parameters_xavier(dims, seed=1)}
        fig, axes = plt.subplots(1, 5, figsize=(16, 3.2))
        for ax, (label, start) in zip(axes[1:], starts.items()):
            with np.errstate(all="ignore"):
                trained, costs = train_from(start, X_circles, Y_circles, learning_rate=0.05, num_epochs=1000)
            accuracy = np.mean(H.predict(X_circles, trained) == Y_circles)
            axes[0].semilogy(costs, label=label)
            H.plot_decision_boundary(lambda X: H.predict(X, trained), X_circles, Y_circles, ax=ax)
            ax.set_title(f"{label}: {accuracy:.0%} train", fontsize=10)
        axes[0].set_xlabel("epoch")
        axes[0].set_ylabel("cost")
        axes[0].legend(fontsize=7)
        plt.tight_layout()
        plt.show()
    """),
    md(r"""
    ### Explore initialization

    The explorer builds a deep network and shows, for the initialization, activation,
    depth and width you pick, a histogram of each layer's activations and the size of
    each layer's gradient after one backward pass. Things to try:

    - **ReLU**, 10 hidden layers: *small random* (the histograms collapse onto 0, the
      gradients vanish), *large random* (they explode), *He* (steady).
    - **tanh** with *large random*: the activations pile up at $\pm 1$, where tanh is
      flat, so the gradients vanish although the weights are large. Then *Xavier*.
    - *zeros* with any activation: every unit of a layer is identical.
    """),
    code("""
    # Interactive explorer (skipped while grading)
    if not GRADING:
        from helpers.widgets import initialization_explorer
        display(initialization_explorer(student_initializer=initialize_parameters_he))   # menu: "yours"
    """),
    md(r"""
    **Question.** Your network uses tanh in its hidden layers. Which initialization from
    the table would you pick, and what would go wrong with He's factor or with a scale of
    10? What changes if you switch the hidden layers to ReLU?
    """),
    written("written_choose_init", 1, r"""
    For tanh, Xavier ($\sqrt{1/n^{[l-1]}}$, or Glorot's $\sqrt{2/(n^{[l-1]}+n^{[l]})}$):
    tanh has slope 1 around 0 and is symmetric, so variance $1/n$ keeps the variance of
    $z$ level from layer to layer. He's factor doubles the variance, which for tanh makes
    $z$ grow layer by layer until the units saturate near $\pm 1$ where the derivative is
    almost 0 (vanishing gradients); a scale of 10 saturates every unit from the first
    layer on. With ReLU, half of the units output 0, which halves the variance at every
    layer, so He's $\sqrt{2/n^{[l-1]}}$ is the right choice and Xavier would let the
    activations shrink by about half per layer.
    """),

    # ------------------------------------------------------------------ summary
    md(r"""
    ## What you learned

    - **Normalize inputs** per feature with $\mu$ and $\sigma$ of the **training** set,
      and apply the same $\mu$, $\sigma$ to dev and test data. Round cost contours let
      gradient descent take larger, straighter steps.
    - In a deep network, a signal is multiplied by the weights once per layer: in the
      linear toy network $\hat y = xW^L$, so $W = 0.5I$ vanishes like $0.5^L$ and
      $W = 1.5I$ explodes like $1.5^L$, and so do the gradients.
    - **Zeros** never break the symmetry between units; **large random** weights
      explode or saturate; **He** ($\sqrt{2/n^{[l-1]}}$, ReLU) and **Xavier**
      ($\sqrt{1/n^{[l-1]}}$, tanh) keep each layer's variance steady. The factor always
      counts the layer's *inputs* $n^{[l-1]}$; biases start at zero.
    """),
]

if __name__ == "__main__":
    path = write_notebook(ROOT / "source" / NAME / f"{NAME}.ipynb", cells)
    print(f"wrote {path}")
