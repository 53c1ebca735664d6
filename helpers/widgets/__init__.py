"""Interactive explorers for the course notebooks: ipywidgets controls above a matplotlib figure.

Each function returns an ``ipywidgets`` container; display it in a notebook cell::

    from helpers.widgets import perceptron_explorer
    perceptron_explorer()

The controls (``explorer.controls``, name -> widget) and what the figure shows are
attributes of the returned object, so tests drive an explorer without a browser.
In the page the figure is drawn on a <canvas> from the drawing calls matplotlib makes
in the kernel (``_view.py``, ``view.js``); displaying an explorer also attaches a PNG of
its figure, which is what nbconvert or a notebook viewer shows.

Importing this package is light: the functions below check their arguments and only
then import the module that builds the explorer (ipywidgets, matplotlib, anywidget).
Nothing is precomputed before an explorer is asked for.

``EXPLORERS`` is the one list of explorers that tests, benchmarks and docs read: adding
an explorer means its function here, its module, and one entry there.
"""

import numpy as np

from .._checks import as_float_array, check_choice, check_keep_prob, check_scalar
from ._limits import BETA_RANGE, DEPTH_RANGE, KEEP_PROB_RANGE, INIT_ACTIVATIONS, INIT_METHODS, WEIGHT_RANGE, WIDTHS

#: Every explorer: its function's name -> how the notebooks build it, with the course's
#: reference as the student's function (``helpers`` imported; ``tests/support/explorers.py``
#: builds them so).  Tests, ``bench/widgets*.py`` and the browser test read this registry.
EXPLORERS = {
    "perceptron_explorer": "perceptron_explorer(student_activation=helpers.sigmoid)",
    "ewma_explorer": "ewma_explorer(student_ewma=helpers.ewma)",
    "optimizer_explorer": "optimizer_explorer(student_update=helpers.update_parameters_with_adam)",
    "dropout_explorer": "dropout_explorer(student_dropout=helpers.dropout_forward)",
    "initialization_explorer": "initialization_explorer(student_initializer=helpers.initialize_parameters_he)",
}

__all__ = list(EXPLORERS)  # the functions; ``helpers`` re-exports them


def perceptron_explorer(w0=1.0, W=(3.0, -2.0), activation="sigmoid", point=(-1.0, 2.0), student_activation=None):
    """Explore a perceptron with two inputs: y_hat = g(w0 + w1 x1 + w2 x2)  (assignment 01).

    Sliders set the bias w0 and the weights W = (w1, w2) (each in [-5, 5] by 0.1), a menu the
    activation g.  The left panel colours the plane x1, x2 in [-4, 4] by the output
    (``helpers.perceptron_forward``) and draws the decision line w0 + w1 x1 + w2 x2 = 0
    (where a sigmoid outputs 0.5); the marked ``point`` shows its z and y_hat.  The
    right panel draws g and places that point on it.  The defaults are the slide
    example: w0 = 1, W = (3, -2), x = (-1, 2), so y_hat = g(-6).

    ``student_activation``: your own activation (e.g. ``sigmoid`` from assignment 01),
    called as ``g(z)`` on a NumPy array.  It is drawn dashed beside the reference of the
    same name (sigmoid if the name is not one of ``helpers.ACTIVATIONS``), the line under
    the figure says where it first differs, and the menu's "yours" colours the plane with
    it.  If it raises, the message is shown and the explorer keeps the reference.

    Buttons set the lesson's settings; "settings as code" prints one line of Python that
    rebuilds the explorer as it is (``explorer.settings_code()``).

    Returns a ``PerceptronExplorer`` (an ``ipywidgets.VBox``); see its docstring for the
    attributes a test reads.
    """
    from ..activations import ACTIVATIONS

    w0 = check_scalar("w0", w0, *WEIGHT_RANGE)
    W = _pair("W", W)
    for name, value in zip(("w1", "w2"), W):
        check_scalar(name, value, *WEIGHT_RANGE)
    point = _pair("point", point)
    _check_student("student_activation", student_activation, "sigmoid(z)")
    check_choice("activation", activation, tuple(ACTIVATIONS) + (("yours",) if student_activation else ()))
    from .perceptron import PerceptronExplorer

    return PerceptronExplorer(w0, W, activation, tuple(point), student_activation)


