"""Run a student's grading kernel inside a bubblewrap sandbox.

Every submission is autograded in a private working copy of the course (the *workdir*).
:func:`overrides` makes that run start its kernel through this module's launcher, which
wraps ``python -m ipykernel_launcher`` in ``bwrap`` (Debian package ``bubblewrap``). The
kernel then sees::

    read-only   /usr /bin /lib* /etc, the Python installation, the virtualenv,
                the ``helpers`` package (bound alone, at its usual path)
    writable    a private copy of the notebook's folder (without any ``.ipynb``: the
                autograded notebook holds the hidden tests), a private /tmp,
                the workdir's runtime folder (connection file and IPC sockets)
    nothing     else: not the course root, ``source/``, the gradebook, the exchange,
                other students' folders, nor the rest of the workdir; no network

and runs with a memory limit (``RLIMIT_DATA``) and a CPU-time limit (``RLIMIT_CPU``),
set by :class:`nbcourse.limits.SandboxLimits` (``c.SandboxLimits`` in the course's
``nbgrader_config.py``, environment variables over it), in new user/pid/net/ipc/uts
namespaces, with ``--die-with-parent`` (killing the launcher kills the kernel and
everything it spawned) and ``--new-session``.

The kernel talks to nbgrader over Unix sockets (``KernelManager.transport = "ipc"``):
path-based Unix sockets work across network namespaces, so the kernel needs no
network at all. Interrupts travel as messages (``interrupt_mode: message``) because a
signal sent to the launcher's process group does not reach the kernel's new session.

Use::

    status = sandbox.check()          # Status(available=True, reason="bubblewrap 0.8.0")
    limits = SandboxLimits.load(course.root)  # nbcourse.limits: the course's config, then the environment
    extra = sandbox.overrides(workdir, limits=limits)  # kernel spec file, JUPYTER_* variables, ipc config
"""
from __future__ import annotations

import argparse
import functools
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if __package__ in (None, ""):  # run as a script by the kernel spec: make `nbcourse` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nbcourse.course import SYSTEM_PATH, path_with_bin  # noqa: E402
from nbcourse.overrides import Overrides  # noqa: E402

if TYPE_CHECKING:  # the launcher, started for every kernel, does without traitlets
    from nbcourse.limits import SandboxLimits

KERNEL_DIR = ".jupyter-data"       # JUPYTER_PATH of the private run (holds the kernel spec)
RUNTIME_DIR = ".jupyter-runtime"   # connection files and IPC sockets
SCRATCH_DIR = ".sandbox"           # the kernels' private copies of the notebook folder
MPL_CONFIG_DIR = "/tmp/.matplotlib"  # the kernel's matplotlib config and cache folder

# Read-only system folders every Python process needs (those missing are skipped).
SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib64", "/lib32", "/etc")
# Environment variables passed into the sandbox unchanged when the grader has them.
PASSED_ENV = ("LANG", "LC_ALL", "TZ", "TF_CPP_MIN_LOG_LEVEL", "PYDEVD_DISABLE_FILE_VALIDATION",
              "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NBGRADER_EXECUTION",
              "PYTHONHASHSEED", "MPLBACKEND")
NAMESPACE_FLAGS = ("--unshare-all", "--die-with-parent", "--new-session")


@dataclass
class Status:
    """Whether the sandbox can run here; ``reason`` says why not (or which bwrap)."""

    available: bool
    reason: str


def check() -> Status:
    """Is ``bwrap`` installed and able to create the namespaces the sandbox uses?

    Runs two smoke tests: ``bwrap --ro-bind / / true`` and the same with the sandbox's
    namespace flags. Containers without user namespaces fail the second one.
    """
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        return Status(False, "bwrap not found on PATH (install the 'bubblewrap' package)")
    smoke_tests = [
        [bwrap, "--ro-bind", "/", "/", "true"],
        [bwrap, *NAMESPACE_FLAGS, "--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev", "true"],
    ]
    for command in smoke_tests:
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired) as error:
            return Status(False, f"`{' '.join(command)}` could not run: {error}")
        if done.returncode != 0:
            message = done.stderr.strip() or f"exit status {done.returncode}"
            return Status(False, f"`{' '.join(command)}` failed: {message}")
    version = subprocess.run([bwrap, "--version"], capture_output=True, text=True).stdout.strip()
    return Status(True, version or "bwrap")


