"""Run one ``nbgrader <command>`` as a process forked from a server that has imported nbgrader.

Starting ``nbgrader`` costs several seconds of imports before it does anything; a
grading run starts one per submission, and the demo dozens. The standard library's
``forkserver`` imports nbgrader once, then forks a fresh process for every command:
each is still a separate process with its own working directory, environment and
process group (so a kill takes its kernels with it), but it starts in milliseconds.

Every process started this way carries ``NBCOURSE_NBGRADER_RUN`` in its environment,
whose value starts with its *owner*: the process (pid and start time) that started the
forkserver and asked for the command. Three kinds of clean-up read it:

* :func:`run` kills whatever still carries one command's exact tag once that command
  has ended (a kernel or sandbox launcher left behind);
* :func:`stop` ends every process of one grading run at once (Ctrl-C, SIGTERM, a
  cancelled run on a Dask worker) and lets no new one start for it;
* :func:`end_orphans` ends the processes whose owner is dead: left behind by a
  coordinator that was killed outright (SIGKILL, which nothing can trap).
"""
from __future__ import annotations

import atexit
import multiprocessing
import multiprocessing.connection
import multiprocessing.forkserver
import os
import secrets
import signal
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

_CONTEXT = None
# Environment variable marking every process started this way (nbgrader, kernels, launchers,
# the forkserver): "<owner>" on the forkserver and its forks, "<owner>/<run id>/<random>" on
# the processes one command starts; owner is "<pid>@<start time>@<pid namespace>" of the
# process that asked.
RUN_TAG = "NBCOURSE_NBGRADER_RUN"

ENDING_WAIT = 10.0                # seconds that ending a process waits, at most, for it to be gone
_lock = threading.Lock()          # the registry below, between starting a process and stopping its run
_server_lock = threading.Lock()   # starting the forkserver (with RUN_TAG briefly in os.environ)
_active: dict[str, set] = {}      # run id -> its nbgrader processes not yet ended
_stopped: set[str] = set()        # run ids stopped in this process: nothing new starts for them
_current = threading.local()      # .run: the run id of the grading this thread does


class Stopped(Exception):
    """The grading run this command belongs to was stopped (:func:`stop`): it was not started."""


def _stat(pid: int) -> list[str] | None:
    """The fields of ``/proc/<pid>/stat`` after "pid (command)"; None for a process that has
    ended (gone, or a zombie: dead, only not yet waited for)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2:].split()  # the command may hold spaces and parentheses
    return None if fields[0] in ("Z", "X") else fields


def start_time(pid: int) -> str | None:
    """The start time of process ``pid`` in clock ticks since boot (None: no such live process).

    With the pid it names a process for good: a pid is reused, the pair is not.
    """
    fields = _stat(pid)
    return None if fields is None else fields[19]


def _live_groups() -> set[int]:
    """The process groups that have a live process (one pass over /proc)."""
    groups = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat(int(entry.name))) is not None:
            groups.add(int(fields[2]))
    return groups


def _wait_ended(started: dict[int, str | None], groups=(), timeout: float = ENDING_WAIT) -> None:
    """Return once every process of ``started`` (pid -> start time) has ended and no process of
    ``groups`` is alive, or after ``timeout`` seconds.

    SIGKILL is not instant: a killed process frees its memory before it is a zombie, which
    for a kernel or a checker server that imported TensorFlow takes long enough (on a busy
    machine) that the command which killed it could return, or exit, while it still ran.
    """
    deadline = time.monotonic() + timeout
    while any(start_time(pid) == start for pid, start in started.items() if start) \
            or (groups and not _live_groups().isdisjoint(groups)):
        if time.monotonic() > deadline:
            return
        time.sleep(0.01)


_owner_of = {}  # pid -> owner tag (a forked child has a pid of its own)


def _pid_namespace() -> str:
    """The inode of this process's pid namespace: pids (and so owners) mean something only inside it."""
    try:
        return str(os.stat("/proc/self/ns/pid").st_ino)
    except OSError:
        return ""


