"""Data sets for the notebooks, all offline.

Every loader works without a network: the data are generated (planar sets), bundled
with an installed package (scikit-learn's digits, vega_datasets' local weather and stock
files) or read from files the instructor already has (cat vs non-cat HDF5).

Shapes follow the course convention, one column per example: ``X`` is ``(n_x, m)`` and
``Y`` is ``(1, m)`` with labels 0.0 / 1.0 (float64, so that ``Y * np.log(AL)`` and
TensorFlow's losses take them as they are).

=====================  ====================================================  ==================
loader                 what                                                  source
=====================  ====================================================  ==================
``load_planar``        2-D toy classes: moons, circles, flower, blobs         generated
``load_digits_binary`` 8x8 handwritten digits, one digit (set) vs the rest    scikit-learn
``load_catvnoncat``    the classic 64x64 cat / non-cat pictures               your HDF5 files
``load_temperatures``  Seattle daily temperatures 2012-2015, degrees Celsius  vega_datasets
``load_prices``        monthly stock prices 2000-2010, US dollars             vega_datasets
=====================  ====================================================  ==================
"""
from __future__ import annotations

import numpy as np

PLANAR_KINDS = ("moons", "circles", "flower", "blobs")
# Noise that keeps each shape recognisable yet not trivially separable.
DEFAULT_NOISE = {"moons": 0.2, "circles": 0.08, "flower": 0.2, "blobs": 0.2}
TEMPERATURE_KINDS = ("max", "min", "mean")
STOCK_SYMBOLS = ("AAPL", "AMZN", "GOOG", "IBM", "MSFT")


def _column_labels(y) -> np.ndarray:
    """Labels as the course's ``(1, m)`` float row."""
    return np.asarray(y, dtype=np.float64).reshape(1, -1)


# --- Planar toy sets ---------------------------------------------------------------------

def load_planar(kind="flower", m=400, noise=None, seed=0):
    """A two-class set of points in the plane, for decision-boundary plots.

    ``kind``:
      - ``"moons"``: two interleaving half circles (scikit-learn's ``make_moons``);
      - ``"circles"``: a small circle inside a large one (``make_circles``, factor 0.5);
      - ``"flower"``: a flower of 8 petals, alternating classes, as in the classic
        planar data set: petal curve ``r = 4 sin(4 theta)`` plus noise;
      - ``"blobs"``: two Gaussian clouds (``make_blobs``), nearly linearly separable.

    ``m``: number of points (half per class, the first class gets the odd one out);
    ``noise``: standard deviation of the Gaussian noise (for ``"blobs"``, the cloud's
    spread is ``1 + noise``); ``None`` takes the kind's default from ``DEFAULT_NOISE``
    (0.08 for circles, 0.2 otherwise). ``seed``: an int or ``numpy.random.Generator``.

    Returns ``X`` of shape ``(2, m)`` and ``Y`` of shape ``(1, m)`` with 0.0 / 1.0.
    """
    if kind not in PLANAR_KINDS:
        raise ValueError(f"kind must be one of {PLANAR_KINDS}, got {kind!r}")
    if not isinstance(m, (int, np.integer)) or m < 2:
        raise ValueError(f"m must be an integer >= 2 (one point per class at least), got {m!r}")
    noise = DEFAULT_NOISE[kind] if noise is None else noise
    if noise < 0:
        raise ValueError(f"noise must be >= 0, got {noise}")
    rng = np.random.default_rng(seed)
    if kind == "flower":
        return _flower(m, noise, rng)

    from sklearn import datasets  # imported here: keeps `import helpers` fast

    state = int(rng.integers(2**31 - 1))  # scikit-learn wants an int seed
    if kind == "moons":
        points, labels = datasets.make_moons(n_samples=m, noise=noise, random_state=state)
    elif kind == "circles":
        points, labels = datasets.make_circles(n_samples=m, noise=noise, factor=0.5, random_state=state)
    else:
        points, labels = datasets.make_blobs(n_samples=m, centers=[(-2.0, -1.0), (2.0, 1.0)],
                                             cluster_std=1.0 + noise, random_state=state)
    return points.T.astype(np.float64), _column_labels(labels)