def ewma_explorer(temperatures=None, beta=0.9, bias_correction=True, student_ewma=None):
    """Explore the exponentially weighted moving average V_t = beta V_{t-1} + (1 - beta) theta_t
    (assignment 03).

    ``temperatures``: daily values, shape (T,) with T >= 2; by default the real daily
    highs of Seattle in 2012 (``helpers.data.load_temperatures()``, degrees Celsius).  ``beta``: the starting beta.

    A slider sets beta in [0.5, 0.999] by 0.001; buttons jump to the slides' 0.5, 0.9 and 0.98
    (about 2, 10 and 50 days).  The top panel shows the series, its EWMA
    (``helpers.ewma``), the bias-corrected EWMA V_t / (1 - beta^t) (check box), and as a
    band the ~1/(1 - beta) days the average spans; the small panel zooms on the first
    days, where V_0 = 0 drags the plain EWMA towards 0.  The bottom panel applies the
    same average to a noisy gradient sequence and overlays the velocity computed by
    ``update_parameters_with_momentum``: the curves coincide, momentum is this EWMA.

    ``student_ewma``: your own ``ewma(theta, beta, bias_correction=False)`` from assignment
    03; its average (with or without bias correction, as the check box says) is drawn
    dashed in black over the reference, and the line under the figure says on which day
    it first differs and by how much, or what it raised (the explorer keeps working).

    Returns an ``EwmaExplorer`` (an ``ipywidgets.VBox``).
    """
    temperatures_given = temperatures is not None
    if temperatures is None:
        from ..data import load_temperatures

        _dates, temperatures = load_temperatures()
    temperatures = as_float_array("temperatures", temperatures, ndim=1)
    if temperatures.shape[0] < 2:
        raise ValueError(f"temperatures must hold at least 2 daily values, got {temperatures.shape[0]}")
    if not np.isfinite(temperatures).all():
        raise ValueError("temperatures contains an infinite value")
    beta = check_scalar("beta", beta, *BETA_RANGE)
    _check_student("student_ewma", student_ewma, "ewma(theta, beta, bias_correction=False)")
    from .ewma import EwmaExplorer

    return EwmaExplorer(temperatures, beta, bool(bias_correction), student_ewma, temperatures_given)


def optimizer_explorer(student_update=None, landscape="elongated valley", start=None, iterations=100,
                       shown=None, learning_rates=None, decay_rates=None):
    """Explore gradient descent, momentum, RMSprop and Adam on 2-D cost landscapes J(w1, w2)
    (assignment 03).

    Pick a landscape (convex bowl, elongated valley, saddle, Rosenbrock, several minima;
    see ``helpers.widgets.landscapes``), a start point (click on the contour plot, or the
    sliders, by 0.01) and, for each optimizer, a check box, a learning rate alpha_0 (1e-4 to 3.2,
    ten values per decade: 0.001, 0.1, 0.4, 1.3, ...) and a decay rate (0 to 0.2 by 0.005;
    alpha_t = alpha_0 / (1 + decay (t - 1)), ``helpers.inverse_time_decay``).  The
    left panel draws every trajectory on the contours, the right one the cost per
    iteration.  A run that leaves the plotted square is marked with an X and the step
    where it left.  Every change recomputes the whole trajectories with the reference
    update rules (``helpers.optimizer_step``).

    ``student_update``: your own Adam, with the signature of ``update_parameters_with_adam``
    in assignment 03; it is called as::

        parameters, v, s, *rest = student_update(parameters, grads, v, s, t, learning_rate=rate)

    with ``parameters = {"W1": array([[w1, w2]]), "b1": array([[0.]])}`` (shapes (1, 2) and
    (1, 1); b1 never moves, its gradient is 0), ``grads`` the matching {"dW1", "db1"},
    ``v``, ``s`` from ``initialize_adam`` and t = 1, 2, ...  Your function keeps its own
    default beta1, beta2, epsilon.  Its run uses Adam's learning rate and decay, is
    drawn dashed beside the reference Adam, and the line under the figure says whether
    (and from which step) the two trajectories part.

    ``start`` (w1, w2) (default: the landscape's), ``iterations`` (5 to 400 by 5), ``shown``
    (the optimizers drawn, default all four), ``learning_rates`` and ``decay_rates``
    (optimizer name -> value; the others keep the landscape's rate and no decay) set the
    rest of the state, so that ``explorer.settings_code()`` can rebuild any state.

    Returns an ``OptimizerExplorer`` (an ``ipywidgets.VBox``).
    """
    from .landscapes import LANDSCAPES

    _check_student("student_update", student_update,
                   "update_parameters_with_adam(parameters, grads, v, s, t, learning_rate)")
    check_choice("landscape", landscape, tuple(LANDSCAPES))
    from .optimizer import OPTIMIZERS, OptimizerExplorer

    if start is not None:
        start = tuple(_pair("start", start).tolist())
    shown = tuple(OPTIMIZERS) if shown is None else tuple(shown)
    for name in shown:
        check_choice("shown", name, tuple(OPTIMIZERS))
    for argument, values in (("learning_rates", learning_rates), ("decay_rates", decay_rates)):
        if values is not None and not isinstance(values, dict):
            raise ValueError(f"{argument} must be a dict optimizer name -> value, got {values!r}")
        for name in values or {}:
            check_choice(argument, name, tuple(OPTIMIZERS))
    return OptimizerExplorer(student_update, landscape, start=start, iterations=iterations, shown=shown,
                             learning_rates=dict(learning_rates or {}), decay_rates=dict(decay_rates or {}))


