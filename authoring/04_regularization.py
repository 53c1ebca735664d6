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
    3. **L2 regularization**: its cost, its gradient and why it is called *weight decay*;
       **L1** next to it and the sparse weights it produces; what L2 does to a ReLU network
       and to a tanh network.
    4. **Inverted dropout**, forward and backward, then wired into a whole L-layer network
       that you train and compare with L2; the same thing in Keras.
    5. **`kernel_regularizer`** in Keras, and how its factor relates to our $\lambda$
       (with mini-batches too).
    6. **Data augmentation**: shifted and mirrored digits, and what they do to the dev error.
    7. **Early stopping**, from scratch and with a Keras callback.

    Each exercise is a function. Fill in the code between the comments, run the test
    cell right after it, and move on: it prints **"Visible tests passed."** when your
    function gives the worked example's values, and otherwise says what is wrong, with a
    hint. Hidden tests
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
    **Question.** A start-up builds speech recognition for cars. It has 3,000 hours of
    clean audiobook recordings and 60 hours recorded in cars (engine noise, several
    speakers), the sound its product will hear. Propose a train/dev/test split, in hours,
    and justify it. Then: after months of tuning, the model does well on your dev set but
    badly for customers. Name one plausible cause your split guards against and one it
    cannot.
    """),
    written("written_mismatched_split", 1, r"""
    **Model answer.** Dev and test must come from the target distribution, so they are made
    of car recordings only, e.g. 20 hours each; the remaining 20 hours of car audio go into
    the training set with all 3,000 audiobook hours (train: 3,020 h, about 0.7% from cars;
    dev: 20 h car; test: 20 h car). Shuffling everything together would leave about 2% car
    audio in dev and test (60 / 3,060), so tuning would optimize for audiobooks. The split
    guards against aiming at the wrong target. It cannot guard against the car recordings
    themselves being unrepresentative (one car model, one accent, no music playing), and
    months of choosing models on the same 20 dev hours can overfit the dev set, which a
    fresh test set (or a new dev set) reveals.

    **Rubric (1 point).** 0.5: dev and test only from car audio, the rest of the car audio
    and the audiobooks in training, with a reason (same distribution as the product).
    0.5: one cause the split addresses (wrong target distribution) and one it does not
    (unrepresentative target data, overfitting the dev set by long tuning, distribution
    drift after launch). Numbers may differ; 60/20/20 of the car audio without using the
    audiobooks loses 0.25.
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
    # ------------------------------------------------------------------ 3b. L1
    md(r"""
    ### L1 regularization and the sparsity it produces

    L2 is not the only penalty. **L1** adds the sum of the *absolute values* of the weights
    (the lesson's "LASSO" to L2's "ridge"):

    $$J_{L1} = \text{cross-entropy} + \frac{\lambda}{m} \sum_{l} \sum_{k,j} \big|W^{[l]}_{kj}\big|,
    \qquad dW^{[l]} = (\text{from backprop}) + \frac{\lambda}{m}\,\operatorname{sign}\big(W^{[l]}\big).$$

    $|w|$ has no derivative at $w = 0$; we use $\operatorname{sign}(0) = 0$ there (a
    *subgradient*, which is also what TensorFlow uses). Compare the two pulls towards zero:

    | penalty | pull on a weight $w$ | small weights |
    | --- | --- | --- |
    | L2, $\frac{\lambda}{2m} w^2$ | $\frac{\lambda}{m} w$, proportional to $w$ | pulled ever more gently: they shrink but rarely reach 0 |
    | L1, $\frac{\lambda}{m} \lvert w\rvert$ | $\frac{\lambda}{m}\operatorname{sign}(w)$, the same for every $w \ne 0$ | pulled as hard as large ones: the useless ones end at (or around) 0 |

    So L1 gives **sparse** weights: many exactly (or nearly) zero, which switches input
    features off. Worked example with $\lambda = 0.5$, $m = 2$ and
    $W^{[1]} = \begin{pmatrix} 1 & -2 \\ 0 & 3 \end{pmatrix}$: the cost is
    $\frac{0.5}{2}(1 + 2 + 0 + 3) = 1.5$ and the added gradient
    $0.25 \begin{pmatrix} 1 & -1 \\ 0 & 1 \end{pmatrix}$. In Keras,
    `kernel_regularizer=tf.keras.regularizers.L1(lambd / m)`.

    ### Exercise 6: `l1_regularization_cost` and `add_l1_gradient`

    Write both: the penalty $\frac{\lambda}{m}\sum_l \sum |W^{[l]}|$ (a Python `float`, weights
    only) and a **new** gradient dictionary with $\frac{\lambda}{m}\operatorname{sign}(W^{[l]})$
    added to every `dW{l}`, every other entry copied unchanged (`np.sign(0)` is 0).
    """),
    answer("l1_regularization", '''
    def l1_regularization_cost(parameters, lambd, m):
        """The L1 penalty: (lambd / m) * sum_l sum_kj |W[l]_kj|   (biases not penalized).

        Arguments:
        parameters -- dict {"W1", "b1", ..., "WL", "bL"}, W[l] of shape (n[l], n[l-1])
        lambd -- regularization strength >= 0
        m -- number of training examples

        Returns:
        cost -- a float
        """
        ### BEGIN SOLUTION
        L = len(parameters) // 2
        cost = lambd / m * sum(np.sum(np.abs(parameters[f"W{l}"])) for l in range(1, L + 1))
        ### END SOLUTION
        return float(cost)


    def add_l1_gradient(grads, parameters, lambd, m):
        """Gradients of the L1-regularized cost from those of the plain cost.

        dW[l] = dW[l] + (lambd / m) sign(W[l]);   every other entry unchanged.

        Arguments:
        grads -- dict {"dW1", "db1", ...} of the cross-entropy cost
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
            regularized[f"dW{l}"] = grads[f"dW{l}"] + (lambd / m) * np.sign(parameters[f"W{l}"])
        ### END SOLUTION
        return regularized
    '''),
    tests("test_l1_regularization", 2, '''
    example = {"W1": np.array([[1.0, -2.0], [0.0, 3.0]]), "b1": np.array([[5.0], [5.0]])}
    T.assert_close("l1_regularization_cost(example, lambd=0.5, m=2)", l1_regularization_cost(example, 0.5, 2), 1.5,
                   hint="(lambd / m) times the sum of |W|; 2.75 means the biases were penalized too")
    grads = {"dW1": np.zeros((2, 2)), "db1": np.ones((2, 1))}
    regularized = add_l1_gradient(grads, example, 0.5, 2)
    T.assert_close("dW1", regularized["dW1"], np.array([[0.25, -0.25], [0.0, 0.25]]),
                   hint="add (lambd / m) * np.sign(W[l]): the same pull for every nonzero weight, 0 at 0")
    T.assert_close("db1", regularized["db1"], np.ones((2, 1)), hint="the biases are not regularized")
    T.assert_close("grads['dW1'] after the call", grads["dW1"], np.zeros((2, 2)),
                   hint="build a new dictionary instead of changing the one you were given")
    print("Visible tests passed.")
    ### BEGIN HIDDEN TESTS
    rng = np.random.default_rng(41)
    for layer_dims, lambd, m in (([5, 4, 1], 0.6, 9), ([3, 6, 2, 1], 2.0, 40)):
        parameters = T.random_parameters(layer_dims, seed=rng)
        T.assert_close(f"the L1 cost for layers {layer_dims}", l1_regularization_cost(parameters, lambd, m),
                       H.l1_cost(parameters, lambd, m), hint="(lambd / m) * sum of |W[l]| over every layer")
        # Keras's L1(lambd / m) adds the same penalty (an independent implementation)
        layer = tf.keras.layers.Dense(layer_dims[1], dtype="float64",
                                      kernel_regularizer=tf.keras.regularizers.L1(lambd / m))
        layer.build((None, layer_dims[0]))
        layer.kernel.assign(parameters["W1"].T)
        T.assert_close("the L1 cost of W1 against Keras's L1 regularizer",
                       l1_regularization_cost({"W1": parameters["W1"], "b1": parameters["b1"]}, lambd, m),
                       float(sum(layer.losses)))
    X, Y = T.random_data(5, 9, seed=rng)
    parameters = T.random_parameters([5, 4, 1], seed=rng)
    parameters["W1"][0, 0] = 0.0  # a weight exactly at zero: sign(0) = 0
    AL, caches = H.L_model_forward(X, parameters)
    plain = H.L_model_backward(AL, Y, caches)
    got = add_l1_gradient(plain, parameters, 0.8, 9)
    T.assert_dict_close("add_l1_gradient(...)", got, H.add_l1_gradient(plain, parameters, 0.8, 9),
                        keys=["dW1", "db1", "dW2", "db2", "dA1"],
                        hint="dW[l] gets + (lambd / m) * np.sign(W[l]); everything else stays as it was")
    # An independent check: two-sided differences of the L1-regularized cost (W2 has no zero entry).
    def l1_cost(params):
        return H.compute_cost(H.L_model_forward(X, params)[0], Y) + H.l1_cost(params, 0.8, 9)
    numerical = np.zeros_like(parameters["W2"])
    for index in np.ndindex(numerical.shape):
        shifted = {k: v.copy() for k, v in parameters.items()}
        shifted["W2"][index] += 1e-6
        plus = l1_cost(shifted)
        shifted["W2"][index] -= 2e-6
        numerical[index] = (plus - l1_cost(shifted)) / 2e-6
    T.assert_close("dW2 against a numerical gradient", got["dW2"], numerical, rtol=1e-4, atol=1e-7)
    ### END HIDDEN TESTS
    '''),
    md(r"""
    **L1 against L2, seen on the weights.** Logistic regression (a one-layer network) on
    only 100 images of the digits "0 against the rest", each image 64 pixels, trained three
    times with 300 steps of plain gradient descent ($\alpha = 1$, $\lambda = 1$): no penalty, L2, and L1 (with your
    `add_l1_gradient`). The histograms show the 64 learned pixel weights; the images show
    them as 8x8 pictures. In our run about 17% of the weights are near zero without a
    penalty (the pixels of the border that are blank in every image: their gradient is
    always 0, so they keep their initial weight 0), about 20% with L2, which shrinks every
    weight a little (the largest from about 2.5 to 1.2), and about 70% with L1, which keeps
    a few pixels that matter; the dev errors stay below 1% in all three. (With a plain
    gradient step the L1 weights jitter around 0 by about $\alpha\lambda/m = 0.01$ instead
    of landing exactly on it; methods built for L1, such as proximal steps, set them to
    exactly 0.) Skipped while grading.
    """),
    code("""
    if not GRADING:
        X_few, Y_few, X_rest, Y_rest = H.load_digits_binary(positive=0, test_fraction=0.9, seed=0)
        X_few, Y_few = X_few[:, :100], Y_few[:, :100]
        m_few = X_few.shape[1]

        def logistic_regression(penalty, lambd, num_iterations=300, learning_rate=1.0):
            parameters = {"W1": np.zeros((1, 64)), "b1": np.zeros((1, 1))}
            for _ in range(num_iterations):
                AL, caches = H.L_model_forward(X_few, parameters)
                grads = H.L_model_backward(AL, Y_few, caches)
                if penalty == "L2":
                    grads = H.add_l2_gradient(grads, parameters, lambd, m_few)
                elif penalty == "L1":
                    grads = add_l1_gradient(grads, parameters, lambd, m_few)
                parameters = H.update_parameters(parameters, grads, learning_rate)
            return parameters

        runs = {"no penalty": logistic_regression(None, 0.0), "L2, lambda = 1": logistic_regression("L2", 1.0),
                "L1, lambda = 1": logistic_regression("L1", 1.0)}
        fig, axes = plt.subplots(2, 3, figsize=(11, 6))
        for column, (title, parameters) in enumerate(runs.items()):
            weights = parameters["W1"].ravel()
            near_zero = np.mean(np.abs(weights) < 0.01)
            dev_error = np.mean(H.predict(X_rest, parameters) != Y_rest)
            axes[0, column].hist(weights, bins=40)
            axes[0, column].set_title(f"{title}\\n|w| < 0.01: {near_zero:.0%}, dev error {dev_error:.1%}", fontsize=10)
            axes[1, column].imshow(weights.reshape(8, 8), cmap="RdBu", vmin=-np.abs(weights).max(),
                                   vmax=np.abs(weights).max())
            axes[1, column].axis("off")
        axes[0, 0].set_ylabel("number of pixel weights")
        plt.tight_layout()
        plt.show()
    """),
    md(r"""
    **Question.** A logistic regression predicts whether a machine fails from 500 sensor
    readings; you suspect only a dozen matter, and the engineers want to know which. Would
    you train it with L1 or with L2, and why? Two of the readings are the same temperature,
    recorded twice, the second time in a unit three times smaller ($x_2 = 3 x_1$ exactly),
    so only $w_1 + 3 w_2$ affects the predictions. Which weights $(w_1, w_2)$ does each penalty
    prefer among those with the same $w_1 + 3 w_2 = c$?
    """),
    written("written_l1_or_l2", 1, r"""
    **Model answer.** L1: its pull $\frac{\lambda}{m}\operatorname{sign}(w)$ does not fade for
    small weights, so the weights of readings that do not help the cost are driven to (about)
    zero and the dozen that matter stay; the nonzero weights answer the engineers' question.
    L2 shrinks every weight but leaves almost all of them nonzero, which is harder to read.
    For the duplicated reading: with $w_1 = c - 3 w_2$, L2 minimizes $w_1^2 + w_2^2$, at
    $(w_1, w_2) = (c/10, 3c/10)$: it *shares* the weight between the copies, in proportion
    to their scale. L1 minimizes $|w_1| + |w_2| = |c - 3w_2| + |w_2|$, smallest at
    $w_1 = 0$, $w_2 = c/3$: it keeps *one* copy (the larger-scaled one, which needs the
    smallest weight) and drops the other.

    **Rubric (1 point).** 0.5: L1, because it sets useless weights to (about) zero (a
    constant pull, unlike L2's proportional one), making the selection readable. 0.5: L2
    spreads the weight over both copies ($w \propto (1, 3)$), L1 puts it all on one
    ($w_1 = 0$); 0.25 for the right qualitative answer without the numbers.
    """),
    md(r"""
    ### What L2 does to a ReLU network's decision boundary

    Below, the same network (two hidden layers of 40 and 20 **ReLU** units, gradient descent
    with $\alpha = 0.5$ for 1,000 iterations) is trained on only 80 noisy two-moon points
    twice, without regularization and with L2 ($\lambda = 0.7$), and evaluated on 1,000
    fresh points from the same distribution (section 4 adds dropout to the comparison).
    Without regularization the boundary wraps around individual noisy points: a
    near-perfect training accuracy (99% in our run), clearly less on the dev set (84%,
    against 86% with L2).

    Why does L2 help here? A popular explanation says that small weights keep every unit
    "close to linear"; that is the argument for **tanh** (next cell), and it does not apply
    to ReLU: $\max(0, z)$ is exactly linear on each side of its kink whatever the size of
    the weights, and scaling all of a ReLU layer's weights by $c$ only scales its output by
    $c$. What L2 does to a ReLU network is to make its weights **smaller**, and a function
    built from small weights cannot change fast: moving the input by $\Delta x$ moves the
    output of layer $l$ by at most $\lVert W^{[l]} \rVert_2 \cdots \lVert W^{[1]} \rVert_2 \, \lVert \Delta x \rVert$
    (each ReLU has slope 0 or 1, the biases cancel; for the last layer this bounds the
    logit $Z^{[L]}$, whose sign is the decision). A **smoother decision function** with gentle slopes cannot
    rise and fall around a single noisy point, so the boundary follows the bulk of the
    data. The titles print that bound, the product of the spectral norms
    $\prod_l \lVert W^{[l]}\rVert_2$: L2 lowers it by a large factor (about 220 to 25 in our
    run). (Skipped while grading.)
    """),
    code("""
    if not GRADING:
        X_moons, Y_moons = H.load_planar("moons", m=80, noise=0.35, seed=1)
        X_moons_dev, Y_moons_dev = H.load_planar("moons", m=1000, noise=0.35, seed=2)
        # section 4 compares dropout with these two runs (same network, seed and gradient descent)
        moons_runs = {title: H.train(X_moons, Y_moons, [2, 40, 20, 1], learning_rate=0.5, num_epochs=1000,
                                     lambd=lambd, seed=3, progress=False)
                      for title, lambd in [("no regularization", 0.0), ("L2, lambda = 0.7", 0.7)]}
        fig, axes = plt.subplots(1, 2, figsize=(9, 3.6))
        for ax, (title, (params, _)) in zip(axes, moons_runs.items()):
            train_acc = np.mean(H.predict(X_moons, params) == Y_moons)
            dev_acc = np.mean(H.predict(X_moons_dev, params) == Y_moons_dev)
            H.plot_decision_boundary(lambda X: H.predict(X, params), X_moons, Y_moons, ax=ax)
            slope_bound = np.prod([np.linalg.norm(params[f"W{l}"], 2) for l in (1, 2, 3)])
            ax.set_title(f"{title}\\ntrain {train_acc:.0%}, dev {dev_acc:.0%}, "
                         f"prod ||W||_2 = {slope_bound:.0f}", fontsize=10)
        plt.tight_layout()
        plt.show()
    """),
    md(r"""
    **Where "closer to linear" does hold: tanh.** $\tanh(z) \approx z$ for small $|z|$
    ($\tanh(0.5) = 0.462$, about 8% below $0.5$), while for large $|z|$ it saturates at $\pm 1$. If
    L2 keeps the weights small, the pre-activations $z = W a + b$ stay small, most tanh
    units work in their nearly linear middle, and a network of nearly linear units computes
    a nearly linear function (section 2 of the first assignment: linear layers collapse into
    one), which cannot draw a wiggly boundary. The cell below trains the same architecture
    with **tanh** units (Adam, 300 epochs), without and with L2, and shows the
    pre-activations $Z^{[1]}$ of the first hidden layer on the training points, with the
    share that lies in $|z| < 0.5$: about a third without L2, more than 90% with it (and a
    better dev accuracy). (Skipped while grading.)
    """),
    code("""
    if not GRADING:
        fig, axes = plt.subplots(1, 2, figsize=(10, 3.2), sharey=True)
        for ax, (title, lambd) in zip(axes, [("tanh, no regularization", 0.0), ("tanh, L2, lambda = 1", 1.0)]):
            params, _ = H.train(X_moons, Y_moons, [2, 40, 20, 1], optimizer="adam", learning_rate=0.01,
                                num_epochs=300, seed=3, progress=False, lambd=lambd, init="xavier",
                                hidden_activation="tanh")
            Z1 = params["W1"] @ X_moons + params["b1"]
            dev_acc = np.mean(H.predict(X_moons_dev, params, hidden_activation="tanh") == Y_moons_dev)
            ax.hist(Z1.ravel(), bins=60, range=(-8, 8))
            ax.axvspan(-0.5, 0.5, color="orange", alpha=0.3, label="|z| < 0.5: tanh(z) within 8% of z")
            ax.set_title(f"{title}\\n|z| < 0.5: {np.mean(np.abs(Z1) < 0.5):.0%} of Z[1], dev {dev_acc:.0%}",
                         fontsize=10)
            ax.set_xlabel("pre-activation z of hidden layer 1")
        axes[0].legend(fontsize=8)
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
    ### Exercise 7: `dropout_forward`

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
    ### Exercise 8: `dropout_backward`

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
    # ------------------------------------------------------------------ 4b. dropout in a network
    md(r"""
    ### Dropout inside an L-layer network

    A mask on one layer is only half the job: dropout lives *inside* the forward and backward
    passes of a whole network. For $l = 1, \dots, L-1$ (the hidden layers; never the input
    $X$, never the output $A^{[L]}$), with a keep probability $p^{[l]}$ per layer:

    $$Z^{[l]} = W^{[l]} A^{[l-1]} + b^{[l]}, \qquad A^{[l]} = \frac{\operatorname{relu}(Z^{[l]}) \odot D^{[l]}}{p^{[l]}},
    \qquad A^{[L]} = \sigma\big(W^{[L]} A^{[L-1]} + b^{[L]}\big).$$

    Backward, the mask $D^{[l]}$ of the forward pass has to be at hand, so it goes into
    layer $l$'s cache: `caches[l-1] = ((A_prev, W, b), Z, D)` (`D` is `None` for the output
    layer). Starting from $dZ^{[L]} = A^{[L]} - Y$ (sigmoid with cross-entropy):

    $$dA^{[l]} = \frac{\big(W^{[l+1]T} dZ^{[l+1]}\big) \odot D^{[l]}}{p^{[l]}}, \qquad
      dZ^{[l]} = dA^{[l]} \odot \operatorname{relu}'(Z^{[l]}), \qquad
      dW^{[l]} = \tfrac1m dZ^{[l]} A^{[l-1]T}, \quad db^{[l]} = \tfrac1m \textstyle\sum_i dZ^{[l](i)}.$$

    **Worked example.** The network $2 \to 2 \to 1$ with $W^{[1]} = I$, $b^{[1]} = 0$,
    $W^{[2]} = (1\;\; 1)$, $b^{[2]} = -1$, one example $x = (1, 2)$ and `keep_probs = [0.5]`:
    $\operatorname{relu}(Z^{[1]}) = (1, 2)$. With the mask $D^{[1]} = (1, 0)$ the second unit
    is silenced and the first doubled: $A^{[1]} = (2, 0)$, $Z^{[2]} = 2 + 0 - 1 = 1$ and
    $A^{[2]} = \sigma(1) = 0.7311$. At test time nothing is dropped: $A^{[1]} = (1, 2)$ and
    $A^{[2]} = \sigma(2) = 0.8808$. With $y = 1$, $dZ^{[2]} = 0.7311 - 1 = -0.2689$, so
    $dW^{[2]} = -0.2689 \cdot (2, 0)$; backward, the mask stops the gradient at the silenced
    unit: $dA^{[1]} = (-0.2689, -0.2689) \odot (1, 0) / 0.5 = (-0.5379, 0)$.

    ### Exercise 9: `forward_propagation_with_dropout`

    Build the forward pass from `H.linear_activation_forward` (ReLU for the hidden layers,
    sigmoid for the output) and **your** `dropout_forward`: after each hidden layer, pass
    its activations, `keep_probs[l-1]`, the given mask (`masks[l-1]`, or `None` to draw one
    from `rng`), `rng` and `training` to `dropout_forward`, and append
    `cache + (D,)` to `caches`. The output layer's cache gets `None` as its mask.
    """),
    answer("forward_propagation_with_dropout", '''
    def forward_propagation_with_dropout(X, parameters, keep_probs, masks=None, rng=None, training=True):
        """[LINEAR -> RELU -> DROPOUT] * (L-1) -> LINEAR -> SIGMOID, with inverted dropout.

        A[l] = relu(W[l] A[l-1] + b[l]) * D[l] / keep_probs[l-1]   for l = 1..L-1
        AL = sigmoid(W[L] A[L-1] + b[L])                           (no dropout on X or AL)

        Arguments:
        X -- inputs, shape (n[0], m)
        parameters -- dict {"W1", "b1", ..., "WL", "bL"}
        keep_probs -- list of L-1 keep probabilities, one per hidden layer
        masks -- None (draw the masks from rng) or a list of L-1 masks D[l] of shape (n[l], m)
        rng -- numpy Generator for the masks (a fresh one when None)
        training -- False at test time: no unit is dropped

        Returns:
        AL -- output probabilities, shape (1, m)
        caches -- list of L tuples ((A_prev, W, b), Z, D); D is None for the output layer
        """
        ### BEGIN SOLUTION
        L = len(parameters) // 2
        A, caches = X, []
        for l in range(1, L):
            A, cache = H.linear_activation_forward(A, parameters[f"W{l}"], parameters[f"b{l}"], "relu")
            mask = None if masks is None else masks[l - 1]
            A, D = dropout_forward(A, keep_probs[l - 1], D=mask, rng=rng, training=training)
            caches.append(cache + (D,))
        AL, cache = H.linear_activation_forward(A, parameters[f"W{L}"], parameters[f"b{L}"], "sigmoid")
        caches.append(cache + (None,))
        ### END SOLUTION
        return AL, caches
    '''),
    tests("test_forward_propagation_with_dropout", 3, '''
    parameters = {"W1": np.eye(2), "b1": np.zeros((2, 1)), "W2": np.array([[1.0, 1.0]]), "b2": np.array([[-1.0]])}
    x = np.array([[1.0], [2.0]])
    AL, caches = forward_propagation_with_dropout(x, parameters, [0.5], masks=[np.array([[True], [False]])])
    T.assert_close("AL with the mask (1, 0) (the worked example)", AL, np.array([[0.7310585786]]),
                   hint="relu(Z1) = (1, 2); drop the second unit and divide the first by 0.5: A1 = (2, 0)")
    T.assert_equal("the number of caches", len(caches), 2, hint="one cache per layer")
    T.assert_close("the mask stored in caches[0]", np.asarray(caches[0][2], dtype=float), np.array([[1.0], [0.0]]),
                   hint="append cache + (D,) for each hidden layer")
    T.assert_true(caches[1][2] is None, "the output layer's cache does not end with None",
                  hint="no dropout on the output: append cache + (None,)")
    AL_test, _ = forward_propagation_with_dropout(x, parameters, [0.5], training=False)
    T.assert_close("AL at test time (training=False)", AL_test, np.array([[0.8807970780]]),
                   hint="at test time nothing is dropped or rescaled: A1 = (1, 2), AL = sigmoid(2)")
    print("Visible tests passed.")
    ### BEGIN HIDDEN TESTS
    rng = np.random.default_rng(51)
    for layer_dims, keep_probs in (([5, 6, 4, 1], [0.7, 0.9]), ([3, 8, 1], [0.5])):
        parameters = T.random_parameters(layer_dims, seed=rng)
        X, _ = T.random_data(layer_dims[0], 12, seed=rng)
        masks = [rng.random((n, 12)) < p for n, p in zip(layer_dims[1:-1], keep_probs)]
        AL, caches = forward_propagation_with_dropout(X, parameters, keep_probs, masks=masks)
        expected_AL, expected_caches = H.L_model_forward_with_dropout(X, parameters, keep_probs, masks=masks)
        T.assert_close(f"AL for layers {layer_dims} with given masks", AL, expected_AL,
                       hint="relu, then dropout_forward with masks[l-1] and keep_probs[l-1], on every hidden layer")
        for l, (cache, expected) in enumerate(zip(caches, expected_caches), start=1):
            T.assert_close(f"Z{l} in the cache", cache[1], expected[1])
            T.assert_close(f"A{l - 1} in the cache", cache[0][0], expected[0][0],
                           hint="the cache of layer l holds the A_prev it received, after the previous dropout")
        # The masks drawn from rng: the same generator state gives the same draws as the reference.
        AL, caches = forward_propagation_with_dropout(X, parameters, keep_probs, rng=np.random.default_rng(7))
        expected_AL, expected_caches = H.L_model_forward_with_dropout(X, parameters, keep_probs,
                                                                      rng=np.random.default_rng(7))
        T.assert_close("AL with masks drawn from rng", AL, expected_AL,
                       hint="draw each hidden layer's mask with dropout_forward(..., rng=rng), layer 1 first")
        for l in range(1, len(layer_dims) - 1):
            T.assert_close(f"the drawn mask of layer {l}", np.asarray(caches[l - 1][2], dtype=float),
                           np.asarray(expected_caches[l - 1][2], dtype=float))
        # Test time: exactly the network without dropout (an independent forward pass in Keras).
        AL_test, _ = forward_propagation_with_dropout(X, parameters, keep_probs, rng=rng, training=False)
        keras_layers = [tf.keras.Input(shape=(layer_dims[0],), dtype="float64")]
        keras_layers += [tf.keras.layers.Dense(n, activation="relu", dtype="float64") for n in layer_dims[1:-1]]
        keras_layers += [tf.keras.layers.Dropout(0.5), tf.keras.layers.Dense(1, activation="sigmoid", dtype="float64")]
        model = tf.keras.Sequential(keras_layers)
        dense = [layer for layer in model.layers if isinstance(layer, tf.keras.layers.Dense)]
        for l, layer in enumerate(dense, start=1):
            layer.set_weights([parameters[f"W{l}"].T, parameters[f"b{l}"].ravel()])
        T.assert_close("AL at test time against Keras (Dropout is off in predict)", AL_test,
                       model(X.T, training=False).numpy().T, hint="training=False: no unit dropped, none rescaled")
    ### END HIDDEN TESTS
    '''),
    md(r"""
    ### Exercise 10: `backward_propagation_with_dropout`

    Start from $dZ^{[L]} = A^{[L]} - Y$ and `H.linear_backward` for the output layer. Then,
    for $l = L-1$ down to 1: send the incoming gradient through layer $l$'s mask with
    **your** `dropout_backward`, store it as `grads[f"dA{l}"]` (the gradient with respect
    to the ReLU output, before dropout), and finish the layer with
    `H.linear_activation_backward(dA, (linear_cache, Z), "relu")`.
    """),
    answer("backward_propagation_with_dropout", '''
    def backward_propagation_with_dropout(AL, Y, caches, keep_probs):
        """Backward pass through forward_propagation_with_dropout.

        dZ[L] = AL - Y;  for l = L-1..1:  dA[l] = (W[l+1]^T dZ[l+1]) * D[l] / keep_probs[l-1],
        dZ[l] = dA[l] * relu'(Z[l]);  dW[l] = dZ[l] A[l-1]^T / m,  db[l] = sum_i dZ[l] / m

        Arguments:
        AL -- output probabilities, shape (1, m)
        Y -- labels, shape (1, m)
        caches -- from forward_propagation_with_dropout: ((A_prev, W, b), Z, D) per layer
        keep_probs -- the L-1 keep probabilities of the forward pass

        Returns:
        grads -- dict with "dW1", "db1", ..., "dWL", "dbL" and "dA1", ..., "dA{L-1}"
        """
        ### BEGIN SOLUTION
        grads = {}
        L = len(caches)
        linear_cache, _, _ = caches[L - 1]
        dA, grads[f"dW{L}"], grads[f"db{L}"] = H.linear_backward(AL - Y, linear_cache)
        for l in range(L - 1, 0, -1):
            linear_cache, Z, D = caches[l - 1]
            dA = dropout_backward(dA, D, keep_probs[l - 1])
            grads[f"dA{l}"] = dA
            dA, grads[f"dW{l}"], grads[f"db{l}"] = H.linear_activation_backward(dA, (linear_cache, Z), "relu")
        ### END SOLUTION
        return grads
    '''),
    tests("test_backward_propagation_with_dropout", 3, '''
    parameters = {"W1": np.eye(2), "b1": np.zeros((2, 1)), "W2": np.array([[1.0, 1.0]]), "b2": np.array([[-1.0]])}
    x, y = np.array([[1.0], [2.0]]), np.array([[1.0]])
    AL, caches = H.L_model_forward_with_dropout(x, parameters, [0.5], masks=[np.array([[True], [False]])])
    grads = backward_propagation_with_dropout(AL, y, caches, [0.5])
    T.assert_close("dW2 (the worked example)", grads["dW2"], np.array([[-0.5378828427, 0.0]]),
                   hint="dZ2 = AL - Y = -0.2689, and A1 after dropout is (2, 0)")
    T.assert_close("dA1 (the worked example)", grads["dA1"], np.array([[-0.5378828427], [0.0]]),
                   hint="W2^T dZ2 = (-0.2689, -0.2689), times the mask (1, 0), divided by keep_prob 0.5")
    T.assert_close("dW1 (the worked example)", grads["dW1"], np.array([[-0.5378828427, -1.0757656854], [0.0, 0.0]]),
                   hint="dZ1 = dA1 * relu'(Z1), then dW1 = dZ1 X^T / m")
    print("Visible tests passed.")
    ### BEGIN HIDDEN TESTS
    rng = np.random.default_rng(61)
    for layer_dims, keep_probs in (([5, 6, 4, 1], [0.7, 0.8]), ([3, 7, 5, 4, 1], [0.6, 0.9, 0.75])):
        parameters = T.random_parameters(layer_dims, seed=rng)
        X, Y = T.random_data(layer_dims[0], 10, seed=rng)
        masks = [rng.random((n, 10)) < p for n, p in zip(layer_dims[1:-1], keep_probs)]
        AL, caches = H.L_model_forward_with_dropout(X, parameters, keep_probs, masks=masks)
        grads = backward_propagation_with_dropout(AL, Y, caches, keep_probs)
        expected = H.L_model_backward_with_dropout(AL, Y, caches, keep_probs)
        L = len(layer_dims) - 1
        keys = [f"d{p}{l}" for l in range(1, L + 1) for p in "Wb"] + [f"dA{l}" for l in range(1, L)]
        T.assert_dict_close(f"grads for layers {layer_dims}", grads, expected, keys=keys,
                            hint="each hidden layer: dropout_backward with that layer's mask and keep_prob, then relu backward")

        # Independent: with the masks fixed, the network is a fixed function of W and b;
        # two-sided differences of its cost must agree with the gradients.
        def cost(params):
            AL_shifted, _ = H.L_model_forward_with_dropout(X, params, keep_probs, masks=masks)
            return H.compute_cost(AL_shifted, Y)
        for key in ("W1", "b2"):
            numerical = np.zeros_like(parameters[key])
            for index in np.ndindex(numerical.shape):
                shifted = {k: v.copy() for k, v in parameters.items()}
                shifted[key][index] += 1e-6
                plus = cost(shifted)
                shifted[key][index] -= 2e-6
                numerical[index] = (plus - cost(shifted)) / 2e-6
            T.assert_close(f"d{key} against a numerical gradient", grads[f"d{key}"], numerical, rtol=1e-4, atol=1e-7)
    ### END HIDDEN TESTS
    '''),
    md(r"""
    ### Exercise 11: `train_with_dropout`

    Put the two together in a gradient-descent loop, as deeplearning.ai's regularization
    assignment does. One generator drives everything, so that a seed fixes the run:
    `rng = np.random.default_rng(seed)`, the weights from
    `H.initialize_parameters(layer_dims, method="he", seed=rng)`, then for each iteration a
    forward pass with dropout whose masks come from the same `rng`, the cost
    `H.compute_cost(AL, Y)` (appended to `costs`), your backward pass, and
    `H.update_parameters`. With that order your run is exactly
    `H.train(X, Y, layer_dims, learning_rate=..., num_epochs=num_iterations, keep_prob=keep_probs, seed=seed)`.
    """),
    answer("train_with_dropout", '''
    def train_with_dropout(X, Y, layer_dims, keep_probs, learning_rate=0.3, num_iterations=1000, seed=0):
        """Full-batch gradient descent on an L-layer ReLU/sigmoid network with inverted dropout.

        Each iteration: AL, caches = forward with dropout (masks from rng); cost J(AL, Y);
        grads = backward with the same masks; W, b <- W - learning_rate dW, b - learning_rate db.

        Arguments:
        X -- inputs (n[0], m);  Y -- labels (1, m)
        layer_dims -- [n[0], n[1], ..., n[L]]
        keep_probs -- list of L-1 keep probabilities
        learning_rate, num_iterations -- gradient-descent settings
        seed -- seed of the one generator used for the initialization and the masks

        Returns:
        parameters -- the trained {"W1", "b1", ...}
        costs -- list of num_iterations floats, the cost before each update
        """
        ### BEGIN SOLUTION
        rng = np.random.default_rng(seed)
        parameters = H.initialize_parameters(layer_dims, method="he", seed=rng)
        costs = []
        for _ in range(num_iterations):
            AL, caches = forward_propagation_with_dropout(X, parameters, keep_probs, rng=rng)
            costs.append(H.compute_cost(AL, Y))
            grads = backward_propagation_with_dropout(AL, Y, caches, keep_probs)
            parameters = H.update_parameters(parameters, grads, learning_rate)
        ### END SOLUTION
        return parameters, costs
    '''),
    tests("test_train_with_dropout", 2, '''
    X_check, Y_check = H.load_planar("moons", m=30, noise=0.2, seed=0)
    parameters, costs = train_with_dropout(X_check, Y_check, [2, 5, 1], [0.8], learning_rate=0.5,
                                           num_iterations=3, seed=1)
    T.assert_equal("the number of costs", len(costs), 3, hint="append one cost per iteration")
    reference, history = H.train(X_check, Y_check, [2, 5, 1], learning_rate=0.5, num_epochs=3, keep_prob=[0.8],
                                 seed=1, progress=False)
    T.assert_close("the costs of 3 iterations", np.array(costs), np.array(history["cost"]),
                   hint="one generator rng = np.random.default_rng(seed): initialize with it, then draw the masks from it")
    T.assert_close("W1 after 3 iterations", parameters["W1"], reference["W1"])
    print("Visible tests passed.")
    ### BEGIN HIDDEN TESTS
    for seed, layer_dims, keep_probs in ((5, [2, 8, 4, 1], [0.6, 0.9]), (9, [2, 6, 1], [0.5])):
        X, Y = H.load_planar("moons", m=40, noise=0.3, seed=seed)
        parameters, costs = train_with_dropout(X, Y, layer_dims, keep_probs, learning_rate=0.2,
                                               num_iterations=25, seed=seed)
        reference, history = H.train(X, Y, layer_dims, learning_rate=0.2, num_epochs=25, keep_prob=keep_probs,
                                     seed=seed, progress=False)
        T.assert_close(f"the costs for layers {layer_dims}", np.array(costs), np.array(history["cost"]),
                       hint="cost before each update; masks drawn from the same rng as the initialization")
        T.assert_dict_close(f"the trained parameters for layers {layer_dims}", parameters, reference)
        # Independent fact: dropout is random, so a different seed gives a different run.
        _, other = train_with_dropout(X, Y, layer_dims, keep_probs, learning_rate=0.2, num_iterations=3,
                                      seed=seed + 1)
        T.assert_true(not np.allclose(other, costs[:3]), "two different seeds gave the same costs",
                      hint="use the seed you were given")
    ### END HIDDEN TESTS
    '''),
    md(r"""
    ### Dropout against L2 and against nothing, on the same data

    The 80 noisy moon points of section 3, the network $2 \to 40 \to 20 \to 1$, plain
    gradient descent (1,000 iterations, $\alpha = 0.5$), three runs from the same initial
    weights: the two of section 3 (no regularization, and L2 with $\lambda = 0.7$) and your
    `train_with_dropout` with `keep_probs = [0.5, 0.5]`. Predictions
    use `training=False`. In our run the dev accuracy goes from about 84% without
    regularization to about 87% with dropout and 86% with L2. The cost curve of the dropout
    run is noisy: each iteration measures a different thinned network, so $J$ is no longer
    a quantity that must fall at every step (turn dropout off to debug a gradient); the L2
    curve includes the penalty. (Skipped while grading.)
    """),
    code("""
    if not GRADING:
        # the two runs of section 3 (same network, seed, learning rate and iterations), and yours with dropout
        runs = {title: (params, history["cost"]) for title, (params, history) in moons_runs.items()}
        runs["dropout, keep_probs = [0.5, 0.5]"] = train_with_dropout(X_moons, Y_moons, [2, 40, 20, 1], [0.5, 0.5],
                                                                      learning_rate=0.5, num_iterations=1000, seed=3)
        fig, axes = plt.subplots(1, 4, figsize=(15, 3.6))
        for ax, (title, (params, costs)) in zip(axes, runs.items()):
            def decide(X, params=params):
                return (forward_propagation_with_dropout(X, params, [1.0, 1.0], training=False)[0] > 0.5).astype(int)
            train_acc = np.mean(decide(X_moons) == Y_moons)
            dev_acc = np.mean(decide(X_moons_dev) == Y_moons_dev)
            H.plot_decision_boundary(decide, X_moons, Y_moons, ax=ax)
            ax.set_title(f"{title}\\ntrain {train_acc:.0%}, dev {dev_acc:.0%}", fontsize=10)
            axes[3].plot(costs, label=title, linewidth=0.8)
        axes[3].set_xlabel("iteration")
        axes[3].set_ylabel("cost J")
        axes[3].set_yscale("log")
        axes[3].legend(fontsize=7)
        plt.tight_layout()
        plt.show()
    """),
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
    **Question.** A colleague wrote dropout *without* the division by `keep_prob`
    (`a3 = a3 * d3` only) with `keep_prob = 0.5` on every hidden layer, trained the network,
    and now predicts without dropout. What goes wrong at test time, and why? Without
    retraining, how could they correct the trained weights so that the predictions are
    right again? (This is how dropout was first published.)
    """),
    written("written_keras_dropout", 1, r"""
    **Model answer.** During training each hidden unit was on with probability 0.5 and not
    rescaled, so the next layer learned its weights for inputs that are, on average, half as
    large as the full activations. At test time every unit is on, so each
    $Z^{[l+1]} = W^{[l+1]} a^{[l]} + b^{[l+1]}$ receives about twice the input it was
    trained for (in expectation $W a$ instead of $0.5\, W a$): the pre-activations are off
    by a factor of about 2, the output is overconfident or shifted, and the errors compound
    through the layers. The fix is to scale at test time what was not scaled in training:
    multiply each weight matrix that reads a dropped-out layer by its keep probability,
    $W^{[l+1]} \leftarrow 0.5\, W^{[l+1]}$ (biases unchanged). Then
    $\mathbb{E}[Z]$ at test time equals its training value again. Inverted dropout does the
    same correction during training instead, so that inference needs no change.

    **Rubric (1 point).** 0.5: at test time the inputs of the next layer are about
    $1/$`keep_prob` = 2 times larger than during training, with the expected-value reason.
    0.5: multiply the outgoing weights of each dropout layer by `keep_prob` (or,
    equivalently, its activations at test time), not the biases. Saying only "retrain with
    inverted dropout" earns 0.25 for the second part.
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
    of our formula move into the factor.

    **Which $m$, with mini-batches?** The *training set's* size, not the batch size. The
    cost we minimize is $J = \frac1m\sum_{i=1}^m \mathcal{L}^{(i)} + \frac{\lambda}{2m}\sum_l\lVert W^{[l]}\rVert_F^2$
    over all $m$ training examples. On a mini-batch of $m_b$ examples Keras computes
    $\frac{1}{m_b}\sum_{\text{batch}} \mathcal{L}^{(i)} + \text{factor}\sum W^2$, whose gradient
    $\frac{1}{m_b}\sum_{\text{batch}} \nabla\mathcal{L}^{(i)} + \frac{\lambda}{m} W$ is, averaged over
    the shuffle, exactly $\nabla J$, whatever $m_b$ is. `H.train` does the same (its L2 term
    uses the training set's $m$ on every batch), so `L2(lambd / (2 * m))` with $m$ the
    training-set size reproduces `H.train(..., lambd=lambd, mini_batch_size=...)` with any
    batch size; the course's test suite checks this against Keras step by step. Had we used
    $\frac{\lambda}{2 m_b}$ instead, the strength of the regularization would change with the
    batch size, a hyperparameter that should not have anything to do with it. (The "kernel" is Keras's name for $W$; it is
    stored transposed, with shape $(n^{[l-1]}, n^{[l]})$, which does not change the sum
    of squares. Biases are left alone unless you pass a `bias_regularizer`.)

    ### Exercise 12: `keras_l2_factor`

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

    # ------------------------------------------------------------------ 6. augmentation
    md(r"""
    ## 6. More data, made up: data augmentation

    More training data is the most reliable cure for high variance, and often the most
    expensive one. For images you can manufacture some: a digit moved one pixel to the
    right, a cat mirrored left to right, a photo cropped a little, rotated or distorted a
    little, still shows the same thing, so the **label stays** and the network sees a new
    example. The lesson's warnings hold the key: the transformation must keep the label and
    produce inputs the real data could contain. A cat upside down is no longer a natural
    photo (do not flip vertically); for digits, small shifts and rotations are safe, but a
    **mirrored 3** is not a 3 anyone writes.

    A shift moves every pixel: with $d_x$ pixels to the right and $d_y$ down,
    $$\text{out}[r, c] = \text{image}[r - d_y,\; c - d_x],$$
    and 0 where $(r - d_y, c - d_x)$ falls outside the 8x8 frame (what leaves the frame is
    lost). Worked example: a single bright pixel at row 2, column 3 shifted by
    $d_x = 1$, $d_y = -1$ lands at row 1, column 4; shifted by $d_x = 5$ it would land in
    column 8, outside the frame, and the image becomes all 0.

    ### Exercise 13: `shift_images`

    `X` holds one flattened 8x8 image per column (row-major: pixel $(r, c)$ is row
    $8r + c$ of `X`, as `X[:, i].reshape(8, 8)` shows). Reshape to images
    (`X.T.reshape(-1, 8, 8)`), copy the block that stays inside the frame (of
    $8 - |d_y|$ rows and $8 - |d_x|$ columns) into an array of zeros, and flatten back to
    shape `(64, m)`. Do not use `np.roll`: it wraps the pixels
    that leave on one side around to the other.
    """),
    answer("shift_images", '''
    def shift_images(X, dx, dy):
        """Shift 8x8 images dx pixels right and dy pixels down, filling with 0.

        out[r, c] = image[r - dy, c - dx] if 0 <= r - dy < 8 and 0 <= c - dx < 8, else 0

        Arguments:
        X -- images, shape (64, m), one flattened (row-major) 8x8 image per column
        dx, dy -- integer shifts (negative: left / up)

        Returns:
        shifted -- shape (64, m)
        """
        ### BEGIN SOLUTION
        images = X.T.reshape(-1, 8, 8)
        shifted = np.zeros_like(images)
        height, width = 8 - abs(dy), 8 - abs(dx)   # the block of each image that stays in the frame
        if height > 0 and width > 0:
            top, left = max(dy, 0), max(dx, 0)       # where the block lands
            row, column = max(-dy, 0), max(-dx, 0)   # where it comes from
            shifted[:, top:top + height, left:left + width] = images[:, row:row + height, column:column + width]
        shifted = shifted.reshape(-1, 64).T
        ### END SOLUTION
        return shifted
    '''),
    tests("test_shift_images", 2, '''
    image = np.zeros((8, 8))
    image[2, 3] = 1.0
    moved = shift_images(image.reshape(64, 1), 1, -1)
    T.assert_shape("shift_images(image, 1, -1)", moved, (64, 1))
    T.assert_close("the shifted image (the worked example)", moved.reshape(8, 8),
                   np.eye(8)[[1]].T @ np.eye(8)[[4]],
                   hint="one pixel right and one up: the bright pixel moves from (2, 3) to (1, 4)")
    T.assert_close("a shift that moves the pixel out of the frame", shift_images(image.reshape(64, 1), 5, 0),
                   np.zeros((64, 1)), hint="pixels that leave the frame are lost; do not wrap them around")
    print("Visible tests passed.")
    ### BEGIN HIDDEN TESTS
    from scipy.ndimage import shift as ndimage_shift
    rng = np.random.default_rng(71)
    X = rng.random((64, 6))
    for dx, dy in ((1, 0), (0, -1), (-2, 3), (3, 2), (-7, -1), (2, -7), (0, 0), (9, 0)):
        got = shift_images(X, dx, dy)
        T.assert_close(f"shift_images(X, {dx}, {dy})", got, H.shift_images(X, dx, dy),
                       hint="out[r, c] = image[r - dy, c - dx], 0 outside the frame")
        # scipy's image shift with order 0 and zero fill is an independent implementation
        expected = ndimage_shift(X.T.reshape(-1, 8, 8), (0, dy, dx), order=0, mode="constant", cval=0.0)
        T.assert_close(f"shift_images(X, {dx}, {dy}) against scipy.ndimage.shift", got, expected.reshape(-1, 64).T)
    ### END HIDDEN TESTS
    '''),
    md(r"""
    **What augmentation does to the dev error.** Only 40 training images of "3 against 8"
    (a small data set is where augmentation matters), a network $64 \to 20 \to 1$ trained
    with Adam for 150 epochs, three ways: on the 40 images alone; with four shifted copies of each (one
    pixel right, left, down, up: 200 images); and with a mirrored copy of each (80
    images, using `H.flip_images`). Each is trained from three seeds and the dev errors
    are averaged, on the 178 held-out images and on the same images each shifted by one
    pixel (digits written a little off-centre, which the training set never shows).
    (Skipped while grading; about 5 s.)
    """),
    code("""
    if not GRADING:
        X_38, Y_38, X_38_dev, Y_38_dev = H.load_digits_binary(positive=3, negative=8, test_fraction=0.5, seed=0)
        X_38, Y_38 = X_38[:, :40], Y_38[:, :40]
        moves = [(1, 0), (-1, 0), (0, 1), (0, -1)]
        X_38_dev_shifted = np.hstack([shift_images(X_38_dev[:, [i]], *moves[i % 4]) for i in range(X_38_dev.shape[1])])
        training_sets = {
            "40 originals": (X_38, Y_38),
            "+ 4 shifted copies each": (np.hstack([X_38] + [shift_images(X_38, dx, dy) for dx, dy in moves]),
                                        np.tile(Y_38, 5)),
            "+ a mirrored copy each": (np.hstack([X_38, H.flip_images(X_38)]), np.tile(Y_38, 2)),
        }
        print(f"{'training set':<26}{'m':>5}{'dev error':>12}{'shifted dev':>13}")
        for name, (X_aug, Y_aug) in training_sets.items():
            errors = []
            for seed in range(3):
                params, _ = H.train(X_aug, Y_aug, [64, 20, 1], optimizer="adam", learning_rate=0.01,
                                    num_epochs=150, seed=seed, progress=False)
                errors.append([np.mean(H.predict(X_dev, params) != Y_38_dev) for X_dev in (X_38_dev, X_38_dev_shifted)])
            dev_error, shifted_error = np.mean(errors, axis=0)
            print(f"{name:<26}{X_aug.shape[1]:>5}{dev_error:>12.1%}{shifted_error:>13.1%}")
        fig, axes = plt.subplots(1, 6, figsize=(9, 1.8))
        examples = [X_38[:, [0]]] + [shift_images(X_38[:, [0]], dx, dy) for dx, dy in moves] + [H.flip_images(X_38[:, [0]])]
        for ax, image, title in zip(axes, examples, ["original", "right", "left", "down", "up", "mirrored"]):
            ax.imshow(image.reshape(8, 8), cmap="gray_r")
            ax.set_title(title, fontsize=9)
            ax.axis("off")
        plt.show()
    """),
    md(r"""
    In our runs the shifted copies cut the error on the off-centre digits from about 28% to
    about 8% and lower the ordinary dev error a little (about 4% to 3%): the network learned
    that a 3 one pixel to the left is still a 3, something 40 centred images never showed
    it. The mirrored copies make both errors *worse* (a mirrored 3 is not a digit, so the
    network spends capacity on inputs it will never see, and learns that "3-ness" does not
    depend on which side the curves open). Augmentation is a prior you add by hand: it
    helps exactly as much as the invariance it encodes is true of the data.
    """),
    # ------------------------------------------------------------------ 7. early stopping
    md(r"""
    ## 7. Early stopping

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

    ### Exercise 14: `early_stopping`

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
    **Question.** Your digit classifier has 0.5% training error and 6% dev error (a
    human gets about 0.5% wrong). You add dropout with `keep_prob = 0.5` to every hidden
    layer and get 7% training error and 8% dev error. Read both results with the
    bias/variance table. Was dropout the wrong idea? What would you try next, and what
    would you *not* do?
    """),
    written("written_regularization_choice", 1, r"""
    **Model answer.** Before: avoidable bias 0% (0.5% against a Bayes error of about
    0.5%) and variance 5.5 points: high variance. After: variance is down to 1 point, so
    dropout did its job, but the training error rose to 7%, an avoidable bias of 6.5
    points: the network is now over-regularized (high bias), and the dev error got worse
    overall. Dropout was the right kind of fix at the wrong strength. Next: weaken it
    (`keep_prob` 0.8 or 0.9, or dropout only on the largest layers), tune that value on the
    dev set, or keep strong dropout and make the network bigger / train longer to win back
    the bias. I would not add more regularization (L2, even more dropout) or collect more
    data now: those lower variance, which is no longer the problem.

    **Rubric (1 point).** 0.25: first result is high variance. 0.25: second is high bias
    (over-regularized), variance fixed. 0.25: a fix that targets bias or weakens dropout
    (higher `keep_prob`, bigger network, tune on dev). 0.25: names something that would
    not help now (more regularization or more data), with the reason.
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
      $1 - \frac{\alpha\lambda}{m}$. In Keras, `kernel_regularizer=L2(lambda / (2m))`, $m$ the
      training set's size.
    - **L1**: cost $\frac{\lambda}{m}\sum_l \sum |W^{[l]}|$, gradient $+\frac{\lambda}{m}\operatorname{sign}(W^{[l]})$,
      a constant pull that drives useless weights to about zero (sparsity); L2 shrinks
      them all. Small weights keep **tanh** units nearly linear; for **ReLU** they make the
      decision function smoother (smaller slopes), not "more linear".
    - **Inverted dropout**: mask `rng.random(shape) < keep_prob`, divide the survivors by
      `keep_prob`, keep the mask in the cache and use it backwards, one `keep_prob` per
      hidden layer, never drop at inference. Keras's `Dropout(0.2)` is `keep_prob = 0.8`,
      hence the factor 1.25.
    - **With mini-batches** the L2 term keeps the training set's $m$: Keras's
      `L2(lambda / (2m))` then matches our training with any batch size.
    - **Data augmentation**: label-preserving transformations (small shifts of a digit)
      are extra data; transformations that make unrealistic inputs (a mirrored 3) hurt.
    - **Early stopping**: stop once the dev cost has not improved for `patience` epochs and
      keep the best epoch's weights; cheap, but it mixes optimizing and regularizing.
    """),
]

if __name__ == "__main__":
    path = write_notebook(ROOT / "source" / NAME / f"{NAME}.ipynb", cells)
    print(f"wrote {path}")
