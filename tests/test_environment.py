"""environment.yml (for conda users) lists exactly the dependencies of pyproject.toml, with the same bounds."""

from __future__ import annotations

import re

import tomllib
import yaml

from tests.conftest import REPO


def _requirements() -> dict[str, str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    listed = project["dependencies"] + [dep for deps in project["optional-dependencies"].values() for dep in deps]
    return dict(_split(dep) for dep in listed)


def _environment() -> dict[str, str]:
    spec = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    entries = [d for d in spec["dependencies"] if isinstance(d, str)]
    entries += [d for d in spec["dependencies"] if isinstance(d, dict) for d in d["pip"] if not d.startswith("-e")]
    return dict(_split(d) for d in entries if not d.startswith(("python", "pip")) or d.startswith("python-"))


def _split(requirement: str) -> tuple[str, str]:
    name, bound = re.match(r"^([A-Za-z0-9_.\-\[\]]+)\s*(.*)$", requirement).groups()
    return name.lower(), bound.replace(" ", "")


def test_environment_yml_matches_pyproject() -> None:
    assert _environment() == _requirements()
