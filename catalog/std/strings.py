"""Text: concatenation, templates, split and join, regular expressions, case, length and search. All pure."""

from __future__ import annotations

import functools
import re
from collections.abc import Collection
from typing import Annotated, Any, NamedTuple, TypeVar

from flowlike_catalog.std.log import as_text

from flowlike_core import Pin, node

CATEGORY = "Strings"

T = TypeVar("T")
Text = Annotated[str, Pin(name="string")]
Pattern = Annotated[str, Pin(description="A Python regular expression")]
_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{(\w+)\}")


class RegexMatch(NamedTuple):
    is_match: Annotated[bool, Pin("Matched")]
    match: Annotated[str, Pin(description="The matched text, empty without a match")]
    groups: Annotated[list[str], Pin(description="Capture groups of the match (empty for a group that took no part)")]


@functools.lru_cache(maxsize=256)
def compile_regex(pattern: str) -> Any:
    """The pattern compiled by RE2, whose matching takes linear time: no pattern can hang a run (Python's `re`
    takes exponential time on patterns like `(a+)+$`). RE2 has no backreferences or lookaround."""
    import re2

    options = re2.Options()
    options.log_errors = False
    try:
        return re2.compile(pattern, options)
    except re2.error as exc:
        reason = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else str(exc)
        raise ValueError(f"invalid regular expression {pattern!r}: {reason} (patterns run on RE2, which matches "
                         f"in linear time and so has no backreferences or lookaround)") from None


def render(template: str, values: dict[str, Any], pins: Collection[str] = ()) -> str:
    """Fill `{name}` placeholders from `values`; `{{` and `}}` stand for literal braces. A placeholder without a
    value names what to fill: its pin among `pins`, else the map of values."""

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name is None:
            return match.group(0)[0]
        if name not in values:
            known = ", ".join(sorted(values)) or "none"
            fix = f"wire or fill its pin '{name}'" if name in pins else \
                f"add '{name}' to Values, or type the template into the node for a pin per placeholder"
            raise ValueError(f"placeholder {{{name}}} has no value (values given: {known}): {fix}")
        return as_text(values[name])

    return _PLACEHOLDER.sub(fill, template)


@node(friendly_name="Concatenate")
def string_concat(*string: Annotated[str, Pin(default="")]) -> str:
    """Joins every `string` input, in pin order, with nothing in between."""
    return "".join(string)


def placeholders(values: dict[str, Any]) -> list[str] | None:
    """The placeholder names of a typed-in template, each once, in order (None for a template that is wired)."""
    template = values.get("format_string")
    if not isinstance(template, str):
        return None
    return list(dict.fromkeys(name for name in _PLACEHOLDER.findall(template) if name))


@node(friendly_name="Format String", keys=placeholders)
def string_format(format_string: Annotated[str, Pin("Template")] = "", values: dict[str, T] = None,
                  **placeholder: Annotated[Any, Pin(description="The value of the placeholder of this name",
                                                    required=False)]
                  ) -> Annotated[str, Pin("Text", name="formatted_string")]:
    """Fills `{name}` placeholders of the template from the pin of that name (a pin per placeholder, as in
    Flow-Like, follows the template) or else from the map of values; `{{` and `}}` are literal braces."""
    return render(format_string, {**values, **{name: v for name, v in placeholder.items() if v is not None}},
                  placeholder)


@node(friendly_name="Split String")
def string_split(value: Text = "", separator: str = ",") -> Annotated[list[str], Pin("Parts", name="substrings")]:
    """Splits the string at every separator; an empty separator splits at runs of whitespace."""
    return value.split(separator) if separator else value.split()


@node(friendly_name="Join Strings")
def string_join(strings: list[str] = None, separator: str = ", ") -> Annotated[
        str, Pin("Text", name="joined_string")]:
    """Joins the strings with the separator between them."""
    return separator.join(strings)


@node(friendly_name="Replace String")
def string_replace(value: Text = "", pattern: str = "", replacement: str = "",
                   is_regex: Annotated[bool, Pin("Regular Expression")] = False) -> Annotated[
        str, Pin("Text", name="new_string")]:
    """Replaces every occurrence of the pattern; as a regular expression, `\\1` in the replacement refers to
    groups."""
    if is_regex:
        return compile_regex(pattern).sub(replacement, value)
    return value.replace(pattern, replacement) if pattern else value


@node(friendly_name="Regex Match")
def string_regex_match(value: Text = "", pattern: Pattern = "") -> RegexMatch:
    """Searches the string for the first match of the regular expression."""
    found = compile_regex(pattern).search(value)
    if found is None:
        return RegexMatch(False, "", [])
    return RegexMatch(True, found.group(0), [group or "" for group in found.groups()])


@node(friendly_name="Regex Find All")
def string_regex_find_all(value: Text = "", pattern: Pattern = "") -> Annotated[list[str], Pin(name="matches")]:
    """Every non-overlapping match of the regular expression, in order."""
    return [m.group(0) for m in compile_regex(pattern).finditer(value)]


@node(friendly_name="To Upper Case")
def string_to_upper(value: Text = "") -> Annotated[str, Pin("Text", name="uppercase_string")]:
    """The string in upper case."""
    return value.upper()


@node(friendly_name="To Lower Case")
def string_to_lower(value: Text = "") -> Annotated[str, Pin("Text", name="lowercase_string")]:
    """The string in lower case."""
    return value.lower()


@node(friendly_name="To Title Case")
def string_to_title(value: Text = "") -> Annotated[str, Pin("Text", name="title_string")]:
    """The string with every word capitalised."""
    return value.title()


@node(friendly_name="Trim String")
def string_trim(value: Text = "") -> Annotated[str, Pin("Text", name="trimmed_string")]:
    """The string without leading and trailing whitespace."""
    return value.strip()


@node
def string_length(value: Text = "") -> Annotated[int, Pin(name="length")]:
    """The number of characters."""
    return len(value)


@node(friendly_name="Contains")
def string_contains(value: Text = "", substring: str = "") -> Annotated[bool, Pin(name="contains")]:
    """Whether the substring occurs in the string."""
    return substring in value


@node(friendly_name="Starts With")
def string_starts_with(value: Text = "", prefix: str = "") -> Annotated[bool, Pin(name="starts_with")]:
    """Whether the string starts with the prefix."""
    return value.startswith(prefix)


@node(friendly_name="Ends With")
def string_ends_with(value: Text = "", suffix: str = "") -> Annotated[bool, Pin(name="ends_with")]:
    """Whether the string ends with the suffix."""
    return value.endswith(suffix)
