"""The wheel ships the index of its packs (`flowlike_core.pack_index.ship`) and their node descriptions
(`flowlike_core.pack_descriptions.ship`): made here, from the packages just built, so that the first command after
an install loads only the packs it needs, and `flowlike catalog` none. Everything else is in pyproject.toml."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

from setuptools import setup
from setuptools.command.build_py import build_py

SHIP = """
import json, sys
from importlib.metadata import EntryPoint
from pathlib import Path
from flowlike_core import pack_descriptions, pack_index
folder, distribution, version, entries = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
entries = [EntryPoint(name, value, "flowlike.packs") for name, value in entries]
for path in pack_index.ship(Path(folder), entries, distribution, version):
    print(f"pack index: {path}")
for path in pack_descriptions.ship(Path(folder), entries, distribution, version):
    print(f"node descriptions: {path}")
"""


class BuildPyWithPackIndex(build_py):
    """build_py into an emptied build folder, then the pack index and node descriptions of the built packs (imported
    in a process of their own, from the build folder; an editable install ships none: its sources change under one
    version)."""

    def run(self) -> None:
        editable = getattr(self, "editable_mode", False)
        if not editable:  # a module renamed or removed since the last build would stay in build/lib, and ship
            shutil.rmtree(self.build_lib, ignore_errors=True)
        super().run()
        if editable:
            return
        entries = self.distribution.entry_points.get("flowlike.packs", [])
        pairs = [[part.strip() for part in line.split("=", 1)] for line in entries]
        folder = os.path.abspath(self.build_lib)
        path = os.pathsep.join(filter(None, (folder, os.environ.get("PYTHONPATH"))))
        made = subprocess.run([sys.executable, "-c", SHIP, folder, self.distribution.get_name(),
                               self.distribution.get_version(), json.dumps(pairs)],
                              cwd=folder, env={**os.environ, "PYTHONPATH": path}, check=False)
        if made.returncode:
            raise SystemExit("the wheel's pack index or node descriptions could not be made (see above): every pack "
                             "must load with the core's dependencies alone, which pyproject.toml's build-system "
                             "requires")


setup(cmdclass={"build_py": BuildPyWithPackIndex})
