"""JupyterHub configuration of the course hub (``make hub``; docs/hub.md).

The site's particulars (ports, users, folders) come from ``hub.json`` in the hub's state
folder, written by ``nbcourse.hub``; ``NBCOURSE_HUB_STATE`` names that folder.
The model is nbgrader's documented JupyterHub set-up for one class with several graders:
the formgrader runs as a hub service under the instructor's account, and the groups
``formgrade-<course>`` (instructor and TAs) and ``nbgrader-<course>`` (students) decide who
reaches it.
"""
import json
import os
from pathlib import Path

c = get_config()  # noqa: F821  (injected by traitlets)

STATE = Path(os.environ["NBCOURSE_HUB_STATE"])
SITE = json.loads((STATE / "hub.json").read_text())
SERVICE = SITE["service"]
GRADERS = [SITE["instructor"], *SITE["tas"]]
STUDENTS = SITE["students"]

# -- addresses and state ----------------------------------------------------------------
c.JupyterHub.bind_url = SITE["bind_url"]
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{SITE['hub_port']}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{SITE['proxy_api_port']}"
c.ConfigurableHTTPProxy.command = [SITE["proxy"]]          # from hub/package-lock.json (npm ci)
c.ConfigurableHTTPProxy.pid_file = str(STATE / "proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.cleanup_servers = True  # stopping the hub stops the users' servers

# -- who logs in: the machine's own users and passwords ----------------------------------
# PAM checks the Unix password, so the instructor manages logins with the usual tools
# (useradd, passwd). Sessions are not opened: no pam_systemd in a container.
c.JupyterHub.authenticator_class = "pam"
c.PAMAuthenticator.open_sessions = False
c.Authenticator.allowed_users = set(GRADERS + STUDENTS)
c.Authenticator.admin_users = {SITE["instructor"]}

# -- each user's own server: a local process running as that user ------------------------
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [str(Path(SITE["venv_bin"]) / "python"), "-m", "jupyterhub.singleuser"]
c.Spawner.args = SITE["server_options"]  # kernel messages without Nagle's delay (nbcourse/kernel_websocket.py)
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 180  # a busy machine starts JupyterLab slowly
c.Spawner.http_timeout = 180
c.Spawner.environment = {
    # the course id and the shared exchange for nbgrader's Assignments panel; no formgrader
    "JUPYTER_CONFIG_PATH": SITE["student_config"],
    "PATH": f"{SITE['venv_bin']}:/usr/local/bin:/usr/bin:/bin",
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "OPENBLAS_NUM_THREADS": "1",
}

# -- the formgrader: a service run as the instructor in the course directory --------------
c.JupyterHub.services = [{
    "name": SERVICE,
    "url": f"http://127.0.0.1:{SITE['service_port']}",
    "command": [str(Path(SITE["venv_bin"]) / "python"), "-m", "jupyterhub.singleuser", "--ServerApp.root_dir=" + SITE["course_dir"],
                *SITE["server_options"]],
    "user": SITE["instructor"],
    "cwd": SITE["course_dir"],
    "environment": {
        "JUPYTERHUB_DEFAULT_URL": "/formgrader",
        "PATH": f"{SITE['venv_bin']}:/usr/local/bin:/usr/bin:/bin",
        "HOME": os.path.expanduser(f"~{SITE['instructor']}"),
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "OPENBLAS_NUM_THREADS": "1",
    },
    "oauth_no_confirm": True,
    "timeout": 180,  # seconds to wait for it to answer (JupyterLab starts slowly on a busy machine)
}]
c.JupyterHub.load_groups = {
    f"formgrade-{SERVICE}": {"users": GRADERS},
    f"nbgrader-{SERVICE}": {"users": STUDENTS},
}
c.JupyterHub.load_roles = [
    # instructor and TAs reach the formgrader service; nobody else does
    {"name": f"formgrade-{SERVICE}", "groups": [f"formgrade-{SERVICE}"],
     "scopes": [f"access:services!service={SERVICE}", "list:services", f"read:services!service={SERVICE}"]},
    {"name": f"nbgrader-{SERVICE}", "groups": [f"nbgrader-{SERVICE}"],
     "scopes": ["list:services", f"read:services!service={SERVICE}"]},
]
