"""The node API: declare pins, write `run(ctx)`. A class for full control, `@node` for a typed function.

    class Greet(NodeType):
        name = "greet"
        pins = (exec_in(), data_in("who", DataType.STRING, default="world"), exec_out())
        def run(self, ctx):
            ctx.info(f"hello {ctx.get_input('who')}")
            ctx.activate("exec_out")

    @node(category="Math")
    def add(a: int, b: int = 1) -> int:
        "Add two integers."
        return a + b
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from flowlike_core.board import Node, Pin, PinDirection, PinOptions, new_id
from flowlike_core.types import DataType, ValueType, fits, pin_type_of, to_json_native

if TYPE_CHECKING:
    from flowlike_core.context import Context

ERROR_EXEC = "auto_handle_error"
ERROR_MESSAGE = "auto_handle_error_string"


@dataclass(frozen=True)
class PinSpec:
    """A pin as a node type declares it; `Node` pins are instances of these."""

    name: str
    direction: PinDirection
    data_type: DataType
    value_type: ValueType = ValueType.NORMAL
    friendly_name: str = ""
    description: str = ""
    default: Any = None
    schema: dict[str, Any] | None = None
    options: PinOptions | None = None
    generic: str | None = None

    def to_pin(self, index: int, default: Any = None) -> Pin:
        value = self.default if default is None else default
        return Pin(
            id=new_id(),
            name=self.name,
            friendly_name=self.friendly_name or self.name.replace("_", " ").title(),
            description=self.description,
            direction=self.direction,
            data_type=self.data_type,
            value_type=self.value_type,
            schema=self.schema,
            default_value=to_json_native(value) if self.direction is PinDirection.INPUT else None,
            index=index,
            options=self.options,
            generic=self.generic,
        )

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "friendly_name": self.friendly_name or self.name.replace("_", " ").title(),
            "description": self.description,
            "direction": self.direction.value,
            "data_type": self.data_type.value,
            "value_type": self.value_type.value,
            "schema": self.schema,
            "default_value": to_json_native(self.default),
            "generic": self.generic,
            "options": self.options.model_dump(mode="json") if self.options else None,
        }


def exec_in(name: str = "exec_in", friendly_name: str = "", description: str = "") -> PinSpec:
    return PinSpec(name, PinDirection.INPUT, DataType.EXECUTION, friendly_name=friendly_name or " ",
                   description=description)


def exec_out(name: str = "exec_out", friendly_name: str = "", description: str = "") -> PinSpec:
    return PinSpec(name, PinDirection.OUTPUT, DataType.EXECUTION, friendly_name=friendly_name or " ",
                   description=description)


def data_in(
    name: str,
    data_type: DataType,
    value_type: ValueType = ValueType.NORMAL,
    *,
    default: Any = None,
    friendly_name: str = "",
    description: str = "",
    schema: dict[str, Any] | None = None,
    options: PinOptions | None = None,
    generic: str | None = None,
    required: bool = False,
) -> PinSpec:
    if required:
        options = (options or PinOptions()).model_copy(update={"required": True})
    return PinSpec(name, PinDirection.INPUT, data_type, value_type, friendly_name, description, default,
                   schema, options, generic)


def data_out(
    name: str,
    data_type: DataType,
    value_type: ValueType = ValueType.NORMAL,
    *,
    friendly_name: str = "",
    description: str = "",
    schema: dict[str, Any] | None = None,
    generic: str | None = None,
) -> PinSpec:
    return PinSpec(name, PinDirection.OUTPUT, data_type, value_type, friendly_name, description,
                   schema=schema, generic=generic)


class NodeType:
    """Base of every node type. Subclasses set the class attributes and implement `run`."""

    name: ClassVar[str]
    friendly_name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    category: ClassVar[str] = ""
    pins: ClassVar[tuple[PinSpec, ...]] = ()
    is_event: ClassVar[bool] = False
    """Event nodes are where runs start."""
    pack: ClassVar[str] = ""
    """Set by the registry: which pack the type came from."""

    def run(self, ctx: Context) -> Awaitable[None] | None:
        raise NotImplementedError(f"node type {self.name!r} does not implement run()")

    @classmethod
    def pin_specs(cls) -> tuple[PinSpec, ...]:
        """Declared pins, plus the error-routing pair every exec node gets (as in Flow-Like)."""
        declared = tuple(cls.pins)
        if any(p.data_type is DataType.EXECUTION and p.direction is PinDirection.INPUT for p in declared):
            names = {p.name for p in declared}
            if ERROR_EXEC not in names:
                declared += (
                    exec_out(ERROR_EXEC, "On Error", "Fires instead of failing the run when this node raises"),
                    data_out(ERROR_MESSAGE, DataType.STRING, friendly_name="Error",
                             description="The message of the error that fired On Error"),
                )
        return declared

    @classmethod
    def is_pure(cls) -> bool:
        return not any(p.data_type is DataType.EXECUTION for p in cls.pin_specs())

    @classmethod
    def create(cls, *, node_id: str | None = None, coordinates: tuple[float, float, float] = (0, 0, 0),
               friendly_name: str | None = None, **defaults: Any) -> Node:
        """A new board Node of this type; keyword arguments set input pin defaults by pin name."""
        specs = cls.pin_specs()
        inputs = {s.name for s in specs if s.direction is PinDirection.INPUT and s.data_type is not DataType.EXECUTION}
        unknown = set(defaults) - inputs
        if unknown:
            from flowlike_core.errors import UnknownPinError

            raise UnknownPinError(
                f"node type {cls.name!r} has no input {', '.join(sorted(unknown))} "
                f"(inputs: {', '.join(sorted(inputs))})"
            )
        pins = [spec.to_pin(i, defaults.get(spec.name) if spec.direction is PinDirection.INPUT else None)
                for i, spec in enumerate(specs)]
        for pin in pins:
            if pin.default_value is not None and not fits(pin.default_value, pin.data_type, pin.value_type):
                from flowlike_core.errors import BoardError

                raise BoardError(f"default {pin.default_value!r} does not fit pin {pin.name!r} "
                                 f"of {cls.name!r}, which takes {pin.type_label()}")
        return Node(
            id=node_id or new_id(),
            name=cls.name,
            friendly_name=friendly_name or cls.friendly_name or cls.name,
            description=cls.description,
            category=cls.category,
            coordinates=tuple(float(c) for c in coordinates),  # type: ignore[arg-type]
            pins={p.id: p for p in pins},
        )

    @classmethod
    def describe(cls) -> dict[str, Any]:
        """The catalog entry: what `flowlike catalog --json` prints and the editor's palette shows."""
        return {
            "name": cls.name,
            "friendly_name": cls.friendly_name or cls.name,
            "description": cls.description,
            "category": cls.category,
            "pack": cls.pack,
            "pure": cls.is_pure(),
            "event": cls.is_event,
            "pins": [spec.describe() for spec in cls.pin_specs()],
        }


