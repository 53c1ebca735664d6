"""helpers.data: every loader works with the network cut and returns the documented shapes."""
import socket

import numpy as np
import pytest

from helpers.data import (
    load_catvnoncat, load_digits_binary, load_planar, load_prices, load_temperatures,
)


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Any attempt to open a socket fails the test: the loaders must be offline."""
    def refuse(*args, **kwargs):
        raise AssertionError("a data loader tried to use the network")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_the_network_really_is_cut():
    with pytest.raises(AssertionError, match="network"):
        socket.create_connection(("127.0.0.1", 9))


@pytest.mark.parametrize("kind", ["moons", "circles", "flower", "blobs"])
def test_load_planar_shapes_labels_and_reproducibility(kind):
    X, Y = load_planar(kind, m=401, noise=0.1, seed=3)
    assert X.shape == (2, 401) and Y.shape == (1, 401)
    assert X.dtype == np.float64 and Y.dtype == np.float64
    assert np.isfinite(X).all()
    assert set(np.unique(Y)) == {0.0, 1.0} and abs(Y.sum() - 200) <= 1  # half per class
    X_again, Y_again = load_planar(kind, m=401, noise=0.1, seed=3)
    np.testing.assert_array_equal(X, X_again)
    np.testing.assert_array_equal(Y, Y_again)
    assert not np.array_equal(X, load_planar(kind, m=401, noise=0.1, seed=4)[0])


def _logistic_regression_accuracy(X, Y, steps=2000, learning_rate=0.5):
    """Training accuracy of plain logistic regression: near 1 only for a linear problem."""
    w, b = np.zeros((1, X.shape[0])), 0.0
    for _ in range(steps):
        A = 1 / (1 + np.exp(-(w @ X + b)))
        w -= learning_rate * (A - Y) @ X.T / X.shape[1]
        b -= learning_rate * float(np.mean(A - Y))
    return float(np.mean(((w @ X + b) > 0) == Y))


def test_blobs_are_linearly_separable_and_the_flower_is_not():
    X, Y = load_planar("blobs", m=400, noise=0.0, seed=0)
    assert _logistic_regression_accuracy(X, Y) > 0.95
    X, Y = load_planar("flower", m=400, noise=0.2, seed=0)
    assert _logistic_regression_accuracy(X, Y) < 0.7  # the reason for a hidden layer


def test_flower_points_lie_on_the_petal_curve_without_noise():
    X, Y = load_planar("flower", m=200, noise=0.0, seed=0)
    r, theta = np.hypot(X[0], X[1]), np.arctan2(X[0], X[1])  # x1 = r sin(theta), x2 = r cos(theta)
    np.testing.assert_allclose(r, np.abs(4 * np.sin(4 * theta)), atol=1e-9)
    assert Y[0, :100].sum() == 0 and Y[0, 100:].sum() == 100


@pytest.mark.parametrize("bad, message", [
    (dict(kind="spiral"), "kind must be one of"),
    (dict(m=1), "m must be an integer >= 2"),
    (dict(noise=-0.1), "noise must be >= 0"),
])
def test_load_planar_refuses_bad_arguments(bad, message):
    with pytest.raises(ValueError, match=message):
        load_planar(**bad)


def test_load_digits_binary_one_digit_vs_the_rest():
    X_train, Y_train, X_test, Y_test = load_digits_binary(positive=0, test_fraction=0.2, seed=0)
    assert X_train.shape[0] == X_test.shape[0] == 64
    assert Y_train.shape == (1, X_train.shape[1]) and Y_test.shape == (1, X_test.shape[1])
    m = X_train.shape[1] + X_test.shape[1]
    assert m == 1797 and X_test.shape[1] == round(0.2 * 1797)
    assert 0.0 <= X_train.min() and X_train.max() == 1.0
    assert Y_train.sum() + Y_test.sum() == 178  # the number of zeros among sklearn's digits


def test_load_digits_binary_pairs_matches_sklearn_images():
    from sklearn.datasets import load_digits

    digits = load_digits()
    X_train, Y_train, X_test, Y_test = load_digits_binary(positive=3, negative=8, test_fraction=0.25, seed=1)
    m = X_train.shape[1] + X_test.shape[1]
    assert m == np.isin(digits.target, [3, 8]).sum()
    # Every returned column is a real image of the labelled digit, scaled by 1/16.
    lookup = {tuple(image): target for image, target in zip(digits.data / 16.0, digits.target)}
    for X, Y in ((X_train, Y_train), (X_test, Y_test)):
        for column, label in zip(X.T, Y[0]):
            assert lookup[tuple(column)] == (3 if label == 1 else 8)
    assert not np.array_equal(X_train, load_digits_binary(3, 8, 0.25, seed=2)[0])


@pytest.mark.parametrize("bad, message", [
    (dict(positive=10), "positive must be a digit"),
    (dict(positive=[]), "positive must be a digit"),
    (dict(positive=3, negative=(3, 8)), "overlap"),
    (dict(test_fraction=1.0), "test_fraction"),
])
def test_load_digits_binary_refuses_bad_arguments(bad, message):
    with pytest.raises(ValueError, match=message):
        load_digits_binary(**bad)


def _write_catvnoncat(folder, m_train=5, m_test=3, size=4):
    """Small HDF5 files with the classic layout (keys and dtypes)."""
    import h5py

    rng = np.random.default_rng(0)
    images = {name: rng.integers(0, 256, (m, size, size, 3), dtype=np.uint8)
              for name, m in (("train", m_train), ("test", m_test))}
    labels = {name: rng.integers(0, 2, m).astype(np.int64) for name, m in (("train", m_train), ("test", m_test))}
    paths = {}
    for name in ("train", "test"):
        paths[name] = folder / f"{name}_catvnoncat.h5"
        with h5py.File(paths[name], "w") as handle:
            handle[f"{name}_set_x"] = images[name]
            handle[f"{name}_set_y"] = labels[name]
            handle["list_classes"] = np.array([b"non-cat", b"cat"])
    return paths, images, labels


def test_load_catvnoncat_flattens_and_scales(tmp_path):
    paths, images, labels = _write_catvnoncat(tmp_path)
    X_train, Y_train, X_test, Y_test, classes = load_catvnoncat(paths["train"], paths["test"])
    assert X_train.shape == (4 * 4 * 3, 5) and X_test.shape == (48, 3)
    assert Y_train.shape == (1, 5) and Y_test.shape == (1, 3)
    assert list(classes) == ["non-cat", "cat"]
    # Column j is picture j, pixels in the (row, column, channel) order, divided by 255.
    np.testing.assert_allclose(X_train[:, 1], images["train"][1].reshape(-1) / 255.0)
    np.testing.assert_array_equal(Y_test[0], labels["test"])


def test_load_catvnoncat_raw_images(tmp_path):
    paths, images, _ = _write_catvnoncat(tmp_path)
    X_train, _, X_test, _, _ = load_catvnoncat(paths["train"], paths["test"], flatten=False)
    np.testing.assert_array_equal(X_train, images["train"])
    assert X_test.dtype == np.uint8 and X_test.shape == (3, 4, 4, 3)


def test_load_temperatures_one_year_and_all():
    dates, temperatures = load_temperatures()
    assert dates.shape == temperatures.shape == (366,)  # 2012 is a leap year
    assert dates.dtype == np.dtype("datetime64[D]") and temperatures.dtype == np.float64
    assert dates[0] == np.datetime64("2012-01-01") and dates[-1] == np.datetime64("2012-12-31")
    assert np.all(np.diff(dates) == np.timedelta64(1, "D"))
    # Seattle in degrees Celsius: summer highs well above winter highs, nothing absurd.
    assert -10 < temperatures.min() < 10 < 25 < temperatures.max() < 40
    july = (dates >= np.datetime64("2012-07-01")) & (dates < np.datetime64("2012-08-01"))
    january = dates < np.datetime64("2012-02-01")
    assert temperatures[july].mean() > temperatures[january].mean() + 10

    all_dates, lows = load_temperatures(year=None, kind="min")
    assert all_dates.shape == (1461,) and all_dates[-1] == np.datetime64("2015-12-31")
    _, means = load_temperatures(year=None, kind="mean")
    _, highs = load_temperatures(year=None, kind="max")
    assert np.all(lows <= highs)
    np.testing.assert_allclose(means, (lows + highs) / 2)
    with pytest.raises(ValueError, match="year must be one of"):
        load_temperatures(year=1999)
    with pytest.raises(ValueError, match="kind must be one of"):
        load_temperatures(kind="median")


@pytest.mark.parametrize("symbol, months", [("AAPL", 123), ("MSFT", 123), ("GOOG", 68)])
def test_load_prices(symbol, months):
    dates, prices = load_prices(symbol)
    assert dates.shape == prices.shape == (months,)
    assert dates.dtype == np.dtype("datetime64[D]") and prices.dtype == np.float64
    assert np.all(np.diff(dates) > np.timedelta64(0, "D")) and np.all(prices > 0)
    assert dates[-1] == np.datetime64("2010-03-01")
    with pytest.raises(ValueError, match="symbol must be one of"):
        load_prices("TSLA")


def test_the_support_modules_do_not_import_heavy_libraries_at_import_time():
    # Loaded from their files, so that only these modules (not the whole package) are judged.
    import subprocess
    import sys
    from pathlib import Path

    helpers_dir = Path(__file__).resolve().parent.parent / "helpers"
    code = (
        "import importlib.util, sys\n"
        "for name in ('data', 'plotting', 'testing'):\n"
        f"    spec = importlib.util.spec_from_file_location(name, r'{helpers_dir}' + '/' + name + '.py')\n"
        "    spec.loader.exec_module(importlib.util.module_from_spec(spec))\n"
        "heavy = ('sklearn', 'pandas', 'matplotlib', 'h5py', 'vega_datasets', 'tensorflow')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
