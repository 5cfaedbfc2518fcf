"""The class form of a node: declare pins, write `run`. For control flow and nodes with state.

    class Greet(NodeType):
        name = "greet"
        pins = (exec_in(), data_in("who", DataType.STRING, default="world"), exec_out())

        def run(self, ctx, *, who: str) -> None:     # data inputs arrive as keyword arguments
            ctx.info(f"hello {who}")
            ctx.activate("exec_out")

Simple nodes are typed functions instead (`flowlike_core.function_node.node`).
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel, ValidationError

from flowlike_core.board import Node, Pin, PinDirection, PinOptions, new_id
from flowlike_core.shapes import input_shape
from flowlike_core.types import DataType, ValueType, fits, to_json_native
from flowlike_core.wording import noun_for

if TYPE_CHECKING:
    from flowlike_core.context import Context
    from flowlike_core.plan import NodePlan
    from flowlike_core.policy import Capability

EXEC_OUT = "exec_out"
"""The exec output a step in control flow fires when it is done."""
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

    def __post_init__(self) -> None:
        """Types given by their names ("Integer", "Array") are taken as the types; a name of none fails here, where the
        pin is declared (it left a node type that broke whatever listed the catalog after it)."""
        for field_name, kind in (("data_type", DataType), ("value_type", ValueType)):
            given = getattr(self, field_name)
            if not isinstance(given, kind):
                try:
                    object.__setattr__(self, field_name, kind(given))
                except ValueError:
                    names = ", ".join(member.value for member in kind)
                    raise TypeError(f"pin {self.name!r}: {given!r} is not a {kind.__name__} ({names})") from None

    def keyed(self, key: str) -> PinSpec:
        """This pin as the pin of one key (`NodeType.keyed_input`): named and titled by the key."""
        return dataclasses.replace(self, name=key, friendly_name=key)

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


def exec_out(name: str = EXEC_OUT, friendly_name: str = "", description: str = "") -> PinSpec:
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
    synonyms: ClassVar[tuple[str, ...]] = ()
    """Words users type for this node that its name does not hold ("if" for Branch, "sleep" for Delay): searches
    find it by them, just below a node so named. Lower case."""
    pins: ClassVar[tuple[PinSpec, ...]] = ()
    is_event: ClassVar[bool] = False
    """Event nodes are where runs start."""
    pack: ClassVar[str] = ""
    """Set by the registry: which pack the type came from."""
    capabilities: ClassVar[frozenset[Capability]] = frozenset()
    """What the node reaches beyond its inputs (network, files outside the store, processes, native code): a
    run's policy may refuse it (`flowlike_core.policy`). A pack module's `CAPABILITIES` is the default."""
    cacheable: ClassVar[bool | None] = None
    """Whether the result cache may reuse its results (`flowlike_core.cache`). None: pure nodes yes, unless they
    reach the network, files or processes; exec nodes no. False: it always runs (random, time, fake data, ids);
    True on an exec node: it is idempotent. A pack module's `CACHEABLE` is the default."""
    pack_version: ClassVar[str] = ""
    """Set by the registry: the version of the pack the type came from (a new one invalidates cached results)."""
    keyed_input: ClassVar[PinSpec | None] = None
    """What its nodes' input pins of any name are like: pins a node carries besides the declared ones, one per key
    (Flow-Like's pins per placeholder of Format String). `@node` sets it from a `**name` parameter, which receives
    them; `create(key=value)` makes one, and a Flow-Like board brings its own."""
    input_shapes: ClassVar[dict[str, type]] = {}
    """Inputs whose type hint declares a Struct shape (`dict` or a pydantic model), by pin name: the run delivers
    them in that shape (`flowlike_core.shapes`). Set from `run`'s keyword hints, or by `@node`."""

    @classmethod
    def typed_default(cls, name: str, value: Any) -> Any:
        """`value` as input `name` keeps it: what the input's declared Struct model takes (a path typed as text for a
        FlowPath) in that model's JSON form; anything else as it is (the pin's type check then judges it)."""
        shape = cls.input_shapes.get(name)
        if value is None or isinstance(value, dict) or not (isinstance(shape, type) and issubclass(shape, BaseModel)):
            return value
        try:
            return shape.model_validate(value).model_dump(mode="json")
        except ValidationError:
            return value

    @classmethod
    def keys_for(cls, values: dict[str, Any]) -> list[str] | None:
        """The keys a node with these typed-in input values carries pins for (`keyed_input`), when the type derives
        them, as Format String does from its template's placeholders; None: they are the user's to choose.
        `create` and `commands.SetKeys` follow it."""
        return None

    def run(self, ctx: Context) -> Awaitable[None] | None:
        raise NotImplementedError(f"node type {self.name!r} does not implement run()")

    def specialize(self, plan: NodePlan) -> Callable[[Context], Awaitable[None] | None]:
        """What the executor calls to run this node as `plan` wires it: `run`, or, when `run` takes its inputs as
        keyword arguments (single pins, no declared shapes), `run` called with them read straight from the run's
        values (`flowlike_core.specialize`)."""
        run = type(self).run
        keywords: tuple[str, ...] | None = getattr(run, "keyword_inputs", None)
        if keywords is None:
            return self.run
        from flowlike_core.specialize import method_run

        return method_run(plan, run.__wrapped__, self, tuple((name, name) for name in keywords))

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        run = cls.__dict__.get("run")
        if run is not None:
            cls.input_shapes = _keyword_shapes(run)
            cls.run = _with_inputs(run, cls.pins, cls.input_shapes)  # type: ignore[method-assign]

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
    def input_names(cls) -> frozenset[str]:
        """The names of the inputs it declares, exec inputs too: a node's other inputs are its pins of keys."""
        return frozenset(spec.name for spec in cls.pin_specs() if spec.direction is PinDirection.INPUT)

    @classmethod
    def is_pure(cls) -> bool:
        return not any(p.data_type is DataType.EXECUTION for p in cls.pin_specs())

    @classmethod
    def create(cls, *, node_id: str | None = None, coordinates: tuple[float, float, float] = (0, 0, 0),
               friendly_name: str | None = None, **defaults: Any) -> Node:
        """A new board Node of this type; keyword arguments set input pin defaults by pin name (other names make pins
        of those keys, for a type with a `keyed_input`; a default of None leaves one to be wired)."""
        specs = cls.pin_specs()
        inputs = {s.name for s in specs if s.direction is PinDirection.INPUT and s.data_type is not DataType.EXECUTION}
        unknown = set(defaults) - inputs
        if cls.keyed_input is not None:
            keys = [key for key in defaults if key in unknown]
            derived = cls.keys_for({**{s.name: s.default for s in specs}, **defaults})
            keys += [key for key in derived or () if key not in unknown]
            specs += tuple(cls.keyed_input.keyed(key) for key in keys)
        elif unknown:
            from flowlike_core.errors import UnknownPinError

            raise UnknownPinError(
                f"node type {cls.name!r} has no input {', '.join(sorted(unknown))} "
                f"(inputs: {', '.join(sorted(inputs))})"
            )
        if defaults:
            from flowlike_core.commands import json_default

            defaults = {name: json_default(cls.typed_default(name, value), f"the default of input {name!r} of "
                                                                           f"{cls.name!r}")
                        for name, value in defaults.items()}
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
            "capabilities": sorted(c.value for c in cls.capabilities),
            "pins": [spec.describe() for spec in cls.pin_specs()],
            **({"keyed_input": cls.keyed_input.describe()} if cls.keyed_input is not None else {}),
        }


