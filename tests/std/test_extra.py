"""A node whose std-extra library is missing fails alone, saying what to install; the pack imports without it."""

from __future__ import annotations

import subprocess
import sys

import pytest
from flowlike_catalog.std.extra import extra


def test_a_missing_library_names_the_extra():
    with pytest.raises(ImportError, match="needs the 'no_such_library_here' library: pip install "
                                         "'flowlike-nb\\[std-extra\\]'"):
        extra("no_such_library_here")
    assert extra("json").dumps([1]) == "[1]"


def test_importing_the_pack_loads_none_of_the_extra_libraries():
    heavy = ["faker", "rapidfuzz", "jinja2", "numpy", "blake3", "xxhash", "json_repair", "genson", "markdownify",
             "cuid2", "re2", "jsonschema"]
    code = ("import sys, flowlike_catalog.std; "
            f"print(sorted(m for m in {heavy!r} if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"
