"""A throwaway PostgreSQL server on loopback, for the tests of the PostgreSQL gradebook.

Uses Debian's ``postgresql`` package (``.ci/run`` installs it). The cluster lives in a
temporary directory, listens on 127.0.0.1 only, on a free port, trusts local connections,
and is stopped when the context manager exits. PostgreSQL refuses to run as root, so
when the tests run as root the server runs as the ``postgres`` system user.
"""
from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path


def _pg_bin(name: str) -> str | None:
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    return candidates[0] if candidates else shutil.which(name)


def available() -> tuple[bool, str]:
    """Whether a server can be started here, and why not."""
    if not _pg_bin("initdb") or not _pg_bin("pg_ctl"):
        return False, "PostgreSQL server binaries (initdb, pg_ctl) not found: apt-get install postgresql"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return False, "running as root and there is no 'postgres' user to run the server as"
    return True, ""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def postgres_server(database: str = "gradebook"):
    """Start a server; yield the SQLAlchemy URL of an empty ``database`` on it."""
    ok, reason = available()
    if not ok:
        raise RuntimeError(reason)
    as_user: list[str] = []
    root = Path(tempfile.mkdtemp(prefix="pg-"))
    if os.geteuid() == 0:
        as_user = ["runuser", "-u", "postgres", "--"]
        entry = pwd.getpwnam("postgres")
        os.chown(root, entry.pw_uid, entry.pw_gid)
    data, port = root / "data", _free_port()
    run = lambda *cmd: subprocess.run(as_user + list(cmd), check=True, capture_output=True, text=True)  # noqa: E731
    try:
        run(_pg_bin("initdb"), "-D", str(data), "--auth=trust", "--username=postgres", "-E", "UTF8")
        options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c max_connections=100 -c fsync=off"
        run(_pg_bin("pg_ctl"), "-D", str(data), "-o", options, "-l", str(root / "log"), "-w", "start")
        for _ in range(50):
            probe = subprocess.run(
                as_user + [_pg_bin("createdb") or "createdb", "-h", "127.0.0.1", "-p", str(port),
                           "-U", "postgres", database],
                capture_output=True, text=True,
            )
            if probe.returncode == 0:
                break
            time.sleep(0.2)
        else:
            raise RuntimeError(f"could not create database {database}: {probe.stderr}")
        yield f"postgresql://postgres@127.0.0.1:{port}/{database}"
    finally:
        subprocess.run(as_user + [_pg_bin("pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                       capture_output=True)
        shutil.rmtree(root, ignore_errors=True)