def _keyword_shapes(run: Callable[..., Any]) -> dict[str, type]:
    """The Struct shapes `run`'s keyword-only parameters declare (hints it cannot resolve declare none)."""
    shapes = {}
    for param in inspect.signature(run).parameters.values():
        hint = param.annotation
        if param.kind is not param.KEYWORD_ONLY or hint is param.empty:
            continue
        if isinstance(hint, str):
            try:
                hint = eval(hint, run.__globals__)  # a type hint of the module's own code
            except Exception:  # a name imported only for type checkers: not a shape to deliver
                continue
        shape = input_shape(hint)
        if shape is not None:
            shapes[param.name] = shape
    return shapes


def _with_inputs(run: Callable[..., Any], pins: tuple[PinSpec, ...], shapes: dict[str, type]) -> Callable[..., Any]:
    """`run(self, ctx, *, name, ...)` called as `run(self, ctx)`: keyword-only parameters read the inputs
    of that name (a variadic group arrives as a list, an input of a declared Struct shape in that shape)."""
    names = [p.name for p in inspect.signature(run).parameters.values() if p.kind is p.KEYWORD_ONLY]
    if not names:
        return run
    counts = {name: sum(1 for p in pins if p.name == name and p.direction is PinDirection.INPUT) for name in names}
    missing = [name for name, count in counts.items() if count == 0]
    if missing:
        raise TypeError(f"{run.__qualname__}: no input pin for keyword {noun_for(len(missing), 'argument')} "
                        f"{', '.join(missing)}")
    single = tuple(name for name in names if counts[name] == 1 and name not in shapes)
    shaped = tuple(name for name in names if counts[name] == 1 and name in shapes)
    group = tuple(name for name in names if counts[name] > 1)

    def plain_inputs(ctx: Context) -> dict[str, Any]:
        values = {name: ctx.get_input(name) for name in single}
        for name in group:
            values[name] = ctx.get_inputs(name)
        return values

    def shaped_inputs(ctx: Context) -> dict[str, Any]:
        values = plain_inputs(ctx)
        for name in shaped:
            values[name] = ctx.get_shaped_input(name)
        return values

    inputs = shaped_inputs if shaped else plain_inputs

    if inspect.iscoroutinefunction(run):
        @functools.wraps(run)
        async def run_async(self: NodeType, ctx: Context) -> None:
            await run(self, ctx, **inputs(ctx))

        wrapper: Any = run_async
    else:
        @functools.wraps(run)
        def run_sync(self: NodeType, ctx: Context) -> Any:
            return run(self, ctx, **inputs(ctx))

        wrapper = run_sync
    if not shaped and not group:
        wrapper.keyword_inputs = single  # what `NodeType.specialize` reads them from
    return wrapper