def _owner() -> str:
    """This process as the owner of what it starts: "<pid>@<start time>@<pid namespace>"."""
    pid = os.getpid()
    if pid not in _owner_of:
        _owner_of[pid] = f"{pid}@{start_time(pid)}@{_pid_namespace()}"
    return _owner_of[pid]


def _forkserver():
    """The forkserver context, its server running with this process's owner tag in its environment.

    The tag is in the environment the server was started with, so every process forked
    from it shows the tag in ``/proc/<pid>/environ`` (what :func:`os.environ` changes in
    a fork does not show there): even an nbgrader process whose own command's tag is
    invisible is found by :func:`end_orphans`.
    """
    global _CONTEXT
    with _server_lock:
        if _CONTEXT is None:
            _CONTEXT = multiprocessing.get_context("forkserver")
            _CONTEXT.set_forkserver_preload(["nbgrader.apps.nbgraderapp", "nbcourse.nbgrader_process",
                                              "nbcourse.nbgrader_preload"])
            atexit.register(_end_servers_at_exit)
        previous = os.environ.get(RUN_TAG)
        os.environ[RUN_TAG] = _owner()
        try:
            # Starts the server if it is not running (the first command waits for its imports).
            multiprocessing.forkserver.ensure_running()
        finally:
            if previous is None:
                del os.environ[RUN_TAG]
            else:
                os.environ[RUN_TAG] = previous
    return _CONTEXT


def _end_servers_at_exit() -> None:
    """As this process exits: end the forkserver and the resource tracker it started, and wait
    for them, so that a command such as ``python -m nbcourse autograde`` leaves nothing running.

    Left alone, both exit by themselves once this process has; but the forkserver first
    tears down the modules it preloaded, and was seen running 1 to 3 s after the command
    had returned. Neither holds anything to save: the tracker tracks no resource of ours
    (no named semaphore or shared memory is made here).
    """
    for pid in _own_servers():
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):  # gone, or already waited for
            continue


def _own_servers() -> list[int]:
    """This process's forkserver and resource tracker: its children whose tag is exactly its
    owner tag (the forkserver's own forks carry that tag too, but are the forkserver's children)."""
    me = str(os.getpid())
    return [pid for pid, tag in env_values(RUN_TAG).items()
            if tag == _owner() and (fields := _stat(pid)) is not None and fields[1] == me]


class Command:
    """One ``nbgrader`` process started by :func:`start`: ``pid``, ``join(timeout)``, ``is_alive()``
    and ``exitcode`` (None while it runs; negative: killed by that signal).

    The process sends its own exit status through a pipe, and the pipe's end tells when it
    has ended: the forkserver's report was once lost under load (multiprocessing's 255,
    "perhaps the forkserver process itself got killed") for an autograde whose log had ended
    whole, and an honest submission was marked failed. When the forkserver is gone its
    children run on, so waiting on it alone would also return while nbgrader still works.
    The forkserver's word is used only for a process that never reported (killed by a signal).
    """

    def __init__(self, process, status):
        self._process, self._status, self._reported = process, status, None
        self.pid = process.pid

    def join(self, timeout: float | None = None) -> None:
        """Wait up to ``timeout`` seconds (None: for good) for the process to end."""
        deadline = None if timeout is None else time.monotonic() + timeout
        if not self._status.closed:
            multiprocessing.connection.wait([self._status], timeout)
        if self.is_alive():
            return
        # Ended: the forkserver's report (the signal that killed it) follows at once, unless it is gone.
        self._process.join(None if deadline is None else max(0.0, deadline - time.monotonic()))

    def is_alive(self) -> bool:
        return not (self._status.closed or self._status.poll())

    @property
    def exitcode(self) -> int | None:
        if self.is_alive():
            return None
        if not self._status.closed:
            try:
                self._reported = self._status.recv()
            except EOFError:  # ended without a word: killed
                pass
            self._status.close()
        return self._process.exitcode if self._reported is None else self._reported


