"""Runs of nodes specialized to how a plan wires them: the inputs a node takes as keyword arguments are read
straight from the run's values, typed-in constants bound once, without a dict of arguments per call.

The code is written once per shape of wiring, as `dataclasses` writes `__init__`, and made into one function that
every node of that shape shares, for example:

    def run(ctx):
        func, k0, c1, t0, h0, o0, _, n, _, = ctx._plan.bound
        values = ctx._values
        try:
            a0 = values[k0]
        except KeyError:
            a0 = ctx._read_unset(k0)
        result = func(a0, c1)
        if type(result) is not t0:
            h0(ctx, result)
        values[o0] = result
        return n

What differs per node (the function, constants, value keys, pin names, output checks, exec targets) is its plan's
`bound` tuple, never the source; the tuple ends with every output's key and exec output's targets
(`flowlike_core.plan.bind`), of which the run names those it uses (`o0`, `n`). One function per shape, not per node:
a chain of distinct nodes calls one function, whose call CPython specializes once and keeps in cache, and loads one
tuple per node.

A function-form exec node's run returns the targets of its `exec_out` (the plan's own tuple, bound as `n`) and is
marked `routes`: the executor goes on with them instead of asking which exec pins the node activated.

Arguments go by position where the function's parameters allow it (a keyword call costs more), by name otherwise.
Parameter and field names are Python identifiers. `NodeType.specialize` and `FunctionNode.specialize` decide when
a node can run this way.
"""

from __future__ import annotations

import functools
import inspect
import types
from collections.abc import Callable
from types import CodeType
from typing import TYPE_CHECKING, Any

from flowlike_core.errors import OutputTypeError
from flowlike_core.node import EXEC_OUT
from flowlike_core.output_types import output_checks, refuse_result
from flowlike_core.plan import CONST, PURE, VALUE, NodePlan, bind

if TYPE_CHECKING:
    from flowlike_core.context import Context

_READS = {CONST: "c{0}", VALUE: "a{0}", PURE: "ctx.get_input(p{0})"}
"""How an argument is read, by the kind of its source (`PURE` stands for anything `ctx.get_input` must do: pull a
pure node, copy a mutable constant; `VALUE` reads into `a{0}` first, see `_shared_run`)."""


def function_run(plan: NodePlan, func: Callable[..., Any], keywords: tuple[tuple[str, str], ...],
                 outputs: tuple[str, ...], fields: tuple[str, ...] | None,
                 exec_pins: bool) -> Callable[[Context], None]:
    """`func(**inputs)` as a node run: its result goes to the output (or, field by field, to the outputs); with exec
    pins it returns the targets of `exec_out` (see `NodePlan.routes`). The plan's outputs must be plain
    (`NodePlan.plain_outputs`)."""
    kinds, bound = _arguments(plan, keywords)
    checks = output_checks(type(plan.impl))
    checked = [checks.get(name) for name in outputs]
    bind(plan, (func, *bound, *(part for check in checked if check is not None for part in check)))
    tail = (*(f"o{outputs.index(name)}" if name in outputs else "_" for name in plan.outputs),
            *("n" if exec_pins and name == EXEC_OUT else "_" for name in plan.exec_next))
    return _shared_run(kinds, tail, fields if fields is not None else len(outputs), exec_pins, method=False,
                       positional=_positional(func), checked=tuple(check is not None for check in checked))


def method_run(plan: NodePlan, run: Callable[..., Any], impl: Any,
               keywords: tuple[tuple[str, str], ...]) -> Callable[[Context], Any]:
    """`run(impl, ctx, **inputs)` as a node run (the class form's keyword inputs); what it returns (a coroutine,
    for an async `run`) is returned."""
    kinds, bound = _arguments(plan, keywords)
    twin = _positional_twin(run)
    tail = bind(plan, (twin or run, impl, *bound))
    return _shared_run(kinds, ("_",) * tail, 0, False, method=True, positional=len(kinds) if twin is not None else 0)


def _checking(value: str, i: int) -> list[str]:
    """The check of output `i`'s value (`flowlike_core.output_types`): at once when it is of the usual type."""
    return [f"if type({value}) is not t{i}:", f"    h{i}(ctx, {value})"]


def _arguments(plan: NodePlan, keywords: tuple[tuple[str, str], ...]) -> tuple[tuple[tuple[str, int], ...], list[Any]]:
    """Each parameter with the kind of read it needs, and the value each binds (constant, value key or pin name)."""
    kinds, bound = [], []
    for parameter, pin in keywords:
        source = plan.reads[pin]
        if source.kind == CONST and not source.mutable:
            kinds.append((parameter, CONST))
            bound.append(source.value)
        elif source.kind == VALUE:
            kinds.append((parameter, VALUE))
            bound.append(source.key)
        else:
            kinds.append((parameter, PURE))
            bound.append(pin)
    return tuple(kinds), bound