def overrides(workdir: Path, *, helpers_view: Path | None = None, limits: SandboxLimits | None = None) -> Overrides:
    """Make the autograde run in ``workdir`` start every kernel inside the sandbox.

    Writes the kernel spec ``python3`` into ``<workdir>/.jupyter-data/kernels`` (found
    first because ``JUPYTER_PATH`` points there), gives the run its own runtime folder
    for connection files and sockets, and selects the IPC transport. ``helpers_view``: the
    folder (``nbcourse.reference_view.build``) the kernel sees in place of the ``helpers``
    package. ``limits``: the kernel's :class:`~nbcourse.limits.SandboxLimits` (default:
    ``SandboxLimits.load()``, the defaults under the environment variables; the grader
    passes the course's).
    """
    from nbcourse.limits import SandboxLimits

    workdir = Path(workdir).resolve()
    limits = limits if limits is not None else SandboxLimits.load()
    # Unix socket paths must stay under 108 bytes: the sockets get a short folder of their own.
    ipc_dir = Path(tempfile.mkdtemp(prefix="nbcourse-ipc-", dir="/tmp" if os.access("/tmp", os.W_OK) else None))
    font_cache = matplotlib_font_cache()
    launcher = [sys.executable, str(Path(__file__).resolve()), "launch",
                "--workdir", str(workdir), "--ipc-dir", str(ipc_dir),
                "--memory-mb", str(limits.memory_mb), "--cpu-seconds", str(limits.cpu_seconds),
                *(["--font-cache", str(font_cache)] if font_cache else []),
                *(["--helpers", str(Path(helpers_view).resolve())] if helpers_view else []),
                "--", "-f", "{connection_file}"]
    kernel_spec = {
        "argv": launcher,
        "display_name": "Python 3 (sandboxed grading kernel)",
        "language": "python",
        "interrupt_mode": "message",
        "metadata": {"debugger": False},
    }
    return Overrides(
        env={"JUPYTER_PATH": str(workdir / KERNEL_DIR), "JUPYTER_DATA_DIR": str(workdir / KERNEL_DIR)},
        # One connection file, reused by the run's kernels one after the other: its folder
        # (bound into the sandbox) holds nothing else; the sockets live in ipc_dir.
        config={"KernelManager": {"transport": "ipc", "ip": str(ipc_dir / "kernel"),
                                  "connection_file": str(workdir / RUNTIME_DIR / "kernel.json")}},
        files={f"{KERNEL_DIR}/kernels/python3/kernel.json": json.dumps(kernel_spec, indent=1) + "\n",
               f"{RUNTIME_DIR}/README.txt": "Connection file and IPC sockets of the sandboxed grading kernel.\n"},
        # The launcher removes it when its kernel ends; a launcher killed outright cannot.
        cleanup=[str(ipc_dir)],
    )


@functools.lru_cache(maxsize=None)
def matplotlib_font_cache() -> Path | None:
    """matplotlib's font list of this environment (built here if missing), or None.

    The kernel's /tmp, where its matplotlib keeps its cache, is new for every kernel:
    without this file each one would search the system's fonts again when the notebook
    imports pyplot (a few hundred milliseconds per notebook). The file is bound into the
    sandbox read-only.
    """
    try:
        import matplotlib
        from matplotlib import font_manager
    except ImportError:
        return None
    path = Path(matplotlib.get_cachedir()) / f"fontlist-v{font_manager.FontManager.__version__}.json"
    return path if path.is_file() else None


# --- the launcher (runs outside the sandbox, started by jupyter_client) ----------------

def _helpers_root() -> Path:
    """The folder holding the ``helpers`` package, found without importing it."""
    import importlib.util

    spec = importlib.util.find_spec("helpers")
    if spec is None or spec.origin is None:
        raise RuntimeError("the helpers package is not installed in the grading environment")
    return Path(spec.origin).resolve().parent.parent


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def bwrap_command(*, notebook_dir: Path, scratch: Path, runtime_dirs: list[Path], kernel_args: list[str],
                  font_cache: Path | None = None, helpers_view: Path | None = None) -> list[str]:
    """The ``bwrap`` command line that runs ipykernel with ``kernel_args`` in the sandbox.

    ``scratch`` (the private copy) appears at ``notebook_dir``, the kernel's working
    folder; each of ``runtime_dirs`` (connection file, IPC sockets) at its own path, so
    the paths in the connection file stay valid. ``font_cache`` (matplotlib's font list)
    appears read-only in the kernel's matplotlib cache folder. ``helpers_view`` (a copy of
    the ``helpers`` package with the assignment's references withheld) appears in place of
    the real package, which the kernel then cannot see at all.
    """
    helpers_root = _helpers_root()
    command = ["bwrap", *NAMESPACE_FLAGS, "--clearenv"]
    for folder in SYSTEM_DIRS:
        if os.path.lexists(folder):
            target = os.readlink(folder) if os.path.islink(folder) else None
            command += ["--symlink", target, folder] if target else ["--ro-bind", folder, folder]
    command += ["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/dev/shm", "--tmpfs", "/tmp"]
    if font_cache is not None:
        command += ["--ro-bind", str(font_cache), f"{MPL_CONFIG_DIR}/{font_cache.name}"]
    for folder in sorted({Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve()}):
        command += ["--ro-bind", str(folder), str(folder)]
    command += ["--ro-bind", str(helpers_view or helpers_root / "helpers"), str(helpers_root / "helpers")]
    command += ["--bind", str(scratch), str(notebook_dir)]
    for folder in runtime_dirs:
        command += ["--bind", str(folder), str(folder)]
    command += ["--remount-ro", "/", "--chdir", str(notebook_dir)]  # nothing else is writable
    environment = {name: os.environ[name] for name in PASSED_ENV if name in os.environ}
    environment.update({
        "PATH": path_with_bin(SYSTEM_PATH),
        "HOME": "/tmp", "IPYTHONDIR": "/tmp/.ipython", "MPLCONFIGDIR": MPL_CONFIG_DIR,
        "PYTHONPATH": str(helpers_root), "PYTHONDONTWRITEBYTECODE": "1",
        "JUPYTER_RUNTIME_DIR": str(runtime_dirs[0]),
    })
    for name, value in sorted(environment.items()):
        command += ["--setenv", name, value]
    return command + ["--", sys.executable, "-m", "ipykernel_launcher", *kernel_args]


