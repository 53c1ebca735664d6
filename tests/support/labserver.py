"""A JupyterLab server on 127.0.0.1 (free port, random token) for browser checks of the course.

Used by the browser tests: the student's side of nbgrader (Assignment List, Validate,
Submit) and the widgets. Nothing from the user's own Jupyter settings leaks in: settings,
workspaces and runtime files live in a folder of their own.
"""
from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from nbcourse.course import path_with_bin
from nbcourse.hub import wait_until_serving
from nbcourse.kernel_websocket import SERVER_OPTION

# Quiet, deterministic Lab: no news or update pop-ups; every cell rendered (no windowing).
SETTINGS = {
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
}


@dataclass(frozen=True)
class Lab:
    url: str
    token: str
    pid: int  # the server's process

    def page(self, path: str = "lab") -> str:
        """The address of ``path`` (e.g. ``lab/tree/a/a.ipynb``) with the token."""
        return f"{self.url}/{path}?token={self.token}"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_lab(root: Path, state_dir: Path, env: dict[str, str] | None = None, start_timeout: float = 90,
                server_options: tuple[str, ...] = (SERVER_OPTION,)):
    """Serve ``root`` with JupyterLab (and the installed server extensions, nbgrader's included).

    state_dir: where settings, workspaces, runtime files and ``lab.log`` go.
    env:       extra environment variables for the server (and so for its kernels).
    server_options: the course's server options (a benchmark's baseline passes none).
    Yields a :class:`Lab`; the server is stopped on exit. A server that does not answer
    within ``start_timeout`` seconds raises RuntimeError with the end of its log.
    """
    state_dir = Path(state_dir)
    settings = state_dir / "settings"
    for plugin, values in SETTINGS.items():
        path = settings / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    port, token = free_port(), secrets.token_hex(16)
    full_env = dict(os.environ, PATH=path_with_bin(),
                    JUPYTERLAB_SETTINGS_DIR=str(settings), JUPYTERLAB_WORKSPACES_DIR=str(state_dir / "workspaces"),
                    JUPYTER_RUNTIME_DIR=str(state_dir / "runtime"), TF_CPP_MIN_LOG_LEVEL="2")
    full_env.pop("NBGRADER_EXECUTION", None)
    full_env.update(env or {})
    log_path = state_dir / "lab.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ServerApp.ip=127.0.0.1",
             f"--ServerApp.port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
             f"--ServerApp.root_dir={root}", "--LabApp.news_url=", "--ServerApp.open_browser=False", *server_options,
             *(["--allow-root"] if os.geteuid() == 0 else [])],
            cwd=root, env=full_env, stdout=log, stderr=subprocess.STDOUT)
        lab = Lab(f"http://127.0.0.1:{port}", token, server.pid)
        try:
            wait_until_serving(f"{lab.url}/api/status?token={token}", server, start_timeout, "JupyterLab", log_path)
            yield lab
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