# ---- the decorator ---------------------------------------------------------------------------------------


@dataclass
class _Signature:
    inputs: list[PinSpec] = field(default_factory=list)
    outputs: list[PinSpec] = field(default_factory=list)


def _signature(fn: Callable[..., Any], outputs: tuple[str, ...] | None) -> _Signature:
    hints = typing.get_type_hints(fn, include_extras=True)
    sig = _Signature()
    for param in inspect.signature(fn).parameters.values():
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            raise TypeError(f"@node function {fn.__name__!r}: *args and **kwargs cannot become pins")
        data_type, value_type, schema = pin_type_of(hints.get(param.name, typing.Any))
        has_default = param.default is not inspect.Parameter.empty
        sig.inputs.append(data_in(param.name, data_type, value_type, schema=schema,
                                  default=param.default if has_default else None, required=not has_default))
    returns = hints.get("return", typing.Any)
    if returns is type(None):
        return sig
    if outputs and len(outputs) > 1:
        parts = typing.get_args(returns) if typing.get_origin(returns) is tuple else ()
        if len(parts) != len(outputs):
            raise TypeError(f"@node function {fn.__name__!r}: outputs={outputs!r} needs a tuple[...] return "
                            f"annotation with {len(outputs)} items")
        for name, hint in zip(outputs, parts, strict=True):
            data_type, value_type, schema = pin_type_of(hint)
            sig.outputs.append(data_out(name, data_type, value_type, schema=schema))
    else:
        data_type, value_type, schema = pin_type_of(returns)
        sig.outputs.append(data_out(outputs[0] if outputs else "result", data_type, value_type, schema=schema))
    return sig


class FunctionNode(NodeType):
    """A node type made from a typed Python function by `@node`."""

    func: ClassVar[Callable[..., Any]]
    exec_pins: ClassVar[bool] = False

    def run(self, ctx: Context) -> None:
        self._emit(ctx, self.func(**self._arguments(ctx)))

    def _arguments(self, ctx: Context) -> dict[str, Any]:
        return {spec.name: ctx.get_input(spec.name) for spec in self.pins
                if spec.direction is PinDirection.INPUT and spec.data_type is not DataType.EXECUTION}

    def _emit(self, ctx: Context, result: Any) -> None:
        outputs = [s.name for s in self.pins
                   if s.direction is PinDirection.OUTPUT and s.data_type is not DataType.EXECUTION]
        if len(outputs) == 1:
            ctx.set_output(outputs[0], result)
        elif outputs:
            for name, value in zip(outputs, result, strict=True):
                ctx.set_output(name, value)
        if self.exec_pins:
            ctx.activate("exec_out")


class AsyncFunctionNode(FunctionNode):
    """`@node` on an `async def`: awaited by the executor."""

    async def run(self, ctx: Context) -> None:  # type: ignore[override]
        self._emit(ctx, await self.func(**self._arguments(ctx)))


def node(
    fn: Callable[..., Any] | None = None,
    *,
    name: str | None = None,
    friendly_name: str | None = None,
    category: str = "Custom",
    outputs: tuple[str, ...] | None = None,
    exec_pins: bool = False,
    registry: Any = None,
) -> Any:
    """Turn a typed function into a node type: hints become pins, the docstring the description.

    Pure by default; `exec_pins=True` makes a node that takes part in control flow. The new type is
    registered in `registry` (the default registry unless given); re-decorating replaces it in place.
    """

    def make(func: Callable[..., Any]) -> type[FunctionNode]:
        sig = _signature(func, outputs)
        specs = tuple(sig.inputs) + tuple(sig.outputs)
        if exec_pins:
            specs = (exec_in(),) + specs + (exec_out(),)
        attrs = {
            "name": name or func.__name__,
            "friendly_name": friendly_name or func.__name__.replace("_", " ").title(),
            "description": inspect.cleandoc(func.__doc__ or ""),
            "category": category,
            "pins": specs,
            "func": staticmethod(func),
            "exec_pins": exec_pins,
            "__module__": func.__module__,
            "__doc__": func.__doc__,
        }
        base = AsyncFunctionNode if inspect.iscoroutinefunction(func) else FunctionNode
        node_type = type(func.__name__, (base,), attrs)
        from flowlike_core.registry import default_registry

        target = registry if registry is not None else default_registry()
        target.register(node_type, pack=attrs["__module__"], replace=True)
        return node_type

    return make(fn) if fn is not None else make

