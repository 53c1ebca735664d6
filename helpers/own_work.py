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

What is withheld for an assignment: the functions its answer cells define that this
package defines too (:data:`WITHHELD`, checked against the notebooks by the tests), plus
the private functions they call that compute the same thing (found by
:func:`withheld_names` by reading this package's source).
"""
from __future__ import annotations

import ast
import functools
import sys
from pathlib import Path

__all__ = ["WithheldReference", "WITHHELD", "withheld_names", "own_work"]

PACKAGE_DIR = Path(__file__).resolve().parent

# The graded functions of each assignment that helpers also implements, and the helpers
# functions that compute the same thing under another name (e.g. 05 asks for He
# initialization; ``initialize_parameters(layer_dims, "he")`` gives the same weights).
WITHHELD = {
    "01_perceptron": ["sigmoid", "sigmoid_derivative", "relu_derivative", "tanh_derivative",
                      "perceptron_forward", "multi_output_forward",
                      # binary_cross_entropy is compute_cost for one output unit
                      "compute_cost"],
    "02_backprop": ["compute_cost", "linear_forward", "linear_activation_forward", "sigmoid_backward",
                    "relu_backward", "linear_backward", "linear_activation_backward", "L_model_forward",
                    "L_model_backward", "update_parameters", "gradient_check",
                    # the same step as update_parameters; train runs the whole backward pass
                    "update_parameters_with_gd", "train"],
    "03_optimization": ["ewma", "random_mini_batches", "update_parameters_with_momentum",
                        "update_parameters_with_rmsprop", "update_parameters_with_adam",
                        # schedule_lr_decay is inverse_time_decay at floor(epoch / interval)
                        "schedule_lr_decay", "inverse_time_decay", "train"],
    "04_regularization": ["train_dev_test_split", "diagnose_bias_variance", "l2_cost",
                          "compute_cost_with_regularization", "add_l2_gradient",
                          "backward_propagation_with_regularization", "dropout_forward", "dropout_backward",
                          "L_model_forward_with_dropout", "L_model_backward_with_dropout", "train"],
    "05_initialization": ["normalize_inputs", "deep_linear_forward", "initialize_parameters_zeros",
                          "initialize_parameters_random", "initialize_parameters_he",
                          "initialize_parameters_xavier", "initialize_parameters"],
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
        if path.name in ("testing.py", "own_work.py"):
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

    The assignment's :data:`WITHHELD` functions, plus every private (underscore) function
    of this package that they call, directly or through another private one: a private
    ``_linear_backward`` behind ``linear_backward`` computes the same answer.
    """
    if assignment not in WITHHELD:
        return {}
    functions = _module_functions()
    names, pending = set(), list(WITHHELD[assignment])
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


def _called_from_students_function(frame) -> bool:
    """Whether a function defined in the notebook (not a cell's top level) is on the stack."""
    while frame is not None:
        if frame.f_globals.get("__name__") == "__main__" and frame.f_code.co_name != "<module>":
            return True
        frame = frame.f_back
    return False


def _refusing(function, name):
    @functools.wraps(function)
    def refusing_when_delegated(*args, **kwargs):
        if _called_from_students_function(sys._getframe(1)):
            raise WithheldReference(message(name))
        return function(*args, **kwargs)
    refusing_when_delegated.__withheld__ = True
    return refusing_when_delegated


def own_work(assignment: str) -> None:
    """In the student's notebook: the references of ``assignment`` refuse to run inside students' functions.

    Called once by the notebook's first cell. A cell's top level (a demonstration, a
    visible test computing the expected value) may still call them; a function defined
    in the notebook that calls one gets :class:`WithheldReference`, as it would while
    graded. While graded the functions are gone altogether, and this does nothing more.
    """
    if assignment not in WITHHELD:
        raise ValueError(f"unknown assignment {assignment!r}; expected one of {sorted(WITHHELD)}")
    modules = [module for module_name, module in list(sys.modules.items())
               if module is not None and (module_name == "helpers" or module_name.startswith("helpers."))]
    for names in withheld_names(assignment).values():
        for name in names:
            for module in modules:
                current = module.__dict__.get(name)
                if current is not None and callable(current) and not getattr(current, "__withheld__", False):
                    setattr(module, name, _refusing(current, name))
