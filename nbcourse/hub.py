"""The course on a JupyterHub on one machine: local Unix users, a shared exchange, the formgrader for TAs.

``make hub`` (``python -m nbcourse.hub``) sets up, as root, what nbgrader's documented
JupyterHub set-up describes for one course with several graders:

* five Unix users (created with ``useradd`` if missing, never deleted), each logging in
  with their own password and getting their own single-user JupyterLab::

      dl-instructor   the course's owner: its course directory, gradebook and commands
      dl-ta           a teaching assistant: grades written answers in the formgrader
      dl-alice, dl-bob, dl-carol   students: fetch, Validate, submit, fetch feedback

  Homes are mode 0700: students cannot read each other's work in progress.
* the hub's state folder (default ``/srv/dl-course``)::

      course/       the instructor's course directory (a copy of this repository's course),
                    owned by dl-instructor, mode 0700: no student reads source/ or the gradebook
      exchange/     nbgrader's exchange (0777, as nbgrader requires), with the course's
                    folder made by the instructor: outbound/ readable, inbound/ writable but
                    not listable (sticky: nobody moves another's submission; a default ACL
                    lets the instructor read submissions), feedback/ 0711
      config/       nbgrader and server settings for the students' servers
      jupyterhub.sqlite, cookie secret, logins.txt (mode 0600, root's)
* the formgrader as a JupyterHub service ``dl-intro`` (nbgrader's "one class, multiple
  graders" set-up): a JupyterLab server run as dl-instructor in the course directory,
  reached through the hub by the members of the group ``formgrade-dl-intro`` (the
  instructor and the TA) at ``/services/dl-intro/formgrader``.

Authentication is PAM (the machine's own passwords) and every server is a local process
started by the hub as its user (JupyterHub's LocalProcessSpawner): a department running
one course on one machine needs no OAuth provider, container runtime or systemd
(docs/hub.md says more). The hub's proxy is configurable-http-proxy, installed from
``hub/package.json`` by ``npm ci``.
"""
from __future__ import annotations

import argparse
import json
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .course import SYSTEM_PATH, Course, path_with_bin
from .kernel_websocket import SERVER_OPTION

REPO = Path(__file__).resolve().parent.parent
HUB_FILES = REPO / "hub"
PROXY = HUB_FILES / "node_modules" / ".bin" / "configurable-http-proxy"
VENV = Path(sys.prefix)
SERVICE = "dl-intro"  # the formgrader's service, named after the course id as nbgrader's docs do
# Folders of a clone that hold solutions or students' work: closed to other users.
PRIVATE_IN_REPO = (".git", "source", "authoring", "tests", "submitted", "autograded", "feedback", "reports",
                   "exchange", "gradebook.db", "bench", "test-artifacts")
OWN_PACKAGES = ("helpers", "nbcourse")  # this clone's packages, imported by every user's server


def others_can_run(path: Path) -> bool:
    """Whether a user other than root may execute ``path`` (every folder above it traversable)."""
    path = Path(path).resolve()
    folders_ok = all(os.stat(folder).st_mode & 0o001 for folder in path.parents)
    return folders_ok and path.exists() and bool(os.stat(path).st_mode & 0o001)


