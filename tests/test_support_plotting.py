"""helpers.plotting: what is drawn, read back from the Axes (Agg backend, no display)."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from helpers.plotting import plot_costs, plot_decision_boundary  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


X = np.array([[-1.0, 1.0, -2.0, 2.0], [0.5, -0.5, 1.0, 2.0]])
Y = np.array([[0, 1, 0, 1]])


def right_half(points):
    """Class 1 where x1 > 0: a vertical boundary at x1 = 0."""
    return (points[0] > 0).astype(float).reshape(1, -1)


def test_decision_boundary_shades_each_side_by_the_prediction():
    fig, ax = plt.subplots()
    assert plot_decision_boundary(right_half, X, Y, ax=ax) is ax
    regions, = [c for c in ax.get_children() if type(c).__name__ == "QuadContourSet"]
    xlim, ylim = ax.get_xlim(), ax.get_ylim()
    assert xlim == (-3.0, 3.0) and ylim == (-1.5, 3.0)  # the points plus a margin of 1
    # The contour levels separate class 0 (left) from class 1 (right) at x1 = 0.
    assert list(regions.levels) == [-0.5, 0.5, 1.5]
    class_0, class_1 = regions.get_paths()  # one filled region per class
    assert class_0.vertices[:, 0].min() == -3.0 and abs(class_0.vertices[:, 0].max()) < 0.05
    assert abs(class_1.vertices[:, 0].min()) < 0.05 and class_1.vertices[:, 0].max() == 3.0
    points, = ax.collections[-1:]
    np.testing.assert_array_equal(points.get_offsets(), X.T)
    np.testing.assert_array_equal(points.get_array(), Y[0])


def test_decision_boundary_cuts_probabilities_at_one_half_and_accepts_flat_outputs():
    seen = {}

    def probability(points):
        seen["shape"] = points.shape
        return 1 / (1 + np.exp(-10 * points[0]))  # shape (k,), class 1 where x1 > 0

    ax = plot_decision_boundary(probability, X, Y[0], grid_points=50)
    assert seen["shape"] == (2, 2500)  # points are passed as columns
    regions, = [c for c in ax.get_children() if type(c).__name__ == "QuadContourSet"]
    assert abs(regions.get_paths()[0].vertices[:, 0].max()) < 0.1


@pytest.mark.parametrize("X_bad, Y_bad, predict, message", [
    (X.T, Y, right_half, r"X must have shape \(2, m\)"),
    (X, np.array([0, 1]), right_half, "one label per column"),
    (X, Y, lambda P: np.zeros(3), "one class or probability per column"),
])
def test_decision_boundary_refuses_bad_input(X_bad, Y_bad, predict, message):
    with pytest.raises(ValueError, match=message):
        plot_decision_boundary(predict, X_bad, Y_bad)


def test_plot_costs_from_a_list():
    costs = [0.7, 0.5, 0.3, 0.2]
    ax = plot_costs(costs)
    line, = ax.get_lines()
    np.testing.assert_array_equal(line.get_xdata(), [0, 1, 2, 3])
    np.testing.assert_array_equal(line.get_ydata(), costs)
    assert ax.get_xlabel() == "epoch" and ax.get_ylabel() == "cost"
    assert ax.get_legend() is None


def test_plot_costs_from_a_dict_draws_one_labelled_line_per_series():
    history = {"gd": [1.0, 0.5], "adam": np.array([1.0, 0.2, 0.1]), "learning_rate": 0.01}
    fig, ax = plt.subplots()
    assert plot_costs(history, ax=ax, log_scale=True, title="optimizers") is ax
    assert [line.get_label() for line in ax.get_lines()] == ["gd", "adam"]
    np.testing.assert_array_equal(ax.get_lines()[1].get_ydata(), [1.0, 0.2, 0.1])
    assert [text.get_text() for text in ax.get_legend().get_texts()] == ["gd", "adam"]
    assert ax.get_yscale() == "log" and ax.get_title() == "optimizers"


def test_plot_costs_takes_a_train_history_and_leaves_out_its_learning_rate():
    """Bug fix: the learning-rate schedule of ``train``'s history was drawn as a cost curve."""
    from helpers import train

    X = np.array([[0.0, 1.0, 2.0, 3.0]])
    Y = np.array([[0.0, 0.0, 1.0, 1.0]])
    _, history = train(X, Y, [1, 1], num_epochs=5, learning_rate=0.1, seed=0, progress=False)
    ax = plot_costs(history)
    assert [line.get_label() for line in ax.get_lines()] == ["cost"]
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata(), history["cost"])
    plt.close(ax.figure)


@pytest.mark.parametrize("history", [0.5, "cost", {"learning_rate": 0.1}, [], None])
def test_plot_costs_refuses_what_is_not_a_cost_history(history):
    with pytest.raises(ValueError, match="history"):
        plot_costs(history)
