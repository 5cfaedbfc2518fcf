"""Flow-Like boards checked for the shape the importer reads, before it reads them: a field that is missing or of
the wrong kind is a `BoardFileError` naming where it is (`nodes['n1'].pins['p1'].data_type`) and what it holds.

Flow-Like keys nodes, pins, variables, comments and layers by id, so an item without an id takes its key; absent
tables and optional fields are left to the importer's defaults (Flow-Like writes many of them as null).
"""

from __future__ import annotations

from typing import Any, NoReturn

from flowlike_core.errors import BoardFileError
from flowlike_core.interop.schema import ENUMS

_TEXT = (str, type(None))
_NUMBER = (int, float)
_NAMES = {str: "text", int: "an integer", float: "a number", dict: "an object", list: "a list"}


class _Checker:
    def __init__(self, source: str) -> None:
        self.source = source
        self.pin_owners: dict[str, tuple[str, str]] = {}
        """The node (id, where) each pin id was seen on: a wire names a pin by id alone, so one id on the pins of
        two nodes is ambiguous (one node listed twice, on the board and in its layer, is not)."""

    def fail(self, where: str, what: str) -> NoReturn:
        raise BoardFileError(f"{self.source}: {where}: {what}")

    def table(self, owner: dict[str, Any], field: str, where: str) -> dict[str, dict[str, Any]]:
        """A map of items by id (None: empty); each item a JSON object whose id, when given, is its key."""
        items = owner.get(field)
        if items is None:
            return {}
        if not isinstance(items, dict):
            self.fail(f"{where}{field}", f"a map from ids to objects was expected, found {_kind(items)}")
        for key, item in items.items():
            if not isinstance(item, dict):
                self.fail(f"{where}{field}[{key!r}]", f"an object was expected, found {_kind(item)}")
            if item.setdefault("id", key) != key:
                self.fail(f"{where}{field}[{key!r}].id", f"{item['id']!r} differs from its key {key!r}")
        return items

    def field(self, item: dict[str, Any], name: str, where: str, kinds: tuple[type, ...], *,
              required: bool = False) -> None:
        value = item.get(name)
        if value is None and required:
            self.fail(f"{where}.{name}", "missing")
        if not isinstance(value, kinds) or isinstance(value, bool) and bool not in kinds:
            expected = " or ".join(_NAMES[k] for k in kinds if k is not type(None))
            self.fail(f"{where}.{name}", f"{expected} was expected, found {_kind(value)}")

    def enum(self, item: dict[str, Any], name: str, where: str, enum: str) -> None:
        value = item.get(name)
        if value is not None and value not in ENUMS[enum]:
            self.fail(f"{where}.{name}", f"{value!r} is not one of {', '.join(ENUMS[enum])}")

    def point(self, item: dict[str, Any], name: str, where: str) -> None:
        value = item.get(name)
        if value is not None and not (isinstance(value, list) and len(value) <= 3
                                      and all(isinstance(v, _NUMBER) and not isinstance(v, bool) for v in value)):
            self.fail(f"{where}.{name}", f"[x, y, z] numbers were expected, found {value!r:.60}")

    def ids(self, item: dict[str, Any], name: str, where: str, what: str = "pin ids") -> None:
        value = item.get(name)
        if value is not None and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            self.fail(f"{where}.{name}", f"a list of {what} was expected, found {value!r:.60}")

    def flags(self, item: dict[str, Any], where: str, *names: str) -> None:
        for name in names:
            value = item.get(name)
            if value is not None and not isinstance(value, bool):
                self.fail(f"{where}.{name}", f"true or false was expected, found {_kind(value)}")

    def time(self, item: dict[str, Any], name: str, where: str) -> None:
        value = item.get(name)
        if value is not None and not (isinstance(value, dict) and all(
                isinstance(value.get(part, 0), int) for part in ("secs_since_epoch", "nanos_since_epoch"))):
            self.fail(f"{where}.{name}", f"{{secs_since_epoch, nanos_since_epoch}} was expected, found {_kind(value)}")

    def typed(self, item: dict[str, Any], where: str) -> None:
        """A pin's or variable's type fields and default (JSON text as a list of byte values)."""
        self.enum(item, "data_type", where, "VariableType")
        self.enum(item, "value_type", where, "ValueType")
        self.field(item, "schema", where, _TEXT)
        self.field(item, "description", where, _TEXT)
        value = item.get("default_value")
        if value is not None and not (isinstance(value, list) and all(
                isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 255 for v in value)):
            self.fail(f"{where}.default_value", f"JSON text as a list of byte values (0-255) was expected, found "
                                                f"{_kind(value)}")

    def node(self, node: dict[str, Any], where: str) -> None:
        self.field(node, "name", where, (str,), required=True)
        if not node["name"]:
            self.fail(f"{where}.name", "empty: a node needs its catalog key")
        for name in ("friendly_name", "description", "category", "comment", "layer"):
            self.field(node, name, where, _TEXT)
        self.point(node, "coordinates", where)
        for pin_id, pin in self.table(node, "pins", f"{where}.").items():
            at = f"{where}.pins[{pin_id!r}]"
            owner_id, owner = self.pin_owners.setdefault(pin_id, (node["id"], where))
            if owner_id != node["id"]:
                self.fail(at, f"the pin id is also the id of a pin of {owner}: a wire to it would be ambiguous")
            self.field(pin, "name", at, (str,), required=True)
            self.field(pin, "friendly_name", at, _TEXT)
            self.enum(pin, "pin_type", at, "PinType")
            self.typed(pin, at)
            self.field(pin, "index", at, (int, type(None)))
            self.field(pin, "options", at, (dict, type(None)))
            self.ids(pin, "depends_on", at)
            self.ids(pin, "connected_to", at)
            options = pin.get("options") or {}
            self.field(options, "valid_values", f"{at}.options", (list, type(None)))
            self.point(options, "range", f"{at}.options")

    def board(self, board: dict[str, Any]) -> None:
        self.field(board, "name", "board", _TEXT)
        self.field(board, "description", "board", _TEXT)
        version = board.get("version")
        if version is not None and not (isinstance(version, list) and len(version) == 3
                                        and all(isinstance(v, int) and v >= 0 for v in version)):
            self.fail("board.version", f"[major, minor, patch] was expected, found {version!r:.60}")
        for name, enum in (("log_level", "LogLevel"), ("stage", "ExecutionStage"), ("execution_mode", "ExecutionMode")):
            self.enum(board, name, "board", enum)
        self.point(board, "viewport", "board")
        self.time(board, "created_at", "board")
        self.time(board, "updated_at", "board")
        self.ids(board, "page_ids", "board", "ids")
        refs = board.get("refs")
        if refs is not None and not isinstance(refs, dict):
            self.fail("board.refs", f"a map from hashes to texts was expected, found {_kind(refs)}")
        for key, text in (refs or {}).items():
            if not isinstance(text, str):
                self.fail(f"board.refs[{key!r}]", f"text was expected, found {_kind(text)}")
        layers = self.table(board, "layers", "")
        for layer_id, layer in layers.items():
            where = f"layers[{layer_id!r}]"
            for name in ("name", "parent_id", "comment", "color"):
                self.field(layer, name, where, _TEXT)
            self.enum(layer, "type", where, "LayerType")
            self.point(layer, "coordinates", where)
            self.table(layer, "pins", f"{where}.")
        for owner, prefix in [(board, ""), *((layer, f"layers[{k!r}].") for k, layer in layers.items())]:
            for node_id, node in self.table(owner, "nodes", prefix).items():
                self.node(node, f"{prefix}nodes[{node_id!r}]")
            for variable_id, variable in self.table(owner, "variables", prefix).items():
                where = f"{prefix}variables[{variable_id!r}]"
                self.field(variable, "name", where, (str,), required=True)
                self.field(variable, "category", where, _TEXT)
                self.typed(variable, where)
                self.flags(variable, where, "exposed", "secret", "editable", "runtime_configured")
            for comment_id, comment in self.table(owner, "comments", prefix).items():
                where = f"{prefix}comments[{comment_id!r}]"
                for name in ("content", "author", "color", "layer"):
                    self.field(comment, name, where, _TEXT)
                self.enum(comment, "comment_type", where, "CommentType")
                self.time(comment, "timestamp", where)
                self.point(comment, "coordinates", where)
                for name in ("width", "height"):
                    self.field(comment, name, where, (*_NUMBER, type(None)))


def check_board(board: Any, source: str) -> None:
    """Raise a `BoardFileError` naming the first field of `board` (Flow-Like's serde form) the importer cannot
    read; fill in ids Flow-Like left to the keys."""
    if not isinstance(board, dict):
        raise BoardFileError(f"{source}: a Flow-Like board is a JSON object, found {_kind(board)}")
    _Checker(source).board(board)


def _kind(value: Any) -> str:
    return "null" if value is None else f"{type(value).__name__} {value!r:.40}"