def users_environment(state: Path) -> Path:
    """A Python environment every user may run, made of this virtualenv's packages; returns its ``bin``.

    The users' servers and the instructor's commands run as their own Unix users. A
    virtualenv made from an interpreter in a private folder (pyenv in /root, say) cannot be
    run by them, so ``<state>/venv`` is a view of this virtualenv: its own pyvenv.cfg
    naming this interpreter, or a copy of it (:func:`_interpreter_copy`) when others
    may not run it where it is, with this virtualenv's site-packages, share/ and etc/
    (hard-linked: no space, a few seconds), this clone's own packages copied in
    (:func:`_copy_own_packages`) and its console scripts copied with their first line
    pointing to the view. Nothing in the view leads back into the clone or the
    virtualenv, which may sit in folders other users cannot enter (a ``mktemp -d``
    folder, /root).
    """
    real = Path(sys.executable).resolve()
    interpreter = real if others_can_run(real) else _interpreter_copy(real, state / "python")
    view = state / "venv"
    bin_dir = view / "bin"
    bin_dir.mkdir(parents=True, exist_ok=True)
    (view / "pyvenv.cfg").write_text(f"home = {interpreter.parent}\ninclude-system-site-packages = false\n"
                                     f"version = {sys.version.split()[0]}\n")
    site_packages = Path(sysconfig.get_paths()["purelib"])
    _mirror(site_packages, view / site_packages.relative_to(VENV))
    _copy_own_packages(site_packages, view / site_packages.relative_to(VENV))
    for folder in ("share", "etc"):  # JupyterLab's extensions and the servers' enabled extensions
        if (VENV / folder).is_dir():
            _mirror(VENV / folder, view / folder, stale_after=site_packages)
    links = {bin_dir / "python": interpreter, bin_dir / "python3": interpreter}
    for link, target in links.items():
        link.parent.mkdir(parents=True, exist_ok=True)
        if link.is_symlink() or link.exists():
            link.unlink()
        if target.exists():
            link.symlink_to(target)
    shebang = f"#!{VENV / 'bin' / 'python'}"
    for script in (VENV / "bin").iterdir():
        if script.is_file() and not script.is_symlink():
            with open(script, "rb") as handle:
                first = handle.readline().decode(errors="replace").rstrip()
            if first in (shebang, f"#!{sys.executable}"):
                copy = bin_dir / script.name
                copy.write_text(f"#!{bin_dir / 'python'}\n" + script.read_text().split("\n", 1)[1])
                copy.chmod(0o755)
    for folder in (view, bin_dir):
        folder.chmod(0o755)
    return bin_dir


def _interpreter_copy(real: Path, copy: Path) -> Path:
    """This Python (binary, libpython, standard library without site-packages) at ``copy``; its binary.

    The standard library is hard-linked; the binary is copied and told to load the
    libpython beside it (``patchelf --set-rpath $ORIGIN/../lib``: pyenv's points into
    /root). The same build, not merely the same version: Debian's 3.11.2, say, mis-compiles
    possessive quantifiers that soupsieve (and so nbconvert's HTML) relies on.
    """
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    base = Path(sys.base_prefix)
    binary = copy / "bin" / version
    stamp = copy / ".nbcourse-copy"
    if stamp.exists() and stamp.read_text() == str(real):
        return binary
    if shutil.which("patchelf") is None:
        raise SystemExit(f"{real} is in a folder other users cannot enter and patchelf is missing to copy it: "
                         "apt-get install patchelf (or install Python where everyone can run it)")
    shutil.rmtree(copy, ignore_errors=True)
    (copy / "bin").mkdir(parents=True)
    (copy / "lib" / version).mkdir(parents=True)
    shutil.copy2(real, binary)
    for library in (base / "lib").glob("libpython*.so*"):
        shutil.copy2(library, copy / "lib" / library.name, follow_symlinks=False)
    for entry in (base / "lib" / version).iterdir():
        if entry.name != "site-packages":
            subprocess.run(["cp", "-al", str(entry), str(copy / "lib" / version / entry.name)], check=True)
    (copy / "lib" / version / "site-packages").mkdir()
    subprocess.run(["patchelf", "--set-rpath", "$ORIGIN/../lib", str(binary)], check=True)
    for folder in (copy, copy / "bin", copy / "lib", copy / "lib" / version):
        folder.chmod(0o755)
    stamp.write_text(str(real))
    return binary


