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

    1. **normalize inputs** with the training set's mean and standard deviation, see why
       it makes the cost surface round, and handle the features that never vary;
    2. watch a **deep linear network** make its output vanish ($W = 0.5I$) or explode
       ($W = 1.5I$) as it gets deeper;
    3. **measure the argument behind He initialization** on one ReLU layer;
    4. write **one initializer for every method** (zeros, random, He, Xavier, Glorot), see
       why zeros can never work, and train them side by side;
    5. **measure each layer's gradient** after one backward pass, so that vanishing and
       exploding gradients become numbers you can read.

    Fill in each function between the comments, run the test cell after it (it prints
    "... passed." when your function gives the expected values), and answer the written
    questions in three to six sentences, with numbers where the question asks for them.
    Hidden tests check your functions on other inputs when the notebook is graded.
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
    ### Features that never vary

    The formula divides by $\sigma$, and some features have $\sigma = 0$: in the digits
    data (8×8 images), a few border pixels are blank in *every* training image. For such
    a feature $x - \mu = 0$ and $\sigma = 0$, so the naive formula computes $0/0$ = NaN,
    and a single NaN input turns every activation, the cost and every gradient into NaN:
    training stops dead without an error message. The cell below counts them (skipped
    while grading).

    The convention of this course (and of scikit-learn's `StandardScaler`): **where
    $\sigma = 0$, use $\sigma = 1$**. The feature is then only centred: it is 0 for every
    training example, carries no information, and gets no weight in the way. Adding a
    small $\varepsilon$ to $\sigma$ instead avoids the NaN but not the damage: a test
    image with a little ink on that "always blank" pixel, say $x = 0.5$, becomes
    $0.5/10^{-8} = 5 \cdot 10^{7}$.
    """),
    code("""
    if not GRADING:
        X_digits, _, X_digits_test, _ = H.load_digits_binary(positive=8)
        sigma_digits = X_digits.std(axis=1, keepdims=True)
        print("pixels that are blank in every training image:", np.flatnonzero(sigma_digits == 0))
        with np.errstate(invalid="ignore", divide="ignore"):
            naive = (X_digits - X_digits.mean(axis=1, keepdims=True)) / sigma_digits
        print("NaN entries after the naive formula:", int(np.isnan(naive).sum()), "of", naive.size)
    """),
    md(r"""
    ### Exercise 1: `normalize_inputs`

    Return the normalized training set, the test set normalized **with the training
    set's** $\mu$ and $\sigma$, and $\mu$, $\sigma$ themselves as column vectors of shape
    `(n, 1)`. Use the $\frac1m$ variance of the formula (`np.std`'s default), and report
    $\sigma = 1$ for a feature whose training values are all equal (`np.where` helps).
    A test set whose number of features (rows) differs from the training set's cannot go
    through the same transformation: raise a `ValueError` that says so and gives both
    numbers of features, rather than let
    NumPy broadcasting fail later with a message about shapes, or not fail at all (a
    single-feature test set would broadcast silently).
    """),
    answer("normalize_inputs", '''
    def normalize_inputs(X_train, X_test):
        """Standardize both sets with the training set's statistics.

        mu = mean of X_train over the examples, sigma = its standard deviation (1/m),
        replaced by 1 where it is 0 (a constant feature is only centred);
        X_n = (X - mu) / sigma for X_train and for X_test.

        Arguments:
        X_train -- shape (n, m_train), one example per column
        X_test -- shape (n, m_test)

        Returns:
        X_train_n -- shape (n, m_train)
        X_test_n -- shape (n, m_test)
        mu, sigma -- shape (n, 1) each, computed on X_train only
        Raises ValueError when X_test has another number of features (rows) than X_train.
        """
        ### BEGIN SOLUTION
        if X_test.shape[0] != X_train.shape[0]:
            raise ValueError(f"X_test has {X_test.shape[0]} features but X_train has {X_train.shape[0]}")
        mu = np.mean(X_train, axis=1, keepdims=True)
        sigma = np.std(X_train, axis=1, keepdims=True)
        sigma = np.where(sigma > 0, sigma, 1.0)
        X_train_n = (X_train - mu) / sigma
        X_test_n = (X_test - mu) / sigma
        ### END SOLUTION
        return X_train_n, X_test_n, mu, sigma
    '''),
    tests("test_normalize_inputs", 2, '''
    X_train = np.array([[1.0, 2.0, 3.0, 4.0], [10.0, 20.0, 30.0, 40.0], [3.0, 3.0, 3.0, 3.0]])
    X_test = np.array([[5.0, 7.0], [50.0, 70.0], [3.0, 5.0]])
    X_train_n, X_test_n, mu, sigma = normalize_inputs(X_train, X_test)
    T.assert_shape("mu", mu, (3, 1))
    T.assert_shape("X_test_n", X_test_n, (3, 2))
    T.assert_close("mu", mu, np.array([[2.5], [25.0], [3.0]]), hint="average over the examples (axis=1)")
    T.assert_close("sigma", sigma, np.array([[np.sqrt(1.25)], [np.sqrt(125.0)], [1.0]]),
                   hint="np.std with its default 1/m; sigma = 1 for the constant third feature")
    # (5 - 2.5) / sqrt(1.25) and (7 - 2.5) / sqrt(1.25), the same for the second feature;
    # the constant third feature is only centred: 3 - 3 and 5 - 3.
    T.assert_close("X_test_n", X_test_n, np.array([[2.2361, 4.0249], [2.2361, 4.0249], [0.0, 2.0]]), rtol=1e-4,
                   hint="normalize the test set with the TRAINING set's mu and sigma")
    print("Visible tests passed.")
    ### BEGIN HIDDEN TESTS
    rng = np.random.default_rng(41)
    n = 5
    X_train = rng.normal(loc=rng.uniform(-50, 50, (n, 1)), scale=rng.uniform(0.5, 20, (n, 1)), size=(n, 300))
    X_train[3] = -4.5                                      # a constant feature
    X_test = rng.normal(loc=7.0, scale=3.0, size=(n, 25))  # deliberately another distribution
    got = normalize_inputs(X_train, X_test)
    expected = H.normalize_inputs(X_train, X_test)
    for name, g, e in zip(("X_train_n", "X_test_n", "mu", "sigma"), got, expected):
        T.assert_close(name, g, e, hint="mu and sigma come from X_train and serve both sets; sigma = 1 where it is 0")
    varying = [0, 1, 2, 4]
    T.assert_close("the mean of each normalized training feature", got[0].mean(axis=1), np.zeros(n), atol=1e-9)
    T.assert_close("the variance of each varying normalized training feature", got[0][varying].var(axis=1),
                   np.ones(len(varying)))
    T.assert_close("the constant feature of the test set, only centred", got[1][3], X_test[3] + 4.5,
                   hint="where sigma = 0 use sigma = 1")
    T.assert_close("X_test_n * sigma + mu (undoing the normalization)", got[1] * got[3] + got[2], X_test,
                   hint="the test set goes through exactly the training set's transformation")
    # The real case: the digits, whose blank border pixels are constant in the training set.
    X_digits, _, X_digits_test, _ = H.load_digits_binary(positive=8)
    got = normalize_inputs(X_digits, X_digits_test)
    T.assert_true(bool(np.all(np.isfinite(got[0])) and np.all(np.isfinite(got[1]))),
                  "normalize_inputs on the digits gives NaN or inf: some pixels are blank in every training image")
    for name, g, e in zip(("digits X_train_n", "digits X_test_n"), got[:2], H.normalize_inputs(X_digits, X_digits_test)[:2]):
        T.assert_close(name, g, e)
    error = T.assert_raises(ValueError, normalize_inputs, X_train, X_test[:1],
                            message="normalize_inputs should raise a ValueError when X_test has 1 feature and X_train has 5")
    numbers = "".join(ch if ch.isdigit() else " " for ch in str(error)).split()
    T.assert_true("1" in numbers and "5" in numbers,
                  f"the ValueError's message should give both numbers of features (1 and 5), not {str(error)!r}")
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
    **Question.** In the digits training set, pixel 56 (bottom row) is 0 in every
    image but one, where it is $1/16 = 0.0625$; its $\sigma$ is about $0.0016$. What
    value does that pixel get after normalization in a test image where it is $0.2$
    (a faint stroke)? What does such an input do to the first layer's $z$ in a network
    trained on the normalized data, and what would you do about it? (Check your number
    with the `mu` and `sigma` that your `normalize_inputs` returns for `X_digits`.)
    """),
    written("written_normalize_test", 2, r"""
    **Model answer.** On the training set the pixel is almost always equal to its mean
    $\mu \approx 0.00004$, so $\sigma$ is tiny, and a test value of $0.2$ becomes about
    $(0.2 - 0.00004)/0.0016 \approx 120$, while every training feature has variance 1
    (even the one training image with ink there gets 38; the largest normalized test
    value in this notebook's split, another near-blank pixel, is about 92). The first
    layer computes $z = \sum_i w_i x_i$: one input about 100 times larger than usual
    adds $120\,w_i$ to every unit's $z$, and since $w_i$ was barely trained (that pixel
    was non-zero in one training image) this is a large, essentially random push that can
    flip the prediction or saturate sigmoid/tanh units. Remedies: treat near-constant
    features like constant ones (a floor on $\sigma$, e.g. $\sigma := \max(\sigma, 0.1)$,
    or drop them); or, for images, scale all pixels by the same number (divide by the
    maximum, 16 or 255) instead of standardizing each pixel on its own; or clip
    normalized inputs to the range seen in training.

    **Rubric (2 points).** 1 point: the number (about 120; the order of magnitude is
    enough) with the reason ($\sigma$ tiny, fixed by the training set). 1 point: its
    effect on $z$ (a huge input times an untrained weight) and one sensible remedy.
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

    # ------------------------------------------------------------------ 3. the He argument
    md(r"""
    ## 3. How large should the initial weights be?

    Two rules of thumb keep the signal alive through many layers:

    1. the **mean** of the weights and of the pre-activations should be zero;
    2. the **size** of the pre-activations $z$ should stay the same in every layer.

    **The variance rule.** A unit computes $z = w_1x_1 + \dots + w_nx_n$. If the weights
    are independent of the inputs and of each other, with mean 0, then
    $E[z] = 0$ and

    $$\operatorname{Var}(z) = n\,\operatorname{Var}(w)\,E[x^2].$$

    Note $E[x^2]$, the **second moment** of the inputs, not their variance: the two are
    equal only for zero-mean inputs, such as normalized data. The inputs of a hidden layer
    are ReLU outputs, all $\ge 0$ with a positive mean, and there the difference matters.

    **What ReLU does to it.** If $z$ is symmetric around 0 (as it is when the weights have
    mean 0), $a = \max(0, z)$ keeps the positive half of $z$ and zeroes the rest, so

    $$E[a^2] = \tfrac12 E[z^2] = \tfrac12 \operatorname{Var}(z).$$

    ReLU halves the **second moment**, not the variance: $a$ has a positive mean, and for
    a Gaussian $z$, $\operatorname{Var}(a) = \big(\tfrac12 - \tfrac{1}{2\pi}\big)\operatorname{Var}(z)
    \approx 0.34\operatorname{Var}(z)$. Chaining the two facts from layer $l-1$ to layer $l$:

    $$\operatorname{Var}(z^{[l]}) = n^{[l-1]}\operatorname{Var}(w^{[l]})\,E\big[(a^{[l-1]})^2\big]
      = \tfrac12\, n^{[l-1]}\operatorname{Var}(w^{[l]})\operatorname{Var}(z^{[l-1]}),$$

    which stays level when $\operatorname{Var}(w^{[l]}) = 2/n^{[l-1]}$: **He initialization**.
    For tanh, which is close to $g(z) = z$ near 0 and symmetric, $E[a^2] \approx \operatorname{Var}(z)$,
    and the same chain asks for $\operatorname{Var}(w) = 1/n^{[l-1]}$: **Xavier initialization**.

    **Worked example.** `A_prev` $= \begin{bmatrix}1 & -1\\ 1 & 1\end{bmatrix}$ (two inputs, two
    examples), $W = \begin{bmatrix}1 & -1\\ -1 & 1\end{bmatrix}$. Then $E[x^2] = 1$,
    $\operatorname{Var}(w) = 1$ (the entries have mean 0), and the rule predicts
    $\operatorname{Var}(z) = 2 \cdot 1 \cdot 1 = 2$. Indeed
    $Z = W A_{prev} = \begin{bmatrix}0 & -2\\ 0 & 2\end{bmatrix}$: mean 0, variance
    $(0 + 4 + 0 + 4)/4 = 2$. $A = \max(0, Z)$ has one non-zero entry, 2: $E[a^2] = 4/4 = 1 =
    \operatorname{Var}(z)/2$, but $\operatorname{Var}(a) = 1 - 0.5^2 = 0.75$.

    ### Exercise 3: `relu_layer_moments`

    Measure these numbers for one ReLU layer without bias: compute $Z = W A_{prev}$ and
    $A = \max(0, Z)$, then return the rule's prediction
    $n^{[l-1]}\operatorname{Var}(w)\,E[x^2]$ (with `np.var(W)` and the mean of `A_prev**2`
    over all its entries), and the measured $\operatorname{Var}(z)$, $E[a^2]$ and
    $\operatorname{Var}(a)$, each over all entries of its matrix.
    """),
    answer("relu_layer_moments", '''
    def relu_layer_moments(A_prev, W):
        """The variance rule and ReLU's halving, measured on one layer without bias.

        Z = W A_prev, A = max(0, Z);
        rule: Var(z) = n[l-1] * Var(w) * E[x^2]   (x: the entries of A_prev)
        ReLU: E[a^2] = Var(z) / 2 for z symmetric around 0.

        Arguments:
        A_prev -- inputs of the layer, shape (n[l-1], m)
        W -- weights, shape (n[l], n[l-1])

        Returns:
        var_z_rule -- n[l-1] * np.var(W) * mean of A_prev**2 (a float)
        var_z -- variance of all entries of Z
        mean_square_a -- mean of all entries of A**2
        var_a -- variance of all entries of A
        """
        ### BEGIN SOLUTION
        n_prev = A_prev.shape[0]
        Z = W @ A_prev
        A = np.maximum(0, Z)
        var_z_rule = n_prev * np.var(W) * np.mean(A_prev ** 2)
        var_z = np.var(Z)
        mean_square_a = np.mean(A ** 2)
        var_a = np.var(A)
        ### END SOLUTION
        return var_z_rule, var_z, mean_square_a, var_a
    '''),
    tests("test_relu_layer_moments", 2, '''
    # The worked example above.
    got = relu_layer_moments(np.array([[1.0, -1.0], [1.0, 1.0]]), np.array([[1.0, -1.0], [-1.0, 1.0]]))
    for name, value, expected in zip(("var_z_rule", "var_z", "mean_square_a", "var_a"), got, (2.0, 2.0, 1.0, 0.75)):
        T.assert_close(f"{name} on the worked example", float(value), expected,
                       hint="each statistic over ALL entries of its matrix; the rule uses E[x^2], the mean of A_prev**2")
    # A wide Gaussian layer: ReLU halves the second moment, and takes a third of the variance away.
    rng = np.random.default_rng(0)
    var_z_rule, var_z, mean_square_a, var_a = relu_layer_moments(rng.standard_normal((500, 400)),
                                                                 rng.standard_normal((300, 500)) * np.sqrt(2 / 500))
    print(f"Var(z): rule {var_z_rule:.3f}, measured {var_z:.3f};  E[a^2] / Var(z) = {mean_square_a / var_z:.3f};"
          f"  Var(a) / Var(z) = {var_a / var_z:.3f} (1/2 - 1/(2 pi) = {0.5 - 0.5 / np.pi:.3f})")
    T.assert_close("E[a^2] / Var(z) for a wide Gaussian layer", mean_square_a / var_z, 0.5, rtol=0.05)
    print("Visible tests passed.")
    ### BEGIN HIDDEN TESTS
    rng = np.random.default_rng(77)
    # ReLU-like inputs (all >= 0, mean > 0): E[x^2] and Var(x) differ by a factor of about 3.
    A_prev = np.maximum(rng.standard_normal((400, 600)), 0) + 0.3
    W = rng.standard_normal((250, 400)) * np.sqrt(2 / 400)
    got = relu_layer_moments(A_prev, W)
    A_ref, ((_, _, _), Z_ref) = H.linear_activation_forward(A_prev, W, np.zeros((250, 1)), "relu")
    expected = (400 * np.var(W) * np.mean(A_prev ** 2), np.var(Z_ref), np.mean(A_ref ** 2), np.var(A_ref))
    for name, value, e in zip(("var_z_rule", "var_z", "mean_square_a", "var_a"), got, expected):
        T.assert_close(f"{name} on a random 400-input layer", float(value), e,
                       hint="the rule multiplies n[l-1], np.var(W) and the MEAN SQUARE of A_prev (not its variance)")
    # The independent facts the statistics must show on this layer.
    T.assert_close("the rule's Var(z) against the measured one", float(got[0]), float(got[1]), rtol=0.06)
    T.assert_close("E[a^2] / Var(z)", float(got[2] / got[1]), 0.5, rtol=0.06)
    T.assert_close("Var(a) / Var(z)", float(got[3] / got[1]), 0.5 - 0.5 / np.pi, rtol=0.06)
    ### END HIDDEN TESTS
    '''),
    md(r"""
    ### The slides' recipe, and a trap in it

    In code the weights are drawn as `np.random.randn(n[l], n[l-1]) * factor`: a standard
    normal (mean 0, variance 1) times `factor`, so $\operatorname{Var}(w) = \text{factor}^2$.

    | activation | ReLU | tanh |
    | --- | --- | --- |
    | factor | $\sqrt{\dfrac{2}{n^{[l-1]}}}$ | $\sqrt{\dfrac{1}{n^{[l-1]}}}$ or $\sqrt{\dfrac{2}{n^{[l-1]} + n^{[l]}}}$ |
    | named after | He et al. | Xavier Glorot and Yoshua Bengio ("Xavier", "Glorot") |

    **The slide writes `np.random.rand(shape) * np.sqrt(2/n)`. That is a different
    distribution:** `rand` draws uniformly from $[0, 1)$, with mean $0.5$ and variance
    $1/12$. Every weight is then positive, rule 1 is broken, and the derivation above does
    not apply: with positive inputs every $z$ is a sum of $n$ positive terms, about
    $n \cdot 0.5 \cdot \text{factor} \cdot E[x]$, and the activations grow by a large
    factor per layer (the plot after Exercise 4 shows it). Use `randn` (in NumPy's newer
    interface, `rng.standard_normal`), as the formulas assume.

    (The slides also write the matrix as $(n^{[l-1]}, n^{[l]})$ in their row-vector
    convention; our `W[l]` has shape `(n[l], n[l-1])`. Either way the factor counts the
    layer's **inputs** $n^{[l-1]}$.) The biases can start at 0: the random weights
    already make the units different.

    ### Exercise 4: `initialize_parameters`

    One initializer for every method: `W[l] = rng.standard_normal((n[l], n[l-1])) * factor`
    and `b[l] = np.zeros((n[l], 1))`, with

    | `method` | `"zeros"` | `"random"` | `"he"` | `"xavier"` | `"glorot"` |
    | --- | --- | --- | --- | --- | --- |
    | factor | $0$ | `scale` | $\sqrt{2/n^{[l-1]}}$ | $\sqrt{1/n^{[l-1]}}$ | $\sqrt{2/(n^{[l-1]}+n^{[l]})}$ |

    So that your results can be compared number for number with the reference, create
    one `rng = np.random.default_rng(seed)` and draw the layers in order $l = 1, \dots, L$.
    An unknown `method` raises a `ValueError` that names it (a typo such as `"HE"` must
    not silently give some other initialization).

    Worked example: `initialize_parameters([3, 2, 1], "he", seed=0)` has
    `W1 = rng.standard_normal((2, 3)) * np.sqrt(2 / 3)` and then
    `W2 = rng.standard_normal((1, 2)) * np.sqrt(2 / 2)` from the same `rng`.
    """),
    answer("initialize_parameters", '''
    def initialize_parameters(layer_dims, method="he", seed=None, scale=0.01):
        """Weights and biases of an L-layer network: W[l] = randn(n[l], n[l-1]) * factor, b[l] = 0.

        factor: "zeros" 0, "random" scale, "he" sqrt(2 / n[l-1]), "xavier" sqrt(1 / n[l-1]),
        "glorot" sqrt(2 / (n[l-1] + n[l])).

        Arguments:
        layer_dims -- [n[0], n[1], ..., n[L]]
        method -- one of "zeros", "random", "he", "xavier", "glorot" (anything else: ValueError)
        seed -- seed of np.random.default_rng; the layers are drawn in order from one rng
        scale -- standard deviation of the weights for method "random"

        Returns:
        parameters -- dict {"W1": (n[1], n[0]), "b1": (n[1], 1), ..., "WL", "bL"}
        """
        ### BEGIN SOLUTION
        rng = np.random.default_rng(seed)
        parameters = {}
        for l in range(1, len(layer_dims)):
            n_prev, n = layer_dims[l - 1], layer_dims[l]
            if method == "zeros":
                factor = 0.0
            elif method == "random":
                factor = scale
            elif method == "he":
                factor = np.sqrt(2 / n_prev)
            elif method == "xavier":
                factor = np.sqrt(1 / n_prev)
            elif method == "glorot":
                factor = np.sqrt(2 / (n_prev + n))
            else:
                raise ValueError(f"unknown initialization method {method!r}")
            parameters[f"W{l}"] = rng.standard_normal((n, n_prev)) * factor
            parameters[f"b{l}"] = np.zeros((n, 1))
        ### END SOLUTION
        return parameters
    '''),
    tests("test_initialize_parameters", 5, '''
    rng = np.random.default_rng(0)
    W1 = rng.standard_normal((2, 3)) * np.sqrt(2 / 3)
    W2 = rng.standard_normal((1, 2)) * np.sqrt(2 / 2)
    biases = {"b1": np.zeros((2, 1)), "b2": np.zeros((1, 1))}
    T.assert_dict_close('initialize_parameters([3, 2, 1], "he", seed=0)', initialize_parameters([3, 2, 1], "he", seed=0),
                        {"W1": W1, "W2": W2, **biases},
                        hint="one rng = np.random.default_rng(seed); factor sqrt(2 / n[l-1]), the layer's INPUTS; biases 0")
    T.assert_dict_close('initialize_parameters([3, 2, 1], "zeros")', initialize_parameters([3, 2, 1], "zeros"),
                        {"W1": np.zeros((2, 3)), "W2": np.zeros((1, 2)), **biases},
                        hint="W[l] has shape (n[l], n[l-1]) and b[l] has shape (n[l], 1)")
    rng = np.random.default_rng(5)
    W1 = rng.standard_normal((2, 3)) * 10
    W2 = rng.standard_normal((1, 2)) * 10
    T.assert_dict_close('initialize_parameters([3, 2, 1], "random", seed=5, scale=10)',
                        initialize_parameters([3, 2, 1], "random", seed=5, scale=10), {"W1": W1, "W2": W2, **biases},
                        hint='"random" multiplies the standard normal draws by scale')
    print("Visible tests passed.")
    ### BEGIN HIDDEN TESTS
    for seed, method, scale in ((3, "zeros", 0.01), (5, "random", 10.0), (6, "random", 0.3)):
        layer_dims = T.random_layer_dims(seed=seed, n_layers=(3, 4))
        T.assert_dict_close(f"initialize_parameters({layer_dims}, {method!r}, seed={seed}, scale={scale})",
                            initialize_parameters(layer_dims, method, seed=seed, scale=scale),
                            H.initialize_parameters(layer_dims, method, seed=seed, scale=scale))
    big = initialize_parameters([300, 400, 1], "random", seed=9, scale=3.0)["W1"]
    T.assert_close('the standard deviation of W1 with "random" and scale=3', float(np.std(big)), 3.0, rtol=0.02,
                   hint="multiply the standard normal draws by scale")
    T.assert_true(initialize_parameters([3, 4, 1], "zeros")["W1"].shape == (4, 3) and
                  not np.any(initialize_parameters([3, 4, 1], "zeros")["W1"]),
                  'initialize_parameters([3, 4, 1], "zeros")["W1"] must be a (4, 3) array of zeros')
    T.assert_raises(ValueError, initialize_parameters, [3, 4, 1], "HE", seed=0,
                    message='initialize_parameters([3, 4, 1], "HE") should raise a ValueError naming the unknown method')
    for seed, method in ((4, "he"), (8, "he"), (12, "xavier"), (14, "glorot")):
        layer_dims = T.random_layer_dims(seed=seed, n_layers=(3, 4), sizes=(2, 9))
        T.assert_dict_close(f"initialize_parameters({layer_dims}, {method!r}, seed={seed})",
                            initialize_parameters(layer_dims, method, seed=seed),
                            H.initialize_parameters(layer_dims, method, seed=seed),
                            hint="He sqrt(2/n[l-1]), Xavier sqrt(1/n[l-1]), Glorot sqrt(2/(n[l-1] + n[l])); biases 0")
    # Independent facts on large layers whose sizes differ a lot (800 inputs, 40 units).
    for method, expected_1, expected_2 in (("he", np.sqrt(2 / 800), np.sqrt(2 / 40)),
                                           ("xavier", np.sqrt(1 / 800), np.sqrt(1 / 40)),
                                           ("glorot", np.sqrt(2 / 840), np.sqrt(2 / 41))):
        parameters = initialize_parameters([800, 40, 1], method, seed=2)
        T.assert_close(f"the standard deviation of W1 with {method!r} for 800 inputs and 40 units",
                       float(np.std(parameters["W1"])), expected_1, rtol=0.03,
                       hint="the factor counts the layer's inputs n[l-1] (and, for Glorot, its units n[l] too)")
        T.assert_close(f"the standard deviation of W2 with {method!r}", float(np.std(parameters["W2"])),
                       expected_2, rtol=0.25)
        T.assert_close(f"b1 with {method!r}", parameters["b1"], np.zeros((40, 1)), hint="start the biases at zero")
    # The point of He: the activations of a deep ReLU network keep their size.
    X = np.random.default_rng(3).standard_normal((100, 500))
    deep = initialize_parameters([100] * 11 + [1], "he", seed=3)
    stats = H.activation_statistics(X, deep, "relu")
    second_moment = stats["A_variance"][:-1] + stats["A_mean"][:-1] ** 2
    T.assert_true(bool(np.all((second_moment > 0.3) & (second_moment < 3.0))),
                  f"with your He weights the mean square of the ReLU activations drifts across 10 layers: "
                  f"{np.round(second_moment, 3).tolist()} (He keeps it near 1)")
    ### END HIDDEN TESTS
    '''),
    md(r"""
    ### Activations layer by layer

    Ten hidden layers of 100 units, one forward pass on random inputs, for your
    initializations and for the slide's `rand` (uniform) version of He. The plot shows the
    mean square $E[(a^{[l]})^2]$ of each layer's activations (log scale), the quantity the
    derivation keeps level. Small random weights ($0.01$) make the signal vanish
    geometrically, standard normal weights make it explode, He keeps ReLU layers level,
    Xavier keeps tanh layers nearly level (the mean square drifts down slowly, as tanh
    squashes its input a little), and the uniform weights explode although their factor
    is He's. (Skipped while grading.)
    """),
    code("""
    if not GRADING:
        X_deep = np.random.default_rng(0).standard_normal((100, 300))
        dims = [100] * 11 + [1]
        uniform_rng = np.random.default_rng(1)
        slide_uniform = {}
        for l in range(1, len(dims)):
            slide_uniform[f"W{l}"] = uniform_rng.random((dims[l], dims[l - 1])) * np.sqrt(2 / dims[l - 1])
            slide_uniform[f"b{l}"] = np.zeros((dims[l], 1))
        runs = {"random, scale 0.01 (ReLU)": (initialize_parameters(dims, "random", seed=1, scale=0.01), "relu"),
                "random, scale 1 (ReLU)": (initialize_parameters(dims, "random", seed=1, scale=1.0), "relu"),
                "He (ReLU)": (initialize_parameters(dims, "he", seed=1), "relu"),
                "Xavier (tanh)": (initialize_parameters(dims, "xavier", seed=1), "tanh"),
                "slide's rand * sqrt(2/n) (ReLU)": (slide_uniform, "relu")}
        fig, ax = plt.subplots(figsize=(6.5, 3.8))
        for label, (params, activation) in runs.items():
            with np.errstate(all="ignore"):
                stats = H.activation_statistics(X_deep, params, activation)
            mean_square = stats["A_variance"][:-1] + stats["A_mean"][:-1] ** 2
            ax.semilogy(stats["layer"][:-1], mean_square, marker="o", label=label)
        ax.set_xlabel("hidden layer")
        ax.set_ylabel("mean of A[l]^2 (log scale)")
        ax.legend(fontsize=7)
        plt.show()
    """),

    # ------------------------------------------------------------------ symmetry
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
    def train_from(parameters, X, Y, learning_rate=0.1, num_epochs=500, hidden_activation="relu"):
        \"\"\"Plain gradient descent from the given initial parameters; returns (parameters, costs).\"\"\"
        costs = []
        for _ in range(num_epochs):
            AL, caches = H.L_model_forward(X, parameters, hidden_activation=hidden_activation)
            costs.append(H.compute_cost(AL, Y))
            grads = H.L_model_backward(AL, Y, caches, hidden_activation=hidden_activation)
            parameters = H.update_parameters(parameters, grads, learning_rate)
        return parameters, costs

    if not GRADING:
        X_sym, Y_sym = H.load_planar("moons", m=100, noise=0.2, seed=0)
        zeros_start = initialize_parameters([2, 4, 1], "zeros")
        constant_start = {key: np.full_like(value, 0.5) if key.startswith("W") else value
                          for key, value in zeros_start.items()}
        for title, start in (("zeros", zeros_start), ("all weights 0.5", constant_start)):
            trained, costs = train_from(start, X_sym, Y_sym)
            print(f"start from {title}: cost {costs[0]:.4f} -> {costs[-1]:.4f}; W1 after training:\\n{trained['W1']}")
    """),
    md(r"""
    **Question.** Only some weights start at zero. Network A: `W1` from He, `W2 = 0`.
    Network B: `W1 = 0`, `W2` from He. Both have a ReLU hidden layer, biases 0, and are
    trained like the ones above. Predict for each whether it learns, by following the
    gradients through the first step or two. Then answer again for a **tanh** hidden
    layer. (You may check your predictions with `train_from(..., hidden_activation="tanh")`.)
    """),
    written("written_symmetry", 2, r"""
    **Model answer.** A learns (with ReLU and with tanh). At the first step
    $dW^{[2]} = \frac1m dZ^{[2]} A^{[1]T}$ is non-zero, because $A^{[1]}$ is non-zero and
    differs between units (their random incoming weights differ), while
    $dW^{[1]} = 0$ because $dA^{[1]} = W^{[2]T} dZ^{[2]} = 0$. After that step $W^{[2]}$
    has different non-zero entries, so the hidden units get different gradients and
    the symmetry is broken. B with ReLU never learns: $Z^{[1]} = 0$, so $A^{[1]} = 0$ and
    $dW^{[2]} = 0$; and $g'(0) = 0$ for ReLU (our convention at the kink), so $dZ^{[1]} = 0$
    and $dW^{[1]} = 0$: only $b^{[2]}$ moves and the cost stays at $\log 2 \approx 0.693$.
    B with tanh learns: $A^{[1]} = \tanh(0) = 0$ but $\tanh'(0) = 1$, so
    $dZ^{[1]} = W^{[2]T} dZ^{[2]}$ is non-zero and different for each unit (the entries of
    $W^{[2]}$ differ), which breaks the symmetry of $W^{[1]}$ (measured on the moons data:
    cost $0.693 \to 0.26$ after 1,000 steps for A with either activation and for B with
    tanh; B with ReLU stays at $0.693$). What breaks symmetry is that *some* layer's
    differences reach every unit through the gradients.

    **Rubric (2 points).** 1 point: A learns and B with ReLU does not, with the reason
    (zero activations and $g'(0) = 0$ block every path). 1 point: B with tanh learns
    because $\tanh'(0) = 1$ and $W^{[2]}$'s entries differ.
    """),

    # ------------------------------------------------------------------ gradient norms
    md(r"""
    ## 4. Measuring vanishing and exploding gradients

    The plot above follows the activations forward. Training depends on the gradients,
    so measure them too: after one forward and one backward pass, the size of layer $l$'s
    gradient is its Frobenius norm

    $$\big\| dW^{[l]} \big\|_F = \sqrt{\sum_{i,j} \big(dW^{[l]}_{ij}\big)^2},
      \qquad dW^{[l]} = \frac{1}{m}\, dZ^{[l]} A^{[l-1]T}.$$

    The formula for $dW^{[l]}$ shows what to expect: it multiplies a signal that came
    **forward** through $l-1$ layers ($A^{[l-1]}$) by one that came **backward** through
    $L-l$ layers ($dZ^{[l]}$). When every layer scales both by the same factor, the
    product has about the same size in every layer, and that size is tiny (small
    weights) or huge (large weights) for the whole network at once.

    **Worked example.** A network `[1, 1, 1]` with $W^{[1]} = 2$, $W^{[2]} = 3$, biases 0,
    ReLU then sigmoid, one example $x = 1$, $y = 0$: $z^{[1]} = a^{[1]} = 2$,
    $z^{[2]} = 6$, $a^{[2]} = \sigma(6) = 0.99753$. Backward: $dz^{[2]} = a^{[2]} - y = 0.99753$,
    $dW^{[2]} = dz^{[2]} a^{[1]} = 1.99505$; $dz^{[1]} = W^{[2]} dz^{[2]} \cdot 1 = 2.99258$,
    $dW^{[1]} = dz^{[1]} x = 2.99258$. The norms are $(2.99258, 1.99505)$.

    ### Exercise 5: `layer_gradient_norms`

    Run one forward pass (`H.L_model_forward`) and one backward pass (`H.L_model_backward`)
    with the given hidden activation (sigmoid output, cross-entropy cost), and return the
    array of $\|dW^{[l]}\|_F$ for $l = 1, \dots, L$ (`np.linalg.norm` of a matrix is its
    Frobenius norm).
    """),
    answer("layer_gradient_norms", '''
    def layer_gradient_norms(X, Y, parameters, hidden_activation="relu"):
        """The Frobenius norm of each layer's weight gradient after one backward pass.

        ||dW[l]||_F = sqrt(sum_ij dW[l]_ij^2), dW[l] = (1/m) dZ[l] A[l-1]^T, for the
        cross-entropy cost of a network with a sigmoid output.

        Arguments:
        X -- inputs, shape (n[0], m)
        Y -- labels, shape (1, m)
        parameters -- dict {"W1", "b1", ..., "WL", "bL"}
        hidden_activation -- "relu", "tanh", ... for layers 1 to L-1

        Returns:
        norms -- array of shape (L,), norms[l - 1] = ||dW[l]||_F
        """
        ### BEGIN SOLUTION
        AL, caches = H.L_model_forward(X, parameters, hidden_activation=hidden_activation)
        grads = H.L_model_backward(AL, Y, caches, hidden_activation=hidden_activation)
        L = len(parameters) // 2
        norms = np.zeros(L)
        for l in range(1, L + 1):
            norms[l - 1] = np.linalg.norm(grads[f"dW{l}"])
        ### END SOLUTION
        return norms
    '''),
    tests("test_layer_gradient_norms", 3, '''
    # The worked example above.
    tiny = {"W1": np.array([[2.0]]), "b1": np.zeros((1, 1)), "W2": np.array([[3.0]]), "b2": np.zeros((1, 1))}
    norms = layer_gradient_norms(np.array([[1.0]]), np.array([[0.0]]), tiny)
    T.assert_shape("layer_gradient_norms on the worked example", norms, (2,))
    T.assert_close("layer_gradient_norms on the worked example", norms, np.array([2.99258, 1.99505]), rtol=1e-5,
                   hint="norms[l - 1] is the norm of dW{l}, layer 1 first")
    print("Visible tests passed.")
    ### BEGIN HIDDEN TESTS
    rng = np.random.default_rng(21)
    X = rng.standard_normal((6, 40))
    Y = (rng.random((1, 40)) < 0.5).astype(float)
    # Against the reference's per-layer statistics: ||dW||^2 = size * (variance + mean^2).
    for activation, seed in (("relu", 1), ("tanh", 2)):
        parameters = H.initialize_parameters([6, 9, 8, 7, 1], "he", seed=seed)
        stats = H.activation_statistics(X, parameters, activation, Y=Y)
        sizes = np.array([parameters[f"W{l}"].size for l in range(1, 5)])
        expected = np.sqrt(sizes * (stats["dW_variance"] + stats["dW_mean"] ** 2))
        T.assert_close(f"layer_gradient_norms with {activation} hidden layers",
                       layer_gradient_norms(X, Y, parameters, activation), expected,
                       hint="pass hidden_activation on to the forward AND the backward pass; the norm of dW, not of W or dA")
    # An independent fact: the numerical gradient of the cost with respect to W1 and W2 (tanh is smooth).
    parameters = H.initialize_parameters([6, 5, 1], "xavier", seed=3)
    numeric = []
    for name in ("W1", "W2"):
        gradient = np.zeros_like(parameters[name])
        for index in np.ndindex(gradient.shape):
            costs = []
            for step in (1e-6, -1e-6):
                shifted = {key: value.copy() for key, value in parameters.items()}
                shifted[name][index] += step
                costs.append(H.compute_cost(H.L_model_forward(X, shifted, hidden_activation="tanh")[0], Y))
            gradient[index] = (costs[0] - costs[1]) / 2e-6
        numeric.append(np.linalg.norm(gradient))
    T.assert_close("layer_gradient_norms against the norms of numerical gradients",
                   layer_gradient_norms(X, Y, parameters, "tanh"), np.array(numeric), rtol=1e-5)
    ### END HIDDEN TESTS
    '''),
    md(r"""
    ### Vanishing and exploding, as numbers

    The same ten-layer network of 100 units as in the plot above, one backward pass on
    random labels. (Skipped while grading.)
    """),
    code("""
    if not GRADING:
        Y_deep = (np.random.default_rng(2).random((1, 300)) < 0.5).astype(float)
        gradient_runs = {"random 0.01, ReLU": (initialize_parameters(dims, "random", seed=1, scale=0.01), "relu"),
                         "random 1, ReLU": (initialize_parameters(dims, "random", seed=1, scale=1.0), "relu"),
                         "He, ReLU": (initialize_parameters(dims, "he", seed=1), "relu"),
                         "Xavier, tanh": (initialize_parameters(dims, "xavier", seed=1), "tanh"),
                         "random 1, tanh": (initialize_parameters(dims, "random", seed=1, scale=1.0), "tanh")}
        fig, ax = plt.subplots(figsize=(6.5, 3.8))
        for label, (params, activation) in gradient_runs.items():
            with np.errstate(all="ignore"):
                norms = layer_gradient_norms(X_deep, Y_deep, params, activation)
            print(f"{label:>18}: ||dW|| from layer 1 to 11: " + " ".join(f"{v:.1e}" for v in norms))
            ax.semilogy(np.arange(1, len(norms) + 1), norms, marker="o", label=label)
        ax.set_xlabel("layer l")
        ax.set_ylabel("||dW[l]|| (log scale)")
        ax.legend(fontsize=7)
        plt.show()
    """),
    md(r"""
    With weights of $0.01$, every layer's gradient is about $10^{-12}$ of He's: the
    forward signal has shrunk by the time it reaches the last layers, the backward signal
    by the time it reaches the first ones, and $dW^{[l]}$ multiplies the two, so no layer
    escapes. Standard normal weights make every gradient more than $10^{8}$ times He's.
    With tanh and standard normal weights the forward signal cannot explode (the units
    saturate at $\pm 1$), but the backward one still can: on its way back it is multiplied
    by $W^{[l]T}$, whose entries are ten times He's, and then by $\tanh'(z)$, which is
    close to 0 for most units but not for all. Here the product grows about 2.3 times per
    layer on average, and the first layer's gradient is about 4,000 times the last one's:
    saturation alone does not make gradients vanish. He (ReLU) and Xavier (tanh) keep all the norms
    of the same moderate size.
    """),
    md(r"""
    ### The initializations trained side by side

    The same `[2, 10, 5, 1]` ReLU network, trained with plain gradient descent on the
    *circles* data set from four initializations, 1,000 steps each. Zeros never leaves
    $\log 2 \approx 0.693$. Large random weights (scale 10) start with a huge cost: the
    output sigmoid saturates at 0 or 1, and a confidently wrong prediction costs up to
    $-\log 10^{-12} \approx 28$; the network then settles in a poor solution. He and
    Xavier start at a cost near $\log 2$ and learn the circle. Change the seed to see
    how much the large random start depends on luck. (Skipped while grading.)
    """),
    code("""
    if not GRADING:
        X_circles, Y_circles = H.load_planar("circles", m=300, noise=0.1, seed=1)
        dims_circles = [X_circles.shape[0], 10, 5, 1]
        starts = {"zeros": initialize_parameters(dims_circles, "zeros"),
                  "random, scale 10": initialize_parameters(dims_circles, "random", seed=1, scale=10),
                  "He": initialize_parameters(dims_circles, "he", seed=1),
                  "Xavier": initialize_parameters(dims_circles, "xavier", seed=1)}
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
    each layer's gradient after one backward pass. Its menu entry "yours" uses your
    `initialize_parameters` with `method="he"`. Things to try:

    - **ReLU**, 10 hidden layers: *small random* (the histograms collapse onto 0, the
      gradients vanish), *large random* (they explode), *He* (steady).
    - **tanh** with *large random*: the activations pile up at $\pm 1$, where tanh is
      flat. Do the gradient norms vanish, as the flat tails suggest, or grow towards the
      first layers, as section 4 measured? Then *Xavier*.
    - *zeros* with any activation: every unit of a layer is identical.
    """),
    code("""
    # Interactive explorer (skipped while grading)
    if not GRADING:
        from helpers.widgets import initialization_explorer

        def my_he_initializer(layer_dims, seed=None):
            return initialize_parameters(layer_dims, "he", seed=seed)

        display(initialization_explorer(student_initializer=my_he_initializer))   # menu: "yours"
    """),
    md(r"""
    **Question.** A classmate forgets to scale the digits: the pixels go in as the raw
    values $0, \dots, 16$ instead of $0, \dots, 1$, into a ten-layer ReLU network with He
    weights and zero biases. Use the variance rule to predict by what factor the mean
    square of every layer's activations changes, and what happens to the output
    pre-activation $z^{[L]}$ and to the predictions. Does He initialization compensate?
    What does this say about the division of labour between normalizing inputs and
    initializing weights?
    """),
    written("written_input_scale", 2, r"""
    **Model answer.** Multiplying the inputs by 16 multiplies $E[x^2]$ by 256, so by the
    rule $\operatorname{Var}(z^{[1]})$ is 256 times larger. He does not compensate: its
    factor depends only on $n^{[l-1]}$, and it keeps *whatever* second moment it is given
    level from layer to layer. In fact, with zero biases a ReLU network is exactly
    positively homogeneous ($\max(0, 16z) = 16\max(0, z)$), so every activation is
    exactly 16 times larger, every mean square 256 times (measured on the digits with
    `H.activation_statistics`: about $0.3 \to 75$ in every layer), and $z^{[L]}$ is 16 times
    larger (with one He draw its standard deviation went from 0.15 to 2.3, and 13 % of the
    predictions were already below 0.01 or above 0.99 before any training): predictions
    are pushed towards 0 and 1, a confident wrong one costs a lot, and the gradients are
    larger too, so a learning rate tuned for scaled inputs overshoots. Normalizing makes $E[x^2] \approx 1$ at the input; initialization keeps it
    there through the layers. Each needs the other.

    **Rubric (2 points).** 1 point: the factor (256 for the mean square, or 16 for the
    activations) derived from $E[x^2]$ in the rule. 1 point: He does not compensate
    (depends only on fan-in, preserves the input's scale), with the consequence for the
    output (predictions pushed towards 0 and 1, large gradients).
    """),

    # ------------------------------------------------------------------ summary
    md(r"""
    ## What you learned

    - **Normalize inputs** per feature with $\mu$ and $\sigma$ of the **training** set,
      and apply the same $\mu$, $\sigma$ to dev and test data; a feature that never varies
      has $\sigma = 0$ and is only centred. Round cost contours let gradient descent take
      larger, straighter steps.
    - In a deep network, a signal is multiplied by the weights once per layer: in the
      linear toy network $\hat y = xW^L$, so $W = 0.5I$ vanishes like $0.5^L$ and
      $W = 1.5I$ explodes like $1.5^L$, and so do the gradients.
    - $\operatorname{Var}(z) = n\operatorname{Var}(w)E[x^2]$, and ReLU halves the **second
      moment**: $E[a^2] = \operatorname{Var}(z)/2$. Hence **He** ($\sqrt{2/n^{[l-1]}}$, ReLU);
      **Xavier** ($\sqrt{1/n^{[l-1]}}$, tanh). Draw with `randn`, not the slide's uniform
      `rand`. Biases start at zero.
    - **Zeros** never break the symmetry between units; **large random** weights explode
      or saturate; **small random** ones make every layer's gradient vanish at once,
      as $\|dW^{[l]}\|$ shows.
    """),
]

if __name__ == "__main__":
    path = write_notebook(ROOT / "source" / NAME / f"{NAME}.ipynb", cells)
    print(f"wrote {path}")
