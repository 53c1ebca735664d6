"""The project's own plumbing: dependency lists agree, the Makefile keeps its promises."""
import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _split(requirement: str) -> tuple[str, str]:
    """'numpy>=1.26,<3' -> ('numpy', '>=1.26,<3'), names normalised as pip does."""
    match = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", requirement)
    name, spec = match.group(1), match.group(2).replace(" ", "")
    return re.sub(r"[-_.]+", "-", name).lower(), spec


def _pyproject_requirements() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = project["dependencies"] + project["optional-dependencies"]["test"]
    return dict(_split(r) for r in requirements)


def _environment_requirements() -> dict[str, str]:
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    found = {}
    for entry in environment["dependencies"]:
        entries = entry["pip"] if isinstance(entry, dict) else [entry]
        for requirement in entries:
            if requirement.startswith("-e") or requirement in ("pip",):
                continue
            name, spec = _split(requirement)
            if name != "python":
                found[name] = spec
    return found


def test_environment_yml_lists_the_same_packages_and_ranges_as_pyproject():
    assert _environment_requirements() == _pyproject_requirements()


def test_environment_yml_python_range_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    pythons = [d for d in environment["dependencies"] if isinstance(d, str) and d.startswith("python")]
    assert pythons == ["python" + project["requires-python"].replace(" ", "")]


def test_every_make_target_puts_the_venv_first_on_path():
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^export PATH := \$\(CURDIR\)/\$\(VENV\)/bin:\$\(PATH\)$", makefile, re.M)
    for target in ("demo", "test", "lab", "release"):
        assert re.search(rf"^{target}: setup$", makefile, re.M), f"make {target} must depend on setup"
