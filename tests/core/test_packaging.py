"""The wheel ships every package of the source tree (pyproject's explicit package list misses none), and nothing
else."""

from __future__ import annotations

import importlib
import tomllib
from pathlib import Path

import flowlike_catalog
import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_every_source_package_is_in_the_wheel() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"])
    found = set()
    for name, folder in config["package-dir"].items():
        for init in (ROOT / folder).rglob("__init__.py"):
            parts = init.parent.relative_to(ROOT / folder).parts
            found.add(".".join((name, *parts)))
    assert found - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"


PACKAGES = {"flowlike_core": "flowlike_core", "flowlike_catalog": "catalog", "flowlike_nb": "flowlike_nb"}


@pytest.mark.skipif(Path(flowlike_catalog.__file__).parent == ROOT / "catalog",
                    reason="flowlike-nb is installed editable: the wheel's files are tested where CI installs it")
def test_the_wheel_ships_no_module_the_source_tree_lacks() -> None:
    """A wheel built in a checkout whose build/lib holds a module since renamed or removed shipped it too (setuptools
    copies into build/lib and never empties it): an import of the old name worked from the wheel alone."""
    shipped = {f"{folder}/{path.relative_to(Path(module.__file__).parent).as_posix()}"
               for name, folder in PACKAGES.items() for module in [importlib.import_module(name)]
               for path in Path(module.__file__).parent.rglob("*.py")}
    assert {path for path in shipped if not (ROOT / path).is_file()} == set()
