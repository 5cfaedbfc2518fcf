"""Every node type declares what its code reaches: the test reads the code of each type of every installed pack
(its function or class, and the catalog helpers it calls, transitively) and finds what it uses for the network,
files, processes and native code; each such use must be covered by the type's declared capabilities."""

from __future__ import annotations

import ast
import builtins
import contextlib
import functools
import importlib
import inspect
import sys
import textwrap
import types
from collections.abc import Iterator
from typing import Any

from flowlike_core import NodeType, Registry, node
from flowlike_core.policy import Capability
from flowlike_core.registry import installed_packs

USES: dict[Capability, tuple[str, ...]] = {
    Capability.NETWORK: (
        "httpx", "requests", "aiohttp", "websockets", "websocket", "smtplib", "aiosmtplib", "imaplib", "aioimaplib",
        "socket", "ssl", "paho", "aiomqtt", "psycopg", "pymysql", "clickhouse_connect", "urllib.request", "ftplib",
        "paramiko", "asyncssh", "boto3", "botocore", "s3fs", "gcsfs", "adlfs", "openai", "ollama", "geopy",
        "caldav", "nats", "redis", "kafka", "aiokafka", "zmq", "grpc"),
    Capability.FILES: (
        "builtins.open", "io.open", "os.listdir", "os.scandir", "os.walk", "os.remove", "os.unlink", "os.rename",
        "os.replace", "os.makedirs", "os.mkdir", "os.rmdir", "shutil", "glob", "sqlite3.connect", "lancedb.connect",
        "flowlike_core.policy.allowed_path", ".read_text", ".read_bytes", ".write_text", ".write_bytes"),
    Capability.PROCESSES: (
        "subprocess", "os.system", "os.popen", "os.exec", "os.spawn", "os.fork", "multiprocessing", "pty",
        "asyncio.create_subprocess_exec", "asyncio.create_subprocess_shell"),
    Capability.NATIVE: (
        "onnxruntime", "ctypes", "cffi", "joblib.load", "skops.io.load", "skops.io.loads", "pickle.load",
        "pickle.loads", "cloudpickle", "torch.load", "llama_cpp", "tensorflow",
        "flowlike_catalog.onnx.session.session_of"),  # a live onnxruntime session: what runs it runs native code
}
"""What code uses to reach each capability: module names and dotted names (a prefix matches what starts with it
and a dot); a leading dot matches a method of that name on any object (Path and fsspec files alike)."""


def matches(name: str, use: str) -> bool:
    if use.startswith("."):
        return name.endswith(use)
    return name == use or name.startswith(use + ".") or (use.startswith("os.") and name.startswith(use))


def code_of(node_type: type[NodeType]) -> Any:
    """The function of an `@node` type, else the class itself (its methods are its code)."""
    return getattr(node_type, "func", None) or node_type


def reached(code: Any) -> frozenset[Capability]:
    """The capabilities a function or class uses, with those of the catalog helpers it calls, transitively."""
    found: set[Capability] = set()
    seen, todo = {code}, [code]
    while todo:
        current = todo.pop()
        found |= direct_uses(current)
        for helper in helpers(current):
            if helper not in seen:
                seen.add(helper)
                todo.append(helper)
    return frozenset(found)


@functools.cache
def direct_uses(code: Any) -> frozenset[Capability]:
    return frozenset(capability for name in dotted_names(code) for capability, uses in USES.items()
                     if any(matches(name, use) for use in uses))


@functools.cache
def parsed(code: Any) -> ast.AST:
    return ast.parse(textwrap.dedent(inspect.getsource(code)))