@functools.cache
def _positional_twin(run: Callable[..., Any]) -> Callable[..., Any] | None:
    """`run(self, ctx, *, a, b)` as `run(self, ctx, a, b)`: the same code, its keyword-only parameters made
    positional (their order in the frame is the same), so that a call passes them by position. CPython 3.11 runs a
    call by keyword to Python code in a new interpreter loop, one by position in the caller's: the class form's
    node ran at half the function form's speed. None when `run` has defaults or variadic parameters."""
    code = run.__code__
    if run.__defaults__ or code.co_flags & (inspect.CO_VARARGS | inspect.CO_VARKEYWORDS):
        return None
    twin = types.FunctionType(code.replace(co_argcount=code.co_argcount + code.co_kwonlyargcount,
                                           co_kwonlyargcount=0), run.__globals__, run.__name__, None, run.__closure__)
    functools.update_wrapper(twin, run)
    return twin


@functools.cache
def _positional(func: Callable[..., Any]) -> int:
    """How many of the function's first parameters can be passed by position."""
    kinds = [p.kind for p in inspect.signature(func, follow_wrapped=False).parameters.values()]
    return next((i for i, kind in enumerate(kinds) if kind is not inspect.Parameter.POSITIONAL_OR_KEYWORD), len(kinds))


@functools.cache
def _shared_run(parameters: tuple[tuple[str, int], ...], tail: tuple[str, ...], outputs: int | tuple[str, ...],
                exec_pins: bool, *, method: bool, positional: int = 0,
                checked: tuple[bool, ...] = ()) -> Callable[[Context], Any]:
    """The specialized run of one shape: parameters (name, kind of read), the names of the plan's output keys and
    exec targets (`o0`..., `n`, `_` for those it does not use), outputs (how many, or the result's fields), exec pins,
    whether it calls a function or a node type's `run` method, how many of the arguments go by position, and which
    outputs check their values (`flowlike_core.output_types`: at once when of the usual type `t`, else by `h`). Made
    once per shape, shared by the nodes of that shape.

    An input read from an exec node's output is a subscript in a `try` (which costs nothing until it raises): a key
    missing, as its node has not run, reads None through `ctx._read_unset`, which says so. The fields of a declared
    NamedTuple or dataclass are read in a `try` too: a result of another type fails through
    `output_types.refuse_result`, which names it."""
    reads = [line for i, (_, kind) in enumerate(parameters) if kind == VALUE
             for line in ("try:", f"    a{i} = values[k{i}]", "except KeyError:", f"    a{i} = ctx._read_unset(k{i})")]
    arguments = ", ".join(_READS[kind].format(i) if i < positional else f"{name}={_READS[kind].format(i)}"
                          for i, (name, kind) in enumerate(parameters))
    names = ["func", *(["impl"] if method else []), *(f"{'ckp'[kind]}{i}" for i, (_, kind) in enumerate(parameters)),
             *(f"{part}{i}" for i, check in enumerate(checked) if check for part in "th"), *tail]
    if method:
        body = [*reads, f"return func(impl, ctx, {arguments})"]
    else:
        call = f"func({arguments})"
        if isinstance(outputs, tuple):
            sets = []
            for i, field in enumerate(outputs):
                sets += [f"value = result.{field}", *_checking("value", i), f"values[o{i}] = value"] if checked[i] \
                    else [f"values[o{i}] = result.{field}"]
            body = [*reads, f"result = {call}", "try:", *(f"    {line}" for line in sets),
                    "except (AttributeError, OutputTypeError) as error:", "    refuse_result(ctx, result, error)"]
        elif outputs and checked[0]:
            body = [*reads, f"result = {call}", *_checking("result", 0), "values[o0] = result"]
        else:
            body = [*reads, f"values[o0] = {call}" if outputs else call]
        if exec_pins:
            body.append("return n")
    source = (f"def run(ctx):\n    {', '.join(names)}, = ctx._plan.bound\n    values = ctx._values\n"
              + "".join(f"    {line}\n" for line in body))
    module = compile(source, "<flowlike specialized run>", "exec")
    code = next(const for const in module.co_consts if isinstance(const, CodeType))
    run = types.FunctionType(code, {"type": type, "OutputTypeError": OutputTypeError, "refuse_result": refuse_result},
                             "specialized_run")  # (`type` a global of its own: 7 ns less a check)
    run.routes = exec_pins  # type: ignore[attr-defined]
    return run
