"""Builder of assignment 04_regularization: splitting data, bias/variance, L2, dropout,
Keras regularizers and early stopping (lesson section 06, task 04).

Run ``python authoring/04_regularization.py`` to write
``source/04_regularization/04_regularization.ipynb``.
"""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from nbcourse.authoring import answer, code, md, tests, write_notebook, written  # noqa: E402

NAME = "04_regularization"

cells = [
    md(r"""
    # Assignment 4: splitting data and regularization

    A network that is perfect on the data it was trained on can still be useless on new
    data. This assignment is about measuring that gap honestly and then closing it:

    1. **Splitting the data** into train, dev and test sets, and what goes wrong when the
       data you care about is a small minority of what you collected.
    2. **Bias and variance**: reading the train and dev errors to decide what to try next.
    3. **L2 regularization**: its cost, its gradient and why it is called *weight decay*.
    4. **Inverted dropout**, forward and backward, and the same thing in Keras.
    5. **`kernel_regularizer`** in Keras, and how its factor relates to our $\lambda$.
    6. **Early stopping**, from scratch and with a Keras callback.

    Each exercise is a function. Fill in the code between the comments, run the test
    cell right after it (it shows what is wrong, with a hint), and move on. Hidden tests
    check your functions on other inputs when the notebook is graded. The written
    questions are read by a person: answer in two to five sentences.
    """),
    code("""
    import os

    import matplotlib.pyplot as plt
    import numpy as np
    import tensorflow as tf

    import helpers as H
    from helpers import testing as T
    # Graded functions must be your own: called from inside a function you write, the
    # helpers reference of an exercise refuses to run (in the notebook and when graded).
    H.own_work("04_regularization")

    # True while nbgrader grades the notebook: the long demonstrations are skipped then.
    GRADING = bool(os.environ.get("NBGRADER_EXECUTION"))
    np.set_printoptions(precision=4, suppress=True)
    """),

    # ------------------------------------------------------------------ 1. splits
    md(r"""
    ## 1. Train, dev and test sets

    Building a network is a loop: pick the number of layers, hidden units, the learning
    rate, the activations; train; look at the result; change something; train again.
    To judge each change you need data the network has never been trained on:

    | set | used for |
    | --- | --- |
    | **train** | fitting the parameters $W, b$ |
    | **dev** (hold-out, validation) | comparing models and choosing hyperparameters |
    | **test** | one final, unbiased estimate of the chosen model's error |

    How much goes where depends on how much data there is. With a few thousand examples
    the classic split is **60/20/20** (or 70/30 without a test set). With a million
    examples, 10,000 dev examples are already plenty to tell two models apart, so the
    big-data splits look like **98/1/1** or even 99.5/0.25/0.25.
    """),
    code("""
    for m, fractions in [(10_000, (0.60, 0.20, 0.20)), (1_000_000, (0.98, 0.01, 0.01))]:
        sizes = [round(f * m) for f in fractions]
        print(f"m = {m:>9,}: train {sizes[0]:>7,}  dev {sizes[1]:>6,}  test {sizes[2]:>6,}")
    """),
    md(r"""
    ### Exercise 1: `split_train_dev_test`

    Data often arrives sorted (all cats first, or oldest first), so the columns must be
    **shuffled before cutting**. Use *one* permutation for both `X` and `Y`: column $i$
    of `X` must keep its label $i$ of `Y`.

    Sizes: `n_dev = round(f_dev * m)`, `n_test = round(f_test * m)`, and the training
    set gets the rest. After shuffling, the first `n_train` columns are the training
    set, the next `n_dev` the dev set, the last `n_test` the test set. Draw the
    permutation with `np.random.default_rng(seed).permutation(m)`.
    """),
    answer("split_train_dev_test", '''
    def split_train_dev_test(X, Y, fractions=(0.98, 0.01, 0.01), seed=None):
        """Shuffle the examples and cut them into train, dev and test sets.

        Arguments:
        X -- inputs, shape (n_x, m), one example per column
        Y -- labels, shape (1, m)
        fractions -- (f_train, f_dev, f_test), summing to 1
        seed -- seed of np.random.default_rng for the permutation

        Returns:
        X_train, Y_train, X_dev, Y_dev, X_test, Y_test -- column blocks of the shuffled
        data: n_dev = round(f_dev m) and n_test = round(f_test m) columns for dev and
        test, n_train = m - n_dev - n_test for train
        """
        ### BEGIN SOLUTION
        m = X.shape[1]
        permutation = np.random.default_rng(seed).permutation(m)
        X, Y = X[:, permutation], Y[:, permutation]
        n_dev = int(round(fractions[1] * m))
        n_test = int(round(fractions[2] * m))
        n_train = m - n_dev - n_test
        dev_end = n_train + n_dev
        return (X[:, :n_train], Y[:, :n_train], X[:, n_train:dev_end], Y[:, n_train:dev_end],
                X[:, dev_end:], Y[:, dev_end:])
        ### END SOLUTION
    '''),
    tests("test_split_train_dev_test", 2, '''
    # Twenty examples whose first row numbers them and whose label is that number's parity.
    X = np.vstack([np.arange(20.0), np.ones(20)])
    Y = (X[:1] % 2)
    X_tr, Y_tr, X_dv, Y_dv, X_te, Y_te = split_train_dev_test(X, Y, (0.6, 0.2, 0.2), seed=0)
    T.assert_shape("X_train", X_tr, (2, 12))
    T.assert_shape("Y_dev", Y_dv, (1, 4))
    T.assert_shape("X_test", X_te, (2, 4))
    ids = np.sort(np.concatenate([X_tr[0], X_dv[0], X_te[0]]))
    T.assert_close("the example numbers of all three sets", ids, np.arange(20.0),
                   hint="every example must land in exactly one set")
    T.assert_close("Y_train", Y_tr, X_tr[:1] % 2,
                   hint="shuffle X and Y with the same permutation")
    T.assert_true(not np.array_equal(X_tr[0], np.arange(12.0)),
                  "the training set holds the first 12 examples in their original order",
                  hint="shuffle the columns before cutting")
    print("Visible tests passed.")
    ### BEGIN HIDDEN TESTS
    for seed in (3, 11):
        rng = np.random.default_rng(seed)
        m = int(rng.integers(150, 400))
        fractions = (0.7, 0.2, 0.1) if seed == 3 else (0.98, 0.01, 0.01)
        X = np.vstack([np.arange(float(m)), rng.standard_normal((2, m))])
        Y = (X[1:2] > 0).astype(float)
        X_tr, Y_tr, X_dv, Y_dv, X_te, Y_te = split_train_dev_test(X, Y, fractions, seed=seed)
        n_dev, n_test = round(fractions[1] * m), round(fractions[2] * m)
        T.assert_shape("X_dev", X_dv, (3, n_dev))
        T.assert_shape("X_test", X_te, (3, n_test))
        T.assert_shape("Y_train", Y_tr, (1, m - n_dev - n_test))
        ids = np.sort(np.concatenate([X_tr[0], X_dv[0], X_te[0]]))
        T.assert_close("the example numbers of all three sets", ids, np.arange(float(m)))
        for name, Xs, Ys in (("train", X_tr, Y_tr), ("dev", X_dv, Y_dv), ("test", X_te, Y_te)):
            T.assert_close(f"Y_{name}", Ys, (Xs[1:2] > 0).astype(float),
                           hint="shuffle X and Y with the same permutation")
        expected = H.train_dev_test_split(X, Y, fractions, seed=seed)
        for name, got, ref in zip(("train", "dev", "test"), (X_tr, X_dv, X_te), expected[::2]):
            T.assert_close(f"X_{name} (compared with the reference split)", got, ref,
                           hint="draw the permutation with np.random.default_rng(seed).permutation(m)")
        again = split_train_dev_test(X, Y, fractions, seed=seed)[0]
        T.assert_close("X_train drawn twice with the same seed", again, X_tr,
                       hint="draw the permutation from np.random.default_rng(seed)")
        other = split_train_dev_test(X, Y, fractions, seed=seed + 1)[0]
        T.assert_true(not np.array_equal(other, X_tr), "a different seed gave the same split")
    ### END HIDDEN TESTS
    '''),
    md(r"""
    ### When the data you care about is rare: mismatched distributions

    The slides' scenario: a cat classifier for people in rural areas who photograph
    animals with their phones. You scraped **100,000** images from web pages, but only
    **8,000** come from phones, the *target distribution*, the pictures the app will
    actually see.

    Option one pools the 108,000 images, shuffles them and cuts 104k / 2k / 2k. The
    share of phone pictures is the same everywhere, $8{,}000 / 108{,}000 \approx 7.4\%$,
    so the dev set of 2,000 images holds only about
    $$2000 \cdot \tfrac{8000}{108000} \approx 148$$
    phone pictures. You would spend months optimizing the dev error of a set that is
    93% web images, which is not what your users upload.
    """),
    code("""
    n_web, n_phone, n_dev, n_test = 100_000, 8_000, 2_000, 2_000
    share_phone = n_phone / (n_web + n_phone)
    print(f"phone share of the pooled data: {share_phone:.2%}")
    print(f"expected phone images in the dev set: {n_dev * share_phone:.1f}")

    # The same thing by actually shuffling: 1 marks a phone image.
    is_phone = np.r_[np.zeros(n_web), np.ones(n_phone)]
    shuffled = is_phone[np.random.default_rng(0).permutation(is_phone.size)]
    n_train = is_phone.size - n_dev - n_test
    print("phone images in dev, test after one shuffle:",
          int(shuffled[n_train:n_train + n_dev].sum()), int(shuffled[n_train + n_dev:].sum()))
    """),
    md(r"""
    The better option puts the target distribution where the decisions are made:

    | | train | dev | test |
    | --- | --- | --- | --- |
    | shuffled pool | 104k (about 7.7k from phones) | 2k (about 148 from phones) | 2k (about 148 from phones) |
    | **better** | 100k web + 4k phone | 2k phone | 2k phone |

    The training set is now a little different from the dev/test sets, but the dev set
    measures exactly what the app will face. **Rule of thumb: dev and test sets must
    come from the same distribution, the one you care about.** (Not having a test set
    at all can be acceptable; the dev set then plays both roles, at the price of an
    optimistic final estimate.)
    """),
    md(r"""
    **Question.** Explain in your own words what is wrong with pooling the 100k web
    images and the 8k phone images, shuffling them and cutting 104k/2k/2k, and describe
    a better split (how many images of which kind go where, and why).
    """),
    written("written_mismatched_split", 1, r"""
    Pooling and shuffling gives dev and test sets with the same mix as the pool: only
    about 148 of the 2,000 dev images (7.4%) come from phones, so the dev error mostly
    measures performance on web images, a distribution the app never sees. Model
    choices made on that dev set aim at the wrong target. Instead, put phone images
    only in dev and test (2k each) and the remaining 4k phone images together with the
    100k web images in the training set. Then dev and test share the target
    distribution, and the training set still profits from the large web collection.
    """),

    # ------------------------------------------------------------------ 2. bias/variance
    md(r"""
    ## 2. Bias and variance

    A model that **underfits** (too simple, a straight line through curved data) has
    *high bias*: it is wrong even on its training data. A model that **overfits**
    (memorizes noise) has *high variance*: good on the training data, much worse on new
    data. With many input features you cannot draw the decision boundary, but two
    numbers tell the story: the training error and the dev error.

    The slides' cat classifier (a human makes about 0% error, so the Bayes error is
    about 0):

    | | scenario 1 | scenario 2 | scenario 3 | scenario 4 |
    | --- | --- | --- | --- | --- |
    | train error | 1% | 15% | 15% | 0.5% |
    | dev error | 16% | 16% | 30% | 1% |
    | diagnosis | high variance | high bias | high bias and high variance | low bias and low variance |

    Two gaps make the diagnosis:

    - **avoidable bias** $=$ train error $-$ Bayes error: large means high bias;
    - **variance** $=$ dev error $-$ train error: large means high variance.

    "Large" means larger than a `tolerance` you choose (here 5 percentage points, that
    is `0.05`, since errors are given as fractions).
    """),
    md(r"""
    ### Exercise 2: `diagnose_bias_variance`

    Return exactly one of the four strings `"high bias"`, `"high variance"`,
    `"high bias and high variance"`, `"low bias and low variance"`. A gap counts as
    large when it is strictly greater than `tolerance`.
    """),
    answer("diagnose_bias_variance", '''
    def diagnose_bias_variance(train_error, dev_error, bayes_error=0.0, tolerance=0.05):
        """Name the problem a model has from its errors (fractions, e.g. 0.15 for 15%).

        avoidable bias = train_error - bayes_error   (high bias if > tolerance)
        variance       = dev_error - train_error     (high variance if > tolerance)

        Returns one of "high bias", "high variance", "high bias and high variance",
        "low bias and low variance".
        """
        ### BEGIN SOLUTION
        high_bias = train_error - bayes_error > tolerance
        high_variance = dev_error - train_error > tolerance
        if high_bias and high_variance:
            return "high bias and high variance"
        if high_bias:
            return "high bias"
        if high_variance:
            return "high variance"
        return "low bias and low variance"
        ### END SOLUTION
    '''),
    tests("test_diagnose_bias_variance", 1, '''
    slide_scenarios = [
        (0.01, 0.16, "high variance"),
        (0.15, 0.16, "high bias"),
        (0.15, 0.30, "high bias and high variance"),
        (0.005, 0.01, "low bias and low variance"),
    ]
    for number, (train_error, dev_error, expected) in enumerate(slide_scenarios, start=1):
        T.assert_equal(f"the diagnosis of scenario {number} (train {train_error:.1%}, dev {dev_error:.1%})",
                       diagnose_bias_variance(train_error, dev_error), expected,
                       hint="variance is the gap between dev and train error, bias the gap between train and Bayes error")
    print("Visible tests passed.")
    ### BEGIN HIDDEN TESTS
    # With a Bayes error of 14% (a blurry data set), 15% training error is no longer high bias.
    T.assert_equal("the diagnosis for train 15%, dev 16%, Bayes 14%",
                   diagnose_bias_variance(0.15, 0.16, bayes_error=0.14), "low bias and low variance",
                   hint="avoidable bias is measured from the Bayes error, not from zero")
    rng = np.random.default_rng(7)
    for _ in range(40):
        bayes, tolerance = rng.choice([0.0, 0.02, 0.1]), rng.choice([0.02, 0.05])
        # Keep every gap at least 0.005 away from the tolerance, so > and >= agree.
        bias_gap = tolerance + rng.choice([-1, 1]) * rng.uniform(0.005, 0.05)
        variance_gap = tolerance + rng.choice([-1, 1]) * rng.uniform(0.005, 0.05)
        train_error = bayes + max(bias_gap, 0.0)
        dev_error = train_error + max(variance_gap, 0.0)
        T.assert_equal(f"the diagnosis for train {train_error:.3f}, dev {dev_error:.3f}, "
                       f"Bayes {bayes:.2f}, tolerance {tolerance:.2f}",
                       diagnose_bias_variance(train_error, dev_error, bayes_error=bayes, tolerance=tolerance),
                       H.diagnose_bias_variance(train_error, dev_error, bayes_error=bayes, tolerance=tolerance))
    ### END HIDDEN TESTS
    '''),
    md(r"""
    **The basic recipe.** High bias first: a bigger network, training longer, a better
    architecture. Once the training error is acceptable, high variance: more data,
    **regularization** (the rest of this notebook), a better architecture. In the big-data
    era the two can be attacked almost separately: a bigger network lowers bias without
    hurting variance as long as you regularize, and more data lowers variance without
    hurting bias.
    """),

    # ------------------------------------------------------------------ 3. L2
    md(r"""
    ## 3. L2 regularization

    Idea: penalize complexity. Large weights let a network bend its decision boundary
    around every noisy point, so we add the squared size of every weight matrix to the
    cost:

    $$J_{\text{regularized}} = \underbrace{-\frac{1}{m} \sum_{i=1}^{m} \Big(y^{(i)}\log a^{[L](i)} + (1-y^{(i)})\log\big(1-a^{[L](i)}\big)\Big)}_{\text{cross-entropy}}
    \; + \; \underbrace{\frac{1}{m}\,\frac{\lambda}{2} \sum_{l} \sum_{k} \sum_{j} \big(W^{[l]}_{kj}\big)^2}_{\text{L2 cost}}$$

    The inner double sum is the squared **Frobenius norm** $\lVert W^{[l]} \rVert_F^2$,
    the sum of the squares of all entries. Two details matter: the factor is
    $\frac{\lambda}{2m}$ (the $\frac12$ makes the gradient tidy), and only the weights
    $W^{[l]}$ are penalized, **not the biases** $b^{[l]}$: a bias is one number per unit
    and regularizing it changes almost nothing. In code the hyperparameter is called
    `lambd`, because `lambda` is a Python keyword.
    """),
    code("""
    W = np.array([[1.0, -2.0], [0.0, 3.0]])
    print("sum of squares:", np.sum(W ** 2), "  np.linalg.norm(W, 'fro')**2:", np.linalg.norm(W, "fro") ** 2)
    """),
    md(r"""
    ### Exercise 3: `l2_regularization_cost`

    Compute $\frac{\lambda}{2m}\sum_{l=1}^{L} \lVert W^{[l]} \rVert_F^2$ for a
    `parameters` dictionary `{"W1", "b1", ..., "WL", "bL"}`. Return a Python `float`.
    """),
    answer("l2_regularization_cost", '''
    def l2_regularization_cost(parameters, lambd, m):
        """The L2 part of the regularized cost.

        cost = (lambd / (2 m)) * sum_l ||W[l]||_F^2    (biases are not penalized)

        Arguments:
        parameters -- dict {"W1", "b1", ..., "WL", "bL"}, W[l] of shape (n[l], n[l-1])
        lambd -- regularization strength lambda >= 0
        m -- number of training examples

        Returns:
        cost -- a float
        """
        ### BEGIN SOLUTION
        L = len(parameters) // 2
        squared_norms = sum(np.sum(np.square(parameters[f"W{l}"])) for l in range(1, L + 1))
        cost = lambd / (2 * m) * squared_norms
        ### END SOLUTION
        return float(cost)
    '''),
    tests("test_l2_regularization_cost", 2, '''
    example = {"W1": np.array([[1.0, -2.0], [0.0, 3.0]]), "b1": np.array([[5.0], [5.0]]),
               "W2": np.array([[2.0, 1.0]]), "b2": np.array([[-1.0]])}
    # ||W1||^2 = 14 and ||W2||^2 = 5, so the cost is 0.1 / (2 * 5) * 19.
    T.assert_close("l2_regularization_cost(example, lambd=0.1, m=5)",
                   l2_regularization_cost(example, 0.1, 5), 0.19,
                   hint="0.38 means lambda/m instead of lambda/(2m); 0.7 means the biases were penalized too")
    print("Visible tests passed.")
    ### BEGIN HIDDEN TESTS
    for seed in (1, 2):
        layer_dims = T.random_layer_dims(seed=seed, n_layers=(2, 4))
        parameters = T.random_parameters(layer_dims, seed=seed)
        lambd, m = [0.7, 3.0][seed - 1], [13, 200][seed - 1]
        got = l2_regularization_cost(parameters, lambd, m)
        T.assert_close(f"the L2 cost for layers {layer_dims}", got, H.l2_cost(parameters, lambd, m),
                       hint="sum the squares of every W[l] (not the b[l]) and multiply by lambda/(2m)")
        frobenius = sum(np.linalg.norm(parameters[f"W{l}"], "fro") ** 2 for l in range(1, len(layer_dims)))
        T.assert_close("the L2 cost against the Frobenius norms", got, lambd / (2 * m) * frobenius)
    ### END HIDDEN TESTS
    '''),
    md(r"""
    ### The gradient, and why it is called weight decay

    Differentiating $\frac{\lambda}{2m}\lVert W^{[l]}\rVert_F^2$ with respect to
    $W^{[l]}$ gives $\frac{\lambda}{m} W^{[l]}$ (the 2 of the square cancels the
    $\frac12$). So backpropagation is unchanged except for one extra term per weight
    matrix, and the biases' gradients do not change at all:

    $$dW^{[l]} = (\text{from backprop}) + \frac{\lambda}{m} W^{[l]}, \qquad db^{[l]} = (\text{from backprop}).$$

    ### Exercise 4: `add_l2_gradient`

    Given the gradients of the unregularized cost (what `H.L_model_backward` returns),
    return a **new** dictionary in which every `dW{l}` has the L2 term added. Every other
    key (`db{l}`, `dA{l}`, ...) is copied unchanged, and the input dictionary must not
    be modified.
    """),
    answer("add_l2_gradient", '''
    def add_l2_gradient(grads, parameters, lambd, m):
        """Gradients of the L2-regularized cost from those of the plain cost.

        dW[l] = dW[l] + (lambd / m) W[l];   db[l] and every other entry unchanged.

        Arguments:
        grads -- dict {"dW1", "db1", ...} of the cross-entropy cost, dW[l] shaped like W[l]
        parameters -- dict {"W1", "b1", ...}
        lambd -- regularization strength
        m -- number of training examples

        Returns:
        a new dict with the same keys as grads
        """
        ### BEGIN SOLUTION
        regularized = dict(grads)
        L = len(parameters) // 2
        for l in range(1, L + 1):
            regularized[f"dW{l}"] = grads[f"dW{l}"] + (lambd / m) * parameters[f"W{l}"]
        ### END SOLUTION
        return regularized
    '''),
    tests("test_add_l2_gradient", 2, '''
    parameters = {"W1": np.array([[1.0, -2.0], [0.0, 3.0]]), "b1": np.array([[5.0], [5.0]]),
                  "W2": np.array([[2.0, 1.0]]), "b2": np.array([[-1.0]])}
    grads = {"dW1": np.zeros((2, 2)), "db1": np.ones((2, 1)), "dW2": np.zeros((1, 2)), "db2": np.ones((1, 1))}
    regularized = add_l2_gradient(grads, parameters, lambd=0.5, m=5)
    # Zero backprop gradients make the L2 term visible alone: (0.5 / 5) W = 0.1 W.
    T.assert_close("dW1", regularized["dW1"], 0.1 * parameters["W1"],
                   hint="add (lambd / m) * W[l] to dW[l]")
    T.assert_close("db1", regularized["db1"], np.ones((2, 1)), hint="the biases are not regularized")
    T.assert_close("grads['dW1'] after the call", grads["dW1"], np.zeros((2, 2)),
                   hint="build a new dictionary instead of changing the one you were given")
    print("Visible tests passed.")
    ### BEGIN HIDDEN TESTS
    rng = np.random.default_rng(21)
    layer_dims = [4, 5, 3, 1]
    parameters = T.random_parameters(layer_dims, seed=rng)
    X, Y = T.random_data(4, 9, seed=rng)
    lambd, m = 0.8, X.shape[1]
    AL, caches = H.L_model_forward(X, parameters)
    plain = H.L_model_backward(AL, Y, caches)
    regularized = add_l2_gradient(plain, parameters, lambd, m)
    expected = H.backward_propagation_with_regularization(AL, Y, caches, parameters, lambd)
    T.assert_dict_close("add_l2_gradient(...)", regularized, expected,
                        keys=[f"d{p}{l}" for l in (1, 2, 3) for p in "Wb"],
                        hint="dW[l] gets + (lambd / m) W[l]; db[l] stays as it was")

    # An independent check: two-sided differences of the regularized cost itself.
    def regularized_cost(params):
        return H.compute_cost_with_regularization(H.L_model_forward(X, params)[0], Y, params, lambd)
    for key in ("W1", "W3"):
        numerical = np.zeros_like(parameters[key])
        for index in np.ndindex(parameters[key].shape):
            shifted = {k: v.copy() for k, v in parameters.items()}
            shifted[key][index] += 1e-6
            plus = regularized_cost(shifted)
            shifted[key][index] -= 2e-6
            numerical[index] = (plus - regularized_cost(shifted)) / 2e-6
        T.assert_close(f"d{key} against a numerical gradient", regularized[f"d{key}"], numerical,
                       rtol=1e-4, atol=1e-7)
    ### END HIDDEN TESTS
    '''),
    md(r"""
    Put the new gradient into the gradient-descent step and regroup:

    $$W^{[l]} \leftarrow W^{[l]} - \alpha\Big[(\text{from backprop}) + \frac{\lambda}{m}W^{[l]}\Big]
      = \Big(1 - \frac{\alpha\lambda}{m}\Big) W^{[l]} - \alpha\,(\text{from backprop}).$$

    Before each ordinary step the weights are multiplied by $1 - \frac{\alpha\lambda}{m}$,
    a number slightly below 1: they **decay** towards zero unless the data keeps pushing
    them up. With $\alpha = 0.1$, $\lambda = 2$ and $m = 4$ the factor is
    $1 - 0.1 \cdot 2 / 4 = 0.95$.

    ### Exercise 5: `update_parameters_with_weight_decay`

    Implement the right-hand form: shrink each `W{l}` by the decay factor, then take the
    plain step with the **unregularized** gradient `dW{l}`. Biases take the plain step
    (no decay). Return a new dictionary.
    """),
    answer("update_parameters_with_weight_decay", '''
    def update_parameters_with_weight_decay(parameters, grads, learning_rate, lambd, m):
        """One gradient-descent step with L2 regularization written as weight decay.

        W[l] = (1 - learning_rate * lambd / m) W[l] - learning_rate dW[l]
        b[l] = b[l] - learning_rate db[l]
        (dW[l], db[l] are the gradients of the cross-entropy cost, without the L2 term)

        Returns:
        a new dict {"W1", "b1", ..., "WL", "bL"} with the shapes of parameters
        """
        ### BEGIN SOLUTION
        decay = 1 - learning_rate * lambd / m
        updated = {}
        L = len(parameters) // 2
        for l in range(1, L + 1):
            updated[f"W{l}"] = decay * parameters[f"W{l}"] - learning_rate * grads[f"dW{l}"]
            updated[f"b{l}"] = parameters[f"b{l}"] - learning_rate * grads[f"db{l}"]
        ### END SOLUTION
        return updated
    '''),
    tests("test_update_parameters_with_weight_decay", 2, '''
    parameters = {"W1": np.array([[1.0, -2.0]]), "b1": np.array([[1.0]])}
    grads = {"dW1": np.array([[0.5, 0.5]]), "db1": np.array([[0.2]])}
    updated = update_parameters_with_weight_decay(parameters, grads, learning_rate=0.1, lambd=2.0, m=4)
    # Decay factor 0.95: W1 = 0.95 * [1, -2] - 0.1 * [0.5, 0.5].
    T.assert_close("W1", updated["W1"], np.array([[0.9, -1.95]]),
                   hint="multiply W by (1 - learning_rate * lambd / m) before subtracting learning_rate * dW")
    T.assert_close("b1", updated["b1"], np.array([[0.98]]), hint="biases take the plain step, without decay")
    print("Visible tests passed.")
    ### BEGIN HIDDEN TESTS
    rng = np.random.default_rng(5)
    layer_dims = T.random_layer_dims(seed=rng, n_layers=(3, 3))
    parameters = T.random_parameters(layer_dims, seed=rng)
    grads = T.random_grads(parameters, seed=rng)
    learning_rate, lambd, m = 0.05, 1.5, 12
    got = update_parameters_with_weight_decay(parameters, grads, learning_rate, lambd, m)
    # The weight-decay identity: decaying then stepping with the plain gradient equals
    # an ordinary step with the regularized gradient dW + (lambd / m) W.
    regularized = {key: value + (lambd / m) * parameters[key[1:]] if key.startswith("dW") else value
                   for key, value in grads.items()}
    T.assert_dict_close("update_parameters_with_weight_decay(...)", got,
                        H.update_parameters(parameters, regularized, learning_rate),
                        hint="W decays by (1 - learning_rate * lambd / m); b takes the plain step")
    ### END HIDDEN TESTS
    '''),
    md(r"""
    ### What L2 does to a decision boundary

    Below, the same network (two hidden layers of 40 and 20 ReLU units, Adam) is trained
    on only 80 noisy two-moon points three times: without regularization, with L2, and
    with dropout (section 4), and evaluated on 1,000 fresh points from the same
    distribution. Without regularization the boundary wraps around individual noisy
    points: 100% on the training set, clearly less on the dev set. With L2 the weights
    stay small, every unit stays closer to linear, and the boundary is smoother: the
    training accuracy drops, the dev accuracy rises. (Skipped while grading.)
    """),
    code("""
    if not GRADING:
        X_moons, Y_moons = H.load_planar("moons", m=80, noise=0.35, seed=1)
        X_moons_dev, Y_moons_dev = H.load_planar("moons", m=1000, noise=0.35, seed=2)
        settings = {"no regularization": {}, "L2, lambda = 1": {"lambd": 1.0},
                    "dropout, keep_prob = 0.5": {"keep_prob": 0.5}}
        fig, axes = plt.subplots(1, 3, figsize=(12, 3.6))
        for ax, (title, extra) in zip(axes, settings.items()):
            params, _ = H.train(X_moons, Y_moons, [2, 40, 20, 1], optimizer="adam", learning_rate=0.01,
                                num_epochs=1000, seed=3, progress=False, **extra)
            train_acc = np.mean(H.predict(X_moons, params) == Y_moons)
            dev_acc = np.mean(H.predict(X_moons_dev, params) == Y_moons_dev)
            H.plot_decision_boundary(lambda X: H.predict(X, params), X_moons, Y_moons, ax=ax)
            ax.set_title(f"{title}\\ntrain {train_acc:.0%}, dev {dev_acc:.0%}", fontsize=10)
        plt.tight_layout()
        plt.show()
    """),

    # ------------------------------------------------------------------ 4. dropout
    md(r"""
    ## 4. Dropout

    Dropout switches off a random subset of hidden units at every training step, a
    different subset for every example and every iteration. Each step therefore trains
    a thinner network, and no unit can rely on any single input being present: the
    weights spread out, much as L2 would make them. Dropout is used **only while
    training**; predictions must not be random.

    **Inverted dropout** for layer $l = 3$ with `keep_prob = 0.8` (each unit kept with
    probability 0.8, dropped with probability 0.2):

    ```python
    d3 = np.random.rand(a3.shape[0], a3.shape[1]) < keep_prob   # True = keep
    a3 = np.multiply(a3, d3)                                    # switch units off
    a3 /= keep_prob                                             # scale the survivors up
    ```

    Why divide by `keep_prob`? The next layer computes $Z^{[4]} = W^{[4]} a^{[3]} + b^{[4]}$.
    With 20% of $a^{[3]}$ zeroed, $Z^{[4]}$ would shrink by 20% on average, and at test
    time (no dropout) it would suddenly be 25% larger than anything seen in training.
    Dividing by 0.8 keeps the expected value of each activation unchanged:
    $\mathbb{E}[a \cdot d / p] = a \cdot p / p = a$.
    """),
    code("""
    rng = np.random.default_rng(0)
    a = np.full((1, 100_000), 3.0)
    d = rng.random(a.shape) < 0.8
    print("fraction kept:", d.mean())
    print("mean without scaling:", (a * d).mean(), "  with inverted dropout:", (a * d / 0.8).mean())
    """),
    md(r"""
    ### Exercise 6: `dropout_forward`

    Implement inverted dropout for the activations `A` of one layer.

    - When `D` is given, use it as the mask (this makes the function deterministic, and
      lets the tests compare with Keras).
    - Otherwise draw it as `D = rng.random(A.shape) < keep_prob` (a fresh
      `np.random.default_rng()` when `rng` is `None`). Use `<`: `rng.random` is uniform
      on $[0, 1)$, so `< keep_prob` is true with probability `keep_prob`.
    - Return `A * D / keep_prob` and the mask.
    - At inference (`training=False`) return `A` unchanged with an all-`True` mask.
    """),
    answer("dropout_forward", '''
    def dropout_forward(A, keep_prob, D=None, rng=None, training=True):
        """Inverted dropout on the activations of one layer.

        D = (rng.random(A.shape) < keep_prob)     (True = keep the unit)
        A_out = (A * D) / keep_prob               (expected value of A_out = A)

        Arguments:
        A -- activations, shape (n[l], m)
        keep_prob -- probability of keeping a unit, in (0, 1]
        D -- optional boolean mask of shape (n[l], m); drawn from rng when None
        rng -- numpy Generator for the mask (a fresh one when None)
        training -- False at inference: nothing is dropped, nothing rescaled

        Returns:
        A_out -- shape (n[l], m)
        D -- the mask used, shape (n[l], m) (all True when training is False)
        """
        ### BEGIN SOLUTION
        if not training:
            return A, np.ones(A.shape, dtype=bool)
        if D is None:
            rng = np.random.default_rng() if rng is None else rng
            D = rng.random(A.shape) < keep_prob
        A_out = A * D / keep_prob
        return A_out, D
        ### END SOLUTION
    '''),
    tests("test_dropout_forward", 3, '''
    A = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    D = np.array([[True, False, True], [True, True, False]])
    A_out, D_out = dropout_forward(A, 0.8, D=D)
    T.assert_shape("A_out", A_out, (2, 3))
    T.assert_close("A_out with the given mask", A_out, np.array([[1.25, 0.0, 3.75], [5.0, 6.25, 0.0]]),
                   hint="zero the dropped units and divide the survivors by keep_prob")
    A_test, _ = dropout_forward(A, 0.8, training=False)
    T.assert_close("A_out at inference (training=False)", A_test, A,
                   hint="dropout is for training only: return A unchanged")
    print("Visible tests passed.")
    ### BEGIN HIDDEN TESTS
    rng = np.random.default_rng(8)
    A = rng.standard_normal((6, 40))
    for keep_prob in (0.6, 0.9):
        got, D_got = dropout_forward(A, keep_prob, rng=np.random.default_rng(31))
        expected, D_expected = H.dropout_forward(A, keep_prob, rng=np.random.default_rng(31))
        T.assert_close(f"the mask for keep_prob={keep_prob}", D_got, D_expected,
                       hint="draw D = rng.random(A.shape) < keep_prob from the rng you were given")
        T.assert_close(f"A_out for keep_prob={keep_prob}", got, expected)
    # Independent facts on a large layer: the kept fraction and the preserved mean.
    ones = np.ones((200, 500))
    out, mask = dropout_forward(ones, 0.7, rng=np.random.default_rng(4))
    T.assert_close("the fraction of units kept with keep_prob=0.7", float(np.mean(mask)), 0.7, atol=0.01,
                   hint="a unit is kept when rng.random(...) < keep_prob")
    T.assert_close("the mean of the activations after dropout", float(np.mean(out)), 1.0, atol=0.02,
                   hint="inverted dropout divides by keep_prob so the mean stays the same")
    T.assert_close("A_out at inference", dropout_forward(A, 0.5, rng=rng, training=False)[0], A,
                   hint="no dropout at inference")
    # Keras's Dropout layer is inverted dropout too: with its mask, the results must agree.
    import tensorflow as tf
    tf.random.set_seed(12)
    inputs = rng.uniform(1.0, 2.0, size=(8, 5)).astype(np.float32)
    keras_out = tf.keras.layers.Dropout(0.25)(inputs, training=True).numpy()
    ours, _ = dropout_forward(inputs, 0.75, D=keras_out != 0)
    T.assert_close("dropout_forward against tf.keras.layers.Dropout(0.25)", ours, keras_out, rtol=1e-5)
    ### END HIDDEN TESTS
    '''),
    md(r"""
    ### Exercise 7: `dropout_backward`

    Forward, a dropped unit contributed nothing, and a kept one was multiplied by
    $1/p$. The gradient flows back through **the same mask** with the same scaling:
    $dA_{\text{in}} = dA \cdot D / p$. Drawing a new mask here would send gradient
    through units that were silent in the forward pass.
    """),
    answer("dropout_backward", '''
    def dropout_backward(dA, D, keep_prob):
        """Backward pass of inverted dropout.

        dA_in = (dA * D) / keep_prob   (D: the mask of the forward pass)

        Arguments:
        dA -- gradient of the cost with respect to the dropout's output, shape (n[l], m)
        D -- the boolean mask used in the forward pass, shape (n[l], m)
        keep_prob -- the keep probability used in the forward pass

        Returns:
        dA_in -- gradient with respect to the dropout's input, shape (n[l], m)
        """
        ### BEGIN SOLUTION
        dA_in = dA * D / keep_prob
        return dA_in
        ### END SOLUTION
    '''),
    tests("test_dropout_backward", 2, '''
    dA = np.array([[0.4, -0.8, 1.2]])
    D = np.array([[True, False, True]])
    T.assert_close("dropout_backward(dA, D, 0.8)", dropout_backward(dA, D, 0.8), np.array([[0.5, 0.0, 1.5]]),
                   hint="use the forward mask D and divide by keep_prob")
    print("Visible tests passed.")
    ### BEGIN HIDDEN TESTS
    rng = np.random.default_rng(17)
    dA = rng.standard_normal((5, 30))
    D = rng.random((5, 30)) < 0.65
    got = dropout_backward(dA, D, 0.65)
    T.assert_close("dropout_backward(...)", got, H.dropout_backward(dA, D, 0.65),
                   hint="dA * D / keep_prob, with the D of the forward pass")
    # TensorFlow differentiates the forward pass with this fixed mask independently.
    import tensorflow as tf
    A = tf.constant(rng.standard_normal((5, 30)))
    with tf.GradientTape() as tape:
        tape.watch(A)
        out = A * tf.constant(D, dtype=A.dtype) / 0.65
        cost = tf.reduce_sum(out * tf.constant(dA))
    T.assert_close("dropout_backward against tf.GradientTape", got, tape.gradient(cost, A).numpy())
    ### END HIDDEN TESTS
    '''),
    md(r"""
    ### Dropout in Keras: the slide's example

    Keras's `Dropout(rate)` is inverted dropout too, but it takes the **drop** rate,
    while our functions (and the deeplearning.ai notes) take the **keep** probability:
    `Dropout(0.2)` means `keep_prob = 0.8`. The layer only drops when called with
    `training=True` (`model.fit` does that for you); `model.predict` and
    `training=False` pass the data through untouched.
    """),
    code("""
    tf.random.set_seed(0)
    layer = tf.keras.layers.Dropout(0.2)
    data = np.arange(10).reshape(5, 2).astype(np.float32)
    outputs = layer(data, training=True).numpy()
    print("training=True:\\n", outputs)
    print("training=False:\\n", layer(data, training=False).numpy())
    print("survivors divided by the data:", np.unique(outputs[outputs != 0] / data[outputs != 0]))

    # Our function with the mask Keras drew gives exactly the same numbers.
    if not GRADING:
        print("dropout_forward agrees:", np.allclose(dropout_forward(data, 0.8, D=outputs != 0)[0], outputs))
    """),
    md(r"""
    Which entries are zeroed depends on TensorFlow's random generator (your zeros may sit
    elsewhere than on the slide), but every survivor is its input times $1/0.8 = 1.25$:
    $1 \to 1.25$, $2 \to 2.5$, $5 \to 6.25$, $9 \to 11.25$. The zero in the top-left
    corner is the input $0$ itself, which stays 0 whether it is kept or not.

    In a model, dropout goes between the layers whose units it drops, as on the slide:

    ```python
    model_dropout = tf.keras.Sequential([
        tf.keras.layers.Dense(20, activation="relu"),
        tf.keras.layers.Dropout(0.3),
        tf.keras.layers.Dense(3, activation="relu"),
        tf.keras.layers.Dropout(0.3),
        tf.keras.layers.Dense(1, activation="sigmoid"),
    ])
    ```
    """),
    md(r"""
    **Question.** In the output above, why are the surviving entries multiplied by
    exactly 1.25, and why is nothing dropped with `training=False`? How does Keras's
    argument `0.2` relate to our `keep_prob`?
    """),
    written("written_keras_dropout", 1, r"""
    Keras implements inverted dropout: `Dropout(0.2)` drops each entry with probability
    0.2, so it keeps it with probability 0.8, and divides the survivors by 0.8, i.e.
    multiplies them by 1.25. This keeps the expected value of every activation (and so
    of the next layer's $Z$) the same as without dropout; otherwise the next layer would
    see 20% less input in training than at test time. At inference
    (`training=False`, `predict`) nothing is dropped and nothing rescaled, because
    predictions must be deterministic, and thanks to the scaling during training no
    correction is needed then. Keras's argument is the drop rate $1 -$ `keep_prob`, so
    `Dropout(0.2)` corresponds to `keep_prob = 0.8` in our functions.
    """),
    md(r"""
    ### Explore dropout

    The explorer applies inverted dropout to the first hidden layer of a small network.
    Things to try:

    - Press **new mask** a few times: a different set of units is switched off each time,
      and the bars of the survivors grow by $1/$`keep_prob`.
    - Move **keep_prob** from 1 down to 0.5: fewer survivors, each one larger, and the
      decision boundary of a network *trained* with that `keep_prob` gets smoother
      (compare its train and dev accuracy with `keep_prob = 1`).
    - Switch the mode to **inference**: nothing is dropped and nothing is rescaled.
    """),
    code("""
    # Interactive explorer (skipped while grading)
    if not GRADING:
        from helpers.widgets import dropout_explorer
        display(dropout_explorer(student_dropout=dropout_forward))   # your dropout_forward: the crosses
    """),

    # ------------------------------------------------------------------ 5. Keras L2
    md(r"""
    ## 5. L2 in Keras: `kernel_regularizer`

    The slide's model regularizes one layer:

    ```python
    model = tf.keras.Sequential([
        tf.keras.layers.Dense(20, activation="relu"),
        tf.keras.layers.Dense(3, activation="relu",
                              kernel_regularizer=tf.keras.regularizers.L2(0.01)),
        tf.keras.layers.Dense(1, activation="sigmoid"),
    ])
    ```

    `L2(factor)` adds $\text{factor}\cdot\sum W^2$ to the loss, and Keras's
    cross-entropy is already the **mean** over the examples (our $\frac1m\sum$). So the
    same cost as ours needs $\text{factor} = \frac{\lambda}{2m}$: the $m$ and the $\frac12$
    of our formula move into the factor. (The "kernel" is Keras's name for $W$; it is
    stored transposed, with shape $(n^{[l-1]}, n^{[l]})$, which does not change the sum
    of squares. Biases are left alone unless you pass a `bias_regularizer`.)

    ### Exercise 8: `keras_l2_factor`

    Return the factor to give `tf.keras.regularizers.L2` so that a layer's penalty equals
    our $\frac{\lambda}{2m}\lVert W\rVert_F^2$.
    """),
    answer("keras_l2_factor", '''
    def keras_l2_factor(lambd, m):
        """The argument of tf.keras.regularizers.L2 matching our L2 cost.

        Keras adds factor * sum(W**2) to a loss that is already a mean over the m
        examples; ours adds (lambd / (2 m)) * ||W||_F^2, so factor = lambd / (2 m).
        """
        ### BEGIN SOLUTION
        return lambd / (2 * m)
        ### END SOLUTION
    '''),
    tests("test_keras_l2_factor", 1, '''
    T.assert_close("keras_l2_factor(0.7, 35)", keras_l2_factor(0.7, 35), 0.01,
                   hint="our L2 cost is lambda / (2 m) times the sum of squares")
    print("Visible tests passed.")
    ### BEGIN HIDDEN TESTS
    import tensorflow as tf
    rng = np.random.default_rng(9)
    W = rng.standard_normal((4, 6))
    for lambd, m in ((0.3, 50), (2.0, 7)):
        layer = tf.keras.layers.Dense(4, kernel_regularizer=tf.keras.regularizers.L2(keras_l2_factor(lambd, m)))
        layer.build((None, 6))
        layer.kernel.assign(W.T.astype(np.float32))
        keras_penalty = float(sum(layer.losses))
        T.assert_close(f"Keras's penalty with keras_l2_factor({lambd}, {m})", keras_penalty,
                       H.l2_cost({"W1": W, "b1": np.zeros((4, 1))}, lambd, m), rtol=1e-5,
                       hint="the factor is lambd / (2 m)")
    ### END HIDDEN TESTS
    '''),

    # ------------------------------------------------------------------ 6. early stopping
    md(r"""
    ## 6. Early stopping

    While a network overfits, its training cost keeps falling but its dev cost falls,
    bottoms out and then rises. Early stopping watches the dev cost and stops once it
    has not improved for `patience` epochs, keeping the weights of the best epoch.

    It is cheap (one training run instead of a search over $\lambda$), but it couples
    two jobs that the recipe of section 2 keeps apart: minimizing $J$ and not overfitting.
    Stopping early means giving up on optimizing $J$ fully.

    Keras's `tf.keras.callbacks.EarlyStopping(monitor="val_loss", patience=p)` counts the
    epochs since the last improvement, an improvement being a value **strictly lower**
    than the best so far (epoch 0 sets the first best), and stops after the epoch at which
    that count reaches `p`.

    ### Exercise 9: `early_stopping`

    Given the dev cost of each epoch (epochs numbered from 0), return
    `(best_epoch, stop_epoch)`: the epoch with the lowest dev cost seen before stopping
    (the first one in case of a tie), and the last epoch that runs, which is
    `best_epoch + patience` if the rule fires, or the last epoch of the list if it never does.
    """),
    answer("early_stopping", '''
    def early_stopping(dev_costs, patience=3):
        """Where early stopping with this patience would stop, and which epoch it keeps.

        Epoch 0 sets the first best cost (as in Keras, whatever its value); a later epoch
        improves when its cost is strictly below the best cost so far. Training stops after the epoch that is `patience` epochs past the last improvement.

        Arguments:
        dev_costs -- sequence of dev-set costs, one per epoch (epoch 0 first)
        patience -- number of epochs without improvement to tolerate (>= 1)

        Returns:
        (best_epoch, stop_epoch) -- two ints
        """
        ### BEGIN SOLUTION
        best_epoch, best_cost, waited = 0, dev_costs[0], 0
        for epoch, cost in enumerate(dev_costs[1:], start=1):
            if cost < best_cost:
                best_epoch, best_cost, waited = epoch, cost, 0
            else:
                waited += 1
                if waited >= patience:
                    return best_epoch, epoch
        return best_epoch, len(dev_costs) - 1
        ### END SOLUTION
    '''),
    tests("test_early_stopping", 2, '''
    dev_costs = [1.0, 0.8, 0.7, 0.75, 0.72, 0.71, 0.6]
    T.assert_equal("early_stopping(dev_costs, patience=2)", tuple(early_stopping(dev_costs, patience=2)), (2, 4),
                   hint="epochs 3 and 4 do not beat 0.7, so training stops after epoch 4")
    T.assert_equal("early_stopping(dev_costs, patience=5)", tuple(early_stopping(dev_costs, patience=5)), (6, 6),
                   hint="if patience never runs out, training goes to the last epoch")
    print("Visible tests passed.")
    ### BEGIN HIDDEN TESTS
    import tensorflow as tf

    class _Model:  # EarlyStopping only needs a stop_training flag on the model
        stop_training = False

    def keras_early_stopping(costs, patience):
        callback, model = tf.keras.callbacks.EarlyStopping(monitor="val_loss", patience=patience), _Model()
        callback.set_model(model)
        callback.on_train_begin()
        for epoch, cost in enumerate(costs):
            callback.on_epoch_end(epoch, {"val_loss": float(cost)})
            if model.stop_training:
                break
        return callback.best_epoch, epoch

    rng = np.random.default_rng(23)
    for trial in range(12):
        epochs = np.arange(40)
        u_shape = (epochs - rng.uniform(5, 35)) ** 2 / 400 + 0.3
        costs = np.round(u_shape + 0.03 * rng.standard_normal(40), 2)  # rounding makes ties
        patience = int(rng.integers(1, 6))
        T.assert_equal(f"early_stopping(costs, patience={patience}) for the costs {costs.tolist()}",
                       tuple(int(e) for e in early_stopping(costs, patience)),
                       keras_early_stopping(costs, patience),
                       hint="only a strictly lower cost counts as an improvement; stop once `patience` epochs passed without one")

    # A run that diverged from the start (dev cost inf) never improves on epoch 0: every
    # epoch ties, so epoch 0 is kept and training stops `patience` epochs after it.
    for patience in (2, 4):
        diverged = [np.inf] * 8
        T.assert_equal(f"early_stopping({diverged}, patience={patience})",
                       tuple(int(e) for e in early_stopping(diverged, patience)),
                       keras_early_stopping(diverged, patience),
                       hint="epoch 0 is the first best, whatever its cost; with no improvement after it, stop at epoch `patience`")
    ### END HIDDEN TESTS
    '''),
    md(r"""
    ### Early stopping on a model that overfits

    A wide Keras network trained on only 40 noisy points overfits quickly. The figure
    shows the training and dev loss per epoch, the epoch `EarlyStopping` stopped at, and
    the epoch whose weights it restored. Your `early_stopping` function, given the same
    dev losses, should pick the same epochs. (Skipped while grading.)
    """),
    code("""
    if not GRADING:
        X_small, Y_small = H.load_planar("moons", m=40, noise=0.4, seed=4)
        X_val, Y_val = H.load_planar("moons", m=300, noise=0.4, seed=5)
        tf.keras.utils.set_random_seed(0)
        model = tf.keras.Sequential([
            tf.keras.Input(shape=(2,)),
            tf.keras.layers.Dense(64, activation="relu"),
            tf.keras.layers.Dense(64, activation="relu"),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer=tf.keras.optimizers.Adam(0.01), loss="binary_crossentropy")
        stopper = tf.keras.callbacks.EarlyStopping(monitor="val_loss", patience=10, restore_best_weights=True)
        history = model.fit(X_small.T, Y_small.T, validation_data=(X_val.T, Y_val.T), epochs=150,
                            batch_size=40, callbacks=[stopper], verbose=0).history
        best, stop = early_stopping(history["val_loss"], patience=10)
        print(f"Keras kept epoch {stopper.best_epoch} and stopped after epoch {len(history['val_loss']) - 1}; "
              f"early_stopping says {best} and {stop}")
        fig, ax = plt.subplots(figsize=(6, 3.5))
        ax.plot(history["loss"], label="train loss")
        ax.plot(history["val_loss"], label="dev loss")
        ax.axvline(best, color="gray", linestyle="--", label=f"best epoch ({best})")
        ax.set_xlabel("epoch")
        ax.set_ylabel("binary cross-entropy")
        ax.legend()
        plt.show()
    """),
    md(r"""
    **Question.** A colleague's cat classifier reaches 1% training error and 16% dev error.
    What is its problem, which techniques from this notebook would you try first, and
    which common fixes would *not* help? Justify briefly.
    """),
    written("written_regularization_choice", 1, r"""
    Train 1% and dev 16% is scenario 1, high variance: the network fits the training data
    but does not generalize. Useful next steps are more (or augmented) training data and
    regularization: L2 with $\lambda$ tuned on the dev set, or dropout in the large hidden
    layers, or early stopping. A bigger network or longer training would not help, since
    the training error is already low; they target bias. I would start with L2 because
    it keeps "minimize J" and "do not overfit" as separate knobs, and its cost still
    decreases monotonically (easy to debug), whereas early stopping ties both to one
    decision and dropout makes $J$ ill-defined for monitoring.
    """),

    # ------------------------------------------------------------------ summary
    md(r"""
    ## What you learned

    - **Splits**: shuffle with one permutation for `X` and `Y`; 60/20/20 for small data,
      98/1/1 or thinner for big data. Dev and test must come from the distribution you
      care about: shuffling 8k phone images into 100k web images leaves only about 148
      of them in a 2k dev set.
    - **Bias and variance**: avoidable bias = train error minus Bayes error, variance =
      dev minus train error; the four scenarios of the slide tell you whether to grow the
      model or to regularize.
    - **L2**: cost $\frac{\lambda}{2m}\sum_l\lVert W^{[l]}\rVert_F^2$ (weights only),
      gradient $+\frac{\lambda}{m}W^{[l]}$, and the update is weight decay by the factor
      $1 - \frac{\alpha\lambda}{m}$. In Keras, `kernel_regularizer=L2(lambda / (2m))`.
    - **Inverted dropout**: mask `rng.random(shape) < keep_prob`, divide the survivors by
      `keep_prob`, use the same mask backwards, and never drop at inference. Keras's
      `Dropout(0.2)` is `keep_prob = 0.8`, hence the factor 1.25.
    - **Early stopping**: stop once the dev cost has not improved for `patience` epochs and
      keep the best epoch's weights; cheap, but it mixes optimizing and regularizing.
    """),
]

if __name__ == "__main__":
    path = write_notebook(ROOT / "source" / NAME / f"{NAME}.ipynb", cells)
    print(f"wrote {path}")