def start(args: list[str], *, cwd: str, env: dict[str, str], log_path: str) -> Command:
    """Start ``nbgrader <args>`` in ``cwd`` with exactly ``env``, output to ``log_path``.

    ``command.join(timeout)`` waits; ``command.exitcode`` is nbgrader's exit status (negative:
    killed by that signal); :func:`kill_group` of ``command.pid`` ends it together with any
    kernel it started.
    """
    context = _forkserver()
    status, status_end = context.Pipe(duplex=False)
    process = context.Process(target=_main, args=(list(args), cwd, dict(env), log_path, status_end),
                              name=f"nbgrader-{args[0] if args else ''}")
    process.start()
    status_end.close()  # the child has its own copy; ours would keep the pipe open
    return Command(process, status)


@contextmanager
def grading_run(run_id: str):
    """Within the block, every :func:`run` of this thread belongs to the grading run ``run_id``
    (so that :func:`stop` of that run ends it)."""
    previous = getattr(_current, "run", "")
    _current.run = run_id
    try:
        yield
    finally:
        _current.run = previous


def run(args: list[str], *, cwd: str, env: dict[str, str], log_path: str, timeout: float | None = None) -> int | None:
    """:func:`start`, wait up to ``timeout`` seconds, kill what is left; the exit code (None: timed out).

    Kernels run in sessions of their own (jupyter_client starts them so), out of reach of
    the process group; every process of this run carries a tag in its environment, and
    whatever still carries it once nbgrader has ended (a kernel or sandbox launcher left
    behind by a killed nbgrader) is killed too. Raises :class:`Stopped`, starting nothing,
    when the grading run of this thread (:func:`grading_run`) has been stopped.
    """
    run_id = getattr(_current, "run", "")
    tag = f"{_owner()}/{run_id or '-'}/{secrets.token_hex(8)}"
    with _lock:
        if run_id in _stopped:
            raise Stopped(f"grading run {run_id} was stopped")
    # Not under the lock: the first start waits seconds for the forkserver, a stop must not.
    process = start(args, cwd=cwd, env={**env, RUN_TAG: tag}, log_path=log_path)
    with _lock:
        _active.setdefault(run_id, set()).add(process)
        stopped_meanwhile = run_id in _stopped
    if stopped_meanwhile:  # the stop's sweep did not know this process yet
        end_processes([process.pid])
    try:
        process.join(timeout)
        exitcode = process.exitcode
        kill_group(process.pid)
        process.join()
        end_processes_with_env(RUN_TAG, tag)
    finally:
        with _lock:
            _active[run_id].discard(process)
    return exitcode


def stop(run_id: str, *, settle: float = 1.0) -> list[int]:
    """End grading run ``run_id`` in this process: no new command starts for it, and every
    process it started (nbgrader, launchers, sandboxes, kernels) gets SIGKILL; their pids.

    Sweeps again until ``settle`` seconds pass with nothing left (a process may fork while
    the first sweep runs). The threads waiting in :func:`run` then return (killed).
    """
    with _lock:
        _stopped.add(run_id)
        groups = [process.pid for process in _active.get(run_id, ())]
    killed = end_processes(groups)  # an nbgrader process not yet in its own group dies too
    deadline = time.monotonic() + settle
    while time.monotonic() < deadline:
        found = end_processes([pid for pid, tag in env_values(RUN_TAG).items() if tag.split("/")[1:2] == [run_id]])
        killed += found
        if not found:
            break
        time.sleep(0.1)
    return sorted(set(killed))


def end_forkserver() -> list[int]:
    """SIGKILL this process's forkserver unless one of its commands (:func:`run`) is under way; its pid.

    For a run that was stopped: left alone, the server would exit by itself once this
    process has, but only after a teardown of its preloaded modules that takes seconds on
    a busy machine. The next command starts a new server.
    """
    with _lock:
        if any(_active.values()):
            return []
        return end_processes([pid for pid in _own_servers() if "multiprocessing.forkserver" in _command_line(pid)])


