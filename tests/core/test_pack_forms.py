"""Every pack is written only with the public node forms, so each is an example a third party can copy: the function
form (`@node` from flowlike_core, under that name) and the class form (a `class` statement subclassing NodeType),
collected by `Pack(..., modules=[...])`; no `type()` node classes, no private builders, no hand-kept `NODES` lists,
no registration while a module is imported."""

from __future__ import annotations

import ast
import sys
from importlib.metadata import entry_points
from pathlib import Path

import flowlike_catalog
import pytest

from flowlike_core.function_node import FunctionNode

CATALOG = Path(flowlike_catalog.__file__).parent
PUBLIC_ENGINE = "flowlike_core"
"""The one module packs import node-making names from (flowlike_core.node only for its constants and NodeType)."""


def module_problems(source: str) -> list[str]:
    """What a pack module does that the public forms do not: read from its source."""
    problems = []
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(PUBLIC_ENGINE):
            for alias in node.names:
                if alias.name == "node" and alias.asname not in (None, "node"):
                    problems.append(f"line {node.lineno}: imports node as {alias.asname}")
            if node.module in ("flowlike_core.function_node", "flowlike_core._build"):
                problems.append(f"line {node.lineno}: imports the engine's private {node.module}")
    for statement in tree.body:
        targets = statement.targets if isinstance(statement, ast.Assign) else \
            [statement.target] if isinstance(statement, ast.AnnAssign) else []
        if any(isinstance(t, ast.Name) and t.id == "NODES" for t in targets):
            problems.append(f"line {statement.lineno}: a hand-kept NODES list")
        calls = [n for n in ast.walk(statement) if isinstance(n, ast.Call)] \
            if not isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) else []
        for call in calls:
            name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
            if name in ("default_registry", "register") or name == "type" and len(call.args) == 3:
                problems.append(f"line {statement.lineno}: {name}() while the module is imported")
    return problems


def test_the_source_check_finds_each_private_form():
    source = """
from flowlike_core import node as make_node
from flowlike_core.function_node import node
NODES = [a, b]
Maker = type("Maker", (NodeType,), {"name": "maker"})
default_registry().register(Maker)
def later():
    default_registry()
"""
    assert module_problems(source) == [
        "line 2: imports node as make_node", "line 3: imports the engine's private flowlike_core.function_node",
        "line 4: a hand-kept NODES list", "line 5: type() while the module is imported",
        "line 6: register() while the module is imported",
        "line 6: default_registry() while the module is imported"]


@pytest.mark.parametrize("path", sorted(CATALOG.rglob("*.py")), ids=lambda p: str(p.relative_to(CATALOG)))
def test_pack_modules_use_the_public_forms(path: Path) -> None:
    assert module_problems(path.read_text(encoding="utf-8")) == []


def test_every_node_type_is_a_function_node_or_a_class_statement():
    """A class-form type is a `class` statement at its module's top level (not `type()`, not made in a loop)."""
    made_otherwise = []
    for entry in entry_points(group="flowlike.packs"):
        for node_type in entry.load().nodes:
            if issubclass(node_type, FunctionNode):
                continue
            module = sys.modules[node_type.__module__]
            classes = {s.name for s in ast.parse(Path(module.__file__).read_text(encoding="utf-8")).body
                       if isinstance(s, ast.ClassDef)}
            if node_type.__qualname__ not in classes:
                made_otherwise.append(f"{entry.name}: {node_type.name} ({node_type.__module__})")
    assert made_otherwise == []
