"""No pack spells out what the engine derives anyway. A function node's title comes from the function's name, a
pin's from the pin's name (`name.replace("_", " ").title()`): checked where such names are written, in
`@node(friendly_name=...)`, `data_in`/`data_out(..., friendly_name=...)` and `Pin("...")` on a parameter or a
NamedTuple field. A pin typed by a pydantic model gets the model's JSON Schema: `Annotated[Model,
Pin(schema=Model.model_json_schema())]` (or a constant bound to it) says it twice."""

from __future__ import annotations

import ast
from pathlib import Path

import flowlike_catalog

CATALOG = Path(flowlike_catalog.__file__).parent


def title(name: str) -> str:
    return name.replace("_", " ").title()


def text(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def keyword(call: ast.Call, name: str) -> str | None:
    return next((text(k.value) for k in call.keywords if k.arg == name), None)


def callee(call: ast.Call) -> str:
    return call.func.id if isinstance(call.func, ast.Name) else ""


def pin_of(annotation: ast.AST | None) -> ast.Call | None:
    """The `Pin(...)` of `Annotated[T, Pin(...)]`."""
    if isinstance(annotation, ast.Subscript) and isinstance(annotation.slice, ast.Tuple):
        return next((e for e in annotation.slice.elts if isinstance(e, ast.Call) and callee(e) == "Pin"), None)
    return None


def pin_friendly(pin: ast.Call) -> str | None:
    return keyword(pin, "friendly_name") or (text(pin.args[0]) if pin.args else None)


def redundant_names(source: str, where: str) -> list[str]:
    found = []
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for decorator in node.decorator_list:
                if isinstance(decorator, ast.Call) and callee(decorator) == "node" \
                        and keyword(decorator, "friendly_name") == title(node.name):
                    found.append(f"{where}:{decorator.lineno} @node friendly_name {title(node.name)!r}")
            for arg in [*node.args.args, *node.args.kwonlyargs]:
                pin = pin_of(arg.annotation)
                if pin is not None and pin_friendly(pin) == title(keyword(pin, "name") or arg.arg):
                    found.append(f"{where}:{pin.lineno} Pin {pin_friendly(pin)!r} on {arg.arg}")
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):  # a NamedTuple field
            pin = pin_of(node.annotation)
            if pin is not None and pin_friendly(pin) == title(keyword(pin, "name") or node.target.id):
                found.append(f"{where}:{pin.lineno} Pin {pin_friendly(pin)!r} on {node.target.id}")
        elif isinstance(node, ast.Call) and callee(node) in ("data_in", "data_out") and node.args:
            name = text(node.args[0])
            if name is not None and keyword(node, "friendly_name") == title(name):
                found.append(f"{where}:{node.lineno} {callee(node)}({name!r}) friendly_name {title(name)!r}")
    return found


def test_the_check_finds_each_kind_of_redundant_name():
    source = '''
@node(friendly_name="Int Add")
def int_add(a: Annotated[int, Pin("A")], b: Annotated[int, Pin("First", name="first")] = 0) -> int: ...

class Out(NamedTuple):
    total_sum: Annotated[int, Pin("Total Sum")]

PINS = (data_in("max_count", DataType.INTEGER, friendly_name="Max Count"), data_out("x", DataType.STRING))

@node(friendly_name="Add")
def int_plus(a: Annotated[int, Pin("Left")]) -> int: ...
'''
    assert [line.split(" ", 1)[1] for line in redundant_names(source, "m.py")] == [
        "@node friendly_name 'Int Add'", "Pin 'A' on a", "Pin 'First' on b", "Pin 'Total Sum' on total_sum",
        "data_in('max_count') friendly_name 'Max Count'"]


def test_no_pack_repeats_a_derived_friendly_name():
    found = [line for path in sorted(CATALOG.rglob("*.py"))
             for line in redundant_names(path.read_text(encoding="utf-8"), str(path.relative_to(CATALOG)))]
    assert found == []


def repeated_schemas(source: str, where: str) -> list[str]:
    """`Annotated[M, Pin(schema=...)]` whose schema is `M.model_json_schema()`, inline or a module constant."""
    tree = ast.parse(source)

    def model_of(expr: ast.AST, constants: dict[str, str]) -> str | None:
        if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and not expr.args \
                and expr.func.attr == "model_json_schema" and isinstance(expr.func.value, ast.Name):
            return expr.func.value.id
        return constants.get(expr.id) if isinstance(expr, ast.Name) else None

    constants = {s.targets[0].id: model for s in tree.body if isinstance(s, ast.Assign) and len(s.targets) == 1
                 and isinstance(s.targets[0], ast.Name) and (model := model_of(s.value, {}))}
    found = []
    for node in ast.walk(tree):
        pin = pin_of(node)
        if pin is not None and isinstance(node.slice.elts[0], ast.Name):  # type: ignore[attr-defined]
            hint = node.slice.elts[0].id  # type: ignore[attr-defined]
            if any(k.arg == "schema" and model_of(k.value, constants) == hint for k in pin.keywords):
                found.append(f"{where}:{pin.lineno} Pin(schema=...) of {hint}, which its hint gives")
    return found


def test_the_schema_check_finds_a_repeated_schema():
    source = '''
SCHEMA = Pet.model_json_schema()
PetIn = Annotated[Pet, Pin(schema=SCHEMA)]
def f(a: Annotated[Pet, Pin(schema=Pet.model_json_schema())], b: Annotated[dict, Pin(schema=SCHEMA)]) -> None: ...
'''
    assert [line.split(" ", 1)[1] for line in repeated_schemas(source, "m.py")] == [
        "Pin(schema=...) of Pet, which its hint gives", "Pin(schema=...) of Pet, which its hint gives"]


def test_no_pack_repeats_a_schema_its_hint_gives():
    found = [line for path in sorted(CATALOG.rglob("*.py"))
             for line in repeated_schemas(path.read_text(encoding="utf-8"), str(path.relative_to(CATALOG)))]
    assert found == []
