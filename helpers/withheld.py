"""Which reference implementations an assignment withholds, so that students write their own.

Each notebook asks students to write functions that this package also implements (the
hidden tests compare against them). A one-line answer such as::

    def L_model_backward(*args, **kwargs):
        return helpers.L_model_backward(*args, **kwargs)

would otherwise pass every test. So each assignment *withholds* its references:

- **while it is graded**, the kernel imports a copy of this package in which the
  withheld functions' bodies are replaced by a ``raise WithheldReference(...)``
  (``nbcourse.reference_view`` writes that copy; the sandbox shows it in place of the
  real package). The real code is not in the kernel at all, so no route reaches it: not
  a module attribute, an alias, ``importlib``, a reference saved earlier, a copied code
  object, nor reading this package's files.
- **in the student's own JupyterLab**, :func:`own_work` (called by the notebook's first
  cell) makes the same functions refuse to run when they are called from inside a
  function the student wrote, so a student who delegates finds out from the visible test,
  before submitting. Demonstrations at the top level of a cell may still use them.

What is withheld for an assignment: the functions its answer cells define
(:data:`GRADED`, checked against the notebooks by the tests) that this package defines
too, the package's functions that compute the same thing under another name
(:data:`EQUIVALENTS`), and the private functions behind the graded ones (found by
:func:`withheld_names` by reading this package's source).
"""
from __future__ import annotations

import ast
import functools
import sys
from pathlib import Path

__all__ = ["WithheldReference", "GRADED", "EQUIVALENTS", "withheld_names", "own_work"]

PACKAGE_DIR = Path(__file__).resolve().parent

# Each assignment's graded functions (what its answer cells define), and the helpers
# functions, public or private, that compute one of them under another name (e.g. 01's
# binary_cross_entropy is compute_cost for one output unit; 05's He weights are
# initialize_parameters_he, initialize_parameters(..., "he")'s shortcut).
GRADED = {
    "01_perceptron": ["sigmoid", "sigmoid_derivative", "relu_derivative", "tanh_derivative", "leaky_relu",
                      "leaky_relu_derivative", "perceptron_forward", "collapse_linear_layers",
                      "multi_output_forward", "MyDenseLayer", "count_parameters", "binary_cross_entropy",
                      "flatten_and_scale", "logistic_propagate", "keras_logistic_regression"],
    "02_backprop": ["compute_cost", "linear_forward", "linear_activation_forward", "sigmoid_backward",
                    "relu_backward", "linear_backward", "linear_activation_backward", "L_model_forward",
                    "L_model_backward", "update_parameters", "gradient_check", "numerical_gradients",
                    "relative_differences", "two_layer_backward", "make_dataset", "train_step"],
    "03_optimization": ["ewma", "random_mini_batches", "update_parameters_with_momentum",
                        "update_parameters_with_rmsprop", "update_parameters_with_adam", "adam_descent",
                        "schedule_lr_decay", "train_with_your_optimizer"],
    "04_regularization": ["split_train_dev_test", "diagnose_bias_variance", "l2_regularization_cost",
                          "add_l2_gradient", "update_parameters_with_weight_decay", "l1_regularization_cost",
                          "add_l1_gradient", "dropout_forward", "dropout_backward",
                          "forward_propagation_with_dropout", "backward_propagation_with_dropout",
                          "train_with_dropout", "keras_l2_factor", "shift_images", "early_stopping"],
    "05_initialization": ["normalize_inputs", "deep_linear_forward", "relu_layer_moments",
                          "initialize_parameters", "layer_gradient_norms"],
}
EQUIVALENTS = {
    "01_perceptron": ["compute_cost"],
    "02_backprop": ["update_parameters_with_gd", "train",
                    "backward_propagation_with_regularization", "add_l2_gradient"],   # two_layer_backward's L2
    "03_optimization": ["inverse_time_decay", "train"],   # schedule_lr_decay = inverse_time_decay at floor(t / T)
    "04_regularization": ["train_dev_test_split", "l2_cost", "l1_cost", "compute_cost_with_regularization",
                          "backward_propagation_with_regularization", "L_model_forward_with_dropout",
                          "L_model_backward_with_dropout", "train"],
    # initialize_parameters' named shortcuts, and the factor behind every method
    "05_initialization": ["initialize_parameters_zeros", "initialize_parameters_random",
                          "initialize_parameters_he", "initialize_parameters_xavier", "_init_factor"],
}

