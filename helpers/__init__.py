"""Reference implementations, data, plots and widgets for the deep-learning course.

Every public name of the submodules is available from the package itself,
e.g. ``from helpers import update_parameters_with_adam``. Importing
``helpers`` stays light: TensorFlow and the widget libraries are imported
only by the functions that use them.
"""

from helpers.activations import *  # noqa: F401,F403  (core: g(z) and g'(z))
from helpers.perceptron import *  # noqa: F401,F403  (core: perceptron forward passes)
from helpers.nn import *  # noqa: F401,F403  (core: the L-layer network)
from helpers.gradcheck import *  # noqa: F401,F403  (core: gradient checking)
from helpers.optimizers import *  # noqa: F401,F403  (core: EWMA, mini-batches, optimizers, decay)
from helpers.regularization import *  # noqa: F401,F403  (core: L2, dropout, splits, bias/variance)
from helpers.training import *  # noqa: F401,F403  (core: train, the loop that uses all of the above)
from helpers.initialization import *  # noqa: F401,F403  (core: normalization, initialization)
from helpers.testing import *  # noqa: F401,F403  (support: autograder checks and random cases)
from helpers.data import *  # noqa: F401,F403  (support: offline data loaders)
from helpers.plotting import *  # noqa: F401,F403  (support: decision boundary and cost plots)
from helpers.widgets import *  # noqa: F401,F403  (widgets: the five interactive explorers, built lazily)
from helpers.withheld import WithheldReference, own_work  # noqa: F401  (graded functions must be the student's own)