def dropout_explorer(keep_prob=0.8, kind="moons", mode="train", mask_seed=0, student_dropout=None):
    """Explore inverted dropout (assignment 04).

    A slider sets keep_prob (0.1 to 1 by 0.05), a toggle switches between training and inference,
    a button draws new masks.  Left: a small network (2-8-8-1) whose dropped hidden units
    and their connections grey out.  Middle: the first hidden layer's activations a for
    one input, before and after ``helpers.dropout_forward`` (a * d / keep_prob), with the
    mean over 2000 masks, which stays at a, and the same mean without the division by
    keep_prob, which shrinks to keep_prob * a: the reason for 1/keep_prob.  At inference
    nothing is dropped or rescaled.  Right: a small noisy training set from
    ``helpers.data.load_planar(kind)`` with the decision boundary and the train/dev
    accuracy of a network trained by ``helpers.train`` without dropout (dashed) and with
    the keep_prob nearest the slider's among 0.5, 0.6, ..., 0.9.  All six networks are
    trained when the explorer is built (about 0.2 s each, once per session), so that no
    slider move waits for a training; the training is skipped while autograding
    (NBGRADER_EXECUTION set).

    ``mode`` ("train" or "inference") and ``mask_seed`` (which masks are drawn; "new mask"
    adds 1) complete the state.  ``student_dropout``: your own
    ``dropout_forward(A, keep_prob, D=None, ...)`` from assignment 04, called with the
    explorer's masks ``D``; its outputs are marked with black crosses on the bars, and the
    line under the figure says which unit first differs, or what it raised.

    Returns a ``DropoutExplorer`` (an ``ipywidgets.VBox``).
    """
    keep_prob = check_keep_prob(keep_prob)
    keep_prob = check_scalar("keep_prob", keep_prob, *KEEP_PROB_RANGE)
    check_choice("kind", kind, ("moons", "circles", "flower", "blobs"))
    check_choice("mode", mode, ("train", "inference"))
    if isinstance(mask_seed, bool) or not isinstance(mask_seed, (int, np.integer)) or mask_seed < 0:
        raise ValueError(f"mask_seed must be a whole number >= 0, got {mask_seed!r}")
    _check_student("student_dropout", student_dropout, "dropout_forward(A, keep_prob, D=None)")
    from .dropout import DropoutExplorer

    return DropoutExplorer(keep_prob, kind, mode, int(mask_seed), student_dropout)


def initialization_explorer(method="He", depth=6, width=64, activation="relu", student_initializer=None):
    """Explore how initialization makes activations and gradients vanish or explode (assignment 05).

    Menus and sliders pick the initialization (``method``: "zeros", "small random"
    (randn * 0.01), "large random" (randn * 10), "He" (randn * sqrt(2 / n[l-1])),
    "Xavier" (randn * sqrt(1 / n[l-1]))), the number of hidden layers (``depth``, 2 to
    10), their ``width`` (16, 64 or 128 units) and the hidden ``activation`` ("relu",
    "tanh", "sigmoid").  A fixed batch of 100 standard-normal inputs goes through one
    forward and one backward pass (``helpers.activation_statistics``); the left panel
    stacks a histogram of each hidden layer's activations, the right one plots each
    layer's activation standard deviation and gradient norm ||dW[l]|| on a log scale.
    Each setting is computed once, the first time it is shown, then cached.

    ``student_initializer``: your own initializer from assignment 05, e.g.
    ``initialize_parameters_he(layer_dims, seed=None)``; the menu's "yours" runs the
    network with your parameters, and the line under the figure compares them with the
    reference of the same name (He when the name says nothing) for the same layer_dims and
    seed: which W or b first differs, or what it raised.

    Returns an ``InitializationExplorer`` (an ``ipywidgets.VBox``).
    """
    _check_student("student_initializer", student_initializer, "initialize_parameters_he(layer_dims, seed=None)")
    check_choice("method", method, INIT_METHODS + (("yours",) if student_initializer else ()))
    check_choice("activation", activation, INIT_ACTIVATIONS)
    check_choice("width", width, WIDTHS)
    depth = check_scalar("depth", depth, *DEPTH_RANGE)
    if depth != int(depth):
        raise ValueError(f"depth must be a whole number of hidden layers, got {depth}")
    from .initialization import InitializationExplorer

    return InitializationExplorer(method, int(depth), width, activation, student_initializer)


def _check_student(name, function, signature):
    """Refuse a ``student_...`` argument that is neither None nor a function."""
    if function is not None and not callable(function):
        raise ValueError(f"{name} must be a function like {signature}, got {function!r}")


def _pair(name, value):
    """Two numbers (x1, x2) as a float array of shape (2,)."""
    array = as_float_array(name, value, ndim=1)
    if array.shape != (2,):
        raise ValueError(f"{name} must hold two numbers, got shape {array.shape}")
    return array