# Small utilities that many functions share and that compute no exercise's answer.
_SHARED_UTILITIES = {"_as_float", "_describe", "_rng", "_parameter_names", "_check_update",
                     "_check_forward_inputs", "_check_backward_inputs", "_check_probabilities"}


class WithheldReference(RuntimeError):
    """Raised by a reference implementation that the current exercise asks students to write."""


def message(name: str) -> str:
    """What a withheld reference says when it is called."""
    return f"write `{name}` yourself: this exercise grades your own implementation, not helpers.{name}"


@functools.lru_cache(maxsize=None)
def _module_functions() -> dict[str, tuple[str, set[str]]]:
    """function name -> (module file relative to the package, names it calls), top level only."""
    functions = {}
    for path in sorted(PACKAGE_DIR.glob("*.py")):
        if path.name in ("testing.py", "withheld.py"):
            continue
        tree = ast.parse(path.read_text())
        for node in tree.body:
            if isinstance(node, ast.FunctionDef):
                called = {sub.func.id for sub in ast.walk(node)
                          if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Name)}
                functions.setdefault(node.name, (path.name, called))
    return functions


def withheld_names(assignment: str) -> dict[str, list[str]]:
    """Module file -> names of the functions withheld while ``assignment`` is graded.

    The assignment's :data:`GRADED` functions that this package defines, every private
    (underscore) function of this package that they call, directly or through another
    private one (a private ``_linear_backward`` behind ``linear_backward`` computes the same
    answer), and its :data:`EQUIVALENTS`.
    """
    if assignment not in GRADED:
        return {}
    functions = _module_functions()
    # Equivalents are withheld by themselves: the private functions they share with other
    # references (a forward pass behind train) must keep working for later assignments.
    names = {name for name in EQUIVALENTS.get(assignment, []) if name in functions}
    pending = list(GRADED[assignment])
    while pending:
        name = pending.pop()
        if name in names or name not in functions:
            continue
        names.add(name)
        pending += [callee for callee in functions[name][1]
                    if callee.startswith("_") and callee in functions and callee not in _SHARED_UTILITIES]
    by_module: dict[str, list[str]] = {}
    for name in sorted(names):
        by_module.setdefault(functions[name][0], []).append(name)
    return by_module


def _called_from_graded_function(frame, graded: set[str]) -> bool:
    """Whether one of the graded functions, as defined in the notebook, is on the stack."""
    while frame is not None:
        if frame.f_globals.get("__name__") == "__main__" and frame.f_code.co_name in graded:
            return True
        frame = frame.f_back
    return False


def _refusing(function, name, graded):
    @functools.wraps(function)
    def refusing_when_delegated(*args, **kwargs):
        if _called_from_graded_function(sys._getframe(1), graded):
            raise WithheldReference(message(name))
        return function(*args, **kwargs)
    refusing_when_delegated.__withheld__ = True
    return refusing_when_delegated


def own_work(assignment: str) -> None:
    """In the student's notebook: the references of ``assignment`` refuse to run for its graded functions.

    Called once by the notebook's first cell. While one of the assignment's graded
    functions, as the student defined it in the notebook, is running, a withheld reference
    called by it (directly or through other code) raises :class:`WithheldReference`, as it
    would while graded; elsewhere (a demonstration, a test computing an expected value)
    the references work. While graded they are gone altogether, and this changes nothing.
    """
    if assignment not in GRADED:
        raise ValueError(f"unknown assignment {assignment!r}; expected one of {sorted(GRADED)}")
    graded = frozenset(GRADED[assignment])
    modules = [module for module_name, module in list(sys.modules.items())
               if module is not None and (module_name == "helpers" or module_name.startswith("helpers."))]
    for names in withheld_names(assignment).values():
        for name in names:
            for module in modules:
                current = module.__dict__.get(name)
                if current is not None and callable(current) and not getattr(current, "__withheld__", False):
                    setattr(module, name, _refusing(current, name, graded))