def _copy_own_packages(site_packages: Path, view_packages: Path) -> None:
    """This clone's packages (``OWN_PACKAGES``) as plain copies in the view's site-packages.

    ``pip install -e`` (``make setup``) leaves in site-packages a finder that imports them
    from the clone, by its absolute path; in the view that path would have to be entered
    by every user. The finder is dropped from the view and the packages are copied anew
    on every set-up (a few hundred kilobytes), readable by everyone, so that the servers
    and the instructor's commands run the clone's current code. A regular install
    (the packages already in site-packages) needs nothing.
    """
    if all((site_packages / name).is_dir() for name in OWN_PACKAGES):
        return
    for finder in view_packages.glob("__editable__*"):
        finder.unlink()
    for name in OWN_PACKAGES:
        copy = view_packages / name
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(REPO / name, copy, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        for dirpath, _, filenames in os.walk(copy):
            os.chmod(dirpath, 0o755)
            for filename in filenames:
                os.chmod(os.path.join(dirpath, filename), 0o644)


def _mirror(source: Path, copy: Path, stale_after: Path | None = None) -> None:
    """``copy`` as a hard-linked copy of ``source`` (a plain copy across file systems), remade when stale.

    Stale: ``source`` (or ``stale_after``, a folder every install touches, for trees such
    as share/ whose top folder does not change when a package adds to it) changed since
    the copy was made. A real folder rather than a symbolic link: the grading sandbox
    shows a kernel its environment's own folders only, and a link out of them would lead
    nowhere inside; and the folders of the virtualenv may be closed to other users.
    """
    stamp = copy / ".nbcourse-mirror"
    changed = max(source.stat().st_mtime, (stale_after or source).stat().st_mtime)
    if stamp.exists() and stamp.stat().st_mtime >= changed:
        return
    if copy.is_symlink():
        copy.unlink()
    elif copy.exists():
        shutil.rmtree(copy)
    copy.parent.mkdir(parents=True, exist_ok=True)
    if subprocess.run(["cp", "-al", str(source), str(copy)], capture_output=True).returncode != 0:
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(source, copy, symlinks=True)
    stamp.touch()


@dataclass(frozen=True)
class People:
    """The hub's logins, by role."""
    instructor: str
    ta: str
    students: tuple[str, ...]

    @classmethod
    def named(cls, prefix: str = "dl-") -> "People":
        """One instructor, one TA and three students, their user names starting with ``prefix``."""
        return cls(f"{prefix}instructor", f"{prefix}ta", tuple(f"{prefix}{name}" for name in ("alice", "bob", "carol")))

    @property
    def everyone(self) -> tuple[str, ...]:
        """Every login: instructor, TA, students."""
        return (self.instructor, self.ta, *self.students)

    @property
    def graders(self) -> tuple[str, ...]:
        """Those who reach the formgrader: the instructor and the TA."""
        return (self.instructor, self.ta)


@dataclass
class HubSite:
    """Where a hub keeps its state, who logs in, and the addresses it serves."""
    state: Path
    people: People
    ip: str = ""
    port: int = 8000
    hub_port: int = 8081
    proxy_api_port: int = 8001
    service_port: int = 8090
    passwords: dict[str, str] = field(default_factory=dict)

    @property
    def course_dir(self) -> Path:
        """The instructor's course directory."""
        return self.state / "course"

    @property
    def bin(self) -> Path:
        """The users' Python environment (:func:`users_environment`)."""
        return self.state / "venv" / "bin"

    @property
    def exchange(self) -> Path:
        """nbgrader's exchange root, shared by everyone on the hub."""
        return self.state / "exchange"

    @property
    def url(self) -> str:
        """The hub's address for a browser."""
        return f"http://{self.ip or socket.getfqdn()}:{self.port}"


# -- Unix users ----------------------------------------------------------------------------
def ensure_user(name: str) -> pwd.struct_passwd:
    """The Unix user ``name``, created (with a home of mode 0700) if missing; an existing one is kept."""
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        subprocess.run(["useradd", "--create-home", "--shell", "/bin/bash", name], check=True)
        entry = pwd.getpwnam(name)
    os.chmod(entry.pw_dir, 0o700)  # Debian's default home is 0755: readable by classmates
    return entry


def set_password(name: str, password: str) -> None:
    """Set ``name``'s login password (what the hub's PAM authenticator checks)."""
    subprocess.run(["chpasswd"], input=f"{name}:{password}\n", text=True, check=True)


def as_user(user: str, argv: list[str], bin_dir: Path, cwd: str | Path | None = None,
            env: dict[str, str] | None = None, check: bool = True, timeout: float = 600) -> subprocess.CompletedProcess:
    """Run ``argv`` as the Unix user ``user`` (runuser, a clean login-like environment, ``bin_dir`` first
    on PATH); output captured. ``check``: raise RuntimeError with the output if it fails."""
    entry = pwd.getpwnam(user)
    base = {"HOME": entry.pw_dir, "USER": user, "LOGNAME": user, "SHELL": "/bin/bash", "LANG": "C.UTF-8",
            "PATH": path_with_bin(SYSTEM_PATH, bin_dir), "TF_CPP_MIN_LOG_LEVEL": "2",
            "OPENBLAS_NUM_THREADS": "1"}
    base.update(env or {})
    command = ["runuser", "-u", user, "--", "env", "-i", *(f"{k}={v}" for k, v in base.items()), *argv]
    result = subprocess.run(command, cwd=cwd or entry.pw_dir, capture_output=True, text=True, timeout=timeout)
    if check and result.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} as {user} failed ({result.returncode}):\n"
                           f"{result.stdout[-2000:]}\n{result.stderr[-3000:]}")
    return result


