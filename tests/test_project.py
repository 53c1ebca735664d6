"""The project's own plumbing: dependency lists agree, the Makefile keeps its promises."""
import ast
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


def _helpers_imports() -> dict[str, set[str]]:
    """Module of the helpers package -> the helpers modules it imports (anywhere in its source)."""
    package = ROOT / "helpers"
    modules = {}
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = (path, path.name == "__init__.py")
    imports = {}
    for name, (path, is_package) in modules.items():
        own_package = name if is_package else name.rpartition(".")[0]
        found = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = own_package.rsplit(".", node.level - 1)[0] if node.level else ""
                module = ".".join(filter(None, [base, node.module]))
                # `from . import x` and `from .m import name` may name a submodule or a name in it
                targets = [module] + [f"{module}.{alias.name}" for alias in node.names]
            else:
                continue
            found |= {target for target in targets if target in modules and target != name}
        imports[name] = found
    return imports


def test_no_helpers_module_imports_one_that_imports_it_back():
    # a package's __init__ imports its submodules by design; an edge into a package means
    # its __init__, so a submodule importing its own package would show up as a cycle
    imports = _helpers_imports()
    assert {"helpers.nn", "helpers.optimizers", "helpers.regularization", "helpers.training"} <= set(imports)
    assert "helpers.nn" in imports["helpers.training"]

    def cycle_from(start):
        stack, seen = [(start, [start])], set()
        while stack:
            module, path = stack.pop()
            for target in imports[module]:
                if target == start:
                    return path + [start]
                if target not in seen:
                    seen.add(target)
                    stack.append((target, path + [target]))
        return None

    cycles = [cycle for cycle in map(cycle_from, sorted(imports)) if cycle]
    assert not cycles, "import cycles in helpers: " + "; ".join(" -> ".join(cycle) for cycle in cycles)


def test_reading_a_notebook_does_not_build_the_iri_grammar():
    # `make setup` uninstalls rfc3987-syntax: jsonschema imports it, when present, and its
    # import builds a grammar (1.2 s in every process that imports nbformat).
    import subprocess
    import sys

    loaded = subprocess.run([sys.executable, "-c", "import sys, nbformat; print('rfc3987_syntax' in sys.modules)"],
                            capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "False", "rfc3987-syntax is installed: run `make setup` (the Makefile uninstalls it)"
