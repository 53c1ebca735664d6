"""Builder of assignment 02_backprop: training a network.

Run ``python authoring/02_backprop.py`` to write ``source/02_backprop/02_backprop.ipynb``.
Lesson sections 03 and 04 (applying networks, training part 1: loss, gradient descent,
mini-batches) with the backpropagation formulas and shapes of the deeplearning.ai notes and
the GradientTape training loop of the slides.
"""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from nbcourse.authoring import answer, code, md, tests, write_notebook, written  # noqa: E402

NAME = "02_backprop"
OUT = ROOT / "source" / NAME / f"{NAME}.ipynb"

cells = [
    md(r"""
    # Assignment 02 — Training a network: backpropagation and gradient descent

    In assignment 01 a single perceptron classified digits. Now you build a network with
    **hidden layers** from scratch in NumPy, compute its gradients with **backpropagation**,
    check them numerically, and train it with **gradient descent**. Then you write the
    **TensorFlow training loop** of the slides (mini-batches with `tf.data`,
    `tf.GradientTape`, an optimizer) and compare both ways on the same images.

    Plan:

    1. the empirical loss (cost) of a network;
    2. forward propagation, one layer at a time;
    3. backward propagation, one layer at a time;
    4. a two-layer network, step by step, with every shape checked;
    5. the same for $L$ layers, and the gradient descent update;
    6. gradient checking: is my backprop right? Then for real: find a planted bug with it, and
       see the lesson's rules (L2 in the check, dropout off, check again after training) at work;
    7. the learning rate: too small, too large;
    8. mini-batches with `tf.data` and the `GradientTape` loop;
    9. the image classifier, from scratch and with Keras.

    **Conventions** (as in the lesson notes): one example per **column**.

    | quantity | shape |
    | --- | --- |
    | $X = A^{[0]}$ | $(n^{[0]}, m)$ |
    | $W^{[l]}$, $dW^{[l]}$ | $(n^{[l]}, n^{[l-1]})$ |
    | $b^{[l]}$, $db^{[l]}$ | $(n^{[l]}, 1)$ |
    | $Z^{[l]}$, $A^{[l]}$, $dZ^{[l]}$, $dA^{[l]}$ | $(n^{[l]}, m)$ |
    | $Y$, $\hat Y = A^{[L]}$ | $(1, m)$ |

    A gradient always has the shape of the thing it is the gradient of: checking shapes
    catches most backprop bugs before any number is wrong.
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
    H.own_work("02_backprop")

    # The networks here are small: one BLAS thread is faster than several competing for the CPU.
    threadpool_limits(limits=1, user_api="blas")

    # True while nbgrader grades the notebook: the long demonstrations are skipped then.
    GRADING = bool(os.environ.get("NBGRADER_EXECUTION"))
    np.set_printoptions(precision=4, suppress=True)
    """),

    # ------------------------------------------------------------------ cost
    md(r"""
    ## 1. The empirical loss

    The **loss** $\mathcal L(\hat y, y)$ measures how wrong the network is on one example; the
    **empirical loss** (also called cost, objective or empirical risk) averages it over the
    whole data set:

    $$J(W) = \frac{1}{m} \sum_{i=1}^{m} \mathcal L\bigl(f(x^{(i)}; W),\, y^{(i)}\bigr).$$

    For a probability output, $\mathcal L$ is the binary cross-entropy
    $-y \log \hat y - (1 - y)\log(1 - \hat y)$, so

    $$J = -\frac{1}{m} \sum_{i=1}^{m} \Bigl(y^{(i)} \log a^{[L](i)} + (1 - y^{(i)}) \log\bigl(1 - a^{[L](i)}\bigr)\Bigr).$$

    Training means finding $W^* = \arg\min_W J(W)$. The slides' example: the network
    predicts $0.6, 0.8, 0.1, 0.7$ for examples labelled $0, 1, 0, 1$. The first example
    is the most expensive: a probability of $0.6$ for something that is not a cat.

    ### Exercise 1 — `compute_cost`
    Same formula as in assignment 01; here you will reuse it inside the training loop.
    """),
    answer("compute_cost", r'''
    def compute_cost(AL, Y):
        """Cross-entropy cost J = -(1/m) sum_i [ y_i log(a_i) + (1 - y_i) log(1 - a_i) ].

        AL: (1, m) predicted probabilities in (0, 1).  Y: (1, m) labels 0/1.
        Returns J as a float.
        """
        m = Y.shape[1]
        ### BEGIN SOLUTION
        losses = -(Y * np.log(AL) + (1 - Y) * np.log(1 - AL))
        cost = np.sum(losses, axis=1) / m
        return float(np.squeeze(cost))
        ### END SOLUTION
    '''),
    tests("test_compute_cost", 1, r'''
    J = compute_cost(np.array([[0.6, 0.8, 0.1, 0.7]]), np.array([[0.0, 1.0, 0.0, 1.0]]))
    T.assert_shape("the cost", J, (), hint="sum over the examples (axis 1) to get one number")
    T.assert_close("the cost for the slides' example", J, 0.4003674356962309,
                   hint="J is the average (1/m) of the losses and is positive")
    print("Visible tests passed.")
    ### BEGIN HIDDEN TESTS
    for m, seed in [(9, 2101), (40, 2102)]:
        AL = T.random_case.probabilities((1, m), seed=seed)
        Y = (np.random.default_rng(seed + 7).random((1, m)) < 0.5).astype(float)
        J = compute_cost(AL, Y)
        T.assert_shape(f"the cost for m = {m}", J, ())
        T.assert_close(f"the cost for m = {m}", J, float(tf.keras.losses.BinaryCrossentropy()(Y.T, AL.T)), rtol=1e-5,
                       hint="check the 1/m factor and the minus sign")
        T.assert_close(f"the cost for m = {m}", J, H.compute_cost(AL, Y))
    ### END HIDDEN TESTS
    '''),

    # ------------------------------------------------------------------ forward
    md(r"""
    ## 2. Forward propagation, one layer at a time

    Layer $l$ takes the previous activations $A^{[l-1]}$ and computes

    $$Z^{[l]} = W^{[l]} A^{[l-1]} + b^{[l]}, \qquad A^{[l]} = g^{[l]}\bigl(Z^{[l]}\bigr).$$

    Shapes: $(n^{[l]}, n^{[l-1]}) \cdot (n^{[l-1]}, m) + (n^{[l]}, 1) \to (n^{[l]}, m)$; the
    bias column is broadcast over the $m$ columns. Backpropagation will need the inputs of
    each step again, so each function also returns a **cache**: `(A_prev, W, b)` for the
    linear step, and `((A_prev, W, b), Z)` for a whole layer.

    A worked example with small numbers: three inputs, two units, two examples.
    """),
    code(r"""
    A_prev_example = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])   # (n[l-1], m) = (3, 2)
    W_example = np.array([[1.0, 0.0, -1.0], [2.0, 1.0, 0.0]])          # (n[l], n[l-1]) = (2, 3)
    b_example = np.array([[1.0], [-1.0]])                              # (n[l], 1) = (2, 1)
    Z_example = W_example @ A_prev_example + b_example
    print("Z =\n", Z_example, "\nshape", Z_example.shape)              # first entry: 1 - 5 + 1 = -3
    """),
    md(r"""
    ### Exercise 2 — `linear_forward`
    """),
    answer("linear_forward", r'''
    def linear_forward(A_prev, W, b):
        """Linear part of a layer: Z = W A_prev + b.

        A_prev: (n[l-1], m), W: (n[l], n[l-1]), b: (n[l], 1).
        Returns (Z, cache): Z of shape (n[l], m) and cache = (A_prev, W, b).
        """
        ### BEGIN SOLUTION
        Z = W @ A_prev + b
        ### END SOLUTION
        return Z, (A_prev, W, b)
    '''),
    tests("test_linear_forward", 1, r'''
    Z, cache = linear_forward(np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]),
                              np.array([[1.0, 0.0, -1.0], [2.0, 1.0, 0.0]]), np.array([[1.0], [-1.0]]))
    T.assert_shape("Z", Z, (2, 2), hint="W @ A_prev: (n[l], n[l-1]) times (n[l-1], m)")
    T.assert_close("Z", Z, np.array([[-3.0, -3.0], [4.0, 7.0]]))
    print("Visible tests passed.")
    ### BEGIN HIDDEN TESTS
    A_prev, W, b = T.random_case.layer(5, 3, 7, seed=2201)
    Z, cache = linear_forward(A_prev, W, b)
    T.assert_close("Z", Z, H.linear_forward(A_prev, W, b)[0])
    T.assert_close("Z[:, 4]", Z[:, 4], np.array([sum(W[i, k] * A_prev[k, 4] for k in range(5)) + b[i, 0] for i in range(3)]))
    ### END HIDDEN TESTS
    '''),
    md(r"""
    ### Exercise 3 — `linear_activation_forward`

    One whole layer: the linear step (your `linear_forward`), then the activation, which is
    `"relu"` for hidden layers and `"sigmoid"` for the output layer. Use `H.relu` and
    `H.sigmoid` (the activations you wrote in assignment 01, from the course's `helpers`).
    """),
    answer("linear_activation_forward", r'''
    def linear_activation_forward(A_prev, W, b, activation):
        """One layer: A = g(W A_prev + b) with g = "relu" or "sigmoid".

        A_prev: (n[l-1], m), W: (n[l], n[l-1]), b: (n[l], 1).
        Returns (A, cache): A of shape (n[l], m) and cache = ((A_prev, W, b), Z).
        """
        Z, linear_cache = linear_forward(A_prev, W, b)
        ### BEGIN SOLUTION
        if activation == "relu":
            A = H.relu(Z)
        elif activation == "sigmoid":
            A = H.sigmoid(Z)
        else:
            raise ValueError(f"activation must be 'relu' or 'sigmoid', got {activation!r}")
        ### END SOLUTION
        return A, (linear_cache, Z)
    '''),
    tests("test_linear_activation_forward", 1, r'''
    A, cache = linear_activation_forward(np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]),
                                         np.array([[1.0, 0.0, -1.0], [2.0, 1.0, 0.0]]), np.array([[1.0], [-1.0]]), "relu")
    T.assert_close("A with relu", A, np.array([[0.0, 0.0], [4.0, 7.0]]), hint="relu(Z) = max(0, Z)")
    print("Visible tests passed.")
    ### BEGIN HIDDEN TESTS
    A_prev, W, b = T.random_case.layer(4, 6, 5, seed=2301)
    for activation in ("relu", "sigmoid"):
        A, cache = linear_activation_forward(A_prev, W, b, activation)
        A_ref, cache_ref = H.linear_activation_forward(A_prev, W, b, activation)
        T.assert_close(f"A with {activation}", A, A_ref, hint="apply the activation you are asked for to Z")
        T.assert_close("the Z in the cache", cache[1], cache_ref[1])
    ### END HIDDEN TESTS
    '''),

    # ------------------------------------------------------------------ backward
    md(r"""
    ## 3. Backward propagation, one layer at a time

    Backpropagation is the chain rule applied from the cost back to each weight. Write
    $dX$ for $\partial J / \partial X$ (with the $1/m$ convention of the notes: $dZ^{[l]}$
    and $dA^{[l]}$ are per-example quantities, the $1/m$ enters in $dW$ and $db$). For layer
    $l$, given $dA^{[l]}$:

    $$dZ^{[l]} = dA^{[l]} * g^{[l]\prime}\bigl(Z^{[l]}\bigr) \qquad \text{(element-wise)}$$

    $$dW^{[l]} = \frac{1}{m}\, dZ^{[l]} A^{[l-1]T}, \qquad
    db^{[l]} = \frac{1}{m} \sum_{i=1}^{m} dZ^{[l](i)}, \qquad
    dA^{[l-1]} = W^{[l]T} dZ^{[l]}.$$

    Check the shapes: $dW$: $(n^{[l]}, m)(m, n^{[l-1]}) = (n^{[l]}, n^{[l-1]})$, like $W$.
    $db$ sums over the examples, **axis 1**, and must stay a column $(n^{[l]}, 1)$, like $b$:
    `np.sum(dZ, axis=1, keepdims=True)`. $dA^{[l-1]}$: $(n^{[l-1]}, n^{[l]})(n^{[l]}, m)$,
    so it is $W^T$, not $W$, that carries the gradient back.

    ### Exercise 4 — `sigmoid_backward` and `relu_backward`

    The first step, $dZ = dA * g'(Z)$. For the sigmoid, $g'(Z) = \sigma(Z)(1 - \sigma(Z))$
    (computed from $\sigma(Z)$, not from $Z$); for ReLU, $g'(Z)$ is $1$ where $Z > 0$ and $0$
    elsewhere, so $dZ$ is $dA$ with the entries where $Z \le 0$ set to zero.
    """),
    answer("sigmoid_backward", r'''
    def sigmoid_backward(dA, Z):
        """dZ = dA * sigma'(Z) = dA * sigma(Z) * (1 - sigma(Z)).

        dA, Z: (n[l], m). Returns dZ of shape (n[l], m).
        """
        s = H.sigmoid(Z)
        ### BEGIN SOLUTION
        dZ = dA * s * (1 - s)
        ### END SOLUTION
        return dZ
    '''),
    tests("test_sigmoid_backward", 1, r'''
    T.assert_close("sigmoid_backward(dA=2, Z=0)", sigmoid_backward(np.array([[2.0]]), np.array([[0.0]])), np.array([[0.5]]),
                   hint="sigma(0) = 0.5, so dZ = 2 * 0.5 * (1 - 0.5)")
    print("Visible tests passed.")
    ### BEGIN HIDDEN TESTS
    Z = T.random_case.z((3, 6), seed=2401)
    dA = np.random.default_rng(2402).standard_normal((3, 6))
    with tf.GradientTape() as tape:
        Z_tensor = tf.constant(Z)
        tape.watch(Z_tensor)
        A_tensor = tf.math.sigmoid(Z_tensor)
    T.assert_close("dZ", sigmoid_backward(dA, Z), tape.gradient(A_tensor, Z_tensor, output_gradients=tf.constant(dA)).numpy(),
                   hint="use sigma(Z) * (1 - sigma(Z)), not Z * (1 - Z) nor sigma(Z) alone")
    T.assert_close("dZ", sigmoid_backward(dA, Z), dA * H.sigmoid_derivative(Z))
    ### END HIDDEN TESTS
    '''),
    answer("relu_backward", r'''
    def relu_backward(dA, Z):
        """dZ = dA * relu'(Z), with relu'(Z) = 1 where Z > 0 and 0 where Z <= 0.

        dA, Z: (n[l], m). Returns dZ of shape (n[l], m).
        """
        ### BEGIN SOLUTION
        dZ = dA * (Z > 0)
        ### END SOLUTION
        return dZ
    '''),
    tests("test_relu_backward", 1, r'''
    T.assert_close("relu_backward", relu_backward(np.array([[1.0, 2.0, 3.0]]), np.array([[-1.5, 0.0, 2.5]])),
                   np.array([[0.0, 0.0, 3.0]]), hint="dZ is dA where Z > 0 and 0 elsewhere (Z itself does not appear)")
    print("Visible tests passed.")
    ### BEGIN HIDDEN TESTS
    Z = T.random_case.z((4, 5), seed=2501)
    dA = np.random.default_rng(2502).standard_normal((4, 5))
    with tf.GradientTape() as tape:
        Z_tensor = tf.constant(Z)
        tape.watch(Z_tensor)
        A_tensor = tf.nn.relu(Z_tensor)
    T.assert_close("dZ", relu_backward(dA, Z), tape.gradient(A_tensor, Z_tensor, output_gradients=tf.constant(dA)).numpy())
    T.assert_close("dZ", relu_backward(dA, Z), dA * H.relu_derivative(Z))
    ### END HIDDEN TESTS
    '''),
    md(r"""
    ### Exercise 5 — `linear_backward`

    Given $dZ^{[l]}$ and the cache `(A_prev, W, b)` of the linear step, return
    $(dA^{[l-1]}, dW^{[l]}, db^{[l]})$ with the formulas above. This is where most backprop
    bugs live: the $\frac1m$, the axis and `keepdims` of the sum, and the transpose.

    **Worked example** ($m = 2$): with
    $A^{[l-1]} = \begin{bmatrix}1 & 2\\ 0 & -1\\ 3 & 1\end{bmatrix}$,
    $W = \begin{bmatrix}1 & -1 & 2\\ 0 & 2 & 1\end{bmatrix}$ and
    $dZ = \begin{bmatrix}1 & -1\\ 2 & 0.5\end{bmatrix}$, the first entry of $dW$ is
    $\frac12\bigl(1 \cdot 1 + (-1) \cdot 2\bigr) = -0.5$, the second entry of $db$ is
    $\frac12(2 + 0.5) = 1.25$, and the first column of $dA^{[l-1]} = W^T dZ$ is
    $(1 \cdot 1 + 0 \cdot 2,\; -1 \cdot 1 + 2 \cdot 2,\; 2 \cdot 1 + 1 \cdot 2) = (1, 3, 4)$.
    """),
    answer("linear_backward", r'''
    def linear_backward(dZ, cache):
        """Backward step of Z = W A_prev + b.

        dW = (1/m) dZ A_prev^T,  db = (1/m) sum(dZ, axis=1, keepdims=True),  dA_prev = W^T dZ.
        dZ: (n[l], m); cache = (A_prev (n[l-1], m), W (n[l], n[l-1]), b (n[l], 1)).
        Returns (dA_prev, dW, db) with the shapes of A_prev, W and b.
        """
        A_prev, W, b = cache
        m = A_prev.shape[1]
        ### BEGIN SOLUTION
        dW = dZ @ A_prev.T / m
        db = np.sum(dZ, axis=1, keepdims=True) / m
        dA_prev = W.T @ dZ
        ### END SOLUTION
        return dA_prev, dW, db
    '''),
    tests("test_linear_backward", 3, r'''
    A_prev = np.array([[1.0, 2.0], [0.0, -1.0], [3.0, 1.0]])
    W, b = np.array([[1.0, -1.0, 2.0], [0.0, 2.0, 1.0]]), np.zeros((2, 1))
    dZ = np.array([[1.0, -1.0], [2.0, 0.5]])
    dA_prev, dW, db = linear_backward(dZ, (A_prev, W, b))
    T.assert_shape("dW", dW, (2, 3), hint="dW has the shape of W: dZ @ A_prev.T")
    T.assert_shape("db", db, (2, 1), hint="sum over axis=1 (the examples) with keepdims=True")
    T.assert_shape("dA_prev", dA_prev, (3, 2), hint="dA_prev has the shape of A_prev: W.T @ dZ")
    T.assert_close("dW (worked example)", dW, np.array([[-0.5, 0.5, 1.0], [1.5, -0.25, 3.25]]),
                   hint="dW = (1/m) dZ A_prev^T")
    T.assert_close("db (worked example)", db, np.array([[0.0], [1.25]]), hint="db = (1/m) * sum of dZ over the examples")
    T.assert_close("dA_prev (worked example)", dA_prev, np.array([[1.0, -1.0], [3.0, 2.0], [4.0, -1.5]]),
                   hint="dA_prev = W.T @ dZ, without 1/m")
    print("Visible tests passed.")
    ### BEGIN HIDDEN TESTS
    A_prev, W, b = T.random_case.layer(5, 3, 6, seed=2601)
    dZ = np.random.default_rng(2602).standard_normal((3, 6))
    dA_prev, dW, db = linear_backward(dZ, (A_prev, W, b))
    # independent reference: J = (1/m) sum(dZ * Z) has dJ/dZ = dZ / m, the convention of the notes
    W_var, b_var, A_var = tf.Variable(W), tf.Variable(b), tf.Variable(A_prev)
    with tf.GradientTape() as tape:
        J = tf.reduce_sum(dZ * (W_var @ A_var + b_var)) / 6
    dW_tf, db_tf, dA_tf = tape.gradient(J, [W_var, b_var, A_var])
    T.assert_shape("db", db, (3, 1), hint="keepdims=True keeps db a column like b")
    T.assert_close("dW", dW, dW_tf.numpy(), hint="dW = (1/m) dZ A_prev^T: did you forget the 1/m?")
    T.assert_close("db", db, db_tf.numpy(), hint="sum over axis=1 (the examples), then divide by m")
    T.assert_close("dA_prev", dA_prev, 6 * dA_tf.numpy(), hint="dA_prev = W.T @ dZ, without 1/m")
    ref_dA_prev, ref_dW, ref_db = H.linear_backward(dZ, (A_prev, W, b))
    T.assert_close("dW", dW, ref_dW)
    T.assert_close("db", db, ref_db)
    T.assert_close("dA_prev", dA_prev, ref_dA_prev)
    ### END HIDDEN TESTS
    '''),
    md(r"""
    ### Exercise 6 — `linear_activation_backward`

    A whole layer backwards: from $dA^{[l]}$ compute $dZ^{[l]}$ with your `relu_backward` or
    `sigmoid_backward`, then pass it to `linear_backward`. The cache is the one
    `linear_activation_forward` returned: `((A_prev, W, b), Z)`.
    """),
    answer("linear_activation_backward", r'''
    def linear_activation_backward(dA, cache, activation):
        """Backward step of one layer A = g(W A_prev + b), g = "relu" or "sigmoid".

        dA: (n[l], m); cache = ((A_prev, W, b), Z).
        Returns (dA_prev, dW, db) with the shapes of A_prev, W and b.
        """
        linear_cache, Z = cache
        ### BEGIN SOLUTION
        if activation == "relu":
            dZ = relu_backward(dA, Z)
        elif activation == "sigmoid":
            dZ = sigmoid_backward(dA, Z)
        else:
            raise ValueError(f"activation must be 'relu' or 'sigmoid', got {activation!r}")
        return linear_backward(dZ, linear_cache)
        ### END SOLUTION
    '''),
    tests("test_linear_activation_backward", 1, r'''
    # the worked example of exercise 5, now as a whole ReLU layer: Z = W A_prev = [[7, 5], [3, -1]],
    # so the ReLU zeroes the one entry of dA where Z = -1 and dZ = [[1, -1], [2, 0]]
    A_prev = np.array([[1.0, 2.0], [0.0, -1.0], [3.0, 1.0]])
    W, b = np.array([[1.0, -1.0, 2.0], [0.0, 2.0, 1.0]]), np.zeros((2, 1))
    dA = np.array([[1.0, -1.0], [2.0, 0.5]])
    dA_prev, dW, db = linear_activation_backward(dA, ((A_prev, W, b), W @ A_prev + b), "relu")
    T.assert_shape("dW", dW, (2, 3))
    T.assert_close("dW (relu, worked example)", dW, np.array([[-0.5, 0.5, 1.0], [1.0, 0.0, 3.0]]),
                   hint="first dZ = relu_backward(dA, Z), then linear_backward(dZ, linear_cache)")
    T.assert_close("db (relu, worked example)", db, np.array([[0.0], [1.0]]))
    T.assert_close("dA_prev (relu, worked example)", dA_prev, np.array([[1.0, -1.0], [3.0, 1.0], [4.0, -2.0]]))
    print("Visible tests passed.")
    ### BEGIN HIDDEN TESTS
    A_prev, W, b = T.random_case.layer(4, 3, 5, seed=2701)
    Z = W @ A_prev + b
    dA = np.random.default_rng(2702).standard_normal((3, 5))
    for activation in ("relu", "sigmoid"):
        got = linear_activation_backward(dA, ((A_prev, W, b), Z), activation)
        expected = H.linear_activation_backward(dA, ((A_prev, W, b), Z), activation)
        for name, g, e in zip(("dA_prev", "dW", "db"), got, expected):
            T.assert_close(f"{name} ({activation})", g, e, hint=f"use the {activation} backward step, then linear_backward")
    ### END HIDDEN TESTS
    '''),

    # ------------------------------------------------------------------ two-layer
    md(r"""
    ## 4. A two-layer network, step by step

    Before generalizing, run your building blocks on the network of the lesson notes: input
    $\to$ hidden layer (ReLU) $\to$ output (sigmoid), here with $n^{[0]} = 4$ inputs,
    $n^{[1]} = 3$ hidden units and $m = 5$ examples. For the output layer the chain rule
    through the cross-entropy and the sigmoid simplifies:

    $$dA^{[2]} = -\frac{Y}{A^{[2]}} + \frac{1 - Y}{1 - A^{[2]}}, \qquad
    dZ^{[2]} = dA^{[2]} * A^{[2]}(1 - A^{[2]}) = A^{[2]} - Y.$$

    The cell checks the shape of every quantity against the table at the top of the
    notebook as it goes. Read it line by line: forward, then backward in reverse order.
    """),
    code(r"""
    if not GRADING:
        n0, n1, n2, m = 4, 3, 1, 5
        X_small, Y_small = T.random_case.data(n0, m, seed=1)
        params_small = H.initialize_parameters([n0, n1, n2], seed=1)

        def show(name, value, expected_shape):
            T.assert_shape(name, value, expected_shape)       # stops here if a shape is off
            print(f"{name:>8} {str(value.shape):>8}  ok")

        A1, cache1 = linear_activation_forward(X_small, params_small["W1"], params_small["b1"], "relu")
        show("A1", A1, (n1, m))
        A2, cache2 = linear_activation_forward(A1, params_small["W2"], params_small["b2"], "sigmoid")
        show("A2", A2, (n2, m))
        print(f"    cost {compute_cost(A2, Y_small):.4f}")
        dA2 = -(Y_small / A2 - (1 - Y_small) / (1 - A2))
        show("dA2", dA2, (n2, m))
        dA1, dW2, db2 = linear_activation_backward(dA2, cache2, "sigmoid")
        show("dW2", dW2, (n2, n1)); show("db2", db2, (n2, 1)); show("dA1", dA1, (n1, m))
        dA0, dW1, db1 = linear_activation_backward(dA1, cache1, "relu")
        show("dW1", dW1, (n1, n0)); show("db1", db1, (n1, 1)); show("dA0", dA0, (n0, m))
        print("dZ2 = A2 - Y ?", np.allclose(sigmoid_backward(dA2, cache2[1]), A2 - Y_small))
    """),

    # ------------------------------------------------------------------ L layers
    md(r"""
    ## 5. $L$ layers

    The deep network repeats the same layer: $L-1$ ReLU layers, then a sigmoid output.
    `parameters` holds `"W1", "b1", ..., "WL", "bL"`, so $L$ = `len(parameters) // 2`.

    ### Exercise 7 — `L_model_forward`
    Loop over the layers, keep every layer's cache in a list (`caches[l-1]` for layer `l`),
    and return the output $A^{[L]}$ with the caches.
    """),
    answer("L_model_forward", r'''
    def L_model_forward(X, parameters):
        """Forward pass: [LINEAR -> RELU] x (L-1) -> LINEAR -> SIGMOID.

        X: (n[0], m); parameters: {"W1", "b1", ..., "WL", "bL"}.
        Returns (AL, caches): AL of shape (n[L], m) and the list of the L layer caches.
        """
        L = len(parameters) // 2
        caches = []
        A = X
        ### BEGIN SOLUTION
        for l in range(1, L):
            A, cache = linear_activation_forward(A, parameters[f"W{l}"], parameters[f"b{l}"], "relu")
            caches.append(cache)
        AL, cache = linear_activation_forward(A, parameters[f"W{L}"], parameters[f"b{L}"], "sigmoid")
        caches.append(cache)
        ### END SOLUTION
        return AL, caches
    '''),
    tests("test_L_model_forward", 2, r'''
    X_visible, _ = T.random_case.data(4, 5, seed=9)
    params_visible = T.random_case.parameters([4, 3, 2, 1], seed=9)
    AL, caches = L_model_forward(X_visible, params_visible)
    T.assert_shape("AL", AL, (1, 5))
    T.assert_equal("number of caches", len(caches), 3, hint="one cache per layer, the output layer included")
    # a worked example: Z1 = W1 X + b1 = [[3, -1], [1, 2]], A1 = [[3, 0], [1, 2]], Z2 = W2 A1 + b2 = [[1.5, -3.5]]
    X_two = np.array([[1.0, -1.0], [2.0, 0.0]])
    params_two = {"W1": np.array([[1.0, 1.0], [-1.0, 0.5]]), "b1": np.array([[0.0], [1.0]]),
                  "W2": np.array([[1.0, -2.0]]), "b2": np.array([[0.5]])}
    AL, caches = L_model_forward(X_two, params_two)
    T.assert_close("AL (worked example)", AL, 1 / (1 + np.exp(-np.array([[1.5, -3.5]]))),
                   hint="ReLU on the hidden layer, sigmoid on the output layer only")
    T.assert_close("Z of layer 1 in caches[0]", caches[0][1], np.array([[3.0, -1.0], [1.0, 2.0]]))
    print("Visible tests passed.")
    ### BEGIN HIDDEN TESTS
    layer_dims = T.random_case.layer_dims(seed=2801, n_layers=(3, 4))
    X, _ = T.random_case.data(layer_dims[0], 8, seed=2802)
    parameters = T.random_case.parameters(layer_dims, seed=2803)
    AL, caches = L_model_forward(X, parameters)
    AL_ref, caches_ref = H.L_model_forward(X, parameters)
    T.assert_close("AL", AL, AL_ref, hint="ReLU on every hidden layer, sigmoid on the last one only")
    T.assert_equal("number of caches", len(caches), len(layer_dims) - 1)
    for l, (cache, cache_ref) in enumerate(zip(caches, caches_ref), start=1):
        T.assert_close(f"Z of layer {l} in caches[{l - 1}]", cache[1], cache_ref[1])
    ### END HIDDEN TESTS
    '''),
    md(r"""
    ### Exercise 8 — `L_model_backward`

    Start at the output with
    $dA^{[L]} = -\bigl(\frac{Y}{A^{[L]}} - \frac{1 - Y}{1 - A^{[L]}}\bigr)$, go back through the
    sigmoid layer $L$, then through the ReLU layers $L-1, \dots, 1$. Store
    `grads["dA" + str(l-1)]`, `grads["dW" + str(l)]` and `grads["db" + str(l)]` for every layer.
    """),
    answer("L_model_backward", r'''
    def L_model_backward(AL, Y, caches):
        """Backward pass of the cross-entropy cost through [LINEAR -> RELU] x (L-1) -> LINEAR -> SIGMOID.

        AL, Y: (1, m); caches: the list from L_model_forward.
        Returns grads with "dW{l}" (n[l], n[l-1]), "db{l}" (n[l], 1) for l = 1..L
        and "dA{l}" (n[l], m) for l = 0..L-1.
        """
        grads = {}
        L = len(caches)
        dAL = -(Y / AL - (1 - Y) / (1 - AL))
        ### BEGIN SOLUTION
        grads[f"dA{L - 1}"], grads[f"dW{L}"], grads[f"db{L}"] = linear_activation_backward(dAL, caches[L - 1], "sigmoid")
        for l in range(L - 1, 0, -1):
            grads[f"dA{l - 1}"], grads[f"dW{l}"], grads[f"db{l}"] = linear_activation_backward(
                grads[f"dA{l}"], caches[l - 1], "relu")
        ### END SOLUTION
        return grads
    '''),
    tests("test_L_model_backward", 3, r'''
    X_visible, Y_visible = T.random_case.data(4, 5, seed=10)
    params_visible = T.random_case.parameters([4, 3, 1], seed=10)
    AL, caches = H.L_model_forward(X_visible, params_visible)
    grads = L_model_backward(AL, Y_visible, caches)
    for key, shape in [("dW2", (1, 3)), ("db2", (1, 1)), ("dA1", (3, 5)), ("dW1", (3, 4)), ("db1", (3, 1)), ("dA0", (4, 5))]:
        T.assert_true(key in grads, f"grads has no key {key!r} (its keys: {sorted(grads)})")
        T.assert_shape(f"grads[{key!r}]", grads[key], shape)
    # the worked example of exercise 7 with labels Y = (1, 0): dZ2 = AL - Y = (-0.1824, 0.0293),
    # dW2 = (1/2) dZ2 A1^T, dA1 = W2^T dZ2, and the ReLU of layer 1 zeroes dZ1 where Z1 = -1
    X_two = np.array([[1.0, -1.0], [2.0, 0.0]])
    params_two = {"W1": np.array([[1.0, 1.0], [-1.0, 0.5]]), "b1": np.array([[0.0], [1.0]]),
                  "W2": np.array([[1.0, -2.0]]), "b2": np.array([[0.5]])}
    AL, caches = H.L_model_forward(X_two, params_two)
    grads = L_model_backward(AL, np.array([[1.0, 0.0]]), caches)
    T.assert_close("grads['dW2'] (worked example)", grads["dW2"], np.array([[-0.2736382857, -0.0619005312]]), rtol=1e-8,
                   hint="the output layer uses the sigmoid backward step")
    T.assert_close("grads['dA1'] (worked example)", grads["dA1"],
                   np.array([[-0.1824255238, 0.0293122308], [0.3648510476, -0.0586244615]]), rtol=1e-8)
    T.assert_close("grads['dW1'] (worked example)", grads["dW1"],
                   np.array([[-0.0912127619, -0.1824255238], [0.2117377546, 0.3648510476]]), rtol=1e-8,
                   hint="the hidden layer uses the ReLU backward step on grads['dA1']")
    T.assert_close("grads['db1'] (worked example)", grads["db1"], np.array([[-0.0912127619], [0.1531132931]]), rtol=1e-8)
    print("Visible tests passed.")
    ### BEGIN HIDDEN TESTS
    layer_dims = T.random_case.layer_dims(seed=2901, n_layers=(3, 4))
    X, Y = T.random_case.data(layer_dims[0], 7, seed=2902)
    parameters = T.random_case.parameters(layer_dims, seed=2903)
    AL, caches = H.L_model_forward(X, parameters)
    grads = L_model_backward(AL, Y, caches)
    grads_ref = H.L_model_backward(AL, Y, caches)
    T.assert_dict_close("grads", grads, grads_ref, rtol=1e-5, atol=1e-9)
    # an independent check: the numerical (two-sided difference) gradient of the cost
    difference = H.gradient_check(parameters, grads, X, Y, epsilon=1e-5)
    T.assert_true(difference < 1e-6, f"your gradients differ from the numerical gradient (relative difference {difference:.2e})")
    ### END HIDDEN TESTS
    '''),
    md(r"""
    ### Exercise 9 — `update_parameters`

    One step of **gradient descent** for every layer:
    $W^{[l]} \leftarrow W^{[l]} - \alpha\, dW^{[l]}$, $b^{[l]} \leftarrow b^{[l]} - \alpha\, db^{[l]}$.
    Return a **new** dictionary and leave `parameters` untouched (`W - alpha * dW` makes a new
    array; `W -= alpha * dW` would change the caller's array).
    """),
    answer("update_parameters", r'''
    def update_parameters(parameters, grads, learning_rate):
        """Gradient descent step: W[l] - learning_rate * dW[l], b[l] - learning_rate * db[l].

        parameters: {"W1", "b1", ...}; grads: {"dW1", "db1", ...} of the same shapes.
        Returns a new dict of parameters; the input dicts are not modified.
        """
        L = len(parameters) // 2
        updated = {}
        ### BEGIN SOLUTION
        for l in range(1, L + 1):
            updated[f"W{l}"] = parameters[f"W{l}"] - learning_rate * grads[f"dW{l}"]
            updated[f"b{l}"] = parameters[f"b{l}"] - learning_rate * grads[f"db{l}"]
        ### END SOLUTION
        return updated
    '''),
    tests("test_update_parameters", 1, r'''
    new = update_parameters({"W1": np.ones((2, 2)), "b1": np.zeros((2, 1))},
                            {"dW1": np.full((2, 2), 2.0), "db1": np.ones((2, 1))}, 0.1)
    T.assert_close("W1", new["W1"], np.full((2, 2), 0.8), hint="W - learning_rate * dW")
    T.assert_close("b1", new["b1"], np.full((2, 1), -0.1))
    print("Visible tests passed.")
    ### BEGIN HIDDEN TESTS
    parameters = T.random_case.parameters([5, 4, 3, 1], seed=3001)
    grads = T.random_case.grads(parameters, seed=3002)
    before = {key: value.copy() for key, value in parameters.items()}
    new = update_parameters(parameters, grads, 0.03)
    T.assert_dict_close("updated parameters", new, H.update_parameters(before, grads, 0.03))
    T.assert_dict_close("parameters after the call", parameters, before,
                        hint="return a new dict; do not change the parameters you were given")
    ### END HIDDEN TESTS
    '''),

    # ------------------------------------------------------------------ gradient check
    md(r"""
    ## 6. Gradient checking

    A backprop bug rarely crashes: the network just learns badly. **Gradient checking**
    compares your analytic gradient with a numerical one. Put all parameters in one vector
    $\theta$ (and all gradients, in the same order, in $d\theta$), then for each $i$ nudge
    $\theta_i$ both ways:

    $$d\theta_{\text{approx}}[i] = \frac{J(\theta_1, \dots, \theta_i + \varepsilon, \dots) - J(\theta_1, \dots, \theta_i - \varepsilon, \dots)}{2\varepsilon}.$$

    The **two-sided** difference has an error of order $\varepsilon^2$; the one-sided
    $\bigl(J(\theta + \varepsilon) - J(\theta)\bigr)/\varepsilon$ only of order $\varepsilon$.
    Then compare the vectors with a **relative** difference, which does not depend on how
    large the gradients happen to be:

    $$\text{difference} = \frac{\lVert d\theta - d\theta_{\text{approx}} \rVert_2}{\lVert d\theta \rVert_2 + \lVert d\theta_{\text{approx}} \rVert_2}.$$

    With $\varepsilon = 10^{-7}$, about $10^{-7}$ or less means correct; $10^{-3}$ or more means a bug.

    ### Exercise 10 — `gradient_check`

    The packing into vectors and the cost $J(\theta)$ are written for you (`cost_at`); fill
    in the loop and the difference. Copy $\theta$ before nudging it (`theta.copy()`).
    """),
    answer("gradient_check", r'''
    def gradient_check(parameters, grads, X, Y, epsilon=1e-7):
        """Relative difference between backprop's gradients and two-sided numerical ones.

        gradapprox[i] = (J(theta + eps e_i) - J(theta - eps e_i)) / (2 eps);
        difference = ||grad - gradapprox||_2 / (||grad||_2 + ||gradapprox||_2).
        parameters, grads: dicts of an L-layer network; X: (n[0], m); Y: (1, m).
        Returns the difference as a float.
        """
        L = len(parameters) // 2
        layer_dims = [parameters["W1"].shape[1]] + [parameters[f"W{l}"].shape[0] for l in range(1, L + 1)]
        theta, _ = H.dictionary_to_vector(parameters)
        grad = H.gradients_to_vector(grads, layer_dims)

        def cost_at(theta_point):
            # J at theta_point, with your own forward pass and cost from the exercises above
            AL, _ = L_model_forward(X, H.vector_to_dictionary(theta_point, layer_dims))
            return compute_cost(AL, Y)

        gradapprox = np.zeros_like(theta)
        ### BEGIN SOLUTION
        for i in range(theta.size):
            theta_plus, theta_minus = theta.copy(), theta.copy()
            theta_plus.flat[i] += epsilon
            theta_minus.flat[i] -= epsilon
            gradapprox.flat[i] = (cost_at(theta_plus) - cost_at(theta_minus)) / (2 * epsilon)
        numerator = np.linalg.norm(grad - gradapprox)
        denominator = np.linalg.norm(grad) + np.linalg.norm(gradapprox)
        difference = numerator / denominator
        ### END SOLUTION
        return float(difference)
    '''),
    tests("test_gradient_check", 2, r'''
    X_visible, Y_visible = T.random_case.data(3, 4, seed=11)
    params_visible = T.random_case.parameters([3, 2, 1], seed=11)
    AL, caches = H.L_model_forward(X_visible, params_visible)
    good_grads = H.L_model_backward(AL, Y_visible, caches)
    difference = gradient_check(params_visible, good_grads, X_visible, Y_visible)
    T.assert_true(difference < 1e-6, f"correct gradients should give a difference below 1e-6, got {difference:.2e}")
    doubled = {key: 2 * value for key, value in good_grads.items()}
    T.assert_close("difference for gradients twice too large", gradient_check(params_visible, doubled, X_visible, Y_visible),
                   1 / 3, rtol=1e-4, hint="||2g - g|| / (||2g|| + ||g||) = 1/3: divide by the sum of the two norms")
    print("Visible tests passed.")
    ### BEGIN HIDDEN TESTS
    X, Y = T.random_case.data(4, 6, seed=3101)
    parameters = T.random_case.parameters([4, 5, 3, 1], seed=3102)
    AL, caches = H.L_model_forward(X, parameters)
    good_grads = H.L_model_backward(AL, Y, caches)
    # with a coarse epsilon, only the two-sided difference stays this accurate
    difference = gradient_check(parameters, good_grads, X, Y, epsilon=1e-4)
    T.assert_true(difference < 1e-6, f"with epsilon = 1e-4 and correct gradients the difference should stay below 1e-6 "
                  f"(the two-sided error is of order epsilon^2), got {difference:.2e}",
                  hint="use (J(theta + eps) - J(theta - eps)) / (2 eps), not a one-sided difference")
    T.assert_close("difference (epsilon = 1e-4)", difference, H.gradient_check(parameters, good_grads, X, Y, epsilon=1e-4),
                   rtol=1e-2)
    tripled = {key: 3 * value for key, value in good_grads.items()}
    T.assert_close("difference for gradients 3 times too large", gradient_check(parameters, tripled, X, Y), 0.5, rtol=1e-4)
    ### END HIDDEN TESTS
    '''),
    # ------------------------------------------------------------------ gradient check for real
    md(r"""
    ## 6b. Gradient checking for real: finding a planted bug

    One number for the whole network says *that* something is wrong, not *where*. To find a
    bug, compare the gradients **parameter by parameter**, and look at which entries disagree.
    Below, a colleague's backward pass of a two-layer network (ReLU hidden layer, sigmoid
    output) trained with **L2 regularization**,

    $$J_{L2} = \underbrace{-\frac1m \sum_{i=1}^m \Bigl(y^{(i)} \log a^{[2](i)} + (1 - y^{(i)}) \log\bigl(1 - a^{[2](i)}\bigr)\Bigr)}_{\text{cross-entropy}}
    + \frac{\lambda}{2m}\Bigl(\lVert W^{[1]} \rVert_F^2 + \lVert W^{[2]} \rVert_F^2\Bigr),$$

    whose gradients are backprop's plus $\frac{\lambda}{m} W^{[l]}$ for each weight matrix (the
    biases are not penalized):

    $$dZ^{[2]} = A^{[2]} - Y,\quad dW^{[2]} = \tfrac1m dZ^{[2]} A^{[1]T} + \tfrac{\lambda}{m} W^{[2]},\quad
    db^{[2]} = \tfrac1m \textstyle\sum_i dZ^{[2](i)},$$
    $$dZ^{[1]} = W^{[2]T} dZ^{[2]} * \mathbb 1\bigl[Z^{[1]} > 0\bigr],\quad dW^{[1]} = \tfrac1m dZ^{[1]} X^T + \tfrac{\lambda}{m} W^{[1]},\quad
    db^{[1]} = \tfrac1m \textstyle\sum_i dZ^{[1](i)}.$$

    The colleague's code has **one planted bug**. Do not hunt for it by reading yet: let the
    gradient check point at it. First the tools: the forward pass and the cost (given), and
    the colleague's backward pass.
    """),
    code(r"""
    def two_layer_forward(X, parameters):
        # ReLU hidden layer, sigmoid output; returns the cache (Z1, A1, A2) of the backward pass
        Z1 = parameters["W1"] @ X + parameters["b1"]
        A1 = np.maximum(Z1, 0)
        A2 = H.sigmoid(parameters["W2"] @ A1 + parameters["b2"])
        return Z1, A1, A2

    def two_layer_cost(X, Y, parameters, lambd):
        # cross-entropy plus the L2 term (lambd / 2m) (||W1||^2 + ||W2||^2)
        A2 = two_layer_forward(X, parameters)[2]
        squares = np.sum(parameters["W1"] ** 2) + np.sum(parameters["W2"] ** 2)
        return compute_cost(A2, Y) + lambd / (2 * X.shape[1]) * squares

    def colleague_backward(X, Y, cache, parameters, lambd):
        # a colleague's gradients of two_layer_cost: one line is wrong
        Z1, A1, A2 = cache
        m = X.shape[1]
        error = A2 - Y
        grads = {"dW2": (error @ A1.T + lambd * parameters["W2"]) / m, "db2": error.mean(axis=1, keepdims=True)}
        hidden_error = (parameters["W2"].T @ error) * (A1 >= 0)    # ReLU slope, read off the output
        grads["dW1"] = (hidden_error @ X.T + lambd * parameters["W1"]) / m
        grads["db1"] = hidden_error.mean(axis=1, keepdims=True)
        return grads

    X_digits, Y_digits, _, _ = H.load_digits_binary(positive=8)
    center = [19, 20, 27, 28, 35, 36, 43, 44]          # 8 pixels from the middle of the image
    X_check, Y_check = X_digits[center, :40], Y_digits[:, :40]
    params_check = H.initialize_parameters([8, 5, 1], method="he", seed=1)
    lambd_check = 0.7
    print("X_check", X_check.shape, "| cost with L2:", two_layer_cost(X_check, Y_check, params_check, lambd_check))
    """),
    md(r"""
    ### Exercise 11 — `numerical_gradients`

    For every parameter array and every entry in it, the two-sided difference of section 6,

    $$\frac{\partial J}{\partial \theta_i} \approx \frac{J(\dots, \theta_i + \varepsilon, \dots) - J(\dots, \theta_i - \varepsilon, \dots)}{2\varepsilon},$$

    but kept in the **shape of each parameter**, so that entry `[i, j]` of
    `numerical["dW1"]` sits next to entry `[i, j]` of `grads["dW1"]`. The cost is any
    function of the parameter dictionary, `cost_function(parameters) -> float`.
    `np.ndindex(shape)` walks over every index tuple of an array. Nudge copies, never the
    caller's arrays: `{key: value.copy() for key, value in parameters.items()}`.

    **Worked example.** For $J = w_1^2 + 3 b_1$ at $w_1 = 2$, $b_1 = 0$: the entry for $w_1$ is
    $\bigl((2 + \varepsilon)^2 - (2 - \varepsilon)^2\bigr) / (2\varepsilon) = 4$ exactly, and for
    $b_1$ it is $3$.
    """),
    answer("numerical_gradients", r'''
    def numerical_gradients(cost_function, parameters, epsilon=1e-7):
        """Two-sided numerical gradient of cost_function, one array per parameter.

        numerical["d" + name][index] = (J(theta + eps e) - J(theta - eps e)) / (2 eps), where e is 1
        at parameters[name][index] and 0 elsewhere.
        cost_function: dict of arrays -> float; parameters: {"W1": ..., "b1": ..., ...}.
        Returns {"dW1": ..., "db1": ..., ...} with the shapes of the parameters; parameters is not modified.
        """
        numerical = {}
        ### BEGIN SOLUTION
        for name, value in parameters.items():
            gradient = np.zeros_like(value, dtype=float)
            for index in np.ndindex(value.shape):
                plus = {key: array.copy() for key, array in parameters.items()}
                minus = {key: array.copy() for key, array in parameters.items()}
                plus[name][index] += epsilon
                minus[name][index] -= epsilon
                gradient[index] = (cost_function(plus) - cost_function(minus)) / (2 * epsilon)
            numerical["d" + name] = gradient
        ### END SOLUTION
        return numerical
    '''),
    tests("test_numerical_gradients", 2, r'''
    def square_plus_linear(p):
        return float(p["w1"][0, 0] ** 2 + 3 * p["b1"][0, 0])

    numerical = numerical_gradients(square_plus_linear, {"w1": np.array([[2.0]]), "b1": np.array([[0.0]])}, epsilon=1e-4)
    T.assert_equal("the keys", sorted(numerical), ["db1", "dw1"], hint='one entry "d" + name per parameter')
    T.assert_close("numerical['dw1'] for J = w1^2 + 3 b1 at w1 = 2", numerical["dw1"], np.array([[4.0]]), rtol=1e-8,
                   hint="(J(w + eps) - J(w - eps)) / (2 eps) is exact for a square")
    T.assert_close("numerical['db1']", numerical["db1"], np.array([[3.0]]), rtol=1e-8)
    print("Visible tests passed.")
    ### BEGIN HIDDEN TESTS
    rng = np.random.default_rng(3401)
    parameters = {"W1": rng.standard_normal((2, 3)), "b1": rng.standard_normal((2, 1)),
                  "W2": rng.standard_normal((1, 2)), "b2": rng.standard_normal((1, 1))}
    before = {key: value.copy() for key, value in parameters.items()}

    def cubic_cost(p):
        # a cost with a known gradient: W1^2, -sin(b1), 2 sum(W2), exp(b2)
        return float(np.sum(p["W1"] ** 3) / 3 + np.sum(np.cos(p["b1"])) + np.sum(p["W2"]) ** 2 + np.exp(p["b2"][0, 0]))

    numerical = numerical_gradients(cubic_cost, parameters, epsilon=1e-4)
    exact = {"dW1": parameters["W1"] ** 2, "db1": -np.sin(parameters["b1"]),
             "dW2": np.full((1, 2), 2 * np.sum(parameters["W2"])), "db2": np.exp(parameters["b2"])}
    T.assert_equal("the keys", sorted(numerical), sorted(exact))
    for key in exact:
        T.assert_shape(f"numerical[{key!r}]", numerical[key], exact[key].shape)
        # with epsilon = 1e-4 the two-sided error is about 1e-8; a one-sided difference errs by about 1e-4
        T.assert_close(f"numerical[{key!r}] (epsilon = 1e-4)", numerical[key], exact[key], rtol=1e-6, atol=1e-7,
                       hint="nudge both ways: (J(theta + eps) - J(theta - eps)) / (2 eps)")
    T.assert_dict_close("parameters after the call", parameters, before, hint="nudge copies, not the caller's arrays")
    X, Y = T.random_case.data(3, 6, seed=3402)
    network = T.random_case.parameters([3, 2, 1], seed=3403)
    AL, caches = H.L_model_forward(X, network)
    backprop = H.L_model_backward(AL, Y, caches)

    def network_cost(p):
        # the cross-entropy of a ReLU -> sigmoid network, written out (no helpers inside a lent function)
        A1 = np.maximum(p["W1"] @ X + p["b1"], 0)
        A2 = 1 / (1 + np.exp(-(p["W2"] @ A1 + p["b2"])))
        return float(-np.mean(Y * np.log(A2) + (1 - Y) * np.log(1 - A2)))

    numerical = numerical_gradients(network_cost, network, epsilon=1e-6)
    for key in numerical:
        T.assert_close(f"numerical[{key!r}] of a network's cost", numerical[key], backprop[key], rtol=1e-5, atol=1e-8)
    ### END HIDDEN TESTS
    '''),
    md(r"""
    ### Exercise 12 — `relative_differences`

    The relative difference of section 6, now **per parameter**: for each key of `numerical`,

    $$\text{difference}[k] = \frac{\lVert \text{grads}[k] - \text{numerical}[k] \rVert_2}{\lVert \text{grads}[k] \rVert_2 + \lVert \text{numerical}[k] \rVert_2},$$

    and $0$ when both are all zeros (nothing to compare). **Worked example:** `grads["dW1"]`
    $= (3, 4)$ against `numerical["dW1"]` $= (3, 4)$ gives 0; `grads["db1"]` $= (2)$ against
    `numerical["db1"]` $= (1)$ gives $1 / (2 + 1) = 1/3$.
    """),
    answer("relative_differences", r'''
    def relative_differences(grads, numerical):
        """Relative difference of backprop's and the numerical gradient, for each parameter.

        difference[k] = ||grads[k] - numerical[k]||_2 / (||grads[k]||_2 + ||numerical[k]||_2), 0 if both are 0.
        grads, numerical: dicts with the keys "dW1", "db1", ... (grads may hold more, e.g. "dA1").
        Returns {key: float} for every key of numerical.
        """
        differences = {}
        ### BEGIN SOLUTION
        for key, approx in numerical.items():
            numerator = np.linalg.norm(grads[key] - approx)
            denominator = np.linalg.norm(grads[key]) + np.linalg.norm(approx)
            differences[key] = float(numerator / denominator) if denominator > 0 else 0.0
        ### END SOLUTION
        return differences
    '''),
    tests("test_relative_differences", 1, r'''
    differences = relative_differences({"dW1": np.array([[3.0, 4.0]]), "db1": np.array([[2.0]]), "dA0": np.ones((2, 1))},
                                       {"dW1": np.array([[3.0, 4.0]]), "db1": np.array([[1.0]])})
    T.assert_equal("the keys", sorted(differences), ["dW1", "db1"], hint="one difference per key of numerical")
    T.assert_close("differences['dW1']", differences["dW1"], 0.0)
    T.assert_close("differences['db1']", differences["db1"], 1 / 3, hint="||2 - 1|| / (||2|| + ||1||)")
    print("Visible tests passed.")
    ### BEGIN HIDDEN TESTS
    rng = np.random.default_rng(3501)
    grads = {"dW1": rng.standard_normal((3, 4)), "db1": rng.standard_normal((3, 1)), "dW2": np.zeros((1, 3)),
             "db2": rng.standard_normal((1, 1)), "dA1": rng.standard_normal((3, 5))}
    numerical = {"dW1": grads["dW1"] + 1e-3 * rng.standard_normal((3, 4)), "db1": -grads["db1"],
                 "dW2": np.zeros((1, 3)), "db2": 3 * grads["db2"]}
    differences = relative_differences(grads, numerical)
    T.assert_equal("the keys", sorted(differences), sorted(numerical))
    for key in numerical:
        norm = lambda v: float(np.sqrt(np.sum(np.square(v))))
        total = norm(grads[key]) + norm(numerical[key])
        expected = norm(grads[key] - numerical[key]) / total if total > 0 else 0.0
        T.assert_close(f"differences[{key!r}]", differences[key], expected, rtol=1e-9,
                       hint="||g - n||_2 / (||g||_2 + ||n||_2) over all entries of the array; 0 when both are 0")
    T.assert_close("differences['db1'] for opposite gradients", differences["db1"], 1.0)
    T.assert_close("differences['db2'] for a gradient 3 times too large", differences["db2"], 0.5)
    tiny = relative_differences({"dW1": 1e-3 * grads["dW1"]}, {"dW1": 2e-3 * grads["dW1"]})
    T.assert_close("differences['dW1'] for tiny gradients", tiny["dW1"], 1 / 3,
                   hint="the relative difference does not depend on the size of the gradients")
    ### END HIDDEN TESTS
    '''),
    md(r"""
    **The check, parameter by parameter.** The colleague's gradients against yours,
    numerically, on 40 digits (8 pixels each), with the L2 term in the cost. Then the entries
    of `dW1` that disagree, next to how often each hidden unit was inactive ($Z^{[1]} \le 0$).
    """),
    code(r"""
    def check_cost(parameters):
        return two_layer_cost(X_check, Y_check, parameters, lambd_check)

    numerical_check = numerical_gradients(check_cost, params_check)
    cache_check = two_layer_forward(X_check, params_check)
    suspect = colleague_backward(X_check, Y_check, cache_check, params_check, lambd_check)
    for key, difference in relative_differences(suspect, numerical_check).items():
        print(f"{key}: relative difference {difference:.1e}", "<- disagrees" if difference > 1e-5 else "")

    inactive = np.mean(cache_check[0] <= 0, axis=1)           # share of examples with Z1 <= 0, per unit
    wrong = np.abs(suspect["dW1"] - numerical_check["dW1"])
    if not GRADING:
        fig, (ax_wrong, ax_inactive) = plt.subplots(1, 2, figsize=(9, 2.6), gridspec_kw={"width_ratios": [3, 1]})
        shown = ax_wrong.imshow(wrong, cmap="Reds")
        fig.colorbar(shown, ax=ax_wrong)
        ax_wrong.set_title("|colleague's dW1 - numerical dW1|"); ax_wrong.set_xlabel("input pixel"); ax_wrong.set_ylabel("hidden unit")
        ax_inactive.barh(range(5), inactive); ax_inactive.invert_yaxis()
        ax_inactive.set_title("share of examples\nwith Z1 <= 0"); ax_inactive.set_xlim(0, 1)
        plt.tight_layout()
        plt.show()
    """),
    md(r"""
    Only `dW1` and `db1` disagree; `dW2` and `db2` agree to $10^{-8}$ or better. The error must
    therefore enter **between** $dZ^{[2]}$ (correct, since $dW^{[2]}$ uses it) and $dZ^{[1]}$:
    in the ReLU step of the hidden layer. And only the units that were inactive for some
    examples carry wrong entries. `A1 >= 0` is true everywhere (a ReLU output is never
    negative), so the colleague's mask lets the gradient through units that were off, where
    the slope is $0$. The slope must be read off $Z^{[1]}$: $\mathbb 1[Z^{[1]} > 0]$.

    ### Exercise 13 — `two_layer_backward`

    Write the corrected backward pass, with the formulas at the top of this section, in your
    own words (the lesson's names $dZ^{[2]}$, $dW^{[2]}$, ...). `cache` is `(Z1, A1, A2)`
    from `two_layer_forward`.
    """),
    answer("two_layer_backward", r'''
    def two_layer_backward(X, Y, cache, parameters, lambd):
        """Gradients of the L2-regularized cross-entropy of a ReLU -> sigmoid two-layer network.

        dZ2 = A2 - Y;  dW2 = (1/m) dZ2 A1^T + (lambd/m) W2;  db2 = (1/m) sum(dZ2, axis=1)
        dZ1 = W2^T dZ2 * 1[Z1 > 0];  dW1 = (1/m) dZ1 X^T + (lambd/m) W1;  db1 = (1/m) sum(dZ1, axis=1)
        X: (n0, m), Y: (1, m), cache = (Z1 (n1, m), A1 (n1, m), A2 (1, m)), parameters W1 (n1, n0), b1, W2 (1, n1), b2.
        Returns {"dW1", "db1", "dW2", "db2"} with the shapes of the parameters.
        """
        Z1, A1, A2 = cache
        W1, W2 = parameters["W1"], parameters["W2"]
        m = X.shape[1]
        ### BEGIN SOLUTION
        dZ2 = A2 - Y
        dW2 = dZ2 @ A1.T / m + (lambd / m) * W2
        db2 = np.sum(dZ2, axis=1, keepdims=True) / m
        dZ1 = (W2.T @ dZ2) * (Z1 > 0)
        dW1 = dZ1 @ X.T / m + (lambd / m) * W1
        db1 = np.sum(dZ1, axis=1, keepdims=True) / m
        ### END SOLUTION
        return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
    '''),
    tests("test_two_layer_backward", 3, r'''
    # the worked example of exercise 7: Z1 = [[3, -1], [1, 2]], A1 = [[3, 0], [1, 2]], A2 = sigmoid([[1.5, -3.5]])
    X_two = np.array([[1.0, -1.0], [2.0, 0.0]])
    params_two = {"W1": np.array([[1.0, 1.0], [-1.0, 0.5]]), "b1": np.array([[0.0], [1.0]]),
                  "W2": np.array([[1.0, -2.0]]), "b2": np.array([[0.5]])}
    cache_two = (np.array([[3.0, -1.0], [1.0, 2.0]]), np.array([[3.0, 0.0], [1.0, 2.0]]),
                 1 / (1 + np.exp(-np.array([[1.5, -3.5]]))))
    grads = two_layer_backward(X_two, np.array([[1.0, 0.0]]), cache_two, params_two, 0.0)
    T.assert_close("dW1 (worked example, lambd = 0)", grads["dW1"],
                   np.array([[-0.0912127619, -0.1824255238], [0.2117377546, 0.3648510476]]), rtol=1e-8,
                   hint="the ReLU's slope is 1 where Z1 > 0 and 0 elsewhere")
    grads = two_layer_backward(X_two, np.array([[1.0, 0.0]]), cache_two, params_two, 0.5)
    T.assert_close("dW2 (worked example, lambd = 0.5)", grads["dW2"],
                   np.array([[-0.2736382857, -0.0619005312]]) + 0.25 * params_two["W2"], rtol=1e-8,
                   hint="the L2 term adds (lambd / m) W to dW")
    T.assert_close("db2 (worked example, lambd = 0.5)", grads["db2"], np.array([[-0.0765566465]]), rtol=1e-8,
                   hint="biases are not regularized")
    print("Visible tests passed.")
    ### BEGIN HIDDEN TESTS
    for seed, (n0, n1, m), lambd in [(3601, (4, 6, 9), 0.8), (3602, (3, 5, 7), 0.0)]:
        X, Y = T.random_case.data(n0, m, seed=seed)
        parameters = T.random_case.parameters([n0, n1, 1], seed=seed + 10)
        Z1 = parameters["W1"] @ X + parameters["b1"]
        A1 = np.maximum(Z1, 0)
        A2 = 1 / (1 + np.exp(-(parameters["W2"] @ A1 + parameters["b2"])))
        T.assert_true(bool(np.any(Z1 < 0)) and bool(np.any(Z1 > 0)), "test case without inactive units")
        grads = two_layer_backward(X, Y, (Z1, A1, A2), parameters, lambd)
        AL, caches = H.L_model_forward(X, parameters)
        expected = H.backward_propagation_with_regularization(AL, Y, caches, parameters, lambd)
        for key in ("dW1", "db1", "dW2", "db2"):
            T.assert_close(f"{key} (lambd = {lambd})", grads[key], expected[key], rtol=1e-6, atol=1e-10,
                           hint="dZ1 uses the mask Z1 > 0; dW gets + (lambd / m) W; db gets no L2 term")

        def cost_with_l2(p, X, Y):
            return H.compute_cost_with_regularization(H.L_model_forward(X, p)[0], Y, p, lambd)

        difference = H.gradient_check(parameters, grads, X, Y, epsilon=1e-6, cost_fn=cost_with_l2)
        T.assert_true(difference < 1e-6, f"your gradients differ from the numerical gradient of the L2 cost "
                      f"(relative difference {difference:.1e}, lambd = {lambd})")
    ### END HIDDEN TESTS
    '''),
    md(r"""
    ## 6c. The lesson's practical rules, shown working

    **1. Check with the L2 term included.** The gradient must be checked against the cost
    it is the gradient of. Your corrected backward pass includes $\frac{\lambda}{m} W$; a check
    against the cost *without* the L2 term flags every weight matrix, though nothing is wrong.

    **2. Switch dropout off.** With dropout, every evaluation of $J$ draws a new mask, so
    $J(\theta + \varepsilon) - J(\theta - \varepsilon)$ is mostly the difference between two
    random masks, not the effect of $\varepsilon$: the numerical gradient is noise. Check
    with `keep_prob = 1`, then switch dropout on.

    **3. Check again after some training.** At the starting point some code paths may never
    run. Start, for instance, with $b^{[1]} = 1$ and small weights: then $Z^{[1]} > 0$ for every
    unit and every example, the ReLU's slope is 1 everywhere, and the colleague's bug is
    **invisible**. After 50 steps of gradient descent some units are off for some examples,
    and the same check flags the bug.
    """),
    code(r"""
    grads_fixed = two_layer_backward(X_check, Y_check, cache_check, params_check, lambd_check)
    print("1. your gradients, checked against...")
    without_l2 = numerical_gradients(lambda p: two_layer_cost(X_check, Y_check, p, 0.0), params_check)
    for name, numerical in (("the cost with L2   ", numerical_check), ("the cost without L2", without_l2)):
        print("  ", name, {key: f"{d:.0e}" for key, d in relative_differences(grads_fixed, numerical).items()})

    def cost_with_dropout(parameters, keep_prob=0.8):
        # the hidden layer's output with inverted dropout, a new mask at every call
        Z1 = parameters["W1"] @ X_check + parameters["b1"]
        mask = np.random.default_rng().random(Z1.shape) < keep_prob
        A1 = np.maximum(Z1, 0) * mask / keep_prob
        A2 = H.sigmoid(parameters["W2"] @ A1 + parameters["b2"])
        return compute_cost(A2, Y_check) + lambd_check / (2 * 40) * (np.sum(parameters["W1"] ** 2) + np.sum(parameters["W2"] ** 2))

    print("2. dropout on (keep_prob 0.8) vs off (keep_prob 1):")
    for keep_prob in (0.8, 1.0):
        numerical = numerical_gradients(lambda p: cost_with_dropout(p, keep_prob), params_check)
        print(f"   keep_prob {keep_prob}:", {key: f"{d:.0e}" for key, d in relative_differences(grads_fixed, numerical).items()})

    print("3. the colleague's bug, from a start where every hidden unit is on, then after 50 steps:")
    params_on = {"W1": 0.1 * np.random.default_rng(2).standard_normal((5, 8)), "b1": np.ones((5, 1)),
                 "W2": params_check["W2"].copy(), "b2": np.zeros((1, 1))}
    for step in range(51):
        if step in (0, 50):
            cache_on = two_layer_forward(X_check, params_on)
            numerical = numerical_gradients(check_cost, params_on)
            flagged = relative_differences(colleague_backward(X_check, Y_check, cache_on, params_on, lambd_check), numerical)
            print(f"   after {step:2d} steps: {np.mean(cache_on[0] <= 0):.1%} of Z1 <= 0,",
                  {key: f"{d:.0e}" for key, d in flagged.items()})
        grads_on = two_layer_backward(X_check, Y_check, two_layer_forward(X_check, params_on), params_on, lambd_check)
        params_on = {key: params_on[key] - 1.0 * grads_on["d" + key] for key in params_on}
    """),
    md(r"""
    ### Written question (2 points, graded by hand)

    (a) A classmate's check of a three-layer network (ReLU, ReLU, sigmoid) reports
    `dW3: 2e-09, db3: 3e-10, dW2: 4e-01, db2: 5e-01, dW1: 3e-01, db1: 4e-01`. Which part of
    the backward pass is certainly right, where would you look first, and why there?
    (b) Their check at initialization passed with every difference below $10^{-7}$, and a
    check after 200 training steps reports `dW1: 6e-01` only. Give two different reasons why
    a bug can pass the first check and fail the second, at least one of them not the ReLU
    mask you saw above.

    Write your answer in the next cell.
    """),
    written("written_gradient_check", 2, r"""
    **Model answer.** (a) Layer 3's gradients agree, so $dZ^{[3]} = A^{[3]} - Y$ and the
    layer-3 formulas (and the forward pass that feeds them) are right. Every layer below
    disagrees, and errors only travel backwards, so the bug is at the first place where
    they start: between $dZ^{[3]}$ and $dZ^{[2]}$, i.e. in $dA^{[2]} = W^{[3]T} dZ^{[3]}$ (a
    missing transpose, a wrong matrix) or in the ReLU step of layer 2 ($dZ^{[2]} = dA^{[2]} *
    \mathbb 1[Z^{[2]} > 0]$). Layer 1 may be correct and only inherit the error.
    (b) A bug is invisible where the wrong path contributes nothing or almost nothing.
    Examples: a ReLU mask that is right whenever every unit is on (no unit was off at the
    start); an L2 or weight-decay term with a wrong factor while the weights are still tiny
    (its contribution $\frac{\lambda}{m}W$ is negligible next to backprop's part, and grows as
    the weights grow); a wrong sigmoid or tanh derivative that is almost right near $z = 0$
    (e.g. $\sigma'(z) \approx 0.25$), exposed once the pre-activations grow; a bug in a bias
    gradient while the biases' gradients are tiny. A difference can also grow without a bug
    if the point sits near a ReLU kink ($|z| < \varepsilon$), so confirm with a second check.

    **Rubric (2 points).** (a) 1 point: layer 3 is right, the error enters between
    $dZ^{[3]}$ and $dZ^{[2]}$ ($W^{[3]T}$ or the layer-2 ReLU step), with the "errors flow
    backwards" reason. (b) 1 point: two distinct, correct mechanisms (half a point for one).
    """),

    # ------------------------------------------------------------------ learning rate
    md(r"""
    ## 7. Gradient descent and the learning rate

    Gradient descent: initialize the weights randomly, then repeat — forward pass, cost,
    backward pass, step against the gradient,
    $W \leftarrow W - \alpha \frac{\partial J}{\partial W}$. The **learning rate** $\alpha$
    sets the step size: too small and training crawls; too large and each step overshoots
    the valley, the cost jumps around or grows.

    The data: the handwritten digits of assignment 01 (8×8 pixels, flattened into columns of
    64, scaled to $[0, 1]$), label 1 for an 8 and 0 for any other digit, the stand-in for cat
    vs non-cat of the lesson. Logistic regression reached about 94% on it; let us see what a
    hidden layer adds. The loop below uses **your** functions.

    **Where the output gradient starts.** Section 4 showed that for a sigmoid output with
    cross-entropy, $dZ^{[L]} = dA^{[L]} * \sigma'(Z^{[L]})$ simplifies to $A^{[L]} - Y$. On
    paper the two are equal; in floating point they are not. For a confidently wrong output,
    say $y = 0$ and $z = 40$, $a = \sigma(40)$ rounds to exactly $1.0$:
    $dA = 1 / (1 - a)$ is `inf`, $\sigma'(z)$ is $0$, and their product is `nan`, while the true
    $dZ = a - y$ is $1$, the largest gradient there is. Clipping $a$ to
    $[10^{-7}, 1 - 10^{-7}]$ (as Keras does for the *loss*) makes $dA$ finite ($10^{7}$), but
    $\sigma'(z)$ is truly $4 \cdot 10^{-18}$ and, computed as $\sigma(z)(1 - \sigma(z))$ from
    the rounded $\sigma(z) = 1$, exactly $0$: the product is $0$ instead of $1$. Frameworks
    avoid this by computing the loss from the **logits** $z$ directly:

    $$\mathcal L(z, y) = \max(z, 0) - z y + \log\bigl(1 + e^{-|z|}\bigr), \qquad
    \frac{\partial \mathcal L}{\partial z} = \sigma(z) - y,$$

    which never forms $\log 0$ nor $\infty \cdot 0$. That is what Keras does with
    `BinaryCrossentropy(from_logits=True)` on a `Dense` layer without activation
    (`tf.nn.sigmoid_cross_entropy_with_logits` underneath). Our loop does the same: its cost
    comes from $Z^{[L]}$ and its backward pass starts at $dZ^{[L]} = A^{[L]} - Y$ (your
    `linear_backward` for the output layer, your `linear_activation_backward` for the others).
    """),
    code(r"""
    X_train, Y_train, X_test, Y_test = H.load_digits_binary(positive=8)   # 8 vs non-8, pixels in [0, 1]
    print("X_train", X_train.shape, "Y_train", Y_train.shape, "X_test", X_test.shape)
    print(f"baseline (always answer 'not an 8'): test accuracy {np.mean(Y_test == 0):.1%}")

    def cost_from_logits(ZL, Y):
        # cross-entropy of sigmoid(ZL) computed from ZL: finite for any ZL (as from_logits=True)
        return float(np.mean(np.maximum(ZL, 0) - ZL * Y + np.log1p(np.exp(-np.abs(ZL)))))

    def backward_from_logits(AL, Y, caches):
        # backprop that starts at dZ[L] = AL - Y instead of dA[L] * sigma'(Z[L])
        L = len(caches)
        grads = {}
        grads[f"dA{L - 1}"], grads[f"dW{L}"], grads[f"db{L}"] = linear_backward(AL - Y, caches[L - 1][0])
        for l in range(L - 1, 0, -1):
            grads[f"dA{l - 1}"], grads[f"dW{l}"], grads[f"db{l}"] = linear_activation_backward(
                grads[f"dA{l}"], caches[l - 1], "relu")
        return grads

    def gradient_descent(X, Y, layer_dims, learning_rate, num_iterations, seed=0, from_logits=True):
        # the whole training loop from your building blocks; returns the parameters and the costs.
        # from_logits=False is the naive route, kept to show what it does: clip AL (so that
        # log(AL) stays finite), then your L_model_backward, dA[L] * sigma'(Z[L]).
        parameters = H.initialize_parameters(layer_dims, method="he", seed=seed)
        costs = []
        for iteration in range(num_iterations):
            AL, caches = L_model_forward(X, parameters)
            if from_logits:
                costs.append(cost_from_logits(caches[-1][1], Y))
                grads = backward_from_logits(AL, Y, caches)
            else:
                AL = np.clip(AL, 1e-7, 1 - 1e-7)
                costs.append(compute_cost(AL, Y))
                grads = L_model_backward(AL, Y, caches)
            parameters = update_parameters(parameters, grads, learning_rate)
        return parameters, costs

    z_check = np.array([[-40.0, -3.0, 0.5, 40.0]])
    y_check = np.array([[1.0, 0.0, 1.0, 0.0]])
    print("cost from logits:", cost_from_logits(z_check, y_check), "| TensorFlow's:",
          float(tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=y_check, logits=z_check))))
    with np.errstate(divide="ignore", invalid="ignore"):
        a_check = H.sigmoid(z_check)
        print("dA * sigma'(Z) without clipping:", -(y_check / a_check - (1 - y_check) / (1 - a_check)) * a_check * (1 - a_check))
    print("A - Y:                          ", a_check - y_check)
    """),
    md(r"""
    Three learning rates, 150 iterations each (left), and on the right the largest rate
    once more through the naive route (clip, then $dA * \sigma'(Z)$), to see what that
    route does to the same training run.
    """),
    code(r"""
    if not GRADING:
        fig, (ax_rates, ax_routes) = plt.subplots(1, 2, figsize=(11, 3.5), sharey=True)
        for learning_rate in (0.005, 0.5, 5.0):
            parameters, costs = gradient_descent(X_train, Y_train, [64, 10, 1], learning_rate, 150)
            AL_test, _ = L_model_forward(X_test, parameters)
            print(f"learning rate {learning_rate}: final cost {costs[-1]:.3f}, "
                  f"test accuracy {np.mean((AL_test > 0.5) == Y_test):.1%}")
            ax_rates.plot(costs, label=f"learning rate {learning_rate}")
        _, naive_costs = gradient_descent(X_train, Y_train, [64, 10, 1], 5.0, 150, from_logits=False)
        print(f"learning rate 5.0, clipped AL and dA * sigma'(Z): final cost {naive_costs[-1]:.3f}")
        ax_routes.plot(costs, label="5.0, from logits: dZ = A - Y")
        ax_routes.plot(naive_costs, "--", label="5.0, clipped A, dA * sigma'(Z)")
        ax_rates.set_yscale("log")               # the large rate's jumps are 100 times the others' costs
        for ax in (ax_rates, ax_routes):
            ax.set_xlabel("iteration"); ax.legend(fontsize=8); ax.grid(alpha=0.3)
        ax_rates.set_ylabel("cost J (log scale)")
        plt.tight_layout()
        plt.show()
    """),
    md(r"""
    ### Written question (2 points, graded by hand)

    (a) What goes wrong with the smallest and with the largest learning rate above, and how
    would you choose a good one in practice? (b) The dashed curve on the right is stuck at
    about 14.6 for good. A classmate concludes: "at $\alpha = 5$ the sigmoid saturates, its
    gradient is zero, so the network can never recover." Explain with numbers why this is
    wrong for a sigmoid output with cross-entropy, what really produced the zero, and what
    you would change in a training loop (or in Keras) so that it cannot happen.

    Write your answer in the next cell.
    """),
    written("written_learning_rate", 2, r"""
    **Model answer.** (a) With $\alpha = 0.005$ the cost decreases smoothly but very slowly
    (0.34 after 150 iterations, and a test accuracy of 88.6%, no better than always answering
    "not an 8"): training would need many times more iterations. With $\alpha = 0.5$ it drops
    fast and steadily (0.11, 94.4% on the test set). With $\alpha = 5$ the steps overshoot:
    the cost jumps from 0.67 to 2.45 and then to 23.7 at iteration 2, falls back to 0.85 the
    step after, and keeps bouncing (it rises in about 40 of the 150 steps, between 0.14 and
    0.64 over the last 50), ending at 88.6% test accuracy, the baseline. In practice: try
    rates spread on a log scale (0.001, 0.01, 0.1, 1), keep the largest one whose cost
    decreases steadily without jumps, and watch the curve while training; adaptive
    optimizers and learning-rate decay (assignment 03) reduce this sensitivity.

    (b) For a sigmoid output with cross-entropy $dZ^{[L]} = A^{[L]} - Y$: a confidently wrong
    example ($a \approx 1$, $y = 0$) has $dZ \approx 1$, the *largest* gradient, not zero;
    that is why the solid curve recovers right after its jump to 23.7. The zero is made by
    the arithmetic of the naive route: $A$ clipped to $[10^{-7}, 1 - 10^{-7}]$ gives
    $dA = 1/(1 - a) = 10^{7}$ at most, and multiplying by $\sigma'(z)$, which is
    $\approx e^{-|z|}$ and exactly $0$ once $\sigma(z)$ rounds to 1 (about $z > 37$), gives
    about $0$ instead of $1$. The stuck value is the clipped cost of a network that says "8"
    with certainty for every image: $0.9075 \times (-\log 10^{-7}) = 0.9075 \times 16.12
    \approx 14.63$. Fix: compute the cost from the logits $Z^{[L]}$ with the stable formula and
    start backprop at $dZ^{[L]} = A^{[L]} - Y$; in Keras, a last `Dense` layer without
    activation and `BinaryCrossentropy(from_logits=True)`.

    **Rubric (2 points).** (a) 1 point: slow vs unstable/bouncing, with a sensible way to
    choose (a log-scale search and watching the curve). (b) 1 point: says $dZ = A - Y$ does
    not vanish for a confidently wrong output, and names the clipping and the product with
    $\sigma'(Z)$ as the cause and logits as the fix; half a point without the numbers.
    """),

    # ------------------------------------------------------------------ tf.data
    md(r"""
    ## 8. Mini-batches with `tf.data` and the `GradientTape` loop

    Computing the gradient on all $m$ examples for every step is slow for big data sets.
    **Mini-batch** gradient descent takes a step after each batch of $b$ examples
    ($1 \le b \le m$; $b = m$ is batch gradient descent, $b = 1$ stochastic). Each **epoch**
    shuffles the examples and walks through all batches; when $b$ does not divide $m$, the
    last batch is smaller, and it must not be dropped, or some examples are never seen in
    that epoch.

    In TensorFlow, `tf.data.Dataset.from_tensor_slices((x, y))` cuts arrays into examples
    along their **first** axis, so that `x` and `y` stay **paired** through `shuffle` (the
    `buffer_size` is how many examples it shuffles among; use $m$ for a full shuffle) and
    `batch`. Keras wants examples as rows, hence the transposes `X.T`, `Y.T`:
    """),
    code(r"""
    x_tiny = np.arange(10.0).reshape(1, 10)          # one feature, ten examples: example i has x = i
    y_tiny = (x_tiny % 2).reshape(1, 10)             # label: is i odd?
    tiny = tf.data.Dataset.from_tensor_slices((x_tiny.T, y_tiny.T)).shuffle(buffer_size=10, seed=1).batch(4)
    for step, (x_batch, y_batch) in enumerate(tiny):
        print(f"batch {step}: x = {x_batch.numpy().ravel()}, y = {y_batch.numpy().ravel()}")
    """),
    md(r"""
    ### Exercise 14 — `make_dataset`

    Build the shuffled, batched data set for `X` of shape `(n_x, m)` and `Y` of shape `(1, m)`,
    examples as rows, cast to `float32` (Keras' default). Use `buffer_size=m` and the given
    `seed` for the shuffle, and keep the last partial batch.
    """),
    answer("make_dataset", r'''
    def make_dataset(X, Y, batch_size=32, seed=0):
        """Shuffled mini-batches of (x, y) pairs for a Keras training loop.

        X: (n_x, m), Y: (1, m), examples as columns.
        Returns a tf.data.Dataset of (x_batch (b, n_x), y_batch (b, 1)) float32 pairs: every
        example exactly once per pass, batches of batch_size and a last batch with the rest.
        """
        m = X.shape[1]
        ### BEGIN SOLUTION
        dataset = tf.data.Dataset.from_tensor_slices((X.T.astype(np.float32), Y.T.astype(np.float32)))
        dataset = dataset.shuffle(buffer_size=m, seed=seed)
        return dataset.batch(batch_size)
        ### END SOLUTION
    '''),
    tests("test_make_dataset", 2, r'''
    def examples_of(dataset):
        # batch sizes, and every (x row, y) pair, from one pass over the dataset
        sizes, xs, ys = [], [], []
        for x_batch, y_batch in dataset:
            sizes.append(int(x_batch.shape[0]))
            xs.append(np.asarray(x_batch))
            ys.append(np.asarray(y_batch))
        return sizes, np.concatenate(xs), np.concatenate(ys)

    X_visible = np.vstack([np.arange(10.0), -np.arange(10.0)])    # example i is (i, -i)
    Y_visible = np.arange(10.0).reshape(1, 10)                      # and its "label" is i
    sizes, xs, ys = examples_of(make_dataset(X_visible, Y_visible, batch_size=4, seed=3))
    T.assert_equal("batch sizes", sizes, [4, 4, 2], hint="keep the last, smaller batch")
    T.assert_close("x rows, matched with their y", xs, X_visible[:, ys[:, 0].astype(int)].T,
                   hint="shuffle the (x, y) pairs together, e.g. from_tensor_slices((X.T, Y.T)).shuffle(...)")
    print("Visible tests passed.")
    ### BEGIN HIDDEN TESTS
    rng = np.random.default_rng(3201)
    X = rng.standard_normal((3, 37))
    Y = np.arange(37.0).reshape(1, 37)
    sizes, xs, ys = examples_of(make_dataset(X, Y, batch_size=8, seed=5))
    T.assert_equal("batch sizes for m = 37, batch_size = 8", sizes, [8, 8, 8, 8, 5])
    T.assert_equal("examples seen in one pass", sorted(ys[:, 0].astype(int).tolist()), list(range(37)),
                   hint="every example exactly once per pass")
    T.assert_close("x rows, matched with their y", xs, X[:, ys[:, 0].astype(int)].T.astype(np.float32), rtol=1e-6)
    T.assert_true(ys[:, 0].tolist() != list(range(37)), "the examples come out in their original order: shuffle them")
    ### END HIDDEN TESTS
    '''),
    md(r"""
    **The training step.** The slides' loop, for each batch: open a `GradientTape`, run the
    model forward, compute the loss (Keras losses take `(y_true, y_pred)` in that order), ask
    the tape for the gradients with respect to `model.trainable_weights`, and let the
    optimizer apply them, $W \leftarrow W - \alpha\, \partial J / \partial W$ for plain SGD.
    (The slide computes the gradients *inside* the `with` block; that works, but it needlessly
    records the gradient computation too. Leave the block first.)

    ### Exercise 15 — `train_step`
    Do one such step on the batch `(x, y)` and return the loss value (before the update).
    """),
    answer("train_step", r'''
    def train_step(model, loss_fn, optimizer, x, y):
        """One mini-batch step: forward pass, loss, gradients with GradientTape, optimizer update.

        model: a Keras model; loss_fn: a Keras loss called as loss_fn(y_true, y_pred);
        optimizer: a Keras optimizer; x: (b, n_x); y: (b, 1).
        Returns the loss on (x, y) before the update (a scalar tensor).
        """
        ### BEGIN SOLUTION
        with tf.GradientTape() as tape:
            predictions = model(x, training=True)
            loss_value = loss_fn(y, predictions)
        gradients = tape.gradient(loss_value, model.trainable_weights)
        optimizer.apply_gradients(zip(gradients, model.trainable_weights))
        ### END SOLUTION
        return loss_value
    '''),
    tests("test_train_step", 2, r'''
    # train_step updates a model in place: the model, its loss and its optimizer are made
    # with the Keras your code uses (T.student_side: the notebook's own tf here; the graded
    # kernel's while the hidden tests run in the grader).
    keras = T.student_side(tf).keras

    def logistic_case(n_x, b, seed):
        # a one-neuron Keras model with known weights, a batch, and the step computed by hand
        rng = np.random.default_rng(seed)
        x = rng.standard_normal((b, n_x)).astype(np.float32)
        y = (rng.random((b, 1)) < 0.5).astype(np.float32)
        w0, b0 = 0.5 * rng.standard_normal((n_x, 1)), 0.1
        model = keras.Sequential([keras.Input((n_x,)), keras.layers.Dense(1, activation="sigmoid")])
        model.layers[0].kernel.assign(w0)
        model.layers[0].bias.assign([b0])
        a = 1 / (1 + np.exp(-(x @ w0 + b0)))
        loss = -np.mean(y * np.log(a) + (1 - y) * np.log(1 - a))
        return model, x, y, w0 - 0.5 * x.T @ (a - y) / b, b0 - 0.5 * np.mean(a - y), loss   # SGD, rate 0.5

    model, x, y, w_after, b_after, loss = logistic_case(3, 6, seed=12)
    loss_value = train_step(model, keras.losses.BinaryCrossentropy(), keras.optimizers.SGD(learning_rate=0.5), x, y)
    T.assert_close("the returned loss", float(loss_value), loss, rtol=1e-4, hint="loss_fn(y_true, y_pred): labels first")
    T.assert_close("the weights after one step", model.layers[0].kernel.numpy(), w_after, rtol=1e-4, atol=1e-6,
                   hint="W - learning_rate * dJ/dW: did you apply the gradients with the optimizer?")
    print("Visible tests passed.")
    ### BEGIN HIDDEN TESTS
    model, x, y, w_after, b_after, loss = logistic_case(5, 9, seed=3301)
    loss_value = train_step(model, keras.losses.BinaryCrossentropy(), keras.optimizers.SGD(learning_rate=0.5), x, y)
    T.assert_close("the returned loss", float(loss_value), loss, rtol=1e-4, hint="loss_fn(y_true, y_pred): labels first")
    T.assert_close("the weights after one step", model.layers[0].kernel.numpy(), w_after, rtol=1e-4, atol=1e-6)
    T.assert_close("the bias after one step", model.layers[0].bias.numpy(), np.array([b_after]), rtol=1e-4, atol=1e-6)
    ### END HIDDEN TESTS
    '''),

    # ------------------------------------------------------------------ both ways
    md(r"""
    ## 9. The image classifier, trained both ways

    Same data, same architecture (64 pixels $\to$ 16 ReLU $\to$ 8 ReLU $\to$ 1 sigmoid):

    - **from scratch**: your NumPy functions, full-batch gradient descent (`gradient_descent` above);
    - **with TensorFlow**: the slides' loop — `tf.data` mini-batches, a `Sequential` model,
      `BinaryCrossentropy`, a `BinaryAccuracy` metric, `SGD` — with your `make_dataset` and
      `train_step`.

    (`helpers.train` runs the from-scratch loop with mini-batches, optimizers and a progress
    bar; you will build those pieces in assignment 03.)
    """),
    code(r"""
    if not GRADING:
        layer_dims = [64, 16, 8, 1]

        start = time.perf_counter()
        scratch_parameters, scratch_costs = gradient_descent(X_train, Y_train, layer_dims, learning_rate=0.2, num_iterations=300)
        scratch_seconds = time.perf_counter() - start
        AL_test, _ = L_model_forward(X_test, scratch_parameters)
        scratch_accuracy = np.mean((AL_test > 0.5) == Y_test)

        tf.keras.utils.set_random_seed(0)
        model = tf.keras.Sequential([tf.keras.Input((64,))] +
                                    [tf.keras.layers.Dense(n, activation="relu") for n in layer_dims[1:-1]] +
                                    [tf.keras.layers.Dense(1, activation="sigmoid")])
        loss_fn = tf.keras.losses.BinaryCrossentropy()
        optimizer = tf.keras.optimizers.SGD(learning_rate=0.5)
        accuracy = tf.keras.metrics.BinaryAccuracy()
        dataset = make_dataset(X_train, Y_train, batch_size=32, seed=0)
        step = tf.function(train_step)          # compiled once per model: much faster than eager steps
        start, keras_losses = time.perf_counter(), []
        for epoch in range(10):
            epoch_losses = [float(step(model, loss_fn, optimizer, x, y)) for x, y in dataset]
            keras_losses.append(np.mean(epoch_losses))
        keras_seconds = time.perf_counter() - start
        accuracy.update_state(Y_test.T, model(X_test.T.astype(np.float32)))

        print(f"from scratch: test accuracy {scratch_accuracy:.1%} after 300 full-batch steps ({scratch_seconds:.1f} s)")
        print(f"TensorFlow:   test accuracy {float(accuracy.result()):.1%} after 10 epochs of mini-batches ({keras_seconds:.1f} s)")
        fig, (ax_scratch, ax_keras) = plt.subplots(1, 2, figsize=(9, 3))
        ax_scratch.plot(scratch_costs); ax_scratch.set_title("from scratch"); ax_scratch.set_xlabel("iteration (all examples)")
        ax_keras.plot(keras_losses, "o-"); ax_keras.set_title("TensorFlow loop"); ax_keras.set_xlabel("epoch (45 mini-batch steps)")
        ax_scratch.set_ylabel("cost J")
        plt.tight_layout()
        plt.show()
    """),
    md(r"""
    **What to notice.** Both networks beat the always-"not an 8" baseline by far, and beat
    the logistic regression of assignment 01: the hidden layers can combine pixels into
    strokes and loops. The TensorFlow loop updated the weights 45 times per epoch, on
    mini-batches of 32 images (450 updates in 10 epochs), while the from-scratch loop made
    one update per pass over all images: per pass over the data, mini-batches make far more
    progress, at the price of a noisier loss. (Exact figures vary a little between machines
    and library versions.)
    """),
    md(r"""
    ## What you learned

    - The **empirical loss** averages the per-example loss; training minimizes it over the weights.
    - **Forward propagation** repeats $Z = WA + b$, $A = g(Z)$ and caches what backprop needs.
    - **Backpropagation** repeats $dZ = dA * g'(Z)$, $dW = \frac1m dZ A^T$,
      $db = \frac1m \sum dZ$ (axis 1, keepdims), $dA_{prev} = W^T dZ$ — and every gradient has
      the shape of its variable, which you checked at every step.
    - **Gradient checking** with a two-sided difference and a relative error tells a correct
      backprop from a buggy one; done **per parameter**, it says *where* the bug enters
      (errors only flow backwards). Check the cost you actually differentiate (L2 included),
      with dropout off, and again after some training.
    - The **learning rate** trades speed against stability: too small crawls, too large
      bounces. For a sigmoid output, start backprop at $dZ^{[L]} = A^{[L]} - Y$ and compute the
      cost from the logits (Keras: `from_logits=True`); clipping $A$ and multiplying by
      $\sigma'(Z)$ manufactures zero gradients.
    - **Mini-batches** (`tf.data`: keep pairs together, shuffle, keep the last batch) and the
      `GradientTape` loop are how TensorFlow trains; both ways reach similar accuracy on the digits.

    Next, in assignment 03, better optimizers than plain gradient descent: momentum, RMSprop, Adam.
    """),
]

if __name__ == "__main__":
    print(write_notebook(OUT, cells))