def _flower(m, noise, rng):
    """Class j fills petals of ``r = 4 sin(4 theta)`` on its half of the angles.

    Class 0 takes angles in [0, pi), class 1 in [pi, 2 pi): each covers four half-petals
    alternating with the other's, so no straight line separates them.
    """
    petals, radius = 4, 4.0
    sizes = (m - m // 2, m // 2)
    columns, labels = [], []
    for label, size in enumerate(sizes):
        theta = np.linspace(label * np.pi, (label + 1) * np.pi, size) + noise * rng.standard_normal(size)
        r = radius * np.sin(petals * theta) + noise * rng.standard_normal(size)
        columns.append(np.stack([r * np.sin(theta), r * np.cos(theta)]))
        labels.append(np.full(size, label))
    return np.concatenate(columns, axis=1), _column_labels(np.concatenate(labels))


# --- Images ------------------------------------------------------------------------------

def load_digits_binary(positive=0, negative=None, test_fraction=0.2, seed=0):
    """Handwritten digits as a binary image task (a real stand-in for cat vs non-cat).

    The 1,797 8x8 grey images of scikit-learn's bundled ``load_digits`` (no download),
    flattened to 64 pixels scaled to [0, 1] (the raw values run 0..16).

    ``positive``: the digit, or an iterable of digits, labelled 1 (e.g. ``0`` or ``(3, 8)``).
    ``negative``: the digits labelled 0; ``None`` means every other digit ("one vs the
    rest"); give e.g. ``negative=8`` with ``positive=3`` for a "3 vs 8" task.
    ``test_fraction``: share of the examples held out (after one random shuffle by ``seed``).

    Returns ``X_train (64, m_train), Y_train (1, m_train), X_test (64, m_test),
    Y_test (1, m_test)``, with ``m_test = round(test_fraction * m)``.
    """
    from sklearn.datasets import load_digits

    positive_digits = _digit_set("positive", positive)
    negative_digits = (set(range(10)) - positive_digits if negative is None
                       else _digit_set("negative", negative))
    if positive_digits & negative_digits:
        raise ValueError(f"positive {sorted(positive_digits)} and negative {sorted(negative_digits)} overlap")
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must be in (0, 1), got {test_fraction}")

    digits = load_digits()
    keep = np.isin(digits.target, sorted(positive_digits | negative_digits))
    X = digits.data[keep].T / 16.0
    Y = _column_labels(np.isin(digits.target[keep], sorted(positive_digits)))
    order = np.random.default_rng(seed).permutation(X.shape[1])
    m_test = int(round(test_fraction * X.shape[1]))
    test, train = order[:m_test], order[m_test:]
    return X[:, train], Y[:, train], X[:, test], Y[:, test]


def _digit_set(name, digits):
    chosen = {int(digits)} if isinstance(digits, (int, np.integer)) else {int(d) for d in digits}
    if not chosen or not chosen <= set(range(10)):
        raise ValueError(f"{name} must be a digit 0-9 or a non-empty set of them, got {digits!r}")
    return chosen


def load_catvnoncat(train_path, test_path, flatten=True):
    """The classic cat / non-cat pictures from their two HDF5 files.

    The files (``train_catvnoncat.h5``, ``test_catvnoncat.h5``) are not shipped with the
    course; an instructor who has them passes their paths. Keys read: ``train_set_x``,
    ``train_set_y``, ``test_set_x``, ``test_set_y`` and ``list_classes``.

    ``flatten=True`` (default): ``X_train (64*64*3, m_train)`` and ``X_test`` with pixels
    scaled to [0, 1], one flattened picture per column. ``flatten=False``: the raw uint8
    images, ``(m, 64, 64, 3)`` (for plotting or a Keras model).

    Returns ``X_train, Y_train (1, m_train), X_test, Y_test (1, m_test), classes`` (an
    array of the class names as ``str``, e.g. ``["non-cat", "cat"]``).
    """
    import h5py

    with h5py.File(train_path, "r") as train, h5py.File(test_path, "r") as test:
        X_train, Y_train = np.array(train["train_set_x"]), np.array(train["train_set_y"])
        X_test, Y_test = np.array(test["test_set_x"]), np.array(test["test_set_y"])
        classes = np.array([c.decode() if isinstance(c, bytes) else str(c) for c in test["list_classes"][:]])
    for name, images, labels in (("train", X_train, Y_train), ("test", X_test, Y_test)):
        if images.shape[0] != labels.size:
            raise ValueError(f"{name} file holds {images.shape[0]} images but {labels.size} labels")
    if flatten:
        X_train = X_train.reshape(X_train.shape[0], -1).T / 255.0
        X_test = X_test.reshape(X_test.shape[0], -1).T / 255.0
    return X_train, _column_labels(Y_train), X_test, _column_labels(Y_test), classes


# --- Time series -------------------------------------------------------------------------

def load_temperatures(year=2012, kind="max"):
    """Daily temperatures in Seattle (real measurements), in degrees Celsius.

    From the ``seattle-weather`` table shipped inside vega_datasets (read locally, never
    downloaded), which covers 2012-01-01 to 2015-12-31, one row per day.

    ``year``: 2012, 2013, 2014 or 2015 for one year (2012 has 366 days), or ``None`` for
    all 1,461 days. ``kind``: ``"max"`` (the day's high), ``"min"`` (the low) or
    ``"mean"`` (their average).

    Returns ``(dates, temperatures)``: ``dates`` of shape ``(n,)`` and dtype
    ``datetime64[D]``, ``temperatures`` of shape ``(n,)`` and dtype float64.
    """
    if kind not in TEMPERATURE_KINDS:
        raise ValueError(f"kind must be one of {TEMPERATURE_KINDS}, got {kind!r}")
    from vega_datasets import local_data

    table = local_data.seattle_weather()
    if year is not None:
        years = sorted(table["date"].dt.year.unique())
        if year not in years:
            raise ValueError(f"year must be one of {years} or None, got {year!r}")
        table = table[table["date"].dt.year == year]
    highs, lows = table["temp_max"].to_numpy(float), table["temp_min"].to_numpy(float)
    temperatures = {"max": highs, "min": lows, "mean": (highs + lows) / 2}[kind]
    return table["date"].to_numpy().astype("datetime64[D]"), temperatures


def load_prices(symbol="AAPL"):
    """Monthly stock prices (real), in US dollars, for the moving-average examples.

    From the ``stocks`` table shipped inside vega_datasets (read locally): one price per
    month (the first of the month), January 2000 to March 2010, for AAPL, AMZN, IBM and
    MSFT (123 months each) and GOOG (from its listing in August 2004).

    Returns ``(dates, prices)``: ``dates`` of shape ``(n,)`` and dtype ``datetime64[D]``,
    ``prices`` of shape ``(n,)`` and dtype float64, in date order.
    """
    if symbol not in STOCK_SYMBOLS:
        raise ValueError(f"symbol must be one of {STOCK_SYMBOLS}, got {symbol!r}")
    from vega_datasets import local_data

    table = local_data.stocks()
    table = table[table["symbol"] == symbol].sort_values("date")
    return table["date"].to_numpy().astype("datetime64[D]"), table["price"].to_numpy(float)


__all__ = ["load_planar", "load_digits_binary", "load_catvnoncat", "load_temperatures", "load_prices"]