def instructor_command(site: HubSite, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """``python -m nbcourse <args>`` run by the instructor in the hub's course directory."""
    return as_user(site.people.instructor, [str(site.bin / "python"), "-m", "nbcourse", *args], site.bin,
                   cwd=site.course_dir, check=check, timeout=1800)


# -- the state folder ------------------------------------------------------------------
def _chown_tree(path: Path, uid: int, gid: int) -> None:
    for dirpath, dirnames, filenames in os.walk(path):
        os.chown(dirpath, uid, gid)
        for name in filenames:
            os.lchown(os.path.join(dirpath, name), uid, gid)


def close_repository(repo: Path = REPO) -> None:
    """Close this clone's solution and grading folders to other users (students share the machine).

    The users run a view of the virtualenv with copies of the clone's packages
    (:func:`users_environment`), so whether others can enter the clone does not matter
    to them; what holds solutions or grades is made owner-only all the same, for a clone
    that others can enter.
    """
    for name in PRIVATE_IN_REPO:
        path = repo / name
        if path.exists():
            os.chmod(path, 0o700 if path.is_dir() else 0o600)


def prepare(site: HubSite, course: Course, assignments: list[str]) -> HubSite:
    """Set up users, passwords, the course directory, the exchange and the hub's settings for ``site``.

    course: the course the hub serves, already at ``site.course_dir`` (its nbgrader config
    gets the hub's exchange pinned); assignments: those to generate there now.
    Idempotent: a second run keeps users, passwords, the gradebook and the exchange.
    """
    if os.geteuid() != 0:
        raise SystemExit("the hub starts every user's server as that user: run it as root (sudo make hub)")
    state = site.state
    state.mkdir(parents=True, exist_ok=True)
    os.chmod(state, 0o755)
    close_repository()
    users_environment(state)
    logins = state / "logins.txt"
    known = dict(line.split(":", 1) for line in logins.read_text().split()) if logins.exists() else {}
    for name in site.people.everyone:
        ensure_user(name)
        site.passwords[name] = known.get(name) or secrets.token_urlsafe(9)
        set_password(name, site.passwords[name])
    logins.touch(mode=0o600)
    logins.write_text("".join(f"{name}:{site.passwords[name]}\n" for name in site.people.everyone))

    teacher = pwd.getpwnam(site.people.instructor)
    config = (course.root / "nbgrader_config.py").read_text()
    pin = f"c.Exchange.root = {str(site.exchange)!r}\n"
    if pin not in config:
        (course.root / "nbgrader_config.py").write_text(
            config + "\n# --- the course hub's shared exchange (nbcourse.hub) ---\n" + pin)
    _chown_tree(course.root, teacher.pw_uid, teacher.pw_gid)
    os.chmod(course.root, 0o700)
    _prepare_exchange(site, teacher)
    if assignments:
        instructor_command(site, "generate", *assignments)
    _write_settings(site)
    return site


def _prepare_exchange(site: HubSite, teacher: pwd.struct_passwd) -> None:
    """The exchange root (0777, nbgrader's rule) and the course's folder in it, made by the instructor.

    Made now rather than at the first release, so that no student can create
    ``<exchange>/dl-intro`` first and own the course's inbound.
    """
    site.exchange.mkdir(exist_ok=True)
    os.chmod(site.exchange, 0o777)
    course_id = _course_id(site)
    modes = {"": 0o755, "outbound": 0o755, "inbound": 0o3733, "feedback": 0o2711}
    for name, mode in modes.items():
        path = site.exchange / course_id / name
        path.mkdir(exist_ok=True)
        os.chown(path, teacher.pw_uid, teacher.pw_gid)
        os.chmod(path, mode)
    # Submissions are private to their student (PrivateSubmit): a default ACL lets the
    # instructor read everything created in inbound/, whatever group its student is in.
    if shutil.which("setfacl") is None:
        raise SystemExit("setfacl is missing: apt-get install acl (the instructor reads private submissions by ACL)")
    subprocess.run(["setfacl", "-m", f"default:user:{teacher.pw_name}:rX",
                    str(site.exchange / course_id / "inbound")], check=True)


def _course_id(site: HubSite) -> str:
    from .gradebook import course_id

    return course_id(Course(site.course_dir))


def _write_settings(site: HubSite) -> None:
    """hub.json (read by hub/jupyterhub_config.py) and the students' nbgrader and server config."""
    student_config = site.state / "config" / "student"
    student_config.mkdir(parents=True, exist_ok=True)
    (student_config / "nbgrader_config.py").write_text(
        "c = get_config()  # noqa: F821\n"
        f"c.CourseDirectory.course_id = {_course_id(site)!r}\n"
        f"c.Exchange.root = {str(site.exchange)!r}\n"
        "# submissions readable by the student and the instructor's group only\n"
        "c.ExchangeFactory.submit = 'nbcourse.submission_owner.PrivateSubmit'\n"
    )
    # A student's own server has no course to grade: no formgrader, no course list.
    (student_config / "jupyter_server_config.json").write_text(json.dumps({"ServerApp": {"jpserver_extensions": {
        "nbgrader.server_extensions.formgrader": False, "nbgrader.server_extensions.course_list": False}}}, indent=1))
    for folder in (site.state / "config", student_config):
        os.chmod(folder, 0o755)
    settings = {
        "bind_url": f"http://{site.ip}:{site.port}", "hub_port": site.hub_port,
        "proxy_api_port": site.proxy_api_port, "service_port": site.service_port,
        "proxy": str(PROXY), "venv_bin": str(site.bin), "course_dir": str(site.course_dir),
        "server_options": [SERVER_OPTION],
        "exchange": str(site.exchange), "service": SERVICE, "student_config": str(student_config),
        "instructor": site.people.instructor, "tas": [site.people.ta], "students": list(site.people.students),
    }
    (site.state / "hub.json").write_text(json.dumps(settings, indent=1))


def install_proxy() -> Path:
    """configurable-http-proxy from hub/package-lock.json (``npm ci``), unless already installed."""
    if not PROXY.exists():
        if shutil.which("npm") is None:
            raise SystemExit("npm is missing: apt-get install nodejs npm (the hub's proxy is a node program)")
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--prefix", str(HUB_FILES)], check=True)
    return PROXY


# -- running the hub -------------------------------------------------------------------
def hub_command(site: HubSite) -> list[str]:
    """The jupyterhub command line for ``site`` (the configuration file is hub/jupyterhub_config.py)."""
    return [str(VENV / "bin" / "jupyterhub"), "-f", str(HUB_FILES / "jupyterhub_config.py")]


def wait_until_serving(url: str, server: subprocess.Popen, timeout: float, name: str, log_path: Path,
                       tail: int = 2000) -> None:
    """Return once ``url`` answers; RuntimeError with the last ``tail`` characters of the log
    if ``server`` exits first or ``timeout`` seconds pass (the hub's start-up, and the lab
    server's of the browser tests)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{name} did not start: {log_path.read_text()[-tail:]}") from None
            time.sleep(0.5)


def hub_env(site: HubSite) -> dict[str, str]:
    """The hub's environment: its state folder, and the virtualenv first on PATH."""
    return dict(os.environ, NBCOURSE_HUB_STATE=str(site.state), PATH=path_with_bin(bin_dir=VENV / "bin"))


@contextmanager
def running_hub(site: HubSite, log_path: Path, start_timeout: float = 120):
    """Start the hub of ``site`` (prepared) in the background; yield its Popen; stop it and its servers on exit."""
    with open(log_path, "w") as log:
        hub = subprocess.Popen(hub_command(site), cwd=site.state, env=hub_env(site), stdout=log,
                               stderr=subprocess.STDOUT, start_new_session=True)
        try:
            wait_until_serving(f"http://127.0.0.1:{site.port}/hub/api/", hub, start_timeout, "JupyterHub",
                               log_path, tail=3000)
            yield hub
        finally:
            stop_hub(hub)


def stop_hub(hub: subprocess.Popen) -> None:
    """Stop the hub: SIGTERM lets it stop the users' servers, the service and the proxy it started."""
    if hub.poll() is None:
        hub.terminate()
        try:
            hub.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(hub.pid, 9)
            hub.wait()


def print_welcome(site: HubSite) -> None:
    """The address, the five logins and how the instructor runs the course's commands."""
    people = site.people
    print(f"\nThe course hub: {site.url}/  (state in {site.state})\n")
    print("Logins (user: password; also in logins.txt, root only):")
    roles = {people.instructor: "instructor", people.ta: "teaching assistant"}
    for name in people.everyone:
        print(f"  {name:16} {site.passwords[name]:14} {roles.get(name, 'student')}")
    print(f"\nFormgrader (instructor and TA): {site.url}/services/{SERVICE}/formgrader")
    print(f"Instructor's commands, as {people.instructor} in the course directory:")
    print(f"  su - {people.instructor}")
    print(f"  cd {site.course_dir} && {site.bin / 'python'} -m nbcourse release 01_perceptron")
    print("  ... collect / autograde --workers 2 / feedback / release-feedback / export / report\n")


def main(argv: list[str] | None = None) -> int:
    """``make hub``: prepare the hub from this clone's course and run it in the foreground."""
    from .course import private_copy

    parser = argparse.ArgumentParser(prog="python -m nbcourse.hub", description=main.__doc__)
    parser.add_argument("--state", type=Path, default=Path(os.environ.get("HUB_STATE", "/srv/dl-course")))
    parser.add_argument("--ip", default=os.environ.get("HUB_IP", ""), help="address to serve on (default: all)")
    parser.add_argument("--port", type=int, default=int(os.environ.get("HUB_PORT", "8000")))
    parser.add_argument("--prepare-only", action="store_true", help="set everything up, do not start the hub")
    args = parser.parse_args(argv)
    site = HubSite(args.state.resolve(), People.named(), ip=args.ip, port=args.port)
    install_proxy()
    real = Course(REPO)
    fresh = not (site.course_dir / "nbgrader_config.py").exists()
    if fresh:  # a rerun keeps the instructor's course as it is (gradebook, submissions, edits)
        private_copy(real, site.course_dir, real.assignments())
    prepare(site, Course(site.course_dir), real.assignments() if fresh else [])
    print_welcome(site)
    if args.prepare_only:
        return 0
    os.chdir(site.state)
    os.execve(hub_command(site)[0], hub_command(site), hub_env(site))


if __name__ == "__main__":
    sys.exit(main())
