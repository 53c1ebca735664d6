"""One training epoch: helpers.train (NumPy, float64) against tf.keras (float32).

The same [64, 32, 16, 1] ReLU/sigmoid network, gradient descent, the same data
(digit 0 against the rest, ``helpers.data.load_digits_binary``), full batch and
mini-batches of 64. Keras runs one warm-up epoch first (graph tracing), then
each side is timed over several repeats and the median is reported.

NumPy's OpenBLAS starts one thread per core for a matrix product; on a small,
busy machine those threads wait for each other far longer than the product
takes. So helpers is timed twice: with OpenBLAS's default thread count and
limited to one thread (``threadpoolctl``, as OPENBLAS_NUM_THREADS=1 would).

    python bench/train_step.py [--repeats 7]
"""

import argparse
import contextlib
import os
import statistics
import time

from threadpoolctl import threadpool_info, threadpool_limits

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from helpers.data import load_digits_binary  # noqa: E402
from helpers.training import train  # noqa: E402

LAYER_DIMS = [64, 32, 16, 1]
LEARNING_RATE = 0.0075


def median_seconds(function, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def keras_model(tf):
    model = tf.keras.Sequential(
        [tf.keras.Input(shape=(LAYER_DIMS[0],))]
        + [tf.keras.layers.Dense(n, activation="relu", kernel_initializer="he_normal") for n in LAYER_DIMS[1:-1]]
        + [tf.keras.layers.Dense(LAYER_DIMS[-1], activation="sigmoid")]
    )
    model.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=LEARNING_RATE), loss="binary_crossentropy")
    return model


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()

    X, Y, _, _ = load_digits_binary(positive=0)  # X (64, m), Y (1, m)
    m = X.shape[1]

    import tensorflow as tf

    X_rows, Y_rows = X.T.astype("float32"), Y.T.astype("float32")  # Keras: one example per row
    blas_threads = [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]
    print(f"digits, m = {m} training examples, network {LAYER_DIMS}, one epoch of gradient descent")
    print(f"{os.cpu_count()} CPU cores, OpenBLAS threads by default: {blas_threads}")
    header = f"{'batch size':>12} {'BLAS threads':>13} {'helpers (s)':>12} {'tf.keras (s)':>13} {'helpers / keras':>16}"
    print(header)
    for batch_size in (None, 64):
        def ours():
            train(X, Y, LAYER_DIMS, learning_rate=LEARNING_RATE, num_epochs=1, mini_batch_size=batch_size, seed=0,
                  progress=False)

        model = keras_model(tf)
        keras_batch = m if batch_size is None else batch_size

        def theirs():
            model.fit(X_rows, Y_rows, batch_size=keras_batch, epochs=1, shuffle=True, verbose=0)

        theirs()  # warm-up: traces the training step
        keras_time = median_seconds(theirs, args.repeats)
        label = f"full ({m})" if batch_size is None else str(batch_size)
        for threads, limit in (("default", contextlib.nullcontext()), ("1", threadpool_limits(1, user_api="blas"))):
            with limit:
                ours_time = median_seconds(ours, args.repeats)
            print(f"{label:>12} {threads:>13} {ours_time:12.4f} {keras_time:13.4f} {ours_time / keras_time:16.3f}")


if __name__ == "__main__":
    main()
