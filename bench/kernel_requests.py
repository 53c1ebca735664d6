"""Benchmark: what one request from the checker to the student's kernel costs, by route.

    python bench/kernel_requests.py [--requests 200] [--rounds 3]

Starts a kernel, installs the grader's servant (``nbcourse.kernel_servant``) and defines a
small student function, then times, per request, round trip from the checker's side:

- ``comm``: a call of the student's function as the checker sends it (a message on the
  servant's comm; what every ordinary request is);
- ``cell``: the same call sent as a silent ``execute_request`` (what a request that lends
  the student's code a test function is; every request was one before the comm);
- ``kernel_info``: the kernel's cheapest round trip, for scale.

Rounds alternate the routes so that a busy machine slows them alike; prints the median
per route over the rounds and the ratio cell / comm.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
from jupyter_client.manager import start_new_kernel  # noqa: E402

from nbcourse.preprocessors.checked_execute import _SERVANT_SOURCES  # noqa: E402
from nbcourse.remote import KernelChannel  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    manager, client = start_new_kernel(kernel_name="python3")
    try:
        client.execute_interactive("import numpy as np\ndef double(x):\n    return 2 * np.asarray(x)", timeout=60)
        channel = KernelChannel(client, is_alive=lambda: True, on_stream=lambda name, text: None)
        channel.handshake()
        channel.install(*_SERVANT_SOURCES)
        double = channel.names(["double"])["double"]
        argument = np.ones((3, 3))
        lend = {"callback": None}  # a registered callback sends every request as a cell

        def by_comm():
            double(argument)

        def by_cell():
            channel.callbacks[0] = lend
            try:
                double(argument)
            finally:
                channel.callbacks.clear()

        def kernel_info():
            client.kernel_info(reply=True, timeout=10)

        routes = {"comm": by_comm, "cell": by_cell, "kernel_info": kernel_info}
        per_request = {name: [] for name in routes}
        for _ in range(args.rounds):
            for name, request in routes.items():
                started = time.perf_counter()
                for _ in range(args.requests):
                    request()
                per_request[name].append(1000 * (time.perf_counter() - started) / args.requests)
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)

    print(f"{args.requests} requests x {args.rounds} rounds, load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    medians = {name: statistics.median(times) for name, times in per_request.items()}
    for name, median in medians.items():
        rounds = ", ".join(f"{t:.2f}" for t in per_request[name])
        print(f"  {name:12s} {median:6.2f} ms per request  (rounds: {rounds})")
    print(f"cell / comm: {medians['cell'] / medians['comm']:.1f}x")


if __name__ == "__main__":
    main()
