"""Builder of assignment 01_perceptron: the perceptron and TensorFlow basics.

Run ``python authoring/01_perceptron.py`` to write ``source/01_perceptron/01_perceptron.ipynb``.
Lesson sections 01 to 03 (the perceptron, building networks, cat vs non-cat) and
tasks 01 and 02 (TensorFlow 2 + Keras crash course, introduction to TF).
"""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from nbcourse.authoring import answer, code, md, tests, write_notebook, written  # noqa: E402

NAME = "01_perceptron"
OUT = ROOT / "source" / NAME / f"{NAME}.ipynb"

cells = [
    md(r"""
    # Assignment 01 — The perceptron and TensorFlow basics

    A deep network is many copies of one small unit, the **perceptron**, stacked in layers.
    In this assignment you build that unit by hand, then rebuild it with TensorFlow, and
    finally train one on real images.

    You will:

    1. meet **tensors** and `tf.math`, and let `tf.GradientTape` differentiate for you;
    2. write the common **activation functions** (leaky ReLU included) **and their derivatives** in
       NumPy and check them against TensorFlow;
    3. compute a perceptron's output by hand and draw its **decision line**;
    4. see numerically why a network **needs non-linearities**, and why one perceptron cannot
       compute XOR while two layers can;
    5. write a **Dense layer from scratch** as a Keras layer and compare it with `tf.keras.layers.Dense`;
    6. write the **binary cross-entropy** loss, by hand and with Keras;
    7. prepare real images (flatten, scale) and train a **logistic regression** (a one-neuron
       network) on handwritten digits, from scratch and with Keras's `compile`, `fit`, `evaluate`.

    Each exercise is a function with `# YOUR CODE HERE`. The cell after it runs a few quick
    checks; more (hidden) checks run when the assignment is graded, on other inputs, so make
    the function correct in general rather than for the example shown.
    """),
    code(r"""
    import os
    import time

    import matplotlib.pyplot as plt
    import numpy as np
    import tensorflow as tf

    from threadpoolctl import threadpool_limits

    import helpers as H
    from helpers import testing as T
    # Graded functions must be your own: called from inside a function you write, the
    # helpers reference of an exercise refuses to run (in the notebook and when graded).
    H.own_work("01_perceptron")

    # The networks here are small: one BLAS thread is faster than several competing for the CPU.
    threadpool_limits(limits=1, user_api="blas")

    # True while nbgrader grades the notebook: the long demonstrations are skipped then.
    GRADING = bool(os.environ.get("NBGRADER_EXECUTION"))
    np.set_printoptions(precision=4, suppress=True)
    print("TensorFlow", tf.__version__)
    """),

    # ------------------------------------------------------------------ tensors
    md(r"""
    ## 1. Tensors and `tf.math`

    A **tensor** is TensorFlow's array: it has a `shape` and a `dtype`, like a NumPy array,
    but TensorFlow can run it on a GPU and, more importantly for us, can **record** the
    operations applied to it and differentiate through them.

    `tf.constant` makes a tensor from a number or an array; `.numpy()` brings it back to NumPy.
    The functions of `tf.math` (`tf.math.sigmoid`, `tf.math.tanh`, `tf.math.exp`, ...) work
    element by element, exactly like their NumPy cousins.
    """),
    code(r"""
    x = tf.constant(2.0)                          # a rank-0 tensor (a scalar)
    M = tf.constant([[1.0, 2.0, 3.0],
                     [4.0, 5.0, 6.0]])            # a rank-2 tensor of shape (2, 3)
    print("x:", x.numpy(), "| shape", x.shape, "| dtype", x.dtype.name)
    print("M has shape", M.shape, "and dtype", M.dtype.name)
    print("sigmoid(2) =", tf.math.sigmoid(x).numpy())  # the slide's 0.8807971
    print("M^T M =\n", tf.matmul(M, M, transpose_a=True).numpy())
    print("column sums:", tf.math.reduce_sum(M, axis=0).numpy())
    """),
    md(r"""
    **Automatic differentiation.** Inside a `with tf.GradientTape() as tape:` block,
    TensorFlow records every operation on the tensors it *watches* (trainable variables are
    watched automatically; for a constant you call `tape.watch`). Afterwards
    `tape.gradient(output, input)` returns $\partial\,\text{output} / \partial\,\text{input}$.
    For an element-wise function such as the sigmoid, that is the derivative at every point.
    This is the recipe of the slides, on the points $-6, -5, \dots, 6$:
    """),
    code(r"""
    values = tf.range(-6, 7, 1, dtype=tf.float32)
    with tf.GradientTape() as tape:
        tape.watch(values)                      # a constant is not watched unless we ask
        sigmoid_values = tf.math.sigmoid(values)
    derivative_sigmoid = tape.gradient(sigmoid_values, values)
    print(derivative_sigmoid.numpy())           # largest at 0, where it equals 0.25
    """),

    # ------------------------------------------------------------------ activations
    md(r"""
    ## 2. Activation functions and their derivatives

    The perceptron passes its weighted sum $z$ through a non-linear **activation function**
    $g$. Training needs $g'(z)$ too (you will use it in backpropagation in assignment 02).
    The three classics and their derivatives:

    | name | $g(z)$ | $g'(z)$ |
    | --- | --- | --- |
    | sigmoid | $\sigma(z) = \dfrac{1}{1 + e^{-z}}$ | $\sigma(z)\,\bigl(1 - \sigma(z)\bigr)$ |
    | tanh | $\tanh(z) = \dfrac{e^{z} - e^{-z}}{e^{z} + e^{-z}}$ | $1 - \tanh(z)^2$ |
    | ReLU | $\max(0, z)$ | $1$ if $z > 0$, else $0$ |
    | leaky ReLU | $\max(\alpha z, z)$, small $\alpha > 0$ | $1$ if $z > 0$, else $\alpha$ |

    Two things to notice: the derivatives of sigmoid and tanh are written with **the function's
    own value**, $g(z)$, not with $z$; and ReLU has no derivative at exactly $z = 0$, so we
    (like TensorFlow) use $0$ there.

    All functions below take a number or a NumPy array of any shape and work element-wise,
    returning an array of the same shape.
    """),
    md(r"""
    ### Exercise 1 — `sigmoid`

    Implement $\sigma(z) = 1 / (1 + e^{-z})$ with `np.exp`. For a very negative $z$,
    $e^{-z}$ overflows to `inf` and $1/(1+\infty) = 0$ is still the right answer; the
    `np.errstate` line only silences NumPy's warning about it.
    """),
    answer("sigmoid", r'''
    def sigmoid(z):
        """Sigmoid, element-wise: sigma(z) = 1 / (1 + exp(-z)).

        z: a number or an array of any shape. Returns an array of the same shape, in (0, 1).
        """
        z = np.asarray(z, dtype=float)
        with np.errstate(over="ignore"):  # exp(1000) = inf gives 1 / inf = 0, as it should
            ### BEGIN SOLUTION
            return 1.0 / (1.0 + np.exp(-z))
            ### END SOLUTION
    '''),
    tests("test_sigmoid", 1, r'''
    T.assert_close("sigmoid(0)", sigmoid(0.0), 0.5)
    T.assert_close("sigmoid(2)", sigmoid(2.0), 0.8807970779778823)  # tf.math.sigmoid(2.0) on the slide
    T.assert_shape("sigmoid of a (2, 3) array", sigmoid(np.zeros((2, 3))), (2, 3))
    print("Visible tests passed.")
    ### BEGIN HIDDEN TESTS
    z = T.random_case.z((4, 7), seed=101)
    T.assert_close("sigmoid(z)", sigmoid(z), tf.math.sigmoid(tf.constant(z)).numpy(), rtol=1e-6)
    T.assert_close("sigmoid(z)", sigmoid(z), H.sigmoid(z))
    T.assert_close("sigmoid([-1000, 1000])", sigmoid(np.array([-1000.0, 1000.0])), np.array([0.0, 1.0]))
    ### END HIDDEN TESTS
    '''),
    md(r"""
    ### Exercise 2 — `sigmoid_derivative`

    Use your `sigmoid`: $\sigma'(z) = \sigma(z)\,(1 - \sigma(z))$. The test compares your
    function with what `tf.GradientTape` computes, so you can trust it afterwards.
    """),
    answer("sigmoid_derivative", r'''
    def sigmoid_derivative(z):
        """Derivative of the sigmoid: sigma'(z) = sigma(z) * (1 - sigma(z)).

        z: a number or an array of any shape. Returns an array of the same shape, in (0, 0.25].
        """
        ### BEGIN SOLUTION
        s = sigmoid(z)
        return s * (1 - s)
        ### END SOLUTION
    '''),
    tests("test_sigmoid_derivative", 2, r'''
    T.assert_close("sigmoid_derivative(0)", sigmoid_derivative(0.0), 0.25,
                   hint="sigma(0) = 0.5, so the derivative is 0.5 * (1 - 0.5)")
    # the slide's GradientTape values on -6, -5, ..., 6
    values = np.arange(-6.0, 7.0)
    with tf.GradientTape() as tape:
        tape_values = tf.constant(values)
        tape.watch(tape_values)
        sigmoid_of_values = tf.math.sigmoid(tape_values)
    T.assert_close("sigmoid_derivative(np.arange(-6, 7))", sigmoid_derivative(values),
                   tape.gradient(sigmoid_of_values, tape_values).numpy(),
                   hint="the derivative is written with sigmoid(z), not with z itself")
    print("Visible tests passed.")
    ### BEGIN HIDDEN TESTS
    z = T.random_case.z((3, 8), seed=202)
    with tf.GradientTape() as tape:
        z_tensor = tf.constant(z)
        tape.watch(z_tensor)
        s_tensor = tf.math.sigmoid(z_tensor)
    T.assert_close("sigmoid_derivative(z)", sigmoid_derivative(z), tape.gradient(s_tensor, z_tensor).numpy(),
                   hint="sigma'(z) = sigma(z) * (1 - sigma(z))")
    T.assert_close("sigmoid_derivative(z)", sigmoid_derivative(z), H.sigmoid_derivative(z))
    ### END HIDDEN TESTS
    '''),
    md(r"""
    ### Exercise 3 — `relu_derivative` and `tanh_derivative`

    ReLU's derivative is a step: $1$ where $z > 0$, $0$ elsewhere (including $z = 0$).
    A boolean array such as `z > 0` turns into 0s and 1s with `.astype(float)`.
    """),
    answer("relu_derivative", r'''
    def relu_derivative(z):
        """Derivative of ReLU: 1 where z > 0, 0 where z <= 0 (the course's convention at 0).

        z: a number or an array of any shape. Returns a float array of the same shape.
        """
        ### BEGIN SOLUTION
        return (np.asarray(z) > 0).astype(float)
        ### END SOLUTION
    '''),
    tests("test_relu_derivative", 1, r'''
    T.assert_close("relu_derivative([-2, 0, 3])", relu_derivative(np.array([-2.0, 0.0, 3.0])),
                   np.array([0.0, 0.0, 1.0]), hint="the slope of max(0, z) is 1 or 0, whatever the size of z")
    print("Visible tests passed.")
    ### BEGIN HIDDEN TESTS
    z = T.random_case.z((5, 6), seed=303)
    with tf.GradientTape() as tape:
        z_tensor = tf.constant(z)
        tape.watch(z_tensor)
        r_tensor = tf.nn.relu(z_tensor)
    T.assert_close("relu_derivative(z)", relu_derivative(z), tape.gradient(r_tensor, z_tensor).numpy(),
                   hint="return 1 where z > 0 and 0 elsewhere, not z itself")
    T.assert_close("relu_derivative(z)", relu_derivative(z), H.relu_derivative(z))
    ### END HIDDEN TESTS
    '''),
    answer("tanh_derivative", r'''
    def tanh_derivative(z):
        """Derivative of tanh: 1 - tanh(z)^2.

        z: a number or an array of any shape. Returns an array of the same shape, in (0, 1].
        """
        ### BEGIN SOLUTION
        t = np.tanh(z)
        return 1 - t ** 2
        ### END SOLUTION
    '''),
    tests("test_tanh_derivative", 1, r'''
    T.assert_close("tanh_derivative(0)", tanh_derivative(0.0), 1.0)
    print("Visible tests passed.")
    ### BEGIN HIDDEN TESTS
    z = T.random_case.z((4, 5), seed=404)
    with tf.GradientTape() as tape:
        z_tensor = tf.constant(z)
        tape.watch(z_tensor)
        t_tensor = tf.math.tanh(z_tensor)
    T.assert_close("tanh_derivative(z)", tanh_derivative(z), tape.gradient(t_tensor, z_tensor).numpy(),
                   hint="the derivative is 1 - tanh(z)**2, written with tanh(z), not z")
    T.assert_close("tanh_derivative(z)", tanh_derivative(z), H.tanh_derivative(z))
    ### END HIDDEN TESTS
    '''),
    md(r"""
    ### Exercise 4 — `leaky_relu` and `leaky_relu_derivative`

    A ReLU unit whose input stays negative for every example outputs 0 and has slope 0: no
    gradient flows through it, and it may never recover (a "dead" unit). **Leaky ReLU**
    keeps a small slope $\alpha$ (0.01 by default) on the negative side:

    $$g(z) = \begin{cases} z & z > 0 \\ \alpha z & z \le 0 \end{cases}
    \qquad
    g'(z) = \begin{cases} 1 & z > 0 \\ \alpha & z \le 0 \end{cases}$$

    At the kink $z = 0$ we use $\alpha$, as TensorFlow's `tf.nn.leaky_relu` does.
    **Worked example** with $\alpha = 0.1$: $z = (-2, 0, 3)$ gives $g(z) = (-0.2, 0, 3)$ and
    $g'(z) = (0.1, 0.1, 1)$. `np.where(condition, a, b)` picks `a` where the condition holds
    and `b` elsewhere.
    """),
    answer("leaky_relu", r'''
    def leaky_relu(z, alpha=0.01):
        """Leaky ReLU, element-wise: g(z) = z where z > 0, alpha * z where z <= 0.

        z: a number or an array of any shape; alpha: the slope for z <= 0.
        Returns a float array of the same shape.
        """
        ### BEGIN SOLUTION
        z = np.asarray(z, dtype=float)
        return np.where(z > 0, z, alpha * z)
        ### END SOLUTION
    '''),
    tests("test_leaky_relu", 1, r'''
    T.assert_close("leaky_relu([-2, 0, 3], alpha=0.1)", leaky_relu(np.array([-2.0, 0.0, 3.0]), alpha=0.1),
                   np.array([-0.2, 0.0, 3.0]), hint="z where z > 0, alpha * z elsewhere")
    T.assert_shape("leaky_relu of a (2, 3) array", leaky_relu(np.zeros((2, 3))), (2, 3))
    print("Visible tests passed.")
    ### BEGIN HIDDEN TESTS
    z = T.random_case.z((4, 6), seed=451)
    for alpha in (0.01, 0.2):
        T.assert_close(f"leaky_relu(z, alpha={alpha})", leaky_relu(z, alpha=alpha),
                       tf.nn.leaky_relu(tf.constant(z), alpha=alpha).numpy(), hint="use the alpha you are given")
        T.assert_close(f"leaky_relu(z, alpha={alpha})", leaky_relu(z, alpha=alpha), H.leaky_relu(z, alpha=alpha))
    T.assert_close("leaky_relu(z) with the default alpha", leaky_relu(z), H.leaky_relu(z, alpha=0.01))
    ### END HIDDEN TESTS
    '''),
    answer("leaky_relu_derivative", r'''
    def leaky_relu_derivative(z, alpha=0.01):
        """Derivative of leaky ReLU: 1 where z > 0, alpha where z <= 0 (alpha at the kink).

        z: a number or an array of any shape. Returns a float array of the same shape.
        """
        ### BEGIN SOLUTION
        z = np.asarray(z, dtype=float)
        return np.where(z > 0, 1.0, alpha)
        ### END SOLUTION
    '''),
    tests("test_leaky_relu_derivative", 1, r'''
    T.assert_close("leaky_relu_derivative([-2, 0, 3], alpha=0.1)", leaky_relu_derivative(np.array([-2.0, 0.0, 3.0]), alpha=0.1),
                   np.array([0.1, 0.1, 1.0]), hint="the slope is alpha on the negative side and at 0, not 0")
    print("Visible tests passed.")
    ### BEGIN HIDDEN TESTS
    z = T.random_case.z((4, 6), seed=452)
    for alpha in (0.01, 0.2):
        with tf.GradientTape() as tape:
            z_tensor = tf.constant(z)
            tape.watch(z_tensor)
            g_tensor = tf.nn.leaky_relu(z_tensor, alpha=alpha)
        T.assert_close(f"leaky_relu_derivative(z, alpha={alpha})", leaky_relu_derivative(z, alpha=alpha),
                       tape.gradient(g_tensor, z_tensor).numpy(), hint="1 where z > 0, alpha elsewhere (z = 0 too)")
        T.assert_close(f"leaky_relu_derivative(z, alpha={alpha})", leaky_relu_derivative(z, alpha=alpha),
                       H.leaky_relu_derivative(z, alpha=alpha))
    T.assert_shape("leaky_relu_derivative of a (2, 3) array", leaky_relu_derivative(np.zeros((2, 3))), (2, 3))
    T.assert_close("leaky_relu_derivative(z) with the default alpha", leaky_relu_derivative(z),
                   H.leaky_relu_derivative(z, alpha=0.01))
    ### END HIDDEN TESTS
    '''),
    md(r"""
    Here are the four activations and your derivatives, next to the derivatives TensorFlow
    computes. The dots (TensorFlow) should sit on your lines. Note how flat sigmoid and tanh
    become for $|z| > 4$: a neuron there barely learns (the **vanishing gradient**), which is
    one reason ReLU is popular in hidden layers; leaky ReLU's slope never reaches 0
    ($\alpha = 0.1$ here so that the slope is visible).
    """),
    code(r"""
    if not GRADING:
        z_plot = np.linspace(-6, 6, 241)
        z_dots = tf.constant(np.linspace(-6, 6, 25))
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(z_dots)
            tf_outputs = {"sigmoid": tf.math.sigmoid(z_dots), "tanh": tf.math.tanh(z_dots), "ReLU": tf.nn.relu(z_dots),
                          "leaky ReLU (alpha = 0.1)": tf.nn.leaky_relu(z_dots, alpha=0.1)}
        yours = {"sigmoid": (sigmoid, sigmoid_derivative), "tanh": (np.tanh, tanh_derivative),
                 "ReLU": (lambda z: np.maximum(0, z), relu_derivative),
                 "leaky ReLU (alpha = 0.1)": (lambda z: leaky_relu(z, 0.1), lambda z: leaky_relu_derivative(z, 0.1))}
        fig, axes = plt.subplots(1, 4, figsize=(14, 3))
        for ax, (name, (g, g_prime)) in zip(axes, yours.items()):
            ax.plot(z_plot, g(z_plot), label="g(z)")
            ax.plot(z_plot, g_prime(z_plot), label="your g'(z)")
            ax.plot(z_dots.numpy(), tape.gradient(tf_outputs[name], z_dots).numpy(), "k.", label="GradientTape")
            ax.set_title(name)
            ax.set_xlabel("z")
            ax.grid(alpha=0.3)
        axes[0].legend()
        del tape
        plt.tight_layout()
        plt.show()
    """),

    # ------------------------------------------------------------------ perceptron
    md(r"""
    ## 3. The perceptron's forward pass

    A perceptron with inputs $x_1, \dots, x_n$, weights $w_1, \dots, w_n$ and bias $w_0$
    outputs

    $$\hat y = g\Bigl(w_0 + \sum_{i=1}^{n} x_i w_i\Bigr) = g\bigl(w_0 + X^T W\bigr),
    \qquad X = \begin{bmatrix} x_1 \\ \vdots \\ x_n \end{bmatrix},\;
    W = \begin{bmatrix} w_1 \\ \vdots \\ w_n \end{bmatrix}.$$

    **Worked example (from the slides).** With $w_0 = 1$ and $W = (3, -2)$ the perceptron
    computes $\hat y = g(1 + 3x_1 - 2x_2)$. For the input $X = (-1, 2)$:

    $$z = 1 + 3 \cdot (-1) - 2 \cdot 2 = 1 - 3 - 4 = -6, \qquad \hat y = \sigma(-6) \approx 0.0025.$$
    """),
    code(r"""
    w0, W = 1.0, np.array([3.0, -2.0])
    x = np.array([-1.0, 2.0])
    z = w0 + x @ W
    print("z =", z, "  y_hat = sigmoid(z) =", sigmoid(z))
    """),
    md(r"""
    **Two slides, two answers.** Another version of this slide writes
    $\hat y = g(1 + (3 \times -2) - (2 \times 2)) = g(-9) \approx 0.000123$. Its text does not
    show the input point (the figure that held it is lost), so we cannot know which input it
    meant; we can only reconstruct one that fits. With the MIT slide's input $X = (-1, 2)$ the
    output is $g(-6) \approx 0.0025$; the $g(-9)$ line is exactly what the input $X = (-2, 2)$
    gives: $1 + 3 \cdot (-2) - 2 \cdot 2 = -9$. Either that slide used another point, or the
    $-2$ (which is also the second *weight*) was written where $x_1 = -1$ belongs: a guess,
    not a fact. Both outputs are below $0.5$, so both points lie on the same side of the line,
    but the probabilities differ by a factor of about 20 ($e^{3}$). When you check someone's
    numbers, first find out which input they used.
    """),
    code(r"""
    for x_point in ([-1.0, 2.0], [-2.0, 2.0]):
        z_point = w0 + np.array(x_point) @ W
        print(f"X = {x_point}: z = {z_point:+.0f}, y_hat = sigmoid(z) = {float(sigmoid(z_point)):.6f}")
    print("ratio of the two probabilities:", float(sigmoid(-6.0) / sigmoid(-9.0)), "~ e^3 =", np.exp(3.0))
    """),
    md(r"""
    ### Exercise 5 — `perceptron_forward`

    Compute $\hat y = g(w_0 + X^T W)$. `X` is either one input of shape `(n,)` or `m` inputs
    stored as the **columns** of an `(n, m)` array; `W` has shape `(n,)`. Write it so that one
    expression handles both cases: `np.transpose` of a 1-D array is the array itself, and an
    `(m, n)` matrix times an `(n,)` vector gives `(m,)`. The activation `g` is a parameter,
    your `sigmoid` by default.
    """),
    answer("perceptron_forward", r'''
    def perceptron_forward(X, w0, W, g=sigmoid):
        """Output of one perceptron: y_hat = g(w0 + X^T W).

        X: shape (n,) for one input, or (n, m) for m inputs stored as columns.
        w0: the bias, a number.  W: the weights, shape (n,).
        g: the activation function (element-wise).
        Returns a number for one input, an array of shape (m,) for m inputs.
        """
        ### BEGIN SOLUTION
        z = w0 + np.transpose(X) @ W
        return g(z)
        ### END SOLUTION
    '''),
    tests("test_perceptron_forward", 2, r'''
    y_hat = perceptron_forward(np.array([-1.0, 2.0]), 1.0, np.array([3.0, -2.0]))
    T.assert_close("perceptron_forward for the slide's example", y_hat, 0.0024726231566347743,
                   hint="z = 1 + 3*(-1) - 2*2 = -6 and y_hat = sigmoid(-6)")
    X_three = np.array([[-1.0, 0.0, 1.0], [2.0, 0.5, 0.0]])   # three inputs as columns
    T.assert_shape("perceptron_forward for 3 inputs", perceptron_forward(X_three, 1.0, np.array([3.0, -2.0])), (3,))
    print("Visible tests passed.")
    ### BEGIN HIDDEN TESTS
    rng = np.random.default_rng(505)
    n, m = 5, 9
    X, W, w0 = rng.standard_normal((n, m)), rng.standard_normal(n), float(rng.standard_normal())
    z_by_hand = np.array([w0 + sum(X[i, j] * W[i] for i in range(n)) for j in range(m)])
    T.assert_close("perceptron_forward(X, w0, W)", perceptron_forward(X, w0, W), 1 / (1 + np.exp(-z_by_hand)))
    T.assert_close("perceptron_forward with g=np.tanh", perceptron_forward(X, w0, W, g=np.tanh),
                   H.perceptron_forward(X, w0, W, activation="tanh"), hint="use the activation g you are given")
    T.assert_close("perceptron_forward for one input", perceptron_forward(X[:, 3], w0, W),
                   H.perceptron_forward(X[:, 3], w0, W))
    ### END HIDDEN TESTS
    '''),
    md(r"""
    **The decision line.** $\hat y > 0.5$ exactly when $z = 1 + 3x_1 - 2x_2 > 0$, so the
    perceptron splits the plane along the **line** $1 + 3x_1 - 2x_2 = 0$, i.e.
    $x_2 = (1 + 3x_1)/2$. Below, the colour is $\hat y$ on a grid of inputs (your
    `perceptron_forward` on all grid points as columns at once), the dashed line is $z = 0$,
    and the star is the slide's input $(-1, 2)$, deep in the $\hat y \approx 0$ region.
    """),
    code(r"""
    if not GRADING:
        x1, x2 = np.meshgrid(np.linspace(-4, 4, 161), np.linspace(-4, 4, 161))
        grid = np.vstack([x1.ravel(), x2.ravel()])                 # (2, number of grid points)
        y_grid = perceptron_forward(grid, 1.0, np.array([3.0, -2.0])).reshape(x1.shape)
        fig, ax = plt.subplots(figsize=(4.5, 4))
        shade = ax.contourf(x1, x2, y_grid, levels=20, cmap="RdBu_r")
        fig.colorbar(shade, ax=ax, label="y_hat")
        ax.plot(x1[0], (1 + 3 * x1[0]) / 2, "k--", label="1 + 3 x1 - 2 x2 = 0")
        ax.plot(-1, 2, "*", color="gold", markersize=15, markeredgecolor="k", label="X = (-1, 2)")
        ax.set_xlim(-4, 4); ax.set_ylim(-4, 4)
        ax.set_xlabel("x1"); ax.set_ylabel("x2")
        ax.legend(loc="lower right", fontsize=8)
        plt.show()
    """),
    md(r"""
    **Explore.** The explorer below lets you move $w_0$, $w_1$, $w_2$ and the input point
    and watch the line and the output change. Try: what does $w_0$ alone do to the line?
    What happens to the line when you multiply all three weights by 10, and what happens to
    the colours? Can you make the slide's point $(-1, 2)$ land on the $\hat y > 0.5$ side?
    """),
    code(r"""
    # Interactive explorer (skipped while grading)
    if not GRADING:
        from helpers.widgets import perceptron_explorer
        display(perceptron_explorer(student_activation=sigmoid))   # your sigmoid, dashed, beside the reference
    """),

    # ------------------------------------------------------------------ non-linearity
    md(r"""
    ## 4. Why non-linearity matters

    Stack two layers **without** activations: $h = W_1 x + b_1$, then $y = W_2 h + b_2$.
    Substituting,

    $$y = W_2 (W_1 x + b_1) + b_2 = \underbrace{(W_2 W_1)}_{W}\, x + \underbrace{(W_2 b_1 + b_2)}_{b}.$$

    The two layers are **one** linear layer in disguise, and so is any number of them: a
    linear network, however deep, draws straight decision lines only. The activation between
    the layers is what breaks this collapse.

    Shapes (one column per example): $x$ is $(n_0, m)$, $W_1$ is $(n_1, n_0)$, $b_1$ is
    $(n_1, 1)$, $W_2$ is $(n_2, n_1)$, $b_2$ is $(n_2, 1)$; so $W$ is $(n_2, n_0)$ and
    $b$ is $(n_2, 1)$.

    ### Exercise 6 — `collapse_linear_layers`
    Return the single layer $(W, b)$ equivalent to the two linear layers.
    """),
    answer("collapse_linear_layers", r'''
    def collapse_linear_layers(W1, b1, W2, b2):
        """The single linear layer equal to two stacked linear layers.

        W2 (W1 x + b1) + b2 = W x + b  with  W = W2 W1  and  b = W2 b1 + b2.
        W1: (n1, n0), b1: (n1, 1), W2: (n2, n1), b2: (n2, 1).
        Returns (W, b) with W: (n2, n0), b: (n2, 1).
        """
        ### BEGIN SOLUTION
        W = W2 @ W1
        b = W2 @ b1 + b2
        ### END SOLUTION
        return W, b
    '''),
    tests("test_collapse_linear_layers", 2, r'''
    W, b = collapse_linear_layers(np.array([[1.0, 2.0]]), np.array([[1.0]]), np.array([[3.0], [-1.0]]), np.array([[0.5], [0.0]]))
    T.assert_shape("W", W, (2, 2), hint="W = W2 @ W1 has as many rows as W2 and as many columns as W1")
    T.assert_shape("b", b, (2, 1))
    T.assert_close("W", W, np.array([[3.0, 6.0], [-1.0, -2.0]]))
    T.assert_close("b", b, np.array([[3.5], [-1.0]]), hint="b = W2 @ b1 + b2: the first bias goes through W2 too")
    print("Visible tests passed.")
    ### BEGIN HIDDEN TESTS
    rng = np.random.default_rng(606)
    n0, n1, n2, m = 4, 6, 3, 10
    W1, b1 = rng.standard_normal((n1, n0)), rng.standard_normal((n1, 1))
    W2, b2 = rng.standard_normal((n2, n1)), rng.standard_normal((n2, 1))
    x = rng.standard_normal((n0, m))
    W, b = collapse_linear_layers(W1, b1, W2, b2)
    T.assert_shape("W", W, (n2, n0))
    T.assert_shape("b", b, (n2, 1))
    T.assert_close("W @ x + b (the collapsed layer)", W @ x + b, W2 @ (W1 @ x + b1) + b2)
    ### END HIDDEN TESTS
    '''),
    md(r"""
    **Seeing the collapse.** Take a random two-layer network, push 200 random inputs through
    it, and ask: is there *one* linear layer $(W, b)$ giving the same outputs? Least squares
    finds the best such layer; its error is zero (to rounding) when the hidden layer is
    linear, and clearly not zero once a `tanh` sits between the layers.
    """),
    code(r"""
    rng = np.random.default_rng(0)
    W1, b1 = rng.standard_normal((8, 2)), rng.standard_normal((8, 1))
    W2, b2 = rng.standard_normal((1, 8)), rng.standard_normal((1, 1))
    inputs = rng.uniform(-2, 2, size=(2, 200))

    def best_single_layer_error(outputs):
        # least squares for [W b] in  outputs ~ W inputs + b  (a column of ones carries b)
        design = np.vstack([inputs, np.ones((1, inputs.shape[1]))]).T
        coefficients, *_ = np.linalg.lstsq(design, outputs.T, rcond=None)
        return np.abs(design @ coefficients - outputs.T).max()

    linear_net = W2 @ (W1 @ inputs + b1) + b2
    tanh_net = W2 @ np.tanh(W1 @ inputs + b1) + b2
    print(f"no activation:   best single linear layer misses by {best_single_layer_error(linear_net):.1e}")
    print(f"tanh in between: best single linear layer misses by {best_single_layer_error(tanh_net):.2f}")
    W, b = collapse_linear_layers(W1, b1, W2, b2)
    print("your collapsed layer reproduces the linear net:", np.allclose(W @ inputs + b, linear_net))
    """),
    md(r"""
    **XOR: what one perceptron cannot do.** The four points $(0,0), (0,1), (1,0), (1,1)$ with
    labels $0, 1, 1, 0$ ("exactly one input is on") are the smallest problem a single
    perceptron cannot solve. A perceptron says 1 when $w_0 + w_1 x_1 + w_2 x_2 > 0$, so it
    would need

    $$w_0 \le 0, \qquad w_0 + w_1 > 0, \qquad w_0 + w_2 > 0, \qquad w_0 + w_1 + w_2 \le 0.$$

    Adding the two middle inequalities gives $2w_0 + w_1 + w_2 > 0$; adding the outer two
    gives $2w_0 + w_1 + w_2 \le 0$. No weights satisfy both: no straight line puts
    $(0,1)$ and $(1,0)$ on one side and $(0,0)$ and $(1,1)$ on the other. And by the collapse
    above, stacking more *linear* layers does not help.

    Two layers with a ReLU in between do it. With hidden units
    $h_1 = \mathrm{ReLU}(x_1 + x_2)$ and $h_2 = \mathrm{ReLU}(x_1 + x_2 - 1)$ and the output
    $\hat y = h_1 - 2 h_2$, the four points give $h = (0, 0), (1, 0), (1, 0), (2, 1)$ and
    $\hat y = 0, 1, 1, 0$. The cell below tries a million random lines (none gets more
    than 3 of the 4 points right), then runs the two-layer network and draws the region
    where it answers more than $0.5$: a band between two
    parallel lines, which no single line can draw.
    """),
    code(r"""
    X_xor = np.array([[0.0, 0.0, 1.0, 1.0],
                      [0.0, 1.0, 0.0, 1.0]])      # the four points as columns
    Y_xor = np.array([0.0, 1.0, 1.0, 0.0])

    lines = np.random.default_rng(1).uniform(-3, 3, size=(1_000_000, 3))   # rows (w0, w1, w2)
    said_one = (lines[:, :1] + lines[:, 1:] @ X_xor) > 0                   # (lines, 4 points)
    print("best single perceptron gets", int((said_one == Y_xor).sum(axis=1).max()), "of 4 points right")

    relu = lambda z: np.maximum(0.0, z)
    W1_xor, b1_xor = np.array([[1.0, 1.0], [1.0, 1.0]]), np.array([[0.0], [-1.0]])
    W2_xor, b2_xor = np.array([[1.0, -2.0]]), np.array([[0.0]])
    hidden = relu(W1_xor @ X_xor + b1_xor)                                   # (2, 4)
    y_xor = W2_xor @ hidden + b2_xor                                         # (1, 4), no activation
    print("hidden units:\n", hidden, "\ntwo-layer output:", y_xor.ravel(), " labels:", Y_xor)

    if not GRADING:
        g1, g2 = np.meshgrid(np.linspace(-0.5, 1.5, 201), np.linspace(-0.5, 1.5, 201))
        grid_xor = np.vstack([g1.ravel(), g2.ravel()])
        y_grid_xor = (W2_xor @ relu(W1_xor @ grid_xor + b1_xor) + b2_xor).reshape(g1.shape)
        fig, ax = plt.subplots(figsize=(4, 3.6))
        ax.contourf(g1, g2, y_grid_xor > 0.5, levels=[-0.5, 0.5, 1.5], colors=["#dde6f5", "#f6d5c8"])
        ax.scatter(X_xor[0], X_xor[1], c=Y_xor, cmap="bwr", s=120, edgecolors="k")
        ax.set_title("two layers: y_hat > 0.5 in the orange band"); ax.set_xlabel("x1"); ax.set_ylabel("x2")
        plt.show()
    """),
    md(r"""
    ### Written question (2 points, graded by hand)

    A colleague wants to save computing time and proposes cheaper "activations" for the
    hidden layers of a 20-layer network. For each one, say whether the network still
    collapses into a single linear layer, and why: (a) $g(z) = 3z$; (b) $g(z) = z + 1$;
    (c) leaky ReLU with $\alpha = 1$; (d) leaky ReLU with $\alpha = 0.01$; (e) $g(z) = |z|$.
    Then give a network with **one** hidden unit using one of them that computes XOR on the
    four points above (weights and output rule).

    Write your answer in the next cell.
    """),
    written("written_linear_depth", 2, r"""
    **Model answer.** (a) and (b) are affine maps $g(z) = az + c$: $W_2\,g(W_1 x + b_1) + b_2
    = (aW_2W_1)x + (aW_2 b_1 + cW_2\mathbf 1 + b_2)$, again one affine layer, so 20 layers
    collapse into one and draw a single straight boundary. (c) leaky ReLU with $\alpha = 1$
    is the identity $g(z) = z$: collapses. (d) with $\alpha = 0.01$ the slope differs on the
    two sides of 0, so $g$ is not affine and the network does not collapse (it is piecewise
    linear, like ReLU). (e) $|z|$ is leaky ReLU with $\alpha = -1$: not affine, no collapse.
    XOR with one hidden unit: $h = |x_1 - x_2|$ ($W_1 = (1, -1)$, $b_1 = 0$) is $0, 1, 1, 0$
    on the four points already; output $\hat y = h$, or answer 1 when $h > 0.5$.

    **Rubric (2 points).** 1 point: (a), (b), (c) collapse and (d), (e) do not, with the reason
    "affine or not" (a reason stated once for all is enough; lose the point for any wrong
    case). 1 point: a one-unit XOR network that works on all four points (any correct
    weights, e.g. $|x_1 - x_2|$ or $|x_1 + x_2 - 1|$ with "answer 1 when $h < 0.5$").
    """),

    # ------------------------------------------------------------------ multi-output
    md(r"""
    ## 5. The multi-output perceptron

    Put $d$ perceptrons side by side, all reading the same input: output $i$ is
    $z_i = w_{0,i} + \sum_j x_j w_{j,i}$. Stacking the weights of output $i$ as row $i$ of a
    matrix $W$ of shape $(d, n)$ and the biases in a column $b$ of shape $(d, 1)$, all outputs
    for all $m$ inputs (columns of $X$, shape $(n, m)$) come out of one product:

    $$\hat Y = g(W X + b), \qquad \hat Y \text{ of shape } (d, m).$$

    NumPy **broadcasting** adds the column $b$ to every column of $WX$. Because every input
    is connected to every output, this is called a **dense** (fully connected) layer.

    ### Exercise 7 — `multi_output_forward`
    """),
    answer("multi_output_forward", r'''
    def multi_output_forward(X, W, b, g=sigmoid):
        """A layer of d perceptrons: Y_hat = g(W X + b).

        X: (n, m), m inputs as columns.  W: (d, n), one row of weights per output.
        b: (d, 1), one bias per output.  g: the activation function.
        Returns Y_hat of shape (d, m).
        """
        ### BEGIN SOLUTION
        Z = W @ X + b          # (d, n) @ (n, m) + (d, 1) broadcast over the m columns
        return g(Z)
        ### END SOLUTION
    '''),
    tests("test_multi_output_forward", 1, r'''
    W_two = np.array([[3.0, -2.0], [0.0, 1.0]])        # output 1 is the slide's perceptron
    b_two = np.array([[1.0], [0.0]])
    Y_hat = multi_output_forward(np.array([[-1.0], [2.0]]), W_two, b_two)
    T.assert_shape("Y_hat", Y_hat, (2, 1))
    T.assert_close("Y_hat", Y_hat, np.array([[0.0024726231566347743], [0.8807970779778823]]))
    print("Visible tests passed.")
    ### BEGIN HIDDEN TESTS
    rng = np.random.default_rng(707)
    X, W, b = rng.standard_normal((4, 6)), rng.standard_normal((3, 4)), rng.standard_normal((3, 1))
    T.assert_shape("Y_hat", multi_output_forward(X, W, b), (3, 6), hint="W @ X, not X @ W")
    T.assert_close("Y_hat", multi_output_forward(X, W, b, g=np.tanh), H.multi_output_forward(X, W, b, activation="tanh"))
    one_perceptron_per_row = np.array([H.perceptron_forward(X, b[i, 0], W[i]) for i in range(3)])
    T.assert_close("Y_hat", multi_output_forward(X, W, b), one_perceptron_per_row,
                   hint="each output is one perceptron with its own row of W and its own bias")
    ### END HIDDEN TESTS
    '''),

    # ------------------------------------------------------------------ dense layer
    md(r"""
    ## 6. A Dense layer from scratch, in Keras

    Keras builds networks out of **layers**. A layer is a Python class that

    - creates its weights in `build(input_shape)`, once it knows how many inputs it gets, with
      `self.add_weight(...)` (so Keras tracks and trains them);
    - computes its output in `call(x)`.

    Keras stores examples as **rows**: a batch `x` has shape `(batch, input_dim)`, so the
    layer computes $y = g(xW + b)$ with $W$ of shape `(input_dim, units)` and $b$ with one
    entry per unit, shape `(1, units)`, added to every row. (This is the transpose of the
    NumPy convention above; the numbers are the same.)

    ### Exercise 8 — `MyDenseLayer`

    Complete `build` (create `self.W` with initializer `"random_normal"` and `self.b` with
    initializer `"zeros"`) and `call` (return $g(xW + b)$ using `tf.matmul` and
    `self.activation`). In Keras 3 the arguments of `add_weight` are passed by keyword:
    `self.add_weight(name="weight", shape=(...), initializer="...")` (the slide's
    `add_weight("weight", shape=...)` is the older Keras 2 call and no longer works).
    """),
    answer("my_dense_layer", r'''
    class MyDenseLayer(tf.keras.layers.Layer):
        """A fully connected layer written by hand: y = g(x W + b).

        x: (batch, input_dim) -> y: (batch, units).
        Weights: self.W of shape (input_dim, units), self.b of shape (1, units).
        """

        def __init__(self, units=32, activation="sigmoid", **kwargs):
            super().__init__(**kwargs)
            self.units = units
            self.activation = tf.keras.activations.get(activation)  # a name such as "relu" -> the function

        def build(self, input_shape):
            input_dim = int(input_shape[-1])
            ### BEGIN SOLUTION
            self.W = self.add_weight(name="weight", shape=(input_dim, self.units), initializer="random_normal")
            self.b = self.add_weight(name="bias", shape=(1, self.units), initializer="zeros")
            ### END SOLUTION

        def call(self, x):
            ### BEGIN SOLUTION
            z = tf.matmul(x, self.W) + self.b
            return self.activation(z)
            ### END SOLUTION
    '''),
    tests("test_my_dense_layer", 3, r'''
    layer = MyDenseLayer(3)
    output = layer(tf.ones((5, 4)))
    T.assert_shape("MyDenseLayer(3) on a (5, 4) batch", output, (5, 3),
                   hint="x @ W + b with W of shape (input_dim, units) and b of shape (1, units)")
    T.assert_shape("layer.W", layer.W, (4, 3))
    T.assert_equal("number of trainable weights", len(layer.trainable_weights), 2)
    # the same weights as a Keras Dense layer must give the same outputs
    dense = tf.keras.layers.Dense(3, activation="sigmoid")
    x_batch = tf.constant(np.linspace(-1, 1, 20).reshape(5, 4), dtype=tf.float32)
    dense(x_batch)
    dense.bias.assign([0.5, -0.5, 1.0])
    layer.W.assign(dense.kernel)
    layer.b.assign(tf.reshape(dense.bias, layer.b.shape))
    T.assert_close("MyDenseLayer output", layer(x_batch), dense(x_batch).numpy(), rtol=1e-5, atol=1e-6,
                   hint="did you apply self.activation to x @ W + b?")
    print("Visible tests passed.")
    ### BEGIN HIDDEN TESTS
    rng = np.random.default_rng(808)
    for activation, (batch, n_in, units) in [("relu", (7, 5, 2)), ("tanh", (2, 3, 6)), ("sigmoid", (1, 2, 4))]:
        x_batch = tf.constant(rng.standard_normal((batch, n_in)), dtype=tf.float32)
        mine = MyDenseLayer(units, activation=activation)
        dense = tf.keras.layers.Dense(units, activation=activation)
        mine(x_batch)
        dense(x_batch)
        dense.kernel.assign(rng.standard_normal((n_in, units)))
        dense.bias.assign(rng.standard_normal(units))
        T.assert_equal("number of bias entries", int(np.prod(mine.b.shape)), units,
                       hint="one bias per unit: shape (1, units)")
        mine.W.assign(dense.kernel)
        mine.b.assign(tf.reshape(dense.bias, mine.b.shape))
        T.assert_close(f"MyDenseLayer({units}, activation={activation!r}) on a ({batch}, {n_in}) batch",
                       mine(x_batch), dense(x_batch).numpy(), rtol=1e-5, atol=1e-6,
                       hint="y = activation(x @ W + b), with b of shape (1, units)")
        # every weight made with add_weight must be used: moving it moves the output
        output = np.asarray(mine(x_batch))
        for weight in mine.trainable_weights:
            weight.assign_add(np.full(tuple(weight.shape), 0.5, dtype=np.float32))
            moved = not np.allclose(np.asarray(mine(x_batch)), output)
            weight.assign_add(np.full(tuple(weight.shape), -0.5, dtype=np.float32))
            T.assert_true(moved, "the output does not depend on every weight created with add_weight")
    ### END HIDDEN TESTS
    '''),
    md(r"""
    ## 7. `Sequential` models

    `tf.keras.Sequential` chains layers: the output of each is the input of the next. Your
    layer mixes freely with Keras's own. Below, a network with 2 inputs, a hidden layer of 3
    ReLU units (yours) and one sigmoid output (Keras's). Its parameters: $2 \cdot 3 + 3 = 9$
    in the hidden layer and $3 \cdot 1 + 1 = 4$ in the output layer, 13 in total.

    ### Exercise 9 — `count_parameters`

    For a fully connected network with layer sizes `layer_dims = [n0, n1, ..., nL]` (`n0`
    inputs), layer $l$ has an $(n_l, n_{l-1})$ weight matrix and $n_l$ biases. Return the
    total number of trainable parameters, as an `int`.
    """),
    answer("count_parameters", r'''
    def count_parameters(layer_dims):
        """Number of weights and biases of a dense network with sizes [n0, n1, ..., nL].

        Sum over l = 1..L of n[l-1] * n[l] (weights) + n[l] (biases). Returns an int.
        """
        ### BEGIN SOLUTION
        total = 0
        for n_prev, n in zip(layer_dims[:-1], layer_dims[1:]):
            total += n_prev * n + n        # weights, then biases, of one layer
        return int(total)
        ### END SOLUTION
    '''),
    tests("test_count_parameters", 1, r'''
    T.assert_equal("count_parameters([2, 3, 1])", count_parameters([2, 3, 1]), 13)
    print("Visible tests passed.")
    ### BEGIN HIDDEN TESTS
    for dims in ([64, 1], [5, 8, 8, 1], [12288, 20, 7, 5, 1]):
        model = tf.keras.Sequential([tf.keras.Input((dims[0],))] +
                                    [tf.keras.layers.Dense(n) for n in dims[1:]])
        T.assert_equal(f"count_parameters({dims})", count_parameters(dims), model.count_params(),
                       hint="each layer has n[l-1] * n[l] weights plus n[l] biases")
    ### END HIDDEN TESTS
    '''),
    code(r"""
    model = tf.keras.Sequential([
        tf.keras.Input(shape=(2,)),
        MyDenseLayer(3, activation="relu"),
        tf.keras.layers.Dense(1, activation="sigmoid"),
    ])
    model.summary()
    print("Keras counts", model.count_params(), "parameters; you count", count_parameters([2, 3, 1]))
    print("output for the slide's input:", model(np.array([[-1.0, 2.0]])).numpy())
    """),

    # ------------------------------------------------------------------ loss
    md(r"""
    ## 8. Binary cross-entropy

    For a yes/no label $y \in \{0, 1\}$ and a predicted probability $\hat y \in (0, 1)$, the
    **loss** on one example is

    $$\mathcal L(\hat y, y) = -\,y \log \hat y - (1 - y) \log (1 - \hat y),$$

    small when $\hat y$ is close to $y$ and huge when the network is confidently wrong. The
    **cost** (empirical loss) is its average over the $m$ examples:

    $$J = \frac{1}{m} \sum_{i=1}^{m} \mathcal L\bigl(\hat y^{(i)}, y^{(i)}\bigr).$$

    Predictions and labels are **rows**: `Y_hat` and `Y` have shape `(1, m)`.
    The slide's example: predictions $(0.6, 0.8, 0.1, 0.7)$ for labels $(0, 1, 0, 1)$.
    """),
    code(r"""
    Y_hat_slide = np.array([[0.6, 0.8, 0.1, 0.7]])
    Y_slide = np.array([[0.0, 1.0, 0.0, 1.0]])
    losses = -(Y_slide * np.log(Y_hat_slide) + (1 - Y_slide) * np.log(1 - Y_hat_slide))
    print("loss per example:", losses)   # the first example (0.6 for a 0) costs the most
    print("cost J =", losses.mean())
    """),
    md(r"""
    ### Exercise 10 — `binary_cross_entropy`

    Return the cost $J$ as a Python `float`. Sum over the examples (axis 1, the columns),
    divide by $m$, and mind the minus sign.
    """),
    answer("binary_cross_entropy", r'''
    def binary_cross_entropy(Y_hat, Y):
        """Cost J = -(1/m) sum_i [ y_i log(y_hat_i) + (1 - y_i) log(1 - y_hat_i) ].

        Y_hat: (1, m) predicted probabilities in (0, 1).  Y: (1, m) labels, 0 or 1.
        Returns J as a float.
        """
        m = Y.shape[1]
        ### BEGIN SOLUTION
        losses = -(Y * np.log(Y_hat) + (1 - Y) * np.log(1 - Y_hat))
        cost = np.sum(losses, axis=1) / m
        return float(np.squeeze(cost))
        ### END SOLUTION
    '''),
    tests("test_binary_cross_entropy", 2, r'''
    J = binary_cross_entropy(np.array([[0.6, 0.8, 0.1, 0.7]]), np.array([[0.0, 1.0, 0.0, 1.0]]))
    T.assert_shape("the cost", J, ())
    T.assert_close("the cost for the slide's example", J, 0.4003674356962309,
                   hint="average (1/m) of -[y log(y_hat) + (1-y) log(1-y_hat)]; the cost is positive")
    print("Visible tests passed.")
    ### BEGIN HIDDEN TESTS
    for m, seed in [(7, 909), (30, 910)]:
        Y_hat = T.random_case.probabilities((1, m), seed=seed)
        Y = (np.random.default_rng(seed + 1).random((1, m)) < 0.5).astype(float)
        J = binary_cross_entropy(Y_hat, Y)
        T.assert_shape(f"the cost for m = {m}", J, (), hint="sum over axis 1 (the examples) gives one number")
        keras_cost = float(tf.keras.losses.BinaryCrossentropy()(Y.T, Y_hat.T))
        T.assert_close(f"the cost for m = {m}", J, keras_cost, rtol=1e-5,
                       hint="check the 1/m factor and the minus sign")
        T.assert_close(f"the cost for m = {m}", J, H.compute_cost(Y_hat, Y))
    ### END HIDDEN TESTS
    '''),
    md(r"""
    **The same loss in Keras.** `tf.keras.losses.BinaryCrossentropy()` is a loss *object*:
    create it first, then call it on `(y_true, y_pred)`. It already averages over the
    examples, so no `tf.reduce_mean` is needed. (The slide's line
    `tf.reduce_mean(tf.keras.losses.BinaryCrossentropy(y, predicted))` passes the data to the
    constructor instead; that is a bug: it builds a loss object with strange settings and
    never computes anything.) Keras keeps examples in rows, hence the `.T`. It also clips
    $\hat y$ to $[10^{-7}, 1 - 10^{-7}]$, so a prediction of exactly 0 or 1 gives a large
    but finite loss instead of `inf`.
    """),
    code(r"""
    bce = tf.keras.losses.BinaryCrossentropy()
    print("Keras:", float(bce(Y_slide.T, Y_hat_slide.T)), "| yours:", binary_cross_entropy(Y_hat_slide, Y_slide))
    """),

    # ------------------------------------------------------------------ logistic regression
    md(r"""
    ## 9. Logistic regression on real images

    The lesson's example classifies 64×64 colour photos as cat / non-cat: each photo is
    **flattened** into a column of $64 \cdot 64 \cdot 3 = 12288$ pixel values, and the label is
    1 for a cat, 0 otherwise. We do the same with a data set that ships with scikit-learn:
    8×8 grey-scale scans of handwritten digits, with the label 1 for an **8** and 0 for every
    other digit: "8 vs non-8" instead of cat vs non-cat. A single sigmoid perceptron on the
    pixels is **logistic regression**:

    $$\hat Y = \sigma(w^T X + b), \qquad w: (n_x, 1),\; b \text{ a number},\; X: (n_x, m),\; \hat Y: (1, m).$$

    **Preparing the images.** The raw data is a stack of images, `images` of shape
    `(m, 8, 8)` with grey levels from 0 (white) to 16 (black); a colour photo set would be
    `(m, 64, 64, 3)` with values 0 to 255. The network wants one example per **column**:

    $$X = \frac{1}{v_{\max}} \begin{bmatrix} | & & | \\ \operatorname{flat}(\text{image}^{(1)}) & \cdots & \operatorname{flat}(\text{image}^{(m)}) \\ | & & | \end{bmatrix}
    \quad \text{of shape } (h \cdot w \cdot c,\; m),$$

    and values in $[0, 1]$ (dividing by the largest possible value $v_{\max}$) keep
    $w^T x$ small at the start, where the sigmoid's slope is large. **Worked example:** two
    $2 \times 2$ images $\begin{bmatrix}0 & 4\\ 8 & 16\end{bmatrix}$ and
    $\begin{bmatrix}16 & 0\\ 0 & 8\end{bmatrix}$ with $v_{\max} = 16$ become the columns
    $(0, 0.25, 0.5, 1)$ and $(1, 0, 0, 0.5)$. The trap: `images.reshape(-1, m)` also has the
    right shape, but it cuts the pixels of *consecutive* images into columns, so a column
    mixes several images. Flatten each image into a **row** first (`images.reshape(m, -1)`,
    one row per image), then transpose.

    ### Exercise 11 — `flatten_and_scale`
    """),
    answer("flatten_and_scale", r'''
    def flatten_and_scale(images, max_value=16.0):
        """Images stacked on axis 0 -> one scaled column per image.

        images: (m, h, w) or (m, h, w, c) with values in [0, max_value].
        Returns X = images.reshape(m, -1).T / max_value of shape (h * w * c, m), values in [0, 1].
        """
        ### BEGIN SOLUTION
        m = images.shape[0]
        rows = np.reshape(images, (m, -1))     # one row per image: its pixels in reading order
        return rows.T / max_value
        ### END SOLUTION
    '''),
    tests("test_flatten_and_scale", 2, r'''
    two_images = np.array([[[0.0, 4.0], [8.0, 16.0]], [[16.0, 0.0], [0.0, 8.0]]])
    X_two = flatten_and_scale(two_images)
    T.assert_shape("flatten_and_scale of two 2x2 images", X_two, (4, 2), hint="one column per image")
    T.assert_close("flatten_and_scale of two 2x2 images", X_two, np.array([[0.0, 1.0], [0.25, 0.0], [0.5, 0.0], [1.0, 0.5]]),
                   hint="reshape to (m, -1) first (one row per image), then transpose, then divide by max_value")
    print("Visible tests passed.")
    ### BEGIN HIDDEN TESTS
    rng = np.random.default_rng(951)
    photos = rng.integers(0, 256, size=(5, 4, 3, 3)).astype(float)   # 5 colour images 4x3, values 0..255
    X_photos = flatten_and_scale(photos, max_value=255.0)
    T.assert_shape("flatten_and_scale of five (4, 3, 3) images", X_photos, (36, 5))
    for i in range(5):
        T.assert_close(f"column {i} (image {i})", X_photos[:, i], photos[i].ravel() / 255.0,
                       hint="column i must hold the pixels of image i only, scaled by max_value")
    from sklearn.datasets import load_digits
    digits = load_digits()
    T.assert_close("flatten_and_scale(digits.images)", flatten_and_scale(digits.images[:50]), digits.data[:50].T / 16.0,
                   hint="scikit-learn's own flattening, digits.data, row i = image i")
    ### END HIDDEN TESTS
    '''),
    md(r"""
    The course's loader `H.load_digits_binary` does exactly this (with scikit-learn's
    `digits.data`, already flattened by rows) and then splits the images into a training and a
    test set. Your function agrees with it:
    """),
    code(r"""
    from sklearn.datasets import load_digits
    digits = load_digits()
    print("raw images:", digits.images.shape, "values", digits.images.min(), "to", digits.images.max())
    print("your X matches scikit-learn's flattening / 16:", np.allclose(flatten_and_scale(digits.images), digits.data.T / 16))
    X_train, Y_train, X_test, Y_test = H.load_digits_binary(positive=8)
    print("X_train:", X_train.shape, "Y_train:", Y_train.shape, "X_test:", X_test.shape, "Y_test:", Y_test.shape)
    print(f"pixel values from {X_train.min()} to {X_train.max()}; {Y_train.mean():.1%} of training labels are 1")
    if not GRADING:
        fig, axes = plt.subplots(1, 8, figsize=(10, 1.7))
        for ax, column in zip(axes, range(8)):
            ax.imshow(X_train[:, column].reshape(8, 8), cmap="gray_r")  # a column back into an image
            ax.set_title(f"y = {int(Y_train[0, column])}")
            ax.axis("off")
        plt.show()
    """),
    md(r"""
    Training needs the gradient of the cost. For the sigmoid with cross-entropy, the chain
    rule simplifies beautifully: with $A = \sigma(w^T X + b)$,

    $$\frac{\partial J}{\partial w} = \frac{1}{m} X (A - Y)^T \quad (n_x, 1),
    \qquad \frac{\partial J}{\partial b} = \frac{1}{m} \sum_{i=1}^{m} \bigl(a^{(i)} - y^{(i)}\bigr).$$

    ### Exercise 12 — `logistic_propagate`

    Return the gradients `{"dw": ..., "db": ...}` (`dw` of shape `(n_x, 1)`, `db` a float)
    and the cost (use your `binary_cross_entropy`).
    """),
    answer("logistic_propagate", r'''
    def logistic_propagate(w, b, X, Y):
        """Cost and gradients of logistic regression A = sigmoid(w^T X + b).

        w: (n_x, 1), b: a number, X: (n_x, m), Y: (1, m).
        dw = (1/m) X (A - Y)^T of shape (n_x, 1);  db = (1/m) sum(A - Y), a float.
        Returns (grads, cost) with grads = {"dw": dw, "db": db} and cost a float.
        """
        m = X.shape[1]
        ### BEGIN SOLUTION
        A = sigmoid(w.T @ X + b)
        cost = binary_cross_entropy(A, Y)
        dw = X @ (A - Y).T / m
        db = float(np.sum(A - Y) / m)
        ### END SOLUTION
        return {"dw": dw, "db": db}, cost
    '''),
    tests("test_logistic_propagate", 2, r'''
    X_small = np.array([[1.0, -2.0, 0.5], [2.0, 0.0, -1.5]])   # 3 examples with 2 pixels each
    grads, cost = logistic_propagate(np.array([[0.5], [-1.0]]), 0.25, X_small, np.array([[0.0, 1.0, 1.0]]))
    T.assert_shape("grads['dw']", grads["dw"], (2, 1), hint="dw has the shape of w")
    T.assert_close("grads['dw']", grads["dw"], np.array([[0.50715203], [0.20806822]]), rtol=1e-6)
    T.assert_close("grads['db']", grads["db"], -0.1918938274574006)
    T.assert_close("cost", cost, 0.5052426995010818)
    print("Visible tests passed.")
    ### BEGIN HIDDEN TESTS
    rng = np.random.default_rng(1001)
    n_x, m = 6, 11
    X, Y = T.random_case.data(n_x, m, seed=1002)
    w, b = 0.5 * rng.standard_normal((n_x, 1)), float(rng.standard_normal())
    grads, cost = logistic_propagate(w, b, X, Y)
    w_var, b_var = tf.Variable(w), tf.Variable(b, dtype=tf.float64)
    with tf.GradientTape() as tape:
        A_tf = tf.math.sigmoid(tf.transpose(w_var) @ tf.constant(X) + b_var)
        J_tf = -tf.reduce_mean(Y * tf.math.log(A_tf) + (1 - Y) * tf.math.log(1 - A_tf))
    dw_tf, db_tf = tape.gradient(J_tf, [w_var, b_var])
    T.assert_shape("grads['dw']", grads["dw"], (n_x, 1))
    T.assert_close("grads['dw']", grads["dw"], dw_tf.numpy(), hint="dw = (1/m) X (A - Y)^T")
    T.assert_close("grads['db']", grads["db"], float(db_tf), hint="db = (1/m) sum(A - Y)")
    T.assert_close("cost", cost, float(J_tf))
    ### END HIDDEN TESTS
    '''),
    md(r"""
    **Training.** Gradient descent repeats: compute the gradients, step against them,
    $w \leftarrow w - \alpha\, dw$, $b \leftarrow b - \alpha\, db$, here 300 times with
    $\alpha = 0.5$, from $w = 0$, $b = 0$. Judge the accuracy against the **baseline**: only
    about 10% of the images are 8s, so a "model" that always answers "not an 8" is already
    right 90% of the time.
    """),
    code(r"""
    if not GRADING:
        w, b, learning_rate, costs = np.zeros((X_train.shape[0], 1)), 0.0, 0.5, []
        for iteration in range(300):
            grads, cost = logistic_propagate(w, b, X_train, Y_train)
            w, b = w - learning_rate * grads["dw"], b - learning_rate * grads["db"]
            costs.append(cost)
            if iteration + 1 == 20:
                w_after_20, b_after_20 = w.copy(), b     # kept for the comparison with Keras below

        def accuracy(w, b, X, Y):
            return np.mean((sigmoid(w.T @ X + b) > 0.5) == Y)

        print(f"baseline (always 0): test accuracy {np.mean(Y_test == 0):.1%}")
        print(f"from scratch: train accuracy {accuracy(w, b, X_train, Y_train):.1%}, "
              f"test accuracy {accuracy(w, b, X_test, Y_test):.1%}")

        fig, (ax_cost, ax_weights) = plt.subplots(1, 2, figsize=(9, 3))
        ax_cost.plot(costs)
        ax_cost.set_xlabel("iteration"); ax_cost.set_ylabel("cost J"); ax_cost.set_title("gradient descent")
        limit = np.abs(w).max()                     # symmetric colours: white means a weight of 0
        shown = ax_weights.imshow(w.reshape(8, 8), cmap="RdBu_r", vmin=-limit, vmax=limit)
        fig.colorbar(shown, ax=ax_weights)
        ax_weights.set_title("learned w as an 8x8 image"); ax_weights.axis("off")
        plt.tight_layout()
        plt.show()
    """),
    md(r"""
    ## 10. The same model in Keras: `compile`, `fit`, `evaluate`

    Keras runs the loop you just wrote. One `Dense(1, activation="sigmoid")` layer computes
    $\sigma(x w + b)$ for every row $x$: logistic regression. Three calls train and measure it:

    - `model.compile(optimizer=..., loss=..., metrics=[...])` says *how* to train: the
      update rule (`tf.keras.optimizers.SGD(learning_rate=...)` is plain gradient descent,
      $w \leftarrow w - \alpha\, dw$), the cost ($J$, `tf.keras.losses.BinaryCrossentropy()`)
      and what to report (`tf.keras.metrics.BinaryAccuracy()`: the share of examples with
      $(\hat y > 0.5) = y$);
    - `model.fit(x, y, epochs=..., batch_size=...)` trains; one epoch is one pass over the
      data, made of $\lceil m / \text{batch\_size} \rceil$ updates. With `batch_size=m` each
      epoch is **one** full-batch gradient-descent step, exactly one iteration of your loop;
    - `model.evaluate(x, y)` returns `[loss, accuracy]` on other data, without training.

    Keras wants examples as **rows**: pass `X.T` and `Y.T`. Start from the same point as your
    loop, `kernel_initializer="zeros"` (the bias starts at 0 by default), and the two must
    agree step for step: after $k$ epochs Keras's weights equal your $w$ after $k$
    iterations, to float32 rounding ($\approx 10^{-6}$).

    **Worked example.** Four examples with two pixels, $X = \begin{bmatrix}1 & 0 & 2 & -1\\ 0 & 1 & 1 & 1\end{bmatrix}$,
    $Y = (1, 0, 1, 0)$, $\alpha = 1$, one epoch. At $w = 0$ every $a = 0.5$, so
    $A - Y = (-0.5, 0.5, -0.5, 0.5)$, $dw = \frac14 X (A - Y)^T = (-0.5, 0.125)$, $db = 0$, and
    one step gives $w = (0.5, -0.125)$, $b = 0$; these weights classify all four right.

    ### Exercise 13 — `keras_logistic_regression`

    Build the one-layer model (an `Input` of $n_x$ features, then the `Dense` layer), compile it
    with SGD at `learning_rate`, binary cross-entropy and binary accuracy, fit it for `epochs`
    full-batch epochs on the training set (`verbose=0` keeps it quiet), and evaluate it on the
    test set. Return the model and the test loss and accuracy as floats.
    """),
    answer("keras_logistic_regression", r'''
    def keras_logistic_regression(X_train, Y_train, X_test, Y_test, learning_rate=0.5, epochs=100):
        """Logistic regression in Keras, trained by full-batch gradient descent from zero weights.

        X_train: (n_x, m), Y_train: (1, m), X_test: (n_x, m_test), Y_test: (1, m_test), examples as columns.
        Model: Input((n_x,)) -> Dense(1, sigmoid, kernel_initializer="zeros"); SGD(learning_rate),
        BinaryCrossentropy, BinaryAccuracy; fit for `epochs` epochs with batch_size = m.
        Returns (model, test_loss, test_accuracy) with the last two as floats.
        """
        ### BEGIN SOLUTION
        n_x, m = X_train.shape
        model = tf.keras.Sequential([
            tf.keras.Input(shape=(n_x,)),
            tf.keras.layers.Dense(1, activation="sigmoid", kernel_initializer="zeros"),
        ])
        model.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=learning_rate),
                      loss=tf.keras.losses.BinaryCrossentropy(),
                      metrics=[tf.keras.metrics.BinaryAccuracy()])
        model.fit(X_train.T, Y_train.T, epochs=epochs, batch_size=m, verbose=0)
        test_loss, test_accuracy = model.evaluate(X_test.T, Y_test.T, verbose=0)
        return model, float(test_loss), float(test_accuracy)
        ### END SOLUTION
    '''),
    tests("test_keras_logistic_regression", 3, r'''
    X_four = np.array([[1.0, 0.0, 2.0, -1.0], [0.0, 1.0, 1.0, 1.0]])
    Y_four = np.array([[1.0, 0.0, 1.0, 0.0]])
    model, test_loss, test_accuracy = keras_logistic_regression(X_four, Y_four, X_four, Y_four, learning_rate=1.0, epochs=1)
    kernel, bias = model.get_weights()
    T.assert_close("the weights after one epoch", kernel, np.array([[0.5], [-0.125]]), rtol=1e-5, atol=1e-6,
                   hint="start from zeros (kernel_initializer='zeros') and use batch_size = m: one epoch, one step")
    T.assert_close("the bias after one epoch", bias, np.array([0.0]), atol=1e-6)
    T.assert_close("the test accuracy", test_accuracy, 1.0, hint="evaluate returns [loss, accuracy]")
    print("Visible tests passed.")
    ### BEGIN HIDDEN TESTS
    def numpy_logistic_regression(X, Y, learning_rate, iterations):
        # the loop of the lesson, written out: full-batch gradient descent from zero
        w, b = np.zeros((X.shape[0], 1)), 0.0
        for _ in range(iterations):
            A = 1 / (1 + np.exp(-(w.T @ X + b)))
            w, b = w - learning_rate * X @ (A - Y).T / X.shape[1], b - learning_rate * np.mean(A - Y)
        return w, b

    rng = np.random.default_rng(1201)
    for n_x, m, m_test, learning_rate, epochs in [(5, 40, 17, 2.0, 7)]:
        X, Y = T.random_case.data(n_x, m, seed=int(rng.integers(10**6)))
        X_other, Y_other = T.random_case.data(n_x, m_test, seed=int(rng.integers(10**6)))
        model, test_loss, test_accuracy = keras_logistic_regression(X, Y, X_other, Y_other,
                                                                    learning_rate=learning_rate, epochs=epochs)
        kernel, bias = model.get_weights()
        w_expected, b_expected = numpy_logistic_regression(X, Y, learning_rate, epochs)
        case = f"n_x = {n_x}, m = {m}, learning rate {learning_rate}, {epochs} epochs"
        T.assert_close(f"the weights ({case})", kernel, w_expected, rtol=1e-4, atol=1e-5,
                       hint="zero initial weights, SGD at the given learning rate, batch_size = m, the given epochs")
        T.assert_close(f"the bias ({case})", bias, np.array([b_expected]), rtol=1e-4, atol=1e-5)
        A_other = 1 / (1 + np.exp(-(w_expected.T @ X_other + b_expected)))
        loss_other = -np.mean(Y_other * np.log(A_other) + (1 - Y_other) * np.log(1 - A_other))
        T.assert_close(f"the test loss ({case})", test_loss, loss_other, rtol=1e-4,
                       hint="evaluate on the test set (X_test, Y_test), not the training set")
        T.assert_close(f"the test accuracy ({case})", test_accuracy, np.mean((A_other > 0.5) == Y_other), atol=1e-6)
        T.assert_true(isinstance(test_loss, float) and isinstance(test_accuracy, float),
                      "return the test loss and accuracy as Python floats")
    ### END HIDDEN TESTS
    '''),
    md(r"""
    **Your loop and Keras, side by side.** Same data, same start, same rate, 20 full-batch
    steps each (the loop above kept its weights after 20 iterations): the weights should
    agree to float32 rounding. (20 epochs, not 300: each `fit` epoch has a fixed overhead of
    a few milliseconds that a 64-weight model does not need.)
    """),
    code(r"""
    if not GRADING:
        start = time.perf_counter()
        keras_model, keras_test_loss, keras_test_accuracy = keras_logistic_regression(
            X_train, Y_train, X_test, Y_test, learning_rate=0.5, epochs=20)
        keras_w, keras_b = keras_model.get_weights()
        print(f"Keras, 20 epochs ({time.perf_counter() - start:.1f} s): test loss {keras_test_loss:.4f}, "
              f"test accuracy {keras_test_accuracy:.1%}")
        print(f"your loop, 20 iterations: test accuracy {accuracy(w_after_20, b_after_20, X_test, Y_test):.1%}")
        print(f"largest |w_keras - w_yours| = {np.abs(keras_w - w_after_20).max():.1e} "
              f"(the weights themselves reach {np.abs(w_after_20).max():.2f}), "
              f"|b_keras - b_yours| = {abs(float(keras_b[0]) - b_after_20):.1e}")
    """),
    md(r"""
    ### Written question (2 points, graded by hand)

    Look at the learned weights shown as an 8×8 image (red: positive, blue:
    negative, white: zero). Which pixels push a prediction towards "8", which push it away,
    and why does that make sense? Name one thing that a logistic regression on flattened
    pixels cannot capture.

    Write your answer in the next cell.
    """),
    written("written_weights_image", 2, r"""
    **Model answer.** Red pixels are where an 8 typically has ink and most other digits do
    not (for instance the middle, where the two loops of an 8 cross): ink there raises
    $w^T x$ and the predicted probability. Blue pixels are where other digits often have
    ink but an 8 rarely does (for instance inside its loops): ink there is evidence against
    an 8. The border pixels, blank in almost every image, stay near zero: they carry no
    information, so gradient descent never moves them far. The weight image is a rough
    "template" of an 8 minus the other digits. Because the model
    is a single weighted sum of pixels, it cannot capture combinations (this stroke *and*
    that stroke), it is not robust to shifts of the digit by a pixel or two (each pixel has
    its own fixed weight), and it can only draw one hyperplane in pixel space. Hidden layers
    with non-linear activations (assignment 02) address this.

    **Rubric (2 points).** 1 point: reads the picture correctly (red = ink there is evidence
    for an 8, blue = against, near-zero border pixels carry no information) with one
    concrete region named and a reason. 1 point: one real limitation of a single weighted sum
    of pixels (no combinations of features, not shift-invariant, one hyperplane), with a
    sentence of why.
    """),
    md(r"""
    ## What you learned

    - A **tensor** is TensorFlow's array; `tf.GradientTape` records operations and
      differentiates them, which you used to check your own derivatives.
    - The derivatives of sigmoid and tanh are written with the function's value:
      $\sigma(1 - \sigma)$ and $1 - \tanh^2$; ReLU's derivative is a 0/1 step.
    - A perceptron computes $g(w_0 + X^T W)$: a **line** (hyperplane) through input space,
      squashed into a probability. Before comparing numbers, check which input they came from
      ($g(-6)$ at $X = (-1, 2)$, $g(-9)$ at $X = (-2, 2)$).
    - Without activations, layers **collapse** into one linear layer; non-linearities are
      what give depth its power. One perceptron cannot compute XOR; two layers with a ReLU can.
    - Leaky ReLU keeps a slope $\alpha$ where ReLU's is 0, so a unit that is off still learns.
    - A layer of perceptrons is a **dense layer** $g(WX + b)$; in Keras you write one by
      creating weights in `build` and computing in `call`, and `Sequential` stacks layers.
    - **Binary cross-entropy** averages $-[y \log \hat y + (1-y)\log(1-\hat y)]$ over the
      examples: the $1/m$, the sign and the axis all matter.
    - Images become **one scaled column each** (`reshape(m, -1).T / max_value`, never
      `reshape(-1, m)`).
    - **Logistic regression** on flattened pixels is a one-neuron network; its gradient is
      $\frac1m X(A - Y)^T$. Keras' `compile` (how to train), `fit` (train) and `evaluate`
      (measure) run the same loop: from the same start, full batch, the weights agree step for
      step. Next, in assignment 02, you add hidden layers and backpropagation.
    """),
]

if __name__ == "__main__":
    print(write_notebook(OUT, cells))
