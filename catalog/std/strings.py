"""Text: concatenation, templates, split and join, regular expressions, case, length and search. All pure."""

from __future__ import annotations

import re
from typing import Any

from flowlike_catalog.std._build import function_node
from flowlike_catalog.std.log import as_text

from flowlike_core import Context, DataType, NodeType, ValueType, data_in, data_out

STR, INT, BOOL = DataType.STRING, DataType.INTEGER, DataType.BOOLEAN
_CATEGORY = "Strings"
_STRING = data_in("string", STR, default="", friendly_name="String")
_PATTERN = data_in("pattern", STR, default="", friendly_name="Pattern", description="A Python regular expression")
_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{(\w+)\}")


def compile_regex(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"invalid regular expression {pattern!r}: {exc}") from None


def render(template: str, values: dict[str, Any]) -> str:
    """Fill `{name}` placeholders from `values`; `{{` and `}}` stand for literal braces."""

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name is None:
            return match.group(0)[0]
        if name not in values:
            known = ", ".join(sorted(values)) or "none"
            raise KeyError(f"placeholder {{{name}}} has no value (values given: {known})")
        return as_text(values[name])

    return _PLACEHOLDER.sub(fill, template)


def _replace(string: str, pattern: str, replacement: str, is_regex: bool) -> str:
    if is_regex:
        return compile_regex(pattern).sub(replacement, string)
    return string.replace(pattern, replacement) if pattern else string


def _regex_match(string: str, pattern: str) -> tuple[bool, str, list[str]]:
    found = compile_regex(pattern).search(string)
    if found is None:
        return False, "", []
    return True, found.group(0), [group or "" for group in found.groups()]


class Concat(NodeType):
    name = "string_concat"
    friendly_name = "Concatenate"
    category = _CATEGORY
    description = "Joins every `string` input, in pin order, with nothing in between."
    pins = (data_in("string", STR, default="", friendly_name="String"),
            data_in("string", STR, default="", friendly_name="String"),
            data_out("result", STR, friendly_name="Result"))

    def run(self, ctx: Context) -> None:
        ctx.set_output("result", "".join(ctx.get_inputs("string")))


NODES: list[type[NodeType]] = [
    Concat,
    function_node("string_format", "Format String", _CATEGORY,
                  "Fills `{name}` placeholders of the template from a map of values; `{{` and `}}` are literal braces.",
                  (data_in("format_string", STR, default="", friendly_name="Template"),
                   data_in("values", DataType.GENERIC, ValueType.HASHMAP, friendly_name="Values", generic="T")),
                  (data_out("formatted_string", STR, friendly_name="Text"),), render),
    function_node("string_split", "Split String", _CATEGORY,
                  "Splits the string at every separator; an empty separator splits at runs of whitespace.",
                  (_STRING, data_in("separator", STR, default=",", friendly_name="Separator")),
                  (data_out("substrings", STR, ValueType.ARRAY, friendly_name="Parts"),),
                  lambda string, separator: string.split(separator) if separator else string.split()),
    function_node("string_join", "Join Strings", _CATEGORY, "Joins the strings with the separator between them.",
                  (data_in("strings", STR, ValueType.ARRAY, friendly_name="Strings"),
                   data_in("separator", STR, default=", ", friendly_name="Separator")),
                  (data_out("joined_string", STR, friendly_name="Text"),),
                  lambda strings, separator: separator.join(strings)),
    function_node("string_replace", "Replace String", _CATEGORY,
                  "Replaces every occurrence of the pattern; as a regular expression, `\\1` in the replacement "
                  "refers to groups.",
                  (_STRING, data_in("pattern", STR, default="", friendly_name="Pattern"),
                   data_in("replacement", STR, default="", friendly_name="Replacement"),
                   data_in("is_regex", BOOL, default=False, friendly_name="Regular Expression")),
                  (data_out("new_string", STR, friendly_name="Text"),), _replace),
    function_node("string_regex_match", "Regex Match", _CATEGORY,
                  "Searches the string for the first match of the regular expression.",
                  (_STRING, _PATTERN),
                  (data_out("is_match", BOOL, friendly_name="Matched"),
                   data_out("match", STR, friendly_name="Match", description="The matched text, empty without a match"),
                   data_out("groups", STR, ValueType.ARRAY, friendly_name="Groups",
                            description="Capture groups of the match (empty for a group that took no part)")),
                  _regex_match),
    function_node("string_regex_find_all", "Regex Find All", _CATEGORY,
                  "Every non-overlapping match of the regular expression, in order.",
                  (_STRING, _PATTERN), (data_out("matches", STR, ValueType.ARRAY, friendly_name="Matches"),),
                  lambda string, pattern: [m.group(0) for m in compile_regex(pattern).finditer(string)]),
    function_node("string_to_upper", "To Upper Case", _CATEGORY, "The string in upper case.",
                  (_STRING,), (data_out("uppercase_string", STR, friendly_name="Text"),), str.upper),
    function_node("string_to_lower", "To Lower Case", _CATEGORY, "The string in lower case.",
                  (_STRING,), (data_out("lowercase_string", STR, friendly_name="Text"),), str.lower),
    function_node("string_to_title", "To Title Case", _CATEGORY, "The string with every word capitalised.",
                  (_STRING,), (data_out("title_string", STR, friendly_name="Text"),), str.title),
    function_node("string_trim", "Trim String", _CATEGORY, "The string without leading and trailing whitespace.",
                  (_STRING,), (data_out("trimmed_string", STR, friendly_name="Text"),), str.strip),
    function_node("string_length", "String Length", _CATEGORY, "The number of characters.",
                  (_STRING,), (data_out("length", INT, friendly_name="Length"),), len),
    function_node("string_contains", "Contains", _CATEGORY, "Whether the substring occurs in the string.",
                  (_STRING, data_in("substring", STR, default="", friendly_name="Substring")),
                  (data_out("contains", BOOL, friendly_name="Contains"),), lambda string, sub: sub in string),
    function_node("string_starts_with", "Starts With", _CATEGORY, "Whether the string starts with the prefix.",
                  (_STRING, data_in("prefix", STR, default="", friendly_name="Prefix")),
                  (data_out("starts_with", BOOL, friendly_name="Starts With"),), str.startswith),
    function_node("string_ends_with", "Ends With", _CATEGORY, "Whether the string ends with the suffix.",
                  (_STRING, data_in("suffix", STR, default="", friendly_name="Suffix")),
                  (data_out("ends_with", BOOL, friendly_name="Ends With"),), str.endswith),
]
