"""How grading features (the trusted pipeline, the sandbox) plug into one autograde run.

The grader runs every submission's ``nbgrader autograde`` in a private working copy of
the course. A feature that changes how that run behaves returns an :class:`Overrides`:
environment variables for the nbgrader process, traitlets configuration merged into the
private copy's ``nbgrader_config.py``, and files to create inside the private copy
(kernel specs, start-up scripts). The grader merges the overrides of every enabled
feature with :func:`merge` and applies them; features never touch the grader itself.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Overrides:
    """Changes to one private autograde run.

    env:    extra environment variables for the ``nbgrader autograde`` process.
    config: traitlets config as nested dicts, e.g. ``{"ExecutePreprocessor": {"timeout": 60}}``;
            values must be representable with ``repr`` (written into a config file).
    files:  relative path inside the private course copy -> text content.
    cleanup: folders outside the private copy that the feature made for this run; the
            grader removes them once the run is over, however it ended.
    """

    env: dict[str, str] = field(default_factory=dict)
    config: dict[str, dict] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    cleanup: list[str] = field(default_factory=list)


def merge(*parts: Overrides) -> Overrides:
    """Combine overrides; later parts win on conflicting keys (a conflict is a bug: say so)."""
    merged = Overrides()
    for part in parts:
        for name, value in part.env.items():
            if name in merged.env and merged.env[name] != value:
                raise ValueError(f"two grading features set environment variable {name} differently")
            merged.env[name] = value
        for section, values in part.config.items():
            target = merged.config.setdefault(section, {})
            for key, value in values.items():
                if key in target and target[key] != value:
                    raise ValueError(f"two grading features set {section}.{key} differently")
                target[key] = value
        for path, text in part.files.items():
            if path in merged.files and merged.files[path] != text:
                raise ValueError(f"two grading features write {path} differently")
            merged.files[path] = text
        merged.cleanup += [folder for folder in part.cleanup if folder not in merged.cleanup]
    return merged


def config_lines(overrides: Overrides) -> str:
    """The ``c.Section.key = value`` lines that apply ``overrides.config`` in a config file."""
    lines = []
    for section, values in sorted(overrides.config.items()):
        for key, value in sorted(values.items()):
            lines.append(f"c.{section}.{key} = {value!r}")
    return "\n".join(lines) + ("\n" if lines else "")
