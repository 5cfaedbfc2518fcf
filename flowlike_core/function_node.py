"""The function form of a node: a typed Python function becomes a node type.

    @node(friendly_name="+", category="Math/Integer")
    def int_add(integer1: Annotated[int, Pin("A")] = 0, integer2: Annotated[int, Pin("B")] = 0) -> Sum:
        "Adds two integers."
        return Sum(integer1 + integer2)

Parameters become input pins (their Python default the pin default; no default makes the pin required),
the return annotation the outputs (a NamedTuple or dataclass for several, `Annotated[T, Pin(name=...)]` to
name a single one, `None` for none), the docstring the description, the function name the key. `Pin`
carries what a type hint cannot say. `*name` is a variadic group (Flow-Like's repeated pin names), `**name` takes
the pins of any name a node carries (`NodeType.keyed_input`: one per key, as Flow-Like's per placeholder), and a
`TypeVar` hint binds pins to one type variable (Generic pins that take the type of what is wired); a
parameter typed `Context` receives the run's context (logs, progress, variables) instead of a pin.
Decorating only defines the type: a `Pack` or a registry decides where it is used.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import CodeType
from typing import Any, ClassVar

from flowlike_core.board import PinDirection, PinOptions
from flowlike_core.context import Context
from flowlike_core.errors import OutputTypeError
from flowlike_core.node import EXEC_OUT, NodeType, PinSpec, exec_in, exec_out
from flowlike_core.output_types import admits_none, refuse_result
from flowlike_core.plan import NodePlan
from flowlike_core.policy import Capability
from flowlike_core.shapes import input_shape
from flowlike_core.specialize import function_run
from flowlike_core.types import pin_type_of

_UNSET: Any = object()


@dataclass(frozen=True)
class Pin:
    """What a type hint cannot say about a pin: `Annotated[int, Pin("Count", range=(0, 100))]`.

    `name` renames the pin (for Flow-Like names that are Python keywords, like `from`) or names a single
    output; `default` is only for variadic pins, which have no Python default.
    """

    friendly_name: str = ""
    description: str = ""
    name: str = ""
    range: tuple[float, float] | None = None
    step: float | None = None
    valid_values: tuple[Any, ...] | list[Any] | None = None
    sensitive: bool = False
    required: bool | None = None
    schema: dict[str, Any] | None = None
    default: Any = _UNSET
    count: int = 2
    """How many pins a variadic group starts with."""

    def options(self, required: bool) -> PinOptions | None:
        if self.range is None and self.step is None and self.valid_values is None and not self.sensitive \
                and not required:
            return None
        return PinOptions(range=self.range, step=self.step, sensitive=self.sensitive, required=required,
                          valid_values=list(self.valid_values) if self.valid_values is not None else None)


@functools.cache
def _compiled(annotation: str) -> CodeType:
    return compile(annotation, "<annotation>", "eval")


def _function_hints(func: Callable[..., Any], where: str) -> dict[str, Any]:
    """`typing.get_type_hints(func, include_extras=True)`, compiling each annotation string once per process:
    a pack of hundreds of nodes repeats the same few (`int`, `Text`), and compiling them dominated pack loading."""
    try:
        return {name: eval(_compiled(hint), func.__globals__) if isinstance(hint, str) else hint
                for name, hint in func.__annotations__.items()}
    except NameError as exc:
        raise TypeError(f"{where}: cannot read its type hints ({exc}); define the types it uses at module "
                        f"level") from None


def _split(hint: Any) -> tuple[Any, Pin]:
    """A hint without its `Annotated` wrapper, and the `Pin` inside it (or an empty one)."""
    if typing.get_origin(hint) is typing.Annotated:
        base, *extras = typing.get_args(hint)
        return base, next((e for e in extras if isinstance(e, Pin)), Pin())
    return hint, Pin()


def _type_variable(hint: Any) -> str | None:
    """The name of the TypeVar a hint is built on (`T`, `list[T]`, `dict[str, T]`), if any."""
    if isinstance(hint, typing.TypeVar):
        return hint.__name__
    return next(filter(None, (_type_variable(arg) for arg in typing.get_args(hint))), None)


def _is_type(hint: Any) -> bool:
    """Whether a hint names a type (a class, a generic alias such as `list[int]`, a TypeVar, `Any`, `None`), not a
    value written where a type goes (`x: 5`)."""
    return hint is Any or hint is None or isinstance(hint, type | typing.TypeVar | typing.NewType) or \
        typing.get_origin(hint) is not None


def _spec(name: str, direction: PinDirection, hint: Any, default: Any, where: str) -> PinSpec:
    base, pin = _split(hint)
    if not _is_type(base):
        raise TypeError(f"{where}: the hint of pin {name!r} is {base!r}, not a type (write `{name}: int`, "
                        f"`Annotated[int, Pin(...)]`, a pydantic model...)")
    data_type, value_type, schema = pin_type_of(base)
    if pin.default is not _UNSET:
        if default is not _UNSET:
            raise TypeError(f"{where}: pin {name!r} has a Python default and a Pin(default=...); keep one")
        default = pin.default
    is_input = direction is PinDirection.INPUT
    required = (default is _UNSET) if pin.required is None else pin.required
    if typing.get_origin(base) is typing.Literal and pin.valid_values is None:  # the choices the editor offers
        pin = dataclasses.replace(pin, valid_values=typing.get_args(base))
    return PinSpec(
        name=pin.name or name,
        direction=direction,
        data_type=data_type,
        value_type=value_type,
        friendly_name=pin.friendly_name,
        description=pin.description,
        default=None if default is _UNSET else default,
        schema=pin.schema or schema,
        options=pin.options(required and is_input) if is_input else None,
        generic=_type_variable(base),
    )


@dataclass(frozen=True)
class _Inputs:
    specs: tuple[PinSpec, ...]
    keywords: tuple[tuple[str, str], ...]
    """(parameter, pin name) of the inputs passed by keyword."""
    variadic: str | None
    """The pin name of the `*args` group."""
    context: str | None
    """The parameter that receives the run's `Context` (logs, progress, state), if any."""
    shapes: dict[str, type]
    """The Struct shape (`dict` or a pydantic model) of the keyword inputs that declare one, by pin name."""
    keyed: PinSpec | None
    """What the pins the `**name` parameter takes are like, if there is one."""