def dotted_names(code: Any) -> Iterator[str]:
    """Every name the code uses, spelled from its module: `subprocess.run`, `onnxruntime.InferenceSession`,
    `builtins.open`, `flowlike_core.policy.allowed_path`, `.read_text` for a method of a local object."""
    namespace = vars(sys.modules[code.__module__])
    local: dict[str, str] = {}
    tree = parsed(code)
    for item in ast.walk(tree):
        if isinstance(item, ast.Import):
            for alias in item.names:
                bound = alias.asname or alias.name.split(".")[0]
                local[bound] = alias.name if alias.asname else bound
                yield alias.name
        elif isinstance(item, ast.ImportFrom) and item.module:
            for alias in item.names:
                local[alias.asname or alias.name] = f"{item.module}.{alias.name}"
                yield f"{item.module}.{alias.name}"
    for item in ast.walk(tree):
        if isinstance(item, ast.Attribute | ast.Name) and not isinstance(getattr(item, "ctx", None), ast.Store):
            parts: list[str] = []
            head: ast.AST = item
            while isinstance(head, ast.Attribute):
                parts.append(head.attr)
                head = head.value
            if not isinstance(head, ast.Name):
                if parts and isinstance(head, ast.Call):  # Path(p).read_text(); not (package data / "x").read_bytes()
                    yield "." + parts[0]
                continue
            yield ".".join([spelled(head.id, local, namespace), *reversed(parts)])


def spelled(name: str, local: dict[str, str], namespace: dict[str, Any]) -> str:
    """A name as its module would spell it in full: modules by their name, imported functions by theirs."""
    if name in local:
        return local[name]
    value = namespace.get(name, getattr(builtins, name, None) if name not in namespace else None)
    if isinstance(value, types.ModuleType):
        return value.__name__
    if value is getattr(builtins, name, object()):
        return f"builtins.{name}"
    module = getattr(value, "__module__", None)
    if module and callable(value) and getattr(value, "__qualname__", None):
        return f"{module}.{value.__qualname__}"
    return f"?.{name}"  # a local variable or parameter: its methods count through the leading-dot uses


@functools.cache
def helpers(code: Any) -> tuple[Any, ...]:
    """The catalog functions and classes the code refers to (by name, through a catalog module, or imported in
    its body); not node types: those declare their own."""
    found = []
    for name in dotted_names(code):
        value = resolved(name)
        value = inspect.unwrap(value) if callable(value) and hasattr(value, "__wrapped__") else value
        module = getattr(value, "__module__", None) or ""
        if value is code or not (module.startswith("flowlike_catalog") or module == code.__module__):
            continue
        if isinstance(value, type) and issubclass(value, NodeType):
            continue
        if inspect.isfunction(value) or inspect.isclass(value):
            found.append(value)
    return tuple(dict.fromkeys(found))


def resolved(name: str) -> Any:
    """The object a full dotted name names, when its module is loaded (None otherwise)."""
    parts = name.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        module_name = ".".join(parts[:cut])
        module = sys.modules.get(module_name)
        if module is None and module_name.startswith("flowlike_catalog."):
            with contextlib.suppress(ImportError):  # imported in a function body: light, as catalog modules are
                module = importlib.import_module(module_name)
        if module is not None:
            value: Any = module
            for part in parts[cut:]:
                value = getattr(value, part, None)
            return value
    return None


def undeclared() -> dict[str, list[str]]:
    """The installed packs' node types (a fresh registry: not what earlier tests registered in the default one)."""
    missing = {}
    for node_type in Registry(installed_packs()):
        lacking = reached(code_of(node_type)) - node_type.capabilities
        if lacking:
            missing[f"{node_type.name} ({node_type.__module__})"] = sorted(c.value for c in lacking)
    return missing


def test_every_node_type_declares_what_its_code_reaches() -> None:
    missing = undeclared()
    assert missing == {}, ("these node types use what they do not declare: add capabilities=[...] to their @node "
                           f"(or `capabilities` to the class, or CAPABILITIES to the module): {missing}")


def run_tool(name: str) -> str:
    import subprocess

    return subprocess.run([name], capture_output=True, text=True, check=False).stdout


@node
def quiet_tool(name: str = "true") -> str:
    return run_tool(name)


@node(capabilities=["processes"])
def honest_tool(name: str = "true") -> str:
    return run_tool(name)


def test_the_audit_finds_an_undeclared_use() -> None:
    """The audit itself: a type that starts a process without saying so is caught, through a helper too."""
    assert reached(run_tool) == {Capability.PROCESSES}
    assert reached(code_of(quiet_tool)) - quiet_tool.capabilities == {Capability.PROCESSES}
    assert reached(code_of(honest_tool)) - honest_tool.capabilities == set()