def orphans() -> list[int]:
    """The processes carrying ``RUN_TAG`` whose owner is dead (left by a coordinator killed outright).

    Only owners in this pid namespace are judged: a pid from another one (a container's
    run seen from the host) names some other process here.
    """
    namespace, found = _pid_namespace(), []
    for pid, tag in env_values(RUN_TAG).items():
        owner = tag.split("/")[0].split("@")
        if len(owner) == 3 and owner[0].isdigit() and owner[2] == namespace \
                and start_time(int(owner[0])) != owner[1]:
            found.append(pid)
    return found


def end_orphans(*, settle: float = 1.0) -> list[str]:
    """SIGKILL every orphan (:func:`orphans`) and its process group; return a line per process
    ended (pid and command line), to tell the instructor."""
    ended = {}  # pid -> command line (a process still dying is found again by the next sweep)
    deadline = time.monotonic() + settle
    while True:
        found = orphans()
        ended.update((pid, _command_line(pid)) for pid in found if pid not in ended)
        end_processes(found)
        if not found or time.monotonic() > deadline:
            return [f"{pid} {command}" for pid, command in ended.items()]
        time.sleep(0.1)


def _command_line(pid: int) -> str:
    try:
        words = Path(f"/proc/{pid}/cmdline").read_bytes().rstrip(b"\0").split(b"\0")
    except OSError:
        return "(gone)"
    return " ".join(word.decode(errors="replace") for word in words)[:160]


def end_processes(pids) -> list[int]:
    """SIGKILL each of ``pids`` and, for one that leads a process group, that whole group; the
    pids. Returns once they (and those groups) are gone."""
    pids = list(pids)
    started, groups = {pid: start_time(pid) for pid in pids}, []
    for pid in pids:
        try:
            if os.getpgid(pid) == pid:
                os.killpg(pid, signal.SIGKILL)
                groups.append(pid)
            os.kill(pid, signal.SIGKILL)
        except OSError:  # gone meanwhile
            continue
    _wait_ended(started, groups)
    return pids


def env_values(name: str) -> dict[int, str]:
    """pid -> value of the environment variable ``name``, for every other process that has it
    (reads /proc, Linux; the environment a process was started with)."""
    prefix = f"{name}=".encode()
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            variables = (entry / "environ").read_bytes().split(b"\0")
        except OSError:  # gone meanwhile, or not ours to read
            continue
        for variable in variables:
            if variable.startswith(prefix):
                found[int(entry.name)] = variable[len(prefix):].decode(errors="replace")
                break
    return found


def pids_with_env(name: str, value: str) -> list[int]:
    """Every other process whose environment holds ``name=value`` (reads /proc, Linux)."""
    return [pid for pid, found in env_values(name).items() if found == value]


def end_processes_with_env(name: str, value: str) -> list[int]:
    """SIGKILL every other process whose environment holds ``name=value`` (with its group, if it
    leads one); their pids. The one way this package ends what it marked: the processes of one
    nbgrader command (``RUN_TAG``) and those of a dead Dask worker (``cluster.REAPER_MARKER``)."""
    return end_processes(pids_with_env(name, value))


def kill_group(pid: int) -> None:
    """SIGKILL what is left of the process group ``pid`` leads (a timed-out run, an orphaned
    kernel, the checker service and its servers); return once none of it is alive."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        return
    _wait_ended({}, [pid])


def _main(args: list[str], cwd: str, env: dict[str, str], log_path: str, status) -> None:
    """Child process body: exactly ``nbgrader <args>`` in ``cwd``; its exit status sent on ``status``."""
    os.setpgrp()  # its own process group, so a kill takes the kernel with it
    # multiprocessing hands the pipe over inheritable; no kernel may hold it (it could send a status first).
    os.set_inheritable(status.fileno(), False)
    log = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(env)
    from nbgrader.apps.nbgraderapp import NbGraderApp

    sys.argv = ["nbgrader", *args]
    code = 1  # an exception other than SystemExit: multiprocessing exits with 1 after its traceback
    try:
        NbGraderApp.launch_instance(argv=args)
        code = 0
    except SystemExit as exit:
        code = 0 if exit.code is None else exit.code % 256 if isinstance(exit.code, int) else 1
        raise
    finally:
        status.send(code)
