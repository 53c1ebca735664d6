"""Benchmark: how long kernel messages take to come back through a Jupyter server's WebSocket,
with Nagle's algorithm on (jupyter_server as it is) and off (the course's servers,
``nbcourse/kernel_websocket.py``).

    python bench/kernel_websocket.py [--requests 40] [--rounds 3]

Starts two JupyterLab servers on 127.0.0.1, one plain and one with the course's
``SERVER_OPTION``, a kernel in each, and a WebSocket client (tornado's, in this process)
on each kernel. Per request it times, from sending the ``execute_request``:

- ``busy`` and ``idle``: the kernel's status messages, for ``pass``;
- ``frame`` and its ``idle``: for a cell printing 60 kB, about one explorer frame
  (docs/widgets.md: 15 to 90 kB), as an explorer's change sends a frame then "idle".

Rounds alternate the two servers so that a busy machine slows them alike; prints the
median per message over all rounds, and the ratio plain / course.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support.labserver import running_lab  # noqa: E402

FRAME_CELL = "print('x' * 60_000)"


def execute_request(code: str, session: str) -> dict:
    return {"header": {"msg_id": uuid.uuid4().hex, "username": "bench", "session": session,
                       "msg_type": "execute_request", "version": "5.3", "date": ""},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": False, "user_expressions": {},
                        "allow_stdin": False}}


class Client:
    """A WebSocket on one kernel of one server; ``times(code)`` -> {message: ms after the request}."""

    def __init__(self, lab):
        self.lab = lab

    async def open(self):
        from tornado.websocket import websocket_connect

        request = urllib.request.Request(f"{self.lab.url}/api/kernels?token={self.lab.token}", data=b"{}",
                                         method="POST")
        kernel = json.load(urllib.request.urlopen(request, timeout=60))["id"]
        self.session = uuid.uuid4().hex
        self.ws = await websocket_connect(f"{self.lab.url.replace('http', 'ws')}/api/kernels/{kernel}/channels"
                                          f"?token={self.lab.token}&session_id={self.session}")
        for _ in range(3):  # the kernel is up and warm
            await self.times("pass")

    async def times(self, code: str) -> dict[str, float]:
        message = execute_request(code, self.session)
        start = time.perf_counter()
        await self.ws.write_message(json.dumps(message))
        seen = {}
        while "idle" not in seen:
            reply = json.loads(await self.ws.read_message())
            if reply.get("parent_header", {}).get("msg_id") != message["header"]["msg_id"]:
                continue
            kind = reply["msg_type"]
            if kind == "status":
                kind = reply["content"]["execution_state"]
            elif kind == "stream":
                kind = "frame"
            seen.setdefault(kind, (time.perf_counter() - start) * 1000)
        return seen


async def measure(clients: dict[str, Client], requests: int, rounds: int) -> dict[str, dict[str, list[float]]]:
    figures = {name: {} for name in clients}
    for name, client in clients.items():
        await client.open()
    for _ in range(rounds):
        for name, client in clients.items():
            for code, prefix in (("pass", ""), (FRAME_CELL, "60 kB: ")):
                for _ in range(requests):
                    for kind, ms in (await client.times(code)).items():
                        if kind in ("busy", "idle", "frame"):
                            figures[name].setdefault(prefix + kind, []).append(ms)
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=40, help="requests per message kind, round and server")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-kernel-websocket-") as folder:
        base = Path(folder)
        (base / "course").mkdir()
        with running_lab(base / "course", base / "plain", server_options=()) as plain, \
                running_lab(base / "course", base / "course-state") as course:
            figures = asyncio.run(measure({"plain": Client(plain), "course": Client(course)},
                                          args.requests, args.rounds))
    print(f"kernel messages through JupyterLab's WebSocket, ms after the execute_request (median of "
          f"{args.requests * args.rounds}); load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after")
    print(f"{'message':18s} {'Nagle on (plain)':>17s} {'off (course)':>13s} {'ratio':>7s}")
    for kind in figures["plain"]:
        plain, course = (statistics.median(figures[name][kind]) for name in ("plain", "course"))
        print(f"{kind:18s} {plain:17.1f} {course:13.1f} {plain / course:6.1f}x")


if __name__ == "__main__":
    main()
