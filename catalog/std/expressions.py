"""Arithmetic expressions from text, evaluated by a small walker over Python's syntax tree: numbers, names from
a map, + - * / // % ** (or ^), parentheses and math functions. Nothing else parses, so no code runs."""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable
from typing import Annotated

from flowlike_core import Pin, node

CATEGORY = "Math"

MAX_LENGTH = 10_000
_BINARY: dict[type, Callable[[float, float], float]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod, ast.Pow: operator.pow, ast.BitXor: operator.pow,
}
_UNARY: dict[type, Callable[[float], float]] = {ast.UAdd: operator.pos, ast.USub: operator.neg}
_FUNCTIONS: dict[str, Callable[..., float]] = {
    "abs": abs, "min": min, "max": max, "round": round, "floor": math.floor, "ceil": math.ceil, "trunc": math.trunc,
    "sqrt": math.sqrt, "cbrt": math.cbrt, "exp": math.exp, "ln": math.log, "log": math.log, "log10": math.log10,
    "log2": math.log2, "sin": math.sin, "cos": math.cos, "tan": math.tan, "asin": math.asin, "acos": math.acos,
    "atan": math.atan, "atan2": math.atan2, "sinh": math.sinh, "cosh": math.cosh, "tanh": math.tanh,
    "hypot": math.hypot, "degrees": math.degrees, "radians": math.radians,
}
_CONSTANTS = {"pi": math.pi, "e": math.e, "tau": math.tau, "inf": math.inf}


def evaluate(expression: str, names: dict[str, float] | None = None) -> float:
    """The value of an arithmetic expression; every number is a float, so powers overflow instead of growing."""
    if len(expression) > MAX_LENGTH:
        raise ValueError(f"the expression is longer than {MAX_LENGTH:,} characters")
    scope = {**_CONSTANTS, **(names or {})}
    shown = expression if len(expression) <= 60 else expression[:57] + "..."
    try:
        tree = ast.parse(expression.strip(), mode="eval")
        return float(_value(tree.body, scope))
    except SyntaxError as exc:
        raise ValueError(f"cannot read the expression {shown!r}: {exc.msg} at column {exc.offset}") from None
    except ZeroDivisionError:
        raise ZeroDivisionError(f"division by zero in {shown!r}") from None
    except OverflowError:
        raise ValueError(f"the result of {shown!r} is too large") from None
    except (RecursionError, MemoryError):
        raise ValueError("the expression is nested too deeply") from None


def _value(node: ast.AST, scope: dict[str, float]) -> float:
    match node:
        case ast.Constant(value=bool()):
            raise ValueError("booleans are not numbers here")
        case ast.Constant(value=int() | float() as number):
            return float(number)
        case ast.Name(id=name):
            if name not in scope:
                raise NameError(f"unknown name {name!r} (known: {', '.join(sorted(scope))})")
            return float(scope[name])
        case ast.BinOp(left=left, op=op, right=right) if type(op) in _BINARY:
            result = _BINARY[type(op)](_value(left, scope), _value(right, scope))
            if isinstance(result, complex):
                raise ValueError("a negative number to a fractional power has no real value")
            return result
        case ast.UnaryOp(op=op, operand=operand) if type(op) in _UNARY:
            return _UNARY[type(op)](_value(operand, scope))
        case ast.Call(func=ast.Name(id=name), args=args, keywords=[]) if name in _FUNCTIONS:
            try:
                return float(_FUNCTIONS[name](*(_value(arg, scope) for arg in args)))
            except TypeError as exc:
                raise ValueError(f"{name}(): {exc}") from None
            except ValueError as exc:
                raise ValueError(f"{name}() of these values: {exc}") from None
    raise ValueError(f"{ast.unparse(node)!r} is not arithmetic (numbers, names, + - * / // % ** ^, parentheses "
                     f"and the functions {', '.join(sorted(_FUNCTIONS))})")


@node(name="eval")
def evaluate_expression(
        expression: Annotated[str, Pin(description='Like "2 * (x + 1) ** 2" or "sqrt(2) * pi"')] = "",
        variables: Annotated[dict[str, float], Pin(description="Values of the names the expression uses")] = None,
) -> Annotated[float, Pin(name="result")]:
    """Evaluates an arithmetic expression safely (a small evaluator, never Python's eval): numbers, names from
    Variables, + - * / // % and ** or ^ for powers, parentheses, pi, e, tau and math functions such as sqrt,
    log, sin, min, max, round."""
    if not expression.strip():
        raise ValueError("the expression is empty")
    return evaluate(expression, variables)
