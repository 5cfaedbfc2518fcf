"""catalog/README.md shows a function node, a class node and a pack copied from the std pack: every definition in
its Python blocks is, up to whitespace, in the std pack's source, so the guide cannot drift from the real code."""

from __future__ import annotations

import ast
import re
from pathlib import Path

CATALOG = Path(__file__).resolve().parents[2] / "catalog"
"""The checkout's catalog folder (the guide is a document of the repository, not of the installed package)."""
GUIDE = CATALOG / "README.md"


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def definitions(block: str) -> list[str]:
    """The block's top-level definitions (functions and classes with their decorators, assignments) as written."""
    found = []
    for statement in ast.parse(block).body:
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Assign):
            decorated = getattr(statement, "decorator_list", ())
            decorators = "".join(f"@{ast.get_source_segment(block, d)} " for d in decorated)
            found.append(decorators + ast.get_source_segment(block, statement))
    return found


def test_the_guide_copies_its_examples_from_the_std_pack():
    std = {path.name: flat(path.read_text(encoding="utf-8")) for path in (CATALOG / "std").glob("*.py")}
    blocks = re.findall(r"```python\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)
    copied = [d for block in blocks for d in definitions(block)]
    shown = ("def int_clamp", "def string_regex_match", "class Branch", "PACK = Pack(")
    assert [word for word in shown if not any(word in d for d in copied)] == []
    assert [d.splitlines()[0] for d in copied if not any(flat(d) in text for text in std.values())] == []


def test_the_pack_block_is_the_std_pack_module_whole():
    blocks = re.findall(r"```python\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)
    pack = next(block for block in blocks if "PACK = Pack(" in block)
    assert flat(pack) in flat((CATALOG / "std" / "__init__.py").read_text(encoding="utf-8"))
