"""Run one ``nbgrader <command>`` as a process forked from a server that has imported nbgrader.

Starting ``nbgrader`` costs several seconds of imports before it does anything; a
grading run starts one per submission, and the demo dozens. The standard library's
``forkserver`` imports nbgrader once, then forks a fresh process for every command:
each is still a separate process with its own working directory, environment and
process group (so a kill takes its kernels with it), but it starts in milliseconds.
"""
from __future__ import annotations

import multiprocessing
import os
import secrets
import signal
import sys
from pathlib import Path

_CONTEXT = None
# Environment variable marking every process started for one run (nbgrader, kernels, launchers).
RUN_TAG = "NBCOURSE_NBGRADER_RUN"


def _forkserver():
    global _CONTEXT
    if _CONTEXT is None:
        _CONTEXT = multiprocessing.get_context("forkserver")
        _CONTEXT.set_forkserver_preload(["nbgrader.apps.nbgraderapp", "nbcourse.nbgrader_process",
                                          "nbcourse.nbgrader_preload"])
    return _CONTEXT


def start(args: list[str], *, cwd: str, env: dict[str, str], log_path: str):
    """Start ``nbgrader <args>`` in ``cwd`` with exactly ``env``, output to ``log_path``; return the Process.

    ``process.join(timeout)`` waits; ``process.exitcode`` is nbgrader's exit status (negative:
    killed by that signal); :func:`kill_group` ends it together with any kernel it started.
    """
    process = _forkserver().Process(target=_main, args=(list(args), cwd, dict(env), log_path),
                                    name=f"nbgrader-{args[0] if args else ''}")
    process.start()
    return process


def run(args: list[str], *, cwd: str, env: dict[str, str], log_path: str, timeout: float | None = None) -> int | None:
    """:func:`start`, wait up to ``timeout`` seconds, kill what is left; the exit code (None: timed out).

    Kernels run in sessions of their own (jupyter_client starts them so), out of reach of
    the process group; every process of this run carries a tag in its environment, and
    whatever still carries it once nbgrader has ended (a kernel or sandbox launcher left
    behind by a killed nbgrader) is killed too.
    """
    tag = secrets.token_hex(8)
    process = start(args, cwd=cwd, env={**env, RUN_TAG: tag}, log_path=log_path)
    process.join(timeout)
    exitcode = process.exitcode
    kill_group(process.pid)
    process.join()
    kill_tagged(tag)
    return exitcode


def pids_with_env(name: str, value: str) -> list[int]:
    """Every other process whose environment holds ``name=value`` (reads /proc, Linux)."""
    wanted = f"{name}={value}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if wanted in (entry / "environ").read_bytes().split(b"\0"):
                found.append(int(entry.name))
        except OSError:  # gone meanwhile, or not ours to read
            continue
    return found


def kill_tagged(tag: str) -> list[int]:
    """SIGKILL every process whose environment holds ``RUN_TAG=tag``; their pids."""
    tagged = pids_with_env(RUN_TAG, tag)
    for pid in tagged:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:  # gone meanwhile
            continue
    return tagged


def kill_group(pid: int) -> None:
    """SIGKILL what is left of the process group ``pid`` leads (a timed-out run, an orphaned kernel)."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _main(args: list[str], cwd: str, env: dict[str, str], log_path: str) -> None:
    """Child process body: exactly ``nbgrader <args>`` in ``cwd``."""
    os.setpgrp()  # its own process group, so a kill takes the kernel with it
    log = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(env)
    from nbgrader.apps.nbgraderapp import NbGraderApp

    sys.argv = ["nbgrader", *args]
    NbGraderApp.launch_instance(argv=args)
