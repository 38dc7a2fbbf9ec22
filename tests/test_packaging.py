"""pyproject.toml is the single source of dependencies; environment.yml must agree."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
# conda-forge spells a few packages differently from PyPI.
CONDA_NAMES = {"matplotlib": "matplotlib-base", "arch": "arch-py"}


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _conda_specs() -> tuple[dict[str, str], list]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    specs: dict[str, str] = {}
    pip_part: list = []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip_part = dep["pip"]
            continue
        m = re.fullmatch(r"([A-Za-z0-9_.-]+)\s*(.*)", dep)
        specs[m.group(1).lower()] = m.group(2).replace(" ", "")
    return specs, pip_part


def test_environment_yml_lists_the_same_runtime_packages_and_bounds():
    runtime = [Requirement(r) for r in _pyproject()["project"]["dependencies"]]
    conda, _ = _conda_specs()
    expected = {CONDA_NAMES.get(r.name.lower(), r.name.lower()): str(r.specifier) for r in runtime}
    listed = {k: v for k, v in conda.items() if k not in {"python", "pip"}}
    assert listed == expected


def test_environment_yml_uses_conda_forge_python_and_installs_the_kit():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert env["channels"] == ["conda-forge"]
    conda, pip_part = _conda_specs()
    requires_python = _pyproject()["project"]["requires-python"]
    assert conda["python"] == requires_python
    assert "pip" in conda
    assert pip_part == ["-e ."]


def test_console_script_and_dev_extra():
    project = _pyproject()["project"]
    assert project["scripts"]["roi-kit"] == "roi_kit.cli:main"
    dev = {Requirement(r).name for r in project["optional-dependencies"]["dev"]}
    assert {"pytest", "nbval", "hypothesis", "ruff"} <= dev


def test_every_module_declares_all():
    for path in sorted((ROOT / "roi_kit").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        if path.name == "__main__.py":
            continue
        assert "__all__" in text, f"{path.name} has no __all__"
