"""More text: equality over any number of strings, trimming one end, escaping, lossy UTF-8, Jinja2 templates.

Templates render in a sandboxed Jinja2 environment: no attribute access to Python internals, no mutation of
the values, and bounded sizes (a template cannot multiply a string into gigabytes or raise to a huge power).
"""

from __future__ import annotations

import functools
from typing import Annotated, Any

from flowlike_catalog.std.extra import extra

from flowlike_core import Pin, node

CATEGORY = "Utils/String"

MAX_TEXT = 10_000_000
"""The most characters a rendered template (or any string it builds) may have."""
MAX_POWER_BITS = 100_000
Bytes = bytes
"""A Byte Array pin (for parameters named `bytes`); the value is a bytes object or a list of 0..255 integers."""
_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", '"': '\\"'}
_UNESCAPES = {"n": "\n", "r": "\r", "t": "\t", "\\": "\\", '"': '"'}


@node(name="equal_string", friendly_name="==")
def strings_equal(*string: Annotated[str, Pin(default="")]) -> Annotated[bool, Pin(name="equal")]:
    """Whether every string is the same (add pins to compare more than two)."""
    return len(set(string)) <= 1


@node(name="not_equal_string", friendly_name="!=")
def strings_unequal(*string: Annotated[str, Pin(default="")]) -> Annotated[bool, Pin(name="unequal")]:
    """Whether some string differs from the others."""
    return len(set(string)) > 1


@node(friendly_name="Trim Start")
def string_trim_start(string: str = "", characters: Annotated[str, Pin(description="The characters to remove; "
                                                                                   "empty means whitespace")] = ""
                      ) -> Annotated[str, Pin(name="trimmed_string")]:
    """The string without the leading characters (whitespace by default)."""
    return string.lstrip(characters or None)


@node(friendly_name="Trim End")
def string_trim_end(string: str = "", characters: Annotated[str, Pin(description="The characters to remove; "
                                                                                 "empty means whitespace")] = ""
                    ) -> Annotated[str, Pin(name="trimmed_string")]:
    """The string without the trailing characters (whitespace by default)."""
    return string.rstrip(characters or None)


@node(friendly_name="Escape String")
def string_escape(string: str = "") -> Annotated[str, Pin(name="escaped")]:
    """Backslash, newline, carriage return, tab and double quote as escape sequences (\\\\, \\n, \\r, \\t, \\")."""
    return "".join(_ESCAPES.get(char, char) for char in string)


@node(friendly_name="Unescape String")
def string_unescape(string: str = "") -> Annotated[str, Pin(name="unescaped")]:
    """Turns \\n, \\r, \\t, \\\\ and \\" back into their characters; other backslashes stay as they are."""
    result, chars = [], iter(string)
    for char in chars:
        if char != "\\":
            result.append(char)
            continue
        following = next(chars, None)
        if following is None:
            result.append("\\")
        elif following in _UNESCAPES:
            result.append(_UNESCAPES[following])
        else:
            result.append("\\" + following)
    return "".join(result)


@node(friendly_name="From UTF-8 Lossy")
def utf8_lossy(bytes: Bytes = None) -> Annotated[str, Pin(name="string")]:
    """Decodes UTF-8, putting U+FFFD (�) where the bytes are not valid UTF-8."""
    return builtin_bytes(bytes or b"").decode("utf-8", errors="replace")


def builtin_bytes(value: bytes | list[int]) -> bytes:
    """Bytes from a bytes value or a list of byte values (how byte arrays travel in board files)."""
    try:
        return value if isinstance(value, bytes) else bytes(value)
    except (TypeError, ValueError):
        raise ValueError("bytes must be a list of integers from 0 to 255") from None


@functools.cache
def template_environment() -> Any:
    """One sandboxed Jinja2 environment per process: immutable values, undefined names are errors,
    and `*`, `**` and rendering are bounded in size."""
    sandbox = extra("jinja2.sandbox")
    ImmutableSandboxedEnvironment, SecurityError = sandbox.ImmutableSandboxedEnvironment, sandbox.SecurityError

    class BoundedEnvironment(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset(["*", "**"])

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            if operator == "**" and isinstance(left, int) and isinstance(right, int) and \
                    abs(left) > 1 and right * abs(left).bit_length() > MAX_POWER_BITS:
                raise SecurityError(f"{left} ** {right} is too large for a template")
            if operator == "*":
                sized, count = (left, right) if isinstance(right, int) else (right, left)
                if isinstance(sized, str | list | tuple) and isinstance(count, int) and \
                        len(sized) * count > MAX_TEXT:
                    raise SecurityError(f"repeating {len(sized)} items {count} times exceeds {MAX_TEXT:,}")
            return super().call_binop(context, operator, left, right)

    return BoundedEnvironment(undefined=extra("jinja2").StrictUndefined, autoescape=False, keep_trailing_newline=True)


def template_variables(values: dict[str, Any]) -> list[str] | None:
    """The variables a typed-in template uses without setting them, in the order they first appear (None for a
    template that is wired, does not parse, or without Jinja2 installed: the pins stay as they are)."""
    template = values.get("template")
    if not isinstance(template, str):
        return None
    try:
        meta = extra("jinja2.meta")
    except ImportError:
        return None
    try:
        found = meta.find_undeclared_variables(template_environment().parse(template))
    except extra("jinja2").TemplateError:
        return None
    return sorted(found, key=lambda name: (template.find(name), name))


@node(friendly_name="Render Template", keys=template_variables)
def string_render_template(template: str = "",
                           values: Annotated[dict[str, Any], Pin(description="The template's variables")] = None,
                           **variable: Annotated[Any, Pin(description="The value of the variable of this name",
                                                          required=False)]
                           ) -> Annotated[str, Pin(name="rendered")]:
    """Renders a Jinja2 template ({{ name }}, {% for %}, filters) in a sandbox, each variable from the pin of its
    name (a pin per variable, as in Flow-Like, follows the template) or else from the map of values. A name the
    template uses without a value is an error; the result may have at most 10 million characters."""
    TemplateError = extra("jinja2").TemplateError
    given = {**(values or {}), **{name: value for name, value in variable.items() if value is not None}}
    try:
        compiled = template_environment().from_string(template)
        parts, size = [], 0
        for part in compiled.generate(given):
            size += len(part)
            if size > MAX_TEXT:
                raise ValueError(f"the rendered template exceeds {MAX_TEXT:,} characters")
            parts.append(part)
    except TemplateError as exc:
        where = f" (line {exc.lineno})" if getattr(exc, "lineno", None) else ""
        unset = next((name for name in template_variables({"template": template}) or ()
                      if name not in given and exc.message == f"'{name}' is undefined"), None)
        fix = f": give it a value (its pin '{unset}', or the key '{unset}' in Values)" if unset else ""
        raise ValueError(f"template error{where}: {exc.message or exc}{fix}") from None
    return "".join(parts)