def _inputs(fn: Callable[..., Any], hints: dict[str, Any], where: str) -> _Inputs:
    specs: list[PinSpec] = []
    keywords: list[tuple[str, str]] = []
    shapes: dict[str, type] = {}
    variadic = context = keyed = None
    for param in inspect.signature(fn).parameters.values():
        if hints.get(param.name) is Context:
            context = param.name
            continue
        default = _UNSET if param.default is param.empty else param.default
        spec = _spec(param.name, PinDirection.INPUT, hints.get(param.name, Any), default, where)
        if param.kind is param.VAR_KEYWORD:
            keyed = spec
        elif param.kind is param.VAR_POSITIONAL:
            specs += [dataclasses.replace(spec, options=None)] * _split(hints.get(param.name, Any))[1].count
            variadic = spec.name
        elif param.kind is param.POSITIONAL_ONLY:
            raise TypeError(f"{where}: positional-only parameter {param.name!r}: pins arrive by name")
        else:
            specs.append(spec)
            keywords.append((param.name, spec.name))
            shape = input_shape(hints.get(param.name))
            if shape is not None:
                shapes[spec.name] = shape
    return _Inputs(tuple(specs), tuple(keywords), variadic, context, shapes, keyed)


def _outputs(returns: Any, where: str) -> tuple[tuple[PinSpec, ...], tuple[str, ...] | None, tuple[str, ...]]:
    """Output pins, for a NamedTuple or dataclass the field names to read them from, and the outputs whose hint
    admits None (`flowlike_core.output_types`)."""
    if returns is None or returns is type(None):
        return (), None, ()
    base, pin = _split(returns)
    if isinstance(base, type) and (dataclasses.is_dataclass(base) or hasattr(base, "_fields")):
        fields = typing.get_type_hints(base, include_extras=True)
        specs = tuple(_spec(field, PinDirection.OUTPUT, hint, _UNSET, where) for field, hint in fields.items())
        return specs, tuple(fields), _optional(specs, fields.values())
    items = typing.get_args(base)
    if typing.get_origin(base) is tuple and len(items) > 1 and Ellipsis not in items:
        raise TypeError(f"{where}: it returns {returns!r}, which would be one Array output; for an output per item, "
                        f"return a NamedTuple (class Out(NamedTuple): a: int; b: str)")
    specs = (_spec(pin.name or "result", PinDirection.OUTPUT, returns, _UNSET, where),)
    return specs, None, _optional(specs, (returns,))