def _private_copy(notebook_dir: Path, scratch_root: Path) -> Path:
    """Copy the notebook folder for the kernel, leaving out every notebook.

    The autograded notebooks in that folder hold the restored hidden tests; the
    student's code must not read them.
    """
    scratch_root.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="kernel-", dir=scratch_root))
    shutil.copytree(notebook_dir, scratch, dirs_exist_ok=True, symlinks=True,
                    ignore=shutil.ignore_patterns("*.ipynb", ".ipynb_checkpoints"))
    return scratch


def _limit_resources(memory_mb: int, cpu_seconds: int) -> None:
    """Applied in the child before ``bwrap`` starts; inherited by the kernel."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # the launcher ignores it; the kernel must not
    memory = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_DATA, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def launch(argv: list[str] | None = None) -> int:
    """Entry point of the kernel spec: start ipykernel in the sandbox and wait for it."""
    parser = argparse.ArgumentParser(prog="nbcourse.sandbox launch")
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--ipc-dir", type=Path, required=True)
    parser.add_argument("--memory-mb", type=int, required=True, help="SandboxLimits.memory_mb")
    parser.add_argument("--cpu-seconds", type=int, required=True, help="SandboxLimits.cpu_seconds")
    parser.add_argument("--font-cache", type=Path, help="matplotlib's font list, bound in read-only")
    parser.add_argument("--helpers", type=Path, help="the helpers package the kernel sees (references withheld)")
    parser.add_argument("kernel_args", nargs=argparse.REMAINDER)
    options = parser.parse_args(argv)
    kernel_args = options.kernel_args[1:] if options.kernel_args[:1] == ["--"] else options.kernel_args
    workdir = options.workdir.resolve()
    notebook_dir = Path.cwd().resolve()
    connection_file = Path(kernel_args[kernel_args.index("-f") + 1]).resolve()
    for what, path in (("notebook folder", notebook_dir), ("connection file", connection_file)):
        if not _inside(path, workdir):
            print(f"sandbox: refusing to start: the {what} {path} is outside the private workdir {workdir}",
                  file=sys.stderr)
            return 2
    ipc_dir = options.ipc_dir.resolve()
    sockets = json.loads(connection_file.read_text()).get("ip", "")
    if not sockets.startswith(str(ipc_dir) + os.sep):
        print(f"sandbox: refusing to start: the kernel's sockets ({sockets}) are not in {ipc_dir}", file=sys.stderr)
        return 2
    ipc_dir.mkdir(mode=0o700, exist_ok=True)
    scratch = _private_copy(notebook_dir, workdir / SCRATCH_DIR)
    command = bwrap_command(notebook_dir=notebook_dir, scratch=scratch,
                            runtime_dirs=[connection_file.parent, ipc_dir], kernel_args=kernel_args,
                            font_cache=options.font_cache if options.font_cache and options.font_cache.is_file() else None,
                            helpers_view=options.helpers)
    child = subprocess.Popen(command, preexec_fn=lambda: _limit_resources(options.memory_mb, options.cpu_seconds))
    # jupyter_client asks politely with SIGTERM before it kills; pass it on and clean up.
    signal.signal(signal.SIGTERM, lambda signum, frame: child.terminate())
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # interrupts arrive as messages
    try:
        status = child.wait()
        return 128 - status if status < 0 else status  # a signal, reported like a shell does
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        shutil.rmtree(ipc_dir, ignore_errors=True)  # made again by the next kernel of this run


if __name__ == "__main__":
    if sys.argv[1:2] != ["launch"]:
        sys.exit("usage: python -m nbcourse.sandbox launch --workdir DIR --ipc-dir DIR "
                 "--memory-mb N --cpu-seconds N -- -f CONNECTION_FILE")
    sys.exit(launch(sys.argv[2:]))
