"""The course's Jupyter servers send kernel messages without Nagle's delay (nbcourse/kernel_websocket.py).

A real JupyterLab (as the browser tests start it) serves a kernel; the test opens the
kernel's WebSocket, then reads TCP_NODELAY on the *server's* end of that connection: the
socket is copied out of the server process with ``pidfd_getfd`` (Linux 5.6, as root) and
asked with ``getsockopt``. jupyter_server's event WebSocket on the same server is the
control: it is left as jupyter_server makes it, Nagle on. How much the setting saves is
measured by ``bench/kernel_websocket.py``, not here.
"""
from __future__ import annotations

import asyncio
import ctypes
import json
import os
import socket
import subprocess
import urllib.request
from pathlib import Path

import pytest

from nbcourse.kernel_websocket import CONNECTION_CLASS, SERVER_OPTION
from nbcourse.hub import REPO
from tests.support.labserver import running_lab

SYS_PIDFD_GETFD = 438  # x86_64 and aarch64 (Linux 5.6)

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="copies a socket out of the server: run as root")


def server_side_nodelay(server_pid: int, server_port: int, client_port: int) -> bool:
    """TCP_NODELAY on the server's end of the connection 127.0.0.1:client_port -> server_port."""
    inode = None
    for line in Path(f"/proc/{server_pid}/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, remote = (int(address.split(":")[1], 16) for address in fields[1:3])
        if (local, remote) == (server_port, client_port):
            inode = fields[9]
    assert inode is not None, f"no connection {client_port} -> {server_port} in the server"
    fd_dir = Path(f"/proc/{server_pid}/fd")
    target = next(int(fd.name) for fd in fd_dir.iterdir() if os.readlink(fd) == f"socket:[{inode}]")
    libc = ctypes.CDLL(None, use_errno=True)
    pidfd = os.pidfd_open(server_pid)
    try:
        copy = libc.syscall(SYS_PIDFD_GETFD, pidfd, target, 0)
        assert copy >= 0, f"pidfd_getfd: {os.strerror(ctypes.get_errno())}"
    finally:
        os.close(pidfd)
    sock = socket.socket(fileno=copy)
    try:
        return bool(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
    finally:
        sock.close()


async def open_websocket(url: str):
    from tornado.websocket import websocket_connect

    connection = await websocket_connect(url)
    return connection, connection.protocol.stream.socket.getsockname()[1]


def test_the_kernel_websocket_sends_without_nagles_delay(tmp_path):
    course = tmp_path / "course"
    course.mkdir()
    with running_lab(course, tmp_path / "state") as lab:
        port = int(lab.url.rsplit(":", 1)[1])
        request = urllib.request.Request(f"{lab.url}/api/kernels?token={lab.token}", data=b"{}", method="POST")
        kernel = json.load(urllib.request.urlopen(request, timeout=60))["id"]
        ws = f"ws://127.0.0.1:{port}"

        async def check():
            kernel_ws, kernel_port = await open_websocket(f"{ws}/api/kernels/{kernel}/channels?token={lab.token}")
            events_ws, events_port = await open_websocket(f"{ws}/api/events/subscribe?token={lab.token}")
            await asyncio.sleep(0.5)  # the server's open() has run
            try:
                return (server_side_nodelay(lab.pid, port, kernel_port),
                        server_side_nodelay(lab.pid, port, events_port))
            finally:
                kernel_ws.close()
                events_ws.close()

        kernel_nodelay, events_nodelay = asyncio.run(check())
    assert kernel_nodelay, f"the kernel's WebSocket keeps Nagle on: is {CONNECTION_CLASS} the server's connection class?"
    assert not events_nodelay, "the control (jupyter_server's event WebSocket) has Nagle off too: the check checks nothing"


def test_every_server_the_course_starts_uses_the_connection(tmp_path, monkeypatch):
    """The hub's students' servers and its formgrader service, and ``make lab``, pass
    SERVER_OPTION (the browser tests' JupyterLab is the one checked above)."""
    from traitlets.config import Config

    site = {"bind_url": "http://127.0.0.1:1", "hub_port": 2, "proxy_api_port": 3, "service_port": 4,
            "proxy": "/bin/true", "venv_bin": "/venv/bin", "course_dir": "/course", "exchange": "/exchange",
            "service": "course", "student_config": "/config", "instructor": "teacher", "tas": ["ta"],
            "students": ["s1"], "server_options": [SERVER_OPTION]}
    (tmp_path / "hub.json").write_text(json.dumps(site))
    monkeypatch.setenv("NBCOURSE_HUB_STATE", str(tmp_path))
    config = Config()
    hub_config = REPO / "hub" / "jupyterhub_config.py"
    exec(compile(hub_config.read_text(), str(hub_config), "exec"), {"get_config": lambda: config})
    assert SERVER_OPTION in config.Spawner.args
    assert SERVER_OPTION in config.JupyterHub.services[0]["command"]
    # make lab's command line, its $(...) evaluated by the shell as make would (a make that
    # runs this test, as `make test` does, must not pass its own flags on)
    alone = {name: value for name, value in os.environ.items() if name not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    recipe = subprocess.run(["make", "--no-print-directory", "-n", "lab"], cwd=REPO, capture_output=True, text=True,
                            check=True, env=alone).stdout
    command = recipe.split("jupyter lab", 1)[1].replace("\\\n", " ").splitlines()[0]
    arguments = subprocess.run(["bash", "-c", "printf '%s\\n' " + command], cwd=REPO, capture_output=True, text=True,
                               check=True).stdout.split("\n")
    assert SERVER_OPTION in arguments