def _optional(specs: Iterable[PinSpec], hints: Iterable[Any]) -> tuple[str, ...]:
    return tuple(spec.name for spec, hint in zip(specs, hints, strict=True) if admits_none(hint))


class FunctionNode(NodeType):
    """A node type made from a typed function by `@node`; `func` is that function, callable as ever."""

    func: ClassVar[Callable[..., Any]]
    exec_pins: ClassVar[bool] = False
    keywords: ClassVar[tuple[tuple[str, str], ...]] = ()
    variadic: ClassVar[str | None] = None
    context: ClassVar[str | None] = None
    fields: ClassVar[tuple[str, ...] | None] = None
    result_type: ClassVar[type | None] = None
    """The NamedTuple or dataclass the function is declared to return, when its outputs are its `fields`."""
    outputs: ClassVar[tuple[str, ...]] = ()
    optional_outputs: ClassVar[tuple[str, ...]] = ()
    """The outputs whose return hint admits None (`-> int | None`): only they take it (`flowlike_core.output_types`)."""

    def run(self, ctx: Context) -> None:
        self._emit(ctx, self._call(ctx))

    def specialize(self, plan: NodePlan) -> Callable[[Context], Any]:
        """`run` without a dict of arguments per call (`flowlike_core.specialize`), for the plain case: an exec node
        with keyword inputs and plain outputs. Anything else keeps `run`."""
        if self.variadic is not None or self.context is not None or type(self)._call is not FunctionNode._call \
                or plan.keyed_inputs or not plan.plain_outputs or plan.is_async:
            return self.run
        return function_run(plan, self.func, self.keywords, self.outputs, self.fields, self.exec_pins)

    def _call(self, ctx: Context) -> Any:
        return self._call_reading(ctx, ctx.get_input)

    def _call_shaped(self, ctx: Context) -> Any:
        """`_call` of a type with inputs of a declared Struct shape (`@node` picks it only for those)."""
        return self._call_reading(ctx, ctx.get_shaped_input)

    def _call_reading(self, ctx: Context, read: Callable[[str], Any]) -> Any:
        """Call the function with its inputs, each pin read by `read`."""
        arguments = {}
        for parameter, pin in self.keywords:
            arguments[parameter] = read(pin)
        for pin in ctx._plan.keyed_inputs:
            arguments[pin] = read(pin)
        if self.context is not None:
            arguments[self.context] = ctx
        if self.variadic is None:
            return self.func(**arguments)
        return self.func(*ctx.get_inputs(self.variadic), **arguments)

    def _emit(self, ctx: Context, result: Any) -> None:
        outputs = self.outputs
        if self.fields is not None:
            try:
                for name, field in zip(outputs, self.fields, strict=True):
                    ctx.set_output(name, getattr(result, field))
            except (AttributeError, OutputTypeError) as error:
                refuse_result(ctx, result, error)
        elif outputs:
            ctx.set_output(outputs[0], result)
        if self.exec_pins:
            ctx.activate(EXEC_OUT)


class AsyncFunctionNode(FunctionNode):
    """`@node` on an `async def`: awaited by the executor."""

    async def run(self, ctx: Context) -> None:  # type: ignore[override]
        self._emit(ctx, await self._call(ctx))


def _description(func: Callable[..., Any]) -> str:
    """The docstring with its lines folded into paragraphs, as a description reads in the editor."""
    paragraphs = inspect.cleandoc(func.__doc__ or "").split("\n\n")
    return "\n\n".join(" ".join(line.strip() for line in p.splitlines()) for p in paragraphs)


def node(
    fn: Callable[..., Any] | None = None,
    *,
    name: str | None = None,
    friendly_name: str | None = None,
    category: str = "",
    synonyms: Iterable[str] = (),
    exec_pins: bool = False,
    capabilities: Iterable[str] = (),
    cacheable: bool | None = None,
    keys: Callable[[dict[str, Any]], Iterable[str] | None] | None = None,
) -> Any:
    """Turn a typed function into a node type (see the module doc). Pure unless `exec_pins=True`.

    `name` is the catalog key (the function's name unless given); `category` left empty takes the
    pack's or module's default when a `Pack` collects the type; `synonyms` are words searches find it by besides
    its name (`NodeType.synonyms`); `capabilities` (e.g. `["network"]`) are what
    the node reaches (`flowlike_core.policy`), the module's `CAPABILITIES` when not given; `cacheable=False`
    makes it run every time (random, time, ids), `True` lets the result cache reuse even an exec node's results
    (`flowlike_core.cache`), the module's `CACHEABLE` when not given. `keys`, for a function with a `**name`
    parameter, derives the keys of a node's pins from its typed-in input values (`NodeType.keys_for`).
    """

    def make(func: Callable[..., Any]) -> type[FunctionNode]:
        if not inspect.isfunction(func):
            raise TypeError(f"@node decorates a function, not {func!r}" + (
                f": options go by keyword, as in @node(friendly_name={func!r})" if isinstance(func, str) else ""))
        where = f"@node {func.__qualname__}"
        if inspect.isgeneratorfunction(func) or inspect.isasyncgenfunction(func):
            raise TypeError(f"{where}: a generator cannot be a node (its output would be the generator itself): "
                            f"return a list")
        hints = _function_hints(func, where)
        inputs = _inputs(func, hints, where)
        outputs, fields, optional = _outputs(hints.get("return", Any), where)
        pins = (exec_in(), *inputs.specs, exec_out(), *outputs) if exec_pins else inputs.specs + outputs
        base = AsyncFunctionNode if inspect.iscoroutinefunction(func) else FunctionNode
        declared: dict[str, Any] = {"capabilities": frozenset(map(Capability, capabilities))} if capabilities else {}
        if cacheable is not None:
            declared["cacheable"] = cacheable
        if inputs.shapes:
            declared |= {"input_shapes": inputs.shapes, "_call": FunctionNode._call_shaped}
        if keys is not None:
            if inputs.keyed is None:
                raise TypeError(f"{where}: keys= derives the pins a **name parameter takes; it has none")

            def keys_for(cls: type[NodeType], values: dict[str, Any]) -> list[str] | None:
                found = keys(values)
                return None if found is None else list(found)

            declared["keys_for"] = classmethod(keys_for)
        return type(func.__name__, (base,), {
            **declared,
            "name": name or func.__name__,
            "friendly_name": friendly_name or func.__name__.replace("_", " ").title(),
            "description": _description(func),
            "category": category,
            "synonyms": tuple(synonyms),
            "pins": pins,
            "func": staticmethod(func),
            "exec_pins": exec_pins,
            "keywords": inputs.keywords,
            "variadic": inputs.variadic,
            "keyed_input": inputs.keyed,
            "context": inputs.context,
            "fields": fields,
            "result_type": _split(hints.get("return", Any))[0] if fields is not None else None,
            "outputs": tuple(spec.name for spec in outputs),
            "optional_outputs": optional,
            "__module__": func.__module__,
            "__qualname__": func.__qualname__,
            "__doc__": func.__doc__,
        })

    return make(fn) if fn is not None else make

